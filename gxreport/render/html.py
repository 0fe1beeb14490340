"""Web page output: one self-contained HTML file per report, from the same blocks as the .docx.

Headings are h1…h5, the statutory tables real <table>s with rowspan/colspan, and a
print style sheet lays the page out as GB/T 9704 (A4, 37/26/35/28 mm margins, 三号
text at 28.95 pt). Every string from the report is escaped; the page loads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from gxreport.document import (
    Addressee,
    Attachment,
    AttachmentNote,
    Block,
    DateLine,
    Document,
    Heading,
    Paragraph,
    Signature,
    Table,
    TableGrid,
    Title,
)
from gxreport.docx import signature_indents, styles
from gxreport.docx.writer import CHAR_TWIPS, kept_with_signature

# Font stacks: the official face first, then what Windows, macOS and Linux have.
_SERIF_FALLBACK = '"Noto Serif CJK SC", "Source Han Serif SC", serif'
FONT_STACKS = {
    "body": f'GxLatin, "{styles.FANGSONG}", "仿宋", FangSong, STFangsong, {_SERIF_FALLBACK}',
    "title": f'"{styles.XIAOBIAOSONG}", "方正小标宋_GBK", STZhongsong, "华文中宋", {_SERIF_FALLBACK}',
    "hei": f'"{styles.HEITI}", SimHei, STHeiti, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "kai": f'"{styles.KAITI}", "楷体", KaiTi, STKaiti, "AR PL KaitiM GB", "AR PL UKai CN", {_SERIF_FALLBACK}',
    "song": f'"{styles.SONGTI}", SimSun, STSong, {_SERIF_FALLBACK}',
}
# Heading level (1 一、 … 4 （1）) → HTML element; h1 is the title.
HEADING_TAGS = {1: "h2", 2: "h3", 3: "h4", 4: "h5"}

STYLE_SHEET = f"""
/* Digits and Latin in Times New Roman, as in the .docx; quotes stay with the CJK face. */
@font-face {{ font-family: GxLatin; src: local("Times New Roman"), local("TimesNewRomanPSMT"),
  local("Liberation Serif"); unicode-range: U+0020-007E, U+00A0-00FF; }}
