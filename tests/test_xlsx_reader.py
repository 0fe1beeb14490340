"""workbook/xlsx.py: the cell values a clerk's workbook holds, as Excel shows them.

Workbooks are written here by hand, part by part, as Excel, WPS and other
exporters save them, so each test pins one way of storing a value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from gxreport.api import check_file
from gxreport.errors import InputError
from gxreport.inputs.workbook.reader import read_workbook
from gxreport.inputs.workbook.xlsx import MergedCell, Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Excel's "Strict Open XML Spreadsheet" names the same parts in these namespaces (ECMA-376 Part 1, Strict).
STRICT = {
    MAIN: "http://purl.oclc.org/ooxml/spreadsheetml/main",
    REL: "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
}
# cellXfs: 0 general, 1 built-in date (14), 2 a custom 年月日 date, 3 a time, 4 percent
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>'
    '<xf numFmtId="21" applyNumberFormat="1"/><xf numFmtId="10" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def raw_xlsx(path: Path, sheet_data: str, shared: list[str] = (), date1904: bool = False, merges: str = "") -> Path:
    """A one-sheet workbook written part by part, with shared strings and styles as Excel saves them."""
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{pr}<sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData>{merges}</worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{"".join(shared)}</sst>',
        "xl/styles.xml": STYLES,
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def values(path: Path, sheet: str = "表") -> list[list]:
    return [list(row) for row in Workbook(path)[sheet].iter_rows(values_only=True)]


def test_numbers_text_and_booleans(tmp_path):
    path = raw_xlsx(
        tmp_path / "a.xlsx",
        '<row r="1"><c r="A1"><v>12</v></c><c r="B1"><v>2.5</v></c><c r="C1"><v>1E+20</v></c><c r="D1" t="n"><v>-3</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="b"><v>0</v></c></row>',
        ["<si><t>行政</t></si>", '<si><r><t>本年</t></r><r><t>新收</t></r><rPh sb="0" eb="2"><t>ほんねん</t></rPh></si>'],
    )
    assert values(path) == [[12, 2.5, 10**20, -3], ["行政", "本年新收", True, False]]
    cells = values(path)
    assert type(cells[0][0]) is int and type(cells[0][1]) is float  # a whole number is an int, as Excel shows it


def test_inline_strings_and_iso_dates(tmp_path):
    path = raw_xlsx(
        tmp_path / "b.xlsx",
        '<row r="1"><c r="A1" t="inlineStr"><is><t>机关名称</t></is></c><c r="B1" t="inlineStr"><is><r><t>某县</t></r><r><t>某局</t></r></is></c>'
        '<c r="C1" t="d"><v>2022-01-20T00:00:00</v></c><c r="D1" t="inlineStr"><is><t xml:space="preserve">第一段\n第二段</t></is></c></row>',
    )
    assert values(path) == [["机关名称", "某县某局", dt.datetime(2022, 1, 20), "第一段\n第二段"]]


@pytest.mark.parametrize(
    "date1904, serial, expected",
    [(False, 44581, dt.date(2022, 1, 20)), (True, 44581 - 1462, dt.date(2022, 1, 20))],
    ids=["date1900", "date1904"],
)
def test_date_formatted_numbers_are_dates_in_either_date_system(tmp_path, date1904, serial, expected):
    path = raw_xlsx(
        tmp_path / "d.xlsx",
        f'<row r="1"><c r="A1" s="1"><v>{serial}</v></c><c r="B1" s="2"><v>{serial}</v></c><c r="C1"><v>{serial}</v></c>'
        f'<c r="D1" s="3"><v>0.75</v></c><c r="E1" s="4"><v>0.25</v></c></row>',
        date1904=date1904,
    )
    (row,) = values(path)
    assert [dt.date(v.year, v.month, v.day) for v in row[:2]] == [expected, expected]
    assert row[2] == serial  # no date format: the number itself
    assert row[3] == dt.time(18, 0) and row[4] == 0.25


def test_rows_and_cells_without_references_follow_the_previous_ones(tmp_path):
    path = raw_xlsx(
        tmp_path / "c.xlsx",
        '<row r="2"><c><v>1</v></c><c><v>2</v></c><c r="E2"><v>5</v></c><c><v>6</v></c></row>'
        "<row><c><v>3</v></c></row>"
        '<row><c t="inlineStr"><is><t>x</t></is></c><c><f>A3*2</f></c></row>',
    )
    ws = Workbook(path)["表"]
    assert values(path)[:3] == [
        [None] * 6,
        [1, 2, None, None, 5, 6],
        [3, None, None, None, None, None],
    ]
    assert ws.cell(4, 1).value == "x"
    formula = ws.cell(4, 2)
    assert formula.value == "=A3*2" and formula.cached is None  # placed where it stands, no result saved


def test_formulas_keep_their_saved_results_and_errors_their_text(tmp_path):
    path = raw_xlsx(
        tmp_path / "f.xlsx",
        '<row r="1"><c r="A1"><f>1+2</f><v>3</v></c><c r="B1" t="str"><f>"行"&amp;"政"</f><v>行政</v></c>'
        '<c r="C1"><f>1/0</f></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E1" t="e"><v>#N/A</v></c><c r="F1" t="b"><f>TRUE()</f><v>1</v></c></row>',
    )
    ws = Workbook(path)["表"]
    got = [(c.value, c.cached) for c in next(ws.iter_rows())]
    assert got == [
        ("=1+2", 3),
        ('="行"&"政"', "行政"),
        ("=1/0", None),
        ("=1/0", "#DIV/0!"),
        ("#N/A", None),
        ("=TRUE()", True),
    ]


def test_merged_cells_cover_all_but_their_first_cell(tmp_path):
    path = raw_xlsx(
        tmp_path / "m.xlsx",
        '<row r="1"><c r="A1" t="inlineStr"><is><t>合并</t></is></c></row><row r="3"><c r="C3"><v>1</v></c></row>',
        merges='<mergeCells count="2"><mergeCell ref="A1:B2"/><mergeCell ref="C3:C3"/></mergeCells>',
    )
    ws = Workbook(path)["表"]
    assert [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges] == [(1, 1, 2, 2), (3, 3, 3, 3)]
    assert ws.cell(1, 1).value == "合并" and not isinstance(ws.cell(1, 1), MergedCell)
    assert all(isinstance(ws.cell(r, c), MergedCell) for r, c in ((1, 2), (2, 1), (2, 2)))
    assert not isinstance(ws.cell(3, 3), MergedCell) and ws.cell(3, 3).value == 1


def strict(data: bytes) -> bytes:
    """A transitional workbook rewritten into Strict Open XML's namespaces, as Excel's Strict save names them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                for old, new in STRICT.items():
                    part = part.replace(old.encode(), new.encode())
            dst.writestr(info.filename, part)
    return out.getvalue()


