"""Content rules that match real documents (issue 12 item 5): no sentence twice, no empty part
unwarned, optional fields printed only when given."""

from __future__ import annotations

import json

from gxreport.cli import app
from gxreport.errors import EXIT_OK

from .conftest import DATA
from .docx_read import paragraphs
from .workbook_fill import fill


def _report(tmp_path, **changes):
    data = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, data


def _fee_paragraphs(runner, path, out):
    result = runner.invoke(app, ["build", str(path), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    return [p.text for p in paragraphs(out) if "信息处理费" in p.text]


def test_the_fee_sentence_is_not_doubled_when_section_six_speaks_of_the_fee(runner, tmp_path):
    path, data = _report(tmp_path, fee_notices=2, fee_notified="300", fee_collected="150")
    generated = _fee_paragraphs(runner, path, tmp_path / "a.docx")
    assert generated == ["依据《政府信息公开信息处理费管理办法》，本机关2021年度共发出收费通知2件，通知金额300元，实际收取政府信息公开信息处理费150元。"]

    own = "本机关2021年度依法向2名申请人发出收费通知，收取信息处理费150元。"
    data["sections"]["六"] = own
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert _fee_paragraphs(runner, path, tmp_path / "b.docx") == [own]
    # The fee fields still count as the statement R11 asks for: no warning either way.
    assert "R11" not in runner.invoke(app, ["check", str(path)]).output


def test_an_empty_summary_is_warned(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert runner.invoke(app, ["init", "--kind", "summary", str(book)]).exit_code == EXIT_OK
    fill(book, {"单位名称": "某局", "总结年度": 2024}, [(1, "工作开展情况", None), (1, "存在的问题", None)])
    result = runner.invoke(app, ["check", str(book)])
    assert result.exit_code == EXIT_OK, result.output
    assert "警告 R11 a.xlsx: 正文没有内容：每个一级标题下都应写明具体情况" in result.output

    fill(book, {}, [(1, "工作开展情况", None), (2, "审批提速。", "办件时限压缩一半。"), (1, "存在的问题", None), (1, "下一年工作思路", "继续推进。")])
    result = runner.invoke(app, ["check", str(book)])
    assert "“存在的问题”下没有内容" in result.output
    assert "“工作开展情况”下没有内容" not in result.output and "“下一年工作思路”下没有内容" not in result.output
    assert "正文没有内容" not in result.output


def test_a_self_check_without_addressee_builds_and_prints_none(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert runner.invoke(app, ["init", "--kind", "self-check", str(book)]).exit_code == EXIT_OK
    narrative = [(1, "自查情况", "逐项对照检查。"), (1, "存在的问题及下一步计划", "继续改进。")]
    fill(book, {"单位名称": "某局", "年度": 2024, "成文日期": "2024年6月3日"}, narrative)
    checked = runner.invoke(app, ["check", str(book)])
    assert checked.exit_code == EXIT_OK and "主送机关" not in checked.output, checked.output
    out = tmp_path / "a.docx"
    assert runner.invoke(app, ["build", str(book), "-o", str(out)]).exit_code == EXIT_OK
    assert not any(p.style == "GWAddressee" for p in paragraphs(out))

    fill(book, {"主送机关": "县政府办"}, narrative)
    assert runner.invoke(app, ["build", str(book), "-o", str(out), "--force"]).exit_code == EXIT_OK
    assert [p.text for p in paragraphs(out) if p.style == "GWAddressee"] == ["县政府办："]


def test_an_empty_part_of_an_annual_report_is_warned(runner, tmp_path):
    path, data = _report(tmp_path)
    data["sections"]["一"] = []
    data["sections"]["五"] = "无。"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == EXIT_OK, result.output
    assert "警告 R11 a.json: 第一部分为空或只写了“无”，应写明总体情况" in result.output
    assert "警告 R11 a.json:sections.五: 第五部分为空或只写了“无”，应写明存在的主要问题及改进情况" in result.output
