"""The 2021 annual report built from the sample: the statutory tables, the page, the text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gxreport.declare.page import PAGE

from gxreport import api
from gxreport.declare.kinds import Registry

from .conftest import DATA, convert_to_pdf
from .docx_reading import NS, docx_parts, table_rows, w

SIX_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
# The 25 body rows of table 三 (docs/annual-report.md §3.2), by their innermost label.
REQUEST_ROW_LABELS = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("annual") / "泗阳县行政审批局2021年政府信息公开工作年度报告.docx"
    result = api.build_file(DATA / "2021.xlsx", Registry(), output=out)
    assert result.outputs == [out]
    return out


@pytest.fixture(scope="module")
def parts(built):
    return docx_parts(built)


@pytest.fixture(scope="module")
def body(parts):
    return parts["word/document.xml"].find("w:body", NS)


@pytest.fixture(scope="module")
def tables(body):
    active, requests, reviews = body.findall("w:tbl", NS)
    return {"active": active, "requests": requests, "reviews": reviews}


def grid_width(row) -> int:
    return sum(span for _, span, _ in row)


def test_section_page_setup(body):
    sectPr = body.find("w:sectPr", NS)
    size = sectPr.find("w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    margins = sectPr.find("w:pgMar", NS)
    assert {k: margins.get(w(k)) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474",
    }
    grid = sectPr.find("w:docGrid", NS)
    assert grid.get(w("type")) == "linesAndChars" and grid.get(w("linePitch")) == "579"
    assert int(grid.get(w("charSpace"))) < 0


def test_table_three_is_ten_columns_by_twenty_eight_rows_with_the_statutory_spans(tables):
    tbl = tables["requests"]
    assert len(tbl.findall("w:tblGrid/w:gridCol", NS)) == 10
    rows = table_rows(tbl)
    assert len(rows) == 28 and all(grid_width(row) == 10 for row in rows)
    corner, applicants = rows[0]
    assert corner == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, "restart")
    assert applicants == ("申请人情况", 7, "")
    assert [c[0] for c in rows[1]] == ["", "自然人", "法人或其他组织", "总计"]
    assert [(c[1], c[2]) for c in rows[1]] == [(3, "continue"), (1, "restart"), (5, ""), (1, "restart")]
    assert [c[0] for c in rows[2][2:7]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # 三、本年度办理结果 spans the 22 rows down to （七）总计.
    assert rows[5][0] == ("三、本年度办理结果", 1, "restart")
    assert all(row[0] == ("", 1, "continue") for row in rows[6:27])
    assert rows[27][0] == ("四、结转下年度继续办理", 3, "")
    # （三）不予公开 spans 8 rows, （四） 3, （五） 5, （六） 3.
    for first, label, height in ((7, "（三）不予公开", 8), (15, "（四）无法提供", 3), (18, "（五）不予处理", 5), (23, "（六）其他处理", 3)):
        assert rows[first][1] == (label, 1, "restart")
        assert all(rows[r][1] == ("", 1, "continue") for r in range(first + 1, first + height))
    innermost = [[text for text, _, _ in row if text and not text.isdigit()][-1] for row in rows[3:]]
    assert tuple(innermost) == REQUEST_ROW_LABELS


def test_only_the_header_rows_repeat_and_no_row_splits(tables):
    for table_id, header_rows in (("requests", 3), ("reviews", 3), ("active", 0)):
        trs = tables[table_id].findall("w:tr", NS)
        assert [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in trs] == [i < header_rows for i in range(len(trs))]
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in trs)


def test_table_four_has_fifteen_columns_and_three_header_rows(tables):
    rows = table_rows(tables["reviews"])
    assert len(rows) == 4 and all(grid_width(row) == 15 for row in rows)
    assert rows[0] == [("行政复议", 5, ""), ("行政诉讼", 10, "")]
    assert [c[0] for c in rows[1]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    assert [c[2] for c in rows[1][:5]] == ["restart"] * 5 and [c[1] for c in rows[1][5:]] == [5, 5]
    assert [c[0] for c in rows[2][5:]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert [c[0] for c in rows[3]] == ["0"] * 15


def test_table_two_has_its_four_blocks_and_the_sample_figure(tables):
    rows = table_rows(tables["active"])
    assert len(rows) == 14 and all(grid_width(row) == 4 for row in rows)
    assert [rows[i][0] for i in (0, 4, 7, 11)] == [
        ("第二十条第（一）项", 4, ""), ("第二十条第（五）项", 4, ""), ("第二十条第（六）项", 4, ""), ("第二十条第（八）项", 4, ""),
    ]
    assert rows[6] == [("行政许可", 1, ""), ("5346", 3, "")]
    assert rows[12][1] == ("本年收费金额（单位：万元）", 3, "")


def test_tables_fit_the_type_width_in_a_smaller_face(tables):
    for tbl in tables.values():
        widths = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(widths) <= 8844  # 156 mm
        sizes = {int(s) for s in tbl.xpath(".//w:rPr/w:sz/@w:val", namespaces=NS)}
        assert sizes and max(sizes) <= 21  # 五号 10.5 pt or smaller


def test_numbers_are_centred_in_the_cells(parts, tables):
    (style,) = parts["word/styles.xml"].xpath("w:style[@w:styleId='GWTable']", namespaces=NS)
    assert style.xpath("string(w:pPr/w:jc/@w:val)", namespaces=NS) == "center"
    value_paragraphs = tables["reviews"].findall("w:tr", NS)[3].findall(".//w:p", NS)
    assert all(p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) == "GWTable" for p in value_paragraphs)


def test_headings_use_their_level_faces(parts, body):
    headings = {p.xpath("string(.)"): p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) for p in body.findall("w:p", NS)}
    assert all(headings[h] == "GWHeading1" for h in SIX_HEADINGS)
    assert headings["（一）主动公开"] == "GWHeading2"
    fonts = {
        s.get(w("styleId")): s.xpath("string(w:rPr/w:rFonts/@w:eastAsia)", namespaces=NS)
        for s in parts["word/styles.xml"].findall("w:style", NS)
    }
    assert (fonts["GWHeading1"], fonts["GWHeading2"], fonts["GWBody"], fonts["GWTitle"]) == ("黑体", "楷体_GB2312", "仿宋_GB2312", "方正小标宋简体")


def test_signature_and_date_close_the_report(body):
    paragraphs = body.findall("w:p", NS)
    name, date = paragraphs[-2], paragraphs[-1]
    assert name.xpath("string(.)") == "泗阳县行政审批局" and date.xpath("string(.)") == "2022年1月20日"
    assert paragraphs[-3].xpath("string(.)") == ""  # one blank line below the body
    for p in (name, date):
        assert p.xpath("string(w:pPr/w:jc/@w:val)", namespaces=NS) == "right"
    # GB/T 9704 7.3.5.3: the name right-indented 2 characters; the date starts 2 characters
    # right of the name's start: 8 characters of name, 6.5 printed for the date plus the gap
    # where each of its 5 digit runs meets Chinese (page.PAGE.cjk_latin_gap_chars).
    indents = [int(p.xpath("string(w:pPr/w:ind/@w:right)", namespaces=NS)) for p in (name, date)]
    assert indents == [632, round((8 - 6.5 - 5 * PAGE.cjk_latin_gap_chars) * 316)]
    # One block kept with the body above it: blank, name and the last body paragraph keep
    # with the next; name and date are never split.
    def has(p, element):
        return p.find(f"w:pPr/w:{element}", NS) is not None

    assert [has(p, "keepNext") for p in paragraphs[-4:]] == [True, True, True, False]
    assert has(name, "keepLines") and has(date, "keepLines")


def test_both_footers_carry_a_page_field(parts):
    footers = [parts[n] for n in parts if n.startswith("word/footer")]
    assert len(footers) == 2
    for footer in footers:
        assert "".join(footer.xpath("//w:instrText/text()", namespaces=NS)).strip() == "PAGE"
        shown = "".join(footer.xpath("//w:p//w:t/text()", namespaces=NS))  # the field's cached result included
        assert shown == "— 1 —"
    assert parts["word/settings.xml"].find("w:evenAndOddHeaders", NS) is not None


def test_json_form_builds_the_same_document_as_the_workbook(parts, tmp_path):
    from_json = tmp_path / "from-json.docx"
    api.build_file(DATA / "2021.json", Registry(), output=from_json)
    other = docx_parts(from_json)
    for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
        assert name in other
        assert _xml(other[name]) == _xml(parts[name]), name


def _xml(element) -> bytes:
    from lxml import etree

    return etree.tostring(element, method="c14n")


def test_libreoffice_renders_title_headings_table_labels_figures_and_page_numbers(built, tmp_path, soffice):
    pdf = convert_to_pdf(soffice, built, tmp_path)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = "".join(text.split())
    assert "泗阳县行政审批局2021年政府信息公开工作年度报告" in squeezed
    for heading in SIX_HEADINGS:
        assert heading in squeezed
    for label in REQUEST_ROW_LABELS:
        assert "".join(label.split()) in squeezed, label
    assert "5346" in squeezed
    assert "—1—" in squeezed


def test_table_rows_are_kept_together_where_a_page_break_would_strand_them(tables):
    """Each statutory table fits on a page, so it moves whole: keepNext on every paragraph of
    every row but the last (and rows never split: cantSplit)."""
    def kept(tbl) -> list[int]:
        return [
            i for i, tr in enumerate(tbl.findall("w:tr", NS))
            if all(p.find("w:pPr/w:keepNext", NS) is not None for p in tr.iter(w("p")))
        ]

    for name, tbl in tables.items():
        rows = tbl.findall("w:tr", NS)
        assert kept(tbl) == list(range(len(rows) - 1)), name
        assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows), name
