"""Web page output: one self-contained HTML file per report, from the same blocks as the .docx.

Headings are h1…h5, the statutory tables real <table>s with rowspan/colspan, and a
print style sheet lays the page out as GB/T 9704: paper, margins, faces, sizes, indents and
line pitch all come from the ``page.Page`` the document was laid out for. Every string from
the report is escaped; the page loads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape

from gxreport.compose.document import (
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
from gxreport.compose.blocks import HTML
from gxreport.compose.measure import ATTACHMENT_PREFIX, attachment_hang_chars, kept_with_signature, signature_indents
from gxreport.declare.page import Page

# After the page's face and the name Windows ships it under: what macOS and Linux have.
_SERIF_FALLBACK = '"Noto Serif CJK SC", "Source Han Serif SC", serif'
_FALLBACKS = {
    "fangsong": f"FangSong, STFangsong, {_SERIF_FALLBACK}",
    "title": f'"方正小标宋_GBK", STZhongsong, "华文中宋", {_SERIF_FALLBACK}',
    "heiti": 'STHeiti, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "kaiti": f'KaiTi, STKaiti, "AR PL KaitiM GB", "AR PL UKai CN", {_SERIF_FALLBACK}',
    "songti": f"STSong, {_SERIF_FALLBACK}",
}
_BODY_ROLE = "fangsong"  # the body's face, which every element inherits
# Heading level (1 一、 … 4 （1）) → HTML element; h1 is the title.
HEADING_TAGS = {1: "h2", 2: "h3", 3: "h4", 4: "h5"}


def font_stack(page: Page, role: str) -> str:
    """The CSS font-family of one of ``page.Faces``' roles: the official face first, then the
    name Windows has it under (not a mere stand-in), then what macOS and Linux have."""
    face = getattr(page.faces, role)
    known = page.faces.windows_face(role)
    windows = known.alt_name if known is not None and known.alt_is_same_face else ""
    names = [f'"{face}"'] + ([windows if windows.isascii() else f'"{windows}"'] if windows else [])
    return ", ".join([*names, _FALLBACKS[role]])


@lru_cache(maxsize=4)
def style_sheet(page: Page) -> str:
    """The page's CSS: the GB/T 9704 page in print, a readable column on a screen."""
    faces, sizes, phone = page.faces, page.sizes, page.phone
    body_face = f"GxLatin, {font_stack(page, _BODY_ROLE)}"
    line = f"{page.line_pt:g}pt"
    indent = f"{page.body_indent_chars:g}em"
    number_indent = f"{page.page_number_indent_chars:g}em"
    number_face = font_stack(page, "songti")
    margins = " ".join(f"{mm:g}mm" for mm in (page.top_mm, page.right_mm, page.bottom_mm, page.left_mm))
    return f"""
/* Digits and Latin in {faces.latin}, as in the .docx; quotes stay with the CJK face. */
@font-face {{ font-family: GxLatin; src: local("{faces.latin}"), local("TimesNewRomanPSMT"),
  local("Liberation Serif"); unicode-range: U+0020-007E, U+00A0-00FF; }}
:root {{ color: #000; background: #fff; }}
body {{ font-family: {body_face}; font-size: {sizes.body:g}pt; line-height: {line};
  max-width: {page.type_width_mm:g}mm; margin: 2em auto; padding: 0 1em; }}
h1 {{ font-family: {font_stack(page, "title")}; font-size: {sizes.title:g}pt; font-weight: normal;
  text-align: center; line-height: 1.5; margin: 0 0 {line}; }}
h2, h3, h4, h5, p {{ font-size: {sizes.body:g}pt; font-weight: normal; margin: 0;
  text-indent: {indent}; text-align: justify; }}
{_face_rules(page)}
.run-in {{ text-indent: {indent}; text-align: justify; }}
.run-in > h3, .run-in > h4, .run-in > h5, .run-in > p {{ display: inline; }}
.run-in > p {{ text-indent: 0; }}
.dateline {{ text-align: center; text-indent: 0; }}
.addressee, .attachment-label {{ text-indent: 0; }}
.signature {{ text-align: right; text-indent: 0; }}
.signature-block {{ margin-top: {line}; }}
.attachment-note {{ margin-top: {line}; }}
.attachment-note .more {{ text-indent: 0; }}
.attachment {{ break-before: page; margin-top: 2em; }}
.attachment h2.attachment-title {{ font-family: {font_stack(page, "title")}; font-size: {sizes.title:g}pt;
  text-align: center; text-indent: 0; margin: {line} 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.5em 0;
  font-family: {body_face}; line-height: 1.3; }}
th, td {{ border: 1px solid #000; padding: 0.2em {page.table_cell_margin_mm:g}mm; text-align: center; vertical-align: middle;
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
@media screen and (max-width: {phone.width_px}px) {{
  body {{ font-size: {phone.body:g}pt; line-height: 1.75; padding: 0 12px; margin: 1em auto; }}
  h1 {{ font-size: {phone.title:g}pt; line-height: 1.4; margin-bottom: 1em; }}
  h2, h3, h4, h5, p {{ font-size: {phone.body:g}pt; }}
  .attachment h2.attachment-title {{ font-size: {phone.attachment_title:g}pt; }}
}}
h1, h2, h3, h4, h5, .run-in {{ break-after: avoid; page-break-after: avoid; }}
thead {{ display: table-header-group; }}
@page {{ size: {page.width_mm:g}mm {page.height_mm:g}mm; margin: {margins}; }}
@page :right {{ @bottom-right {{ content: "— " counter(page) " —"; font-family: {number_face};
  font-size: {sizes.page_number:g}pt; padding-right: {number_indent}; }} }}
@page :left {{ @bottom-left {{ content: "— " counter(page) " —"; font-family: {number_face};
  font-size: {sizes.page_number:g}pt; padding-left: {number_indent}; }} }}
@media print {{ body {{ max-width: none; margin: 0; padding: 0; }} }}
"""


