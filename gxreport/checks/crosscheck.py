"""R10 (docs/annual-report.md §5): figures the narrative states must agree with the tables.

What to look for is declared by the kind (``[[checks.narrative_figure]]`` in
its manifest): phrase patterns capturing a figure, and the table cells whose
sum it must equal. A figure that equals an applicant column instead of the
总计 column is named as the classic slip.
"""

from __future__ import annotations

import re

from ..errors import Finding
from ..declare.kinds import CellRef, FigureRule
from ..declare.model import Report
from ..declare.rulebook import finding
from .rules import column_name, complete, row_name
from ..declare.spec import TableSpec

_SENTENCE = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")
QUOTE_CHARS = 40  # a quoted sentence is shortened around its figure to this many characters


def _quote(sentence: str, start: int, end: int) -> str:
    sentence = sentence.strip()
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    half = (QUOTE_CHARS - (end - start)) // 2
    left, right = max(0, start - half), min(len(sentence), end + half)
    return ("…" if left else "") + sentence[left:right] + ("…" if right < len(sentence) else "")


def narrative_figures(report: Report) -> list[Finding]:
    """R10 warnings for the narrative blocks of ``report``."""
    rules = report.kind.checks.narrative_figures
    if not rules:
        return []
    tables: dict[str, TableSpec] = {t.id: t for t in report.kind.tables}
    values = {t.id: complete(t, report.tables.get(t.id, {})) for t in report.kind.tables}

    def total(cells: tuple[CellRef, ...]) -> int:
        return sum((values[c.table].get(c.key, 0) for c in cells), 0)

    def describe(cells: tuple[CellRef, ...]) -> str:
        # 总计行 总计列, not "总计 总计": a row and a column of the same name told apart
        return "+".join(f"{row_name(tables[c.table], c.record)} {column_name(tables[c.table], *c.key)}" for c in cells)

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
                        table = tables[first[0].table]
                        message = f"“{_quote(sentence, m.start(1), m.end(1))}”：{rule.what} {figure}，与表{table.number}不符（{describe(first)} 为 {expected[0]}"
                        if len(expected) > 1:
                            message += "".join(f"，{describe(a)} 为 {v}" for a, v in zip(rule.alternatives[1:], expected[1:]))
                        message += "）" + _slip(rule, figure, tables, total)
                        findings.append(finding("R10", block.where or report.origin, message))
    return findings


def _slip(rule: FigureRule, figure: int, tables: dict[str, TableSpec], total) -> str:
    """Name the classic slip: the figure is a declared slip column's value (自然人) instead of the one asked for."""
    for slip in rule.slips:
        for alt in rule.alternatives:
            if total(tuple(CellRef(c.table, c.record, slip) for c in alt)) == figure:
                first = alt[0]
                name = tables[first.table].field_label(first.record, slip)
                asked = column_name(tables[first.table], *first.key)
                return f"；{figure} 等于“{name}”一列的数字，应写“{asked.removesuffix('列')}”列的数字"
    return ""
