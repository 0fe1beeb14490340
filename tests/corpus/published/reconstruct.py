"""Writes the fixtures of the published-report corpus (see ../README.md and SOURCES.toml).

Each report's fixture is rebuilt from what its stored public copy showed: the
statutory tables as printed there (labels with their variants and typos, blank
cells, split header labels, the rows' order), the website around the report,
and the narrative rewritten in our own words with the figures kept. What the
stored copy did not cover is filled in and listed under ``reconstructed`` in
SOURCES.toml. The tables start from the declared layout of the format in force
(templates/annual-*/tables.toml) and every printed departure is spelled out per
report in reports.py. Run once by hand; the tests read the files it writes:

    python tests/corpus/published/reconstruct.py            # the .html files
    python tests/corpus/published/reconstruct.py --pdf      # also the .docx and PDFs (soffice, chromium)
"""

from __future__ import annotations

import html
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))

from reports import REPORTS  # noqa: E402  (beside this script, not a package)


def declared_tables(fmt: str) -> dict[str, dict]:
    data = tomllib.loads((ROOT / "templates" / f"annual-{fmt}" / "tables.toml").read_text(encoding="utf-8"))
    return {t["id"]: t for t in data["table"]}


def layout(table: dict) -> list[list[dict]]:
    """The declared rows as cells {text, colspan, rowspan, key}."""
    rows = []
    for row in table["rows"]:
        cells = []
        for cell in row:
            if "values" in cell:
                cells += [{"text": "", "colspan": 1, "rowspan": 1, "key": (cell["values"], f)} for f in table["fields"]]
            elif "record" in cell:
                cells.append({"text": "", "colspan": cell.get("colspan", 1), "rowspan": cell.get("rowspan", 1), "key": (cell["record"], cell["field"])})
            else:
                cells.append({"text": cell["text"], "colspan": cell.get("colspan", 1), "rowspan": cell.get("rowspan", 1), "key": None})
        rows.append(cells)
    return rows


def printed_table(report: dict, table_id: str) -> list[list[dict]]:
    """The table as this report printed it."""
    table = declared_tables(report["format"])[table_id]
    style = report.get("style", {})
    labels = {**style.get("labels", {}), **style.get(f"{table_id}_labels", {})}
    values = report["printed"].get(table_id, {})
    rows = layout(table)
    out = []
    for row in rows:
        new_row = []
        for cell in row:
            cell = dict(cell)
            if cell["key"] is None:
                cell["text"] = labels.get(cell["text"], cell["text"])
                if cell["colspan"] == 4 and cell["text"].startswith("第二十条") and style.get("section_rows") == "cells":
                    new_row.append({**cell, "colspan": 1})
                    new_row += [{"text": "", "colspan": 1, "rowspan": 1, "key": None} for _ in range(3)]
                    continue
            else:
                record, field = cell["key"]
                if table_id == "active":
                    cell["text"] = values.get(f"{record}.{field}", "0")
                else:
                    fields = table["fields"]
                    printed_row = values.get(record)
                    cell["text"] = printed_row[fields.index(field)] if printed_row is not None else "0"
            new_row.append(cell)
        out.append(new_row)
    return out


# --- HTML ---------------------------------------------------------------------


def _cell_html(text: str, how: str) -> str:
    parts = [html.escape(p) for p in text.split("\n")]
    if how == "p":
        return "".join(f"<p>{p}</p>" for p in parts) or "<p>&nbsp;</p>"
    if how == "span":
        return "<br/>".join(f"<span>{p}</span>" for p in parts)
    return "<br/>".join(parts)


