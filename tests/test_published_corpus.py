"""Real published reports (tests/corpus/published/, issue 13 item 4): each fixture, imported
through the public API, gives the agency, year and figures transcribed by hand from the
publication (SOURCES.toml), no website text in its narrative, and `check` passes where
the printed tables balance."""

from __future__ import annotations

import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from gxreport.api import import_file
from gxreport.cli import app
from gxreport.errors import EXIT_OK

CORPUS = Path(__file__).parent / "corpus" / "published"
SOURCES = tomllib.loads((CORPUS / "SOURCES.toml").read_text(encoding="utf-8"))["report"]
BY_ID = {entry["id"]: entry for entry in SOURCES}
# one case per published file: a report seen as Word file and PDF is imported from both
FILES = [(entry["id"], name) for entry in SOURCES for name in entry["files"]]

# What the websites around these reports print; never a report's own words.
SITE_WORDS = re.compile(
    r"ICP|网站标识码|公网安备|分享到|字号|字体|当前位置|当前页面|您当前的位置|网站地图|联系我们|主办单位|承办单位|版权所有|"
    r"打印本页|关闭窗口|浏览次数|阅读次数|发布者|无障碍|长者|智能问答|走进|首页|简体版|繁體|索引号|发文日期|来源[:：]"
)


@pytest.fixture(scope="module")
def imported(registry, tmp_path_factory):
    """Every fixture imported once, as `gxreport import` does (report plus reader and checker findings)."""
    out = tmp_path_factory.mktemp("imported")
    return {name: import_file(CORPUS / name, registry, out / f"{name}.json") for _, name in FILES}


def test_the_corpus_is_what_its_readme_promises():
    bodies = {e["issuing_body"] for e in SOURCES}
    suffixes = [Path(name).suffix for _, name in FILES]
    assert len(SOURCES) >= 12 and len(bodies) >= 8
    assert suffixes.count(".pdf") >= 3 and suffixes.count(".docx") >= 1
    for entry in SOURCES:
        assert entry["url"].startswith("http") and entry["covered"] and entry["reconstructed"]
        assert entry["expect"]["agency"] == entry["issuing_body"] or entry["issuing_body"].endswith(entry["expect"]["agency"])
    listed = {name for _, name in FILES}
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".html", ".pdf", ".docx")}
    assert on_disk == listed


@pytest.mark.parametrize("report_id, name", FILES)
def test_agency_and_year_as_published(imported, report_id, name):
    report, expect = imported[name].report, BY_ID[report_id]["expect"]
    assert (report.agency, report.year) == (expect["agency"], expect["year"])
    assert report.kind.covers_year(expect["year"])


def _value(number) -> int | Decimal:
    return Decimal(str(number)) if isinstance(number, float) else number


@pytest.mark.parametrize("report_id, name", FILES)
def test_figures_as_transcribed(imported, report_id, name):
    report, expect = imported[name].report, BY_ID[report_id]["expect"]
    active = expect.get("active", {})
    blank = {key.removeprefix("active.") for key in BY_ID[report_id].get("printed_blank", [])}
    got = {key: report.tables["active"][tuple(key.split("."))] for key in active}
    # a cell the publication left blank stays blank (None) and is printed as 0 with R13's warning
    assert got == {key: None if key in blank else _value(v) for key, v in active.items()}
    for table_id in ("requests", "reviews"):
        table = report.kind.table(table_id)
        for record, printed in expect.get(table_id, {}).items():
            # "" is a cell printed blank: kept blank (None), printed as 0 with R13's warning
            expected = [None if value == "" else value for value in printed]
            assert [report.tables[table_id][(record, f)] for f in table.fields] == expected, (table_id, record)


@pytest.mark.parametrize("report_id, name", [(i, n) for i, n in FILES if BY_ID[i].get("printed_blank")])
def test_blank_cells_are_zero_with_a_warning_naming_the_row(imported, report_id, name):
    result, entry = imported[name], BY_ID[report_id]
    table = result.report.kind.table("active")
    warned = [f.message for f in result.findings if f.rule == "R13"]
    for key in entry["printed_blank"]:
        _, record, field = key.split(".")
        assert result.report.tables["active"][(record, field)] is None
        assert any(m.startswith(table.record_label(record) + "：") for m in warned), (record, warned)


@pytest.mark.parametrize("report_id, name", FILES)
def test_no_website_text_in_the_narrative(imported, report_id, name):
    report = imported[name].report
    texts = [report.role("preamble") or ""] + [f"{b.title}\n{b.text}" for b in report.blocks]
    assert report.blocks, "the narrative was read"
    for text in texts:
        assert not SITE_WORDS.search(text), text
    # the report's own sections are all there, the last one included
    assert {b.part for b in report.blocks} >= {"一", "五", "六"}


@pytest.mark.parametrize("report_id, name", FILES)
def test_check_passes_where_the_printed_tables_balance(imported, report_id, name):
    errors = sorted((f.rule, f.where) for f in imported[name].findings if f.is_error)
    expected = sorted((e["rule"], e["where"]) for e in BY_ID[report_id].get("check_errors", []))
    assert errors == expected


