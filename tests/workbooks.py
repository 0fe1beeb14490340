"""Make and fill report workbooks from test code, the way a clerk would in Excel.

Cells are addressed as a clerk sees them (``"表三", "D7"``) so a test states
exactly which cell it changed and which cell a message must name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from gxreport import api
from gxreport.kinds import Registry

# 2021 format, table 三 (sheet 表三): the first table row is worksheet row 4,
# so body rows start at 7; columns D…J are 自然人 … 总计.
REQUESTS_COLUMNS = "DEFGHIJ"
REQUESTS_ROWS = {"new": 7, "carried_in": 8, "disclosed": 9, "partly_disclosed": 10, "other.other": 29, "total": 30, "carried_out": 31}


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
    for name in ("表二", "表三", "表四"):
        ws = wb[name]
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell, MergedCell) and cell.protection.locked is False and cell.value is None:
                    cell.value = 0
    wb.save(path)
    return path


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
