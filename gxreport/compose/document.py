"""The laid-out document: a flat list of blocks every output writer consumes.

A kind's Jinja template produces these blocks (see ``narrative.py``); the
.docx and HTML writers turn them into pages. Nothing here knows about
workbooks or rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..declare.page import PAGE, Page


@dataclass(frozen=True)
class Title:
    """The document title (GB/T 9704 7.3.1: 二号小标宋, centred)."""

    text: str


@dataclass(frozen=True)
class DateLine:
    """A date in parentheses centred under the title, e.g. （2023年11月15日）."""

    text: str


@dataclass(frozen=True)
class Addressee:
    """主送机关 line, flush left, ending with a full-width colon."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``text`` non-empty means the body runs in after it."""

    level: int
    number: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph (三号仿宋, 2-character first-line indent)."""

    text: str


@dataclass(frozen=True)
class PlacedCell:
    """A table cell at its grid position (0-based), with its spans."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    header: bool = False
    value: bool = False


@dataclass(frozen=True)
class TableGrid:
    """A table ready to print: column widths, header rows, cells by row."""

    widths_mm: tuple[float, ...]
    header_rows: int
    rows: tuple[tuple[PlacedCell, ...], ...]
    font_size_pt: float = PAGE.sizes.table  # the layout passes its page's or the table's declared size

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.widths_mm)


@dataclass(frozen=True)
class Table:
    """A table block (statutory or free-form)."""

    grid: TableGrid
    table_id: str = ""


@dataclass(frozen=True)
class Signature:
    """Agency name and 成文日期 under the body (GB/T 9704 7.3.5.2, unsealed)."""

    agency: str
    date: str


@dataclass(frozen=True)
class AttachmentNote:
    """附件说明 under the body: 附件：1.×××× (GB/T 9704 7.3.4)."""

    titles: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    """One attachment on its own page: 附件N flush left, title centred, body."""

    label: str
    title: str
    body: tuple["Block", ...] = ()


Block = Title | DateLine | Addressee | Heading | Paragraph | Table | Signature | AttachmentNote | Attachment


@dataclass
class Document:
    """Everything a writer needs: the blocks in reading order, the page they were laid out
    for (every writer sets its numbers from it), plus metadata."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    page: Page = PAGE
