"""The JSON form of a report (docs/annual-report.md §7), both ways.

Beside kind, format, sections and tables, every basic field sits under its
manifest key (agency, year, date… in the built-in kinds), parsed by the same
``FieldSpec.parse`` as a workbook's but with JSON's strict types. Table shapes follow each table's declaration (``json`` =
"list": one list per record in field order; "dict": record → field → value).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ..errors import ERROR, WARNING, Finding, InputError, Location
from ..declare.kinds import Registry, json_type_name
from ..declare.model import Attachment, Block, Report
from ..checks.rules import blank_warnings, complete, derived_totals
from ..text import NumberError, clean, parse_amount, parse_number

BODY = "body"  # the sections key of a kind without fixed parts
MAX_JSON_BYTES = 20 * 1024 * 1024


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def report_to_dict(report: Report) -> dict:
    kind = report.kind
    data: dict[str, object] = {"kind": kind.id}
    if kind.format:
        data["format"] = kind.format
    for spec in kind.fields:
        data[spec.key] = _plain(report.fields.get(spec.key))
    sections: dict[str, object] = {}
    for part in [p.id for p in kind.parts] or [""]:
        blocks = report.part_blocks(part)
        if all(not b.title and b.level == 0 for b in blocks):
            sections[part or BODY] = "\n\n".join(b.text for b in blocks)
        else:
            sections[part or BODY] = [{"level": b.level, "title": b.title, "text": b.text} for b in blocks]
    data["sections"] = sections
    if kind.tables:
        tables: dict[str, object] = {}
        for table in kind.tables:
            # Derived totals are exported computed, so other systems get whole tables.
            values = dict(report.tables.get(table.id, {}))
            computed = complete(table, values)
            for key in derived_totals(table):
                if values.get(key) is None:
                    values[key] = computed[key]
            shaped: dict[str, object] = {}
            for record in table.record_order:
                fields = table.fields_of(record)
                if table.json == "list":
                    shaped[record] = [_plain(values.get((record, f))) for f in fields]
                else:
                    entry = {f: _plain(values.get((record, f))) for f in fields}
                    for (rec, f), unit in report.units.get(table.id, {}).items():
                        if rec == record:
                            entry["unit"] = unit
                    shaped[record] = entry
            tables[table.id] = shaped
        data["tables"] = tables
    if report.attachments:
        data["attachments"] = [{"title": a.title, "text": a.text} for a in report.attachments]
    if report.free_table:
        data["indicators"] = report.free_table
    return data


def report_to_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


class _BadNumber:
    """A JSON number literal no report can hold (``1e999999999999``, 5,000 digits).

    ``json`` hands every literal to the parse hooks as text; keeping these as
    markers instead of numbers means nothing ever expands ``1e-999999999999``
    into a trillion digits, and the reader can name where the literal stood.
    """

    def __init__(self, text: str):
        self.text = text


MAX_NUMBER_DIGITS = 30  # digits of a JSON number literal; a report's largest figure has a dozen
MAX_EXPONENT = 30
_FLOAT_LITERAL = re.compile(r"-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?")


def _parse_int(text: str):
    return int(text) if len(text.lstrip("-")) <= MAX_NUMBER_DIGITS else _BadNumber(text)


def _parse_float(text: str):
    match = _FLOAT_LITERAL.fullmatch(text)
    if match is None:
        return _BadNumber(text)
    whole, fraction, exponent = match.groups()
    if len(whole) + len(fraction or "") > MAX_NUMBER_DIGITS or (exponent and (len(exponent.lstrip("+-")) > 3 or abs(int(exponent)) > MAX_EXPONENT)):
        return _BadNumber(text)
    return Decimal(text)


def _bad_number_path(value, path: str = "") -> tuple[str, str] | None:
    """The JSON path and literal of the first number no report can hold."""
    pending = [(value, path)]
    while pending:
        value, path = pending.pop()
        if isinstance(value, _BadNumber):
            return path, value.text
        if isinstance(value, dict):
            pending.extend((v, f"{path}.{k}" if path else str(k)) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None


def read_json(path: Path, registry: Registry, fmt: str | None = None) -> Report:
    name = path.name
    if not path.is_file():
        raise InputError("文件不存在", name)
    if path.stat().st_size > MAX_JSON_BYTES:
        raise InputError("文件过大，不像是报告 JSON", name)
    try:
        data = json.loads(
            path.read_text(encoding="utf-8-sig"), parse_float=_parse_float, parse_int=_parse_int
        )
    except UnicodeDecodeError:
        raise InputError("不是 UTF-8 编码的 JSON 文件", name) from None
    except OSError as exc:
        raise InputError(f"无法打开（{exc.strerror}），请检查文件权限或是否被其他程序占用", name) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误：{exc.msg}", Location(name, line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise InputError("JSON 嵌套过深", name) from None
    except ValueError as exc:
        raise InputError(f"JSON 数值无法读取（{exc}）", name) from None
    if not isinstance(data, dict):
        raise InputError("JSON 顶层应为对象 {…}", name)
    bad = _bad_number_path(data)
    if bad is not None:
        where, text = bad
        shown = text if len(text) <= 24 else f"{text[:10]}…{text[-10:]}（{len(text)} 个字符）"
        raise InputError(
            f"JSON 中的数字 {shown} 超出可处理的范围（最多 {MAX_NUMBER_DIGITS} 位数字，指数不超过 {MAX_EXPONENT}）", Location(name, path=where)
        )
    return report_from_dict(data, name, registry, fmt)


def report_from_dict(data: dict, name: str, registry: Registry, fmt: str | None = None) -> Report:
    kind_id = data.get("kind")
    if kind_id is not None and not isinstance(kind_id, str):
        raise InputError("应为字符串", Location(name, path="kind"))
    # The year picks the format: read it by its role in the formats of the kind named.
    candidates = [k for k in registry.kinds.values() if k.id == (kind_id or registry.default_kind_id())]
    year_key = next((k.role_key("year") for k in candidates if k.role_key("year")), None)
    year = data.get(year_key) if year_key else None
    year = year if isinstance(year, int) and not isinstance(year, bool) else None
    given_format = data.get("format")
    try:
        kind = registry.get(kind_id, fmt=fmt or (str(given_format) if given_format else None), year=year)
    except InputError as exc:
        raise InputError(exc.message, name) from None
    report = Report(kind=kind, source=name, format_overridden=bool(fmt))
    _fields(data, report)
    _sections(data.get("sections", {}), report)
    _tables(data.get("tables", {}), report)
    attachments = data.get("attachments") or []
    if not isinstance(attachments, list):
        raise InputError("应为列表", Location(name, path="attachments"))
    for i, item in enumerate(attachments):
        where = Location(name, path=f"attachments[{i}]")
        if not isinstance(item, dict):
            raise InputError("应为 {title, text} 对象", where)
        report.attachments.append(Attachment(_text(item, "title", where), _text(item, "text", where), where))
    indicators = data.get("indicators")
    if indicators is not None:
        if not isinstance(indicators, list) or not all(isinstance(row, list) for row in indicators):
            raise InputError("应为表格行的列表 [[…], …]", Location(name, path="indicators"))
        report.free_table = [
            [_cell_text(c, Location(name, path=f"indicators[{r}][{k}]")) for k, c in enumerate(row)] for r, row in enumerate(indicators)
        ]
    return report


def _text(item: dict, key: str, where: Location) -> str:
    """A text member of a JSON object: a string or absent; a list or number would print as Python wrote it."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError("应为文本", _member(where, f".{key}"))
    return clean(value).strip()


