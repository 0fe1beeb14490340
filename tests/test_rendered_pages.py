"""Every sample as the clerk sees it: .docx → PDF through LibreOffice → measured with pdfplumber.

The measures are docs/layout.md's (GB/T 9704-2012): A4, type area 156 × 225 mm at 28/37 mm,
22 lines of 28 三号 characters, title 22 pt, body 16 pt, "— n —" page numbers in 14 pt,
tables inside the type width with repeated header rows, signature and date placed by rule.
Every workbook in data/ is rendered, plus a long report whose table 三 crosses a page.
All PDFs come from one soffice run per test session.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass

import pdfplumber
import pytest
from PIL import Image

from gxreport.compose import document as d
from gxreport.api import load_report
from gxreport.outputs.docx import render_docx
from gxreport.declare.model import Block
from gxreport.compose.narrative import layout
from gxreport.declare.page import PAGE

from .conftest import DATA, convert_all_to_pdf, required_program

PT_PER_MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * PT_PER_MM, 297 * PT_PER_MM
LEFT, RIGHT = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM  # type area, docs/layout.md "Page"
TOP, BOTTOM = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM
LINE = 28.95  # pt, exact body line spacing
CHAR = (RIGHT - LEFT) / PAGE.chars  # one grid character, 15.79 pt
TOLERANCE = 1 * PT_PER_MM
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14
LINES_PER_PAGE = 22
PAGE_NUMBER = re.compile(r"^— (\d+) —$")
NUMBER = re.compile(r"^\d+(\.\d+)?\S*$")
LONG = "long-2021"  # the long sample, made from data/2021.xlsx below
LONG_TABLE = "long-table"  # a table longer than a page, which must break (made below)

SAMPLES = sorted(p.stem for p in DATA.glob("*.xlsx")) + [LONG, LONG_TABLE]


def long_report(registry):
    """The 2021 sample with a narrative long enough for table 三 to cross a page."""
    report = load_report(DATA / "2021.xlsx", registry)
    sentence = "我局坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开，不断提升政务公开质量和实效。"
    extra = [Block("一", 2, f"第{i}项重点工作", sentence * (2 + i % 3)) for i in range(1, 9)]
    extra.append(Block("一", 2, "持续深化政务公开", sentence * 30))  # fills a page with one paragraph
    at = max(i for i, b in enumerate(report.blocks) if b.part == "一") + 1
    report.blocks[at:at] = extra
    return report


def long_table_document() -> d.Document:
    """A page of text, then a 2-header-row table of 70 rows: it cannot move whole."""
    header = (
        (d.PlacedCell(0, 0, 2, 1, "项目", header=True), d.PlacedCell(0, 1, 1, 2, "件数", header=True)),
        (d.PlacedCell(1, 1, 1, 1, "本年", header=True), d.PlacedCell(1, 2, 1, 1, "上年", header=True)),
    )
    rows = tuple(
        (d.PlacedCell(r, 0, 1, 1, f"第{r - 1}项事务"), d.PlacedCell(r, 1, 1, 1, str(r), value=True),
         d.PlacedCell(r, 2, 1, 1, str(2 * r), value=True))
        for r in range(2, 72)
    )
    grid = d.TableGrid((90, 33, 33), 2, header + rows, 10.5)
    text = "我局坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。" * 8
    return d.Document("长表格", [d.Title("长表格测试"), d.Paragraph(text), d.Heading(1, "一、", "统计表"), d.Table(grid, "long")])


@dataclass
class Rendered:
    name: str
    document: d.Document
    pdf: pdfplumber.PDF

    @property
    def pages(self):
        return self.pdf.pages


@pytest.fixture(scope="session")
def rendered(soffice, registry, tmp_path_factory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("rendered")
    documents, sources = {}, []
    for name in SAMPLES:
        if name == LONG_TABLE:
            documents[name] = long_table_document()
        else:
            report = long_report(registry) if name == LONG else load_report(DATA / f"{name}.xlsx", registry)
            documents[name] = layout(report)
        source = folder / f"{name}.docx"
        source.write_bytes(render_docx(documents[name]))
        sources.append(source)
    pdfs = convert_all_to_pdf(soffice, sources, folder)
    opened = {name: Rendered(name, documents[name], pdfplumber.open(pdf)) for name, pdf in zip(SAMPLES, pdfs)}
    yield opened
    for item in opened.values():
        item.pdf.close()


@pytest.fixture(params=SAMPLES)
def sample(request, rendered) -> Rendered:
    return rendered[request.param]


# --- reading a page -------------------------------------------------------------------


@dataclass
class Line:
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def size(self) -> float:
        return max(c["size"] for c in self.chars)


def lines(page, chars=None) -> list[Line]:
    """Text lines of `page`, top to bottom, characters left to right (spaces dropped)."""
    rows: dict[float, list[dict]] = {}
    for c in chars if chars is not None else page.chars:
        if c["text"].strip():
            rows.setdefault(round(c["bottom"]), []).append(c)
    merged: list[list[dict]] = []
    for key in sorted(rows):  # glyphs of different faces sit a point apart on one line
        if merged and key - round(merged[-1][0]["bottom"]) <= 3:
            merged[-1].extend(rows[key])
        else:
            merged.append(list(rows[key]))
    return [Line(sorted(row, key=lambda c: c["x0"])) for row in merged]


def table_boxes(page) -> list[tuple[float, float, float, float]]:
    return [t.bbox for t in page.find_tables()]


def in_tables(char, boxes) -> bool:
    return any(x0 - 1 <= char["x0"] and char["x1"] <= x1 + 1 and top - 1 <= char["top"] and char["bottom"] <= bottom + 1
               for x0, top, x1, bottom in boxes)


def body_lines(page) -> list[Line]:
    """Lines in the type area outside tables (no footer)."""
    boxes = table_boxes(page)
    chars = [c for c in page.chars if c["top"] < BOTTOM and not in_tables(c, boxes)]
    return lines(page, chars)


def footer_lines(page) -> list[Line]:
    return lines(page, [c for c in page.chars if c["top"] >= BOTTOM])



# --- page and type area -------------------------------------------------------------------


def test_every_page_is_a4(sample):
    for page in sample.pages:
        assert page.width == pytest.approx(PAGE_W, abs=1) and page.height == pytest.approx(PAGE_H, abs=1)


def test_text_stays_inside_the_type_area(sample):
    for number, page in enumerate(sample.pages, start=1):
        for c in page.chars:
            if c["text"].strip() and c["top"] < BOTTOM:
                where = f"page {number} {c['text']!r}"
                # CJK punctuation may hang past the line end, as Word allows (w:overflowPunct)
                right = c["x0"] if unicodedata.category(c["text"]).startswith("P") else c["x1"]
                assert LEFT - TOLERANCE <= c["x0"] and right <= RIGHT + TOLERANCE, where
                assert TOP - TOLERANCE <= c["top"], where


def test_text_starts_at_the_left_edge_28mm(sample):
    edges = [line.x0 for page in sample.pages for line in body_lines(page)]
    assert min(edges) == pytest.approx(LEFT, abs=TOLERANCE)


def test_first_line_sits_on_the_first_grid_line(sample):
    """The first baseline is one line below the 37 mm top margin (glyph bottoms just under it)."""
    for page in sample.pages:
        first = lines(page)[0]
        assert TOP < first.bottom <= TOP + LINE + 2


# --- lines and characters ---------------------------------------------------------------------


def _body_runs(sample):
    """Per page, the 16 pt body lines outside tables."""
    return [[line for line in body_lines(page) if line.size == pytest.approx(BODY_PT, abs=0.2)] for page in sample.pages]


def test_body_lines_are_28_95pt_apart_and_at_most_22_a_page(sample):
    for page, page_lines in zip(sample.pages, _body_runs(sample)):
        assert len(page_lines) <= LINES_PER_PAGE
        boxes = table_boxes(page)
        for above, below in zip(page_lines, page_lines[1:]):
            if any(above.bottom < top < below.top for _, top, _, _ in boxes):
                continue  # a table sits between
            gap = below.bottom - above.bottom
            # the next line, or a whole number of lines further after blank lines
            assert gap / LINE == pytest.approx(round(gap / LINE), abs=0.05), (above.text, below.text)


def test_a_full_page_of_body_text_holds_22_lines(rendered):
    runs = _body_runs(rendered[LONG])
    fullest = max(runs, key=len)
    assert len(fullest) == LINES_PER_PAGE
    assert fullest[-1].bottom - fullest[0].bottom == pytest.approx((LINES_PER_PAGE - 1) * LINE, abs=2)


def test_a_full_body_line_holds_28_characters(rendered):
    """Lines of Chinese text reaching both edges hold 28 characters (± 1).

    A line before a long unbreakable number, or one whose last character may not end
    a line (an opening quote), is stretched with one character fewer; a line may end
    in one hanging punctuation mark. Short samples full of figures may have no such
    line at all, so the lines of every sample are counted together.
    """
    counts = {
        name: [
            len(line.chars) for page in _body_runs(item) for line in page
            if line.x0 == pytest.approx(LEFT, abs=2) and line.x1 == pytest.approx(RIGHT, abs=2)
            and all(unicodedata.east_asian_width(c["text"]) in "WF" for c in line.chars)
        ]
        for name, item in rendered.items()
    }
    every = [count for found in counts.values() for count in found]
    assert every, "no full line of Chinese text"
    assert max(set(every), key=every.count) == PAGE.chars, counts
    assert all(PAGE.chars - 1 <= count <= PAGE.chars + 1 for count in every), counts


def test_digits_sit_close_to_the_chinese_text(sample):
    """No hole inside a body line: a character grid would push "1" in 1月 onto a whole cell."""
    for number, page in enumerate(_body_runs(sample), start=1):
        for line in page:
            for left, right in zip(line.chars, line.chars[1:]):
                assert right["x0"] - left["x1"] < 5, f"page {number}: {left['text']}{right['text']} in {line.text}"


# --- type sizes -----------------------------------------------------------------------------------


def test_title_is_22pt(sample):
    title = next(b for b in sample.document.blocks if isinstance(b, d.Title))
    first_page = lines(sample.pages[0])
    for title_line in title.text.split("\n"):
        line = next(line for line in first_page if line.text == title_line.replace(" ", ""))
        assert all(c["size"] == pytest.approx(TITLE_PT, abs=0.2) for c in line.chars), title_line


def test_body_paragraphs_are_16pt(sample):
    paragraphs = [b.text for b in sample.document.blocks if isinstance(b, d.Paragraph)]
    text = "".join(c["text"] for page in sample.pages for line in body_lines(page) for c in line.chars
                   if c["size"] == pytest.approx(BODY_PT, abs=0.2))
    for paragraph in paragraphs:
        assert paragraph.replace(" ", "")[:20] in text, paragraph[:20]


# --- page numbers -----------------------------------------------------------------------------------


def test_page_numbers_on_every_page_odd_right_even_left(sample):
    for number, page in enumerate(sample.pages, start=1):
        (footer,) = footer_lines(page)
        text = "".join(c["text"] for c in page.chars if c["top"] >= BOTTOM).strip()
        assert PAGE_NUMBER.match(text) and PAGE_NUMBER.match(text).group(1) == str(number), text
        assert all(c["size"] == pytest.approx(PAGE_NUMBER_PT, abs=0.2) for c in footer.chars)
        one_char_in = PAGE_NUMBER_PT
        if number % 2:
            assert footer.x1 == pytest.approx(RIGHT - one_char_in, abs=TOLERANCE), number
        else:
            assert footer.x0 == pytest.approx(LEFT + one_char_in, abs=TOLERANCE), number
        assert BOTTOM < footer.top and footer.bottom < BOTTOM + 12 * PT_PER_MM


DPI = 200


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    return required_program("poppler (pdftoppm)", "pdftoppm")


def dash_rows_mm_below_type_area(pdftoppm: str, pdf_path, page_number: int) -> list[float]:
    """Rows of the page image, in mm below the type area, where a dash of "— n —" is drawn
    (a horizontal run of at least half a 四号 character): GB/T 9704 7.5 measures the dash."""
    top_px = round(BOTTOM / 72 * DPI)
    png = subprocess.run(
        [pdftoppm, "-png", "-r", str(DPI), "-f", str(page_number), "-l", str(page_number),
         "-y", str(top_px), "-H", str(round(15 / 25.4 * DPI)), "-W", str(round(PAGE_W / 72 * DPI)), str(pdf_path)],
        capture_output=True, check=True, timeout=60,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    run_needed = round(PAGE_NUMBER_PT / 2 / 72 * DPI)
    rows = []
    for y in range(height):
        run = best = 0
        for x in range(width):
            run = run + 1 if pixels[x, y] < 128 else 0
            best = max(best, run)
        if best >= run_needed:
            rows.append((y + 0.5) / DPI * 25.4)
    return rows


def test_page_number_dashes_sit_7mm_below_the_type_area(rendered, pdftoppm):
    """GB/T 9704 7.5: 一字线上距版心下边缘 7 mm, measured on the page image."""
    item = rendered[LONG]
    for page_number in (1, 2):
        rows = dash_rows_mm_below_type_area(pdftoppm, item.pdf.stream.name, page_number)
        assert rows, page_number
        assert sum(rows) / len(rows) == pytest.approx(7, abs=0.5), (page_number, rows)


# --- tables -----------------------------------------------------------------------------------------


def _tables(sample) -> list[d.Table]:
    return [b for b in sample.document.blocks if isinstance(b, d.Table)]


def test_tables_are_inside_the_type_width(sample):
    found = 0
    for page in sample.pages:
        for x0, top, x1, bottom in table_boxes(page):
            found += 1
            assert LEFT - TOLERANCE <= x0 and x1 <= RIGHT + TOLERANCE
            assert TOP - TOLERANCE <= top and bottom <= BOTTOM + TOLERANCE
    assert found >= len(_tables(sample))


def _continuations(sample):
    """(table piece at the end of page n, table piece opening page n + 1) pairs."""
    pairs = []
    for before, after in zip(sample.pages, sample.pages[1:]):
        ending, opening = before.find_tables(), after.find_tables()
        if not ending or not opening:
            continue
        first_text = lines(after)[0]
        if opening[0].bbox[1] <= first_text.top + 2:  # nothing above the table on the new page
            pairs.append((ending[-1], opening[0]))
    return pairs


def _header_rows(rows: list[list[str | None]]) -> int:
    """Rows before the first row holding a number cell."""
    for index, row in enumerate(rows):
        if any(cell and NUMBER.match(cell.strip()) for cell in row):
            return index
    return len(rows)


def test_a_table_longer_than_a_page_crosses_it(rendered):
    assert _continuations(rendered[LONG_TABLE])


def test_statutory_tables_that_fit_on_a_page_are_never_split(rendered):
    """Table 三 of the long sample would break at a page foot; it moves whole instead."""
    assert _continuations(rendered[LONG]) == []


def test_a_continued_table_repeats_its_header_rows(sample):
    for ending, opening in _continuations(sample):
        head = ending.extract()
        count = _header_rows(head)
        assert count >= 1
        def texts(rows):  # cell texts in reading order; column detection differs per page
            return [cell for row in rows[:count] for cell in row if cell]

        assert texts(opening.extract()) == texts(head)


def test_no_table_row_is_split_across_pages(sample):
    """Each one-row label cell is printed whole on one page."""
    text_by_page = ["".join(c["text"] for c in page.chars if c["text"].strip()) for page in sample.pages]
    for table in _tables(sample):
        for row in table.grid.rows[table.grid.header_rows:]:
            labels = ["".join(cell.text.split()) for cell in row if not cell.value and cell.rowspan == 1 and cell.text.strip()]
            for label in labels:
                # a cell's wrapped lines come out one after the other in the page text
                assert any(label in text for text in text_by_page), f"{label} not printed whole"


# --- signature and date -----------------------------------------------------------------------------


def test_signature_and_date_are_placed_by_rule(rendered):
    signed = [(item, block) for item in rendered.values() for block in item.document.blocks
              if isinstance(block, d.Signature) and block.date]
    assert signed
    for item, signature in signed:
        _check_signature(item, signature)


def _check_signature(item: Rendered, signature: d.Signature) -> None:
    # the last page showing the agency name on a line of its own (the title may show it too)
    page_lines = next(
        found for found in map(body_lines, reversed(item.pages)) if any(line.text == signature.agency for line in found)
    )
    index = max(i for i, line in enumerate(page_lines) if line.text == signature.agency)
    name, date = page_lines[index], page_lines[index + 1]
    where = f"{item.name}: {signature.agency} {signature.date}"
    assert date.text == signature.date.replace(" ", ""), where
    assert name.bottom - page_lines[index - 1].bottom == pytest.approx(2 * LINE, abs=1.5), where  # a blank line
    assert date.bottom - name.bottom == pytest.approx(LINE, abs=1.5), where
    tolerance = 1.5 * PT_PER_MM
    # GB/T 9704 7.3.5.2: only a date longer than the name moves the name (as printed).
    if date.x1 - date.x0 <= name.x1 - name.x0:
        assert name.x1 == pytest.approx(RIGHT - 2 * CHAR, abs=tolerance), where
        assert date.x0 == pytest.approx(name.x0 + 2 * CHAR, abs=tolerance), where
    else:
        assert date.x1 == pytest.approx(RIGHT - 2 * CHAR, abs=tolerance), where
        assert (name.x0 + name.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=tolerance), where
