"""Make broken inputs from a valid workbook: openpyxl edits, zip surgery, raw bytes.

Everything starts from the library's own workbook for the bundled 2021
sample (``workbook_bytes``), so a case changes exactly one thing.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from gxreport.inputs.jsonform import report_to_dict
from gxreport.declare.kinds import Registry
from gxreport.checks.rules import derived_totals
from gxreport.inputs.workbook.locate import locate_table
from gxreport.inputs.workbook.reader import read_workbook
from gxreport.inputs.workbook.writer import workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "2021.xlsx"
CORPUS = ROOT / "tests" / "corpus"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@lru_cache(maxsize=1)
def registry() -> Registry:
    return Registry()


@lru_cache(maxsize=1)
def sample_report():
    return read_workbook(SAMPLE, registry())


@lru_cache(maxsize=1)
def base() -> bytes:
    """The sample report written by the library: a valid workbook that checks clean."""
    report = sample_report()
    return workbook_bytes(report.kind, report)


def kind():
    return sample_report().kind


@lru_cache(maxsize=1)
def positions() -> dict[tuple[str, tuple[str, str]], str]:
    """(table id, (record, field)) → cell address in ``base()``."""
    wb = load_workbook(io.BytesIO(base()))
    found = {}
    for table in kind().tables:
        for key, (row, col) in locate_table(wb[table.sheet], table, "base").items():
            found[(table.id, key)] = f"{get_column_letter(col)}{row}"
    return found


def input_cells(table_id: str, value_type: str = "int") -> list[tuple[tuple[str, str], str]]:
    """Typed (not derived) value cells of a table with their addresses, in declaration order."""
    table = next(t for t in kind().tables if t.id == table_id)
    totals = derived_totals(table)
    return [
        (cell.key, positions()[(table_id, cell.key)])
        for cell in table.value_cells
        if cell.key not in totals and cell.type == value_type
    ]


def info_cell(label: str) -> str:
    """The 基本信息 value cell next to a field label."""
    wb = load_workbook(io.BytesIO(base()))
    for row in wb["基本信息"].iter_rows(max_col=1):
        if row[0].value == label:
            return f"B{row[0].row}"
    raise LookupError(label)


def edited(change: Callable) -> bytes:
    """``base()`` after ``change(workbook)``, saved by openpyxl."""
    wb = load_workbook(io.BytesIO(base()))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_cell(sheet: str, address: str, value) -> bytes:
    def change(wb):
        wb[sheet][address].value = value

    return edited(change)


def with_parts(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The zip ``data`` with parts replaced (None drops a part) and parts added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info, src.read(info.filename))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip part holding a sheet, from workbook.xml and its relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    rid = next(s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") for s in book.iter(f"{MAIN_NS}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def patch_sheet_xml(data: bytes, sheet: str, change: Callable[[bytes], bytes]) -> bytes:
    part = sheet_part(data, sheet)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(part)
    return with_parts(data, {part: change(xml)})


def raw_text_in_cell(sheet: str, address: str, raw: bytes) -> bytes:
    """A text cell holding ``raw`` bytes as an exporter wrote them, legal XML or not."""
    marker = "GXMARKER"
    return patch_sheet_xml(set_cell(sheet, address, marker), sheet, lambda xml: xml.replace(marker.encode(), raw))


def raw_number_in_cell(sheet: str, address: str, raw: bytes) -> bytes:
    """A number cell whose <v> holds ``raw`` (NaN, INF…), which openpyxl will not write."""
    marker = 987654321
    return patch_sheet_xml(set_cell(sheet, address, marker), sheet, lambda xml: xml.replace(b"<v>%d</v>" % marker, b"<v>" + raw + b"</v>"))


def extra_rows(sheet: str, rows: int, cells_per_row: int = 1) -> bytes:
    """A sheet with ``rows`` more rows of text appended to its XML (fast for 100,000 rows)."""

    def change(xml: bytes) -> bytes:
        start = 1000
        body = b"".join(
            b'<row r="%d">' % r
            + b"".join(b'<c r="%s%d" t="inlineStr"><is><t>x</t></is></c>' % (get_column_letter(c).encode(), r) for c in range(1, cells_per_row + 1))
            + b"</row>"
            for r in range(start, start + rows)
        )
        return xml.replace(b"</sheetData>", body + b"</sheetData>")

    return patch_sheet_xml(base(), sheet, change)


def _insert(sheet: str, at: int, count: int, rows: bool) -> bytes:
    """Rows or columns inserted into a sheet, merged ranges moved with them (openpyxl does not)."""

    def change(wb):
        ws = wb[sheet]
        ranges = list(ws.merged_cells.ranges)
        for rng in ranges:
            ws.unmerge_cells(str(rng))
        (ws.insert_rows if rows else ws.insert_cols)(at, count)
        for rng in ranges:
            if (rng.min_row if rows else rng.min_col) >= at:
                rng.shift(0, count) if rows else rng.shift(count, 0)
            ws.merge_cells(rng.coord)
        if rows:
            ws.cell(row=at, column=1, value="（本表由办公室填写）")

    return edited(change)


def insert_rows(sheet: str, at: int, count: int) -> bytes:
    return _insert(sheet, at, count, rows=True)


def insert_cols(sheet: str, at: int, count: int) -> bytes:
    return _insert(sheet, at, count, rows=False)


def zip_bomb_ratio() -> bytes:
    """A workbook with one part of 60 MB of zeros: ratio ~1000."""
    out = io.BytesIO(base())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/filler.bin", "w") as part:
        block = b"\0" * (1 << 20)
        for _ in range(60):
            part.write(block)
    return out.getvalue()


def zip_bomb_total() -> bytes:
    """Many 1 MB parts of zeros: each under the ratio check, together over the size limit."""
    out = io.BytesIO(base())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n in range(210):
            z.writestr(f"xl/media/image{n}.bin", b"\0" * (1 << 20))
    return out.getvalue()


def many_entries(count: int) -> bytes:
    return with_parts(base(), add={f"customXml/item{n}.xml": b"<a/>" for n in range(count)})


def relationship_to_missing_part() -> bytes:
    """A worksheet relationship whose target is a folder name, not a part of the zip."""
    data = base()
    part = sheet_part(data, "表三")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels")
    return with_parts(data, {"xl/_rels/workbook.xml.rels": rels.replace(f"/{part}".encode(), b"/xl")})


def ods_bytes() -> bytes:
    """An OpenDocument spreadsheet shell, as LibreOffice writes its first parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def docx_bytes() -> bytes:
    from gxreport.outputs.docx import render_docx
    from gxreport.compose.narrative import layout

    return render_docx(layout(sample_report()))


