"""A workbook a clerk can read and print: what LibreOffice prints of the workbooks gxreport writes.

The blank workbook of ``init``, one whose numbers do not balance, and a roll-up are converted
to PDF in one LibreOffice run and measured with pdfplumber: pages per sheet, every label of
every statutory table whole inside its own cell, no character printed over another, check
cells that turn to 错误 when the numbers do not balance.
"""

from __future__ import annotations

import json
import re

import pdfplumber
import pytest
from openpyxl import load_workbook

from gxreport import api
from gxreport.office.rollup import rollup
from gxreport.inputs.workbook.writer import BAD_TEXT, OK_TEXT

from .conftest import convert_all_to_pdf
from .hostile import workbooks as wb

SPACE = re.compile(r"\s+")


def squeeze(text: str | None) -> str:
    return SPACE.sub("", text or "")


@pytest.fixture(scope="module")
def printed(soffice, tmp_path_factory, registry):
    """{name: (workbook path, [page text…], pdf path)} for the blank, unbalanced and roll-up workbooks."""
    folder = tmp_path_factory.mktemp("print")
    blank = folder / "blank.xlsx"
    api.init_workbook(blank, registry, year=2021, agency="某县某局")
    (_, address), *_ = wb.input_cells("requests")  # 表三 本年新收 自然人: 5 more than handled
    unbalanced = folder / "unbalanced.xlsx"
    unbalanced.write_bytes(wb.set_cell("表三", address, (wb.sample_report().tables["requests"][wb.input_cells("requests")[0][0]] or 0) + 5))
    inputs = []
    for i in range(3):
        data = json.loads(json.dumps(wb.sample_json()))
        data["agency"] = f"样例县第{i}局"
        source = folder / f"in{i}.json"
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        inputs.append(source)
    summed = folder / "rollup.xlsx"
    rollup(inputs, summed, registry, "样例县人民政府", jobs=1)
    books = [blank, unbalanced, summed]
    found = {}
    for book, pdf in zip(books, convert_all_to_pdf(soffice, books, folder / "pdf")):
        with pdfplumber.open(pdf) as document:
            found[book.stem] = (book, [page.extract_text() or "" for page in document.pages], pdf)
    return found


def visible_sheets(path):
    book = load_workbook(path)
    return [ws for ws in book.worksheets if ws.sheet_state == "visible"]


def test_each_sheet_of_a_blank_workbook_prints_on_one_page(printed):
    path, pages, _ = printed["blank"]
    sheets = visible_sheets(path)
    assert len(pages) == len(sheets)  # was 16 pages, 表三 over 3
    for ws, text in zip(sheets, pages):
        assert squeeze(ws["A1"].value) in squeeze(text), ws.title


def test_every_label_of_every_table_prints_whole_in_its_own_cell(printed, registry):
    path, pages, pdf = printed["blank"]
    kind = registry.get("annual", year=2021)
    with pdfplumber.open(pdf) as document:
        for table in kind.tables:
            (number,) = [i for i, text in enumerate(pages) if squeeze(f"表{table.number}{table.title}") in squeeze(text)]
            page = document.pages[number]
            cells = {squeeze(c) for t in page.find_tables() for row in t.extract() for c in row if c}
            labels = {squeeze(c.text) for c in table.cells if not c.is_value and c.text}
            assert labels <= cells, f"表{table.number}: {sorted(labels - cells)}"


def overlapping(chars) -> list[tuple[str, str]]:
    """Pairs of printed characters whose boxes overlap by more than a fifth of the smaller one."""
    boxes = sorted((c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in chars if c["text"].strip())
    found = []
    for i, (x0, x1, top, bottom, text) in enumerate(boxes):
        for other in boxes[i + 1 :]:
            if other[0] >= x1:
                break
            width = min(x1, other[1]) - other[0]
            height = min(bottom, other[3]) - max(top, other[2])
            smaller = min((x1 - x0) * (bottom - top), (other[1] - other[0]) * (other[3] - other[2]))
            if width > 0 and height > 0 and width * height > smaller / 5:
                found.append((text, other[4]))
    return found


@pytest.mark.parametrize("name", ["blank", "rollup"])
def test_no_character_prints_over_another_or_off_the_page(printed, name):
    _, _, pdf = printed[name]
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            assert overlapping(page.chars) == [], f"{name} page {number}"
            off = [c["text"] for c in page.chars if c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height]
            assert off == [], f"{name} page {number}"


def test_check_cells_are_only_those_that_can_fail_and_turn_red(printed):
    blank_path, blank_pages, _ = printed["blank"]
    _, unbalanced_pages, _ = printed["unbalanced"]
    texts = [c.value for ws in load_workbook(blank_path).worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    captions = [t for t in texts if t.startswith("勾稽检查")]
    # R2, R3 and R6 compare the workbook's own SUM with the same sum: they could never fail.
    assert captions == ["勾稽检查 R1：本年新收+上年结转=总计+结转下年度"]
    (three,) = [i for i, text in enumerate(blank_pages) if "表三" in text[:20]]
    assert squeeze(captions[0]) in squeeze(blank_pages[three])  # printed whole, not cut off
    assert blank_pages[three].count(OK_TEXT) == 7 and BAD_TEXT not in blank_pages[three]
    assert BAD_TEXT in unbalanced_pages[three]


def test_a_rollup_prints_in_a_few_pages(printed):
    path, pages, _ = printed["rollup"]
    assert len(visible_sheets(path)) == 9
    assert len(pages) <= 15  # was 67


def test_every_sheet_is_set_up_for_a4_one_page_wide(printed):
    for name in ("blank", "rollup"):
        path, _, _ = printed[name]
        for ws in visible_sheets(path):
            setup = ws.page_setup
            assert (setup.paperSize, setup.fitToWidth) == (9, 1), (name, ws.title)
            assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.orientation in ("portrait", "landscape")
            if ws.title.startswith("表"):
                assert setup.fitToHeight == 1
    tables = [ws for ws in visible_sheets(printed["blank"][0]) if ws.title.startswith("表")]
    for ws in tables:  # every row of a table sheet that holds a label has its height set
        labelled = {c.row for row in ws.iter_rows() for c in row if isinstance(c.value, str) and not c.value.startswith("=")}
        assert all(ws.row_dimensions[r].height for r in labelled), ws.title