def test_a_strict_open_xml_workbook_reads_like_its_transitional_twin(sample_2021, tmp_path, registry):
    path = tmp_path / "strict.xlsx"
    path.write_bytes(strict(sample_2021.read_bytes()))
    with zipfile.ZipFile(path) as archive:
        assert b"purl.oclc.org/ooxml/spreadsheetml/main" in archive.read("xl/workbook.xml")
        assert b"schemas.openxmlformats.org/spreadsheetml" not in archive.read("xl/workbook.xml")
    ours, twin = read_workbook(path, registry), read_workbook(sample_2021, registry)
    assert ours.fields == twin.fields and ours.tables == twin.tables
    assert [(b.level, b.title, b.text) for b in ours.blocks] == [(b.level, b.title, b.text) for b in twin.blocks]
    assert sum(len(t) for t in ours.tables.values()) > 100 and ours.fields["agency"]
    assert check_file(path, registry).ok


def test_a_strict_workbooks_formulas_and_merges_are_seen(tmp_path):
    path = raw_xlsx(
        tmp_path / "s.xlsx",
        '<row r="1"><c r="A1"><f>1+1</f></c><c r="B1" t="inlineStr"><is><t>合并</t></is></c></row>',
        merges='<mergeCells count="1"><mergeCell ref="B1:C1"/></mergeCells>',
    )
    path.write_bytes(strict(path.read_bytes()))
    ws = Workbook(path)["表"]
    assert ws.cell(1, 1).value == "=1+1" and ws.cell(1, 1).cached is None
    assert isinstance(ws.cell(1, 3), MergedCell) and ws.cell(1, 2).value == "合并"


def test_reader_takes_a_typed_value_cells_saved_formula_result(sample_2021, tmp_path, registry):
    """A formula in a value cell counts with the result Excel saved; without one it is an error."""
    with zipfile.ZipFile(sample_2021) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    # 表二 is the fourth sheet of the sample; B10 holds 行政许可 本年处理决定数量 (5346).
    name = "xl/worksheets/sheet4.xml"
    typed = re.search(rb'<c r="B10" s="(\d+)" t="n"><v>5346</v></c>', parts[name])
    assert typed is not None
    for cached, expect_ok in ((b"<v>5000</v>", True), (b"", False)):
        edited = dict(parts)
        edited[name] = parts[name].replace(
            typed.group(0), b'<c r="B10" s="' + typed.group(1) + b'"><f>5000*1</f>' + cached + b"</c>"
        )
        path = tmp_path / f"formula-{expect_ok}.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for part, data in edited.items():
                archive.writestr(part, data)
        result = check_file(path, registry)
        assert result.ok is expect_ok
        if expect_ok:
            assert result.report.tables["active"][("licensing", "decisions")] == 5000
        else:
            (finding,) = [f for f in result.findings if f.is_error]
            assert str(finding.where) == f"{path.name}!表二!B10" and "公式" in finding.message


@pytest.mark.parametrize("damage", [b"not xml at all", b"<worksheet"])
def test_damaged_sheet_is_an_input_error(sample_2021, tmp_path, registry, damage):
    with zipfile.ZipFile(sample_2021) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet5.xml"] = damage
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    with pytest.raises(InputError, match="damaged.xlsx!表三: 内容无法解析"):
        check_file(path, registry)


def test_control_characters_in_shared_strings_are_read(tmp_path):
    """Exporters write raw control characters into shared strings: read as written (text.clean drops them later)."""
    path = raw_xlsx(tmp_path / "ctl.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ["<si><t>A\x01B</t></si>"])
    assert values(path) == [["A\x01B"]]


def test_broken_shared_strings_are_named(tmp_path):
    path = raw_xlsx(tmp_path / "sst.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ["<si><t>A</si>"])
    with pytest.raises(InputError, match=r"sst\.xlsx!共享文本表第 1 行: 内容无法解析"):
        Workbook(path)["表"]
