"""The parts of the .docx package every report shares, built with python-docx.

Styles (``styles.py``'s declarations), page setup, odd/even footers with PAGE fields,
settings and content types are the same for every report on a page. They are built here
from a ``page.Page`` and, for the standard's ``PAGE``, shipped as ``skeleton.docx`` beside
this module, so that building a report needs neither python-docx nor the ~100 ms it takes
to import it and build them (``package.py`` adds each report's body to the shipped parts;
a document laid out for another page has its skeleton built here, once per process).
After changing a style, the page or the footers, regenerate the file:

    python -m gxreport.outputs.docx.skeleton

``tests/test_docx_skeleton.py`` fails while the shipped file differs from a fresh build.
"""

from __future__ import annotations

import io
import sys
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.section import CT_SectPr
from docx.oxml.text.parfmt import CT_PPr
from docx.section import Section
from docx.shared import Twips

from gxreport.outputs.docx import oxml, styles
from gxreport.outputs.docx.parts import APP_PART, CORE_PART, SKELETON_FILE
from gxreport.declare.page import PAGE, Page

# Template parts that are not ours: stylesWithEffects.xml repeats the theme-font styles for
# Word 2007, the thumbnail shows python-docx's sample page in file browsers, customXml holds
# its bibliography sources, numbering.xml its list styles (the reports number headings as text).
_TEMPLATE_EXTRAS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.THUMBNAIL,
    RT.CUSTOM_XML,
    RT.NUMBERING,
)
# LibreOffice (7.x, the PDF renderer) drops a punctuation mark it hangs past the right
# margin when the line also holds the gap it puts between Chinese and digits (CJK–Latin
# autospace): "申请12件、商业" lost its 、 whenever "12件" ended a line full to within a
# fraction of a character, which 28 characters in 156 mm make common (issue 12). Without
# hanging, LibreOffice moves the last character down with the mark instead. Its .docx import
# reads w:overflowPunct inverted (writerfilter: hanging = value is 0), so "1" turns hanging
# off there, while Word reads "1" as its own default (punctuation may overflow), which it
# renders without loss. tests/test_lost_characters.py renders every position on a line.
NO_HANGING_PUNCTUATION = '<w:overflowPunct w:val="1"/>'
_ALIGNMENTS = {"both": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}


def build(page: Page = PAGE) -> DocxDocument:
    """A python-docx document with every part but the body: styles, page, footers, settings."""
    out = docx.Document()
    _drop_template_extras(out)
    out.part.part_related_by(RT.FONT_TABLE)._blob = font_table_xml(page)
    _install_styles(out, page)
    section = out.sections[0]
    _set_up_page(section._sectPr, page)
    _add_page_numbers(out, section, page)
    oxml.set_theme_font_lang(out.settings.element)
    return out


def _drop_template_extras(out: DocxDocument) -> None:
    for rels in (out.part.rels, out.part.package.rels):
        for rId in [rId for rId, rel in rels.items() if rel.reltype in _TEMPLATE_EXTRAS]:
            del rels[rId]


def font_table_xml(page: Page) -> bytes:
    """word/fontTable.xml declaring the faces the page names (``Faces.font_table``), each with
    what Windows knows of it (``Faces.windows``): the face Windows ships under another name
    (w:altName: 仿宋_GB2312 → 仿宋…), the GB2312 character set (86) and its PANOSE class, so Word
    and WPS on a machine without the _GB2312 faces fall back to FangSong/KaiTi rather than a
    default face. A face the page declares nothing of is named alone: Word fills in what it knows.
    python-docx's template listed its own fonts (ＭＳ 明朝, Cambria, Calibri…) and none of these."""
    fonts = []
    for name, known in page.faces.font_table():
        if known is None:
            fonts.append(f'<w:font w:name="{name}"/>')
            continue
        alt = f'<w:altName w:val="{known.alt_name}"/>' if known.alt_name else ""
        panose = f'<w:panose1 w:val="{known.panose}"/>' if known.panose else ""
        fonts.append(
            f'<w:font w:name="{name}">{alt}{panose}<w:charset w:val="{known.charset}"/>'
            f'<w:family w:val="{known.family}"/><w:pitch w:val="{known.pitch}"/></w:font>'
        )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:fonts {nsdecls('w')}>{''.join(fonts)}</w:fonts>"
    ).encode("utf-8")


def _set_up_page(sectPr: CT_SectPr, page: Page) -> None:
    oxml.set_page_size(sectPr, *page.paper_twips)
    oxml.set_margins(sectPr, **{side: Twips(twips) for side, twips in page.margins_twips.items()})
    oxml.set_doc_grid(sectPr, line_pitch=page.line_pitch_twips, char_space=page.doc_grid_char_space)


def _add_page_numbers(out: DocxDocument, section: Section, page: Page) -> None:
    """"— 1 —" footers: odd pages right, even pages left (docs/layout.md "Page numbers")."""
    out.settings.odd_and_even_pages_header_footer = True
    indent = Twips(page.page_number_indent_twips)
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT).ind_right = indent
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT).ind_left = indent


