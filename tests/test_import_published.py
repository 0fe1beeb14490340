"""Published reports as government websites serve them (issue 13 item 3): only the report is read,
label variants, missing rows as errors, titles, dates, agency types, notes in cells, heading levels,
and the import's cost bounded by the page's size (issue 11 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_INPUT, InputError
from gxreport.inputs.importer import import_report
from gxreport.inputs.importer import tables as table_matching
from gxreport.inputs.importer import read_source
from gxreport.inputs.jsonform import report_to_dict
from tests.test_import import _RESULT_ROWS

SITE_TOP = """
<div class="top"><a href="#">长者模式</a> <a href="#">无障碍</a> <span>简体版</span></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bs">办事服务</a></li></ul>
<div class="crumb">首页 &gt; 政务公开 &gt; 政府信息公开年度报告</div>
<ul class="related"><li><a href="#">某某县农业农村局2021年政府信息公开工作年度报告</a></li></ul>
"""
SITE_BOTTOM = """
<div class="share">分享到：微信 微博</div>
<div class="tools">【打印本页】 【关闭窗口】</div>
<div class="footer"><ul><li><a href="#">网站地图</a></li><li><a href="#">联系我们</a></li></ul>
<p>主办单位：某某县人民政府办公室　承办单位：某某县大数据中心</p>
<p>网站标识码：3213000099　苏ICP备05001234号-1　苏公网安备 32130002000123号</p></div>
"""


def _row(label: str, values, colspan: int = 1, rowspan_cell: str = "") -> str:
    head = rowspan_cell + f'<td colspan="{colspan}">{label}</td>'
    return "<tr>" + head + "".join(f"<td>{v}</td>" for v in values) + "</tr>"


def _table_3(new, carried_in, disclosed, other_one_row, carried_out, *, drop_row: str = "") -> str:
    zeros = ["0"] * 7
    rows = [
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
        _row("一、本年新收政府信息公开申请数量", new, 3),
        _row("二、上年结转政府信息公开申请数量", carried_in, 3),
    ]
    body = [_row("（一）予以公开", disclosed, 2), _row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", zeros, 2)]
    for group, labels in _RESULT_ROWS:
        labels = [x for x in labels if x != drop_row]
        body.append(_row(labels[0], zeros, 1, f'<td rowspan="{len(labels)}">{group}</td>'))
        body += [_row(label, zeros) for label in labels[1:]]
    body.append(_row("（六）其他处理", other_one_row, 2))
    total = [int(d) + int(o) for d, o in zip(disclosed, other_one_row)]
    body.append(_row("（七）总计", total, 2))
    body[0] = body[0].replace("<tr>", f'<tr><td rowspan="{len(body)}">三、本年度办理结果</td>', 1)
    return "<table border='1'>" + "".join(rows + body) + _row("四、结转下年度继续办理", carried_out, 3) + "</table>"


TABLE_2 = """<table border="1">
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章（县级无此项）</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>规范性文件</td><td>22（其中修订16件）</td><td>3</td><td>41</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">1,206</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">35</td></tr>
<tr><td>行政强制</td><td colspan="3">2</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">0</td></tr>
</table>"""

TABLE_4 = """<table border="1">
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td>
<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>"""


def county_page(title: str = "2021年某某经济开发区管理委员会政府信息公开年度报告", *, drop_row: str = "", signed: bool = False) -> str:
    """A report as a county site serves it: the site's chrome around it, the title as the page's
    heading above the content, a metadata line, no signature, the date in <meta name="PubDate">."""
    table_3 = _table_3(
        ["5", "1", "0", "0", "0", "0", "6"], ["1", "0", "0", "0", "0", "0", "1"],
        ["4", "1", "0", "0", "0", "0", "5"], ["1", "0", "0", "0", "0", "0", "1"], ["1", "0", "0", "0", "0", "0", "1"],
        drop_row=drop_row,
    )
    signature = "<p style='text-align:right'>某某经济开发区管理委员会</p><p style='text-align:right'>2022年3月25日</p>" if signed else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="PubDate" content="2022-03-28 09:15">
<title>{title}_某某经济开发区</title></head><body>{SITE_TOP}
<div class="article"><h1 class="title">{title}</h1>
<div class="info">发布时间：2022-03-28　来源：开发区党政办　浏览次数：318　【字体：大 中 小】</div>
<div class="content" id="zoom">
<p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>
<p>一、总体情况</p>
<p>（一）主动公开</p>
<p>1.加强平台建设。全年更新网站栏目12个。</p>
<p>2.规范发布审核</p>
<p>实行三级审核，全年发布信息386条。</p>
<p>（二）依申请公开</p><p>全年收到申请6件，上年结转1件，均按期答复。</p>
<p>二、主动公开政府信息情况</p>{TABLE_2}
<p>三、收到和处理政府信息公开申请情况</p>{table_3}
<p>四、政府信息公开行政复议、行政诉讼情况</p>{TABLE_4}
<p>五、存在的主要问题及改进情况</p><p>解读形式较单一，明年增加图解。</p>
<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。区管委会落实上级政务公开工作要点，办理建议提案，推进创新。</p>
{signature}</div></div>{SITE_BOTTOM}</body></html>"""


