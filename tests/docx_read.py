"""Reading a built .docx back the way a reader sees it: paragraphs by style, runs, tables."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


@dataclass(frozen=True)
class Para:
    style: str
    runs: tuple[tuple[str, str], ...]  # (character style id or "", text)
    page_break_before: bool = False
    jc: str = ""

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.runs)


@dataclass(frozen=True)
class Tbl:
    rows: tuple[tuple[str, ...], ...]  # text of each w:tc, in order
    grid_cols: int


def body_items(path: Path) -> list[Para | Tbl]:
    """The body's paragraphs and tables in reading order."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    out: list[Para | Tbl] = []
    for el in root.find(w("body")):
        if el.tag == w("p"):
            out.append(_para(el))
        elif el.tag == w("tbl"):
            rows = tuple(
                tuple("".join(tc.itertext()) for tc in tr.findall(w("tc"))) for tr in el.findall(w("tr"))
            )
            out.append(Tbl(rows, len(el.findall("w:tblGrid/w:gridCol", NS))))
    return out


def _para(p) -> Para:
    style = p.find("w:pPr/w:pStyle", NS)
    runs = []
    for r in p.findall("w:r", NS):
        rstyle = r.find("w:rPr/w:rStyle", NS)
        runs.append((rstyle.get(w("val")) if rstyle is not None else "", "".join(t.text or "" for t in r.findall("w:t", NS))))
    jc = p.find("w:pPr/w:jc", NS)
    return Para(
        style.get(w("val")) if style is not None else "",
        tuple(runs),
        p.find("w:pPr/w:pageBreakBefore", NS) is not None,
        jc.get(w("val")) if jc is not None else "",
    )


def paragraphs(path: Path) -> list[Para]:
    return [item for item in body_items(path) if isinstance(item, Para)]


def tables(path: Path) -> list[Tbl]:
    return [item for item in body_items(path) if isinstance(item, Tbl)]


def headings(path: Path) -> list[tuple[int, str]]:
    """(level, text) of every heading, standalone (GWHeadingN) or run in (GWHeadingNChar run)."""
    out = []
    for p in paragraphs(path):
        if p.style.startswith("GWHeading") and p.style[-1].isdigit():
            out.append((int(p.style[-1]), p.text))
        elif p.runs and p.runs[0][0].startswith("GWHeading"):
            out.append((int(p.runs[0][0][len("GWHeading")]), p.runs[0][1]))
    return out
