"""Many reports at once: check or build every workbook of a county's folder.

Worker processes read, check and render; they send back a small
``FileOutcome`` (counts, the first error, the rendered bytes of a build),
never a Report, and hold one task at a time, so memory stays flat however
many files there are. The main process alone writes outputs: it decides
name clashes (the earlier input keeps the name, the later one is reported)
and keeps the output folder's manifest consistent.

A file that cannot be read, breaks a rule or cannot be written fails on its
own; the others go on.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import WARNING, Finding, GxError, InputError
from .fsio import OutputManifest
from .kinds import Registry
from .outputs import Rendered, write_rendered

# What a folder contributes: its workbooks and JSON reports, not its subfolders
# (build/ outputs) nor Excel's lock files (~$x.xlsx) or hidden files.
FOLDER_SUFFIXES = (".xlsx", ".json")
_SKIPPED_PREFIXES = ("~$", ".")
_IN_FLIGHT_PER_JOB = 4


def collect_inputs(paths: Iterable[Path], suffixes: tuple[str, ...] = FOLDER_SUFFIXES) -> list[Path]:
    """Files named, and the reports directly inside folders named, each once, in a stable order."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            members = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(_SKIPPED_PREFIXES)
            )
        else:
            members = [path]  # a missing file is reported with the others, not here
        for member in members:
            found.setdefault(member.resolve(), member)
    return list(found.values())


