"""Import of published PDF reports (gxreport/inputs/importer/pdf.py): the same data as the .docx they were made from."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from gxreport.api import load_report
from gxreport.cli import app
from gxreport.errors import EXIT_INPUT, EXIT_OK
from gxreport.inputs.importer import import_report
from gxreport.inputs.jsonform import report_to_dict
from tests.conftest import convert_all_to_pdf
from tests.test_import import _assert_same_data, _build_docx, _hand_made_report, _report_2019, _richer


@pytest.fixture(scope="module")
def word_and_pdf(soffice, registry, sample_2021, tmp_path_factory):
    """Reports of every shape as .docx, and the PDF LibreOffice prints of each (one soffice run)."""
    folder = tmp_path_factory.mktemp("pdf")
    docs = {
        "hand-made": _hand_made_report(folder / "交通局.docx"),
        "other-as-one-row": _hand_made_report(folder / "六.docx", other_as_one_row=True),
        "2019": _report_2019(folder / "统计局.docx"),
        "richer": _build_docx(_richer(registry, sample_2021), folder / "区政府.docx"),
        "sample": _build_docx(load_report(sample_2021, registry), folder / "样例.docx"),
    }
    pdfs = convert_all_to_pdf(soffice, list(docs.values()), folder)
    return {name: (doc, pdf) for (name, doc), pdf in zip(docs.items(), pdfs)}


def _findings(result, name: str) -> list[tuple]:
    return sorted((f.severity, f.rule, str(f.where).replace(name, "*"), f.message) for f in result.findings)


@pytest.mark.parametrize("name", ["hand-made", "other-as-one-row", "2019", "richer", "sample"])
def test_pdf_gives_the_data_of_its_word_file(word_and_pdf, registry, name):
    doc, pdf = word_and_pdf[name]
    from_word, from_pdf = import_report(doc, registry), import_report(pdf, registry)
    assert report_to_dict(from_pdf.report) == report_to_dict(from_word.report)
    # the same findings at the same table places (第8行第4列…), blanks and "/" included
    assert _findings(from_pdf, pdf.name) == _findings(from_word, doc.name)
    # the .docx's fifth table row is the PDF's fifth row, whatever page it is on
    in_pdf, in_word = from_pdf.report.cells["requests"][("new", "natural_person")], from_word.report.cells["requests"][("new", "natural_person")]
    assert (in_pdf.file, in_pdf.sheet, in_pdf.cell) == (pdf.name, in_word.sheet, in_word.cell)


def test_round_trip_of_the_sample_through_its_pdf(word_and_pdf, registry, sample_2021):
    result = import_report(word_and_pdf["sample"][1], registry)
    assert result.findings == []
    _assert_same_data(load_report(sample_2021, registry), result.report)


def test_table_split_over_pages_is_one_table(word_and_pdf, registry):
    # 表三 of the hand-made report runs over several pages, a row cut by a page break included
    import pdfplumber

    pdf = word_and_pdf["hand-made"][1]
    with pdfplumber.open(pdf) as opened:
        pages_with_tables = sum(1 for page in opened.pages if page.find_tables())
    assert pages_with_tables >= 3
    report = import_report(pdf, registry).report
    assert report.tables["requests"][("new", "natural_person")] == 5
    assert report.tables["reviews"][("review", "upheld")] == 1


def test_import_command_reads_a_pdf(word_and_pdf, tmp_path, runner):
    out = tmp_path / "交通局.xlsx"
    result = runner.invoke(app, ["import", str(word_and_pdf["hand-made"][1]), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert "交通局.pdf：某某县交通运输局 2021 年度，2021 格式，0 个错误" in result.stdout
    assert "警告 R13 交通局.pdf!表二!第3行第2列" in result.stdout


def _image_pdf(path, pages: int = 2) -> None:
    images = [Image.new("RGB", (60, 80), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    path.write_bytes(buffer.getvalue())


def test_a_scanned_pdf_is_named_as_such(tmp_path, runner):
    scanned = tmp_path / "扫描件.pdf"
    _image_pdf(scanned)
    result = runner.invoke(app, ["import", str(scanned), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == EXIT_INPUT
    assert "扫描件.pdf: 这是扫描件或图片 PDF（共 2 页，只有图片，没有文字），无法读取其中的文字和数字" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_pdf_of_too_many_pages_is_refused(tmp_path, registry):
    huge = tmp_path / "汇编.pdf"
    _image_pdf(huge, pages=301)
    with pytest.raises(Exception, match="PDF 有 301 页，超过上限 300 页"):
        import_report(huge, registry)


@pytest.mark.parametrize("content", [b"not a pdf at all", b"%PDF-1.7\n1 0 obj <<", b""], ids=["text", "truncated", "empty"])
def test_a_broken_pdf_exits_2(tmp_path, runner, content):
    broken = tmp_path / "报告.pdf"
    broken.write_bytes(content)
    result = runner.invoke(app, ["import", str(broken), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == EXIT_INPUT, result.output
    assert result.stderr.startswith("错误：报告.pdf: ") and "Traceback" not in result.output


def test_previous_as_a_published_pdf(word_and_pdf, tmp_path, registry, runner):
    from tests.workbooks import make_workbook

    # last year's 区政府 report as printed: 结转下年度 自然人 3
    this = make_workbook(
        tmp_path / "2022.xlsx", registry, "宿迁市某某区人民政府", year=2022,
        values={("requests", "new", "natural_person"): 1, ("requests", "carried_in", "natural_person"): 2,
                ("requests", "disclosed", "natural_person"): 3},
    )
    result = runner.invoke(app, ["check", str(this), "--previous", str(word_and_pdf["richer"][1])])
    r5 = [line for line in result.stdout.splitlines() if " R5 " in line]
    assert r5[0].startswith("错误 R5 2022.xlsx!表三!D8: 自然人：本年报告上年结转 D8=2，上年报告结转下年度 第28行第4列=3，不相等（上年：区政府.pdf!表三!第28行第4列）")
