"""Find a declared table inside a worksheet by its labels, not by addresses.

A clerk may insert a note row, move a block or widen a column: the value of
(record, field) is wherever its row labels and column labels meet.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from ...errors import InputError, spot
from ...declare.spec import CellSpec, TableSpec
from ...text import label_key


class Box(NamedTuple):
    """A worksheet cell or merged range, 1-based inclusive (a tuple: sheets' layouts are compared whole)."""

    top: int
    left: int
    bottom: int
    right: int


class SheetIndex:
    """Label text → boxes, built once per sheet from its string cells (``of``)."""

    def __init__(self, by_label: dict[str, list[Box]]):
        self.by_label = by_label

    @classmethod
    def of(cls, ws) -> SheetIndex:
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        by_label: dict[str, list[Box]] = {}
        for row, values in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
            for column, value in enumerate(values, start=1):
                if type(value) is not str or not value.strip() or value.startswith("="):
                    continue
                rng = merged.get((row, column))
                box = Box(rng.min_row, rng.min_col, rng.max_row, rng.max_col) if rng else Box(row, column, row, column)
                by_label.setdefault(_label_key(value), []).append(box)
        return cls(by_label)

    def find(self, text: str, within: Box | None = None, below: int = 0) -> Box | None:
        """The first box with this label inside ``within`` (columns/rows) and below row ``below``."""
        for box in self.by_label.get(_label_key(text), ()):
            if box.top <= below:
                continue
            if within and not (within.left <= box.left <= within.right and within.top <= box.top <= within.bottom):
                continue
            return box
        return None


# Workbooks of one kind repeat the same labels: each is folded once per process.
_label_key = lru_cache(maxsize=4096)(label_key)

_EVERYWHERE = Box(1, 1, 1 << 20, 1 << 14)


def _chain(index: SheetIndex, labels: tuple[CellSpec, ...], across: bool) -> Box | None:
    """Resolve nested labels: each one is searched inside the span of the previous.

    ``across`` is True for column labels (an outer header spans columns, the
    inner one lies below it), False for row labels (an outer label spans rows,
    the inner one lies to its right).
    """
    area, box = _EVERYWHERE, None
    for label in labels:
        if across:
            box = index.find(label.text, within=area, below=box.bottom if box else 0)
        else:
            box = index.find(label.text, within=area)
        if box is None:
            return None
        area = (
            Box(box.bottom, box.left, 1 << 20, box.right)
            if across
            else Box(box.top, box.right, box.bottom, 1 << 14)
        )
    return box


@lru_cache(maxsize=64)
def _label_chains(table: TableSpec):
    """The distinct label chains of a table, and each value cell's column and row chain.

    A column's labels serve every row of it and a row's labels every column, so a
    sheet resolves each chain once; this pairing depends on the table alone.
    """
    chains: dict[tuple[tuple[CellSpec, ...], bool], int] = {}
    cells = []
    for cell in table.value_cells:
        col = chains.setdefault((table.column_labels(cell), True), len(chains))
        row_labels = table.row_labels(cell)
        row = chains.setdefault((row_labels, False), len(chains)) if row_labels else None
        cells.append((cell.key, col, row))
    return tuple(chains), tuple(cells)


def locate_table(ws, table: TableSpec, file: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(record, field) → (row, column) of every value cell of ``table`` in ``ws``.

    Raises InputError naming the first label that cannot be found.
    """
    index = SheetIndex.of(ws)
    try:
        return dict(_located(table, tuple((label, tuple(boxes)) for label, boxes in index.by_label.items())))
    except _MissingLabel as missing:
        raise InputError(missing.message, spot(file, ws.title)) from None


class _MissingLabel(Exception):
    def __init__(self, message: str):
        self.message = message


# Workbooks of one kind lay their tables out alike: the positions depend only on the table
# and where each label stands, so a batch resolves each table's labels once.
@lru_cache(maxsize=32)
def _located(table: TableSpec, layout: tuple[tuple[str, tuple[Box, ...]], ...]) -> dict[tuple[str, str], tuple[int, int]]:
    index = SheetIndex(dict(layout))
    chains, cells = _label_chains(table)
    boxes: list[Box | None | bool] = [False] * len(chains)  # False: not resolved yet

    def resolve(number: int) -> Box | None:
        if boxes[number] is False:
            labels, across = chains[number]
            boxes[number] = _chain(index, labels, across)
        return boxes[number]

    found: dict[tuple[str, str], tuple[int, int]] = {}
    for key, col_chain, row_chain in cells:
        col_box = resolve(col_chain)
        if col_box is None:
            missing = " / ".join(label.text for label in chains[col_chain][0])
            raise _MissingLabel(f"找不到表头“{missing}”，请勿修改表格标签")
        if row_chain is not None:
            row_box = resolve(row_chain)
            if row_box is None:
                missing = " / ".join(label.text for label in chains[row_chain][0])
                raise _MissingLabel(f"找不到行标签“{missing}”，请勿修改表格标签")
            row = row_box.top
        else:
            row = col_box.bottom + 1
        found[key] = (row, col_box.left)
    return found