@dataclass
class FileOutcome:
    """What became of one input: small enough to send between processes."""

    path: Path
    agency: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    first_error: str = ""
    unreadable: bool = False
    findings: list[Finding] = field(default_factory=list)  # kept only when asked (JSON output)
    outputs: list[Path] = field(default_factory=list)
    output_name: str = ""  # the first format's file name, decided by the worker
    files: dict[str, bytes] = field(default_factory=dict)  # rendered by a worker, dropped once written
    write_error: str = ""

    @property
    def output(self) -> Path | None:
        return self.outputs[0] if self.outputs else None

    @property
    def failed(self) -> bool:
        """Unreadable, unwritten, or with errors and no document (a forced build counts as done)."""
        return self.unreadable or bool(self.write_error) or (self.errors > 0 and self.output is None)

    def as_dict(self) -> dict:
        """The JSON form of ``check --json`` for one of many files."""
        return {
            "file": str(self.path),
            "agency": self.agency,
            "ok": not self.failed,
            "error": self.first_error if self.unreadable else "",
            "findings": [f.as_dict() for f in self.findings],
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


@dataclass(frozen=True)
class Task:
    path: Path
    build: bool
    force: bool = False
    fmt: str | None = None
    previous: Path | None = None
    previous_index: dict[str, Path] | None = None  # agency -> last year's file
    keep_findings: bool = False
    formats: tuple[str, ...] = ("docx",)


@dataclass
class BatchResult:
    outcomes: list[FileOutcome]
    font_substitutes: dict[str, str] = field(default_factory=dict)  # set when PDFs were made

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def nothing_read(self) -> bool:
        return all(o.unreadable for o in self.outcomes)


_worker_registry: Registry | None = None


def _init_worker(extra_dirs: tuple[Path, ...]) -> None:
    """Each worker loads the kinds once; Ctrl-C is the main process's to handle."""
    global _worker_registry
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_registry = Registry(extra_dirs)


def _call_in_worker(function, item):
    return function(item, _worker_registry)


def run_task(task: Task, registry: Registry) -> FileOutcome:
    """Read and check one file, and render it for a build; every failure is kept in the outcome."""
    from . import api

    outcome = FileOutcome(task.path)
    try:
        report = api.load_report(task.path, registry, task.fmt)
        outcome.agency, outcome.year = report.agency, report.year
        previous, unmatched = _previous_of(task, report)
        findings = api.report_findings(report, registry, previous) + unmatched
        errors = [f for f in findings if f.is_error]
        outcome.errors, outcome.warnings = len(errors), len(findings) - len(errors)
        outcome.first_error = str(errors[0]) if errors else ""
        if task.keep_findings:
            outcome.findings = findings
        if task.build and (not errors or task.force):
            from .outputs import render

            outcome.output_name = api.default_output(report, "." + task.formats[0]).name
            outcome.files = render(report, task.formats)
    except GxError as exc:
        outcome.unreadable, outcome.first_error = True, exc.message
    except Exception as exc:  # one broken file must not end the batch
        outcome.unreadable, outcome.first_error = True, internal_error(task.path, exc)
    return outcome


def internal_error(path: Path, exc: Exception) -> str:
    """A bug met on one file of many, said so that the rest of the batch goes on."""
    return f"{path.name}: gxreport 内部错误（{type(exc).__name__}：{exc}），请把此文件发给维护人员"


def _previous_of(task: Task, report) -> tuple[Path | None, list[Finding]]:
    """Last year's report for this one: the file given, or its agency's in last year's folder."""
    if task.previous_index is None:
        return task.previous, []
    previous = task.previous_index.get(report.agency)
    if previous is None:
        where = report.role_spot("agency")
        return None, [Finding(WARNING, "上年", where, f"上年报告文件夹中没有“{report.agency}”的报告，未做跨年度检查")]
    return previous, []


def _identify(path: Path, registry: Registry) -> tuple[Path, str]:
    """The agency of one of last year's files, a published .docx/.html/.pdf too ("" when unreadable)."""
    from .crossyear import load_previous

    try:
        return path, load_previous(path, registry)[0].agency
    except Exception:  # noqa: BLE001 - an unreadable file of last year's simply matches no agency
        return path, ""


def default_jobs() -> int:
    return os.cpu_count() or 1


def run_ordered(function, items: list, registry: Registry, jobs: int) -> Iterator:
    """``function(item, registry)`` for every item, results in input order.

    One item runs in this process; more run in ``jobs`` worker processes
    (``function`` must be a module-level function) with a bounded number in
    flight, so results are consumed as they come.
    """
    if len(items) == 1 or jobs <= 1:
        for item in items:
            yield function(item, registry)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(tuple(registry.dirs[1:]),))
    try:
        waiting = deque(items)
        pending = deque()
        while waiting or pending:
            while waiting and len(pending) < jobs * _IN_FLIGHT_PER_JOB:
                pending.append(pool.submit(_call_in_worker, function, waiting.popleft()))
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def previous_index(folder: Path, registry: Registry, jobs: int) -> dict[str, Path]:
    """Last year's files of a folder by agency name (the first file of an agency wins)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: 上年报告文件夹不存在")
    index: dict[str, Path] = {}
    from .crossyear import PUBLISHED_SUFFIXES

    for path, agency in run_ordered(_identify, collect_inputs([folder], FOLDER_SUFFIXES + PUBLISHED_SUFFIXES), registry, jobs):
        if agency:
            index.setdefault(agency, path)
    return index


def run_batch(
    inputs: list[Path],
    registry: Registry,
    *,
    build: bool,
    out_dir: Path,
    force: bool = False,
    fmt: str | None = None,
    jobs: int | None = None,
    previous: Path | None = None,
    keep_findings: bool = False,
    formats: tuple[str, ...] = ("docx",),
    on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
) -> BatchResult:
    """Check (or build into ``out_dir``) every input; ``previous`` is a file or a folder of last year's.

    Each document is written as soon as it is rendered; PDFs wait for the end,
    when all of them are converted in one LibreOffice run.
    """
    from .outputs import require_renderer

    if build:
        require_renderer(formats)
    if not inputs:
        raise InputError("没有找到要处理的文件（文件夹中应有 .xlsx 工作簿或 .json 报告）")
    jobs = max(1, jobs or default_jobs())
    index = previous_index(previous, registry, jobs) if previous is not None and previous.is_dir() else None
    tasks = [
        Task(path, build, force, fmt, None if index is not None else previous, index, keep_findings, formats)
        for path in inputs
    ]
    claimed: dict[str, Path] = {}
    outcomes = []
    pdfs: list[tuple[FileOutcome, Rendered]] = []
    manifest = OutputManifest(out_dir)  # saved once, even when the batch is interrupted
    try:
        for outcome in run_ordered(run_task, tasks, registry, jobs):
            if outcome.files:
                item = _write(outcome, out_dir, formats, force, claimed, manifest)
                if item is not None and "pdf" in formats:
                    pdfs.append((outcome, item))
            outcomes.append(outcome)
            on_outcome(outcome)
        result = BatchResult(outcomes)
        if pdfs:
            result.font_substitutes = write_rendered([item for _, item in pdfs], ("pdf",), force, manifest)
            for outcome, item in pdfs:
                _settle(outcome, item)
    finally:
        manifest.save()
    return result


def _write(
    outcome: FileOutcome, out_dir: Path, formats: tuple[str, ...], force: bool, claimed: dict[str, Path], manifest: OutputManifest
) -> Rendered | None:
    """Write a rendered report's files, unless an earlier input already produced that name.

    Returns the item still waiting for its PDF (holding only its .docx bytes), if any.
    """
    files, outcome.files = outcome.files, {}
    name = outcome.output_name
    if name in claimed:
        outcome.write_error = f"与 {claimed[name].name} 的输出同名（{name}），未生成；请核对两个文件的机关名称和年度"
        return None
    claimed[name] = outcome.path
    item = Rendered(out_dir / name, files)
    write_rendered([item], tuple(f for f in formats if f != "pdf"), force, manifest)
    _settle(outcome, item)
    if item.error is not None or "pdf" not in formats:
        return None
    item.files = {"docx": files["docx"]}
    return item


def _settle(outcome: FileOutcome, item: Rendered) -> None:
    outcome.outputs = list(item.written)
    if item.error is not None:
        outcome.write_error = item.error.message


def status_line(outcome: FileOutcome) -> str:
    """One line per file: 泗阳县.xlsx：已生成 build/….docx（0 个错误，2 个警告）."""
    name = outcome.path.name
    if outcome.unreadable:
        return f"{name}：无法读取：{outcome.first_error}"
    counts = f"{outcome.errors} 个错误，{outcome.warnings} 个警告"
    if outcome.write_error:
        return f"{name}：未写入（{counts}）：{outcome.write_error}"
    if outcome.errors:
        verdict = "已强制生成" if outcome.output else "未通过"
        return f"{name}：{verdict}（{counts}）首个错误：{outcome.first_error}"
    if outcome.output:
        return f"{name}：已生成 {'、'.join(str(p) for p in outcome.outputs)}（{counts}）"
    return f"{name}：检查通过（{counts}）"


@contextmanager
def progress_display(total: int, enabled: bool, echo: Callable[[str], None] = print):
    """A Rich progress bar on stderr while the batch runs; yields (advance, print_line).

    Status lines go to stdout through ``echo``; while the bar is live on the
    same terminal they are printed above it so the two do not tear each other.
    """
    if not enabled:
        yield (lambda: None), echo
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr, force_terminal=True)
    shared_terminal = sys.stdout.isatty() and sys.stderr.isatty()
    with Progress(
        TextColumn("处理中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, redirect_stdout=False, redirect_stderr=False,
    ) as progress:
        task = progress.add_task("files", total=total)

        def line(text: str) -> None:
            if shared_terminal:
                progress.console.print(text, markup=False, highlight=False)
            else:
                echo(text)

        yield (lambda: progress.advance(task)), line


def summary_table(result: BatchResult, build: bool) -> str:
    """The closing table: file, agency, errors, warnings, output (or the reason none was written)."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, title=_tally(result, build), title_justify="left")
    for header in ("文件", "机关", "错误", "警告", "输出" if build else "结果"):
        table.add_column(header, overflow="fold")
    for outcome in result.outcomes:
        if build:
            shown = str(outcome.output) if outcome.output else outcome.status
        else:
            shown = outcome.status
        table.add_row(outcome.path.name, outcome.agency or "-", str(outcome.errors), str(outcome.warnings), shown)
    buffer = io.StringIO()
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else max(100, _natural_width(result))
    Console(file=buffer, width=width, no_color=True).print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    failed = result.failed
    if failed:
        lines += ["", "需要处理的文件："]
        lines += [f"  {o.path.name}：{o.write_error or o.first_error}" for o in failed]
    return "\n".join(lines).strip("\n")


def _natural_width(result: BatchResult) -> int:
    """Off a terminal: wide enough for the longest row, so names are never folded in a pipe or a log."""
    longest = max((len(str(o.path.name)) + len(o.agency) + len(str(o.output or "")) for o in result.outcomes), default=0)
    return 2 * longest + 40  # CJK characters take two columns


def _tally(result: BatchResult, build: bool) -> str:
    done = sum(not o.failed for o in result.outcomes)
    verb = "生成" if build else "通过"
    return f"共 {len(result.outcomes)} 个文件：{verb} {done} 个，未{verb} {len(result.failed)} 个"
