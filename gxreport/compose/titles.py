"""Title lines as GB/T 9704 7.3.1 wants them and as renderers measure them.

A title wider than the type width is broken by us, never by the renderer: Word and
LibreOffice would fill the first line and leave "告" alone on the second. The width is
measured as they print it (``page.printed_width``: with the gap between Chinese and
digits), lines break only where the kind's title pattern puts "|" or between words, no
line holds fewer than three characters or ends in an opening mark (or starts with a
closing one), and among the layouts with the fewest lines the most balanced one wins, in
the shape of a trapezoid (梯形, shorter line above) or a diamond (菱形).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..declare.page import PAGE, Page, printed_width

# Where a word ends inside an agency name or a free phrase: organs (longest first, so
# 政府 also ends 人民政府;
# 委员会 is one word and not 委|员会), administrative divisions not followed by a character
# that makes them part of a longer word (市场, 县委, 苏州市…), and a year "2024年".
_ORGANS = (
    "委员会", "管委会", "办公室", "办公厅", "办事处", "服务中心", "中心", "政府", "公司",
    "街道", "局", "厅", "院", "所", "站", "部", "处", "委(?!员)", "会",
)
_DIVISION = "[省市县区州盟旗镇乡](?![场政民容级域委直属辖长情志省市县区州盟旗镇乡])"
_WORD_END = re.compile("|".join((*_ORGANS, _DIVISION, r"\d+年")))
_DIGIT_RUN = re.compile(r"\d+")
# Marks that may not end a line (opening) or start one (closing and pause marks).
_NO_LINE_END = set("（(“‘《〈〔【[")
_NO_LINE_START = set("，,。．、；;：:！!？?）)”’》〉〕】]…—")
MIN_LINE_CHARS = 3  # never a line of one or two characters
MAX_LINES = 5
# Costs of a layout, in characters of imbalance: a break between words costs a little more
# than one the kind declares, a break anywhere else (only when nothing else fits) much more;
# a shorter line under a longer one (倒梯形) is allowed but less usual than 梯形.
WORD_BREAK_COST = 4.0
ANY_BREAK_COST = 12.0
INVERTED_COST = 2.0
BAD_SHAPE_COST = 20.0
SHAPE_TOLERANCE = 0.5
BALANCE_BAND = 4.0  # characters below the average line width a balanced layout's lines may be


@dataclass(frozen=True)
class _Breaks:
    text: str
    declared: frozenset[int]  # offsets where the kind put "|"
    words: frozenset[int]  # offsets between words

    def cost(self, offset: int) -> float:
        if offset in self.declared:
            return 0.0
        return WORD_BREAK_COST if offset in self.words else ANY_BREAK_COST

    def allowed(self, offset: int) -> bool:
        before, after = self.text[offset - 1], self.text[offset]
        if before in _NO_LINE_END or after in _NO_LINE_START or (before == "第" and after.isdigit()):
            return False
        return not (before.isdigit() and after.isdigit()) and not (before.isascii() and after.isascii() and before.isalnum() and after.isalnum())


def title_lines(marked: str, size_pt: float | None = None, page: Page = PAGE) -> list[str]:
    """The lines of a title whose pattern marks break points with "|" (or a line break)."""
    pieces = [p.strip() for p in re.split(r"[|\n]", marked)]
    text = "".join(pieces)
    limit = page.chars_per_line(size_pt or page.sizes.title)
    width = printed_width(text)
    if not text or width <= limit:
        return [text] if text else []
    if width > MAX_LINES * limit:  # no title is this long: a clerk's paste, let the renderer wrap
        return [text]
    declared, at = set(), 0
    for piece in pieces[:-1]:
        at += len(piece)
        declared.add(at)
    breaks = _Breaks(text, frozenset(declared - {0, len(text)}), frozenset(_word_ends(text)))
    for count in range(2, MAX_LINES + 1):
        # Balanced layouts first (every line near the average width): a few hundred to try
        # instead of up to 20⁴; any width only when no balanced one exists.
        layouts = list(_layouts(breaks, 0, count, limit, width / count - BALANCE_BAND))
        layouts = layouts or list(_layouts(breaks, 0, count, limit, 0.0))
        if layouts:
            best = min(layouts, key=lambda cuts: _cost(breaks, cuts))
            return [text[a:b] for a, b in zip((0, *best), (*best, len(text)))]
    return [text]  # no layout keeps every line within the width: let the renderer wrap


def _word_ends(text: str) -> Iterator[int]:
    for match in _WORD_END.finditer(text):
        yield match.end()
    for match in _DIGIT_RUN.finditer(text):
        yield match.start()


def _layouts(breaks: _Breaks, start: int, lines: int, limit: float, floor: float) -> Iterator[tuple[int, ...]]:
    """Every way to cut text[start:] into `lines` lines no wider than `limit` and no narrower
    than `floor`; cut offsets in order."""
    text = breaks.text
    if lines == 1:
        rest = text[start:]
        if len(rest) >= MIN_LINE_CHARS and floor <= printed_width(rest) <= limit:
            yield ()
        return
    for end in range(start + MIN_LINE_CHARS, len(text) - MIN_LINE_CHARS * (lines - 1) + 1):
        line = printed_width(text[start:end])
        if line > limit:
            break
        if line >= floor and breaks.allowed(end):
            for rest in _layouts(breaks, end, lines - 1, limit, floor):
                yield (end, *rest)


def _cost(breaks: _Breaks, cuts: tuple[int, ...]) -> float:
    text = breaks.text
    widths = [printed_width(text[a:b]) for a, b in zip((0, *cuts), (*cuts, len(text)))]
    return max(widths) - min(widths) + sum(map(breaks.cost, cuts)) + _shape_cost(widths)


def _shape_cost(widths: list[float]) -> float:
    """0 for a trapezoid (each line at least as long as the one above) or a diamond (longer
    lines in the middle); a little for an inverted trapezoid; much for anything else."""
    steps = [b - a for a, b in zip(widths, widths[1:])]
    up = [s >= -SHAPE_TOLERANCE for s in steps]
    if all(up):
        return 0.0
    peak = up.index(False)
    if all(s <= SHAPE_TOLERANCE for s in steps[peak:]):
        return 0.0 if peak > 0 else INVERTED_COST  # a diamond rises first
    return BAD_SHAPE_COST