def _page_number(footer, align: WD_ALIGN_PARAGRAPH) -> CT_PPr:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p  # the template's single footer paragraph
    p.style = styles.PAGE_NUMBER
    pPr = p.get_or_add_pPr()
    pPr.jc_val = align
    p.add_r().text = "\u2014 "
    oxml.add_page_field(p)
    p.add_r().text = " \u2014"
    return pPr


def _install_styles(document: DocxDocument, page: Page) -> None:
    """Replace the python-docx template's styles and docDefaults with the GW set."""
    styles_element = document.styles.element
    for element in styles_element.findall(qn("w:style")) + styles_element.findall(qn("w:docDefaults")):
        styles_element.remove(element)
    styles_element.insert(0, _doc_defaults(page))

    normal = _add_style(document, styles.NORMAL, "Normal", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    normal.element.default = True
    oxml.set_east_asia_font(normal.element, page.faces.fangsong, ascii=page.faces.latin)
    oxml.set_size(normal.element, page.sizes.body)

    for spec in styles.paragraph_styles(page):
        _add_paragraph_style(document, spec, page)
    for spec in styles.character_styles(page):
        style = _add_style(document, spec.style_id, spec.name, WD_STYLE_TYPE.CHARACTER)
        oxml.set_east_asia_font(style.element, spec.east_asia, ascii=page.faces.latin)
        if spec.bold_off:
            oxml.set_bold(style.element, False)


def _doc_defaults(page: Page):
    """docDefaults: 三号 仿宋_GB2312 + Times New Roman, zh-CN, no paragraph spacing, widow control,
    and punctuation that never hangs past the line in LibreOffice (see ``NO_HANGING_PUNCTUATION``)."""
    defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr/></w:rPrDefault>"
        # Widow and orphan control: a paragraph broken by a page keeps two lines on each side,
        # so the lines kept with the signature are at least two (docs/layout.md "Signature").
        f"<w:pPrDefault><w:pPr><w:widowControl/>{NO_HANGING_PUNCTUATION}"
        '<w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    oxml.set_east_asia_font(rPr, page.faces.fangsong, ascii=page.faces.latin)
    # LibreOffice measures the docGrid character pitch from the default size, Word from Normal.
    oxml.set_size(rPr, page.sizes.body)
    oxml.set_lang(rPr)
    return defaults


def _add_style(document: DocxDocument, style_id: str, name: str, kind: WD_STYLE_TYPE, builtin=False):
    style = document.styles.add_style(name, kind, builtin=builtin)
    style.element.styleId = style_id
    style.quick_style = True  # shown in the style gallery, where clerks look
    return style


def _add_paragraph_style(document: DocxDocument, spec: styles.ParagraphStyle, page: Page) -> None:
    style = _add_style(document, spec.style_id, spec.name, WD_STYLE_TYPE.PARAGRAPH)
    element = style.element
    element.get_or_add_basedOn().val = spec.based_on
    element.get_or_add_next().val = spec.next_style

    pPr = element.get_or_add_pPr()
    if spec.keep_next:
        pPr.keepNext_val = True
    if spec.based_on == styles.NORMAL:  # styles based on a GW style inherit all this
        # Paragraphs are off the docGrid: LibreOffice would round every run of digits up to
        # whole grid cells ("1 月1 日"). 三号 text keeps 28 characters a line by its width
        # (page.body_char_scale) and 22 lines a page by its exact spacing, in Word and LibreOffice.
        oxml.set_snap_to_grid(pPr, False)
        if spec.on_grid:
            oxml.set_char_scale(element, page.body_char_scale)
        else:
            oxml.set_run_snap_to_grid(element, False)
    if spec.exact_line:
        oxml.set_exact_line(pPr, page.line_pitch_twips)
    else:
        oxml.set_single_line(pPr)
    if spec.indent_chars:
        oxml.set_indent(pPr, "firstLine", spec.indent_chars, spec.indent_chars * page.body_char_twips)
    if spec.align is not None:
        pPr.jc_val = _ALIGNMENTS[spec.align]
    if spec.outline_level is not None:
        oxml.set_outline_level(pPr, spec.outline_level)

    oxml.set_east_asia_font(element, spec.east_asia, ascii=spec.latin)
    if spec.bold_off:
        oxml.set_bold(element, False)
    oxml.set_size(element, spec.size_pt)


def skeleton_bytes(page: Page = PAGE) -> bytes:
    """The shared parts as a .docx with an empty body (and no document properties: each
    report writes its own core and app properties)."""
    built = io.BytesIO()
    build(page).save(built)
    out = io.BytesIO()
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = b"" if info.filename in (CORE_PART, APP_PART) else source.read(info.filename)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def main() -> int:
    SKELETON_FILE.write_bytes(skeleton_bytes())
    print(f"wrote {SKELETON_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
