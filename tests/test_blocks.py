"""Block types are declared once (gxreport/compose/blocks.py) and every backend has one renderer for
each: the measurement, the .docx body writer and the web page. A block nobody declared is an
internal error that names itself, never a silently missing paragraph."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gxreport.compose import document as d
from gxreport.compose.blocks import BACKENDS, BLOCK_TYPES, Backend, UnknownBlockError
from gxreport.cli import app
from gxreport.outputs.docx import render_docx
from gxreport.errors import EXIT_INTERNAL
from gxreport.compose.measure import body_lines, kept_with_signature
from gxreport.declare.page import PAGE
from gxreport.outputs.render.html import render_html


@dataclass(frozen=True)
class Footnote:
    """A block type no one declared."""

    text: str


def test_every_declared_block_type_has_a_renderer_in_every_backend():
    """The imports above load the three backends' modules, which register their renderers."""
    assert {backend.name for backend in BACKENDS} == {"measure", "docx", "html"}
    for backend in BACKENDS:
        assert backend.missing() == [], backend.name


def test_the_declarations_cover_every_block_of_the_document_model():
    """Each member of document.Block is declared, once, under its own name."""
    assert {block_type.type for block_type in BLOCK_TYPES} == set(d.Block.__args__)
    names = [block_type.name for block_type in BLOCK_TYPES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("render", [render_docx, render_html], ids=["docx", "html"])
def test_an_undeclared_block_is_an_error_naming_it(render):
    document = d.Document("标题", [d.Title("标题"), Footnote("脚注")])
    with pytest.raises(UnknownBlockError, match="Footnote is not a declared block type"):
        render(document)


def test_a_backend_without_a_renderer_names_itself_and_the_block():
    backend = Backend("braille")

    @backend.register(d.Paragraph)
    def paragraph(block, page):
        return block.text

    assert backend.renderer(d.Paragraph("正文"))(d.Paragraph("正文"), PAGE) == "正文"
    assert "table" in backend.missing() and "paragraph" not in backend.missing()
    with pytest.raises(UnknownBlockError, match="braille: no renderer for the 'table' block"):
        backend.renderer(d.Table(d.TableGrid((10,), 0, ())))
    with pytest.raises(UnknownBlockError, match="a second renderer for Paragraph"):
        backend.register(d.Paragraph)(paragraph)
    with pytest.raises(UnknownBlockError, match="Footnote is not a declared block type"):
        backend.register(Footnote)


def test_an_undeclared_block_in_a_build_is_an_internal_error_exit_9(sample_2021, tmp_path, runner, monkeypatch):
    import gxreport.compose.narrative as narrative

    real = narrative.layout

    def with_a_footnote(report, page=PAGE):
        document = real(report, page)
        document.blocks.append(Footnote("脚注"))
        return document

    monkeypatch.setattr(narrative, "layout", with_a_footnote)
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["build", str(sample_2021), "-o", str(out)])
    assert result.exit_code == EXIT_INTERNAL
    assert "内部错误" in result.output and "Footnote is not a declared block type" in result.output
    assert not out.exists()


def test_the_measurement_counts_the_lines_each_block_prints():
    body = "政" * (PAGE.chars - PAGE.body_indent_chars)  # fills the first line after the indent
    assert body_lines(d.Paragraph(body)) == 1
    assert body_lines(d.Paragraph(body + "务")) == 2
    assert body_lines(d.Paragraph(body + "\n短")) == 2  # each line of the text is a paragraph
    assert body_lines(d.Heading(1, "一、", "总体情况")) == 1
    assert body_lines(d.Heading(2, "（一）", "主动公开。", body)) == 2  # run in: the label adds to the text
    assert body_lines(d.Title("某县数据局2024年\n政府信息公开工作年度报告")) == 2
    assert body_lines(d.Title("政" * 21)) == 2  # 21 characters of 二号 are wider than 156 mm
    assert body_lines(d.DateLine("（2024年1月6日）")) == 1
    assert body_lines(d.Addressee("政" * (PAGE.chars + 1))) == 2
    assert body_lines(d.Signature("某县数据局", "2024年1月6日")) == 2
    assert body_lines(d.AttachmentNote(())) == 0
    assert body_lines(d.AttachmentNote(("甲表", "乙表"))) == 2
    attachment = d.Attachment("附件1", "甲表", (d.Paragraph(body), d.Paragraph(body + "务")))
    assert body_lines(attachment) == 1 + 1 + 1 + 2
    rows = tuple((d.PlacedCell(r, 0, 1, 1, "项目"),) for r in range(40))
    table = d.Table(d.TableGrid((156,), 1, rows, 10.5))
    assert body_lines(table) == -(-40 * 10.5 * PAGE.table_line_em // PAGE.line_pt)  # 40 single lines of 五号


def test_the_signature_keeps_what_the_declarations_say():
    """Walking back from the signature: the attachment note is kept whole, body text until two
    lines, and a table ends the walk."""
    table = d.Table(d.TableGrid((156,), 0, ((d.PlacedCell(0, 0, 1, 1, "1"),),)))
    blocks = [table, d.Paragraph("一行。"), d.AttachmentNote(("甲表",)), d.Signature("某县数据局", "2024年1月6日")]
    assert kept_with_signature(blocks) == {1, 2}
    blocks = [d.Paragraph("前一段。"), d.Paragraph("一行。"), d.Paragraph("又一行。"), d.Signature("某局", "2024年1月6日")]
    assert kept_with_signature(blocks) == {1, 2}
