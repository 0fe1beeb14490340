"""Read a clerk's workbook into a Report.

Values are found by their labels (``locate.py``), never trusted blindly:
formula totals are recomputed, typed totals are kept so the checker can
compare them, and every cell problem becomes a Finding that names
``file!sheet!cell``. Structural problems (not a workbook, a sheet or label
missing) raise InputError.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import ERROR, WARNING, Finding, InputError, Location, spot
from ...declare.kinds import FieldSpec, Kind, Registry
from ...declare.model import Attachment, Block, Report
from ...compose.numbering import typed_level
from ...checks.rules import blank_warnings, derived_totals
from ...declare.spec import TableSpec
from ...text import NumberError, clean, label_key, parse_amount, parse_number
from .freetable import read_free_table
from .layout import (
    ATTACHMENT_HEADERS,
    ATTACHMENT_SHEET,
    INFO_SHEET,
    META_PREVIOUS,
    META_SHEET,
    META_TEMPLATES,
    NARRATIVE_HEADERS,
    NARRATIVE_SHEET,
    TEMPLATES_LABEL,
)
from .locate import SheetIndex, locate_table
from .xlsx import FormulaCell, MergedCell, Workbook, column_letter


def open_workbook(path: Path) -> Workbook:
    """The workbook's sheets, each checked by the guard when first read (InputError otherwise)."""
    return Workbook(path)


def read_workbook(path: Path, registry: Registry, fmt: str | None = None) -> Report:
    """The report in a workbook; ``fmt`` overrides the workbook's format."""
    return _Reader(open_workbook(path), path, registry).read(fmt)


