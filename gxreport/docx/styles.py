"""The named styles a clerk sees in Word/WPS (GB/T 9704-2012 body rules, layout.md "Text").

Every paragraph the writer emits names one of these styles, so a clerk can restyle the
whole report from the style pane; direct formatting is kept for exceptions (table font
size, signature indents). Style ids are ASCII; Word shows the Chinese ``w:name``.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from gxreport.docx import oxml

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 10.5  # 五号; tables override per run with TableGrid.font_size_pt
LINE_PITCH = 579  # twips: exactly 28.95 pt, 22 lines per 225 mm type area
BODY_INDENT_CHARS = 2  # GB/T 9704 7.3.3: each paragraph indented 2 characters
BODY_CHAR_TWIPS = 320  # one 三号 character (16 pt) for the twips form of the indent
# 三号 text at 98 % width: 28 glyphs of 15.68 pt fit the 156 mm (442.2 pt) line; at 99 %
# (15.84 pt) only 27 do (oxml.set_char_scale).
GRID_CHAR_SCALE = 98

NORMAL = "Normal"
BODY = "GWBody"
TITLE = "GWTitle"
HEADINGS = {1: "GWHeading1", 2: "GWHeading2", 3: "GWHeading3", 4: "GWHeading4"}
HEADING_CHARS = {1: "GWHeading1Char", 2: "GWHeading2Char", 3: "GWHeading3Char", 4: "GWHeading4Char"}
DATE_LINE = "GWDateLine"
ADDRESSEE = "GWAddressee"
SIGNATURE = "GWSignature"
TABLE = "GWTable"
PAGE_NUMBER = "GWPageNumber"
ATTACHMENT_LABEL = "GWAttachmentLabel"


@dataclass(frozen=True)
class _ParagraphStyle:
    style_id: str
    name: str
    east_asia: str
    size_pt: float = BODY_PT
    based_on: str = NORMAL
    align: WD_ALIGN_PARAGRAPH | None = None
    indent_chars: int = 0  # first-line indent; 0 = none (inherited from the base)
    exact_line: bool = True  # False: single spacing off the line grid
    outline_level: int | None = None
    keep_next: bool = False
    on_grid: bool = True  # 三号 text holding the 28 × 22 grid; False: other sizes, off the character grid
    bold_off: bool = False
    latin: str = LATIN
    next_style: str = BODY  # the style Word gives the paragraph after Enter


_PARAGRAPH_STYLES = (
    _ParagraphStyle(BODY, "GW正文", FANGSONG, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=BODY_INDENT_CHARS),
    # A 22 pt face on a 15.8 pt character grid would take two cells per character.
    _ParagraphStyle(TITLE, "GW标题", XIAOBIAOSONG, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, on_grid=False),
    # Headings inherit the body's indent, exact spacing and justification.
    _ParagraphStyle(HEADINGS[1], "GW一级标题", HEITI, based_on=BODY, outline_level=0, keep_next=True),
    _ParagraphStyle(HEADINGS[2], "GW二级标题", KAITI, based_on=BODY, outline_level=1, keep_next=True),
    _ParagraphStyle(HEADINGS[3], "GW三级标题", FANGSONG, based_on=BODY, outline_level=2, keep_next=True, bold_off=True),
    _ParagraphStyle(HEADINGS[4], "GW四级标题", FANGSONG, based_on=BODY, outline_level=3, keep_next=True, bold_off=True),
    _ParagraphStyle(DATE_LINE, "GW日期行", KAITI, align=WD_ALIGN_PARAGRAPH.CENTER),
    _ParagraphStyle(ADDRESSEE, "GW主送机关", FANGSONG, align=WD_ALIGN_PARAGRAPH.LEFT),
    _ParagraphStyle(SIGNATURE, "GW署名", FANGSONG),
    _ParagraphStyle(TABLE, "GW表格", FANGSONG, TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=False, on_grid=False, next_style=TABLE),
    # Digits take the ascii slot, so 宋体 goes there too (layout.md "Page numbers").
    _ParagraphStyle(PAGE_NUMBER, "GW页码", SONGTI, PAGE_NUMBER_PT, exact_line=False, on_grid=False, latin=SONGTI, next_style=PAGE_NUMBER),
    _ParagraphStyle(ATTACHMENT_LABEL, "GW附件标识", HEITI, align=WD_ALIGN_PARAGRAPH.LEFT),
)

# Run-in headings: （一）加强组织领导。我局… keeps the heading face for the number + title.
_CHARACTER_STYLES = (
    (HEADING_CHARS[1], "GW一级标题字符", HEITI, False),
    (HEADING_CHARS[2], "GW二级标题字符", KAITI, False),
    (HEADING_CHARS[3], "GW三级标题字符", FANGSONG, True),
    (HEADING_CHARS[4], "GW四级标题字符", FANGSONG, True),
)


def install_styles(document: DocxDocument) -> None:
    """Replace the python-docx template's styles and docDefaults with the GW set."""
    styles_element = document.styles.element
    for element in styles_element.findall(qn("w:style")) + styles_element.findall(qn("w:docDefaults")):
        styles_element.remove(element)
    styles_element.insert(0, _doc_defaults())

    normal = _add_style(document, NORMAL, "Normal", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    normal.element.default = True
    oxml.set_east_asia_font(normal.element, FANGSONG)
    oxml.set_size(normal.element, BODY_PT)

    for spec in _PARAGRAPH_STYLES:
        _add_paragraph_style(document, spec)
    for style_id, name, east_asia, bold_off in _CHARACTER_STYLES:
        style = _add_style(document, style_id, name, WD_STYLE_TYPE.CHARACTER)
        oxml.set_east_asia_font(style.element, east_asia)
        if bold_off:
            oxml.set_bold(style.element, False)


def _doc_defaults():
    """docDefaults: 三号 仿宋_GB2312 + Times New Roman, zh-CN, no paragraph spacing (pitfalls B2)."""
    defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr/></w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    oxml.set_east_asia_font(rPr, FANGSONG)
    # LibreOffice measures the docGrid character pitch from the default size, Word from Normal.
    oxml.set_size(rPr, BODY_PT)
    oxml.set_lang(rPr)
    return defaults


def _add_style(document: DocxDocument, style_id: str, name: str, kind: WD_STYLE_TYPE, builtin=False):
    style = document.styles.add_style(name, kind, builtin=builtin)
    style.element.styleId = style_id
    style.quick_style = True  # shown in the style gallery, where clerks look
    return style


def _add_paragraph_style(document: DocxDocument, spec: _ParagraphStyle) -> None:
    style = _add_style(document, spec.style_id, spec.name, WD_STYLE_TYPE.PARAGRAPH)
    element = style.element
    element.get_or_add_basedOn().val = spec.based_on
    element.get_or_add_next().val = spec.next_style

    pPr = element.get_or_add_pPr()
    if spec.keep_next:
        pPr.keepNext_val = True
    if spec.based_on == NORMAL:  # styles based on a GW style inherit all this
        # Paragraphs are off the docGrid: LibreOffice would round every run of digits up to
        # whole grid cells ("1 月1 日"). 三号 text keeps 28 characters a line by its width
        # (GRID_CHAR_SCALE) and 22 lines a page by its exact spacing, in Word and LibreOffice.
        oxml.set_snap_to_grid(pPr, False)
        if spec.on_grid:
            oxml.set_char_scale(element, GRID_CHAR_SCALE)
        else:
            oxml.set_run_snap_to_grid(element, False)
    if spec.exact_line:
        oxml.set_exact_line(pPr, LINE_PITCH)
    else:
        oxml.set_single_line(pPr)
    if spec.indent_chars:
        oxml.set_indent(pPr, "firstLine", spec.indent_chars, spec.indent_chars * BODY_CHAR_TWIPS)
    if spec.align is not None:
        pPr.jc_val = spec.align
    if spec.outline_level is not None:
        oxml.set_outline_level(pPr, spec.outline_level)

    oxml.set_east_asia_font(element, spec.east_asia, ascii=spec.latin)
    if spec.bold_off:
        oxml.set_bold(element, False)
    oxml.set_size(element, spec.size_pt)
