"""The text of a published report: title, sections, signature, template sentences.

Sentences the kind's template writes itself (the default preamble, the
信息处理费 statement) are recognised by rendering the template with marker
values and matching its paragraphs back, so that importing gxreport's own
output gives back the fields that produced them rather than copies of the
generated text (a round trip stays stable), with no sentence written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...errors import GxError
from ...declare.kinds import Kind
from ...declare.model import Block, Report
from ...compose.numbering import chinese_number, strip_typed_number, typed_level
from ...text import parse_date
from .labels import fold, published_data, similarity
from .source import Para

_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>(?:19|20)\d\d)\s*年度?(?P<name>\S*?报告)$")
# 2019年上海市某某局政府信息公开工作年度报告: the year first, the agency before the report's name.
# (2020年度政府信息公开工作报告 alone is not one: 度 is the year's, not an agency)
_TITLE_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d\d)\s*年度?(?P<agency>(?!度).+?)(?P<name>政府信息公开\S*?报告)$")
_SECTION = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,2})\s*[、，.．]\s*(?P<title>.*)$")
_SUBSECTION = re.compile(r"^[（(](?P<num>[一二三四五六七八九十]{1,2})[）)]\s*(?P<title>.*)$")
_DATE = re.compile(r"^(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_RUN_IN = re.compile(r"^(?P<title>[^。：:]{1,40}?[。：:])(?P<text>.+)$")
MAX_HEADING_CHARS = 40


@dataclass
class Title:
    agency: str
    year: int | None  # None: the title names no year (某某街道办事处政府信息公开工作年度报告)
    paras: int  # paragraphs up to the title's end
    name: str = ""  # the report's name after the year (政府信息公开工作年度报告)


def find_title(paras: list[Para], kind_names: list[str], page_title: str = "", nearest_last: bool = False, yearless: bool = False) -> Title | None:
    """``<机关><YYYY>年<报告名>`` (or ``<YYYY>年<机关><报告名>``) in the first paragraphs; a
    title may break over two or three lines, so one paragraph is tried first, then pairs,
    then triples. The report's name may leave out 工作 (政府信息公开年度报告). ``nearest_last``
    searches the last paragraphs from the end (those just above a page's content, where its
    heading stands below lists of links to other reports). ``yearless`` accepts a title that
    names no year (``<机关><报告名>``), for when no title with a year was found."""
    texts = [p.text.replace(" ", "") for p in (paras[-12:] if nearest_last else paras[:12])]
    for size in (1, 2, 3):
        starts = range(len(texts) - size + 1)
        for start in reversed(starts) if nearest_last else starts:
            m = _title_match("".join(texts[start : start + size]), yearless)
            if m and _names_kind(m[2], kind_names):
                if not m[0]:  # 2022年…报告 alone: its agency may stand on the line or two above it,
                    m = _agency_above(texts, start, size, kind_names, yearless) or m
                if not m[0] and (named := _page_title_match(page_title, kind_names, yearless)) and named[1] == m[1]:
                    m = (named[0], m[1], m[2])  # or in the page's title (吴起县商务局2022年…-吴起县人民政府)
                return Title(m[0], m[1], start + size, m[2])
    m = _page_title_match(page_title, kind_names, yearless)
    return Title(m[0], m[1], 0, m[2]) if m else None


def _page_title_match(page_title: str, kind_names: list[str], yearless: bool):
    """The (agency, year, name) of a report title that names its agency among the page title's
    pieces (a site appends its own name: 某局2021年…年度报告-某县人民政府), or None."""
    for piece in re.split(r"[-_|—–]+", page_title):
        m = _title_match(piece.strip().replace(" ", ""), yearless)
        if m and m[0] and (m[1] is not None or _names_kind(m[2], kind_names)):
            return m
    return None


def _agency_above(texts: list[str], start: int, size: int, kind_names: list[str], yearless: bool):
    """The title that names an agency, broken after it: the match of ``texts[start:start+size]``
    with the one or two lines above joined on, or None (关于2022年度…的报告 names no agency). A line
    above that holds a year is another report's title or the text, never this title's agency."""
    for back in (1, 2):
        if start - back < 0 or _FIRST_YEAR.search(texts[start - back]):
            return None
        m = _title_match("".join(texts[start - back : start + size]), yearless)
        if m and m[0] and _names_kind(m[2], kind_names):
            return m
    return None


# 某某街道办事处政府信息公开工作年度报告: a title that names no year (the agency must not hold one either)
_TITLE_NO_YEAR = re.compile(r"^(?P<agency>(?:(?!(?:19|20)\d\d\s*年).)+?)(?P<name>政府信息公开\S*?报告)$")
# The year a report's text gives when its title has none: its statistics period, else the
# first year its 总体情况 names (2020年，本局… / 2020年度我街办…).
_PERIOD_YEAR = re.compile(r"((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日")
_FIRST_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def year_in_text(front: list[Para], first_section: list[Para]) -> tuple[int, Para] | None:
    """The report year its text states (for a title without one), with the paragraph that says it."""
    for pattern, paras in ((_PERIOD_YEAR, front + first_section), (_FIRST_YEAR, first_section)):
        for para in paras:
            if m := pattern.search(para.text):
                return int(m.group(1)), para
    return None


def _title_match(text: str, yearless: bool = False) -> tuple[str, int | None, str] | None:
    """(agency, year, report name) of a title; a word joining the agency to the year
    (某局关于2021年度…的报告, listed in published.toml) is not part of the agency."""
    if yearless:
        m = _TITLE_NO_YEAR.match(text)
        return (m.group("agency"), None, m.group("name")) if m and _is_agency(m.group("agency")) else None
    joiners = tuple(published_data().get("title", {}).get("joiners", []))
    agencyless = None  # 关于2022年度…的报告: taken when no pattern finds the agency
    for pattern in (_TITLE, _TITLE_YEAR_FIRST):
        m = pattern.match(text)
        if m is None:
            continue
        agency = m.group("agency")
        for joiner in joiners:
            agency = agency.removesuffix(joiner)
        if _is_agency(agency):
            return agency, int(m.group("year")), m.group("name")
        if not agency:
            agencyless = agencyless or ("", int(m.group("year")), m.group("name"))
    return agencyless


def _names_kind(name: str, kind_names: list[str]) -> bool:
    """The report's name is a kind's name, give or take 工作, or a wording published.toml
    lists for it (政府信息公开情况的报告, 政府信息公开工作报告)."""
    short = name.replace("工作", "")
    if any(n in name or name in n or n.replace("工作", "") in short or short in n.replace("工作", "") for n in kind_names):
        return True
    wordings = published_data().get("title", {}).get("names", {})
    return any(name in wordings.get(n, ()) for n in kind_names)


def _is_agency(name: str) -> bool:
    """An agency's name, not a breadcrumb or a sentence that happens to precede the title."""
    return 0 < len(name) <= MAX_HEADING_CHARS and not re.search(r"[：:>＞|，。；、]", name)


