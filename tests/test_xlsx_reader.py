"""workbook/xlsx.py reads cells as openpyxl does, without openpyxl's object model."""

from __future__ import annotations

import re

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook, load_workbook
from openpyxl.cell.cell import MergedCell as OpenpyxlMergedCell

from gxreport.api import check_file
from gxreport.workbook.xlsx import MergedCell, Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def assert_same_cells(path: Path) -> None:
    ours, theirs = Workbook(path), load_workbook(path)
    assert ours.sheetnames == theirs.sheetnames
    for name in theirs.sheetnames:
        a, b = ours[name], theirs[name]
        assert sorted((r.min_row, r.min_col, r.max_row, r.max_col) for r in a.merged_cells.ranges) == sorted(
            (r.min_row, r.min_col, r.max_row, r.max_col) for r in b.merged_cells.ranges
        )
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), name
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for cell_a, cell_b in zip(row_a, row_b, strict=True):
                assert cell_a.coordinate == cell_b.coordinate
                assert isinstance(cell_a, MergedCell) == isinstance(cell_b, OpenpyxlMergedCell), cell_b.coordinate
                assert cell_a.value == cell_b.value, f"{name}!{cell_b.coordinate}"
                assert type(cell_a.value) is type(cell_b.value), f"{name}!{cell_b.coordinate}"


def test_sample_reads_like_openpyxl(sample_2021):
    assert_same_cells(sample_2021)


def test_value_types_read_like_openpyxl(tmp_path):
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["文本", 12, 3.5, 1e20, True, False, None, "  空格  ", "=SUM(B1:C1)", "/"])
    ws["A2"] = dt.datetime(2022, 1, 20)
    ws["B2"] = dt.datetime(2022, 1, 20, 13, 30)
    ws["B2"].number_format = "yyyy/m/d h:mm"
    ws["C2"] = dt.time(9, 15)
    ws["D2"] = 44581
    ws["E2"] = 44581
    ws["E2"].number_format = 'yyyy"年"m"月"d"日"'
    ws["F2"] = 0.25
    ws["F2"].number_format = "0.00%"
    ws.merge_cells("A4:C5")
    ws["A4"] = "合并"
    ws["H9"] = "远处"
    wb.create_sheet("第二页")["B3"] = "另一页"
    path = tmp_path / "types.xlsx"
    wb.save(path)
    assert_same_cells(path)


def _raw_xlsx(path: Path, sheet_data: str, shared: list[str]) -> Path:
    """A workbook written by hand: one sheet, shared strings (as Excel and WPS save them)."""
    items = "".join(shared)
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{items}</sst>',
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_shared_strings_rich_text_and_formula_results(tmp_path):
    path = _raw_xlsx(
        tmp_path / "excel.xlsx",
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="e"><v>#N/A</v></c></row>'
        '<row r="2"><c r="A2"><f>1+2</f><v>3</v></c><c r="B2" t="str"><f>A1&amp;"x"</f><v>行政x</v></c>'
        '<c r="C2"><f>1/0</f></c><c r="D2" t="b"><v>1</v></c></row>',
        ["<si><t>行政</t></si>", '<si><r><t>本年</t></r><r><t>新收</t></r><rPh sb="0" eb="2"><t>ほんねん</t></rPh></si>'],
    )
    assert_same_cells(path)
    ours, cached = Workbook(path)["表"], load_workbook(path, data_only=True)["表"]
    for ref in ("A2", "B2", "C2"):
        row, col = cached[ref].row, cached[ref].column
        assert ours.cell(row, col).cached == cached[ref].value
    assert ours.cell(1, 2).value == "本年新收"  # runs joined, phonetic reading left out


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
            assert finding.where == f"{path.name}!表二!B10" and "公式" in finding.message


@pytest.mark.parametrize("damage", [b"not xml at all", b"<worksheet"])
def test_damaged_sheet_is_an_input_error(sample_2021, tmp_path, registry, damage):
    from gxreport.errors import InputError

    with zipfile.ZipFile(sample_2021) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet5.xml"] = damage
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    with pytest.raises(InputError, match="damaged.xlsx!表三: 内容无法解析"):
        check_file(path, registry)
