"""Last year's report (`--previous`): cross-year rules R5 and R8 (gxreport/checks/crossyear.py)."""

from __future__ import annotations

import json

import pytest

from gxreport import api
from gxreport.cli import app
from gxreport.checks.crossyear import cross_year_rules
from tests.workbooks import make_workbook, requests

AGENCY = "样例县市场监督管理局"


def carried(natural: int, commercial: int) -> dict:
    """Balanced table 三 with what is carried out at the end of the year."""
    return {
        ("requests", "new", "natural_person"): 10,
        ("requests", "new", "commercial"): 5,
        ("requests", "disclosed", "natural_person"): 10 - natural,
        ("requests", "disclosed", "commercial"): 5 - commercial,
        ("requests", "carried_out", "natural_person"): natural,
        ("requests", "carried_out", "commercial"): commercial,
    }


def carried_in(natural: int, commercial: int) -> dict:
    return {
        ("requests", "new", "natural_person"): 4,
        ("requests", "carried_in", "natural_person"): natural,
        ("requests", "carried_in", "commercial"): commercial,
        ("requests", "disclosed", "natural_person"): 4 + natural,
        ("requests", "disclosed", "commercial"): commercial,
    }


@pytest.fixture()
def last_year(tmp_path, registry):
    # A 2020 report is in the 2019 format: its 现行有效件数 is called 对外公开总数量.
    values = {**carried(2, 1), ("active", "rules", "total_public"): 8, ("active", "normative_docs", "total_public"): 20}
    return make_workbook(tmp_path / "2020.xlsx", registry, AGENCY, year=2020, values=values)


def test_rules_are_declared_in_tables_toml(registry):
    rules = {r.id: r for r in cross_year_rules(registry.get("annual", year=2021))}
    assert set(rules) == {"R5", "R8"}
    assert rules["R5"].override_field == "carry_over_note"
    assert [(t.year, t.key) for t in rules["R5"].rhs] == [("last", "carried_out")]


def test_matching_carry_over_passes(tmp_path, registry, last_year, runner):
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values={**carried_in(2, 1), ("active", "rules", "in_force"): 8, ("active", "normative_docs", "in_force"): 20})
    result = runner.invoke(app, ["check", str(this), "--previous", str(last_year)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "2021.xlsx：检查通过，0 个错误，0 个警告\n"


def test_r5_fails_per_column_naming_both_cells(tmp_path, registry, last_year, runner):
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values={**carried_in(2, 0), ("active", "rules", "in_force"): 8, ("active", "normative_docs", "in_force"): 20})
    result = runner.invoke(app, ["check", str(this), "--previous", str(last_year)])
    assert result.exit_code == 1
    r5 = [line for line in result.stdout.splitlines() if " R5 " in line]
    # 商业企业 (column E) and 总计 (column J) differ; 自然人 (D) matches
    assert r5 == [
        "错误 R5 2021.xlsx!表三!E8: 商业企业：本年报告上年结转 E8=0，上年报告结转下年度 E29=1，不相等（上年：2020.xlsx!表三!E29）",
        "错误 R5 2021.xlsx!表三!J8: 总计：本年报告上年结转 J8=2，上年报告结转下年度 J29=3，不相等（上年：2020.xlsx!表三!J29）",
    ]


def test_build_refuses_on_r5(tmp_path, registry, last_year, runner):
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(0, 0))
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["build", str(this), "--previous", str(last_year), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert "R5 2021.xlsx!表三!D8" in result.stderr


def test_merger_override_passes_with_the_reason_quoted(tmp_path, registry, last_year, runner):
    reason = "2021年5月原样例县质量技术监督局并入本局，上年结转含其未办结申请"
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(5, 1), carry_over_note=reason)
    result = runner.invoke(app, ["check", str(this), "--previous", str(last_year)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stdout.splitlines() if " R5 " in line]
    assert notes and all(line.startswith("警告 R5 2021.xlsx!表三!") for line in notes)
    assert all(f"已按“上年结转差异说明”接受：{reason}" in line for line in notes)
    assert "自然人：本年报告上年结转 D8=5，上年报告结转下年度 D29=2，不相等（上年：2020.xlsx!表三!D29）" in notes[0]


def test_r8_in_force_trend_is_a_warning(tmp_path, registry, last_year):
    values = {
        **carried_in(2, 1),
        ("active", "rules", "made"): 3,
        ("active", "rules", "repealed"): 1,
        ("active", "rules", "in_force"): 10,  # 8 + 3 − 1 = 10: fine
        ("active", "normative_docs", "made"): 4,
        ("active", "normative_docs", "in_force"): 21,  # 20 + 4 − 0 = 24: warning
    }
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=values)
    result = api.check_file(this, registry, api.Options(previous=last_year))
    assert result.ok
    r8 = [f for f in result.findings if f.rule == "R8"]
    assert [(f.severity, str(f.where)) for f in r8] == [("警告", "2021.xlsx!表二!D7")]
    assert r8[0].message == (
        "行政规范性文件：本年报告现行有效件数 D7=21，上年报告对外公开总数量 D7=20 + 本年报告本年制发件数 B7=4 − 本年报告本年废止件数 C7=0 = 24，"
        "不相等（上年：2020.xlsx!表二!D7）"
    )


