"""Report kinds as data: the registry, every sample, a stranger's workbook per kind, office kinds."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_TEMPLATE
from gxreport.declare.kinds import builtin_templates_dir

from .conftest import DATA, ROOT, convert_to_pdf
from .docx_read import Tbl, body_items, headings, paragraphs, tables
from .workbook_fill import fill

MANIFESTS = sorted(builtin_templates_dir().glob("*/manifest.toml"))
SAMPLES = sorted({tomllib.loads(m.read_text(encoding="utf-8"))["sample"] for m in MANIFESTS})
HEADING_NUMBER = {1: r"^[一二三四五六七八九十]+、", 2: r"^（[一二三四五六七八九十]+）", 3: r"^\d+\.", 4: r"^（\d+）"}


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_kinds_lists_every_kind_with_formats_and_samples(runner):
    result = run(runner, "kinds")
    assert result.exit_code == EXIT_OK, result.output
    lines = {line.split("\t")[0]: line for line in result.output.splitlines()}
    assert set(lines) >= {"annual", "annual-legacy", "summary", "self-check"}
    assert "格式：2021（2021年起）、2019（2019–2020年）\t样例：data/2021.xlsx、data/2019.xlsx" in lines["annual"]
    assert "格式：2018年及以前" in lines["annual-legacy"]
    assert "格式：不限年度" in lines["summary"]
    assert "自查报告" in lines["self-check"]
    assert "data/summary.xlsx" in lines["summary"]


def test_every_manifest_names_a_sample_that_exists():
    assert len(MANIFESTS) >= 5
    for manifest in MANIFESTS:
        sample = tomllib.loads(manifest.read_text(encoding="utf-8"))["sample"]
        assert (ROOT / sample).is_file(), f"{manifest}: sample {sample} missing"


# What each sample must show: its title lines, the line under the title (date
# line or addressee), whether it is signed, and a few headings by level.
EXPECTED = {
    "data/2019.xlsx": dict(
        title="临川县政务服务管理办公室2020年政府信息公开工作年度报告",
        under=None,
        signature=("临川县政务服务管理办公室", "2021年1月25日"),
        headings=[(1, "一、总体情况"), (2, "（一）主动公开"), (2, "（五）监督保障"), (1, "六、其他需要报告的事项")],
    ),
    "data/2021.xlsx": dict(
        title="泗阳县行政审批局2021年政府信息公开工作年度报告",
        under=None,
        signature=("泗阳县行政审批局", "2022年1月20日"),
        headings=[(1, "一、总体情况"), (2, "（一）主动公开"), (1, "五、存在的主要问题及改进情况")],
    ),
    "data/2017-legacy.xlsx": dict(
        title="青溪县发展和改革局2017年政府信息公开工作年度报告",
        under=None,
        signature=("青溪县发展和改革局", "2018年3月16日"),
        headings=[(1, "一、概述"), (1, "三、主动公开政府信息情况"), (1, "七、存在的主要问题及改进措施"), (2, "（一）存在的问题"), (2, "（二）改进措施")],
    ),
    "data/summary.xlsx": dict(
        title="丰源区行政审批服务局2023年工作总结暨2024年工作思路",
        under=("GWDateLine", "（2023年11月20日）"),
        signature=None,
        headings=[(1, "一、工作开展情况"), (2, "（一）审批服务提速增效。"), (1, "二、重点任务完成情况"), (2, "（一）深化“放管服”改革，打造“一窗通办”服务模式"), (1, "三、2024年工作思路"), (3, "1.推进事项应进必进。"), (3, "3.规范基层政务公开。")],
    ),
    "data/self-check.xlsx": dict(
        title="南岭市行政审批服务局2020年政务公开工作自查报告",
        under=("GWAddressee", "市政府办公室："),
        signature=("南岭市行政审批服务局", "2020年10月26日"),
        headings=[(1, "一、信息主动公开情况"), (2, "（一）基础信息公开。"), (2, "（二）权责清单公开。"), (1, "四、组织保障情况"), (2, "（一）加强组织领导。"), (1, "五、存在的主要问题及下一步工作计划"), (3, "1.重点领域信息公开。")],
    ),
}


def test_expectations_cover_every_sample():
    assert set(EXPECTED) == set(SAMPLES)


@pytest.fixture(scope="module")
def built_samples(tmp_path_factory) -> dict[str, Path]:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("samples")
    built = {}
    for sample in SAMPLES:
        target = out / (Path(sample).stem + ".docx")
        result = CliRunner().invoke(app, ["build", str(ROOT / sample), "-o", str(target)])
        assert result.exit_code == EXIT_OK, f"{sample}: {result.output}"
        built[sample] = target
    return built


def _in_order(wanted, got) -> bool:
    it = iter(got)
    return all(any(item == g for g in it) for item in wanted)


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_builds_with_the_kinds_structure(sample, built_samples):
    path, want = built_samples[sample], EXPECTED[sample]
    paras = paragraphs(path)
    assert "".join(p.text for p in paras if p.style == "GWTitle" and not p.page_break_before).startswith(want["title"])
    if want["under"]:
        style, text = want["under"]
        first_after_title = next(p for p in paras if p.style not in ("GWTitle",) and p.text)
        assert (first_after_title.style, first_after_title.text) == (style, text)
    assert not any(p.style in ("GWDateLine", "GWAddressee") for p in paras if not want["under"] or p.style != want["under"][0])
    signature = [p.text for p in paras if p.style == "GWSignature"]
    assert signature == (list(want["signature"]) if want["signature"] else [])
    found = headings(path)
    assert _in_order(want["headings"], found), found
    for level, text in found:
        assert re.match(HEADING_NUMBER[level], text), (level, text)


def test_2019_sample_prints_its_own_tables(built_samples):
    active, requests, reviews = tables(built_samples["data/2019.xlsx"])
    rows = {row[0]: row for row in active.rows}
    assert rows["行政许可"] == ("行政许可", "412", "-8", "6381")  # signed 本年增/减
    assert rows["行政事业性收费"] == ("行政事业性收费", "2", "-1")
    assert rows["政府集中采购"] == ("政府集中采购", "6", "386500元")  # amount with its unit
    assert "规范性文件" in rows and "其他对外管理服务事项" in rows
    assert (len(requests.rows), requests.grid_cols) == (26, 10)
    # Rows under 三、本年度办理结果 start with its vMerge continuation cell.
    other = [row for row in requests.rows if "（六）其他处理" in row]
    assert other == [("", "（六）其他处理", "1", "0", "0", "0", "0", "0", "1")]
    total = next(row for row in requests.rows if "（七）总计" in row)
    assert total[-7:] == ("9", "2", "0", "0", "0", "0", "11")  # computed from the result rows
    assert reviews.grid_cols == 15
    # The 信息处理费 statement belongs to the 2021 管理办法, not to the 2019 format.
    assert not any("信息处理费" in p.text for p in paragraphs(built_samples["data/2019.xlsx"]))


def test_legacy_sample_prints_the_clerks_indicator_table_inside_its_part(built_samples):
    items = body_items(built_samples["data/2017-legacy.xlsx"])
    table_at = next(i for i, item in enumerate(items) if isinstance(item, Tbl))
    assert items[table_at - 1].text.startswith("全年主动公开政府信息156条")
    table = items[table_at]
    assert table.rows[0] == ("指标", "单位", "数量")
    assert ("收到政府信息公开申请", "件", "7") in table.rows
    assert len(table.rows) == 12 and table.grid_cols == 3
    opening = next(p for p in paragraphs(built_samples["data/2017-legacy.xlsx"]) if p.text.startswith("根据"))
    assert "统计期限自2017年1月1日起至2017年12月31日止" in opening.text
    assert "全文包括概述、政府信息公开工作机构基本信息、" in opening.text
    assert "青溪县发展和改革局办公室" in opening.text and "0578-3312001" in opening.text


def test_self_check_opening_cites_the_notice(built_samples):
    paras = paragraphs(built_samples["data/self-check.xlsx"])
    opening = next(p.text for p in paras if p.text.startswith("根据"))
    assert "市政府办公室《关于开展2020年度政务公开工作自查的通知》（南政办函〔2020〕86号）要求" in opening


@pytest.mark.parametrize("sample", SAMPLES)
def test_libreoffice_converts_each_sample(sample, built_samples, soffice, tmp_path):
    import pdfplumber

    pdf = convert_to_pdf(soffice, built_samples[sample], tmp_path)
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert EXPECTED[sample]["headings"][0][1] in text.replace(" ", "").replace("\n", "")


# A stranger's workbook: init --kind, text typed only in the 正文 rows, no numbers.
STRANGER = {
    "annual-2021": dict(
        init=["--kind", "annual", "--year", "2022"],
        fields={"机关名称": "白沙县统计局", "报告年度": 2022, "成文日期": "2023年1月16日"},
        rows=[("一", 2, "公开目录更新", "局办公室每季度核对一次公开目录。"), ("一", 3, "网站栏目", "新增统计数据解读栏目。"), ("一", 2, "依申请办理", "全年申请均按期答复。"), ("五", None, None, "统计信息公开的时效性仍需提高。"), ("六", None, None, "无其他需要报告的事项。")],
        expect=[(1, "一、总体情况"), (2, "（一）公开目录更新"), (3, "1.网站栏目"), (2, "（二）依申请办理"), (1, "五、存在的主要问题及改进情况")],
    ),
    "annual-2019": dict(
        init=["--kind", "annual", "--year", "2019"],
        fields={"机关名称": "白沙县统计局", "报告年度": 2019, "成文日期": "2020年1月20日"},
        rows=[("一", 2, "公开目录更新", "局办公室每季度核对一次公开目录。"), ("一", 3, "网站栏目", "新增统计数据解读栏目。"), ("五", None, None, "统计信息公开的时效性仍需提高。")],
        expect=[(1, "一、总体情况"), (2, "（一）公开目录更新"), (3, "1.网站栏目"), (1, "五、存在的主要问题及改进情况")],
    ),
    "annual-legacy": dict(
        init=["--kind", "annual-legacy"],
        fields={"机关名称": "白沙县统计局", "报告年度": 2016, "成文日期": "2017年3月1日"},
        rows=[(1, "工作概况", "全年公开统计公报和月度数据共计88条。"), (2, "机构设置", "办公室负责日常工作。"), (2, "制度建设", "修订了保密审查办法。"), (1, "依申请公开情况", "收到申请两件。"), (3, "办理结果", "均予以公开。")],
        expect=[(1, "一、工作概况"), (2, "（一）机构设置"), (2, "（二）制度建设"), (1, "二、依申请公开情况"), (3, "1.办理结果")],
    ),
    "summary": dict(
        init=["--kind", "summary"],
        fields={"单位名称": "白沙县统计局", "总结年度": 2024, "落款日期": "2024年12月20日"},
        rows=[(1, "主要工作", None), (2, "数据质量提升。", "开展基层统计规范化检查6次。"), (3, "普查收尾", "完成经济普查数据汇总。"), (3, "培训", "举办统计业务培训两期。"), (2, "服务发展", "编印统计手册500册。"), (1, "明年打算", "重点抓好数据质量。")],
        expect=[(1, "一、主要工作"), (2, "（一）数据质量提升。"), (3, "1.普查收尾"), (3, "2.培训"), (2, "（二）服务发展"), (1, "二、明年打算")],
    ),
    "self-check": dict(
        init=["--kind", "self-check"],
        fields={"单位名称": "白沙县统计局", "年度": 2024, "主送机关": "县政府办", "通知标题": "《关于开展政务公开自查的通知》", "通知文号": "白政办〔2024〕9号", "成文日期": "2024年6月3日"},
        rows=[(1, "自查情况", "对照通知逐项检查。"), (2, "主动公开", "公开栏目齐全。"), (1, "存在的问题和整改计划", None), (3, "栏目更新不及时。", "本月内完成更新。")],
        expect=[(1, "一、自查情况"), (2, "（一）主动公开"), (1, "二、存在的问题和整改计划"), (3, "1.栏目更新不及时。")],
    ),
}


@pytest.mark.parametrize("case", sorted(STRANGER))
def test_a_strangers_workbook_builds_with_generated_numbering(case, runner, tmp_path):
    spec = STRANGER[case]
    book = tmp_path / "填报.xlsx"
    assert run(runner, "init", *spec["init"], book).exit_code == EXIT_OK
    fill(book, spec["fields"], spec["rows"])
    out = tmp_path / "out.docx"
    result = run(runner, "build", book, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    found = headings(out)
    assert _in_order(spec["expect"], found), found
    text = "".join(p.text for p in paragraphs(out))
    for row in spec["rows"]:
        if row[-1]:
            assert row[-1] in text
    assert "白沙县统计局" in text


def test_init_picks_the_format_from_the_year(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--year", "2020", book).exit_code == EXIT_OK
    wb = load_workbook(book)
    meta = {row[0].value: row[1].value for row in wb["_meta"].iter_rows()}
    assert (meta["kind"], meta["format"]) == ("annual", "2019")
    labels = {c.value for row in wb["表二"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {"第二十条第（九）项", "采购总金额", "本年增/减", "其他对外管理服务事项"} <= labels


def test_init_for_a_year_before_2019_points_to_the_legacy_kind(runner, tmp_path):
    result = run(runner, "init", "--year", "2017", tmp_path / "a.xlsx")
    assert result.exit_code == EXIT_INPUT
    assert "annual-legacy" in result.output
    assert not (tmp_path / "a.xlsx").exists()


def test_format_against_the_year_is_an_error_and_format_override_warns_on_every_build(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--year", "2021", "--format", "2019", book).exit_code == EXIT_OK
    fill(book, {"机关名称": "白沙县统计局", "成文日期": "2022年1月10日"}, [("五", None, None, "公开时效仍需提高。")])
    refused = run(runner, "build", book, "-o", tmp_path / "x.docx")
    assert refused.exit_code == EXIT_FINDINGS
    assert re.search(r"错误 R7 a\.xlsx!基本信息!B\d+: 报告年度 2021 应使用 2021 格式", refused.output)
    for attempt in ("1", "2"):
        result = run(runner, "build", book, "--format", "2019", "-o", tmp_path / f"{attempt}.docx")
        assert result.exit_code == EXIT_OK, result.output
        assert "警告 R7" in result.output and "按指定的 2019 格式生成" in result.output


def test_2019_amount_without_unit_warns(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--year", "2019", book).exit_code == EXIT_OK
    fill(book, {"机关名称": "白沙县统计局", "成文日期": "2020年1月10日"}, [("五", None, None, "公开时效仍需提高。")])
    wb = load_workbook(book)
    ws = wb["表二"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "政府集中采购")
    ws.cell(row=cell.row, column=cell.column + 2, value="12.5")
    ws.cell(row=cell.row, column=cell.column + 1, value=2)
    wb.save(book)
    result = run(runner, "check", book)
    assert "政府集中采购 采购总金额：未注明单位" in result.output
    ws.cell(row=cell.row, column=cell.column + 2, value="12.5 万元")
    wb.save(book)
    result = run(runner, "build", book, "-o", tmp_path / "x.docx")
    assert result.exit_code == EXIT_OK and "未注明单位" not in result.output
    assert ("政府集中采购", "2", "12.5万元") in tables(tmp_path / "x.docx")[0].rows


WORK_POINTS_MANIFEST = """
id = "work-points"
name = "政务公开工作要点"
title = "{{ agency }}{{ year }}年政务公开工作要点"
sample = ""

