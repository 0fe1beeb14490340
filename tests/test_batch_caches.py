"""What a batch computes once per process gives what computing it afresh gives.

A county's batch reads hundreds of workbooks of one kind in one process: a
sheet's values are built once as rows, each table's label positions are
resolved once per layout, short table cells' markup and character widths are
kept. None of it may leak from one workbook into the next.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from gxreport.inputs.workbook.reader import read_workbook
from gxreport.inputs.workbook.xlsx import Workbook
from gxreport.text import text_width

from .hostile import workbooks as wb
from .test_xlsx_reader import raw_xlsx


def test_a_sheets_value_rows_are_its_cells_values(tmp_path):
    path = raw_xlsx(
        tmp_path / "v.xlsx",
        '<row r="1"><c r="A1" t="inlineStr"><is><t>合并</t></is></c><c r="C1"><f>1+2</f><v>3</v></c></row>'
        '<row r="2"><c r="C2" t="e"><v>#N/A</v></c><c r="D2"><v>2.0</v></c><c r="E2" t="inlineStr"><is><t></t></is></c></row>'
        '<row r="4"><c r="F4"><f>1/0</f></c></row>',
        merges='<mergeCells count="1"><mergeCell ref="A1:B3"/></mergeCells>',
    )
    ws = Workbook(path)["表"]
    assert (ws.max_row, ws.max_column) == (4, 6)
    for bounds in ({}, {"min_row": 2, "max_row": 3, "min_col": 2, "max_col": 7}, {"min_row": 4, "min_col": 6}):
        cells = [tuple(c.value for c in row) for row in ws.iter_rows(**bounds)]
        assert list(ws.iter_rows(values_only=True, **bounds)) == cells
    assert list(ws.iter_rows(values_only=True)) == [
        ("合并", None, "=1+2", None, None, None),
        (None, None, "#N/A", 2, None, None),
        (None, None, None, None, None, None),
        (None, None, None, None, None, "=1/0"),
    ]
    assert (ws.cell(1, 3).cached, ws.cell(4, 6).cached) == (3, None)


def test_a_moved_table_is_located_afresh_between_two_workbooks_read_in_one_process(tmp_path, registry):
    sample = tmp_path / "原样.xlsx"
    sample.write_bytes(wb.base())
    moved = tmp_path / "下移.xlsx"
    moved.write_bytes(wb.insert_rows("表三", 4, 2))  # a note typed above the table: every row 2 lower
    first, shifted, again = (read_workbook(path, registry) for path in (sample, moved, sample))
    assert shifted.tables == first.tables == again.tables
    for key, at in first.cells["requests"].items():
        row = int("".join(ch for ch in at.cell if ch.isdigit()))
        column = at.cell.rstrip("0123456789")
        assert shifted.cells["requests"][key].cell == f"{column}{row + 2}"
        assert again.cells["requests"][key].cell == at.cell


@given(st.text(max_size=40))
def test_a_texts_width_is_the_sum_of_its_characters_widths(text):
    assert text_width(text) == sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)
