"""gxreport import: published .docx/.html reports back to data (issue 5 item 4)."""

from __future__ import annotations

import datetime as dt
import html
import json
import struct
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from gxreport.api import load_report
from gxreport.cli import app
from gxreport.outputs.docx import render_docx
from gxreport.compose.document import Heading, Paragraph, Signature, Table, Title
from gxreport.errors import InputError
from gxreport.inputs.importer import import_report
from gxreport.declare.kinds import Registry
from gxreport.declare.model import Block, Report
from gxreport.compose.narrative import layout
from gxreport.outputs.render.html import render_html
from gxreport.checks.rules import complete, derived_totals

def _build_docx(report: Report, path: Path) -> Path:
    path.write_bytes(render_docx(layout(report)))
    return path


def _blocks(report: Report) -> list[tuple]:
    return [(b.part, b.level, b.title, b.text) for b in report.blocks]


def _assert_same_data(source: Report, imported: Report) -> None:
    assert imported.kind is source.kind
    assert imported.fields == source.fields
    assert _blocks(imported) == _blocks(source)
    for table in source.kind.tables:
        # A printed report shows every cell: each one is read, none left blank for complete() to
        # fill (a workbook's live totals excepted: they are recomputed by design).
        totals = derived_totals(table)
        assert None not in [v for k, v in imported.tables[table.id].items() if k not in totals], table.id
        assert complete(table, imported.tables[table.id]) == complete(table, source.tables[table.id]), table.id


def _richer(registry: Registry, sample_2021: Path) -> Report:
    """The sample with real applications, reviews, a fee, a preamble and several sections."""
    report = load_report(sample_2021, registry)
    report.fields.update(
        agency="宿迁市某某区人民政府",
        agency_type="government",
        date=dt.date(2022, 3, 15),
        fee_notices=2,
        fee_notified=Decimal("150.5"),
        fee_collected=Decimal("100"),
        preamble="本报告由区政府办公室编制。\n统计期限为2021年1月1日至12月31日。",
        contact=None,
    )
    requests = report.tables["requests"]
    requests.update(
        {
            ("new", "natural_person"): 31,
            ("new", "commercial"): 4,
            ("new", "legal_service"): 2,
            ("carried_in", "natural_person"): 3,
            ("disclosed", "natural_person"): 12,
            ("disclosed", "commercial"): 3,
            ("partly_disclosed", "natural_person"): 4,
            ("withheld.third_party", "natural_person"): 2,
            ("unavailable.not_held", "natural_person"): 9,
            ("unavailable.not_held", "legal_service"): 2,
            ("not_processed.repeated", "natural_person"): 3,
            ("other.no_fee_payment", "natural_person"): 1,
            ("other.other", "commercial"): 1,
            ("carried_out", "natural_person"): 3,
        }
    )
    for key in [k for k in requests if k[1] == "total"]:
        requests[key] = None
    reviews = report.tables["reviews"]
    reviews.update({("review", "upheld"): 2, ("review", "corrected"): 1, ("litigation_direct", "pending"): 1})
    for key in [k for k in reviews if k[1] == "total"]:
        reviews[key] = None
    report.tables["active"].update({("normative_docs", "made"): 3, ("normative_docs", "in_force"): 17, ("fees", "amount_wan"): Decimal("12.345678")})
    report.blocks = [
        Block("一", 2, "主动公开", "全年主动公开政府信息2150条。\n其中政策解读材料86篇。"),
        Block("一", 2, "依申请公开。", "本年共收到政府信息公开申请37件，均在法定期限内答复。"),
        Block("一", 2, "政府信息管理", "开展规范性文件清理。"),
        Block("五", 2, "存在的问题", "政策解读形式较为单一。"),
        Block("五", 2, "改进措施", "一是丰富解读形式；二是加强培训。"),
        Block("六", 0, "", "区政府按要求办理人大代表建议42件、政协提案57件，并公开办理结果。"),
    ]
    return report


def test_round_trip_of_the_sample(registry, sample_2021, tmp_path):
    source = load_report(sample_2021, registry)
    result = import_report(_build_docx(source, tmp_path / "样例.docx"), registry)
    assert result.findings == []
    _assert_same_data(source, result.report)
    assert result.report.kind.format == "2021"


