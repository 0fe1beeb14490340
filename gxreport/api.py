"""The library behind the commands: one function per command.

Each takes paths and options, returns a result object, and raises a GxError
subclass (with its exit code) for anything the user must fix. The CLI only
parses arguments and prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Finding, GxError, InputError, OutputError
from .fsio import refuse_input_as_output, safe_filename, write_output
from .declare.kinds import Registry
from .declare.model import Report
# The pipeline's names are the library's too: api is where callers find them.
from .pipeline import DEFAULT_OUT_DIR, DEFAULTS, CheckResult, FileOutcome, Options, check_file, default_output, report_findings
from .inputs.reading import PUBLISHED_SUFFIXES, WORKBOOK_SUFFIXES, load_report

__all__ = [
    "DEFAULT_OUT_DIR", "DEFAULTS", "WORKBOOK_SUFFIXES", "BuildResult", "CheckResult", "Options", "build_file", "check_file",
    "default_output", "export_json", "import_file", "init_workbook", "load_report", "next_year_workbook", "report_findings",
    "audit_files", "import_files",
]

@dataclass
class BuildResult:
    """What ``build_file`` did: the report, its findings, the files written or why none were."""

    report: Report
    findings: list[Finding]
    outputs: list[Path] = field(default_factory=list)
    refused: bool = False
    font_substitutes: dict[str, str] = field(default_factory=dict)  # set when a PDF was made


def build_file(path: Path, registry: Registry, output: Path | None = None, options: Options = DEFAULTS) -> BuildResult:
    """Check, then write the report in ``options.formats`` (docx, pdf, html), all of them or none;
    refuse on errors unless ``options.force``.

    ``output`` names the file of the first format; the others take its name with their suffix.
    """
    from .outputs.writing import Rendered, check_output_name, render, require_renderer, write_rendered

    formats, previous = options.formats, options.previous
    if output is not None:
        refuse_input_as_output(output, path, previous)
        check_output_name(output)
    soffice = require_renderer(formats, options.soffice)  # before anything is written
    checked = check_file(path, registry, options)
    result = BuildResult(checked.report, checked.findings)
    if not checked.ok and not options.force:
        result.refused = True
        return result
    item = Rendered(output or default_output(checked.report, "." + formats[0]), render(checked.report, formats, options.page))
    for name in formats:  # no output may be an input, last year's report included, even with --force
        refuse_input_as_output(item.target(name), path, previous)
    result.font_substitutes = write_rendered([item], formats, options.force, soffice=soffice)
    if item.error is not None:
        raise item.error
    result.outputs = item.written
    return result


def init_workbook(
    path: Path,
    registry: Registry,
    kind_id: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    fmt: str | None = None,
    source: Path | None = None,
    force: bool = False,
) -> Path:
    """Write a new workbook for a kind (the registry's default kind when None), empty or next year's from last year's report (``source``)."""
    from .inputs.workbook.writer import workbook_bytes

    if source is not None:
        return next_year_workbook(path, registry, source, year, agency, fmt, force).path
    _check_workbook_name(path)
    kind = registry.get(kind_id, year=year, fmt=fmt)
    report = None
    if year is not None or agency is not None:
        report = Report.blank(kind, path.name)
        if year is not None:
            report.set_role("year", year)
        agency_field = kind.role_field("agency")
        if agency is not None and agency_field is not None:
            try:  # the field's own parser: control characters go, a name of blanks is none
                report.set_role("agency", agency_field.parse(agency))
            except ValueError as exc:
                raise InputError(f"--agency: {agency_field.label}：{exc}") from None
    write_output(path, workbook_bytes(kind, report), force=force, tracked=False)
    return path


@dataclass
class InitResult:
    """The workbook ``init --from`` wrote and the report it starts from."""

    path: Path
    report: Report
    findings: list[Finding] = field(default_factory=list)  # doubts about last year's report


def next_year_workbook(
    path: Path,
    registry: Registry,
    source: Path,
    year: int | None = None,
    agency: str | None = None,
    fmt: str | None = None,
    force: bool = False,
) -> InitResult:
    """``init --from``: next year's workbook from last year's report (any form ``--previous`` takes)."""
    from .inputs.nextyear import next_year_report
    from .inputs.workbook.writer import workbook_bytes

    _check_workbook_name(path)
    refuse_input_as_output(path, source)
    start = next_year_report(source, registry, path, year, fmt, agency)
    write_output(path, workbook_bytes(start.report.kind, start.report, start.meta, start.drafts), force=force, tracked=False)
    return InitResult(path, start.report, start.findings)


def _check_workbook_name(path: Path) -> None:
    if path.suffix.lower() != ".xlsx":
        raise InputError("工作簿文件名应以 .xlsx 结尾", path.name)


def export_json(path: Path, registry: Registry, output: Path, force: bool = False, fmt: str | None = None) -> CheckResult:
    """Write the JSON form of a workbook (docs/annual-report.md §7)."""
    from .inputs.jsonform import report_to_json

    refuse_input_as_output(output, path)
    checked = check_file(path, registry, Options(fmt=fmt))
    write_output(output, report_to_json(checked.report).encode("utf-8"), force=force, tracked=False)
    return checked


IMPORT_SUFFIXES = (".xlsx", ".json")


def import_file(path: Path, registry: Registry, output: Path, force: bool = False):
    """Read a published report (.docx/.html/.pdf) and write it as a workbook or JSON.

    The findings are the reader's (what could not be read) plus the checker's.
    """
    from .checks.check import check_report
    from .inputs.importer import ImportResult, import_report

    suffix = output.suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise InputError("输出文件应以 .xlsx 或 .json 结尾", output.name)
    if output.exists() and not force:
        raise OutputError("文件已存在，未覆盖；如确需覆盖请加 --force", output)
    imported = import_report(path, registry)
    report = imported.report
    if suffix == ".json":
        from .inputs.jsonform import report_to_json

        data = report_to_json(report).encode("utf-8")
    else:
        from .inputs.workbook.writer import workbook_bytes

        data = workbook_bytes(report.kind, report)
    write_output(output, data, force=force, tracked=False)
    return ImportResult(report, check_report(report, registry))


def _import_one(task: tuple[Path, str], registry: Registry) -> FileOutcome:
    """Worker: import one published report and render it (``suffix``: .xlsx or .json)."""
    from .office.batch import internal_error
    from .checks.check import check_report
    from .inputs.importer import import_report

    path, suffix = task
    outcome = FileOutcome(path)
    try:
        report = import_report(path, registry).report
        outcome.found(report, check_report(report, registry), keep=False)
        if suffix == ".json":
            from .inputs.jsonform import report_to_json

            outcome.files[suffix] = report_to_json(report).encode("utf-8")
        else:
            from .inputs.workbook.writer import workbook_bytes

            outcome.files[suffix] = workbook_bytes(report.kind, report)
    except GxError as exc:
        outcome.unreadable, outcome.first_error, outcome.error_location = True, str(exc), exc.where
    except Exception as exc:  # one broken file must not end the others
        outcome.unreadable, outcome.first_error = True, internal_error(path, exc)
    return outcome


def import_files(paths: list[Path], registry: Registry, out_dir: Path, suffix: str = ".xlsx", force: bool = False,
                 jobs: int | None = None, on_outcome=None) -> list[FileOutcome]:
    """``import`` of several files or folders: each published report becomes ``out_dir/<name><suffix>``.

    Files are read in parallel; a file that cannot be read or written fails on its own.
    """
    from .office.batch import collect_inputs, default_jobs, nothing_found, run_ordered

    inputs = collect_inputs(paths, PUBLISHED_SUFFIXES)
    if not inputs:
        raise nothing_found(paths, "已发布的报告（.html、.docx、.pdf）")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("导入多个文件时 -o 应为文件夹，不是文件", out_dir)
    claimed: set[str] = set()
    outcomes = []
    for outcome in run_ordered(_import_one, [(p, suffix) for p in inputs], registry, jobs or default_jobs()):
        if not outcome.unreadable:
            name = safe_filename(outcome.path.stem, suffix)
            if name in claimed:  # 甲局.html and 甲局.pdf: both kept
                name = safe_filename(f"{outcome.path.stem}-{outcome.path.suffix.lstrip('.')}", suffix)
            claimed.add(name)
            target = out_dir / name
            try:
                refuse_input_as_output(target, *inputs)
                write_output(target, outcome.files.pop(suffix), force=force, tracked=False)
                outcome.outputs.append(target)
            except GxError as exc:
                outcome.write_error, outcome.error_location = str(exc), exc.where
            outcome.files.clear()  # dropped once written
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


DEFAULT_AUDIT = Path("审核结果.xlsx")


def audit_files(paths: list[Path], registry: Registry, output: Path = DEFAULT_AUDIT, jobs: int | None = None,
                force: bool = False, on_row=None):
    """``audit``: read and check every report of ``paths``, write the audit workbook ``output``."""
    from .office.audit import AUDIT_SUFFIXES, audit, audit_workbook
    from .office.batch import collect_inputs, default_jobs, nothing_found

    if output.suffix.lower() != ".xlsx":
        raise InputError("审核表文件名应以 .xlsx 结尾", output.name)
    inputs = collect_inputs(paths, AUDIT_SUFFIXES)
    if not inputs:
        raise nothing_found(paths, "报告（.html、.docx、.pdf、.xlsx、.json）")
    refuse_input_as_output(output, *inputs)
    if output.exists() and not force:
        raise OutputError("文件已存在，未覆盖；如确需覆盖请加 --force", output)
    result = audit(paths, registry, jobs or default_jobs(), on_row)
    write_output(output, audit_workbook(result), force=force, tracked=False)
    return result
