"""Values no system accepts end in a Chinese usage message (exit 2), never exit 9; names
with terminal escape codes are echoed, never obeyed."""

from __future__ import annotations

import json
import shutil

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

from .conftest import DATA

LONG = "长" * 86  # 258 bytes in UTF-8: one byte over what every file system takes per name


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{tmp}/" + LONG + ".xlsx"],
        ["check", "{tmp}/" + LONG + "/2021.xlsx"],
        ["build", "{sample}", "-o", "{tmp}/" + LONG + ".docx"],
        ["build", "{sample}", "-o", "{tmp}/" + LONG + "/r.docx"],
        ["build", "{sample}", "--previous", "{tmp}/" + LONG + ".json"],
        ["export", "{sample}", "-o", "{tmp}/" + LONG + ".json"],
        ["rollup", "{sample}", "-o", "{tmp}/" + LONG + ".xlsx", "--agency", "某县人民政府"],
        ["check", "{sample}", "--templates", "{tmp}/" + LONG],
        ["init", "{tmp}/" + LONG + ".xlsx"],
        ["import", "{tmp}/" + LONG + ".docx", "-o", "{tmp}/x.xlsx"],
    ],
    ids=["check", "check-folder", "build-o", "build-o-folder", "previous", "export", "rollup", "templates", "init", "import"],
)
def test_a_name_over_255_bytes_is_a_usage_error(args, runner, tmp_path):
    result = runner.invoke(app, [a.format(tmp=tmp_path, sample=DATA / "2021.xlsx") for a in args])
    assert result.exit_code == EXIT_INPUT, result.output
    assert "超过 255 字节的名称" in result.output and "内部错误" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_path_longer_than_the_system_takes_is_an_input_error(runner, tmp_path):
    """Every name under 255 bytes but the whole path over PATH_MAX: the system's refusal becomes exit 2."""
    deep = tmp_path.joinpath(*["x" * 200] * 25, "2021.xlsx")
    for args in (["check", str(deep)], ["build", str(DATA / "2021.xlsx"), "-o", str(deep.with_suffix(".docx"))]):
        result = runner.invoke(app, args)
        assert result.exit_code == EXIT_INPUT, result.output
        assert "路径或其中的名称过长" in result.output and "内部错误" not in result.output


@pytest.mark.parametrize("agency", ["某局\x1b[31m", "某局\n第二行", "某局\x00", "\x7f某局", "某局\x85"])
@pytest.mark.parametrize("command", ["init", "rollup"])
def test_control_characters_in_a_text_option_are_a_usage_error(command, agency, runner, tmp_path):
    target = tmp_path / "r.xlsx"
    args = ["init", str(target), "--agency", agency] if command == "init" else ["rollup", str(DATA / "2021.xlsx"), "-o", str(target), "--agency", agency]
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_INPUT
    assert "--agency 的值含有不可见的控制字符" in result.output
    assert not target.exists()


def test_a_file_name_with_escape_codes_is_echoed_escaped(runner, tmp_path):
    name = "报告\x1b]0;pwned\x07\x1b[2J.json"
    shutil.copy(DATA / "2021.json", tmp_path / name)
    for args in (["check", str(tmp_path / name)], ["check", str(tmp_path)], ["build", str(tmp_path), "-o", str(tmp_path / "out")]):
        result = runner.invoke(app, args)
        assert result.exit_code in (EXIT_OK, EXIT_FINDINGS), result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "报告\\x1b]0;pwned\\x07\\x1b[2J.json" in result.output


def test_json_output_escapes_what_json_leaves_raw(runner, tmp_path):
    name = "报告\u202e\x85.json"
    shutil.copy(DATA / "2021.json", tmp_path / name)
    result = runner.invoke(app, ["check", str(tmp_path / name), "--json"])
    assert "\u202e" not in result.output and "\x85" not in result.output
    assert json.loads(result.output)[0]["file"] == str(tmp_path / name)