@dataclass
class Section:
    number: int
    heading: Para
    paras: list[Para] = field(default_factory=list)


def split_sections(paras: list[Para], titles: tuple[str, ...] = ()) -> tuple[list[Para], list[Section]]:
    """Level-1 headings in order: 一、…六、, or, where Word numbered them itself (the
    numeral is not in the text), a short paragraph holding one of the template's
    next headings (a heading in the regulation's wording may be missed: the
    section before it then runs on, and the next recognised one resumes)."""
    front: list[Para] = []
    sections: list[Section] = []
    for para in paras:
        heading, rest = _run_in_split(para)
        number = _section_number(heading.text, sections[-1].number + 1 if sections else 1, titles)
        if number:
            sections.append(Section(number, heading, [rest] if rest else []))
        elif sections:
            sections[-1].paras.append(para)
        else:
            front.append(para)
    return front, sections


def _run_in_split(para: Para) -> tuple[Para, Para | None]:
    """“一、总体情况。本年度……” in one paragraph: the heading, then its text."""
    m = _SECTION.match(para.text)
    run_in = _RUN_IN.match(m.group("title")) if m and len(para.text) > MAX_HEADING_CHARS else None
    if not run_in:
        return para, None
    cut = len(para.text) - len(run_in.group("text"))
    return Para(para.text[:cut], para.where), Para(run_in.group("text"), para.where)


def _section_number(text: str, expected: int, titles: tuple[str, ...]) -> int:
    if not text or len(text) > MAX_HEADING_CHARS:
        return 0
    m = _SECTION.match(text)
    if m:
        return expected if m.group("num") == chinese_number(expected) else 0
    if _SUBSECTION.match(text):
        return 0
    for number in range(expected, len(titles) + 1):
        title = titles[number - 1]
        if similarity(text, title) > 0 or fold(title) in fold(text):
            return number
    return 0


def split_signature(paras: list[Para]) -> tuple[list[Para], list[Para]]:
    """The 落款 near the end: a date line and the agency line just above it.

    Anything after the date (a web page's footer) is not the report's text.
    """
    for at in range(len(paras) - 1, max(-1, len(paras) - 8), -1):
        if _DATE.match(paras[at].text.replace(" ", "")):
            cut = at
            if cut and len(paras[cut - 1].text) <= MAX_HEADING_CHARS and not paras[cut - 1].text.endswith(("。", "；")):
                cut -= 1
            return paras[:cut], paras[cut : at + 1]
    return paras, []


