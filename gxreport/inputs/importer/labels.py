"""Tolerant label matching: spaces, half/full-width punctuation, a slip of a character.

Published tables retype the statutory labels by hand: spaces inside labels,
"(一)" for "（一）", a dropped word or an extra character. Labels are folded
to their letters and digits, then compared by edit distance with a budget
that grows with the label's length.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# A note printed after a label: 规章（县级无此项）, 行政许可(件).
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[）)]$")
# A variant is a little less sure than the statutory wording itself.
VARIANT_SCORE = 0.95


@lru_cache(maxsize=1)
def published_data() -> dict:
    """published.toml: what published reports print (label wordings, agency names, site text)."""
    return tomllib.loads((Path(__file__).with_name("published.toml")).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _variants() -> tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]:
    """Printed wordings per declared label (folded), and words written two ways."""
    data = published_data()
    words = tuple(data.get("words", {}).items())
    labels = {_fold(k, words): frozenset(_fold(v, words) for v in vs) for k, vs in data.get("labels", {}).items()}
    return labels, words


def _fold(text: str, words) -> str:
    text = unicodedata.normalize("NFKC", text)
    for written, meant in words:
        text = text.replace(written, meant)
    return _NOT_WORD.sub("", text).lower()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """NFKC (full-width → half-width), words written two ways made one, then only letters and digits remain."""
    return _fold(text, _variants()[1])


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
    """1.0 for the same folded label, less for each slip, 0.0 beyond the budget; a
    wording listed in published.toml, or the label with a note after it, scores VARIANT_SCORE."""
    a, b = fold(found), fold(declared)
    if not a or not b:
        return 1.0 if a == b else 0.0
    if a == b:
        return 1.0
    if a in _variants()[0].get(b, ()):
        return VARIANT_SCORE
    limit = budget(len(b))
    distance = edit_distance(a, b, limit)
    if distance <= limit:
        return 1.0 - distance / (len(b) + 1)
    bare = _TRAILING_NOTE.sub("", unicodedata.normalize("NFKC", found).strip())
    if bare != found and fold(bare) and not _TRAILING_NOTE.search(unicodedata.normalize("NFKC", declared).strip()):
        return VARIANT_SCORE * similarity(bare, declared)
    return 0.0


def matches(found: str, declared: str) -> bool:
    return similarity(found, declared) > 0.0