class _Reader:
    def __init__(self, wb, path: Path, registry: Registry):
        self.wb = wb
        self.path = path
        self.file = path.name
        self.registry = registry
        self.findings: list[Finding] = []
        self.meta: dict[str, str] = {}
        self._indexes: dict[str, SheetIndex] = {}  # 基本信息 is searched three times

    def index(self, ws) -> SheetIndex:
        if ws.title not in self._indexes:
            self._indexes[ws.title] = SheetIndex.of(ws)
        return self._indexes[ws.title]

    def sheet(self, name: str, required: bool = True):
        if name in self.wb.sheetnames:
            ws = self.wb[name]
            if ws.is_chart:
                raise InputError("不是普通工作表（可能是图表页），请改回表格", spot(self.file, name))
            return ws
        if required:
            raise InputError(f"缺少工作表“{name}”（现有：{'、'.join(self.wb.sheetnames)}）", self.file)
        return None

    def read(self, fmt: str | None) -> Report:
        kind_id, meta_format, meta_templates = self._meta()
        self.registry = self.registry.extended(self._template_dirs(meta_templates))
        kind_id = kind_id or self.registry.default_kind_id()
        year = self._peek_year(kind_id)
        try:
            kind = self.registry.get(kind_id, fmt=fmt or meta_format or None, year=year)
        except InputError as exc:
            raise InputError(exc.message, spot(self.file, META_SHEET)) from None
        report = Report(kind=kind, source=self.file, format_overridden=bool(fmt))
        report.fields, report.field_cells = self._fields(kind)
        report.blocks = self._narrative(kind)
        for table in kind.tables:
            self._table(table, report)
        report.attachments = self._attachments()
        if kind.free_table:
            report.free_table = read_free_table(self.sheet(kind.free_table, required=False), lambda cell: self._shown(cell, kind.free_table))
        report.findings = self.findings
        report.meta = self.meta
        if self.meta.get(META_PREVIOUS):
            report.previous = self.path.parent / self.meta[META_PREVIOUS]
        return report

    def _meta(self) -> tuple[str, str]:
        ws = self.sheet(META_SHEET, required=False)
        if ws is None:
            self.findings.append(
                Finding(WARNING, "输入", self.file, "缺少隐藏工作表 _meta，按默认报告类型读取；建议用 gxreport init 生成的工作簿填写")
            )
            return "", "", ""
        meta = {str(r[0].value): str(r[1].value or "") for r in ws.iter_rows(max_col=2) if r[0].value}
        self.meta = meta
        return meta.get("kind", ""), meta.get("format", ""), meta.get(META_TEMPLATES, "")

    def _template_dirs(self, meta_value: str) -> tuple[Path, ...]:
        """The office's templates folder named in the workbook, relative to it.

        The 基本信息 row 模板目录 wins over the hidden _meta entry.
        """
        named, where = meta_value.strip(), spot(self.file, META_SHEET)
        ws = self.sheet(INFO_SHEET, required=False)
        box = self.index(ws).find(TEMPLATES_LABEL) if ws is not None else None
        if box is not None:
            cell = ws.cell(row=box.top, column=box.right + 1)
            value = _result(cell)
            if value is not None and _as_text(value):
                named, where = _as_text(value), spot(self.file, INFO_SHEET, cell.coordinate)
        if not named:
            return ()
        folder = self.path.parent / named
        try:
            found = folder.is_dir()
        except OSError:  # a name too long, or a folder nobody may read
            found = False
        if not found:
            raise InputError(f"模板目录“{named}”不存在（相对于工作簿所在文件夹）", where)
        return (folder.resolve(),)

    def _peek_year(self, kind_id: str) -> int | None:
        """The report year, read before the format is known (it picks the format)."""
        candidates = [k for k in self.registry.all() if k.id == kind_id]
        if not candidates:
            raise InputError(
                f"未知的报告类型 {kind_id!r}；本单位自定义的类型请用 --templates 或“{TEMPLATES_LABEL}”一行指定模板文件夹", spot(self.file, META_SHEET)
            )
        year_field = next((k.role_field("year") for k in candidates if k.role_field("year")), None)
        if year_field is None:
            return None
        ws = self.sheet(INFO_SHEET)
        box = self.index(ws).find(year_field.label)
        if box is None:
            return None
        try:
            year, _ = parse_number(_result(ws.cell(row=box.top, column=box.right + 1)), "int")
        except NumberError:
            return None
        return year

    def _fields(self, kind: Kind) -> tuple[dict, dict]:
        ws = self.sheet(INFO_SHEET)
        index = self.index(ws)
        values: dict[str, object] = {}
        where: dict[str, Location] = {}
        for spec in kind.fields:
            box = index.find(spec.label)
            if box is None:
                if spec.required:
                    raise InputError(f"找不到“{spec.label}”一行，请勿修改 A 列标签", spot(self.file, INFO_SHEET))
                values[spec.key] = spec.default_value
                continue
            cell = ws.cell(row=box.top, column=box.right + 1)
            at = spot(self.file, INFO_SHEET, cell.coordinate)
            where[spec.key] = at
            noted = len(self.findings)
            raw = self._shown(cell, INFO_SHEET, spec.label)
            # a formula without a result, an error value or a picture is said once, at the cell
            values[spec.key] = spec.blank_value if len(self.findings) > noted else self._field_value(spec, raw, at)
        return values, where

    def _shown(self, cell, sheet: str, label: str = ""):
        """What a clerk sees in a cell outside the statutory tables (whose formulas are totals,
        recomputed): a formula's saved result, never its text. An Excel error value, a formula
        saved without a result, or a WPS picture in the cell is a finding at the cell, not a value."""
        value = _result(cell)
        if isinstance(cell, FormulaCell) and _CELL_PICTURE.match(cell.value):
            problem, severity = "单元格中是 WPS 嵌入的图片，报告只印文字，图片不会出现在文档中；请删除图片或改写为文字", WARNING
        elif isinstance(cell, FormulaCell) and value is None:
            problem, severity = "单元格是公式且没有计算结果，请在 Excel/WPS 中打开并保存，或直接填写内容", ERROR
        elif isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
            problem, severity = f"单元格是 Excel 错误值 {value.strip()}，请改正公式或直接填写内容", ERROR
        else:
            return value
        self.findings.append(Finding(severity, "输入", spot(self.file, sheet, cell.coordinate), f"{label}：{problem}" if label else problem))
        return None

    def _text(self, cell, sheet: str) -> str:
        """A narrative or attachment cell's text ("" for none)."""
        value = None if cell is None or cell.value is None else self._shown(cell, sheet)
        return "" if value is None else _as_text(value)

    def _field_value(self, spec: FieldSpec, raw, at: Location):
        try:
            value = spec.parse(raw)
        except (ValueError, OverflowError) as exc:
            self.findings.append(Finding(ERROR, "输入", at, f"{spec.label}：{exc}"))
            return None
        if value is None:
            if spec.required:
                self.findings.append(Finding(ERROR, "输入", at, f"{spec.label}未填写"))
            return spec.blank_value
        return value

    def _narrative(self, kind: Kind) -> list[Block]:
        ws = self.sheet(NARRATIVE_SHEET)
        headers = NARRATIVE_HEADERS if kind.parts else NARRATIVE_HEADERS[1:]
        columns = _header_columns(ws, headers)
        if columns is None:
            raise InputError(f"找不到表头行（{'、'.join(headers)}）", spot(self.file, NARRATIVE_SHEET))
        header_row, cols = columns
        part_ids = {p.id: p for p in kind.parts}
        blocks: list[Block] = []
        current_part = kind.parts[0].id if kind.parts else ""
        for row in ws.iter_rows(min_row=header_row + 1):
            cells = {name: row[col - 1] if col - 1 < len(row) else None for name, col in cols.items()}
            texts = {name: self._text(c, NARRATIVE_SHEET) for name, c in cells.items()}
            if not any(texts.values()):
                continue
            at = spot(self.file, NARRATIVE_SHEET, f"A{row[0].row}")
            if kind.parts:
                part = _part_id(texts["部分"]) or current_part
                if part not in part_ids:
                    self.findings.append(
                        Finding(ERROR, "输入", at, f"部分“{texts['部分']}”不存在，应为 {'、'.join(part_ids)} 之一")
                    )
                    continue
                current_part = part
                base = part_ids[part].base_level
            else:
                part, base = "", 1
            level = self._level(texts["层级"], texts["标题"], texts["正文"], base, spot(self.file, NARRATIVE_SHEET, cells["层级"].coordinate if cells["层级"] is not None else ""))
            if level is None:
                continue
            blocks.append(Block(part=part, level=level, title=texts["标题"], text=texts["正文"], where=at))
        return blocks

    def _level(self, raw: str, title: str, text: str, base: int, at: Location) -> int | None:
        if not raw:
            # A number typed at the start of the title (or of a title-less text) gives the level.
            typed = typed_level(title or text)
            if typed and typed >= base:
                return typed
            return base if title else 0
        try:
            level = int(raw.translate(str.maketrans("０１２３４", "01234")))
        except ValueError:
            level = -1
        if not base <= level <= 4:
            self.findings.append(Finding(ERROR, "输入", at, f"层级“{raw}”应为 {base}–4 之间的整数"))
            return None
        return level

    def _attachments(self) -> list[Attachment]:
        ws = self.sheet(ATTACHMENT_SHEET, required=False)
        if ws is None:
            return []
        columns = _header_columns(ws, ATTACHMENT_HEADERS)
        if columns is None:
            return []
        header_row, cols = columns
        out = []
        for row in ws.iter_rows(min_row=header_row + 1):
            title_cell = row[cols["附件标题"] - 1] if cols["附件标题"] - 1 < len(row) else None
            body_cell = row[cols["附件内容"] - 1] if cols["附件内容"] - 1 < len(row) else None
            title, body = self._text(title_cell, ATTACHMENT_SHEET), self._text(body_cell, ATTACHMENT_SHEET)
            if title or body:
                out.append(Attachment(title=title, text=body, where=spot(self.file, ATTACHMENT_SHEET, f"A{row[0].row}")))
        return out

    def _table(self, table: TableSpec, report: Report) -> None:
        ws = self.sheet(table.sheet)
        positions = locate_table(ws, table, self.file)
        totals = derived_totals(table)
        values: dict = {}
        cells: dict = {}
        blanks: dict[str, list[str]] = {}
        for key, (row, col) in positions.items():
            cell = ws.cell(row=row, column=col)
            coordinate = f"{column_letter(col)}{row}"
            at = spot(self.file, table.sheet, coordinate)
            cells[key] = at
            spec = table.cell_by_key[key]
            if isinstance(cell, MergedCell):
                self.findings.append(Finding(ERROR, "R4", at, f"{_cell_label(table, key)}：数字单元格被合并，请取消合并"))
                values[key] = None
                continue
            raw = cell.value
            if isinstance(raw, str) and raw.startswith("="):
                if key in totals:
                    values[key] = None  # a live total: recomputed, never trusted
                    continue
                raw = cell.cached
                if raw is None:
                    self.findings.append(
                        Finding(ERROR, "R4", at, f"{_cell_label(table, key)}：单元格是公式且没有计算结果，请在 Excel/WPS 中打开并保存，或直接填写数字")
                    )
                    values[key] = None
                    continue
            try:
                if spec.type == "amount":
                    number, unit, note = parse_amount(raw)
                    if unit:
                        report.units.setdefault(table.id, {})[key] = unit
                else:
                    number, note = parse_number(raw, spec.type)
            except NumberError as exc:
                self.findings.append(Finding(ERROR, "R4", at, f"{_cell_label(table, key)}：{exc}"))
                number, note = None, ""
            values[key] = number
            if note == "mark":
                self.findings.append(Finding(WARNING, "R13", at, f"{_cell_label(table, key)}：填写了“{str(raw).strip()}”，统计表应填 0，按 0 打印"))
            elif note == "blank" and key not in totals:
                blanks.setdefault(key[0], []).append(coordinate)
        self.findings += blank_warnings(
            table,
            blanks,
            lambda _record, coords: spot(self.file, table.sheet, coords[0] if len(coords) == 1 else f"{coords[0]}:{coords[-1]}"),
            spot(self.file, table.sheet),
        )
        report.tables[table.id] = values
        report.cells[table.id] = cells


