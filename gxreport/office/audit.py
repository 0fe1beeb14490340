"""``gxreport audit``: the review of a county's published reports, in one workbook.

Every report of the folder (web pages, Word files, PDFs, workbooks, JSON) is
read and checked in worker processes (``batch.run_ordered``), each sending
back an ``AuditRow``: small, no Report. When the folder also holds an
agency's report of the year before, R5/R8 compare the two. The audit
workbook has one row per report (agency, year, format, each rule's result,
the cells in error, the narrative figures that disagree with the tables,
the file), a sheet per rule listing its findings, and a summary; every
sheet prints on A4 landscape, and every text is stored as text.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .batch import FOLDER_SUFFIXES, collect_inputs, internal_error, run_ordered
from ..errors import ERROR, Finding, GxError
from ..declare.kinds import Registry

AUDIT_SUFFIXES = (".html", ".htm", ".docx", ".pdf", *FOLDER_SUFFIXES)
# The rules of the README's table, in its order; readers' own codes come after.
RULES = tuple(f"R{i}" for i in range(1, 14))
OTHER_CODES = ("导入", "输入", "上年")
NARRATIVE_RULE = "R10"
SUMMARY_SHEET, REPORTS_SHEET = "汇总", "报告"
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
_WARNING_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_SPOTS = 12  # error cells listed on a report's row; the rule sheets list all


@dataclass
class AuditRow:
    """One report's outcome, small enough to send between processes."""

    path: Path
    agency: str = ""
    year: int | None = None
    kind_name: str = ""
    format: str = ""
    findings: list[Finding] = field(default_factory=list)
    unreadable: str = ""
    figures: dict | None = None  # the report's JSON form without its text: for the cross-year rules
    cells: dict = field(default_factory=dict)
    last_year: str = ""  # the file of the agency's report of the year before, when audited too
    cross_year: list[Finding] = field(default_factory=list)  # its R5/R8 findings, also in ``findings``

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def failed(self) -> bool:
        return bool(self.unreadable or self.errors)

    @property
    def status(self) -> str:
        if self.unreadable:
            return "无法读取"
        return "有错误" if self.errors else "通过"

    def result(self, rule: str) -> str:
        """通过, or 错误 n / 警告 n for the findings of one rule."""
        if self.unreadable:
            return "—"
        found = [f for f in self.findings if f.rule == rule]
        errors = sum(f.is_error for f in found)
        if errors:
            return f"错误 {errors}"
        return f"警告 {len(found)}" if found else "通过"


def audit_one(path: Path, registry: Registry, vet: Callable | None = None) -> AuditRow:
    """Read and check one report; every failure stays in the row.

    ``vet(report)`` may refuse a report read (a GxError), as the desk refuses an
    uploaded workbook that names files on the server."""
    from ..inputs.jsonform import report_to_dict
    from ..pipeline import report_findings
    from ..inputs.reading import PUBLISHED_SUFFIXES, load_report

    row = AuditRow(path)
    try:
        if path.suffix.lower() in PUBLISHED_SUFFIXES:
            from ..inputs.importer import import_report

            report = import_report(path, registry).report
        else:
            report = load_report(path, registry)
        if vet is not None:
            vet(report)
        row.agency, row.year = report.agency, report.year
        row.kind_name, row.format = report.kind.name, report.kind.format
        row.findings = report_findings(report, registry)
        figures = report_to_dict(report)
        for key in ("sections", "attachments", "indicators"):
            figures.pop(key, None)
        row.figures, row.cells = figures, report.cells
    except GxError as exc:
        row.unreadable = str(exc)
    except Exception as exc:  # one broken file must not end the audit
        row.unreadable = internal_error(path, exc)
    return row


@dataclass
class AuditResult:
    rows: list[AuditRow]

    @property
    def failed(self) -> list[AuditRow]:
        return [r for r in self.rows if r.failed]

    @property
    def nothing_read(self) -> bool:
        return all(r.unreadable for r in self.rows)


def audit(paths: list[Path], registry: Registry, jobs: int, on_row: Callable[[AuditRow], None] | None = None,
          vet: Callable | None = None) -> AuditResult:
    """Audit every report of ``paths`` (files, or folders of them); ``vet`` as for ``audit_one``."""
    rows = []
    one = audit_one if vet is None else partial(audit_one, vet=vet)
    for row in run_ordered(one, collect_inputs(paths, AUDIT_SUFFIXES), registry, jobs):
        rows.append(row)
        if on_row is not None:
            on_row(row)
    _compare_years(rows, registry)
    return AuditResult(rows)


def _compare_years(rows: list[AuditRow], registry: Registry) -> None:
    """R5/R8 for each report whose agency's report of the year before is in the audit too."""
    from ..checks.crossyear import compare_with_previous
    from ..inputs.jsonform import report_from_dict

    by_year = {(r.agency, r.year): r for r in rows if r.figures is not None and r.agency and r.year}
    for (agency, year), row in by_year.items():
        last = by_year.get((agency, year - 1))
        if last is None:
            continue
        try:
            this_report = report_from_dict(row.figures, row.path.name, registry)
            last_report = report_from_dict(last.figures, last.path.name, registry)
        except GxError:
            continue
        this_report.cells, last_report.cells = row.cells, last.cells
        row.last_year, row.cross_year = last.path.name, compare_with_previous(this_report, last_report, last.findings)
        row.findings = sorted(row.findings + row.cross_year, key=lambda f: not f.is_error)


