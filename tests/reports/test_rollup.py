"""The cascading roll-up on the supervisor's Target page: the team's supporting RHK per
person and indicator, with the share of the team on track; and the split page."""

from datetime import date
from decimal import Decimal

import time_machine

from app.extensions import db as _db
from app.reports.rollup import team_rollup
from app.targets.models import Aspect, Indicator
from tests.evaluations.support import line_skps
from tests.reports.conftest import log
from tests.test_pages import csrf_from, sign_in


def first_indicator(skp):
    """The indicator of "Tersusunnya laporan" (12 laporan)."""
    return next(rhk for rhk in skp.rhks if rhk.description == "Tersusunnya laporan"
                ).indicators[0]


def setup_team(db, world):
    """sup_a's SKP; staff_a1 and staff_a2 support its first RHK with three RHK each. staff_a1
    logged all of them, staff_a2 only 3 of 12 laporan by
    February (and 10 of 40 layanan, 1 of 4 kegiatan); staff_a2's laporan RHK also has a
    Kualitas indicator, unmarked."""
    skps = line_skps(world.one, staff=("staff_a1", "staff_a2"))
    for rhk in skps["staff_a1"].rhks:
        indicator = rhk.indicators[0]
        log(db, world.one.staff_a1, date(2026, 5, 4), target=indicator,
            quantity=indicator.target_min)
    a2 = first_indicator(skps["staff_a2"])
    log(db, world.one.staff_a2, date(2026, 2, 4), target=a2, quantity=3)
    others = {"Terlayaninya warga": 10, "Terbantunya kegiatan": 1}
    for rhk in skps["staff_a2"].rhks:
        if rhk.description in others:
            log(db, world.one.staff_a2, date(2026, 2, 4), target=rhk.indicators[0],
                quantity=others[rhk.description])
    db.session.add(Indicator(rhk_id=a2.rhk_id, aspect=Aspect.KUALITAS, description="Mutu",
                             target_min=Decimal(100), unit="%", position=5))
    db.session.commit()
    return skps


def test_each_rhk_shows_its_supporting_rhk_per_person_and_the_share_on_track(db, world):
    skps = setup_team(db, world)
    sup = skps["sup_a"]

    rollup = team_rollup(sup, date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31))

    assert set(rollup) == {sup.rhks[0].id}  # the second RHK has no support
    team = rollup[sup.rhks[0].id]
    people = {item["person"].id: item for item in team["people"]}
    assert set(people) == {world.one.staff_a1.id, world.one.staff_a2.id}
    a1, a2 = people[world.one.staff_a1.id], people[world.one.staff_a2.id]
    assert a1["on_track"] is True and a2["on_track"] is False
    laporan = {rhk["description"]: rhk for rhk in a1["rhks"]}["Tersusunnya laporan"]
    assert [row["approved"]["value"] for row in laporan["indicators"]] == [Decimal("12.00")]
    # The unmarked Kualitas indicator is listed but not judged.
    laporan = {rhk["description"]: rhk for rhk in a2["rhks"]}["Tersusunnya laporan"]
    assert [row["measure"] for row in laporan["indicators"]] == ["quantity", "quality"]
    assert laporan["indicators"][1]["approved"]["value"] is None
    assert (team["on_track"], team["judged"], team["share_on_track"]) == (1, 2, 50.0)


def test_on_track_is_pro_rata_during_the_year(db, world):
    skps = setup_team(db, world)
    sup = skps["sup_a"]
    # Early in March less than a fifth of the year has passed: 3 of 12 is on track then.
    rollup = team_rollup(sup, date(2026, 1, 1), date(2026, 12, 31), date(2026, 3, 5))
    assert rollup[sup.rhks[0].id]["share_on_track"] == 100.0
    later = team_rollup(sup, date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 1))
    assert later[sup.rhks[0].id]["share_on_track"] == 50.0


def test_another_organisation_never_rolls_up(db, world):
    skps = setup_team(db, world)
    stranger = line_skps(world.two)["staff_a1"]
    stranger.rhks[0].parent_rhk_id = skps["sup_a"].rhks[0].id  # a forged link
    db.session.commit()

    rollup = team_rollup(skps["sup_a"], date(2026, 1, 1), date(2026, 12, 31),
                         date(2026, 12, 31))

    ids = {item["person"].id for item in rollup[skps["sup_a"].rhks[0].id]["people"]}
    assert world.two.staff_a1.id not in ids


def test_the_supervisors_target_page_shows_the_roll_up(client, db, world):
    setup_team(db, world)
    with time_machine.travel("2026-12-30T03:00:00+00:00", tick=False):
        sign_in(client, world.one.sup_a)
        html = client.get("/target?year=2026").get_data(as_text=True)

    assert "Didukung oleh tim" in html
    assert "1 dari 2 pegawai sesuai jalur (50 %)" in html
    assert world.one.staff_a1.name in html and world.one.staff_a2.name in html
    assert "tertinggal" in html


def test_the_split_page_saves_quarters_and_keeps_what_was_typed(client, db, world):
    from tests.reports.conftest import make_skp

    targets = make_skp(db, world.one.staff_a1)
    sign_in(client, world.one.staff_a1)
    url = f"/target/indikator/{targets.dokumen.id}/periode"
    page = client.get(url).get_data(as_text=True)
    assert "Triwulan II" in page

    wrong = client.post(url, data={"csrf_token": csrf_from(page), "version":
                                   targets.skp.version, "target_1": "3", "target_2": "3",
                                   "target_3": "3", "target_4": "9"})
    assert wrong.status_code == 422
    assert 'value="9"' in wrong.get_data(as_text=True)
    saved = client.post(url, data={"csrf_token": csrf_from(page), "version":
                                   targets.skp.version, "target_1": "3", "target_2": "3",
                                   "target_3": "3", "target_4": "3"})
    assert saved.status_code == 303
    _db.session.refresh(targets.dokumen)
    assert [part.target for part in targets.dokumen.period_targets] == [Decimal(3)] * 4
