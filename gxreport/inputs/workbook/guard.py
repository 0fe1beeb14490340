"""Open a workbook file once and refuse what is not a sane .xlsx before anything is allocated.

The cell values are parsed by python-calamine (``xlsx.py``), which builds a
sheet's whole used rectangle in memory. So everything that decides how much
it would allocate is checked here first, from the zip directory and one
streaming pass over each sheet's XML: file and part sizes, compression
ratio, rows, cells, the used area and the merged ranges, with every cell
reference read by the one parser in ``refs.py``. The same pass collects
what calamine does not report: which cells hold formulas (and whether
Excel saved their results), error values such as ``#N/A``, and the merged
ranges. Limits count only the sheets that are read, so a workbook's own
extra sheets (the roll-up's 汇总来源) do not count against a report.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from functools import cache
from operator import itemgetter
from pathlib import Path

from lxml import etree

from ...errors import InputError, Location, spot
from .refs import CellRange, RefError, column_letter, parse_range, parse_ref, parse_row

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 2_000
# Sheet XML compresses well (20–50×); far beyond that is a bomb, not a report.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts may compress any amount
MAX_CELLS = 100_000  # all sheets read; a report workbook holds a few thousand
MAX_ROWS = 20_000  # per sheet
MAX_AREA = 300_000  # rows × columns per sheet: the reader holds the whole used rectangle
MAX_MERGED_AREA = MAX_AREA  # cells covered by all merged ranges of a sheet, overlaps counted again
MAX_WORKBOOK_XML = 1024 * 1024
WHOLE_PARSE_BYTES = 8 * 1024 * 1024  # sheet parts up to this size are parsed whole, larger ones streamed
# Parts calamine parses whole on opening: the shared strings and the styles.
MAX_WHOLE_PART_BYTES = {"sharedStrings.xml": 64 * 1024 * 1024, "styles.xml": 16 * 1024 * 1024}

_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# calamine reads the shared strings and the styles under these names, where Excel, WPS and
# LibreOffice write them; the workbook's relationships may name other parts (ERP and OA exporters
# do, and OPC compares part names without case), which calamine is then given under these names.
_FIXED_PARTS = {"sharedStrings": "xl/sharedStrings.xml", "styles": "xl/styles.xml"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Transitional and Strict Open XML name the same parts in different namespaces; match by local name.
_SCANNED = ("{*}row", "{*}c", "{*}mergeCell")
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


def _xml_parser(**options) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, **options)


@dataclass
class SheetScan:
    """What the streaming pass found in one worksheet part (positions 1-based)."""

    cells: int = 0
    rows: int = 0
    max_row: int = 0
    max_col: int = 0
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # formula text, "=" first
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formulas Excel saved no result for
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # t="e" cells: #N/A, #REF!…
    merges: list[CellRange] = field(default_factory=list)


class WorkbookArchive:
    """An .xlsx file read once from disk: its zip directory checked, its sheets found by name.

    ``scan(sheet)`` streams one sheet part and raises InputError, naming the
    file, sheet and cell, for anything past the limits or not well formed.
    """

    def __init__(self, path: Path):
        self.name = path.name
        if not path.is_file():
            raise InputError("文件不存在", self.name)
        check_file_size(path)
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"无法打开（{exc.strerror}），请检查文件权限或是否被其他程序占用", self.name) from None
        if not zipfile.is_zipfile(io.BytesIO(self.data)):
            raise InputError(f"不是 .xlsx 工作簿（{describe_non_zip(path, self.data[:8])}）", self.name)
        self._cells_read = 0
        with _ArchiveDamage(self.name):
            self.zip = zipfile.ZipFile(io.BytesIO(self.data))
            self._check_directory()
            self.renamed: dict[str, str] = {}  # a part → the name calamine looks for it under
            self.parts = self._sheet_parts()

    def _check_directory(self) -> None:
        infos = self.zip.infolist()
        names = {i.filename for i in infos}
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            raise InputError("工作簿设置了打开密码，请取消密码后另存为 .xlsx", self.name)
        if not all(p in names for p in _PARTS):
            if "word/document.xml" in names:
                hint = "这是 Word 文档（.docx）"
            elif "content.xml" in names:
                hint = "这是 OpenDocument 表格（.ods）"
            else:
                hint = "压缩包里缺少工作簿结构"
            raise InputError(f"不是 .xlsx 工作簿（{hint}），请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）", self.name)
        check_archive_size(infos, self.name)
        for info in infos:
            limit = MAX_WHOLE_PART_BYTES.get(posixpath.basename(info.filename))
            if limit is not None and info.file_size > limit:
                raise InputError(f"{info.filename} 过大（{info.file_size // 1024 // 1024} MB），不像是报告工作簿", self.name)

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name → its part, in workbook order, from xl/workbook.xml and its relationships."""
        if self.zip.getinfo("xl/workbook.xml").file_size > MAX_WORKBOOK_XML:
            raise InputError("工作簿结构（xl/workbook.xml）过大，拒绝读取", self.name)
        try:
            book = etree.fromstring(self.zip.read("xl/workbook.xml"), _xml_parser())
            try:
                rels = etree.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"), _xml_parser())
            except KeyError:
                rels = None
        except etree.XMLSyntaxError as exc:
            raise InputError(f"工作簿结构已损坏（{exc.msg}），请用 Excel 或 WPS 打开后重新保存", self.name) from None
        targets: dict[str, str] = {}
        present = set(self.zip.namelist())
        by_folded_name = {name.casefold(): name for name in present}
        for rel in rels.iter(_PKG_REL) if rels is not None else ():
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = part
            fixed = _FIXED_PARTS.get(rel.get("Type", "").rpartition("/")[2])
            stored = by_folded_name.get(part.casefold())
            if fixed and stored and stored != fixed:
                limit = MAX_WHOLE_PART_BYTES[posixpath.basename(fixed)]
                if self.zip.getinfo(stored).file_size > limit:
                    raise InputError(f"{stored} 过大（{self.zip.getinfo(stored).file_size // 1024 // 1024} MB），不像是报告工作簿", self.name)
                self.renamed[stored] = fixed
        found: dict[str, str] = {}
        for sheet in book.iter("{*}sheet"):
            # r:id is in the transitional or the Strict relationships namespace
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
            part = targets.get(rid)
            if part in present and sheet.get("name"):
                found.setdefault(sheet.get("name"), part)
        return found

    def scan(self, sheet: str) -> SheetScan:
        """Stream ``sheet``'s part once: limits, references, formulas, errors and merges."""
        where = spot(self.name, sheet)
        part = self.parts[sheet]
        with _ArchiveDamage(self.name):
            found = None
            if self.zip.getinfo(part).file_size <= WHOLE_PARSE_BYTES:
                data = self.zip.read(part)
                try:  # a report's sheet: parsed whole in C, several times faster than streaming
                    root = etree.fromstring(data, _xml_parser())
                except etree.XMLSyntaxError:
                    pass  # the stream below finds the cell it breaks at
                else:
                    found = _scan_regular(root, data, where, MAX_CELLS - self._cells_read)
                    if found is None:
                        found = _scan_sheet(_tree_events(root), where, MAX_CELLS - self._cells_read)
            if found is None:
                with self.zip.open(part) as stream:
                    found = _scan_sheet(_stream_events(stream), where, MAX_CELLS - self._cells_read, streaming=True)
        self._cells_read += found.cells
        if found.rows > MAX_ROWS:
            raise InputError(f"有 {found.rows} 行，超过上限 {MAX_ROWS} 行；请删除多余的行（也可能是整列设置了格式）后另存", where)
        return found

    def calamine_data(self) -> bytes:
        """The file for calamine: as read, or a copy with the parts in ``renamed`` under calamine's names."""
        if not self.renamed:
            return self.data
        out = io.BytesIO()
        with _ArchiveDamage(self.name), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
            replaced = set(self.renamed.values())
            for info in self.zip.infolist():
                name = self.renamed.get(info.filename, info.filename)
                if name in replaced and info.filename not in self.renamed:
                    continue  # a stale part under the fixed name: the relationships name another
                copy.writestr(name, self.zip.read(info.filename))
        return out.getvalue()

    def describe_strings_damage(self) -> str | None:
        """Where the shared strings part is not well formed (exporters writing raw control characters)."""
        moved = next((n for n, fixed in self.renamed.items() if fixed == _FIXED_PARTS["sharedStrings"]), None)
        part = moved or next((n for n in self.zip.namelist() if n.endswith("sharedStrings.xml") and not n.startswith("__MACOSX/")), None)
        if part is None:
            return None
        try:
            etree.fromstring(self.zip.read(part), _xml_parser(huge_tree=True))
        except etree.XMLSyntaxError as exc:
            return f"{self.name}!共享文本表第 {exc.position[0]} 行: 内容无法解析（{exc.msg}），常见原因是单元格里有不可见的控制字符"
        return None


