"""The guard's quick pass over a regular sheet finds exactly what its cell-by-cell walk finds.

``guard._scan_regular`` answers for sheets as spreadsheet programs write them
(every row and cell numbered, nothing foreign, nothing past a limit) with a few
XPath queries; anything else goes to ``guard._scan_sheet``, which alone refuses.
So on every sheet: either the quick pass declines, or the walk accepts the sheet
and finds the same cells, extent, formulas, missing results, errors and merges.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from gxreport.errors import InputError, spot
from gxreport.inputs.workbook import guard
from gxreport.inputs.workbook.reader import read_workbook

from .hostile import workbooks as wb

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
WHERE = spot("x.xlsx", "表三")


def both(xml: bytes, cells_left: int = guard.MAX_CELLS):
    """(the quick pass's result, the walk's result or its refusal message) for one sheet part."""
    root = etree.fromstring(xml, guard._xml_parser())
    quick = guard._scan_regular(root, xml, WHERE, cells_left)
    try:
        walked = guard._scan_sheet(guard._tree_events(root), WHERE, cells_left)
    except InputError as exc:
        walked = str(exc)
    return quick, walked


def assert_same(xml: bytes, cells_left: int = guard.MAX_CELLS):
    quick, walked = both(xml, cells_left)
    if quick is not None:
        assert not isinstance(walked, str), f"the walk refuses what the quick pass accepted: {walked}"
        assert quick == walked
    return quick, walked


def sheet(rows: str, merges: str = "", namespace: str = MAIN) -> bytes:
    return f'<worksheet xmlns="{namespace}"><sheetData>{rows}</sheetData>{merges}</worksheet>'.encode()


REGULAR = {
    "numbers-and-text": '<row r="1"><c r="A1" t="inlineStr"><is><t>规章</t></is></c><c r="B1"><v>8</v></c>'
    '<c r="C1" t="n"><v> 1.5e3 </v></c></row><row r="2"/><row r="3"><c r="D3" t="s"><v>0</v></c></row>',
    "formulas": '<row r="4"><c r="A4"><f>SUM(B1:B3)</f><v>12</v></c><c r="B4"><f>1+1</f></c>'
    '<c r="C4"><f>1+1</f><v></v></c><c r="D4" t="str"><f>A1&amp;"x"</f><v>规章x</v></c></row>',
    "errors": '<row r="5"><c r="A5" t="e"><v>#N/A</v></c><c r="B5" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
    "row-number-beyond-its-cells": '<row r="9"><c r="C2"><v>1</v></c></row>',
    "merges": '<row r="1"><c r="A1"><v>1</v></c></row>',
    "lowercase-reference": '<row r="1"><c r="ab7"><v>1</v></c></row>',
    "empty": "",
    "error-type-as-a-character-reference": '<row r="1"><c r="A1" t="&#101;"><v>#REF!</v></c></row>',
    "error-type-in-single-quotes": "<row r='1'><c r='A1' t = 'e'><v>#N/A</v></c></row>",
    "formatted-empty-rows-past-the-cells": '<row r="1"><c r="B1"><v>1</v></c></row><row r="40" ht="20" customHeight="1"/>',
}
MERGES = '<mergeCells count="2"><mergeCell ref="A1:B2"/><mergeCell ref="D9:C3"/></mergeCells>'


@pytest.mark.parametrize("namespace", [MAIN, STRICT], ids=["transitional", "strict"])
@pytest.mark.parametrize("name", REGULAR)
def test_regular_sheets_are_answered_by_the_quick_pass(name, namespace):
    quick, walked = assert_same(sheet(REGULAR[name], MERGES if name == "merges" else "", namespace))
    assert quick is not None


def test_what_the_quick_pass_reports():
    quick, _ = assert_same(sheet(REGULAR["formulas"] + REGULAR["errors"], MERGES))
    assert (quick.cells, quick.rows, quick.max_row, quick.max_col) == (6, 2, 9, 4)
    assert quick.formulas == {(4, 1): "=SUM(B1:B3)", (4, 2): "=1+1", (4, 3): "=1+1", (4, 4): '=A1&"x"', (5, 2): "=1/0"}
    assert quick.uncached == {(4, 2), (4, 3)}
    assert quick.errors == {(5, 1): "#N/A", (5, 2): "#DIV/0!"}
    assert [(m.min_row, m.min_col, m.max_row, m.max_col) for m in quick.merges] == [(1, 1, 2, 2), (3, 3, 9, 4)]


DECLINED = {
    "row-without-number": '<row><c r="A1"><v>1</v></c></row>',
    "cell-without-reference": '<row r="1"><c><v>1</v></c></row>',
    "foreign-cell": '<row r="1"><x:c xmlns:x="urn:x" r="A1"><x:v>1</x:v></x:c></row>',
    "foreign-value": '<row r="1"><c r="A1"><x:f xmlns:x="urn:x">1+1</x:f></c></row>',
    "foreign-row": '<x:row xmlns:x="urn:x" r="1"><c r="A1"><v>1</v></c></x:row>',
    "not-a-number": '<row r="1"><c r="A1"><v>NaN</v></c></row>',
    "bad-reference": '<row r="1"><c r="A01"><v>1</v></c></row>',
    "bad-row-number": '<row r="0"/>',
    "far-cell": '<row r="1"><c r="XFD1048576"><v>1</v></c></row>',
    "value-in-another-default-namespace": '<row r="1"><c r="A1"><v xmlns="urn:x">NaN</v></c></row>',
    "formula-in-no-namespace": '<row r="1"><c r="A1"><f xmlns="">1+1</f></c></row>',
}


@pytest.mark.parametrize("name", DECLINED)
def test_irregular_or_refused_sheets_go_to_the_walk(name):
    quick, walked = assert_same(sheet(DECLINED[name]))
    assert quick is None


def test_a_foreign_sheet_data_or_root_goes_to_the_walk():
    assert both(sheet(REGULAR["numbers-and-text"], namespace="urn:other"))[0] is None
    foreign = f'<worksheet xmlns="{MAIN}" xmlns:x="urn:x"><x:sheetData><row r="1"><c r="A1"><v>1</v></c></row></x:sheetData></worksheet>'
    assert both(foreign.encode())[0] is None
    # Prefixed throughout: a <v> without a prefix is in no namespace, yet the walk reads it.
    prefixed = f'<s:worksheet xmlns:s="{MAIN}"><s:sheetData><s:row r="1"><s:c r="A1"><v>NaN</v></s:c></s:row></s:sheetData></s:worksheet>'
    quick, walked = assert_same(prefixed.encode())
    assert quick is None and "不是有效数字" in walked


def test_limits_send_the_sheet_to_the_walk_which_refuses_with_its_message(monkeypatch):
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 11))
    quick, walked = assert_same(sheet(rows), cells_left=9)
    assert quick is None and "单元格过多" in walked
    monkeypatch.setattr(guard, "MAX_ROWS", 9)
    quick, walked = assert_same(sheet(rows))
    assert quick is None and "有超过 9 行" in walked
    monkeypatch.setattr(guard, "MAX_ROWS", 20_000)
    monkeypatch.setattr(guard, "MAX_AREA", 9)
    quick, walked = assert_same(sheet(rows))
    assert quick is None and "使用范围过大（10 行 × 1 列）" in walked
    monkeypatch.setattr(guard, "MAX_MERGED_AREA", 3)
    quick, walked = assert_same(sheet("", '<mergeCells><mergeCell ref="A1:B2"/></mergeCells>'))
    assert quick is None and "合并单元格过多" in walked


def test_the_sample_is_read_without_the_cell_by_cell_walk(monkeypatch, sample_2021, registry):
    monkeypatch.setattr(guard, "_scan_sheet", lambda *args, **kwargs: pytest.fail("the walk was used"))
    report = read_workbook(sample_2021, registry)
    assert report.tables and report.agency


def test_every_sheet_of_the_hostile_workbooks_is_scanned_alike():
    """The broken workbooks about references and structure (tests/test_hostile_inputs.py),
    sheet by sheet; their end-to-end messages are checked there."""
    from .test_hostile_inputs import reference_cases, structure_cases

    quick_answers = 0
    for case in reference_cases() + structure_cases():
        if not case.name.endswith(".xlsx"):
            continue
        data = case.make()
        if not zipfile.is_zipfile(BytesIO(data)):
            continue
        with zipfile.ZipFile(BytesIO(data)) as archive:
            parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            for part in parts:
                try:
                    xml = archive.read(part)
                    if len(xml) > guard.WHOLE_PARSE_BYTES:
                        continue
                    etree.fromstring(xml, guard._xml_parser())
                except Exception:  # noqa: BLE001 - damaged parts are the walk's alone
                    continue
                quick, _ = assert_same(xml)
                quick_answers += quick is not None
    assert quick_answers > 100


_refs = st.one_of(
    st.tuples(st.sampled_from(["A", "B", "C", "Z", "AA", "xfd"]), st.integers(1, 12)).map(lambda t: f"{t[0]}{t[1]}"),
    st.sampled_from(["A0", "A01", "1A", "", "B12345678"]),
)
_values = st.sampled_from(
    ["", "<v>1</v>", "<v>2.5</v>", "<v>-1e3</v>", "<v>NaN</v>", "<v>#N/A</v>", "<v>文本</v>", "<v/>", "<v>1</v><v>x</v>",
     '<v xmlns="urn:x">NaN</v>', '<x:v xmlns:x="urn:x">NaN</x:v>', "<is><t>1</t></is>"]
)
_cells = st.tuples(
    st.one_of(st.none(), _refs),
    st.sampled_from([None, "n", "s", "e", "str", "b", "inlineStr", "&#101;", "&#110;"]),
    st.sampled_from(["", "<f>1+1</f>", "<f/>", '<f xmlns="urn:x">1</f>']),
    _values,
)


def _cell_xml(cell) -> str:
    ref, kind, formula, value = cell
    attributes = (f' r="{ref}"' if ref is not None else "") + (f' t="{kind}"' if kind else "")
    return f"<c{attributes}>{formula}{value}</c>"


_rows = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 15).map(str), st.just("1x")), st.lists(_cells, max_size=5)), max_size=6)
_merges = st.lists(st.sampled_from(["A1:B2", "C3", "B2:A1", "A1:XFD1048576", "A0:B1", "D4:E9"]), max_size=3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_rows, merges=_merges, strict=st.booleans(), cells_left=st.sampled_from([guard.MAX_CELLS, 3]))
def test_any_sheet_is_scanned_alike(rows, merges, strict, cells_left):
    body = "".join(
        f"<row{'' if number is None else f' r={chr(34)}{number}{chr(34)}'}>{''.join(map(_cell_xml, cells))}</row>"
        for number, cells in rows
    )
    merged = f"<mergeCells>{''.join(f'<mergeCell ref={chr(34)}{m}{chr(34)}/>' for m in merges)}</mergeCells>" if merges else ""
    assert_same(sheet(body, merged, STRICT if strict else MAIN), cells_left)
