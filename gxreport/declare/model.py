"""A report's data, whatever it was read from (workbook or JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import Finding, Location
from .kinds import Kind

Number = int | Decimal | None


@dataclass(frozen=True)
class Block:
    """One row of the 正文 sheet: a heading and/or text inside a part."""

    part: str
    level: int
    title: str
    text: str
    where: Location | None = None


@dataclass(frozen=True)
class Attachment:
    """An attachment the clerk wrote (附件): its title and text."""

    title: str
    text: str
    where: Location | None = None


@dataclass
class Report:
    """A report's data, whatever it was read from: fields, tables, narrative, and where each came from."""

    kind: Kind
    source: str  # the file name used in messages
    fields: dict[str, object] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    # table id -> (record, field) -> number; None = left blank
    tables: dict[str, dict[tuple[str, str], Number]] = field(default_factory=dict)
    # table id -> (record, field) -> where it was read from
    cells: dict[str, dict[tuple[str, str], Location]] = field(default_factory=dict)
    # table id -> (record, field) -> unit text, for "amount" values (2019 采购总金额)
    units: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    free_table: list[list[str]] = field(default_factory=list)
    # problems found while reading (R4, R13, …); the checker adds its own
    findings: list[Finding] = field(default_factory=list)
    # where each basic field was read from
    field_cells: dict[str, Location] = field(default_factory=dict)
    format_overridden: bool = False
    # entries of a workbook's hidden _meta sheet (kind, format, what init --from remembered)
    meta: dict[str, str] = field(default_factory=dict)
    # last year's report the workbook names (init --from), resolved beside the workbook
    previous: Path | None = None

    @property
    def agency(self) -> str:
        return str(self.role("agency") or "")

    @property
    def year(self) -> int | None:
        year = self.role("year")
        return year if isinstance(year, int) and not isinstance(year, bool) else None

    def role(self, role: str) -> object:
        """The value of the field that plays ``role`` in this kind (see ``kinds.ROLES``), or None."""
        key = self.kind.role_key(role)
        return self.fields.get(key) if key else None

    @property
    def origin(self) -> Location:
        """The report's file as a whole: where a problem is when no cell can be named."""
        return Location(self.source)

    def role_spot(self, role: str) -> Location:
        """Where the field playing ``role`` was read from; the file when unknown."""
        key = self.kind.role_key(role)
        return self.field_cells.get(key, self.origin) if key else self.origin

    def set_role(self, role: str, value: object, where: Location | str | None = None) -> None:
        """Set the field playing ``role``, when this kind has one."""
        key = self.kind.role_key(role)
        if key:
            self.fields[key] = value
            if where is not None:
                self.field_cells[key] = Location(where) if isinstance(where, str) else where

    def value(self, table_id: str, record: str, field_key: str) -> int | Decimal:
        """A number as printed: blanks count as 0."""
        number = self.tables.get(table_id, {}).get((record, field_key))
        return 0 if number is None else number

    def where(self, table_id: str, record: str, field_key: str) -> Location:
        return self.cells.get(table_id, {}).get((record, field_key), self.origin)

    def part_blocks(self, part: str) -> list[Block]:
        return [b for b in self.blocks if b.part == part]

    def part_text(self, part: str) -> str:
        return "\n".join(f"{b.title}{b.text}" for b in self.part_blocks(part)).strip()

    @classmethod
    def blank(cls, kind: Kind, source: str) -> "Report":
        """A new report of ``kind``: every field at its default, the manifest's starter narrative."""
        report = cls(kind=kind, source=source)
        report.fields = {f.key: f.default_value for f in kind.fields}
        report.blocks = [
            Block(s.get("part", "") if kind.parts else "", s.get("level", 0), s.get("title", ""), s.get("text", ""))
            for s in kind.starter
        ]
        return report