class _ArchiveDamage:
    """Zip-level damage met while reading (bad CRC, truncated stream…) as the clerk's message."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None or issubclass(kind, InputError):
            return False
        if issubclass(kind, zipfile.BadZipFile):
            raise InputError(f"工作簿已损坏（{exc}），请用 Excel 或 WPS 打开后重新保存", self.name) from None
        if issubclass(kind, (OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error, KeyError)):
            raise InputError(
                f"工作簿已损坏或使用了不支持的压缩方式（{kind.__name__}），请用 Excel 或 WPS 打开后重新保存", self.name
            ) from None
        return False


def _stream_events(stream):
    """(event, element) for rows, cells and merges as the part streams out of the zip."""
    return etree.iterparse(stream, events=("start", "end"), tag=_SCANNED, resolve_entities=False, no_network=True, load_dtd=False)


def _tree_events(root):
    """The same events as ``_stream_events``, from a sheet parsed whole."""
    for child in root:
        local = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
        if local == "sheetData":
            for row in child:
                yield "start", row
                for cell in row:
                    yield "start", cell
                    yield "end", cell
                yield "end", row
        elif local == "mergeCells":
            for merge in child:
                yield "end", merge


# The two namespaces a worksheet is written in: Transitional and Strict Open XML.
_SHEET_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")


class _RegularQueries:
    """The XPath queries of ``_scan_regular`` in one namespace, compiled once per process.

    libxml2 evaluates plain paths fast and predicates slowly, so the common
    case is asked with plain paths and the predicates only when needed.
    """

    def __init__(self, namespace: str):
        def query(path: str) -> etree.XPath:
            return etree.XPath(path, namespaces={"m": namespace}, smart_strings=False)

        # Equal pairs mean: no sheetData or mergeCells in another namespace; every child of
        # sheetData is a <row r>, every child of a row a <c r>, every child of mergeCells a
        # <mergeCell ref> (the last three against the lengths of the lists below).
        self.shape = query(
            "concat(count(*[local-name()='sheetData']), ' ', count(m:sheetData), ' ',"
            " count(*[local-name()='mergeCells']), ' ', count(m:mergeCells), ' ',"
            " count(m:sheetData/*), ' ', count(m:sheetData/*/*), ' ', count(m:mergeCells/*))"
        )
        self.row_refs = query("m:sheetData/m:row/@r")
        self.filled_row_refs = query("m:sheetData/m:row/m:c/../@r")
        self.cell_refs = query("m:sheetData/m:row/m:c/@r")
        self.values = query("m:sheetData/m:row/m:c/m:v/text()")
        self.number_values = query("m:sheetData/m:row/m:c[not(@t) or @t='n']/m:v/text()")
        self.formula_cells = query("m:sheetData/m:row/m:c/m:f/..")
        self.formula_and_error_cells = query("m:sheetData/m:row/m:c/m:f/.. | m:sheetData/m:row/m:c[@t='e']")
        self.merge_refs = query("m:mergeCells/m:mergeCell/@ref")


@cache
def _regular_queries(namespace: str) -> _RegularQueries:
    return _RegularQueries(namespace)


# Looked for in the part's bytes; a match only sends the sheet to the slower way, so a
# match inside a text or a comment costs time, never a wrong answer. In a well-formed part
# whose root declares the sheet's namespace as the default, a value or formula element in
# another namespace needs a prefix (":v") or a second default declaration ("xmlns="); an
# error cell needs an attribute valued "e" or a character reference ("&#"). Each pattern
# starts with a literal byte, which the regular expression engine skips to.
_PREFIXED_VALUE = re.compile(rb":[vf][\s/>]")
_DEFAULT_NAMESPACE = re.compile(rb"xmlns\s*=")
_ERROR_VALUE = re.compile(rb"""=\s*["']e["']""")


def _scan_regular(root, data: bytes, where: Location, cells_left: int) -> SheetScan | None:
    """What ``_scan_sheet`` finds in ``root`` (parsed from ``data``), for a sheet as
    spreadsheet programs write it, queried in C.

    A report's sheet has every row and cell numbered, no foreign elements and
    nothing past a limit; walking it cell by cell in Python was most of the cost
    of reading a workbook. Anything else (a row or cell without ``r``, another
    namespace, a bad reference or number, any limit passed) gives None, and the
    sheet is walked by ``_scan_sheet``, which alone refuses, so every message
    stays the same. The result equals ``_scan_sheet``'s (tests/test_guard_fast_path.py).
    """
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace, _, local = tag[1:].partition("}")
    if local != "worksheet" or namespace not in _SHEET_NAMESPACES or root.nsmap.get(None) != namespace:
        return None
    if _PREFIXED_VALUE.search(data) or len(_DEFAULT_NAMESPACE.findall(data)) != 1:
        return None  # a value or formula element may be in another namespace
    queries = _regular_queries(namespace)
    sheets, own_sheets, merge_lists, own_merge_lists, rows, cells, merge_children = map(int, queries.shape(root).split())
    if sheets != own_sheets or merge_lists != own_merge_lists:
        return None
    row_refs, cell_refs, merge_refs = queries.row_refs(root), queries.cell_refs(root), queries.merge_refs(root)
    if rows != len(row_refs) or cells != len(cell_refs) or merge_children != len(merge_refs):
        return None
    if len(row_refs) > MAX_ROWS or len(cell_refs) > cells_left:
        return None
    # Every value is a number (shared strings' indexes are) or, failing that, every number cell's.
    if not all(map(_NUMBER.fullmatch, queries.values(root))) and not all(map(_NUMBER.fullmatch, queries.number_values(root))):
        return None
    try:
        row_numbers = list(map(parse_row, row_refs))
        positions = list(map(parse_ref, cell_refs))
        merges = list(map(parse_range, merge_refs))
    except RefError:
        return None
    max_row = max(positions, default=(0, 0))[0]
    if max(row_numbers, default=0) > max_row:  # a row numbered past its cells counts if it has any
        max_row = max([max_row, *map(parse_row, queries.filled_row_refs(root))])
    max_row = max(max_row, max((m.max_row for m in merges), default=0))
    max_col = max(max(map(itemgetter(1), positions), default=0), max((m.max_col for m in merges), default=0))
    if max_row * max_col > MAX_AREA or sum(m.area for m in merges) > MAX_MERGED_AREA:
        return None
    found = SheetScan(cells=len(cell_refs), rows=len(row_refs), max_row=max_row, max_col=max_col, merges=merges)
    errors = b"&#" in data or _ERROR_VALUE.search(data)  # t="e", or written as a character reference
    if errors:
        noted = queries.formula_and_error_cells(root)
    elif b"<f" in data:  # an unprefixed formula element (prefixed ones were sent to the walk above)
        noted = queries.formula_cells(root)
    else:
        return found
    for element in noted:
        ref = element.get("r")
        _read_cell(element, parse_ref(ref), found, where, ref)
    return found


def _scan_sheet(events, where: Location, cells_left: int, streaming: bool = False) -> SheetScan:
    """One streaming pass over a worksheet part; raises InputError at the first thing past a limit.

    Positions follow the reading rules calamine applies: a row without ``r``
    follows the previous row, a cell without ``r`` follows the previous cell
    of its row. Messages are formatted only when raised (this loop runs per cell).
    """
    found = SheetScan()
    row = column = cell_row = 0
    current = ""  # the cell being read, for a message about broken XML
    merged_area = 0
    try:
        for event, element in events:
            local = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
            if local == "c":
                if event == "end":
                    _read_cell(element, (cell_row, column), found, where, current)
                    if streaming:
                        element.clear(keep_tail=True)
                    continue
                ref = element.get("r")
                if ref is None:
                    column += 1
                    cell_row = row
                    current = f"{column_letter(column)}{row}"
                else:
                    # calamine places the cells that follow in the row element's row, not this one's
                    cell_row, column = _position(parse_ref, ref, where)
                    current = ref
                found.cells += 1
                if found.cells > cells_left:
                    raise InputError(f"单元格过多（全部工作表超过 {MAX_CELLS} 个），不像是报告工作簿", where)
                _extend(found, max(row, cell_row), column, where, current)
            elif local == "row":
                if event == "start":
                    ref = element.get("r")
                    row = row + 1 if ref is None else _position(parse_row, ref, where)
                    column = 0
                    found.rows += 1
                    if found.rows > MAX_ROWS:
                        raise InputError(f"有超过 {MAX_ROWS} 行，超过上限；请删除多余的行（也可能是整列设置了格式）后另存", where)
                elif streaming:  # keep memory flat: drop finished rows
                    element.clear(keep_tail=True)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
            elif local == "mergeCell" and event == "end":
                ref = element.get("ref", "")
                merge = _position(parse_range, ref, where)
                _extend(found, merge.max_row, merge.max_col, where, ref)
                merged_area += merge.area
                if merged_area > MAX_MERGED_AREA:
                    raise InputError(
                        f"合并单元格过多或相互重叠（合计覆盖超过 {MAX_MERGED_AREA} 个单元格）；请取消多余的合并后另存", replace(where, cell=ref)
                    )
                found.merges.append(merge)
                if streaming:
                    element.clear(keep_tail=True)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(f"内容无法解析（{exc.msg}），常见原因是单元格里有不可见的控制字符", replace(where, cell=current or "")) from None
    return found


def _extend(found: SheetScan, row: int, column: int, where: Location, ref: str) -> None:
    """Grow the used area to (row, column); refuse it past MAX_AREA before the reader holds it."""
    if row > found.max_row:
        found.max_row = row
    if column > found.max_col:
        found.max_col = column
    if found.max_row * found.max_col > MAX_AREA:
        raise InputError(
            f"使用范围过大（{found.max_row} 行 × {found.max_col} 列）；请删除远处多余的单元格、格式或合并后另存", replace(where, cell=ref)
        )


def _position(parse, text: str, where: Location):
    try:
        return parse(text)
    except RefError:
        raise InputError(
            f"单元格地址“{text[:30]}”不规范（应如 A1、XFD1048576），文件可能不是 Excel 或 WPS 生成的；请用 Excel 或 WPS 打开后另存", where
        ) from None


def _read_cell(element, at: tuple[int, int], found: SheetScan, where: Location, ref: str) -> None:
    """Record a formula, its missing result, an error value; refuse a number that is not one."""
    value = formula = None
    for child in element:
        local = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
        if local == "v":
            value = child.text
        elif local == "f":
            formula = child.text or ""
    kind = element.get("t", "n")
    if formula is not None:
        found.formulas[at] = "=" + formula
        if not value:
            found.uncached.add(at)
    if kind == "e" and value:
        found.errors[at] = value
    elif kind == "n" and value and not _NUMBER.fullmatch(value):
        raise InputError(f"数字单元格的内容“{value[:20]}”不是有效数字（导出程序写错了），请改为数字后另存", replace(where, cell=ref))


def check_file_size(path: Path) -> None:
    """Refuse a file far larger than any report before reading it (workbooks and imports alike)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"文件过大（{size / 1024 / 1024:.0f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是一份报告", path.name)


def check_archive_size(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip (.xlsx, .docx) with too many parts, too much inside, or a bomb's ratio."""
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"压缩包内文件过多（{len(infos)} 个），不像是报告工作簿", name)
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError(
            f"解压后过大（{unzipped / 1024 / 1024:.0f} MB，上限 {MAX_UNZIPPED_BYTES // 1024 // 1024} MB），拒绝读取", name
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"压缩比异常（{info.filename} 压缩了 {info.file_size // max(info.compress_size, 1)} 倍），疑似压缩炸弹，拒绝读取", name)


