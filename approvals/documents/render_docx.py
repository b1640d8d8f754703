"""The working copy: a DOCX the office edits, prints and signs (same layout as the PDF).

Times New Roman 13 pt (the font offices have; the PDF uses the metric-compatible Liberation
Serif), A4, NĐ 30 margins, the two-column header as a borderless table, page numbers centred
at the top from page 2.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from approvals.documents.render_pdf import LEFT, RIGHT, TEXT_WIDTH, write_parts

FONT = "Times New Roman"
BODY_SIZE = 13
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_SIZE,
    underline: bool = False,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    run.font.size = Pt(size)


def _line(container: Any, text: str, *, align: Any = CENTER, **style: Any) -> Paragraph:
    """A paragraph of one run, no space after; ``style`` is the run's (see :func:`_run`)."""
    paragraph: Paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)
    return paragraph


def _short_rule(cell: _Cell, width_mm: float, rule_mm: float) -> None:
    """A centred short line: an empty paragraph with a bottom border, indented both sides."""
    paragraph = cell.add_paragraph()
    indent = Mm(max((width_mm - rule_mm) / 2, 0))
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_after = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph.paragraph_format.element.get_or_add_pPr().append(borders)
    _run(paragraph, "", size=2)


def _fix_widths(table: Table, widths: list[Length], *, padding_mm: float | None = None) -> None:
    """Column widths every office suite honours: the grid, each cell and the table's own width.

    python-docx sets only the cells' widths and leaves equal ``w:gridCol`` columns; Word follows
    the cells but LibreOffice follows the grid, so there the header's right column was too
    narrow and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the date line wrapped. ``padding_mm``
    sets the cells' left and right margins (the header has none, like the PDF's columns).
    """
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    properties = table._tbl.tblPr
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    total.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.insert(0, total)
    if padding_mm is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(int(Mm(padding_mm).twips)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        properties.append(margins)


def _two_columns(doc: DocxDocument, left_mm: float) -> tuple[_Cell, _Cell]:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, [Mm(left_mm), Mm(TEXT_WIDTH - left_mm)], padding_mm=0)
    left, right = table.rows[0].cells
    # A new cell starts with an empty paragraph: reuse it as the first line.
    return left, right


def _first(cell: _Cell, text: str, **style: Any) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = style.pop("align", CENTER)
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)


def _page_numbers(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)
    _page_numbers(doc)


def _header(doc: DocxDocument, content: dict[str, Any]) -> None:
    issuer = content["issuer"]
    left, right = _two_columns(doc, 62)
    lines = [(line, False) for line in issuer["parent_lines"]]
    lines += [(line, True) for line in issuer["name_lines"]]
    _first(left, lines[0][0], bold=lines[0][1], size=12)
    for text, bold in lines[1:]:
        _line(left, text, bold=bold, size=12)
    _short_rule(left, 62, 25)
    _line(left, f"Số: {content['number_text']}")
    if not content.get("title") and content.get("summary"):
        _line(left, content["summary"], size=12)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True)
    _line(right, "")
    _line(right, content["date_line"], italic=True)


def _title(doc: DocxDocument, content: dict[str, Any]) -> None:
    doc.add_paragraph()
    if content.get("title"):
        _line(doc, content["title"], bold=True, size=14)
        _line(doc, content["summary"], bold=True, size=14)
        _line(doc, "")
    if content.get("authority"):
        _line(doc, content["authority"], bold=True, size=14)
        _line(doc, "")
    recipients = content.get("kinh_gui") or []
    if len(recipients) == 1:
        _line(doc, f"Kính gửi: {recipients[0]}.", size=14)
    elif recipients:
        _line(doc, "Kính gửi:", size=14)
        for i, name in enumerate(recipients):
            end = "." if i == len(recipients) - 1 else ";"
            paragraph = _line(doc, f"- {name}{end}", align=WD_ALIGN_PARAGRAPH.LEFT, size=14)
            paragraph.paragraph_format.left_indent = Mm(45)


def _paragraph(doc: DocxDocument, block: dict[str, Any]) -> None:
    if not block.get("text"):
        return
    paragraph = doc.add_paragraph()
    paragraph.alignment = JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10) if block.get("indent", True) else None
    paragraph.paragraph_format.space_after = Pt(4)
    italic = bool(block.get("italic"))
    if block.get("lead"):
        _run(paragraph, block["lead"] + " ", bold=True, italic=italic)
    _run(paragraph, block["text"], italic=italic)


def _table(doc: DocxDocument, block: dict[str, Any]) -> None:
    table = doc.add_table(rows=1, cols=len(block["columns"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block["widths"])
    widths: list[Length] = [Mm(w * TEXT_WIDTH / total) for w in block["widths"]]
    for cell, title in zip(table.rows[0].cells, block["columns"], strict=True):
        _first(cell, title, bold=True, size=11)
    for values in block["rows"]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _first(cell, value, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _fix_widths(table, widths)
    doc.add_paragraph()


def _body(doc: DocxDocument, content: dict[str, Any]) -> None:
    for basis in content.get("bases") or []:
        _paragraph(doc, {"text": basis, "italic": True})
    for block in content["body"]:
        if block["type"] == "heading":
            _line(doc, block["text"], bold=True, size=14)
        elif block["type"] == "table":
            _table(doc, block)
        else:
            _paragraph(doc, block)


def _signature(doc: DocxDocument, content: dict[str, Any]) -> None:
    left, right = _two_columns(doc, 75)
    _first(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in content["recipients"]:
        _line(left, f"- {line}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    signature = content["signature"]
    _first(right, signature["lines"][0], bold=True)
    for line in signature["lines"][1:]:
        _line(right, line, bold=True)
    for _ in range(4):
        _line(right, "")
    _line(right, signature["name"], bold=True)


def _annex(doc: DocxDocument, annex: dict[str, Any]) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _line(doc, annex["title"], bold=True, size=14)
    _line(doc, annex["subtitle"], italic=True)
    doc.add_paragraph()
    _table(doc, annex["table"])


def render_docx(content: dict[str, Any], *, created: datetime.datetime) -> bytes:
    """The DOCX of a content snapshot; ``created`` fixes the document properties' dates."""
    doc = new_docx()
    _setup(doc)
    properties = doc.core_properties
    properties.title = f"{content['number_text']} {content.get('summary', '')}".strip()
    properties.author = content["issuer"]["short_name"]
    properties.language = "vi-VN"
    properties.created = properties.modified = created.replace(tzinfo=None)
    properties.last_modified_by = content["issuer"]["short_name"]
    properties.revision = 1
    write_parts(doc, content, (_header, _title, _body, _signature), _annex)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
