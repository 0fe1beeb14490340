"""Find a statutory table in an expanded grid by its labels, and read its numbers.

Every value cell declared in ``tables.toml`` is known by the labels to its
left (``TableSpec.row_labels``) and above it (``TableSpec.column_labels``).
The same two label paths are computed for every number-like cell of the
grid, whatever its merged-cell layout; a declared cell takes the grid cell
whose innermost labels match on both axes and whose outer labels agree best.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ...errors import ERROR, WARNING, Finding, Location, spot
from ...declare.model import Number
from ...checks.rules import blank_warnings, derived_totals
from ...declare.spec import CellSpec, TableSpec
from ...text import BLANK_MARKS, NumberError, parse_number
from .labels import fold, similarity
from .source import Grid, GridCell

_UNITS = ("亿元", "万元", "元", "件", "个", "项", "宗", "起")
_NUMBER_LIKE = re.compile(r"^[+\-−－]?\s*[\d,，]*[.．]?\d+\s*(?:" + "|".join(_UNITS) + r")?$")
_AMOUNT = re.compile(r"^(?P<number>.*?\d)\s*(?P<unit>亿元|万元|元)$")
# A number with a note in brackets after it: 22（其中修订16件）.
_NOTED = re.compile(r"^(?P<number>[+\-−－]?[\d,，]*[.．]?\d+\s*(?:" + "|".join(_UNITS) + r")?)[（(](?P<note>[^（()）]+)[）)]$")
# A grid cell is taken for a declared one only this sure (innermost labels on both axes).
MIN_SCORE = 1.5
# A table is recognised when this share of its declared cells was found.
MIN_COVERAGE = 0.5


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def is_value_text(text: str) -> bool:
    """A cell that holds (or stands for) a number: digits, blank, or a "/" typed for 0."""
    plain = _plain(text)
    return plain == "" or plain in BLANK_MARKS or bool(_NUMBER_LIKE.match(plain)) or bool(_NOTED.match(plain))


@dataclass(frozen=True)
class Candidate:
    """A number-like grid cell with the label paths that lead to it."""

    cell: GridCell
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]


def candidates(grid: Grid) -> list[Candidate]:
    """Every number-like cell with its label paths; linear in the grid's size."""
    if grid.candidates is not None:
        return grid.candidates
    out: list[Candidate] = []
    above = _column_labels(grid)
    for r, row in enumerate(grid.rows):
        lefts: list[GridCell] = []  # label cells met so far in this row, left to right
        for c, owner in enumerate(row):
            if owner is None:
                continue
            if (owner.row, owner.col) == (r, c) and is_value_text(owner.text):
                out.append(Candidate(owner, tuple(x.text for x in lefts), above[r][c]))
            elif owner.text and not is_value_text(owner.text) and (not lefts or lefts[-1] is not owner):
                lefts.append(owner)
    grid.candidates = out
    return out


def _column_labels(grid: Grid) -> list[list[tuple[str, ...]]]:
    """Mirror of ``TableSpec.column_labels`` for every position: skip the numbers right above,
    then climb the labels. Computed row by row from the row above (each answer reuses the
    answer at the top of the cell above), so a long table costs its size, not its square."""
    n_cols = grid.n_cols
    chain: list[list[tuple[str, ...]]] = []  # labels climbing up from this position itself
    result: list[list[tuple[str, ...]]] = []  # labels for a value cell below this position
    for r in range(grid.n_rows):
        chain.append([()] * n_cols)
        result.append([()] * n_cols)
        for c in range(n_cols):
            owner = grid.at(r, c)
            if owner is None:
                continue
            top = owner.row - 1
            if is_value_text(owner.text):
                # the numbers right above are skipped: answer as the cell above the value
                chain[r][c] = ()
                below = result[top][c] if top >= 0 else ()
            else:
                chain[r][c] = (chain[top][c] if top >= 0 else ()) + (owner.text,)
                below = chain[r][c]
            result[r][c] = below
    # a cell's own labels are what the position above it offers
    return [[result[r - 1][c] if r > 0 else () for c in range(n_cols)] for r in range(grid.n_rows)]


def _path_score(found: tuple[str, ...], declared: tuple[str, ...]) -> float:
    """Innermost labels must match; each outer declared label found in order adds to the score."""
    if not declared:
        return 1.0 if not found else 0.5
    if not found:
        return 0.0
    inner = similarity(found[-1], declared[-1])
    if inner == 0.0:
        return 0.0
    score, start = inner, 0
    outer = found[:-1]
    for label in declared[:-1]:
        for i in range(start, len(outer)):
            if similarity(outer[i], label) > 0.0:
                score += 0.25
                start = i + 1
                break
    return score