def _face_rules(page: Page) -> str:
    """Each heading level in its face (a level in the body face inherits it), the date line in
    the 楷体 and the 附件 label in the 黑体, as their .docx styles."""
    selectors: dict[str, list[str]] = {}
    for level, tag in HEADING_TAGS.items():
        selectors.setdefault(page.faces.heading_levels[level - 1], []).append(tag)
    selectors.setdefault("heiti", []).append(".attachment-label")
    selectors.setdefault("kaiti", []).append(".dateline")
    return "\n".join(
        f"{', '.join(names)} {{ font-family: {font_stack(page, role)}; }}"
        for role, names in selectors.items()
        if role != _BODY_ROLE
    )


def render_html(document: Document) -> bytes:
    """The UTF-8 bytes of a self-contained web page showing `document`."""
    body = "\n".join(_blocks(document.blocks, document.page))
    author = f'<meta name="author" content="{escape(document.author)}">\n' if document.author else ""
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{author}<title>{escape(document.title)}</title>\n"
        f"<style>{style_sheet(document.page)}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _text(text: str) -> str:
    """Escaped text; a line break inside a block becomes <br>."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _blocks(blocks: Sequence[Block], page: Page) -> list[str]:
    out: list[str] = []
    # The blocks the .docx keeps with the signature open one unbreakable <div class="closing">
    # that the block after them (the signature) closes, so a printed page never starts with
    # the signature alone.
    kept = kept_with_signature(blocks, page)
    for index, block in enumerate(blocks):
        if index in kept and index - 1 not in kept:
            out.append('<div class="closing">')
        out.append(HTML.renderer(block)(block, page))
        if index - 1 in kept and index not in kept:
            out.append("</div>")
    return out


@HTML.register(Title)
def _title(title: Title, page: Page) -> str:
    return f"<h1>{_text(title.text)}</h1>"


@HTML.register(DateLine)
def _date_line(date_line: DateLine, page: Page) -> str:
    return f'<p class="dateline">{escape(date_line.text)}</p>'


@HTML.register(Addressee)
def _addressee(addressee: Addressee, page: Page) -> str:
    return f'<p class="addressee">{escape(addressee.text)}</p>'


@HTML.register(Heading)
def _heading(heading: Heading, page: Page) -> str:
    tag = HEADING_TAGS[heading.level]
    label = escape(heading.number + heading.title)
    if not heading.text:
        return f"<{tag}>{label}</{tag}>"
    first, *rest = heading.text.split("\n")
    run_in = f'<div class="run-in"><{tag}>{label}</{tag}><p>{escape(first)}</p></div>'
    return "\n".join([run_in, *(f"<p>{escape(line)}</p>" for line in rest)])


@HTML.register(Paragraph)
def _paragraph(paragraph: Paragraph, page: Page) -> str:
    return "\n".join(f"<p>{escape(line)}</p>" for line in paragraph.text.split("\n"))


@HTML.register(Table)
def _table(table: Table, page: Page) -> str:
    return table_html(table.grid, table.table_id)


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


@HTML.register(Signature)
def _signature(signature: Signature, page: Page) -> str:
    """Agency and date right-aligned with the .docx writer's indents (docs/layout.md "Signature")."""
    name_twips, date_twips = signature_indents(signature.agency, signature.date, page)
    lines = [
        f'<p class="signature" style="padding-right:{twips / page.char_twips:.2f}em">{escape(text)}</p>'
        for text, twips in ((signature.agency, name_twips), (signature.date, date_twips))
        if text
    ]
    return f'<div class="signature-block">{"".join(lines)}</div>'


@HTML.register(AttachmentNote)
def _attachment_note(note: AttachmentNote, page: Page) -> str:
    titles = note.titles
    if not titles:
        return ""
    if len(titles) == 1:
        return f'<div class="attachment-note"><p>{ATTACHMENT_PREFIX}{escape(titles[0])}</p></div>'
    first = f"<p>{ATTACHMENT_PREFIX}1.{escape(titles[0])}</p>"
    # Later items line up under "1.", as in the .docx.
    more = "".join(
        f'<p class="more" style="padding-left:{attachment_hang_chars(page):g}em">{n}.{escape(t)}</p>' for n, t in enumerate(titles[1:], start=2)
    )
    return f'<div class="attachment-note">{first}{more}</div>'


@HTML.register(Attachment)
def _attachment(attachment: Attachment, page: Page) -> str:
    body = "\n".join(_blocks(attachment.body, page))
    return (
        f'<section class="attachment"><p class="attachment-label">{escape(attachment.label)}</p>'
        f'<h2 class="attachment-title">{_text(attachment.title)}</h2>\n{body}</section>'
    )
