"""`gxreport audit`: a county's published reports reviewed into one workbook (gxreport/office/audit.py)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from gxreport import api
from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OUTPUT
from tests.test_import_published import county_page
from tests.workbooks import make_workbook, make_report

AGENCY = "某某县水利局"


def _carry(out: int) -> dict:
    return {("requests", "new", "natural_person"): 3, ("requests", "disclosed", "natural_person"): 3 - out,
            ("requests", "carried_out", "natural_person"): out}


@pytest.fixture()
def folder(tmp_path, registry):
    """Last year's and this year's workbook of one agency (R5 broken), a web page, a Word report,
    a JSON report whose agency is a formula, and a file that is no report."""
    root = tmp_path / "2021年报告"
    root.mkdir()
    make_workbook(root / "水利局2020.xlsx", registry, AGENCY, year=2020, values=_carry(2))
    make_workbook(root / "水利局2021.xlsx", registry, AGENCY, year=2021,
                  values={("requests", "new", "natural_person"): 1, ("requests", "carried_in", "natural_person"): 1,
                          ("requests", "disclosed", "natural_person"): 2})
    (root / "开发区.html").write_text(county_page(signed=True), encoding="utf-8")
    wrong = make_workbook(tmp_path / "教育局.xlsx", registry, "某某县教育局", year=2021, values=_carry(0))
    api.build_file(wrong, registry, output=root / "教育局2021.docx")
    report = make_report(registry, "=HYPERLINK(\"http://x\",\"点我\")", year=2021)
    from gxreport.inputs.jsonform import report_to_dict

    (root / "公式.json").write_text(json.dumps(report_to_dict(report), ensure_ascii=False, default=str), encoding="utf-8")
    (root / "坏文件.pdf").write_bytes(b"not a pdf")
    (root / "说明.txt").write_text("not audited", encoding="utf-8")
    return root


def _rows(ws) -> list[dict]:
    heads = [c.value for c in ws[1]]
    return [dict(zip(heads, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


def test_audit_writes_one_row_per_report(folder, tmp_path, runner):
    out = tmp_path / "审核.xlsx"
    result = runner.invoke(app, ["audit", str(folder), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == EXIT_FINDINGS, result.output
    assert "审核 6 份报告：通过 " in result.stdout and "无法读取 1" in result.stdout
    assert "坏文件.pdf：无法读取：坏文件.pdf: 不是有效的 PDF 文件" in result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["汇总", "报告"] and "R5" in wb.sheetnames and "无法读取" in wb.sheetnames
    rows = {r["文件"]: r for r in _rows(wb["报告"])}
    assert set(rows) == {"水利局2020.xlsx", "水利局2021.xlsx", "开发区.html", "教育局2021.docx", "公式.json", "坏文件.pdf"}
    water = rows["水利局2021.xlsx"]
    assert (water["机关"], water["年度"], water["格式"]) == (AGENCY, 2021, "政府信息公开工作年度报告 2021")
    # last year's report is in the folder: R5 compares the two, naming both cells
    assert water["R5"] == "错误 2" and water["审核结果"] == "有错误" and water["R1"] == "通过"  # 自然人 and 总计
    assert water["上年报告"] == "水利局2020.xlsx"
    assert "水利局2021.xlsx!表三!D8" in water["错误位置"]
    assert water["首个错误"].startswith("水利局2021.xlsx!表三!D8: 自然人：本年报告上年结转 D8=1，上年报告结转下年度 D29=2")
    assert rows["水利局2020.xlsx"]["审核结果"] == "通过"
    page = rows["开发区.html"]
    assert (page["机关"], page["年度"], page["审核结果"]) == ("某某经济开发区管理委员会", 2021, "通过")
    assert rows["坏文件.pdf"]["审核结果"] == "无法读取" and rows["坏文件.pdf"]["R1"] == "—"
    r5 = _rows(wb["R5"])
    assert [(r["文件"], r["级别"], r["位置"]) for r in r5] == [
        ("水利局2021.xlsx", "错误", "水利局2021.xlsx!表三!D8"), ("水利局2021.xlsx", "错误", "水利局2021.xlsx!表三!J8")
    ]
    assert "水利局2021.xlsx：与上年报告 水利局2020.xlsx 核对（R5、R8），有错误：错误 R5 水利局2021.xlsx!表三!D8" in result.stdout
    summary = {r["项目"]: r["份数"] for r in _rows(wb["汇总"]) if r["项目"] in ("审核的报告", "通过", "有错误", "无法读取")}
    assert summary == {"审核的报告": 6, "通过": sum(r["审核结果"] == "通过" for r in rows.values()),
                       "有错误": sum(r["审核结果"] == "有错误" for r in rows.values()), "无法读取": 1}


def test_narrative_figures_that_disagree_are_listed(folder, tmp_path, runner, registry):
    report = make_report(registry, "某某县统计局", year=2021, values={("requests", "new", "natural_person"): 2,
                                                                  ("requests", "disclosed", "natural_person"): 2})
    report.blocks[0] = report.blocks[0].__class__("一", 2, "依申请公开", "全年共收到政府信息公开申请5件。")
    from gxreport.inputs.jsonform import report_to_dict

    (folder / "统计局.json").write_text(json.dumps(report_to_dict(report), ensure_ascii=False, default=str), encoding="utf-8")
    out = tmp_path / "a.xlsx"
    runner.invoke(app, ["audit", str(folder), "-o", str(out)])
    row = next(r for r in _rows(load_workbook(out)["报告"]) if r["文件"] == "统计局.json")
    assert row["R10"] == "警告 1" and "收到申请" in row["正文数字与统计表不符"] and "5" in row["正文数字与统计表不符"]


def test_text_in_the_audit_workbook_is_never_a_formula(folder, tmp_path, runner):
    out = tmp_path / "a.xlsx"
    runner.invoke(app, ["audit", str(folder), "-o", str(out)])
    ws = load_workbook(out)["报告"]
    agencies = [ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)]
    formula_like = [c for c in agencies if str(c.value).startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)


def test_audit_workbook_prints_on_a4_landscape(folder, tmp_path, runner):
    out = tmp_path / "a.xlsx"
    runner.invoke(app, ["audit", str(folder), "-o", str(out)])
    for ws in load_workbook(out).worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2", ws.title


def test_nothing_readable_exits_2_and_an_existing_audit_is_kept(tmp_path, runner):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "x.html").write_text("<html><body>没有报告</body></html>", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(folder), "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == EXIT_INPUT
    (tmp_path / "old.xlsx").write_bytes(b"keep")
    again = runner.invoke(app, ["audit", str(folder), "-o", str(tmp_path / "old.xlsx")])
    assert again.exit_code == EXIT_OUTPUT and (tmp_path / "old.xlsx").read_bytes() == b"keep"
    empty = tmp_path / "empty"
    empty.mkdir()
    none = runner.invoke(app, ["audit", str(empty)])
    assert none.exit_code == EXIT_INPUT
    assert none.stderr == f"错误：{empty}: 文件夹中没有找到报告（.html、.docx、.pdf、.xlsx、.json）\n"
    second = tmp_path / "empty2"
    second.mkdir()
    both = runner.invoke(app, ["audit", str(empty), str(second)])
    assert both.stderr == f"错误：{empty}: 文件夹中没有找到报告（.html、.docx、.pdf、.xlsx、.json）；另外 1 个文件夹中也没有\n"
