"""The registry of report kinds: one folder under ``templates/`` per kind and format.

A folder holds ``manifest.toml`` (id, 中文名, title pattern, fields and their
roles, parts, checks, years) and its Jinja templates. The code knows no kind,
format, field or agency type by name: it asks for a field by its declared
*role* (the agency, the report year, the 成文日期…) and takes everything else
from the manifests found here, each checked against ``MANIFEST`` when loaded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

from .declaration import (
    MAX_ITEMS,
    DeclarationError,
    Either,
    Flag,
    Integer,
    ListOf,
    MapOf,
    Pattern,
    Text,
    checked,
    read_toml,
    record,
    sibling_file,
    template_error,
)
from ..errors import InputError, TemplateError
from .spec import TableSpec, load_tables
from ..text import clean, parse_date, parse_number

# Manifests without ``years`` serve every year; bounds at or beyond these read as open.
DEFAULT_YEARS = (1990, 2100)
FIELD_TYPES = ("text", "choice", "year", "date", "int", "decimal", "bool")

# What code may ask of a kind's fields, and the field type each role needs.
# A manifest gives a field its role (``role = "agency"``); code never names a field key.
ROLES = {
    "agency": "text",  # the agency's name: title, signature, file names, batch matching
    "year": "year",  # the report year: format choice, R7, R12
    "date": "date",  # 成文日期: the signature's date, R12
    "agency_type": "choice",  # 部门 / 人民政府…: deadlines (R12), extra items (R11), roll-up
    "recipient": "text",  # 主送机关
    "signatory": "text",  # the signature's name when not the agency's
    "title": "text",  # a title typed in place of the generated one
    "full_width": "bool",  # whether half-width punctuation next to 汉字 is made full-width
    "preamble": "text",  # the opening paragraph typed in place of the generated one
    "fee_notices": "int",  # 信息处理费 notices sent (R9, R11)
    "fee_notified": "decimal",
    "fee_collected": "decimal",
}
REQUIRED_ROLES = ("agency", "year")

_ID = r"[a-z0-9][a-z0-9-]{0,39}"
_KEY = r"[A-Za-z_][A-Za-z0-9_]{0,39}"
_MONTH_DAY = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
CELL_REF = Text(max=200, pattern=r"[^/\s]+/[^/\s]+/[^/\s]+")  # table/record/field

FIELD = record(
    ("key", "label"),
    {"type": "text", "required": False, "default": None, "note": "", "choices": {}, "role": ""},
    key=Text(pattern=_KEY),
    label=Text(max=60, nonempty=True),
    type=Text(choices=FIELD_TYPES),
    required=Flag(),
    default=Either((Text(max=200), Flag(), Integer(-10**9, 10**9))),
    note=Text(max=500),
    choices=MapOf(Text(max=40, nonempty=True), key=Text(max=40, nonempty=True), max=50),
    role=Text(choices=tuple(ROLES)),
)
PART = record(("id",), {"name": "", "base_level": 1}, id=Text(max=20, nonempty=True), name=Text(max=100), base_level=Integer(1, 4))
STARTER = record((), None, part=Text(max=20), level=Integer(0, 4), title=Text(max=500), text=Text())
NARRATIVE_FIGURE = record(
    ("what", "patterns", "cells"),
    {"slips": ()},
    what=Text(max=40, nonempty=True),
    patterns=ListOf(Pattern(groups=1), max=20, min=1),
    cells=ListOf(ListOf(CELL_REF, max=20, min=1), max=10, min=1),
    slips=ListOf(Text(pattern=_KEY), max=10),
)
REQUIRED_ITEM = record(
    ("agency_type", "part", "item", "keywords"),
    None,
    agency_type=Text(max=40, nonempty=True),
    part=Text(max=20, nonempty=True),
    item=Text(max=100, nonempty=True),
    keywords=ListOf(Text(max=40, nonempty=True), max=20, min=1),
)
CHECKS = record(
    (),
    {"required_parts": (), "required_headings": (), "filled_headings": False, "fee_statement_part": "", "fee_words": (),
     "fee_refusal_cell": "", "deadline": {}, "required_item": (), "narrative_figure": ()},
    required_parts=ListOf(Text(max=20, nonempty=True), max=20),
    # Words, or words with the heading a clerk might write (shown as an example in the warning).
    required_headings=Either((ListOf(Text(max=40, nonempty=True), max=20), MapOf(Text(max=80), max=20))),
    filled_headings=Flag(),
    fee_statement_part=Text(max=20),
    fee_words=ListOf(Text(max=20, nonempty=True), max=10),
    fee_refusal_cell=CELL_REF,
    deadline=Either((Text(pattern=_MONTH_DAY), MapOf(Text(pattern=_MONTH_DAY), max=20))),
    required_item=ListOf(REQUIRED_ITEM, max=50),
    narrative_figure=ListOf(NARRATIVE_FIGURE, max=100),
)
ROLLUP = record((), {"agency_type": ""}, agency_type=Text(max=40))
MANIFEST = record(
    ("id", "name", "title"),
    {"format": "", "years": DEFAULT_YEARS, "document": "document.xml.j2", "sample": "", "tables": "", "free_table": "",
     "family": "", "default": False, "parts": (), "field": (), "checks": CHECKS.check({}, "checks"), "starter": (),
     "rollup": ROLLUP.check({}, "rollup")},
    id=Text(pattern=_ID),
    name=Text(max=100, nonempty=True),
    format=Text(pattern=r"[^\s/\\]{1,20}"),
    years=ListOf(Integer(*DEFAULT_YEARS), length=2),
    title=Text(max=1000, nonempty=True),
    document=Text(max=100),
    sample=Text(max=300),
    tables=Text(max=100),
    free_table=Text(max=31),
    family=Text(pattern=_ID),
    default=Flag(),
    parts=ListOf(PART, max=20),
    field=ListOf(FIELD, max=100),
    checks=CHECKS,
    starter=ListOf(STARTER, max=MAX_ITEMS),
    rollup=ROLLUP,
)


@lru_cache(maxsize=1)
def builtin_templates_dir() -> Path:
    """``templates/`` shipped in the wheel, or at the top of a source checkout."""
    package = Path(__file__).resolve().parents[1]  # gxreport/
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("找不到内置模板目录 templates/，安装可能不完整")


# What a JSON report may give for each field type (a workbook cell may hold any of them).
_JSON_TYPES = {"text": (str,), "choice": (str,), "year": (int,), "date": (str,), "int": (int,), "decimal": (int, Decimal, str), "bool": (bool,)}
_JSON_TYPE_NAMES = {"text": "文本", "choice": "文本", "year": "整数", "date": "日期文本（如 \"2022-01-20\"）", "int": "整数", "decimal": "数字或数字文本", "bool": "true 或 false"}


def json_type_name(value: object) -> str:
    names = {bool: "true/false", int: "整数", Decimal: "数字", float: "数字", str: "文本", list: "列表", dict: "对象"}
    return names.get(type(value), type(value).__name__)


def _plain_text(value: object) -> str:
    """A cell as text: a whole float (2021.0, as spreadsheets store numbers) without ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)).strip()


