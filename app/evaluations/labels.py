"""How periods, states, ratings and predicates are named in the UI (and in documents)."""

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
