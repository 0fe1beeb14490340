"""A published PDF as paragraphs and table grids, like a .docx or a web page.

pdfplumber (pdfminer underneath) gives the characters with their positions
and finds ruled tables from the drawn lines. A table's cells are placed on a
grid by position: the distinct x and y edges of its cells are the grid lines,
and a cell spanning several of them is a merged cell. Characters inside a
cell are its text; the rest of the page is read line by line and joined into
paragraphs the way the page shows them: a paragraph starts where a line is
indented (the first-line indent, a centred title, a right-aligned signature)
or after a line that stops short of the right margin.

Word, WPS and LibreOffice all write the text of such PDFs; a scanned PDF has
none, only images, and is refused with a message saying so.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError, Location
from .source import Grid, Item, Para, Source, _GridBuilder, _squash

# A report is a few dozen pages; a 300-page PDF is not one, and pdfminer's time grows with pages.
MAX_PAGES = 300
_PAGE_NUMBER = re.compile(r"^[—–\-－]*\s*\d{1,4}\s*[—–\-－]*$|^第\s*\d+\s*页(?:\s*[，,/／]?\s*共\s*\d+\s*页)?$")
_SNAP = 2.0  # points within which two cell edges are the same grid line
_NUMBER = re.compile(r"^[\d\s,，.．/／—\-－−+]+$")
_NEW_ITEM = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}\s*、)")


@dataclass
class _Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float


# CJK fonts draw an ideograph and its Kangxi radical (文 and ⽂, 工 and ⼯) with one glyph, and
# some PDF writers (Chromium's print, some WPS versions) map that glyph back to the radical:
# the page reads right, but 威海市⽂登区 matches no title or label. NFKC takes every radical
# back to its ideograph; nothing else in the text is touched (full-width punctuation stays).
_RADICALS = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in (*range(0x2E80, 0x2F00), *range(0x2F00, 0x2FE0))
    if unicodedata.normalize("NFKC", chr(code)) != chr(code)
}


def _join_chars(chars: list[dict]) -> str:
    """Characters of one visual line in reading order; a space only between two Latin
    letters or digits that are visibly apart (CJK text is justified with stretched gaps)."""
    out: list[str] = []
    previous = None
    for ch in sorted(chars, key=lambda c: c["x0"]):
        text = ch["text"].translate(_RADICALS)
        if previous is not None and out:
            gap = ch["x0"] - previous["x1"]
            if gap > 0.3 * ch["size"] and text[:1].isascii() and text[:1].isalnum() and out[-1][-1:].isascii() and out[-1][-1:].isalnum():
                out.append(" ")
        out.append(text)
        previous = ch
    return "".join(out)


def _lines(chars: list[dict]) -> list[_Line]:
    """Group characters into visual lines: overlapping vertical extents, left to right."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines:
            last = lines[-1]
            top = min(c["top"] for c in last[:1])
            bottom = max(c["bottom"] for c in last[:1])
            middle = (ch["top"] + ch["bottom"]) / 2
            if top <= middle <= bottom:
                last.append(ch)
                continue
        lines.append([ch])
    out = []
    for group in lines:
        text = _join_chars(group)
        if not text.strip():
            continue
        out.append(
            _Line(
                min(c["top"] for c in group),
                max(c["bottom"] for c in group),
                min(c["x0"] for c in group),
                max(c["x1"] for c in group),
                text,
                max(c["size"] for c in group),
            )
        )
    return out


