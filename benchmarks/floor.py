"""The floor: the least work that turns a workbook into a .docx of the same content.

Reads the needed sheet XML straight from the zip with regular expressions (fields,
table values and the narrative at the sample's addresses, no checking, no layout
rules) and writes a three-part package (content types, relationships, document.xml)
whose body holds the same paragraphs and one row of values per table record. Only
the standard library: nothing faster is possible in Python, so gxreport's cost above
this is the price of checking, layout and styles.

Whole process: ``python benchmarks/floor.py ADDRESSES.json WORKBOOK OUT.docx``.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from html import escape, unescape
from pathlib import Path

_CELL = re.compile(r'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_TEXT = re.compile(r"<t[^>]*>(.*?)</t>", re.S)
_VALUE = re.compile(r"<v>(.*?)</v>")
_SHEETS = re.compile(r'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_TARGETS = re.compile(r'<Relationship [^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def read_cells(path: Path, sheets: set[str]) -> dict[str, dict[str, str]]:
    """Sheet → cell reference → raw text (inline string or value) for the given sheets."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        targets = {i: t.lstrip("/") for t, i in _TARGETS.findall(archive.read("xl/_rels/workbook.xml.rels").decode())}
        out = {}
        for name, rid in _SHEETS.findall(workbook):
            name = unescape(name)
            if name in sheets:
                xml = archive.read(targets[rid]).decode()
                out[name] = {}
                for ref, body in _CELL.findall(xml):
                    match = _TEXT.search(body) or _VALUE.search(body)
                    if match:
                        out[name][ref] = unescape(match.group(1))
    return out


def p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r></w:p>'


def render(addresses: dict, workbook: Path, out: Path) -> None:
    sheets = {s for s, _ in addresses["fields"].values()} | {s for t in addresses["values"].values() for s, _ in t.values()}
    cells = read_cells(workbook, sheets | {"正文"})
    fields = {k: cells[s].get(c, "") for k, (s, c) in addresses["fields"].items()}
    body = [p(f"{fields['agency']}{fields['year']}年政府信息公开工作年度报告")]
    narrative = cells["正文"]
    row = 3
    while f"A{row}" in narrative or f"D{row}" in narrative:
        body.append(p(narrative.get(f"C{row}", "") + narrative.get(f"D{row}", "")))
        row += 1
    for table_id, values in addresses["values"].items():
        records: dict[str, list[str]] = {}
        for key, (sheet, ref) in values.items():
            records.setdefault(key.split("|")[0], []).append(cells[sheet].get(ref, "0"))
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>" for v in vs) + "</w:tr>"
            for vs in records.values()
        )
        body.append(f"<w:tbl>{rows}</w:tbl>")
    body.append(p(fields["agency"]))
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{"".join(body)}</w:body></w:document>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)


def load_addresses(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    render(load_addresses(Path(sys.argv[1])), Path(sys.argv[2]), Path(sys.argv[3]))