def _cell_label(table: TableSpec, key: tuple[str, str]) -> str:
    """How a finding names a value cell (only built for a finding: most cells have none)."""
    return f"{table.record_label(key[0])} {table.field_label(*key)}"


# A formula's saved result, for cells whose formula is not a table's total.
def _result(cell):
    return cell.cached if isinstance(cell, FormulaCell) else cell.value


# Excel's error values, as calamine gives an error cell (or a formula's saved error) as text.
_EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
)
# WPS keeps a picture placed in a cell as =DISPIMG("ID_…",1) (Excel's files name it _xlfn.DISPIMG).
_CELL_PICTURE = re.compile(r"=(?:_xlfn\.)?DISPIMG\(", re.IGNORECASE)


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)).strip()


_PART = re.compile(r"^\s*([一二三四五六七八九十]+)")


def _part_id(text: str) -> str:
    match = _PART.match(text)
    return match.group(1) if match else text.strip()


def _header_columns(ws, headers: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The row (among the first ten) holding every header, and each header's column."""
    wanted = {label_key(h): h for h in headers}
    for row in ws.iter_rows(min_row=1, max_row=10):
        found = {wanted[label_key(c.value)]: c.column for c in row if isinstance(c.value, str) and label_key(c.value) in wanted}
        if len(found) == len(wanted):
            return row[0].row, found
    return None
