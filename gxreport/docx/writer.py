"""Builds the .docx from the laid-out blocks (GB/T 9704-2012 body rules, layout.md)."""

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
from gxreport.text import is_wide, text_width

# Page (layout.md "Page"), in twips as Word stores A4 and 37/35/28/26 mm.
A4_WIDTH = 11906  # 210 mm
A4_HEIGHT = 16838  # 297 mm
MARGIN_TOP = 2098
MARGIN_BOTTOM = 1984
MARGIN_LEFT = 1588
MARGIN_RIGHT = 1474
HEADER_DISTANCE = 851  # 15 mm; the headers stay empty
# Paper edge to footer bottom, 23 mm: with a 14 pt line the "— 1 —" line starts about
# 7 mm below the type area, whose bottom is 35 mm above the edge (GB/T 9704 7.5).
FOOTER_DISTANCE = 1304
TYPE_WIDTH = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 twips = 156 mm
CHARS_PER_LINE = 28
# ECMA docGrid charSpace = (pitch − Normal size) × 4096; floored so 28 pitches fit the width.
CHAR_SPACE = math.floor((TYPE_WIDTH / 20 / CHARS_PER_LINE - styles.BODY_PT) * 4096)
CHAR_TWIPS = round(TYPE_WIDTH / CHARS_PER_LINE)  # 316: one grid character, for indents
# GB/T 9704 7.5 puts the page number "one character" from the edge of the type area;
# we read that as one character of the number's own 四号 size: 14 pt = 280 twips.
PAGE_NUMBER_INDENT = 280
# Word and LibreOffice add space where Chinese meets digits or Latin letters (w:autoSpaceDE/DN,
# on by default); LibreOffice's is a fifth of a character (tests/test_rendered_pages.py).
CJK_LATIN_SPACE_CHARS = 0.2
TABLE_CELL_MARGIN = 57  # 1 mm left/right: narrow columns of the 15-column table 四 need it
ATTACHMENT_PREFIX = "附件："


def body_xml(blocks: Sequence[Block]) -> str:
    """The w:p and w:tbl markup of `blocks`, laid out per GB/T 9704-2012, for inside w:body."""
    writer = _BodyWriter()
    writer.write(blocks)
    return "".join(writer.parts)


def printed_width_chars(text: str) -> float:
    """`text.text_width` plus the space renderers put between Chinese and digits or Latin."""
    wide = [is_wide(ch) for ch in text]
    return text_width(text) + CJK_LATIN_SPACE_CHARS * sum(a != b for a, b in zip(wide, wide[1:]))


def signature_indents(agency: str, date: str) -> tuple[int, int]:
    """Right indents (twips) of the agency line and the date line (layout.md "Signature").

    GB/T 9704 7.3.5.2: the name is right-indented 2 characters and the date starts 2
    characters right of the name's start, so the date's right indent is name − date
    characters. Only when the date is longer than the name is the date right-indented 2
    characters, with the name centred over it (layout.md's reading of "相应增加署名右空字数").
    """
    name_chars, date_chars = printed_width_chars(agency), printed_width_chars(date)
    name_indent, date_indent = 2.0, name_chars - date_chars
    if date_chars > name_chars:
        date_indent = 2.0
        name_indent = 2 + (date_chars - name_chars) / 2
    # A name longer than a line wraps; its indents stay inside the type area.
    name_indent, date_indent = (min(x, CHARS_PER_LINE) for x in (name_indent, date_indent))
    return round(name_indent * CHAR_TWIPS), round(date_indent * CHAR_TWIPS)


def table_xml(grid: TableGrid) -> str:
    """The w:tbl markup of `grid`: tcW/gridSpan per cell, vMerge for row spans.

    Every grid slot a span covers below its origin gets a continuation w:tc
    (<w:vMerge/>, same gridSpan) holding an empty paragraph, as Word requires.
    """
    widths = _column_twips(grid.widths_mm)
    half_points = int(round(grid.font_size_pt * 2))
    rpr = f'<w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'

    slots: dict[tuple[int, int], tuple[int, str | None, str]] = {}
    for row in grid.rows:
        for cell in row:
            slots[cell.row, cell.col] = (cell.colspan, "restart" if cell.rowspan > 1 else None, cell.text)
            for r in range(cell.row + 1, cell.row + cell.rowspan):
                slots[r, cell.col] = (cell.colspan, "continue", "")

    keep = _rows_kept_with_next(grid)
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
        f"<w:tbl {markup.W_NAMESPACE}>{markup.tbl_pr_xml(sum(widths), TABLE_CELL_MARGIN)}"
        f"{markup.tbl_grid_xml(widths)}{''.join(rows)}</w:tbl>"
    )