def _snap(values: list[float]) -> list[float]:
    """Distinct edge positions, merging those closer than _SNAP."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _SNAP:
            out.append(value)
    return out


def _nearest(edges: list[float], value: float) -> int:
    at = bisect.bisect_left(edges, value)
    return min((i for i in (at - 1, at) if 0 <= i < len(edges)), key=lambda i: abs(edges[i] - value))


def _inside(ch: dict, box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _table_grid(cells: list[tuple], chars: list[dict], index: int) -> Grid:
    """Cells (bounding boxes) on the grid their edges draw; a cell's text is the characters in it.

    Each character finds its grid position by bisection, so a long table costs its size, not
    cells × characters.
    """
    xs = _snap([c[0] for c in cells] + [c[2] for c in cells])
    ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
    builder = _GridBuilder(index)
    spans = []
    for box in cells:
        row, col = _nearest(ys, box[1]), _nearest(xs, box[0])
        spans.append((row, col, max(1, _nearest(ys, box[3]) - row), max(1, _nearest(xs, box[2]) - col)))
    owner: dict[tuple[int, int], int] = {}
    for i, (row, col, rowspan, colspan) in enumerate(spans):
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                owner.setdefault((r, c), i)
    texts: list[list[dict]] = [[] for _ in cells]
    for ch in chars:
        x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        at = owner.get((bisect.bisect_right(ys, y) - 1, bisect.bisect_right(xs, x) - 1))
        if at is not None:
            texts[at].append(ch)
    for i in sorted(range(len(cells)), key=lambda i: spans[i][:2]):
        row, col, rowspan, colspan = spans[i]
        builder.place(row, col, _squash("".join(line.text for line in _lines(texts[i]))), rowspan, colspan)
    return builder.finish()


def _paragraphs(lines: list[_Line], left: float, right: float, name: str, counter: list[int]) -> list[Para]:
    """Visual lines joined into paragraphs as a reader sees them."""
    paras: list[Para] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            counter[0] += 1
            text = "".join(line.text for line in current)
            paras.append(Para(_squash(text), Location(name, cell=f"第{counter[0]}段")))
            current.clear()

    for line in lines:
        if current:
            previous = current[-1]
            indented = line.x0 - left > 0.8 * line.size
            short = right - previous.x1 > 1.5 * previous.size
            gap = line.top - previous.bottom > 1.2 * previous.size
            if indented or short or gap or abs(line.size - previous.size) > 1:
                flush()
        current.append(line)
    flush()
    return paras


def _shifted(ch: dict, dy: float) -> dict:
    return {"text": ch["text"], "x0": ch["x0"], "x1": ch["x1"], "top": ch["top"] + dy, "bottom": ch["bottom"] + dy, "size": ch["size"]}


@dataclass
class _Table:
    """A ruled table, possibly continued from the page before: its cells' boxes and characters."""

    cells: list[tuple]
    chars: list[dict]
    bbox: tuple[float, float, float, float]

    def continues(self, other: "_Table") -> bool:
        """``other`` starts right under this table (or at the top of the next page), as wide."""
        left, right = max(self.bbox[0], other.bbox[0]), min(self.bbox[2], other.bbox[2])
        overlap = (right - left) / max(1.0, max(self.bbox[2], other.bbox[2]) - min(self.bbox[0], other.bbox[0]))
        return overlap > 0.8

    def extend(self, other: "_Table") -> None:
        """Append ``other`` right under this table: the page break's margins taken out, and
        a row the break cut in two (Word's default "allow row to break across pages") made whole."""
        dy = self.bbox[3] - other.bbox[1]
        cells = [(c[0], c[1] + dy, c[2], c[3] + dy) for c in other.cells]
        self.chars += [_shifted(ch, dy) for ch in other.chars]
        seam = self.bbox[3]
        above = sorted((c for c in self.cells if abs(c[3] - seam) <= _SNAP), key=lambda c: c[0])
        below = sorted((c for c in cells if abs(c[1] - seam) <= _SNAP), key=lambda c: c[0])
        if self._cut_row(above, below):
            joined = [(a[0], a[1], a[2], b[3]) for a, b in zip(above, below)]
            self.cells = [c for c in self.cells if c not in above] + joined
            cells = [c for c in cells if c not in below]
        self.cells += cells
        self.bbox = (min(self.bbox[0], other.bbox[0]), self.bbox[1], max(self.bbox[2], other.bbox[2]), other.bbox[3] + dy)

    def _cut_row(self, above: list[tuple], below: list[tuple]) -> bool:
        """The row at the seam goes on below it: same cells, the text of some label goes on, no
        cell has a number on both sides, and the row below is neither a repeated header nor a
        label that starts a new item (1. / （二） / 三、)."""
        if not above or len(above) != len(below):
            return False
        if any(abs(a[0] - b[0]) > _SNAP or abs(a[2] - b[2]) > _SNAP for a, b in zip(above, below)):
            return False
        top = self.bbox[1]
        header = [self._text(c) for c in sorted(self.cells, key=lambda c: c[0]) if abs(c[1] - top) <= _SNAP]
        lower = [self._text(c) for c in below]
        if lower == header:
            return False
        goes_on = False
        for a, b in zip(above, below):
            upper, under = self._text(a), lower[below.index(b)]
            if upper and under:
                if _NUMBER.match(upper) or _NUMBER.match(under) or _NEW_ITEM.match(under):
                    return False
                goes_on = True
        return goes_on

    def _text(self, box: tuple) -> str:
        return "".join(line.text for line in _lines([ch for ch in self.chars if _inside(ch, box)]))


