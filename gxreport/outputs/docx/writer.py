"""Builds the .docx body from the laid-out blocks (GB/T 9704-2012 body rules, docs/layout.md).

One renderer per block type, registered with ``blocks.DOCX``; every length comes from the
``page.Page`` the blocks were laid out for, every measurement from ``measure.py``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from gxreport.compose.blocks import DOCX
from gxreport.compose.document import (
    Addressee,
    Attachment,
    AttachmentNote,
    Block,
    DateLine,
    Heading,
    Paragraph,
    Signature,
    Table,
    TableGrid,
    Title,
)
from gxreport.outputs.docx import markup, styles
from gxreport.compose.measure import (
    ATTACHMENT_PREFIX,
    attachment_hang_chars,
    column_twips,
    kept_paragraphs,
    kept_with_signature,
    signature_indents,
    table_height_pt,
    text_lines,
)
from gxreport.declare.page import PAGE, Page

__all__ = ["MIN_ROWS_UNDER_HEADER", "body_xml", "table_xml"]

MIN_ROWS_UNDER_HEADER = 4  # a table breaking at a page foot leaves at least this many rows there


def body_xml(blocks: Sequence[Block], page: Page = PAGE) -> str:
    """The w:p and w:tbl markup of `blocks`, laid out per GB/T 9704-2012, for inside w:body."""
    writer = _BodyWriter(page)
    writer.write(blocks)
    return "".join(writer.parts)


def table_xml(grid: TableGrid, page: Page = PAGE) -> str:
    """The w:tbl markup of `grid`: tcW/gridSpan per cell, vMerge for row spans.

    Every grid slot a span covers below its origin gets a continuation w:tc
    (<w:vMerge/>, same gridSpan) holding an empty paragraph, as Word requires.
    """
    widths = column_twips(grid.widths_mm, page)
    half_points = int(round(grid.font_size_pt * 2))
    rpr = f'<w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'

    slots: dict[tuple[int, int], tuple[int, str | None, str]] = {}
    for row in grid.rows:
        for cell in row:
            slots[cell.row, cell.col] = (cell.colspan, "restart" if cell.rowspan > 1 else None, cell.text)
            for r in range(cell.row + 1, cell.row + cell.rowspan):
                slots[r, cell.col] = (cell.colspan, "continue", "")

    keep = _rows_kept_with_next(grid, page)
    rows = []
    n_cols = grid.n_cols
    for r in range(grid.n_rows):
        ppr = markup.p_pr_xml(styles.TABLE, keep_next=r in keep)
        cells = []
        col = 0
        while col < n_cols:
            span, vmerge, text = slots.get((r, col), (1, None, ""))  # a gap gets an empty cell
            cell_xml = _short_cell_xml if len(text) <= _SHORT_CELL_CHARS else _cell_xml
            cells.append(cell_xml(sum(widths[col:col + span]), span, vmerge, ppr, rpr, text))
            col += span
        rows.append(f"<w:tr>{markup.tr_pr_xml(r < grid.header_rows)}{''.join(cells)}</w:tr>")

    return (
        f"<w:tbl {markup.W_NAMESPACE}>{markup.tbl_pr_xml(sum(widths), page.table_cell_margin_twips)}"
        f"{markup.tbl_grid_xml(widths)}{''.join(rows)}</w:tbl>"
    )


def _cell_xml(width: int, span: int, vmerge: str | None, ppr: str, rpr: str, text: str) -> str:
    """One w:tc: its properties and a paragraph per line of its text."""
    paragraphs = "".join(markup.p_xml(ppr, markup.run_xml(line, rpr) if line else "") for line in text_lines(text))
    return f"<w:tc>{markup.tc_pr_xml(width, span, vmerge)}{paragraphs}</w:tc>"


# Every report of a kind repeats its tables' labels and many of their figures: short cells'
# markup is made once per process (long texts are not kept, so the cache stays small).
_SHORT_CELL_CHARS = 64
_short_cell_xml = lru_cache(maxsize=4096)(_cell_xml)


def _rows_kept_with_next(grid: TableGrid, page: Page) -> set[int]:
    """Rows whose paragraphs get keepNext (docs/layout.md "Tables").

    A table that fits on a page moves whole: every row but the last is kept with the
    next (rows never split: w:cantSplit). A longer table must break: its header rows stay
    with at least ``MIN_ROWS_UNDER_HEADER`` data rows, the rows of a vertical span stay
    together, and the last two rows are never parted. The heading above a table keeps
    with it by its style (keepNext), so it moves with the table.
    """
    if table_height_pt(grid, page) <= page.type_height_pt:
        return set(range(grid.n_rows - 1))
    keep = set(range(min(grid.n_rows - 1, grid.header_rows + MIN_ROWS_UNDER_HEADER - 1)))
    for row in grid.rows:
        for cell in row:
            keep.update(range(cell.row, cell.row + cell.rowspan - 1))
    keep.add(grid.n_rows - 2)
    return keep


class _Place(NamedTuple):
    """Where a block stands: kept with the next block (for the signature), and the block after it."""

    keep_next: bool
    following: Block | None


class _BodyWriter:
    """Collects the paragraph and table markup of a block list, in order."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.parts: list[str] = []

    def write(self, blocks: Sequence[Block]) -> None:
        kept = kept_with_signature(blocks, self.page)
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            DOCX.renderer(block)(self, block, _Place(index in kept, following))

    def paragraph(self, style_id: str, text: str = "", **ppr) -> None:
        self.parts.append(markup.p_xml(markup.p_pr_xml(style_id, **ppr), markup.run_xml(text) if text else ""))

    def lines(self, style_id: str, text: str, keep_next: bool = False) -> None:
        for line in text_lines(text):
            self.paragraph(style_id, line, keep_next=keep_next)

    def blank(self, keep_next: bool = False) -> None:
        self.paragraph(styles.BODY, keep_next=keep_next)