def empty_workbook() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def corrupted(data: bytes, part: str) -> bytes:
    """``data`` with bytes flipped inside the compressed stream of ``part``."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    buf = bytearray(data)
    for i in range(start + 5, min(start + info.compress_size, start + 45)):
        buf[i] ^= 0x5A
    return bytes(buf)


@lru_cache(maxsize=1)
def sample_json() -> dict:
    return report_to_dict(sample_report())


def json_with(change: Callable[[dict], None]) -> bytes:
    """The sample's JSON form after ``change``; \\u escapes keep lone surrogates writable."""
    data = json.loads(json.dumps(sample_json()))
    change(data)
    return json.dumps(data).encode("ascii")


def docx_text(path: Path) -> str:
    """Every paragraph and table cell a reader sees, joined by newlines."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)



def with_merges(sheet: str, refs: list[str]) -> bytes:
    """``base()`` with more <mergeCell>s on ``sheet``, written into its XML as another program might."""
    body = b"".join(b'<mergeCell ref="%s"/>' % ref.encode() for ref in refs)
    return patch_sheet_xml(base(), sheet, lambda xml: xml.replace(b"</mergeCells>", body + b"</mergeCells>"))


def with_row(sheet: str, row_ref: str | None, cell_ref: str | None) -> bytes:
    """``base()`` with one more text row whose ``r`` attributes are exactly as given (None: left out)."""
    row_attr = b' r="%s"' % row_ref.encode() if row_ref is not None else b""
    cell_attr = b' r="%s"' % cell_ref.encode() if cell_ref is not None else b""
    row = b'<row%s><c%s t="inlineStr"><is><t>x</t></is></c></row>' % (row_attr, cell_attr)
    return patch_sheet_xml(base(), sheet, lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))
