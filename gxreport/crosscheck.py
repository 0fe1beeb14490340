"""R10 (spec §5): figures the narrative states must agree with the tables.

What to look for is declared by the kind (``[[checks.narrative_figure]]`` in
its manifest): phrase patterns capturing a figure, and the table cells whose
sum it must equal. A figure that equals an applicant column instead of the
总计 column is named as the classic slip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import WARNING, Finding
from .model import Report
from .rules import complete
from .spec import TableSpec

_SENTENCE = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")
QUOTE_CHARS = 40  # a quoted sentence is shortened around its figure to this many characters
TOTAL_FIELD = "total"


@dataclass(frozen=True)
class FigureRule:
    what: str
    patterns: tuple[re.Pattern, ...]
    alternatives: tuple[tuple[tuple[str, str, str], ...], ...]  # (table, record, field) sums
    slips: tuple[str, ...]


@lru_cache(maxsize=16)
def _rules(entries: tuple) -> tuple[FigureRule, ...]:
    out = []
    for what, patterns, cells, slips in entries:
        out.append(
            FigureRule(
                what,
                tuple(re.compile(p) for p in patterns),
                tuple(tuple(tuple(c.split("/", 2)) for c in alt) for alt in cells),
                tuple(slips),
            )
        )
    return tuple(out)


def figure_rules(report: Report) -> tuple[FigureRule, ...]:
    """The kind's declared rules whose cells all exist in its tables."""
    raw = report.kind.checks.get("narrative_figure", ())
    entries = tuple(
        (e["what"], tuple(e["patterns"]), tuple(tuple(a) for a in e["cells"]), tuple(e.get("slips", ()))) for e in raw
    )
    tables = {t.id: t for t in report.kind.tables}
    return tuple(
        r
        for r in _rules(entries)
        if all(t in tables and (rec, f) in tables[t].cell_by_key for alt in r.alternatives for t, rec, f in alt)
    )


def _quote(sentence: str, start: int, end: int) -> str:
    sentence = sentence.strip()
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    half = (QUOTE_CHARS - (end - start)) // 2
    left, right = max(0, start - half), min(len(sentence), end + half)
    return ("…" if left else "") + sentence[left:right] + ("…" if right < len(sentence) else "")


def narrative_figures(report: Report) -> list[Finding]:
    """R10 warnings for the narrative blocks of ``report``."""
    rules = figure_rules(report)
    if not rules:
        return []
    tables: dict[str, TableSpec] = {t.id: t for t in report.kind.tables}
    values = {t.id: complete(t, report.tables.get(t.id, {})) for t in report.kind.tables}

    def total(cells) -> int:
        return sum((values[t].get((rec, f), 0) for t, rec, f in cells), 0)

    def describe(cells) -> str:
        return "+".join(f"{tables[t].record_label(rec)} {tables[t].field_label(rec, f)}" for t, rec, f in cells)

    findings: list[Finding] = []
    for block in report.blocks:
        for sentence_match in _SENTENCE.finditer(f"{block.title}\n{block.text}"):
            sentence = sentence_match.group()
            claimed: set[int] = set()
            for rule in rules:
                for pattern in rule.patterns:
                    for m in pattern.finditer(sentence):
                        if m.start(1) in claimed:
                            continue
                        claimed.add(m.start(1))
                        figure = int(m.group(1))
                        expected = [total(alt) for alt in rule.alternatives]
                        if figure in expected:
                            continue
                        first = rule.alternatives[0]
                        table = tables[first[0][0]]
                        message = f"“{_quote(sentence, m.start(1), m.end(1))}”：{rule.what} {figure}，与表{table.number}不符（{describe(first)} 为 {expected[0]}"
                        if len(expected) > 1:
                            message += "".join(f"，{describe(a)} 为 {v}" for a, v in zip(rule.alternatives[1:], expected[1:]))
                        message += "）" + _slip(rule, figure, tables, total)
                        findings.append(Finding(WARNING, "R10", block.where or report.source, message))
    return findings


def _slip(rule: FigureRule, figure: int, tables: dict[str, TableSpec], total) -> str:
    """Name the classic slip: the figure is an applicant column's value, not 总计's."""
    for slip in rule.slips:
        for alt in rule.alternatives:
            if all(f == TOTAL_FIELD for _, _, f in alt) and total(tuple((t, r, slip) for t, r, _ in alt)) == figure:
                t, r, _ = alt[0]
                name = tables[t].field_label(r, slip)
                return f"；{figure} 等于“{name}”一列的数字，应写“总计”列的数字"
    return ""