def _column_twips(widths_mm: Sequence[float]) -> list[int]:
    """Column widths in twips, scaled down proportionally to fit the type width.

    Flooring keeps the sum at or under TYPE_WIDTH.
    """
    twips = [mm * 1440 / 25.4 for mm in widths_mm]
    scale = min(1.0, TYPE_WIDTH / sum(twips))
    return [int(w * scale) for w in twips]


def _rows_kept_with_next(grid: TableGrid) -> set[int]:
    """Rows whose paragraphs get keepNext (layout.md "Tables", pitfalls B5).

    Header rows stay with the first body row, the rows of a vertical span stay
    together, and the last row is never stranded alone on a new page.
    """
    keep = set(range(grid.header_rows))
    for row in grid.rows:
        for cell in row:
            keep.update(range(cell.row, cell.row + cell.rowspan - 1))
    keep.add(grid.n_rows - 2)
    return keep


def _lines(text: str) -> list[str]:
    return text.splitlines() or [""]


class _BodyWriter:
    """Collects the paragraph and table markup of a block list, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, blocks: Sequence[Block]) -> None:
        for index, block in enumerate(blocks):
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
                    self._heading(block)
                case Paragraph():
                    self._lines(styles.BODY, block.text)
                case Table():
                    self.parts.append(table_xml(block.grid))
                case Signature():
                    self._signature(block)
                case AttachmentNote():
                    self._attachment_note(block.titles)
                case Attachment():
                    self._attachment(block)
                case _:
                    raise TypeError(f"unknown block: {block!r}")

    def _paragraph(self, style_id: str, text: str = "", **ppr) -> None:
        self.parts.append(markup.p_xml(markup.p_pr_xml(style_id, **ppr), markup.run_xml(text) if text else ""))

    def _lines(self, style_id: str, text: str) -> None:
        for line in _lines(text):
            self._paragraph(style_id, line)

    def _blank(self) -> None:
        self._paragraph(styles.BODY)

    def _heading(self, heading: Heading) -> None:
        label = heading.number + heading.title
        if not heading.text:
            self._paragraph(styles.HEADINGS[heading.level], label)
            return
        # Run-in heading: （一）加强组织领导。我局… in one body paragraph.
        first, *rest = _lines(heading.text)
        runs = markup.run_xml(label, markup.r_pr_style_xml(styles.HEADING_CHARS[heading.level])) + markup.run_xml(first)
        self.parts.append(markup.p_xml(markup.p_pr_xml(styles.BODY), runs))
        for line in rest:
            self._paragraph(styles.BODY, line)

    def _signature(self, signature: Signature) -> None:
        name_indent, date_indent = signature_indents(signature.agency, signature.date)
        self._blank()
        for text, indent in ((signature.agency, name_indent), (signature.date, date_indent)):
            self._paragraph(styles.SIGNATURE, text, ind=markup.ind_xml(right=indent), jc="right")

    def _attachment_note(self, titles: Sequence[str]) -> None:
        """附件：1.×××× with later items aligned under "1." (GB/T 9704 7.3.4)."""
        if not titles:
            return
        self._blank()
        if len(titles) == 1:
            self._paragraph(styles.BODY, ATTACHMENT_PREFIX + titles[0])
            return
        self._paragraph(styles.BODY, f"{ATTACHMENT_PREFIX}1.{titles[0]}")
        hang = styles.BODY_INDENT_CHARS + text_width(ATTACHMENT_PREFIX)
        ind = markup.ind_xml(left=round(hang * CHAR_TWIPS), firstLine=0, chars={"left": hang, "firstLine": 0})
        for number, title in enumerate(titles[1:], start=2):
            self._paragraph(styles.BODY, f"{number}.{title}", ind=ind)

    def _attachment(self, attachment: Attachment) -> None:
        """附件N on line 1 of a new page, its title on line 3, then its body (layout.md)."""
        self._paragraph(styles.ATTACHMENT_LABEL, attachment.label, page_break_before=True)
        self._blank()
        self._lines(styles.TITLE, attachment.title)
        self._blank()
        self.write(attachment.body)
