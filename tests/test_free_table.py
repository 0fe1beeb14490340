"""The free-form indicator table (a kind's ``free_table`` sheet): read as typed, printed as a real table."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook, load_workbook

from gxreport.cli import app
from gxreport.errors import EXIT_OK
from gxreport.inputs.workbook.freetable import read_free_table

from .docx_read import Tbl, body_items
from .test_kinds import STRANGER
from .workbook_fill import fill


def test_reader_keeps_the_clerks_rows_and_drops_hint_and_empty_rows_and_columns():
    ws = Workbook().active
    ws["A1"] = "说明：从第 3 行起填写表格"
    ws.append([])
    ws.append(["指标", None, "单位", "数量"])
    ws.append(["公开信息", None, "条", 156.0])
    ws.append([])
    ws.append(["占比", None, "%", 0.25])
    ws.append(["统计截止", None, None, dt.datetime(2017, 12, 31)])
    assert read_free_table(ws) == [
        ["指标", "单位", "数量"],
        ["公开信息", "条", "156"],
        ["占比", "%", "0.25"],
        ["统计截止", "", "2017年12月31日"],
    ]


def _legacy(runner, tmp_path, rows, table):
    spec = STRANGER["annual-legacy"]
    book = tmp_path / "a.xlsx"
    assert runner.invoke(app, ["init", *spec["init"], str(book)]).exit_code == EXIT_OK
    fill(book, spec["fields"], rows)
    wb = load_workbook(book)
    for row in table:
        wb["指标表"].append(row)
    wb.save(book)
    out = tmp_path / "a.docx"
    result = runner.invoke(app, ["build", str(book), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    return body_items(out)


TABLE = [["项目", "2016年", "2015年"], ["主动公开", 88, 75], ["依申请公开", 2, 3]]


def test_without_a_marker_the_table_follows_the_parts(runner, tmp_path):
    items = _legacy(runner, tmp_path, [(1, "概况", "全年情况如下。"), (1, "问题", "仍有不足。")], TABLE)
    at = next(i for i, item in enumerate(items) if isinstance(item, Tbl))
    assert items[at].rows == (("项目", "2016年", "2015年"), ("主动公开", "88", "75"), ("依申请公开", "2", "3"))
    assert items[at - 1].text == "仍有不足。"
    assert items[at + 2].style == "GWSignature"


def test_the_marker_places_the_table_once_inside_a_part(runner, tmp_path):
    items = _legacy(runner, tmp_path, [(1, "概况", "主要数据见下表。"), (None, None, "【指标表】"), (1, "问题", "仍有不足。")], TABLE)
    tables = [i for i, item in enumerate(items) if isinstance(item, Tbl)]
    assert len(tables) == 1
    assert items[tables[0] - 1].text == "主要数据见下表。"
    assert items[tables[0] + 1].text == "二、问题"


def test_an_empty_sheet_prints_no_table_and_no_marker(runner, tmp_path):
    items = _legacy(runner, tmp_path, [(1, "概况", "见下表。"), (None, None, "【指标表】")], [])
    assert not any(isinstance(item, Tbl) for item in items)
    assert not any("【指标表】" in item.text for item in items if not isinstance(item, Tbl))
