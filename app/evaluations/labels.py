"""How periods, states, ratings and predicates are named in the UI (and in documents)."""

import re
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.evaluations.models import EvaluationStatus, PeriodKind
from app.evaluations.rules import OrgPredikat, Predikat, Rating

PERIOD_KIND_LABELS = {
    PeriodKind.MONTHLY: _l("Monthly"), PeriodKind.QUARTERLY: _l("Quarterly"),
    PeriodKind.SEMESTER: _l("Semester"), PeriodKind.ANNUAL: _l("Annual"),
}
STATUS_LABELS = {
    EvaluationStatus.DRAFT: _l("Draft"),
    EvaluationStatus.SUBMITTED: _l("Waiting for assessment"),
    EvaluationStatus.ASSESSED: _l("Assessed"),
    EvaluationStatus.ACKNOWLEDGED: _l("Acknowledged"),
}
RATING_LABELS = {
    Rating.DI_ATAS: _l("Above expectations"),
    Rating.SESUAI: _l("Meets expectations"),
    Rating.DI_BAWAH: _l("Below expectations"),
}
PREDIKAT_LABELS = {
    Predikat.SANGAT_BAIK: _l("Very good"),
    Predikat.BAIK: _l("Good"),
    Predikat.BUTUH_PERBAIKAN: _l("Needs improvement"),
    Predikat.KURANG_MISCONDUCT: _l("Poor/Misconduct"),
    Predikat.SANGAT_KURANG: _l("Very poor"),
}
ORG_PREDIKAT_LABELS = {
    OrgPredikat.ISTIMEWA: _l("Exceptional"),
    OrgPredikat.BAIK: _l("Good"),
    OrgPredikat.BUTUH_PERBAIKAN: _l("Needs improvement"),
    OrgPredikat.KURANG: _l("Poor"),
    OrgPredikat.SANGAT_KURANG: _l("Very poor"),
}


#: Month names of the standard monthly periods, as stored.
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
#: The names `standard_periods` gives, in Bahasa Indonesia: "Triwulan II 2026", "Juli 2026".
_STANDARD_NAME = re.compile(r"^(?:(Triwulan|Semester) ([IV]+)|(Tahunan)|(\w+)) (\d{4})$")


def period_name(period) -> str:
    """A period's name in the current language.

    The standard names are stored in Bahasa Indonesia ("Triwulan I 2026"); those are said
    again in the reader's language. A name an administrator typed is shown as typed.
    """
    name = getattr(period, "name", period) or ""
    match = _STANDARD_NAME.match(name)
    if not match:
        return name
    part, number, annual, month, year = match.groups()
    if part == "Triwulan":
        return _("Quarter %(number)s %(year)s", number=number, year=year)
    if part == "Semester":
        return _("Semester %(number)s %(year)s", number=number, year=year)
    if annual:
        return _("Annual %(year)s", year=year)
    if month in MONTHS:
        return format_date(date(int(year), MONTHS.index(month) + 1, 1), "MMMM y")
    return name
