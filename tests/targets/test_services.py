"""The activity form's target picker, and service rules not reachable through the API."""

from datetime import date

import pytest

from app.activities.models import Activity
from app.errors import ValidationFailed
from app.targets import services
from app.targets.models import SkpStatus
from tests.targets.factories import YEAR, cascade, make_skp, simple_rhks


def log(db, person, indicator, times):
    for n in range(times):
        db.session.add(Activity(org_id=person.org_id, person_id=person.id,
                                date=date(YEAR, 3, 1 + n), description=f"Kegiatan {n}",
                                target_id=indicator.id))
    db.session.commit()


def test_picker_puts_the_most_used_first(db, world):
    head_skp, sup_skp, _ = cascade(world.one)
    skp = make_skp(world.one.staff_a2, parent=sup_skp.rhks[0], status=SkpStatus.APPROVED,
                   rhks=[("tambahan", "Tugas tambahan", [("kuantitas", "Rapat", 4, "kegiatan")]),
                         *simple_rhks("Staf", 2)])
    utama = [r for r in skp.rhks if r.kind.value == "utama"]
    tambahan = [r for r in skp.rhks if r.kind.value == "tambahan"][0]
    picker = services.targets_for_picker(world.one.staff_a2, date(YEAR, 6, 1))
    assert picker.provisional is False and picker.skp.id == skp.id
    # Unused: utama before tambahan, then by position.
    assert [t.rhk_id for t in picker] == [utama[0].id, utama[1].id, tambahan.id]
    log(db, world.one.staff_a2, tambahan.indicators[0], 3)
    log(db, world.one.staff_a2, utama[1].indicators[0], 1)
    log(db, world.one.staff_a1, utama[0].indicators[0], 5)  # someone else's use: not counted
    picker = services.targets_for_picker(world.one.staff_a2, date(YEAR, 6, 1))
    assert [(t.rhk_id, t.usage) for t in picker] == [
        (tambahan.id, 3), (utama[1].id, 1), (utama[0].id, 0)]
    first = picker.targets[0]
    assert (first.unit, first.target_quantity, first.rhk_kind) == ("kegiatan", 4, "tambahan")


def test_picker_falls_back_to_an_unapproved_skp_and_says_so(db, world):
    _, _, staff_skp = cascade(world.one, staff_status=SkpStatus.SUBMITTED)
    picker = services.targets_for_picker(world.one.staff_a1, date(YEAR, 1, 15))
    assert picker.provisional is True
    assert [t.id for t in picker] == [staff_skp.rhks[0].indicators[0].id]
    assert all(t.provisional and t.skp_status == "submitted" for t in picker)


def test_picker_is_empty_without_an_skp_for_that_year(db, world):
    cascade(world.one)
    picker = services.targets_for_picker(world.one.staff_a1, date(YEAR + 1, 1, 2))
    assert len(picker) == 0 and picker.skp is None and not picker


def test_targets_endpoint_lists_the_picker(api, world, db):
    _, _, staff_skp = cascade(world.one, staff_status=SkpStatus.APPROVED)
    indicator = staff_skp.rhks[0].indicators[0]
    log(db, world.one.staff_a1, indicator, 2)
    api.login(world.one.staff_a1)
    body = api.get(f"/api/v1/targets?date={YEAR}-05-02").get_json()
    assert body == [{
        "id": indicator.id, "rhk_id": staff_skp.rhks[0].id, "rhk": "Staf hasil 1",
        "rhk_kind": "utama", "aspect": "kuantitas", "indicator": "Jumlah dokumen Staf 1",
        "target_min": "12.00", "target_max": None, "target_quantity": "12.00",
        "unit": "dokumen", "usage": 2, "skp_id": staff_skp.id, "skp_status": "approved",
        "provisional": False}]
    assert api.get(f"/api/v1/targets?date={YEAR + 1}-05-02").get_json() == []
    assert api.get("/api/v1/targets?date=kemarin").status_code == 422


def test_indicator_with_activities_cannot_be_deleted(db, world):
    _, _, staff_skp = cascade(world.one)
    indicator = staff_skp.rhks[0].indicators[0]
    log(db, world.one.staff_a1, indicator, 1)
    with pytest.raises(ValidationFailed):
        services.delete_indicator(world.one.staff_a1, indicator, staff_skp.version)
    with pytest.raises(ValidationFailed):
        services.delete_rhk(world.one.staff_a1, staff_skp.rhks[0], staff_skp.version)


def test_top_of_the_line_is_approved_by_the_hr_administrator(db, world):
    skp = make_skp(world.one.head, rhks=simple_rhks("Kepala"), status=SkpStatus.SUBMITTED)
    assert not services.can_review(world.one.sup_a, skp)
    assert not services.can_review(world.two.admin, skp)
    assert services.can_review(world.one.admin, skp)
