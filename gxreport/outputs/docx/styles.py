"""The named styles a clerk sees in Word/WPS (GB/T 9704-2012 body rules, docs/layout.md "Text").

Every paragraph the writer emits names one of these styles, so a clerk can restyle the
whole report from the style pane; direct formatting is kept for exceptions (table font
size, signature indents). Style ids are ASCII; Word shows the Chinese ``w:name``. This
module declares them for a ``page.Page`` (its faces, sizes and indents); ``skeleton.py``
writes them into styles.xml.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxreport.declare.page import Page


NORMAL = "Normal"
BODY = "GWBody"
TITLE = "GWTitle"
HEADINGS = {1: "GWHeading1", 2: "GWHeading2", 3: "GWHeading3", 4: "GWHeading4"}
HEADING_CHARS = {1: "GWHeading1Char", 2: "GWHeading2Char", 3: "GWHeading3Char", 4: "GWHeading4Char"}
DATE_LINE = "GWDateLine"
ADDRESSEE = "GWAddressee"
SIGNATURE = "GWSignature"
TABLE = "GWTable"
PAGE_NUMBER = "GWPageNumber"
ATTACHMENT_LABEL = "GWAttachmentLabel"
_HEADING_NAMES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
# Headings set in the body face say "not bold" so Word's heading look never makes them bold.
_HEADING_BOLD_OFF = {3, 4}


@dataclass(frozen=True)
class ParagraphStyle:
    style_id: str
    name: str
    east_asia: str
    size_pt: float
    latin: str
    based_on: str = NORMAL
    align: str | None = None  # w:jc value (ECMA 17.18.44): both, center, left
    indent_chars: int = 0  # first-line indent; 0 = none (inherited from the base)
    exact_line: bool = True  # False: single spacing off the line grid
    outline_level: int | None = None
    keep_next: bool = False
    on_grid: bool = True  # body-size text holding the 28 × 22 grid; False: other sizes, off the character grid
    bold_off: bool = False
    next_style: str = BODY  # the style Word gives the paragraph after Enter


@dataclass(frozen=True)
class CharacterStyle:
    """Run-in headings: （一）加强组织领导。我局… keeps the heading face for the number + title."""

    style_id: str
    name: str
    east_asia: str
    bold_off: bool


def paragraph_styles(page: Page) -> tuple[ParagraphStyle, ...]:
    faces, sizes = page.faces, page.sizes
    body = dict(size_pt=sizes.body, latin=faces.latin)
    return (
        ParagraphStyle(BODY, "GW正文", faces.fangsong, **body, align="both", indent_chars=page.body_indent_chars),
        # A 22 pt face on a 15.8 pt character grid would take two cells per character.
        ParagraphStyle(TITLE, "GW标题", faces.title, sizes.title, faces.latin, align="center", on_grid=False),
        # Headings inherit the body's indent, exact spacing and justification.
        *(
            ParagraphStyle(
                HEADINGS[level], f"GW{name}", faces.heading(level), **body, based_on=BODY,
                outline_level=level - 1, keep_next=True, bold_off=level in _HEADING_BOLD_OFF,
            )
            for level, name in _HEADING_NAMES.items()
        ),
        ParagraphStyle(DATE_LINE, "GW日期行", faces.kaiti, **body, align="center"),
        ParagraphStyle(ADDRESSEE, "GW主送机关", faces.fangsong, **body, align="left"),
        ParagraphStyle(SIGNATURE, "GW署名", faces.fangsong, **body),
        ParagraphStyle(
            TABLE, "GW表格", faces.fangsong, sizes.table, faces.latin, align="center", exact_line=False,
            on_grid=False, next_style=TABLE,
        ),
        # Digits take the ascii slot, so the page number's face goes there too (docs/layout.md "Page numbers").
        ParagraphStyle(
            PAGE_NUMBER, "GW页码", faces.songti, sizes.page_number, faces.songti, exact_line=False, on_grid=False,
            next_style=PAGE_NUMBER,
        ),
        ParagraphStyle(ATTACHMENT_LABEL, "GW附件标识", faces.heiti, **body, align="left"),
    )


def character_styles(page: Page) -> tuple[CharacterStyle, ...]:
    return tuple(
        CharacterStyle(HEADING_CHARS[level], f"GW{name}字符", page.faces.heading(level), level in _HEADING_BOLD_OFF)
        for level, name in _HEADING_NAMES.items()
    )
