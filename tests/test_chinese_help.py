"""The command line's help and usage errors in Chinese, headings included, through typer's public API."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import gxreport
from gxreport.cli import app

COMMANDS = ["init", "check", "build", "rollup", "export", "import", "kinds", "serve"]
ENGLISH = re.compile(r"Usage:|Options:|Arguments:|Commands:|\[default|\[required|\[OPTIONS\]|COMMAND \[ARGS\]")


def help_text(runner, *args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], prog_name="gxreport")
    assert result.exit_code == 0, result.output
    return result.output


def test_the_main_help_is_chinese(runner):
    text = help_text(runner)
    assert text.startswith("用法：gxreport [选项] 命令 [参数]...")
    assert "\n选项：\n" in text and "\n命令：\n" in text and "显示帮助并退出" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_is_chinese(runner, command):
    text = help_text(runner, command)
    assert text.startswith(f"用法：gxreport {command} [选项]")
    assert "\n选项：\n" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_defaults_and_required_notes_are_chinese(runner):
    build = help_text(runner, "build")
    assert "\n参数：\n" in build
    assert "［默认：docx］" in build and "［必填］" in build
    assert "［默认：docx］" in " ".join(build.split())  # the note stays one piece when wrapped


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "x.xlsx", "--jobs", "0"], "参数 --jobs/-j 的值无效（应为整数，不小于 1）"),
        (["build", "x.xlsx", "-o"], "选项 -o 用法有误"),
        (["frob"], "没有这个命令：'frob'"),
    ],
)
def test_usage_errors_are_built_from_data_not_english_text(runner, args, message):
    result = runner.invoke(app, args, prog_name="gxreport")
    assert result.exit_code == 2
    assert result.output.startswith("用法错误：" + message)
    assert not re.search(r"[A-Z][a-z]+ [a-z]+ [a-z]+", result.output.split("运行")[0])  # no English sentence


def test_no_private_module_of_another_package_is_imported():
    package = Path(gxreport.__file__).resolve().parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                private = [part for part in name.split(".")[1:] if part.startswith("_")]
                assert name.startswith("gxreport") or not private, f"{path.name} imports {name}"
