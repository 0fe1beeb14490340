"""Builds the .docx from the laid-out blocks (GB/T 9704-2012 body rules, docs/layout.md).

Every length comes from the ``page.Page`` the blocks were laid out for."""

from __future__ import annotations

import math
from collections.abc import Sequence

from gxreport.document import (
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
from gxreport.docx import markup, styles
from gxreport.page import PAGE, TWIPS_PER_PT, Page, mm_in_twips, printed_width
from gxreport.text import text_width

MIN_ROWS_UNDER_HEADER = 4  # a table breaking at a page foot leaves at least this many rows there
# The signature takes at least this many lines of body text with it (docs/layout.md "Signature").
LINES_WITH_SIGNATURE = 2
ATTACHMENT_PREFIX = "附件："


def body_xml(blocks: Sequence[Block], page: Page = PAGE) -> str:
    """The w:p and w:tbl markup of `blocks`, laid out per GB/T 9704-2012, for inside w:body."""
    writer = _BodyWriter(page)
    writer.write(blocks)
    return "".join(writer.parts)


def signature_indents(agency: str, date: str, page: Page = PAGE) -> tuple[int, int]:
    """Right indents (twips) of the agency line and the date line (docs/layout.md "Signature").

    GB/T 9704 7.3.5.2: the name is right-indented 2 characters and the date starts 2
    characters right of the name's start, so the date's right indent is name − date
    characters. Only when the date is longer than the name is the date right-indented 2
    characters, with the name centred over it (docs/layout.md's reading of "相应增加署名右空字数").
    """
    name_chars, date_chars = printed_width(agency), printed_width(date)
    name_indent, date_indent = 2.0, name_chars - date_chars
    if date_chars > name_chars:
        date_indent = 2.0
        name_indent = 2 + (date_chars - name_chars) / 2
    # A name longer than a line wraps and its first character stands at the left edge: the date
    # then starts 2 characters in, and never wraps itself.
    date_indent = max(0.0, min(date_indent, page.chars - 2 - date_chars))
    name_indent = min(name_indent, page.chars)
    return round(name_indent * page.char_twips), round(date_indent * page.char_twips)


def table_xml(grid: TableGrid, page: Page = PAGE) -> str:
    """The w:tbl markup of `grid`: tcW/gridSpan per cell, vMerge for row spans.

    Every grid slot a span covers below its origin gets a continuation w:tc
    (<w:vMerge/>, same gridSpan) holding an empty paragraph, as Word requires.
    """
    widths = _column_twips(grid.widths_mm, page)
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
    for r in range(grid.n_rows):
        ppr = markup.p_pr_xml(styles.TABLE, keep_next=r in keep)
        cells = []
        col = 0
        while col < grid.n_cols:
            span, vmerge, text = slots.get((r, col), (1, None, ""))  # a gap gets an empty cell
            paragraphs = "".join(markup.p_xml(ppr, markup.run_xml(line, rpr) if line else "") for line in _lines(text))
            cells.append(f"<w:tc>{markup.tc_pr_xml(sum(widths[col:col + span]), span, vmerge)}{paragraphs}</w:tc>")
            col += span
        rows.append(f"<w:tr>{markup.tr_pr_xml(r < grid.header_rows)}{''.join(cells)}</w:tr>")

    return (
        f"<w:tbl {markup.W_NAMESPACE}>{markup.tbl_pr_xml(sum(widths), page.table_cell_margin_twips)}"
        f"{markup.tbl_grid_xml(widths)}{''.join(rows)}</w:tbl>"
    )


def _column_twips(widths_mm: Sequence[float], page: Page) -> list[int]:
    """Column widths in twips, scaled down proportionally to fit the type width.

    Flooring keeps the sum at or under the type width.
    """
    twips = [mm_in_twips(mm) for mm in widths_mm]
    scale = min(1.0, page.type_width_twips / sum(twips))
    return [int(w * scale) for w in twips]


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


def table_height_pt(grid: TableGrid, page: Page = PAGE) -> float:
    """The printed height of `grid`, estimated from its wrapped cell text (rows single-spaced)."""
    widths = _column_twips(grid.widths_mm, page)
    line = grid.font_size_pt * page.table_line_em
    heights = [line] * grid.n_rows
    for row in grid.rows:
        for cell in row:
            inner_twips = sum(widths[cell.col:cell.col + cell.colspan]) - 2 * page.table_cell_margin_twips
            inner_pt = inner_twips / TWIPS_PER_PT
            per_line = max(1.0, inner_pt / grid.font_size_pt)
            lines = sum(math.ceil(printed_width(text) / per_line) or 1 for text in _lines(cell.text))
            share = lines * line / cell.rowspan  # a tall spanning cell spreads over its rows
            for r in range(cell.row, cell.row + cell.rowspan):
                heights[r] = max(heights[r], share)
    return sum(heights)


def attachment_hang_chars(page: Page) -> float:
    """Where the second and later items of the attachment note start, in characters: under the
    "1." of the first, after the body indent and 附件：."""
    return page.body_indent_chars + text_width(ATTACHMENT_PREFIX)


def _lines(text: str) -> list[str]:
    return text.splitlines() or [""]


def kept_with_signature(blocks: Sequence[Block], page: Page = PAGE) -> set[int]:
    """Indices of the blocks that get keepNext because a signature follows (docs/layout.md
    "Signature"): the attachment note, and body paragraphs back to at least
    ``LINES_WITH_SIGNATURE`` lines of text.

    Word keeps the last lines of a kept paragraph with the next (two, with the widow control
    of docDefaults). LibreOffice moves a kept paragraph whole to the next page, and gives up
    when the paragraph and the signature together are longer than a page: a last paragraph
    of a page's length may still leave the signature alone in its PDFs.
    """
    kept: set[int] = set()
    for at, block in enumerate(blocks):
        if not isinstance(block, Signature):
            continue
        lines = 0
        for index in range(at - 1, -1, -1):
            before = blocks[index]
            if isinstance(before, AttachmentNote):
                kept.add(index)
                continue
            if not isinstance(before, (Paragraph, Heading)):
                break
            kept.add(index)
            lines += _estimated_lines(before, page)
            if lines >= LINES_WITH_SIGNATURE:
                break
    return kept


def _estimated_lines(block: Paragraph | Heading, page: Page) -> int:
    """Body lines a block prints, from its printed width."""
    text = block.text if isinstance(block, Paragraph) else block.number + block.title + block.text
    return sum(math.ceil((page.body_indent_chars + printed_width(line)) / page.chars) for line in _lines(text))


class _BodyWriter:
    """Collects the paragraph and table markup of a block list, in order."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.parts: list[str] = []

    def write(self, blocks: Sequence[Block]) -> None:
        kept = kept_with_signature(blocks, self.page)
        for index, block in enumerate(blocks):
            keep = index in kept
            match block:
                case Title():
                    self._lines(styles.TITLE, block.text)
                    # GB/T: one blank line under the title, after the date line if any.
                    if not (index + 1 < len(blocks) and isinstance(blocks[index + 1], DateLine)):
                        self._blank()
                case DateLine():
                    self._paragraph(styles.DATE_LINE, block.text)
                    self._blank()
                case Addressee():
                    self._paragraph(styles.ADDRESSEE, block.text)
                case Heading():
                    self._heading(block, keep)
                case Paragraph():
                    self._lines(styles.BODY, block.text, keep)
                case Table():
                    self.parts.append(table_xml(block.grid, self.page))
                case Signature():
                    self._signature(block)
                case AttachmentNote():
                    self._attachment_note(block.titles, keep)
                case Attachment():
                    self._attachment(block)
                case _:
                    raise TypeError(f"unknown block: {block!r}")

    def _paragraph(self, style_id: str, text: str = "", **ppr) -> None:
        self.parts.append(markup.p_xml(markup.p_pr_xml(style_id, **ppr), markup.run_xml(text) if text else ""))

    def _lines(self, style_id: str, text: str, keep_next: bool = False) -> None:
        for line in _lines(text):
            self._paragraph(style_id, line, keep_next=keep_next)

    def _blank(self, keep_next: bool = False) -> None:
        self._paragraph(styles.BODY, keep_next=keep_next)

    def _heading(self, heading: Heading, keep_next: bool = False) -> None:
        label = heading.number + heading.title
        if not heading.text:
            self._paragraph(styles.HEADINGS[heading.level], label)
            return
        # Run-in heading: （一）加强组织领导。我局… in one body paragraph.
        first, *rest = _lines(heading.text)
        runs = markup.run_xml(label, markup.r_pr_style_xml(styles.HEADING_CHARS[heading.level])) + markup.run_xml(first)
        self.parts.append(markup.p_xml(markup.p_pr_xml(styles.BODY, keep_next=keep_next), runs))
        for line in rest:
            self._paragraph(styles.BODY, line, keep_next=keep_next)

    def _signature(self, signature: Signature) -> None:
        """GB/T 9704 7.3.5.3: one blank line, the name, the date under it: one block, kept
        whole (keepLines) and together (keepNext), after the body lines kept with it."""
        name_indent, date_indent = signature_indents(signature.agency, signature.date, self.page)
        self._blank(keep_next=True)
        lines = ((signature.agency, name_indent, True), (signature.date, date_indent, False))
        for text, indent, keep_next in lines:
            self._paragraph(
                styles.SIGNATURE, text, ind=markup.ind_xml(right=indent), jc="right", keep_next=keep_next, keep_lines=True
            )

    def _attachment_note(self, titles: Sequence[str], keep_next: bool = False) -> None:
        """附件：1.×××× with later items aligned under "1." (GB/T 9704 7.3.4)."""
        if not titles:
            return
        self._blank(keep_next=keep_next)
        if len(titles) == 1:
            self._paragraph(styles.BODY, ATTACHMENT_PREFIX + titles[0], keep_next=keep_next)
            return
        self._paragraph(styles.BODY, f"{ATTACHMENT_PREFIX}1.{titles[0]}", keep_next=keep_next)
        hang = attachment_hang_chars(self.page)
        ind = markup.ind_xml(left=round(hang * self.page.char_twips), firstLine=0, chars={"left": hang, "firstLine": 0})
        for number, title in enumerate(titles[1:], start=2):
            self._paragraph(styles.BODY, f"{number}.{title}", ind=ind, keep_next=keep_next)

    def _attachment(self, attachment: Attachment) -> None:
        """附件N on line 1 of a new page, its title on line 3, then its body (docs/layout.md)."""
        self._paragraph(styles.ATTACHMENT_LABEL, attachment.label, page_break_before=True)
        self._blank()
        self._lines(styles.TITLE, attachment.title)
        self._blank()
        self.write(attachment.body)
