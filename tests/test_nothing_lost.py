"""Nothing lost: atomic writes, no overwriting of hand-edited or foreign files, safe names."""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from pathlib import Path

import pytest

from gxreport import fsio
from gxreport.cli import app
from gxreport.errors import EXIT_OK, EXIT_OUTPUT, OutputError
from gxreport.fsio import MANIFEST, MAX_NAME_BYTES, safe_filename, write_output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def built(tmp_path, runner, sample_2021) -> Path:
    out = tmp_path / "out" / "报告.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    return out


def test_manifest_records_what_was_written(built):
    manifest = json.loads((built.parent / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {built.name: digest(built)}


def test_an_untouched_output_is_rebuilt(built, runner, sample_2021):
    result = runner.invoke(app, ["build", str(sample_2021), "-o", str(built)])
    assert result.exit_code == EXIT_OK, result.output


def test_a_hand_edited_docx_is_not_overwritten(built, runner, sample_2021):
    built.write_bytes(built.read_bytes() + b"clerk's edit")
    edited = digest(built)
    result = runner.invoke(app, ["build", str(sample_2021), "-o", str(built)])
    assert result.exit_code == EXIT_OUTPUT
    assert str(built) in result.output and "被修改过" in result.output
    assert str(built.parent / MANIFEST) in result.output and "--force" in result.output
    assert digest(built) == edited
    assert sorted(p.name for p in built.parent.iterdir()) == sorted([built.name, MANIFEST])

    forced = runner.invoke(app, ["build", str(sample_2021), "-o", str(built), "--force"])
    assert forced.exit_code == EXIT_OK, forced.output
    assert digest(built) != edited
    assert json.loads((built.parent / MANIFEST).read_text(encoding="utf-8"))[built.name] == digest(built)


def test_a_file_gxreport_did_not_write_is_kept(tmp_path, runner, sample_2021):
    out = tmp_path / "报告.docx"
    out.write_bytes(b"somebody else's document")
    result = runner.invoke(app, ["build", str(sample_2021), "-o", str(out)])
    assert result.exit_code == EXIT_OUTPUT and "不是 gxreport 生成的" in result.output
    assert out.read_bytes() == b"somebody else's document"


@pytest.mark.parametrize("command", ["init", "export"])
def test_init_and_export_never_overwrite_without_force(command, tmp_path, runner, sample_2021):
    target = tmp_path / ("new.xlsx" if command == "init" else "report.json")
    target.write_bytes(b"precious")
    args = ["init", str(target)] if command == "init" else ["export", str(sample_2021), "-o", str(target)]
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_OUTPUT and str(target) in result.output and "--force" in result.output
    assert target.read_bytes() == b"precious"
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == EXIT_OK, forced.output
    assert target.read_bytes() != b"precious"


@pytest.mark.parametrize(
    "args",
    [
        ["build", "{src}", "-o", "{src}", "--force"],
        ["export", "{src}", "-o", "{src}", "--force"],
        ["init", "{src}", "--from", "{src}", "--force"],
    ],
    ids=["build", "export", "init"],
)
def test_an_input_is_never_an_output_even_with_force(args, tmp_path, runner, sample_2021):
    source = tmp_path / "2021.xlsx"
    source.write_bytes(sample_2021.read_bytes())
    before = digest(source)
    result = runner.invoke(app, [a.format(src=source) for a in args])
    assert result.exit_code == EXIT_OUTPUT and "输出文件就是输入文件" in result.output
    assert digest(source) == before


def test_output_folder_that_is_a_file(tmp_path, runner, sample_2021):
    (tmp_path / "out").write_text("x")
    result = runner.invoke(app, ["build", str(sample_2021), "-o", str(tmp_path / "out" / "r.docx")])
    assert result.exit_code == EXIT_OUTPUT and "无法创建输出目录" in result.output


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "r.docx"
    write_output(target, b"first")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsio.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="无法写入"):
        write_output(target, b"second")
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r.docx", MANIFEST])


@pytest.mark.parametrize(
    "agency",
    [
        "../../etc/passwd",
        "..\\..\\windows\\system32",
        "/absolute/path",
        "C:\\Users\\x",
        '某局:*?"<>|',
        ".hidden",
        "..",
        "CON",
        "nul.txt",
        "com1",
        "LPT9.docx",
        "某局. . ",
        "\x00\x1f\u200b某局",
        "某局\u202excod.exe",
        "𠀀" * 200,
        "🏛️" * 200,
        "A" * 1000,
        "",
    ],
)
def test_safe_filename(agency, tmp_path):
    name = safe_filename(agency, ".docx")
    assert name.endswith(".docx")
    stem = name[: -len(".docx")]
    assert stem and not stem.startswith(".") and not stem.endswith((".", " "))
    assert not set('/\\:*?"<>|') & set(name)
    assert not any(unicodedata.category(c) in ("Cc", "Cs") or c in "\u202a\u202b\u202c\u202d\u202e" for c in name)
    assert stem.split(".")[0].lower() not in {"con", "prn", "aux", "nul", "com1", "lpt9"}
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES and len(name.encode("utf-16-le")) // 2 <= 255
    target = tmp_path / name
    write_output(target, b"x")
    assert target.parent == tmp_path and target.read_bytes() == b"x"


@pytest.mark.parametrize("agency", ["𠀀𠮷𪚥县人民政府", "🏛️某局", "某县（市）行政审批局"])
def test_safe_filename_keeps_rare_characters(agency):
    assert safe_filename(agency, ".docx") == agency + ".docx"


def test_inputs_are_opened_read_only(tmp_path, runner, sample_2021):
    """check/build/export leave the workbook byte for byte and its folder as it was."""
    source = tmp_path / "in" / "2021.xlsx"
    source.parent.mkdir()
    source.write_bytes(sample_2021.read_bytes())
    os.chmod(source, 0o444)
    stat = source.stat()
    for args in (["check", str(source)], ["build", str(source), "-o", str(tmp_path / "o.docx")], ["export", str(source), "-o", str(tmp_path / "o.json")]):
        assert runner.invoke(app, args).exit_code == EXIT_OK
    assert source.stat().st_mtime_ns == stat.st_mtime_ns and digest(source) == digest(sample_2021)
    assert [p.name for p in source.parent.iterdir()] == ["2021.xlsx"]