@dataclass(frozen=True)
class FieldSpec:
    """One entry of the 基本信息 sheet."""

    key: str
    label: str
    type: str = "text"
    required: bool = False
    default: object = None
    note: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    role: str = ""

    @property
    def default_value(self) -> object:
        """The default as read from a workbook: a choice's code, a bool for 是/否."""
        if self.type == "choice":
            return self.choices.get(self.default) if self.default else None
        if self.type == "bool":
            return self.default in (True, "是")
        return self.default

    @property
    def blank_value(self) -> object:
        """What a field left blank reads as: a choice's or yes/no's default, else None."""
        return self.default_value if self.type in ("choice", "bool") else None

    def parse(self, raw: object, strict: bool = False) -> object:
        """The field's value from a workbook cell, or from a JSON value when ``strict``; None when blank.

        The one parser for basic fields (workbook reader, JSON reader). Raises
        ValueError with a Chinese reason. A cell holds whatever the spreadsheet
        made of what the clerk typed (a year may be text or a float); a JSON
        value's type is its writer's choice, so there it must be the field's own:
        an agency is a string, a year an integer, 是/否 a boolean.
        """
        if isinstance(raw, str):
            raw = clean(raw).strip() or None
        if raw is None:
            return None
        if strict and (not isinstance(raw, _JSON_TYPES[self.type]) or isinstance(raw, bool) is not (self.type == "bool")):
            raise ValueError(f"应为{_JSON_TYPE_NAMES[self.type]}，实为{json_type_name(raw)}")
        if self.type == "text":
            return _plain_text(raw)
        if self.type == "choice":
            text = _plain_text(raw)
            if text in self.choices:
                return self.choices[text]
            if text in self.choices.values():
                return text
            raise ValueError(f"应为 {'或'.join(self.choices)}")
        if self.type == "bool":
            if isinstance(raw, bool):
                return raw
            text = _plain_text(raw)
            if text in ("是", "否", "TRUE", "FALSE", "True", "False"):
                return text in ("是", "TRUE", "True")
            raise ValueError("应为 是 或 否")
        if self.type == "year":
            year, _ = parse_number(raw, "int")
            if not DEFAULT_YEARS[0] <= year <= DEFAULT_YEARS[1]:
                raise ValueError(f"{year} 不是有效年度")
            return year
        if self.type == "date":
            day = parse_date(raw)
            if not DEFAULT_YEARS[0] <= day.year <= DEFAULT_YEARS[1]:
                raise ValueError(f"{day:%Y-%m-%d} 不是合理的日期")
            return day
        number, _ = parse_number(raw, self.type)
        return number

    def choice_label(self, code: object) -> str:
        """The 中文 label of a choice's code (人民政府 for government)."""
        return next((label for label, value in self.choices.items() if value == code), str(code))