@DOCX.register(Title)
def _title(out: _BodyWriter, title: Title, place: _Place) -> None:
    out.lines(styles.TITLE, title.text)
    # GB/T: one blank line under the title, after the date line if any.
    if not isinstance(place.following, DateLine):
        out.blank()


@DOCX.register(DateLine)
def _date_line(out: _BodyWriter, date_line: DateLine, place: _Place) -> None:
    out.paragraph(styles.DATE_LINE, date_line.text)
    out.blank()


@DOCX.register(Addressee)
def _addressee(out: _BodyWriter, addressee: Addressee, place: _Place) -> None:
    out.paragraph(styles.ADDRESSEE, addressee.text)


@DOCX.register(Heading)
def _heading(out: _BodyWriter, heading: Heading, place: _Place) -> None:
    label = heading.number + heading.title
    if not heading.text:
        out.paragraph(styles.HEADINGS[heading.level], label)
        return
    # Run-in heading: （一）加强组织领导。我局… in one body paragraph.
    (first, keep_first), *rest = _body_paragraphs(out, heading.text, place, lead=label)
    runs = markup.run_xml(label, markup.r_pr_style_xml(styles.HEADING_CHARS[heading.level])) + markup.run_xml(first)
    out.parts.append(markup.p_xml(markup.p_pr_xml(styles.BODY, keep_next=keep_first), runs))
    for line, keep_next in rest:
        out.paragraph(styles.BODY, line, keep_next=keep_next)


@DOCX.register(Paragraph)
def _paragraph(out: _BodyWriter, paragraph: Paragraph, place: _Place) -> None:
    for line, keep_next in _body_paragraphs(out, paragraph.text, place):
        out.paragraph(styles.BODY, line, keep_next=keep_next)


def _body_paragraphs(out: _BodyWriter, text: str, place: _Place, lead: str = "") -> list[tuple[str, bool]]:
    """The body paragraphs of a block's text, each with whether it is kept with what follows."""
    if place.keep_next:
        return kept_paragraphs(text_lines(text), out.page, lead)
    return [(line, False) for line in text_lines(text)]


@DOCX.register(Table)
def _table(out: _BodyWriter, table: Table, place: _Place) -> None:
    out.parts.append(table_xml(table.grid, out.page))


@DOCX.register(Signature)
def _signature(out: _BodyWriter, signature: Signature, place: _Place) -> None:
    """GB/T 9704 7.3.5.3: one blank line, the name, the date under it: one block, kept
    whole (keepLines) and together (keepNext), after the body lines kept with it."""
    name_indent, date_indent = signature_indents(signature.agency, signature.date, out.page)
    out.blank(keep_next=True)
    lines = ((signature.agency, name_indent, True), (signature.date, date_indent, False))
    for text, indent, keep_next in lines:
        out.paragraph(
            styles.SIGNATURE, text, ind=markup.ind_xml(right=indent), jc="right", keep_next=keep_next, keep_lines=True
        )


@DOCX.register(AttachmentNote)
def _attachment_note(out: _BodyWriter, note: AttachmentNote, place: _Place) -> None:
    """附件：1.×××× with later items aligned under "1." (GB/T 9704 7.3.4)."""
    titles, keep_next = note.titles, place.keep_next
    if not titles:
        return
    out.blank(keep_next=keep_next)
    if len(titles) == 1:
        out.paragraph(styles.BODY, ATTACHMENT_PREFIX + titles[0], keep_next=keep_next)
        return
    out.paragraph(styles.BODY, f"{ATTACHMENT_PREFIX}1.{titles[0]}", keep_next=keep_next)
    hang = attachment_hang_chars(out.page)
    ind = markup.ind_xml(left=round(hang * out.page.char_twips), firstLine=0, chars={"left": hang, "firstLine": 0})
    for number, title in enumerate(titles[1:], start=2):
        out.paragraph(styles.BODY, f"{number}.{title}", ind=ind, keep_next=keep_next)


@DOCX.register(Attachment)
def _attachment(out: _BodyWriter, attachment: Attachment, place: _Place) -> None:
    """附件N on line 1 of a new page, its title on line 3, then its body (docs/layout.md)."""
    out.paragraph(styles.ATTACHMENT_LABEL, attachment.label, page_break_before=True)
    out.blank()
    out.lines(styles.TITLE, attachment.title)
    out.blank()
    out.write(attachment.body)
