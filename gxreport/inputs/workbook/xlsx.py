"""A read-only view of an .xlsx workbook's cells: values from python-calamine, the rest from the guard's pass.

calamine (Rust) parses shared strings, number formats, dates (1900 and 1904
systems), inline strings, ISO dates (``t="d"``), rows and cells without
``r``, and Strict Open XML, in a few milliseconds (benchmarks/README.md).
It does not say which cells hold formulas or errors and it builds a sheet's
whole used rectangle, so ``guard.WorkbookArchive`` checks each sheet first
and supplies formulas, their missing results, error values and merged
ranges from the same pass. This module offers the small part of
openpyxl's worksheet interface the reader and ``locate.py`` use (``cell``,
``iter_rows``, ``merged_cells.ranges``, ``max_row``…):

- whole numbers are ``int``, others ``float``; date-formatted numbers are
  ``datetime``/``date``/``time`` (calamine's rule);
- an error cell's value is its text, such as ``#N/A``;
- a formula cell's value is ``"="`` + its formula and ``Cell.cached`` its
  saved result (``None`` when Excel or WPS saved none);
- the cells a merge covers, except its top-left cell, are ``MergedCell``s.

Sheets are read when first asked for, so the limits count only those.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from ...errors import InputError, spot
from .guard import SheetScan, WorkbookArchive
from .refs import CellRange, column_letter

__all__ = ["Cell", "FormulaCell", "MergedCell", "Workbook", "Worksheet", "column_letter"]


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


class FormulaCell(Cell):
    """A cell holding a formula: ``value`` is its text ("=" first), ``cached`` its saved result."""

    __slots__ = ()


class MergedCell(Cell):
    """A cell covered by a merge (not its top-left cell): it holds no value."""

    __slots__ = ()


@dataclass(frozen=True)
class MergedRanges:
    ranges: tuple[CellRange, ...]


def _plain(line: list) -> list:
    """calamine's values as the reader takes them: "" is empty, 3.0 is 3."""
    return [
        None if value == "" else (int(value) if value.is_integer() else _shown_number(value)) if type(value) is float else value
        for value in line
    ]


def _shown_number(value: float) -> float | int:
    """A fraction as Excel shows and computes it, to 15 significant digits: a formula's 12.1+3.2
    is saved as 15.299999999999999 and 0.1*30 as 3.0000000000000004, and are 15.3 and 3."""
    value = float(f"{value:.15g}")
    return int(value) if value.is_integer() else value


class Worksheet:
    def __init__(self, title: str, grid: list[list], scan: SheetScan | None = None, is_chart: bool = False):
        scan = scan or SheetScan()
        self.title = title
        self.is_chart = is_chart  # a chartsheet (§12.3.2) holds no cells
        self.merged_cells = MergedRanges(tuple(scan.merges))
        # The guard bounds the merged area (MAX_MERGED_AREA), so this set is bounded too.
        self._covered = {
            (r, c)
            for m in scan.merges
            for r in range(m.min_row, m.max_row + 1)
            for c in range(m.min_col, m.max_col + 1)
            if (r, c) != (m.min_row, m.min_col)
        }
        self.max_row = max(len(grid), scan.max_row, 1)
        self.max_column = max(max((len(r) for r in grid), default=0), scan.max_col, 1)
        # Each cell's value as ``cell`` gives it, row by row: calamine's, then the guard's
        # error texts, formulas and merges over it (few cells, so the rows are built once).
        self._values = [_plain(line) for line in grid]
        for (row, column), text in scan.errors.items():
            self._put(row, column, text)
        self._formulas = scan.formulas
        self._cached = {at: None if at in scan.uncached else self._value(*at) for at in scan.formulas}
        for (row, column), formula in scan.formulas.items():
            self._put(row, column, formula)
        for row, column in self._covered:
            self._put(row, column, None)

    def _value(self, row: int, column: int):
        line = self._values[row - 1] if row <= len(self._values) else ()
        return line[column - 1] if column <= len(line) else None

    def _put(self, row: int, column: int, value) -> None:
        while len(self._values) < row:
            self._values.append([])
        line = self._values[row - 1]
        if len(line) < column:
            line.extend([None] * (column - len(line)))
        line[column - 1] = value

    def cell(self, row: int, column: int) -> Cell:
        if (row, column) in self._covered:
            return MergedCell(row, column)
        if (row, column) in self._formulas:
            return FormulaCell(row, column, self._formulas[row, column], self._cached[row, column])
        return Cell(row, column, self._value(row, column))

    def iter_rows(self, min_row=None, max_row=None, min_col=None, max_col=None, values_only=False):
        """Rows of cells (or their values), as tuples; empty slots are empty cells (openpyxl's rule)."""
        min_row, min_col = min_row or 1, min_col or 1
        max_row, max_col = max_row or self.max_row, max_col or self.max_column
        if values_only:
            width = max_col - min_col + 1
            for row in range(min_row, max_row + 1):
                line = self._values[row - 1][min_col - 1 : max_col] if row <= len(self._values) else []
                yield (*line, *(None,) * (width - len(line)))
            return
        for row in range(min_row, max_row + 1):
            yield tuple(self.cell(row, column) for column in range(min_col, max_col + 1))


class Workbook:
    """The sheets of one .xlsx file, each checked by the guard and parsed when first asked for."""

    def __init__(self, path: Path):
        self._archive = WorkbookArchive(path)
        self.name = path.name
        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self._archive.calamine_data()))
        except Exception as exc:  # noqa: BLE001 - calamine raises its own errors and plain ones
            raise self._damage(exc) from None
        self._charts = {
            meta.name for meta in self._book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.ChartSheet
        }
        self._sheets: dict[str, Worksheet] = {}

    @property
    def sheetnames(self) -> list[str]:
        return list(self._archive.parts)

    def __contains__(self, name: str) -> bool:
        return name in self._archive.parts

    def __getitem__(self, name: str) -> Worksheet:
        if name not in self._sheets:
            self._sheets[name] = self._read(name)
        return self._sheets[name]

    def _read(self, name: str) -> Worksheet:
        if name not in self._archive.parts:
            raise KeyError(name)
        if name in self._charts:
            return Worksheet(name, [], is_chart=True)
        scan = self._archive.scan(name)
        try:
            grid = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001 - calamine raises its own errors and plain ones
            raise self._damage(exc, name) from None
        return Worksheet(name, grid, scan)

    def _damage(self, exc: Exception, sheet: str = "") -> InputError:
        described = self._archive.describe_strings_damage()
        if described:
            return InputError(described)
        return InputError(
            f"无法读取工作簿（{type(exc).__name__}），文件可能已损坏，请用 Excel 或 WPS 打开后重新保存", spot(self.name, sheet)
        )
