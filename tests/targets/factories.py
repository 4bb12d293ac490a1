"""SKPs built through the real services, for tests of targets and of what uses them."""

from decimal import Decimal

from app.extensions import db
from app.targets import services
from app.targets.models import Skp, SkpStatus

YEAR = 2026


def make_skp(person, year=YEAR, approach="kuantitatif", rhks=(), parent=None,
             status=SkpStatus.DRAFT, approver=None) -> Skp:
    """An SKP for ``person`` with RHKs given as ``(kind, description, [indicator, ...])``.

    Indicators are ``(aspect, description, target, unit)``. Non-JPT RHKs support ``parent``
    (an RHK of the supervisor's approved SKP); JPT ones get a perspective. ``status`` is
    reached through the workflow (``approver`` defaults to the supervisor).
    """
    skp = services.create_skp(person, year, approach)
    for kind, description, indicators in rhks:
        values = {"kind": kind, "description": description}
        if skp.is_jpt:
            values["perspective"] = "penerima_layanan"
        else:
            values["parent_rhk_id"] = parent.id if parent is not None else None
        rhk = services.add_rhk(person, skp, skp.version, values)
        for aspect, text, target, unit in indicators:
            services.add_indicator(person, rhk, skp.version, {
                "aspect": aspect, "description": text,
                "target_min": Decimal(str(target)) if target is not None else None,
                "unit": unit})
    if status in (SkpStatus.SUBMITTED, SkpStatus.APPROVED, SkpStatus.RETURNED):
        services.submit(person, skp)
    if status == SkpStatus.APPROVED:
        services.approve(approver or person.supervisor, skp)
    elif status == SkpStatus.RETURNED:
        services.return_skp(approver or person.supervisor, skp, "Perbaiki target.")
    db.session.commit()
    return skp


def simple_rhks(label: str, count: int = 1):
    """``count`` main RHKs, each with one quantity indicator of 12 dokumen."""
    return [("utama", f"{label} hasil {n}", [("kuantitas", f"Jumlah dokumen {label} {n}",
                                                12, "dokumen")])
            for n in range(1, count + 1)]


def cascade(org, year=YEAR, staff_status=SkpStatus.DRAFT):
    """Approved SKPs for the head (JPT; approved by the admin) and sup_a; staff_a1's SKP.

    Returns ``(head_skp, sup_skp, staff_skp)``.
    """
    head_skp = make_skp(org.head, year, rhks=simple_rhks("Kepala"), status=SkpStatus.APPROVED,
                        approver=org.admin)
    sup_skp = make_skp(org.sup_a, year, rhks=simple_rhks("Bidang", 2),
                       parent=head_skp.rhks[0], status=SkpStatus.APPROVED)
    staff_skp = make_skp(org.staff_a1, year, rhks=simple_rhks("Staf"),
                         parent=sup_skp.rhks[0], status=staff_status)
    return head_skp, sup_skp, staff_skp


def other_org_ids(world) -> dict:
    """Ids of an SKP, RHK and indicator of the second organisation (made once per test)."""
    skp = services.skp_of(world.two.head, YEAR)
    if skp is None:
        skp = make_skp(world.two.head, rhks=simple_rhks("Dua"))
    rhk = skp.rhks[0]
    return {"skp_id": skp.id, "rhk_id": rhk.id, "indicator_id": rhk.indicators[0].id}
