"""What the .docx says about page breaks: tables, the signature block (measured in the PDF by
tests/test_layout_harness.py), and the package's fonts and properties for Word/WPS."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from gxreport import __version__
from gxreport.compose.document import AttachmentNote, Document, Heading, Paragraph, PlacedCell, Signature, TableGrid, Title
from gxreport.outputs.docx import render_docx
from gxreport.outputs.docx.writer import MIN_ROWS_UNDER_HEADER, table_xml
from gxreport.compose.measure import MOST_LINES_MOVED_WHOLE, body_lines, table_height_pt
from gxreport.declare.page import PAGE, PT_PER_MM

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def grid(data_rows: int) -> TableGrid:
    header = (PlacedCell(0, 0, 1, 1, "项目", header=True), PlacedCell(0, 1, 1, 1, "件数", header=True))
    rows = [header] + [
        (PlacedCell(r, 0, 1, 1, f"第{r}项"), PlacedCell(r, 1, 1, 1, str(r), value=True)) for r in range(1, data_rows + 1)
    ]
    return TableGrid((100, 56), 1, tuple(rows), 10.5)


def kept_rows(xml: str) -> list[int]:
    rows = etree.fromstring(xml).findall("w:tr", NS)
    return [i for i, tr in enumerate(rows) if all(p.find("w:pPr/w:keepNext", NS) is not None for p in tr.iter(f"{{{W}}}p"))]


def test_a_table_that_fits_on_a_page_moves_whole():
    short = grid(20)
    assert table_height_pt(short) < PAGE.type_height_mm * PT_PER_MM
    assert kept_rows(table_xml(short)) == list(range(20))  # every row but the last


def test_a_long_table_keeps_its_header_with_several_rows_and_repeats_it():
    long = grid(80)
    assert table_height_pt(long) > PAGE.type_height_mm * PT_PER_MM
    xml = table_xml(long)
    assert kept_rows(xml) == [*range(MIN_ROWS_UNDER_HEADER), 79]
    rows = etree.fromstring(xml).findall("w:tr", NS)
    assert [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows[:2]] == [True, False]
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)


def body(document: Document):
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def paragraphs(parts) -> list:
    return etree.fromstring(parts["word/document.xml"]).find("w:body", NS).findall("w:p", NS)


def printed_lines(text: str) -> int:
    return body_lines(Paragraph(text))


def flags(p) -> tuple[bool, bool]:
    return p.find("w:pPr/w:keepNext", NS) is not None, p.find("w:pPr/w:keepLines", NS) is not None


def test_signature_keeps_with_the_attachment_note_and_two_lines_of_body():
    document = Document("t", [
        Title("标题"),
        Paragraph("很长的一段。" * 40),
        Paragraph("一行。"),  # one line is not enough: the paragraph before it is kept too
        AttachmentNote(("附件甲",)),
        Signature("某县公安局", "2024年1月20日"),
    ])
    ps = paragraphs(body(document))
    texts = [p.xpath("string(.)") for p in ps]
    start = next(i for i, t in enumerate(texts) if t.startswith("很长的一段。"))
    # the long paragraph's head flows; its last sentences, 一行, blank, 附件, blank, name, date are kept
    assert texts[start] + texts[start + 1] == "很长的一段。" * 40 and texts[start + 1].startswith("很长的一段。")
    assert printed_lines(texts[start + 1]) <= MOST_LINES_MOVED_WHOLE
    assert [flags(p)[0] for p in ps[start:]] == [False, True, True, True, True, True, True, False]
    assert flags(ps[-2]) == (True, True) and flags(ps[-1]) == (False, True)
    assert not flags(ps[start - 1])[0] or texts[start - 1] == ""  # nothing earlier is chained


@pytest.mark.parametrize("lines", range(1, 40))
def test_a_long_last_paragraph_keeps_only_its_last_sentences_with_the_signature(lines):
    """LibreOffice moves a kept paragraph whole: a long one left pages short, and one of a
    page's length took the chain apart (the date alone on the next page)."""
    sentence = "我局持续推进政务公开工作，不断提升公开质量和实效。"  # 25 characters
    text = sentence * round(lines * 28 / 25)
    document = Document("t", [Title("标题"), Paragraph("前文。"), Paragraph(text), Signature("某县公安局", "2024年1月20日")])
    ps = paragraphs(body(document))
    texts = [p.xpath("string(.)") for p in ps]
    start = texts.index("前文。") + 1
    written, kept = texts[start:-3], [flags(p)[0] for p in ps[start:-3]]
    assert "".join(written) == text  # nothing lost or added, only a paragraph break between sentences
    kept_text = "".join(t for t, k in zip(written, kept) if k)
    assert kept == sorted(kept)  # what flows comes first, then what is kept
    assert min(2, printed_lines(text)) <= printed_lines(kept_text) <= MOST_LINES_MOVED_WHOLE
    assert len(written) == (1 if printed_lines(text) <= MOST_LINES_MOVED_WHOLE else 2)
    assert [flags(p)[0] for p in ps[-3:]] == [True, True, False]


