"""How much of the page the laid-out blocks take, measured as Word and LibreOffice print them.

One measurement per block type (the ``MEASURE`` backend of ``blocks.py``): the lines of the
type area its text prints, without the blank lines the writers put between blocks. From these
come the decisions both writers share: which blocks keep the signature company, the
signature's indents, where a table's rows may break, and the attachment note's hanging
indent (docs/layout.md "Signature", "Tables", "Attachments"). Every length comes from the
``page.Page`` given.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .blocks import MEASURE, WithSignature, declared
from .document import (
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
from ..declare.page import PAGE, TWIPS_PER_PT, Page, mm_in_twips, printed_width
from ..text import text_width

# The signature takes at least this many lines of body text with it (docs/layout.md "Signature").
LINES_WITH_SIGNATURE = 2
SIGNATURE_LINES = 3  # the blank line above it, the name, the date (a name of one line)
# LibreOffice moves a paragraph kept with the next one whole to the next page: one longer than
# this keeps only its last sentences with the signature, written as a paragraph of their own,
# so a page is never left this many lines short, nor a signature alone (docs/layout.md "Signature").
MOST_LINES_MOVED_WHOLE = 6
# Where a sentence ends: a full stop, exclamation or question mark and the closing marks after it.
SENTENCE_END = re.compile(r"[。！？][”’」』）)]*")
ATTACHMENT_PREFIX = "附件："


def body_lines(block: Block, page: Page = PAGE) -> int:
    """The lines of the type area `block`'s text prints on `page`."""
    return MEASURE.renderer(block)(block, page)


def text_lines(text: str) -> list[str]:
    """The lines of a block's text: each is a paragraph of its own."""
    return text.splitlines() or [""]


def _wrapped(text: str, page: Page, indent_chars: float = 0, size_pt: float | None = None) -> int:
    """Lines `text` prints on `page` at `size_pt` (the body size unless given), its first line
    indented `indent_chars` characters; every line of the text is a paragraph."""
    per_line = page.chars if size_pt is None else page.chars_per_line(size_pt)
    return sum(max(1, math.ceil((indent_chars + printed_width(line)) / per_line)) for line in text_lines(text))


@MEASURE.register(Title)
def _title(title: Title, page: Page) -> int:
    return _wrapped(title.text, page, size_pt=page.sizes.title)


@MEASURE.register(DateLine)
def _date_line(date_line: DateLine, page: Page) -> int:
    return _wrapped(date_line.text, page)


@MEASURE.register(Addressee)
def _addressee(addressee: Addressee, page: Page) -> int:
    return _wrapped(addressee.text, page)


@MEASURE.register(Heading)
def _heading(heading: Heading, page: Page) -> int:
    return _wrapped(heading.number + heading.title + heading.text, page, page.body_indent_chars)


@MEASURE.register(Paragraph)
def _paragraph(paragraph: Paragraph, page: Page) -> int:
    return _wrapped(paragraph.text, page, page.body_indent_chars)


@MEASURE.register(Table)
def _table(table: Table, page: Page) -> int:
    return math.ceil(table_height_pt(table.grid, page) / page.line_pt)


@MEASURE.register(Signature)
def _signature(signature: Signature, page: Page) -> int:
    return _wrapped(signature.agency, page) + _wrapped(signature.date, page)


@MEASURE.register(AttachmentNote)
def _attachment_note(note: AttachmentNote, page: Page) -> int:
    if not note.titles:
        return 0
    first = _wrapped(ATTACHMENT_PREFIX + ("1." if len(note.titles) > 1 else "") + note.titles[0], page, page.body_indent_chars)
    hang = attachment_hang_chars(page)
    return first + sum(_wrapped(f"{n}.{title}", page, hang) for n, title in enumerate(note.titles[1:], start=2))


@MEASURE.register(Attachment)
def _attachment(attachment: Attachment, page: Page) -> int:
    title = _wrapped(attachment.title, page, size_pt=page.sizes.title)
    return _wrapped(attachment.label, page) + title + sum(body_lines(block, page) for block in attachment.body)


