"""Make and fill report workbooks from test code: typed in cell by cell, the way a
clerk would in Excel, or generated whole from a Report with the library's writer.

Cells are addressed as a clerk sees them (``"表三", "D7"``) so a test states
exactly which cell it changed and which cell a message must name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from gxreport import api
from gxreport.declare.kinds import Registry
from gxreport.declare.model import Block, Report
from gxreport.checks.rules import derived_totals
from gxreport.inputs.workbook.writer import workbook_bytes

def new_workbook(path: Path, agency: str = "某县测试局", year: int = 2021, date: object = dt.date(2022, 1, 20)) -> Path:
    """A workbook from ``gxreport init``, with its basic fields and sections filled and every number 0."""
    api.init_workbook(path, Registry(), year=year, agency=agency)
    wb = load_workbook(path)
    info = wb["基本信息"]
    for row in info.iter_rows(min_row=3):
        label = row[0].value
        if label == "成文日期":
            row[1].value = date
        elif label and label.startswith("信息处理费"):
            row[1].value = 0
    narrative = wb["正文"]
    for row in narrative.iter_rows(min_row=3):
        part = row[0].value
        if part == "一" and row[2].value:
            row[3].value = f"{row[2].value}方面，本局按要求开展工作。"
        elif part == "五":
            row[3].value = "信息更新还不够及时。下一步将建立台账，按月核对。"
        elif part == "六":
            row[3].value = "无其他需要报告的事项。"
    fill_blank_numbers(wb)
    wb.save(path)
    return path


def fill_blank_numbers(wb, value: int = 0) -> None:
    """Type ``value`` into every input cell of the statutory tables still blank."""
    for name in ("表二", "表三", "表四"):
        ws = wb[name]
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell, MergedCell) and cell.protection.locked is False and cell.value is None:
                    cell.value = value


def set_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    """Type values into cells of one sheet, e.g. ``{"D7": 3}``."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for address, value in values.items():
        ws[address].value = value
    wb.save(path)


def set_field(path: Path, label: str, value: object) -> None:
    """Fill the 基本信息 row whose label is ``label``."""
    wb = load_workbook(path)
    ws = wb["基本信息"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == label:
            row[1].value = value
            break
    else:
        raise KeyError(label)
    wb.save(path)


def make_report(registry: Registry, agency: str, year: int = 2021, values: dict | None = None, fmt: str | None = None, **fields) -> Report:
    """A consistent annual report: ``values`` maps (table, record, field) to a number, the rest is 0."""
    kind = registry.get("annual", year=year, fmt=fmt)
    report = Report(kind=kind, source=f"{agency}.xlsx")
    report.fields = {
        "agency": agency,
        "agency_type": "department",
        "year": year,
        "date": dt.date(year + 1, 1, 20),
        "fee_notices": 0,
        "fee_notified": 0,
        "fee_collected": 0,
        **fields,
    }
    report.blocks = [
        Block("一", 2, "主动公开", "本机关依法主动公开政府信息。"),
        Block("五", 2, "", "公开内容还不够全面，明年将加强培训。"),
        Block("六", 2, "", "本年度未收取信息处理费。"),
    ]
    for table in kind.tables:
        report.tables[table.id] = {key: 0 for key in table.value_keys}
    for (table_id, record, field), number in (values or {}).items():
        report.tables[table_id][(record, field)] = number
    # totals are live formulas in the workbook; blank them so the writer's formulas stand
    for table in kind.tables:
        for key in derived_totals(table):
            report.tables[table.id][key] = None
    return report


def make_workbook(path: Path, registry: Registry, agency: str, year: int = 2021, values: dict | None = None, fmt: str | None = None, **fields) -> Path:
    report = make_report(registry, agency, year, values, fmt, **fields)
    path.write_bytes(workbook_bytes(report.kind, report))
    return path


def requests(natural_new: int, commercial_new: int = 0, carried_in: int = 0, carried_out: int = 0) -> dict:
    """Table 三 values that balance: what came in is disclosed, except what is carried over."""
    return {
        ("requests", "new", "natural_person"): natural_new,
        ("requests", "new", "commercial"): commercial_new,
        ("requests", "carried_in", "natural_person"): carried_in,
        ("requests", "disclosed", "natural_person"): natural_new + carried_in - carried_out,
        ("requests", "disclosed", "commercial"): commercial_new,
        ("requests", "carried_out", "natural_person"): carried_out,
    }
