"""A one-sheet XLSX workbook written as it is sent: the first bytes leave before the last row.

openpyxl builds the whole archive before the first byte (35 s for 100,000 requests). Here the
ZIP is written to a sink that cannot seek, so :mod:`zipfile` puts each member's sizes in a data
descriptor after its data, and the sheet's XML is compressed row by row and handed to the
response between batches. Memory stays that of one batch.

What it writes, and how a spreadsheet reads it back:

- text as inline strings (``t="inlineStr"``): never evaluated, so ``=1+1`` stays text;
- numbers as numbers; ``True``/``False`` as "Có"/"Không" (done by the caller);
- dates and times as serial numbers with a date or date-time format (local time, no zone);
- characters XML 1.0 cannot carry (C0 controls other than tab, newline, return) are dropped.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = (
    ("/xl/workbook.xml", f"{_OOXML}.sheet.main+xml"),
    ("/xl/worksheets/sheet1.xml", f"{_OOXML}.worksheet+xml"),
    ("/xl/styles.xml", f"{_OOXML}.styles+xml"),
)
_CONTENT_TYPES = (
    _HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" '
    + 'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    + '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in _PARTS)
    + "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
#: Cell styles: 0 general, 1 date (built-in format 14), 2 date and time (format 164), 3 bold.
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = _HEAD + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
_SHEET_START += '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
_SHEET_START += "</sheetView></sheetViews><sheetData>"
_SHEET_END = "</sheetData></worksheet>"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime.datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.date()
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class _Sink:
    """A write-only stream with no ``seek``: what was written is taken out with :meth:`drain`."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._offset = 0

    def write(self, data: bytes, /) -> int:
        self._parts.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _column_names(count: int) -> list[str]:
    names = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        names.append(name)
    return names


def _text_cell(ref: str, value: str, style: str = "") -> str:
    text = escape(_NOT_XML.sub("", value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell(ref: str, value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _text_cell(ref, value) if value else ""
    if value is None:
        return ""
    if kind is int or kind is float or kind is Decimal:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind is datetime.datetime:
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    if kind is datetime.date:
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH_DAY).days}</v></c>'
    return _text_cell(ref, str(value))


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31] or "Sheet1"


def xlsx_stream(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 500
) -> Iterator[bytes]:
    """The workbook's bytes, a batch of rows at a time; the header row is bold and frozen.

    ``rows`` hold str, int, float, Decimal, date, naive or aware datetime (written as given:
    convert to local time first) or None; anything else is written as its text.
    """
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3)
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    name = escape(sheet_title(title), {'"': "&quot;"})
    workbook = (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    archive.writestr("xl/workbook.xml", workbook)
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    archive.writestr("xl/styles.xml", _STYLES)
    yield sink.drain()

    columns = _column_names(len(headers))
    with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
        pairs = zip(columns, headers, strict=True)
        head = "".join(_text_cell(f"{column}1", str(text), ' s="3"') for column, text in pairs)
        sheet.write(f'{_SHEET_START}<row r="1">{head}</row>'.encode())
        lines: list[str] = []
        number = 1
        for row in rows:
            number += 1
            cells = "".join(
                _cell(f"{column}{number}", value)
                for column, value in zip(columns, row, strict=False)
            )  # fmt: skip
            lines.append(f'<row r="{number}">{cells}</row>')
            if len(lines) >= batch:
                sheet.write("".join(lines).encode())
                lines.clear()
                yield sink.drain()
        sheet.write(("".join(lines) + _SHEET_END).encode())
    archive.close()
    yield sink.drain()
