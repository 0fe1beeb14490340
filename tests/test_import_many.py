"""`gxreport import` of several files or a folder: each published report becomes a workbook or JSON."""

from __future__ import annotations

import json

from gxreport.api import load_report
from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from tests.test_import import _hand_made_report
from tests.test_import_published import county_page


def _folder(tmp_path):
    folder = tmp_path / "已发布"
    folder.mkdir()
    (folder / "开发区.html").write_text(county_page(signed=True), encoding="utf-8")
    _hand_made_report(folder / "交通局.docx")
    _hand_made_report(folder / "交通局.pdf.docx")
    return folder


def test_a_folder_becomes_workbooks(tmp_path, runner, registry):
    folder = _folder(tmp_path)
    out = tmp_path / "导入"
    result = runner.invoke(app, ["import", str(folder), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == EXIT_OK, result.output
    assert sorted(p.name for p in out.iterdir()) == ["交通局.pdf.xlsx", "交通局.xlsx", "开发区.xlsx"]
    assert load_report(out / "开发区.xlsx", registry).agency == "某某经济开发区管理委员会"
    assert load_report(out / "交通局.xlsx", registry).tables["active"][("licensing", "decisions")] == 1203
    assert f"开发区.html：已导入 {out / '开发区.xlsx'}（某某经济开发区管理委员会 2021 年度，" in result.stdout
    assert "导入 3 份报告：已导入 3，无法读取 0，未写入 0" in result.stdout


def test_several_files_as_json_and_failures_on_their_own(tmp_path, runner):
    folder = _folder(tmp_path)
    broken = folder / "坏.pdf"
    broken.write_bytes(b"not a pdf")
    out = tmp_path / "json"
    out.mkdir()
    (out / "交通局.json").write_text("keep", encoding="utf-8")
    result = runner.invoke(app, ["import", str(folder / "开发区.html"), str(folder / "交通局.docx"), str(broken),
                                 "-o", str(out), "--json"])
    assert result.exit_code == EXIT_FINDINGS
    assert json.loads((out / "开发区.json").read_text(encoding="utf-8"))["agency"] == "某某经济开发区管理委员会"
    assert (out / "交通局.json").read_text(encoding="utf-8") == "keep"  # never overwritten without --force
    assert "交通局.docx：未写入" in result.stdout and "--force" in result.stdout
    assert "坏.pdf：无法读取：坏.pdf: 不是有效的 PDF 文件" in result.stdout
    forced = runner.invoke(app, ["import", str(folder / "交通局.docx"), str(folder / "开发区.html"), "-o", str(out), "--json", "--force"])
    assert forced.exit_code == EXIT_OK and json.loads((out / "交通局.json").read_text(encoding="utf-8"))["agency"] == "某某县交通运输局"


def test_nothing_importable_exits_2(tmp_path, runner):
    empty = tmp_path / "空"
    empty.mkdir()
    (empty / "a.xlsx").write_bytes(b"x")
    result = runner.invoke(app, ["import", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_INPUT
    assert result.stderr == f"错误：{empty}: 文件夹中没有找到已发布的报告（.html、.docx、.pdf）\n"
    single = runner.invoke(app, ["import", str(tmp_path / "x.html")])
    assert single.exit_code == EXIT_INPUT and "-o" in single.stderr
