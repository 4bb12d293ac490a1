"""Development records of the second organisation, for the cross-organisation checks."""

from datetime import date

from app.development import services
from app.extensions import db


def other_org_ids(world) -> dict:
    two = world.two
    training = services.create_training(two.staff_a1, title="Diklat", provider="BPSDM",
                                        kind="training", starts_on=date(2026, 3, 2),
                                        ends_on=date(2026, 3, 3), hours=10)
    pair = services.create_pair(two.sup_a, mentor_id=two.staff_a2.id,
                                mentee_id=two.staff_a1.id, starts_on=date(2026, 1, 5),
                                ends_on=date(2026, 6, 30))
    db.session.commit()
    return {"training_id": training.id, "pair_id": pair.id}