@pytest.mark.parametrize("richer", [False, True], ids=["sample", "richer"])
def test_round_trip_through_gxreports_own_web_page(registry, sample_2021, tmp_path, richer):
    source = _richer(registry, sample_2021) if richer else load_report(sample_2021, registry)
    page = tmp_path / "报告.html"
    page.write_bytes(render_html(layout(source)))
    result = import_report(page, registry)
    assert [f for f in result.findings if f.is_error] == []
    _assert_same_data(source, result.report)


def test_round_trip_of_a_richer_report(registry, sample_2021, tmp_path):
    source = _richer(registry, sample_2021)
    result = import_report(_build_docx(source, tmp_path / "区政府.docx"), registry)
    assert [f for f in result.findings if f.is_error] == []
    _assert_same_data(source, result.report)
    imported = result.report
    assert imported.tables["requests"][("unavailable.not_held", "legal_service")] == 2
    assert imported.tables["active"][("fees", "amount_wan")] == Decimal("12.345678")
    # every number names the document place it was read from
    assert str(imported.cells["requests"][("new", "natural_person")]) == "区政府.docx!表三!第4行第4列"


def test_cli_writes_a_workbook_that_reads_back(registry, sample_2021, tmp_path, runner):
    source = _richer(registry, sample_2021)
    report_docx = _build_docx(source, tmp_path / "报告.docx")
    out = tmp_path / "导入.xlsx"
    result = runner.invoke(app, ["import", str(report_docx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "宿迁市某某区人民政府 2021 年度，2021 格式" in result.output
    _assert_same_data(source, load_report(out, registry))


def test_cli_writes_json(registry, sample_2021, tmp_path, runner):
    source = load_report(sample_2021, registry)
    out = tmp_path / "导入.json"
    result = runner.invoke(app, ["import", str(_build_docx(source, tmp_path / "r.docx")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["agency"] == "泗阳县行政审批局"
    assert data["date"] == "2022-01-20"
    assert data["tables"]["active"]["licensing"]["decisions"] == 5346


def test_existing_output_is_refused_without_force(registry, sample_2021, tmp_path, runner):
    report_docx = _build_docx(load_report(sample_2021, registry), tmp_path / "r.docx")
    out = tmp_path / "已有.json"
    out.write_text("clerk's file", encoding="utf-8")
    result = runner.invoke(app, ["import", str(report_docx), "-o", str(out)])
    assert result.exit_code == 3
    assert "文件已存在" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "clerk's file"
    forced = runner.invoke(app, ["import", str(report_docx), "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == 2021


def test_not_a_report_exits_2(tmp_path, runner):
    letter = docx.Document()
    letter.add_paragraph("关于召开年度工作会议的通知")
    letter.add_paragraph("各科室：定于1月5日召开会议。")
    path = tmp_path / "通知.docx"
    letter.save(path)
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "通知.docx" in result.output and "找不到任何统计表" in result.output
    assert not (tmp_path / "x.json").exists()


def test_a_text_file_renamed_docx_exits_2(tmp_path, runner):
    path = tmp_path / "假的.docx"
    path.write_text("not a zip", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "不是有效的 Word 文档" in result.output


def test_tables_pasted_as_images_are_named(tmp_path, registry):
    document = docx.Document()
    document.add_paragraph("某某局2021年政府信息公开工作年度报告")
    document.add_paragraph("二、主动公开政府信息情况")
    picture = tmp_path / "表二.png"
    picture.write_bytes(_png())
    document.add_picture(str(picture))
    path = tmp_path / "图片.docx"
    document.save(path)
    with pytest.raises(InputError, match="图片形式"):
        import_report(path, registry)


def _png(width: int = 8, height: int = 8) -> bytes:
    """A white PNG, enough for python-docx to embed as a picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# --- a hand-made Word report --------------------------------------------------


def _word_table(document, rows: list[list[tuple]]) -> None:
    """A Word table from HTML-style rows of (text, rowspan, colspan), merged with python-docx."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        col = 0
        for text, rowspan, colspan in row:
            while (r, col) in taken:
                col += 1
            placed.append((r, col, rowspan, colspan, text))
            taken |= {(rr, cc) for rr in range(r, r + rowspan) for cc in range(col, col + colspan)}
            col += colspan
    n_cols = max(c for _, c in taken) + 1
    table = document.add_table(rows=len(rows), cols=n_cols)
    table.style = "Table Grid"
    for r, c, rowspan, colspan, text in placed:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        cell.text = text


def _cells(*texts: str) -> list[tuple]:
    return [(t, 1, 1) for t in texts]


# Table 三 row labels as an office typed them: a dropped character in one, spaces in another.
_RESULT_ROWS = [
    ("（三）不予公开", ["1.属于国家秘", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4. 保护第三方合法权益",
                 "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                 "5.要求行政机关确认或重新出具已获取信息"]),
]


_OTHER_ROWS = [
    ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                 "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
]


def _word_document(items: list, path: Path) -> Path:
    """A Word file of paragraphs (str) and tables (HTML-style rows), as an office would type it."""
    document = docx.Document()
    for item in items:
        if isinstance(item, str):
            document.add_paragraph(item)
        else:
            _word_table(document, item)
    document.save(path)
    return path


def _hand_made_report(path: Path, other_as_one_row: bool = False) -> Path:
    """A report typed in Word by an office: its own merges, blanks, "/", a typo, a 6-decimal fee."""
    return _word_document(_hand_made_items(other_as_one_row), path)


def _hand_made_items(other_as_one_row: bool = False) -> list:
    """The office's report as paragraphs (str) and tables (HTML-style rows)."""
    items: list = []
    add = items.append
    add("某某县交通运输局2021年政府信息公开工作年度报告")
    add("根据《中华人民共和国政府信息公开条例》要求，现公布本局2021年度报告。")
    add("一、总体情况")
    add("（一）主动公开")
    add("本局全年公开各类信息420条，收到政府信息公开申请7件。")
    add("（二）依申请公开")
    add("申请均在法定期限内答复。")
    add("二、主动公开政府信息情况")
    active = [
        [("第二十条第（一）项", 1, 4)],
        _cells("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        _cells("规章", "/", "/", "/"),
        _cells("行政规范性文", "2", "无", "11"),
        [("第二十条第（五）项", 1, 4)],
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        _cells("行政许可", "1,203", "", ""),  # the value cell not merged across the three columns
        [("第二十条第（六）项", 1, 4)],
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政处罚", 1, 1), ("56", 1, 3)],
        [("行政强制", 1, 1), ("—", 1, 3)],
        [("第二十条第（八）项", 1, 4)],
        [("信息内容", 1, 1), ("本年收费金额（单位：万元）", 1, 3)],
        [("行政事业性收费", 1, 1), ("0.123456", 1, 3)],
    ]
    add(active)
    add("三、收到和处理政府信息公开申请情况")
    header = [
        _cells("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "") + [("申请人情况", 1, 7)],
        _cells("", "", "", "自然人") + [("法人或其他组织", 1, 5)] + _cells("总计"),
        _cells("", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""),
    ]
    numbers = ["5", "2", "", "", "", "", ""]  # 总计 column left empty, as many offices do
    rows = header + [
        [("一、本年新收政府信息公开申请数量", 1, 3)] + _cells(*numbers),
        [("二、上年结转政府信息公开申请数量", 1, 3)] + _cells("1", "", "", "", "", "", ""),
    ]
    body: list[list[tuple]] = [
        [("（一）予以公开", 1, 2)] + _cells("3", "1", "", "", "", "", ""),
        [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)] + _cells("2", "1", "", "", "", "", ""),
    ]
    for group, labels in _RESULT_ROWS + ([] if other_as_one_row else _OTHER_ROWS):
        for label in labels:
            # the group label typed again on every row instead of a vertical merge
            body.append(_cells(group, label) + _cells("/" if label.startswith("8.") else "0", "", "", "", "", "", ""))
    if other_as_one_row:
        body.append([("（六）其他处理", 1, 2)] + _cells("1", "", "", "", "", "", ""))
    else:
        body[-1] = body[-1][:2] + _cells("1", "", "", "", "", "", "")  # 3.其他: one case
    body.append([("（七）总计", 1, 2)] + _cells("", "", "", "", "", "", ""))
    body[0] = [("三、本年度办理结果", len(body), 1)] + body[0]
    rows += body
    rows.append([("四、结转下年度继续办理", 1, 3)] + _cells("", "", "", "", "", "", ""))
    add(rows)
    add("四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况")
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    reviews = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        _cells(*outcomes) + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        _cells("", "", "", "", "") + _cells(*outcomes, *outcomes),  # no vertical merge: blanks under the first five
        _cells("1", "", "", "", "1", *["0"] * 10),
    ]
    add(reviews)
    add("五、政府信息公开工作存在的主要问题及改进情况")
    add("信息更新不够及时。下一步将加强审核。")
    add("六、其他需要报告的事项")
    add("本年度未收取信息处理费。")
    add("")
    add("某某县交通运输局")
    add("2022年1月25日")
    return items


def test_hand_made_word_report_imports_with_warnings(registry, tmp_path):
    result = import_report(_hand_made_report(tmp_path / "交通局.docx"), registry)
    report = result.report
    assert [f for f in result.findings if f.is_error] == []
    assert report.fields["agency"] == "某某县交通运输局"
    assert report.fields["year"] == 2021
    assert report.fields["agency_type"] == "department"
    assert report.fields["date"] == dt.date(2022, 1, 25)
    active = report.tables["active"]
    assert active[("normative_docs", "made")] == 2  # label with a dropped character
    assert active[("normative_docs", "in_force")] == 11
    assert active[("licensing", "decisions")] == 1203
    assert active[("penalty", "decisions")] == 56
    assert active[("fees", "amount_wan")] == Decimal("0.123456")
    assert active[("rules", "made")] is None and active[("coercion", "decisions")] is None
    given = report.tables["requests"]
    requests = complete(registry.get("annual").table("requests"), given)
    assert given[("new", "natural_person")] == 5 and given[("new", "total")] is None
    assert requests[("new", "total")] == 7  # the empty 总计 column is computed
    assert given[("withheld.state_secret", "natural_person")] == 0  # "1.属于国家秘" (typo) found
    assert str(report.cells["requests"][("withheld.state_secret", "natural_person")]) == "交通局.docx!表三!第8行第4列"
    assert given[("withheld.third_party", "natural_person")] == 0  # "4. 保护…" (space) found
    assert given[("other.other", "natural_person")] == 1
    assert given[("disclosed", "commercial")] == 1
    reviews = report.tables["reviews"]
    assert reviews[("review", "upheld")] == 1 and reviews[("review", "total")] == 1
    assert reviews[("litigation_after_review", "total")] == 0
    # "/" and "—" are named with their place (R13), never read as a silent zero
    r13 = {str(f.where): f.message for f in result.findings if f.rule == "R13"}
    assert "交通局.docx!表二!第3行第2列" in r13 and "“/”" in r13["交通局.docx!表二!第3行第2列"]
    assert any("“—”" in m for m in r13.values())
    assert "“无”" in r13["交通局.docx!表二!第4行第3列"]
    assert "交通局.docx!表三!第15行第4列" in r13  # 8.属于行政查询事项 "/"
    # narrative: subsections of 一 as level-2 blocks, 五 and 六 as text
    assert [(b.part, b.level, b.title) for b in report.blocks] == [
        ("一", 2, "主动公开"), ("一", 2, "依申请公开"), ("五", 0, ""), ("六", 0, "")
    ]
    assert report.part_text("六") == "本年度未收取信息处理费。"
    assert report.fields["preamble"].startswith("根据《中华人民共和国政府信息公开条例》")


def test_hand_made_report_through_the_command(tmp_path, runner):
    out = tmp_path / "交通局.xlsx"
    result = runner.invoke(app, ["import", str(_hand_made_report(tmp_path / "交通局.docx")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "某某县交通运输局 2021 年度，2021 格式，0 个错误" in result.output
    assert "警告 R13 交通局.docx!表二!第3行第2列" in result.output
    assert out.is_file()


def test_one_row_other_processing_goes_to_its_last_sub_row(registry, tmp_path):
    """A 2021 report whose （六）其他处理 is one row without its three sub-rows (docs/annual-report.md §6)."""
    result = import_report(_hand_made_report(tmp_path / "六.docx", other_as_one_row=True), registry)
    report = result.report
    assert [f for f in result.findings if f.is_error] == []
    assert report.kind.format == "2021"
    given = report.tables["requests"]
    assert given[("other.other", "natural_person")] == 1
    assert given[("other.no_correction", "natural_person")] is None
    assert given[("other.no_fee_payment", "natural_person")] is None
    assert str(report.cells["requests"][("other.other", "natural_person")]) == "六.docx!表三!第24行第4列"
    notes = [f for f in result.findings if "只有一行" in f.message]
    assert len(notes) == 1 and "其数字记入“3.其他”" in notes[0].message
    assert str(notes[0].where) == "六.docx!表三!第24行第4列"


# --- a government web page ----------------------------------------------------


def _web_page(path: Path, items: list, encoding: str = "gbk") -> Path:
    """The report as a county site publishes it: site chrome, nested spans, &nbsp;, GBK."""
    body: list[str] = []
    for item in items:
        if isinstance(item, str):
            if item.startswith(("一、", "二、", "三、", "四、", "五、", "六、")):
                body.append(f'<p style="text-indent:2em"><strong><span style="font-family:黑体">{html.escape(item)}</span></strong></p>')
            elif "年政府信息公开工作年度报告" in item:
                body.append(f'<h1 class="article-title">{html.escape(item)}</h1>')
            else:
                body.append(f'<p style="text-indent:2em;line-height:2"><span>&nbsp;{html.escape(item)}</span></p>')
            continue
        rows = []
        for row in item:
            cells = "".join(
                f'<td{f" rowspan={chr(34)}{rs}{chr(34)}" if rs > 1 else ""}{f" colspan={cs}" if cs > 1 else ""}'
                f' style="border:1px solid #000"><p align="center"><span style="font-size:12px">{html.escape(text) or "&nbsp;"}</span></p></td>'
                for text, rs, cs in row
            )
            rows.append(f"<tr>{cells}</tr>")
        body.append(f'<div class="table-wrap"><table border="1" cellspacing="0" width="100%"><tbody>{"".join(rows)}</tbody></table></div>')
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>某某县交通运输局2021年政府信息公开工作年度报告_某某县人民政府</title>
<script>var _hmt = _hmt || [];</script></head>
<body><div class="header"><ul class="nav"><li>首页</li><li>政务公开</li></ul></div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>
<div class="article">{''.join(body)}</div>
<div class="footer"><p>主办：某某县人民政府办公室 电话：0527-88888888 2023年5月1日更新</p></div>
</body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


def test_web_page_imports_like_the_word_file(registry, tmp_path):
    items = _hand_made_items()
    from_word = import_report(_hand_made_report(tmp_path / "交通局.docx"), registry).report
    result = import_report(_web_page(tmp_path / "交通局.html", items), registry)
    from_web = result.report
    assert [f for f in result.findings if f.is_error] == []
    assert from_web.fields == from_word.fields
    assert from_web.tables == from_word.tables
    assert _blocks(from_web) == _blocks(from_word)
    assert str(from_web.cells["active"][("fees", "amount_wan")]) == "交通局.html!表二!第14行第2列"
    assert any(f.rule == "R13" and str(f.where) == "交通局.html!表二!第3行第2列" for f in result.findings)


def test_web_page_of_a_generated_report(registry, sample_2021, tmp_path):
    """The page a site makes of gxreport's document: the declared tables with rowspan/colspan."""
    source = _richer(registry, sample_2021)
    items: list = []
    for block in layout(source).blocks:
        if isinstance(block, (Title, Paragraph)):
            items.append(block.text.replace("\n", ""))
        elif isinstance(block, Heading):
            items.append(f"{block.number}{block.title}{block.text}")
        elif isinstance(block, Signature):
            items += [block.agency, block.date]
        elif isinstance(block, Table):
            items.append([[(c.text, c.rowspan, c.colspan) for c in row] for row in block.grid.rows])
    result = import_report(_web_page(tmp_path / "区政府.html", items, encoding="utf-8"), registry)
    _assert_same_data(source, result.report)


# --- the 2019 format ----------------------------------------------------------

def _report_2019(path: Path) -> Path:
    """A 2019-format report: five blocks in table 二, signed 本年增/减, an amount with its unit."""
    items: list = ["某某市统计局2019年政府信息公开工作年度报告", "一、总体情况", "本局认真落实《条例》。", "二、主动公开政府信息情况"]
    heads = ["上一年项目数量", "本年增/减", "处理决定数量"]
    items.append(
        [
            [("第二十条第（一）项", 1, 4)],
            _cells("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
            _cells("规章", "0", "0", "0"),
            _cells("规范性文件", "3", "3", "25"),
            [("第二十条第（五）项", 1, 4)],
            _cells("信息内容", *heads),
            _cells("行政许可", "120", "+1036", "1500"),
            _cells("其他对外管理服务事项", "10", "−8", "30"),
            [("第二十条第（六）项", 1, 4)],
            _cells("信息内容", *heads),
            _cells("行政处罚", "20", "0", "15"),
            _cells("行政强制", "0", "0", "0"),
            [("第二十条第（八）项", 1, 4)],
            [("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 2)],
            [("行政事业性收费", 1, 1), ("2", 1, 1), ("0", 1, 2)],
            [("第二十条第（九）项", 1, 4)],
            [("信息内容", 1, 1), ("采购项目数量", 1, 1), ("采购总金额", 1, 2)],
            [("政府集中采购", 1, 1), ("4", 1, 1), ("251000元", 1, 2)],
        ]
    )
    items.append("三、收到和处理政府信息公开申请情况")
    header = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        _cells("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
    ]
    zeros = ["0"] * 7
    body = [[("（一）予以公开", 1, 2)] + _cells("4", "1", "0", "0", "0", "0", "5"),
            [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)] + _cells(*zeros)]
    for group, labels in _RESULT_ROWS:
        body.append([(group, len(labels), 1)] + _cells(labels[0], *zeros))
        body += [_cells(label, *zeros) for label in labels[1:]]
    body.append([("（六）其他处理", 1, 2)] + _cells("1", "0", "0", "0", "0", "0", "1"))
    body.append([("（七）总计", 1, 2)] + _cells("5", "1", "0", "0", "0", "0", "6"))
    body[0] = [("三、本年度办理结果", len(body), 1)] + body[0]
    items.append(
        header
        + [[("一、本年新收政府信息公开申请数量", 1, 3)] + _cells("5", "1", "0", "0", "0", "0", "6"),
           [("二、上年结转政府信息公开申请数量", 1, 3)] + _cells(*zeros)]
        + body
        + [[("四、结转下年度继续办理", 1, 3)] + _cells(*zeros)]
    )
    items.append("四、政府信息公开行政复议、行政诉讼情况")
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    items.append(
        [
            [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(o, 2, 1) for o in outcomes] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            _cells(*outcomes, *outcomes),
            _cells(*["0"] * 15),
        ]
    )
    items += ["五、存在的主要问题及改进情况", "公开内容仍需丰富。", "六、其他需要报告的事项", "无。", "某某市统计局", "2020年1月20日"]
    return _word_document(items, path)


def test_2019_format_is_detected_and_read(registry, tmp_path):
    result = import_report(_report_2019(tmp_path / "统计局.docx"), registry)
    report = result.report
    assert [f for f in result.findings if f.is_error] == []
    assert report.kind.format == "2019"
    assert (report.fields["agency"], report.fields["year"], report.fields["date"]) == ("某某市统计局", 2019, dt.date(2020, 1, 20))
    active = report.tables["active"]
    assert active[("licensing", "change")] == 1036
    assert active[("other_services", "change")] == -8
    assert active[("procurement", "amount")] == 251000
    assert report.units["active"][("procurement", "amount")] == "元"
    assert active[("normative_docs", "total_public")] == 25
    requests = report.tables["requests"]
    assert requests[("other", "natural_person")] == 1 and requests[("total", "total")] == 6
    assert not any("只有一行" in f.message for f in result.findings)


def test_2021_report_is_not_taken_for_2019(registry, tmp_path):
    result = import_report(_hand_made_report(tmp_path / "交通局.docx"), registry)
    assert result.report.kind.format == "2021"
    assert ("other.other", "natural_person") in result.report.tables["requests"]


def test_headings_numbered_by_word_itself_are_found(registry, tmp_path):
    """Word's automatic numbering leaves 一、 out of the text: the template's heading is enough."""
    items = [
        item[2:] if isinstance(item, str) and item[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else item
        for item in _hand_made_items()
    ]
    _word_document(items, tmp_path / "自动编号.docx")
    report = import_report(tmp_path / "自动编号.docx", registry).report
    assert [(b.part, b.title) for b in report.blocks] == [("一", "主动公开"), ("一", "依申请公开"), ("五", ""), ("六", "")]
    assert report.part_text("五") == "信息更新不够及时。下一步将加强审核。"


def test_a_page_laid_out_in_a_table_is_read_through(registry, tmp_path):
    """Old county sites put the whole article inside one cell of a layout table."""
    page = _web_page(tmp_path / "旧网站.html", _hand_made_items(), encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    start, end = text.index('<div class="article">'), text.index('<div class="footer">')
    wrapped = text[:start] + '<table width="900"><tr><td width="150">栏目导航</td><td>' + text[start:end] + "</td></tr></table>" + text[end:]
    page.write_text(wrapped, encoding="utf-8")
    result = import_report(page, registry)
    assert result.report.fields["agency"] == "某某县交通运输局"
    assert result.report.tables["active"][("penalty", "decisions")] == 56
    assert result.report.part_text("五") == "信息更新不够及时。下一步将加强审核。"


def test_a_word_report_inside_a_one_cell_table(registry, tmp_path):
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    for item in _hand_made_items():
        if isinstance(item, str):
            frame.add_paragraph(item)
        else:
            _word_table(frame, item)
    document.save(tmp_path / "套表.docx")
    result = import_report(tmp_path / "套表.docx", registry)
    assert result.report.fields["date"] == dt.date(2022, 1, 25)
    assert result.report.tables["active"][("fees", "amount_wan")] == Decimal("0.123456")


def test_a_table_split_at_a_page_break_is_joined(registry, tmp_path):
    items = _hand_made_items()
    at = next(i for i, item in enumerate(items) if isinstance(item, list) and len(item) > 20)  # table 三
    table = items[at]
    top, bottom = table[:12], table[12:]
    spans = top[3 + 2][0]  # 三、本年度办理结果 spans rows in both halves: cut its rowspan at the break
    top[5][0] = (spans[0], len(top) - 5, 1)
    bottom[0] = [(spans[0], len(bottom) - 1, 1)] + bottom[0]
    items[at : at + 1] = [top, "", bottom]
    _word_document(items, tmp_path / "分页.docx")
    result = import_report(tmp_path / "分页.docx", registry)
    given = result.report.tables["requests"]
    assert given[("other.other", "natural_person")] == 1
    assert given[("unavailable.not_held", "natural_person")] == 0
    assert str(result.report.cells["requests"][("carried_out", "natural_person")]) == "分页.docx!表三!第28行第4列"
    assert not [f for f in result.findings if "找不到" in f.message]


def test_a_gbk_page_that_declares_no_charset(registry, tmp_path):
    page = _web_page(tmp_path / "无声明.html", _hand_made_items())
    page.write_bytes(page.read_bytes().replace(b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">', b""))
    assert b"charset" not in page.read_bytes()
    result = import_report(page, registry)
    assert result.report.fields["agency"] == "某某县交通运输局"


def test_a_section_heading_with_its_text_run_in(registry, tmp_path):
    items = [
        "一、总体情况。本局2021年主动公开信息420条，各项工作有序推进，全年未发生泄密事件。" if item == "一、总体情况" else item
        for item in _hand_made_items()
    ]
    items = [i for i in items if i not in ("（一）主动公开", "（二）依申请公开")]
    _word_document(items, tmp_path / "连排.docx")
    report = import_report(tmp_path / "连排.docx", registry).report
    assert report.part_text("一").startswith("本局2021年主动公开信息420条")
    assert report.part_text("五") == "信息更新不够及时。下一步将加强审核。"


def test_an_impossible_signature_date_is_a_warning_not_a_crash(registry, tmp_path):
    items = ["2022年2月30日" if item == "2022年1月25日" else item for item in _hand_made_items()]
    result = import_report(_word_document(items, tmp_path / "日期.docx"), registry)
    assert result.report.fields["date"] is None
    assert any("找不到落款日期" in f.message for f in result.findings)


def test_spans_written_as_nonsense_are_read_as_one_column(registry, tmp_path):
    path = _hand_made_report(tmp_path / "跨列.docx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert b'w:gridSpan w:val="4"' in parts["word/document.xml"]  # 第二十条第（一）项 spans table 二
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'w:gridSpan w:val="4"', b'w:gridSpan w:val="x"', 1)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = import_report(path, registry)
    assert result.report.tables["requests"], "the other tables still read"


def test_a_zip_bomb_named_docx_is_refused_before_reading(registry, tmp_path):
    path = _hand_made_report(tmp_path / "炸弹.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/filler.bin", b"\0" * (50 << 20))
    with pytest.raises(InputError, match="炸弹.docx: 压缩比异常"):
        import_report(path, registry)