@dataclass(frozen=True)
class PartSpec:
    """A narrative part the clerk writes (a section id of the 正文 sheet)."""

    id: str
    name: str
    base_level: int = 1


@dataclass(frozen=True)
class CellRef:
    """A table cell a declaration names: ``requests/other.no_fee_payment/total``."""

    table: str
    record: str
    field: str

    @classmethod
    def parse(cls, text: str) -> "CellRef":
        return cls(*text.split("/", 2))

    @property
    def key(self) -> tuple[str, str]:
        return (self.record, self.field)


@dataclass(frozen=True)
class FigureRule:
    """R10: a figure the narrative states (``patterns``, group 1) must equal one of ``alternatives``."""

    what: str
    patterns: tuple[re.Pattern, ...]
    alternatives: tuple[tuple[CellRef, ...], ...]  # each a sum of cells
    slips: tuple[str, ...]  # fields whose value in place of the alternative's is the classic slip


@dataclass(frozen=True)
class RequiredItem:
    """R11: what a report of one agency type must also cover in one part."""

    agency_type: str
    part: str
    item: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Checks:
    """The kind's ``[checks]``: which of the narrative and field rules apply, and how."""

    required_parts: tuple[str, ...] = ()  # parts that must say something (R11)
    # words some level-1 heading must contain (R11) → an example of such a heading, or ""
    required_headings: dict[str, str] = field(default_factory=dict)
    filled_headings: bool = False  # every level-1 heading needs text under it, the body some text (R11)
    fee_statement_part: str = ""  # the part that speaks of the 信息处理费 when the fee fields are blank (R11)
    fee_words: tuple[str, ...] = ()  # words that show that part speaks of it
    fee_refusal_cell: CellRef | None = None  # refusals for unpaid fees (R9)
    deadline: dict[str, str] | str = field(default_factory=dict)  # MM-DD, by agency type or for all (R12)
    required_items: tuple[RequiredItem, ...] = ()
    narrative_figures: tuple[FigureRule, ...] = ()


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind in one format: its manifest, checked, and the folder it came from."""

    id: str
    name: str
    format: str
    years: tuple[int, int]
    title: str
    folder: Path
    document: str
    sample: str
    fields: tuple[FieldSpec, ...]
    parts: tuple[PartSpec, ...]
    checks: Checks
    tables_file: str = ""
    free_table: str = ""
    starter: tuple[dict, ...] = ()
    family: str = ""  # the kind whose document this one prints for other years (annual-legacy → annual)
    default: bool = False  # the kind ``init`` and a JSON without "kind" mean
    rollup_agency_type: str = ""  # the agency type a roll-up of this kind is written for

    @property
    def sample_file(self) -> Path | None:
        """The kind's sample report, where it exists: ``data/`` beside ``templates/`` in a
        checkout, ``gxreport/data`` beside ``gxreport/templates`` in the wheel."""
        if not self.sample:
            return None
        path = self.folder.parent.parent / self.sample
        return path if path.is_file() else None

    @property
    def label(self) -> str:
        return f"{self.id}-{self.format}" if self.format else self.id

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.toml"

    @cached_property
    def tables(self) -> tuple[TableSpec, ...]:
        if not self.tables_file:
            return ()
        tables = load_tables(sibling_file(self.folder, self.tables_file, self.manifest, "tables"))
        _check_cell_references(self, tables)
        return tables

    def table(self, table_id: str) -> TableSpec:
        """A declared table; one a manifest or template names but nobody declared is the kind's error."""
        found = next((t for t in self.tables if t.id == table_id), None)
        if found is None:
            raise TemplateError(f"表格 {table_id!r} 未在表格声明中定义", self.manifest)
        return found

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    def role_field(self, role: str) -> FieldSpec | None:
        """The field that plays ``role`` (see ``ROLES``), if this kind has one."""
        return self._roles.get(role)

    def role_key(self, role: str) -> str | None:
        spec = self._roles.get(role)
        return spec.key if spec else None

    @cached_property
    def _roles(self) -> dict[str, FieldSpec]:
        return {f.role: f for f in self.fields if f.role}

    @property
    def years_text(self) -> str:
        """The report years it declares, for listings: 2021年起, 2019–2020年, 2018年及以前."""
        return years_text(*self.years)

    def covers_year(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    def year_in_preparation(self, today: date) -> int:
        """The report year a clerk is most likely writing on ``today``: last year's until the
        last of its deadlines (R12: 31 March for a people's government), this year's after it,
        so a report due next January is this year's from April on. A kind without deadlines is
        written for the year it is in."""
        deadlines = self.checks.deadline
        last = max(deadlines.values(), default="") if isinstance(deadlines, dict) else deadlines
        if last:
            month, day = (int(part) for part in last.split("-"))
            if today <= date(today.year, month, day):
                return today.year - 1
        return today.year


def years_text(low: int, high: int) -> str:
    if low <= DEFAULT_YEARS[0] and high >= DEFAULT_YEARS[1]:
        return "不限年度"
    if high >= DEFAULT_YEARS[1]:
        return f"{low}年起"
    if low <= DEFAULT_YEARS[0]:
        return f"{high}年及以前"
    return f"{low}年" if low == high else f"{low}–{high}年"


def _load_manifest(folder: Path) -> Kind:
    path = folder / "manifest.toml"
    # Like the files it names, the manifest must be the folder's own: a link to a file elsewhere is refused.
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop: read_toml below says the file cannot be read
        inside = True
    if not inside:
        raise TemplateError("清单文件 manifest.toml 链接到了类型文件夹之外，已拒绝", path)
    kind = kind_from(read_toml(path, "清单"), folder)
    sibling_file(folder, kind.document, path, "document")
    if kind.tables_file:
        sibling_file(folder, kind.tables_file, path, "tables")
    return kind


def kind_from(raw: dict, folder: Path) -> Kind:
    """The kind a parsed manifest declares, every key checked (``folder`` names it in messages)."""
    return checked(folder / "manifest.toml", "清单", MANIFEST, raw, lambda checked_raw: _kind(folder, checked_raw))


def _kind(folder: Path, raw: dict) -> Kind:
    """The checked manifest as a Kind, with the references between its keys checked."""
    if raw["years"][0] > raw["years"][1]:
        raise DeclarationError("years", f"起始年度 {raw['years'][0]} 晚于终止年度 {raw['years'][1]}")
    fields = tuple(FieldSpec(**_implied_role(f)) for f in raw["field"])
    keys = [f.key for f in fields]
    for i, spec in enumerate(fields):
        if keys.index(spec.key) != i:
            raise DeclarationError(f"field[{i}].key", f"字段 {spec.key} 重复")
        if spec.role and ROLES[spec.role] != spec.type:
            raise DeclarationError(f"field[{i}].type", f"担任 {spec.role} 的字段类型应为 {ROLES[spec.role]}")
        if spec.role and [f.role for f in fields].index(spec.role) != i:
            raise DeclarationError(f"field[{i}].role", f"角色 {spec.role} 已由另一个字段担任")
        if spec.type == "choice" and not spec.choices:
            raise DeclarationError(f"field[{i}].choices", "选项字段应列出选项")
        if spec.type == "choice" and spec.default is not None and spec.default not in spec.choices:
            raise DeclarationError(f"field[{i}].default", f"默认值“{spec.default}”不在选项中")
    roles = {f.role: f for f in fields if f.role}
    for role in REQUIRED_ROLES:
        if role not in roles:
            raise DeclarationError("field", f"应有一个 role = \"{role}\" 的字段")
    parts = tuple(PartSpec(**p) for p in raw["parts"])
    part_ids = {p.id for p in parts}
    checks = _checks(raw["checks"], part_ids, roles.get("agency_type"))
    rollup_type = raw["rollup"]["agency_type"]
    if rollup_type:
        _agency_type_value(roles.get("agency_type"), rollup_type, "rollup.agency_type")
    for i, starter in enumerate(raw["starter"]):
        if parts and starter.get("part", "") not in part_ids:
            raise DeclarationError(f"starter[{i}].part", f"部分“{starter.get('part', '')}”未在 parts 中声明")
    return Kind(
        id=raw["id"],
        name=raw["name"],
        format=raw["format"],
        years=tuple(raw["years"]),
        title=raw["title"],
        folder=folder,
        document=raw["document"],
        sample=raw["sample"],
        fields=fields,
        parts=parts,
        checks=checks,
        tables_file=raw["tables"],
        free_table=raw["free_table"],
        starter=raw["starter"],
        family=raw["family"],
        default=raw["default"],
        rollup_agency_type=rollup_type,
    )


def _implied_role(spec: dict) -> dict:
    """A field without ``role`` whose key is a role's name and whose type fits plays that role.

    Manifests written before roles were declared (an office's own kinds) keep working.
    """
    if not spec["role"] and ROLES.get(spec["key"]) == spec["type"]:
        return {**spec, "role": spec["key"]}
    return spec


def _agency_type_value(spec: FieldSpec | None, value: str, at: str) -> None:
    if spec is None:
        raise DeclarationError(at, "没有 role = \"agency_type\" 的字段，不能按机关类型声明")
    if value not in spec.choices.values():
        raise DeclarationError(at, f"“{value}”不是机关类型的选项（{'、'.join(spec.choices.values())}）")


def _checks(raw: dict, part_ids: set[str], agency_type: FieldSpec | None) -> Checks:
    def known_part(part: str, at: str) -> str:
        if part_ids and part not in part_ids:
            raise DeclarationError(at, f"部分“{part}”未在 parts 中声明")
        return part

    for i, part in enumerate(raw["required_parts"]):
        known_part(part, f"checks.required_parts[{i}]")
    if raw["fee_statement_part"]:
        known_part(raw["fee_statement_part"], "checks.fee_statement_part")
    deadlines = raw["deadline"].items() if isinstance(raw["deadline"], dict) else [("", raw["deadline"])] if raw["deadline"] else []
    for agency_type_value, month_day in deadlines:
        try:  # a day every year has: R12 puts it in the year after each report's
            date(2001, *(int(part) for part in month_day.split("-")))
        except ValueError:
            at = f"checks.deadline.{agency_type_value}" if agency_type_value else "checks.deadline"
            raise DeclarationError(at, f"“{month_day}”不是每年都有的日期") from None
    if isinstance(raw["deadline"], dict):
        for value in raw["deadline"]:
            _agency_type_value(agency_type, value, f"checks.deadline.{value}")
        if raw["deadline"] and agency_type is not None and set(raw["deadline"]) != set(agency_type.choices.values()):
            raise DeclarationError("checks.deadline", f"应为每个机关类型（{'、'.join(agency_type.choices.values())}）给出期限")
    items = []
    for i, item in enumerate(raw["required_item"]):
        _agency_type_value(agency_type, item["agency_type"], f"checks.required_item[{i}].agency_type")
        known_part(item["part"], f"checks.required_item[{i}].part")
        items.append(RequiredItem(**item))
    figures = tuple(
        FigureRule(
            f["what"],
            f["patterns"],
            tuple(tuple(CellRef.parse(c) for c in alt) for alt in f["cells"]),
            f["slips"],
        )
        for f in raw["narrative_figure"]
    )
    return Checks(
        required_parts=raw["required_parts"],
        required_headings=dict(raw["required_headings"]) if isinstance(raw["required_headings"], dict) else dict.fromkeys(raw["required_headings"], ""),
        filled_headings=raw["filled_headings"],
        fee_statement_part=raw["fee_statement_part"],
        fee_words=raw["fee_words"],
        fee_refusal_cell=CellRef.parse(raw["fee_refusal_cell"]) if raw["fee_refusal_cell"] else None,
        deadline=raw["deadline"],
        required_items=tuple(items),
        narrative_figures=figures,
    )


def _check_cell_references(kind: Kind, tables: tuple[TableSpec, ...]) -> None:
    """Cells ``[checks]`` names exist in the kind's tables (checked once the tables are read)."""
    by_id = {t.id: t for t in tables}

    def check(ref: CellRef, at: str) -> None:
        table = by_id.get(ref.table)
        if table is None or ref.key not in table.cell_by_key:
            raise template_error(kind.manifest, "清单", DeclarationError(at, f"单元格 {ref.table}/{ref.record}/{ref.field} 不在表格声明中"))

    checks = kind.checks
    if checks.fee_refusal_cell:
        check(checks.fee_refusal_cell, "checks.fee_refusal_cell")
    for i, figure in enumerate(checks.narrative_figures):
        for j, alt in enumerate(figure.alternatives):
            for ref in alt:
                check(ref, f"checks.narrative_figure[{i}].cells[{j}]")
                for slip in figure.slips:
                    check(CellRef(ref.table, ref.record, slip), f"checks.narrative_figure[{i}].slips")


def _folder_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of each file of a kind's folder."""
    return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder) if e.is_file()))


