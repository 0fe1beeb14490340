"""What the desk does with an uploaded file, through the library (``gxreport.api``).

An upload is written to a private temporary folder under a fixed name (the
clerk's file name is never a path), read and checked exactly as ``gxreport
check`` does, and, when it has no errors, built as ``gxreport build --to
docx,html`` would. Messages name the clerk's file instead of the fixed name.
The result is plain data (JSON) for the storage and the page.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import api
from ..errors import Finding, GxError, InputError, Location
from ..fsio import safe_filename
from ..declare.kinds import Kind, Registry, builtin_templates_dir
from ..declare.model import Report
from ..declare.rulebook import rule_meaning
from . import storage

log = logging.getLogger("gxreport.web")

UPLOAD_STEM = "upload"
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
MAX_SHOWN_NAME = 120
# Where an upload's last year's file is looked for: nothing is ever inside the null device.
_NOWHERE = Path(os.devnull) / "上年报告"
BUILT_FORMATS = ("docx", "html")  # PDF and page images are made on request: LibreOffice is slow
# One LibreOffice conversion at a time: each takes a CPU for seconds.
_soffice_lock = threading.Lock()


def shown_name(filename: str | None) -> str:
    """The clerk's file name as shown on the page: its last part, printable, bounded."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:MAX_SHOWN_NAME] or "未命名文件"


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return suffix if _SUFFIX.match(suffix) else ""


@dataclass
class Outcome:
    """One upload checked (and built when it can be)."""

    state: str
    result: dict
    built: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    agency: str = ""
    errors: int = 0
    warnings: int = 0


def _rename(text: str, temp: Path, shown: str) -> str:
    """A text about the temporary copy, said about the clerk's file; no server path shown.

    Locations carry the file as data, but a few texts name files themselves: the roll-up's lists
    of files, an audit row's R5 citation of last year's cell and its unreadable file's message,
    and the workbook reader's message on damaged shared strings (tests/test_web_http.py)."""
    return text.replace(str(temp), shown).replace(str(temp.parent) + os.sep, "").replace(temp.name, shown)


def _renamed(where: Location, temp: Path, shown: str) -> Location:
    return replace(where, file=_rename(where.file, temp, shown))


def _rename_error(exc: GxError, temp: Path, shown: str) -> None:
    """An error about the temporary copy, said about the clerk's file (its message and its location)."""
    exc.message = _rename(exc.message, temp, shown)
    if exc.where is not None:
        exc.where = _renamed(exc.where, temp, shown)


def _refuse_outside_templates(report: Report) -> None:
    """A workbook may name a templates folder for the command line; the desk uses the built-in kinds only."""
    if not report.kind.folder.resolve().is_relative_to(builtin_templates_dir().resolve()):
        raise InputError("工作簿在“模板目录”中指定了自定义模板，网页上只能使用内置的报告类型；请删去该项后重新上传")


def vet_upload(report: Report) -> None:
    """An uploaded report reads none of the server's own files: no templates folder and no last
    year's file named by the workbook (R5/R8 then use the figures ``init --from`` recorded in it)."""
    _refuse_outside_templates(report)
    if report.previous is not None:
        report.previous = _NOWHERE / report.previous.name


def check_upload(data: bytes, filename: str, registry: Registry, expect_kind: str | None = None) -> Outcome:
    """Check (and build) one upload; every failure becomes a message, never an exception."""
    shown = shown_name(filename)
    with tempfile.TemporaryDirectory(prefix="gx-web-") as work:
        path = Path(work) / (UPLOAD_STEM + _suffix(shown))
        path.write_bytes(data)
        try:
            report = api.load_report(path, registry)
            vet_upload(report)
            checked = api.CheckResult(report, api.report_findings(report, registry))
            if expect_kind and checked.report.kind.id != expect_kind:
                raise InputError(f"这是“{checked.report.kind.name}”，本轮收取的是另一种报告，请上传正确的工作簿", path.name)
            built = _build(checked.report) if checked.ok else {}
        except GxError as exc:
            _rename_error(exc, path, shown)
            return Outcome(storage.UNREADABLE, {"message": str(exc)})
        except Exception:  # a bug must not cost the clerk the page: logged, then said
            log.exception("checking %s failed", shown)
            return Outcome(storage.UNREADABLE, {"message": "处理该文件时发生程序内部错误，已记录在日志中。请把文件发给维护人员。"})
        findings = [replace(f, where=_renamed(f.where, path, shown), message=_rename(f.message, path, shown)) for f in checked.findings]
        raw_spots = {f.where for f in checked.findings if f.is_error}
        warn_spots = {f.where for f in checked.findings if not f.is_error}
    report = checked.report
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    state = storage.HAS_ERRORS if errors else storage.HAS_WARNINGS if warnings else storage.READY
    result = {
        "agency": report.agency,
        "year": report.year,
        "kind": report.kind.name,
        "format": report.kind.format,
        "findings": [finding_view(f) for f in findings],
        "tables": [table_view(report, t.id, raw_spots, warn_spots, shown) for t in report.kind.tables],
    }
    return Outcome(state, result, built, report.agency, errors, warnings)


