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
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from jinja2 import StrictUndefined, Template, TemplateError as JinjaError, TemplateSyntaxError
from jinja2.sandbox import SecurityError
from lxml import etree

from . import document as d
from ..errors import Location, TemplateError
from ..declare.kinds import Kind
from ..declare.model import Report
from .numbering import RUN_IN_END, Numbering, split_numbered_text, strip_typed_number
from ..declare.page import PAGE, Page
from ..checks.rules import complete
from ..sandbox import KindLoader, ReportSandbox
from ..declare.spec import TableSpec
from ..text import format_date, format_decimal, full_width_punctuation, text_width
from .titles import title_lines


def _search_path(kind: Kind) -> str:
    """Where a kind's templates are found: its own folder only (sandbox.KindLoader)."""
    return str(kind.folder)


def _environment(kind: Kind, autoescape: bool) -> ReportSandbox:
    return _shared_environment(_search_path(kind), autoescape)


@lru_cache(maxsize=32)
def _shared_environment(search: str, autoescape: bool) -> ReportSandbox:
    """One environment per template folder and process: it keeps the compiled templates
    (a template file changed on disk is reloaded), so a batch compiles each once."""
    return ReportSandbox(
        loader=KindLoader(Path(search)),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _template_failure(exc: Exception, fallback: str) -> TemplateError:
    """Name the template file and line of a Jinja error."""
    if isinstance(exc, TemplateSyntaxError):
        where = Location(exc.filename or fallback, line=exc.lineno)
    else:
        import traceback  # only when a template fails (~3 ms to import)

        # Jinja rewrites the traceback so template lines appear as frames of the template file.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
        where = Location(frames[-1].filename, line=frames[-1].lineno) if frames else Location(fallback)
    if isinstance(exc, SecurityError):
        return TemplateError(f"模板含有不安全的操作，已拒绝：{exc}", where)
    return TemplateError(f"模板错误：{exc if isinstance(exc, JinjaError) else f'{type(exc).__name__}: {exc}'}", where)


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
    # What the clerk wrote in each part, so a template can leave out a sentence the clerk already wrote.
    ctx["part_text"] = {p.id: report.part_text(p.id) for p in report.kind.parts}
    # The clerk's level-1 headings, for openings that list the report's parts.
    ctx["headings"] = [
        strip_typed_number(b.title.strip()).rstrip("。：:") for b in report.blocks if b.level == 1 and b.title.strip()
    ]
    return ctx


def report_title(report: Report, ctx: dict | None = None) -> str:
    """The title with the break points its pattern marks with "|" (see ``titles.title_lines``).

    ``ctx`` is the report's ``context`` when the caller has it already.
    """
    override = report.role("title")
    if override:
        return str(override)
    try:
        return _title_template(_search_path(report.kind), report.kind.title).render(ctx or context(report)).strip()
    except Exception as exc:  # anything a template does wrong (1/0, range(10**9)…) is the template's fault
        raise _template_failure(exc, f"{report.kind.folder / 'manifest.toml'} title") from None


@lru_cache(maxsize=64)
def _title_template(search: str, source: str) -> Template:
    """The manifest's title pattern, compiled once (and kept between runs: ``CompiledTemplates``)."""
    return _shared_environment(search, autoescape=False).from_source(source, "manifest.toml title", search)


def plain_title(report: Report) -> str:
    return re.sub(r"\s*[|\n]\s*", "", report_title(report))


def layout(report: Report, page: Page | None = None) -> d.Document:
    """The report as blocks laid out for `page` (None: GB/T 9704's, ``PAGE``), ready for any writer."""
    if page is None:
        page = PAGE
    kind = report.kind
    name = kind.folder / kind.document
    env = _environment(kind, autoescape=True)
    ctx = context(report)
    try:
        markup = env.get_template(kind.document).render(ctx)
    except Exception as exc:  # anything a template does wrong is the template's fault, not ours
        raise _template_failure(exc, str(name)) from None
    try:
        root = etree.fromstring(
            markup.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"模板生成的结构无效（第 {exc.lineno} 行）：{exc.msg}", name) from None
    lines = title_lines(report_title(report, ctx), page=page)
    builder = _Builder(report, lines, name, page)
    for element in root:
        builder.element(element)
    # Each attachment starts a new page after the signature (GB/T 9704 7.3.4, docs/layout.md).
    blocks = builder.blocks + builder.attachment_pages
    return d.Document(title="".join(lines), blocks=blocks, author=report.agency, page=page)


class _Builder:
    def __init__(self, report: Report, title_lines: list[str], template: Path, page: Page):
        self.report = report
        self.page = page
        self.title_lines = title_lines
        self.template = template
        self.blocks: list[d.Block] = []
        self.attachment_pages: list[d.Attachment] = []
        self.free_table_placed = False
        self.free_table_marker = f"【{report.kind.free_table}】" if report.kind.free_table else None
        self.numbering = Numbering()
        self.normalise = report.role("full_width") is not False

    def text(self, value: str) -> str:
        return full_width_punctuation(value) if self.normalise else value

    def element(self, el) -> None:
        tag = el.tag
        if tag is etree.Comment or tag is etree.PI:  # a template's own <!-- notes -->
            return
        build = _ELEMENTS.get(tag)
        if build is None:
            raise TemplateError(f"未知的元素 <{tag}>（第 {el.sourceline} 行）", self.template)
        build(self, el)

    def title(self, el) -> None:
        self.blocks.append(d.Title("\n".join(self.title_lines)))

    def date_line(self, el) -> None:
        if content := _content(el):
            self.blocks.append(d.DateLine(content))

    def addressee(self, el) -> None:
        if content := _content(el):
            self.blocks.append(d.Addressee(content))

    def heading(self, el) -> None:
        level = el.get("level", "1")
        if level not in ("1", "2", "3", "4"):
            raise TemplateError(f"<h level=\"{level}\"> 的层级应为 1–4（第 {el.sourceline} 行）", self.template)
        self.blocks.append(d.Heading(int(level), self.numbering.next(int(level)), _content(el)))

    def paragraph(self, el) -> None:
        self.paragraphs(_content(el))

    def paragraphs(self, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(d.Paragraph(self.text(line.strip())))

    def parts(self, el) -> None:
        for block in self.report.part_blocks(el.get("id", "")):
            title = self.text(strip_typed_number(block.title.strip()))
            if not title and self.free_table_marker and block.text.strip() == self.free_table_marker:
                self.free_table()
                continue
            text = block.text
            if not title and block.level:
                title, text = split_numbered_text(text)
                title = self.text(title)
            if not title:
                self.paragraphs(text)
                continue
            number = self.numbering.next(block.level)
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            if block.level > 1 and lines and title.endswith(RUN_IN_END):
                self.blocks.append(d.Heading(block.level, number, title, self.text(lines[0])))
                lines = lines[1:]
            else:
                self.blocks.append(d.Heading(block.level, number, title))
            for line in lines:
                self.blocks.append(d.Paragraph(self.text(line)))

    def table(self, el) -> None:
        table_id = el.get("id", "")
        if table_id not in {t.id for t in self.report.kind.tables}:
            raise TemplateError(f"模板引用了不存在的表格 {table_id!r}", self.template)
        table = self.report.kind.table(table_id)
        self.blocks.append(d.Table(table_grid(table, self.report, self.page), table_id))

    def free_table(self) -> None:
        """The clerk's indicator table, once: where 【sheet name】 stands in 正文, else here."""
        rows = self.report.free_table
        if not rows or self.free_table_placed:
            return
        self.free_table_placed = True
        n_cols = max(len(r) for r in rows)
        cells = [[self.text(row[c]) if c < len(row) else "" for c in range(n_cols)] for row in rows]
        placed = tuple(
            tuple(d.PlacedCell(r, c, 1, 1, text, header=r == 0, value=r > 0 and c > 0) for c, text in enumerate(row))
            for r, row in enumerate(cells)
        )
        grid = d.TableGrid(free_table_widths(cells, self.page), 1, placed, self.page.sizes.table)
        self.blocks.append(d.Table(grid, "free"))

    def signature(self, el) -> None:
        date = self.report.role("date")
        agency = self.report.role("signatory") or self.report.agency
        if el.get("optional") == "true" and not date:
            return
        self.blocks.append(d.Signature(str(agency), format_date(date) if isinstance(date, dt.date) else ""))

    def attachments(self, el) -> None:
        items = self.report.attachments
        if not items:
            return
        titles = tuple(self.text(a.title) for a in items)
        # The note goes under the body, before the signature (GB/T 9704 7.3.4).
        at = next((i for i, b in enumerate(self.blocks) if isinstance(b, d.Signature)), len(self.blocks))
        self.blocks.insert(at, d.AttachmentNote(titles))
        for i, item in enumerate(items, start=1):
            label = f"附件{i}" if len(items) > 1 else "附件"
            body = tuple(d.Paragraph(self.text(line.strip())) for line in item.text.split("\n") if line.strip())
            self.attachment_pages.append(d.Attachment(label, titles[i - 1], body))


def _content(el) -> str:
    return "".join(el.itertext()).strip()


# The template's vocabulary (docs/kinds.md): each element and the blocks it adds.
_ELEMENTS = {
    "title": _Builder.title,
    "dateline": _Builder.date_line,
    "addressee": _Builder.addressee,
    "h": _Builder.heading,
    "p": _Builder.paragraph,
    "parts": _Builder.parts,
    "table": _Builder.table,
    "freetable": lambda builder, el: builder.free_table(),
    "signature": _Builder.signature,
    "attachments": _Builder.attachments,
}

def free_table_widths(rows: list[list[str]], page: Page) -> tuple[float, ...]:
    """Column widths for a free table (set in the page's table size, as the statutory tables'
    body): by the widest text, at least 2 characters, the type width in all."""
    n_cols = len(rows[0])
    longest = [max(2.0, min(14.0, max(text_width(row[c]) for row in rows))) for c in range(n_cols)]
    total = sum(longest)
    return tuple(page.type_width_mm * w / total for w in longest)


def cell_text(number, unit: str = "") -> str:
    if number is None:
        return "0"
    if isinstance(number, Decimal):
        return format_decimal(number) + unit
    return f"{number}{unit}"


@lru_cache(maxsize=64)
def _placed_labels(table: TableSpec) -> tuple[d.PlacedCell | None, ...]:
    """The table's label cells as placed, None for its value cells: the same in every report."""
    return tuple(
        None if cell.is_value else
        d.PlacedCell(cell.row, cell.col, cell.rowspan, cell.colspan, cell.text, header=cell.row < table.header_rows or cell.header)
        for cell in table.cells
    )


def table_grid(table: TableSpec, report: Report, page: Page = PAGE) -> d.TableGrid:
    """A statutory table with the report's numbers, blanks printed as 0 (R13), in its declared
    size or else the page's table size."""
    values = complete(table, report.tables.get(table.id, {}))
    units = report.units.get(table.id, {})
    rows: list[list[d.PlacedCell]] = [[] for _ in range(table.n_rows)]
    for cell, label in zip(table.cells, _placed_labels(table)):
        if label is None:
            text = cell_text(values.get(cell.key), units.get(cell.key, ""))
            label = d.PlacedCell(cell.row, cell.col, cell.rowspan, cell.colspan, text, header=cell.row < table.header_rows or cell.header, value=True)
        rows[cell.row].append(label)
    size = page.sizes.table if table.font_size_pt is None else table.font_size_pt
    return d.TableGrid(table.widths_mm, table.header_rows, tuple(tuple(r) for r in rows), size)
