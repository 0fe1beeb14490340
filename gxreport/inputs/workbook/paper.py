"""Row heights, column widths and print setup, so every sheet gxreport writes reads and prints.

Excel, WPS and LibreOffice grow a row to fit wrapped text only when the text
sits in one cell; a label in a merged range (every row label of 表三) keeps
the default height and its lines overprint the next row's. So rows that
hold labels get an explicit height, computed from the text's width (CJK
characters one em, Latin letters and digits half) against the width of the
cell or merged range it sits in. Widths are in Excel's column units (the
width of "0" in the default 11 pt font, 7 px), heights in points.
"""

from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ...text import text_width

DEFAULT_WIDTH = 8.43  # Excel's default column width
UNITS_PER_EM = 2.2  # an 11 pt CJK character is about 2.1 column units wide; a little room for bold
CELL_PADDING = 0.8  # column units lost to the cell's left and right margins
LINE_PT = 1.45  # line height per point of font size: CJK fallback faces have tall ascents
ROW_PADDING_PT = 4.0
DEFAULT_ROW_PT = 15.0
A4_PORTRAIT_PT = (595.0, 842.0)
MARGIN_PT = 36.0  # 0.5 inch on every side
MARGIN_INCH = 0.5
PT_PER_UNIT = 6.0  # LibreOffice prints a column unit about 6 pt wide (Excel: 7 px, 5.25 pt)


def lines_needed(text: str, width_units: float) -> int:
    """How many lines ``text`` wraps to in a cell ``width_units`` wide (at the default font size)."""
    per_line = max((width_units - CELL_PADDING) / UNITS_PER_EM, 1.0)
    return sum(max(1, math.ceil(text_width(part) / per_line)) for part in str(text).split("\n"))


def _width(ws, column: int) -> float:
    return ws.column_dimensions[get_column_letter(column)].width or DEFAULT_WIDTH


def _font_pt(cell) -> float:
    return float(cell.font.sz or 11) if cell.font is not None else 11.0


def fit_row_heights(ws, rows: range | None = None) -> None:
    """Give every row with text (in ``rows``, default all) a height that shows all its lines.

    A merged range spreads what it needs over its rows; a row keeps the tallest need.
    """
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    covered = {
        (row, col) for r in merged.values() for row in range(r.min_row, r.max_row + 1) for col in range(r.min_col, r.max_col + 1)
    }
    heights: dict[int, float] = {}
    spans = []
    for row in ws.iter_rows(min_row=rows.start if rows else None, max_row=rows.stop - 1 if rows else None):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value or cell.data_type == "f":
                continue  # a formula shows its short result, not its text
            rng = merged.get((cell.row, cell.column))
            if rng is None and (cell.row, cell.column) in covered:
                continue
            left, right = (rng.min_col, rng.max_col) if rng else (cell.column, cell.column)
            wrap = cell.alignment is not None and cell.alignment.wrap_text
            width = sum(_width(ws, c) for c in range(left, right + 1))
            size = _font_pt(cell)
            lines = lines_needed(cell.value, width * 11 / size) if wrap else cell.value.count("\n") + 1
            need = lines * size * LINE_PT + ROW_PADDING_PT
            if rng is not None and rng.max_row > rng.min_row:
                spans.append((rng.min_row, rng.max_row, need))
            else:
                heights[cell.row] = max(heights.get(cell.row, DEFAULT_ROW_PT), need)
    for top, bottom, need in sorted(spans, key=lambda s: s[1] - s[0]):
        rows_of = range(top, bottom + 1)
        have = sum(heights.get(r, DEFAULT_ROW_PT) for r in rows_of)
        if have < need:
            extra = (need - have) / len(rows_of)
            for r in rows_of:
                heights[r] = heights.get(r, DEFAULT_ROW_PT) + extra
    for row, height in heights.items():
        ws.row_dimensions[row].height = round(height, 1)


def setup_print(ws, title_rows: str | None = None, one_page: bool = False) -> None:
    """A4, fit to one page wide (and tall when ``one_page``), in the orientation needing fewer pages, then printing larger.

    ``title_rows`` (e.g. ``"1:3"``) repeat at the top of every printed page.
    """
    width = sum(_width(ws, c) for c in range(1, ws.max_column + 1)) * PT_PER_UNIT
    height = sum(ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, ws.max_row + 1))
    portrait, landscape = A4_PORTRAIT_PT, A4_PORTRAIT_PT[::-1]

    def cost(page) -> tuple[int, float]:
        """(pages, -scale) on ``page``: fewer pages first, then the larger print."""
        across = min(1.0, (page[0] - 2 * MARGIN_PT) / width)
        down = (page[1] - 2 * MARGIN_PT) / height
        if one_page:
            return 1, -min(across, down)
        return math.ceil(across / down), -across

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if cost(landscape) < cost(portrait) else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_margins.left = ws.page_margins.right = ws.page_margins.top = ws.page_margins.bottom = MARGIN_INCH
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
