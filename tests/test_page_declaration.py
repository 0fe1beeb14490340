"""The page is declared once (gxreport/declare/page.py): a report laid out for another page gets that
page's numbers in the .docx (page setup, grid, styles, footers, body indents, tables) and in
the web page's CSS, with nothing left of the standard's."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from lxml import etree, html as lxml_html

from gxreport.api import build_file
from gxreport.declare.page import PAGE
from gxreport.pipeline import Options

from .docx_reading import NS, docx_parts, w

# Every number differs from the standard's: margins, lines, characters, faces and sizes.
OTHER = replace(
    PAGE,
    top_mm=30,
    bottom_mm=40,
    left_mm=32,
    right_mm=22,
    header_mm=12,
    lines=24,
    chars=30,
    body_indent_chars=3,
    page_number_indent_chars=2,
    table_cell_margin_mm=1.5,
    faces=replace(PAGE.faces, fangsong="仿宋", kaiti="楷体", heiti="微软雅黑", title="华文中宋", songti="新宋体",
                  latin="Arial", heading_levels=("kaiti", "heiti", "fangsong", "fangsong")),
    sizes=replace(PAGE.sizes, title=20, body=15, page_number=12, table=10),
)
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def built(sample_2021, registry, tmp_path_factory):
    """The sample built for OTHER through the public API, .docx and web page."""
    out = tmp_path_factory.mktemp("other-page") / "report.docx"
    result = build_file(sample_2021, registry, out, Options(formats=("docx", "html"), page=OTHER))
    assert [p.suffix for p in result.outputs] == [".docx", ".html"]
    return docx_parts(out), out.with_suffix(".html").read_text(encoding="utf-8")


def style(styles, style_id):
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def half_points(element) -> int:
    return int(element.find(".//w:rPr/w:sz", NS).get(w("val")))


def east_asia(element) -> str:
    return element.find(".//w:rPr/w:rFonts", NS).get(w("eastAsia"))


def test_the_page_setup_and_grid_follow_the_page(built):
    parts, _ = built
    section = parts["word/document.xml"].find("w:body/w:sectPr", NS)
    size, margins, grid = (section.find(f"w:{name}", NS) for name in ("pgSz", "pgMar", "docGrid"))
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (round(210 * TWIPS_PER_MM), round(297 * TWIPS_PER_MM))
    got = {side: int(margins.get(w(side))) for side in ("top", "bottom", "left", "right", "header")}
    for side, mm in {"top": 30, "bottom": 40, "left": 32, "right": 22, "header": 12}.items():
        assert abs(got[side] - mm * TWIPS_PER_MM) <= 1, side  # within Word's whole twips
    type_width = 11906 - got["left"] - got["right"]
    assert type_width == round(156 * TWIPS_PER_MM)  # 210 − 32 − 22 mm: the type width is unchanged
    type_height = 16838 - got["top"] - got["bottom"]
    assert type_height == round(227 * TWIPS_PER_MM)  # 297 − 30 − 40 mm
    pitch = int(grid.get(w("linePitch")))
    assert pitch * 24 <= type_height < (pitch + 1) * 24  # 24 lines fill the type height
    # charSpace: 30 pitches of the 15 pt body fill the type width.
    assert int(grid.get(w("charSpace"))) == math.floor((type_width / 20 / 30 - 15) * 4096)
    # The footer puts the dashes 7 mm under the type area, as for the standard's page.
    assert int(margins.get(w("footer"))) == round((40 - 7 - PAGE.page_number_dash_above_footer_mm) * TWIPS_PER_MM)


def test_the_styles_take_the_pages_faces_sizes_and_indents(built):
    parts, _ = built
    styles = parts["word/styles.xml"]
    section = parts["word/document.xml"].find("w:body/w:sectPr", NS)
    pitch = section.find("w:docGrid", NS).get(w("linePitch"))
    defaults = styles.find("w:docDefaults", NS)
    assert half_points(defaults) == 30 and east_asia(defaults) == "仿宋"
    assert defaults.find(".//w:rFonts", NS).get(w("ascii")) == "Arial"
    body = style(styles, "GWBody")
    assert (half_points(body), east_asia(body)) == (30, "仿宋")
    assert body.find("w:pPr/w:spacing", NS).get(w("line")) == pitch
    ind = body.find("w:pPr/w:ind", NS)
    assert (ind.get(w("firstLineChars")), ind.get(w("firstLine"))) == ("300", str(3 * 15 * 20))
    # Glyphs narrow enough that 30 of them fit the line: 156 mm / 30 = 14.7 pt for 15 pt text.
    scale = int(body.find("w:rPr/w:w", NS).get(w("val")))
    assert 30 * 15 * scale / 100 <= 156 * 72 / 25.4 < 30 * 15 * (scale + 1) / 100
    title = style(styles, "GWTitle")
    assert (half_points(title), east_asia(title)) == (40, "华文中宋")
    assert [east_asia(style(styles, f"GWHeading{level}")) for level in (1, 2, 3, 4)] == ["楷体", "微软雅黑", "仿宋", "仿宋"]
    assert [east_asia(style(styles, f"GWHeading{level}Char")) for level in (1, 2)] == ["楷体", "微软雅黑"]
    assert east_asia(style(styles, "GWDateLine")) == "楷体" and east_asia(style(styles, "GWAttachmentLabel")) == "微软雅黑"
    number = style(styles, "GWPageNumber")
    assert (half_points(number), east_asia(number)) == (24, "新宋体")
    assert half_points(style(styles, "GWTable")) == 20
    fonts = {font.get(w("name")) for font in parts["word/fontTable.xml"].findall("w:font", NS)}
    assert fonts == {"仿宋", "楷体", "微软雅黑", "华文中宋", "新宋体", "Arial"}
    ours = ("word/styles.xml", "word/fontTable.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml")
    everything = b"".join(etree.tostring(parts[name]) for name in ours).decode()  # the theme is Office's
    for standard in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "Times New Roman", 'w:val="32"', 'w:linePitch="579"'):
        assert standard not in everything, standard


def test_the_footers_body_and_tables_follow_the_page(built):
    parts, _ = built
    indents = []
    for name in ("word/footer1.xml", "word/footer2.xml"):
        ind = parts[name].find(".//w:pPr/w:ind", NS)
        indents += [int(value) for value in ind.attrib.values()]
    assert indents == [2 * 12 * 20, 2 * 12 * 20]  # two characters of the 12 pt number
    body = parts["word/document.xml"].find("w:body", NS)
    # Table 二 declares no size: it takes the page's; tables 三 and 四 keep their declared 小五.
    sizes = [{int(sz.get(w("val"))) for sz in tbl.iter(w("sz"))} for tbl in body.findall("w:tbl", NS)]
    assert sizes[0] == {20} and sizes[1] == sizes[2] == {18}
    margins = body.find("w:tbl/w:tblPr/w:tblCellMar/w:left", NS)
    assert int(margins.get(w("w"))) == round(1.5 * TWIPS_PER_MM)
    grid = [int(col.get(w("w"))) for tbl in body.findall("w:tbl", NS) for col in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert grid and max(grid) < round(156 * TWIPS_PER_MM)
    # The signature's indents are in the page's grid characters (156 mm / 30).
    agency, date = body.xpath("w:p[w:pPr/w:pStyle/@w:val='GWSignature']", namespaces=NS)
    char = round(round(156 * TWIPS_PER_MM) / 30)
    assert int(agency.find("w:pPr/w:ind", NS).get(w("right"))) == 2 * char


def test_the_web_page_follows_the_page(built):
    _, page = built
    css = lxml_html.fromstring(page.encode("utf-8")).findtext(".//style")
    assert "@page { size: 210mm 297mm; margin: 30mm 22mm 40mm 32mm; }" in css
    line = f"{(round(227 * TWIPS_PER_MM) // 24) / 20:g}pt"  # the .docx's line pitch
    body = re.search(r"\nbody \{([^}]*)\}", css).group(1)
    assert "font-size: 15pt" in body and f"line-height: {line}" in body and "max-width: 156mm" in body
    assert body.split("font-family:")[1].split(";")[0].strip().startswith('GxLatin, "仿宋"')
    assert re.search(r"\nh1 \{[^}]*font-family: \"华文中宋\"[^}]*font-size: 20pt", css)
    assert re.search(r"\nh2, h3, h4, h5, p \{[^}]*font-size: 15pt[^}]*text-indent: 3em", css)
    assert re.search(r'\nh2, \.dateline \{ font-family: "楷体"', css)
    assert re.search(r'\nh3, \.attachment-label \{ font-family: "微软雅黑"', css)
    assert 'local("Arial")' in css
    assert css.count("font-size: 12pt; padding-") == 2 and "padding-right: 2em" in css and "padding-left: 2em" in css
    assert "padding: 0.2em 1.5mm" in css
    for standard in ("28.95pt", "37mm", "156mm 0", "22pt", "14pt", "2em; text-align", "仿宋_GB2312", "方正小标宋简体", "Times New Roman"):
        assert standard not in css, standard
    # A phone's screen keeps its own readable sizes, whatever the paper.
    assert re.search(r"max-width: 600px\) \{\n  body \{ font-size: 13pt", css)
    # The statutory table 二 in the page's table size.
    assert 'id="table-active" style="font-size:10pt;' in page


def test_the_narrative_measures_with_the_page(sample_2021, registry):
    """Title lines are broken for the page's type width and title size: the sample's title
    takes two lines of 二号 on 156 mm and one line of 16 pt on 190 mm."""
    from gxreport.compose.narrative import layout
    from gxreport.inputs.reading import load_report

    report = load_report(sample_2021, registry)
    wide = replace(PAGE, left_mm=10, right_mm=10, sizes=replace(PAGE.sizes, title=16))
    standard, widened = layout(report), layout(report, wide)
    assert standard.page == PAGE and widened.page == wide
    assert standard.blocks[0].text.count("\n") == 1
    assert "\n" not in widened.blocks[0].text and widened.blocks[0].text == standard.blocks[0].text.replace("\n", "")
