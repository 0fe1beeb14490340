"""Text stays text in every workbook gxreport writes, and number text that could mean two things is refused.

Excel and WPS run a cell that holds a formula when the file opens (``=HYPERLINK``, DDE's
``=cmd|…``); text a clerk typed must never become one. Cells are checked in the saved XML:
a formula is an ``<f>`` element, text is a string cell.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from gxreport import api
from gxreport.cli import app
from gxreport.text import NumberError, parse_amount, parse_number
from gxreport.inputs.workbook.guard import WorkbookArchive
from gxreport.inputs.workbook.reader import read_workbook
from gxreport.inputs.workbook.writer import FORMULA_LEADS, store

from .hostile import workbooks as wb

HOSTILE = [
    '=HYPERLINK("http://example.com/x","点此查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def sheet_xml(path: Path, sheet: str) -> str:
    archive = WorkbookArchive(path)
    return archive.zip.read(archive.parts[sheet]).decode("utf-8")


def string_cells(xml: str) -> list[str]:
    """The text of every inline or shared string cell of a sheet (openpyxl writes inline strings)."""
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<c [^>]*t="inlineStr"[^>]*><is>(.*?)</is></c>', xml, re.S)]


def unescape(text: str) -> str:
    """XML character references and entities as the text they stand for."""
    return html.unescape(text)


@pytest.mark.parametrize("text", HOSTILE, ids=["hyperlink", "dde", "plus", "minus", "at", "tab", "cr"])
def test_the_helper_stores_any_formula_lead_as_text(text, tmp_path):
    book = Workbook()
    cell = store(book.active.cell(row=1, column=1), text)
    assert cell.data_type == "s" and cell.quotePrefix
    path = tmp_path / "t.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert text.lstrip("\t\r")[:5] in unescape(xml)
    assert set(FORMULA_LEADS) == {"=", "+", "-", "@", "\t", "\r"}


def test_init_agency_formula_is_text(tmp_path, runner, registry):
    path = tmp_path / "init.xlsx"
    agency = HOSTILE[0]
    result = runner.invoke(app, ["init", str(path), "--agency", agency, "--year", "2021"])
    assert result.exit_code == 0, result.output
    xml = sheet_xml(path, "基本信息")
    assert "<f>" not in xml
    assert agency in [unescape(t) for t in string_cells(xml)]
    assert read_workbook(path, registry).fields["agency"] == agency


def test_init_from_json_keeps_dde_formulas_in_sections_as_text(tmp_path, runner, registry):
    data = json.loads(json.dumps(wb.sample_json()))
    part = next(iter(data["sections"]))
    data["sections"][part] = [{"level": 2, "title": "标题", "text": text} for text in HOSTILE[1:5]]
    data["agency"] = "@某县某局"
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "from.xlsx"
    result = runner.invoke(app, ["init", str(path), "--from", str(source)])
    assert result.exit_code == 0, result.output
    for sheet in ("正文", "基本信息"):
        assert "<f>" not in sheet_xml(path, sheet), sheet
    texts = [unescape(t) for t in string_cells(sheet_xml(path, "正文"))]
    for text in HOSTILE[1:5]:
        assert text in texts
    report = read_workbook(path, registry)
    assert [b.text for b in report.blocks if b.title == "标题"] == HOSTILE[1:5]
    assert report.fields["agency"] == "@某县某局"


def test_rollup_overview_and_sources_keep_agency_names_as_text(tmp_path, runner):
    names = ['=HYPERLINK("http://example.com","某局")', "+某局", "-某局", "@某局"]
    inputs = []
    for i, name in enumerate(names):
        data = json.loads(json.dumps(wb.sample_json()))
        data["agency"] = name
        source = tmp_path / f"{i}.json"
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        inputs.append(str(source))
    target = tmp_path / "汇总.xlsx"
    result = runner.invoke(app, ["rollup", *inputs, "-o", str(target), "--agency", "=某县人民政府"])
    assert result.exit_code == 0, result.output
    for sheet in ("汇总概览", "汇总来源", "基本信息"):
        xml = sheet_xml(target, sheet)
        assert "<f>" not in xml, sheet
    overview = [unescape(t) for t in string_cells(sheet_xml(target, "汇总概览"))]
    sources = [unescape(t) for t in string_cells(sheet_xml(target, "汇总来源"))]
    for name in names:
        assert name in overview and name in sources
    assert any(t.startswith("=某县人民政府") for t in overview)


@pytest.mark.parametrize("text", ["1.234,5", "1,5", "1,23", "1,2345", ",123", "1,,234", "１，５"])
def test_ambiguous_number_text_is_refused(text):
    with pytest.raises(NumberError, match="逗号"):
        parse_number(text, "decimal")
    with pytest.raises(NumberError, match="逗号"):
        parse_amount(text + "万元")


@pytest.mark.parametrize(
    "text, number",
    [("1,234", 1234), ("12,345,678", 12345678), ("1,234.5", Decimal("1234.5")), ("１，２３４", 1234), ("-1,000", -1000)],
)
def test_thousands_grouping_is_read(text, number):
    assert parse_number(text, "signed" if isinstance(number, int) else "decimal")[0] == number


@pytest.mark.parametrize("kind", ["int", "signed", "decimal", "amount"])
@pytest.mark.parametrize("number", [0, 1, 7, -1, -7, 10**15 - 1, 10**15, -(10**15) + 1, -(10**15), 10**20, True, False])
def test_a_whole_number_cell_reads_as_its_decimal_does(number, kind):
    """Counts arrive as Python ints (a quick path); they must read, or be refused, as the same number typed as text."""
    def outcome(value):
        try:
            return parse_number(value, kind)
        except NumberError as exc:
            return str(exc)

    expected = outcome(str(int(number))) if not isinstance(number, bool) else "是逻辑值，不是数字"
    got = outcome(number)
    assert got == expected and type(got[0] if isinstance(got, tuple) else got) is type(expected[0] if isinstance(expected, tuple) else expected)


def test_an_ambiguous_number_in_a_workbook_names_its_cell(tmp_path, registry):
    (_, address), *_ = wb.input_cells("requests")
    path = tmp_path / "逗号.xlsx"
    path.write_bytes(wb.set_cell("表三", address, "1,5"))
    result = api.check_file(path, registry)
    (finding,) = [f for f in result.findings if f.is_error and "逗号" in f.message]
    assert str(finding.where) == f"逗号.xlsx!表三!{address}" and "“1,5”" in finding.message


def test_an_imported_paragraph_that_looks_like_a_formula_stays_text(tmp_path, runner, registry, sample_2021):
    from gxreport.outputs.docx import render_docx
    from gxreport.compose.narrative import layout

    import dataclasses

    report = read_workbook(sample_2021, registry)
    at = next(i for i, b in enumerate(report.blocks) if b.text)
    report.blocks[at] = dataclasses.replace(report.blocks[at], text=HOSTILE[0])
    source = tmp_path / "报告.docx"
    source.write_bytes(render_docx(layout(report)))
    out = tmp_path / "导入.xlsx"
    result = runner.invoke(app, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    xml = sheet_xml(out, "正文")
    assert "<f>" not in xml
    assert HOSTILE[0] in [unescape(t) for t in string_cells(xml)]
    assert HOSTILE[0] in [b.text for b in read_workbook(out, registry).blocks]
