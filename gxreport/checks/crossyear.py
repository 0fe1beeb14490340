"""Rules across two years (R5, R8): this year's report against last year's.

The rules are declared beside the table rules, in the kind's ``tables.toml``
(``[[cross_year]]``): operands name a year and a key (``this.carried_in``,
``last.carried_out``, ``-this.repealed``); ``last.in_force|total_public``
names what the other format calls the same figure. An instance whose keys one
of the two formats lacks is skipped, so a 2019 report can stand for last year.
A clerk whose agency was merged or split records why in the rule's
``override_field``; the failure then becomes a warning quoting that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ERROR, WARNING, Finding, TemplateError
from ..declare.kinds import Kind
from ..declare.model import Report
from .rules import complete
from ..declare.spec import TableSpec, declared_entries

_YEARS = {"this": "本年报告", "last": "上年报告"}


@dataclass(frozen=True)
class Term:
    year: str  # "this" or "last"
    key: str  # a record (each = field) or a field (each = record)
    sign: int = 1
    also: tuple[str, ...] = ()  # the same figure's key in other formats, tried in order

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.also)


@dataclass(frozen=True)
class CrossYearRule:
    id: str
    table: str
    each: str
    severity: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    override_field: str = ""


def _term(text: str, path: Path, rule: str) -> Term:
    sign = -1 if text.startswith("-") else 1
    year, _, keys = text.lstrip("-").partition(".")
    key, *also = keys.split("|")
    if year not in _YEARS or not key:
        raise TemplateError(f"{rule}的操作数 {text!r} 应写作 this.键 或 last.键", path)
    return Term(year, key, sign, tuple(also))


@lru_cache(maxsize=None)
def cross_year_rules(kind: Kind) -> tuple[CrossYearRule, ...]:
    """The kind's ``[[cross_year]]`` declarations."""
    if not kind.tables_file:
        return ()
    path = kind.folder / kind.tables_file
    rules = []
    for raw in declared_entries(path, "cross_year"):
        name = f"跨年度规则 {raw.get('id', '?')}"
        try:
            rule = CrossYearRule(
                id=raw["id"],
                table=raw["table"],
                each=raw["each"],
                severity=ERROR if raw.get("severity", "error") == "error" else WARNING,
                lhs=tuple(_term(t, path, name) for t in raw["lhs"]),
                rhs=tuple(_term(t, path, name) for t in raw["rhs"]),
                override_field=raw.get("override_field", ""),
            )
        except (KeyError, TypeError) as exc:
            raise TemplateError(f"{name}缺少或错写了字段：{exc}", path) from None
        if rule.table not in {t.id for t in kind.tables} or rule.each not in ("field", "record"):
            raise TemplateError(f"{name}的表 {rule.table!r} 或 each={rule.each!r} 不存在", path)
        if rule.override_field and kind.field(rule.override_field) is None:
            raise TemplateError(f"{name}：基本信息中没有字段 {rule.override_field!r}", path)
        rules.append(rule)
    return tuple(rules)


def compare_with_previous(report: Report, previous: Report, previous_findings: list[Finding] = ()) -> list[Finding]:
    """R5/R8 findings of ``report`` against last year's, plus doubts about the pairing."""
    findings = _identity(report, previous)
    unreliable = [f for f in previous_findings if f.is_error]
    if unreliable:
        first = unreliable[0]
        findings.append(
            Finding(WARNING, "上年", first.where, f"上年报告有 {len(unreliable)} 处错误，跨年度比较可能不可靠（首个：{first.message}）")
        )
    for rule in cross_year_rules(report.kind):
        table = report.kind.table(rule.table)
        last_table = next((t for t in previous.kind.tables if t.id == rule.table), None)
        if last_table is None:
            continue
        values = {
            "this": complete(table, report.tables.get(table.id, {})),
            "last": complete(last_table, previous.tables.get(table.id, {})),
        }
        reason = str(report.fields.get(rule.override_field) or "").strip() if rule.override_field else ""
        for axis, lhs, rhs in _instances(rule, table, last_table):
            left = sum(t.sign * values[t.year][k] for t, k in lhs)
            right = sum(t.sign * values[t.year][k] for t, k in rhs)
            if left == right:
                continue
            message = _message(rule, table, axis, lhs, rhs, values, {"this": report, "last": previous})
            this_key = next(k for t, k in (*lhs, *rhs) if t.year == "this")
            where = report.where(table.id, *this_key)
            if reason and rule.severity == ERROR:
                label = report.kind.field(rule.override_field).label
                findings.append(Finding(WARNING, rule.id, where, f"{message}；已按“{label}”接受：{reason}"))
            else:
                findings.append(Finding(rule.severity, rule.id, where, message))
    return findings


