"""The page is declared once (gxreport/declare/page.py): a report laid out for another page gets that
page's numbers in the .docx (page setup, grid, styles, footers, body indents, tables) and in
the web page's CSS, with nothing left of the standard's."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from lxml import etree, html as lxml_html

from gxreport.api import build_file, load_report
from gxreport.compose.narrative import layout
from gxreport.declare.page import PAGE, Faces, Page, Phone, Sizes, WindowsFace
from gxreport.errors import TemplateError
from gxreport.outputs.docx.skeleton import font_table_xml
from gxreport.outputs.render.html import render_html, style_sheet
from gxreport.pipeline import Options

from .conftest import DATA, run_chromium
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


# --- the faces as Windows knows them, and the page on a phone ---------------------------------


def font_table(page: Page) -> dict[str, dict[str, str]]:
    """word/fontTable.xml as {face: {child element: its w:val}}."""
    table = etree.fromstring(font_table_xml(page))
    return {
        font.get(w("name")): {etree.QName(child).localname: child.get(w("val")) for child in font}
        for font in table.findall("w:font", NS)
    }


def test_the_standard_pages_font_table_gives_windows_its_own_names():
    assert font_table(PAGE) == {
        "仿宋_GB2312": {"altName": "仿宋", "panose1": "02010609030101010101", "charset": "86", "family": "modern", "pitch": "fixed"},
        "楷体_GB2312": {"altName": "楷体", "panose1": "02010609030101010101", "charset": "86", "family": "modern", "pitch": "fixed"},
        "黑体": {"altName": "SimHei", "panose1": "02010609060101010101", "charset": "86", "family": "modern", "pitch": "fixed"},
        "宋体": {"altName": "SimSun", "panose1": "02010600030101010101", "charset": "86", "family": "auto", "pitch": "variable"},
        "方正小标宋简体": {"altName": "宋体", "charset": "86", "family": "auto", "pitch": "variable"},
        "Times New Roman": {"panose1": "02020603050405020304", "charset": "00", "family": "roman", "pitch": "variable"},
    }


def test_other_faces_get_no_windows_name_or_class_of_the_standards_faces(built):
    """OTHER sets every role in another face and declares nothing Windows knows of them: each is
    named alone, none carries 仿宋's, SimHei's or Times New Roman's name or PANOSE class."""
    parts, page = built
    fonts = {font.get(w("name")): list(font) for font in parts["word/fontTable.xml"].findall("w:font", NS)}
    assert fonts == {"仿宋": [], "楷体": [], "微软雅黑": [], "华文中宋": [], "新宋体": [], "Arial": []}
    css = lxml_html.fromstring(page.encode("utf-8")).findtext(".//style")
    assert re.search(r'\nh3, \.attachment-label \{ font-family: "微软雅黑", STHeiti', css)  # no SimHei after it
    assert "SimHei" not in css and "SimSun" not in css and '"仿宋", "仿宋"' not in css


def test_a_face_the_page_declares_windows_data_for_gets_it_and_the_rest_keep_theirs():
    yahei = WindowsFace("Microsoft YaHei", panose="020B0503020204020204", family="swiss", pitch="variable")
    faces = replace(PAGE.faces, heiti="微软雅黑", songti="仿宋_GB2312", windows=PAGE.faces.windows + (("微软雅黑", yahei),))
    page = replace(PAGE, faces=faces)
    table = font_table(page)
    assert list(table) == ["仿宋_GB2312", "楷体_GB2312", "微软雅黑", "方正小标宋简体", "Times New Roman"]  # 仿宋_GB2312 once
    assert table["微软雅黑"] == {"altName": "Microsoft YaHei", "panose1": "020B0503020204020204", "charset": "86",
                               "family": "swiss", "pitch": "variable"}
    assert table["仿宋_GB2312"]["altName"] == "仿宋" and "SimHei" not in font_table_xml(page).decode()
    assert '\nh2, .attachment-label { font-family: "微软雅黑", Microsoft YaHei, STHeiti' in style_sheet(page)


def test_the_titles_stand_in_is_in_the_font_table_but_not_in_the_web_pages_fonts():
    """宋体 only stands in for 方正小标宋简体 on Windows: listed after it, it would hide 华文中宋 and Noto Serif."""
    css = style_sheet(PAGE)
    title = re.search(r"\nh1 \{ font-family: ([^;]*);", css).group(1)
    assert title.startswith('"方正小标宋简体", "方正小标宋_GBK"') and "宋体" not in title.split(",")[1:]
    assert re.search(r'\nbody \{ font-family: GxLatin, "仿宋_GB2312", "仿宋", FangSong', css)


