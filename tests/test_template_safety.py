"""A kind folder brought with --templates is untrusted: attribute tricks are refused (exit 4)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_OK, EXIT_TEMPLATE
from gxreport.declare.kinds import builtin_templates_dir

from .hostile.workbooks import docx_text

ATTACKS = {
    "mro": "{{ ''.__class__.__mro__ }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__.os }}",
    "joiner-globals": "{{ joiner.__init__.__globals__ }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'] }}",
    "namespace-init": "{{ namespace.__init__ }}",
    "attr-filter": "{{ year|attr('__class__') }}",
    "getitem-dunder": "{{ year['__class__'] }}",
    "concatenated-dunder": "{{ year|attr('_' ~ '_cla' ~ 'ss_' ~ '_') }}",
    "format-attribute": "{{ '{0.__class__}'.format(year) }}",
    "format-method": "{{ '{0}'.format(year) }}",
    "format-map": "{{ '{x}'.format_map({'x': 1}) }}",
    "template-reference": "{{ self._TemplateReference__context }}",
    "unexecuted-branch": "{% if false %}{{ agency.__class__ }}{% endif %}",
    "huge-repeat": "{{ 'a' * 1000000000 }}",
    "huge-power": "{{ 10 ** 100000000 }}",
    "squared-in-a-loop": "{% set ns = namespace(x=10) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
    "huge-range": "{{ range(100000000)|list|length }}",
    "endless-recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "division-by-zero": "{{ 1 / 0 }}",
    "nested-loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "loop-over-a-loop-filter": "{% for i in range(100000)|list %}{% for j in range(100000)|list %}{% endfor %}{% endfor %}",
    "recursive-macro-fan-out": "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "center-filter-width": "{{ 'a'|center(1000000000) }}",
    "center-method-width": "{{ 'a'.center(1000000000) }}",
    "ljust-method-width": "{{ agency.ljust(1000000000) }}",
    "zfill-method-width": "{{ '1'.zfill(1000000000) }}",
    "expandtabs-amplification": "{{ ('\\t' * 100000).expandtabs(100000) }}",
    "format-filter-width": "{{ '%1000000000s'|format(1) }}",
    "format-filter-star-width": "{{ '%*s'|format(1000000000, 1) }}",
    "percent-operator-width": "{{ '%1000000000d' % 1 }}",
    "replace-filter-amplification": "{% set ns = namespace(s='a' * 1000) %}{% for i in range(40) %}{% set ns.s = ns.s|replace('a', 'aa') %}{% endfor %}{{ ns.s|length }}",
    "replace-method-amplification": "{{ ('a' * 100000).replace('a', 'b' * 100000) }}",
    "replace-empty-amplification": "{{ ('a' * 100000)|replace('', 'x' * 100000) }}",
    "concat-doubling": "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "plus-doubling": "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "list-doubling": "{% set ns = namespace(s=[1, 2]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "join-filter-amplification": "{{ range(100000)|join('x' * 100000) }}",
    "join-method-amplification": "{{ ('x' * 100000).join(range(100000)|map('string')) }}",
    "batch-fill": "{{ [1]|batch(1000000000, 0)|list|length }}",
    "slice-count": "{{ [1]|slice(1000000000)|list|length }}",
    "indent-amplification": "{{ ('a\\n' * 50000)|indent(100000) }}",
    "undefined-name": "{{ no_such_field }}",
}


def evil_kind(root: Path, line: str) -> tuple[Path, int]:
    """A copy of the built-in annual kind with ``line`` added just inside <document>; its line number."""
    folder = root / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    template = folder / "document.xml.j2"
    lines = template.read_text(encoding="utf-8").split("\n")
    at = lines.index("<document>") + 1
    template.write_text("\n".join([*lines[:at], f"<!-- {line} -->", *lines[at:]]), encoding="utf-8")
    return folder, at + 1


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_template_tricks_are_refused_with_file_and_line(attack, tmp_path, runner, sample_2021):
    folder, line = evil_kind(tmp_path, attack)
    out = tmp_path / "out" / "报告.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(out)])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert f"{folder / 'document.xml.j2'}:{line}:" in result.output
    plain_errors = (ATTACKS["division-by-zero"], ATTACKS["undefined-name"], ATTACKS["endless-recursion"], ATTACKS["huge-range"])
    assert attack in plain_errors or "模板不允许访问内部属性" in result.output or "模板含有不安全的操作" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not out.parent.exists()


def test_a_flood_of_output_is_refused(tmp_path, runner, sample_2021):
    """Each piece small, the whole too large: the rendering's output is bounded."""
    folder, _ = evil_kind(tmp_path, "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(out)])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(folder / "document.xml.j2") in result.output and "模板输出过长" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("include", "setup", "message"),
    [
        ('{% include "passwd.j2" %}', lambda folder: (folder / "passwd.j2").symlink_to("/etc/passwd"), "链接到了类型文件夹之外"),
        ('{% include "../annual-2021/fee.xml.j2" %}', lambda folder: None, "应为类型文件夹中的文件名"),
        ('{% include "annual-2021/fee.xml.j2" %}', lambda folder: None, "应为类型文件夹中的文件名"),
        ('{% include "/etc/passwd" %}', lambda folder: None, "应为类型文件夹中的文件名"),
        ('{% import "passwd.j2" as p %}', lambda folder: (folder / "passwd.j2").symlink_to("/etc/passwd"), "链接到了类型文件夹之外"),
        ('{% include "fifo.j2" %}', lambda folder: os.mkfifo(folder / "fifo.j2"), "不是普通文件"),
    ],
    ids=["symlink-to-passwd", "parent-folder", "other-kind-folder", "absolute-path", "import-symlink", "fifo"],
)
def test_includes_stay_inside_the_kind_folder(include, setup, message, tmp_path, runner, sample_2021):
    folder = tmp_path / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    setup(folder)
    template = folder / "document.xml.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("<title/>", f"<title/>\n<p>{include}</p>", 1), encoding="utf-8")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(out), "--to", "docx,html"])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(template) in result.output and message in result.output
    assert "root:" not in result.output and not out.exists() and not out.with_suffix(".html").exists()


