"""Small OOXML helpers python-docx 1.2.0 does not provide.

Each helper edits one WordprocessingML element (element names from ECMA-376 Part 1,
section 17) and says which GB/T 9704-2012 clause or rule of
``docs/layout.md`` it serves. They take python-docx ``oxml`` elements, as
python-docx's own proxies do, and shape the parts every report shares (styles, page,
footers: ``skeleton.py``). Each report's body is markup written as a string
(``markup.py``), so building a report needs no python-docx.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.section import CT_SectPr
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.text.font import CT_RPr
from docx.shared import Length, Twips

# Elements that follow w:snapToGrid inside w:pPr (ECMA 17.3.1.26 sequence).
_PPR_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
# Elements that follow w:w inside w:rPr (ECMA 17.3.2.28 sequence).
_RPR_AFTER_W = (
    "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
# Elements that follow w:lang inside w:rPr (ECMA 17.3.2.28 sequence).
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _rpr(element) -> CT_RPr:
    """`element` itself if it is a w:rPr, else its (created) w:rPr child (style or run)."""
    return element if element.tag == qn("w:rPr") else element.get_or_add_rPr()


def set_east_asia_font(element, east_asia: str, ascii: str) -> None:
    """Set w:rFonts (ECMA 17.3.2.26): `east_asia` for CJK, `ascii` for hAnsi/ascii/cs.

    Deletes every theme-font attribute (w:asciiTheme, w:eastAsiaTheme, w:hAnsiTheme,
    w:cstheme) because a theme attribute wins over the explicit name in the same
    w:rFonts (docs/pitfalls.md B1). docs/layout.md "Text": Chinese in the eastAsia slot, digits and
    Latin in the page's Latin face (Times New Roman). `element` is a w:rPr, w:style or w:r.
    """
    rFonts = _rpr(element).get_or_add_rFonts()
    for attr in list(rFonts.attrib):
        if attr.lower().endswith("theme"):
            del rFonts.attrib[attr]
    rFonts.set(qn("w:eastAsia"), east_asia)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        rFonts.set(qn(slot), ascii)


def set_size(element, pt: float) -> None:
    """Set w:sz and w:szCs (ECMA 17.3.2.38/39, half-points) to `pt`.

    docs/layout.md "Text" 字号 table: 二号 22, 三号 16, 四号 14, 五号 10.5 pt.
    """
    half_points = str(int(round(pt * 2)))
    rPr = _rpr(element)
    sz = rPr.get_or_add_sz()
    sz.set(qn("w:val"), half_points)
    szCs = rPr.find(qn("w:szCs"))
    if szCs is None:
        szCs = OxmlElement("w:szCs")
        sz.addnext(szCs)  # w:szCs directly follows w:sz in the schema sequence
    szCs.set(qn("w:val"), half_points)


def set_bold(element, on: bool) -> None:
    """Set w:b and w:bCs (ECMA 17.3.2.1/2).

    docs/layout.md "Text": bold headings are a local habit, not GB/T 9704; default off.
    """
    rPr = _rpr(element)
    rPr.get_or_add_b().val = on
    rPr.get_or_add_bCs().val = on


def set_lang(element, val: str = "en-US", east_asia: str = "zh-CN") -> None:
    """Set w:lang (ECMA 17.3.2.20) so Word/WPS treat CJK text as Simplified Chinese.

    Pitfalls B1: the python-docx template declares ja-JP, which picks Japanese faces.
    """
    rPr = _rpr(element)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.insert_element_before(lang, *_RPR_AFTER_LANG)
    lang.set(qn("w:val"), val)
    lang.set(qn("w:eastAsia"), east_asia)


def set_char_scale(element, percent: int) -> None:
    """Set w:w (ECMA 17.3.2.43), the horizontal scale of the characters, in percent.

    docs/layout.md "Page": 28 三号 characters per line need a pitch of at most 15.79 pt. Word
    squeezes 16 pt glyphs onto the docGrid pitch; LibreOffice gives a glyph wider than
    the pitch two grid cells (14 characters a line). Glyphs a little narrower than 16 pt
    give 28 characters a line in both, with or without the grid.
    """
    rPr = _rpr(element)
    scale = rPr.find(qn("w:w"))
    if scale is None:
        scale = OxmlElement("w:w")
        rPr.insert_element_before(scale, *_RPR_AFTER_W)
    scale.set(qn("w:val"), str(percent))


def set_run_snap_to_grid(element, on: bool) -> None:
    """Set run-level w:snapToGrid (ECMA 17.3.2.34): follow the character grid or not.

    Text not set in 三号 (titles, tables, page numbers) must not be spread over the
    28-characters-per-line grid (docs/layout.md "Page", grid row).
    """
    _rpr(element).get_or_add_snapToGrid().val = on


def set_snap_to_grid(pPr: CT_PPr, on: bool) -> None:
    """Set paragraph-level w:snapToGrid (ECMA 17.3.1.32): follow the line grid or not.

    docs/layout.md "Tables": smaller table text must not be stretched to 579-twip grid lines.
    """
    snap = pPr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        pPr.insert_element_before(snap, *_PPR_AFTER_SNAP)
    snap.set(qn("w:val"), "1" if on else "0")


def set_exact_line(pPr: CT_PPr, twips: int) -> None:
    """w:spacing line=`twips` lineRule="exact" (ECMA 17.3.1.33).

    docs/layout.md "Page": body text at exactly 28.95 pt (579 twips) gives 22 lines per page.
    """
    pPr.spacing_line = Twips(twips)
    pPr.spacing_lineRule = WD_LINE_SPACING.EXACTLY


def set_single_line(pPr: CT_PPr) -> None:
    """w:spacing line="240" lineRule="auto" (ECMA 17.3.1.33): single spacing, for tables."""
    pPr.spacing_line = Twips(240)
    pPr.spacing_lineRule = WD_LINE_SPACING.MULTIPLE


def set_indent(pPr: CT_PPr, side: str, chars: float, twips: int) -> None:
    """Set w:ind/@w:{side} and @w:{side}Chars (ECMA 17.3.1.12); side: firstLine/left/right.

    Word and WPS prefer the *Chars form (hundredths of a character) so the indent
    follows the character grid; the twips value serves readers that ignore it.
    GB/T 9704 7.3.3: body paragraphs indent 2 characters.
    """
    ind = pPr.get_or_add_ind()
    ind.set(qn(f"w:{side}Chars"), str(int(round(chars * 100))))
    ind.set(qn(f"w:{side}"), str(twips))


def set_outline_level(pPr: CT_PPr, level: int) -> None:
    """w:outlineLvl (ECMA 17.3.1.20), 0-based: headings appear in Word's navigation pane.

    docs/layout.md "Text", heading levels 一、/（一）/1./（1）.
    """
    pPr.get_or_add_outlineLvl().val = level


def set_page_size(sectPr: CT_SectPr, width: int, height: int) -> None:
    """w:pgSz in twips, portrait (ECMA 17.6.13); GB/T 9704 5.2.1's A4 is 11906 × 16838."""
    sectPr.page_width = Twips(width)
    sectPr.page_height = Twips(height)
    sectPr.orientation = WD_ORIENT.PORTRAIT


