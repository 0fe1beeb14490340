"""A published report as a flat sequence: paragraphs and tables expanded to grids.

Word (.docx) and web pages (.html) are read into the same two item types so
that everything after this module ignores where the report came from. Merged
cells are expanded from the markup itself (``w:tc``/``w:gridSpan``/``w:vMerge``
in OOXML, ``rowspan``/``colspan`` in HTML), never from python-docx's
``row.cells``, which repeats merged cells (docs/pitfalls.md B3).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree, html

from ...errors import InputError, Location
from ...text import clean
from .labels import published_data

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


@dataclass(frozen=True)
class Para:
    """One paragraph of text; ``where`` names it in messages (报告.docx!第12段)."""

    text: str
    where: Location
    has_image: bool = False


@dataclass(frozen=True)
class GridCell:
    """The cell that owns a grid position: its text and top-left origin (0-based)."""

    text: str
    row: int
    col: int


@dataclass
class Grid:
    """A table expanded to a full rows × cols grid of owning cells."""

    index: int  # 1-based position among the document's tables
    rows: list[list[GridCell | None]] = field(default_factory=list)
    has_image: bool = False
    candidates: list | None = field(default=None, repr=False)  # tables.candidates(), worked out once

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def at(self, row: int, col: int) -> GridCell | None:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None


Item = Para | Grid


@dataclass
class Source:
    """The document's items in reading order, plus what a web page says around the report:
    its title, its publication date (with where it was read), and the paragraphs just
    before the report's content (where a page may print the report's title)."""

    name: str
    items: list[Item]
    page_title: str = ""
    published: tuple[dt.date, str] | None = None
    before: list[Para] = field(default_factory=list)


def _squash(text: str) -> str:
    return _SPACES.sub(" ", clean(text)).strip()


# Grid positions one table may cover (a 2,000-row appendix of 50 columns is 100,000): spans
# are checked against it before anything is allocated, so a small page cannot claim gigabytes.
MAX_GRID_CELLS = 200_000


class _GridBuilder:
    """Places cells the way a browser or Word does: skip positions already taken."""

    def __init__(self, index: int, where: str = ""):
        self.grid = Grid(index)
        self.taken: dict[tuple[int, int], GridCell] = {}
        self.where = where

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> int:
        while (row, col) in self.taken:
            col += 1
        rowspan, colspan = max(rowspan, 1), max(colspan, 1)
        if len(self.taken) + rowspan * colspan > MAX_GRID_CELLS or row + rowspan > MAX_GRID_CELLS or col + colspan > 1000:
            self.refuse()
        owner = GridCell(text, row, col)
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                self.taken[(r, c)] = owner
        return col + colspan

    def refuse(self) -> None:
        raise InputError(
            f"合并单元格（rowspan/colspan）使表格超过 {MAX_GRID_CELLS} 格，不像是报告中的表格，未读取",
            Location(self.where, f"第{self.grid.index}个表格"),
        )

    def extend_down(self, row: int, col: int, colspan: int) -> bool:
        """A ``w:vMerge`` continuation: the owner above covers this position too."""
        above = self.taken.get((row - 1, col))
        if above is None:
            return False
        for c in range(col, col + colspan):
            self.taken[(row, c)] = above
        return True

    def finish(self) -> Grid:
        if self.taken:
            n_rows = max(r for r, _ in self.taken) + 1
            n_cols = max(c for _, c in self.taken) + 1
            if n_rows * n_cols > MAX_GRID_CELLS:
                self.refuse()
            self.grid.rows = [[self.taken.get((r, c)) for c in range(n_cols)] for r in range(n_rows)]
        return self.grid


# --- Word -------------------------------------------------------------------


def _w_text(element) -> str:
    """Text of a paragraph or cell: w:t runs; w:tab and w:br as spaces."""
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}p"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}p":
            if parts:
                parts.append("\n")
        else:
            parts.append(" ")
    return "".join(parts)


def _w_val(element, tag: str, default: str | None = None) -> str | None:
    found = element.find(f"{_W}tcPr/{_W}{tag}") if tag != "gridBefore" else element.find(f"{_W}trPr/{_W}gridBefore")
    if found is None:
        return default
    return found.get(f"{_W}val", "continue" if tag == "vMerge" else default)


def _has_picture(element) -> bool:
    return any(True for _ in element.iter(f"{_W}drawing", f"{_W}pict", f"{_W}object"))


_XPATH_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr", namespaces={"w": W})
_XPATH_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces={"w": W})


def _docx_grid(tbl, index: int, where: str = "") -> Grid:
    """Expand a ``w:tbl``: ``w:gridBefore`` skips columns, ``w:gridSpan`` widens,
    ``w:vMerge`` without ``restart`` continues the cell above (ECMA-376 17.4.84)."""
    builder = _GridBuilder(index, where)
    rows = _XPATH_ROWS(tbl)
    for r, tr in enumerate(rows):
        col = _bounded_int(_w_val(tr, "gridBefore", "0"), 0)
        for tc in _XPATH_CELLS(tr):
            span = max(1, _bounded_int(_w_val(tc, "gridSpan", "1"), 1))
            while (r, col) in builder.taken:
                col += 1
            if _w_val(tc, "vMerge") == "continue" and builder.extend_down(r, col, span):
                col += span
                continue
            col = builder.place(r, col, _squash(_w_text(tc).replace("\n", "")), 1, span)
        builder.grid.has_image = builder.grid.has_image or _has_picture(tr)
    return builder.finish()


def _is_layout_table(tbl) -> bool:
    """A table used to lay out the page (the whole report pasted into one cell), not data."""
    return any(True for _ in tbl.iterdescendants(f"{_W}tbl"))


def read_docx(path: Path) -> Source:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        body = docx.Document(str(path)).element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(f"不是有效的 Word 文档（.docx）：{exc}", path.name) from None
    items: list[Item] = []
    tables = 0
    paragraphs = 0

    def walk(parent) -> None:
        nonlocal tables, paragraphs
        for child in parent.iterchildren():
            if child.tag == f"{_W}p":
                paragraphs += 1
                items.append(Para(_squash(_w_text(child)), Location(path.name, cell=f"第{paragraphs}段"), _has_picture(child)))
            elif child.tag == f"{_W}tbl" and _is_layout_table(child):
                for tc in child.iter(f"{_W}tc"):
                    if next(tc.iterancestors(f"{_W}tbl")) is child:
                        walk(tc)
            elif child.tag == f"{_W}tbl":
                tables += 1
                items.append(_docx_grid(child, tables, path.name))
            elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
                walk(child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child)

    walk(body)
    return Source(path.name, items)


# --- HTML -------------------------------------------------------------------

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "td", "th", "section", "article", "blockquote", "pre", "center"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "title", "nav", "footer", "header", "form", "select", "button"}


def _cells_of(row):
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _own_rows(table) -> list:
    """The table's rows, not those of tables nested in its cells."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _bounded_int(text: str | None, default: int) -> int:
    """A span or skip count as written by any editor: a number up to 1000, else ``default``."""
    try:
        return max(0, min(int((text or "").strip() or default), 1000))
    except ValueError:
        return default


