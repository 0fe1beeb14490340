"""The entry point answers help, `check FILE…` and `build FILE…` without typer, exactly as typer would.

Each request is made twice: through ``start.main`` with the command line module made
unimportable (so the quick path cannot lean on typer), and through typer's CliRunner.
Output, messages, exit codes and written files must be the same.

The shipped help pages are typer's own: ``GXREPORT_UPDATE_GOLDEN=1 pytest
tests/test_quick_start.py`` renders them again after the CLI's help changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gxreport import start
from gxreport.cli import app

from .conftest import DATA
from .workbooks import set_cells

UPDATE = os.environ.get("GXREPORT_UPDATE_GOLDEN") == "1"
PAGES = Path(start.HELP_PAGES)
SAMPLE = DATA / "2021.xlsx"
COMMANDS = [command.name for command in app.registered_commands]


def typer_says(args: list[str]):
    result = CliRunner().invoke(app, args, prog_name="gxreport")
    return result.stdout, result.stderr, result.exit_code


def typer_help(args: list[str], columns: int = start.RENDERED_COLUMNS) -> str:
    """The help typer prints on a terminal ``columns`` wide (CliRunner fixes its own width, so a process)."""
    env = {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run([sys.executable, "-m", "gxreport.cli", *args], env=env, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout


def quick_says(args: list[str], monkeypatch, capsys, columns: int = start.RENDERED_COLUMNS):
    """``gxreport ARGS`` through the entry point, with typer's command line out of reach."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(sys, "argv", ["gxreport", *args])
    monkeypatch.setitem(sys.modules, "gxreport.cli", None)  # importing it now raises ImportError
    capsys.readouterr()
    try:
        start.main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return out, err, code


@pytest.mark.parametrize("name", ["gxreport", *COMMANDS])
def test_the_shipped_help_pages_are_what_typer_prints(name):
    out = typer_help(["--help"] if name == "gxreport" else [name, "--help"])
    page = PAGES / f"{name}.txt"
    if UPDATE and (not page.exists() or page.read_text(encoding="utf-8") != out):
        page.write_text(out, encoding="utf-8")
    assert page.read_text(encoding="utf-8") == out, f"{name}: the help changed; rerun with GXREPORT_UPDATE_GOLDEN=1"


def test_a_page_is_shipped_for_every_command_and_no_other():
    assert sorted(p.stem for p in PAGES.glob("*.txt")) == sorted(["gxreport", *COMMANDS])


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["check", "--help"], ["build", "-h"], ["serve", "--help"]])
def test_help_is_answered_without_typer(args, monkeypatch, capsys):
    out, err, code = quick_says(args, monkeypatch, capsys)
    assert (out, err, code) == (typer_help(args), "", 0)
    assert out.startswith("用法：gxreport") and "选项：" in out


@pytest.mark.parametrize("args, page", [(["--help"], "gxreport"), (["check", "-h"], "check")])
def test_a_narrow_terminal_gets_typer_s_narrower_page(args, page, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "60")
    assert start.help_page(args) is None
    monkeypatch.setattr(sys, "argv", ["gxreport", *args])
    with pytest.raises(SystemExit) as exit_:
        start.main()
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and out == typer_help(args, columns=60)
    # wrapped to the terminal, unlike the shipped page
    assert max(map(len, out.splitlines())) <= 58 < max(map(len, (PAGES / f"{page}.txt").read_text(encoding="utf-8").splitlines()))


@pytest.mark.parametrize("argv", [
    ["check", "--json", "a.xlsx"], ["check", "a.xlsx", "--format", "2019"], ["check"], ["build", "-o", "x.docx", "a.xlsx"],
    ["build", "~/a.xlsx"], ["check", "*.xlsx"], ["check", "%USERPROFILE%\\a.xlsx"], ["check", ""], ["check", "-"],
    ["check", "名" * 90 + ".xlsx"], ["init", "a.xlsx"], ["kinds"], ["nosuch", "--help"], ["--help", "check"], [],
])
def test_anything_typer_would_change_or_refuse_goes_to_typer(argv):
    quick = argv[:1] and argv[0] in start.QUICK_COMMANDS and start.plain_paths(argv[1:])
    assert not quick and start.help_page(argv) is None


def _same_in_two_folders(args, tmp_path, monkeypatch, capsys):
    """Run ``args`` quick in one folder and through typer in another; both folders hold the inputs."""
    results = {}
    for how in ("quick", "typer"):
        folder = tmp_path / how
        folder.mkdir()
        shutil.copy(SAMPLE, folder / "2021.xlsx")
        (folder / "坏.xlsx").write_bytes(b"not a workbook")
        monkeypatch.chdir(folder)
        results[how] = quick_says(args, monkeypatch, capsys) if how == "quick" else typer_says(args)
    return results["quick"], results["typer"]


@pytest.mark.parametrize("args, code", [
    (["check", "2021.xlsx"], 0),
    (["check", "坏.xlsx"], 2),
    (["check", "缺少.xlsx"], 2),
    (["check", "2021.xlsx", "坏.xlsx"], 1),
    (["build", "2021.xlsx"], 0),
    (["build", "坏.xlsx"], 2),
])
def test_check_and_build_with_file_names_only_run_without_typer(args, code, tmp_path, monkeypatch, capsys):
    quick, by_typer = _same_in_two_folders(args, tmp_path, monkeypatch, capsys)
    assert quick == by_typer
    assert quick[2] == code
    written = {how: sorted(p.relative_to(tmp_path / how) for p in (tmp_path / how).rglob("*.docx")) for how in ("quick", "typer")}
    assert written["quick"] == written["typer"]
    if args == ["build", "2021.xlsx"]:
        assert len(written["quick"]) == 1 and f"已生成：{written['quick'][0]}" in quick[0]


def test_a_workbook_with_errors_is_refused_alike(tmp_path, monkeypatch, capsys):
    results = {}
    for how in ("quick", "typer"):
        folder = tmp_path / how
        folder.mkdir()
        shutil.copy(SAMPLE, folder / "失衡.xlsx")
        set_cells(folder / "失衡.xlsx", "表三", {"D7": 3, "D9": 2})  # the totals no longer balance
        monkeypatch.chdir(folder)
        args = ["build", "失衡.xlsx"]
        results[how] = quick_says(args, monkeypatch, capsys) if how == "quick" else typer_says(args)
    assert results["quick"] == results["typer"]
    out, err, code = results["quick"]
    assert code == 1 and "未生成文档" in err and "表三!" in err
    assert not list(tmp_path.rglob("*.docx"))


def test_a_command_without_a_console_still_runs_and_exits_with_its_code(monkeypatch, tmp_path):
    """pythonw on Windows (the desk's launcher) or a closed descriptor: sys.stdout and sys.stderr are None."""
    from gxreport import commands

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert commands.check([SAMPLE]) == 0
    assert commands.check([tmp_path / "缺少.xlsx"]) == 2
    monkeypatch.chdir(tmp_path)
    assert commands.build([SAMPLE]) == 0 and len(list((tmp_path / "build").glob("*.docx"))) == 1