def _instances(rule: CrossYearRule, table: TableSpec, last_table: TableSpec):
    """(axis, lhs, rhs) per repetition, with each term resolved to a (record, field) key."""
    specs = {"this": table, "last": last_table}
    if rule.each == "field":
        axes = dict.fromkeys(f for r in table.record_order for f in table.fields_of(r))
        place = lambda key, axis: (key, axis)  # noqa: E731
    else:
        axes = dict.fromkeys(table.record_order)
        place = lambda key, axis: (axis, key)  # noqa: E731

    def resolve(term: Term, axis: str):
        """The first of the term's keys that its year's table declares, else None."""
        declared = specs[term.year].cell_by_key
        return next((place(key, axis) for key in term.keys if place(key, axis) in declared), None)

    for axis in axes:
        lhs = tuple((t, resolve(t, axis)) for t in rule.lhs)
        rhs = tuple((t, resolve(t, axis)) for t in rule.rhs)
        if all(k is not None for _, k in (*lhs, *rhs)):
            yield axis, lhs, rhs


def _message(rule, table: TableSpec, axis: str, lhs, rhs, values, reports: dict[str, Report]) -> str:
    """规章：本年报告现行有效件数 F9=10，上年报告现行有效件数 F9=8 + 本年报告本年制发件数 D9=3 − … = 10，不相等（上年：2020.xlsx!表二!F9）

    Each figure is named with its cell, as the table rules do; last year's file is cited once at the end.
    """
    previous = reports["last"]
    subject = table.field_label(table.record_order[0], axis) if rule.each == "field" else table.record_label(axis)

    tables = {"this": table, "last": next(t for t in previous.kind.tables if t.id == table.id)}

    def name(year, key) -> str:
        spec = tables[year]
        return spec.record_label(key[0]) if rule.each == "field" else spec.field_label(*key)

    def term(t: Term, key) -> str:
        cell = reports[t.year].where(table.id, *key).within
        figure = f"{_YEARS[t.year]}{name(t.year, key)}"
        return f"{figure} {cell}={values[t.year][key]}" if cell else f"{figure} {values[t.year][key]}"

    def side(terms) -> str:
        total = sum(t.sign * values[t.year][k] for t, k in terms)
        text = ""
        for i, (t, k) in enumerate(terms):
            op = "− " if t.sign < 0 and not i else " − " if t.sign < 0 else " + " if i else ""
            text += op + term(t, k)
        return text if len(terms) == 1 else f"{text} = {total}"

    last_key = next((k for t, k in (*lhs, *rhs) if t.year == "last"), None)
    cited = f"（上年：{previous.where(table.id, *last_key)}）" if last_key else ""
    return f"{subject}：{side(lhs)}，{side(rhs)}，不相等{cited}"


def _identity(report: Report, previous: Report) -> list[Finding]:
    """Last year's report should be this agency's, for the year before: each warning is placed in
    last year's file (its agency's or year's cell when known), which the message then calls 上年报告."""
    out = []
    if previous.kind.id != report.kind.id:
        out.append(Finding(WARNING, "上年", previous.origin, f"上年报告是“{previous.kind.name}”，不是“{report.kind.name}”"))
    if previous.agency and report.agency and previous.agency != report.agency:
        out.append(
            Finding(WARNING, "上年", previous.role_spot("agency"),
                    f"上年报告的机关名称是“{previous.agency}”，与本年“{report.agency}”不同，请确认是同一机关")
        )
    if previous.year is not None and report.year is not None and previous.year != report.year - 1:
        out.append(
            Finding(WARNING, "上年", previous.role_spot("year"), f"上年报告的年度是 {previous.year}，不是 {report.year - 1}")
        )
    return out
