"""From report data to laid-out blocks: the kind's Jinja template, then numbering.

A kind's document template renders a small XML vocabulary (``<title/>``,
``<h>``, ``<p>``, ``<parts id=…/>``, ``<table id=…/>``, ``<signature/>``,
``<attachments/>``…) in a sandbox with StrictUndefined and autoescaping, so a
clerk's text is always data: ``{{`` or ``<b>`` typed in a cell prints as
typed. The clerk's blocks never pass through Jinja at all; they are spliced
in where the template puts ``<parts/>``, and numbered here by level.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateError as JinjaError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from . import document as d
from .errors import TemplateError
from .kinds import Kind, builtin_templates_dir
from .model import Report
from .rules import complete
from .spec import TableSpec
from .text import format_date, format_decimal, full_width_punctuation, text_width

TITLE_LINE_CHARS = 20  # 22 pt characters in the 156 mm type width
_CN_DIGITS = "零一二三四五六七八九"
_TYPED_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、，.．]|[（(]\s*[一二三四五六七八九十百]+\s*[）)]|\d+\s*[.．、](?!\d)|[（(]\s*\d+\s*[）)])\s*"
)
_RUN_IN_END = ("。", "：", ":")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def heading_number(level: int, n: int) -> str:
    """一、 （一） 1. （1） by level (GB/T 9704 7.3.3)."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def strip_typed_number(title: str) -> str:
    """A number the clerk typed anyway (“（一）”, “1.”) is dropped, not doubled."""
    return _TYPED_NUMBER.sub("", title, count=1)


class _Numbering:
    def __init__(self):
        self.counters = [0] * 5

    def next(self, level: int) -> str:
        self.counters[level] += 1
        for deeper in range(level + 1, 5):
            self.counters[deeper] = 0
        return heading_number(level, self.counters[level])


def _search_path(kind: Kind) -> tuple[str, ...]:
    return tuple(dict.fromkeys((str(kind.folder), str(kind.folder.parent), str(builtin_templates_dir()))))


def _environment(kind: Kind, autoescape: bool) -> SandboxedEnvironment:
    return _shared_environment(_search_path(kind), autoescape)


@lru_cache(maxsize=32)
def _shared_environment(search: tuple[str, ...], autoescape: bool) -> SandboxedEnvironment:
    """One environment per template folder and process: it keeps the compiled templates
    (a template file changed on disk is reloaded), so a batch compiles each once."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(list(search)),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _template_failure(exc: Exception, fallback: str) -> TemplateError:
    """Name the template file and line of a Jinja error."""
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or fallback}:{exc.lineno}"
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", ".jinja"))]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else fallback
    return TemplateError(f"{where}: 模板错误：{exc}")


def context(report: Report) -> dict:
    """What a template sees: the basic fields as printed, plus tables and kind."""
    ctx: dict[str, object] = {}
    for spec in report.kind.fields:
        value = report.fields.get(spec.key)
        if isinstance(value, dt.date):
            value = format_date(value)
        elif isinstance(value, Decimal):
            value = format_decimal(value)
        ctx[spec.key] = value
    tables: dict[str, dict[str, dict[str, object]]] = {}
    for table in report.kind.tables:
        values = complete(table, report.tables.get(table.id, {}))
        for (record, field), number in values.items():
            tables.setdefault(table.id, {}).setdefault(record, {})[field] = number
    ctx["tables"] = tables
    ctx["kind_name"] = report.kind.name
    ctx["has_parts"] = {p.id: bool(report.part_blocks(p.id)) for p in report.kind.parts}
    return ctx


def report_title(report: Report, ctx: dict | None = None) -> str:
    """The title with its optional line break marker "|" (see ``title_lines``).

    ``ctx`` is the report's ``context`` when the caller has it already.
    """
    override = report.fields.get("title")
    if override:
        return str(override)
    try:
        return _title_template(_search_path(report.kind), report.kind.title).render(ctx or context(report)).strip()
    except JinjaError as exc:
        raise _template_failure(exc, f"{report.kind.folder / 'manifest.toml'} title") from None


@lru_cache(maxsize=64)
def _title_template(search: tuple[str, ...], source: str) -> Template:
    """The manifest's title pattern, compiled once per process."""
    return _shared_environment(search, autoescape=False).from_string(source)


def title_lines(title: str) -> list[str]:
    """Break a title wider than one line where the template put "|"."""
    parts = [p.strip() for p in re.split(r"[|\n]", title) if p.strip()]
    joined = "".join(parts)
    if len(parts) > 1 and text_width(joined) > TITLE_LINE_CHARS:
        return parts
    return [joined]


def plain_title(report: Report) -> str:
    return "".join(title_lines(report_title(report)))