@pytest.fixture()
def page(tmp_path):
    path = tmp_path / "开发区2021.html"
    path.write_text(county_page(), encoding="utf-8")
    return path


def _all_text(report) -> str:
    return "\n".join([str(report.fields.get("preamble") or "")] + [f"{b.title}{b.text}" for b in report.blocks])


def test_only_the_report_is_read(page, registry):
    report = import_report(page, registry).report
    text = _all_text(report)
    for site in ("长者模式", "无障碍", "首页", "网站标识码", "ICP", "公网安备", "分享到", "打印本页", "主办单位", "网站地图",
                 "浏览次数", "字体", "农业农村局", "简体版"):
        assert site not in text, site
    assert report.fields["preamble"] == "本报告根据《中华人民共和国政府信息公开条例》编制。"
    assert report.part_text("六") == "本年度未收取信息处理费。区管委会落实上级政务公开工作要点，办理建议提案，推进创新。"


def test_year_first_title_without_work_and_the_page_date(page, registry):
    result = import_report(page, registry)
    report = result.report
    assert (report.fields["agency"], report.fields["year"]) == ("某某经济开发区管理委员会", 2021)
    assert report.fields["date"] == dt.date(2022, 3, 28)
    messages = [f.message for f in result.findings]
    assert "报告没有落款日期，成文日期取网页的发布日期 2022年3月28日（“<meta name=\"PubDate\">”），请核对" in messages
    # a 管委会 reports for its whole area, as a 人民政府 does (R12 then allows until 31 March)
    assert report.fields["agency_type"] == "government"
    assert any(m.startswith("机关类型按机关名称判断为“人民政府”（名称以“管理委员会”结尾）") for m in messages)
    assert not any(f.rule == "R12" for f in result.findings)


def test_a_signature_date_wins_over_the_page_date(tmp_path, registry):
    path = tmp_path / "signed.html"
    path.write_text(county_page(signed=True), encoding="utf-8")
    result = import_report(path, registry)
    assert result.report.fields["date"] == dt.date(2022, 3, 25)
    assert not any("发布日期" in f.message for f in result.findings)


def test_date_from_a_publication_line_when_no_meta(tmp_path, registry):
    path = tmp_path / "line.html"
    path.write_text(county_page().replace('<meta name="PubDate" content="2022-03-28 09:15">', "").replace("2022-03-28", "2022年3月29日"), encoding="utf-8")
    result = import_report(path, registry)
    assert result.report.fields["date"] == dt.date(2022, 3, 29)
    assert any("“发布时间：2022年3月29日”" in f.message for f in result.findings)


