"""The web page: structure from the laid-out blocks, escaping, and what Chromium shows."""

from __future__ import annotations

import struct
import zlib

import pytest
from lxml import html as lxml_html

from gxreport.compose import document as d
from gxreport.api import load_report
from gxreport.compose.narrative import layout
from gxreport.outputs.render.html import render_html

from .conftest import DATA, run_chromium

SAMPLES = sorted(DATA.glob("*.xlsx"))


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def page(request, registry):
    document = layout(load_report(request.param, registry))
    return document, render_html(document)


def tree(data: bytes):
    return lxml_html.fromstring(data.decode("utf-8"))


def test_title_and_headings_are_heading_elements(page):
    document, data = page
    root = tree(data)
    title = next(b for b in document.blocks if isinstance(b, d.Title))
    (h1,) = root.xpath("//h1")
    assert [t.strip() for t in h1.itertext()] == title.text.split("\n")
    level_one = [b.number + b.title for b in document.blocks if isinstance(b, d.Heading) and b.level == 1]
    # a closing heading may sit inside the block kept with the signature (div.closing)
    assert [h.text_content() for h in root.xpath("//main//h2[not(@class='attachment-title')]")] == level_one


def test_paragraphs_are_p_elements(page):
    document, data = page
    texts = {p.text_content() for p in tree(data).xpath("//p")}
    for block in document.blocks:
        if isinstance(block, d.Paragraph):
            assert set(block.text.split("\n")) <= texts


def test_tables_keep_spans_labels_and_numbers(page):
    document, data = page
    grids = [b.grid for b in document.blocks if isinstance(b, d.Table)]
    tables = tree(data).xpath("//table")
    assert len(tables) == len(grids)
    for grid, table in zip(grids, tables):
        assert len(table.xpath("./thead/tr")) == grid.header_rows
        rows = table.xpath("./thead/tr | ./tbody/tr")
        assert len(rows) == grid.n_rows
        for placed, tr in zip(grid.rows, rows):
            cells = tr.xpath("./th | ./td")
            assert len(cells) == len(placed)
            for cell, element in zip(placed, cells):
                assert "\n".join(element.itertext()) == cell.text
                assert int(element.get("rowspan", 1)) == cell.rowspan
                assert int(element.get("colspan", 1)) == cell.colspan
                assert element.tag == ("td" if cell.value and not cell.header else "th")


def test_page_is_self_contained_with_print_css(page):
    _, data = page
    text = data.decode("utf-8")
    root = tree(data)
    assert root.get("lang") == "zh-CN"
    assert root.xpath("//meta[@charset='utf-8']")
    assert not root.xpath("//script | //link | //img | //iframe | //*[@src] | //*[@href]")
    assert "@page { size: 210mm 297mm; margin: 37mm 26mm 35mm 28mm; }" in text  # A4, GB/T 9704 margins
    assert '"仿宋_GB2312"' in text and '"方正小标宋简体"' in text and '"黑体"' in text and '"楷体_GB2312"' in text
    assert "url(" not in text  # fonts come from the reader's machine, nothing is fetched


def test_text_from_the_input_is_escaped():
    hostile = '<script>alert("x")</script> & <b>粗</b>'
    document = d.Document(
        title=hostile,
        author='"><img src=x>',
        blocks=[
            d.Title(hostile),
            d.Heading(1, "一、", hostile),
            d.Heading(2, "（一）", "加强领导。", hostile),
            d.Paragraph(hostile),
            d.Table(d.TableGrid((20, 20), 1, ((d.PlacedCell(0, 0, 1, 2, hostile, header=True),),
                                             (d.PlacedCell(1, 0, 1, 1, "<i>", value=True), d.PlacedCell(1, 1, 1, 1, "1", value=True))))),
            d.Signature(hostile, "2022年1月20日"),
            d.AttachmentNote((hostile, hostile)),
            d.Attachment("附件1", hostile, (d.Paragraph(hostile),)),
        ],
    )
    data = render_html(document)
    root = tree(data)
    assert not root.xpath("//script | //b | //i | //img")
    assert hostile in root.xpath("//h1")[0].text_content()
    assert data.decode().count("&lt;script&gt;") >= 9


def test_run_in_heading_keeps_heading_and_text_together():
    data = render_html(d.Document("t", [d.Heading(2, "（一）", "加强组织领导。", "我局高度重视。")]))
    (run_in,) = tree(data).xpath("//div[@class='run-in']")
    assert run_in.xpath("./h3")[0].text == "（一）加强组织领导。"
    assert run_in.xpath("./p")[0].text == "我局高度重视。"


# --- in a browser -----------------------------------------------------------------------------


