"""The .docx writer against docs/layout.md: page setup, styles, footers, tables, blocks."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from gxreport.compose.document import (
    Addressee,
    Attachment,
    AttachmentNote,
    DateLine,
    Document,
    Heading,
    Paragraph,
    PlacedCell,
    Signature,
    Table,
    TableGrid,
    Title,
)
from gxreport.outputs.docx import render_docx, signature_indents

from gxreport.declare.page import PAGE

from .conftest import convert_to_pdf

GAP = PAGE.cjk_latin_gap_chars

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def cell(row, col, text, rowspan=1, colspan=1, header=False, value=False):
    return PlacedCell(row, col, rowspan, colspan, text, header=header, value=value)


# 4 columns, 2 header rows. "项目" spans 2 rows, "数量" spans 3 columns; in the body
# "地区" spans 2 rows and "合计" spans 3 columns. 180 mm is wider than the 156 mm type area.
GRID = TableGrid(
    widths_mm=(60, 40, 40, 40),
    header_rows=2,
    rows=(
        (cell(0, 0, "项目", rowspan=2, header=True), cell(0, 1, "数量", colspan=3, header=True)),
        (cell(1, 1, "甲", header=True), cell(1, 2, "乙", header=True), cell(1, 3, "丙\n（件）", header=True)),
        (cell(2, 0, "地区", rowspan=2), cell(2, 1, "1", value=True), cell(2, 2, "2", value=True), cell(2, 3, "3", value=True)),
        (cell(3, 1, "4", value=True), cell(3, 2, "5", value=True), cell(3, 3, "6\t7", value=True)),
        (cell(4, 0, "合计", colspan=3), cell(4, 3, "21", value=True)),
    ),
)

AGENCY = "某某市数据局"
DATE = "2024年1月26日"

DOCUMENT = Document(
    title="某某市数据局2023年政府信息公开工作年度报告",
    author="某某市数据局",
    blocks=[
        Title("某某市数据局2023年\n政府信息公开工作年度报告"),
        DateLine("（2023年11月15日）"),
        Addressee("市政府办："),
        Heading(1, "一、", "总体情况"),
        Paragraph("第一段。\n第二段\t含制表符。"),
        Heading(2, "（一）", "加强组织领导。", "我局高度重视。"),
        Table(GRID, table_id="t1"),
        Heading(3, "1.", "三级标题"),
        Heading(4, "（1）", "四级标题"),
        AttachmentNote(("甲表", "乙表")),
        Signature(AGENCY, DATE),
        Attachment("附件1", "附件标题", (Paragraph("附件正文。"),)),
    ],
)


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(DOCUMENT)


@pytest.fixture(scope="module")
def parts(docx_bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        }


@pytest.fixture(scope="module")
def body(parts) -> etree._Element:
    return parts["word/document.xml"].find("w:body", NS)


def body_paragraphs(body) -> list[etree._Element]:
    return body.findall("w:p", NS)


def style_of(p) -> str | None:
    return p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) or None


def text_of(p) -> str:
    return "".join(p.xpath(".//w:t/text()", namespaces=NS))


def style_by_name(styles, name) -> etree._Element:
    (style,) = styles.xpath("w:style[w:name/@w:val=$n]", namespaces=NS, n=name)
    return style


# --- page ---------------------------------------------------------------------


def test_page_is_a4_with_gbt_margins_and_grid(body):
    sectPr = body.find("w:sectPr", NS)
    pgSz = sectPr.find("w:pgSz", NS)
    assert (pgSz.get(w("w")), pgSz.get(w("h"))) == ("11906", "16838")
    pgMar = sectPr.find("w:pgMar", NS)
    assert {k: pgMar.get(w(k)) for k in ("top", "bottom", "left", "right", "header", "footer")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474", "header": "850", "footer": "1429",
    }
    grids = sectPr.findall("w:docGrid", NS)
    assert len(grids) == 1
    grid = grids[0]
    assert grid.get(w("type")) == "linesAndChars"
    assert grid.get(w("linePitch")) == "579"
    assert grid.get(w("charSpace")) == "-849"


def test_grid_gives_22_lines_of_28_characters(body):
    pgMar = body.find("w:sectPr/w:pgMar", NS)
    height = 16838 - int(pgMar.get(w("top"))) - int(pgMar.get(w("bottom")))
    width = 11906 - int(pgMar.get(w("left"))) - int(pgMar.get(w("right")))
    grid = body.find("w:sectPr/w:docGrid", NS)
    assert 22 * int(grid.get(w("linePitch"))) <= height < 23 * int(grid.get(w("linePitch")))
    pitch_twips = (16 + int(grid.get(w("charSpace"))) / 4096) * 20
    assert 28 * pitch_twips <= width < 29 * pitch_twips


# --- styles, settings, properties -------------------------------------------------

EXPECTED_FONTS = {
    "GW正文": "仿宋_GB2312",
    "GW标题": "方正小标宋简体",
    "GW一级标题": "黑体",
    "GW二级标题": "楷体_GB2312",
    "GW三级标题": "仿宋_GB2312",
    "GW四级标题": "仿宋_GB2312",
    "GW日期行": "楷体_GB2312",
    "GW主送机关": "仿宋_GB2312",
    "GW署名": "仿宋_GB2312",
    "GW表格": "仿宋_GB2312",
    "GW页码": "宋体",
    "GW附件标识": "黑体",
    "GW一级标题字符": "黑体",
    "GW二级标题字符": "楷体_GB2312",
    "GW三级标题字符": "仿宋_GB2312",
    "GW四级标题字符": "仿宋_GB2312",
}


@pytest.mark.parametrize("part", ["word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"])
def test_no_theme_fonts(parts, part):
    theme_attrs = [
        etree.QName(attr).localname
        for element in parts[part].iter()
        for attr in element.attrib
        if etree.QName(attr).localname.lower().endswith("theme")
    ]
    assert theme_attrs == []


def test_template_theme_styles_part_is_dropped(parts):
    assert "word/stylesWithEffects.xml" not in parts


def test_gw_styles_have_their_east_asia_fonts(parts):
    styles = parts["word/styles.xml"]
    for name, east_asia in EXPECTED_FONTS.items():
        style = style_by_name(styles, name)
        assert style.get(w("customStyle")) == "1", name
        rFonts = style.find("w:rPr/w:rFonts", NS)
        assert rFonts.get(w("eastAsia")) == east_asia, name
    page_number_fonts = style_by_name(styles, "GW页码").find("w:rPr/w:rFonts", NS)
    assert page_number_fonts.get(w("ascii")) == page_number_fonts.get(w("hAnsi")) == "宋体"
    assert style_by_name(styles, "GW一级标题字符").get(w("type")) == "character"


def test_template_styles_are_replaced(parts):
    names = parts["word/styles.xml"].xpath("w:style/w:name/@w:val", namespaces=NS)
    assert sorted(names) == sorted(["Normal", *EXPECTED_FONTS])


def test_doc_defaults_and_normal_are_fangsong_zh_cn(parts):
    styles = parts["word/styles.xml"]
    rPr = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    rFonts = rPr.find("w:rFonts", NS)
    assert rFonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert rFonts.get(w("ascii")) == rFonts.get(w("hAnsi")) == "Times New Roman"
    assert rPr.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"
    spacing = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS)
    assert (spacing.get(w("before")), spacing.get(w("after"))) == ("0", "0")
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.get(w("default")) == "1"
    assert normal.find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == "仿宋_GB2312"
    assert normal.find("w:rPr/w:sz", NS).get(w("val")) == "32"


def test_body_style_is_exact_28_95pt_with_2_character_indent(parts):
    body_style = style_by_name(parts["word/styles.xml"], "GW正文")
    spacing = body_style.find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("579", "exact")
    ind = body_style.find("w:pPr/w:ind", NS)
    assert (ind.get(w("firstLineChars")), ind.get(w("firstLine"))) == ("200", "640")
    assert body_style.find("w:pPr/w:jc", NS).get(w("val")) == "both"
    assert body_style.find("w:rPr/w:sz", NS).get(w("val")) == "32"
    assert style_by_name(parts["word/styles.xml"], "GW标题").find("w:rPr/w:sz", NS).get(w("val")) == "44"


def test_heading_styles_have_outline_levels(parts):
    styles = parts["word/styles.xml"]
    for level, name in enumerate(["GW一级标题", "GW二级标题", "GW三级标题", "GW四级标题"]):
        style = style_by_name(styles, name)
        assert style.find("w:pPr/w:outlineLvl", NS).get(w("val")) == str(level)
        assert style.find("w:pPr/w:keepNext", NS) is not None
    for name in ("GW三级标题", "GW四级标题"):
        assert style_by_name(styles, name).find("w:rPr/w:b", NS).get(w("val")) == "0"
    assert style_by_name(styles, "GW标题").find("w:pPr/w:outlineLvl", NS) is None


def test_table_style_is_off_grid_single_spaced(parts):
    table_style = style_by_name(parts["word/styles.xml"], "GW表格")
    assert table_style.find("w:pPr/w:snapToGrid", NS).get(w("val")) == "0"
    spacing = table_style.find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("240", "auto")
    assert table_style.find("w:pPr/w:jc", NS).get(w("val")) == "center"


def test_settings_even_and_odd_headers_and_zh_cn_theme_language(parts):
    settings = parts["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    assert settings.find("w:themeFontLang", NS).get(w("eastAsia")) == "zh-CN"


def test_core_properties(docx_bytes):
    import docx

    props = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert props.title == DOCUMENT.title
    assert props.author == DOCUMENT.author
    assert props.language == "zh-CN"


# --- footers --------------------------------------------------------------------


def footer_paragraph(parts, kind: str) -> etree._Element:
    document = parts["word/document.xml"]
    rId = document.xpath(f"string(//w:sectPr/w:footerReference[@w:type='{kind}']/@r:id)", namespaces={
        **NS, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"})
    rels = parts["word/_rels/document.xml.rels"]
    (target,) = rels.xpath("*[@Id=$id]/@Target", id=rId)
    (p,) = parts[f"word/{target}"].findall("w:p", NS)
    return p


@pytest.mark.parametrize("kind, jc, side", [("default", "right", "right"), ("even", "left", "left")])
def test_footers_hold_a_page_field_between_em_dashes(parts, kind, jc, side):
    p = footer_paragraph(parts, kind)
    assert style_of(p) == "GWPageNumber"
    assert p.find("w:pPr/w:jc", NS).get(w("val")) == jc
    assert p.find("w:pPr/w:ind", NS).get(w(side)) == "280"
    assert p.xpath("w:r/w:fldChar/@w:fldCharType", namespaces=NS) == ["begin", "separate", "end"]
    (instr,) = p.findall("w:r/w:instrText", NS)
    assert instr.text.strip() == "PAGE"
    assert instr.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert text_of(p) == "\u2014 1 \u2014"


# --- body blocks ------------------------------------------------------------------


def test_title_date_line_blank_line_then_addressee(body):
    first = body_paragraphs(body)[:6]
    assert [style_of(p) for p in first] == ["GWTitle", "GWTitle", "GWDateLine", "GWBody", "GWAddressee", "GWHeading1"]
    assert [text_of(p) for p in first] == [
        "某某市数据局2023年", "政府信息公开工作年度报告", "（2023年11月15日）", "", "市政府办：", "一、总体情况",
    ]


def test_title_without_date_line_is_followed_by_a_blank_line():
    body = _render_body([Title("标题"), Paragraph("正文")])
    assert [(style_of(p), text_of(p)) for p in body_paragraphs(body)] == [
        ("GWTitle", "标题"), ("GWBody", ""), ("GWBody", "正文"),
    ]


def test_paragraph_lines_become_paragraphs_and_tabs_become_tab_elements(body):
    paragraphs = body_paragraphs(body)
    index = [text_of(p) for p in paragraphs].index("第一段。")
    second = paragraphs[index + 1]
    assert style_of(second) == "GWBody"
    assert second.find("w:r/w:tab", NS) is not None
    assert text_of(second) == "第二段含制表符。"


def test_run_in_heading_is_one_paragraph_with_two_runs(body):
    (p,) = [p for p in body_paragraphs(body) if text_of(p).startswith("（一）")]
    assert style_of(p) == "GWBody"
    runs = p.findall("w:r", NS)
    assert len(runs) == 2
    assert runs[0].xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS) == "GWHeading2Char"
    assert text_of(runs[0]) == "（一）加强组织领导。"
    assert runs[1].find("w:rPr", NS) is None
    assert text_of(runs[1]) == "我局高度重视。"


def test_standalone_headings_use_level_styles(body):
    by_text = {text_of(p): style_of(p) for p in body_paragraphs(body)}
    assert by_text["一、总体情况"] == "GWHeading1"
    assert by_text["1.三级标题"] == "GWHeading3"
    assert by_text["（1）四级标题"] == "GWHeading4"


def test_attachment_note_aligns_later_items_under_the_first_number(body):
    paragraphs = body_paragraphs(body)
    index = [text_of(p) for p in paragraphs].index("附件：1.甲表")
    assert (style_of(paragraphs[index - 1]), text_of(paragraphs[index - 1])) == ("GWBody", "")
    second = paragraphs[index + 1]
    assert text_of(second) == "2.乙表"
    ind = second.find("w:pPr/w:ind", NS)
    assert ind.get(w("leftChars")) == "500"
    assert ind.get(w("left")) == str(5 * 316)
    assert (ind.get(w("firstLineChars")), ind.get(w("firstLine"))) == ("0", "0")


def test_single_attachment_has_no_number():
    body = _render_body([AttachmentNote(("甲表",))])
    assert [text_of(p) for p in body_paragraphs(body)] == ["", "附件：甲表"]


def test_signature_paragraphs(body):
    paragraphs = body_paragraphs(body)
    index = [text_of(p) for p in paragraphs].index(AGENCY)
    assert text_of(paragraphs[index - 1]) == ""
    name, date = paragraphs[index], paragraphs[index + 1]
    assert text_of(date) == DATE
    for p, indent in zip((name, date), signature_indents(AGENCY, DATE)):
        assert style_of(p) == "GWSignature"
        assert p.find("w:pPr/w:jc", NS).get(w("val")) == "right"
        assert p.find("w:pPr/w:ind", NS).get(w("right")) == str(indent)


def test_signature_indents_date_longer_than_name_centres_the_name():
    # name 6 characters, date 2024(2) + 年 + 12(1) + 月 + 31(1) + 日 = 7 characters
    # plus 5 Chinese/digit boundaries × the renderers' gap (page.PAGE.cjk_latin_gap_chars)
    date_chars = 7 + 5 * GAP
    name_indent, date_indent = signature_indents("某某市数据局", "2024年12月31日")
    assert date_indent == 2 * 316
    assert name_indent == round((2 + (date_chars - 6) / 2) * 316)  # centred over the date


def test_signature_indents_long_name_puts_date_two_characters_in():
    # name 15 characters, date 2024(2) + 年 + 1(0.5) + 月 + 6(0.5) + 日 = 6 characters plus 5 gaps
    date_chars = 6 + 5 * GAP
    name_indent, date_indent = signature_indents("某某市人民政府办公室信息公开科", "2024年1月6日")
    assert name_indent == 2 * 316
    assert date_indent == round((15 - date_chars) * 316)  # date starts 2 characters right of the name's start
    name_start = 15 * 316 + name_indent
    date_start = date_chars * 316 + date_indent
    assert name_start - date_start == pytest.approx(2 * 316, abs=1)


def test_a_name_longer_than_a_line_puts_the_date_two_characters_from_the_left_edge():
    """A wrapped name's first character is at the left edge; the date never wraps."""
    date_chars = 6 + 5 * GAP
    name_indent, date_indent = signature_indents("某" * 35, "2024年1月6日")
    assert name_indent == 2 * 316
    assert date_indent == round((28 - 2 - date_chars) * 316)


