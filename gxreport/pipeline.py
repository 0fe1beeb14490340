"""The pipeline under the commands: read → check → (render → write), and what one file became.

``api`` (one function per command) and ``batch`` (many files in processes)
both run it; the CLI and the web page only present its results. Stages:
``reading`` (workbook, JSON, last year's report) → ``check`` and
``crossyear`` (findings) → ``outputs`` (render, write all formats together).
``Options`` carries every choice a caller makes through all of them, the
way black's ``Mode`` does, instead of a growing list of parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Finding, Location
from .fsio import safe_filename
from .declare.kinds import Registry
from .declare.model import Report
from .inputs.reading import load_report

if TYPE_CHECKING:
    from .declare.page import Page

DEFAULT_OUT_DIR = Path("build")


@dataclass(frozen=True)
class Options:
    """How reports are checked and built; the CLI fills it from its options once."""

    fmt: str | None = None  # --format: check and build as this format whatever the year
    previous: Path | None = None  # --previous: last year's report, or a folder of them (batch)
    force: bool = False  # --force: build despite errors, replace edited outputs
    formats: tuple[str, ...] = ("docx",)  # --to
    jobs: int | None = None  # --jobs: worker processes and LibreOffice runs (default: CPU count)
    soffice: str | None = None  # --soffice: LibreOffice's program when not found by itself
    # The page reports are laid out for; None: GB/T 9704's (``declare.page.PAGE``), taken where a
    # report is laid out, so that checking, which lays nothing out, never imports the page (~4 ms).
    page: Page | None = None


DEFAULTS = Options()


@dataclass
class CheckResult:
    """A report read and its findings, errors first."""

    report: Report
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)


def check_file(path: Path, registry: Registry, options: Options = DEFAULTS) -> CheckResult:
    """Check a report; with ``options.previous`` (last year's report) also the cross-year rules R5/R8."""
    report = load_report(path, registry, options.fmt)
    return CheckResult(report, report_findings(report, registry, options.previous))


def report_findings(report: Report, registry: Registry, previous: Path | None = None) -> list[Finding]:
    """Every finding of a report read already, errors first; R5/R8 when ``previous`` is given."""
    from .checks.check import check_report
    from .inputs.nextyear import draft_findings, remembered_previous
    from .inputs.reading import load_previous

    # The kind may come from a templates folder the workbook named: check against its siblings.
    findings = check_report(report, registry.extended((report.kind.folder.parent,)))
    if previous is not None:
        from .checks.crossyear import compare_with_previous  # only with last year's report (~2 ms)

        findings += compare_with_previous(report, *load_previous(previous, registry))
    elif (remembered := remembered_previous(report, registry)) is not None:  # named by init --from
        from .checks.crossyear import compare_with_previous

        last, last_findings, notes = remembered
        findings += notes + compare_with_previous(report, last, last_findings)
    findings += draft_findings(report)
    return sorted(findings, key=lambda f: not f.is_error)


def default_output(report: Report, suffix: str, out_dir: Path = DEFAULT_OUT_DIR) -> Path:
    from .compose.narrative import plain_title

    return out_dir / safe_filename(plain_title(report), suffix)


@dataclass
class FileOutcome:
    """What became of one input, in a single run or a batch: small enough to send between processes.

    ``as_dict`` is the one ``--json`` shape, for one file or many.
    """

    path: Path
    agency: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    first_error: str = ""
    unreadable: bool = False
    error_location: Location | None = None  # where the file could not be read or written, when known
    findings: list[Finding] = field(default_factory=list)  # kept only when asked (JSON output)
    outputs: list[Path] = field(default_factory=list)
    output_name: str = ""  # the first format's file name, decided by the worker
    files: dict[str, bytes] = field(default_factory=dict)  # rendered by a worker, dropped once written
    write_error: str = ""

    def found(self, report: Report, findings: list[Finding], keep: bool) -> None:
        """Record the report's identity and findings (all of them when ``keep``)."""
        errors = [f for f in findings if f.is_error]
        self.agency, self.year = report.agency, report.year
        self.errors, self.warnings = len(errors), len(findings) - len(errors)
        self.first_error = str(errors[0]) if errors else ""
        if keep:
            self.findings = list(findings)

    @property
    def output(self) -> Path | None:
        return self.outputs[0] if self.outputs else None

    @property
    def failed(self) -> bool:
        """Unreadable, unwritten, or with errors and no document (a forced build counts as done)."""
        return self.unreadable or bool(self.write_error) or (self.errors > 0 and self.output is None)

    def as_dict(self) -> dict:
        """The JSON form of ``check --json`` (a list of these, one file or many)."""
        return {
            "file": str(self.path),
            "agency": self.agency,
            "year": self.year,
            "ok": not self.failed,
            "errors": self.errors,
            "warnings": self.warnings,
            "error": self.first_error if self.unreadable else self.write_error,
            "error_location": self.error_location.as_dict() if self.error_location else None,
            "findings": [f.as_dict() for f in self.findings],
            "outputs": [str(p) for p in self.outputs],
        }

    @property
    def status(self) -> str:
        if self.unreadable:
            return "无法读取"
        if self.write_error:
            return "未写入"
        if self.output:
            return "已强制生成" if self.errors else "已生成"
        return "未通过" if self.errors else "通过"
