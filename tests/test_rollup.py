"""Roll-up of many agencies into the county government's workbook (gxreport/office/rollup.py)."""

from __future__ import annotations

import random
import shutil
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gxreport import api
from gxreport.cli import app
from gxreport.office.rollup import OVERVIEW_SHEET, SOURCES_SHEET, rollup_figures
from gxreport.checks.rules import complete
from tests.workbooks import make_workbook

COUNTY = "样例县人民政府"


def varied(seed: int, registry) -> dict:
    """Balanced tables with different numbers in every applicant column, table 二 and table 四."""
    rng = random.Random(seed)
    kind = registry.get("annual", year=2021)
    values = {}
    for field in kind.table("requests").fields[:-1]:
        new, carried_in = rng.randint(0, 9), rng.randint(0, 3)
        disclosed = rng.randint(0, new + carried_in)
        carried_out = rng.randint(0, new + carried_in - disclosed)
        refused = new + carried_in - disclosed - carried_out
        values |= {
            ("requests", "new", field): new,
            ("requests", "carried_in", field): carried_in,
            ("requests", "disclosed", field): disclosed,
            ("requests", "unavailable.not_held", field): refused,
            ("requests", "carried_out", field): carried_out,
        }
    values |= {
        ("active", "rules", "in_force"): rng.randint(0, 5),
        ("active", "licensing", "decisions"): rng.randint(0, 500),
        ("active", "fees", "amount_wan"): Decimal(rng.randint(0, 999)) / 100,
        ("reviews", "review", "upheld"): rng.randint(0, 3),
        ("reviews", "litigation_direct", "corrected"): rng.randint(0, 2),
    }
    return values


@pytest.fixture()
def departments(tmp_path, registry):
    folder = tmp_path / "2021"
    folder.mkdir()
    for i in range(5):
        make_workbook(folder / f"d{i}.xlsx", registry, f"样例县第{i}局", values=varied(i, registry))
    return folder


def test_table_three_is_the_column_sum_and_it_builds(departments, registry, runner, tmp_path):
    target = tmp_path / "汇总.xlsx"
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(target), "--agency", COUNTY])
    assert result.exit_code == 0, result.output
    assert f"已汇总 5 个机关的报告：{target}" in result.stdout

    summed = api.load_report(target, registry)
    assert summed.agency == COUNTY and summed.year == 2021
    assert summed.fields["agency_type"] == "government"
    inputs = [api.load_report(p, registry) for p in sorted(departments.glob("*.xlsx"))]
    for table in summed.kind.tables:
        got = complete(table, summed.tables[table.id])
        for key in table.value_keys:
            assert got[key] == sum(complete(table, r.tables[table.id])[key] for r in inputs), (table.id, key)
    assert complete(summed.kind.table("requests"), summed.tables["requests"])[("new", "total")] > 0

    # The 成文日期 is left for the office to fill (today's date would trip R12 or be forgotten).
    assert summed.role("date") is None
    docx = tmp_path / "汇总.docx"
    refused = runner.invoke(app, ["build", str(target), "-o", str(docx)])
    assert refused.exit_code == 1 and "成文日期未填写" in refused.output and not docx.exists()
    wb = load_workbook(target)
    info = wb["基本信息"]
    info.cell(row=next(c.row for c in info["A"] if c.value == "成文日期"), column=2, value="2022年3月10日")
    wb.save(target)
    built = runner.invoke(app, ["build", str(target), "-o", str(docx)])
    assert built.exit_code == 0, built.output
    assert docx.is_file()


def test_overview_and_sources_trace_every_number(departments, registry, tmp_path):
    from gxreport.office.rollup import rollup

    target = tmp_path / "汇总.xlsx"
    rollup([departments], target, registry, COUNTY, jobs=2)
    wb = load_workbook(target)
    assert wb.sheetnames[:2] == [OVERVIEW_SHEET, SOURCES_SHEET]
    inputs = {p.name: api.load_report(p, registry) for p in sorted(departments.glob("*.xlsx"))}

    overview = wb[OVERVIEW_SHEET]
    headers = [c.value for c in overview[2]]
    labels = [f.label for f in rollup_figures(registry.get("annual", year=2021))]
    assert headers[1:3] == ["机关名称", "文件"] and headers[3 : 3 + len(labels)] == labels
    assert "本年新收" in labels and "行政复议" in labels and "行政许可" in labels
    new_col = headers.index("本年新收") + 1
    rows = {overview.cell(row=r, column=3).value: r for r in range(3, 8)}
    for name, report in inputs.items():
        row = rows[name]
        assert overview.cell(row=row, column=2).value == report.agency
        expected = complete(report.kind.table("requests"), report.tables["requests"])[("new", "total")]
        assert overview.cell(row=row, column=new_col).value == expected
        assert overview.cell(row=row, column=headers.index("检查状态") + 1).value == "通过"
    assert overview.cell(row=8, column=2).value == "合计"

    sources = wb[SOURCES_SHEET]
    files = [c.value for c in sources[3]][4:]
    assert files == list(inputs)
    line = next(r for r in sources.iter_rows(min_row=4, values_only=True) if r[1] == "表三!E7")  # 商业企业 本年新收
    assert line[2] == "本年新收 商业企业"
    per_file = [complete(r.kind.table("requests"), r.tables["requests"])[("new", "commercial")] for r in inputs.values()]
    assert list(line[4:]) == per_file and line[3] == sum(per_file)


