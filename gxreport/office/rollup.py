"""Roll-up (汇总): a county government's tables as the sum of its departments'.

Every input is read and checked in worker processes that send back only
the printed numbers of its tables and its check counts. The inputs must
share one kind, format and year and name each agency once; files with
errors are refused unless the office forces them in (they are then marked
on the overview). The result is an ordinary input workbook for ``build``
(the writer's own sheets, the agency type the kind declares for a roll-up
(``[rollup]``), the starter narrative for the clerk, the 成文日期 left blank
for the office to fill) with two more sheets the reader ignores:

- 汇总概览: one row per agency with its key figures (declared in
  ``tables.toml`` as ``[[rollup_figure]]``) and its check status;
- 汇总来源: one row per table cell with the sum and each file's value, so
  every summed number can be traced to the files that gave it.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from .batch import collect_inputs, internal_error, run_ordered
from ..errors import EXIT_FINDINGS, GxError, InputError, OutputError, TemplateError
from ..declare.kinds import Kind, Registry
from ..declare.model import Report
from ..checks.rules import complete, derived_totals
from ..declare.spec import declared_entries

OVERVIEW_SHEET = "汇总概览"
SOURCES_SHEET = "汇总来源"
SUMMED_FIELD_TYPES = ("int", "decimal")


class RollupRefused(GxError):
    """Inputs with errors were not summed (``--force`` sums them anyway)."""

    exit_code = EXIT_FINDINGS


@dataclass
class Contribution:
    """One agency's part of the roll-up, small enough to send between processes."""

    path: Path
    agency: str = ""
    year: int | None = None
    kind: tuple[str, str] = ("", "")  # (kind id, format)
    tables: dict[str, dict[tuple[str, str], int | Decimal]] = field(default_factory=dict)  # printed values
    numbers: dict[str, int | Decimal] = field(default_factory=dict)  # numeric basic fields (fees)
    errors: int = 0
    warnings: int = 0
    first_error: str = ""
    unreadable: bool = False


@dataclass(frozen=True)
class Figure:
    label: str
    table: str
    key: tuple[str, str]


@dataclass
class RollupResult:
    output: Path
    contributions: list[Contribution]
    forced: list[Contribution]  # summed although they have errors


def read_contribution(path: Path, registry: Registry) -> Contribution:
    from ..pipeline import report_findings
    from ..inputs.reading import load_report

    part = Contribution(path)
    try:
        report = load_report(path, registry)
        findings = report_findings(report, registry)
    except GxError as exc:
        part.unreadable, part.first_error = True, str(exc)
        return part
    except Exception as exc:  # one broken file must not end the roll-up
        part.unreadable, part.first_error = True, internal_error(path, exc)
        return part
    part.agency, part.year, part.kind = report.agency, report.year, (report.kind.id, report.kind.format)
    part.tables = {t.id: complete(t, report.tables.get(t.id, {})) for t in report.kind.tables}
    part.numbers = {
        f.key: report.fields[f.key]
        for f in report.kind.fields
        if f.type in SUMMED_FIELD_TYPES and isinstance(report.fields.get(f.key), (int, Decimal))
    }
    errors = [f for f in findings if f.is_error]
    part.errors, part.warnings = len(errors), len(findings) - len(errors)
    part.first_error = str(errors[0]) if errors else ""
    return part


def _is_rollup(path: Path) -> bool:
    """Whether ``path`` is a workbook this module wrote (it has the overview sheet)."""
    from ..inputs.workbook.xlsx import Workbook

    try:
        return OVERVIEW_SHEET in Workbook(path).sheetnames
    except Exception:  # noqa: BLE001 - unreadable means not ours
        return False


def rollup_figures(kind: Kind) -> tuple[Figure, ...]:
    """The overview's key figures, as the kind declares them."""
    if not kind.tables_file:
        return ()
    path = kind.folder / kind.tables_file
    figures = []
    for raw in declared_entries(path, "rollup_figure"):
        figure = Figure(raw["label"], raw["table"], (raw["record"], raw["field"]))
        table = next((t for t in kind.tables if t.id == figure.table), None)
        if table is None or figure.key not in table.cell_by_key:
            raise TemplateError(f"汇总指标“{figure.label}”引用了不存在的单元格 {figure.table}.{'.'.join(figure.key)}", path)
        figures.append(figure)
    return tuple(figures)


