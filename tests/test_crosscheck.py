"""R10: figures stated in the narrative against the tables (docs/annual-report.md §5)."""

from __future__ import annotations

import pytest

from gxreport.api import load_report
from gxreport.checks.check import check_report
from gxreport.checks.crosscheck import narrative_figures
from gxreport.declare.model import Block

from .conftest import DATA


@pytest.fixture()
def report(registry, sample_2021):
    """The sample with 5 new applications (3 natural persons, 2 companies), 1 carried in."""
    report = load_report(sample_2021, registry)
    requests = report.tables["requests"]
    requests.update(
        {
            ("new", "natural_person"): 3,
            ("new", "commercial"): 2,
            ("carried_in", "natural_person"): 1,
            ("disclosed", "natural_person"): 4,
            ("disclosed", "commercial"): 2,
        }
    )
    for key in [k for k in requests if k[1] == "total"]:
        requests[key] = None
    report.tables["reviews"][("review", "upheld")] = 2
    report.tables["reviews"][("review", "total")] = None
    report.tables["active"][("normative_docs", "made")] = 4
    return report


def _say(report, text: str) -> list:
    report.blocks = [Block("一", 2, "依申请公开", text, "2021.xlsx!正文!A4")]
    return [f for f in narrative_figures(report) if f.rule == "R10"]


def test_sentences_that_agree_give_no_warning(report):
    assert _say(report, "本年度共收到政府信息公开申请5件，上年结转1件，予以公开6件，全部办结6件。") == []
    assert _say(report, "全年被申请行政复议2件，未发生行政诉讼。本年制发行政规范性文件4件。") == []


def test_received_may_count_the_carried_in(report):
    """“收到” is read as 本年新收 or as 新收 + 上年结转: both are in use."""
    assert _say(report, "本年度共收到申请6件。") == []


def test_a_contradicting_sentence_is_quoted_with_the_table_value(report):
    findings = _say(report, "本年度被申请行政复议3件。")
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity == "警告" and str(finding.where) == "2021.xlsx!正文!A4"
    assert "“本年度被申请行政复议3件。”" in finding.message
    assert "表四" in finding.message and "行政复议 总计 为 2" in finding.message


def test_the_natural_person_slip_is_named(report):
    findings = _say(report, "本年度共收到政府信息公开申请3件，均按时答复。")
    assert len(findings) == 1
    message = findings[0].message
    assert "收到申请 3" in message and "本年新收 总计列 为 5" in message
    assert "“自然人”" in message


def test_the_total_row_and_the_total_column_are_told_apart(report):
    (finding,) = _say(report, "全年办结申请9件。")
    assert "（七）" not in finding.message and "总计行 总计列 为 6" in finding.message
    assert "总计 总计" not in finding.message


def test_a_figure_that_is_no_column_is_not_called_a_slip(report):
    findings = _say(report, "本年度共收到政府信息公开申请9件。")
    assert len(findings) == 1 and "自然人" not in findings[0].message


def test_unrelated_numbers_are_ignored(report):
    text = (
        "2021年，我局公布“不见面审批（服务）”事项清单1348项，办理时限压缩至3个工作日。"
        "2022年1月20日起施行新制度，接待群众咨询215人次。"
    )
    assert _say(report, text) == []


def test_a_long_sentence_is_shortened_around_its_figure(report):
    text = "为进一步规范依申请公开工作，我局在去年基础上完善受理、登记、审核、答复流程，本年度共收到政府信息公开申请8件，并按照规定的期限和方式逐件作出答复并建立台账备查。"
    message = _say(report, text)[0].message
    quoted = message[message.index("“") + 1 : message.index("”")]
    assert "申请8件" in quoted and quoted.startswith("…") and quoted.endswith("…")
    assert len(quoted) <= 42


def test_check_report_runs_r10(registry, report):
    report.blocks = [Block("五", 0, "", "本年度发生行政诉讼1起。", "2021.xlsx!正文!A8")]
    assert [f.rule for f in check_report(report, registry) if f.rule == "R10"] == ["R10"]


def test_a_review_application_is_not_counted_as_an_information_request(report):
    findings = _say(report, "本年度收到行政复议申请2件。")
    assert findings == []


def test_the_2019_format_declares_its_figures_too(registry):
    report = load_report(DATA / "2019.xlsx", registry)
    assert report.kind.format == "2019"
    report.blocks = [Block("一", 2, "依申请公开", "全年新收政府信息公开申请9件，上年结转1件。", "2019.xlsx!正文!A4")]
    (finding,) = [f for f in narrative_figures(report) if f.rule == "R10"]
    assert "“全年新收政府信息公开申请9件" in finding.message and "11" in finding.message
    assert "自然人" in finding.message  # 9 is the 自然人 column: the classic slip