def test_attachment_starts_a_new_page(body):
    paragraphs = body_paragraphs(body)
    index = [text_of(p) for p in paragraphs].index("附件1")
    label = paragraphs[index]
    assert style_of(label) == "GWAttachmentLabel"
    assert label.find("w:pPr/w:pageBreakBefore", NS) is not None
    following = [(style_of(p), text_of(p)) for p in paragraphs[index + 1:index + 5]]
    assert following == [("GWBody", ""), ("GWTitle", "附件标题"), ("GWBody", ""), ("GWBody", "附件正文。")]


def test_every_body_paragraph_names_a_style(body):
    assert all(style_of(p) for p in body.iter(w("p")))


# --- table --------------------------------------------------------------------


@pytest.fixture(scope="module")
def tbl(body) -> etree._Element:
    (table,) = body.findall("w:tbl", NS)
    return table


def tc_layout(tr) -> list[tuple[int, str | None]]:
    """(gridSpan, vMerge) of each w:tc; vMerge is "restart", "continue" or None."""
    layout = []
    for tc in tr.findall("w:tc", NS):
        span = int(tc.xpath("string(w:tcPr/w:gridSpan/@w:val)", namespaces=NS) or 1)
        vmerge = tc.find("w:tcPr/w:vMerge", NS)
        layout.append((span, None if vmerge is None else vmerge.get(w("val"), "continue")))
    return layout