def set_margins(
    sectPr: CT_SectPr,
    top: Length,
    bottom: Length,
    left: Length,
    right: Length,
    header: Length,
    footer: Length,
) -> None:
    """w:pgMar (ECMA 17.6.11). GB/T 9704 5.2.3: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm.

    `footer` is the distance from the paper's bottom edge to the footer's bottom edge;
    it places the page-number line 7 mm below the type area (GB/T 9704 7.5).
    """
    sectPr.top_margin = top
    sectPr.bottom_margin = bottom
    sectPr.left_margin = left
    sectPr.right_margin = right
    sectPr.header = header
    sectPr.footer = footer
    sectPr.gutter = Twips(0)


def set_doc_grid(sectPr: CT_SectPr, line_pitch: int, char_space: int) -> None:
    """w:docGrid type="linesAndChars" (ECMA 17.6.5): GB/T 9704 5.2.4, 22 lines × 28 chars.

    Modifies the template's existing w:docGrid; a section may hold only one (docs/pitfalls.md B7).
    `char_space` is (character pitch − Normal font size) in 1/4096 pt.
    """
    grid = sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.insert_element_before(grid, "w:printerSettings", "w:sectPrChange")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))


def set_theme_font_lang(settings, east_asia: str = "zh-CN") -> None:
    """w:themeFontLang/@w:eastAsia (ECMA 17.15.1.88) in settings.xml.

    The python-docx template says ja-JP, which maps theme fonts to ＭＳ 明朝 (docs/pitfalls.md B1).
    """
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:eastAsia"), east_asia)


def add_page_field(p: CT_P) -> None:
    """Append a PAGE field as complex-field runs (ECMA 17.16.18 w:fldChar, 17.16.23 w:instrText).

    docs/layout.md "Page numbers": python-docx has no field API. The cached result "1" keeps
    renderers that do not update fields showing a number (docs/pitfalls.md B6).
    """
    def fld_char(kind: str) -> None:
        p.add_r().append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))

    fld_char("begin")
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = " PAGE "
    p.add_r().append(instr)
    fld_char("separate")
    p.add_r().text = "1"
    fld_char("end")
