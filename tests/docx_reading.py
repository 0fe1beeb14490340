"""Reading a built .docx back in tests: parts, the text a reader sees, table grids."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def docx_parts(source: bytes | Path) -> dict[str, etree._Element]:
    data = source.read_bytes() if isinstance(source, Path) else source
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


def paragraph_text(p) -> str:
    return "".join("\t" if node.tag == w("tab") else node.text or "" for node in p.iter(w("t"), w("tab")))


def table_rows(tbl) -> list[list[tuple[str, int, str]]]:
    """Each w:tr as its w:tc list: (text, gridSpan, vMerge), where vMerge is
    "restart", "continue" or "" (read from the real cells, docs/pitfalls.md B3)."""
    rows = []
    for tr in tbl.findall("w:tr", NS):
        cells = []
        for tc in tr.findall("w:tc", NS):
            span = int(tc.xpath("string(w:tcPr/w:gridSpan/@w:val)", namespaces=NS) or 1)
            vmerge = tc.find("w:tcPr/w:vMerge", NS)
            merge = "" if vmerge is None else (vmerge.get(w("val")) or "continue")
            text = "\n".join(paragraph_text(p) for p in tc.findall("w:p", NS)).strip()
            cells.append((text, span, merge))
        rows.append(cells)
    return rows


def visible_text(body) -> str:
    """The text a reader sees, in order: one line per paragraph, tables row by row
    with cells separated by " | " and a vertically merged continuation shown as "↑"."""
    out = []
    for child in body:
        if child.tag == w("p"):
            out.append(paragraph_text(child))
        elif child.tag == w("tbl"):
            for row in table_rows(child):
                out.append(" | ".join("↑" if merge == "continue" else text.replace("\n", " ") for text, _, merge in row))
    return "\n".join(out) + "\n"