def rollup(
    inputs: list[Path],
    output: Path,
    registry: Registry,
    agency: str,
    year: int | None = None,
    force: bool = False,
    jobs: int | None = None,
    on_read: Callable[[Contribution], None] = lambda part: None,
) -> RollupResult:
    """Sum the inputs' tables into a new workbook at ``output``; never overwrites without ``force``."""
    from ..fsio import refuse_input_as_output, write_output

    if output.suffix.lower() != ".xlsx":
        raise InputError("汇总工作簿文件名应以 .xlsx 结尾", output.name)
    if output.exists() and not force:
        raise OutputError("文件已存在，未覆盖；如确需覆盖请加 --force", output)
    refuse_input_as_output(output, *inputs)
    files = collect_inputs(inputs)
    if output.exists():
        same = [f for f in files if f.resolve() == output.resolve()]
        if same and not _is_rollup(output):
            refuse_input_as_output(output, *same)
        # An earlier roll-up written into the folder it sums is no agency's report: never sum it in.
        files = [f for f in files if f not in same]
    if not files:
        raise InputError("没有找到要汇总的文件（文件夹中应有 .xlsx 工作簿或 .json 报告）")
    from .batch import default_jobs

    parts = []
    for part in run_ordered(read_contribution, files, registry, max(1, jobs or default_jobs())):
        parts.append(part)
        on_read(part)
    _refuse_unreadable(parts)
    kind = _common_kind(parts, registry, year)
    _refuse_duplicates(parts)
    with_errors = [p for p in parts if p.errors]
    if with_errors and not force:
        listed = "\n".join(f"  {p.path.name}：{p.first_error}" for p in with_errors)
        raise RollupRefused(
            f"{len(with_errors)} 个文件有错误，未汇总（修正后重试，或加 --force 照样计入并在汇总概览中标明）：\n{listed}"
        )
    report = _summed_report(kind, parts, agency)
    write_output(output, _workbook(kind, report, parts), force=force, tracked=False)
    return RollupResult(output, parts, with_errors)


def _refuse_unreadable(parts: list[Contribution]) -> None:
    unreadable = [p for p in parts if p.unreadable]
    if unreadable:
        listed = "\n".join(f"  {p.first_error}" for p in unreadable)
        raise InputError(f"{len(unreadable)} 个文件无法读取，未汇总：\n{listed}")


def _describe(kind: tuple[str, str], year: int | None) -> str:
    return f"{kind[1] or kind[0]} 格式、{year if year is not None else '未填'} 年度"


def _common_kind(parts: list[Contribution], registry: Registry, year: int | None) -> Kind:
    """The one kind, format and year of all inputs; the odd files are named."""
    if year is None:
        year = Counter(p.year for p in parts).most_common(1)[0][0]
    kinds = Counter(p.kind for p in parts if p.year == year) or Counter(p.kind for p in parts)
    norm = kinds.most_common(1)[0][0]
    odd = [p for p in parts if p.kind != norm or p.year != year]
    if odd:
        listed = "\n".join(f"  {p.path.name}（{p.agency or '机关名称未填'}）：{_describe(p.kind, p.year)}" for p in odd)
        raise InputError(f"只能汇总同一格式、同一年度的报告（{_describe(norm, year)}），以下文件不符：\n{listed}")
    return registry.get(norm[0], fmt=norm[1] or None)


def _refuse_duplicates(parts: list[Contribution]) -> None:
    seen: dict[str, Contribution] = {}
    clashes = []
    for part in parts:
        if part.agency in seen:
            clashes.append(f"  “{part.agency}”：{seen[part.agency].path.name} 与 {part.path.name}")
        else:
            seen[part.agency] = part
    if clashes:
        raise InputError("同一机关的报告出现了不止一次，未汇总：\n" + "\n".join(clashes))


def _summed_report(kind: Kind, parts: list[Contribution], agency: str) -> Report:
    """The government's report: summed tables and numeric fields, the starter narrative.

    The 成文日期 stays blank: the office dates the report when it signs it off
    (today's date would only trip R12 or be forgotten).
    """
    report = Report.blank(kind, agency)
    if kind.rollup_agency_type:
        report.set_role("agency_type", kind.rollup_agency_type)
    agency_field = kind.role_field("agency")
    try:  # the field's own parser: control characters typed in --agency go
        report.set_role("agency", agency_field.parse(agency) if agency_field else agency)
    except ValueError as exc:
        raise InputError(f"--agency: {exc}") from None
    report.set_role("year", parts[0].year)
    for spec in kind.fields:
        given = [p.numbers[spec.key] for p in parts if spec.key in p.numbers]
        if given:
            report.fields[spec.key] = sum(given, 0)
    for table in kind.tables:
        derived = derived_totals(table)
        report.tables[table.id] = {
            key: None if key in derived else sum((p.tables[table.id][key] for p in parts), 0) for key in table.value_keys
        }
    return report


