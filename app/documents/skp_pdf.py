"""The SKP (Sasaran Kinerja Pegawai, PermenPANRB 6/2022) as a printable PDF.

:func:`render_skp_pdf` takes the SKP as a plain dict (built in ``app.targets.document``),
so this module knows nothing of the database::

    {"organisation", "year", "approach", "status", "is_jpt",
     "period": {"starts_on": date, "ends_on": date},
     "employee": {"name", "nip", "pangkat", "jabatan", "unit"},
     "appraiser": {...} | None,
     "rhk": [{"kind": "utama"|"tambahan", "text", "parent_text", "perspective",
              "indicators": [{"aspect", "text", "target", "split"}]}],
     "expectations": [{"value", "guides": [3 str], "text"}],
     "annex": {"resource_support", "accountability", "consequences"},
     "place", "signed_on": date | None}
"""

from flask_babel import gettext as _

from app.documents.evaluation_pdf import PERSON_ROWS
from app.documents.formats import short_date
from app.documents.pdf_base import Document

BLANK = "...................."


def _person_rows(doc: dict) -> list[list[str]]:
    labels = {"name": _("Name"), "nip": _("NIP"), "pangkat": _("Rank / grade"),
              "jabatan": _("Position"), "unit": _("Work unit")}
    people = (doc.get("employee"), doc.get("appraiser"))
    return [[f"{number}. {labels[key]}"] + [(person or {}).get(key) or "-" for person in people]
            for number, (key, _label) in enumerate(PERSON_ROWS, start=1)]


def _rhk_text(item: dict, is_jpt: bool) -> str:
    text = item.get("text") or ""
    if item.get("parent_text") and not is_jpt:
        text += "\n" + _("Supervisor's RHK supported: %(text)s", text=item["parent_text"])
    return text


def _rhk_rows(items: list[dict], is_jpt: bool) -> list:
    """Rows grouped A. UTAMA / B. TAMBAHAN; the RHK's text only on its first indicator."""
    rows, number = [], 0
    columns = 5 if is_jpt else 4
    for kind, title in (("utama", _("A. MAIN")), ("tambahan", _("B. ADDITIONAL"))):
        rows.append(("group", title))
        chosen = [item for item in items if item.get("kind") == kind]
        if not chosen:
            rows.append(("span", [("-", columns)]))
        for item in chosen:
            number += 1
            for index, indicator in enumerate(item.get("indicators") or [{}]):
                first = index == 0
                target = indicator.get("target") or ""
                if indicator.get("split"):
                    target += "\n" + indicator["split"]
                row = [str(number) if first else "", _rhk_text(item, is_jpt) if first else "",
                       f"{indicator.get('aspect') or ''}\n{indicator.get('text') or ''}".strip(),
                       target]
                if is_jpt:
                    row.append(item.get("perspective") or "" if first else "")
                rows.append(row)
    return rows


def _expectation_rows(items: list[dict]) -> list:
    rows = []
    for number, item in enumerate(items, start=1):
        guides = "\n".join(f"• {guide}" for guide in item.get("guides") or [] if guide)
        rows.append([str(number), f"{item.get('value') or ''}\n{guides}".strip(),
                     item.get("text") or "-"])
    return rows


def render_skp_pdf(doc: dict) -> bytes:
    """The SKP as PDF bytes: header, both parties, results, behaviour with the leader's
    expectations, the lampiran and signature blocks. Long texts wrap inside their cells;
    table headings repeat after a page break."""
    period = doc.get("period") or {}
    is_jpt = bool(doc.get("is_jpt"))
    pdf = Document(_("Employee performance target (SKP)"), orientation="P")
    pdf.heading(_("EMPLOYEE PERFORMANCE TARGET"), 13)
    pdf.heading(_("SENIOR EXECUTIVE (JPT)") if is_jpt else
                _("ADMINISTRATIVE / FUNCTIONAL POSITION"), 10.5)
    pdf.line_text(_("%(start)s to %(end)s", start=short_date(period.get("starts_on")),
                    end=short_date(period.get("ends_on"))), align="C")
    pdf.ln(2)
    pdf.fields([(_("Organisation"), doc.get("organisation") or ""),
                (_("Approach"), doc.get("approach") or ""),
                (_("Status"), doc.get("status") or "")], label_width=35)
    pdf.ln(1)
    pdf.grid(["", _("Employee appraised"), _("Appraising official")], _person_rows(doc),
             [30, 75, 75])

    pdf.section(_("WORK RESULTS"))
    headings = ["No", _("Planned work result (RHK)"), _("Individual performance indicator"),
                _("Target")]
    widths = [9, 70, 63, 38]
    if is_jpt:
        headings.append(_("Perspective"))
        widths = [9, 55, 55, 33, 28]
    pdf.grid(headings, _rhk_rows(doc.get("rhk") or [], is_jpt), widths)

    pdf.section(_("WORK BEHAVIOUR (BerAKHLAK)"))
    pdf.grid(["No", _("Work behaviour"), _("Leader's specific expectation")],
             _expectation_rows(doc.get("expectations") or []), [9, 101, 70])

    annex = doc.get("annex") or {}
    pdf.section(_("ANNEX TO THE SKP"))
    pdf.grid(["No", _("Part"), _("Content")],
             [["1", _("Resource support"), annex.get("resource_support") or "-"],
              ["2", _("Accountability scheme"), annex.get("accountability") or "-"],
              ["3", _("Consequences"), annex.get("consequences") or "-"]],
             [9, 50, 121])

    place = doc.get("place") or BLANK
    signed_on = short_date(doc.get("signed_on")) or BLANK
    pdf.signatures(
        {"above": [""], "role": _("Appraising official"), "person": doc.get("appraiser")},
        {"above": [f"{place}, {signed_on}"], "role": _("Employee appraised"),
         "person": doc.get("employee")})
    return pdf.render()