def png_is_not_blank(data: bytes) -> bool:
    """True when the PNG has more than one distinct pixel row (text was drawn)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    chunks, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        if data[pos + 4:pos + 8] == b"IDAT":
            chunks.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = len(raw) // height
    rows = {raw[i * stride + 1:(i + 1) * stride] for i in range(height)}
    return width > 0 and len(rows) > 10


@pytest.fixture(scope="module")
def browsed(chromium, registry, tmp_path_factory):
    """Each sample's page loaded once in headless Chromium: screenshot and DOM after load."""
    folder = tmp_path_factory.mktemp("browser")
    results = {}
    for sample in SAMPLES:
        document = layout(load_report(sample, registry))
        source = folder / f"{sample.stem}.html"
        source.write_bytes(render_html(document))
        shot = folder / f"{sample.stem}.png"
        run_chromium(chromium, folder / "profile", "--window-size=900,1400", f"--screenshot={shot}", source.as_uri())
        dom = run_chromium(chromium, folder / "profile", "--dump-dom", source.as_uri()).stdout
        results[sample.stem] = (document, shot.read_bytes(), dom)
    return results


def test_chromium_renders_a_screenshot(browsed):
    for name, (_, shot, _) in browsed.items():
        assert png_is_not_blank(shot), name


def test_table_cells_read_back_from_the_dom_equal_the_report(browsed):
    for name, (document, _, dom) in browsed.items():
        tables = lxml_html.fromstring(dom).xpath("//table")
        grids = [b.grid for b in document.blocks if isinstance(b, d.Table)]
        assert len(tables) == len(grids), name
        for grid, table in zip(grids, tables):
            numbers = [cell.text for row in grid.rows for cell in row if cell.value and not cell.header]
            assert numbers, name
            assert [td.text_content() for td in table.xpath(".//td")] == numbers, name


def test_printed_page_is_a4_with_the_gbt_type_area_and_page_numbers(chromium, registry, tmp_path):
    import pdfplumber

    document = layout(load_report(DATA / "2021.xlsx", registry))
    source = tmp_path / "report.html"
    source.write_bytes(render_html(document))
    printed = tmp_path / "report.pdf"
    run_chromium(chromium, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={printed}", source.as_uri())
    mm = 72 / 25.4
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) > 1
        for number, page in enumerate(pdf.pages, start=1):
            assert (page.width, page.height) == (pytest.approx(210 * mm, abs=1), pytest.approx(297 * mm, abs=1))
            body = [c for c in page.chars if c["text"].strip() and c["top"] < (297 - 35) * mm]
            assert min(c["x0"] for c in body) >= (28 - 1) * mm
            if number == 1:  # the first page has flush-left lines
                assert min(c["x0"] for c in body) == pytest.approx(28 * mm, abs=1 * mm)
            assert max(c["x1"] for c in body) <= (210 - 26 + 1) * mm
            assert min(c["top"] for c in body) >= 37 * mm
            footer = "".join(c["text"] for c in page.chars if c["top"] >= (297 - 35) * mm)
            assert footer.replace(" ", "") == f"—{number}—"


# --- on a phone -------------------------------------------------------------------------------

PHONE_PROBE = """<script>
const cells = [...document.querySelectorAll("td, th")];
const size = parseFloat(getComputedStyle(cells[0]).fontSize);
document.body.dataset.narrowestCellInChars = Math.min(...cells.map(c => (c.clientWidth - 2) / size)).toFixed(2);
document.body.dataset.pageScrollsSideways = document.documentElement.scrollWidth > window.innerWidth;
document.body.dataset.tablesScroll = [...document.querySelectorAll(".table-scroll")]
  .filter(box => box.scrollWidth > box.clientWidth).length;
document.body.dataset.tableFontPx = size;
</script>"""


def test_tables_are_readable_on_a_390px_phone(chromium, registry, tmp_path):
    """At 390 CSS px the statutory tables keep their printed width and scroll sideways in
    their own box: no cell narrower than two characters, the page itself never wider than
    the screen, and table text at least 12 px."""
    page = render_html(layout(load_report(DATA / "2021.xlsx", registry))).decode()
    source = tmp_path / "phone.html"
    source.write_text(page.replace("</body>", PHONE_PROBE + "</body>"), encoding="utf-8")
    dom = run_chromium(chromium, tmp_path / "profile", "--window-size=390,844", "--dump-dom", source.as_uri()).stdout
    body = lxml_html.fromstring(dom).xpath("//body")[0]
    assert float(body.get("data-narrowest-cell-in-chars")) >= 2
    assert body.get("data-page-scrolls-sideways") == "false"
    assert int(body.get("data-tables-scroll")) >= 2  # tables 三 and 四 are wider than a phone
    assert float(body.get("data-table-font-px")) >= 12


def test_signature_and_the_lines_kept_with_it_form_one_unbreakable_block():
    document = d.Document("t", [
        d.Title("标题"), d.Paragraph("前文。" * 40), d.Paragraph("最后一段。"),
        d.AttachmentNote(("附件甲",)), d.Signature("某县公安局", "2024年1月20日"),
    ])
    (closing,) = tree(render_html(document)).xpath("//div[@class='closing']")
    assert [e.get("class") or e.tag for e in closing] == ["p", "p", "attachment-note", "signature-block"]
    assert closing.xpath("./p")[-1].text == "最后一段。"
    assert ".closing, .signature-block { break-inside: avoid;" in render_html(document).decode()
