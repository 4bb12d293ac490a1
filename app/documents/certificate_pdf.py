"""The certificate of recognition (*piagam penghargaan*) for a Sangat Baik predikat, the
recognition side of the follow-up in PermenPANRB 6/2022, as a one-page landscape PDF.

:func:`render_certificate` takes a plain dict::

    {"organisation", "number", "name", "nip", "jabatan", "unit", "period", "predikat",
     "issued_on": date, "appraiser": {"name", "nip"} | None}
"""

from flask_babel import gettext as _

from app.documents.formats import long_date
from app.documents.pdf_base import Document


def render_certificate(data: dict) -> bytes:
    doc = Document(_("Certificate of recognition"), orientation="L")
    doc.set_line_width(1.2)
    doc.rect(10, 10, doc.w - 20, doc.h - 20)
    doc.set_line_width(0.3)
    doc.rect(13, 13, doc.w - 26, doc.h - 26)
    doc.set_y(26)
    doc.heading(data["organisation"], size=13)
    doc.ln(6)
    doc.heading(_("CERTIFICATE OF RECOGNITION"), size=22)
    doc.line_text(_("Number: %(number)s", number=data["number"]), size=10, align="C")
    doc.ln(8)
    doc.line_text(_("is awarded to"), size=11, align="C")
    doc.ln(2)
    doc.heading(data["name"], size=18)
    doc.line_text(_("NIP %(nip)s", nip=data["nip"]), size=11, align="C")
    doc.line_text(f"{data['jabatan']} \u2014 {data['unit']}", size=11, align="C")
    doc.ln(6)
    doc.line_text(_("for performance rated %(predikat)s in the evaluation of %(period)s.",
                    predikat=data["predikat"], period=data["period"]), size=12, align="C")
    doc.line_text(_("With our thanks and appreciation: may it inspire continued excellent "
                    "service."), size=10, align="C")
    doc.ln(4)
    appraiser = data.get("appraiser")
    doc.signatures(None, {"above": [long_date(data["issued_on"])],
                          "role": _("Appraising official"), "person": appraiser})
    return doc.render()
