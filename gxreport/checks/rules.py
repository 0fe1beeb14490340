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

from ..errors import WARNING, Finding, Location
from ..declare.rulebook import finding
from ..declare.spec import RuleSpec, TableSpec

Key = tuple[str, str]


@dataclass(frozen=True)
class RuleInstance:
    """A table rule applied along one field or record: the cells each side adds up."""

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

    # A blank total is the sum of its parts, each computed once; a part that is no total is
    # filled in place (a report asks for its tables about fifteen times, with hundreds of cells).
    def value(key: Key, depth: int):
        number = given.get(key)
        if number is None:
            number = 0
            for part in totals[key] if key in totals and depth < 8 else ():
                if part in done:
                    number += done[part]
                elif part in totals:
                    number += value(part, depth + 1)
                else:
                    part_number = given.get(part)
                    done[part] = part_number = 0 if part_number is None else part_number
                    number += part_number
        done[key] = number
        return number

    for key in table.value_keys:
        if key not in done:
            number = given.get(key)
            done[key] = value(key, 0) if number is None else number
    return done


def check_table(table: TableSpec, given: dict[Key, object], where, source_label: str = "") -> list[Finding]:
    """Findings for every failed rule instance of ``table``, worded so a clerk can act on them.

    ``where(key)`` gives the spot of a cell. A derived total that was left
    blank is computed from the very rule it would be checked against, so only
    totals the clerk typed are compared for sum rules. A failure that only
    repeats others (the 总计 column of R1 when its parts' columns fail) is left
    out, and one wrong cell that a column rule and a row rule both point at is
    reported once, at that cell (``_localised``).
    """
    values = complete(table, given)
    failed: list[tuple[RuleInstance, int | Decimal]] = []
    for rule in table.rules:
        for instance in rule_instances(table, rule):
            if rule.type == "sum" and given.get(instance.total) is None:
                continue
            delta = _delta(instance, values)
            if delta:
                failed.append((instance, delta))
    failed = [(i, d) for i, d in failed if not _repeats_its_parts(table, i, d, values)]
    findings, failed = _localised(table, failed, given, values, where)
    for instance, delta in failed:
        findings.append(finding(instance.rule.id, where(instance.anchor), _message(table, instance, values, where)))
    return findings


def _delta(instance: RuleInstance, values) -> int | Decimal:
    return sum((values[k] for k in instance.lhs), 0) - sum((values[k] for k in instance.rhs), 0)


def _repeats_its_parts(table: TableSpec, instance: RuleInstance, delta, values) -> bool:
    """Whether the instance fails only because the instances over its axis's parts do.

    R1 over the 总计 column is the sum of R1 over the six applicant columns
    when the 总计 column is derived from them (R3): one wrong applicant cell
    fails both, and only the applicant column says where to look.
    """
    for rule in table.rules:
        if rule.type != "sum" or not rule.derived or rule.each == instance.rule.each or rule.total != instance.axis:
            continue
        by_axis = {i.axis: i for i in rule_instances(table, instance.rule)}
        parts = table.expand(rule.rhs)
        if all(p in by_axis for p in parts):
            deltas = [_delta(by_axis[p], values) for p in parts]
            if any(deltas) and sum(deltas, 0) == delta:
                return True
    return False


def _support(table: TableSpec, instance: RuleInstance, given) -> dict[Key, int]:
    """The cells an instance adds up, with their sign, derived totals left blank opened into their parts."""
    totals = derived_totals(table)
    out: dict[Key, int] = {}

    def add(key: Key, sign: int, depth: int = 0) -> None:
        if key in totals and given.get(key) is None and depth < 8:
            for part in totals[key]:
                add(part, sign, depth + 1)
        else:
            out[key] = out.get(key, 0) + sign

    for key in instance.lhs:
        add(key, 1)
    for key in instance.rhs:
        add(key, -1)
    return {k: s for k, s in out.items() if s}


def _localised(table: TableSpec, failed, given, values, where) -> tuple[list[Finding], list]:
    """One wrong cell that two failing rules share, reported once, at that cell.

    When a single typed cell lies in both failures' sums and changing it by one
    amount balances both, it is the clerk's slip (表三 予以公开 自然人 7 for 6:
    R1 or R2 down its column and R3 along its row); the two failures become one
    finding there.
    """
    findings: list[Finding] = []
    used: set[int] = set()
    supports = [_support(table, instance, given) for instance, _ in failed]
    for n, (first, first_delta) in enumerate(failed):
        for m in range(n + 1, len(failed)):
            second, second_delta = failed[m]
            if n in used or m in used or (first.rule, first.axis) == (second.rule, second.axis):
                continue
            shared = [k for k in supports[n] if k in supports[m] and given.get(k) is not None]
            if len(shared) != 1:
                continue
            key = shared[0]
            if abs(supports[n][key]) != 1 or abs(supports[m][key]) != 1:
                continue
            change = -first_delta * supports[n][key]
            if change != -second_delta * supports[m][key] or values[key] + change < 0:
                continue
            used.update((n, m))
            label = f"{row_name(table, key[0])} {column_name(table, *key)}"
            findings.append(
                finding(
                    first.rule.id,
                    where(key),
                    f"{label} 填写的 {values[key]} 可能有误：{_subject(table, first)}（{first.rule.id}）"
                    f"和{_subject(table, second)}（{second.rule.id}）都不平衡，改为 {values[key] + change} 则都平衡",
                )
            )
    return findings, [item for n, item in enumerate(failed) if n not in used]