def signature_agency(signature: list[Para]) -> Para | None:
    """The agency line of a 落款 (the line above its date), if it reads as an agency's name."""
    return next((p for p in signature if not _DATE.match(p.text.replace(" ", "")) and _is_agency(p.text.strip())), None)


def part_blocks(part: str, paras: list[Para]) -> list[Block]:
    """Numbered paragraphs open blocks of their level: （一） level 2, 1. level 3, （1） level 4;
    a heading ending in 。 or ： runs its text in. Plain paragraphs are the open block's text."""
    blocks: list[Block] = []
    title, lines, where, level = "", [], "", 0

    def flush():
        if title or lines:
            blocks.append(Block(part, level, title, "\n".join(lines), where))

    for para in paras:
        if not para.text:
            continue
        typed = typed_level(para.text)
        if typed in (2, 3, 4) and _is_heading(para.text):
            flush()
            rest = strip_typed_number(para.text)
            run_in = _RUN_IN.match(rest)
            if run_in:
                title, lines = run_in.group("title"), [run_in.group("text")]
            else:
                title, lines = rest, []
            where, level = para.where, typed
        else:
            if not title and not lines:
                where = para.where
            lines.append(para.text)
    flush()
    return blocks


def _is_heading(text: str) -> bool:
    """A numbered line that heads what follows: short, or its first sentence short (run in)."""
    rest = strip_typed_number(text)
    return len(rest) <= MAX_HEADING_CHARS or bool(_RUN_IN.match(rest))


# --- sentences the template writes --------------------------------------------

_MARK = "QXQ{}QXQ"


@dataclass(frozen=True)
class TemplateSentence:
    pattern: re.Pattern
    groups: dict[str, str]  # regex group -> field key
    implied: tuple[tuple[str, object], ...]  # fields this sentence shows to be 0


def _probe(kind: Kind, fields: dict) -> list[str] | None:
    from ...compose import document as d
    from ...compose.narrative import layout

    report = Report(kind=kind, source="probe", fields=dict(fields))
    try:
        blocks = layout(report).blocks
    except (GxError, TypeError, ValueError):
        return None
    return [b.text for b in blocks if isinstance(b, d.Paragraph)]


@lru_cache(maxsize=32)
def _sentences_cached(kind: Kind, known: tuple) -> tuple[TemplateSentence, ...]:
    base = dict(known)
    free = [f for f in kind.fields if f.key not in base and f.role != "preamble" and f.type in ("text", "int", "decimal")]
    text_fields = [f for f in free if f.type == "text"]
    number_fields = [f for f in free if f.type != "text"]
    marks = {f.key: _MARK.format(i) for i, f in enumerate(free)}
    out: list[TemplateSentence] = []
    seen: set[str] = set()
    for text_on in (True, False):
        texts = {f.key: marks[f.key] if text_on else None for f in text_fields}
        plain = _probe(kind, {**base, **texts, **{f.key: None for f in number_fields}}) or []
        for mode in ("mark", "zero", "none"):
            numbers = {f.key: {"mark": marks[f.key], "zero": 0, "none": None}[mode] for f in number_fields}
            for text in _probe(kind, {**base, **texts, **numbers}) or []:
                if text in seen:
                    continue
                seen.add(text)
                pattern, groups = re.escape(text), {}
                for key, mark in marks.items():
                    if mark in pattern:
                        group = f"f{len(groups)}"
                        is_number = kind.field(key).type != "text"
                        pattern = pattern.replace(mark, f"(?P<{group}>{'[0-9.,]+' if is_number else '.+?'})", 1)
                        groups[group] = key
                implied = tuple((f.key, 0) for f in number_fields) if mode == "zero" and text not in plain else ()
                out.append(TemplateSentence(re.compile(f"^{pattern}$"), groups, implied))
    return tuple(out)


def template_sentences(kind: Kind, known: dict) -> tuple[TemplateSentence, ...]:
    """The paragraphs the template writes for these known fields (agency, year…)."""
    identity = {kind.role_key(role) for role in ("agency", "year", "agency_type")}
    return _sentences_cached(kind, tuple(sorted((k, v) for k, v in known.items() if k in identity)))


@lru_cache(maxsize=32)
def section_titles(kind: Kind) -> tuple[str, ...]:
    """The template's level-1 headings (总体情况, 主动公开政府信息情况…), in order."""
    from ...compose import document as d
    from ...compose.narrative import layout

    try:
        blocks = layout(Report(kind=kind, source="probe", fields={})).blocks
    except (GxError, TypeError, ValueError):
        return ()
    return tuple(b.title for b in blocks if isinstance(b, d.Heading) and b.level == 1)


def date_of(paras: list[Para]):
    for para in paras:
        text = para.text.replace(" ", "")
        if _DATE.match(text):
            try:
                return parse_date(text), para.where
            except ValueError:  # 2022年2月30日: not a date, so not the signature's
                continue
    return None, ""
