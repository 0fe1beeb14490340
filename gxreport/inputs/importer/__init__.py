"""Import a published annual report (.docx or .html) back into report data.

``import_report`` reads a report written by anyone — gxreport's own output,
an office's hand-made Word file, a government web page — finds the
statutory tables by their declared labels, picks the format whose
declaration fits best, and takes the sections' text into the narrative.
Whatever it cannot read becomes a Finding that names the document place.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...errors import WARNING, Finding, InputError
from ...declare.kinds import Kind, Registry
from ...declare.model import Report
from ...compose.numbering import chinese_number
from ..workbook.guard import check_archive_size, check_file_size
from .narrative import date_of, find_title, part_blocks, section_titles, signature_agency, split_sections, split_signature, template_sentences, year_in_text
from .labels import published_data
from .source import Grid, Para, Source, join_split_tables, read_docx, read_html
from .tables import MIN_COVERAGE, TableMatch, match_table, read_values


def read_source(path: Path) -> Source:
    """The document's paragraphs and tables, whichever of .docx, .html or .pdf it is
    (here, above the readers: the PDF reader builds on the .docx/.html one)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("文件不存在", path)
    if suffix in (".docx", ".html", ".htm"):
        check_file_size(path)
        if suffix == ".docx" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                check_archive_size(archive.infolist(), path.name)
        source = read_docx(path) if suffix == ".docx" else read_html(path)
        source.items = join_split_tables(source.items)
        return source
    if suffix == ".pdf":
        from .pdf import read_pdf

        check_file_size(path)
        source = read_pdf(path)
        source.items = join_split_tables(source.items)
        return source
    if suffix in (".doc", ".wps"):
        raise InputError(f"不支持 {suffix} 格式，请另存为 Word 文档（.docx）或网页（.html）后导入", path.name)
    raise InputError("无法识别的报告文件（应为 .docx、.html 或 .pdf）", path.name)


@dataclass
class ImportResult:
    report: Report
    findings: list[Finding]


def import_report(path: Path, registry: Registry) -> ImportResult:
    """Read ``path`` into a Report of the best-fitting kind and format.

    Raises InputError (exit 2) when the file is not such a report or its
    statutory tables cannot be found.
    """
    source = read_source(path)
    paras = [i for i in source.items if isinstance(i, Para)]
    grids = [i for i in source.items if isinstance(i, Grid)]
    kinds = [k for k in registry.all() if k.tables]
    names = sorted({k.name for k in kinds})
    title, title_in_body = None, False
    for yearless in (False, True):  # a title naming no year (某某街道办事处政府信息公开工作年度报告) only failing one with it
        if title := find_title(paras, names, yearless=yearless):
            title_in_body = True
            break
        if title := find_title(source.before, names, source.page_title, nearest_last=True, yearless=yearless):
            break
    if title is not None:
        kinds = [k for k in kinds if k.name in title.name or title.name in k.name] or kinds
    kind, matches = _best_kind(kinds, grids, title.year if title else None)
    missing = [t for t in kind.tables if t.id not in matches] if kind else []
    if kind is None or missing:
        pictures = any(p.has_image for p in paras) or any(g.has_image for g in grids)
    if kind is None:
        what = "政府信息公开工作年度报告" if title else "年度报告（未找到“<机关><年度>年…年度报告”标题）"
        hint = "；统计表似乎是以图片形式插入的，无法读取其中的数字" if pictures else ""
        raise InputError(f"不是可导入的{what}：找不到任何统计表（共 {len(grids)} 个表格）{hint}", path.name)
    if missing:
        tables = "、".join(f"表{t.number}（{t.title}）" for t in missing)
        hint = "；文中有图片，表格可能是以图片形式插入的，无法读取" if pictures else ""
        raise InputError(f"找不到{tables}{hint}", path.name)
    report = Report(kind=kind, source=source.name)
    report.fields = {f.key: f.default_value if f.type in ("choice", "bool") else None for f in kind.fields}
    findings: list[Finding] = []
    for table in kind.tables:
        values, cells, units, found = read_values(matches[table.id], source.name)
        report.tables[table.id] = values
        report.cells[table.id] = cells
        if units:
            report.units[table.id] = units
        findings += found
    findings += _fields_and_text(report, source, paras, title, title_in_body)
    report.findings = findings
    return ImportResult(report, findings)


def _best_kind(kinds: list[Kind], grids: list[Grid], year: int | None) -> tuple[Kind | None, dict[str, TableMatch]]:
    """The kind whose tables are found best; the title's year breaks ties."""
    best: tuple[float, Kind | None, dict] = (0.0, None, {})
    for kind in kinds:
        matches: dict[str, TableMatch] = {}
        used: set[int] = set()
        for table in kind.tables:
            tried = [match_table(table, g) for g in grids if g.index not in used]
            tried = [m for m in tried if m.coverage >= MIN_COVERAGE]
            if tried:
                top = max(tried, key=lambda m: m.score)
                matches[table.id] = top
                used.add(top.grid.index)
        score = sum(m.score for m in matches.values()) + (0.5 if year is not None and kind.covers_year(year) else 0.0)
        if matches and score > best[0]:
            best = (score, kind, matches)
    return best[1], best[2]


