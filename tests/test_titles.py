"""Title lines (GB/T 9704 7.3.1): broken by us, measured as printed, balanced, never 1–2 characters.

Every kind's title pattern with agency names of 2 to 40 characters, with and without digits.
Rendered lines are checked in the layout harness (tests/test_layout_harness.py).
"""

from __future__ import annotations

import pytest

from gxreport.declare.model import Report
from gxreport.compose.narrative import layout, plain_title, report_title
from gxreport.declare.page import PAGE, printed_width
from gxreport.compose.titles import MIN_LINE_CHARS, title_lines
from gxreport.compose import document as d

LIMIT = PAGE.chars_per_line(PAGE.sizes.title)  # 20.1 二号 characters in 156 mm
AGENCIES = (
    "某局",
    "某县公安局",
    "某市某区教育局",
    "泗阳县行政审批局",
    "某某市第12中学",
    "苏州市市场监督管理局",
    "临川县政务服务管理办公室",
    "某县卫生健康委员会",
    "中华人民共和国某某部某某司某某处",
    "广西壮族自治区某某市某某县人民政府",
    "某某省某某市某某区人民政府办公室政务公开科信息中心第一分中心",
    "某某市第3人民医院医疗保障服务中心",
    "某某省某某市经济技术开发区管理委员会社会事业局政务服务中心办公室",  # 32
    "某" * 40,
)


def titles(registry):
    for kind in registry.all():
        for agency in AGENCIES:
            report = Report.blank(kind, "t.xlsx")
            report.fields.update(agency=agency, year=2024, subject="政务公开工作", with_plan=True)
            yield kind.id, agency, report_title(report)


def test_a_five_character_name_does_not_leave_one_character_alone():
    """The issue's case: 20 character widths plus two CJK–digit gaps do not fit one line."""
    lines = title_lines("某县公安局|2024年|政府信息公开|工作|年度报告")
    assert lines == ["某县公安局2024年", "政府信息公开工作年度报告"]


def test_width_counts_the_gap_between_chinese_and_digits():
    assert printed_width("某县公安局2024年政府信息公开工作年度报告") == pytest.approx(20 + 2 * PAGE.cjk_latin_gap_chars)
    assert printed_width("某县公安局2024年政府信息公开工作年度报告") > LIMIT
    assert title_lines("二十个字的标题二十个字的标题二十个字的标") == ["二十个字的标题二十个字的标题二十个字的标"]


def test_every_kind_and_name_length_gives_lines_that_fit_and_are_never_one_or_two_characters(registry):
    seen = 0
    for kind, agency, marked in titles(registry):
        lines = title_lines(marked)
        where = f"{kind} {agency}: {lines}"
        assert "".join(lines) == marked.replace("|", ""), where
        assert all(printed_width(line) <= LIMIT for line in lines), where
        assert all(len(line) >= MIN_LINE_CHARS for line in lines), where
        assert len(lines) == 1 or printed_width("".join(lines)) > LIMIT, where  # broken only when needed
        seen += 1
    assert seen == len(AGENCIES) * len(registry.all())


def test_lines_form_a_trapezoid_or_diamond(registry):
    """No line shorter than both its neighbours (a waist), and two lines are balanced
    within what the break points allow: never a line of under a third of the other."""
    for kind, agency, marked in titles(registry):
        widths = [printed_width(line) for line in title_lines(marked)]
        for above, middle, below in zip(widths, widths[1:], widths[2:]):
            assert not (middle < above - 0.5 and middle < below - 0.5), (kind, agency, widths)
        if len(widths) == 2:
            assert min(widths) >= max(widths) / 3, (kind, agency, widths)


def test_breaks_fall_between_words():
    assert title_lines("某县卫生健康委员会|2024年|政府信息公开|工作|年度报告")[0] == "某县卫生健康委员会2024年"
    # 苏州市 and 市场 are words: no break inside either
    assert title_lines("苏州市市场监督管理局|2024年|政府信息公开|工作|年度报告")[0] == "苏州市市场监督管理局2024年"
    lines = title_lines("某某省某某市某某区人民政府办公室政务公开科信息中心第一分中心|2024年|政府信息公开|工作|年度报告")
    assert lines[0].endswith(("省", "市", "区", "政府", "办公室")), lines
    for line in title_lines("某某市第12中学|2024年|政府信息公开|工作|年度报告"):
        assert not (line[0].isdigit() and line[-1:].isdigit()) or len(line) > 2


def test_no_line_ends_with_an_opening_mark_or_starts_with_a_closing_one():
    for line in title_lines("某某县“放管服”改革领导小组办公室（某某县政务服务中心）|2024年|政府信息公开|工作|年度报告")[1:]:
        assert line[0] not in "，、。；：）”》"
    for line in title_lines("某某县“放管服”改革领导小组办公室（某某县政务服务中心）|2024年|政府信息公开|工作|年度报告"):
        assert line[-1] not in "（“《"


def test_the_document_title_block_and_file_name_use_the_lines(registry):
    report = Report.blank(registry.get("annual"), "t.xlsx")
    report.fields.update(agency="某县公安局", year=2024)
    title = next(b for b in layout(report).blocks if isinstance(b, d.Title))
    assert title.text == "某县公安局2024年\n政府信息公开工作年度报告"
    assert plain_title(report) == "某县公安局2024年政府信息公开工作年度报告"
