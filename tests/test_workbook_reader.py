"""Reading a clerk's workbook: by labels, formulas recomputed, lenient numbers and dates."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange

from gxreport import api
from gxreport.errors import InputError, Location

from .workbooks import new_workbook, set_cells, set_field


@pytest.fixture()
def workbook(tmp_path):
    return new_workbook(tmp_path / "2021.xlsx")


def shift_sheet(path, sheet: str, rows: int = 0, cols: int = 0, note: str = "") -> None:
    """Move everything on a sheet (merged ranges too), as a clerk inserting rows/columns would."""
    wb = load_workbook(path)
    ws = wb[sheet]
    merged = [CellRange(r.coord) for r in ws.merged_cells.ranges]
    for rng in merged:
        ws.unmerge_cells(rng.coord)
    ws.move_range(f"A1:T{ws.max_row}", rows=rows, cols=cols, translate=True)
    for rng in merged:
        rng.shift(col_shift=cols, row_shift=rows)
        ws.merge_cells(rng.coord)
    if note:
        ws["A1"] = note
    wb.save(path)


def test_an_inserted_note_row_and_column_still_read(workbook, registry):
    set_cells(workbook, "表三", {"D7": 3, "D9": 2})
    shift_sheet(workbook, "表三", rows=2, cols=1, note="说明：本表由办公室填写")
    report = api.load_report(workbook, registry)
    assert report.tables["requests"][("new", "natural_person")] == 3
    assert report.tables["requests"][("disclosed", "natural_person")] == 2
    (r1,) = api.check_file(workbook, registry).findings
    assert str(r1.where) == "2021.xlsx!表三!E9"  # D7 moved two rows down and one column right
    assert "本年新收 E9=3 + 上年结转 E10=0 = 3" in r1.message  # and so are the cells the message names


def test_a_moved_table_block_still_reads(workbook, registry):
    set_cells(workbook, "表四", {"A7": 2, "K7": 1})
    shift_sheet(workbook, "表四", rows=5, cols=3)
    report = api.load_report(workbook, registry)
    assert report.tables["reviews"][("review", "upheld")] == 2
    assert report.tables["reviews"][("litigation_after_review", "upheld")] == 1


def test_a_missing_label_is_an_error_naming_it(workbook, registry):
    set_cells(workbook, "表三", {"D5": "个人"})
    with pytest.raises(InputError) as caught:
        api.load_report(workbook, registry)
    assert caught.value.exit_code == 2
    assert str(caught.value) == "2021.xlsx!表三: 找不到表头“申请人情况 / 自然人”，请勿修改表格标签"
    assert caught.value.where == Location("2021.xlsx", "表三") and caught.value.message == "找不到表头“申请人情况 / 自然人”，请勿修改表格标签"


def test_a_missing_sheet_is_an_error_naming_it(workbook, registry):
    wb = load_workbook(workbook)
    del wb["表四"]
    wb.save(workbook)
    with pytest.raises(InputError, match="缺少工作表“表四”"):
        api.load_report(workbook, registry)


def test_formula_totals_are_recomputed_not_read(workbook, registry):
    """A live total's saved result is never trusted, even one Excel saved: it is summed again."""
    set_cells(workbook, "表三", {"D7": 2, "E7": 3, "D9": 2, "E9": 3})
    with zipfile.ZipFile(workbook) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet5.xml"  # 表三
    total = re.search(rb'<c r="J7"([^>]*)><f>([^<]*)</f>(<v>[^<]*</v>|<v/>)?</c>', parts[sheet])
    assert total is not None
    parts[sheet] = parts[sheet].replace(total.group(0), b'<c r="J7"' + total.group(1) + b"><f>" + total.group(2) + b"</f><v>999</v></c>")
    with zipfile.ZipFile(workbook, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    report = api.load_report(workbook, registry)
    assert report.tables["requests"][("new", "total")] is None  # 999 not trusted …
    from gxreport.compose.narrative import table_grid

    grid = table_grid(report.kind.table("requests"), report)
    new_row = [c.text for c in grid.rows[3] if c.value]
    assert new_row == ["2", "3", "0", "0", "0", "0", "5"]  # … but printed computed


def test_a_formula_in_an_input_cell_without_a_cached_value_is_an_error(workbook, registry):
    set_cells(workbook, "表三", {"D7": "=1+2"})
    (r4,) = [f for f in api.check_file(workbook, registry).findings if f.rule == "R4"]
    assert str(r4.where) == "2021.xlsx!表三!D7"
    assert "公式且没有计算结果" in r4.message


@pytest.mark.parametrize("typed", ["12", " 12 ", "１２", "12.0", 12.0])
def test_numbers_typed_as_text_or_full_width_are_read(workbook, registry, typed):
    set_cells(workbook, "表二", {"B10": typed})
    report = api.load_report(workbook, registry)
    assert report.tables["active"][("licensing", "decisions")] == 12
    assert not [f for f in report.findings if f.is_error]


@pytest.mark.parametrize(
    "typed",
    [dt.date(2022, 1, 20), dt.datetime(2022, 1, 20, 0, 0), 44581, "2022年1月20日", "2022-01-20", "2022.1.20", "2022/1/20", "２０２２年１月２０日"],
)
def test_dates_as_cells_serials_or_text(workbook, registry, typed):
    set_field(workbook, "成文日期", typed)
    report = api.load_report(workbook, registry)
    assert report.fields["date"] == dt.date(2022, 1, 20)


def test_a_date_that_is_not_a_date_names_its_cell(workbook, registry):
    set_field(workbook, "成文日期", "明年一月")
    (finding,) = [f for f in api.check_file(workbook, registry).findings if f.is_error]
    assert str(finding.where) == "2021.xlsx!基本信息!B6"
    assert finding.message == "成文日期：“明年一月”不是日期，请写成 2022年1月20日"


def test_reading_never_changes_the_input(workbook, registry):
    before = workbook.read_bytes()
    api.check_file(workbook, registry)
    assert workbook.read_bytes() == before
