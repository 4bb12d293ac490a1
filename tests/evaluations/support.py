"""Periods, approved SKPs and evaluations for the evaluation tests, through the services."""

from app.evaluations import services
from app.evaluations.models import EvaluationPeriod, PeriodKind
from app.extensions import db
from app.targets.models import SkpStatus
from tests.targets.factories import make_skp, simple_rhks

YEAR = 2026


def quarters(org, year=YEAR) -> dict[str, EvaluationPeriod]:
    """The four quarters and the annual period of ``org`` by name."""
    services.generate_periods(org.admin, year, PeriodKind.QUARTERLY)
    db.session.commit()
    return {p.name: p for p in services.list_periods(org.admin, year)}


STAFF_RHKS = [
        ("utama", "Tersusunnya laporan", [("kuantitas", "Jumlah laporan", 12, "laporan")]),
        ("utama", "Terlayaninya warga", [("kuantitas", "Jumlah layanan", 40, "layanan")]),
        ("tambahan", "Terbantunya kegiatan", [("kuantitas", "Kegiatan", 4, "kegiatan")]),
]


def line_skps(org, staff=("staff_a1",)):
    """Approved SKPs down the line: the head (JPT, approved by the admin), sup_a and sup_b,
    and the named staff (two RHK utama and one tambahan, one quantity indicator each)."""
    head = make_skp(org.head, YEAR, rhks=simple_rhks("Kepala"), status=SkpStatus.APPROVED,
                    approver=org.admin)
    skps = {"head": head}
    for name in ("sup_a", "sup_b"):
        skps[name] = make_skp(getattr(org, name), YEAR, rhks=simple_rhks(name, 2),
                              parent=head.rhks[0], status=SkpStatus.APPROVED)
    for name in staff:
        person = getattr(org, name)
        boss = "sup_a" if person.supervisor_id == org.sup_a.id else "sup_b"
        skps[name] = make_skp(person, YEAR, rhks=STAFF_RHKS, parent=skps[boss].rhks[0],
                              status=SkpStatus.APPROVED)
    return skps


def other_org_ids(world) -> dict:
    """A period, unit and evaluation of the second organisation."""
    periods = quarters(world.two)
    period = periods["Triwulan IV 2026"]
    person = world.two.staff_a1
    line_skps(world.two)
    evaluation, _ = services.open_evaluation(person, period.id)
    link = services.add_evidence(person, evaluation.id, rhk_id=evaluation.rhks[0].rhk_id,
                                 url="https://bukti.example.org/dua")
    db.session.commit()
    return {"period_id": period.id, "evaluation_id": evaluation.id,
            "unit_id": person.unit_id, "evidence_id": link.id}


def fill_realisations(person, evaluation, text="Target tercapai sesuai laporan"):
    """Write a realisation on every RHK, as a self-evaluation needs before it is sent."""
    return services.save_self_evaluation(
        person, evaluation.id, version=evaluation.version,
        rhk=[{"rhk_id": row.rhk_id, "realisation": text} for row in evaluation.rhks])


def submit_through_api(api, body) -> dict:
    """Fill every RHK's realisation through the API, then submit; returns the response's
    JSON (the evaluation, or the error)."""
    filled = api.patch(f"/api/v1/evaluations/{body['id']}", json={
        "version": body["version"],
        "rhk": [{"rhk_id": row["rhk_id"], "realisation": "Target tercapai sesuai laporan"}
                for row in body["rhks"]]}).get_json()
    return api.post(f"/api/v1/evaluations/{body['id']}/submit",
                    json={"version": filled["version"]}).get_json()
