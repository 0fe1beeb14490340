"""Write a kind's input workbook: the sheets a clerk fills in Excel or WPS.

Every sheet is derived from the kind's manifest and table declaration:
labels locked, input cells unlocked with validation, totals as live
formulas, and a check cell per rule instance that turns red when it fails.
A report may be given to pre-fill the workbook (samples, JSON → workbook).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ... import __version__
from ...declare.kinds import Kind
from ...declare.model import Report
from ...checks.rules import rule_instances
from ...declare.spec import TableSpec
from ...text import format_decimal
from .freetable import HINT
from .paper import fit_row_heights, setup_print
from .layout import (
    ATTACHMENT_HEADERS,
    ATTACHMENT_SHEET,
    HELP_SHEET,
    INFO_HEADERS,
    INFO_SHEET,
    META_SHEET,
    META_VERSION,
    NARRATIVE_HEADERS,
    NARRATIVE_SHEET,
    TABLE_TOP,
    TEMPLATES_LABEL,
)

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="E7E6E6")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
BAD_FILL = PatternFill("solid", fgColor="FF0000")
DRAFT_FILL = PatternFill("solid", fgColor="FFF2CC")  # last year's text, to be revised (init --from)
OK_TEXT, BAD_TEXT = "正确", "错误"
UNLOCKED = Protection(locked=False)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

_VALIDATIONS = {
    "int": dict(type="whole", operator="greaterThanOrEqual", formula1="0", prompt="填写 0 或正整数"),
    "signed": dict(type="whole", operator="between", formula1="-999999999", formula2="999999999", prompt="填写整数，减少写负数"),
    "decimal": dict(type="decimal", operator="greaterThanOrEqual", formula1="0", prompt="填写 0 或正数，可带小数"),
    # An amount carries its unit (251000元, 25.1万元): only the length is limited.
    "amount": dict(type="textLength", operator="lessThanOrEqual", formula1="30", prompt="填写金额并注明单位，如 251000元 或 25.1万元"),
}


# Excel and WPS take a cell that begins with one of these as a formula (openpyxl stores "=…" as one,
# and a clerk editing "+…", "-…" or "@…" turns it into one): text a clerk gave stays a string cell.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def store(cell, value):
    """Put ``value`` into ``cell``; text is stored as text, never as a formula, whatever it begins with.

    Every workbook gxreport writes (init, init --from, roll-up, import) fills its cells through
    this; the writer's own totals and checks are the only formulas.
    """
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel's leading apostrophe: still text when the clerk edits the cell
    return cell


def workbook_bytes(kind: Kind, report: Report | None = None, meta: dict[str, str] | None = None, drafts: frozenset = frozenset()) -> bytes:
    """The kind's workbook as .xlsx bytes, optionally filled with ``report``.

    ``meta`` adds entries to the hidden _meta sheet; ``drafts`` names the field keys
    and narrative rows (0-based block indices) holding last year's text, shaded for revision.
    """
    wb = Workbook()
    wb.remove(wb.active)
    _help_sheet(wb, kind)
    _info_sheet(wb, kind, report, drafts)
    _narrative_sheet(wb, kind, report, drafts)
    for table in kind.tables:
        _table_sheet(wb, table, report)
    if kind.free_table:
        _free_table_sheet(wb, kind.free_table, report.free_table if report else [])
    _attachment_sheet(wb, report)
    _meta_sheet(wb, kind, meta or {})
    wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _title(ws, text: str, width: int) -> None:
    cell = store(ws.cell(row=1, column=1), text)
    cell.font, cell.alignment = Font(bold=True, size=14), Alignment(vertical="center", wrap_text=True)
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _help_sheet(wb: Workbook, kind: Kind) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    steps = [
        [f"在“{INFO_SHEET}”表填写机关名称、报告年度、成文日期等，白色单元格为填写区。"],
        [
            f"在“{NARRATIVE_SHEET}”表按行填写正文：层级 1–4 对应 一、（一）1.（1），编号由程序生成，不要手工输入编号。",
            "   标题以句号或冒号结尾时，标题与正文排在同一段（如“（一）加强组织领导。我局……”）。",
        ],
    ]
    if kind.tables:
        steps.append([
            "在表二、表三、表四的白色单元格填写数字（没有发生的填 0）。灰色为标签、蓝色为自动合计，请勿修改。",
            "   表格下方的“勾稽检查”单元格显示“错误”并变红时，说明数字不平衡，请核对。",
        ])
    if kind.free_table:
        steps.append([
            f"如需统计表，在“{kind.free_table}”表按自己的行列填写（第一行为表头）；正文中单独一行写【{kind.free_table}】处放置该表。",
        ])
    steps.append([f"如有附件，在“{ATTACHMENT_SHEET}”表一行填写一个附件。"])
    steps.append([
        "填好后保存，在“报告工作台”网页上传本文件：检查结果逐条列出问题和单元格，没有错误即可下载 Word 文档、PDF 和网页。",
        "   网页由 gxreport serve 在本机打开，或使用政务公开办发来的本单位上传链接。",
        "   也可以在命令行运行：gxreport check 本文件.xlsx 检查，gxreport build 本文件.xlsx 生成 Word 文档。",
    ])
    lines = [f"{kind.name}（{kind.label}）填写说明", ""]
    for number, (first, *rest) in enumerate(steps, start=1):
        lines += [f"{number}. {first}", *rest]
    lines += ["", "工作表受保护（无密码）只是为了防止误改标签；如需修改结构，可在“审阅”中撤销保护。"]
    for i, line in enumerate(lines, start=1):
        store(ws.cell(row=i, column=1), line).alignment = WRAP_LEFT
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 80  # prints unscaled on A4 portrait
    fit_row_heights(ws)
    setup_print(ws)


def _info_sheet(wb: Workbook, kind: Kind, report: Report | None, drafts: frozenset = frozenset()) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    _title(ws, f"{kind.name} 基本信息", 3)
    for col, header in enumerate(INFO_HEADERS, start=1):
        cell = store(ws.cell(row=2, column=col), header)
        cell.font, cell.fill, cell.border = Font(bold=True), LABEL_FILL, BORDER
    for i, spec in enumerate(kind.fields, start=3):
        label = store(ws.cell(row=i, column=1), spec.label)
        label.fill, label.border, label.alignment = LABEL_FILL, BORDER, WRAP_LEFT
        value = store(ws.cell(row=i, column=2), _field_value(spec, report))
        value.protection, value.border, value.alignment = UNLOCKED, BORDER, WRAP_LEFT
        if spec.key in drafts:
            value.fill = DRAFT_FILL
        note = store(ws.cell(row=i, column=3), ("（必填）" if spec.required else "") + spec.note)
        note.alignment = WRAP_LEFT
        if spec.type == "date":
            value.number_format = DATE_FORMAT
        validation = _field_validation(spec)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(value)
    row = len(kind.fields) + 3
    label = store(ws.cell(row=row, column=1), TEMPLATES_LABEL)
    label.fill, label.border, label.alignment = LABEL_FILL, BORDER, WRAP_LEFT
    value = ws.cell(row=row, column=2)
    value.protection, value.border = UNLOCKED, BORDER
    store(ws.cell(row=row, column=3), "可选：本单位自定义报告类型的模板文件夹（相对于本工作簿所在文件夹），其中同名类型优先").alignment = WRAP_LEFT
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 50
    fit_row_heights(ws)
    setup_print(ws, title_rows="2:2")
    ws.protection.sheet = True


def _field_value(spec, report: Report | None):
    value = spec.default if report is None else report.fields.get(spec.key)
    if spec.type == "choice" and report is not None and value is not None:
        by_code = {code: label for label, code in spec.choices.items()}
        return by_code.get(value, value)
    if spec.type == "bool" and isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date) or value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


def _field_validation(spec) -> DataValidation | None:
    if spec.type == "choice":
        return DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True)
    if spec.type == "bool":
        return DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    if spec.type == "year":
        return DataValidation(type="whole", operator="between", formula1="1990", formula2="2100", allow_blank=True)
    if spec.type in ("int", "decimal"):
        return _number_validation(spec.type)
    return None


def _number_validation(value_type: str) -> DataValidation:
    params = dict(_VALIDATIONS[value_type])
    prompt = params.pop("prompt")
    return DataValidation(
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数字不符合要求",
        error=prompt,
        showInputMessage=False,
        **params,
    )


def _narrative_sheet(wb: Workbook, kind: Kind, report: Report | None, drafts: frozenset = frozenset()) -> None:
    ws = wb.create_sheet(NARRATIVE_SHEET)
    headers = NARRATIVE_HEADERS if kind.parts else NARRATIVE_HEADERS[1:]
    _title(ws, f"{kind.name} 正文（一行一段；层级 1–4 对应 一、（一）1.（1），编号自动生成）", len(headers))
    for col, header in enumerate(headers, start=1):
        cell = store(ws.cell(row=2, column=col), header)
        cell.font, cell.fill, cell.border = Font(bold=True), LABEL_FILL, BORDER
    if report is not None:
        rows = [(b.part, b.level or None, b.title, b.text) for b in report.blocks]
    else:
        rows = [(s.get("part", ""), s.get("level"), s.get("title", ""), s.get("text", "")) for s in kind.starter]
    for i, row in enumerate(rows, start=3):
        values = row if kind.parts else row[1:]
        for col, value in enumerate(values, start=1):
            cell = store(ws.cell(row=i, column=col), value or None)
            cell.alignment = WRAP_LEFT
            if i - 3 in drafts:
                cell.fill = DRAFT_FILL
    widths = {"部分": 6, "层级": 6, "标题": 26, "正文": 80}
    for col, header in enumerate(headers, start=1):
        column = ws.column_dimensions[get_column_letter(col)]
        column.width, column.alignment = widths[header], WRAP_LEFT  # rows typed later wrap too
    ws.freeze_panes = "A3"
    fit_row_heights(ws, range(1, 3))  # paragraphs are single cells: the programs fit their rows
    setup_print(ws, title_rows="2:2")


def _attachment_sheet(wb: Workbook, report: Report | None) -> None:
    ws = wb.create_sheet(ATTACHMENT_SHEET)
    _title(ws, "附件（可选；一行一个附件，正文内的换行即分段）", 2)
    for col, header in enumerate(ATTACHMENT_HEADERS, start=1):
        cell = store(ws.cell(row=2, column=col), header)
        cell.font, cell.fill, cell.border = Font(bold=True), LABEL_FILL, BORDER
    for i, attachment in enumerate(report.attachments if report else (), start=3):
        store(ws.cell(row=i, column=1), attachment.title).alignment = WRAP_LEFT
        store(ws.cell(row=i, column=2), attachment.text).alignment = WRAP_LEFT
    for letter, width in (("A", 30), ("B", 80)):
        ws.column_dimensions[letter].width, ws.column_dimensions[letter].alignment = width, WRAP_LEFT
    fit_row_heights(ws, range(1, 3))
    setup_print(ws, title_rows="2:2")


def _meta_sheet(wb: Workbook, kind: Kind, extra: dict[str, str]) -> None:
    ws = wb.create_sheet(META_SHEET)
    entries = (("kind", kind.id), ("format", kind.format), ("template_version", META_VERSION), ("gxreport", __version__))
    for i, (key, value) in enumerate((*entries, *extra.items()), start=1):
        store(ws.cell(row=i, column=1), key)
        cell = store(ws.cell(row=i, column=2), value)
        cell.data_type = "s"  # a file name such as "=a.xlsx" stays text, never a formula
    ws.sheet_state = "hidden"


def cell_address(table: TableSpec, key: tuple[str, str]) -> str:
    """Where a value cell sits on its sheet, e.g. D7."""
    cell = table.cell_by_key[key]
    return f"{get_column_letter(cell.col + 1)}{TABLE_TOP + cell.row}"


def _table_sheet(wb: Workbook, table: TableSpec, report: Report | None) -> None:
    ws = wb.create_sheet(table.sheet)
    _title(ws, f"表{table.number} {table.title}", table.n_cols)
    hint = store(ws.cell(row=2, column=1), "白色单元格填写数字，没有发生的填 0；灰色为标签，蓝色为自动合计（公式），请勿修改。")
    hint.alignment = Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=table.n_cols)
    derived = {}
    for rule in table.rules:
        if rule.derived:
            for instance in rule_instances(table, rule):
                derived.setdefault(instance.total, instance.parts)
    values = report.tables.get(table.id, {}) if report else {}
    units = report.units.get(table.id, {}) if report else {}
    validations = {t: _number_validation(t) for t in _VALIDATIONS}
    for cell in table.cells:
        row, col = TABLE_TOP + cell.row, cell.col + 1
        target = ws.cell(row=row, column=col)
        if cell.is_value:
            if cell.key in derived:
                parts = ",".join(cell_address(table, k) for k in derived[cell.key])
                target.value = f"=SUM({parts})"
                target.fill = TOTAL_FILL
            else:
                store(target, _cell_number(values.get(cell.key), units.get(cell.key, "")))
                target.fill, target.protection = INPUT_FILL, UNLOCKED
                validations[cell.type].add(target)
            target.alignment = WRAP_CENTER
        else:
            store(target, cell.text)
            target.fill, target.alignment = LABEL_FILL, WRAP_CENTER
            target.font = Font(bold=cell.header)
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                ws.cell(row=r, column=c).border = BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
    for validation in validations.values():
        if validation.sqref:
            ws.add_data_validation(validation)
    _check_cells(ws, table)
    label_cols = {c.col for c in table.cells if not c.is_value and not c.header}
    for col in range(table.n_cols):
        width = 16 if col in label_cols else 11
        ws.column_dimensions[get_column_letter(col + 1)].width = max(width, table.widths_mm[col] / 2.2)
    fit_row_heights(ws)
    setup_print(ws, one_page=True)
    ws.protection.sheet = True


def _cell_number(value, unit: str = ""):
    if unit and value is not None:
        return f"{format_decimal(value)}{unit}"
    if isinstance(value, Decimal):
        return float(value) if value == value.to_integral_value() else str(value)
    return value


def _check_cells(ws, table: TableSpec) -> None:
    """One 正确/错误 formula per rule instance that can fail, red when it does.

    A derived total is the workbook's own SUM of its parts, so its sum rule
    always holds: only rules between cells the clerk types (balances, typed
    totals) get check cells. Instances that sit in different columns get a
    row under the table, its caption across the label columns; instances
    that sit in different rows get a column to its right.
    """
    bottom = TABLE_TOP + table.n_rows + 1
    right = table.n_cols + 2
    red = CellIsRule(operator="equal", formula=[f'"{BAD_TEXT}"'], fill=BAD_FILL, font=Font(color="FFFFFF", bold=True))
    for rule in table.rules:
        if rule.derived:
            continue
        instances = rule_instances(table, rule)
        anchors = [table.cell_by_key[i.anchor] for i in instances]
        by_column = len({a.col for a in anchors}) == len(anchors)
        if by_column:
            row = bottom
            bottom += 1
            head = store(ws.cell(row=row, column=1), f"勾稽检查 {rule.id}：{rule_caption(table, rule)}")
            label_end = min(a.col for a in anchors)  # the columns left of the first check cell
            if label_end > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_end)
            positions = [(row, a.col + 1) for a in anchors]
        else:
            head = store(ws.cell(row=TABLE_TOP, column=right), f"勾稽检查 {rule.id}")
            ws.column_dimensions[get_column_letter(right)].width = 11
            positions = [(TABLE_TOP + a.row, right) for a in anchors]
            right += 1
        head.font, head.alignment = Font(bold=True), WRAP_LEFT
        for (row, col), instance in zip(positions, instances):
            lhs = "+".join(cell_address(table, k) for k in instance.lhs)
            rhs = "+".join(cell_address(table, k) for k in instance.rhs)
            target = ws.cell(row=row, column=col, value=f'=IF({lhs}={rhs},"{OK_TEXT}","{BAD_TEXT}")')
            target.alignment = WRAP_CENTER
            ws.conditional_formatting.add(target.coordinate, red)


def rule_caption(table: TableSpec, rule) -> str:
    """A short statement of a rule for the workbook, e.g. 本年新收+上年结转=总计+结转下年度."""
    if rule.each == "field":
        name = table.record_label
    else:
        first = table.record_order[0]
        name = lambda key: table.field_label(first, key)  # noqa: E731
    if rule.type == "sum":
        return f"{name(rule.total)}=各项之和"
    return "+".join(name(k) for k in rule.lhs) + "=" + "+".join(name(k) for k in rule.rhs)


def _free_table_sheet(wb, name: str, rows: list[list[str]]) -> None:
    """An empty (or pre-filled) free table sheet with its one-line hint."""
    ws = wb.create_sheet(name)
    store(ws.cell(row=1, column=1), HINT.format(name=name)).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    for r, row in enumerate(rows, start=3):
        for c, text in enumerate(row, start=1):
            cell = store(ws.cell(row=r, column=c), text or None)
            cell.border = BORDER
            if r == 3:
                cell.font, cell.fill = Font(bold=True), LABEL_FILL
    for c in range(1, 7):
        ws.column_dimensions[chr(64 + c)].width = 18
    fit_row_heights(ws)
    setup_print(ws)