def _member(where: Location, step: str) -> Location:
    """The location of a member inside a JSON value: ``sections.一`` → ``sections.一[0]``."""
    return replace(where, path=where.path + step)


def _cell_text(value, where: Location) -> str:
    """A free table's cell: text or a number, as typed."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise InputError("应为文本或数字", where)
    return clean(format(value, "f") if isinstance(value, Decimal) else str(value))


def _fields(data: dict, report: Report) -> None:
    """The basic fields, parsed as a workbook's are (``FieldSpec.parse``) but with JSON's strict types.

    A value of the wrong type or out of range is an input error naming its
    path (exit 2): the JSON's writer, not a clerk, has to fix it.
    """
    name = report.source
    for spec in report.kind.fields:
        where = Location(name, path=spec.key)
        report.field_cells[spec.key] = where
        try:
            value = spec.parse(data.get(spec.key), strict=True)
        except (ValueError, OverflowError) as exc:
            raise InputError(f"{spec.label}：{exc}", where) from None
        if value is None:
            if spec.required:
                report.findings.append(Finding(ERROR, "输入", where, f"{spec.label}（{spec.key}）未填写"))
            value = spec.blank_value
        report.fields[spec.key] = value


def _sections(sections, report: Report) -> None:
    name = report.source
    if not isinstance(sections, dict):
        raise InputError("应为对象", Location(name, path="sections"))
    parts = {p.id: p for p in report.kind.parts}
    for part, value in sections.items():
        key = "" if part == BODY else part
        if parts and key not in parts:
            report.findings.append(Finding(ERROR, "输入", Location(name, path=f"sections.{part}"), f"部分“{part}”不存在"))
            continue
        base = parts[key].base_level if parts else 1
        where = Location(name, path=f"sections.{part}")
        if isinstance(value, str):
            for para in clean(value).split("\n\n"):
                if para.strip():
                    report.blocks.append(Block(key, 0, "", para.strip(), where))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                at = _member(where, f"[{i}]")
                if not isinstance(item, dict):
                    raise InputError("应为 {level, title, text} 对象", at)
                level = item.get("level")
                level = 0 if level is None else level
                if isinstance(level, bool) or not isinstance(level, int):
                    raise InputError(f"层级应为 {base}–4 之间的整数，实为{json_type_name(level)}", _member(at, ".level"))
                title = _text(item, "title", at)
                if not (level == 0 or base <= level <= 4):
                    report.findings.append(Finding(ERROR, "输入", _member(at, ".level"), f"层级 {level} 应为 {base}–4"))
                    continue
                text = _text(item, "text", at)
                report.blocks.append(Block(key, level or (base if title else 0), title, text, at))
        else:
            raise InputError("应为文本或段落列表", where)


def _tables(tables, report: Report) -> None:
    name = report.source
    if not isinstance(tables, dict):
        raise InputError("应为对象", Location(name, path="tables"))
    for table in report.kind.tables:
        raw = tables.get(table.id, {})
        if not isinstance(raw, dict):
            raise InputError("应为对象", Location(name, path=f"tables.{table.id}"))
        values: dict = {}
        cells: dict = {}
        totals = derived_totals(table)
        blanks: dict[str, list[str]] = {}
        for record in table.record_order:
            fields = table.fields_of(record)
            entry = raw.get(record)
            for i, field in enumerate(fields):
                key = (record, field)
                if table.json == "list":
                    where = Location(name, path=f"tables.{table.id}.{record}[{i}]")
                    number = entry[i] if isinstance(entry, list) and i < len(entry) else None
                else:
                    where = Location(name, path=f"tables.{table.id}.{record}.{field}")
                    number = entry.get(field) if isinstance(entry, dict) else None
                    amount = table.cell_by_key[key].type == "amount"
                    if amount and isinstance(entry, dict) and isinstance(entry.get("unit"), str):
                        report.units.setdefault(table.id, {})[key] = clean(entry["unit"])
                cells[key] = where
                values[key] = _number(report, table, key, number, where)
                if number is None and key not in totals:
                    blanks.setdefault(record, []).append(field)
        report.findings += blank_warnings(
            table, blanks, lambda record, _fields: Location(name, path=f"tables.{table.id}" + (f".{record}" if record else "")), Location(name, path=f"tables.{table.id}")
        )
        report.tables[table.id] = values
        report.cells[table.id] = cells


def _number(report: Report, table, key, raw, where):
    spec = table.cell_by_key[key]
    label = f"{table.record_label(key[0])} {table.field_label(*key)}"
    try:
        if spec.type == "amount":
            number, unit, note = parse_amount(raw)
            if unit:
                report.units.setdefault(table.id, {}).setdefault(key, unit)
        else:
            number, note = parse_number(raw, spec.type)
    except NumberError as exc:
        report.findings.append(Finding(ERROR, "R4", where, f"{label}：{exc}"))
        return None
    if note == "mark":
        report.findings.append(Finding(WARNING, "R13", where, f"{label}：填写了“{raw}”，统计表应填 0，按 0 打印"))
    return number
