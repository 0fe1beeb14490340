"""The declared table rules (勾稽关系): totals derived, balances checked.

A rule in ``tables.toml`` repeats over one axis of its table; each
repetition is a ``RuleInstance`` comparing two sums of cells. The workbook
writer turns instances into live formulas and check cells; the checker
evaluates them on the numbers read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .errors import ERROR, WARNING, Finding
from .spec import RuleSpec, TableSpec

Key = tuple[str, str]


@dataclass(frozen=True)
class RuleInstance:
    rule: RuleSpec
    axis: str  # the field (each=field) or record (each=record) it applies to
    lhs: tuple[Key, ...]
    rhs: tuple[Key, ...]

    @property
    def anchor(self) -> Key:
        """The cell a finding points at: the first left-hand cell."""
        return self.lhs[0]

    @property
    def total(self) -> Key:
        return self.lhs[0]

    @property
    def parts(self) -> tuple[Key, ...]:
        return self.rhs


@lru_cache(maxsize=None)
def rule_instances(table: TableSpec, rule: RuleSpec) -> tuple[RuleInstance, ...]:
    rhs_keys = table.expand(rule.rhs)
    if rule.each == "field":
        axes = dict.fromkeys(f for r in table.record_order for f in table.fields_of(r))
        build = lambda axis, keys: tuple((k, axis) for k in keys)  # noqa: E731
    else:
        axes = dict.fromkeys(table.record_order)
        build = lambda axis, keys: tuple((axis, k) for k in keys)  # noqa: E731
    instances = []
    for axis in axes:
        lhs, rhs = build(axis, rule.lhs), build(axis, rhs_keys)
        if all(k in table.cell_by_key for k in (*lhs, *rhs)):
            instances.append(RuleInstance(rule, axis, lhs, rhs))
    return tuple(instances)


@lru_cache(maxsize=None)
def derived_totals(table: TableSpec) -> dict[Key, tuple[Key, ...]]:
    """Cells the workbook computes (sum rules marked derived), with their parts.

    Computed once per table and shared: callers must not modify the dict.
    """
    totals: dict[Key, tuple[Key, ...]] = {}
    for rule in table.rules:
        if rule.derived:
            for instance in rule_instances(table, rule):
                totals.setdefault(instance.total, instance.parts)
    return totals


def complete(table: TableSpec, given: dict[Key, object]) -> dict[Key, int | Decimal]:
    """Every value as printed: derived totals left blank are computed, other blanks are 0."""
    totals = derived_totals(table)
    done: dict[Key, int | Decimal] = {}

    def value(key: Key, depth: int = 0):
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


def check_table(table: TableSpec, given: dict[Key, object], where, source_label: str = "") -> list[Finding]:
    """Findings for every failed rule instance of ``table``.

    ``where(key)`` gives the spot of a cell. A derived total that was left
    blank is computed from the very rule it would be checked against, so only
    totals the clerk typed are compared for sum rules.
    """
    values = complete(table, given)
    findings: list[Finding] = []
    for rule in table.rules:
        for instance in rule_instances(table, rule):
            if rule.type == "sum" and given.get(instance.total) is None:
                continue
            left = sum((values[k] for k in instance.lhs), 0)
            right = sum((values[k] for k in instance.rhs), 0)
            if left != right:
                findings.append(
                    Finding(ERROR, rule.id, where(instance.anchor), _message(table, instance, values, left, right))
                )
    return findings


def blank_warnings(table: TableSpec, blanks: dict[str, list[str]], spot_of, table_spot: str) -> list[Finding]:
    """R13 for the blank input cells of a table (record → cell names): one finding per
    record, or a single one when the whole table was left blank, as in a fresh workbook.
    ``spot_of(record, cells)`` names where a record's blank cells are."""
    if sum(map(len, blanks.values())) == len(table.value_keys) - len(derived_totals(table)):
        return [Finding(WARNING, "R13", table_spot, f"表{table.number}整张表未填写，全部按 0 打印；确实没有发生的事项请填 0")]
    return [blank_warning(table, record, cells, spot_of(record, cells)) for record, cells in blanks.items()]


def blank_warning(table: TableSpec, record: str, cells: list[str], where: str) -> Finding:
    """R13 for the blank cells of one record: the statutory table wants 0."""
    listed = "、".join(cells[:8]) + ("…" if len(cells) > 8 else "")
    return Finding(WARNING, "R13", where, f"{table.record_label(record)}：{len(cells)} 个单元格为空（{listed}），按 0 打印")


def _message(table: TableSpec, instance: RuleInstance, values, left, right) -> str:
    """自然人 本年新收(3)+上年结转(0)=3，总计(2)+结转下年度(0)=2，不相等"""
    if instance.rule.each == "field":
        subject = table.field_label(instance.lhs[0][0], instance.axis)
        name = lambda key: table.record_label(key[0])  # noqa: E731
    else:
        subject = table.record_label(instance.axis)
        name = lambda key: table.field_label(key[0], key[1])  # noqa: E731

    def side(keys, total):
        shown = [k for k in keys if values[k]] if len(keys) > 4 else list(keys)
        if not shown:
            return f"各项均为0={total}" if len(keys) > 4 else f"{total}"
        terms = "+".join(f"{name(k)}({values[k]})" for k in shown)
        return terms if len(shown) == 1 and len(keys) == 1 else f"{terms}={total}"

    if instance.rule.type == "sum":
        lhs = f"{name(instance.total)}({left})"
        rhs = side(instance.rhs, right)
        return f"{subject} {lhs}，各项之和 {rhs}，不相等"
    return f"{subject} {side(instance.lhs, left)}，{side(instance.rhs, right)}，不相等"
