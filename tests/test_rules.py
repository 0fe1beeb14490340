"""The consistency rules of docs/annual-report.md §5 on real workbooks: each one failing and passing."""

from __future__ import annotations

import datetime as dt

import pytest

from gxreport import api
from gxreport.errors import Location

from .workbooks import new_workbook, set_cells, set_field


@pytest.fixture()
def workbook(tmp_path):
    return new_workbook(tmp_path / "2021.xlsx")


def findings(path, registry, rule=None):
    found = api.check_file(path, registry).findings
    return [f for f in found if rule is None or f.rule == rule]


def lines(path, registry, rule):
    return [str(f) for f in findings(path, registry, rule)]


def test_a_complete_zero_workbook_passes_every_rule(workbook, registry):
    assert findings(workbook, registry) == []


def test_r1_names_the_column_the_four_figures_and_their_cells(workbook, registry):
    set_cells(workbook, "表三", {"D7": 3, "D9": 2})
    # The 总计 column (derived from the applicant columns) fails only because 自然人 does: not repeated.
    assert lines(workbook, registry, "R1") == [
        "错误 R1 2021.xlsx!表三!D7: 自然人列：本年新收 D7=3 + 上年结转 D8=0 = 3，总计行 D30=2 + 结转下年度 D31=0 = 2，不相等（相差 1）",
    ]


def test_one_mistyped_cell_is_reported_at_that_cell_when_a_column_and_a_row_point_at_it(workbook, registry):
    """表三 予以公开 自然人 typed 7 for 6, with the 总计 column of the row typed: R1 and R3 meet at D9."""
    set_cells(workbook, "表三", {"D7": 6, "J7": 6, "D9": 7, "J9": 6})
    assert [str(f) for f in findings(workbook, registry) if f.is_error] == [
        "错误 R1 2021.xlsx!表三!D9: 予以公开 自然人 填写的 7 可能有误：自然人列（R1）和予以公开行（R3）都不平衡，改为 6 则都平衡",
    ]
    # Every total typed (as an exported or imported report has them): R2 down the column, R3 along the row.
    set_cells(workbook, "表三", {"D30": 6, "J30": 6})
    assert [str(f) for f in findings(workbook, registry) if f.is_error] == [
        "错误 R2 2021.xlsx!表三!D9: 予以公开 自然人 填写的 7 可能有误：自然人列（R2）和予以公开行（R3）都不平衡，改为 6 则都平衡",
    ]
    # A slip in 本年新收 is found the same way.
    set_cells(workbook, "表三", {"D7": 7, "D9": 6, "D30": None, "J30": None})
    assert [str(f.where) for f in findings(workbook, registry) if f.is_error] == ["2021.xlsx!表三!D7"]


def test_r1_passes_when_the_column_balances(workbook, registry):
    set_cells(workbook, "表三", {"D7": 3, "D8": 1, "D9": 2, "D31": 2, "E7": 1, "E19": 1})
    assert findings(workbook, registry) == []


def test_r2_checks_a_typed_total_row_against_the_results(workbook, registry):
    set_cells(workbook, "表三", {"E7": 5, "E9": 1, "E10": 3, "E30": 5})
    (r2,) = findings(workbook, registry, "R2")
    assert r2.is_error and str(r2.where) == "2021.xlsx!表三!E30"
    assert r2.message == "商业企业列：总计行 E30=5，各项之和 予以公开 E9=1 + 部分公开 E10=3 = 4，不相等（相差 1）"
    # A typed total that R1 and R2 both find wrong is that one cell.
    set_cells(workbook, "表三", {"E7": 4})
    assert [str(f) for f in findings(workbook, registry) if f.is_error] == [
        "错误 R1 2021.xlsx!表三!E30: 总计行 商业企业 填写的 5 可能有误：商业企业列（R1）和商业企业列（R2）都不平衡，改为 4 则都平衡",
    ]


def test_r2_passes_when_the_typed_total_is_right(workbook, registry):
    set_cells(workbook, "表三", {"E7": 4, "E9": 1, "E10": 3, "E30": 4})
    assert findings(workbook, registry) == []


