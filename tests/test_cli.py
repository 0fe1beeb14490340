"""Every command through the CLI: what the clerk sees, the files written, the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from gxreport.cli import app

from .conftest import DATA, ROOT
from .workbooks import new_workbook, set_cells

TITLE = "泗阳县行政审批局2021年政府信息公开工作年度报告"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


# --- init -------------------------------------------------------------------------


def test_init_writes_a_workbook_to_fill(runner, tmp_path):
    target = tmp_path / "2021.xlsx"
    result = run(runner, "init", target, "--agency", "某县测试局", "--year", 2021)
    assert result.exit_code == 0, result.output
    assert f"已生成工作簿：{target}" in result.output
    assert f"gxreport check {target}" in result.output

    wb = load_workbook(target)
    assert wb.sheetnames == ["说明", "基本信息", "正文", "表二", "表三", "表四", "附件", "_meta"]
    assert wb["_meta"].sheet_state == "hidden"
    info = wb["基本信息"]
    assert [info.cell(row=r, column=1).value for r in range(3, 7)] == ["机关名称", "机关类型", "报告年度", "成文日期"]
    assert info["B3"].value == "某县测试局" and info["B5"].value == 2021
    assert "gxreport check" in "".join(str(c.value) for c in wb["说明"]["A"] if c.value)


def test_init_tables_are_protected_labels_with_validated_inputs_and_live_checks(runner, tmp_path):
    target = tmp_path / "2021.xlsx"
    run(runner, "init", target)
    ws = load_workbook(target)["表三"]
    assert ws.protection.sheet is True and not ws.protection.password
    assert ws["A7"].value == "一、本年新收政府信息公开申请数量" and ws["A7"].protection.locked
    assert ws["D7"].protection.locked is False  # 自然人 本年新收: the clerk's cell
    assert "A4:C6" in {r.coord for r in ws.merged_cells.ranges}  # the 3 × 3 corner note
    # Totals are live formulas, locked; the 总计 row sums the 21 result rows.
    assert ws["J7"].value == "=SUM(D7,E7,F7,G7,H7,I7)" and ws["J7"].protection.locked
    assert ws["D30"].value.startswith("=SUM(D9,D10,") and ws["D30"].value.endswith("D29)")
    # Whole numbers ≥ 0 on every input cell.
    (count_rule,) = [v for v in ws.data_validations.dataValidation if v.type == "whole"]
    assert count_rule.operator == "greaterThanOrEqual" and count_rule.formula1 == "0"
    assert "D7" in count_rule.sqref and "I31" in count_rule.sqref and "J7" not in count_rule.sqref
    # A visible check cell per rule instance, red when it says 错误.
    assert ws["A33"].value.startswith("勾稽检查 R1") and ws["D33"].value == '=IF(D7+D8=D30+D31,"正确","错误")'
    red = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert red and all(r.formula == ['"错误"'] and r.dxf.fill.fgColor.rgb.endswith("FF0000") for r in red)
    fee = load_workbook(target)["表二"]
    (decimal_rule,) = [v for v in fee.data_validations.dataValidation if v.type == "decimal"]
    assert str(decimal_rule.sqref) == "B17" and decimal_rule.formula1 == "0"


def test_init_never_overwrites(runner, tmp_path):
    target = tmp_path / "2021.xlsx"
    target.write_bytes(b"clerk's work")
    result = run(runner, "init", target)
    assert result.exit_code == 3
    assert "文件已存在，未覆盖" in result.output
    assert target.read_bytes() == b"clerk's work"


def test_init_wants_an_xlsx_name(runner, tmp_path):
    result = run(runner, "init", tmp_path / "2021.xls")
    assert result.exit_code == 2 and "应以 .xlsx 结尾" in result.output
    assert not (tmp_path / "2021.xls").exists()


# --- check ------------------------------------------------------------------------


def test_check_passes_the_sample(runner):
    result = run(runner, "check", DATA / "2021.xlsx")
    assert result.exit_code == 0
    assert result.output.strip() == "2021.xlsx：检查通过，0 个错误，0 个警告"


def test_check_lists_each_broken_rule_with_its_cell_and_exits_1(runner, tmp_path):
    workbook = new_workbook(tmp_path / "2021.xlsx")
    set_cells(workbook, "表三", {"D7": 3, "D9": 2})
    result = run(runner, "check", workbook)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "错误 R1 2021.xlsx!表三!D7: 自然人列：本年新收 D7=3 + 上年结转 D8=0 = 3，总计行 D30=2 + 结转下年度 D31=0 = 2，不相等（相差 1）",
        "2021.xlsx：检查未通过，1 个错误，0 个警告",
    ]


def test_check_json_output(runner, tmp_path):
    workbook = new_workbook(tmp_path / "2021.xlsx")
    set_cells(workbook, "表三", {"D7": 3, "D9": 2, "E19": "/"})
    result = run(runner, "check", workbook, "--json")
    assert result.exit_code == 1
    (payload,) = json.loads(result.output)  # one JSON shape for one file or many: a list
    assert payload["ok"] is False and payload["file"] == str(workbook) and payload["agency"] == "某县测试局"
    severities = [f["severity"] for f in payload["findings"]]
    assert (payload["errors"], payload["warnings"]) == (severities.count("error"), severities.count("warning"))
    assert payload["findings"][0] == {
        "severity": "error",
        "rule": "R1",
        "where": "2021.xlsx!表三!D7",
        "location": {"file": "2021.xlsx", "sheet": "表三", "cell": "D7"},
        "message": "自然人列：本年新收 D7=3 + 上年结转 D8=0 = 3，总计行 D30=2 + 结转下年度 D31=0 = 2，不相等（相差 1）",
    }
    assert payload["findings"][-1]["severity"] == "warning" and payload["findings"][-1]["rule"] == "R13"


def test_check_json_has_one_shape_for_one_file_or_many(runner, tmp_path):
    one = json.loads(run(runner, "check", DATA / "2021.xlsx", "--json").output)
    many = json.loads(run(runner, "check", DATA / "2021.xlsx", DATA / "2021.json", "--json").output)
    assert [item.keys() for item in one] == [many[0].keys()] and len(many) == 2
    assert one[0] == many[0] and one[0]["ok"] is True
    missing = run(runner, "check", tmp_path / "missing.xlsx", "--json")
    assert missing.exit_code == 2
    (item,) = json.loads(missing.output)
    assert item["ok"] is False and "文件不存在" in item["error"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xlsx", None, "missing.xlsx: 文件不存在"),
        ("notes.xlsx", "这不是表格".encode(), "notes.xlsx: 不是 .xlsx 工作簿（这是文本文件（可能是 .csv）；请在 Excel 或 WPS 中打开后另存为 .xlsx）"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls: 不支持 .xls 格式，请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）"),
        ("report.txt", b"x", "report.txt: 无法识别的输入（应为 .xlsx 工作簿或 .json 报告）"),
    ],
)
def test_check_unreadable_input_exits_2_with_a_chinese_message(runner, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run(runner, "check", path)
    assert result.exit_code == 2
    assert result.output.strip() == f"错误：{message}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check",), "用法错误：缺少参数 文件或文件夹\n运行 gxreport check --help 查看用法。"),
        (("build", "--forc", "x.xlsx"), "用法错误：没有选项 --forc（是否想用 --force、--format、--to？）\n运行 gxreport build --help 查看用法。"),
        (("init", "x.xlsx", "--year", "二〇二一"), "用法错误：参数 --year 的值无效（应为整数）\n运行 gxreport init --help 查看用法。"),
        (("frob",), "用法错误：没有这个命令：'frob'\n运行 gxreport --help 查看用法。"),
        (("export", "a.xlsx", "b.xlsx", "-o", "x.json"), "用法错误：多余的参数：b.xlsx\n运行 gxreport export --help 查看用法。"),
    ],
)
def test_bad_usage_exits_2_with_a_chinese_message(runner, args, message):
    result = runner.invoke(app, list(args), prog_name="gxreport")
    assert result.exit_code == 2
    assert result.output.strip() == message


def test_help_documents_the_exit_codes(runner):
    for args in ((), ("check",), ("build",)):
        result = run(runner, *args, "--help")
        assert result.exit_code == 0
        assert "退出码：0 成功；1 报告有错误" in result.output


# --- build ------------------------------------------------------------------------


def test_build_writes_the_report_under_build_named_after_agency_and_year(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "build", DATA / "2021.xlsx")
    assert result.exit_code == 0, result.output
    target = tmp_path / "build" / f"{TITLE}.docx"
    assert result.output.strip() == f"已生成：build/{TITLE}.docx"
    assert target.read_bytes().startswith(b"PK")
    assert [p.name for p in (tmp_path / "build").iterdir() if p.name.startswith(".gx-")] == []


def test_build_refuses_a_report_with_errors_unless_forced(runner, tmp_path):
    workbook = new_workbook(tmp_path / "2021.xlsx")
    set_cells(workbook, "表三", {"D7": 3, "D9": 2})
    out = tmp_path / "out.docx"
    refused = run(runner, "build", workbook, "-o", out)
    assert refused.exit_code == 1
    assert "错误 R1 2021.xlsx!表三!D7" in refused.output
    assert "未生成文档" in refused.output and "--force" in refused.output
    assert not out.exists()

    forced = run(runner, "build", workbook, "-o", out, "--force")
    assert forced.exit_code == 0 and out.exists()
    assert "错误 R1 2021.xlsx!表三!D7" in forced.output


def test_build_replaces_its_own_output_but_not_a_hand_edited_one(runner, tmp_path):
    out = tmp_path / "report.docx"
    assert run(runner, "build", DATA / "2021.xlsx", "-o", out).exit_code == 0
    assert run(runner, "build", DATA / "2021.xlsx", "-o", out).exit_code == 0
    out.write_bytes(out.read_bytes() + b"edited")
    edited = out.read_bytes()
    refused = run(runner, "build", DATA / "2021.xlsx", "-o", out)
    assert refused.exit_code == 3 and "生成后被修改过" in refused.output
    assert out.read_bytes() == edited
    assert run(runner, "build", DATA / "2021.xlsx", "-o", out, "--force").exit_code == 0


def test_build_accepts_the_json_form(runner, tmp_path):
    out = tmp_path / "from-json.docx"
    result = run(runner, "build", DATA / "2021.json", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_python_dash_m_runs_the_cli(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gxreport", "check", str(DATA / "2021.xlsx")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0 and "检查通过" in result.stdout


# --- export and kinds -------------------------------------------------------------


def test_export_writes_the_json_form_of_the_sample(runner, tmp_path):
    out = tmp_path / "2021.json"
    result = run(runner, "export", DATA / "2021.xlsx", "-o", out)
    assert result.exit_code == 0 and f"已导出：{out}" in result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported == json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    assert exported["tables"]["active"]["licensing"] == {"decisions": 5346}
    assert exported["tables"]["requests"]["total"] == [0] * 7
    assert run(runner, "export", DATA / "2021.xlsx", "-o", out).exit_code == 3


def test_kinds_lists_the_annual_report(runner):
    result = run(runner, "kinds")
    assert result.exit_code == 0
    (annual,) = [line for line in result.output.splitlines() if line.startswith("annual\t")]
    assert annual.split("\t")[1] == "政府信息公开工作年度报告" and "2021" in annual
