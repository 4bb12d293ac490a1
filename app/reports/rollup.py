"""The cascade seen from above: what the team's RHK that support each of a supervisor's RHK
have achieved (*RHK atasan yang diintervensi*, PermenPANRB 6/2022 and the Matriks Peran
Hasil). Computed with the same realisation as everything else, for the whole team at once."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.org.models import Person
from app.reports.realisation import expected_share, on_track, realisation
from app.targets.models import Rhk, Skp


def _supporting(skp: Skp) -> list:
    """The RHK (of SKPs of the same organisation and year) whose parent is one of ``skp``'s."""
    own = [rhk.id for rhk in skp.rhks]
    if not own:
        return []
    return db.session.execute(
        sa.select(Rhk.id, Rhk.parent_rhk_id, Rhk.description, Skp.person_id)
        .join(Skp, Rhk.skp_id == Skp.id)
        .where(Rhk.parent_rhk_id.in_(own), Skp.org_id == skp.org_id, Skp.year == skp.year)
        .order_by(Skp.person_id, Rhk.position, Rhk.id)).all()


def _person_on_track(indicators: list[dict], share) -> bool | None:
    """On track when no judged indicator is behind; None when none can be judged yet."""
    judged = [verdict for verdict in (on_track(row, share) for row in indicators)
              if verdict is not None]
    return all(judged) if judged else None


def team_rollup(skp: Skp, start: date, end: date, today: date) -> dict[int, dict]:
    """Per RHK of ``skp``: each team member's RHK that support it, with their indicators,
    and the share of those people on track (of the ones that can be judged)::

        {rhk_id: {"people": [{"person": Person, "on_track": bool | None,
                              "rhks": [{"rhk_id", "description",
                                        "indicators": [realisation rows]}]}],
                  "on_track": 2, "judged": 3, "share_on_track": 66.7 | None}}
    """
    supporting = _supporting(skp)
    if not supporting:
        return {}
    ids = sorted({row.person_id for row in supporting})
    people = {person.id: person for person in db.session.scalars(
        sa.select(Person).where(Person.id.in_(ids)))}
    rows = realisation(ids, start, end, org_id=skp.org_id)
    share = expected_share(start, end, today)
    result: dict[int, dict] = {}
    for child in supporting:
        entry = result.setdefault(child.parent_rhk_id, {"people": {}})
        member = entry["people"].setdefault(child.person_id, {
            "person": people[child.person_id], "rhks": []})
        member["rhks"].append({
            "rhk_id": child.id, "description": child.description,
            "indicators": [row for row in rows.get(child.person_id, [])
                           if row["rhk_id"] == child.id]})
    for entry in result.values():
        entry["people"] = sorted(entry["people"].values(),
                                 key=lambda member: (member["person"].name,
                                                     member["person"].id))
        for member in entry["people"]:
            member["on_track"] = _person_on_track(
                [row for rhk in member["rhks"] for row in rhk["indicators"]], share)
        verdicts = [member["on_track"] for member in entry["people"]
                    if member["on_track"] is not None]
        entry["on_track"] = sum(verdicts)
        entry["judged"] = len(verdicts)
        entry["share_on_track"] = (round(100 * entry["on_track"] / entry["judged"], 1)
                                   if verdicts else None)
    return result