def layout(report: Report) -> d.Document:
    """The report as blocks, ready for any writer."""
    kind = report.kind
    name = kind.folder / kind.document
    env = _environment(kind, autoescape=True)
    ctx = context(report)
    try:
        markup = env.get_template(kind.document).render(ctx)
    except JinjaError as exc:
        raise _template_failure(exc, str(name)) from None
    try:
        root = etree.fromstring(
            markup.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{name}: 模板生成的结构无效（第 {exc.lineno} 行）：{exc.msg}") from None
    lines = title_lines(report_title(report, ctx))
    builder = _Builder(report, lines, name)
    for element in root:
        builder.element(element)
    return d.Document(title="".join(lines), blocks=builder.blocks, author=report.agency)


class _Builder:
    def __init__(self, report: Report, title_lines: list[str], template: Path):
        self.report = report
        self.title_lines = title_lines
        self.template = template
        self.blocks: list[d.Block] = []
        self.numbering = _Numbering()
        self.normalise = report.fields.get("full_width", True) is not False

    def text(self, value: str) -> str:
        return full_width_punctuation(value) if self.normalise else value

    def element(self, el) -> None:
        tag = el.tag
        content = "".join(el.itertext()).strip()
        if tag == "title":
            self.blocks.append(d.Title("\n".join(self.title_lines)))
        elif tag == "dateline":
            if content:
                self.blocks.append(d.DateLine(content))
        elif tag == "addressee":
            if content:
                self.blocks.append(d.Addressee(content))
        elif tag == "h":
            level = int(el.get("level", "1"))
            self.blocks.append(d.Heading(level, self.numbering.next(level), content))
        elif tag == "p":
            self.paragraphs(content)
        elif tag == "parts":
            self.parts(el.get("id", ""))
        elif tag == "table":
            self.table(el.get("id", ""))
        elif tag == "freetable":
            self.free_table()
        elif tag == "signature":
            self.signature(el)
        elif tag == "attachments":
            self.attachments()
        elif tag is etree.Comment:
            return
        else:
            raise TemplateError(f"{self.template}: 未知的元素 <{tag}>（第 {el.sourceline} 行）")

    def paragraphs(self, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(d.Paragraph(self.text(line.strip())))

    def parts(self, part: str) -> None:
        for block in self.report.part_blocks(part):
            title = self.text(strip_typed_number(block.title.strip()))
            if not title:
                self.paragraphs(block.text)
                continue
            number = self.numbering.next(block.level)
            lines = [line.strip() for line in block.text.split("\n") if line.strip()]
            if block.level > 1 and lines and title.endswith(_RUN_IN_END):
                self.blocks.append(d.Heading(block.level, number, title, self.text(lines[0])))
                lines = lines[1:]
            else:
                self.blocks.append(d.Heading(block.level, number, title))
            for line in lines:
                self.blocks.append(d.Paragraph(self.text(line)))

    def table(self, table_id: str) -> None:
        try:
            table = self.report.kind.table(table_id)
        except StopIteration:
            raise TemplateError(f"{self.template}: 模板引用了不存在的表格 {table_id!r}") from None
        self.blocks.append(d.Table(table_grid(table, self.report), table_id))

    def free_table(self) -> None:
        rows = self.report.free_table
        if not rows:
            return
        n_cols = max(len(r) for r in rows)
        width = 156 / n_cols
        placed = tuple(
            tuple(d.PlacedCell(r, c, 1, 1, row[c] if c < len(row) else "", header=r == 0) for c in range(n_cols))
            for r, row in enumerate(rows)
        )
        self.blocks.append(d.Table(d.TableGrid(tuple([width] * n_cols), 1, placed, 10.5), "free"))

    def signature(self, el) -> None:
        date = self.report.fields.get("date")
        agency = self.report.fields.get("signatory") or self.report.agency
        if el.get("optional") == "true" and not date:
            return
        self.blocks.append(d.Signature(str(agency), format_date(date) if isinstance(date, dt.date) else ""))

    def attachments(self) -> None:
        items = self.report.attachments
        if not items:
            return
        titles = tuple(self.text(a.title) for a in items)
        # The note goes before the signature (GB/T 9704 7.3.4): insert it there.
        at = next((i for i, b in enumerate(self.blocks) if isinstance(b, d.Signature)), len(self.blocks))
        self.blocks.insert(at, d.AttachmentNote(titles))
        for i, item in enumerate(items, start=1):
            label = f"附件{i}" if len(items) > 1 else "附件"
            body = tuple(d.Paragraph(self.text(line.strip())) for line in item.text.split("\n") if line.strip())
            self.blocks.append(d.Attachment(label, titles[i - 1], body))


def cell_text(number, unit: str = "") -> str:
    if number is None:
        return "0"
    if isinstance(number, Decimal):
        return format_decimal(number) + unit
    return f"{number}{unit}"


def table_grid(table: TableSpec, report: Report) -> d.TableGrid:
    """A statutory table with the report's numbers, blanks printed as 0 (R13)."""
    values = complete(table, report.tables.get(table.id, {}))
    units = report.units.get(table.id, {})
    rows: list[list[d.PlacedCell]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        text = cell_text(values.get(cell.key), units.get(cell.key, "")) if cell.is_value else cell.text
        rows[cell.row].append(
            d.PlacedCell(cell.row, cell.col, cell.rowspan, cell.colspan, text, header=cell.row < table.header_rows or cell.header, value=cell.is_value)
        )
    return d.TableGrid(table.widths_mm, table.header_rows, tuple(tuple(r) for r in rows), table.font_size_pt)
