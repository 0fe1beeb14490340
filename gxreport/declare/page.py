"""The page, declared once: GB/T 9704-2012 geometry, faces, sizes and indents (docs/layout.md).

The .docx skeleton (page setup, styles, font table, footers), the body writer, the web page's CSS and
the narrative's measurements (title lines, signature indents, table widths) all read their
numbers from a ``Page``, so a change to the page is one change. ``PAGE`` is the standard's;
a laid-out ``Document`` carries the page it was laid out for to every writer
(docs/layout.md "Where each number comes from"). Millimetres and points are the standard's
units; twips (1/20 pt, Word's unit) are derived. Each part of a page checks itself when it is
built: a value no writer could lay out is a template error naming the field (docs/layout.md "Validation").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import NamedTuple

from ..errors import TemplateError
from ..text import is_wide, text_width

PT_PER_MM = 72 / 25.4
TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    return round(mm * PT_PER_MM * TWIPS_PER_PT)


def mm_in_twips(mm: float) -> float:
    """`mm` in twips, unrounded (1440 twips an inch), for widths scaled before rounding."""
    return mm * 1440 / 25.4


# A face name goes into fontTable.xml's and styles.xml's attributes and the CSS's quoted strings as it
# is, so none of these; checked with sets, not regular expressions (compiled at every build's start).
_NOT_IN_FACE_NAMES = frozenset("\"'<>&\\;{}\x7f" + "".join(map(chr, range(32))))
_UPPER_HEX = frozenset("0123456789ABCDEF")


def _is_face_name(name: object) -> bool:
    return isinstance(name, str) and 0 < len(name) <= 64 and _NOT_IN_FACE_NAMES.isdisjoint(name)


def _is_upper_hex(text: object, digits: int) -> bool:
    return isinstance(text, str) and len(text) == digits and _UPPER_HEX.issuperset(text)


FONT_FAMILIES = ("roman", "swiss", "modern", "script", "decorative", "auto")  # ECMA-376 ST_FontFamily
FONT_PITCHES = ("fixed", "variable", "default")  # ECMA-376 ST_Pitch


def _refuse(what: str, value: object, wanted: str) -> None:
    raise TemplateError(f"页面声明：{what} 应{wanted}（现为 {value!r}）")


class WindowsFace(NamedTuple):
    """What Windows knows of a face (docs/layout.md "What Windows knows of a face"), for
    word/fontTable.xml (ECMA-376 17.8.3) and the web page: the name its own copy has
    (w:altName), its PANOSE-1 class, character set, family and pitch. Checked by the ``Faces``
    that declares it. (A named tuple: a frozen dataclass costs ~0.5 ms more at every build's start.)"""

    alt_name: str = ""  # the face Windows 10/11 ship under another name (仿宋 for 仿宋_GB2312)
    # False: ``alt_name`` is not this face but the nearest every machine has (宋体 for 方正小标宋简体);
    # the web page then leaves it out, as it would hide the macOS and Linux faces that look more alike.
    alt_is_same_face: bool = True
    panose: str = ""  # PANOSE-1 class as Windows' own copy of the face declares it, 20 hex digits
    charset: str = "86"  # GB2312
    family: str = "modern"
    pitch: str = "fixed"

    def check(self, face: str) -> None:
        what = f"Faces.windows[{face!r}]"
        if self.alt_name and not _is_face_name(self.alt_name):
            _refuse(f"{what}.alt_name", self.alt_name, "为字体名称（不含引号、尖括号、& ; { } \\ 和控制字符）")
        if self.panose != "" and not _is_upper_hex(self.panose, 20):
            _refuse(f"{what}.panose", self.panose, "为 20 位大写十六进制数字或空")
        if not _is_upper_hex(self.charset, 2):
            _refuse(f"{what}.charset", self.charset, "为 2 位大写十六进制数字（如 86、00）")
        if self.family not in FONT_FAMILIES:
            _refuse(f"{what}.family", self.family, "为 " + "、".join(FONT_FAMILIES) + " 之一")
        if self.pitch not in FONT_PITCHES:
            _refuse(f"{what}.pitch", self.pitch, "为 " + "、".join(FONT_PITCHES) + " 之一")


# What Windows knows of the faces GB/T 9704 documents name, by face name: a page that sets a role in
# another face gets that face's entry here, or none (its font table then names the face alone).
WINDOWS_FACES = (
    ("仿宋_GB2312", WindowsFace("仿宋", panose="02010609030101010101")),
    ("楷体_GB2312", WindowsFace("楷体", panose="02010609030101010101")),
    ("黑体", WindowsFace("SimHei", panose="02010609060101010101")),
    ("宋体", WindowsFace("SimSun", panose="02010600030101010101", family="auto", pitch="variable")),
    # Not on Windows by default; 宋体 is the nearest face every machine has.
    ("方正小标宋简体", WindowsFace("宋体", alt_is_same_face=False, family="auto", pitch="variable")),
    ("Times New Roman", WindowsFace(panose="02020603050405020304", charset="00", family="roman", pitch="variable")),
)


@dataclass(frozen=True)
class Faces:
    """The face names Word/WPS on office PCs have (docs/layout.md "Text"), and what Windows knows of them."""

    fangsong: str = "仿宋_GB2312"  # body, level-3/4 headings, signature, tables
    kaiti: str = "楷体_GB2312"  # level-2 headings, a summary's date line
    heiti: str = "黑体"  # level-1 headings, 附件 label
    title: str = "方正小标宋简体"  # the title
    songti: str = "宋体"  # page numbers
    latin: str = "Times New Roman"  # digits and Latin letters (ascii/hAnsi slots)
    # The face of each heading level 1–4 (一、 （一） 1. （1）), by the name of its role above.
    heading_levels: tuple[str, ...] = ("heiti", "kaiti", "fangsong", "fangsong")
    # Face name → what Windows knows of it, as pairs (a page is hashable: its CSS is cached by page).
    windows: tuple[tuple[str, WindowsFace], ...] = WINDOWS_FACES

    # The roles above, in the order word/fontTable.xml lists their faces.
    ROLES = ("fangsong", "kaiti", "heiti", "songti", "title", "latin")

    def __post_init__(self) -> None:
        for role in self.ROLES:
            name = getattr(self, role)
            if not _is_face_name(name):
                _refuse(f"Faces.{role}", name, "为字体名称（1–64 个字符，不含引号、尖括号、& ; { } \\ 和控制字符）")
        levels = self.heading_levels
        if not isinstance(levels, tuple) or len(levels) != 4 or any(role not in self.ROLES for role in levels):
            _refuse("Faces.heading_levels", levels, f"为四级标题各自的字体角色（{'、'.join(self.ROLES)}）")
        for pair in self.windows:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], WindowsFace)
                    and _is_face_name(pair[0])):
                _refuse("Faces.windows", pair, "为（字体名称, WindowsFace）")
            pair[1].check(pair[0])

    def heading(self, level: int) -> str:
        """The face of a level-`level` heading: 黑体, 楷体_GB2312, then the body face."""
        return getattr(self, self.heading_levels[level - 1])

    def windows_face(self, role: str) -> WindowsFace | None:
        """What Windows knows of the face `role` is set in, or None for a face it has no entry for."""
        return dict(self.windows).get(getattr(self, role))

    def font_table(self) -> tuple[tuple[str, WindowsFace | None], ...]:
        """Each face the page names once, in the roles' order, with what Windows knows of it."""
        named = dict.fromkeys(getattr(self, role) for role in self.ROLES)
        known = dict(self.windows)
        return tuple((name, known.get(name)) for name in named)


