"""The statutory tables and their rules, loaded from a kind's ``tables.toml``.

The declaration is HTML-like: rows list the cells that start in them, with
spans. ``TableSpec.cells`` places every cell on the grid once; everything
else (workbook sheets, reader, checker, .docx/HTML tables, JSON) works from
the placed cells and the rules declared beside them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import TemplateError

VALUE_TYPES = ("int", "signed", "decimal", "amount")


@dataclass(frozen=True)
class CellSpec:
    """One declared cell placed on the grid (0-based row/col)."""

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
    """A consistency rule over one table (spec §5)."""

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
    id: str
    number: str
    title: str
    sheet: str
    json: str
    widths_mm: tuple[float, ...]
    font_size_pt: float
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
        labels: list[CellSpec] = []
        row = cell.row - 1
        while row >= 0 and (owner := self.cell_at(row, cell.col)) is not None and owner.is_value:
            row -= 1
        while row >= 0:
            owner = self.cell_at(row, cell.col)
            if owner is None or owner.is_value:
                break
            if owner not in labels:
                labels.append(owner)
            row = owner.row - 1
        return tuple(reversed(labels))

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


def _place(rows: list[list[dict]], fields: tuple[str, ...], where: str) -> tuple[CellSpec, ...]:
    """Lay HTML-style rows onto a grid, the way a browser places table cells."""
    taken: set[tuple[int, int]] = set()
    placed: list[CellSpec] = []
    if not rows:
        raise TemplateError(f"{where}: 表格没有行")
    for r, row in enumerate(rows):
        col = 0
        for item in row:
            if not isinstance(item, dict):
                raise TemplateError(f"{where}: 第 {r + 1} 行的单元格应写成 {{ text = … }} 或 {{ record = …, field = … }}")
            expanded = (
                [{"record": item["values"], "field": f, "type": item.get("type", "int")} for f in fields]
                if "values" in item
                else [item]
            )
            for spec in expanded:
                while (r, col) in taken:
                    col += 1
                cell = CellSpec(
                    row=r,
                    col=col,
                    rowspan=int(spec.get("rowspan", 1)),
                    colspan=int(spec.get("colspan", 1)),
                    text=spec.get("text", ""),
                    header=bool(spec.get("header", False)),
                    record=spec.get("record", ""),
                    field=spec.get("field", ""),
                    type=spec.get("type", "int"),
                )
                if cell.rowspan < 1 or cell.colspan < 1:
                    raise TemplateError(f"{where}: 第 {r + 1} 行的 rowspan/colspan 应为 1 或更大")
                if cell.is_value and cell.type not in VALUE_TYPES:
                    raise TemplateError(f"{where}: 未知的数值类型 {cell.type!r}（第 {r + 1} 行）")
                for rr in range(r, r + cell.rowspan):
                    for cc in range(col, col + cell.colspan):
                        taken.add((rr, cc))
                placed.append(cell)
                col += cell.colspan
    return tuple(placed)


def _rule(raw: dict) -> RuleSpec:
    if raw["type"] == "sum":
        lhs, rhs = (raw["total"],), raw["parts"]
    else:
        lhs, rhs = raw["lhs"], raw["rhs"]
    return RuleSpec(
        id=raw["id"],
        table=raw["table"],
        type=raw["type"],
        each=raw["each"],
        lhs=tuple(lhs),
        rhs=tuple(rhs) if isinstance(rhs, list) else (rhs,),
        derived=bool(raw.get("derived", False)),
    )


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def toml_error_spot(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """``file:line`` of a TOML syntax error (tomllib puts the line in its message)."""
    match = _TOML_LINE.search(str(exc))
    return f"{path}:{match.group(1)}" if match else str(path)


def _read_declaration(path: Path) -> dict:
    """A ``tables.toml`` as parsed TOML; a malformed one names its file and line."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: 无法读取表格声明：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{toml_error_spot(path, exc)}: 表格声明格式错误：{exc}") from None


def load_tables(path: Path) -> tuple[TableSpec, ...]:
    """Read a ``tables.toml`` declaration; a malformed one names its file."""
    data = _read_declaration(path)
    try:
        rules = [_rule(r) for r in data.get("rule", [])]
        tables = []
        for raw in data.get("table", []):
            fields = tuple(raw.get("fields", ()))
            spec = TableSpec(
                id=raw["id"],
                number=raw.get("number", ""),
                title=raw.get("title", ""),
                sheet=raw["sheet"],
                json=raw.get("json", "dict"),
                widths_mm=tuple(float(w) for w in raw["widths_mm"]),
                font_size_pt=float(raw.get("font_size_pt", 10.5)),
                header_rows=int(raw.get("header_rows", 0)),
                records=dict(raw.get("records", {})),
                fields=fields,
                groups={k: tuple(v) for k, v in raw.get("groups", {}).items()},
                cells=_place(raw["rows"], fields, f"{path} 表 {raw['id']}"),
                rules=tuple(r for r in rules if r.table == raw["id"]),
            )
            _validate(spec, path)
            tables.append(spec)
    except (KeyError, TypeError, ValueError) as exc:
        raise TemplateError(f"{path}: 表格声明缺少或错写了字段：{exc}") from None
    return tuple(tables)


def _validate(spec: TableSpec, path: Path) -> None:
    for cell in spec.cells:
        if cell.col + cell.colspan > spec.n_cols:
            raise TemplateError(f"{path}: 表 {spec.id} 第 {cell.row + 1} 行超出 {spec.n_cols} 列")
    keys = spec.value_keys
    if len(set(keys)) != len(keys):
        raise TemplateError(f"{path}: 表 {spec.id} 有重复的数值键")
    for rule in spec.rules:
        axis = spec.record_order if rule.each == "field" else {f for r in spec.record_order for f in spec.fields_of(r)}
        for key in (*rule.lhs, *spec.expand(rule.rhs)):
            if key not in axis:
                raise TemplateError(f"{path}: 规则 {rule.id} 引用了表 {spec.id} 中不存在的 {key!r}")


def declared_entries(path: Path, section: str) -> tuple[dict, ...]:
    """The entries of another ``[[section]]`` of a declaration (cross-year rules, roll-up figures)."""
    entries = _read_declaration(path).get(section, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise TemplateError(f"{path}: [[{section}]] 应为表数组")
    return tuple(entries)