def _plain_number(number):
    return float(number) if isinstance(number, Decimal) else number


def _workbook(kind: Kind, report: Report, parts: list[Contribution]) -> bytes:
    from openpyxl import load_workbook

    from ..inputs.workbook.writer import workbook_bytes

    wb = load_workbook(io.BytesIO(workbook_bytes(kind, report)))
    _overview_sheet(wb.create_sheet(OVERVIEW_SHEET, 0), kind, report, parts)
    _sources_sheet(wb.create_sheet(SOURCES_SHEET, 1), kind, parts)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _overview_sheet(ws, kind: Kind, report: Report, parts: list[Contribution]) -> None:
    """One row per agency: key figures and check status, then the 合计 row."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..inputs.workbook.paper import fit_row_heights, setup_print
    from ..inputs.workbook.writer import store

    figures = rollup_figures(kind)
    store(ws.cell(row=1, column=1), f"{report.agency}{report.year}年{kind.name}汇总概览（{len(parts)} 个机关）").font = Font(bold=True, size=14)
    headers = ["序号", "机关名称", "文件", *(f.label for f in figures), "检查状态", "错误数", "警告数", "首个错误"]
    for col, header in enumerate(headers, start=1):
        cell = store(ws.cell(row=2, column=col), header)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    flagged = PatternFill("solid", fgColor="FCE4D6")
    for row, part in enumerate(parts, start=3):
        status = "有错误（已强制计入）" if part.errors else ("有警告" if part.warnings else "通过")
        values = [row - 2, part.agency, part.path.name, *(_plain_number(part.tables[f.table][f.key]) for f in figures),
                  status, part.errors, part.warnings, part.first_error]
        for col, value in enumerate(values, start=1):
            cell = store(ws.cell(row=row, column=col), value)
            if part.errors:
                cell.fill = flagged
    total_row = len(parts) + 3
    store(ws.cell(row=total_row, column=2), "合计").font = Font(bold=True)
    for i, figure in enumerate(figures):
        total = sum((p.tables[figure.table][figure.key] for p in parts), 0)
        store(ws.cell(row=total_row, column=4 + i), _plain_number(total)).font = Font(bold=True)
    for col, width in enumerate([6, 28, 28, *([12] * len(figures)), 18, 8, 8, 80], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "D3"
    fit_row_heights(ws, range(2, 3))
    setup_print(ws, title_rows="2:2")


def _sources_sheet(ws, kind: Kind, parts: list[Contribution]) -> None:
    """Per table cell: where it sits in this workbook, the sum, and every file's value."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..inputs.workbook.paper import setup_print
    from ..inputs.workbook.writer import cell_address, store

    store(ws.cell(row=1, column=1), "汇总来源：每个汇总单元格的合计及各机关（文件）填报的数值").font = Font(bold=True, size=14)
    fixed = ["表", "单元格", "项目", "汇总值"]
    for col, header in enumerate(fixed, start=1):
        store(ws.cell(row=2, column=col), header).font = Font(bold=True)
    store(ws.cell(row=3, column=3), "（文件）")
    for i, part in enumerate(parts):
        store(ws.cell(row=2, column=len(fixed) + 1 + i), part.agency).font = Font(bold=True)
        store(ws.cell(row=3, column=len(fixed) + 1 + i), part.path.name)
    row = 4
    for table in kind.tables:
        for key in table.value_keys:
            values = [part.tables[table.id][key] for part in parts]
            label = f"{table.record_label(key[0])} {table.field_label(*key)}"
            line = [f"表{table.number}", f"{table.sheet}!{cell_address(table, key)}", label, _plain_number(sum(values, 0)),
                    *(_plain_number(v) for v in values)]
            for col, value in enumerate(line, start=1):
                store(ws.cell(row=row, column=col), value)
            row += 1
    for col, width in enumerate([6, 12, 40, 10, *([14] * len(parts))], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "E4"
    setup_print(ws, title_rows="2:3")
