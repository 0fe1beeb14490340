"""What each command does once its arguments are parsed: call one library function, print, return the exit code.

Two parsers reach these functions: typer (``cli.py``) for every form of every
command, and ``start.py`` for the commonest forms (``gxreport check FILE…``,
``gxreport build FILE…``), which need no typer: importing typer and its copy of
Click costs more than checking a workbook. So nothing here imports typer.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from pathlib import Path
from typing import Optional

from . import __version__
from .console import safe, safe_json
from .errors import (
    EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, INTERRUPT_SIGNALS, Finding, GxError, InputError,
    Interrupted,
)


def echo(text: str, err: bool = False) -> None:
    """Every line a command prints: control characters in names shown, not obeyed by the terminal."""
    _write(safe(text), sys.stderr if err else sys.stdout)


def _echo_json(data) -> None:
    import json  # only --json needs it: ~1.5 ms off every plain check

    _write(safe_json(json.dumps(data, ensure_ascii=False, indent=2)), sys.stdout)


def _write(text: str, stream) -> None:
    if stream is None:  # no console (pythonw on Windows, a closed descriptor): nothing to say it to
        return
    stream.write(text + "\n")
    stream.flush()


def _err(text: str) -> None:
    echo(text, err=True)


def _interrupt(signum, frame) -> None:
    raise Interrupted(signum)


def unwind_on_termination() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C: workers and LibreOffice stopped, the manifest
    saved, temporary files removed; exit 128 + the signal's number."""
    for name in INTERRUPT_SIGNALS:
        if name != "SIGINT" and hasattr(signal, name):  # Python raises KeyboardInterrupt itself
            signal.signal(getattr(signal, name), _interrupt)


def _registry(templates: Optional[list[Path]]):
    from .declare.kinds import Registry

    return Registry(tuple(templates or ()))


def _say_failure(exc: GxError) -> None:
    _err(str(exc) if exc.exit_code == EXIT_INTERNAL else f"错误：{exc}")


def _unread(path: Path, exc: GxError) -> dict:
    """``path`` as an outcome that could not be read because of ``exc``: the one ``--json`` shape."""
    from .pipeline import FileOutcome

    return FileOutcome(path, unreadable=True, first_error=str(exc), error_location=exc.where).as_dict()


def _json_failure(files: list[Path]):
    """With ``--json``, a failure before any file was read (a templates folder that does not load,
    a bug) is said of every input as the list one file or many give, on stdout."""

    def fail(exc: GxError) -> None:
        from .office.batch import collect_inputs

        try:
            inputs = collect_inputs(files) or files
        except OSError:  # a folder that cannot be listed: said of the names given
            inputs = files
        _echo_json([_unread(path, exc) for path in inputs])

    return fail


def run(action, fail=_say_failure) -> int:
    """Run a command body; every failure ends as a Chinese message and an exit code (README's table).

    ``fail`` says a failure that ends the command (a ``GxError``, internal ones included): on
    stderr, or with ``--json`` as the command's JSON (``_json_failure``)."""
    try:
        return action() or EXIT_OK
    except GxError as exc:
        fail(exc)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (Interrupted): everything unwound by now
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        _err("已中断" if signum == signal.SIGINT else f"已终止（收到 {signal.Signals(signum).name}）")
        return 128 + signum
    except BrokenPipeError:  # the reader stopped reading (| head): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            fail(InputError("路径或其中的名称过长，系统不接受；请改短", exc.filename))
            return EXIT_INPUT
        fail(_internal(exc))
        return EXIT_INTERNAL
    except Exception as exc:  # never a traceback for a clerk
        fail(_internal(exc))
        return EXIT_INTERNAL


def _internal(exc: Exception) -> GxError:
    """A bug met outside any one file, said as a failure (exit 9) rather than a traceback."""
    error = GxError(f"gxreport 内部错误（{type(exc).__name__}：{str(exc)[:300]}）。请把这条信息和输入文件发给维护人员。")
    error.exit_code = EXIT_INTERNAL  # an instance, not a subclass: no class built at every start
    return error


