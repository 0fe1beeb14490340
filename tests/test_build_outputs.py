"""`gxreport build --to docx,pdf,html`: files written, fonts named, LibreOffice missing."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, EXIT_RENDERER
from gxreport.outputs.render import fonts

from .conftest import DATA


def test_build_to_pdf_and_html_writes_both(runner, soffice, tmp_path):
    target = tmp_path / "out" / "报告.docx"
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--to", "pdf,html", "-o", str(target)])
    assert result.exit_code == EXIT_OK, result.output
    written = sorted(p.name for p in target.parent.iterdir() if not p.name.startswith("."))
    assert written == ["报告.html", "报告.pdf"]
    with pdfplumber.open(target.with_suffix(".pdf")) as document:
        assert "泗阳县行政审批局" in document.pages[0].extract_text()
    assert "<table" in target.with_suffix(".html").read_text(encoding="utf-8")
    assert f"已生成：{target.with_suffix('.pdf')}" in result.output


def test_build_pdf_names_the_font_substitutes(runner, soffice, tmp_path):
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--pdf", "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == EXIT_OK, result.output
    assert (tmp_path / "r.docx").is_file() and (tmp_path / "r.pdf").is_file()
    line = next(line for line in result.output.splitlines() if line.startswith("PDF 字体替代："))
    for face, substitute in fonts.substitutes().items():
        assert f"{face} → {substitute}" in line
    assert set(fonts.substitutes()) == set(fonts.OFFICIAL_FACES)


def test_substitutes_are_installed_cjk_faces(soffice):
    """Our fontconfig file maps every official face to a CJK face, not to a Latin fallback."""
    used = fonts.substitutes()
    assert set(used) == set(fonts.OFFICIAL_FACES)
    for face, substitute in used.items():
        assert substitute.startswith(("Noto Serif CJK", "Noto Sans CJK", "AR PL")), (face, substitute)
    assert "Bold" in used["方正小标宋简体"]  # 小标宋 is a heavy Song


def test_fontconfig_file_ships_in_the_package_and_includes_the_system_config():
    conf = fonts.fontconfig_file()
    text = conf.read_text(encoding="utf-8")
    assert conf.parent == Path(fonts.__file__).parent  # beside the module, so the wheel carries it
    for face in fonts.OFFICIAL_FACES:
        assert f"<family>{face}</family>" in text
    assert "/etc/fonts/fonts.conf" in text
    assert fonts.render_environment({})["FONTCONFIG_FILE"] == str(conf)


def test_missing_libreoffice_is_explained_with_exit_code_5(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = tmp_path / "out" / "r.docx"
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--to", "docx,pdf", "-o", str(target)])
    assert result.exit_code == EXIT_RENDERER
    assert "未找到 LibreOffice" in result.output and "libreoffice-writer-nogui" in result.output
    assert "Traceback" not in result.output
    assert not target.parent.exists()  # nothing half done: the check comes before any write


def test_html_needs_no_libreoffice(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--to", "html", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == EXIT_OK, result.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("formats", ["odt", "pdf；html", ""])
def test_unknown_format_is_a_usage_error(runner, tmp_path, formats):
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--to", formats, "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == EXIT_INPUT
    assert "--to" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_output_option_needs_a_single_input(runner, tmp_path):
    result = runner.invoke(
        app, ["build", str(DATA / "2021.xlsx"), str(DATA / "2021.json"), "-o", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == EXIT_INPUT
    assert "处理多个文件时 -o 应为输出文件夹，不是文件" in result.output


def test_a_pdf_someone_else_wrote_is_not_overwritten(runner, soffice, tmp_path):
    existing = tmp_path / "r.pdf"
    existing.write_bytes(b"not ours")
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--to", "pdf", "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == EXIT_OUTPUT
    assert "r.pdf" in result.output and "未覆盖" in result.output
    assert existing.read_bytes() == b"not ours"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gx-")] == []  # no temporary left


def test_an_output_name_that_is_no_output_format_is_refused(runner, tmp_path):
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "-o", str(tmp_path / "报告.xlsx")])
    assert result.exit_code == EXIT_INPUT
    assert "输出文件的扩展名应为 .docx、.pdf、.html 之一" in result.output
    assert list(tmp_path.iterdir()) == []


def test_last_years_report_is_never_an_output(runner, tmp_path):
    last = tmp_path / "2020.docx"
    last.write_bytes(b"last year's published report")
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--previous", str(last), "-o", str(last), "--force"])
    assert result.exit_code == EXIT_OUTPUT
    assert "不能覆盖输入" in result.output
    assert last.read_bytes() == b"last year's published report"