def rule_columns(result: AuditResult) -> list[str]:
    """The rules a review lists, in the README's order, then the readers' codes that occur."""
    return list(RULES) + [c for c in OTHER_CODES if any(f.rule == c for r in result.rows for f in r.findings)]


def audit_workbook(result: AuditResult) -> bytes:
    """The audit workbook: summary, one row per report, one sheet per rule."""
    from ..inputs.workbook.writer import store

    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    rules = rule_columns(result)
    _summary_sheet(summary, result, rules, store)
    _reports_sheet(wb.create_sheet(REPORTS_SHEET), result, rules, store)
    for rule in rules:
        found = [(row, f) for row in result.rows for f in row.findings if f.rule == rule]
        if found:
            _rule_sheet(wb.create_sheet(rule), found, store)
    unreadable = [r for r in result.rows if r.unreadable]
    if unreadable:
        ws = wb.create_sheet("无法读取")
        _table(ws, ["文件", "原因"], [[str(r.path), r.unreadable] for r in unreadable], [50, 100], store)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _summary_sheet(ws, result: AuditResult, rules: list[str], store) -> None:
    rows = result.rows
    counts = Counter(r.status for r in rows)
    lines = [
        ["审核的报告", len(rows)],
        ["通过", counts["通过"]],
        ["有错误", counts["有错误"]],
        ["无法读取", counts["无法读取"]],
        ["有警告", sum(1 for r in rows if not r.unreadable and len(r.findings) > len(r.errors))],
    ]
    _table(ws, ["项目", "份数"], lines, [30, 12], store)
    start = len(lines) + 3
    for col, head in enumerate(["规则", "有错误的报告", "只有警告的报告"], start=1):
        cell = store(ws.cell(row=start, column=col), head)
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
    for i, rule in enumerate(rules, start=start + 1):
        with_errors = sum(1 for r in rows if r.result(rule).startswith("错误"))
        with_warnings = sum(1 for r in rows if r.result(rule).startswith("警告"))
        for col, value in enumerate([rule, with_errors, with_warnings], start=1):
            store(ws.cell(row=i, column=col), value)


def _reports_sheet(ws, result: AuditResult, rules: list[str], store) -> None:
    heads = ["文件", "机关", "年度", "格式", "审核结果", "错误数", "警告数", *rules, "错误位置", "首个错误", "正文数字与统计表不符", "上年报告", "文件路径"]
    body = []
    for row in result.rows:
        errors = row.errors
        spots = "；".join(str(f.where) for f in errors[:_MAX_SPOTS]) + ("；……" if len(errors) > _MAX_SPOTS else "")
        first = row.unreadable or (f"{errors[0].where}: {errors[0].message}" if errors else "")
        narrative = "\n".join(f"{f.where}: {f.message}" for f in row.findings if f.rule == NARRATIVE_RULE)
        body.append(
            [
                row.path.name, row.agency, row.year, f"{row.kind_name} {row.format}".strip(), row.status,
                len(errors), len(row.findings) - len(errors), *(row.result(rule) for rule in rules),
                spots, first, narrative, row.last_year, str(row.path),
            ]
        )
    widths = [28, 26, 7, 24, 10, 7, 7, *([8] * len(rules)), 40, 60, 60, 24, 40]
    _table(ws, heads, body, widths, store)
    status_col = heads.index("审核结果") + 1
    first_rule = heads.index(rules[0]) + 1 if rules else None
    for r in range(2, len(body) + 2):
        status = ws.cell(row=r, column=status_col)
        if status.value != "通过":
            status.fill = _ERROR_FILL
        for c in range(first_rule, first_rule + len(rules)) if first_rule else ():
            cell = ws.cell(row=r, column=c)
            if str(cell.value).startswith("错误"):
                cell.fill = _ERROR_FILL
            elif str(cell.value).startswith("警告"):
                cell.fill = _WARNING_FILL


def _rule_sheet(ws, found: list[tuple[AuditRow, Finding]], store) -> None:
    """A rule's findings, the sheet and the cell (or JSON path) in their own columns to sort and filter by."""
    body = [
        [row.path.name, row.agency, row.year, f.severity, f.where.sheet, f.where.within, str(f.where), f.message]
        for row, f in found
    ]
    _table(ws, ["文件", "机关", "年度", "级别", "工作表", "单元格", "位置", "说明"], body, [28, 26, 7, 7, 12, 14, 36, 90], store)
    for r, (_, f) in enumerate(found, start=2):
        if f.severity == ERROR:
            ws.cell(row=r, column=4).fill = _ERROR_FILL


def _table(ws, heads: list[str], body: list[list], widths: list[int], store) -> None:
    """A header row and the body, as text never taken for a formula; printable on A4 landscape."""
    for col, head in enumerate(heads, start=1):
        cell = store(ws.cell(row=1, column=col), head)
        cell.font, cell.fill, cell.alignment = Font(bold=True), _HEAD_FILL, _WRAP
    for r, values in enumerate(body, start=2):
        for col, value in enumerate(values, start=1):
            store(ws.cell(row=r, column=col), value).alignment = _WRAP
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