def test_label_variants_and_notes_in_cells(page, registry):
    result = import_report(page, registry)
    active = result.report.tables["active"]
    assert active[("normative_docs", "made")] == 22  # printed 规范性文件, with a note after the number
    assert active[("normative_docs", "in_force")] == 41 and active[("rules", "in_force")] == 0
    assert active[("licensing", "decisions")] == 1206
    note = [f for f in result.findings if "其中修订16件" in f.message]
    assert [(f.severity, str(f.where)) for f in note] == [("警告", "开发区2021.html!表二!第4行第2列")]
    assert note[0].message == "行政规范性文件 本年制发件数：“22（其中修订16件）”读作 22，括号中的说明“其中修订16件”未计入统计表，需要时写入正文"
    requests = result.report.tables["requests"]
    assert requests[("other.other", "natural_person")] == 1  # （六）其他处理 printed as one row
    assert [f for f in result.findings if f.is_error] == []
    assert result.report.tables["reviews"][("litigation_direct", "pending")] == 1


def test_a_row_that_cannot_be_found_is_an_error_naming_it(tmp_path, registry, runner):
    path = tmp_path / "缺行.html"
    path.write_text(county_page(drop_row="3.要求提供公开出版物"), encoding="utf-8")
    result = import_report(path, registry)
    errors = [f for f in result.findings if f.is_error]
    assert len(errors) == 6  # one per applicant column of the missing row, never a silent 0
    assert str(errors[0].where) == "缺行.html!表三"
    # its 总计 is the sum of those columns: worked out, and said so
    assert "要求提供公开出版物 总计：表中找不到这一栏，按各项之和计算" in [f.message for f in result.findings]
    assert errors[0].message.startswith("要求提供公开出版物 自然人：表中找不到“3.要求提供公开出版物”一行或“自然人”一栏，未读取")
    assert result.report.tables["requests"][("not_processed.publication", "natural_person")] is None
    out = tmp_path / "缺行.xlsx"
    command = runner.invoke(app, ["import", str(path), "-o", str(out)])
    assert "错误 导入 缺行.html!表三: 要求提供公开出版物 自然人" in command.stdout


def test_level_three_headings_stay_headings(page, registry):
    blocks = [(b.part, b.level, b.title, b.text) for b in import_report(page, registry).report.blocks if b.part == "一"]
    assert blocks == [
        ("一", 2, "主动公开", ""),
        ("一", 3, "加强平台建设。", "全年更新网站栏目12个。"),
        ("一", 3, "规范发布审核", "实行三级审核，全年发布信息386条。"),
        ("一", 2, "依申请公开", "全年收到申请6件，上年结转1件，均按期答复。"),
    ]


def test_same_data_from_the_page_and_from_the_page_without_its_site(tmp_path, registry):
    bare = tmp_path / "bare.html"
    full = tmp_path / "full.html"
    html = county_page()
    full.write_text(html, encoding="utf-8")
    bare.write_text(html.replace(SITE_TOP, "").replace(SITE_BOTTOM, ""), encoding="utf-8")
    assert report_to_dict(import_report(full, registry).report) == report_to_dict(import_report(bare, registry).report)


# --- cost bounded by size (issue 11 item 1) ---------------------------------------