:root {{ color: #000; background: #fff; }}
body {{ font-family: {FONT_STACKS["body"]}; font-size: {styles.BODY_PT}pt; line-height: 28.95pt;
  max-width: 156mm; margin: 2em auto; padding: 0 1em; }}
h1 {{ font-family: {FONT_STACKS["title"]}; font-size: {styles.TITLE_PT}pt; font-weight: normal;
  text-align: center; line-height: 1.5; margin: 0 0 28.95pt; }}
h2, h3, h4, h5, p {{ font-size: {styles.BODY_PT}pt; font-weight: normal; margin: 0;
  text-indent: 2em; text-align: justify; }}
h2, .attachment-label {{ font-family: {FONT_STACKS["hei"]}; }}
h3, .dateline {{ font-family: {FONT_STACKS["kai"]}; }}
.run-in {{ text-indent: 2em; text-align: justify; }}
.run-in > h3, .run-in > h4, .run-in > h5, .run-in > p {{ display: inline; }}
.run-in > p {{ text-indent: 0; }}
.dateline {{ text-align: center; text-indent: 0; }}
.addressee, .attachment-label {{ text-indent: 0; }}
.signature {{ text-align: right; text-indent: 0; }}
.signature-block {{ margin-top: 28.95pt; }}
.attachment-note {{ margin-top: 28.95pt; }}
.attachment-note .more {{ text-indent: 0; }}
.attachment {{ break-before: page; margin-top: 2em; }}
.attachment h2.attachment-title {{ font-family: {FONT_STACKS["title"]}; font-size: {styles.TITLE_PT}pt;
  text-align: center; text-indent: 0; margin: 28.95pt 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.5em 0;
  font-family: {FONT_STACKS["body"]}; line-height: 1.3; }}
th, td {{ border: 1px solid #000; padding: 0.2em 1mm; text-align: center; vertical-align: middle;
  font-weight: normal; overflow-wrap: anywhere; }}
tr {{ break-inside: avoid; }}
.closing, .signature-block {{ break-inside: avoid; page-break-inside: avoid; }}
p {{ orphans: 2; widows: 2; }}
.table-scroll {{ overflow-x: auto; margin: 0.5em 0; }}
.table-scroll > table {{ margin: 0; }}
@media screen {{
  /* Tables at a readable size on a screen, at least their printed width: a narrow screen
     scrolls the table sideways instead of squeezing each column to a character. */
  .table-scroll table {{ font-size: max(0.75rem, 12px) !important; min-width: var(--print-width); margin: 0; }}
  .table-scroll:focus {{ outline: 1px dotted #666; }}
}}
@media screen and (max-width: 600px) {{
  body {{ font-size: 13pt; line-height: 1.75; padding: 0 12px; margin: 1em auto; }}
  h1 {{ font-size: 18pt; line-height: 1.4; margin-bottom: 1em; }}
  h2, h3, h4, h5, p {{ font-size: 13pt; }}
  .attachment h2.attachment-title {{ font-size: 16pt; }}
}}
h1, h2, h3, h4, h5, .run-in {{ break-after: avoid; page-break-after: avoid; }}
thead {{ display: table-header-group; }}
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
@page :right {{ @bottom-right {{ content: "— " counter(page) " —"; font-family: {FONT_STACKS["song"]};
  font-size: {styles.PAGE_NUMBER_PT}pt; padding-right: 1em; }} }}
@page :left {{ @bottom-left {{ content: "— " counter(page) " —"; font-family: {FONT_STACKS["song"]};
  font-size: {styles.PAGE_NUMBER_PT}pt; padding-left: 1em; }} }}
@media print {{ body {{ max-width: none; margin: 0; padding: 0; }} }}
"""


def render_html(document: Document) -> bytes:
    """The UTF-8 bytes of a self-contained web page showing `document`."""
    body = "\n".join(_blocks(document.blocks))
    author = f'<meta name="author" content="{escape(document.author)}">\n' if document.author else ""
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{author}<title>{escape(document.title)}</title>\n"
        f"<style>{STYLE_SHEET}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _text(text: str) -> str:
    """Escaped text; a line break inside a block becomes <br>."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _blocks(blocks: Sequence[Block]) -> list[str]:
    out: list[str] = []
    # The blocks the .docx keeps with the signature open one unbreakable <div class="closing">
    # that the signature closes, so a printed page never starts with the signature alone.
    kept = kept_with_signature(blocks)
    for index, block in enumerate(blocks):
        if index in kept and index - 1 not in kept:
            out.append('<div class="closing">')
        match block:
            case Title():
                out.append(f"<h1>{_text(block.text)}</h1>")
            case DateLine():
                out.append(f'<p class="dateline">{escape(block.text)}</p>')
            case Addressee():
                out.append(f'<p class="addressee">{escape(block.text)}</p>')
            case Heading():
                out.append(_heading(block))
            case Paragraph():
                out.extend(f"<p>{escape(line)}</p>" for line in block.text.split("\n"))
            case Table():
                out.append(table_html(block.grid, block.table_id))
            case Signature():
                out.append(_signature(block))
                if index - 1 in kept:
                    out.append("</div>")
            case AttachmentNote():
                out.append(_attachment_note(block.titles))
            case Attachment():
                out.append(_attachment(block))
            case _:
                raise TypeError(f"unknown block: {block!r}")
    return out


def _heading(heading: Heading) -> str:
    tag = HEADING_TAGS[heading.level]
    label = escape(heading.number + heading.title)
    if not heading.text:
        return f"<{tag}>{label}</{tag}>"
    first, *rest = heading.text.split("\n")
    run_in = f'<div class="run-in"><{tag}>{label}</{tag}><p>{escape(first)}</p></div>'
    return "\n".join([run_in, *(f"<p>{escape(line)}</p>" for line in rest)])


def table_html(grid: TableGrid, table_id: str = "") -> str:
    """A <table> with the grid's spans; header rows in <thead>, so print repeats them."""
    total = sum(grid.widths_mm)
    cols = "".join(f'<col style="width:{width / total * 100:.2f}%">' for width in grid.widths_mm)
    rows = []
    for row in grid.rows:
        cells = []
        for cell in row:
            tag = "th" if cell.header or not cell.value else "td"
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            scope = ' scope="col"' if tag == "th" and cell.row < grid.header_rows else ""
            cells.append(f"<{tag}{spans}{scope}>{_text(cell.text)}</{tag}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head, body = rows[: grid.header_rows], rows[grid.header_rows :]
    ident = f' id="table-{escape(table_id)}"' if table_id else ""
    # On a screen narrower than the table's printed width the table keeps that width (so a
    # cell never shrinks to one character a line) and its box scrolls sideways.
    return (
        f'<div class="table-scroll"><table{ident} style="font-size:{grid.font_size_pt}pt;'
        f'--print-width:{total:.0f}mm"><colgroup>{cols}</colgroup>'
        f"<thead>{''.join(head)}</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _signature(signature: Signature) -> str:
    """Agency and date right-aligned with the .docx writer's indents (docs/layout.md "Signature")."""
    name_twips, date_twips = signature_indents(signature.agency, signature.date)
    lines = [
        f'<p class="signature" style="padding-right:{twips / CHAR_TWIPS:.2f}em">{escape(text)}</p>'
        for text, twips in ((signature.agency, name_twips), (signature.date, date_twips))
        if text
    ]
    return f'<div class="signature-block">{"".join(lines)}</div>'


def _attachment_note(titles: Sequence[str]) -> str:
    if not titles:
        return ""
    if len(titles) == 1:
        return f'<div class="attachment-note"><p>附件：{escape(titles[0])}</p></div>'
    first = f"<p>附件：1.{escape(titles[0])}</p>"
    # Later items line up under "1.": 2 characters of indent plus 附件：.
    more = "".join(
        f'<p class="more" style="padding-left:5em">{n}.{escape(t)}</p>' for n, t in enumerate(titles[1:], start=2)
    )
    return f'<div class="attachment-note">{first}{more}</div>'


def _attachment(attachment: Attachment) -> str:
    body = "\n".join(_blocks(attachment.body))
    return (
        f'<section class="attachment"><p class="attachment-label">{escape(attachment.label)}</p>'
        f'<h2 class="attachment-title">{_text(attachment.title)}</h2>\n{body}</section>'
    )
