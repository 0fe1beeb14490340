"""Cell references (``A1``, ``XFD1048576``) and ranges: the one parser the guard and the reader share.

A reference is accepted only in the form Excel, WPS and LibreOffice write:
one to three ASCII letters and a row number without leading zeros, inside
Excel's grid. Anything else (``A00001``, ``A١``, ``$A$1``, an eight-digit
row) is refused rather than read one way here and another way elsewhere;
a reference that a reader interprets differently from the guard is how a
small file fills gigabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_ROW = 1_048_576  # Excel's grid (ECMA-376 Part 1 §18.3.1.73, "r" of a row)
MAX_COL = 16_384  # column XFD

_REF = re.compile(r"([A-Za-z]{1,3})([1-9][0-9]{0,6})", re.ASCII)
_ROW = re.compile(r"[1-9][0-9]{0,6}", re.ASCII)


class RefError(ValueError):
    """A cell reference not in the form spreadsheet programs write."""


@dataclass(frozen=True)
class CellRange:
    """A rectangle of cells, 1-based and inclusive."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def area(self) -> int:
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


@lru_cache(maxsize=8192)  # workbooks of one format repeat the same references
def parse_ref(text: str) -> tuple[int, int]:
    """``"C7"`` → (row 7, column 3); raises RefError."""
    match = _REF.fullmatch(text)
    if match is None:
        raise RefError(text)
    column = 0
    for ch in match.group(1).upper():
        column = column * 26 + ord(ch) - 64
    row = int(match.group(2))
    if row > MAX_ROW or column > MAX_COL:
        raise RefError(text)
    return row, column


def parse_row(text: str) -> int:
    """A row element's number (``r`` of ``<row>``); raises RefError."""
    if _ROW.fullmatch(text) is None or int(text) > MAX_ROW:
        raise RefError(text)
    return int(text)


def parse_range(text: str) -> CellRange:
    """``"A1:C3"`` (or one cell) as a CellRange, corners in either order; raises RefError."""
    first, sep, last = text.partition(":")
    if sep and not last:
        raise RefError(text)
    (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
    return CellRange(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


@lru_cache(maxsize=1024)  # asked for every value cell a report names
def column_letter(column: int) -> str:
    """3 → ``"C"``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
