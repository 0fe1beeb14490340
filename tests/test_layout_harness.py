"""The layout harness: 202 generated reports through one LibreOffice run, measured from the PDF.

Agency names of 2 to 40 characters (with and without digits) and narratives lengthened a
sentence at a time, so the signature and each table meet every position on a page, for
every kind; and a last paragraph of every length up to two pages before the signature. Each
PDF is read with pdfplumber as a reader would check it:

- title lines: none of one or two characters, and the lines gxreport broke (the renderer
  did not break them again);
- the signature: name and date on one page, and that page holds body text above them;
- tables: one that fits on a page is never split; one that breaks leaves its header with at
  least ``MIN_ROWS_UNDER_HEADER`` data rows at the page foot;
- every character of the .docx is in the PDF;
- full body pages hold 22 lines, full lines 28 characters.

``python -m tests.test_layout_harness`` prints the figures quoted in the README.
"""

from __future__ import annotations

import copy
import random
import re
import time
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from gxreport.compose import document as d
from gxreport.api import load_report
from gxreport.outputs.docx import render_docx
from gxreport.outputs.docx.writer import MIN_ROWS_UNDER_HEADER
from gxreport.declare.kinds import Registry
from gxreport.compose.measure import table_height_pt
from gxreport.declare.model import Block
from gxreport.compose.narrative import layout
from gxreport.declare.page import PAGE, PT_PER_MM
from gxreport.outputs.render.pdf import convert_files

from .conftest import DATA

TOP = PAGE.top_mm * PT_PER_MM
BOTTOM = (PAGE.height_mm - PAGE.bottom_mm) * PT_PER_MM
LEFT = PAGE.left_mm * PT_PER_MM
RIGHT = (PAGE.width_mm - PAGE.right_mm) * PT_PER_MM
TYPE_HEIGHT = BOTTOM - TOP

SENTENCES = (
    "全年共收到政府信息公开申请12件，其中自然人申请10件、商业企业申请2件，均已按期答复。",
    "我局坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。",
    "围绕“放管服”改革，主动公开行政许可、行政处罚等信息3560条，及时回应社会关切。",
    "2024年共召开政务公开专题会议4次，组织业务培训2场，参训人员达120余人次。",
    "下一步，我局将进一步健全工作机制，加强队伍建设，不断提升政务公开的质量和实效。",
)
PLACES = ("某某省", "某某市", "临川县", "泗阳县", "青溪县", "丰源区", "南岭市", "东湖区", "第3", "高新技术产业开发区")
ORGANS = ("公安局", "教育局", "财政局", "行政审批局", "卫生健康委员会", "人民政府办公室", "市场监督管理局",
          "政务服务管理办公室", "第12中学", "自然资源和规划局", "交通运输综合行政执法大队", "人民医院")
SAMPLES = {  # kind sample → the part lengthened for the signature, and for the tables (if any)
    "2021": ("六", "一"),
    "2019": ("六", "一"),
    "2017-legacy": ("七", "一"),
    "summary": ("", None),
    "self-check": ("", None),
}
SENTENCES_PER_PARAGRAPH = 3
LONG_LAST_PARAGRAPH = ("2021", "self-check")
STEPS = {"2021": 40, "2019": 30, "2017-legacy": 30, "summary": 30, "self-check": 30}


def agency_names(count: int, seed: int = 9704) -> list[str]:
    """Names from 2 to 40 characters, every length, some with digits."""
    rng = random.Random(seed)
    names = ["某局", "某县公安局"]
    while len(names) < count:
        target = 2 + len(names) % 39
        name = ""
        while len(name) < target:
            name += rng.choice(PLACES) if rng.random() < 0.5 else rng.choice(ORGANS)
        names.append(name[:target])
    return names


@dataclass
class Case:
    name: str
    sample: str
    document: d.Document
    docx: bytes
    pdf: Path | None = None
    pages: list = field(default_factory=list)