def describe_non_zip(path: Path, head: bytes) -> str:
    """Why a file that is not a zip is not a workbook, in the clerk's terms."""
    if not head:
        return "文件是空的"
    if head.startswith(_OLE_MAGIC):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "工作簿设置了打开密码；请在 Excel 或 WPS 中取消密码后另存为 .xlsx"
        if "WordDocument".encode("utf-16-le") in data:
            return "这是旧版 Word 文档（.doc）"
        return "这是旧版 .xls 或 WPS .et 表格；请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）"
    if head.startswith(b"PK"):
        return "压缩结构不完整，文件可能没有下载或复制完整；请重新获取原文件"
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件"
    lowered = path.read_bytes()[:4096].lower()
    # Both are Excel's and WPS's own "save as" formats, often named .xls by OA systems; asked
    # before the web page test, which a 2003 workbook's <Table> and an .mht's HTML part would pass.
    if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return "这是 XML 电子表格（Excel 2003 XML 格式）；请在 Excel 或 WPS 中打开，另存为“Excel 工作簿(*.xlsx)”"
    if lowered.startswith(b"mime-version:") or b"content-type: multipart/related" in lowered:
        return "这是单个文件网页（.mht），不是表格文件；请在 Excel 或 WPS 中打开，另存为“Excel 工作簿(*.xlsx)”"
    if b"<html" in lowered or b"<table" in lowered or b"<!doctype" in lowered:
        return "这是网页（HTML）文件，某些系统导出的“Excel”实为网页；请在 Excel 或 WPS 中打开后另存为 .xlsx"
    if b"\x00" not in lowered:
        return "这是文本文件（可能是 .csv）；请在 Excel 或 WPS 中打开后另存为 .xlsx"
    return "内容不是 Excel 格式；请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）"


