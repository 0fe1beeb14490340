"""One parser for the basic fields (FieldSpec.parse): the workbook, JSON and --agency read a value alike.

A workbook cell holds whatever the spreadsheet made of it, so a bad value is
a finding at its cell (exit 1 on check); a JSON value must have the field's
own type, so a bad one is an input error at its path (exit 2). The reason
given is the same, because the parser is the same.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

from .conftest import DATA
from .workbook_fill import fill

CASES = [
    # label, JSON key, value, reason
    ("报告年度", "year", 5, "报告年度：5 不是有效年度"),
    ("报告年度", "year", 3000, "报告年度：3000 不是有效年度"),
    ("成文日期", "date", "2022-13-01", "成文日期：“2022-13-01”不是日期（月或日超出范围）"),
    ("成文日期", "date", "1900-01-01", "成文日期：1900-01-01 不是合理的日期"),
    ("机关类型", "agency_type", "省政府", "机关类型：应为 部门或人民政府"),
    ("信息处理费：收费通知件数", "fee_notices", -2, "信息处理费：收费通知件数：-2 是负数"),
    ("信息处理费：实收金额（元）", "fee_collected", "12元整", "信息处理费：实收金额（元）：“12元整”不是数字"),
]


@pytest.mark.parametrize(("label", "key", "value", "reason"), CASES, ids=[f"{c[1]}={c[2]}" for c in CASES])
def test_a_bad_value_gives_the_same_reason_in_a_workbook_and_in_json(label, key, value, reason, runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert runner.invoke(app, ["init", "--year", "2021", str(book)]).exit_code == EXIT_OK
    fill(book, {"机关名称": "某局", "报告年度": 2021, "成文日期": "2022年1月20日", label: value}, [("五", None, None, "不足。")])
    checked = runner.invoke(app, ["check", str(book)])
    assert checked.exit_code == EXIT_FINDINGS, checked.output
    assert "错误 输入 a.xlsx!基本信息!B" in checked.output and reason in checked.output

    data = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    data[key] = value
    report = tmp_path / "a.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["check", str(report)])
    assert result.exit_code == EXIT_INPUT, result.output
    assert f"a.json:{key}: {reason}" in result.output


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("agency", ["某局"], "机关名称：应为文本，实为列表"),
        ("year", "2021", "报告年度：应为整数，实为文本"),
        ("full_width", 1, "标点全角化：应为true 或 false，实为整数"),
        ("fee_notices", True, "信息处理费：收费通知件数：应为整数，实为true/false"),
        ("contact", {"电话": "1"}, "联系方式：应为文本，实为对象"),
    ],
)
def test_json_types_are_strict(key, value, reason, runner, tmp_path):
    data = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    data[key] = value
    report = tmp_path / "a.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for command in ("check", "build"):
        result = runner.invoke(app, [command, str(report), *(["-o", str(tmp_path / "a.docx")] if command == "build" else [])])
        assert result.exit_code == EXIT_INPUT, result.output
        assert f"a.json:{key}: {reason}" in result.output
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.parametrize(
    "literal",
    ["1e-999999999999", "1e999999999999", "-1E+400", "9" * 5000, "123456789012345678901234567890123", "0." + "0" * 40 + "1"],
)
def test_json_number_literals_of_any_size_are_a_message(literal, runner, tmp_path):
    text = (DATA / "2021.json").read_text(encoding="utf-8").replace('"fee_collected": "0"', f'"fee_collected": {literal}', 1)
    report = tmp_path / "a.json"
    report.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(report)])
    assert result.exit_code == EXIT_INPUT, result.output
    assert "a.json:fee_collected: JSON 中的数字" in result.output and "超出可处理的范围" in result.output


def test_ordinary_json_numbers_still_read(runner, tmp_path):
    text = (DATA / "2021.json").read_text(encoding="utf-8").replace('"fee_collected": "0"', '"fee_collected": 1.5e2', 1)
    text = text.replace('"fee_notices": 0', '"fee_notices": 3', 1)
    report = tmp_path / "a.json"
    report.write_text(text, encoding="utf-8")
    out = tmp_path / "a.docx"
    result = runner.invoke(app, ["build", str(report), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    from .docx_read import paragraphs

    assert any("共发出收费通知3件" in p.text and "实际收取政府信息公开信息处理费150元" in p.text for p in paragraphs(out))


def test_control_characters_in_an_agency_given_to_the_library_are_dropped(registry, tmp_path):
    """The CLI refuses them in --agency; a library caller's agency goes through the field's parser."""
    from gxreport import api

    book = tmp_path / "a.xlsx"
    api.init_workbook(book, registry, agency="\x01某\x1b局\x00")
    info = load_workbook(book)["基本信息"]
    assert next(row[1].value for row in info.iter_rows() if row[0].value == "机关名称") == "某局"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["sections"]["一"][0].update(title=["主动公开"]), "a.json:sections.一[0].title: 应为文本"),
        (lambda d: d["sections"]["一"][0].update(text={"段": "内容"}), "a.json:sections.一[0].text: 应为文本"),
        (lambda d: d.update(attachments=[{"title": 5, "text": "内容"}]), "a.json:attachments[0].title: 应为文本"),
        (lambda d: d.update(attachments=["附件一"]), "a.json:attachments[0]: 应为 {title, text} 对象"),
    ],
    ids=["title-list", "text-object", "attachment-title-number", "attachment-not-object"],
)
def test_json_narrative_text_is_strict_too(change, where, runner, tmp_path):
    data = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    change(data)
    report = tmp_path / "a.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["check", str(report)])
    assert result.exit_code == EXIT_INPUT, result.output
    assert where in result.output and "['" not in result.output