def test_r3_checks_a_typed_total_column_against_the_applicants(workbook, registry):
    set_cells(workbook, "表三", {"D7": 2, "F7": 1, "J7": 4, "D9": 2, "F9": 1, "J9": 4})
    r3 = findings(workbook, registry, "R3")
    assert [str(f.where) for f in r3] == ["2021.xlsx!表三!J7", "2021.xlsx!表三!J9"]
    assert r3[0].message == "本年新收行：总计列 J7=4，各项之和 自然人 D7=2 + 科研机构 F7=1 = 3，不相等（相差 1）"
    # With J9 typed 4 as well the 总计 column balances; with J9 left to its formula, R1 fails
    # down the 总计 column and R3 along 本年新收: both point at J7 alone.
    set_cells(workbook, "表三", {"J9": None})
    assert [str(f) for f in findings(workbook, registry) if f.is_error] == [
        "错误 R1 2021.xlsx!表三!J7: 本年新收 总计列 填写的 4 可能有误：总计列（R1）和本年新收行（R3）都不平衡，改为 3 则都平衡",
    ]


def test_r3_passes_with_the_live_formula(workbook, registry):
    set_cells(workbook, "表三", {"D7": 2, "F7": 1, "D9": 2, "F9": 1})
    assert findings(workbook, registry) == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (-1, "-1 是负数，件数不能小于 0"),
        (1.5, "1.5 不是整数"),
        ("三件", "“三件”不是数字"),
        ("#REF!", "是 Excel 错误值 #REF!"),
        (True, "是逻辑值，不是数字"),
    ],
)
def test_r4_rejects_what_is_not_a_count(workbook, registry, value, reason):
    set_cells(workbook, "表三", {"G12": value})
    (r4,) = findings(workbook, registry, "R4")
    assert r4.is_error and str(r4.where) == "2021.xlsx!表三!G12"
    assert r4.message == f"其他法律行政法规禁止公开 社会公益组织：{reason}"


def test_r4_accepts_a_fee_with_decimals_but_not_a_negative_one(workbook, registry):
    set_cells(workbook, "表二", {"B17": 0.0123})
    assert findings(workbook, registry) == []
    set_cells(workbook, "表二", {"B17": -0.5})
    (r4,) = findings(workbook, registry, "R4")
    assert str(r4.where) == "2021.xlsx!表二!B17" and "金额不能小于 0" in r4.message


def test_r6_checks_each_review_group(workbook, registry):
    set_cells(workbook, "表四", {"A7": 1, "E7": 2, "K7": 1, "O7": 1})
    (r6,) = findings(workbook, registry, "R6")
    assert str(r6.where) == "2021.xlsx!表四!E7"
    assert r6.message == "行政复议行：总计 E7=2，各项之和 结果维持 A7=1 + 结果纠正 B7=0 + 其他结果 C7=0 + 尚未审结 D7=0 = 1，不相等（相差 1）"


def test_r7_the_format_follows_the_year(workbook, registry):
    set_field(workbook, "报告年度", 2019)
    set_field(workbook, "成文日期", dt.date(2020, 1, 20))
    (r7,) = findings(workbook, registry, "R7")
    assert r7.is_error and str(r7.where) == "2021.xlsx!基本信息!B5"
    assert "报告年度 2019" in r7.message and "2021 格式" in r7.message


def test_r11_section_five_must_say_something(workbook, registry):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    ws = wb["正文"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "五")
    row[3].value = "无。"
    wb.save(workbook)
    (r11,) = findings(workbook, registry, "R11")
    assert r11.severity == "警告" and str(r11.where) == f"2021.xlsx!正文!A{row[0].row}"
    assert "第五部分为空或只写了“无”" in r11.message


def test_r11_the_fee_statement_is_required(workbook, registry):
    for label in ("信息处理费：收费通知件数", "信息处理费：通知金额（元）", "信息处理费：实收金额（元）"):
        set_field(workbook, label, None)
    (r11,) = findings(workbook, registry, "R11")
    assert str(r11.where) == "2021.xlsx!基本信息!B7" and "信息处理费" in r11.message


@pytest.mark.parametrize(
    ("agency_type", "date", "late"),
    [
        ("部门", dt.date(2022, 1, 31), False),
        ("部门", dt.date(2022, 2, 1), True),
        ("人民政府", dt.date(2022, 3, 31), False),
        ("人民政府", dt.date(2022, 4, 1), True),
    ],
)
def test_r12_deadline_depends_on_the_agency_type(workbook, registry, agency_type, date, late):
    set_field(workbook, "机关类型", agency_type)
    set_field(workbook, "成文日期", date)
    found = findings(workbook, registry, "R12")
    assert bool(found) is late
    if late:
        assert found[0].where == Location("2021.xlsx", "基本信息", "B6")
        assert f"晚于法定期限 2022年{date.month - 1 if date.day == 1 else date.month}月" in found[0].message


