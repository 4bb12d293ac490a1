"""The activation sheet: A4 pages of cut-out slips, one per person, to hand codes out on paper.

Each slip carries the person's name, NIP and jabatan, their code, its expiry, the address to
open and three steps, in Bahasa Indonesia whatever the administrator's language: the slips
go to every ASN of the unit. Dashed lines show where to cut.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth.activation import IssuedCode
from app.documents.pdf_base import Document
from app.org.models import Unit

#: Slips per A4 page and the height of one (mm); the page's usable height is about 267 mm.
SLIPS_PER_PAGE = 4
SLIP_HEIGHT = 64
#: Dash and gap of the cut lines (mm).
CUT_DASH = (2.5, 1.5)


def local_expiry(issued: IssuedCode, timezone: str, zone_name: str) -> str:
    """"14 Juli 2026 pukul 10.30 WIB": the expiry in the unit's time zone."""
    moment = issued.expires_at.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return _("%(date)s at %(time)s %(zone)s", date=format_date(moment.date(), "d MMMM y",
                                                                locale="id"),
             time=moment.strftime("%H.%M"), zone=zone_name)


class ActivationSheet(Document):
    """A4 portrait, four slips a page, each framed by a dashed cut line."""

    def slip(self, issued: IssuedCode, unit: Unit, address: str, top: float) -> None:
        person = issued.person
        left, width = self.l_margin, self.w - self.l_margin - self.r_margin
        self.set_draw_color(120, 120, 120)
        self.set_dash_pattern(dash=CUT_DASH[0], gap=CUT_DASH[1])
        self.rect(left, top, width, SLIP_HEIGHT - 3)
        self.set_dash_pattern()
        self.set_draw_color(0, 0, 0)
        inner, text_width = left + 4, width / 2 - 6
        self.set_xy(inner, top + 3)
        self.font(11, "B")
        self.cell(text_width, 6, self.t(_("Kinerjaku account activation")),
                  new_x="LEFT", new_y="NEXT")
        self.font(9)
        for label, value in ((_("Name"), person.name), (_("NIP"), person.nip),
                             (_("Position"), person.jabatan), (_("Unit"), person.unit.name)):
            self.set_x(inner)
            self.multi_cell(text_width, 4.6, self.t(f"{label}: {value}"), new_x="LEFT",
                            new_y="NEXT", max_line_height=4.6)
        self.set_x(inner)
        self.font(8.5)
        self.multi_cell(text_width, 4.4, self.t(_("Valid until %(when)s, once.", when=local_expiry(
            issued, unit.timezone, unit.zone_abbreviation))), new_x="LEFT", new_y="NEXT")
        self.code_box(issued.code, left + width / 2, top + 4, width / 2 - 4)
        self.steps(address, left + width / 2, top + 24, width / 2 - 4)

    def code_box(self, code: str, x: float, y: float, width: float) -> None:
        self.set_xy(x, y)
        self.font(8)
        self.cell(width, 4, self.t(_("Activation code")), align="C", new_x="LEFT",
                  new_y="NEXT")
        self.font(18, "B")
        self.cell(width, 12, code, border=1, align="C", new_x="LEFT", new_y="NEXT")

    def steps(self, address: str, x: float, y: float, width: float) -> None:
        self.set_xy(x, y)
        self.font(8)
        for line in (_("1. Open %(address)s", address=address),
                     _("2. Enter your NIP and this code."),
                     _("3. Choose a password of at least 8 characters; you are then signed "
                       "in."),
                     _("Keep this code to yourself. Lost it? Ask your HR administrator (admin "
                       "kepegawaian) for a new one.")):
            self.set_x(x)
            self.multi_cell(width, 4, self.t(line), new_x="LEFT", new_y="NEXT")


def activation_sheet(unit: Unit, issued: list[IssuedCode], address: str) -> bytes:
    """The PDF of the slips for ``issued`` (codes just issued to the unit's people)."""
    with force_locale("id"):
        sheet = ActivationSheet(_("Activation codes: %(unit)s", unit=unit.name))
        sheet.set_auto_page_break(False)
        top = sheet.t_margin
        for index, each in enumerate(issued):
            if index and index % SLIPS_PER_PAGE == 0:
                sheet.add_page()
                top = sheet.t_margin
            sheet.slip(each, unit, address, top)
            top += SLIP_HEIGHT
        return sheet.render()
