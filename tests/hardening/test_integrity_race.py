"""A unique constraint met in a race answers 409 with the error envelope, never a 500."""

from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.reminders.models import OrgHoliday


def test_a_holiday_added_twice_at_once_is_409(api, world, db, count):
    """Another request adds the same day between this one's check and its insert."""
    api.login(world.one.admin)
    org_id = world.one.org.id

    def race(session, flush_context, instances):
        if any(isinstance(row, OrgHoliday) for row in session.new):
            with db.engine.begin() as other:
                other.execute(sa.insert(OrgHoliday).values(
                    org_id=org_id, day=date(2026, 8, 18), name="Cuti bersama"))

    sa.event.listen(so.Session, "before_flush", race)
    try:
        response = api.post("/api/v1/holidays", json={"day": "2026-08-18", "name": "Libur"})
    finally:
        sa.event.remove(so.Session, "before_flush", race)
    assert response.status_code == 409, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and error["message"]
    assert count(OrgHoliday) == 1
    # The app is healthy afterwards: the next request reads the one stored day.
    listed = api.get("/api/v1/holidays").get_json()
    assert [h["name"] for h in listed] == ["Cuti bersama"]
