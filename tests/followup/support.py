"""Assessed evaluations for the follow-up tests, through the evaluation services."""

from app.evaluations import services
from app.extensions import db
from tests.evaluations.support import fill_realisations, line_skps, quarters

PERIOD = "Triwulan IV 2026"


def assessed(org, hasil="sesuai", perilaku="sesuai", *, acknowledge=False, person=None,
             skps=True):
    """``person`` (default staff_a1) assessed by their supervisor in Triwulan IV 2026."""
    person = person or org.staff_a1
    periods = quarters(org)
    if skps:
        line_skps(org, staff=("staff_a1", "staff_b1"))
    evaluation, _ = services.open_evaluation(person, periods[PERIOD].id)
    evaluation = fill_realisations(person, evaluation)
    services.submit_evaluation(person, evaluation.id, evaluation.version)
    appraiser = (db.session.get(type(person), person.supervisor_id) if person.supervisor_id
                 else org.admin)
    services.assess_evaluation(appraiser,
                               evaluation.id, version=evaluation.version, hasil_kerja=hasil,
                               perilaku_kerja=perilaku)
    if acknowledge:
        services.acknowledge_evaluation(person, evaluation.id, evaluation.version)
    db.session.commit()
    return evaluation