def _span(cell, name: str) -> int:
    return max(1, _bounded_int(cell.get(name), 1))


def _html_grid(table, index: int, where: str = "") -> Grid:
    builder = _GridBuilder(index, where)
    rows = _own_rows(table)
    for r, tr in enumerate(rows):
        col = 0
        for cell in _cells_of(tr):
            text = _squash(cell.text_content().replace("\n", " "))
            # as a browser does: a rowspan ends with the table's rows
            col = builder.place(r, col, text, min(_span(cell, "rowspan"), len(rows) - r), _span(cell, "colspan"))
    builder.grid.has_image = table.find(".//img") is not None
    return builder.finish()


def _inline_text(element) -> str:
    """Text of an inline element, <br> as a line break."""
    parts = [element.text or ""] if element.tag != "br" else ["\n"]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_block(element) -> bool:
    return isinstance(element.tag, str) and (element.tag in _BLOCK_TAGS or element.tag in ("table", "img"))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


def _html_text(data: bytes) -> str | bytes:
    """Bytes as the page declares them; a page that declares nothing is UTF-8 or,
    failing that, GB18030 (the superset of the GBK/GB2312 that Chinese sites use)."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        return data  # lxml follows the declaration
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


_PUBLISHED_META = ("pubdate", "publishdate", "firstpublishedtime", "articledate", "createdate", "date", "dc.date")
_PUBLISHED_TEXT = re.compile(
    r"(?:发布日期|发布时间|发文日期|公开日期|日期|时间)\s*[:：]\s*(?P<y>(?:19|20)\d\d)\s*[-年./]\s*(?P<m>\d{1,2})\s*[-月./]\s*(?P<d>\d{1,2})\s*日?"
)
_SECTION_HEAD = re.compile(r"^\s*[一二三四五六]\s*[、.．]")
_BEFORE_CONTENT = 15  # paragraphs before the report's content searched for its title


def _published_date(doc, text: str) -> tuple[dt.date, str] | None:
    """The page's publication date: a <meta> the CMS writes, else a 发布日期：… line."""
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").strip().lower() in _PUBLISHED_META:
            found = re.match(r"\s*((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})", meta.get("content") or "")
            if found:
                try:
                    return dt.date(*map(int, found.groups())), f'<meta name="{meta.get("name")}">'
                except ValueError:
                    pass
    for found in _PUBLISHED_TEXT.finditer(text):
        try:
            return dt.date(int(found["y"]), int(found["m"]), int(found["d"])), found.group(0)
        except ValueError:
            continue
    return None


