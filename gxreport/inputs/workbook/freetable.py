"""Reading a free-form table sheet (a kind's ``free_table``): the clerk's own rows and columns.

Pre-2019 annual reports often carry an indicator table whose rows and
columns vary by province, so nothing is declared: the first non-empty row is
the header, every later non-empty row is printed as typed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import attrgetter
from typing import Callable

from ...text import clean, format_date, format_decimal

HINT = "说明：从第 3 行起填写表格，第一行为表头（如：指标、单位、数量），每行一项；留空的行和列不打印。正文中单独一行写【{name}】处即放置本表，否则放在正文之后。"
HINT_PREFIX = "说明："
MAX_ROWS = 200
MAX_COLS = 12  # wider does not fit the 156 mm type width



def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        value = int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    return clean(str(value)).strip()


def read_free_table(ws, shown: Callable = attrgetter("value")) -> list[list[str]]:
    """The table on ``ws`` as rows of text, empty rows and trailing empty columns dropped.

    ``shown`` gives what a cell shows: the workbook reader's takes a formula's saved result
    (a clerk's =SUM(…) prints its sum, not its text) and notes what cannot be printed.
    """
    if ws is None:
        return []
    rows: list[list[str]] = []
    for row in ws.iter_rows(max_row=MAX_ROWS + 5, max_col=MAX_COLS):
        texts = [_cell_text(shown(cell)) for cell in row]
        if not any(texts) or (texts[0].startswith(HINT_PREFIX) and not any(texts[1:])):
            continue
        rows.append(texts)
    if not rows:
        return []
    width = max(max((i + 1 for i, t in enumerate(r) if t), default=0) for r in rows)
    used = [c for c in range(width) if any(r[c] for r in rows)]
    return [[r[c] for c in used] for r in rows[:MAX_ROWS]]