def test_table_grid_fits_the_type_width(tbl):
    cols = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert len(cols) == 4
    assert 8840 <= sum(cols) <= 8844  # 180 mm scaled down to 156 mm
    assert abs(2 * cols[0] - 3 * cols[1]) <= 3  # 60 : 40 mm kept after scaling
    tblPr = tbl.find("w:tblPr", NS)
    assert int(tblPr.find("w:tblW", NS).get(w("w"))) == sum(cols)
    assert tblPr.find("w:tblLayout", NS).get(w("type")) == "fixed"
    assert tblPr.find("w:jc", NS).get(w("val")) == "center"
    borders = tblPr.find("w:tblBorders", NS)
    assert [etree.QName(b).localname for b in borders] == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert {(b.get(w("val")), b.get(w("sz")), b.get(w("color"))) for b in borders} == {("single", "4", "000000")}


def test_table_spans_become_grid_span_and_vmerge(tbl):
    assert [tc_layout(tr) for tr in tbl.findall("w:tr", NS)] == [
        [(1, "restart"), (3, None)],
        [(1, "continue"), (1, None), (1, None), (1, None)],
        [(1, "restart"), (1, None), (1, None), (1, None)],
        [(1, "continue"), (1, None), (1, None), (1, None)],
        [(3, None), (1, None)],
    ]


