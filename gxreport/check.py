"""The checker: every rule of spec §5 that the data in hand can decide.

Table rules come from the declaration (``rules.py``); the rules about the
year, the narrative and dates are driven by the kind's ``[checks]``.
"""

from __future__ import annotations

import datetime as dt

from .crosscheck import narrative_figures
from .errors import ERROR, WARNING, Finding
from .model import Report
from .rules import check_table, complete

_EMPTY_TEXT = {"", "无", "无。", "暂无", "暂无。"}
_FEE_WORDS = ("信息处理费", "收费")


def check_report(report: Report, registry=None) -> list[Finding]:
    """Reader findings plus rule findings, errors first, in reading order."""
    findings = list(report.findings)
    for table in report.kind.tables:
        given = report.tables.get(table.id, {})
        findings += check_table(table, given, lambda key, t=table.id: report.where(t, *key))
    findings += _format_matches_year(report, registry)
    findings += _amount_units(report)
    findings += _narrative(report)
    findings += _required_headings(report)
    findings += narrative_figures(report)
    findings += _deadline(report)
    return sorted(findings, key=lambda f: (not f.is_error))


def _field_spot(report: Report, key: str) -> str:
    return report.field_cells.get(key, report.source)


def _format_matches_year(report: Report, registry) -> list[Finding]:
    """R7: the format follows the report year (spec §1)."""
    kind, year = report.kind, report.year
    if not kind.format or year is None or kind.covers_year(year):
        return []
    expected = registry.format_for_year(kind.id, year) if registry else None
    sibling = registry.sibling_for_year(kind.id, year) if registry and not expected else None
    should = (
        f"应使用 {expected.format} 格式"
        if expected
        else f"应使用报告类型 {sibling.id}" if sibling else "没有适用的格式"
    )
    where = _field_spot(report, "year")
    if report.format_overridden:
        return [Finding(WARNING, "R7", where, f"报告年度 {year} {should}，按指定的 {kind.format} 格式生成")]
    return [Finding(ERROR, "R7", where, f"报告年度 {year} {should}，工作簿是 {kind.format} 格式")]


def _narrative(report: Report) -> list[Finding]:
    """R11 (sections 五/六, a government's extra items) and R9 (fee refusals without fee notices)."""
    checks = report.kind.checks
    out: list[Finding] = []
    for part in checks.get("required_parts", ()):
        text = report.part_text(part)
        if text in _EMPTY_TEXT:
            where = report.part_blocks(part)[0].where if report.part_blocks(part) else report.source
            out.append(Finding(WARNING, "R11", where, f"第{part}部分为空或只写了“无”，应写明存在的问题和改进情况"))
    fee_part = checks.get("fee_statement_part")
    if fee_part:
        stated = report.fields.get("fee_notices") is not None or report.fields.get("fee_collected") is not None
        if not stated and not any(w in report.part_text(fee_part) for w in _FEE_WORDS):
            out.append(
                Finding(WARNING, "R11", _field_spot(report, "fee_notices"), f"未填写信息处理费情况，第{fee_part}部分也未说明收取信息处理费的情况")
            )
    if report.fields.get("agency_type") == "government":
        for entry in checks.get("government_items", ()):
            if not any(word in report.part_text(entry["part"]) for word in entry["keywords"]):
                blocks = report.part_blocks(entry["part"])
                where = blocks[0].where if blocks else report.source
                out.append(Finding(WARNING, "R11", where, f"人民政府的报告第{entry['part']}部分应说明{entry['item']}"))
    refusal = checks.get("fee_refusal_cell")
    if refusal:
        table_id, record, field = refusal
        table = report.kind.table(table_id)
        refused = complete(table, report.tables.get(table_id, {})).get((record, field), 0)
        if refused and not report.fields.get("fee_notices"):
            out.append(
                Finding(
                    WARNING,
                    "R9",
                    report.where(table_id, record, field),
                    f"有 {refused} 件申请因逾期未缴费不再处理，但未报告发出收费通知",
                )
            )
    return out


def _amount_units(report: Report) -> list[Finding]:
    """An amount (2019 采购总金额) printed without 元/万元 cannot be read (spec §4)."""
    out = []
    for table in report.kind.tables:
        units = report.units.get(table.id, {})
        for cell in table.value_cells:
            if cell.type == "amount" and report.tables.get(table.id, {}).get(cell.key) and not units.get(cell.key):
                label = f"{table.record_label(cell.record)} {table.field_label(*cell.key)}"
                out.append(Finding(WARNING, "R4", report.where(table.id, *cell.key), f"{label}：未注明单位，请写成如 251000元 或 25.1万元"))
    return out


def _required_headings(report: Report) -> list[Finding]:
    """A part the kind expects (e.g. 自查报告's problems and plans) among the level-1 headings."""
    titles = [b.title for b in report.blocks if b.level == 1]
    return [
        Finding(WARNING, "R11", report.source, f"正文没有含“{word}”的一级标题（如：存在的主要问题及下一步工作计划）")
        for word in report.kind.checks.get("required_headings", ())
        if not any(word in title for title in titles)
    ]


def _deadline(report: Report) -> list[Finding]:
    """R12: the report is dated after the legal deadline for its agency type."""
    deadlines = report.kind.checks.get("deadline")
    date, year = report.fields.get("date"), report.year
    if not deadlines or not isinstance(date, dt.date) or year is None:
        return []
    agency_type = report.fields.get("agency_type") or "department"
    month, day = (int(x) for x in deadlines.get(agency_type, deadlines.get("department", "01-31")).split("-"))
    limit = dt.date(year + 1, month, day)
    if date > limit:
        return [
            Finding(WARNING, "R12", _field_spot(report, "date"), f"成文日期 {date:%Y-%m-%d} 晚于法定期限 {limit.year}年{limit.month}月{limit.day}日")
        ]
    if date.year <= year:
        return [Finding(WARNING, "R12", _field_spot(report, "date"), f"成文日期 {date:%Y-%m-%d} 早于统计期结束（{year}年12月31日）")]
    return []


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
