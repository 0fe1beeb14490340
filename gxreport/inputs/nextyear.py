"""Next year's workbook from last year's report (``gxreport init NEXT.xlsx --from LAST``).

LAST may be anything gxreport reads as last year's report: a workbook, JSON,
or a published .docx/.html/.pdf. The new report takes the year after LAST's
(or ``--year``) and the format in force for that year. What describes the
agency (text, choice and yes/no fields) is kept; the year's own figures and
dates are cleared. Each cross-year rule that sets one of this year's cells
equal to one of last year's (R5: 上年结转 = last year's 结转下年度) fills that
cell column by column, so the rule holds by construction. Last year's
narrative is offered as a draft: shaded in the workbook, and its digests kept
in _meta so that ``check`` warns while a paragraph is still last year's.

The workbook remembers LAST (its path relative to the workbook, and the
figures the cross-year rules read, for when the file has moved), so ``check``
and ``build`` apply R5/R8 without ``--previous``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Every ``check`` imports this module for ``draft_findings`` and ``remembered_previous``, which
# for a workbook not made by ``init --from`` return at once. What only ``init --from`` or those
# workbooks need is imported where it is used: hashlib (~3 ms, OpenSSL), json, the JSON form
# and the cross-year rules (~4 ms together).
from ..errors import WARNING, Finding, InputError
from ..declare.kinds import Registry
from ..declare.model import Block, Report
from .reading import load_previous
from ..checks.rules import complete
from .workbook.layout import META_DRAFTS, META_PREVIOUS, META_PREVIOUS_FIGURES

# Field types that belong to one year (its figures and dates), cleared for the next.
_YEARLY_TYPES = ("year", "date", "int", "decimal")


@dataclass
class NextYear:
    """Next year's report as ``init --from`` starts it, with what the workbook remembers of last year."""

    report: Report
    meta: dict[str, str]
    drafts: frozenset  # field keys and narrative block indices shaded as last year's text
    findings: list[Finding] = field(default_factory=list)


def next_year_report(
    last: Path, registry: Registry, target: Path, year: int | None = None, fmt: str | None = None, agency: str | None = None
) -> NextYear:
    """The report a new workbook ``target`` starts from, given last year's report ``last``."""
    import json

    previous, _ = load_previous(last, registry)
    findings: list[Finding] = []
    if year is None:
        if previous.year is None:
            raise InputError("上年报告中读不出报告年度，请用 --year 指定本年度", previous.role_spot("year"))
        year = previous.year + 1
    elif previous.year is not None and previous.year != year - 1:
        findings.append(
            Finding(WARNING, "上年", previous.role_spot("year"),
                    f"上年报告的年度是 {previous.year}，不是 {year - 1}；上年结转按它的结转下年度填写，请确认")
        )
    kind = registry.get(previous.kind.id, year=year, fmt=fmt)
    report = Report.blank(kind, target.name)
    drafts: set = set()
    for spec in kind.fields:
        if spec.type == "year":
            report.fields[spec.key] = year
        elif spec.type in _YEARLY_TYPES or spec.key in _override_fields(kind):
            report.fields[spec.key] = None
        elif previous.kind.field(spec.key) is not None and previous.fields.get(spec.key) is not None:
            value = previous.fields[spec.key]
            report.fields[spec.key] = value
            if spec.type == "text" and previous.year is not None and str(previous.year) in str(value):
                drafts.add(spec.key)  # e.g. a preamble that names last year
    agency_field = kind.role_field("agency")
    if agency is not None and agency_field is not None:
        try:  # the field's own parser: control characters typed in --agency go
            report.set_role("agency", agency_field.parse(agency))
        except ValueError as exc:
            raise InputError(f"--agency: {agency_field.label}：{exc}") from None
    parts = {p.id for p in kind.parts}
    carried = [b for b in previous.blocks if (b.part in parts) or not kind.parts]
    if carried:
        report.blocks = [Block(b.part, b.level, b.title, b.text) for b in carried]
        drafts.update(range(len(report.blocks)))
    findings += _carry_figures(report, previous)
    meta = {
        META_PREVIOUS: _relative(last, target),
        META_PREVIOUS_FIGURES: json.dumps(_figures(previous), ensure_ascii=False, separators=(",", ":")),
        META_DRAFTS: " ".join(sorted({_digest_block(report.blocks[i]) for i in drafts if isinstance(i, int)}
                                     | {_digest_field(k, report.fields[k]) for k in drafts if isinstance(k, str)})),
    }
    return NextYear(report, meta, frozenset(drafts), findings)