def test_r13_blank_and_slash_are_warnings_and_print_as_zero(workbook, registry):
    set_cells(workbook, "表三", {"D19": None, "E19": "/", "F19": "／"})
    found = findings(workbook, registry, "R13")
    assert [str(f.where) for f in found] == ["2021.xlsx!表三!E19", "2021.xlsx!表三!F19", "2021.xlsx!表三!D19"]
    assert all(f.severity == "警告" for f in found)
    assert "填写了“/”" in found[0].message and "按 0 打印" in found[0].message
    assert found[2].message == "本机关不掌握相关政府信息：1 个单元格为空（D19），按 0 打印"
    assert api.check_file(workbook, registry).ok


def test_r11_a_government_report_covers_its_extra_items(workbook, registry):
    set_field(workbook, "机关类型", "人民政府")
    found = findings(workbook, registry, "R11")
    assert [f.message for f in found] == [
        "人民政府的报告第一部分应说明工作考核、社会评议和责任追究结果情况",
        "人民政府的报告第六部分应说明落实上级年度政务公开工作要点情况",
        "人民政府的报告第六部分应说明人大代表建议和政协提案办理结果公开情况",
        "人民政府的报告第六部分应说明年度政务公开工作创新情况",
    ]
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    ws = wb["正文"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "六")
    row[3].value = "认真落实上级政务公开工作要点；人大代表建议和政协提案办理结果全部公开；创新开展政府开放日活动。"
    wb.save(workbook)
    assert [f.message for f in findings(workbook, registry, "R11")] == [found[0].message]


def test_r13_a_table_left_wholly_blank_is_one_warning_not_one_per_row(tmp_path, registry):
    fresh = tmp_path / "fresh.xlsx"
    api.init_workbook(fresh, registry, year=2021, agency="某县测试局")
    found = findings(fresh, registry, "R13")
    assert [(str(f.where), f.message) for f in found] == [
        (f"fresh.xlsx!表{n}", f"表{n}整张表未填写，全部按 0 打印；确实没有发生的事项请填 0") for n in "二三四"
    ]


def _complete_as_defined(table, given):
    """``rules.complete`` as first written: each value cell by plain recursion over the derived totals."""
    from gxreport.checks.rules import derived_totals

    totals, done = derived_totals(table), {}

    def value(key, depth=0):
        if key in done:
            return done[key]
        number = given.get(key)
        if number is None:
            number = sum((value(p, depth + 1) for p in totals[key]), 0) if key in totals and depth < 8 else 0
        done[key] = number
        return number

    for key in table.value_keys:
        value(key)
    return done


def test_completed_tables_match_the_plain_recursive_definition(registry):
    """Blank totals computed from parts that are themselves blank totals, typed totals kept, decimals
    kept as decimals: the same values, of the same types, in the same order, for every declared table."""
    import random
    from decimal import Decimal

    from gxreport.checks.rules import complete, derived_totals

    rng = random.Random(10)
    tables = {t for kind in registry.all() for t in kind.tables}
    assert any(derived_totals(t) for t in tables)
    for table in sorted(tables, key=lambda t: t.id):
        for _ in range(40):
            given = {}
            for key in table.value_keys:
                pick = rng.random()
                if pick < 0.4:
                    continue  # not in the sheet
                given[key] = None if pick < 0.6 else Decimal("2.5") if pick < 0.7 else rng.randint(0, 9)
            expected = _complete_as_defined(table, given)
            got = complete(table, given)
            assert list(got) == list(expected)
            assert [(type(v), v) for v in got.values()] == [(type(v), v) for v in expected.values()]


def test_completed_nested_and_circular_totals_match_the_plain_recursive_definition(monkeypatch):
    """Totals whose parts are totals (declared in any order) and declarations that go round in a
    circle: no shipped table has them, a templates folder may."""
    import random
    from types import SimpleNamespace

    from gxreport.checks import rules

    rng = random.Random(7)
    for _ in range(300):
        keys = [(f"r{i}", "f") for i in range(rng.randint(1, 14))]
        totals = {}
        for key in rng.sample(keys, rng.randint(0, len(keys))):
            totals[key] = tuple(rng.sample(keys, rng.randint(0, min(4, len(keys)))))  # may name itself or a total above it
        given = {k: rng.choice([None, 0, 1, 7]) for k in keys if rng.random() < 0.5}
        table = SimpleNamespace(value_keys=tuple(rng.sample(keys, len(keys))))
        monkeypatch.setattr(rules, "derived_totals", lambda t, totals=totals: totals)
        got, expected = rules.complete(table, given), _complete_as_defined(table, given)
        assert list(got.items()) == list(expected.items())