def test_table_cell_widths_follow_spans(tbl):
    cols = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    first_row = tbl.find("w:tr", NS)
    widths = [int(x) for x in first_row.xpath("w:tc/w:tcPr/w:tcW/@w:w", namespaces=NS)]
    assert widths == [cols[0], sum(cols[1:])]


def test_every_cell_has_a_paragraph_and_continuations_are_empty(tbl):
    for tc in tbl.iter(w("tc")):
        paragraphs = tc.findall("w:p", NS)
        assert paragraphs
        assert all(style_of(p) == "GWTable" for p in paragraphs)
        assert tc.find("w:tcPr/w:vAlign", NS).get(w("val")) == "center"
        vmerge = tc.find("w:tcPr/w:vMerge", NS)
        if vmerge is not None and vmerge.get(w("val")) is None:
            assert [text_of(p) for p in paragraphs] == [""]


def test_table_rows_cant_split_and_only_header_rows_repeat(tbl):
    rows = tbl.findall("w:tr", NS)
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)
    assert [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows] == [True, True, False, False, False]


def test_table_text_size_lines_and_tabs(tbl):
    runs = tbl.findall(".//w:r", NS)
    assert {r.xpath("string(w:rPr/w:sz/@w:val)", namespaces=NS) for r in runs} == {"21"}
    assert {r.xpath("string(w:rPr/w:szCs/@w:val)", namespaces=NS) for r in runs} == {"21"}
    header_row = tbl.findall("w:tr", NS)[1]
    last_cell = header_row.findall("w:tc", NS)[-1]
    assert [text_of(p) for p in last_cell.findall("w:p", NS)] == ["丙", "（件）"]
    assert tbl.find(".//w:r/w:tab", NS) is not None


