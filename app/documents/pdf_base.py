"""The PDF page every document shares: A4, a Unicode font, page numbers, tables, signatures.

The font is DejaVu Sans when found (``DOCUMENT_FONT_DIR``, else the usual system folders), so
any name or description prints as typed. Without it the built-in Helvetica is used and text
is reduced to Latin-1 (an en dash becomes a hyphen, other characters a question mark).
"""

import logging
import unicodedata
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

logger = logging.getLogger(__name__)

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/dejavu", "/Library/Fonts")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf",
              "I": "DejaVuSans-Oblique.ttf"}
LATIN1_SUBSTITUTES = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                      "…": "...", "•": "-", "\u00a0": " ", "\u202f": " "}

HEADING_FILL = (226, 232, 240)
GROUP_FILL = (241, 245, 249)


def font_dir() -> Path | None:
    configured = current_app.config.get("DOCUMENT_FONT_DIR") if has_app_context() else None
    for folder in ([configured] if configured else []) + list(FONT_DIRS):
        if folder and (Path(folder) / FONT_FILES[""]).is_file() \
                and (Path(folder) / FONT_FILES["B"]).is_file():
            return Path(folder)
    return None


class Document(FPDF):
    """An A4 document with "Page 1 of 3" in the footer and helpers for forms."""

    def __init__(self, title: str, orientation: str = "P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.doc_title = title
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_title(title)
        self.set_creator("Kinerjaku")
        folder = font_dir()
        self.unicode = folder is not None
        if self.unicode:
            for style, name in FONT_FILES.items():
                path = folder / name
                if path.is_file():
                    self.add_font("DejaVu", style, str(path))
            self.family = "DejaVu"
        else:
            logger.info("No DejaVu font found: documents fall back to Latin-1 Helvetica")
            self.family = "Helvetica"
        self.set_font(self.family, size=9)
        self.add_page()

    # --- text ----------------------------------------------------------------------------

    def t(self, text) -> str:
        """``text`` as the current font can print it."""
        text = "" if text is None else str(text)
        if self.unicode:
            return text
        for char, substitute in LATIN1_SUBSTITUTES.items():
            text = text.replace(char, substitute)
        text = unicodedata.normalize("NFC", text)
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float = 9, style: str = "") -> None:
        if style == "I" and self.unicode and "dejavui" not in self.fonts:
            style = ""
        self.set_font(self.family, style=style, size=size)

    def footer(self):
        self.set_y(-11)
        self.font(7.5)
        self.cell(0, 5, self.t(_("Page %(page)s of %(pages)s", page=self.page_no(),
                                 pages="{nb}")), align="C")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.t(self.doc_title), align="L")

    def heading(self, text: str, size: float = 12, align: str = "C") -> None:
        self.font(size, "B")
        self.multi_cell(0, size * 0.5, self.t(text), align=align,
                        new_x="LMARGIN", new_y="NEXT")

    def line_text(self, text: str, size: float = 9, style: str = "", align: str = "L") -> None:
        self.font(size, style)
        self.multi_cell(0, 5, self.t(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def section(self, text: str) -> None:
        """A section title; starts a new page when fewer than 30 mm are left."""
        if self.will_page_break(30):
            self.add_page()
        self.ln(3)
        self.font(10.5, "B")
        self.cell(0, 7, self.t(text), new_x="LMARGIN", new_y="NEXT")
        self.font(9)

    # --- tables --------------------------------------------------------------------------

    def grid(self, headings, rows, widths, *, aligns=None, size: float = 8.5):
        """A table whose cells wrap long text and whose headings repeat on every page.

        ``rows`` are sequences of cell texts, or ``("group", text)`` for a full-width row
        (e.g. "A. UTAMA") and ``("span", [(text, colspan), ...])`` for merged cells.
        """
        self.font(size)
        aligns = aligns or ["L"] * len(widths)
        heading_style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        group_style = FontFace(emphasis="BOLD", fill_color=GROUP_FILL)
        with self.table(col_widths=widths, width=sum(widths), align="LEFT",
                        text_align=tuple(aligns), headings_style=heading_style,
                        line_height=size * 0.5, padding=1.2, repeat_headings=1,
                        v_align="TOP") as table:
            heading_row = table.row()
            for text in headings:
                heading_row.cell(self.t(text), align="C")
            for row in rows:
                cells = table.row()
                if isinstance(row, tuple) and len(row) == 2 and row[0] == "group":
                    cells.cell(self.t(row[1]), colspan=len(widths), style=group_style,
                               align="L")
                elif isinstance(row, tuple) and len(row) == 2 and row[0] == "span":
                    for text, span in row[1]:
                        cells.cell(self.t(text), colspan=span, align="L")
                else:
                    for text in row:
                        cells.cell(self.t(text))
        self.ln(2)

    def fields(self, pairs, label_width: float = 45, size: float = 9) -> None:
        """"Label : value" lines, values wrapping under themselves."""
        for label, value in pairs:
            self.font(size)
            y = self.get_y()
            self.multi_cell(label_width, 5, self.t(label), new_x="RIGHT", new_y="TOP")
            self.cell(4, 5, ":")
            self.multi_cell(0, 5, self.t(value), new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), y + 5))

    # --- signatures ----------------------------------------------------------------------

    def signatures(self, left: dict | None, right: dict | None) -> None:
        """Two signature blocks side by side: each ``{"above": [lines], "role": label,
        "person": {"name", "nip", ...} | None}``; room to sign between role and name."""
        height = 52
        if self.will_page_break(height):
            self.add_page()
        self.ln(4)
        top = self.get_y()
        half = (self.w - self.l_margin - self.r_margin) / 2
        for index, block in enumerate((left, right)):
            if not block:
                continue
            x = self.l_margin + index * half
            self.set_xy(x, top)
            self.font(9)
            for line in block.get("above", []):
                self.set_x(x)
                self.multi_cell(half, 5, self.t(line), align="C", new_x="LEFT",
                                new_y="NEXT")
            self.set_x(x)
            self.multi_cell(half, 5, self.t(block["role"]), align="C", new_x="LEFT",
                            new_y="NEXT")
            self.set_xy(x, self.get_y() + 20)
            person = block.get("person") or {}
            self.font(9, "B")
            self.multi_cell(half, 5, self.t(person.get("name") or "(" + "." * 40 + ")"),
                            align="C", new_x="LEFT", new_y="NEXT")
            self.font(9)
            self.set_x(x)
            self.multi_cell(half, 5, self.t(_("NIP %(nip)s", nip=person.get("nip") or "-")),
                            align="C", new_x="LEFT", new_y="NEXT")
        self.set_xy(self.l_margin, top + height)

    def render(self) -> bytes:
        return bytes(self.output())
