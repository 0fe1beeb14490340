"""The library behind the commands: one function per command.

Each takes paths and options, returns a result object, and raises a GxError
subclass (with its exit code) for anything the user must fix. The CLI only
parses arguments and prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .check import check_report, has_errors
from .errors import Finding, InputError
from .fsio import safe_filename, write_output
from .kinds import Registry
from .model import Report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DEFAULT_OUT_DIR = Path("build")


def load_report(path: Path, registry: Registry, fmt: str | None = None) -> Report:
    """Read a workbook or a JSON report."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from .jsonform import read_json

        return read_json(path, registry, fmt)
    if suffix in WORKBOOK_SUFFIXES:
        from .workbook.reader import read_workbook

        return read_workbook(path, registry, fmt)
    if suffix in (".xls", ".et", ".ods", ".csv"):
        raise InputError(f"{path.name}: 不支持 {suffix} 格式，请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）")
    raise InputError(f"{path.name}: 无法识别的输入（应为 .xlsx 工作簿或 .json 报告）")


@dataclass
class CheckResult:
    report: Report
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def check_file(path: Path, registry: Registry, fmt: str | None = None) -> CheckResult:
    report = load_report(path, registry, fmt)
    return CheckResult(report, check_report(report, registry))


OUTPUT_FORMATS = ("docx", "pdf", "html")


@dataclass
class BuildResult:
    report: Report
    findings: list[Finding]
    outputs: list[Path] = field(default_factory=list)
    refused: bool = False
    font_substitutes: dict[str, str] = field(default_factory=dict)  # set when a PDF was made


def default_output(report: Report, suffix: str, out_dir: Path = DEFAULT_OUT_DIR) -> Path:
    from .narrative import plain_title

    return out_dir / safe_filename(plain_title(report), suffix)


def parse_formats(text: str) -> tuple[str, ...]:
    """"docx,pdf" → ("docx", "pdf"); an unknown name is a usage error."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()))
    unknown = [name for name in names if name not in OUTPUT_FORMATS]
    if unknown or not names:
        raise InputError(f"--to: 不支持的输出格式 {'、'.join(unknown) or '（空）'}；可选 {','.join(OUTPUT_FORMATS)}")
    return names


def build_file(
    path: Path,
    registry: Registry,
    output: Path | None = None,
    force: bool = False,
    fmt: str | None = None,
    formats: tuple[str, ...] = ("docx",),
) -> BuildResult:
    """Check, then write the report in `formats` (docx, pdf, html); refuse on errors unless ``force``.

    ``output`` names the file of the first format; the others take its name with their suffix.
    """
    return build_files([path], registry, output, force, fmt, formats)[0]


def build_files(
    paths: list[Path],
    registry: Registry,
    output: Path | None = None,
    force: bool = False,
    fmt: str | None = None,
    formats: tuple[str, ...] = ("docx",),
) -> list[BuildResult]:
    """`build_file` for several inputs; their PDFs are converted in one LibreOffice run."""
    from .docx import render_docx
    from .narrative import layout

    if output is not None and len(paths) > 1:
        raise InputError("-o/--output 只能用于一个输入文件")
    if "pdf" in formats:
        from .render.pdf import require_soffice

        require_soffice()  # before anything is written
    results, pdf_jobs = [], []
    for path in paths:
        checked = check_file(path, registry, fmt)
        result = BuildResult(checked.report, checked.findings)
        results.append(result)
        if not checked.ok and not force:
            result.refused = True
            continue
        document = layout(checked.report)
        base = output or default_output(checked.report, "." + formats[0])
        docx_bytes = render_docx(document) if {"docx", "pdf"} & set(formats) else b""
        for name in formats:
            target = base.with_suffix("." + name)
            if name == "docx":
                write_output(target, docx_bytes, force=force)
            elif name == "html":
                from .render.html import render_html

                write_output(target, render_html(document), force=force)
            else:
                pdf_jobs.append((result, target, docx_bytes))
                continue
            result.outputs.append(target)
    if pdf_jobs:
        from .render.fonts import substitutes
        from .render.pdf import docx_to_pdf

        used = substitutes()
        for (result, target, _), pdf in zip(pdf_jobs, docx_to_pdf([job[2] for job in pdf_jobs])):
            write_output(target, pdf, force=force)
            result.outputs.append(target)
            result.font_substitutes = used
    return results


def init_workbook(
    path: Path,
    registry: Registry,
    kind_id: str = "annual",
    year: int | None = None,
    agency: str | None = None,
    fmt: str | None = None,
    source: Path | None = None,
    force: bool = False,
) -> Path:
    """Write a new workbook for a kind, empty or filled from a report (``source``)."""
    from .workbook.writer import workbook_bytes

    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path.name}: 工作簿文件名应以 .xlsx 结尾")
    if source is not None:
        report = load_report(source, registry, fmt)
        kind = report.kind
    else:
        kind = registry.get(kind_id, year=year, fmt=fmt)
        report = None
        if year is not None or agency is not None:
            report = Report(kind=kind, source=path.name)
            report.fields = {f.key: f.default if f.type != "choice" else f.choices.get(f.default) for f in kind.fields}
            if year is not None:
                report.fields["year"] = year
            if agency is not None:
                report.fields["agency"] = agency
            from .model import Block

            report.blocks = [
                Block(s["part"] if kind.parts else "", s.get("level", 0), s.get("title", ""), s.get("text", ""))
                for s in kind.starter
            ]
    write_output(path, workbook_bytes(kind, report), force=force, tracked=False)
    return path


def export_json(path: Path, registry: Registry, output: Path, force: bool = False, fmt: str | None = None) -> CheckResult:
    """Write the JSON form of a workbook (spec §7)."""
    from .jsonform import report_to_json

    checked = check_file(path, registry, fmt)
    write_output(output, report_to_json(checked.report).encode("utf-8"), force=force, tracked=False)
    return checked
