"""The checker: every rule of docs/annual-report.md §5 that the data in hand can decide.

Table rules come from the declaration (``rules.py``); the rules about the
year, the narrative and dates are driven by the kind's ``[checks]``. Each
rule's id, severity and evaluator are declared once in ``rulebook.RULES``;
``EVALUATORS`` maps the evaluator names of this module to their functions,
in the order their findings are listed (cross-year rules run in crossyear.py).
"""

from __future__ import annotations

import datetime as dt

from .crosscheck import narrative_figures
from ..errors import ERROR, WARNING, Finding, Location
from ..declare.model import Block, Report
from ..declare.rulebook import finding
from .rules import check_table, complete

_EMPTY_TEXT = {"", "无", "无。", "暂无", "暂无。"}


def check_report(report: Report, registry=None) -> list[Finding]:
    """Reader findings plus rule findings, errors first, in reading order."""
    findings = list(report.findings)
    for evaluate in EVALUATORS.values():
        findings += evaluate(report, registry)
    return sorted(findings, key=lambda f: (not f.is_error))


def _tables(report: Report, registry) -> list[Finding]:
    """R1, R2, R3, R6…: the rules ``tables.toml`` declares."""
    findings: list[Finding] = []
    for table in report.kind.tables:
        given = report.tables.get(table.id, {})
        findings += check_table(table, given, lambda key, t=table.id: report.where(t, *key))
    return findings


def _format_matches_year(report: Report, registry) -> list[Finding]:
    """R7: the format follows the report year (docs/annual-report.md §1)."""
    kind, year = report.kind, report.year
    if not kind.format or year is None:
        return []
    if registry.serves(kind, year) if registry else kind.covers_year(year):
        return []
    expected = registry.format_for_year(kind.id, year) if registry else None
    sibling = registry.sibling_for_year(kind.id, year) if registry and not expected else None
    should = (
        f"应使用 {expected.format} 格式"
        if expected
        else f"应使用报告类型 {sibling.id}" if sibling else "没有适用的格式"
    )
    where = report.role_spot("year")
    if report.format_overridden:
        return [finding("R7", where, f"报告年度 {year} {should}，按指定的 {kind.format} 格式生成", WARNING)]
    return [finding("R7", where, f"报告年度 {year} {should}，工作簿是 {kind.format} 格式")]


def _first_spot(report: Report, part: str) -> Location:
    blocks = report.part_blocks(part)
    return blocks[0].where if blocks and blocks[0].where else report.origin


def _narrative(report: Report, registry) -> list[Finding]:
    """R11: parts that must say something, the fee statement, an agency type's extra items."""
    checks = report.kind.checks
    out: list[Finding] = []
    names = {p.id: p.name for p in report.kind.parts}
    for part in checks.required_parts:
        if report.part_text(part) in _EMPTY_TEXT:
            out.append(finding("R11", _first_spot(report, part), f"第{part}部分为空或只写了“无”，应写明{names.get(part) or '具体情况'}"))
    if checks.filled_headings:
        out += _empty_headings(report)
    fee_part = checks.fee_statement_part
    if fee_part:
        stated = report.role("fee_notices") is not None or report.role("fee_collected") is not None
        if not stated and not any(w in report.part_text(fee_part) for w in checks.fee_words):
            out.append(
                finding("R11", report.role_spot("fee_notices"), f"未填写信息处理费情况，第{fee_part}部分也未说明收取信息处理费的情况")
            )
    agency_type = report.role("agency_type")
    type_field = report.kind.role_field("agency_type")
    for item in checks.required_items:
        if agency_type == item.agency_type and not any(word in report.part_text(item.part) for word in item.keywords):
            label = type_field.choice_label(agency_type) if type_field else agency_type
            out.append(finding("R11", _first_spot(report, item.part), f"{label}的报告第{item.part}部分应说明{item.item}"))
    for word, example in checks.required_headings.items():
        if not any(word in b.title for b in report.blocks if b.level == 1):
            out.append(finding("R11", report.origin, f"正文没有含“{word}”的一级标题" + (f"（如：{example}）" if example else "")))
    return out


def _empty_headings(report: Report) -> list[Finding]:
    """An empty body is one finding; otherwise each level-1 heading with nothing under it."""
    if not any(b.text.strip() not in _EMPTY_TEXT or (b.level != 1 and b.title.strip()) for b in report.blocks):
        return [finding("R11", report.origin, "正文没有内容：每个一级标题下都应写明具体情况")]
    out = []
    sections: list[list[Block]] = []
    for block in report.blocks:
        if block.level == 1:
            sections.append([block])
        elif sections:
            sections[-1].append(block)
    for heading, *body in sections:
        if not any(_says_something(b) for b in body) and heading.text.strip() in _EMPTY_TEXT:
            out.append(finding("R11", heading.where or report.origin, f"“{heading.title.strip()}”下没有内容"))
    return out


def _says_something(block: Block) -> bool:
    return block.text.strip() not in _EMPTY_TEXT or bool(block.title.strip())


def _fee_refusals(report: Report, registry) -> list[Finding]:
    """R9: refusals for unpaid fees, but no fee notice reported."""
    cell = report.kind.checks.fee_refusal_cell
    if cell is None:
        return []
    table = report.kind.table(cell.table)
    refused = complete(table, report.tables.get(cell.table, {})).get(cell.key, 0)
    if refused and not report.role("fee_notices"):
        return [finding("R9", report.where(cell.table, *cell.key), f"有 {refused} 件申请因逾期未缴费不再处理，但未报告发出收费通知")]
    return []


def _amount_units(report: Report, registry) -> list[Finding]:
    """R4 for an amount (2019 采购总金额) printed without 元/万元: it cannot be read (docs/annual-report.md §4)."""
    out = []
    for table in report.kind.tables:
        units = report.units.get(table.id, {})
        for cell in table.value_cells:
            if cell.type == "amount" and report.tables.get(table.id, {}).get(cell.key) and not units.get(cell.key):
                label = f"{table.record_label(cell.record)} {table.field_label(*cell.key)}"
                out.append(finding("R4", report.where(table.id, *cell.key), f"{label}：未注明单位，请写成如 251000元 或 25.1万元", WARNING))
    return out


def _deadline(report: Report, registry) -> list[Finding]:
    """R12: the report is dated after the legal deadline for its agency type."""
    deadlines = report.kind.checks.deadline
    date, year = report.role("date"), report.year
    if not deadlines or not isinstance(date, dt.date) or year is None:
        return []
    if isinstance(deadlines, str):
        month_day = deadlines
    else:
        type_field = report.kind.role_field("agency_type")
        agency_type = report.role("agency_type") or (type_field.default_value if type_field else None)
        month_day = deadlines.get(agency_type) or min(deadlines.values())
    month, day = (int(x) for x in month_day.split("-"))
    limit = dt.date(year + 1, month, day)
    where = report.role_spot("date")
    if date > limit:
        return [finding("R12", where, f"成文日期 {date:%Y-%m-%d} 晚于法定期限 {limit.year}年{limit.month}月{limit.day}日")]
    if date.year <= year:
        return [finding("R12", where, f"成文日期 {date:%Y-%m-%d} 早于统计期结束（{year}年12月31日）")]
    return []


EVALUATORS = {
    "table": _tables,
    "format_year": _format_matches_year,
    "cell": _amount_units,
    "narrative_parts": _narrative,
    "fee_refusal": _fee_refusals,
    "narrative_figure": lambda report, registry: narrative_figures(report),
    "deadline": _deadline,
}


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
