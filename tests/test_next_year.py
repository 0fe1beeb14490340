"""`gxreport init NEXT.xlsx --from LAST`: next year's workbook from last year's report (gxreport/inputs/nextyear.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from gxreport import api
from gxreport.cli import app
from gxreport.errors import EXIT_INPUT, EXIT_OK
from tests.workbooks import fill_blank_numbers, make_workbook

AGENCY = "样例县自然资源和规划局"
# Last year's 结转下年度 per column (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他): every column differs.
CARRIED = (3, 1, 0, 2, 0, 1)
COLUMNS = "DEFGHI"


def last_year_values(carried=CARRIED) -> dict:
    values = {}
    for field, out in zip(("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"), carried):
        values[("requests", "new", field)] = 10
        values[("requests", "disclosed", field)] = 10 - out
        values[("requests", "carried_out", field)] = out
    return values


@pytest.fixture()
def last_2021(tmp_path, registry):
    values = {**last_year_values(), ("active", "rules", "in_force"): 7, ("active", "normative_docs", "in_force"): 30}
    (tmp_path / "last").mkdir()
    return make_workbook(
        tmp_path / "last" / "2021.xlsx",
        registry, AGENCY, year=2021, values=values, contact="局办公室，电话 0510-1234567",
        preamble="本报告依据《条例》编制，数据统计期限为2021年1月1日至12月31日。",
    )


def carried_in_row(path) -> list:
    ws = load_workbook(path, data_only=False)["表三"]
    return [ws[f"{c}8"].value for c in COLUMNS]


def fill_this_year(path, *, carried_in_natural=None, new=0, in_force=(7, 30), date=dt.date(2023, 1, 20)) -> None:
    """What the clerk does after init --from: date, figures; the tables balance (all carried in is disclosed)."""
    wb = load_workbook(path)
    info = wb["基本信息"]
    for row in info.iter_rows(min_row=3):
        if row[0].value == "成文日期":
            row[1].value = date
        elif row[0].value and row[0].value.startswith("信息处理费"):
            row[1].value = 0
    t3 = wb["表三"]
    if carried_in_natural is not None:
        t3["D8"].value = carried_in_natural
    for c in COLUMNS:
        t3[f"{c}7"].value = new
        t3[f"{c}9"].value = new + (t3[f"{c}8"].value or 0)
    wb["表二"]["D6"].value, wb["表二"]["D7"].value = in_force
    fill_blank_numbers(wb)
    wb.save(path)


def test_next_years_workbook_from_last_years_workbook(tmp_path, registry, last_2021, runner):
    target = tmp_path / "2022.xlsx"
    result = runner.invoke(app, ["init", str(target), "--from", str(last_2021)])
    assert result.exit_code == EXIT_OK, result.output
    assert "2022 年度工作簿（2021 格式）" in result.stdout
    report = api.load_report(target, registry)
    assert report.year == 2022 and report.kind.format == "2021"
    assert report.agency == AGENCY and report.fields["agency_type"] == "department"
    assert report.fields["contact"] == "局办公室，电话 0510-1234567"
    assert report.fields["date"] is None and report.fields["fee_notices"] is None
    # 上年结转 = last year's 结转下年度, column by column; the total column is the live formula
    assert carried_in_row(target) == list(CARRIED)
    assert report.tables["requests"][("carried_in", "total")] is None
    assert report.tables["requests"][("new", "natural_person")] is None
    # the narrative is last year's, shaded as a draft
    assert [b.text for b in report.blocks] == ["本机关依法主动公开政府信息。", "公开内容还不够全面，明年将加强培训。", "本年度未收取信息处理费。"]
    wb = load_workbook(target)
    assert wb["正文"]["D3"].fill.fgColor.rgb.endswith("FFF2CC")
    assert wb["基本信息"]["B11"].value.startswith("本报告依据") and wb["基本信息"]["B11"].fill.fgColor.rgb.endswith("FFF2CC")
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows()}
    assert wb["_meta"].sheet_state == "hidden" and meta["previous"] == "last/2021.xlsx"


def test_rows_left_blank_in_next_years_workbook_are_one_warning_per_table(tmp_path, last_2021, runner):
    """Only 上年结转 filled: the empty rows of 表三 are one R13 warning naming their range, not one per row."""
    target = tmp_path / "2022.xlsx"
    assert runner.invoke(app, ["init", str(target), "--from", str(last_2021)]).exit_code == EXIT_OK
    result = runner.invoke(app, ["check", str(target)])
    r13 = [line for line in result.stdout.splitlines() if " R13 " in line]
    assert r13 == [
        "警告 R13 2022.xlsx!表二: 表二整张表未填写，全部按 0 打印；确实没有发生的事项请填 0",
        "警告 R13 2022.xlsx!表三!D7:I31: 表三有 23 行整行未填写（本年新收、予以公开、部分公开等），按 0 打印；确实没有发生的事项请填 0",
        "警告 R13 2022.xlsx!表四: 表四整张表未填写，全部按 0 打印；确实没有发生的事项请填 0",
    ]
    # a row partly filled keeps its own warning, naming its blank cells
    wb = load_workbook(target)
    wb["表三"]["D7"].value = 1
    wb.save(target)
    r13 = [line for line in runner.invoke(app, ["check", str(target)]).stdout.splitlines() if " R13 " in line]
    assert "警告 R13 2022.xlsx!表三!E7:I7: 本年新收：5 个单元格为空（E7、F7、G7、H7、I7），按 0 打印" in r13
    assert "警告 R13 2022.xlsx!表三!D9:I31: 表三有 22 行整行未填写（予以公开、部分公开、属于国家秘密等），按 0 打印；确实没有发生的事项请填 0" in r13
    assert len(r13) == 4


def test_check_runs_r5_and_r8_without_previous(tmp_path, registry, last_2021, runner):
    target = tmp_path / "2022.xlsx"
    assert runner.invoke(app, ["init", str(target), "--from", str(last_2021)]).exit_code == EXIT_OK
    fill_this_year(target)
    result = runner.invoke(app, ["check", str(target)])
    assert " R5 " not in result.stdout and " R8 " not in result.stdout, result.stdout
    assert result.exit_code == EXIT_OK, result.stdout
    # the clerk overwrites 上年结转 of 自然人: R5 names both cells, without --previous
    fill_this_year(target, carried_in_natural=5, in_force=(7, 31))
    result = runner.invoke(app, ["check", str(target)])
    assert result.exit_code == 1
    r5 = [line for line in result.stdout.splitlines() if " R5 " in line]
    assert r5[0] == "错误 R5 2022.xlsx!表三!D8: 自然人：本年报告上年结转 D8=5，上年报告结转下年度 D31=3，不相等（上年：2021.xlsx!表三!D31）"
    assert any(line.startswith("警告 R8 2022.xlsx!表二!D7: 行政规范性文件：本年报告现行有效件数 D7=31，上年报告现行有效件数 D7=30") for line in result.stdout.splitlines())
    # build refuses for the same reason
    out = tmp_path / "r.docx"
    built = runner.invoke(app, ["build", str(target), "-o", str(out)])
    assert built.exit_code == 1 and not out.exists() and "R5 2022.xlsx!表三!D8" in built.stderr


def test_draft_text_is_warned_until_revised(tmp_path, last_2021, runner):
    target = tmp_path / "2022.xlsx"
    runner.invoke(app, ["init", str(target), "--from", str(last_2021)])
    fill_this_year(target)
    drafts = [line for line in runner.invoke(app, ["check", str(target)]).stdout.splitlines() if " 上年 " in line]
    assert drafts == ["警告 上年 2022.xlsx!正文!A3: 有 4 处文字仍是上年报告的原文（init --from 带入的草稿，底色标出），请按本年情况修改"]
    wb = load_workbook(target)
    for row in range(3, 6):
        wb["正文"][f"D{row}"].value += "2022年新增内容。"
    wb["基本信息"]["B11"].value = "本报告依据《条例》编制，数据统计期限为2022年1月1日至12月31日。"
    wb.save(target)
    assert " 上年 " not in runner.invoke(app, ["check", str(target)]).stdout


def test_last_year_moved_away_uses_the_recorded_figures(tmp_path, last_2021, runner):
    target = tmp_path / "2022.xlsx"
    runner.invoke(app, ["init", str(target), "--from", str(last_2021)])
    fill_this_year(target, carried_in_natural=4)
    last_2021.unlink()
    result = runner.invoke(app, ["check", str(target)])
    assert result.exit_code == 1
    assert "警告 上年 2021.xlsx: 工作簿记录的上年报告读不出（上年报告不存在或无法读取），按生成工作簿时记下的上年数字核对" in result.stdout
    assert "错误 R5 2022.xlsx!表三!D8: 自然人：本年报告上年结转 D8=4，上年报告结转下年度 3，不相等（上年：2021.xlsx）" in result.stdout


def test_format_of_the_new_year_is_taken(tmp_path, registry, runner):
    # a 2020 report (2019 format, 对外公开总数量) starts 2021's workbook in the 2021 format
    values = {**last_year_values(), ("active", "rules", "total_public"): 7, ("active", "normative_docs", "total_public"): 30}
    last = make_workbook(tmp_path / "2020.xlsx", registry, AGENCY, year=2020, values=values)
    target = tmp_path / "2021.xlsx"
    assert runner.invoke(app, ["init", str(target), "--from", str(last)]).exit_code == EXIT_OK
    report = api.load_report(target, registry)
    assert (report.year, report.kind.format) == (2021, "2021")
    assert carried_in_row(target) == list(CARRIED)
    fill_this_year(target, date=dt.date(2022, 1, 20), in_force=(7, 33))
    result = runner.invoke(app, ["check", str(target)])
    r8 = [line for line in result.stdout.splitlines() if " R8 " in line]
    assert r8 and "上年报告对外公开总数量 D7=30" in r8[0] and " R5 " not in result.stdout


def test_year_option_is_honoured_and_a_gap_is_a_finding(tmp_path, registry, last_2021, runner):
    target = tmp_path / "2024.xlsx"
    result = runner.invoke(app, ["init", str(target), "--from", str(last_2021), "--year", "2024"])
    assert result.exit_code == EXIT_OK
    assert "警告 上年 2021.xlsx!基本信息!B5: 上年报告的年度是 2021，不是 2023；上年结转按它的结转下年度填写，请确认" in result.stdout
    assert api.load_report(target, registry).year == 2024
    fill_this_year(target, date=dt.date(2025, 1, 20))
    checked = runner.invoke(app, ["check", str(target)])
    assert "警告 上年 2021.xlsx!基本信息!B5: 上年报告的年度是 2021，不是 2023\n" in checked.stdout


def test_from_last_years_json_and_published_word_and_web_page(tmp_path, registry, last_2021, runner):
    sources = [tmp_path / "2021.json", tmp_path / "2021.docx", tmp_path / "2021.html"]
    api.export_json(last_2021, registry, sources[0])
    api.build_file(last_2021, registry, output=sources[1], options=api.Options(formats=("docx", "html")))
    for source in sources:
        target = tmp_path / f"from-{source.suffix[1:]}.xlsx"
        result = runner.invoke(app, ["init", str(target), "--from", str(source)])
        assert result.exit_code == EXIT_OK, (source.name, result.output)
        assert carried_in_row(target) == list(CARRIED), source.name
        report = api.load_report(target, registry)
        assert (report.agency, report.year, report.fields["date"]) == (AGENCY, 2022, None), source.name
        fill_this_year(target)
        checked = runner.invoke(app, ["check", str(target)])
        assert " R5 " not in checked.stdout and checked.exit_code == EXIT_OK, (source.name, checked.stdout)


def test_last_year_without_a_year_needs_the_option(tmp_path, registry, runner):
    last = tmp_path / "x.json"
    last.write_text('{"kind": "annual", "agency": "某局"}', encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "n.xlsx"), "--from", str(last)])
    assert result.exit_code == EXIT_INPUT
    assert result.stderr == "错误：x.json:year: 上年报告中读不出报告年度，请用 --year 指定本年度\n"
    assert not (tmp_path / "n.xlsx").exists()


def test_from_last_years_pdf(tmp_path, registry, last_2021, runner, soffice):
    printed = api.build_file(last_2021, registry, output=tmp_path / "2021.pdf", options=api.Options(formats=("pdf",))).outputs[0]
    target = tmp_path / "from-pdf.xlsx"
    result = runner.invoke(app, ["init", str(target), "--from", str(printed)])
    assert result.exit_code == EXIT_OK, result.output
    assert carried_in_row(target) == list(CARRIED)
    report = api.load_report(target, registry)
    assert (report.agency, report.year) == (AGENCY, 2022)
    assert report.fields["preamble"] == "本报告依据《条例》编制，数据统计期限为2021年1月1日至12月31日。"
    fill_this_year(target)
    checked = runner.invoke(app, ["check", str(target)])
    assert " R5 " not in checked.stdout and checked.exit_code == EXIT_OK, checked.stdout
