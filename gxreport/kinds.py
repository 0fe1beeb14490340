"""The registry of report kinds: one folder under ``templates/`` per kind and format.

A folder holds ``manifest.toml`` (id, 中文名, title pattern, fields, parts,
tables, checks, years) and its Jinja templates. The code knows no kind by
name: everything it needs comes from the manifests found here.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import InputError, TemplateError
from .spec import TableSpec, load_tables, toml_error_spot

# Manifests without ``years`` serve every year; bounds at or beyond these read as open.
DEFAULT_YEARS = (1990, 2100)
FIELD_TYPES = ("text", "choice", "year", "date", "int", "decimal", "bool")


@lru_cache(maxsize=1)
def builtin_templates_dir() -> Path:
    """``templates/`` shipped in the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("找不到内置模板目录 templates/，安装可能不完整")


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

    @property
    def default_value(self) -> object:
        """The default as read from a workbook: a choice's code, a bool for 是/否."""
        if self.type == "choice":
            return self.choices.get(self.default) if self.default else None
        if self.type == "bool":
            return self.default in (True, "是")
        return self.default


@dataclass(frozen=True)
class PartSpec:
    """A narrative part the clerk writes (a section id of the 正文 sheet)."""

    id: str
    name: str
    base_level: int = 1


@dataclass(frozen=True, eq=False)
class Kind:
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
    checks: dict
    tables_file: str = ""
    free_table: str = ""
    starter: tuple[dict, ...] = ()

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

    @cached_property
    def tables(self) -> tuple[TableSpec, ...]:
        return load_tables(self.folder / self.tables_file) if self.tables_file else ()

    def table(self, table_id: str) -> TableSpec:
        """A declared table; one a manifest or template names but nobody declared is the kind's error."""
        found = next((t for t in self.tables if t.id == table_id), None)
        if found is None:
            raise TemplateError(f"{self.folder / 'manifest.toml'}: 表格 {table_id!r} 未在表格声明中定义")
        return found

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def years_text(self) -> str:
        """The report years it serves, for listings: 2021年起, 2019–2020年, 2018年及以前."""
        low, high = self.years
        if low <= DEFAULT_YEARS[0] and high >= DEFAULT_YEARS[1]:
            return "不限年度"
        if high >= DEFAULT_YEARS[1]:
            return f"{low}年起"
        if low <= DEFAULT_YEARS[0]:
            return f"{high}年及以前"
        return f"{low}–{high}年"

    def covers_year(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


def _load_manifest(folder: Path) -> Kind:
    path = folder / "manifest.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{toml_error_spot(path, exc)}: 清单格式错误：{exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: 无法读取清单：{exc}") from None
    try:
        fields = tuple(
            FieldSpec(
                key=f["key"],
                label=f["label"],
                type=f.get("type", "text"),
                required=bool(f.get("required", False)),
                default=f.get("default"),
                note=f.get("note", ""),
                choices=dict(f.get("choices", {})),
            )
            for f in raw.get("field", [])
        )
        for f in fields:
            if f.type not in FIELD_TYPES:
                raise TemplateError(f"{path}: 字段 {f.key} 的类型 {f.type!r} 未知")
        parts = tuple(
            PartSpec(id=p["id"], name=p.get("name", ""), base_level=int(p.get("base_level", 1)))
            for p in raw.get("parts", [])
        )
        years = raw.get("years", list(DEFAULT_YEARS))
        kind = Kind(
            id=raw["id"],
            name=raw["name"],
            format=str(raw.get("format", "")),
            years=(int(years[0]), int(years[1])),
            title=raw["title"],
            folder=folder,
            document=raw.get("document", "document.xml.j2"),
            sample=raw.get("sample", ""),
            fields=fields,
            parts=parts,
            checks=dict(raw.get("checks", {})),
            tables_file=raw.get("tables", ""),
            free_table=raw.get("free_table", ""),
            starter=tuple(raw.get("starter", [])),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise TemplateError(f"{path}: 清单缺少或错写了字段：{exc}") from None
    if not (folder / kind.document).is_file():
        raise TemplateError(f"{path}: 找不到文档模板 {kind.document}")
    return kind


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
    replaces the built-in one.
    """

    def __init__(self, extra_dirs: tuple[Path, ...] = ()):
        self.dirs = (builtin_templates_dir(), *extra_dirs)
        found: dict[tuple[str, str], Kind] = {}
        for root in self.dirs:
            if not root.is_dir():
                raise InputError(f"{root}: 模板目录不存在")
            for folder in sorted(p for p in root.iterdir() if (p / "manifest.toml").is_file()):
                kind = _shared_kind(folder, _folder_stamp(folder))
                found[(kind.id, kind.format)] = kind
        self.kinds = found

    def extended(self, extra_dirs: tuple[Path, ...]) -> "Registry":
        """This registry plus more folders, which win over the ones already here."""
        new = tuple(d for d in extra_dirs if d not in self.dirs)
        return Registry((*self.dirs[1:], *new)) if new else self

    def all(self) -> list[Kind]:
        return sorted(self.kinds.values(), key=lambda k: (k.id, k.format), reverse=False)

    def ids(self) -> list[str]:
        return list(dict.fromkeys(k.id for k in self.all()))

    def get(self, kind_id: str, year: int | None = None, fmt: str | None = None) -> Kind:
        """The kind's folder for a format, or for the format covering ``year``."""
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
            match = [k for k in candidates if k.covers_year(year)]
            if match:
                return match[0]
            raise InputError(self._no_format_message(candidates, year))
        return max(candidates, key=lambda k: k.years[1])

    def sibling_for_year(self, kind_id: str, year: int) -> Kind | None:
        """Another kind printing the same document for ``year`` (annual → annual-legacy)."""
        names = {k.name.split("（")[0] for k in self.kinds.values() if k.id == kind_id}
        return next(
            (k for k in self.all() if k.id != kind_id and k.covers_year(year) and k.name.split("（")[0] in names),
            None,
        )

    def _no_format_message(self, candidates: list[Kind], year: int) -> str:
        """No format of a kind covers ``year``: say which years it covers and what fits."""
        kind_id = candidates[0].id
        covered = "、".join(f"{k.format or kind_id}（{k.years_text}）" for k in candidates)
        other = self.sibling_for_year(kind_id, year)
        hint = f"；{year} 年度请使用报告类型 {other.id}（--kind {other.id}）" if other else ""
        return f"报告类型 {kind_id} 没有适用于 {year} 年度的格式，可用：{covered}{hint}"

    def format_for_year(self, kind_id: str, year: int) -> Kind | None:
        return next((k for k in self.kinds.values() if k.id == kind_id and k.covers_year(year)), None)
