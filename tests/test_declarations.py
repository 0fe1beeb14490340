"""The kind contract: manifest.toml and tables.toml read by one typed loader, field roles, the rule book.

Every wrong declaration is a template error (exit 4) naming the file and the
key; no code names a field key (a kind whose every key is renamed builds the
same document); the README's rule table and docs/kinds.md agree with the
declarations.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import tomllib
from pathlib import Path

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_OK, EXIT_TEMPLATE
from gxreport.declare.kinds import CHECKS, MANIFEST, ROLES, builtin_templates_dir
from gxreport.declare.rulebook import RULES
from gxreport.declare.spec import DECLARATION

from .conftest import DATA, ROOT
from .docx_read import paragraphs

BUILTIN = builtin_templates_dir()


def copy_kind(tmp_path: Path, name: str = "annual-2021") -> Path:
    folder = tmp_path / "kinds" / name
    shutil.copytree(BUILTIN / name, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def kinds(runner, folder: Path):
    return runner.invoke(app, ["kinds", "--templates", str(folder.parent)])


# (file, old text, new text, key path named, problem named)
MANIFEST_CASES = {
    "id-is-a-number": ("manifest.toml", 'id = "annual"', "id = 5", "'id'", "应为文本，实为整数 5"),
    "year-overflows": ("manifest.toml", "years = [2021, 2100]", "years = [1e400, 2100]", "'years[0]'", "应为整数，实为数字 inf"),
    "year-out-of-range": ("manifest.toml", "years = [2021, 2100]", "years = [2021, 99999]", "'years[1]'", "应在 1990–2100 之间"),
    "years-reversed": ("manifest.toml", "years = [2021, 2100]", "years = [2100, 2021]", "'years'", "起始年度 2100 晚于终止年度 2021"),
    "misspelt-check": ("manifest.toml", 'required_parts = ["一", "五"]', 'requried_parts = ["一", "五"]', "'checks.requried_parts'", "未知的键"),
    "unknown-top-key": ("manifest.toml", 'sample = "data/2021.xlsx"', 'sample = "data/2021.xlsx"\nsampel = "x"', "'sampel'", "未知的键"),
    "bad-regex": ("manifest.toml", "patterns = ['上年结转", "patterns = ['(上年结转", "'checks.narrative_figure[0].patterns[0]'", "正则表达式无效"),
    "regex-without-group": (
        "manifest.toml", r"patterns = ['行政复议[^。；，,\d]{0,8}?(\d+)\s*(?:件|起|宗)']", "patterns = ['行政复议']",
        "'checks.narrative_figure[2].patterns[0]'", "捕获组",
    ),
    "part-level-out-of-range": ("manifest.toml", 'name = "总体情况", base_level = 2', 'name = "总体情况", base_level = 9', "'parts[0].base_level'", "应在 1–4 之间"),
    "oversized-name": ("manifest.toml", 'name = "政府信息公开工作年度报告"', f'name = "{"长" * 5000}"', "'name'", "过长"),
    "unknown-field-type": ("manifest.toml", 'type = "decimal"', 'type = "money"', "'field[5].type'", "应为 text、choice"),
    "role-of-wrong-type": ("manifest.toml", 'role = "year"\nlabel = "报告年度"\ntype = "year"', 'role = "year"\nlabel = "报告年度"\ntype = "text"', "'field[2].type'", "担任 year 的字段类型应为 year"),
    "unknown-role": ("manifest.toml", 'role = "preamble"', 'role = "opening"', "'field[8].role'", "应为 agency、year"),
    "deadline-for-unknown-type": ("manifest.toml", 'government = "03-31" }', 'governmnet = "03-31" }', "'checks.deadline.governmnet'", "不是机关类型的选项"),
    "deadline-not-a-date": ("manifest.toml", 'department = "01-31"', 'department = "31-01"', "'checks.deadline.department'", "不符合写法"),
    "deadline-a-day-not-every-year-has": (
        "manifest.toml", 'government = "03-31"', 'government = "02-29"', "'checks.deadline.government'", "“02-29”不是每年都有的日期",
    ),
    "deadline-a-day-no-year-has": ("manifest.toml", 'department = "01-31"', 'department = "04-31"', "'checks.deadline.department'", "不是每年都有的日期"),
    "item-for-unknown-part": ("manifest.toml", 'part = "一"\nitem = "工作考核', 'part = "九"\nitem = "工作考核', "'checks.required_item[0].part'", "部分“九”未在 parts 中声明"),
    "rollup-type-unknown": ("manifest.toml", '[rollup]\nagency_type = "government"', '[rollup]\nagency_type = "省政府"', "'rollup.agency_type'", "不是机关类型的选项"),
    "tables-outside-folder": ("manifest.toml", 'tables = "tables.toml"', 'tables = "/dev/zero"', "'tables'", "应为同一文件夹中的文件名"),
    "tables-parent": ("manifest.toml", 'tables = "tables.toml"', 'tables = "../tables.toml"', "'tables'", "应为同一文件夹中的文件名"),
    "document-missing": ("manifest.toml", 'document = "document.xml.j2"', 'document = "nope.xml.j2"', "'document'", "不存在"),
}


@pytest.mark.parametrize("case", list(MANIFEST_CASES.values()), ids=list(MANIFEST_CASES))
def test_a_wrong_manifest_value_is_a_template_error_naming_file_and_key(case, runner, tmp_path):
    file, old, new, key, problem = case
    folder = copy_kind(tmp_path)
    edit(folder / file, old, new)
    result = kinds(runner, folder)
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(folder / file) in result.output
    assert key in result.output and problem in result.output, result.output
    assert "Traceback" not in result.output


# Table declarations are read when a command needs the tables (init, check, build).
TABLE_CASES = {
    "huge-rowspan": ('rowspan = 22 }', "rowspan = 100000000 }", "'table[1].rows[5][0].rowspan'", "应在 1–50 之间"),
    "huge-colspan": ('{ text = "第二十条第（一）项", colspan = 4', '{ text = "第二十条第（一）项", colspan = 40', "'table[0].rows[0][0]'", "超出 4 列"),
    "rowspan-past-the-table": ('{ text = "三、本年度办理结果", rowspan = 22 }', '{ text = "三、本年度办理结果", rowspan = 40 }', "'table[1].rows[5][0]'", "rowspan 超出表格的 28 行"),
    "width-is-text": ("widths_mm = [48, 36, 36, 36]", 'widths_mm = [48, "36", 36, 36]', "'table[0].widths_mm[1]'", "应为数字"),
    "width-infinite": ("widths_mm = [48, 36, 36, 36]", "widths_mm = [48, inf, 36, 36]", "'table[0].widths_mm[1]'", "应在 1–500 之间"),
    "unknown-rule": ('id = "R6"', 'id = "R66"', "'rule[3].id'", "应为 R1、R2、R3、R6 之一"),
    "rule-on-a-missing-record": ('lhs = ["new", "carried_in"]', 'lhs = ["new", "carried_inn"]', "'rule R1'", "不存在的 'carried_inn'"),
    "unknown-value-type": ('colspan = 3, type = "decimal" }', 'colspan = 3, type = "float" }', "'table[0].rows[13][1].type'", "应为 int、signed"),
    "unknown-cell-key": ('{ text = "规章" }', '{ txt = "规章" }', "'table[0].rows[2][0].txt'", "未知的键"),
    "cross-year-severity": ('severity = "warning"', 'severity = "notice"', "'cross_year[1].severity'", "应为 error、warning 之一"),
    "rollup-figure-missing-key": ('label = "本年新收"\ntable = "requests"', 'label = "本年新收"\ntabel = "requests"', "'rollup_figure[0].tabel'", "未知的键"),
}


@pytest.mark.parametrize("case", list(TABLE_CASES.values()), ids=list(TABLE_CASES))
def test_a_wrong_table_declaration_is_a_template_error_naming_file_and_key(case, runner, tmp_path):
    old, new, key, problem = case
    folder = copy_kind(tmp_path)
    edit(folder / "tables.toml", old, new)
    out = tmp_path / "a.xlsx"
    started = time.monotonic()
    result = runner.invoke(app, ["init", "--year", "2021", "--templates", str(folder.parent), str(out)])
    assert time.monotonic() - started < 30  # bounded: no grid of 10^8 cells is ever built
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(folder / "tables.toml") in result.output
    assert key in result.output and problem in result.output, result.output
    assert not out.exists()


def test_a_bad_cell_reference_in_checks_names_the_manifest_key(runner, tmp_path):
    folder = copy_kind(tmp_path)
    edit(folder / "manifest.toml", 'fee_refusal_cell = "requests/other.no_fee_payment/total"', 'fee_refusal_cell = "requests/other.no_fee/total"')
    result = runner.invoke(app, ["check", str(DATA / "2021.xlsx"), "--templates", str(folder.parent)])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert f"{folder / 'manifest.toml'}: 清单缺少或错写了字段：'checks.fee_refusal_cell'" in result.output
    assert "requests/other.no_fee/total 不在表格声明中" in result.output


def test_toml_nested_a_hundred_thousand_deep_is_a_message(runner, tmp_path):
    folder = copy_kind(tmp_path)
    manifest = folder / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = kinds(runner, folder)
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(manifest) in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("special", ["fifo", "huge", "symlink-out"])
def test_tables_that_are_no_plain_small_file_in_the_folder_are_refused(special, runner, tmp_path):
    folder = copy_kind(tmp_path)
    target = folder / "tables.toml"
    target.unlink()
    if special == "fifo":
        os.mkfifo(target)  # reading it would block for ever
        problem = "不是普通文件"
    elif special == "huge":
        target.write_bytes(b"# padding\n" * 200_000)
        problem = "过大"
    else:
        target.symlink_to("/etc/passwd")
        problem = "链接到了类型文件夹之外"
    started = time.monotonic()
    result = runner.invoke(app, ["init", "--year", "2021", "--templates", str(folder.parent), str(tmp_path / "a.xlsx")])
    assert time.monotonic() - started < 30
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(folder / "manifest.toml") in result.output or str(target) in result.output
    assert problem in result.output, result.output
    assert "root:" not in result.output


RENAMED = {
    "agency": "jiguan", "agency_type": "leixing", "year": "niandu", "date": "riqi", "fee_notices": "tongzhi",
    "fee_notified": "jine", "fee_collected": "shishou", "carry_over_note": "chayi", "preamble": "daoyu",
    "contact": "lianxi", "full_width": "quanjiao",
}


def renamed_kind(tmp_path: Path) -> Path:
    """annual-2021 with every field key renamed; the roles stay: code must find the fields by role."""
    folder = copy_kind(tmp_path)
    for name in ("manifest.toml", "tables.toml", "document.xml.j2", "fee.xml.j2"):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in RENAMED.items():
            if name.endswith(".j2"):  # the template's variables
                text = re.sub(rf"(?<![\w.]){old}(?!\w)", new, text)
            else:
                text = text.replace(f'key = "{old}"', f'key = "{new}"').replace(f'override_field = "{old}"', f'override_field = "{new}"')
                text = text.replace(f"{{{{ {old} }}}}", f"{{{{ {new} }}}}")  # the title pattern
        path.write_text(text, encoding="utf-8")
    return folder


def test_a_kind_with_every_field_key_renamed_builds_and_checks_the_same(runner, tmp_path):
    folder = renamed_kind(tmp_path)
    data = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    data["fee_notices"], data["fee_collected"] = 2, "150"  # the fee sentence prints the fee fields
    data["date"] = "2022-03-01"  # late for a department: R12 must find the date by its role
    renamed = {RENAMED.get(k, k): v for k, v in data.items()}
    original, translated = tmp_path / "a.json", tmp_path / "b.json"
    original.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    translated.write_text(json.dumps(renamed, ensure_ascii=False), encoding="utf-8")

    checked = [runner.invoke(app, ["check", str(p), *extra]) for p, extra in ((original, []), (translated, ["--templates", str(folder.parent)]))]
    assert [r.exit_code for r in checked] == [EXIT_OK, EXIT_OK], checked[1].output
    lines = [sorted(line.split(": ", 1)[-1] for line in r.output.splitlines() if line.startswith(("错误", "警告"))) for r in checked]
    assert lines[0] == lines[1] and any("晚于法定期限" in line for line in lines[1])

    built = []
    for path, extra in ((original, []), (translated, ["--templates", str(folder.parent)])):
        out = tmp_path / f"{path.stem}.docx"
        result = runner.invoke(app, ["build", str(path), "-o", str(out), *extra])
        assert result.exit_code == EXIT_OK, result.output
        built.append([(p.style, p.text) for p in paragraphs(out)])
    assert built[0] == built[1]
    texts = [text for _, text in built[1]]
    assert "泗阳县行政审批局" in texts and "2022年3月1日" in texts  # signature: agency and date by role
    assert any("共发出收费通知2件" in t for t in texts)

    book = tmp_path / "c.xlsx"
    result = runner.invoke(app, ["init", "--agency", "某局", "--year", "2022", "--templates", str(folder.parent), str(book)])
    assert result.exit_code == EXIT_OK, result.output
    from gxreport.declare.kinds import Registry
    from gxreport.inputs.workbook.reader import read_workbook

    report = read_workbook(book, Registry((folder.parent,)))
    assert report.fields["jiguan"] == "某局" and report.fields["niandu"] == 2022


# --- the rule book against the README and docs/kinds.md ----------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
KINDS_MD = (ROOT / "docs" / "kinds.md").read_text(encoding="utf-8")


def test_readme_rule_table_is_the_rule_book():
    rows = re.findall(r"^\| (R\d+) \| (.+?) \| (错误|警告) \|$", README, flags=re.M)
    assert [(rule.id, rule.statement, rule.severity) for rule in RULES] == rows


def test_every_rule_has_an_evaluator():
    from gxreport.checks.check import EVALUATORS

    # cross-year rules run in crossyear.py; cell rules (R4, R13) also in the readers.
    assert {rule.evaluator for rule in RULES} <= set(EVALUATORS) | {"cross_year"}
    assert set(EVALUATORS) <= {rule.evaluator for rule in RULES}


def _documented_keys(section: str) -> set[str]:
    """The keys a docs/kinds.md table lists in its first column, under ``section``."""
    text = KINDS_MD.split(section, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)`", text, flags=re.M)) | {
        key for cell in re.findall(r"^\| ([^|]+) \|", text, flags=re.M) for key in re.findall(r"`([^`]+)`", cell)
    }


def test_docs_kinds_md_documents_every_declared_key():
    def plain(keys):  # `[[checks.required_item]]` documents required_item
        return {k.strip("[]").removeprefix("checks.") for k in keys}

    assert set(MANIFEST.fields) <= plain(_documented_keys("### 清单（manifest.toml）"))
    assert set(CHECKS.fields) <= plain(_documented_keys("### 检查（[checks]）"))
    assert set(ROLES) <= plain(_documented_keys("### 字段的角色（role）"))
    assert set(DECLARATION.fields) <= plain(_documented_keys("### 表格声明（tables.toml）"))
    assert set(re.findall(r"R\d+", KINDS_MD)) <= {rule.id for rule in RULES}


def test_every_builtin_manifest_declares_the_roles_code_relies_on(registry):
    for kind in registry.all():
        assert kind.role_field("agency") and kind.role_field("year"), kind.label
        raw = tomllib.loads((kind.folder / "manifest.toml").read_text(encoding="utf-8"))
        assert all("role" in f for f in raw["field"] if f["key"] in ROLES or f["key"] == "addressee"), kind.label


def test_no_code_names_a_kind_a_format_or_an_agency_type(registry):
    """Kinds, formats and agency types live in the manifests: no string in the package's code is one."""
    import io
    import tokenize

    declared = set()
    for kind in registry.all():
        declared |= {kind.id, kind.format} | {kind.label}
        for spec in kind.fields:
            declared |= set(spec.choices) | set(spec.choices.values())
    declared.discard("")
    found = []
    for path in sorted((ROOT / "gxreport").rglob("*.py")):
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline) if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
        for before, token, after in zip(tokens, tokens[1:], tokens[2:]):
            if token.type == tokenize.STRING and not token.string.startswith(("f", "rf", "fr", "b")):
                if after.string == ":" or (before.string, after.string) == ("[", "]"):
                    continue  # a dict key or subscript of the code's own ("department" of an office's round)
                try:
                    value = eval(token.string)  # noqa: S307 - a literal from our own source
                except SyntaxError:
                    continue
                if value in declared:
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {value!r}")
    assert found == []
