"""The statutory tables and their rules, loaded from a kind's ``tables.toml``.

The declaration is HTML-like: rows list the cells that start in them, with
spans. ``TableSpec.cells`` places every cell on the grid once; everything
else (workbook sheets, reader, checker, .docx/HTML tables, JSON) works from
the placed cells and the rules declared beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .declaration import (
    DeclarationError,
    Either,
    Flag,
    Integer,
    ListOf,
    MapOf,
    Number,
    Text,
    checked,
    read_toml,
    record,
    template_error,
)
from .rulebook import rule_ids

VALUE_TYPES = ("int", "signed", "decimal", "amount")


@dataclass(frozen=True, eq=False)
class CellSpec:
    """One declared cell placed on the grid (0-based row/col).

    Compared by identity (``eq=False``): no two cells of a table share a place, and label
    chains are looked up by their cells while every workbook is read.
    """

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    header: bool = False
    record: str = ""
    field: str = ""
    type: str = "int"

    @property
    def is_value(self) -> bool:
        return bool(self.record)

    @property
    def key(self) -> tuple[str, str]:
        return (self.record, self.field)

    def covers(self, row: int, col: int) -> bool:
        return self.row <= row < self.row + self.rowspan and self.col <= col < self.col + self.colspan


@dataclass(frozen=True)
class RuleSpec:
    """A consistency rule over one table (docs/annual-report.md §5)."""

    id: str
    table: str
    type: str  # "sum" or "balance"
    each: str  # "field" or "record"
    lhs: tuple[str, ...] = ()
    rhs: tuple[str, ...] = ()
    derived: bool = False

    @property
    def total(self) -> str:
        """The derived key of a ``sum`` rule."""
        return self.lhs[0]


@dataclass(frozen=True, eq=False)
class TableSpec:
    """A statutory table as declared: its cells placed on the grid, its records, fields and rules."""

    id: str
    number: str
    title: str
    sheet: str
    json: str
    widths_mm: tuple[float, ...]
    font_size_pt: float | None  # None: the page's table size (page.Sizes.table)
    header_rows: int
    records: dict[str, str]
    fields: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]
    cells: tuple[CellSpec, ...]
    rules: tuple[RuleSpec, ...] = field(default=())

    @property
    def n_cols(self) -> int:
        return len(self.widths_mm)

    @cached_property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    @cached_property
    def value_cells(self) -> tuple[CellSpec, ...]:
        return tuple(c for c in self.cells if c.is_value)

    @cached_property
    def value_keys(self) -> tuple[tuple[str, str], ...]:
        return tuple(c.key for c in self.value_cells)

    @cached_property
    def cell_by_key(self) -> dict[tuple[str, str], CellSpec]:
        return {c.key: c for c in self.value_cells}

    @cached_property
    def record_order(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.record for c in self.value_cells))

    def fields_of(self, record: str) -> tuple[str, ...]:
        return tuple(c.field for c in self.value_cells if c.record == record)

    def cell_at(self, row: int, col: int) -> CellSpec | None:
        return self._grid.get((row, col))

    @cached_property
    def _grid(self) -> dict[tuple[int, int], CellSpec]:
        grid: dict[tuple[int, int], CellSpec] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    grid[(r, c)] = cell
        return grid

    @cached_property
    def _value_labels(self) -> dict[tuple[str, str], tuple[tuple[CellSpec, ...], tuple[CellSpec, ...]]]:
        """(column labels, row labels) of each value cell: walked once, asked for every workbook read."""
        return {c.key: (self._column_labels(c), self._row_labels(c)) for c in self.value_cells}

    def row_labels(self, cell: CellSpec) -> tuple[CellSpec, ...]:
        """Label cells to the left of a value cell, outermost first."""
        return self._value_labels[cell.key][1] if cell.is_value else self._row_labels(cell)

    def column_labels(self, cell: CellSpec) -> tuple[CellSpec, ...]:
        """Label cells above a value cell, outermost first (see ``_column_labels``)."""
        return self._value_labels[cell.key][0] if cell.is_value else self._column_labels(cell)

    def _row_labels(self, cell: CellSpec) -> tuple[CellSpec, ...]:
        labels: list[CellSpec] = []
        for col in range(cell.col):
            owner = self.cell_at(cell.row, col)
            if owner is not None and not owner.is_value and owner not in labels:
                labels.append(owner)
        return tuple(labels)

    def _column_labels(self, cell: CellSpec) -> tuple[CellSpec, ...]:
        """Walks up the cell's first column: value cells right above are skipped
        (rows of the same block), then labels are collected until the next
        value cell (the block above).
        """
        return self._labels_above(cell.row, cell.col)

    def _labels_above(self, row: int, col: int) -> tuple[CellSpec, ...]:
        # The value cells of a block all skip the same value cells above them: each place's
        # answer is kept, so a table's walks cost its size rather than its size squared.
        grid, known = self._grid, self._above
        skipped = []
        while (row, col) not in known and (owner := grid.get((row - 1, col))) is not None and owner.is_value:
            skipped.append((row, col))
            row -= 1
        found = known.get((row, col))
        if found is None:
            labels: list[CellSpec] = []
            above = row - 1
            while above >= 0 and (owner := grid.get((above, col))) is not None and not owner.is_value:
                labels.append(owner)  # each label once: the walk goes on above it
                above = owner.row - 1
            found = known[(row, col)] = tuple(reversed(labels))
        for place in skipped:
            known[place] = found
        return found

    @cached_property
    def _above(self) -> dict[tuple[int, int], tuple[CellSpec, ...]]:
        return {}

    def field_label(self, record: str, field_key: str) -> str:
        """The header text that names a field of a record, for messages."""
        labels = self.column_labels(self.cell_by_key[(record, field_key)])
        return labels[-1].text if labels else field_key

    def record_label(self, record: str) -> str:
        return self.records.get(record, record)

    def expand(self, keys: tuple[str, ...] | str) -> tuple[str, ...]:
        """Resolve a rule operand list; ``@group`` names a declared group."""
        if isinstance(keys, str):
            keys = (keys,)
        out: list[str] = []
        for key in keys:
            out.extend(self.groups[key[1:]] if key.startswith("@") else (key,))
        return tuple(out)


MAX_SPAN = 50  # rows or columns one declared cell may span
MAX_COLUMNS = 60
MAX_ROWS = 200

_ID = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}"
_CELL = record(
    (),
    None,
    text=Text(max=500),
    header=Flag(),
    rowspan=Integer(1, MAX_SPAN),
    colspan=Integer(1, MAX_SPAN),
    record=Text(pattern=_ID),
    field=Text(pattern=_ID),
    type=Text(choices=VALUE_TYPES),
    values=Text(pattern=_ID),
)
_TABLE = record(
    ("id", "sheet", "widths_mm", "rows"),
    {"number": "", "title": "", "json": "dict", "font_size_pt": None, "header_rows": 0, "records": {}, "fields": (), "groups": {}},
    id=Text(pattern=_ID),
    number=Text(max=10),
    title=Text(max=200),
    sheet=Text(max=31, nonempty=True),
    json=Text(choices=("dict", "list")),
    widths_mm=ListOf(Number(1, 500), max=MAX_COLUMNS, min=1),
    font_size_pt=Number(5, 30),
    header_rows=Integer(0, MAX_ROWS),
    records=MapOf(Text(max=200), key=Text(pattern=_ID), max=MAX_ROWS),
    fields=ListOf(Text(pattern=_ID), max=MAX_COLUMNS),
    groups=MapOf(ListOf(Text(pattern=_ID), max=MAX_ROWS), key=Text(pattern=_ID), max=50),
    rows=ListOf(ListOf(_CELL, max=MAX_COLUMNS), max=MAX_ROWS, min=1),
)
_OPERANDS = Either((Text(pattern="@?" + _ID), ListOf(Text(pattern="@?" + _ID), max=MAX_ROWS, min=1)))
_RULE = record(
    ("id", "table", "type", "each"),
    {"derived": False},
    id=Text(choices=rule_ids("table")),
    table=Text(pattern=_ID),
    type=Text(choices=("sum", "balance")),
    each=Text(choices=("field", "record")),
    lhs=_OPERANDS,
    rhs=_OPERANDS,
    total=Text(pattern=_ID),
    parts=_OPERANDS,
    derived=Flag(),
)
_CROSS_YEAR = record(
    ("id", "table", "each", "lhs", "rhs"),
    None,
    id=Text(choices=rule_ids("cross_year")),
    table=Text(pattern=_ID),
    each=Text(choices=("field", "record")),
    severity=Text(choices=("error", "warning")),
    lhs=ListOf(Text(max=200, nonempty=True), max=50, min=1),
    rhs=ListOf(Text(max=200, nonempty=True), max=50, min=1),
    override_field=Text(max=40),
)
_ROLLUP_FIGURE = record(
    ("label", "table", "record", "field"),
    None,
    label=Text(max=40, nonempty=True),
    table=Text(pattern=_ID),
    record=Text(pattern=_ID),
    field=Text(pattern=_ID),
)
DECLARATION = record(
    (),
    {"table": (), "rule": (), "cross_year": (), "rollup_figure": ()},
    table=ListOf(_TABLE, max=20),
    rule=ListOf(_RULE, max=100),
    cross_year=ListOf(_CROSS_YEAR, max=100),
    rollup_figure=ListOf(_ROLLUP_FIGURE, max=100),
)


def _place(rows: tuple[tuple[dict, ...], ...], fields: tuple[str, ...], n_cols: int, at: str) -> tuple[CellSpec, ...]:
    """Lay HTML-style rows onto a grid, the way a browser places table cells.

    Every cell must fit the declared columns and rows and overlap no other, so
    the work is bounded by the grid's size whatever the spans say.
    """
    taken: set[tuple[int, int]] = set()
    placed: list[CellSpec] = []
    for r, row in enumerate(rows):
        col = 0
        for i, item in enumerate(row):
            where = f"{at}.rows[{r}][{i}]"
            if "values" in item:
                if not fields:
                    raise DeclarationError(where, "values 需要表的 fields")
                expanded = [{"record": item["values"], "field": f, "type": item.get("type", "int")} for f in fields]
            else:
                expanded = [item]
            for spec in expanded:
                while (r, col) in taken:
                    col += 1
                cell = CellSpec(
                    row=r,
                    col=col,
                    rowspan=spec.get("rowspan", 1),
                    colspan=spec.get("colspan", 1),
                    text=spec.get("text", ""),
                    header=spec.get("header", False),
                    record=spec.get("record", ""),
                    field=spec.get("field", ""),
                    type=spec.get("type", "int"),
                )
                if cell.is_value != bool(cell.field):
                    raise DeclarationError(where, "数值单元格应同时写 record 和 field")
                if col + cell.colspan > n_cols:
                    raise DeclarationError(where, f"第 {r + 1} 行超出 {n_cols} 列（widths_mm 的项数）")
                if r + cell.rowspan > len(rows):
                    raise DeclarationError(where, f"rowspan 超出表格的 {len(rows)} 行")
                for rr in range(r, r + cell.rowspan):
                    for cc in range(col, col + cell.colspan):
                        if (rr, cc) in taken:
                            raise DeclarationError(where, f"与其他单元格重叠（第 {rr + 1} 行第 {cc + 1} 列）")
                        taken.add((rr, cc))
                placed.append(cell)
                col += cell.colspan
    return tuple(placed)


def _rule(raw: dict, at: str) -> RuleSpec:
    if raw["type"] == "sum":
        if "total" not in raw or "parts" not in raw:
            raise DeclarationError(at, "sum 规则应写 total 和 parts")
        lhs, rhs = raw["total"], raw["parts"]
    else:
        if "lhs" not in raw or "rhs" not in raw:
            raise DeclarationError(at, "balance 规则应写 lhs 和 rhs")
        lhs, rhs = raw["lhs"], raw["rhs"]
    return RuleSpec(
        id=raw["id"],
        table=raw["table"],
        type=raw["type"],
        each=raw["each"],
        lhs=lhs if isinstance(lhs, tuple) else (lhs,),
        rhs=rhs if isinstance(rhs, tuple) else (rhs,),
        derived=raw["derived"],
    )


def read_declaration(path: Path) -> dict:
    """A ``tables.toml``, bounded and checked against ``DECLARATION``; a wrong one names its file and key."""
    return checked(path, "表格声明", DECLARATION, read_toml(path, "表格声明"))


def load_tables(path: Path) -> tuple[TableSpec, ...]:
    """The tables of a ``tables.toml`` with their rules, placed on their grids and cross-checked."""
    return tables_from(read_toml(path, "表格声明"), path)


def tables_from(raw: dict, path: Path) -> tuple[TableSpec, ...]:
    """The tables of a parsed declaration (``path`` names it in messages)."""
    data = checked(path, "表格声明", DECLARATION, raw)
    try:
        rules = [_rule(r, f"rule[{i}]") for i, r in enumerate(data["rule"])]
        tables = []
        for i, raw in enumerate(data["table"]):
            spec = TableSpec(
                id=raw["id"],
                number=raw["number"],
                title=raw["title"],
                sheet=raw["sheet"],
                json=raw["json"],
                widths_mm=raw["widths_mm"],
                font_size_pt=raw["font_size_pt"],
                header_rows=raw["header_rows"],
                records=raw["records"],
                fields=raw["fields"],
                groups=raw["groups"],
                cells=_place(raw["rows"], raw["fields"], len(raw["widths_mm"]), f"table[{i}]"),
                rules=tuple(r for r in rules if r.table == raw["id"]),
            )
            _validate(spec, f"table[{i}]")
            tables.append(spec)
        ids = [t.id for t in tables]
        if len(set(ids)) != len(ids):
            raise DeclarationError("table", "表的 id 重复")
        for i, rule in enumerate(rules):
            if rule.table not in ids:
                raise DeclarationError(f"rule[{i}].table", f"表 {rule.table!r} 未声明")
    except DeclarationError as exc:
        raise template_error(path, "表格声明", exc) from None
    return tuple(tables)


def _validate(spec: TableSpec, at: str) -> None:
    keys = spec.value_keys
    if not keys:
        raise DeclarationError(f"{at}.rows", "表中没有数值单元格")
    if len(set(keys)) != len(keys):
        raise DeclarationError(f"{at}.rows", f"表 {spec.id} 有重复的数值键")
    for group, members in spec.groups.items():
        for key in members:
            if key not in spec.record_order and key not in spec.fields:
                raise DeclarationError(f"{at}.groups.{group}", f"{key!r} 不在表 {spec.id} 中")
    for rule in spec.rules:
        for key in rule.lhs + rule.rhs:
            if key.startswith("@") and key[1:] not in spec.groups:
                raise DeclarationError(f"rule {rule.id}", f"组 {key!r} 未在表 {spec.id} 的 groups 中声明")
        axis = spec.record_order if rule.each == "field" else {f for r in spec.record_order for f in spec.fields_of(r)}
        for key in (*rule.lhs, *spec.expand(rule.rhs)):
            if key not in axis:
                raise DeclarationError(f"rule {rule.id}", f"规则 {rule.id} 引用了表 {spec.id} 中不存在的 {key!r}")


def declared_entries(path: Path, section: str) -> tuple[dict, ...]:
    """The checked entries of another ``[[section]]`` of a declaration (cross-year rules, roll-up figures)."""
    return read_declaration(path)[section]