def blank_warnings(table: TableSpec, blanks: dict[str, list[str]], spot_of, table_spot: Location) -> list[Finding]:
    """R13 for the blank input cells of a table (record → cell names, in the table's order).

    A table left wholly blank, as in a fresh workbook, gets one finding; so do
    its rows left wholly blank when there are several (a next year's workbook
    with only 上年结转 filled), naming their range; a row partly blank gets
    its own. ``spot_of(record, cells)`` names where cells are; ``record`` is
    None for cells of several rows.
    """
    totals = derived_totals(table)
    inputs: dict[str, int] = {}
    for key in table.value_keys:
        if key not in totals:
            inputs[key[0]] = inputs.get(key[0], 0) + 1
    if sum(map(len, blanks.values())) == sum(inputs.values()):
        return [Finding(WARNING, "R13", table_spot, f"表{table.number}整张表未填写，全部按 0 打印；确实没有发生的事项请填 0")]
    empty = [record for record, cells in blanks.items() if len(cells) == inputs[record]] if len(blanks) > 1 else []
    out = []
    if len(empty) > 1:
        first, last = blanks[empty[0]][0], blanks[empty[-1]][-1]
        labels = "、".join(table.record_label(r) for r in empty[:3]) + ("等" if len(empty) > 3 else "")
        out.append(
            Finding(WARNING, "R13", spot_of(None, [first, last]), f"表{table.number}有 {len(empty)} 行整行未填写（{labels}），按 0 打印；确实没有发生的事项请填 0")
        )
    rest = set(empty) if len(empty) > 1 else set()
    out += [blank_warning(table, record, cells, spot_of(record, cells)) for record, cells in blanks.items() if record not in rest]
    return out


def blank_warning(table: TableSpec, record: str, cells: list[str], where: Location) -> Finding:
    """R13 for the blank cells of one record: the statutory table wants 0."""
    listed = "、".join(cells[:8]) + ("…" if len(cells) > 8 else "")
    return Finding(WARNING, "R13", where, f"{table.record_label(record)}：{len(cells)} 个单元格为空（{listed}），按 0 打印")


def row_name(table: TableSpec, record: str) -> str:
    """A row's label, marked as a row where a column has the same label (总计行, not 总计)."""
    label = table.record_label(record)
    return f"{label}行" if label in {table.field_label(r, f) for r, f in table.value_keys} else label


def column_name(table: TableSpec, record: str, field: str) -> str:
    """A column's label, marked as a column where a row has the same label (总计列)."""
    label = table.field_label(record, field)
    return f"{label}列" if label in set(table.records.values()) else label


def _subject(table: TableSpec, instance: RuleInstance) -> str:
    """What an instance runs along: 自然人列, 本年新收行."""
    if instance.rule.each == "field":
        label = table.field_label(instance.lhs[0][0], instance.axis)
        return label if label.endswith("列") else f"{label}列"
    label = table.record_label(instance.axis)
    return label if label.endswith("行") else f"{label}行"


def _message(table: TableSpec, instance: RuleInstance, values, where) -> str:
    """自然人列：本年新收 D7=3 + 上年结转 D8=0 = 3，总计行 D30=2 + 结转下年度 D31=0 = 2，不相等（相差 1）"""
    if instance.rule.each == "field":
        name = lambda key: row_name(table, key[0])  # noqa: E731
    else:
        name = lambda key: column_name(table, *key)  # noqa: E731

    def term(key) -> str:
        cell = where(key).within
        return f"{name(key)} {cell}={values[key]}" if cell else f"{name(key)} {values[key]}"

    def side(keys) -> str:
        total = sum((values[k] for k in keys), 0)
        shown = [k for k in keys if values[k]] if len(keys) > 4 else list(keys)
        if not shown:
            return "各项均为 0"
        terms = " + ".join(term(k) for k in shown)
        return terms if len(shown) == 1 and len(keys) == 1 else f"{terms} = {total}"

    left = sum((values[k] for k in instance.lhs), 0)
    right = sum((values[k] for k in instance.rhs), 0)
    gap = abs(left - right)
    if instance.rule.type == "sum":
        return f"{_subject(table, instance)}：{term(instance.total)}，各项之和 {side(instance.rhs)}，不相等（相差 {gap}）"
    return f"{_subject(table, instance)}：{side(instance.lhs)}，{side(instance.rhs)}，不相等（相差 {gap}）"