# --- whole document -------------------------------------------------------------


def test_libreoffice_prints_the_docx_as_written(docx_bytes, tmp_path, soffice):
    """What a reader of the PDF sees: A4 pages, every block in order, the attachment on a page of its own."""
    import pdfplumber

    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    pdf = convert_to_pdf(soffice, source, tmp_path)
    with pdfplumber.open(pdf) as printed:
        sizes = {(round(p.width), round(p.height)) for p in printed.pages}
        pages = ["".join((p.extract_text() or "").split()) for p in printed.pages]
    assert sizes == {(595, 842)}  # A4 in points
    assert len(pages) == 2
    first, second = pages
    order = ["某某市数据局2023年政府信息公开工作年度报告", "（2023年11月15日）", "市政府办：", "一、总体情况",
             "第一段。", "（一）加强组织领导。我局高度重视。", "合计21", "1.三级标题", "（1）四级标题",
             "附件：1.甲表", AGENCY, DATE.replace(" ", ""), "—1—"]
    positions = [first.rfind(text) for text in order]  # the last: the agency's name also opens the title
    assert -1 not in positions, [t for t, at in zip(order, positions) if at < 0]
    assert positions == sorted(positions)
    assert second == "附件1附件标题附件正文。—2—"


def _render_body(blocks) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(render_docx(Document("t", blocks)))) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find("w:body", NS)