def test_year_mix_refused_naming_the_odd_file(departments, registry, runner, tmp_path):
    make_workbook(departments / "old.xlsx", registry, "样例县旧局", year=2022)
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(tmp_path / "s.xlsx"), "--agency", COUNTY])
    assert result.exit_code == 2
    assert "只能汇总同一格式、同一年度的报告（2021 格式、2021 年度），以下文件不符" in result.stderr
    assert "old.xlsx（样例县旧局）：2021 格式、2022 年度" in result.stderr
    assert not (tmp_path / "s.xlsx").exists()


def test_format_mix_refused_naming_the_odd_file(departments, runner, tmp_path):
    """An office's own variant of the format (same tables, another format id) is not summed with the 2021 ones."""
    from gxreport.declare.kinds import Registry, builtin_templates_dir

    variant = tmp_path / "templates" / "annual-variant"
    shutil.copytree(builtin_templates_dir() / "annual-2021", variant)
    manifest = variant / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('format = "2021"', 'format = "2021试行"'), encoding="utf-8")
    registry = Registry((variant.parent,))
    make_workbook(departments / "trial.xlsx", registry, "样例县试点局", fmt="2021试行")
    result = runner.invoke(
        app, ["rollup", str(departments), "-o", str(tmp_path / "s.xlsx"), "--agency", COUNTY, "--templates", str(variant.parent)]
    )
    assert result.exit_code == 2, result.output
    assert "trial.xlsx（样例县试点局）：2021试行 格式、2021 年度" in result.stderr
    assert "d0.xlsx" not in result.stderr


def test_year_option_picks_the_year(departments, registry, runner, tmp_path):
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(tmp_path / "s.xlsx"), "--agency", COUNTY, "--year", "2022"])
    assert result.exit_code == 2
    assert "d0.xlsx（样例县第0局）：2021 格式、2021 年度" in result.stderr


def test_agency_included_twice_refused_naming_both(departments, registry, runner, tmp_path):
    make_workbook(departments / "again.xlsx", registry, "样例县第2局")
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(tmp_path / "s.xlsx"), "--agency", COUNTY])
    assert result.exit_code == 2
    assert "“样例县第2局”：again.xlsx 与 d2.xlsx" in result.stderr


def test_files_with_errors_refused_unless_forced(departments, registry, runner, tmp_path):
    make_workbook(departments / "bad.xlsx", registry, "样例县问题局", values={("requests", "new", "natural_person"): 3})
    target = tmp_path / "s.xlsx"
    refused = runner.invoke(app, ["rollup", str(departments), "-o", str(target), "--agency", COUNTY])
    assert refused.exit_code == 1
    assert "1 个文件有错误，未汇总" in refused.stderr and "bad.xlsx：错误 R1 bad.xlsx!表三!D7" in refused.stderr
    assert not target.exists()

    forced = runner.invoke(app, ["rollup", str(departments), "-o", str(target), "--agency", COUNTY, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "bad.xlsx 有 1 个错误，已按 --force 计入" in forced.stderr
    overview = load_workbook(target)[OVERVIEW_SHEET]
    row = next(r for r in overview.iter_rows(min_row=3, values_only=True) if r[2] == "bad.xlsx")
    headers = [c.value for c in overview[2]]
    assert row[headers.index("检查状态")] == "有错误（已强制计入）"
    assert row[headers.index("错误数")] == 1
    assert row[headers.index("首个错误")].startswith("错误 R1 bad.xlsx!表三!D7")


def test_never_overwrites_without_force(departments, registry, runner, tmp_path):
    target = tmp_path / "s.xlsx"
    target.write_bytes(b"clerk's own file")
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(target), "--agency", COUNTY])
    assert result.exit_code == 3
    assert target.read_bytes() == b"clerk's own file"


def test_unreadable_input_refused(departments, runner, tmp_path):
    (departments / "junk.xlsx").write_bytes(b"junk")
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(tmp_path / "s.xlsx"), "--agency", COUNTY])
    assert result.exit_code == 2
    assert "1 个文件无法读取，未汇总" in result.stderr and "junk.xlsx" in result.stderr


def test_a_roll_up_written_into_the_folder_it_sums_is_never_summed_again(departments, registry, runner):
    target = departments / "汇总.xlsx"
    first = runner.invoke(app, ["rollup", str(departments), "-o", str(target), "--agency", COUNTY])
    assert first.exit_code == 0, first.output
    totals = api.load_report(target, registry).tables["requests"]
    again = runner.invoke(app, ["rollup", str(departments), "-o", str(target), "--agency", COUNTY, "--force"])
    assert again.exit_code == 0, again.output
    assert "已汇总 5 个机关的报告" in again.stdout
    assert api.load_report(target, registry).tables["requests"] == totals


def test_a_roll_up_never_overwrites_one_of_its_inputs(departments, runner):
    source = departments / "d0.xlsx"
    before = source.read_bytes()
    result = runner.invoke(app, ["rollup", str(departments), str(source), "-o", str(source), "--agency", COUNTY, "--force"])
    assert result.exit_code == 3 and "不能覆盖输入" in result.output
    assert source.read_bytes() == before


def test_a_roll_up_named_after_a_file_of_the_folder_is_refused(departments, runner):
    source = departments / "d0.xlsx"
    before = source.read_bytes()
    result = runner.invoke(app, ["rollup", str(departments), "-o", str(source), "--agency", COUNTY, "--force"])
    assert result.exit_code == 3 and "不能覆盖输入" in result.output
    assert source.read_bytes() == before
