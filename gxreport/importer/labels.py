"""Tolerant label matching: spaces, half/full-width punctuation, a slip of a character.

Published tables retype the statutory labels by hand: spaces inside labels,
"(一)" for "（一）", a dropped word or an extra character. Labels are folded
to their letters and digits, then compared by edit distance with a budget
that grows with the label's length.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """NFKC (full-width → half-width), then only letters and digits remain."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def budget(length: int) -> int:
    """Characters that may be dropped, added or changed: none in labels of up to
    4 characters (其他/3.其他, 总计/（七）总计 are different cells), then one per 8."""
    return 0 if length <= 4 else max(1, length // 8)


@lru_cache(maxsize=65536)
def similarity(found: str, declared: str) -> float:
    """1.0 for the same folded label, less for each slip, 0.0 beyond the budget."""
    a, b = fold(found), fold(declared)
    if not a or not b:
        return 1.0 if a == b else 0.0
    if a == b:
        return 1.0
    limit = budget(len(b))
    distance = edit_distance(a, b, limit)
    if distance > limit:
        return 0.0
    return 1.0 - distance / (len(b) + 1)


def matches(found: str, declared: str) -> bool:
    return similarity(found, declared) > 0.0
