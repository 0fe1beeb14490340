"""A new format year is a folder: its declared years supersede the built-in format's, explicitly."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_OK, EXIT_TEMPLATE
from gxreport.declare.kinds import Registry, builtin_templates_dir
from gxreport.inputs.workbook.reader import read_workbook

from .workbook_fill import fill


def format_folder(root: Path, name: str, fmt: str, years: str) -> Path:
    """A copy of annual-2021 declaring another format name and years; nothing else changes."""
    folder = root / name
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('format = "2021"', f'format = "{fmt}"').replace("years = [2021, 2100]", f"years = {years}")
    manifest.write_text(text, encoding="utf-8")
    return folder


def meta_format(book: Path) -> str:
    rows = {r[0].value: r[1].value for r in load_workbook(book)["_meta"].iter_rows(max_col=2)}
    return rows["format"]


def test_a_2025_folder_alone_serves_2025_and_not_2024(runner, tmp_path):
    root = tmp_path / "本单位模板"
    format_folder(root, "annual-2025", "2025", "[2025, 2100]")

    listed = runner.invoke(app, ["kinds", "--templates", str(root)])
    assert listed.exit_code == EXIT_OK, listed.output
    annual = next(line for line in listed.output.splitlines() if line.startswith("annual\t"))
    assert "2025（2025年起）" in annual
    assert f"2021（2021–2024年；2025年起由 2025 格式取代（{root / 'annual-2025'}））" in annual
    assert annual.endswith("样例：data/2021.xlsx、data/2019.xlsx")  # the copy's sample is listed once
    assert "2019（2019–2020年）" in annual

    for year, expected in ((2025, "2025"), (2030, "2025"), (2024, "2021"), (2021, "2021"), (2020, "2019")):
        book = tmp_path / f"{year}.xlsx"
        result = runner.invoke(app, ["init", "--year", str(year), "--templates", str(root), str(book)])
        assert result.exit_code == EXIT_OK, result.output
        assert meta_format(book) == expected, year
        report = read_workbook(book, Registry((root,)))
        assert report.kind.format == expected and report.year == year

    # Without the folder, 2025 is the built-in 2021 format as before.
    book = tmp_path / "builtin-2025.xlsx"
    assert runner.invoke(app, ["init", "--year", "2025", str(book)]).exit_code == EXIT_OK
    assert meta_format(book) == "2021"


def test_a_2021_format_workbook_for_2025_is_sent_to_the_new_format(runner, tmp_path):
    root = tmp_path / "t"
    format_folder(root, "annual-2025", "2025", "[2025, 2100]")
    book = tmp_path / "a.xlsx"
    assert runner.invoke(app, ["init", "--year", "2024", str(book)]).exit_code == EXIT_OK
    fill(book, {"机关名称": "某局", "报告年度": 2025, "成文日期": "2026年1月10日"}, [("五", None, None, "不足。")])
    assert runner.invoke(app, ["check", str(book)]).exit_code == EXIT_OK  # built-in only: 2021 serves 2025
    result = runner.invoke(app, ["check", str(book), "--templates", str(root)])
    assert result.exit_code == EXIT_FINDINGS, result.output
    assert "错误 R7" in result.output and "报告年度 2025 应使用 2025 格式，工作簿是 2021 格式" in result.output


def test_a_range_inside_the_builtin_one_takes_only_its_years(runner, tmp_path):
    root = tmp_path / "t"
    format_folder(root, "annual-trial", "试行", "[2022, 2023]")
    registry = Registry((root,))
    assert [registry.get("annual", year=y).format for y in (2021, 2022, 2023, 2024)] == ["2021", "试行", "试行", "2021"]
    listed = runner.invoke(app, ["kinds", "--templates", str(root)])
    assert "2021（2021年、2024年起；2022–2023年由 试行 格式取代" in listed.output


def test_two_formats_of_one_folder_claiming_the_same_years_are_a_template_error(runner, tmp_path):
    root = tmp_path / "t"
    format_folder(root, "annual-a", "A", "[2025, 2100]")
    format_folder(root, "annual-b", "B", "[2025, 2030]")
    result = runner.invoke(app, ["kinds", "--templates", str(root)])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert "A 与 B 格式适用年度重叠且起始年度相同" in result.output and str(root / "annual-b" / "manifest.toml") in result.output
