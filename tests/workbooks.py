"""Generate filled workbooks for tests, with the library's own writer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gxreport.kinds import Registry
from gxreport.model import Block, Report
from gxreport.workbook.writer import workbook_bytes


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
    from gxreport.rules import derived_totals

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