def table_html(rows: list[list[dict]], how: str, attrs: str) -> str:
    out = [f"<table {attrs}><tbody>"]
    for row in rows:
        out.append("<tr>")
        for cell in row:
            span = (f' colspan="{cell["colspan"]}"' if cell["colspan"] > 1 else "") + (f' rowspan="{cell["rowspan"]}"' if cell["rowspan"] > 1 else "")
            out.append(f"<td{span}>{_cell_html(cell['text'], how)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def body_html(report: dict) -> str:
    style = report.get("style", {})
    how = style.get("cells", "plain")
    attrs = style.get("table_attrs", 'border="1" cellspacing="0" cellpadding="0"')
    para = style.get("para", '<p style="text-indent:2em;">{}</p>')
    out = []
    for line in report["body"]:
        if line.startswith("[") and line.endswith("]"):
            table_id = line[1:-1]
            narrow = ' class="narrow"' if table_id in style.get("narrow_tables", ()) else ""
            out.append(table_html(printed_table(report, table_id), how, attrs + narrow))
        elif line.startswith("<"):
            out.append(line)  # printed markup kept as the page had it (a heading in <strong>…)
        else:
            out.append(para.format(html.escape(line)))
    return "\n".join(out)


def write_html(report: dict) -> Path:
    page = report["page"].replace("{BODY}", body_html(report))
    target = HERE / report["file"]
    target.write_text(page, encoding="utf-8")
    return target


# --- Word ---------------------------------------------------------------------


def write_docx(report: dict, target: Path) -> Path:
    """The report as such an office's Word file: 方正小标宋 title, 仿宋 text, 黑体/楷体 headings, ruled tables."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    def run_font(run, face: str, size: float, bold: bool = False) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = face
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)

    def paragraph(text: str, face="仿宋_GB2312", size=16.0, align=None, indent=True, bold=False):
        p = document.add_paragraph()
        p.paragraph_format.line_spacing = Pt(28)
        p.paragraph_format.space_after = Pt(0)
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        run_font(p.add_run(text), face, size, bold)
        return p

    for line in report["title_lines"]:
        paragraph(line, "方正小标宋简体", 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph("", indent=False)
    for line in report["body"]:
        if line.startswith("[") and line.endswith("]"):
            rows = printed_table(report, line[1:-1])
            n_cols = max(sum(c["colspan"] for c in r) for r in rows)
            grid = document.add_table(rows=len(rows), cols=n_cols)
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            grid.autofit = False
            widths = declared_tables(report["format"])[line[1:-1]]["widths_mm"]
            for column, width in zip(grid.columns, widths):
                column.width = Mm(width)
                for cell in column.cells:
                    cell.width = Mm(width)
            taken: set[tuple[int, int]] = set()
            size = 10.5 if line == "[active]" else 9
            for r, row in enumerate(rows):
                c = 0
                for cell in row:
                    while (r, c) in taken:
                        c += 1
                    top_left = grid.cell(r, c)
                    bottom_right = grid.cell(r + cell["rowspan"] - 1, c + cell["colspan"] - 1)
                    merged = top_left.merge(bottom_right) if (cell["rowspan"], cell["colspan"]) != (1, 1) else top_left
                    for rr in range(r, r + cell["rowspan"]):
                        for cc in range(c, c + cell["colspan"]):
                            taken.add((rr, cc))
                    lines = cell["text"].split("\n")
                    merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run_font(merged.paragraphs[0].add_run(lines[0]), "宋体", size)
                    for more in lines[1:]:
                        p = merged.add_paragraph()
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                        run_font(p.add_run(more), "宋体", size)
                    c += cell["colspan"]
            paragraph("", indent=False)
        elif line.startswith("<"):
            continue  # web-only markup
        elif line[:2] in {f"{n}、" for n in "一二三四五六"}:
            paragraph(line, "黑体", 16)
        elif line.startswith("（") and len(line) < 30:
            paragraph(line, "楷体_GB2312", 16)
        elif report.get("signature") and line in report["signature"]:
            paragraph(line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        else:
            paragraph(line)
    document.save(target)
    return target


def to_pdf_with_soffice(source: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(source.parent), str(source)],
            check=True, capture_output=True, timeout=180,
        )
    return source.with_suffix(".pdf")


def to_pdf_with_chromium(page: Path, target: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={target}", page.as_uri()],
            check=True, capture_output=True, timeout=180,
        )
    return target


def main(argv: list[str]) -> None:
    pdf = "--pdf" in argv
    for report in REPORTS:
        form = report["form"]
        if form == "html":
            write_html(report)
        elif form == "docx+pdf" and pdf:  # the binary forms only on request: each run stamps new times
            to_pdf_with_soffice(write_docx(report, HERE / report["file"].replace(".pdf", ".docx")))
        elif form == "pdf-from-docx" and pdf:  # published as PDF only: the Word file is scratch
            with tempfile.TemporaryDirectory() as scratch:
                made = to_pdf_with_soffice(write_docx(report, Path(scratch) / Path(report["file"]).with_suffix(".docx").name))
                made.replace(HERE / report["file"])
        elif form == "print-pdf" and pdf:
            with tempfile.TemporaryDirectory() as scratch:
                page = Path(scratch) / "page.html"
                page.write_text(report["page"].replace("{BODY}", body_html(report)), encoding="utf-8")
                to_pdf_with_chromium(page, HERE / report["file"])


if __name__ == "__main__":
    main(sys.argv[1:])