def test_a_long_last_sentence_without_an_end_is_kept_whole_only_if_it_fits_a_page_with_the_signature():
    for commas, kept in ((18, True), (60, False)):
        text = "，".join(["第一项工作稳步推进并取得阶段性成效"] * commas) + "。"
        document = Document("t", [Title("标题"), Paragraph(text), Signature("某县公安局", "2024年1月20日")])
        ps = paragraphs(body(document))
        texts = [p.xpath("string(.)") for p in ps]
        assert flags(ps[texts.index(text)])[0] is kept
        assert [flags(p)[0] for p in ps[-3:]] == [True, True, False]  # name and date stay together


def test_widow_control_is_on_for_every_paragraph():
    styles = etree.fromstring(body(Document("t", [Title("标题")]))["word/styles.xml"])
    assert styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", NS) is not None


def test_font_table_declares_the_faces_with_windows_fallbacks():
    parts = body(Document("t", [Title("标题"), Heading(1, "一、", "总体情况"), Paragraph("正文")]))
    fonts = etree.fromstring(parts["word/fontTable.xml"])
    declared = {f.get(f"{{{W}}}name"): f for f in fonts.findall("w:font", NS)}
    assert set(declared) == {"仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体", "Times New Roman"}
    alt = {name: f.find("w:altName", NS).get(f"{{{W}}}val") for name, f in declared.items() if f.find("w:altName", NS) is not None}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体" and alt["黑体"] == "SimHei" and alt["宋体"] == "SimSun"
    for name in ("仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"):
        assert declared[name].find("w:charset", NS).get(f"{{{W}}}val") == "86", name
    assert declared["仿宋_GB2312"].find("w:panose1", NS) is not None
    # every face a style names is declared
    styles = etree.fromstring(parts["word/styles.xml"])
    used = {v for r in styles.iter(f"{{{W}}}rFonts") for k, v in r.attrib.items() if not k.endswith("Theme")}
    assert used <= set(declared), used - set(declared)


def test_document_properties_are_gxreports_and_no_template_parts_are_left():
    parts = body(Document("某县公安局2024年政府信息公开工作年度报告", [Title("标题")], author="某县公安局"))
    app = parts["docProps/app.xml"].decode()
    assert f"<Application>gxreport {__version__}</Application>" in app and "Microsoft" not in app
    core = parts["docProps/core.xml"].decode()
    assert "<dc:title>某县公安局2024年政府信息公开工作年度报告</dc:title>" in core and "<dc:creator>某县公安局</dc:creator>" in core
    assert not [name for name in parts if name.startswith("customXml") or "numbering" in name or "bibliography" in name]
    content_types = parts["[Content_Types].xml"].decode()
    assert "customXml" not in content_types and "numbering" not in content_types


@pytest.mark.parametrize("after", ["，", " ", "”"])
def test_the_kept_sentences_never_open_with_a_mark_or_a_space(after):
    sentence = f"我局持续推进政务公开工作，不断提升公开质量和实效。{after}"
    text = sentence * 12 + "全年工作圆满完成。《条例》规定的事项已全部公开，群众满意度进一步提升，各项工作取得实效。"
    document = Document("t", [Title("标题"), Paragraph(text), Signature("某县公安局", "2024年1月20日")])
    ps = paragraphs(body(document))
    texts = [p.xpath("string(.)") for p in ps]
    tail = next(t for t, p in zip(texts, ps) if flags(p)[0] and t)
    assert tail.startswith("《条例》") and texts[texts.index(tail) - 1] + tail == text


def test_a_long_run_in_heading_before_the_signature_keeps_its_label_and_only_its_last_sentences_kept():
    sentence = "我局持续推进政务公开工作，不断提升公开质量和实效。"
    text = sentence * 12
    document = Document("t", [Title("标题"), Heading(2, "（三）", "下一步工作。", text), Signature("某县公安局", "2024年1月20日")])
    ps = paragraphs(body(document))
    texts = [p.xpath("string(.)") for p in ps]
    at = next(i for i, t in enumerate(texts) if t.startswith("（三）下一步工作。"))
    head, tail = texts[at], texts[at + 1]
    assert head + tail == "（三）下一步工作。" + text
    assert len(ps[at].findall("w:r", NS)) == 2  # the label in its own run, in the heading's characters
    assert [flags(p)[0] for p in ps[at:at + 2]] == [False, True]
    assert 2 <= printed_lines(tail) <= MOST_LINES_MOVED_WHOLE