def _is_data_table(table) -> bool:
    return table.find(".//table") is None and len(_own_rows(table)) >= 2


def _content_root(body):
    """The element holding the report: the nearest common ancestor of its 一、…六、 headings
    (of its tables when fewer than two headings are marked up on their own). Navigation,
    breadcrumbs and the footer lie outside it."""
    marks = [
        e for e in body.iter("p", "div", "h1", "h2", "h3", "h4", "h5", "span", "strong", "b", "font", "td")
        if _SECTION_HEAD.match(e.text_content() or "") and len(e.text_content()) <= 60
        and not any(_is_data_table(t) for t in e.iterancestors("table"))  # 表三's 一、本年新收… rows
    ]
    if len(marks) < 2:
        marks = [t for t in body.iter("table") if _is_data_table(t)]
    if len(marks) < 2:
        return body
    common = None
    for mark in marks:
        chain = [mark, *mark.iterancestors()]
        if common is None:
            common = chain
        else:
            keep = set(map(id, chain))
            common = [e for e in common if id(e) in keep]
    root = common[0] if common else body
    while root is not body and root.tag in ("table", "tbody", "thead", "tfoot", "tr", "p", "span", "strong", "b", "font"):
        root = root.getparent()  # the element the reader walks into (a layout table's cells, a block)
    return root


@lru_cache(maxsize=1)
def _site_text() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in published_data().get("site", {}).get("patterns", [])))


def is_site_text(text: str) -> bool:
    """A line of the website around the report (ICP number, 网站标识码, widgets), not report text."""
    return len(text) <= 60 and bool(_site_text().search(text))


def read_html(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取（{exc.strerror}）", path.name) from None
    try:
        doc = html.document_fromstring(_html_text(data))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"不是有效的网页（.html）：{exc}", path.name) from None
    title_el = doc.find(".//title")
    body = doc.find("body")
    body = body if body is not None else doc
    root = _content_root(body)
    items: list[Item] = []
    counters = {"p": 0, "t": 0}
    bounds: dict[str, int] = {}

    def emit(text: str, picture: bool = False) -> None:
        lines = [line for line in (_squash(x) for x in text.split("\n")) if line and not is_site_text(line)]
        for line in lines or ([""] if picture else []):
            counters["p"] += 1
            items.append(Para(line, Location(path.name, cell=f"第{counters['p']}段"), picture))

    def walk(element) -> None:
        """Blocks become paragraphs; inline runs between them are joined, split at <br>."""
        if element is root:
            bounds["start"] = len(items)
        pending = [element.text or ""]
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _SKIP_TAGS:
                pending.append(child.tail or "")
                continue
            if child is root or _is_block(child) or any(_is_block(d) for d in child.iterdescendants()):
                emit("".join(pending))
                pending = []
                if child.tag == "table" and child.find(".//table") is not None:
                    for cell in child.iter("td", "th"):
                        if next(cell.iterancestors("table")) is child:
                            walk(cell)  # a layout table of an old site: its cells hold the page
                elif child.tag == "table":
                    counters["t"] += 1
                    items.append(_html_grid(child, counters["t"], path.name))
                elif child.tag == "img":
                    emit("", picture=True)
                else:
                    walk(child)
            else:
                pending.append(_inline_text(child))
            pending.append(child.tail or "")
        emit("".join(pending))
        if element is root:
            bounds["end"] = len(items)

    walk(body)
    start, end = bounds.get("start", 0), bounds.get("end", len(items))
    before = [i for i in items[max(0, start - _BEFORE_CONTENT) : start] if isinstance(i, Para)]
    return Source(
        path.name,
        items[start:end],
        _squash(title_el.text_content()) if title_el is not None else "",
        _published_date(doc, body.text_content()),
        before,
    )


def join_split_tables(items: list[Item]) -> list[Item]:
    """Glue a table that was split in two (a page break typed as an empty paragraph,
    or a page that pasted the rest as a new table) back together: consecutive grids
    of the same width with only empty paragraphs between them."""
    out: list[Item] = []
    between: list[Para] = []
    for item in items:
        if isinstance(item, Para) and not item.text and not item.has_image:
            between.append(item)
            continue
        previous = out[-1] if out else None
        if isinstance(item, Grid) and isinstance(previous, Grid) and previous.n_cols == item.n_cols:
            offset = previous.n_rows
            moved: dict[int, GridCell] = {}
            for row in item.rows:
                previous.rows.append(
                    [None if c is None else moved.setdefault(id(c), GridCell(c.text, c.row + offset, c.col)) for c in row]
                )
            previous.has_image = previous.has_image or item.has_image
        else:
            out += between
            out.append(item)
        between = []
    return out + between
