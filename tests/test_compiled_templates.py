"""Templates compiled in an earlier run are kept in the user's cache folder (sandbox.CompiledTemplates).

A kept template is used only for the same source, file and sandbox: an edit is
compiled again whatever the file's time says; a template the guard refuses is
refused every time and never kept; a kept template that fails still names its
file and line; a folder that cannot be used, or a damaged entry, only costs
the compilation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError

from gxreport import sandbox
from gxreport.cli import app
from gxreport.compose import narrative
from gxreport.errors import EXIT_TEMPLATE
from gxreport.sandbox import KindLoader, ReportSandbox
from gxreport.usercache import CACHE_ENV

from .conftest import kind_with_template_line


@pytest.fixture()
def compiled(monkeypatch) -> list[str | None]:
    """The file name of every template compiled from now on (None for one from a string)."""
    seen: list[str | None] = []
    real = ReportSandbox.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        seen.append(filename)
        return real(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(ReportSandbox, "compile", counting)
    return seen


def a_later_run(folder: Path, autoescape: bool = True) -> ReportSandbox:
    """A new environment, as the next command would make."""
    return ReportSandbox(loader=KindLoader(folder), autoescape=autoescape, trim_blocks=True, lstrip_blocks=True)


@pytest.fixture()
def folder(tmp_path) -> Path:
    folder = tmp_path / "kind"
    folder.mkdir()
    (folder / "t.j2").write_text("{{ a }}-{{ b|upper }}", encoding="utf-8")
    return folder


def kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("jinja-*")) if cache.exists() else []


def test_a_template_compiled_once_is_not_compiled_by_a_later_run(cache, compiled, folder):
    assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"
    assert a_later_run(folder).get_template("t.j2").render(a=2, b="y") == "2-Y"
    assert compiled == [str(folder / "t.j2")]
    assert len(kept(cache)) == 1


def test_an_edit_is_compiled_again_though_size_and_time_are_unchanged(cache, compiled, folder):
    template = folder / "t.j2"
    before = os.stat(template)
    assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"
    template.write_text("{{ a }}-{{ b|lower }}", encoding="utf-8")
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(template)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert a_later_run(folder).get_template("t.j2").render(a=1, b="X") == "1-x"
    assert len(compiled) == 2


def test_a_template_the_guard_refuses_is_refused_every_time_and_never_kept(cache, compiled, folder):
    (folder / "t.j2").write_text("{{ a.__class__ }}", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(TemplateSyntaxError, match="模板不允许访问内部属性"):
            a_later_run(folder).get_template("t.j2")
    assert len(compiled) == 2
    assert kept(cache) == []


def test_the_title_pattern_is_kept_too_and_compiled_again_when_it_changes(cache, compiled, folder):
    title = "{{ agency }}{{ year }}年|政府信息公开工作年度报告"
    for year in (2021, 2022):
        template = a_later_run(folder, autoescape=False).from_source(title, "manifest.toml title", str(folder))
        assert template.render(agency="某局", year=year) == f"某局{year}年|政府信息公开工作年度报告"
    assert compiled == [None]
    changed = a_later_run(folder, autoescape=False).from_source(title.replace("年|", "年度|"), "manifest.toml title", str(folder))
    assert changed.render(agency="某局", year=2021) == "某局2021年度|政府信息公开工作年度报告"
    assert compiled == [None, None]


def test_the_two_escapings_do_not_share_compiled_code(cache, compiled, folder):
    (folder / "t.j2").write_text("{{ a }}", encoding="utf-8")
    assert a_later_run(folder, autoescape=True).get_template("t.j2").render(a="<b>") == "&lt;b&gt;"
    assert a_later_run(folder, autoescape=False).get_template("t.j2").render(a="<b>") == "<b>"
    assert len(compiled) == 2 and len(kept(cache)) == 2


def test_another_sandbox_does_not_take_the_code_an_older_one_compiled(cache, compiled, folder, monkeypatch):
    a_later_run(folder).get_template("t.j2")
    monkeypatch.setattr(sandbox, "_this_module", lambda: b"the sandbox as edited since")
    assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"
    assert len(compiled) == 2


def test_an_unusable_cache_folder_only_costs_the_compilation(tmp_path, monkeypatch, compiled, folder):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    for name in (blocker, blocker / "cache"):
        monkeypatch.setenv(CACHE_ENV, str(name))
        for _ in range(2):
            assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"
    assert len(compiled) == 4
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_empty_folder_name_turns_the_cache_off(monkeypatch, compiled, folder):
    monkeypatch.setenv(CACHE_ENV, "")
    assert a_later_run(folder).bytecode_cache is None
    for _ in range(2):
        assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"
    assert len(compiled) == 2


@pytest.mark.parametrize("damage", [b"", b"garbage that is neither pickle nor marshal", "truncated"])
def test_a_damaged_entry_is_compiled_again_and_replaced(cache, compiled, folder, damage):
    a_later_run(folder).get_template("t.j2")
    (entry,) = kept(cache)
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2] if damage == "truncated" else damage)
    assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"
    assert entry.read_bytes() == good
    a_later_run(folder).get_template("t.j2")
    assert len(compiled) == 2


def test_a_kept_template_that_fails_still_names_its_file_and_line(cache, compiled, tmp_path, runner, sample_2021):
    kinds, template, line = kind_with_template_line(tmp_path, "<!-- {{ 1 / 0 }} -->")
    outputs = []
    for _ in range(2):
        narrative._shared_environment.cache_clear()  # as a new command would start
        result = runner.invoke(app, ["build", str(sample_2021), "--templates", str(kinds), "-o", str(tmp_path / "x.docx")])
        assert result.exit_code == EXIT_TEMPLATE, result.output
        outputs.append(result.output)
    assert f"{template}:{line}:" in outputs[1] and "division by zero" in outputs[1]
    assert outputs[0] == outputs[1]
    assert compiled.count(str(template)) == 1
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX file type")
def test_a_fifo_in_place_of_an_entry_is_not_waited_for(cache, compiled, folder):
    a_later_run(folder).get_template("t.j2")
    (entry,) = kept(cache)
    entry.unlink()
    os.mkfifo(entry)
    assert a_later_run(folder).get_template("t.j2").render(a=1, b="x") == "1-X"  # would block on open()
    assert len(compiled) == 2


def test_the_cache_never_holds_more_than_its_slots_however_many_templates(cache, folder, monkeypatch):
    monkeypatch.setattr(sandbox, "SLOTS", 4)
    for n in range(12):  # twelve template files, as twelve kind folders or upgrades would leave
        (folder / f"t{n}.j2").write_text(f"{{{{ a }}}}{n}", encoding="utf-8")
        assert a_later_run(folder).get_template(f"t{n}.j2").render(a="x") == f"x{n}"
    assert 1 <= len(kept(cache)) <= 4


def test_a_slot_taken_by_another_template_is_compiled_and_taken_back(cache, compiled, folder, monkeypatch):
    monkeypatch.setattr(sandbox, "SLOTS", 1)
    (folder / "u.j2").write_text("{{ a }}-u", encoding="utf-8")
    for name, expected in (("t.j2", "1-X"), ("u.j2", "1-u"), ("t.j2", "1-X"), ("t.j2", "1-X")):
        assert a_later_run(folder).get_template(name).render(a=1, b="x") == expected
    assert compiled == [str(folder / "t.j2"), str(folder / "u.j2"), str(folder / "t.j2")]
    assert len(kept(cache)) == 1
