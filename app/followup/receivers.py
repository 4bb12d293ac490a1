"""The follow-up answers the evaluation cycle's signals (see :mod:`app.evaluations.signals`)."""

from app.evaluations.signals import predikat_changed
from app.followup import outcomes


@predikat_changed.connect
def follow_up(evaluation, actor, **_extra):
    """Recognition or coaching, as the new predikat calls for (PermenPANRB 6/2022)."""
    outcomes.follow_up(evaluation, actor)
