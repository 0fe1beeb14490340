"""Look inside a file before openpyxl does, and refuse what is not a sane .xlsx.

openpyxl (in its normal mode) builds every cell of every sheet in memory, so
a zip bomb, a sheet with a million formatted rows or a file that is not a
workbook at all must be stopped here, from the zip directory and a streaming
pass over the sheet XML, with a message a clerk can act on.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError, spot

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 2_000
# Sheet XML compresses well (20–50×); far beyond that is a bomb, not a report.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts may compress any amount
MAX_CELLS = 100_000  # all sheets; a report workbook holds a few thousand
MAX_ROWS = 20_000  # per sheet
MAX_AREA = 300_000  # rows × columns per sheet: the reader fills the whole used rectangle
MAX_WORKBOOK_XML = 1024 * 1024

_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 16
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])([^>]*)>")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])")
_REF = re.compile(rb'\br\s*=\s*["\']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})["\']')
# A merged range's far corner: the reader fills every cell it covers (ECMA §18.3.1.55).
_MERGE_END = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*\bref\s*=\s*["\'][^"\':]*:\$?([A-Za-z]{1,3})\$?([0-9]{1,7})["\']')
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class SheetSize:
    """What a streaming pass found in one worksheet part."""

    cells: int = 0
    rows: int = 0
    max_row: int = 0
    max_col: int = 0


def inspect_workbook(path: Path) -> None:
    """Raise InputError unless ``path`` is an .xlsx small enough to load whole."""
    name = path.name
    if not path.is_file():
        raise InputError(f"{name}: 文件不存在")
    check_file_size(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(f"{name}: 无法打开（{exc.strerror}），请检查文件权限或是否被其他程序占用") from None
    if not zipfile.is_zipfile(path):
        raise InputError(f"{name}: 不是 .xlsx 工作簿（{describe_non_zip(path, head)}）")
    try:
        with zipfile.ZipFile(path) as archive:
            _inspect_archive(archive, name)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{name}: 工作簿已损坏（{exc}），请用 Excel 或 WPS 打开后重新保存") from None
    except (OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise InputError(f"{name}: 工作簿已损坏或使用了不支持的压缩方式（{type(exc).__name__}），请用 Excel 或 WPS 打开后重新保存") from None



def check_file_size(path: Path) -> None:
    """Refuse a file far larger than any report before reading it (workbooks and imports alike)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name}: 文件过大（{size / 1024 / 1024:.0f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是一份报告")


def check_archive_size(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip (.xlsx, .docx) with too many parts, too much inside, or a bomb's ratio."""
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"{name}: 压缩包内文件过多（{len(infos)} 个），不像是报告工作簿")
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError(
            f"{name}: 解压后过大（{unzipped / 1024 / 1024:.0f} MB，上限 {MAX_UNZIPPED_BYTES // 1024 // 1024} MB），拒绝读取"
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"{name}: 压缩比异常（{info.filename} 压缩了 {info.file_size // max(info.compress_size, 1)} 倍），疑似压缩炸弹，拒绝读取")


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
    if b"<html" in lowered or b"<table" in lowered or b"<!doctype" in lowered:
        return "这是网页（HTML）文件，某些系统导出的“Excel”实为网页；请在 Excel 或 WPS 中打开后另存为 .xlsx"
    if b"\x00" not in lowered:
        return "这是文本文件（可能是 .csv）；请在 Excel 或 WPS 中打开后另存为 .xlsx"
    return "内容不是 Excel 格式；请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）"


def _inspect_archive(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise InputError(f"{name}: 工作簿设置了打开密码，请取消密码后另存为 .xlsx")
    if not all(p in names for p in _PARTS):
        if "word/document.xml" in names:
            hint = "这是 Word 文档（.docx）"
        elif "content.xml" in names:
            hint = "这是 OpenDocument 表格（.ods）"
        else:
            hint = "压缩包里缺少工作簿结构"
        raise InputError(f"{name}: 不是 .xlsx 工作簿（{hint}），请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）")
    check_archive_size(infos, name)
    sheets = _sheet_names(archive, name)
    total = 0
    for part, sheet in sheets.items():
        if part not in names:
            continue
        size = _measure_sheet(archive, part)
        total += size.cells
        where = f"{name}!{sheet}"
        if size.rows > MAX_ROWS:
            raise InputError(f"{where}: 有 {size.rows} 行，超过上限 {MAX_ROWS} 行；请删除多余的行（也可能是整列设置了格式）后另存")
        if size.max_row * size.max_col > MAX_AREA:
            raise InputError(
                f"{where}: 使用范围过大（{size.max_row} 行 × {size.max_col} 列）；请删除远处多余的单元格或格式后另存"
            )
        if total > MAX_CELLS:
            raise InputError(f"{where}: 单元格过多（全部工作表超过 {MAX_CELLS} 个），不像是报告工作簿")


def _sheet_names(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Worksheet part → sheet name, from xl/workbook.xml and its relationships."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        if archive.getinfo("xl/workbook.xml").file_size > MAX_WORKBOOK_XML:
            raise InputError(f"{name}: 工作簿结构（xl/workbook.xml）过大，拒绝读取")
        book = etree.fromstring(archive.read("xl/workbook.xml"), parser)
        try:
            rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
        except KeyError:
            rels = None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: 工作簿结构已损坏（{exc.msg}），请用 Excel 或 WPS 打开后重新保存") from None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = part
    found: dict[str, str] = {}
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        part = targets.get(sheet.get(f"{{{_REL_NS}}}id", ""))
        if part:
            found[part] = sheet.get("name", part)
    # Parts the workbook does not list are still read by nobody, but count anything that looks like a sheet.
    for part in archive.namelist():
        if part.startswith("xl/worksheets/") and part.endswith(".xml") and part not in found:
            found[part] = part
    return found


def _measure_sheet(archive: zipfile.ZipFile, part: str) -> SheetSize:
    """Count cells and rows of a sheet part as it streams out of the zip."""
    size = SheetSize()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            # Keep an unfinished tag for the next chunk so no tag is cut in two.
            cut = data.rfind(b"<")
            if cut == -1 or data.find(b">", cut) != -1:
                cut = len(data)
            body, tail = data[:cut], data[cut:]
            if len(tail) > _CHUNK:  # a tag longer than a chunk: count it as it is
                body, tail = data, b""
            size.rows += len(_ROW.findall(body))
            for column, row in _MERGE_END.findall(body):
                size.max_row = max(size.max_row, int(row))
                size.max_col = max(size.max_col, _column_number(column))
            for attrs in _CELL.findall(body):
                size.cells += 1
                ref = _REF.search(attrs)
                if ref:
                    size.max_row = max(size.max_row, int(ref.group(2)))
                    size.max_col = max(size.max_col, _column_number(ref.group(1)))
    size.max_row = max(size.max_row, size.rows)
    return size


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def describe_damage(path: Path) -> str | None:
    """Where a workbook that openpyxl could not parse is broken: ``sheet!cell: reason``.

    Exporters that write control characters (\\x01, U+FFFF…) as raw bytes make
    XML no parser accepts; naming the cell lets the clerk fix it in the source.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        with zipfile.ZipFile(path) as archive:
            present = set(archive.namelist())
            for part, sheet in _sheet_names(archive, path.name).items():
                if part not in present:  # a relationship to a part that is not there
                    continue
                data = archive.read(part)
                try:
                    root = etree.fromstring(data, parser)
                except etree.XMLSyntaxError as exc:
                    where = spot(sheet, _cell_before(data, exc.position))
                    return f"{where}: 内容无法解析（{exc.msg}），常见原因是单元格里有不可见的控制字符"
                bad = _bad_number(root)
                if bad:
                    ref, text = bad
                    return f"{spot(sheet, ref)}: 数字单元格的内容“{text[:20]}”不是有效数字（导出程序写错了），请改为数字后另存"
            if "xl/sharedStrings.xml" in present:
                try:
                    etree.fromstring(archive.read("xl/sharedStrings.xml"), parser)
                except etree.XMLSyntaxError as exc:
                    return f"共享文本表第 {exc.position[0]} 行: 内容无法解析（{exc.msg}），常见原因是单元格里有不可见的控制字符"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, InputError):
        return None
    return None


def _cell_before(data: bytes, position: tuple[int, int]) -> str:
    """The reference of the last cell opened before (line, column) of ``data``."""
    line, column = position
    lines = data.split(b"\n")
    offset = sum(len(x) + 1 for x in lines[: max(line - 1, 0)]) + max(column - 1, 0)
    found = ""
    for match in _CELL.finditer(data, 0, offset):
        ref = _REF.search(match.group(1))
        if ref:
            found = (ref.group(1) + ref.group(2)).decode("ascii").upper()
    return found


_NUMBER = re.compile(r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$")


def _bad_number(root) -> tuple[str, str] | None:
    """A numeric cell (no type, or t="n") whose value is not a number, e.g. NaN or INF."""
    for cell in root.iter(f"{{{_MAIN_NS}}}c"):
        if cell.get("t", "n") != "n":
            continue
        value = cell.find(f"{{{_MAIN_NS}}}v")
        if value is not None and value.text and not _NUMBER.match(value.text):
            return cell.get("r", ""), value.text
    return None