def cases(registry: Registry) -> list[Case]:
    """One report per (sample, step): the agency changes with each, the narrative grows."""
    out = []
    names = iter(agency_names(250))
    for sample, (signature_part, table_part) in SAMPLES.items():
        base = load_report(DATA / f"{sample}.xlsx", registry)
        for step in range(STEPS[sample]):
            report = copy.deepcopy(base)
            report.fields["agency"] = next(names)
            report.fields.pop("signatory", None)
            # Lengthen the part before the tables on even steps, the last part on odd ones,
            # so both the signature and the tables move a sentence at a time.
            part = table_part if table_part is not None and step % 2 == 0 else signature_part
            sentences = [SENTENCES[i % len(SENTENCES)] for i in range(step // (2 if table_part else 1))]
            at = max((i for i, b in enumerate(report.blocks) if b.part == part), default=len(report.blocks) - 1) + 1
            # paragraphs of up to three sentences, as reports are mostly written
            for first in range(0, len(sentences), SENTENCES_PER_PARAGRAPH):
                report.blocks.insert(at, Block(part, 0, "", "".join(sentences[first:first + SENTENCES_PER_PARAGRAPH])))
                at += 1
            document = layout(report)
            out.append(Case(f"{sample}-{step:02d}", sample, document, render_docx(document)))
    # and a last paragraph before the signature of every length, two lines more each time, up to
    # two pages: LibreOffice moves a paragraph kept with the signature whole (measure.kept_paragraphs)
    for sample in LONG_LAST_PARAGRAPH:
        base = load_report(DATA / f"{sample}.xlsx", registry)
        for lines in range(4, 46, 2):
            report = copy.deepcopy(base)
            report.fields["agency"] = next(names)
            report.fields.pop("signatory", None)
            text = "".join(SENTENCES[i % len(SENTENCES)] for i in range(round(lines * 28 / 40)))
            report.blocks.append(Block(report.blocks[-1].part, 0, "", text))
            document = layout(report)
            out.append(Case(f"{sample}-last-{lines:02d}", sample, document, render_docx(document)))
    return out


@pytest.fixture(scope="module")
def harness(soffice, tmp_path_factory):
    folder = tmp_path_factory.mktemp("harness")
    items = cases(Registry())
    sources = []
    for case in items:
        source = folder / f"{case.name}.docx"
        source.write_bytes(case.docx)
        sources.append(source)
    started = time.monotonic()
    pdfs = convert_files(sources, folder, soffice)  # one soffice run for every report
    seconds = time.monotonic() - started
    opened = []
    for case, pdf in zip(items, pdfs):
        opened.append(pdfplumber.open(pdf))
        case.pdf, case.pages = pdf, opened[-1].pages
    yield items, seconds
    for item in opened:
        item.close()


def test_there_are_enough_reports_of_every_kind(harness):
    items, _ = harness
    assert len(items) >= 150
    assert {case.sample for case in items} == set(SAMPLES)
    lengths = {len(case.document.author) for case in items}
    assert min(lengths) == 2 and max(lengths) >= 40


# --- reading a page -----------------------------------------------------------------------


def page_lines(page, size: float | None = None) -> list[tuple[float, str, list[dict]]]:
    """(baseline, text, chars) of each line in the type area, top to bottom."""
    rows: dict[int, list[dict]] = {}
    for c in page.chars:
        if c["text"].strip() and c["top"] < BOTTOM and (size is None or abs(c["size"] - size) < 0.3):
            rows.setdefault(round(c["bottom"]), []).append(c)
    merged: list[list[dict]] = []
    for key in sorted(rows):
        if merged and key - round(merged[-1][0]["bottom"]) <= 3:
            merged[-1].extend(rows[key])
        else:
            merged.append(list(rows[key]))
    out = []
    for row in merged:
        row.sort(key=lambda c: c["x0"])
        out.append((max(c["bottom"] for c in row), "".join(c["text"] for c in row), row))
    return out


def _failures(items, check) -> list[str]:
    found = []
    for case in items:
        problem = check(case)
        if problem:
            found.append(f"{case.name} ({case.document.author}): {problem}")
    return found


# --- titles ---------------------------------------------------------------------------------


def title_check(case: Case) -> str | None:
    title = next(b for b in case.document.blocks if isinstance(b, d.Title))
    printed = [text for _, text, _ in page_lines(case.pages[0], PAGE.sizes.title)]
    wanted = title.text.split("\n")
    if printed[: len(wanted)] != wanted:
        return f"title printed as {printed[:len(wanted) + 1]}, laid out as {wanted}"
    short = [line for line in printed[: len(wanted)] if len(line) <= 2]
    return f"title line of {len(short[0])} characters: {printed}" if short else None


def test_title_lines_are_ours_and_never_one_or_two_characters(harness):
    items, _ = harness
    assert _failures(items, title_check) == []


# --- signature --------------------------------------------------------------------------------


def signature_check(case: Case) -> str | None:
    signature = next((b for b in case.document.blocks if isinstance(b, d.Signature)), None)
    if signature is None or not signature.date:
        return None
    agency, date = signature.agency.replace(" ", ""), signature.date.replace(" ", "")
    for number in range(len(case.pages) - 1, -1, -1):
        lines = page_lines(case.pages[number], PAGE.sizes.body)
        texts = [text for _, text, _ in lines]
        if date in texts:
            at = texts.index(date)
            # the name ends the line(s) above the date; a long name wraps onto several lines
            above = "".join(texts[:at])
            if not above.endswith(agency):
                return f"page {number + 1}: the date has no agency name above it on its page"
            body = [t for t in texts[:at] if t not in agency and not t.startswith("附件")]
            if not body and not case.pages[number].find_tables():
                return f"page {number + 1}: signature alone on a page without body text"
            return None
    return "date not found in the PDF"


def test_signature_is_one_block_with_body_text_on_its_page(harness):
    items, _ = harness
    assert _failures(items, signature_check) == []


# --- tables -------------------------------------------------------------------------------------


@dataclass
class Piece:
    page: int
    rows: int  # ruled rows pdfplumber finds
    top: float


def table_pieces(case: Case) -> list[list[Piece]]:
    """The printed tables in order, each as its pieces page by page: a table opening a page
    right under the type area's top edge continues the table that ended the page before
    (a table starting afresh has its heading above it, kept with it)."""
    groups: list[list[Piece]] = []
    ended_page = False
    for number, page in enumerate(case.pages):
        found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
        first_text = min((c["top"] for c in page.chars if c["text"].strip() and c["top"] < BOTTOM), default=BOTTOM)
        for index, table in enumerate(found):
            piece = Piece(number, len(table.rows), table.bbox[1])
            if index == 0 and ended_page and piece.top <= first_text + 2:
                groups[-1].append(piece)
            else:
                groups.append([piece])
        last_text = max((c["bottom"] for c in page.chars if c["text"].strip() and c["top"] < BOTTOM), default=0)
        ended_page = bool(found) and found[-1].bbox[3] >= last_text - 2
    return groups


def table_check(case: Case) -> str | None:
    tables = [b for b in case.document.blocks if isinstance(b, d.Table)]
    groups = table_pieces(case)
    if len(groups) != len(tables):
        return f"{len(tables)} tables laid out, {len(groups)} printed"
    for block, pieces in zip(tables, groups):
        if len(pieces) == 1:
            continue
        if table_height_pt(block.grid) <= TYPE_HEIGHT:
            return f"table {block.table_id} fits on a page but is split at page {pieces[0].page + 1}"
        rows_here = pieces[0].rows - block.grid.header_rows
        if rows_here < MIN_ROWS_UNDER_HEADER:
            return f"table {block.table_id}: {rows_here} data rows under its header at the foot of page {pieces[0].page + 1}"
    return None


def test_tables_move_whole_or_leave_several_rows_under_their_header(harness):
    items, _ = harness
    assert _failures(items, table_check) == []


# --- characters -----------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(t.text or "" for t in root.iter(f"{ns}t"))


def characters_check(case: Case) -> str | None:
    printed = Counter(c["text"] for page in case.pages for c in page.chars if c["text"].strip() and c["top"] < BOTTOM)
    wanted = Counter(ch for ch in docx_text(case.docx) if ch.strip())
    missing = wanted - printed
    return f"missing from the PDF: {dict(missing)}" if missing else None


def test_every_character_of_the_docx_is_in_the_pdf(harness):
    items, _ = harness
    assert _failures(items, characters_check) == []


# --- lines and characters -----------------------------------------------------------------------


def body_figures(items) -> tuple[Counter, Counter]:
    """Lines per page on pages of body text only (no table, not the last), and characters
    per full line of Chinese text (reaching both edges)."""
    per_page, per_line = Counter(), Counter()
    for case in items:
        for number, page in enumerate(case.pages):
            lines = page_lines(page, PAGE.sizes.body)
            if number + 1 < len(case.pages) and number > 0 and not page.find_tables():
                per_page[len(lines)] += 1
            for _, text, chars in lines:
                full = abs(chars[0]["x0"] - LEFT) < 2 and abs(chars[-1]["x1"] - RIGHT) < 2
                if full and all(unicodedata.east_asian_width(c["text"]) in "WF" for c in chars):
                    per_line[len(chars)] += 1
    return per_page, per_line


def test_full_pages_hold_22_lines_of_28_characters(harness):
    items, _ = harness
    per_page, per_line = body_figures(items)
    assert max(per_page) == PAGE.lines and per_page.most_common(1)[0][0] >= PAGE.lines - 1, per_page
    # A line whose next characters may not start a line (a closing quote and a comma: ”，)
    # gives them up with the character before them and is justified one or two short; no
    # line is longer (no mark hangs past the margin).
    assert per_line.most_common(1)[0][0] == PAGE.chars, per_line
    assert set(per_line) <= {PAGE.chars - 2, PAGE.chars - 1, PAGE.chars}, per_line
    assert per_line[PAGE.chars] > 5 * (per_line[PAGE.chars - 1] + per_line[PAGE.chars - 2]), per_line


def figures(items, seconds: float) -> str:
    """The harness's figures, as the README quotes them."""
    per_page, per_line = body_figures(items)
    title_lines = Counter(len(b.text.split("\n")) for c in items for b in c.document.blocks if isinstance(b, d.Title))
    shortest = min(len(line) for c in items for b in c.document.blocks if isinstance(b, d.Title) for line in b.text.split("\n"))
    pages = sum(len(c.pages) for c in items)
    problems = {name: len(_failures(items, check)) for name, check in
                (("title", title_check), ("signature", signature_check), ("table", table_check), ("characters", characters_check))}
    return (
        f"{len(items)} reports ({', '.join(f'{k} {v}' for k, v in Counter(c.sample for c in items).items())}), "
        f"{pages} pages, converted in one LibreOffice run in {seconds:.0f} s; agency names of "
        f"{min(len(c.document.author) for c in items)}–{max(len(c.document.author) for c in items)} characters; "
        f"title lines {dict(sorted(title_lines.items()))}, shortest title line {shortest} characters; "
        f"lines on body pages {dict(sorted(per_page.items()))}; characters on full lines {dict(sorted(per_line.items()))}; "
        f"problems found {problems}"
    )


def test_figures_are_printed(harness, capsys):
    items, seconds = harness
    text = figures(items, seconds)
    with capsys.disabled():
        print("\nlayout harness:", text)
    assert re.search(r"problems found \{'title': 0, 'signature': 0, 'table': 0, 'characters': 0\}", text), text


if __name__ == "__main__":  # python -m tests.test_layout_harness [folder to keep the PDFs in]
    import shutil
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        built = cases(Registry())
        paths = []
        for case in built:
            paths.append(Path(work) / f"{case.name}.docx")
            paths[-1].write_bytes(case.docx)
        started = time.monotonic()
        pdfs = convert_files(paths, Path(work))
        elapsed = time.monotonic() - started
        handles = [pdfplumber.open(p) for p in pdfs]
        for case, handle in zip(built, handles):
            case.pages = handle.pages
        print(figures(built, elapsed))
        for check in (title_check, signature_check, table_check, characters_check):
            for line in _failures(built, check):
                print(check.__name__, line)
        if len(sys.argv) > 1:
            Path(sys.argv[1]).mkdir(parents=True, exist_ok=True)
            for source in (*paths, *pdfs):
                shutil.copy(source, sys.argv[1])