def _fields_and_text(report: Report, source: Source, paras: list[Para], title, title_in_body: bool) -> list[Finding]:
    kind = report.kind
    findings: list[Finding] = []
    front, sections = split_sections(paras, section_titles(kind))
    if title is None:
        findings.append(Finding(WARNING, "导入", source.name, "找不到标题“<机关名称><年度>年政府信息公开工作年度报告”，未读取机关名称和年度"))
    else:
        in_body = title_in_body and title.paras and front[: title.paras] == paras[: title.paras]
        title_spot = paras[title.paras - 1].where if in_body else source.name
        if title.agency:
            report.set_role("agency", title.agency, title_spot)
            findings += _agency_type(report, title.agency, title_spot)
        report.set_role("year", title.year, title_spot)
        front = front[title.paras :] if in_body else front
        if title.year is None:
            findings += _year_from_text(report, front, sections[0].paras if sections else [], source.name)
    if sections:
        body, signature = split_signature(sections[-1].paras)
        sections[-1].paras = body
    else:
        front, signature = split_signature(front)
        findings.append(Finding(WARNING, "导入", source.name, "找不到“一、”“二、”…各部分标题，未读取正文"))
    if title is not None and not title.agency:
        findings += _agency_from_signature(report, signature, title_spot)
    date, where = date_of(signature)
    if kind.role_field("date") is not None:
        if date is not None:
            report.set_role("date", date, where)
        elif source.published is not None:
            day, said = source.published
            report.set_role("date", day, source.name)
            findings.append(
                Finding(WARNING, "导入", source.name, f"报告没有落款日期，成文日期取网页的发布日期 {day.year}年{day.month}月{day.day}日（“{said}”），请核对")
            )
        else:
            findings.append(Finding(WARNING, "导入", source.name, "找不到落款日期（如 2022年1月20日），成文日期未读取"))
    sentences = template_sentences(kind, {k: v for k, v in report.fields.items() if v is not None})
    front = _take_template_sentences(report, front, sentences)
    preamble = [p.text for p in front if p.text]
    if preamble and kind.role_field("preamble") is not None:
        report.set_role("preamble", "\n".join(preamble), front[0].where)
    parts = {p.id for p in kind.parts}
    for section in sections:
        part = chinese_number(section.number)
        kept = _take_template_sentences(report, section.paras, sentences)
        if part in parts:
            report.blocks += part_blocks(part, kept)
        elif said := [p for p in kept if p.text]:
            # a sentence beside a table (三、… 本年共收到8件申请…) has no place in the workbook: said, not lost
            findings.append(
                Finding(
                    WARNING,
                    "导入",
                    said[0].where,
                    f"第{part}部分表格以外的文字（{len(said)} 段，“{said[0].text[:24]}…”）在工作簿中没有对应的正文栏，未导入；需要时写入其他部分的正文",
                )
            )
    return findings


def _year_from_text(report: Report, front: list[Para], first_section: list[Para], name: str) -> list[Finding]:
    """A title without a year: the year the text states, said in a warning the clerk checks."""
    found = year_in_text(front, first_section)
    if found is None:
        return [Finding(WARNING, "导入", name, "标题中没有年度，正文中也找不到统计期限或年份，未读取年度")]
    year, para = found
    report.set_role("year", year, para.where)
    return [Finding(WARNING, "导入", para.where, f"标题中没有年度，年度按正文“{para.text[:30]}”判断为 {year} 年，请核对")]


def _agency_from_signature(report: Report, signature: list[Para], title_spot) -> list[Finding]:
    """A title that names no agency (关于2022年度政府信息公开情况的报告): the agency the 落款 names."""
    signed = signature_agency(signature)
    if signed is None:
        return [Finding(WARNING, "导入", title_spot, "标题没有写机关名称，落款中也没有，未读取机关名称，请在“基本信息”填写")]
    agency = signed.text.strip()
    report.set_role("agency", agency, signed.where)
    return [Finding(WARNING, "导入", signed.where, f"标题没有写机关名称，机关名称取落款“{agency}”，请核对"),
            *_agency_type(report, agency, signed.where)]


def _agency_type(report: Report, agency: str, where: str) -> list[Finding]:
    """The agency type its name implies (published.toml), said in a warning the clerk can act on."""
    type_field = report.kind.role_field("agency_type")
    if type_field is None:
        return []
    endings = published_data().get("agency_type", {})
    ending = max((e for e in endings if agency.endswith(e) and endings[e] in type_field.choices), key=len, default=None)
    label = endings[ending] if ending else type_field.default
    report.set_role("agency_type", type_field.choices.get(label))
    if ending is None:  # an ordinary department's name: the default, nothing to say
        return []
    return [
        Finding(
            WARNING,
            "导入",
            where,
            f"{type_field.label}按机关名称判断为“{label}”（名称以“{ending}”结尾）；如不对，请在工作簿“基本信息”的“{type_field.label}”中改正",
        )
    ]


def _take_template_sentences(report: Report, paras: list[Para], sentences) -> list[Para]:
    """Drop paragraphs the template writes, keeping the field values they show."""
    kept: list[Para] = []
    for para in paras:
        hit = next((s for s in sentences if s.pattern.match(para.text)), None)
        if hit is None:
            kept.append(para)
            continue
        match = hit.pattern.match(para.text)
        for key, value in hit.implied:
            report.fields[key] = _typed(report.kind, key, str(value))
        for group, key in hit.groups.items():
            report.fields[key] = _typed(report.kind, key, match.group(group))
            report.field_cells[key] = para.where
    return kept


def _typed(kind: Kind, key: str, text: str):
    spec = kind.field(key)
    try:
        if spec.type == "int":
            return int(text.replace(",", ""))
        if spec.type == "decimal":
            return Decimal(text.replace(",", ""))
    except (ValueError, InvalidOperation):
        return None
    return text