@dataclass
class TableMatch:
    """Which grid cell each declared cell was found in."""

    table: TableSpec
    grid: Grid
    found: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    score: float = 0.0
    collapsed: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    collapsed_group: tuple[str, tuple[str, ...]] | None = None

    @property
    def coverage(self) -> float:
        return len(self.found) / max(1, len(self.table.value_cells))


def _labels(table: TableSpec, cell: CellSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(x.text for x in table.row_labels(cell)), tuple(x.text for x in table.column_labels(cell))


def _shares_labels(table: TableSpec, grid: Grid) -> bool:
    """A cheap first look: some of the table's labels appear in the grid as printed (folded).
    Tables of other kinds and formats are dropped here, before label paths are compared."""
    declared = _declared_labels(table)
    found = {fold(c.text) for row in grid.rows for c in row if c is not None and c.text}
    return len(declared & found) * 4 >= len(declared)


@lru_cache(maxsize=64)
def _declared_labels(table: TableSpec) -> frozenset[str]:
    return frozenset(fold(c.text) for c in table.cells if not c.is_value and c.text)


def _assign(pairs: list[tuple[float, object, Candidate]]) -> dict:
    """Greedy best-first: each declared cell and each grid cell used once.

    Equal labels happen where a header was not merged down (blank cells under
    it) or a value not merged across: a filled cell wins, then the lowest row
    (the blanks are the header's), then the leftmost column.
    """
    pairs.sort(key=lambda p: (-p[0], not _plain(p[2].cell.text), -p[2].cell.row, p[2].cell.col))
    used: set[int] = set()
    out: dict = {}
    for score, key, cand in pairs:
        if key in out or id(cand) in used:
            continue
        out[key] = (score, cand)
        used.add(id(cand))
    return out


# A grid this many times longer than a declared table is another table (an appendix, a
# list of documents): not matched at all, so its size costs nothing more.
MAX_LENGTH_RATIO = 4


def match_table(table: TableSpec, grid: Grid) -> TableMatch:
    if grid.n_rows > MAX_LENGTH_RATIO * table.n_rows + 8 or not _shares_labels(table, grid):
        return TableMatch(table, grid)
    cands = candidates(grid)
    pairs: list[tuple[float, object, Candidate]] = []
    for cell in table.value_cells:
        rows, cols = _labels(table, cell)
        for cand in cands:
            r = _path_score(cand.row_labels, rows)
            c = _path_score(cand.column_labels, cols) if r else 0.0
            if r + c >= MIN_SCORE and r and c:
                pairs.append((r + c, cell.key, cand))
    assigned = _assign(pairs)
    match = TableMatch(table, grid, {k: v[1] for k, v in assigned.items()}, sum(v[0] for v in assigned.values()))
    _match_collapsed_group(match, cands)
    return match


def _match_collapsed_group(match: TableMatch, cands: list[Candidate]) -> None:
    """A group printed as one row (2021 （六）其他处理 without its sub-rows): found by the
    group's own label; its numbers go to the group's last record."""
    table = match.table
    missing = [r for r in table.record_order if not any((r, f) in match.found for f in table.fields_of(r))]
    if not missing or match.coverage < MIN_COVERAGE:
        return
    groups: dict[CellSpec, list[str]] = {}
    for record in missing:
        labels = table.row_labels(table.cell_by_key[(record, table.fields_of(record)[0])])
        if len(labels) >= 2:
            groups.setdefault(labels[-2], []).append(record)
    used = {id(c) for c in match.found.values()}
    free = [c for c in cands if id(c) not in used]
    for owner, records in groups.items():
        members = [r for r in table.record_order if owner in table.row_labels(table.cell_by_key[(r, table.fields_of(r)[0])])]
        if records != members:
            continue  # only a group missing all its sub-rows
        target = records[-1]
        pairs = []
        for f in table.fields_of(target):
            cell = table.cell_by_key[(target, f)]
            rows, cols = _labels(table, cell)
            for cand in free:
                r = _path_score(cand.row_labels, rows[:-1])
                c = _path_score(cand.column_labels, cols) if r else 0.0
                if r and c and r + c >= MIN_SCORE:
                    pairs.append((r + c, (target, f), cand))
        found = {k: v[1] for k, v in _assign(pairs).items()}
        if found:
            match.collapsed.update(found)
            match.collapsed_group = (owner.text, tuple(records))


def where_in(source: str, table: TableSpec, cand: GridCell) -> Location:
    return spot(source, f"表{table.number}", f"第{cand.row + 1}行第{cand.col + 1}列")


def read_values(match: TableMatch, source: str):
    """Numbers, their spots, units and findings of a matched table."""
    table = match.table
    totals = derived_totals(table)
    values: dict[tuple[str, str], Number] = {}
    cells: dict[tuple[str, str], str] = {}
    units: dict[tuple[str, str], str] = {}
    findings: list[Finding] = []
    blanks: dict[str, list[str]] = {}
    found = {**match.found, **match.collapsed}
    for spec in table.value_cells:
        key = spec.key
        label = f"{table.record_label(key[0])} {table.field_label(*key)}"
        cand = found.get(key)
        if cand is None:
            values[key] = None
            cells[key] = spot(source, f"表{table.number}")
            if match.collapsed_group is not None and key[0] in match.collapsed_group[1]:
                continue
            if key in totals:  # a total the table does not print is worked out from its parts
                findings.append(Finding(WARNING, "导入", cells[key], f"{label}：表中找不到这一栏，按各项之和计算"))
            else:
                findings.append(Finding(ERROR, "导入", cells[key], f"{label}：表中找不到“{_row_text(table, key[0])}”一行或“{_field_text(table, key)}”一栏，未读取；请核对表格后手工填写"))
            continue
        at = where_in(source, table, cand.cell)
        cells[key] = at
        text = _plain(cand.cell.text)
        if noted := _NOTED.match(text):
            text = noted.group("number")
            findings.append(
                Finding(WARNING, "导入", at, f"{label}：“{cand.cell.text}”读作 {text}，括号中的说明“{noted.group('note')}”未计入统计表，需要时写入正文")
            )
        unit = ""
        if spec.type == "amount" and (m := _AMOUNT.match(text)):
            text, unit = m.group("number"), m.group("unit")
        else:
            text = re.sub("(?:" + "|".join(_UNITS) + ")$", "", text)
        try:
            number, note = parse_number(text.replace("−", "-"), "decimal" if spec.type == "amount" else spec.type)
        except NumberError as exc:
            findings.append(Finding(ERROR, "R4", at, f"{label}：{exc}"))
            values[key] = None
            continue
        values[key] = number
        if unit:
            units[key] = unit
        if note == "mark":
            findings.append(Finding(WARNING, "R13", at, f"{label}：填写了“{cand.cell.text}”，统计表应填 0，按 0 打印"))
        elif note == "blank" and key not in totals:
            blanks.setdefault(key[0], []).append(f"第{cand.cell.row + 1}行第{cand.cell.col + 1}列")
    findings += blank_warnings(
        table, blanks, lambda _record, spots: spot(source, f"表{table.number}", spots[0]), spot(source, f"表{table.number}")
    )
    if match.collapsed_group:
        group, records = match.collapsed_group
        names = [_row_text(table, r) for r in records]
        first = min(match.collapsed.values(), key=lambda c: (c.cell.row, c.cell.col))
        findings.append(
            Finding(
                WARNING,
                "导入",
                where_in(source, table, first.cell),
                f"“{group}”只有一行，没有 {len(names)} 个分项；其数字记入“{names[-1]}”，其余分项按空白处理",
            )
        )
    findings += _stray_numbers(match, source, found)
    return values, cells, units, findings


def _row_text(table: TableSpec, record: str) -> str:
    """The printed row label of a record (its innermost label cell)."""
    labels = table.row_labels(table.cell_by_key[(record, table.fields_of(record)[0])])
    return labels[-1].text if labels else table.record_label(record)


def _field_text(table: TableSpec, key: tuple[str, str]) -> str:
    """The printed column label of a cell (its innermost column label)."""
    labels = table.column_labels(table.cell_by_key[key])
    return labels[-1].text if labels else table.field_label(*key)


def _stray_numbers(match: TableMatch, source: str, found: dict) -> list[Finding]:
    """Non-zero numbers inside the table that belong to no declared cell."""
    used = {id(c.cell) for c in found.values()}
    out = []
    for cand in candidates(match.grid):
        plain = _plain(cand.cell.text)
        if id(cand.cell) in used or not plain or plain in BLANK_MARKS:
            continue
        if not any(ch in "123456789" for ch in plain):
            continue
        if not cand.row_labels and not cand.column_labels:
            continue
        out.append(
            Finding(WARNING, "导入", where_in(source, match.table, cand.cell), f"数字“{cand.cell.text}”不属于统计表的任何一栏，未读取")
        )
    return out

