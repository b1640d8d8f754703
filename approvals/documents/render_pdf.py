"""The archive copy: a PDF laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I).

A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Liberation Serif
(metric-compatible with Times New Roman, with every Vietnamese glyph; shipped in
``approvals/fonts`` under the SIL Open Font License), embedded as a subset (narrowed once per
process first: ``approvals/documents/fonts.py``). The header has two columns (issuing body and
number on the left, national title, motto, place and date on the right); page numbers are
centred at the top from page 2.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from approvals.documents.fonts import FONT_FILES, FULL, FontSet, fonts_for, strings

# fontTools logs every subsetting step at INFO: noise in the worker's log, one line per glyph.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT = "LiberationSerif"

LEFT, TOP, RIGHT, BOTTOM = 30.0, 20.0, 15.0, 20.0
PAGE_WIDTH = 210.0
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
#: Header columns: issuing body (left) and national title (right).
LEFT_COL = (LEFT, 62.0)
RIGHT_COL = (LEFT + 62.0, TEXT_WIDTH - 62.0)
BODY_SIZE = 13
LINE = 6.2
#: Room the signature block needs; below it, the block starts a new page.
SIGNATURE_ROOM = 55.0


def write_parts(
    target: Any,
    content: dict[str, Any],
    parts: tuple[Callable[[Any, dict[str, Any]], None], ...],
    annex: Callable[[Any, dict[str, Any]], None],
) -> None:
    """The parts of an official letter in their order (header, title, body, signature), then
    the annex on a page of its own when there is one: the PDF and the DOCX follow it alike."""
    for part in parts:
        part(target, content)
    if content.get("annex"):
        annex(target, content["annex"])


class OfficialPDF(FPDF):
    """FPDF with the document font and a page number at the top from page 2."""

    def __init__(self, fonts: FontSet = FULL) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(fonts.folder / name))

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FONT, "", BODY_SIZE)
            self.set_y(10)
            self.cell(0, 6, str(self.page_no()), align="C")
            self.set_y(TOP)

    def font(self, style: str = "", size: float = BODY_SIZE) -> None:
        self.set_font(FONT, style, size)

    def centred(self, x: float, width: float, text: str, style: str, size: float) -> float:
        """Centred lines in a column starting at ``x``; returns the y below them."""
        self.font(style, size)
        self.set_x(x)
        self.multi_cell(width, 5.6, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()

    def rule_under(self, x: float, width: float, length: float, y: float) -> None:
        """A short horizontal line centred in the column (under the issuer or the motto)."""
        start = x + (width - length) / 2
        self.set_line_width(0.3)
        self.line(start, y + 0.6, start + length, y + 0.6)


def _header(pdf: OfficialPDF, content: dict[str, Any]) -> None:
    issuer = content["issuer"]
    top = pdf.get_y()
    x, width = LEFT_COL
    y = top
    for line in issuer["parent_lines"]:
        pdf.set_y(y)
        y = pdf.centred(x, width, line, "", 12)
    for line in issuer["name_lines"]:
        pdf.set_y(y)
        y = pdf.centred(x, width, line, "B", 12)
    pdf.font("B", 12)
    pdf.rule_under(x, width, min(pdf.get_string_width(issuer["name_lines"][-1]), 30.0), y)
    pdf.set_y(y + 3)
    y = pdf.centred(x, width, f"Số: {content['number_text']}", "", BODY_SIZE)
    if not content.get("title") and content.get("summary"):
        pdf.set_y(y)
        y = pdf.centred(x, width, content["summary"], "", 12)
    left_bottom = y

    x, width = RIGHT_COL
    pdf.set_y(top)
    y = pdf.centred(x, width, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 12)
    pdf.set_y(y)
    y = pdf.centred(x, width, "Độc lập - Tự do - Hạnh phúc", "B", BODY_SIZE)
    pdf.font("B", BODY_SIZE)
    pdf.rule_under(x, width, pdf.get_string_width("Độc lập - Tự do - Hạnh phúc"), y)
    pdf.set_y(y + 3)
    y = pdf.centred(x, width, content["date_line"], "I", BODY_SIZE)
    pdf.set_y(max(left_bottom, y) + 6)


def _title(pdf: OfficialPDF, content: dict[str, Any]) -> None:
    if content.get("title"):
        y = pdf.centred(LEFT, TEXT_WIDTH, content["title"], "B", 14)
        pdf.set_y(y)
        y = pdf.centred(LEFT, TEXT_WIDTH, content["summary"], "B", 14)
        pdf.rule_under(LEFT, TEXT_WIDTH, 40.0, y + 1)
        pdf.set_y(y + 5)
    if content.get("authority"):
        pdf.set_y(pdf.centred(LEFT, TEXT_WIDTH, content["authority"], "B", 14) + 3)
    recipients = content.get("kinh_gui") or []
    if recipients:
        pdf.font("", 14)
        if len(recipients) == 1:
            pdf.set_y(pdf.centred(LEFT, TEXT_WIDTH, f"Kính gửi: {recipients[0]}.", "", 14) + 3)
        else:
            start = LEFT + 25
            pdf.set_x(start)
            pdf.cell(22, LINE, "Kính gửi:")
            for i, name in enumerate(recipients):
                end = "." if i == len(recipients) - 1 else ";"
                pdf.set_x(start + 22)
                pdf.multi_cell(
                    TEXT_WIDTH - 47, LINE, f"- {name}{end}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
            pdf.ln(3)


def _paragraph(pdf: OfficialPDF, block: dict[str, Any]) -> None:
    if not block.get("text"):
        return
    style = "I" if block.get("italic") else ""
    with (
        pdf.text_columns(text_align="J", line_height=1.15) as columns,
        columns.paragraph(
            first_line_indent=10 if block.get("indent", True) else 0, bottom_margin=1.8
        ) as paragraph,
    ):
        if block.get("lead"):
            pdf.font("B" + style, BODY_SIZE)
            paragraph.write(block["lead"] + " ")
        pdf.font(style, BODY_SIZE)
        paragraph.write(block["text"])


def _table(pdf: OfficialPDF, block: dict[str, Any]) -> None:
    total = sum(block["widths"])
    widths = tuple(w * TEXT_WIDTH / total for w in block["widths"])
    pdf.ln(1)
    pdf.font("", 11)
    with pdf.table(
        width=TEXT_WIDTH,
        align="LEFT",
        col_widths=widths,
        line_height=5.2,
        text_align="LEFT",
        headings_style=_heading_style(),
        first_row_as_headings=True,
        padding=1,
    ) as table:
        header = table.row()
        for column in block["columns"]:
            header.cell(column, align="CENTER")
        for values in block["rows"]:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)


def _heading_style() -> Any:
    return FontFace(family=FONT, emphasis="BOLD", size_pt=11)


def _body(pdf: OfficialPDF, content: dict[str, Any]) -> None:
    for basis in content.get("bases") or []:
        _paragraph(pdf, {"text": basis, "italic": True})
    for block in content["body"]:
        if block["type"] == "heading":
            pdf.ln(1)
            pdf.set_y(pdf.centred(LEFT, TEXT_WIDTH, block["text"], "B", 14) + 2)
        elif block["type"] == "table":
            _table(pdf, block)
        else:
            _paragraph(pdf, block)


def _signature(pdf: OfficialPDF, content: dict[str, Any]) -> None:
    if pdf.get_y() > pdf.h - BOTTOM - SIGNATURE_ROOM:
        pdf.add_page()
    top = pdf.get_y() + 4
    # Recipients (left, 12 pt bold italic heading, 11 pt items).
    pdf.set_xy(LEFT, top)
    pdf.font("BI", 12)
    pdf.cell(60, 5.5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font("", 11)
    for line in content["recipients"]:
        pdf.set_x(LEFT)
        pdf.multi_cell(75, 5, f"- {line}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()
    # Signature (right): title, room to sign, name.
    x, width = RIGHT_COL
    pdf.set_y(top)
    y = top
    for line in content["signature"]["lines"]:
        pdf.set_y(y)
        y = pdf.centred(x, width, line, "B", BODY_SIZE)
    pdf.set_y(y + 24)
    y = pdf.centred(x, width, content["signature"]["name"] or " ", "B", BODY_SIZE)
    pdf.set_y(max(left_bottom, y))


def _annex(pdf: OfficialPDF, annex: dict[str, Any]) -> None:
    pdf.add_page()
    pdf.set_y(pdf.centred(LEFT, TEXT_WIDTH, annex["title"], "B", 14))
    pdf.set_y(pdf.centred(LEFT, TEXT_WIDTH, annex["subtitle"], "I", BODY_SIZE) + 4)
    _table(pdf, annex["table"])


def render_pdf(content: dict[str, Any], *, created: datetime.datetime) -> bytes:
    """The PDF of a content snapshot; ``created`` fixes the metadata date (issue time)."""
    pdf = OfficialPDF(fonts_for(strings(content)))
    pdf.set_creation_date(created)
    pdf.set_title(f"{content['number_text']} {content.get('summary', '')}".strip())
    pdf.set_author(content["issuer"]["short_name"])
    pdf.set_lang("vi")
    pdf.add_page()
    write_parts(pdf, content, (_header, _title, _body, _signature), _annex)
    return bytes(pdf.output())
