"""The performance evaluation form (Evaluasi Kinerja Pegawai, PermenPANRB 6/2022) as a PDF.

:func:`render_evaluation_pdf` takes the evaluation as a plain dict (built elsewhere from the
evaluation models), so this module knows nothing of the database::

    {"organisation", "unit",
     "period": {"name", "kind", "starts_on": date, "ends_on": date},
     "employee": {"name", "nip", "pangkat", "jabatan", "unit"},
     "appraiser": {...} | None, "appraiser_superior": {...} | None,
     "is_jpt": bool, "unit_predikat": str | None,
     "rhk": [{"kind": "utama"|"tambahan", "text", "parent_text", "perspective",
              "indicators": [{"aspect", "text", "target", "realisation"}],
              "realisation", "feedback", "rating"}],
     "behaviour": [{"value", "guides": [3 str], "expectation", "feedback"}],
     "hasil_kerja", "perilaku_kerja", "predikat", "status",
     "assessed_on": date | None, "acknowledged_on": date | None}
"""

from flask_babel import gettext as _

from app.documents.formats import ASPECT_LABELS, short_date
from app.documents.pdf_base import Document

PERSON_ROWS = (("name", "Name"), ("nip", "NIP"), ("pangkat", "Rank / grade"),
               ("jabatan", "Position"), ("unit", "Work unit"))


def _person_rows(doc: dict) -> list[list[str]]:
    people = (doc.get("employee"), doc.get("appraiser"), doc.get("appraiser_superior"))
    labels = {"name": _("Name"), "nip": _("NIP"), "pangkat": _("Rank / grade"),
              "jabatan": _("Position"), "unit": _("Work unit")}
    return [[f"{number}. {labels[key]}"] + [(person or {}).get(key) or "-" for person in people]
            for number, (key, _label) in enumerate(PERSON_ROWS, start=1)]


def _rhk_rows(items: list[dict]) -> list:
    rows, number = [], 0
    groups = (("utama", _("A. MAIN")), ("tambahan", _("B. ADDITIONAL")))
    for kind, title in groups:
        rows.append(("group", title))
        chosen = [item for item in items if item.get("kind") == kind]
        if not chosen:
            rows.append(("span", [("-", 6)]))
        for item in chosen:
            number += 1
            rhk_text = item.get("text") or ""
            if item.get("parent_text"):
                rhk_text += "\n" + _("Supervisor's RHK supported: %(text)s",
                                     text=item["parent_text"])
            if item.get("perspective"):
                rhk_text += "\n" + _("Perspective: %(name)s", name=item["perspective"])
            indicators = item.get("indicators") or [{}]
            for index, indicator in enumerate(indicators):
                aspect = indicator.get("aspect") or ""
                rows.append([str(number) if index == 0 else "",
                             rhk_text if index == 0 else "",
                             ASPECT_LABELS.get(aspect.lower(), aspect),
                             indicator.get("text") or "", indicator.get("target") or "",
                             indicator.get("realisation") or ""])
            rows.append(("span", [("", 1), (_("Realisation based on evidence: %(text)s",
                                              text=item.get("realisation") or "-"), 5)]))
            rows.append(("span", [("", 1), (_("Continuous feedback based on evidence: "
                                              "%(text)s", text=item.get("feedback") or "-"),
                                            5)]))
            rows.append(("span", [("", 1), (_("Rating: %(rating)s",
                                              rating=item.get("rating") or "-"), 5)]))
    return rows


def _behaviour_rows(items: list[dict]) -> list:
    rows = []
    for number, item in enumerate(items, start=1):
        guides = "\n".join(f"• {guide}" for guide in item.get("guides") or [] if guide)
        rows.append([str(number), f"{item.get('value') or ''}\n{guides}".strip(),
                     item.get("expectation") or "-", item.get("feedback") or "-"])
    return rows


def render_evaluation_pdf(doc: dict) -> bytes:
    """The evaluation form as PDF bytes: header, people, results, behaviour, predicate,
    signatures. Long texts wrap inside their cells; table headings repeat after a page
    break; every page says "Page n of N"."""
    period = doc.get("period") or {}
    pdf = Document(_("Employee performance evaluation"), orientation="P")
    pdf.heading(_("EMPLOYEE PERFORMANCE EVALUATION"), 13)
    pdf.heading(_("PERIOD: %(name)s", name=(period.get("name") or "").upper()), 10.5)
    pdf.line_text(_("%(start)s to %(end)s (%(kind)s)", start=short_date(period.get("starts_on")),
                    end=short_date(period.get("ends_on")), kind=period.get("kind") or "-"),
                  align="C")
    pdf.ln(2)
    pdf.fields([(_("Organisation"), doc.get("organisation") or ""),
                (_("Work unit"), doc.get("unit") or ""),
                (_("Status"), doc.get("status") or "")], label_width=35)
    pdf.ln(1)
    pdf.grid(["", _("Employee appraised"), _("Appraising official"),
              _("Appraising official's superior")], _person_rows(doc), [27, 51, 51, 51])

    if doc.get("is_jpt"):
        pdf.section(_("ORGANISATION PERFORMANCE ACHIEVEMENT"))
        pdf.line_text(doc.get("unit_predikat") or "-", 10, "B")

    pdf.section(_("WORK RESULTS"))
    pdf.grid(["No", _("Planned work result (RHK)"), _("Aspect"),
              _("Individual performance indicator"), _("Target"), _("Realisation")],
             _rhk_rows(doc.get("rhk") or []), [9, 55, 18, 52, 23, 23])

    pdf.section(_("WORK BEHAVIOUR (BerAKHLAK)"))
    pdf.grid(["No", _("Work behaviour"), _("Leader's specific expectation"),
              _("Continuous feedback based on evidence")],
             _behaviour_rows(doc.get("behaviour") or []), [9, 75, 48, 48])

    pdf.section(_("RATINGS"))
    pdf.grid([_("Work results rating"), _("Work behaviour rating"),
              _("EMPLOYEE PERFORMANCE RATING")],
             [[doc.get("hasil_kerja") or "-", doc.get("perilaku_kerja") or "-",
               doc.get("predikat") or "-"]], [60, 60, 60], aligns=["C", "C", "C"], size=10)

    assessed = short_date(doc.get("assessed_on")) or "...................."
    acknowledged = short_date(doc.get("acknowledged_on")) or "...................."
    pdf.signatures(
        {"above": [_("Acknowledged on %(date)s", date=acknowledged)],
         "role": _("Employee appraised"), "person": doc.get("employee")},
        {"above": [_("Assessed on %(date)s", date=assessed)],
         "role": _("Appraising official"), "person": doc.get("appraiser")})
    return pdf.render()