[[field]]
key = "agency"
label = "单位名称"
required = true

[[field]]
key = "year"
label = "年度"
type = "year"
required = true

[[field]]
key = "date"
label = "印发日期"
type = "date"
"""

WORK_POINTS_TEMPLATE = """<document>
<title/>
<p>为做好{{ year }}年政务公开工作，制定本要点。</p>
<parts id=""/>
<signature optional="true"/>
</document>
"""


def _office_kind(root: Path, manifest: str = WORK_POINTS_MANIFEST, template: str = WORK_POINTS_TEMPLATE) -> Path:
    folder = root / "work-points"
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    (folder / "document.xml.j2").write_text(template, encoding="utf-8")
    return root


def test_a_new_kind_is_a_template_folder_only(runner, tmp_path):
    templates = _office_kind(tmp_path / "本单位模板")
    listed = run(runner, "kinds", "--templates", templates)
    assert "work-points\t政务公开工作要点" in listed.output
    book = tmp_path / "要点.xlsx"
    assert run(runner, "init", "--kind", "work-points", "--templates", templates, book).exit_code == EXIT_OK
    fill(book, {"单位名称": "白沙县人民政府办公室", "年度": 2025}, [(1, "深化政策公开", None), (2, "规范文件发布。", "文件印发后五个工作日内公开。"), (1, "强化平台建设", "整合政务新媒体账号。")])
    out = tmp_path / "要点.docx"
    result = run(runner, "build", book, "--templates", templates, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    assert headings(out) == [(1, "一、深化政策公开"), (2, "（一）规范文件发布。"), (1, "二、强化平台建设")]
    texts = [p.text for p in paragraphs(out)]
    assert "为做好2025年政务公开工作，制定本要点。" in texts
    assert not any(p.style == "GWSignature" for p in paragraphs(out))  # no 印发日期: unsigned


def test_the_workbook_can_name_the_offices_templates_folder(runner, tmp_path):
    _office_kind(tmp_path / "模板")
    book = tmp_path / "要点.xlsx"
    assert run(runner, "init", "--kind", "work-points", "--templates", tmp_path / "模板", book).exit_code == EXIT_OK
    fill(book, {"单位名称": "白沙县人民政府办公室", "年度": 2025, "模板目录": "模板"}, [(1, "深化政策公开", "按时公开。")])
    result = run(runner, "build", book, "-o", tmp_path / "x.docx")  # no --templates
    assert result.exit_code == EXIT_OK, result.output
    fill(book, {"模板目录": "没有这个目录"}, [(1, "深化政策公开", "按时公开。")])
    result = run(runner, "build", book, "-o", tmp_path / "y.docx")
    assert result.exit_code == EXIT_INPUT
    assert "要点.xlsx!基本信息!B" in result.output and "没有这个目录" in result.output


def test_an_office_kind_with_the_same_id_wins(runner, tmp_path):
    builtin = (builtin_templates_dir() / "summary" / "manifest.toml").read_text(encoding="utf-8")
    folder = tmp_path / "mine" / "summary"
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text(builtin.replace('name = "年度工作总结"', 'name = "工作总结（本局格式）"'), encoding="utf-8")
    (folder / "document.xml.j2").write_text("<document><title/><p>本局格式。</p><parts id=\"\"/></document>", encoding="utf-8")
    listed = run(runner, "kinds", "--templates", tmp_path / "mine")
    assert "summary\t工作总结（本局格式）" in listed.output
    out = tmp_path / "x.docx"
    result = run(runner, "build", DATA / "summary.xlsx", "--templates", tmp_path / "mine", "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    texts = [p.text for p in paragraphs(out)]
    assert "本局格式。" in texts and "（2023年11月20日）" not in texts


def test_a_broken_manifest_is_reported_with_file_and_line(runner, tmp_path):
    root = _office_kind(tmp_path / "t", manifest=WORK_POINTS_MANIFEST.replace('name = "政务公开工作要点"', 'name = "政务公开工作要点'))
    result = run(runner, "kinds", "--templates", root)
    assert result.exit_code == EXIT_TEMPLATE
    assert f"{root / 'work-points' / 'manifest.toml'}:3: 清单格式错误" in result.output


@pytest.mark.parametrize(
    "template, line",
    [
        ("<document>\n<title/>\n<p>{{ year }</p>\n</document>\n", 3),  # syntax error
        ("<document>\n<title/>\n\n<p>{{ no_such_field }}</p>\n</document>\n", 4),  # undefined at render time
    ],
)
def test_a_broken_template_is_reported_with_file_and_line(template, line, runner, tmp_path):
    root = _office_kind(tmp_path / "t", template=template)
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--kind", "work-points", "--templates", root, book).exit_code == EXIT_OK
    fill(book, {"单位名称": "某局", "年度": 2025}, [(1, "要点", "内容。")])
    result = run(runner, "build", book, "--templates", root, "-o", tmp_path / "x.docx")
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert f"{root / 'work-points' / 'document.xml.j2'}:{line}:" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_a_manifest_missing_a_key_names_the_file_and_the_key(runner, tmp_path):
    root = _office_kind(tmp_path / "t", manifest=WORK_POINTS_MANIFEST.replace('name = "政务公开工作要点"\n', ""))
    result = run(runner, "kinds", "--templates", root)
    assert result.exit_code == EXIT_TEMPLATE
    assert f"{root / 'work-points' / 'manifest.toml'}: 清单缺少或错写了字段：'name'" in result.output


def test_a_broken_table_declaration_is_reported_with_file_and_line(runner, tmp_path):
    root = _office_kind(tmp_path / "t", manifest=WORK_POINTS_MANIFEST.replace('sample = ""', 'sample = ""\ntables = "tables.toml"'))
    (root / "work-points" / "tables.toml").write_text('[[table]]\nid = "x"\nsheet = \n', encoding="utf-8")
    result = run(runner, "init", "--kind", "work-points", "--templates", root, tmp_path / "a.xlsx")
    assert result.exit_code == EXIT_TEMPLATE
    assert f"{root / 'work-points' / 'tables.toml'}:3: 表格声明格式错误" in result.output
    assert not (tmp_path / "a.xlsx").exists()


def test_committed_samples_match_the_script_that_makes_them(registry):
    """data/*.xlsx are what data/make_samples.py writes: regenerate them after editing it."""
    import importlib.util
    import json
    from decimal import Decimal

    from gxreport.inputs.jsonform import report_from_dict
    from gxreport.checks.rules import complete
    from gxreport.inputs.workbook.reader import read_workbook

    spec = importlib.util.spec_from_file_location("make_samples", DATA / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert {f"data/{name}" for name in module.SAMPLES} == set(SAMPLES)
    for name, data in module.SAMPLES.items():
        if isinstance(data, str):
            data = json.loads((DATA / data).read_text(encoding="utf-8"), parse_float=Decimal)
        want = report_from_dict(data, name, registry)
        got = read_workbook(DATA / name, registry)
        assert got.kind.label == want.kind.label, name
        assert got.fields == want.fields, name
        assert [(b.part, b.level, b.title, b.text) for b in got.blocks] == [(b.part, b.level, b.title, b.text) for b in want.blocks], name
        # Totals are live formulas in the workbook: compare the tables as printed.
        for table in got.kind.tables:
            assert complete(table, got.tables[table.id]) == complete(table, want.tables[table.id]), (name, table.id)
        assert got.units == want.units, name
        assert got.free_table == want.free_table, name
        assert [(a.title, a.text) for a in got.attachments] == [(a.title, a.text) for a in want.attachments], name


def test_a_deleted_yes_no_row_takes_its_default(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--kind", "summary", book).exit_code == EXIT_OK
    fill(book, {"单位名称": "某局", "总结年度": 2024}, [(1, "工作", "内容。")])
    wb = load_workbook(book)
    ws = wb["基本信息"]
    ws.delete_rows(next(c.row for c in ws["A"] if c.value == "含下一年工作思路"))
    wb.save(book)
    result = run(runner, "build", book, "-o", tmp_path / "a.docx")
    assert result.exit_code == EXIT_OK, result.output
    assert "".join(p.text for p in paragraphs(tmp_path / "a.docx") if p.style == "GWTitle") == "某局2024年工作总结"


def test_an_annual_workbook_dated_before_2019_is_sent_to_the_legacy_kind(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--year", "2021", book).exit_code == EXIT_OK
    fill(book, {"机关名称": "某局", "报告年度": 2017, "成文日期": "2018年1月10日"}, [("五", None, None, "不足。")])
    result = run(runner, "check", book)
    assert result.exit_code == EXIT_FINDINGS
    assert "错误 R7" in result.output and "报告年度 2017 应使用报告类型 annual-legacy" in result.output


def test_legacy_opening_can_be_left_out(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--kind", "annual-legacy", book).exit_code == EXIT_OK
    fill(book, {"机关名称": "某局", "报告年度": 2015, "成文日期": "2016年3月1日", "写导语": "否"}, [(1, "概述", "内容。")])
    assert run(runner, "build", book, "-o", tmp_path / "a.docx").exit_code == EXIT_OK
    texts = [p.text for p in paragraphs(tmp_path / "a.docx") if p.text and p.style != "GWTitle"]
    assert texts[:2] == ["一、概述", "内容。"]


def test_a_self_check_without_a_problems_part_is_warned(runner, tmp_path):
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--kind", "self-check", book).exit_code == EXIT_OK
    fill(book, {"单位名称": "某局", "年度": 2024, "主送机关": "县政府办", "成文日期": "2024年6月3日"}, [(1, "自查情况", "逐项检查。")])
    result = run(runner, "check", book)
    assert result.exit_code == EXIT_OK
    assert "警告 R11 a.xlsx: 正文没有含“问题”的一级标题（如：存在的主要问题及下一步工作计划）" in result.output
    fill(book, {}, [(1, "自查情况", "逐项检查。"), (1, "存在的问题及计划", "继续改进。")])
    assert "R11" not in run(runner, "check", book).output


@pytest.mark.parametrize(
    ("declared", "said"),
    [
        ('required_headings = { "整改" = "整改落实情况" }', "正文没有含“整改”的一级标题（如：整改落实情况）"),
        ('required_headings = ["整改"]', "正文没有含“整改”的一级标题\n"),
    ],
    ids=["with-an-example", "words-only"],
)
def test_the_required_heading_and_its_example_come_from_the_manifest(runner, tmp_path, declared, said):
    """The warning's example heading is the kind's declaration, not code: an office's copy says its own."""
    folder = tmp_path / "模板" / "self-check"
    shutil.copytree(builtin_templates_dir() / "self-check", folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('required_headings = { "问题" = "存在的主要问题及下一步工作计划" }', declared), encoding="utf-8")
    book = tmp_path / "a.xlsx"
    assert run(runner, "init", "--kind", "self-check", "--templates", folder.parent, book).exit_code == EXIT_OK
    fill(book, {"单位名称": "某局", "年度": 2024, "主送机关": "县政府办", "成文日期": "2024年6月3日"}, [(1, "自查情况", "逐项检查。")])
    result = run(runner, "check", "--templates", folder.parent, book)
    assert result.exit_code == EXIT_OK, result.output
    assert said in result.output and "存在的主要问题" not in result.output


def test_the_hidden_meta_sheet_can_name_the_templates_folder(runner, tmp_path):
    _office_kind(tmp_path / "模板")
    book = tmp_path / "要点.xlsx"
    assert run(runner, "init", "--kind", "work-points", "--templates", tmp_path / "模板", book).exit_code == EXIT_OK
    fill(book, {"单位名称": "某局", "年度": 2025}, [(1, "深化政策公开", "按时公开。")])
    unknown = run(runner, "build", book, "-o", tmp_path / "x.docx")
    assert unknown.exit_code == EXIT_INPUT and "未知的报告类型 'work-points'" in unknown.output and "--templates" in unknown.output
    wb = load_workbook(book)
    wb["_meta"].append(["templates", "模板"])
    wb.save(book)
    result = run(runner, "build", book, "-o", tmp_path / "x.docx")
    assert result.exit_code == EXIT_OK, result.output
    assert headings(tmp_path / "x.docx") == [(1, "一、深化政策公开")]


def _style_props(docx_path: Path) -> dict[str, dict[str, str]]:
    """style id → eastAsia face, justification and first-line indent, from styles.xml."""
    import zipfile

    from lxml import etree

    from .docx_read import NS, w

    with zipfile.ZipFile(docx_path) as archive:
        root = etree.fromstring(archive.read("word/styles.xml"))
    out = {}
    for style in root.findall("w:style", NS):
        fonts = style.find("w:rPr/w:rFonts", NS)
        jc = style.find("w:pPr/w:jc", NS)
        ind = style.find("w:pPr/w:ind", NS)
        out[style.get(w("styleId"))] = {
            "face": fonts.get(w("eastAsia")) if fonts is not None else "",
            "jc": jc.get(w("val")) if jc is not None else "",
            "first_line": ind.get(w("firstLine")) if ind is not None else "",
        }
    return out


def test_samples_use_the_heading_faces_date_line_and_addressee_of_layout_md(built_samples):
    summary = _style_props(built_samples["data/summary.xlsx"])
    assert [summary[f"GWHeading{n}"]["face"] for n in (1, 2, 3, 4)] == ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"]
    assert [summary[f"GWHeading{n}Char"]["face"] for n in (1, 2, 3, 4)] == ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"]
    assert summary["GWDateLine"]["face"] == "楷体_GB2312" and summary["GWDateLine"]["jc"] == "center"
    addressee = _style_props(built_samples["data/self-check.xlsx"])["GWAddressee"]
    assert addressee["jc"] == "left" and addressee["first_line"] in ("", "0")


@pytest.mark.parametrize(
    "today, year",
    [
        ("2026-11-28", 2026),  # due next January: this year's report
        ("2027-01-15", 2026),
        ("2027-03-31", 2026),  # a people's government's last day
        ("2027-04-01", 2027),
        ("2027-12-31", 2027),
    ],
)
def test_the_year_in_preparation_follows_the_kinds_last_deadline(registry, today, year):
    annual = registry.get("annual", year=2026)
    assert annual.checks.deadline == {"department": "01-31", "government": "03-31"}
    assert annual.year_in_preparation(dt.date.fromisoformat(today)) == year


def test_a_kind_without_deadlines_is_written_for_the_year_it_is_in(registry):
    summary = registry.get("summary")
    assert not summary.checks.deadline
    assert summary.year_in_preparation(dt.date(2027, 1, 10)) == 2027