def kept_with_signature(blocks: Sequence[Block], page: Page = PAGE) -> set[int]:
    """Indices of the blocks kept with a signature that follows them (docs/layout.md
    "Signature"): walking back from it, blocks declared ``WithSignature.WHOLE`` (the
    attachment note) and ``LINES`` (body text) until the latter print at least
    ``LINES_WITH_SIGNATURE`` lines.

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
            how = declared(before).with_signature
            if how is WithSignature.NOTHING:
                break
            kept.add(index)
            if how is WithSignature.LINES:
                lines += body_lines(before, page)
                if lines >= LINES_WITH_SIGNATURE:
                    break
    return kept


def kept_paragraphs(paragraphs: list[str], page: Page = PAGE, lead: str = "") -> list[tuple[str, bool]]:
    """The paragraphs of a block kept with the signature, each with whether it is kept with
    what follows (keepNext): the last ones until they print ``LINES_WITH_SIGNATURE`` lines.

    A paragraph that reaches that count but would print more than ``MOST_LINES_MOVED_WHOLE``
    lines is split where a sentence ends, its smallest tail of at least that count kept and
    the rest left to flow. Without such a sentence end it is kept whole when it and the
    signature fit on a page, and not at all otherwise: LibreOffice then keeps nothing of the
    chain and may part the name from the date. ``lead`` (a run-in heading's number and
    title) precedes the first paragraph and counts in its width.
    """
    out: list[tuple[str, bool]] = []
    lines = 0
    for index in range(len(paragraphs) - 1, -1, -1):
        text = paragraphs[index]
        if lines >= LINES_WITH_SIGNATURE:
            out.extend((earlier, False) for earlier in reversed(paragraphs[: index + 1]))
            break
        printed = _wrapped((lead if index == 0 else "") + text, page, page.body_indent_chars)
        if lines + printed > MOST_LINES_MOVED_WHOLE and printed > LINES_WITH_SIGNATURE:
            tail = _sentence_tail(text, page, LINES_WITH_SIGNATURE - lines)
            if tail:
                out += [(tail, True), (text[: len(text) - len(tail)], False)]
            else:
                out.append((text, printed + SIGNATURE_LINES <= page.lines))
            lines += printed
            continue
        out.append((text, True))
        lines += printed
    return out[::-1]


def _sentence_tail(text: str, page: Page, at_least: int) -> str:
    """The shortest end of ``text`` that starts a sentence, prints at least ``at_least`` lines as
    a paragraph of its own and at most ``MOST_LINES_MOVED_WHOLE``, or ""."""
    starts = [m.end() for m in SENTENCE_END.finditer(text) if m.end() < len(text) and _opens_a_sentence(text[m.end()])]
    for start in reversed(starts):
        printed = _wrapped(text[start:], page, page.body_indent_chars)
        if printed > MOST_LINES_MOVED_WHOLE:
            return ""
        if printed >= at_least:
            return text[start:]
    return ""


def _opens_a_sentence(char: str) -> bool:
    """A letter, a digit or an opening mark (“《（), never a stray comma or space after a full stop."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category in ("Ps", "Pi")


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


def attachment_hang_chars(page: Page) -> float:
    """Where the second and later items of the attachment note start, in characters: under the
    "1." of the first, after the body indent and 附件：."""
    return page.body_indent_chars + text_width(ATTACHMENT_PREFIX)


def column_twips(widths_mm: Sequence[float], page: Page) -> list[int]:
    """Column widths in twips, scaled down proportionally to fit the type width.

    Flooring keeps the sum at or under the type width.
    """
    twips = [mm_in_twips(mm) for mm in widths_mm]
    scale = min(1.0, page.type_width_twips / sum(twips))
    return [int(w * scale) for w in twips]


@lru_cache(maxsize=4096)
def _cell_lines(text: str, per_line: float) -> int:
    """Lines a table cell's text wraps to. Kept per process: every report of a kind repeats the same
    labels in the same columns, and measuring them character by character was ~1.4 ms a document."""
    return sum(math.ceil(printed_width(line) / per_line) or 1 for line in text_lines(text))


def table_height_pt(grid: TableGrid, page: Page = PAGE) -> float:
    """The printed height of `grid`, estimated from its wrapped cell text (rows single-spaced)."""
    widths = column_twips(grid.widths_mm, page)
    line = grid.font_size_pt * page.table_line_em
    heights = [line] * grid.n_rows
    margins = 2 * page.table_cell_margin_twips
    per_line_of: dict[tuple[int, int], float] = {}  # (column, span) → characters a line holds
    for row in grid.rows:
        for cell in row:
            span = cell.col, cell.colspan
            per_line = per_line_of.get(span)
            if per_line is None:
                inner_pt = (sum(widths[cell.col:cell.col + cell.colspan]) - margins) / TWIPS_PER_PT
                per_line = per_line_of[span] = max(1.0, inner_pt / grid.font_size_pt)
            lines = _cell_lines(cell.text, per_line)
            share = lines * line / cell.rowspan  # a tall spanning cell spreads over its rows
            for r in range(cell.row, cell.row + cell.rowspan):
                heights[r] = max(heights[r], share)
    return sum(heights)