def _check_numbers(owner: object, names: tuple[str, ...], zero_allowed: bool = False) -> None:
    """Each of `owner`'s numbers `names` is finite and positive (or 0 where `zero_allowed`)."""
    for name in names:
        value = getattr(owner, name)
        number = not isinstance(value, bool) and isinstance(value, (int, float))
        if not (number and (0 <= value if zero_allowed else 0 < value) and value < math.inf):
            _refuse(f"{type(owner).__name__}.{name}", value, "为不小于 0 的数" if zero_allowed else "为正数")


@dataclass(frozen=True)
class Sizes:
    """Point sizes of the 字号 the documents use (docs/layout.md "Text")."""

    title: float = 22  # 二号
    body: float = 16  # 三号
    page_number: float = 14  # 四号
    table: float = 10.5  # 五号

    def __post_init__(self) -> None:
        _check_numbers(self, tuple(f.name for f in fields(self)))


class Phone(NamedTuple):
    """The web page on a screen at most ``width_px`` wide (docs/layout.md "The web page on a phone"):
    the paper's sizes would leave few characters a line, so the text is set smaller. Checked by the
    ``Page`` that declares it (a named tuple, as ``WindowsFace``)."""

    width_px: int = 600
    body: float = 13  # pt, the body and every heading level
    title: float = 18
    attachment_title: float = 16