def _print_findings(findings: list[Finding], err: bool = False) -> None:
    for finding in findings:
        echo(str(finding), err=err)


def _print_font_substitutes(used: dict[str, str]) -> None:
    if used:
        echo("PDF 字体替代：" + "；".join(f"{face} → {sub}" for face, sub in used.items()))


def _summary(findings: list[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    return f"{errors} 个错误，{warnings} 个警告"


def version() -> int:
    echo(f"gxreport {__version__}")
    return EXIT_OK


def init(file: Path, agency: Optional[str] = None, year: Optional[int] = None, kind: Optional[str] = None,
         fmt: Optional[str] = None, source: Optional[Path] = None, force: bool = False,
         templates: Optional[list[Path]] = None) -> int:
    def action():
        from . import api

        registry = _registry(templates)
        if source is not None:
            started = api.next_year_workbook(file, registry, source, year, agency, fmt, force)
            _print_findings(started.findings)
            path = started.path
            echo(f"已按上年报告 {source.name} 生成 {started.report.year} 年度工作簿（{started.report.kind.format or started.report.kind.name} 格式）："
                 "上年结转已带入，上年正文作为草稿（底色标出），请逐段修改")
        else:
            path = api.init_workbook(file, registry, kind, year, agency, fmt, source, force)
        echo(f"已生成工作簿：{path}")
        echo(f"请填写后运行：gxreport check {path}")

    return run(action)


def _is_batch(files: list[Path], previous: Optional[Path]) -> bool:
    return len(files) > 1 or files[0].is_dir() or (previous is not None and previous.is_dir())


_WANTED = "要处理的文件（应有 .xlsx 工作簿或 .json 报告）"


def _run_batch(files, templates, options, *, build: bool, out_dir: Path, progress=None, as_json=False) -> int:
    """Many files (or --json): a status line each, a progress bar (and one for the PDFs), a closing
    table, or the outcomes as JSON (exit codes in README)."""
    from .office import batch
    from .console import progress_display, status_line, summary_table

    registry = _registry(templates)
    inputs = batch.collect_inputs(files)
    if not inputs:  # only folders can hold none
        if as_json:  # each folder says so of itself
            _echo_json([_unread(folder, batch.nothing_found([folder], _WANTED)) for folder in files])
            return EXIT_INPUT
        raise batch.nothing_found(files, _WANTED)
    shown = (sys.stderr.isatty() if progress is None else progress) and not as_json
    with progress_display(len(inputs), shown, echo) as display:

        def report(outcome) -> None:
            display.done()
            if not as_json:
                display.line(safe(status_line(outcome)))

        result = batch.run_batch(
            inputs, registry, build=build, out_dir=out_dir, options=options, keep_findings=as_json,
            on_read=lambda outcome: display.read(), on_pdf=display.pdf, on_outcome=report,
        )
    if as_json:
        _echo_json([o.as_dict() for o in result.outcomes])
    else:
        echo(summary_table(result, build))
        _print_font_substitutes(result.font_substitutes)
    if result.nothing_read:
        return EXIT_INPUT
    return EXIT_FINDINGS if result.failed else EXIT_OK


def check(files: list[Path], as_json: bool = False, fmt: Optional[str] = None, previous: Optional[Path] = None,
          jobs: Optional[int] = None, progress: Optional[bool] = None, templates: Optional[list[Path]] = None) -> int:
    def action():
        from . import api

        options = api.Options(fmt=fmt, previous=previous, jobs=jobs)
        if as_json or _is_batch(files, previous):  # one JSON shape, a list, for one file or many
            return _run_batch(files, templates, options, build=False, out_dir=api.DEFAULT_OUT_DIR, progress=progress, as_json=as_json)
        file = files[0]
        result = api.check_file(file, _registry(templates), options)
        _print_findings(result.findings)
        verdict = "检查通过" if result.ok else "检查未通过"
        echo(f"{file.name}：{verdict}，{_summary(result.findings)}")
        return EXIT_OK if result.ok else EXIT_FINDINGS

    return run(action, _json_failure(files) if as_json else _say_failure)


def build(files: list[Path], output: Optional[Path] = None, to: str = "docx", pdf: bool = False, force: bool = False,
          fmt: Optional[str] = None, previous: Optional[Path] = None, jobs: Optional[int] = None,
          progress: Optional[bool] = None, soffice: Optional[str] = None, templates: Optional[list[Path]] = None) -> int:
    def action():
        from . import api

        from .outputs.writing import FORMATS, parse_formats

        formats = parse_formats(to + (",pdf" if pdf else ""))
        options = api.Options(fmt=fmt, previous=previous, force=force, formats=formats, jobs=jobs, soffice=soffice)
        if _is_batch(files, previous):
            if output is not None and (output.is_file() or output.suffix.lower().lstrip(".") in FORMATS):
                raise InputError("处理多个文件时 -o 应为输出文件夹，不是文件", output)
            return _run_batch(files, templates, options, build=True, out_dir=output or api.DEFAULT_OUT_DIR, progress=progress)
        file = files[0]
        result = api.build_file(file, _registry(templates), output, options)
        if result.refused:
            _print_findings([f for f in result.findings if f.is_error], err=True)
            _err(f"{file.name}：{_summary(result.findings)}，未生成文档。请修正后重试（或加 --force 强制生成）。")
            return EXIT_FINDINGS
        _print_findings(result.findings)
        for path in result.outputs:
            echo(f"已生成：{path}")
        _print_font_substitutes(result.font_substitutes)
        return EXIT_OK

    return run(action)


def rollup(files: list[Path], output: Path, agency: str, year: Optional[int] = None, force: bool = False,
           jobs: Optional[int] = None, progress: Optional[bool] = None, templates: Optional[list[Path]] = None) -> int:
    def action():
        from .office.batch import collect_inputs
        from .console import progress_display
        from .office.rollup import rollup

        shown = sys.stderr.isatty() if progress is None else progress
        with progress_display(len(collect_inputs(files)), shown, echo) as display:
            result = rollup(files, output, _registry(templates), agency, year, force, jobs, on_read=lambda part: display.read())
        for part in result.forced:
            _err(f"注意：{part.path.name} 有 {part.errors} 个错误，已按 --force 计入（首个：{part.first_error}）")
        echo(f"已汇总 {len(result.contributions)} 个机关的报告：{result.output}")
        echo(f"请在“基本信息”核对成文日期、在“正文”填写汇总报告的文字后运行：gxreport build {result.output}")

    return run(action)


def export(file: Path, output: Path, force: bool = False, templates: Optional[list[Path]] = None) -> int:
    def action():
        from . import api

        result = api.export_json(file, _registry(templates), output, force)
        _print_findings(result.findings)
        echo(f"已导出：{output}")

    return run(action)


def import_(files: list[Path], output: Optional[Path] = None, as_json: bool = False, force: bool = False,
            jobs: Optional[int] = None, progress: Optional[bool] = None, templates: Optional[list[Path]] = None) -> int:
    def action():
        from . import api

        if len(files) == 1 and not files[0].is_dir():
            if output is None:
                raise InputError("请用 -o 指定输出的工作簿（.xlsx）或 JSON（.json）")
            file = files[0]
            result = api.import_file(file, _registry(templates), output, force)
            _print_findings(result.findings)
            report = result.report
            echo(f"{file.name}：{report.agency or '（机关名称未读取）'} {report.year or ''} 年度，{report.kind.format} 格式，{_summary(result.findings)}")
            echo(f"已导入：{output}")
            return EXIT_OK
        from .office.batch import collect_inputs
        from .console import progress_display

        shown = sys.stderr.isatty() if progress is None else progress
        with progress_display(len(collect_inputs(files, api.PUBLISHED_SUFFIXES)), shown, echo) as display:

            def done(o) -> None:
                display.read()
                if o.unreadable:
                    text = f"{o.path.name}：无法读取：{o.first_error}"
                elif o.write_error:
                    text = f"{o.path.name}：未写入：{o.write_error}"
                else:
                    text = f"{o.path.name}：已导入 {o.output}（{o.agency or '机关名称未读取'} {o.year or ''} 年度，{o.errors} 个错误，{o.warnings} 个警告）"
                display.line(safe(text))

            outcomes = api.import_files(files, _registry(templates), output or Path("导入"), ".json" if as_json else ".xlsx",
                                        force, jobs, done)
        unreadable = sum(o.unreadable for o in outcomes)
        unwritten = sum(bool(o.write_error) for o in outcomes)
        echo(f"导入 {len(outcomes)} 份报告：已导入 {len(outcomes) - unreadable - unwritten}，无法读取 {unreadable}，未写入 {unwritten}")
        if unreadable == len(outcomes):
            return EXIT_INPUT
        return EXIT_FINDINGS if unreadable or unwritten else EXIT_OK

    return run(action)


def audit(files: list[Path], output: Optional[Path] = None, force: bool = False, jobs: Optional[int] = None,
          progress: Optional[bool] = None, templates: Optional[list[Path]] = None) -> int:
    def action():
        from . import api
        from .office.audit import AUDIT_SUFFIXES
        from .office.batch import collect_inputs
        from .console import progress_display

        shown = sys.stderr.isatty() if progress is None else progress
        with progress_display(len(collect_inputs(files, AUDIT_SUFFIXES)), shown, echo) as display:

            def row_done(row) -> None:
                display.read()
                first = row.unreadable or (str(row.errors[0]) if row.errors else "")
                display.line(safe(f"{row.path.name}：{row.status}" + (f"（{row.agency} {row.year or ''}）" if row.agency else "") + (f"：{first}" if first else "")))

            target = output or api.DEFAULT_AUDIT
            result = api.audit_files(files, _registry(templates), target, jobs, force, row_done)
        for row in result.rows:
            if row.cross_year:
                errors = [f for f in row.cross_year if f.is_error]
                verdict = f"有错误：{errors[0]}" if errors else f"{len(row.cross_year)} 个警告"
                echo(safe(f"{row.path.name}：与上年报告 {row.last_year} 核对（R5、R8），{verdict}"))
        counts = {status: sum(1 for r in result.rows if r.status == status) for status in ("通过", "有错误", "无法读取")}
        echo(f"审核 {len(result.rows)} 份报告：通过 {counts['通过']}，有错误 {counts['有错误']}，无法读取 {counts['无法读取']}")
        echo(safe(f"审核表：{target}"))
        if result.nothing_read:
            return EXIT_INPUT
        return EXIT_FINDINGS if result.failed else EXIT_OK

    return run(action)


def _near(path: Path) -> str:
    """A path as typed from here: relative inside the working folder (a checkout), else absolute (an install)."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def kinds(templates: Optional[list[Path]] = None) -> int:
    def action():
        registry = _registry(templates)
        for kind_id in registry.ids():
            variants = sorted((k for k in registry.all() if k.id == kind_id), key=lambda k: k.years, reverse=True)
            formats = "、".join(f"{k.format}（{registry.years_text(k)}）" if k.format else registry.years_text(k) for k in variants)
            samples = "、".join(dict.fromkeys(_near(k.sample_file) for k in variants if k.sample_file)) or "-"
            echo(f"{kind_id}\t{variants[0].name}\t格式：{formats}\t样例：{samples}")

    return run(action)


def serve(host: str = "127.0.0.1", port: int = 8765, data: Optional[Path] = None, database_url: Optional[str] = None,
          no_browser: bool = False, soffice: Optional[str] = None) -> int:
    def action():
        from .web import serve  # Flask and the database layer load only for this command

        serve(host, port, data, database_url, not no_browser, soffice=soffice, say=echo)

    return run(action)