def test_a_kind_folder_copied_under_another_name_includes_its_own_siblings(tmp_path, runner, sample_2021):
    """Templates name siblings relative to their folder: a copy uses its own fee.xml.j2."""
    folder = tmp_path / "kinds" / "annual-copy"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    (folder / "fee.xml.j2").write_text("<p>本机关自己的收费说明。</p>\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert "本机关自己的收费说明。" in docx_text(out) and "依据《政府信息公开信息处理费管理办法》" not in docx_text(out)


def test_title_pattern_trick_names_the_manifest(tmp_path, runner, sample_2021):
    folder, _ = evil_kind(tmp_path, "")
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('title = "{{ agency }}', 'title = "{{ agency.__class__ }}'), encoding="utf-8")
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert str(manifest) in result.output and "__class__" in result.output


def test_a_plain_custom_template_still_builds(tmp_path, runner, sample_2021):
    """The guard refuses tricks, not templates: loops, filters, arithmetic and small repeats work."""
    folder, _ = evil_kind(tmp_path, "")
    template = folder / "document.xml.j2"
    text = template.read_text(encoding="utf-8")
    extra = "<p>{% for n in range(3) %}{{ n * 2 }}{% endfor %}{{ '—' * 3 }}{{ 2 ** 10 }}{{ agency|length }}{{ '%s年'|format(year) }}</p>"
    template.write_text(text.replace("<title/>", "<title/>\n" + extra, 1), encoding="utf-8")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert "024———10248" in docx_text(out) and "2021年" in docx_text(out)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("document.xml.j2", '<h level="1">总体情况</h>', '<h level="7">总体情况</h>', "的层级应为 1–4"),
        ("tables.toml", '{ text = "第二十条第（一）项", colspan = 4', '{ text = "第二十条第（一）项", colspan = 0', "'table[0].rows[0][0].colspan'：应在 1–50 之间，实为 0"),
    ],
    ids=["heading-level", "zero-colspan"],
)
def test_a_broken_kind_is_a_template_error_not_a_hang_or_a_crash(file, old, new, message, tmp_path, runner, sample_2021):
    folder = tmp_path / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    target = folder / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(folder.parent), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == EXIT_TEMPLATE, result.output
    assert message in result.output and str(target) in result.output
    assert not (tmp_path / "r.docx").exists()
