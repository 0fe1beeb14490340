"""Typed reading of a kind's declarations (``manifest.toml``, ``tables.toml``).

A kind folder may come from an office (``--templates``), so its declarations
are untrusted input: every file is bounded before it is parsed, and every
value is checked against a schema (known keys, types, ranges, sizes, regular
expressions that compile) before any code uses it. A wrong declaration is a
``TemplateError`` (exit 4) naming the file and the key path, e.g.
``…/manifest.toml: 清单缺少或错写了字段：'field[2].type'：应为文本，实为整数 5``.

The schema walker is hand-written rather than pydantic or jsonschema: those
cost more import time than every declaration takes to read, and their
messages would still have to be rewritten in Chinese key by key.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import Location, TemplateError
from . import parse_cache

if TYPE_CHECKING:
    import tomllib

MAX_DECLARATION_BYTES = 512 * 1024  # the largest built-in declaration is 20 KB
MAX_TEXT = 4000  # characters of any one declared string
MAX_ITEMS = 500  # entries of any one declared list or table


class DeclarationError(Exception):
    """A value that does not fit its schema, at a key path."""

    def __init__(self, at: str, problem: str):
        super().__init__(f"{at}: {problem}")
        self.at = at
        self.problem = problem


def template_error(path: Path, what: str, exc: DeclarationError) -> TemplateError:
    """The one message shape for a declaration value: file, key path, what is wrong."""
    return TemplateError(f"{what}缺少或错写了字段：'{exc.at}'：{exc.problem}", path)


def toml_error_location(path: Path, exc: tomllib.TOMLDecodeError) -> Location:
    """The file and line of a TOML syntax error (tomllib puts the line in its message)."""
    match = re.search(r"\(at line (\d+), column \d+\)", str(exc))  # only on an error: compiled then
    return Location(str(path), line=int(match.group(1)) if match else None)


def read_toml(path: Path, what: str) -> dict:
    """A declaration file parsed, after checking it is a regular file of bounded size.

    A FIFO or device (``/dev/zero``) is refused before it is read, so it can
    neither block nor fill the memory; nesting too deep for the parser is a
    message, not a crash.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise TemplateError(f"无法读取{what}：{exc.strerror}", path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise TemplateError(f"{what}不是普通文件", path)
        if info.st_size > MAX_DECLARATION_BYTES:
            raise TemplateError(f"{what}过大（{info.st_size} 字节，上限 {MAX_DECLARATION_BYTES}）", path)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(MAX_DECLARATION_BYTES + 1)
    except OSError as exc:
        raise TemplateError(f"无法读取{what}：{exc.strerror}", path) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_DECLARATION_BYTES:
        raise TemplateError(f"{what}过大（上限 {MAX_DECLARATION_BYTES} 字节）", path)
    parsed = parse_cache.load(data)
    if parsed is None:
        parsed = _parse(data, path, what)
        parse_cache.store(data, parsed)
    return parsed


def _parse(data: bytes, path: Path, what: str) -> dict:
    # tomllib is imported here, not at the top: with the parsed files cached
    # (parse_cache), most runs never need it (~3 ms to import).
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise TemplateError(f"{what}不是 UTF-8 编码", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{what}格式错误：{exc}", toml_error_location(path, exc)) from None
    except RecursionError:
        raise TemplateError(f"{what}嵌套过深", path) from None


def sibling_file(folder: Path, name: str, path: Path, key: str) -> Path:
    """A file a declaration names beside itself: a plain name, a regular file inside ``folder``."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise TemplateError(f"'{key}' 应为同一文件夹中的文件名，不能是 {name!r}", path)
    target = folder / name
    try:
        real = target.resolve(strict=True)
        inside = real.is_relative_to(folder.resolve(strict=True))
        regular = stat.S_ISREG(os.stat(real).st_mode)
    except (OSError, RuntimeError):
        raise TemplateError(f"'{key}' 指向的文件 {name} 不存在或无法读取", path) from None
    if not inside:
        raise TemplateError(f"'{key}' 指向的文件 {name} 链接到了类型文件夹之外，已拒绝", path)
    if not regular:
        raise TemplateError(f"'{key}' 指向的 {name} 不是普通文件", path)
    return target


# --- the schema -------------------------------------------------------------

_TYPE_NAMES = {str: "文本", bool: "是/否（true/false）", int: "整数", float: "数字", list: "列表", dict: "表"}


def _shown(value) -> str:
    if isinstance(value, (dict, list)):
        return _TYPE_NAMES[type(value)]
    text = repr(value) if not isinstance(value, str) else f"“{value[:40]}”"
    return f"{_TYPE_NAMES.get(type(value), type(value).__name__)} {text[:60]}"


class Spec:
    """One value's schema: ``check`` returns the value as code uses it or raises DeclarationError.

    The schemas are plain classes with slots, not dataclasses: every command builds
    these nine classes at import, and a frozen dataclass costs ~0.7 ms of CPU to
    create (its methods are generated and compiled) against ~0.01 ms for a class.
    """

    __slots__ = ()

    def check(self, value, at: str):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self.__slots__)})"


class Text(Spec):
    __slots__ = ("max", "pattern", "choices", "nonempty")

    def __init__(self, max: int = MAX_TEXT, pattern: str = "", choices: tuple[str, ...] = (), nonempty: bool = False):
        self.max = max
        self.pattern = pattern  # a full-match pattern, for identifiers
        self.choices = choices
        self.nonempty = nonempty

    def check(self, value, at):
        if not isinstance(value, str):
            raise DeclarationError(at, f"应为文本，实为{_shown(value)}")
        if len(value) > self.max:
            raise DeclarationError(at, f"过长（{len(value)} 个字符，上限 {self.max}）")
        if self.nonempty and not value.strip():
            raise DeclarationError(at, "不能为空")
        if self.choices and value not in self.choices:
            raise DeclarationError(at, f"应为 {'、'.join(self.choices)} 之一，实为“{value}”")
        if self.pattern and value and not re.fullmatch(self.pattern, value):
            raise DeclarationError(at, f"“{value[:40]}”不符合写法 {self.pattern}")
        return value


class Integer(Spec):
    __slots__ = ("low", "high")

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def check(self, value, at):
        if not isinstance(value, int) or isinstance(value, bool):
            raise DeclarationError(at, f"应为整数，实为{_shown(value)}")
        if not self.low <= value <= self.high:
            raise DeclarationError(at, f"应在 {self.low}–{self.high} 之间，实为 {value}")
        return value


class Number(Spec):
    __slots__ = ("low", "high")

    def __init__(self, low: float, high: float):
        self.low, self.high = low, high

    def check(self, value, at):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DeclarationError(at, f"应为数字，实为{_shown(value)}")
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise DeclarationError(at, f"应在 {self.low:g}–{self.high:g} 之间，实为 {value}")
        return float(value)


class Flag(Spec):
    __slots__ = ()

    def check(self, value, at):
        if not isinstance(value, bool):
            raise DeclarationError(at, f"应为 true 或 false，实为{_shown(value)}")
        return value


class Pattern(Spec):
    """A regular expression that compiles and captures at least ``groups`` groups."""

    __slots__ = ("groups", "max")

    def __init__(self, groups: int = 0, max: int = 400):
        self.groups, self.max = groups, max

    def check(self, value, at):
        Text(self.max).check(value, at)
        try:
            compiled = re.compile(value)
        except (re.error, RecursionError, OverflowError) as exc:
            raise DeclarationError(at, f"正则表达式无效：{exc}") from None
        if compiled.groups < self.groups:
            raise DeclarationError(at, f"正则表达式应有 {self.groups} 个捕获组（数字所在的括号）")
        return compiled


class ListOf(Spec):
    __slots__ = ("item", "max", "length", "min")

    def __init__(self, item: Spec, max: int = MAX_ITEMS, length: int | None = None, min: int = 0):
        self.item, self.max, self.length, self.min = item, max, length, min

    def check(self, value, at):
        if not isinstance(value, list):
            raise DeclarationError(at, f"应为列表 [...]，实为{_shown(value)}")
        if self.length is not None and len(value) != self.length:
            raise DeclarationError(at, f"应有 {self.length} 项，实有 {len(value)} 项")
        if len(value) > self.max:
            raise DeclarationError(at, f"项数过多（{len(value)}，上限 {self.max}）")
        if len(value) < self.min:
            raise DeclarationError(at, f"至少应有 {self.min} 项")
        return tuple(self.item.check(v, f"{at}[{i}]") for i, v in enumerate(value))


class MapOf(Spec):
    """A TOML table of free keys: ``{ 部门 = "department" }``."""

    __slots__ = ("value", "key", "max")

    def __init__(self, value: Spec, key: Text = Text(max=100, nonempty=True), max: int = MAX_ITEMS):
        self.value, self.key, self.max = value, key, max

    def check(self, value, at):
        if not isinstance(value, dict):
            raise DeclarationError(at, f"应为表 {{ 键 = 值 }}，实为{_shown(value)}")
        if len(value) > self.max:
            raise DeclarationError(at, f"项数过多（{len(value)}，上限 {self.max}）")
        return {self.key.check(k, f"{at}.{k}"): self.value.check(v, f"{at}.{k}") for k, v in value.items()}


class Either(Spec):
    """One of several shapes (``parts = "@result"`` or a list)."""

    __slots__ = ("options",)

    def __init__(self, options: tuple[Spec, ...]):
        self.options = options

    def check(self, value, at):
        errors = []
        for option in self.options:
            try:
                return option.check(value, at)
            except DeclarationError as exc:
                errors.append(exc)
        # An option whose shape fitted failed deeper inside: that is the mistake to name.
        deeper = next((exc for exc in errors if exc.at != at), None)
        if deeper is not None:
            raise deeper
        raise DeclarationError(at, "；或".join(dict.fromkeys(exc.problem for exc in errors)))


class Record(Spec):
    """A TOML table with known keys: unknown keys, missing required ones and wrong types are refused."""

    __slots__ = ("fields", "required", "defaults")

    def __init__(self, fields: dict[str, Spec], required: frozenset = frozenset(), defaults: dict | None = None):
        self.fields, self.required, self.defaults = fields, required, defaults

    def check(self, value, at):
        if not isinstance(value, dict):
            raise DeclarationError(at, f"应为表 {{ … }}，实为{_shown(value)}")
        prefix = f"{at}." if at else ""
        for key in value:
            if key not in self.fields:
                known = "、".join(self.fields)
                raise DeclarationError(f"{prefix}{key}", f"未知的键（可用：{known}）")
        for key in self.required:
            if key not in value:
                raise DeclarationError(f"{prefix}{key}", "缺少这一项")
        out = dict(self.defaults or {})
        for key, spec in self.fields.items():
            if key in value:
                out[key] = spec.check(value[key], f"{prefix}{key}")
        return out


def record(required: tuple[str, ...] = (), defaults: dict | None = None, /, **fields: Spec) -> Record:
    return Record(fields, frozenset(required), defaults)


def checked(path: Path, what: str, schema: Spec, data, then: Callable[[dict], object] | None = None):
    """``data`` through ``schema`` (and ``then``, for cross-references), as a TemplateError naming file and key."""
    try:
        value = schema.check(data, "")
        return then(value) if then else value
    except DeclarationError as exc:
        raise template_error(path, what, exc) from None
