"""A read-only view of an .xlsx workbook's cells, read straight from its XML.

The reader needs cell values, merged ranges and sheet names. openpyxl builds
its whole object model for that: about 0.2 s to import (it pulls in numpy when
installed) and about 80 ms per workbook. This module parses only the parts
that hold values (ECMA-376 Part 1 §18.2 workbook, §18.3 sheets, §18.4 shared
strings, §18.8 number formats) and offers the small part of openpyxl's
worksheet interface the reader and ``locate.py`` use (``cell``, ``iter_rows``,
``merged_cells.ranges``, ``max_row``…), with openpyxl's value rules:

- numbers are ``int`` unless written with a point or exponent (then ``float``);
- a number whose cell format is a date format is a ``datetime`` (``time`` under 1);
- shared and inline strings are their plain text, rich-text runs joined;
- ``t="b"`` is a ``bool``, an error (``t="e"``) its text such as ``#N/A``;
- a formula cell's value is ``"="`` + its formula; its cached result (what
  openpyxl's ``data_only`` mode gives) is ``Cell.cached``;
- the cells a merge covers, except its top-left cell, are ``MergedCell``s.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

# Built-in number formats that are dates or times (§18.8.30); others are numbers.
_BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_BUILTIN_TIMEDELTA_FORMATS = frozenset({46})
# A format code is a date when, outside quoted literals and [bracketed] locale or
# colour parts, a d/m/y/h/s code is left that is not escaped (\d) or a spacer (_d).
_FORMAT_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED_CODE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)
_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_V, _F, _IS = f"{_MAIN}v", f"{_MAIN}f", f"{_MAIN}is"


def is_date_format(code: str | None) -> bool:
    if code is None:
        return False
    return _DATE_CODE.search(_FORMAT_LITERALS.sub("", code.split(";")[0])) is not None


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=8192)  # workbooks of one format repeat the same references
def _coordinate(text: str) -> tuple[int, int]:
    match = _COORDINATE.match(text)
    if match is None:
        raise ValueError(f"bad cell reference {text!r}")
    column = 0
    for ch in match.group(1).upper():
        column = column * 26 + ord(ch) - 64
    return int(match.group(2)), column


def _from_excel(serial: float, epoch: dt.datetime, elapsed: bool):
    """An Excel date serial as openpyxl reads it: datetime, or time below 1, or timedelta."""
    if elapsed:
        return dt.timedelta(days=serial)
    day, fraction = divmod(serial, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and diff.days == 0:
        return (dt.datetime.min + diff).time()
    if 0 < serial < 60 and epoch == _WINDOWS_EPOCH:
        day += 1  # Lotus 1-2-3 counted 1900-02-29, Excel keeps the bug
    return epoch + dt.timedelta(days=day) + diff


def _number(text: str) -> int | float:
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def _plain_text(element) -> str:
    """The text of a string item (§18.4.8 si / §18.3.1.53 is): t, then each run's t; no phonetic rPh."""
    parts = [t.text or "" for t in element.iterchildren(f"{_MAIN}t")]
    parts += [t.text or "" for r in element.iterchildren(f"{_MAIN}r") for t in r.iterchildren(f"{_MAIN}t")]
    return "".join(parts)


class Cell:
    __slots__ = ("row", "column", "value", "cached")

    def __init__(self, row: int, column: int, value=None, cached=None):
        self.row = row
        self.column = column
        self.value = value
        self.cached = cached  # a formula's last computed result, as saved by Excel/WPS

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


class MergedCell(Cell):
    """A cell covered by a merge (not its top-left cell): it holds no value."""

    __slots__ = ()


@dataclass(frozen=True)
class CellRange:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass(frozen=True)
class MergedRanges:
    ranges: tuple[CellRange, ...]


class Worksheet:
    def __init__(self, title: str, cells: dict[tuple[int, int], Cell], merged: tuple[CellRange, ...], is_chart: bool = False):
        self.title = title
        self.is_chart = is_chart  # a chartsheet (§12.3.2) holds no cells
        self._cells = cells
        self.merged_cells = MergedRanges(merged)
        self.max_row = max((r for r, _ in cells), default=1)
        self.max_column = max((c for _, c in cells), default=1)

    def cell(self, row: int, column: int) -> Cell:
        found = self._cells.get((row, column))
        if found is None:  # like openpyxl, asking for a cell creates it
            found = self._cells[row, column] = Cell(row, column)
            self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        return found

    def iter_rows(self, min_row=None, max_row=None, min_col=None, max_col=None, values_only=False):
        """Rows of cells (or their values), as tuples; empty slots are empty cells (openpyxl's rule)."""
        if not self._cells and not any((min_row, max_row, min_col, max_col)):
            return
        min_row, min_col = min_row or 1, min_col or 1
        max_row, max_col = max_row or self.max_row, max_col or self.max_column
        for row in range(min_row, max_row + 1):
            cells = tuple(self.cell(row, column) for column in range(min_col, max_col + 1))
            yield tuple(c.value for c in cells) if values_only else cells


