"""Many files at once: `gxreport check|build FILES|FOLDERS…` (gxreport/office/batch.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxreport.office.batch import collect_inputs, run_batch
from gxreport.pipeline import Options
from gxreport.cli import app
from tests.workbooks import make_workbook, requests

BROKEN_TABLE = "05.xlsx"
NOT_A_WORKBOOK = "12.xlsx"


def agency(i: int) -> str:
    return f"样例县第{i:02d}局"


@pytest.fixture(scope="module")
def county(tmp_path_factory, registry) -> Path:
    """20 departments' workbooks, 2 of them broken, plus files a folder scan must skip."""
    folder = tmp_path_factory.mktemp("county")
    for i in range(20):
        make_workbook(folder / f"{i:02d}.xlsx", registry, agency(i), values=requests(i + 1, i % 3))
    make_workbook(folder / BROKEN_TABLE, registry, agency(5), values={("requests", "new", "natural_person"): 7})
    (folder / NOT_A_WORKBOOK).write_bytes(b"this is not a workbook")
    (folder / "~$00.xlsx").write_bytes(b"excel lock file")
    (folder / "build").mkdir()
    make_workbook(folder / "build" / "old.xlsx", registry, "不应读取的机关")
    (folder / "notes.txt").write_text("不是报告", encoding="utf-8")
    return folder


def test_folder_means_its_workbooks_not_subfolders_lock_or_other_files(county):
    names = [p.name for p in collect_inputs([county])]
    assert names == [f"{i:02d}.xlsx" for i in range(20)]


