"""Parsed declarations kept between runs (gxreport/declare/parse_cache.py).

An entry stands for the exact bytes of a file: an edit is always parsed again,
whatever the file's size and time say; the schema runs on a cached value as on
a parsed one, so a wrong declaration is still exit 4 naming file and key; a
cache folder that cannot be used, or a damaged entry, only costs the parse.
"""

from __future__ import annotations

import os
import shutil
import stat
import tomllib
from pathlib import Path

import pytest

from gxreport.cli import app
from gxreport.declare import parse_cache
from gxreport.usercache import CACHE_ENV
from gxreport.declare.declaration import read_toml
from gxreport.declare.kinds import builtin_templates_dir
from gxreport.errors import EXIT_TEMPLATE

from .conftest import DATA

MANIFEST = builtin_templates_dir() / "annual-2021" / "manifest.toml"


@pytest.fixture()
def parses(monkeypatch) -> list[str]:
    """Every text tomllib parses from now on."""
    seen: list[str] = []
    real = tomllib.loads

    def counting(text, **kwargs):
        seen.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(tomllib, "loads", counting)
    return seen


def test_a_declaration_read_again_is_not_parsed_again(cache, parses):
    first = read_toml(MANIFEST, "清单")
    assert len(parses) == 1
    assert len(list(cache.iterdir())) == 1
    again = read_toml(MANIFEST, "清单")
    assert len(parses) == 1
    assert again == first == tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    assert again["id"] == "annual" and again["years"] == [2021, 2100]


def test_an_edit_is_parsed_again_though_size_and_time_are_unchanged(cache, parses, tmp_path):
    path = tmp_path / "manifest.toml"
    shutil.copyfile(MANIFEST, path)
    before = os.stat(path)
    assert read_toml(path, "清单")["name"] == "政府信息公开工作年度报告"
    text = path.read_text(encoding="utf-8").replace('name = "政府信息公开工作年度报告"', 'name = "政府信息公开工作年度总结"', 1)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert read_toml(path, "清单")["name"] == "政府信息公开工作年度总结"
    assert len(parses) == 2


def copy_kind(tmp_path: Path) -> Path:
    folder = tmp_path / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    return folder


@pytest.mark.parametrize(
    "file, old, new, key, problem",
    [
        ("manifest.toml", 'required_parts = ["一", "五"]', 'requried_parts = ["一", "五"]', "'checks.requried_parts'", "未知的键"),
        ("tables.toml", 'severity = "warning"', 'severity = "notice"', "'cross_year[1].severity'", "应为 error、warning 之一"),
    ],
)
def test_a_wrong_declaration_read_from_the_cache_is_still_exit_4_naming_file_and_key(cache, parses, runner, tmp_path, file, old, new, key, problem):
    folder = copy_kind(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    args = ["check", str(DATA / "2021.xlsx"), "--templates", str(folder.parent)]
    outputs = []
    for _ in range(2):
        result = runner.invoke(app, args)
        assert result.exit_code == EXIT_TEMPLATE, result.output
        outputs.append(result.output)
    assert str(path) in outputs[1] and key in outputs[1] and problem in outputs[1], outputs[1]
    assert outputs[0] == outputs[1]
    edited = path.read_text(encoding="utf-8")
    assert sum(text == edited for text in parses) == 1  # the second run took it from the cache


def test_an_unusable_cache_folder_only_costs_the_parse(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    for folder in (blocker, blocker / "cache"):
        monkeypatch.setenv(CACHE_ENV, str(folder))
        assert read_toml(MANIFEST, "清单")["id"] == "annual"
        assert read_toml(MANIFEST, "清单")["id"] == "annual"
    assert len(parses) == 4
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("damage", [b"", b"\x00" * 3, b"garbage that is not marshal data", "truncated"])
def test_a_damaged_entry_is_ignored_and_written_again(cache, parses, damage):
    read_toml(MANIFEST, "清单")
    (entry,) = cache.iterdir()
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2] if damage == "truncated" else damage)
    assert read_toml(MANIFEST, "清单") == tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    assert len(parses) == 3
    assert entry.read_bytes() == good
    read_toml(MANIFEST, "清单")
    assert len(parses) == 3


def test_an_entry_written_by_another_version_is_not_used(cache, parses, monkeypatch):
    read_toml(MANIFEST, "清单")
    monkeypatch.setattr(parse_cache, "_STAMP", ("gxreport-parsed-toml", "0.0.0-other", (3, 99), 4))
    read_toml(MANIFEST, "清单")
    assert len(parses) == 2


def test_an_empty_folder_name_turns_the_cache_off(tmp_path, monkeypatch, parses):
    monkeypatch.setenv(CACHE_ENV, "")
    monkeypatch.chdir(tmp_path)
    read_toml(MANIFEST, "清单")
    read_toml(MANIFEST, "清单")
    assert len(parses) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_value_marshal_cannot_keep_is_parsed_every_time(cache, parses, tmp_path):
    path = tmp_path / "dated.toml"
    path.write_text("day = 2021-01-31\n", encoding="utf-8")
    for _ in range(2):
        assert str(read_toml(path, "清单")["day"]) == "2021-01-31"
    assert len(parses) == 2
    assert not cache.exists() or list(cache.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX file type")
def test_a_fifo_in_place_of_an_entry_is_neither_waited_for_nor_replaced(cache, parses):
    data = MANIFEST.read_bytes()
    entry = parse_cache._entry(data)
    cache.mkdir()
    os.mkfifo(entry)
    assert read_toml(MANIFEST, "清单")["id"] == "annual"  # would block on open() if the FIFO were read
    assert len(parses) == 1
    assert stat.S_ISFIFO(os.lstat(entry).st_mode)  # a special file is refused, not written over