def test_previous_as_json(tmp_path, registry, last_year):
    last_json = tmp_path / "2020.json"
    api.export_json(last_year, registry, last_json)
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(2, 0))
    result = api.check_file(this, registry, api.Options(previous=last_json))
    assert [str(f.where) for f in result.findings if f.rule == "R5"] == ["2021.xlsx!表三!E8", "2021.xlsx!表三!J8"]


def test_other_agency_or_year_is_warned(tmp_path, registry):
    last = make_workbook(tmp_path / "old.xlsx", registry, "别的局", year=2019, values=carried(0, 0))
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(0, 0))
    found = [f for f in api.check_file(this, registry, api.Options(previous=last)).findings if f.rule == "上年"]
    # Each is placed in last year's file, at the cell it is about; the message names no file.
    assert [str(f) for f in found] == [
        "警告 上年 old.xlsx!基本信息!B3: 上年报告的机关名称是“别的局”，与本年“样例县市场监督管理局”不同，请确认是同一机关",
        "警告 上年 old.xlsx!基本信息!B5: 上年报告的年度是 2019，不是 2020",
    ]
    assert [f.as_dict()["location"] for f in found] == [
        {"file": "old.xlsx", "sheet": "基本信息", "cell": "B3"}, {"file": "old.xlsx", "sheet": "基本信息", "cell": "B5"},
    ]


def test_another_kind_as_previous_is_warned_in_its_file(tmp_path, registry):
    last = api.init_workbook(tmp_path / "总结.xlsx", registry, "summary", 2020, AGENCY)
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(0, 0))
    found = [f for f in api.check_file(this, registry, api.Options(previous=last)).findings if f.rule == "上年"]
    assert [(f.where.as_dict(), f.message) for f in found] == [
        ({"file": "总结.xlsx"}, "上年报告是“年度工作总结”，不是“政府信息公开工作年度报告”"),
    ]


def test_last_years_published_word_report_serves_as_previous(tmp_path, registry, last_year, runner):
    published = api.build_file(last_year, registry, output=tmp_path / "2020.docx").outputs[0]
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(2, 0))
    result = runner.invoke(app, ["check", str(this), "--previous", str(published)])
    assert result.exit_code == 1
    r5 = [line for line in result.stdout.splitlines() if " R5 " in line]
    assert [line.split(": ")[0] for line in r5] == ["错误 R5 2021.xlsx!表三!E8", "错误 R5 2021.xlsx!表三!J8"]
    assert "上年报告结转下年度 第26行第5列=1" in r5[0] and "（上年：2020.docx!表三!第26行第5列）" in r5[0]


def test_missing_previous_names_it(tmp_path, registry, runner):
    this = make_workbook(tmp_path / "2021.xlsx", registry, AGENCY, values=carried_in(0, 0))
    result = runner.invoke(app, ["check", str(this), "--previous", str(tmp_path / "none.xlsx")])
    assert result.exit_code == 2
    assert result.stderr == "错误：none.xlsx: 上年报告不存在或无法读取\n"
    # The file is the error's location, as data: the message says only what is wrong.
    as_json = runner.invoke(app, ["check", str(this), "--previous", str(tmp_path / "none.xlsx"), "--json"])
    assert as_json.exit_code == 2
    [outcome] = json.loads(as_json.stdout)
    assert outcome["error"] == "none.xlsx: 上年报告不存在或无法读取" and outcome["error_location"] == {"file": "none.xlsx"}


def test_batch_matches_last_years_folder_by_agency(tmp_path, registry, runner):
    last_dir, this_dir = tmp_path / "2020", tmp_path / "2021"
    last_dir.mkdir(), this_dir.mkdir()
    make_workbook(last_dir / "x1.xlsx", registry, "甲局", year=2020, values=carried(1, 0))
    # 乙局 has only its published Word report of last year: matched by agency all the same.
    second = make_workbook(tmp_path / "x2.xlsx", registry, "乙局", year=2020, values=carried(0, 0))
    api.build_file(second, registry, output=last_dir / "乙局2020年报告.docx")
    make_workbook(this_dir / "a.xlsx", registry, "甲局", values=carried_in(1, 0))
    make_workbook(this_dir / "b.xlsx", registry, "乙局", values=carried_in(3, 0))
    make_workbook(this_dir / "c.xlsx", registry, "丙局", values=requests(2))
    result = runner.invoke(app, ["check", str(this_dir), "--previous", str(last_dir), "--json", "--jobs", "2"])
    assert result.exit_code == 1
    by_file = {p["file"].rsplit("/", 1)[1]: p for p in json.loads(result.stdout)}
    assert by_file["a.xlsx"]["ok"] and not any(f["rule"] == "R5" for f in by_file["a.xlsx"]["findings"])
    assert [f["where"] for f in by_file["b.xlsx"]["findings"] if f["rule"] == "R5"] == ["b.xlsx!表三!D8", "b.xlsx!表三!J8"]
    assert any("没有“丙局”的报告" in f["message"] for f in by_file["c.xlsx"]["findings"])