def test_build_folder_builds_the_good_lists_the_broken_and_exits_1(county, runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(county), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    built = sorted(p.name for p in out.glob("*.docx"))
    assert len(built) == 18
    assert f"{agency(5)}2021年政府信息公开工作年度报告.docx" not in built
    assert f"{agency(12)}2021年政府信息公开工作年度报告.docx" not in built
    stdout = result.stdout
    # one status line per file, the broken ones with their first error
    assert f"{BROKEN_TABLE}：未通过（1 个错误，0 个警告）首个错误：错误 R1 {BROKEN_TABLE}!表三!D7" in stdout
    assert f"{NOT_A_WORKBOOK}：无法读取：{NOT_A_WORKBOOK}: 不是 .xlsx 工作簿" in stdout
    assert f"00.xlsx：已生成 {out / (agency(0) + '2021年政府信息公开工作年度报告.docx')}" in stdout
    # the closing table: a row per file with agency, counts and output, then the list to fix
    assert "共 20 个文件：生成 18 个，未生成 2 个" in stdout
    rows = {line.split()[0]: line.split() for line in stdout.splitlines() if line.strip().endswith((".docx", "未通过", "无法读取"))}
    assert rows[BROKEN_TABLE][1:] == [agency(5), "1", "0", "未通过"]
    assert rows[NOT_A_WORKBOOK][1:] == ["-", "0", "0", "无法读取"]
    assert rows["03.xlsx"][1:4] == [agency(3), "0", "0"]
    assert rows["03.xlsx"][4].endswith(f"{agency(3)}2021年政府信息公开工作年度报告.docx")
    tail = stdout.split("需要处理的文件：")[1]
    assert BROKEN_TABLE in tail and NOT_A_WORKBOOK in tail and "00.xlsx" not in tail


def test_check_several_files_in_process_order_and_json(county, runner):
    files = [str(county / "01.xlsx"), str(county / BROKEN_TABLE)]
    result = runner.invoke(app, ["check", *files, "--json", "--jobs", "1"])
    assert result.exit_code == 1
    import json

    payload = json.loads(result.stdout)
    assert [Path(p["file"]).name for p in payload] == ["01.xlsx", BROKEN_TABLE]
    assert [p["ok"] for p in payload] == [True, False]
    assert {f["rule"] for f in payload[1]["findings"] if f["severity"] == "error"} == {"R1"}


def test_single_file_messages_unchanged(county, runner):
    result = runner.invoke(app, ["check", str(county / "01.xlsx")])
    assert result.exit_code == 0
    assert result.stdout == "01.xlsx：检查通过，0 个错误，0 个警告\n"


def test_progress_bar_when_forced_goes_to_stderr(county, runner, tmp_path):
    files = [str(county / f"{i:02d}.xlsx") for i in (1, 2, 3)]
    result = runner.invoke(app, ["check", *files, "--progress", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "处理中" in result.stderr and "3/3" in result.stderr
    assert "处理中" not in result.stdout
    assert result.stdout.splitlines()[:3] == [f"{i:02d}.xlsx：检查通过（0 个错误，0 个警告）" for i in (1, 2, 3)]


def test_no_progress_bar_off_terminal(county, runner):
    result = runner.invoke(app, ["check", str(county / "01.xlsx"), str(county / "02.xlsx")])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_same_output_name_reported_not_overwritten(registry, runner, tmp_path):
    make_workbook(tmp_path / "a.xlsx", registry, "重名局", values=requests(1))
    make_workbook(tmp_path / "b.xlsx", registry, "重名局", values=requests(2))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "-o", str(out)])
    assert result.exit_code == 1
    assert [p.name for p in out.glob("*.docx")] == ["重名局2021年政府信息公开工作年度报告.docx"]
    assert "b.xlsx：未写入（0 个错误，0 个警告）：与 a.xlsx 的输出同名" in result.stdout


def test_nothing_readable_exits_2(runner, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"junk")
    (tmp_path / "y.json").write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "x.xlsx：无法读取" in result.stdout and "y.json：无法读取" in result.stdout


def test_empty_folder_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有找到要处理的文件" in result.stderr


def test_batch_output_must_be_a_folder(county, runner, tmp_path):
    result = runner.invoke(app, ["build", str(county / "01.xlsx"), str(county / "02.xlsx"), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert "-o 应为输出文件夹" in result.stderr


def test_workers_return_small_outcomes_in_input_order(county, registry, tmp_path):
    inputs = [county / f"{i:02d}.xlsx" for i in range(5)]
    seen = []
    result = run_batch(inputs, registry, build=True, out_dir=tmp_path, options=Options(jobs=2), on_outcome=seen.append)
    assert [o.path for o in result.outcomes] == inputs
    assert seen == result.outcomes
    assert all(o.files == {} and o.output.is_file() for o in result.outcomes)
    assert [o.agency for o in result.outcomes] == [agency(i) for i in range(5)]


def test_a_batch_records_its_outputs_once_and_keeps_a_hand_edited_one(registry, runner, tmp_path):
    import json

    inputs = [make_workbook(tmp_path / f"{i}.xlsx", registry, agency(i), values=requests(i + 1)) for i in range(3)]
    out = tmp_path / "成稿"
    first = runner.invoke(app, ["build", *map(str, inputs), "-o", str(out), "--jobs", "1"])
    assert first.exit_code == 0, first.output
    built = sorted(p.name for p in out.glob("*.docx"))
    manifest = json.loads((out / ".gxreport-manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest) == built and len(built) == 3

    edited = out / built[1]
    edited.write_bytes(edited.read_bytes() + b"clerk")
    again = runner.invoke(app, ["build", *map(str, inputs), "-o", str(out), "--jobs", "1"])
    assert again.exit_code == 1
    assert "生成后被修改过" in again.output and f"{built[1]}" in again.output
    assert edited.read_bytes().endswith(b"clerk")
    assert json.loads((out / ".gxreport-manifest.json").read_text(encoding="utf-8"))[built[1]] == manifest[built[1]]


def test_the_closing_table_shows_names_as_they_are(registry, runner, tmp_path):
    """Square brackets are Rich markup and :memo: an emoji code: a file or agency so named is shown verbatim."""
    make_workbook(tmp_path / "[draft]甲.xlsx", registry, "甲:memo:局")
    make_workbook(tmp_path / "[bold]乙.xlsx", registry, "[red]乙局[/red]")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    table = result.stdout.split("共 2 个文件")[1]
    rows = [line.split() for line in table.splitlines() if "xlsx" in line]
    assert rows == [["[bold]乙.xlsx", "[red]乙局[/red]", "0", "0", "通过"], ["[draft]甲.xlsx", "甲:memo:局", "0", "0", "通过"]]


def _shown(lines):
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_the_closing_table_is_drawn_as_rich_draws_it():
    """The closing table is laid out directly where nothing folds; Rich draws the rest. Names of every
    length and script, several outputs per row, narrow terminals: the direct lines are Rich's lines."""
    import random

    from gxreport.console import _aligned, _rich_table

    rng = random.Random(9)
    pieces = ["甲", "县", "局", "a", "Z", "0", "１", "（", "）", "-", "_", "·", "😀", "[b]", ":memo:", "é", "e\u0301", "ｱ", " "]

    def name(longest):
        return "".join(rng.choice(pieces) for _ in range(rng.randint(1, longest))).strip() or "甲"

    headers = ("文件", "机关", "错误", "警告", "输出")
    direct = 0
    for _ in range(150):
        rows = []
        for _ in range(rng.randint(0, 6)):
            outputs = "\n".join(f"build/{name(30)}.{suffix}" for suffix in rng.sample(["docx", "html", "pdf"], rng.randint(1, 3)))
            rows.append((name(12) + ".xlsx", name(20), str(rng.randint(0, 120)), str(rng.randint(0, 9)), rng.choice([outputs, "未通过", "无法读取"])))
        title = f"共 {len(rows)} 个文件：生成 {len(rows)} 个，未生成 0 个" + ("很长" * rng.randint(0, 30) if rng.random() < 0.2 else "")
        for width in (rng.randint(20, 80), 200):
            lines = _aligned(title, headers, rows, width)
            if lines is not None:
                direct += 1
                assert _shown(lines) == _shown(_rich_table(title, headers, rows, width))
    assert direct > 100