class Workbook:
    """The sheets of one .xlsx file, all parsed on opening (a damaged part fails there)."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as archive:
            self._archive = archive
            self._names = set(archive.namelist())
            root = self._xml(_WORKBOOK)
            targets = self._relationship_targets()
            pr = root.find(f"{_MAIN}workbookPr")
            self._epoch = _MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") else _WINDOWS_EPOCH
            self._string_part = next((t for t in targets.values() if t.endswith("sharedStrings.xml")), "")
            self._style_part = next((t for t in targets.values() if t.endswith("styles.xml")), "")
            self._strings: list[str] | None = None
            self._styles: tuple[frozenset[int], frozenset[int]] | None = None
            self._sheets: dict[str, Worksheet] = {}
            for sheet in root.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
                part = targets.get(sheet.get(_REL_ID))
                if part in self._names:
                    self._sheets[sheet.get("name")] = self._read_sheet(sheet.get("name"), part)
        del self._archive

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def __getitem__(self, name: str) -> Worksheet:
        return self._sheets[name]

    def _xml(self, part: str):
        return etree.fromstring(self._archive.read(part), _PARSER)

    def _relationship_targets(self) -> dict[str, str]:
        if _WORKBOOK_RELS not in self._names:
            return {}
        targets = {}
        for rel in self._xml(_WORKBOOK_RELS).iter(_PKG_REL):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = path
        return targets

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if self._string_part in self._names:
                root = self._xml(self._string_part)
                # openpyxl drops the escape prefix of _x005F_ (an escaped underscore).
                self._strings = [_plain_text(si).replace("x005F_", "") for si in root.iterchildren(f"{_MAIN}si")]
        return self._strings

    def _date_styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """Indexes of the cell formats (cellXfs, §18.8.10) that are dates, and elapsed times."""
        if self._styles is None:
            dates: set[int] = set()
            elapsed: set[int] = set()
            if self._style_part in self._names:
                root = self._xml(self._style_part)
                custom = {
                    int(fmt.get("numFmtId")): fmt.get("formatCode")
                    for fmt in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")
                }
                for index, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
                    fmt_id = int(xf.get("numFmtId", 0))
                    if fmt_id in custom:
                        code = custom[fmt_id]
                        if is_date_format(code):
                            dates.add(index)
                        if code and _ELAPSED_CODE.search(code.split(";")[0]):
                            elapsed.add(index)
                    else:
                        if fmt_id in _BUILTIN_DATE_FORMATS:
                            dates.add(index)
                        if fmt_id in _BUILTIN_TIMEDELTA_FORMATS:
                            elapsed.add(index)
            self._styles = (frozenset(dates), frozenset(elapsed))
        return self._styles

    def _value(self, kind: str, text: str | None, style: int):
        """A <v> value (§18.3.1.96) by the cell's type attribute t (§18.18.11)."""
        if not text:
            return None
        if kind == "n":
            number = _number(text)
            dates, elapsed = self._date_styles()
            if style in dates:
                try:
                    return _from_excel(number, self._epoch, style in elapsed)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self._shared_strings()[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return dt.datetime.fromisoformat(text.rstrip("Z"))
        return text  # "str" (a formula's string result) and "e" (an error such as #N/A)

    def _read_sheet(self, title: str, part: str) -> Worksheet:
        root = self._xml(part)
        if root.tag == f"{_MAIN}chartsheet":
            return Worksheet(title, {}, (), is_chart=True)
        cells: dict[tuple[int, int], Cell] = {}
        row_number = 0
        for row in root.iterfind(f"{_MAIN}sheetData/{_MAIN}row"):
            r = row.get("r")
            row_number = int(float(r)) if r else row_number + 1
            column = 0
            for c in row.iterchildren(f"{_MAIN}c"):
                ref = c.get("r")
                if ref:
                    row_number, column = _coordinate(ref)
                else:
                    column += 1
                formula = inline = text = None
                for child in c:  # one pass over f, v, is (§18.3.1.4)
                    if child.tag == _V:
                        text = child.text
                    elif child.tag == _F:
                        formula = child
                    elif child.tag == _IS:
                        inline = child
                kind = c.get("t", "n")
                if kind == "inlineStr":
                    value = _plain_text(inline) if inline is not None else None
                else:
                    value = self._value(kind, text, int(c.get("s", 0)))
                if formula is not None:
                    cells[row_number, column] = Cell(row_number, column, "=" + (formula.text or ""), value)
                else:
                    cells[row_number, column] = Cell(row_number, column, value)
        ranges = []
        for merge in root.iterfind(f"{_MAIN}mergeCells/{_MAIN}mergeCell"):
            ref = merge.get("ref", "")
            first, _, last = ref.partition(":")
            (top, left), (bottom, right) = _coordinate(first), _coordinate(last or first)
            ranges.append(CellRange(top, left, bottom, right))
            for r in range(top, bottom + 1):
                for col in range(left, right + 1):
                    if (r, col) != (top, left):
                        cells[r, col] = MergedCell(r, col)
        return Worksheet(title, cells, tuple(ranges))
