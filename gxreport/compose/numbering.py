"""Heading numbers by level (GB/T 9704 7.3.3): 一、 （一） 1. （1）.

The clerk gives a level, never a number; a number typed anyway is recognised
(it can stand in for a missing level) and dropped so it is not doubled.
"""

from __future__ import annotations

import re

_CN_DIGITS = "零一二三四五六七八九"
_CN_NUMBER = "[一二三四五六七八九十百]+"
# One pattern per level, in level order; each also accepts the half-width and
# 、/，/． variants clerks type.
_TYPED = (
    re.compile(rf"^\s*{_CN_NUMBER}\s*[、，.．]\s*"),
    re.compile(rf"^\s*[（(]\s*{_CN_NUMBER}\s*[）)]\s*[、，.．]?\s*"),
    re.compile(r"^\s*\d{1,2}\s*[.．、，](?!\d)\s*"),
    re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]\s*[、，.．]?\s*"),
)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 99 → 九十九, 100 → 一百, 105 → 一百零五, 110 → 一百一十."""
    if n >= 1000:  # no report has a thousand parts; Arabic keeps it readable
        return str(n)
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = "零" + chinese_number(rest)  # 105 → 一百零五
        elif rest < 20:
            tail = "一" + chinese_number(rest)  # 110 → 一百一十
        else:
            tail = chinese_number(rest)
        return f"{chinese_number(hundreds)}百{tail}"
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def heading_number(level: int, n: int) -> str:
    """一、 （一） 1. （1） by level."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def typed_level(title: str) -> int | None:
    """The level a number typed at the start of ``title`` stands for, if any."""
    return next((level for level, pattern in enumerate(_TYPED, start=1) if pattern.match(title)), None)


def strip_typed_number(title: str) -> str:
    """A number the clerk typed anyway (“（一）”, “1.”) is dropped, not doubled."""
    level = typed_level(title)
    return _TYPED[level - 1].sub("", title, count=1) if level else title


RUN_IN_END = ("。", "：", ":")
_RUN_IN_TITLE_MAX = 40  # characters: a longer first sentence is text, not a heading


def split_numbered_text(text: str) -> tuple[str, str]:
    """A heading typed into the text cell (“（一）加强组织领导。我局……”) → (title, text).

    The typed number is dropped; the title runs to the first 。 or ：, else it is the
    whole first line. Returns ("", text) when the text does not start with a number.
    """
    first, _, rest = text.strip().partition("\n")
    if typed_level(first) is None:
        return "", text
    first = strip_typed_number(first)
    cut = min((first.find(mark) for mark in RUN_IN_END if 0 <= first.find(mark) < _RUN_IN_TITLE_MAX), default=-1)
    if 0 <= cut < len(first) - 1:
        return first[: cut + 1], "\n".join(p for p in (first[cut + 1 :], rest) if p.strip())
    return first, rest


class Numbering:
    """Counters per level; a heading restarts the count of every deeper level."""

    def __init__(self):
        self.counters = [0] * 5

    def next(self, level: int) -> str:
        self.counters[level] += 1
        for deeper in range(level + 1, 5):
            self.counters[deeper] = 0
        return heading_number(level, self.counters[level])
