"""The evaluation form (*Evaluasi Kinerja Pegawai*): its data and its PDF."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import format_decimal

from app.evaluations.berakhlak import VALUES
from app.evaluations.labels import (
    ORG_PREDIKAT_LABELS,
    PERIOD_KIND_LABELS,
    PREDIKAT_LABELS,
    RATING_LABELS,
    STATUS_LABELS,
)
from app.evaluations.models import EvaluationIndicator
from app.evaluations.services.common import get_evaluation
from app.evaluations.services.units import percent, unit_predicate
from app.org.models import Person
from app.targets.models import Indicator


def _person_block(person: Person | None) -> dict | None:
    if person is None:
        return None
    pangkat = ", ".join(part for part in (person.pangkat, person.golongan) if part)
    return {"name": person.name, "nip": person.nip, "pangkat": pangkat,
            "jabatan": person.jabatan, "unit": person.unit.name}


def _target_text(indicator: Indicator) -> str:
    if indicator.target_min is None:
        return indicator.target_text or ""
    low = format_decimal(indicator.target_min, format="#,##0.##")
    if indicator.target_max is not None and indicator.target_max != indicator.target_min:
        low = f"{low}–{format_decimal(indicator.target_max, format='#,##0.##')}"
    return f"{low} {indicator.unit}".strip()


def _realisation_text(row: EvaluationIndicator | None, indicator: Indicator) -> str:
    if row is None:
        return ""
    text = f"{format_decimal(row.approved_quantity, format='#,##0.##')} {indicator.unit}"
    if row.approved_percent is not None:
        text += f" ({percent(Decimal(row.approved_percent) / 100)})"
    return text.strip()


def _local_date(moment: datetime | None, person: Person) -> date | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(person.timezone)).date()


def document_data(actor: Person, evaluation_id: int) -> dict:
    """Everything the evaluation form (PDF) shows, labels in the current language."""
    from app.targets.views import ASPECT_LABELS, PERSPECTIVE_LABELS

    evaluation = get_evaluation(actor, evaluation_id)
    person, period = evaluation.person, evaluation.period
    appraiser = evaluation.appraiser or person.supervisor
    snapshot = {row.indicator_id: row for row in evaluation.indicators}
    rhk_items = []
    for row in evaluation.rhks:
        rhk = row.rhk
        rhk_items.append({
            "kind": rhk.kind.value, "text": rhk.description,
            "parent_text": rhk.parent.description if rhk.parent else None,
            "perspective": str(PERSPECTIVE_LABELS[rhk.perspective]) if rhk.perspective
            else None,
            "indicators": [{"aspect": str(ASPECT_LABELS[i.aspect]), "text": i.description,
                            "target": _target_text(i),
                            "realisation": _realisation_text(snapshot.get(i.id), i)}
                           for i in rhk.indicators],
            "realisation": row.realisation or "", "feedback": row.feedback or "",
            "rating": str(RATING_LABELS[row.rating]) if row.rating else None})
    behaviours = {row.value: row for row in evaluation.behaviours}
    behaviour_items = []
    for core in VALUES:
        row = behaviours.get(core.value)
        behaviour_items.append({"value": core.name, "guides": [str(g) for g in core.guides],
                                "expectation": row.expectation if row else "",
                                "feedback": row.feedback if row else ""})
    unit_row = unit_predicate(person.unit_id, period.id) if evaluation.is_jpt else None
    unit_value = evaluation.unit_predikat or (unit_row.predikat if unit_row else None)
    return {
        "organisation": person.organisation.name, "unit": person.unit.name,
        "period": {"name": period.name, "kind": str(PERIOD_KIND_LABELS[period.kind]),
                   "starts_on": period.starts_on, "ends_on": period.ends_on},
        "employee": _person_block(person),
        "appraiser": _person_block(appraiser),
        "appraiser_superior": _person_block(appraiser.supervisor if appraiser else None),
        "is_jpt": evaluation.is_jpt,
        "unit_predikat": str(ORG_PREDIKAT_LABELS[unit_value]) if unit_value else None,
        "rhk": rhk_items,
        "behaviour": behaviour_items,
        "hasil_kerja": str(RATING_LABELS[evaluation.hasil_kerja])
        if evaluation.hasil_kerja else None,
        "perilaku_kerja": str(RATING_LABELS[evaluation.perilaku_kerja])
        if evaluation.perilaku_kerja else None,
        "predikat": str(PREDIKAT_LABELS[evaluation.predikat]) if evaluation.predikat else None,
        "status": str(STATUS_LABELS[evaluation.status]),
        "assessed_on": _local_date(evaluation.assessed_at, person),
        "acknowledged_on": _local_date(evaluation.acknowledged_at, person),
    }


def document_pdf(actor: Person, evaluation_id: int) -> tuple[bytes, str]:
    """The evaluation form as a PDF, and a file name for it."""
    from app.documents.evaluation_pdf import render_evaluation_pdf

    data = document_data(actor, evaluation_id)
    evaluation = get_evaluation(actor, evaluation_id)
    name = f"evaluasi-kinerja-{evaluation.person.nip}-{evaluation.period_id}.pdf"
    return render_evaluation_pdf(data), name
