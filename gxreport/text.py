"""Text at the input boundary: cleaning, label matching, numbers and dates.

Everything a clerk types passes through here before it reaches a template
or a writer, so the rest of the package can trust its strings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates and
# U+FFFE/U+FFFF; lxml raises on them (docs/pitfalls.md B8), so they go here.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# U+2212 (−) is the minus sign of typeset text: a signed 本年增/减 pasted from a report.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－＋，\u2212", "0123456789.-+,-")
_LABEL_FOLD = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", '"': "“"})
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Drop XML-illegal code points; turn vertical tab and CRLF into newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _XML_ILLEGAL.sub("", text)


def label_key(text: object) -> str:
    """A label folded for matching: no spaces, full-width brackets and colons."""
    if text is None:
        return ""
    folded = _SPACES.sub("", str(text)).translate(_LABEL_FOLD)
    return folded.replace("”", "“")


# Half-width punctuation next to a CJK character becomes full width.
_CJK = r"[\u3400-\u9fff\U00020000-\U0002ffff\u3000-\u303f\uff00-\uffef]"
_PUNCT_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


def full_width_punctuation(text: str) -> str:
    """Normalise , : ; ( ) ? ! touching Chinese text to their full-width forms.

    A bracket pair is converted when either bracket touches Chinese text, so
    "(一)" and "我局(市政务中心)" both come out with full-width brackets.
    """
    text = re.sub(r"\(([^()\n]*)\)", lambda m: _bracket(m), text)
    return re.sub(
        rf"(?<={_CJK})[,:;?!]|[,:;?!](?={_CJK})",
        lambda m: _PUNCT_FULL[m.group()],
        text,
    )


def _bracket(match: re.Match) -> str:
    inner = match.group(1)
    start, end = match.start(), match.end()
    s = match.string
    touches = (
        re.match(_CJK, inner[:1] or " ")
        or re.match(_CJK, inner[-1:] or " ")
        or (start > 0 and re.match(_CJK, s[start - 1]))
        or (end < len(s) and re.match(_CJK, s[end]))
    )
    return f"（{inner}）" if touches else match.group()


class NumberError(ValueError):
    """A cell that should hold a number holds something else."""


_NUMBER_TEXT = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?$")
# Commas only as thousands separators: "1,234" and "12,345.5", never "1,5" or "1.234,5" (a decimal comma).
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$")
BLANK_MARKS = {"/", "／", "—", "-", "－", "——", "无"}
_TOO_LARGE = 10**15  # no report counts or pays this much: a typing slip


def parse_number(value: object, kind: str) -> tuple[int | Decimal | None, str]:
    """Read a typed number; return (value, note).

    ``kind`` is int (≥ 0), signed, decimal (≥ 0) or amount. ``None`` means
    left blank; the note is "blank" or "mark" (a "/" typed for zero) so the
    caller can warn (R13). Raises NumberError with a Chinese reason.
    """
    if value is None:
        return None, "blank"
    if type(value) is int and kind in ("int", "signed") and -_TOO_LARGE < value < _TOO_LARGE and (value >= 0 or kind == "signed"):
        return value, ""  # what a count cell holds; the same answer as the checks below, a table's cells at a time
    if isinstance(value, bool):
        raise NumberError("是逻辑值，不是数字")
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise NumberError("是日期，不是数字")
    if isinstance(value, str):
        text = _SPACES.sub("", value).translate(_FULLWIDTH_DIGITS)
        if "," in text:
            if not _GROUPED.match(text):
                raise NumberError(f"“{value.strip()[:20]}”中的逗号含义不明确：千位分隔须每三位一个（如 1,234），小数点请用“.”")
            text = text.replace(",", "")
        if text == "":
            return None, "blank"
        if text in BLANK_MARKS:
            return None, "mark"
        if text.startswith("#"):
            raise NumberError(f"是 Excel 错误值 {text}")
        if text.startswith("="):
            raise NumberError("是公式，请直接填写数字")
        if not _NUMBER_TEXT.match(text):  # Decimal alone would take "1_000", "NaN", "Infinity"
            raise NumberError(f"“{value.strip()[:20]}”不是数字")
        number = Decimal(text)
    elif isinstance(value, Decimal):  # JSON numbers are read as Decimal
        number = value
    elif isinstance(value, (int, float)):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise NumberError("不是有效数字") from None
    else:
        raise NumberError("不是数字")
    if not number.is_finite():
        raise NumberError("不是有效数字")
    if abs(number) >= _TOO_LARGE:
        raise NumberError("数值过大")
    if kind in ("int", "signed"):
        if number != number.to_integral_value():
            raise NumberError(f"{format_decimal(number)} 不是整数")
        if kind == "int" and number < 0:
            raise NumberError(f"{int(number)} 是负数，件数不能小于 0")
        return int(number), ""
    if number < 0:
        raise NumberError(f"{format_decimal(number)} 是负数，金额不能小于 0")
    return number.normalize() if number == number.to_integral_value() else number, ""


AMOUNT_UNITS = ("万元", "亿元", "元")  # longest first: "万元" ends with "元"


def parse_amount(value: object) -> tuple[Decimal | int | None, str, str]:
    """An amount typed with its unit, as 2019 reports print it: 251000元, 25.1 万元.

    Returns (value, unit, note) with ``note`` as in ``parse_number``; the unit
    is "" when none was typed. Raises NumberError.
    """
    unit = ""
    if isinstance(value, str):
        text = _SPACES.sub("", value)
        unit = next((u for u in AMOUNT_UNITS if text.endswith(u)), "")
        if unit:
            value = text[: -len(unit)]
            if not value:
                raise NumberError(f"只写了单位“{unit}”，没有金额")
    number, note = parse_number(value, "decimal")
    return number, unit, note


def format_decimal(value: Decimal | int | None) -> str:
    """Print a decimal as entered, without float noise or exponent."""
    if value is None:
        return "0"
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text


_DATE_TEXT = re.compile(r"^(\d{4})\s*[年\-./／]\s*(\d{1,2})\s*[月\-./／]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: object) -> dt.date:
    """A date cell, an Excel serial, or text like 2022年1月20日 / 2022-01-20 / 2022.1.20."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("日期序号超出范围")
    if isinstance(value, str):
        text = value.strip().translate(_FULLWIDTH_DIGITS)
        match = _DATE_TEXT.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:  # 2022-13-01: the date's own message is English
                raise ValueError(f"“{value.strip()[:20]}”不是日期（月或日超出范围）") from None
    raise ValueError(f"“{str(value)[:20]}”不是日期，请写成 2022年1月20日")


def format_date(day: dt.date) -> str:
    """公文 dates: 2022年1月20日, no zero padding (GB/T 9704 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


@lru_cache(maxsize=8192)  # asked per character of every measured text; a report uses a few hundred
def is_wide(ch: str) -> bool:
    """CJK, full-width and (in a Chinese face) ambiguous-width characters such as “” take a
    whole character's width; ASCII letters and digits half of it."""
    return unicodedata.east_asian_width(ch) in "WFA"


def text_width(text: str) -> float:
    """Printed width in body characters."""
    if text.isascii():  # figures and Latin text: no ASCII character is wide
        return len(text) * 0.5
    wide = sum(map(is_wide, text))
    return wide + (len(text) - wide) * 0.5
