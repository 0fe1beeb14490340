"""The page, declared once: GB/T 9704-2012 geometry, faces, sizes and indents (docs/layout.md).

The .docx skeleton (page setup, styles, footers), the body writer, the web page's CSS and
the narrative's measurements (title lines, signature indents, table widths) all read their
numbers from a ``Page``, so a change to the page is one change. ``PAGE`` is the standard's;
a laid-out ``Document`` carries the page it was laid out for to every writer
(docs/layout.md "Where each number comes from"). Millimetres and points are the standard's
units; twips (1/20 pt, Word's unit) are derived.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..text import is_wide, text_width

PT_PER_MM = 72 / 25.4
TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    return round(mm * PT_PER_MM * TWIPS_PER_PT)


def mm_in_twips(mm: float) -> float:
    """`mm` in twips, unrounded (1440 twips an inch), for widths scaled before rounding."""
    return mm * 1440 / 25.4


@dataclass(frozen=True)
class Faces:
    """The face names Word/WPS on office PCs have (docs/layout.md "Text")."""

    fangsong: str = "仿宋_GB2312"  # body, level-3/4 headings, signature, tables
    kaiti: str = "楷体_GB2312"  # level-2 headings, a summary's date line
    heiti: str = "黑体"  # level-1 headings, 附件 label
    title: str = "方正小标宋简体"  # the title
    songti: str = "宋体"  # page numbers
    latin: str = "Times New Roman"  # digits and Latin letters (ascii/hAnsi slots)
    # The face of each heading level 1–4 (一、 （一） 1. （1）), by the name of its field above.
    heading_levels: tuple[str, ...] = ("heiti", "kaiti", "fangsong", "fangsong")

    def heading(self, level: int) -> str:
        """The face of a level-`level` heading: 黑体, 楷体_GB2312, then the body face."""
        return getattr(self, self.heading_levels[level - 1])


@dataclass(frozen=True)
class Sizes:
    """Point sizes of the 字号 the documents use (docs/layout.md "Text")."""

    title: float = 22  # 二号
    body: float = 16  # 三号
    page_number: float = 14  # 四号
    table: float = 10.5  # 五号


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