def test_import_of_the_whole_folder_by_the_cli(runner, tmp_path):
    result = runner.invoke(app, ["import", str(CORPUS), "-o", str(tmp_path), "--json"])
    assert result.exit_code == EXIT_OK, result.output
    written = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*.json")}
    assert len(written) == len(FILES)
    agencies = {json.dumps(d, ensure_ascii=False) for d in written.values()}
    for entry in SOURCES:
        assert sum(entry["expect"]["agency"] in text for text in agencies) >= len(entry["files"])


@pytest.mark.parametrize(
    "lines, agency, year",
    [
        (["宁强县自然资源局关于2021年度政府信息公开情况的报告"], "宁强县自然资源局", 2021),
        (["宁强县自然资源局", "关于2021年度政府信息公开情况的报告"], "宁强县自然资源局", 2021),
        (["建平县卫生健康局", "2020年度政府信息公开工作报告"], "建平县卫生健康局", 2020),
        (["2019年某某区统计局政府信息公开工作年度报告"], "某某区统计局", 2019),
    ],
)
def test_published_title_wordings(lines, agency, year):
    """Titles seen in the corpus: 关于…情况的报告, …年度…工作报告 under the agency's line."""
    from gxreport.inputs.importer.narrative import find_title
    from gxreport.inputs.importer.source import Para

    title = find_title([Para(x, f"p{i}") for i, x in enumerate(lines)], ["政府信息公开工作年度报告"])
    assert title is not None and (title.agency, title.year, title.paras) == (agency, year, len(lines))


def test_a_year_line_alone_names_no_agency():
    from gxreport.inputs.importer.narrative import find_title
    from gxreport.inputs.importer.source import Para

    # 2020年度政府信息公开工作报告 without the agency's line: a title naming no agency (the import then
    # takes the 落款's), not one of an agency called “度”
    title = find_title([Para("2020年度政府信息公开工作报告", "p1")], ["政府信息公开工作年度报告"])
    assert (title.agency, title.year, title.paras) == ("", 2020, 1)
    # with the agency's line above it, the agency is that line
    title = find_title([Para("某某县统计局", "p1"), Para("2020年度政府信息公开工作报告", "p2")], ["政府信息公开工作年度报告"])
    assert (title.agency, title.year, title.paras) == ("某某县统计局", 2020, 2)


def test_kangxi_radicals_of_a_printed_pdf_read_as_ideographs(imported):
    """Chromium's PDF text layer gives ⽂ (U+2F42) for 文 and ⼯ for 工, as many published PDFs do."""
    import pdfplumber

    with pdfplumber.open(CORPUS / "wendeng-sjj-2020.pdf") as pdf:
        raw = pdf.pages[0].extract_text()
    assert "⽂" in raw and "文登" not in raw  # the fixture really has the defect
    report = imported["wendeng-sjj-2020.pdf"].report
    assert report.agency == "威海市文登区审计局"
    assert not re.search("[\u2e80-\u2fdf]", report.part_text("五") + (report.role("preamble") or ""))


def test_importing_a_printed_pdf_says_nothing_in_english(runner, tmp_path):
    result = runner.invoke(app, ["import", str(CORPUS / "wendeng-sjj-2020.pdf"), "-o", str(tmp_path / "a.json")])
    assert result.exit_code == EXIT_OK
    said = result.output.replace(str(tmp_path / "a.json"), "").replace("wendeng-sjj-2020.pdf", "")
    assert "警告" in said and not re.search("[A-Za-z]{3,}", said), said  # pdfminer's "Could not get FontBBox…" lines


@pytest.mark.parametrize(("name", "part", "words"), [("hanyang-qzfb-2022.html", "三", "本年共收到8件"), ("wendeng-sjj-2020.pdf", "四", "2020年，本局依法")])
def test_a_sentence_beside_a_table_is_reported_not_lost(imported, name, part, words):
    """The workbook's narrative has no place under 二–四: the import says what it left out."""
    said = [f for f in imported[name].findings if f.message.startswith(f"第{part}部分表格以外的文字")]
    assert len(said) == 1 and words in said[0].message and not said[0].is_error
    assert all(words not in b.text for b in imported[name].report.blocks)


def test_a_title_without_a_year_takes_the_year_the_text_states(imported):
    result = imported["yuyang-tuofenglu-2020.html"]
    assert (result.report.agency, result.report.year) == ("驼峰路街道办事处", 2020)
    said = [f for f in result.findings if f.message.startswith("标题中没有年度")]
    assert len(said) == 1 and "判断为 2020 年" in said[0].message and "2020年度本街办" in said[0].message
    assert result.report.role_spot("year") == said[0].where  # the paragraph that says it


@pytest.mark.parametrize(
    "lines",
    [["2020年政府信息公开工作年度报告"], ["某局", "2020年政府信息公开工作年度报告"], ["本局政府信息公开工作年度报告的编制情况如下。"]],
)
def test_a_yearless_title_is_only_a_title(lines):
    """No agency called 2020年, a year-bearing title is not read as a yearless one, a sentence is no title."""
    from gxreport.inputs.importer.narrative import find_title
    from gxreport.inputs.importer.source import Para

    title = find_title([Para(x, f"p{i}") for i, x in enumerate(lines)], ["政府信息公开工作年度报告"], yearless=True)
    assert title is None
