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

# What the websites around these reports print; never a report's own words.
SITE_WORDS = re.compile(
    r"ICP|网站标识码|公网安备|分享到|字号|字体|当前位置|当前页面|您当前的位置|网站地图|联系我们|主办单位|承办单位|版权所有|"
    r"打印本页|关闭窗口|浏览次数|阅读次数|发布者|无障碍|长者|智能问答|走进|首页|简体版|繁體|索引号|发文日期|来源[:：]"
)


@pytest.fixture(scope="module")
def imported(registry, tmp_path_factory):
    """Every fixture imported once, as `gxreport import` does (report plus reader and checker findings)."""
    out = tmp_path_factory.mktemp("imported")
    return {entry["id"]: import_file(CORPUS / entry["file"], registry, out / f"{entry['id']}.json") for entry in SOURCES}


def test_the_corpus_is_what_its_readme_promises():
    bodies = {e["issuing_body"] for e in SOURCES}
    assert len(SOURCES) >= 9 and len(bodies) >= 8
    for entry in SOURCES:
        assert (CORPUS / entry["file"]).is_file(), entry["file"]
        assert entry["url"].startswith("http") and entry["covered"] and entry["reconstructed"]
        assert entry["expect"]["agency"] == entry["issuing_body"] or entry["issuing_body"].endswith(entry["expect"]["agency"])
    listed = {e["file"] for e in SOURCES}
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".html", ".pdf", ".docx")}
    assert on_disk == listed


@pytest.mark.parametrize("report_id", list(BY_ID))
def test_agency_and_year_as_published(imported, report_id):
    report, expect = imported[report_id].report, BY_ID[report_id]["expect"]
    assert (report.agency, report.year) == (expect["agency"], expect["year"])
    assert report.kind.covers_year(expect["year"])


def _value(number) -> int | Decimal:
    return Decimal(str(number)) if isinstance(number, float) else number


@pytest.mark.parametrize("report_id", list(BY_ID))
def test_figures_as_transcribed(imported, report_id):
    report, expect = imported[report_id].report, BY_ID[report_id]["expect"]
    active = expect.get("active", {})
    blank = {key.removeprefix("active.") for key in BY_ID[report_id].get("printed_blank", [])}
    got = {key: report.tables["active"][tuple(key.split("."))] for key in active}
    # a cell the publication left blank stays blank (None) and is printed as 0 with R13's warning
    assert got == {key: None if key in blank else _value(v) for key, v in active.items()}
    for table_id in ("requests", "reviews"):
        table = report.kind.table(table_id)
        for record, printed in expect.get(table_id, {}).items():
            assert [report.tables[table_id][(record, f)] for f in table.fields] == printed, (table_id, record)


@pytest.mark.parametrize("report_id", [e["id"] for e in SOURCES if e.get("printed_blank")])
def test_blank_cells_are_zero_with_a_warning_naming_the_row(imported, report_id):
    result, entry = imported[report_id], BY_ID[report_id]
    table = result.report.kind.table("active")
    warned = [f.message for f in result.findings if f.rule == "R13"]
    for key in entry["printed_blank"]:
        _, record, field = key.split(".")
        assert result.report.tables["active"][(record, field)] is None
        assert any(m.startswith(table.record_label(record) + "：") for m in warned), (record, warned)


@pytest.mark.parametrize("report_id", list(BY_ID))
def test_no_website_text_in_the_narrative(imported, report_id):
    report = imported[report_id].report
    texts = [report.role("preamble") or ""] + [f"{b.title}\n{b.text}" for b in report.blocks]
    assert report.blocks, "the narrative was read"
    for text in texts:
        assert not SITE_WORDS.search(text), text
    # the report's own sections are all there, the last one included
    assert {b.part for b in report.blocks} >= {"一", "五", "六"}


@pytest.mark.parametrize("report_id", list(BY_ID))
def test_check_passes_where_the_printed_tables_balance(imported, report_id):
    errors = sorted((f.rule, f.where) for f in imported[report_id].findings if f.is_error)
    expected = sorted((e["rule"], e["where"]) for e in BY_ID[report_id].get("check_errors", []))
    assert errors == expected


def test_import_of_the_whole_folder_by_the_cli(runner, tmp_path):
    result = runner.invoke(app, ["import", str(CORPUS), "-o", str(tmp_path), "--json"])
    assert result.exit_code == EXIT_OK, result.output
    for entry in SOURCES:
        data = json.loads((tmp_path / f"{Path(entry['file']).stem}.json").read_text(encoding="utf-8"))
        assert entry["expect"]["agency"] in json.dumps(data, ensure_ascii=False)


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
    from gxreport.importer.narrative import find_title
    from gxreport.importer.source import Para

    title = find_title([Para(x, f"p{i}") for i, x in enumerate(lines)], ["政府信息公开工作年度报告"])
    assert title is not None and (title.agency, title.year, title.paras) == (agency, year, len(lines))


def test_a_year_line_alone_names_no_agency():
    from gxreport.importer.narrative import find_title
    from gxreport.importer.source import Para

    # 2020年度政府信息公开工作报告 without the agency's line: no agency called “度”
    assert find_title([Para("2020年度政府信息公开工作报告", "p1")], ["政府信息公开工作年度报告"]) is None