def _build(report: Report) -> dict[str, tuple[str, bytes]]:
    from ..compose.narrative import plain_title
    from ..outputs.writing import render

    files = render(report, BUILT_FORMATS)
    title = plain_title(report)
    return {name: (safe_filename(title, "." + name), files[name]) for name in BUILT_FORMATS}


def finding_view(finding: Finding) -> dict:
    """A finding as the page lists it: rule, what the rule means, sheet and cell, the message."""
    return {
        "error": finding.is_error,
        "severity": finding.severity,
        "rule": finding.rule,
        "meaning": rule_meaning(finding.rule),
        "where": str(finding.where),
        "sheet": finding.where.sheet,
        "cell": finding.where.cell,
        "message": finding.message,
    }


def table_view(report: Report, table_id: str, error_spots: set[Location], warning_spots: set[Location], shown: str = "") -> dict:
    """A statutory table as declared (labels, spans), with the report's numbers and the failing cells marked;
    each cell's location names the file as ``shown`` (the clerk's name for the upload) when given."""
    from ..checks.rules import complete, derived_totals

    table = report.kind.table(table_id)
    given = report.tables.get(table_id, {})
    printed, totals = complete(table, given), derived_totals(table)  # totals the clerk left to the formulas
    rows: list[list[dict]] = [[] for _ in range(table.n_rows)]
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        item = {"rowspan": cell.rowspan, "colspan": cell.colspan, "header": cell.header or not cell.is_value}
        if cell.is_value:
            where = report.where(table_id, *cell.key)
            value = given.get(cell.key)
            if value is None and cell.key in totals:
                value = printed[cell.key]
            item.update(
                text="" if value is None else str(value),
                value=True,
                where=str(replace(where, file=shown) if shown else where),
                cell=where.cell,
                mark="error" if where in error_spots else "warning" if where in warning_spots else "",
            )
        else:
            item["text"] = cell.text
        rows[cell.row].append(item)
    return {"id": table_id, "title": f"{table.number}、{table.title}" if table.number else table.title, "sheet": table.sheet, "rows": rows}


def blank_workbook(registry: Registry, kind_id: str, year: int, agency: str) -> tuple[str, bytes]:
    """``gxreport init --kind K --year Y --agency A``: the download's name and bytes."""
    kind = registry.get(kind_id, year=year)
    with tempfile.TemporaryDirectory(prefix="gx-web-") as work:
        path = Path(work) / "blank.xlsx"
        api.init_workbook(path, registry, kind_id, year, agency or None)
        data = path.read_bytes()
    return safe_filename(f"{agency}{year}年{kind.name}", ".xlsx"), data


def next_year_workbook(data: bytes, filename: str, registry: Registry, year: int | None) -> tuple[str, bytes]:
    """``gxreport init --from`` last year's uploaded report (.xlsx, .json, .docx, .html): the download's name and bytes."""
    shown = shown_name(filename)
    with tempfile.TemporaryDirectory(prefix="gx-web-") as work:
        # Last year's file under the clerk's name, made safe: the new workbook records that name as
        # its last year's report, which messages about last year then name, and finds the file beside
        # it on the clerk's computer. The new workbook's own name is hidden, so no safe name is it.
        source = Path(work) / safe_filename(Path(shown).stem, _suffix(shown))
        source.write_bytes(data)
        try:
            made = api.next_year_workbook(Path(work) / ".next.xlsx", registry, source, year)
            _refuse_outside_templates(made.report)
        except GxError as exc:
            _rename_error(exc, source, shown)
            raise
        report = made.report
        return safe_filename(f"{report.agency}{report.year}年{report.kind.name}", ".xlsx"), made.path.read_bytes()