@dataclass(frozen=True)
class Page:
    """A4, the 156 × 225 mm type area at 28/37 mm, 22 lines × 28 characters of 三号."""

    width_mm: float = 210
    height_mm: float = 297
    top_mm: float = 37  # 天头
    bottom_mm: float = 35
    left_mm: float = 28  # 订口
    right_mm: float = 26
    header_mm: float = 15  # the headers stay empty
    lines: int = 22
    chars: int = 28
    body_indent_chars: int = 2  # GB/T 9704 7.3.3: every paragraph indented 2 characters
    page_number_below_mm: float = 7  # GB/T 9704 7.5: the dashes of "— 1 —" 7 mm below the type area
    # Where the dash sits above the bottom of the footer's single-spaced 四号 line (measured:
    # the dashes' pixel row in pdftoppm's image of LibreOffice's PDF, tests/test_rendered_pages.py).
    page_number_dash_above_footer_mm: float = 2.8
    page_number_indent_chars: float = 1  # one character in from the type area's edge
    # The gap Word and LibreOffice put between Chinese and digits or Latin letters (autospace),
    # in characters of the text's own size: a fifth to a quarter of a character in LibreOffice's
    # PDFs (tests/test_layout_harness.py); the larger, so a line we measure as fitting fits.
    cjk_latin_gap_chars: float = 0.25
    # 1 mm left and right in a table cell: the narrow columns of the 15-column table 四 need it.
    table_cell_margin_mm: float = 1
    # A single-spaced table line is about 1.45 times the text size in the CJK faces (measured
    # in LibreOffice's PDFs), a little more than the 1.3 of Latin faces.
    table_line_em: float = 1.45
    faces: Faces = Faces()
    sizes: Sizes = Sizes()
    phone: Phone = Phone()

    def __post_init__(self) -> None:
        _check_numbers(self, ("width_mm", "height_mm", "top_mm", "bottom_mm", "left_mm", "right_mm", "table_line_em"))
        _check_numbers(self, ("header_mm", "page_number_below_mm", "page_number_dash_above_footer_mm",
                              "page_number_indent_chars", "cjk_latin_gap_chars", "table_cell_margin_mm",
                              "body_indent_chars"), zero_allowed=True)
        for name in ("lines", "chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                _refuse(f"Page.{name}", value, "为正整数")
        if self.type_width_mm <= 0 or self.type_height_mm <= 0:
            _refuse("上下、左右页边距", (self.top_mm, self.bottom_mm, self.left_mm, self.right_mm), "合计小于纸张的高和宽")
        if self.body_indent_chars >= self.chars:
            _refuse("Page.body_indent_chars", self.body_indent_chars, f"小于每行字数 {self.chars}")
        if self.footer_distance_mm <= 0:
            _refuse("页码与版心的距离", (self.bottom_mm, self.page_number_below_mm), "在下页边距之内")
        for name, kind in (("faces", Faces), ("sizes", Sizes), ("phone", Phone)):
            if not isinstance(getattr(self, name), kind):
                _refuse(f"Page.{name}", getattr(self, name), f"为 {kind.__name__}")
        _check_numbers(self.phone, Phone._fields)
        if not isinstance(self.phone.width_px, int):
            _refuse("Phone.width_px", self.phone.width_px, "为整数（像素）")

    # --- derived ---------------------------------------------------------------------------

    @property
    def type_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm

    @property
    def type_height_mm(self) -> float:
        return self.height_mm - self.top_mm - self.bottom_mm

    @property
    def type_width_pt(self) -> float:
        return self.type_width_mm * PT_PER_MM

    @property
    def type_height_pt(self) -> float:
        return self.type_height_mm * PT_PER_MM

    # Word stores whole twips. The type area is rounded once and the left and bottom margins take
    # what is left of the paper, so 28 characters and 22 lines fit exactly as computed from it
    # (156 mm = 8844 twips, 28 mm then 1588: the value Word itself writes for 2.8 cm).

    @property
    def paper_twips(self) -> tuple[int, int]:
        """w:pgSz: A4 is 11906 × 16838."""
        return mm_to_twips(self.width_mm), mm_to_twips(self.height_mm)

    @property
    def type_width_twips(self) -> int:
        return mm_to_twips(self.type_width_mm)

    @property
    def type_height_twips(self) -> int:
        return mm_to_twips(self.type_height_mm)

    @property
    def margins_twips(self) -> dict[str, int]:
        """w:pgMar's top, bottom, left, right, header and footer distances."""
        width, height = self.paper_twips
        right, top = mm_to_twips(self.right_mm), mm_to_twips(self.top_mm)
        return {
            "top": top,
            "bottom": height - top - self.type_height_twips,
            "left": width - right - self.type_width_twips,
            "right": right,
            "header": mm_to_twips(self.header_mm),
            "footer": mm_to_twips(self.footer_distance_mm),
        }

    @property
    def line_pitch_twips(self) -> int:
        """The line pitch: the most whole twips that fit `lines` lines in the type height
        (579, exactly 28.95 pt: 22 lines of 579 fit the 12756-twip height, 22 of 580 do not)."""
        return self.type_height_twips // self.lines

    @property
    def footer_distance_mm(self) -> float:
        """Paper edge to the footer's bottom, so the dashes sit ``page_number_below_mm`` under
        the type area (w:pgMar/@w:footer)."""
        return self.bottom_mm - self.page_number_below_mm - self.page_number_dash_above_footer_mm

    @property
    def line_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    @property
    def char_twips(self) -> int:
        """One grid character (type width / 28), the unit of indents: 316 twips."""
        return round(self.type_width_twips / self.chars)

    @property
    def char_pitch_pt(self) -> float:
        """The width one grid character takes: 15.79 pt."""
        return self.type_width_twips / TWIPS_PER_PT / self.chars

    @property
    def doc_grid_char_space(self) -> int:
        """ECMA docGrid charSpace = (pitch − body size) × 4096, floored so 28 pitches fit."""
        return math.floor((self.char_pitch_pt - self.sizes.body) * 4096)

    @property
    def body_char_scale(self) -> int:
        """The width (w:w, whole percent) that sets body text at `chars` a line: 三号 at 98 %
        makes 28 glyphs of 15.68 pt, which fit the 442.2 pt line; at 99 % only 27 do."""
        return math.floor(self.char_pitch_pt / self.sizes.body * 100)

    @property
    def body_char_twips(self) -> int:
        """One character of body text (320 twips for 三号), the twips form of a body indent."""
        return round(self.sizes.body * TWIPS_PER_PT)

    @property
    def page_number_indent_twips(self) -> int:
        """GB/T 9704 7.5 puts the number "one character" in from the type area's edge; one
        character of the number's own 四号 size: 280 twips."""
        return round(self.page_number_indent_chars * self.sizes.page_number * TWIPS_PER_PT)

    @property
    def table_cell_margin_twips(self) -> int:
        return mm_to_twips(self.table_cell_margin_mm)

    def chars_per_line(self, size_pt: float) -> float:
        """How many full-width characters of `size_pt` the type width holds (二号: 20.1)."""
        return self.type_width_pt / size_pt


PAGE = Page()


def printed_width(text: str, gap_chars: float = PAGE.cjk_latin_gap_chars) -> float:
    """Width of `text` in characters of its own size, as Word and LibreOffice print it:
    ``text.text_width`` plus the gap they put where Chinese meets digits or Latin letters."""
    wide = [is_wide(ch) for ch in text]
    return text_width(text) + gap_chars * sum(a != b for a, b in zip(wide, wide[1:]))