def _override_fields(kind) -> set[str]:
    """A reason given for last year's cross-year difference is that year's, not the next."""
    from ..checks.crossyear import cross_year_rules

    return {rule.override_field for rule in cross_year_rules(kind) if rule.override_field}


def _carry_figures(report: Report, previous: Report) -> list[Finding]:
    """Fill this year's cells that a cross-year rule equates with one of last year's."""
    from ..checks.crossyear import cross_year_rules

    findings = []
    for rule in cross_year_rules(report.kind):
        if len(rule.lhs) != 1 or len(rule.rhs) != 1:
            continue  # only an equality of two cells carries a figure (R5), not R8's sum
        this, last = rule.lhs[0], rule.rhs[0]
        if (this.year, last.year) != ("this", "last") or this.sign != last.sign:
            continue
        table = report.kind.table(rule.table)
        last_table = next((t for t in previous.kind.tables if t.id == rule.table), None)
        if last_table is None:
            findings.append(Finding(WARNING, rule.id, previous.source, f"上年报告的格式没有表“{table.title}”，{rule.id} 涉及的数字未带入"))
            continue
        last_values = complete(last_table, previous.tables.get(rule.table, {}))
        values = report.tables.setdefault(rule.table, {})
        axes = table.record_order if rule.each == "record" else dict.fromkeys(f for r in table.record_order for f in table.fields_of(r))
        for axis in axes:
            place = (lambda key: (axis, key)) if rule.each == "record" else (lambda key: (key, axis))
            here = place(this.key)
            there = next((place(k) for k in last.keys if place(k) in last_table.cell_by_key), None)
            if here in table.cell_by_key and there is not None:
                values[here] = last_values[there]
    return findings


def _figures(previous: Report) -> dict:
    """Last year's report without its text: what the cross-year rules need, kept in _meta."""
    from .jsonform import report_to_dict

    data = report_to_dict(previous)
    for key in ("sections", "attachments", "indicators"):
        data.pop(key, None)
    data["source"] = previous.source
    return data


def _relative(last: Path, target: Path) -> str:
    """LAST as seen from the new workbook's folder (relative when they share a drive)."""
    try:
        return os.path.relpath(last.resolve(), target.resolve().parent)
    except ValueError:  # another drive on Windows
        return str(last.resolve())


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _digest_block(block: Block) -> str:
    return _digest(f"block\x00{block.part}\x00{block.title}\x00{block.text}")


def _digest_field(key: str, value) -> str:
    return _digest(f"field\x00{key}\x00{value}")


def draft_findings(report: Report) -> list[Finding]:
    """One warning while text carried over from last year is unchanged."""
    digests = set(report.meta.get(META_DRAFTS, "").split())
    if not digests:
        return []
    spots = [b.where or report.origin for b in report.blocks if b.text and _digest_block(b) in digests]
    spots += [
        report.field_cells.get(k, report.origin)
        for k, v in report.fields.items()
        if v is not None and _digest_field(k, v) in digests
    ]
    if not spots:
        return []
    return [
        Finding(
            WARNING,
            "上年",
            spots[0],
            f"有 {len(spots)} 处文字仍是上年报告的原文（init --from 带入的草稿，底色标出），请按本年情况修改",
        )
    ]


def remembered_previous(report: Report, registry: Registry) -> tuple[Report, list[Finding], list[Finding]] | None:
    """Last year's report named by the workbook, its reader's findings and notes about it:
    the file when it can still be read, else the figures recorded when the workbook was made."""
    if report.previous is None:
        return None
    try:
        return (*load_previous(report.previous, registry), [])
    except InputError as exc:
        unread = exc
    import json

    from .jsonform import report_from_dict

    recorded = report.meta.get(META_PREVIOUS_FIGURES)
    try:
        data = json.loads(recorded or "")
        previous = report_from_dict(data, str(data.get("source") or report.previous.name), registry)
    except (ValueError, InputError, AttributeError):
        return None
    # Figures recorded as JSON keep no cell of last year's file: R5/R8 and the checks of its
    # agency and year then cite that file alone.
    previous.cells, previous.field_cells = {}, {}
    note = Finding(WARNING, "上年", unread.where or report.origin,
                   f"工作簿记录的上年报告读不出（{unread.message}），按生成工作簿时记下的上年数字核对")
    return previous, [], [note]
