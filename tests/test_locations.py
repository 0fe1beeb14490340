"""Locations are data until shown: the terminal's text (``2021.xlsx!表三!D7``, ``2021.json:tables…``,
``document.xml.j2:12``), ``--json``'s parts beside that text, the audit workbook's columns, the web desk's marks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from openpyxl import load_workbook

from gxreport import api
from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_TEMPLATE, Location
from gxreport.declare.kinds import builtin_templates_dir
from gxreport.web.desk import check_upload

from .conftest import DATA, ROOT, kind_with_template_line
from .workbooks import new_workbook, set_cells


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_location_formats_each_kind_of_place():
    assert str(Location("2021.xlsx", "表三", "E9")) == "2021.xlsx!表三!E9"
    assert str(Location("2021.xlsx", "表三")) == "2021.xlsx!表三"
    assert str(Location("2021.json", path="tables.requests.new[0]")) == "2021.json:tables.requests.new[0]"
    assert str(Location("annual-2021/document.xml.j2", line=12)) == "annual-2021/document.xml.j2:12"
    assert str(Location("a.json", line=3, column=7)) == "a.json:3:7"
    assert Location("2021.xlsx", "表三", "E9").as_dict() == {"file": "2021.xlsx", "sheet": "表三", "cell": "E9"}
    assert Location("a.json", line=3, column=7).as_dict() == {"file": "a.json", "line": 3, "column": 7}


# --- a workbook -------------------------------------------------------------------


def test_a_workbook_finding_in_json_and_on_the_terminal(runner, tmp_path):
    workbook = new_workbook(tmp_path / "2021.xlsx")
    set_cells(workbook, "表三", {"D7": 3, "G12": -1})
    text = run(runner, "check", workbook)
    assert text.exit_code == EXIT_FINDINGS
    assert "错误 R4 2021.xlsx!表三!G12: 其他法律行政法规禁止公开 社会公益组织：-1 是负数，件数不能小于 0" in text.stdout.splitlines()
    (payload,) = json.loads(run(runner, "check", workbook, "--json").stdout)
    r4 = next(f for f in payload["findings"] if f["rule"] == "R4")
    assert r4["where"] == "2021.xlsx!表三!G12"
    assert r4["location"] == {"file": "2021.xlsx", "sheet": "表三", "cell": "G12"}
    assert payload["error_location"] is None


def test_a_workbook_that_cannot_be_read_in_json_and_on_the_terminal(runner, tmp_path):
    workbook = new_workbook(tmp_path / "2021.xlsx")
    set_cells(workbook, "表三", {"D5": "个人"})  # a column label the reader needs
    text = run(runner, "check", workbook)
    assert text.exit_code == EXIT_INPUT
    assert text.stderr == "错误：2021.xlsx!表三: 找不到表头“申请人情况 / 自然人”，请勿修改表格标签\n"
    as_json = run(runner, "check", workbook, "--json")
    assert as_json.exit_code == EXIT_INPUT
    (payload,) = json.loads(as_json.stdout)
    assert payload["error"] == "2021.xlsx!表三: 找不到表头“申请人情况 / 自然人”，请勿修改表格标签"
    assert payload["error_location"] == {"file": "2021.xlsx", "sheet": "表三"}


# --- a JSON report ----------------------------------------------------------------


def _json_report(tmp_path: Path, change) -> Path:
    data = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "2021.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_json_finding_names_its_path(runner, tmp_path):
    def negative(data):
        data["tables"]["requests"]["new"][0] = -2

    report = _json_report(tmp_path, negative)
    text = run(runner, "check", report)
    assert text.exit_code == EXIT_FINDINGS
    assert any(line.startswith("错误 R4 2021.json:tables.requests.new[0]: ") for line in text.stdout.splitlines()), text.stdout
    (payload,) = json.loads(run(runner, "check", report, "--json").stdout)
    r4 = next(f for f in payload["findings"] if f["rule"] == "R4")
    assert r4["location"] == {"file": "2021.json", "path": "tables.requests.new[0]"}
    assert r4["where"] == "2021.json:tables.requests.new[0]"


def test_rows_left_out_of_a_json_table_are_one_warning_at_the_tables_path(runner, tmp_path):
    def rows_left_null(data):
        requests = data["tables"]["requests"]
        for record in list(requests)[2:]:  # 本年新收 and 上年结转 given, the rest null
            requests[record] = None

    report = _json_report(tmp_path, rows_left_null)
    (payload,) = json.loads(run(runner, "check", report, "--json").stdout)
    r13 = [f for f in payload["findings"] if f["rule"] == "R13"]
    assert [(f["where"], f["location"]) for f in r13] == [("2021.json:tables.requests", {"file": "2021.json", "path": "tables.requests"})]
    assert r13[0]["message"] == "表三有 22 行整行未填写（予以公开、部分公开、属于国家秘密等），按 0 打印；确实没有发生的事项请填 0"


def test_a_json_syntax_error_names_line_and_column(runner, tmp_path):
    report = tmp_path / "2021.json"
    report.write_text('{\n  "kind": "annual",\n  "year": 2021,,\n}\n', encoding="utf-8")
    text = run(runner, "check", report)
    assert text.exit_code == EXIT_INPUT
    assert text.stderr.startswith("错误：2021.json:3:16: JSON 格式错误：")
    (payload,) = json.loads(run(runner, "check", report, "--json").stdout)
    assert payload["error_location"] == {"file": "2021.json", "line": 3, "column": 16}


def test_a_section_level_of_the_wrong_type_is_an_input_error_at_its_path(runner, tmp_path):
    def text_level(data):
        data["sections"]["一"] = [{"level": "二", "title": "概述", "text": "正文"}]

    report = _json_report(tmp_path, text_level)
    text = run(runner, "check", report)
    assert text.exit_code == EXIT_INPUT
    assert text.stderr == "错误：2021.json:sections.一[0].level: 层级应为 2–4 之间的整数，实为文本\n"
    as_json = run(runner, "check", report, "--json")
    assert as_json.exit_code == EXIT_INPUT
    (payload,) = json.loads(as_json.stdout)
    assert payload["error_location"] == {"file": "2021.json", "path": "sections.一[0].level"}


def test_a_published_report_that_cannot_be_read_names_its_file(runner, tmp_path, registry):
    broken = tmp_path / "坏文件.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    text = run(runner, "import", broken, "-o", tmp_path / "out.xlsx")
    assert text.exit_code == EXIT_INPUT
    assert text.stderr.startswith("错误：坏文件.pdf: 不是有效的 PDF 文件，或文件已损坏")
    (outcome,) = api.import_files([broken], registry, tmp_path / "导入", jobs=1)
    assert outcome.unreadable and outcome.as_dict()["error_location"] == {"file": "坏文件.pdf"}


# --- a template ---------------------------------------------------------------------


def _workbook_with_own_templates(tmp_path: Path, breaking) -> tuple[Path, Path]:
    """A workbook whose _meta names a copy of the annual kind beside it, broken by ``breaking``."""
    folder = tmp_path / "模板" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    breaking(folder)
    workbook = new_workbook(tmp_path / "2021.xlsx")
    wb = load_workbook(workbook)
    wb["_meta"].append(["templates", "模板"])
    wb.save(workbook)
    return workbook, folder


def test_a_declaration_syntax_error_names_its_line_in_json_and_on_the_terminal(runner, tmp_path):
    def bad_line(folder):
        manifest = folder / "manifest.toml"
        lines = manifest.read_text(encoding="utf-8").split("\n")
        manifest.write_text("\n".join([*lines[:5], "id = = 3", *lines[5:]]), encoding="utf-8")

    workbook, folder = _workbook_with_own_templates(tmp_path, bad_line)
    text = run(runner, "check", workbook)
    assert text.exit_code == EXIT_TEMPLATE
    assert text.stderr.startswith(f"错误：{folder / 'manifest.toml'}:6: 清单格式错误：")
    as_json = run(runner, "check", workbook, "--json")
    assert as_json.exit_code == EXIT_INPUT  # in a list of files, an unreadable file (README)
    (payload,) = json.loads(as_json.stdout)
    assert payload["error_location"] == {"file": str(folder / "manifest.toml"), "line": 6}
    assert payload["error"].startswith(f"{folder / 'manifest.toml'}:6: 清单格式错误")


def test_a_cross_year_rule_misdeclared_names_its_file(runner, tmp_path):
    folder = tmp_path / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    tables = folder / "tables.toml"
    tables.write_text(tables.read_text(encoding="utf-8").replace('lhs = ["this.carried_in"]', 'lhs = ["thus.carried_in"]', 1), encoding="utf-8")
    sample = DATA / "2021.xlsx"
    text = run(runner, "check", sample, "--templates", folder.parent, "--previous", sample)
    assert text.exit_code == EXIT_TEMPLATE
    assert text.stderr == f"错误：{tables}: 跨年度规则 R5的操作数 'thus.carried_in' 应写作 this.键 或 last.键\n"
    (payload,) = json.loads(run(runner, "check", sample, "--templates", folder.parent, "--previous", sample, "--json").stdout)
    assert payload["error_location"] == {"file": str(tables)}


def test_a_template_error_names_file_and_line(runner, tmp_path, sample_2021):
    kinds, template, line = kind_with_template_line(tmp_path, "{{ no_such_field }}")
    result = run(runner, "build", sample_2021, "--templates", kinds, "-o", tmp_path / "out.docx")
    assert result.exit_code == EXIT_TEMPLATE
    assert result.stderr.startswith(f"错误：{template}:{line}: 模板错误：")


def test_a_manifest_linked_from_outside_its_folder_is_refused(runner, tmp_path, sample_2021):
    outside = tmp_path / "elsewhere.toml"
    folder = tmp_path / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    (folder / "manifest.toml").rename(outside)
    (folder / "manifest.toml").symlink_to(outside)
    result = run(runner, "check", sample_2021, "--templates", folder.parent)
    assert result.exit_code == EXIT_TEMPLATE
    assert result.stderr == f"错误：{folder / 'manifest.toml'}: 清单文件 manifest.toml 链接到了类型文件夹之外，已拒绝\n"
    # linked inside its own folder, it is the folder's own
    (folder / "manifest.toml").unlink()
    outside.rename(folder / "real.toml")
    (folder / "manifest.toml").symlink_to("real.toml")
    assert run(runner, "check", sample_2021, "--templates", folder.parent).exit_code == 0


# --- the audit workbook and the web desk ---------------------------------------------


def test_the_audit_workbook_has_sheet_and_cell_in_their_own_columns(runner, tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    workbook = new_workbook(folder / "2021.xlsx")
    set_cells(workbook, "表三", {"D7": 3})
    out = tmp_path / "审核.xlsx"
    assert run(runner, "audit", folder, "-o", out).exit_code == EXIT_FINDINGS
    ws = load_workbook(out)["R1"]
    heads = [c.value for c in ws[1]]
    assert heads == ["文件", "机关", "年度", "级别", "工作表", "单元格", "位置", "说明"]
    first = dict(zip(heads, (c.value for c in ws[2])))
    assert (first["工作表"], first["单元格"], first["位置"]) == ("表三", "D7", "2021.xlsx!表三!D7")


def test_the_web_desk_marks_the_failing_cell_and_names_the_clerks_file(tmp_path, registry):
    workbook = new_workbook(tmp_path / "2021.xlsx")
    set_cells(workbook, "表三", {"G12": -1})
    outcome = check_upload(workbook.read_bytes(), "水利局 2021.xlsx", registry)
    r4 = next(f for f in outcome.result["findings"] if f["rule"] == "R4")
    assert (r4["sheet"], r4["cell"], r4["where"]) == ("表三", "G12", "水利局 2021.xlsx!表三!G12")
    (requests,) = [t for t in outcome.result["tables"] if t["sheet"] == "表三"]
    marked = [(c["cell"], c["where"]) for row in requests["rows"] for c in row if c.get("mark") == "error"]
    assert marked == [("G12", "水利局 2021.xlsx!表三!G12")]  # the server's name for the upload is never shown


def test_no_code_takes_a_formatted_location_apart():
    """Locations are parts until shown: nothing splits a ``file!sheet!cell`` text back into them."""
    splits = re.compile(r"""r?split\(\s*["']!["']""")
    code = [p for folder in ("gxreport", "benchmarks", "scripts") for p in (ROOT / folder).rglob("*.py")]
    offenders = [str(p.relative_to(ROOT)) for p in code if splits.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