@lru_cache(maxsize=128)
def _shared_kind(folder: Path, stamp: tuple) -> Kind:
    """A kind loaded once per process while its files are unchanged (``stamp``).

    Every Registry then hands out the same Kind and TableSpec objects, so the
    per-table caches (label chains, rule instances, derived totals) are built once
    and do not grow with each registry a batch creates.
    """
    return _load_manifest(folder)


class Registry:
    """All kinds found in the built-in folder and in the office's own folders.

    Folders given later win: an office's kind with the same id and format
    replaces the built-in one. Formats of one kind whose years overlap are
    ordered: a folder given later, or in the same folder a range that starts
    later, supersedes the other for the years they share (``superseded_by``),
    and ``gxreport kinds`` says so.
    """

    def __init__(self, extra_dirs: tuple[Path, ...] = ()):
        self.dirs = (builtin_templates_dir(), *extra_dirs)
        found: dict[tuple[str, str], Kind] = {}
        rank: dict[tuple[str, str], tuple[int, int]] = {}
        for index, root in enumerate(self.dirs):
            if not root.is_dir():
                raise InputError("模板目录不存在", root)
            for folder in sorted(p for p in root.iterdir() if (p / "manifest.toml").is_file()):
                kind = _shared_kind(folder, _folder_stamp(folder))
                found[(kind.id, kind.format)] = kind
                rank[(kind.id, kind.format)] = (index, kind.years[0])
        self.kinds = found
        # Precedence for the years two formats share: later folder, then later start year.
        self._precedence = {found[key]: value for key, value in rank.items()}
        self._check_overlaps()

    def _check_overlaps(self) -> None:
        for a in self.kinds.values():
            for b in self.kinds.values():
                if a is not b and a.id == b.id and self._precedence[a] == self._precedence[b] and a.format < b.format:
                    if a.years[0] <= b.years[1] and b.years[0] <= a.years[1]:
                        raise TemplateError(
                            f"报告类型 {a.id} 的 {a.format} 与 {b.format} 格式适用年度重叠且起始年度相同"
                            f"（{a.years_text}、{b.years_text}），无法确定用哪一个", b.manifest
                        )

    def extended(self, extra_dirs: tuple[Path, ...]) -> "Registry":
        """This registry plus more folders, which win over the ones already here."""
        new = tuple(d for d in extra_dirs if d not in self.dirs)
        return Registry((*self.dirs[1:], *new)) if new else self

    def all(self) -> list[Kind]:
        return sorted(self.kinds.values(), key=lambda k: (k.id, k.format), reverse=False)

    def ids(self) -> list[str]:
        return list(dict.fromkeys(k.id for k in self.all()))

    def default_kind_id(self) -> str:
        """The kind ``init`` writes and a JSON report without "kind" is read as (``default = true``)."""
        marked = sorted((k for k in self.kinds.values() if k.default), key=lambda k: self._precedence[k])
        if not marked:
            raise TemplateError("没有声明默认报告类型（清单中 default = true）；请用 --kind 指定")
        return marked[-1].id

    def get(self, kind_id: str | None, year: int | None = None, fmt: str | None = None) -> Kind:
        """The kind's folder for a format, or for the format covering ``year``."""
        kind_id = kind_id or self.default_kind_id()
        candidates = [k for k in self.kinds.values() if k.id == kind_id]
        if not candidates:
            raise InputError(f"未知的报告类型 {kind_id!r}；可用类型：{'、'.join(self.ids())}")
        if fmt:
            match = [k for k in candidates if k.format == fmt]
            if not match:
                formats = "、".join(sorted(k.format for k in candidates))
                raise InputError(f"报告类型 {kind_id} 没有 {fmt} 格式；可用格式：{formats}")
            return match[0]
        if year is not None:
            found = self.format_for_year(kind_id, year)
            if found is not None:
                return found
            raise InputError(self._no_format_message(candidates, year))
        return max(candidates, key=lambda k: (k.years[1], self._precedence[k]))

    def format_for_year(self, kind_id: str, year: int) -> Kind | None:
        """The format of ``kind_id`` that serves ``year``: of those declaring it, the one with precedence."""
        covering = [k for k in self.kinds.values() if k.id == kind_id and k.covers_year(year)]
        return max(covering, key=lambda k: self._precedence[k]) if covering else None

    def serves(self, kind: Kind, year: int) -> bool:
        """Whether ``kind`` is the format this registry uses for ``year``."""
        return self.format_for_year(kind.id, year) is kind

    def superseded_by(self, kind: Kind) -> list[tuple[Kind, int, int]]:
        """Which other formats take which of ``kind``'s declared years."""
        out = []
        for other in self.kinds.values():
            if other is not kind and other.id == kind.id and self._precedence[other] > self._precedence[kind]:
                low, high = max(kind.years[0], other.years[0]), min(kind.years[1], other.years[1])
                if low <= high:
                    out.append((other, low, high))
        return sorted(out, key=lambda item: item[1])

    def years_text(self, kind: Kind) -> str:
        """The years a format serves, and which it gave up: 2021–2024年；2025年起由 2025 格式取代（…）."""
        taken = self.superseded_by(kind)
        if not taken:
            return kind.years_text
        served = [kind.years]
        for _, low, high in taken:
            served = [part for a, b in served for part in ((a, min(b, low - 1)), (max(a, high + 1), b)) if part[0] <= part[1]]
        kept = "、".join(years_text(a, b) for a, b in served) or "无"
        gave_up = "；".join(f"{years_text(low, high)}由 {other.format or other.id} 格式取代（{other.folder}）" for other, low, high in taken)
        return f"{kept}；{gave_up}"

    def sibling_for_year(self, kind_id: str, year: int) -> Kind | None:
        """Another kind of the same family printing the document for ``year`` (annual → annual-legacy)."""
        family = {k.family or k.id for k in self.kinds.values() if k.id == kind_id}
        return next(
            (k for k in self.all() if k.id != kind_id and (k.family or k.id) in family and k.covers_year(year)),
            None,
        )

    def _no_format_message(self, candidates: list[Kind], year: int) -> str:
        """No format of a kind covers ``year``: say which years it covers and what fits."""
        kind_id = candidates[0].id
        covered = "、".join(f"{k.format or kind_id}（{k.years_text}）" for k in candidates)
        other = self.sibling_for_year(kind_id, year)
        hint = f"；{year} 年度请使用报告类型 {other.id}（--kind {other.id}）" if other else ""
        return f"报告类型 {kind_id} 没有适用于 {year} 年度的格式，可用：{covered}{hint}"