def test_huge_spans_are_refused_before_allocating(tmp_path, runner):
    row = '<tr><td rowspan="65534" colspan="1000">x</td></tr>'
    page = tmp_path / "spans.html"
    page.write_text("<html><body><p>一、总体情况</p><table>" + row * 500 + "</table></body></html>", encoding="utf-8")
    assert page.stat().st_size < 30_000
    result = runner.invoke(app, ["import", str(page), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == EXIT_INPUT
    assert "spans.html!第1个表格: 合并单元格（rowspan/colspan）使表格超过 200000 格" in result.stderr


def _appendix(rows: int) -> str:
    body = "".join(f"<tr><td>{i}</td><td>某某文件{i}</td><td>{i * 3}</td></tr>" for i in range(rows))
    return f"<table><tr><td>序号</td><td>文件名称</td><td>件数</td></tr>{body}</table>"


def test_label_paths_cost_the_grid_size_not_its_square(tmp_path, monkeypatch):
    """Counting the label tests: a table twice as long costs twice as many, not four times."""
    counts = []
    for rows in (500, 1000):
        page = tmp_path / f"a{rows}.html"
        page.write_text(f"<html><body>{_appendix(rows)}</body></html>", encoding="utf-8")
        grid = read_source(page).items[0]
        calls = [0]
        original = table_matching.is_value_text

        def counted(text, original=original):
            calls[0] += 1
            return original(text)

        monkeypatch.setattr(table_matching, "is_value_text", counted)
        table_matching.candidates(grid)
        monkeypatch.setattr(table_matching, "is_value_text", original)
        counts.append(calls[0])
    assert counts[1] <= 2.2 * counts[0]


def test_an_appendix_table_is_not_matched_cell_by_cell(tmp_path, registry, monkeypatch):
    page = tmp_path / "附表.html"
    page.write_text(county_page().replace("<p>五、存在", _appendix(2000) + "<p>五、存在"), encoding="utf-8")
    looked_at = []
    original = table_matching.candidates
    monkeypatch.setattr(table_matching, "candidates", lambda grid: looked_at.append(grid.n_rows) or original(grid))
    result = import_report(page, registry)
    assert result.report.tables["requests"][("new", "total")] == 6
    assert 2001 not in looked_at


def test_a_page_that_is_no_report_still_fails_cleanly(tmp_path, registry):
    page = tmp_path / "nav.html"
    page.write_text(f"<html><body>{SITE_TOP}{SITE_BOTTOM}</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="找不到任何统计表"):
        import_report(page, registry)


@pytest.mark.parametrize("signature, agency", [
    ("<p style='text-align:right'>某某县市场监督管理局</p><p style='text-align:right'>2023年1月18日</p>", "某某县市场监督管理局"),
    ("<p style='text-align:right'>2023年1月18日</p>", None),
])
def test_a_title_that_names_no_agency_takes_the_signature_s(tmp_path, registry, signature, agency):
    """关于2022年度政府信息公开情况的报告: the year from the title, the agency from the 落款 (said in a warning)."""
    page = county_page("关于2022年度政府信息公开情况的报告").replace("</div></div>", signature + "</div></div>", 1)
    path = tmp_path / "无机关名.html"
    path.write_text(page.replace("某某经济开发区", "某某县"), encoding="utf-8")
    result = import_report(path, registry)
    report = result.report
    messages = [f.message for f in result.findings]
    assert report.fields["year"] == 2022 and report.fields["date"] == dt.date(2023, 1, 18)
    assert "关于2022年度" not in _all_text(report)  # the title is not read as the preamble
    if agency:
        assert report.fields["agency"] == agency
        assert f"标题没有写机关名称，机关名称取落款“{agency}”，请核对" in messages
    else:
        assert not report.fields.get("agency")
        assert "标题没有写机关名称，落款中也没有，未读取机关名称，请在“基本信息”填写" in messages
    assert not any(m.startswith("找不到标题") for m in messages)


def test_a_title_broken_after_its_agency_keeps_it(tmp_path, registry):
    """某某县商务局 / 2022年政府信息公开工作年度报告 on two lines: the second alone names no agency,
    and is not taken for the whole title."""
    title = "某某县商务局</h1><h1 class='title'>2022年政府信息公开工作年度报告"
    path = tmp_path / "两行标题.html"
    path.write_text(county_page(title).replace(f"<title>{title}_", "<title>"), encoding="utf-8")
    result = import_report(path, registry)
    assert (result.report.fields["agency"], result.report.fields["year"]) == ("某某县商务局", 2022)


def test_a_heading_without_the_agency_takes_it_from_the_page_title(tmp_path, registry):
    """The page's <title> names the agency (吴起县商务局2022年…-吴起县人民政府) where its heading does not."""
    page = county_page("关于2022年度政府信息公开情况的报告").replace(
        "<title>关于2022年度政府信息公开情况的报告_某某经济开发区</title>", "<title>某某县商务局2022年政府信息公开工作年度报告-某某县人民政府</title>")
    path = tmp_path / "页面标题.html"
    path.write_text(page, encoding="utf-8")
    result = import_report(path, registry)
    assert (result.report.fields["agency"], result.report.fields["year"]) == ("某某县商务局", 2022)
    assert "关于2022年度" not in _all_text(result.report)
    assert not any("标题没有写机关名称" in f.message for f in result.findings)
