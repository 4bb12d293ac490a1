"""What every page may show of the organisation: role names, and the signed-in person's own
local date (their unit's zone)."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.org.lines import local_today
from app.org.models import Role

#: Role names as the UI shows them.
ROLE_LABELS = {
    Role.PEGAWAI: _l("Employee"),
    Role.ATASAN: _l("Supervisor"),
    Role.ADMIN: _l("HR administrator"),
    Role.PIMPINAN: _l("Head of agency"),
}


def inject_person() -> dict:
    today = local_today(current_user).isoformat() if current_user.is_authenticated else None
    return {"local_today": today, "role_labels": ROLE_LABELS}


def init_templating(app) -> None:
    app.context_processor(inject_person)
