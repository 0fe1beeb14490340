"""``check --json``: every outcome in the one JSON shape, failures before any file is read included.

One file or many, a file that does not exist, folders with no report, a templates folder that
does not load, last year's report missing, a bug: stdout is the same list of outcomes (one per
input), stderr stays empty, and the exit code is the one the command gives without ``--json``.
Click's own usage errors (an unknown option, ``--jobs 0``, a name longer than the system takes)
are answered by Click before the command runs: text on stderr, exit 2.
"""

from __future__ import annotations

import json
import shutil

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_TEMPLATE

# The keys of an outcome, as a file that was read and checked gives them.
SHAPE = ["file", "agency", "year", "ok", "errors", "warnings", "error", "error_location", "findings", "outputs"]


def outcomes(result) -> list[dict]:
    assert result.stderr == ""
    found = json.loads(result.stdout)
    assert isinstance(found, list) and all(list(o) == SHAPE for o in found)
    return found


@pytest.fixture()
def broken_templates(tmp_path):
    """A templates folder whose kind's manifest lacks its name: exit 4, naming the manifest."""
    folder = tmp_path / "模板" / "annual-x"
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text('id = "annual-x"\n', encoding="utf-8")
    return tmp_path / "模板"


def test_a_file_read_and_checked_has_the_shape(runner, sample_2021):
    result = runner.invoke(app, ["check", "--json", str(sample_2021)])
    assert result.exit_code == EXIT_OK
    [outcome] = outcomes(result)
    assert outcome["ok"] and outcome["error"] == "" and outcome["error_location"] is None


def test_a_missing_file_is_an_outcome(runner, tmp_path, sample_2021):
    result = runner.invoke(app, ["check", "--json", str(sample_2021), str(tmp_path / "无.xlsx")])
    assert result.exit_code == EXIT_FINDINGS  # one read, one not: as without --json
    read, missing = outcomes(result)
    assert read["ok"] and not missing["ok"]
    assert missing["error"] == "无.xlsx: 文件不存在" and missing["error_location"] == {"file": "无.xlsx"}


def test_folders_without_a_report_each_say_so(runner, tmp_path):
    first, second = tmp_path / "甲", tmp_path / "乙"
    first.mkdir(), second.mkdir()
    (first / "说明.txt").write_text("不是报告", encoding="utf-8")
    result = runner.invoke(app, ["check", "--json", str(first), str(second)])
    assert result.exit_code == EXIT_INPUT
    assert [(o["file"], o["ok"], o["error_location"]) for o in outcomes(result)] == [
        (str(first), False, {"file": str(first)}), (str(second), False, {"file": str(second)}),
    ]
    assert outcomes(result)[1]["error"] == f"{second}: 文件夹中没有找到要处理的文件（应有 .xlsx 工作簿或 .json 报告）"
    plain = runner.invoke(app, ["check", str(first), str(second)])
    assert plain.exit_code == EXIT_INPUT and plain.stdout == ""
    assert plain.stderr == f"错误：{first}: 文件夹中没有找到要处理的文件（应有 .xlsx 工作簿或 .json 报告）；另外 1 个文件夹中也没有\n"


def test_a_templates_folder_that_does_not_load_is_said_of_every_input(runner, tmp_path, sample_2021, broken_templates):
    folder = tmp_path / "各局"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(sample_2021, folder / name)
    result = runner.invoke(app, ["check", "--json", "--templates", str(broken_templates), str(folder)])
    assert result.exit_code == EXIT_TEMPLATE
    found = outcomes(result)
    manifest = str(broken_templates / "annual-x" / "manifest.toml")
    assert [o["file"] for o in found] == [str(folder / "a.xlsx"), str(folder / "b.xlsx")]  # the folder's files
    assert all(not o["ok"] and o["error_location"]["file"] == manifest and o["error"].startswith(manifest + ":") for o in found)
    plain = runner.invoke(app, ["check", "--templates", str(broken_templates), str(folder)])
    assert plain.exit_code == EXIT_TEMPLATE and plain.stderr.startswith(f"错误：{manifest}")


def test_a_templates_folder_that_does_not_exist(runner, tmp_path, sample_2021):
    result = runner.invoke(app, ["check", "--json", "--templates", str(tmp_path / "无"), str(sample_2021)])
    assert result.exit_code == EXIT_INPUT
    [outcome] = outcomes(result)
    assert outcome["error_location"] == {"file": str(tmp_path / "无")} and outcome["error"].endswith("模板目录不存在")


def test_last_years_report_missing(runner, tmp_path, sample_2021):
    result = runner.invoke(app, ["check", "--json", str(sample_2021), "--previous", str(tmp_path / "2020.xlsx")])
    assert result.exit_code == EXIT_INPUT
    [outcome] = outcomes(result)
    assert outcome["error"] == "2020.xlsx: 上年报告不存在或无法读取" and outcome["error_location"] == {"file": "2020.xlsx"}


def test_a_bug_before_any_file_is_read_is_json_too(runner, sample_2021, monkeypatch):
    from gxreport.office import batch

    def broken(*args, **kwargs):
        raise RuntimeError("坏了")

    monkeypatch.setattr(batch, "run_batch", broken)
    result = runner.invoke(app, ["check", "--json", str(sample_2021)])
    assert result.exit_code == EXIT_INTERNAL
    [outcome] = outcomes(result)
    assert outcome["error"].startswith("gxreport 内部错误（RuntimeError：坏了）") and outcome["error_location"] is None
    plain = runner.invoke(app, ["check", str(sample_2021), str(sample_2021)])  # two names: the batch
    assert plain.exit_code == EXIT_INTERNAL and plain.stderr.startswith("gxreport 内部错误（RuntimeError：坏了）")


@pytest.mark.parametrize("args", [["--bogus"], ["--jobs", "0"], ["x" * 300 + ".xlsx"]])
def test_clicks_own_usage_errors_stay_clicks(runner, sample_2021, args):
    result = runner.invoke(app, ["check", "--json", str(sample_2021), *args])
    assert result.exit_code == EXIT_INPUT and result.stdout == "" and result.stderr.startswith("用法错误")
