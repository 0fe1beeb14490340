"""The named styles a clerk sees in Word/WPS (GB/T 9704-2012 body rules, docs/layout.md "Text").

Every paragraph the writer emits names one of these styles, so a clerk can restyle the
whole report from the style pane; direct formatting is kept for exceptions (table font
size, signature indents). Style ids are ASCII; Word shows the Chinese ``w:name``. This
module declares them; ``skeleton.py`` writes them into styles.xml.
"""

from __future__ import annotations

from dataclasses import dataclass

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"



@dataclass(frozen=True)
class Font:
    """One face of word/fontTable.xml (ECMA-376 17.8.3): its Windows fallback and class."""

    name: str
    alt_name: str = ""  # the face Windows 10/11 ship under another name
    panose: str = ""  # PANOSE-1 class as Windows' own copy of the face declares it
    charset: str = "86"  # GB2312
    family: str = "modern"
    pitch: str = "fixed"


FONTS = (
    Font(FANGSONG, "仿宋", "02010609030101010101"),
    Font(KAITI, "楷体", "02010609030101010101"),
    Font(HEITI, "SimHei", "02010609060101010101"),
    Font(SONGTI, "SimSun", "02010600030101010101", family="auto", pitch="variable"),
    # Not on Windows by default; 宋体 is the nearest face every machine has.
    Font(XIAOBIAOSONG, "宋体", family="auto", pitch="variable"),
    Font(LATIN, "", "02020603050405020304", charset="00", family="roman", pitch="variable"),
)

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 10.5  # 五号; tables override per run with TableGrid.font_size_pt
LINE_PITCH = 579  # twips: exactly 28.95 pt, 22 lines per 225 mm type area
BODY_INDENT_CHARS = 2  # GB/T 9704 7.3.3: each paragraph indented 2 characters
BODY_CHAR_TWIPS = 320  # one 三号 character (16 pt) for the twips form of the indent
# 三号 text at 98 % width: 28 glyphs of 15.68 pt fit the 156 mm (442.2 pt) line; at 99 %
# (15.84 pt) only 27 do (skeleton.py sets it with oxml.set_char_scale).
GRID_CHAR_SCALE = 98

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


@dataclass(frozen=True)
class ParagraphStyle:
    style_id: str
    name: str
    east_asia: str
    size_pt: float = BODY_PT
    based_on: str = NORMAL
    align: str | None = None  # w:jc value (ECMA 17.18.44): both, center, left
    indent_chars: int = 0  # first-line indent; 0 = none (inherited from the base)
    exact_line: bool = True  # False: single spacing off the line grid
    outline_level: int | None = None
    keep_next: bool = False
    on_grid: bool = True  # 三号 text holding the 28 × 22 grid; False: other sizes, off the character grid
    bold_off: bool = False
    latin: str = LATIN
    next_style: str = BODY  # the style Word gives the paragraph after Enter


PARAGRAPH_STYLES = (
    ParagraphStyle(BODY, "GW正文", FANGSONG, align="both", indent_chars=BODY_INDENT_CHARS),
    # A 22 pt face on a 15.8 pt character grid would take two cells per character.
    ParagraphStyle(TITLE, "GW标题", XIAOBIAOSONG, TITLE_PT, align="center", on_grid=False),
    # Headings inherit the body's indent, exact spacing and justification.
    ParagraphStyle(HEADINGS[1], "GW一级标题", HEITI, based_on=BODY, outline_level=0, keep_next=True),
    ParagraphStyle(HEADINGS[2], "GW二级标题", KAITI, based_on=BODY, outline_level=1, keep_next=True),
    ParagraphStyle(HEADINGS[3], "GW三级标题", FANGSONG, based_on=BODY, outline_level=2, keep_next=True, bold_off=True),
    ParagraphStyle(HEADINGS[4], "GW四级标题", FANGSONG, based_on=BODY, outline_level=3, keep_next=True, bold_off=True),
    ParagraphStyle(DATE_LINE, "GW日期行", KAITI, align="center"),
    ParagraphStyle(ADDRESSEE, "GW主送机关", FANGSONG, align="left"),
    ParagraphStyle(SIGNATURE, "GW署名", FANGSONG),
    ParagraphStyle(TABLE, "GW表格", FANGSONG, TABLE_PT, align="center", exact_line=False, on_grid=False, next_style=TABLE),
    # Digits take the ascii slot, so 宋体 goes there too (docs/layout.md "Page numbers").
    ParagraphStyle(PAGE_NUMBER, "GW页码", SONGTI, PAGE_NUMBER_PT, exact_line=False, on_grid=False, latin=SONGTI, next_style=PAGE_NUMBER),
    ParagraphStyle(ATTACHMENT_LABEL, "GW附件标识", HEITI, align="left"),
)

# Run-in headings: （一）加强组织领导。我局… keeps the heading face for the number + title.
CHARACTER_STYLES = (
    (HEADING_CHARS[1], "GW一级标题字符", HEITI, False),
    (HEADING_CHARS[2], "GW二级标题字符", KAITI, False),
    (HEADING_CHARS[3], "GW三级标题字符", FANGSONG, True),
    (HEADING_CHARS[4], "GW四级标题字符", FANGSONG, True),
)
