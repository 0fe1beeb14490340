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
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import INTERRUPT_SIGNALS, WARNING, Finding, GxError, InputError
from ..fsio import OutputManifest
from ..declare.kinds import Registry
from ..outputs.writing import Rendered
from ..pipeline import DEFAULTS, FileOutcome, Options, default_output, report_findings
from ..inputs.reading import PUBLISHED_SUFFIXES, WORKBOOK_SUFFIXES, load_previous, load_report

# What a folder contributes: its workbooks and JSON reports, not its subfolders
# (build/ outputs) nor Excel's lock files (~$x.xlsx) or hidden files.
# .xlsm is a workbook Excel or Google Sheets saved with macros: read like .xlsx, its macros never run.
FOLDER_SUFFIXES = (*WORKBOOK_SUFFIXES, ".json")
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


def nothing_found(folders: list[Path], wanted: str) -> InputError:
    """No input in any of ``folders`` (a file named is always an input, so only folders come up
    empty): the error is placed in the first, and says how many more were empty."""
    more = f"；另外 {len(folders) - 1} 个文件夹中也没有" if len(folders) > 1 else ""
    return InputError(f"文件夹中没有找到{wanted}{more}", folders[0])


@dataclass(frozen=True)
class Task:
    path: Path
    build: bool
    options: Options = DEFAULTS
    previous: Path | None = None  # this file's last year's report (the options' file, or its agency's in their folder)
    previous_index: dict[str, Path] | None = None  # agency -> last year's file
    keep_findings: bool = False


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
    """Each worker loads the kinds once; Ctrl-C, SIGTERM and SIGHUP (sent to the whole
    process group by a terminal or a service manager) are the main process's to
    handle: it stops the workers once their current file is done."""
    global _worker_registry
    for name in INTERRUPT_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    _worker_registry = Registry(extra_dirs)


def _call_in_worker(function, item):
    return function(item, _worker_registry)


def run_task(task: Task, registry: Registry) -> FileOutcome:
    """Read and check one file, and render it for a build; every failure is kept in the outcome."""
    outcome = FileOutcome(task.path)
    try:
        report = load_report(task.path, registry, task.options.fmt)
        previous, unmatched = _previous_of(task, report)
        findings = report_findings(report, registry, previous) + unmatched
        outcome.found(report, findings, task.keep_findings)
        if task.build and (not outcome.errors or task.options.force):
            from ..outputs.writing import render

            formats = task.options.formats
            outcome.output_name = default_output(report, "." + formats[0]).name
            outcome.files = render(report, formats, task.options.page)
    except GxError as exc:
        outcome.unreadable, outcome.first_error, outcome.error_location = True, str(exc), exc.where
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
        raise InputError("上年报告文件夹不存在", folder)
    index: dict[str, Path] = {}
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
    options: Options = DEFAULTS,
    keep_findings: bool = False,
    on_read: Callable[[FileOutcome], None] = lambda outcome: None,
    on_pdf: Callable[[int], None] = lambda count: None,
    on_outcome: Callable[[FileOutcome], None] = lambda outcome: None,
) -> BatchResult:
    """Check (or build into ``out_dir``) every input; ``options.previous`` is a file or a folder of last year's.

    Each report is written (every format together) as soon as it is rendered;
    with PDF, once its chunk is converted, after all are rendered. Events:
    ``on_read`` as each input is read (in input order), ``on_pdf`` with the
    number of reports waiting when the PDF phase starts, ``on_outcome`` when
    an input's fate is final.
    """
    from ..outputs.writing import PdfQueue, commit, require_renderer

    formats, force = options.formats, options.force
    soffice = require_renderer(formats, options.soffice) if build else None
    if not inputs:
        raise InputError("没有找到要处理的文件（文件夹中应有 .xlsx 工作簿或 .json 报告）")
    jobs = max(1, options.jobs or default_jobs())
    previous = options.previous
    index = previous_index(previous, registry, jobs) if previous is not None and previous.is_dir() else None
    tasks = [Task(path, build, options, None if index is not None else previous, index, keep_findings) for path in inputs]
    claimed: dict[str, Path] = {}
    outcomes = []
    manifest = OutputManifest(out_dir) if build else None  # saved once, even when the batch is interrupted
    queue = PdfQueue(formats, force, manifest, soffice, jobs) if build and "pdf" in formats else None
    waiting: dict[Path, FileOutcome] = {}  # output base → its input, while its PDF is made
    try:
        for outcome in run_ordered(run_task, tasks, registry, jobs):
            outcomes.append(outcome)
            on_read(outcome)
            item = _claim(outcome, out_dir, claimed)
            if item is not None and queue is not None:
                waiting[item.base] = outcome
                queue.add(item)
                continue
            if item is not None:
                commit(item, formats, force, manifest)
                _settle(outcome, item)
            on_outcome(outcome)
        result = BatchResult(outcomes)
        if queue is not None and len(queue):
            on_pdf(len(queue))

            def written(item: Rendered) -> None:
                _settle(waiting[item.base], item)
                on_outcome(waiting[item.base])

            result.font_substitutes = queue.run(written)
    finally:
        if queue is not None:
            queue.close()
        if manifest is not None:
            manifest.save()
    return result


def _claim(outcome: FileOutcome, out_dir: Path, claimed: dict[str, Path]) -> Rendered | None:
    """The rendered report's files and where they go, unless an earlier input already took that name."""
    if not outcome.files:
        return None
    files, outcome.files = outcome.files, {}
    name = outcome.output_name
    if name in claimed:
        outcome.write_error = f"与 {claimed[name].name} 的输出同名（{name}），未生成；请核对两个文件的机关名称和年度"
        return None
    claimed[name] = outcome.path
    return Rendered(out_dir / name, files)


def _settle(outcome: FileOutcome, item: Rendered) -> None:
    outcome.outputs = list(item.written)
    if item.error is not None:
        outcome.write_error, outcome.error_location = str(item.error), item.error.where