def test_the_phone_sizes_are_the_pages(registry):
    page = replace(PAGE, phone=Phone(width_px=480, body=12, title=17, attachment_title=15))
    css = style_sheet(page)
    phone = css[css.index("@media screen and (max-width: 480px)"):]
    phone = phone[:phone.index("\n}")]
    assert "body { font-size: 12pt;" in phone and "h1 { font-size: 17pt;" in phone
    assert "h2, h3, h4, h5, p { font-size: 12pt; }" in phone and "h2.attachment-title { font-size: 15pt; }" in phone
    assert "max-width: 600px" not in css
    standard = style_sheet(PAGE)
    assert "@media screen and (max-width: 600px) {\n  body { font-size: 13pt;" in standard
    assert "h1 { font-size: 18pt;" in standard and "h2.attachment-title { font-size: 16pt; }" in standard


SIZE_PROBE = """<script>
const px = selector => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
document.body.dataset.sizes = [px("h1"), px("p"), px("h2")].join(" ");
document.body.dataset.width = window.innerWidth;
</script>"""


# Headless Chromium's window is at least 500 px wide: the page's phone width is set above that.
PHONE = Phone(width_px=640, body=12, title=17, attachment_title=15)


@pytest.mark.parametrize(("window", "sizes_pt"), [(500, (17, 12, 12)), (640, (17, 12, 12)), (660, (22, 16, 16))])
def test_a_phone_shows_the_pages_phone_sizes(chromium, registry, tmp_path, window, sizes_pt):
    """In Chromium, a screen up to the page's phone width gets the page's phone sizes; a wider one the paper's."""
    html = render_html(layout(load_report(DATA / "2021.xlsx", registry), replace(PAGE, phone=PHONE))).decode()
    source = tmp_path / "phone.html"
    source.write_text(html.replace("</body>", SIZE_PROBE + "</body>"), encoding="utf-8")
    dom = run_chromium(chromium, tmp_path / "profile", f"--window-size={window},844", "--dump-dom", source.as_uri()).stdout
    body = lxml_html.fromstring(dom).xpath("//body")[0]
    assert int(body.get("data-width")) == window
    shown = [float(px) for px in body.get("data-sizes").split()]
    assert shown == pytest.approx([pt * 4 / 3 for pt in sizes_pt], abs=0.01)


def windows(**known) -> Faces:
    """Faces declaring what Windows knows of 某体."""
    return Faces(windows=(("某体", WindowsFace(**known)),))


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda: replace(PAGE, top_mm=-1), "Page.top_mm 应为正数"),
        (lambda: replace(PAGE, left_mm=120, right_mm=100), "上下、左右页边距 应合计小于纸张的高和宽"),
        (lambda: replace(PAGE, lines=0), "Page.lines 应为正整数"),
        (lambda: replace(PAGE, chars=28.5), "Page.chars 应为正整数"),
        (lambda: replace(PAGE, body_indent_chars=30), "Page.body_indent_chars 应小于每行字数 28"),
        (lambda: replace(PAGE, bottom_mm=8), "页码与版心的距离 应在下页边距之内"),
        (lambda: Sizes(body=0), "Sizes.body 应为正数"),
        (lambda: Sizes(title=float("nan")), "Sizes.title 应为正数"),
        (lambda: replace(PAGE, phone=Phone(width_px=600.5)), "Phone.width_px 应为整数"),
        (lambda: replace(PAGE, phone=Phone(body=-13)), "Phone.body 应为正数"),
        (lambda: replace(PAGE, phone=(600, 13, 18, 16)), "Page.phone 应为 Phone"),
        (lambda: Faces(heiti=""), "Faces.heiti 应为字体名称"),
        (lambda: Faces(title='小标宋"; } body { color: red'), "Faces.title 应为字体名称"),
        (lambda: Faces(latin="A<B"), "Faces.latin 应为字体名称"),
        (lambda: Faces(heading_levels=("heiti", "kaiti", "bold", "fangsong")), "Faces.heading_levels"),
        (lambda: Faces(windows=(("黑体", "SimHei"),)), "Faces.windows"),
        (lambda: windows(panose="0201"), "Faces.windows['某体'].panose 应为 20 位"),
        (lambda: windows(panose="020B0503020204020204".lower()), "Faces.windows['某体'].panose 应为 20 位"),
        (lambda: windows(charset="GB2312"), "Faces.windows['某体'].charset"),
        (lambda: windows(family="serif"), "Faces.windows['某体'].family 应为 roman"),
        (lambda: windows(pitch="mono"), "Faces.windows['某体'].pitch"),
        (lambda: windows(alt_name="仿宋\x00"), "Faces.windows['某体'].alt_name"),
    ],
)
def test_a_page_that_cannot_be_laid_out_is_a_declaration_error(make, said):
    with pytest.raises(TemplateError, match=re.escape(said)) as raised:
        make()
    assert raised.value.exit_code == 4 and str(raised.value).startswith("页面声明：")
