"""No character lost between the .docx and the PDF (issue 12: a 顿号 at a line end vanished).

LibreOffice dropped a punctuation mark it hung past the right margin on a line that also
held the gap between Chinese and digits. Every punctuation mark clerks write is put at
every position of a line, after runs of digits of every length, and the PDF must carry
every character the .docx has, while full lines still hold 28 characters.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import pdfplumber
import pytest

from gxreport.compose.document import Document, Paragraph, Title
from gxreport.outputs.docx import render_docx
from gxreport.declare.page import PAGE

from .conftest import convert_to_pdf

# Sentences of the kind reports are made of, each with marks that cannot start a line.
SENTENCES = (
    "其中自然人申请12件、商业企业申请2件。",
    "收到申请2024件，办结（含上年结转）18件；其中“不予公开”3件。",
    "公开文件2件：《条例》、办法；年度报告。",
)
DIGITS = (0, 1, 2, 4, 7)
# Lines of Chinese text only, to count the characters of a full line.
PLAIN = "我局坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开，提升政务公开质量。" * 8
PT_PER_MM = 72 / 25.4
FOOTER_TOP = (297 - 35) * PT_PER_MM


def paragraphs() -> list[str]:
    """Each sentence shifted one character at a time across a 28-character line,
    after 0–7 digits (each digit run adds the renderer's CJK–Latin gap twice)."""
    return [PLAIN] + [
        "文" * shift + (f"共{'3' * digits}" if digits else "") + sentence
        for sentence in SENTENCES
        for shift in range(PAGE.chars)
        for digits in DIGITS
    ]


@pytest.fixture(scope="module")
def pdf(soffice, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lost")
    source = folder / "lost.docx"
    source.write_bytes(render_docx(Document("测试", [Title("标点测试"), *map(Paragraph, paragraphs())])))
    with pdfplumber.open(convert_to_pdf(soffice, source, folder)) as opened:
        yield [[c for c in page.chars if c["text"].strip() and c["top"] < FOOTER_TOP] for page in opened.pages]


def test_every_character_of_the_docx_is_in_the_pdf(pdf):
    printed = Counter(c["text"] for page in pdf for c in page)
    wanted = Counter("标点测试" + "".join(paragraphs()))
    assert wanted - printed == Counter(), "characters missing from the PDF"
    assert printed - wanted == Counter()


def test_full_lines_still_hold_28_characters(pdf):
    left, right = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
    counts = []
    for page in pdf:
        rows: dict[int, list[dict]] = {}
        for c in page:
            rows.setdefault(round(c["bottom"]), []).append(c)
        for row in rows.values():
            row.sort(key=lambda c: c["x0"])
            full = abs(row[0]["x0"] - left) < 2 and abs(row[-1]["x1"] - right) < 2
            if full and all(unicodedata.east_asian_width(c["text"]) in "WF" for c in row):
                counts.append(len(row))
    # A line whose next character is a mark that may not start a line gives up one character
    # (it goes down with the mark); no mark hangs past the margin, so none holds 29.
    assert len(counts) >= 10 and max(set(counts), key=counts.count) == PAGE.chars, Counter(counts)
    assert set(counts) <= {PAGE.chars - 1, PAGE.chars}, Counter(counts)