def kinds_for_form(registry: Registry) -> list[Kind]:
    """One entry per kind id (the year picks the format)."""
    seen: dict[str, Kind] = {}
    for kind in registry.all():
        seen.setdefault(kind.id, kind)
    return [seen[kind_id] for kind_id in registry.ids()]


def pdf_and_pages(docx: bytes, soffice: str | None = None) -> tuple[bytes, list[bytes]]:
    """The PDF of a built .docx and its pages as PNG images (images only when pdftoppm is present)."""
    from ..outputs.render.pages import page_images
    from ..outputs.render.pdf import docx_to_pdf, require_soffice

    with _soffice_lock:
        pdf = docx_to_pdf([docx], require_soffice(soffice))[0]
    return pdf, page_images(pdf)


def rollup_workbook(round_files: list[tuple[str, str, bytes]], registry: Registry, agency: str, year: int) -> bytes:
    """``gxreport rollup`` over (department, file name, bytes) of a round: the roll-up workbook's bytes.

    Messages name the department and its file instead of the temporary names."""
    from ..office.rollup import rollup

    with tempfile.TemporaryDirectory(prefix="gx-web-") as work:
        folder = Path(work) / "in"
        folder.mkdir()
        inputs, names = [], {}
        for index, (department, filename, data) in enumerate(round_files):
            path = folder / f"{index:03d}{_suffix(filename)}"
            path.write_bytes(data)
            inputs.append(path)
            names[path] = f"{department}（{shown_name(filename)}）"
        output = Path(work) / "rollup.xlsx"
        try:
            rollup(inputs, output, registry, agency, year, jobs=1)
        except GxError as exc:
            for path, name in names.items():
                _rename_error(exc, path, name)
            raise
        return output.read_bytes()


def audit_reports(files: list[tuple[str, bytes]], registry: Registry) -> tuple[dict, bytes]:
    """``gxreport audit`` over uploaded (file name, bytes): the page's view and the audit workbook's bytes.

    Each file is written under a fixed name; every message, and the workbook's file
    columns, name the file as it was uploaded."""
    from pathlib import PurePosixPath

    from ..office.audit import audit, audit_workbook

    with tempfile.TemporaryDirectory(prefix="gx-web-") as work:
        names: dict[Path, str] = {}
        for index, (filename, data) in enumerate(files):
            path = Path(work) / f"{UPLOAD_STEM}-{index:03d}{_suffix(filename)}"
            path.write_bytes(data)
            names[path] = shown_name(filename)

        def said(text: str) -> str:
            for path, name in names.items():
                text = _rename(text, path, name)
            return text

        result = audit(list(names), registry, jobs=1, vet=vet_upload)  # in this thread: a server forks no workers
        for row in result.rows:
            row.findings = [replace(f, where=replace(f.where, file=said(f.where.file)), message=said(f.message)) for f in row.findings]
            row.unreadable, row.last_year = said(row.unreadable), said(row.last_year)
            row.path = PurePosixPath(names[row.path])  # the name alone, on every system
    return audit_view(result), audit_workbook(result)


def audit_view(result) -> dict:
    """An audit as the page lists it: per report its agency, year, each rule's result, the cells in
    error and the narrative figures that disagree with the tables."""
    from ..office.audit import NARRATIVE_RULE, rule_columns

    rules = rule_columns(result)
    rows = []
    for row in result.rows:
        rows.append({
            "file": row.path.name,
            "agency": row.agency,
            "year": row.year,
            "kind": f"{row.kind_name} {row.format}".strip(),
            "status": row.status,
            "unreadable": row.unreadable,
            "results": [row.result(rule) for rule in rules],
            "errors": [finding_view(f) for f in row.errors],
            "narrative": [finding_view(f) for f in row.findings if f.rule == NARRATIVE_RULE],
            "last_year": row.last_year,
        })
    counts = {status: sum(r["status"] == status for r in rows) for status in ("通过", "有错误", "无法读取")}
    return {"rules": rules, "rows": rows, "counts": counts}
