"""Heading numbers generated from levels: 一、（一）1.（1）, restarts, typed numbers, run-in, punctuation."""

from __future__ import annotations

import pytest

from gxreport.compose import document as d
from gxreport.cli import app
from gxreport.errors import EXIT_OK
from gxreport.declare.model import Block, Report
from gxreport.compose.narrative import layout
from gxreport.compose.numbering import chinese_number, heading_number, split_numbered_text, strip_typed_number, typed_level

from .docx_read import headings, paragraphs
from .workbook_fill import fill


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "一百"), (105, "一百零五"), (110, "一百一十"), (235, "二百三十五")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_heading_number_by_level():
    assert [heading_number(level, 12) for level in (1, 2, 3, 4)] == ["十二、", "（十二）", "12.", "（12）"]


@pytest.mark.parametrize(
    "typed, level, rest",
    [
        ("一、总体情况", 1, "总体情况"),
        ("十二．其他", 1, "其他"),
        ("（一）加强组织领导。", 2, "加强组织领导。"),
        ("(三) 健全机制", 2, "健全机制"),
        ("1.持续推进改革", 3, "持续推进改革"),
        ("2、重点领域", 3, "重点领域"),
        ("１．全角数字", 3, "全角数字"),
        ("（1）细化目录", 4, "细化目录"),
        ("(2)规范流程", 4, "规范流程"),
    ],
)
def test_typed_numbers_are_recognised_and_dropped(typed, level, rest):
    assert typed_level(typed) == level
    assert strip_typed_number(typed) == rest


@pytest.mark.parametrize("title", ["1.5个工作日内办结", "2023年工作思路", "十分重视公开工作", "一是加强领导", "12345热线"])
def test_text_that_only_looks_numbered_is_kept(title):
    assert typed_level(title) is None
    assert strip_typed_number(title) == title


def _numbers(registry, levels_titles) -> list[tuple[int, str]]:
    report = Report(kind=registry.get("summary"), source="t.xlsx", fields={"agency": "某局", "year": 2024})
    report.blocks = [Block("", level, title, "正文。") for level, title in levels_titles]
    return [(b.level, b.number + b.title) for b in layout(report).blocks if isinstance(b, d.Heading)]


def test_numbering_restarts_under_each_parent(registry):
    got = _numbers(
        registry,
        [(1, "甲"), (2, "甲一"), (3, "甲一1"), (4, "甲一1(1)"), (4, "甲一1(2)"), (3, "甲一2"), (4, "甲一2(1)"),
         (2, "甲二"), (3, "甲二1"), (1, "乙"), (3, "乙1"), (2, "乙一"), (3, "乙一1")],
    )
    assert got == [
        (1, "一、甲"), (2, "（一）甲一"), (3, "1.甲一1"), (4, "（1）甲一1(1)"), (4, "（2）甲一1(2)"),
        (3, "2.甲一2"), (4, "（1）甲一2(1)"), (2, "（二）甲二"), (3, "1.甲二1"),
        (1, "二、乙"), (3, "1.乙1"), (2, "（一）乙一"), (3, "1.乙一1"),
    ]


def _summary_book(runner, tmp_path, rows, fields=None):
    book = tmp_path / "总结.xlsx"
    assert runner.invoke(app, ["init", "--kind", "summary", str(book)]).exit_code == EXIT_OK
    fill(book, {"单位名称": "某某县数据局", "总结年度": 2024, **(fields or {})}, rows)
    out = tmp_path / "总结.docx"
    result = runner.invoke(app, ["build", str(book), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    return out


def test_numbers_typed_in_the_workbook_are_not_doubled_and_stand_in_for_a_blank_level(runner, tmp_path):
    out = _summary_book(
        runner,
        tmp_path,
        [
            (None, "一、总体情况", "全年工作平稳。"),
            (None, "（一）组织保障", "成立领导小组。"),
            (None, "1.制度建设", "修订制度三项。"),
            (2, "（五）队伍建设", "开展培训。"),  # a wrong typed number: the level decides
            (None, "三、下步打算", "继续推进。"),
        ],
    )
    assert headings(out) == [(1, "一、总体情况"), (2, "（一）组织保障"), (3, "1.制度建设"), (2, "（二）队伍建设"), (1, "二、下步打算")]


def test_heading_ending_with_a_stop_runs_into_its_text_below_level_1(runner, tmp_path):
    out = _summary_book(
        runner,
        tmp_path,
        [(1, "工作情况。", "第一段。"), (2, "加强组织领导。", "我局高度重视。\n另起一段。"), (3, "主要做法：", "一是建台账。"), (2, "健全机制", "建立周调度。")],
    )
    paras = [p for p in paragraphs(out) if p.text]
    by_text = {p.text: p for p in paras}
    assert by_text["一、工作情况。"].style == "GWHeading1"  # level 1 stands alone
    run_in = by_text["（一）加强组织领导。我局高度重视。"]
    assert run_in.style == "GWBody" and run_in.runs[0] == ("GWHeading2Char", "（一）加强组织领导。")
    assert "另起一段。" in by_text
    assert by_text["1.主要做法：一是建台账。"].runs[0] == ("GWHeading3Char", "1.主要做法：")
    assert by_text["（二）健全机制"].style == "GWHeading2"


@pytest.mark.parametrize("switch, expected", [("是", "我局（市政务中心）受理12件，办结12件；"), ("否", "我局(市政务中心)受理12件,办结12件;")])
def test_punctuation_normalisation_can_be_turned_off(switch, expected, runner, tmp_path):
    out = _summary_book(runner, tmp_path, [(1, "情况", "我局(市政务中心)受理12件,办结12件;")], {"标点全角化": switch})
    assert expected in [p.text for p in paragraphs(out)]


def test_half_width_punctuation_between_latin_and_digits_is_kept(runner, tmp_path):
    out = _summary_book(runner, tmp_path, [(1, "情况", "网址 www.example.gov.cn (English), 比例 1:2。")])
    assert "网址 www.example.gov.cn (English), 比例 1:2。" in [p.text for p in paragraphs(out)]


@pytest.mark.parametrize(
    "text, split",
    [
        ("（一）加强组织领导。我局高度重视。", ("加强组织领导。", "我局高度重视。")),
        ("1.主要做法：建台账。\n第二段。", ("主要做法：", "建台账。\n第二段。")),
        ("一、总体情况\n全年平稳。", ("总体情况", "全年平稳。")),
        ("（二）加强组织领导。\n我局高度重视。", ("加强组织领导。", "我局高度重视。")),
        ("我局高度重视。", ("", "我局高度重视。")),
    ],
)
def test_a_heading_typed_into_the_text_cell_is_split_from_its_text(text, split):
    assert split_numbered_text(text) == split


def test_headings_typed_into_the_text_cell_are_numbered_from_the_levels(runner, tmp_path):
    out = _summary_book(
        runner,
        tmp_path,
        [
            (None, None, "一、工作情况"),
            (2, None, "（三）加强组织领导。我局高度重视。"),  # level given, number typed wrong
            (None, None, "（二）健全机制。建立周调度。"),  # no level: the typed number gives it
            (None, None, "全年完成目标任务。"),  # plain paragraph
        ],
    )
    texts = [p.text for p in paragraphs(out) if p.text]
    assert "（一）加强组织领导。我局高度重视。" in texts
    assert "（二）健全机制。建立周调度。" in texts
    assert "全年完成目标任务。" in texts
    assert headings(out) == [(1, "一、工作情况"), (2, "（一）加强组织领导。"), (2, "（二）健全机制。")]
