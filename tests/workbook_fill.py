"""Filling a gxreport workbook from test code the way a clerk would: by the labels on screen."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def _label_row(ws, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"no row labelled {label!r} in {ws.title}")


def fill(path: Path, fields: dict[str, object], narrative: list[tuple], attachments: list[tuple[str, str]] = ()) -> None:
    """Type ``fields`` (label → value) into 基本信息 and replace the 正文 rows.

    ``narrative`` rows are (层级, 标题, 正文), or (部分, 层级, 标题, 正文) when
    the sheet has a 部分 column; the sheet's own header row says which.
    """
    wb = load_workbook(path)
    info = wb["基本信息"]
    for label, value in fields.items():
        info.cell(row=_label_row(info, label), column=2, value=value)
    body = wb["正文"]
    body.delete_rows(3, body.max_row)
    for i, row in enumerate(narrative, start=3):
        for col, value in enumerate(row, start=1):
            body.cell(row=i, column=col, value=value)
    if attachments:
        sheet = wb["附件"]
        for i, (title, text) in enumerate(attachments, start=3):
            sheet.cell(row=i, column=1, value=title)
            sheet.cell(row=i, column=2, value=text)
    wb.save(path)