def _segments(path: Path) -> tuple[list, int, int]:
    """Lines and tables of every page in reading order, with the page and image counts.

    Pages are stacked into one tall page (y grows by each page's height), so that a table
    or a paragraph going on over a page break is one piece; page numbers are dropped.
    """
    import pdfplumber

    segments: list[_Line | _Table] = []
    images = pages = 0
    with pdfplumber.open(str(path)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputError(f"PDF 有 {len(pdf.pages)} 页，超过上限 {MAX_PAGES} 页，不像是一份年度报告", path.name)
        offset = 0.0
        for page in pdf.pages:
            pages += 1
            images += len(page.images)
            chars = [_shifted(c, offset) for c in page.chars if c.get("upright", True) and c["text"].strip()]
            found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            tables = [
                _Table([(c[0], c[1] + offset, c[2], c[3] + offset) for c in t.cells], [], (t.bbox[0], t.bbox[1] + offset, t.bbox[2], t.bbox[3] + offset))
                for t in found
            ]
            outside = []
            for ch in chars:
                home = next((t for t in tables if _inside(ch, t.bbox)), None)
                (outside if home is None else home.chars).append(ch)
            page_items: list[_Line | _Table] = [line for line in _lines(outside) if not _PAGE_NUMBER.match(line.text.strip())]
            page_items += tables
            for item in sorted(page_items, key=lambda x: x.top if isinstance(x, _Line) else x.bbox[1]):
                last = segments[-1] if segments else None
                if isinstance(item, _Table) and isinstance(last, _Table) and last.continues(item):
                    last.extend(item)
                else:
                    segments.append(item)
            offset += float(page.height)
    return segments, pages, images


# pdfminer logs in English, per glyph, what it works around in a font (a missing FontBBox in
# every Chromium-printed page, hundreds of lines): nothing the clerk can act on, so only
# its errors are let through; what cannot be read reaches the clerk as an InputError.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_pdf(path: Path) -> Source:
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        segments, pages, images = _segments(path)
    except (PdfminerException, PDFEncryptionError) as exc:
        if "password" in str(exc).lower() or isinstance(exc, PDFEncryptionError):
            raise InputError("PDF 设置了打开密码或加密，无法读取；请找未加密的文件", path.name) from None
        raise InputError(f"不是有效的 PDF 文件，或文件已损坏（{str(exc)[:100]}）", path.name) from None
    except (PSException, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        # pdfminer reports damage in many ways; a damaged file is the input's fault, not ours.
        raise InputError(f"不是有效的 PDF 文件，或文件已损坏（{type(exc).__name__}）", path.name) from None
    if not any(isinstance(x, _Line) for x in segments) and not any(t.chars for t in segments if isinstance(t, _Table)):
        if images:
            raise InputError(
                f"这是扫描件或图片 PDF（共 {pages} 页，只有图片，没有文字），无法读取其中的文字和数字；"
                "请找原始的 Word 文档或网页，或把报告内容录入工作簿", path.name
            )
        raise InputError("PDF 中没有文字，无法导入", path.name)
    body = [x for x in segments if isinstance(x, _Line)]
    left = min((line.x0 for line in body), default=0.0)
    right = max((line.x1 for line in body), default=0.0)
    items: list[Item] = []
    counter, tables = [0], 0
    run: list[_Line] = []
    for segment in segments:
        if isinstance(segment, _Line):
            run.append(segment)
            continue
        items += _paragraphs(run, left, right, path.name, counter)
        run = []
        tables += 1
        items.append(_table_grid(segment.cells, segment.chars, tables))
    items += _paragraphs(run, left, right, path.name, counter)
    return Source(path.name, items)
