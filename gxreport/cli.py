"""Command line: parse arguments, call one library function, map errors to exit codes."""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .cli_chinese import ChineseTyper
from .console import safe, safe_json
from .errors import (
    EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, INTERRUPT_SIGNALS, Finding, GxError, InputError,
    Interrupted,
)

EXIT_CODES_HELP = (
    "退出码：0 成功；1 报告有错误（check 发现错误，或 build 因错误拒绝生成）；"
    "2 输入无法读取或用法错误；3 输出无法写入或不允许覆盖；4 模板或格式声明有误；"
    "5 缺少 LibreOffice 等外部程序；9 程序内部错误；130 被中断（Ctrl-C；被 SIGTERM 终止为 143）。"
)

app = ChineseTyper(
    name="gxreport",
    help="政府信息公开工作年度报告等公文的生成工具：填写工作簿 → 检查 → 生成符合 GB/T 9704 的 Word 文档。\n\n"
    + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

TemplatesOption = typer.Option(None, "--templates", help="自定义报告类型模板目录（可多次指定），同名类型优先")
FilesArgument = typer.Argument(..., metavar="文件或文件夹", help="工作簿（.xlsx）或 JSON 报告；可给多个文件或文件夹（处理文件夹中的 .xlsx 和 .json）")
JobsOption = typer.Option(None, "--jobs", "-j", min=1, help="批量处理时的并行进程数，默认为 CPU 核数")
PreviousOption = typer.Option(
    None, "--previous", help="上年报告（.xlsx、.json、.docx、.html 或 .pdf），核对上年结转（R5）和现行有效件数（R8）；批量时可给上年报告所在文件夹，按机关名称对应"
)
ProgressOption = typer.Option(None, "--progress/--no-progress", help="批量处理时显示进度条（默认仅在终端中显示）")


def _echo(text: str, err: bool = False) -> None:
    """Every line the CLI prints: control characters in names shown, not obeyed by the terminal."""
    typer.echo(safe(text), err=err)


def _echo_json(data) -> None:
    typer.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=2)))


def _err(text: str) -> None:
    _echo(text, err=True)


def _registry(templates: Optional[list[Path]]):
    from .declare.kinds import Registry

    return Registry(tuple(templates or ()))


def _run(action) -> None:
    """Run a command body; every failure ends as a Chinese message and an exit code."""
    try:
        code = action()
    except GxError as exc:
        _err(f"错误：{exc}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (Interrupted): everything unwound by now
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        _err("已中断" if signum == signal.SIGINT else f"已终止（收到 {signal.Signals(signum).name}）")
        raise typer.Exit(128 + signum) from None
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:  # the reader stopped reading (| head): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_OK) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            _err(f"错误：{exc.filename}: 路径或其中的名称过长，系统不接受；请改短")
            raise typer.Exit(EXIT_INPUT) from None
        _internal(exc)
    except Exception as exc:  # never a traceback for a clerk
        _internal(exc)
    raise typer.Exit(code or EXIT_OK)


def _internal(exc: Exception) -> None:
    _err(f"gxreport 内部错误（{type(exc).__name__}：{str(exc)[:300]}）。请把这条信息和输入文件发给维护人员。")
    raise typer.Exit(EXIT_INTERNAL) from None


def _print_findings(findings: list[Finding], err: bool = False) -> None:
    for finding in findings:
        _echo(str(finding), err=err)


def _print_font_substitutes(used: dict[str, str]) -> None:
    if used:
        _echo("PDF 字体替代：" + "；".join(f"{face} → {sub}" for face, sub in used.items()))


def _summary(findings: list[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    return f"{errors} 个错误，{warnings} 个警告"


@app.command("init", help="生成待填写的工作簿（不会覆盖已有文件）。")
def init_command(
    file: Path = typer.Argument(..., help="要生成的工作簿，如 2021.xlsx"),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称，预先填入"),
    year: Optional[int] = typer.Option(None, "--year", help="报告年度，决定表格格式"),
    kind: Optional[str] = typer.Option(None, "--kind", help="报告类型，见 gxreport kinds；默认为年度报告"),
    fmt: Optional[str] = typer.Option(None, "--format", help="指定格式（如 2019），默认按年度"),
    source: Optional[Path] = typer.Option(None, "--from", help="上年报告（.xlsx、.json、.docx、.html 或 .pdf）：生成下一年度的工作簿，带入机关信息和上年结转，上年正文作为草稿"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        from . import api

        registry = _registry(templates)
        if source is not None:
            started = api.next_year_workbook(file, registry, source, year, agency, fmt, force)
            _print_findings(started.findings)
            path = started.path
            _echo(f"已按上年报告 {source.name} 生成 {started.report.year} 年度工作簿（{started.report.kind.format or started.report.kind.name} 格式）："
                  "上年结转已带入，上年正文作为草稿（底色标出），请逐段修改")
        else:
            path = api.init_workbook(file, registry, kind, year, agency, fmt, source, force)
        _echo(f"已生成工作簿：{path}")
        _echo(f"请填写后运行：gxreport check {path}")

    _run(action)


def _is_batch(files: list[Path], previous: Optional[Path]) -> bool:
    return len(files) > 1 or files[0].is_dir() or (previous is not None and previous.is_dir())


def _run_batch(files, templates, options, *, build: bool, out_dir: Path, progress=None, as_json=False) -> int:
    """Many files (or --json): a status line each, a progress bar (and one for the PDFs), a closing
    table, or the outcomes as JSON (exit codes in README)."""
    from .office import batch
    from .console import progress_display, status_line, summary_table

    registry = _registry(templates)
    inputs = batch.collect_inputs(files)
    shown = (sys.stderr.isatty() if progress is None else progress) and not as_json
    with progress_display(len(inputs), shown, _echo) as display:

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
        _echo(summary_table(result, build))
        _print_font_substitutes(result.font_substitutes)
    if result.nothing_read:
        return EXIT_INPUT
    return EXIT_FINDINGS if result.failed else EXIT_OK


@app.command("check", help="检查工作簿或 JSON 报告（可多个），列出每个不符合规则之处及其单元格。\n\n" + EXIT_CODES_HELP)
def check_command(
    files: list[Path] = FilesArgument,
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果"),
    fmt: Optional[str] = typer.Option(None, "--format", help="按指定格式检查（如 2019）"),
    previous: Optional[Path] = PreviousOption,
    jobs: Optional[int] = JobsOption,
    progress: Optional[bool] = ProgressOption,
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        from . import api

        options = api.Options(fmt=fmt, previous=previous, jobs=jobs)
        if as_json or _is_batch(files, previous):  # one JSON shape, a list, for one file or many
            return _run_batch(files, templates, options, build=False, out_dir=api.DEFAULT_OUT_DIR, progress=progress, as_json=as_json)
        file = files[0]
        result = api.check_file(file, _registry(templates), options)
        _print_findings(result.findings)
        verdict = "检查通过" if result.ok else "检查未通过"
        _echo(f"{file.name}：{verdict}，{_summary(result.findings)}")
        return EXIT_OK if result.ok else EXIT_FINDINGS

    _run(action)


@app.command(
    "build",
    help="检查后生成 Word 文档（默认 build/<机关名称><年度>年….docx），也可同时生成 PDF 和网页；有错误时拒绝生成。"
    "可给多个文件或文件夹。\n\n" + EXIT_CODES_HELP,
)
def build_command(
    files: list[Path] = FilesArgument,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件路径；多个输入时为输出文件夹（默认 build）"),
    to: str = typer.Option("docx", "--to", help="输出格式，逗号分隔：docx、pdf（需 LibreOffice）、html"),
    pdf: bool = typer.Option(False, "--pdf", help="同时生成 PDF，即 --to 再加 pdf"),
    force: bool = typer.Option(False, "--force", help="有错误也生成；覆盖被修改过的输出"),
    fmt: Optional[str] = typer.Option(None, "--format", help="按指定格式生成（与年度不符时给出警告）"),
    previous: Optional[Path] = PreviousOption,
    jobs: Optional[int] = JobsOption,
    progress: Optional[bool] = ProgressOption,
    soffice: Optional[str] = typer.Option(
        None, "--soffice", help="LibreOffice 的 soffice 程序路径（默认在 PATH 和安装程序的默认位置查找；也可用环境变量 GXREPORT_SOFFICE）"
    ),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
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
            _echo(f"已生成：{path}")
        _print_font_substitutes(result.font_substitutes)
        return EXIT_OK

    _run(action)


@app.command("rollup", help="把多个机关同一年度的报告汇总为一个新的工作簿（表二、表三、表四逐格相加），附汇总概览和汇总来源表；有错误的文件默认不汇总。\n\n" + EXIT_CODES_HELP)
def rollup_command(
    files: list[Path] = typer.Argument(..., metavar="文件或文件夹", help="各机关的工作簿（.xlsx）或 JSON 报告，或其所在文件夹"),
    output: Path = typer.Option(..., "-o", "--output", help="要生成的汇总工作簿，如 汇总.xlsx"),
    agency: str = typer.Option(..., "--agency", help="汇总报告的机关名称，如 XX县人民政府"),
    year: Optional[int] = typer.Option(None, "--year", help="报告年度（默认取多数文件的年度）"),
    force: bool = typer.Option(False, "--force", help="有错误的文件也计入；覆盖已存在的汇总工作簿"),
    jobs: Optional[int] = JobsOption,
    progress: Optional[bool] = ProgressOption,
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        from .office.batch import collect_inputs
        from .console import progress_display
        from .office.rollup import rollup

        shown = sys.stderr.isatty() if progress is None else progress
        with progress_display(len(collect_inputs(files)), shown, _echo) as display:
            result = rollup(files, output, _registry(templates), agency, year, force, jobs, on_read=lambda part: display.read())
        for part in result.forced:
            _err(f"注意：{part.path.name} 有 {part.errors} 个错误，已按 --force 计入（首个：{part.first_error}）")
        _echo(f"已汇总 {len(result.contributions)} 个机关的报告：{result.output}")
        _echo(f"请在“基本信息”核对成文日期、在“正文”填写汇总报告的文字后运行：gxreport build {result.output}")

    _run(action)


@app.command("export", help="把工作簿导出为 JSON 报告（数据格式见 README）。")
def export_command(
    file: Path = typer.Argument(..., help="工作簿（.xlsx）"),
    output: Path = typer.Option(..., "-o", "--output", help="输出的 .json 文件"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        from . import api

        result = api.export_json(file, _registry(templates), output, force)
        _print_findings(result.findings)
        _echo(f"已导出：{output}")

    _run(action)


@app.command(
    "import",
    help="导入已发布的年度报告（Word .docx、网页 .html 或 PDF），转为工作簿或 JSON；可给多个文件或文件夹，"
    "此时 -o 为输出文件夹。\n\n" + EXIT_CODES_HELP,
)
def import_command(
    files: list[Path] = typer.Argument(..., metavar="文件或文件夹", help="已发布的报告（.docx、.html 或 .pdf）；可给多个文件或文件夹"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出的工作簿（.xlsx）或 JSON（.json）；多个输入时为输出文件夹（默认 导入）"),
    as_json: bool = typer.Option(False, "--json", help="多个输入时输出 JSON 报告而不是工作簿"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    jobs: Optional[int] = JobsOption,
    progress: Optional[bool] = ProgressOption,
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        from . import api

        if len(files) == 1 and not files[0].is_dir():
            if output is None:
                raise InputError("请用 -o 指定输出的工作簿（.xlsx）或 JSON（.json）")
            file = files[0]
            result = api.import_file(file, _registry(templates), output, force)
            _print_findings(result.findings)
            report = result.report
            _echo(f"{file.name}：{report.agency or '（机关名称未读取）'} {report.year or ''} 年度，{report.kind.format} 格式，{_summary(result.findings)}")
            _echo(f"已导入：{output}")
            return EXIT_OK
        from .office.batch import collect_inputs
        from .console import progress_display, safe

        shown = sys.stderr.isatty() if progress is None else progress
        with progress_display(len(collect_inputs(files, api.PUBLISHED_SUFFIXES)), shown, _echo) as display:

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
        _echo(f"导入 {len(outcomes)} 份报告：已导入 {len(outcomes) - unreadable - unwritten}，无法读取 {unreadable}，未写入 {unwritten}")
        if unreadable == len(outcomes):
            return EXIT_INPUT
        return EXIT_FINDINGS if unreadable or unwritten else EXIT_OK

    _run(action)


@app.command(
    "audit",
    help="审核已发布的年度报告：逐份读取文件夹或文件中的报告（网页 .html、Word .docx、PDF、工作簿 .xlsx、JSON），"
    "检查 R1–R13（文件夹中有同一机关上一年度的报告时也核对 R5、R8），写出审核表（每份报告一行、每条规则一张表、汇总）。"
    "有报告存在错误或无法读取时退出码为 1。\n\n" + EXIT_CODES_HELP,
)
def audit_command(
    files: list[Path] = typer.Argument(..., metavar="文件或文件夹", help="已发布的报告或其所在文件夹"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="审核表（.xlsx），默认 审核结果.xlsx"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的审核表"),
    jobs: Optional[int] = JobsOption,
    progress: Optional[bool] = ProgressOption,
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        from . import api
        from .office.audit import AUDIT_SUFFIXES
        from .office.batch import collect_inputs
        from .console import progress_display, safe

        shown = sys.stderr.isatty() if progress is None else progress
        with progress_display(len(collect_inputs(files, AUDIT_SUFFIXES)), shown, _echo) as display:

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
                _echo(safe(f"{row.path.name}：与上年报告 {row.last_year} 核对（R5、R8），{verdict}"))
        counts = {status: sum(1 for r in result.rows if r.status == status) for status in ("通过", "有错误", "无法读取")}
        _echo(f"审核 {len(result.rows)} 份报告：通过 {counts['通过']}，有错误 {counts['有错误']}，无法读取 {counts['无法读取']}")
        _echo(safe(f"审核表：{target}"))
        if result.nothing_read:
            return EXIT_INPUT
        return EXIT_FINDINGS if result.failed else EXIT_OK

    _run(action)


def _near(path: Path) -> str:
    """A path as typed from here: relative inside the working folder (a checkout), else absolute (an install)."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


@app.command("kinds", help="列出可用的报告类型及其格式。")
def kinds_command(templates: Optional[list[Path]] = TemplatesOption) -> None:
    def action():
        registry = _registry(templates)
        for kind_id in registry.ids():
            variants = sorted((k for k in registry.all() if k.id == kind_id), key=lambda k: k.years, reverse=True)
            formats = "、".join(f"{k.format}（{registry.years_text(k)}）" if k.format else registry.years_text(k) for k in variants)
            samples = "、".join(dict.fromkeys(_near(k.sample_file) for k in variants if k.sample_file)) or "-"
            _echo(f"{kind_id}\t{variants[0].name}\t格式：{formats}\t样例：{samples}")

    _run(action)


@app.command("serve", help="启动报告工作台（本机网页）：文员下载工作簿、上传检查、下载文档；政务公开办收取各部门报告并汇总。")
def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；默认只允许本机访问，给 0.0.0.0 时本单位网络中的电脑均可访问"),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="端口"),
    data: Optional[Path] = typer.Option(None, "--data", help="数据文件夹（数据库、上传的文件、生成的文档、日志），默认为用户目录下的 gxreport-data"),
    database_url: Optional[str] = typer.Option(
        None, "--database-url", envvar="GXREPORT_DATABASE_URL", help="数据库地址，如 postgresql://用户@主机/库名；默认用数据文件夹中的 SQLite"
    ),
    no_browser: bool = typer.Option(False, "--no-browser", help="不自动打开浏览器"),
    soffice: Optional[str] = typer.Option(
        None, "--soffice", help="LibreOffice 的 soffice 程序路径（生成 PDF 和页面预览；默认在 PATH 和安装程序的默认位置查找；也可用环境变量 GXREPORT_SOFFICE）"
    ),
) -> None:
    def action():
        from .web import serve  # Flask and the database layer load only for this command

        serve(host, port, data, database_url, not no_browser, soffice=soffice, say=typer.echo)

    _run(action)


def _version(value: bool) -> None:
    if value:
        _echo(f"gxreport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """gxreport"""


def _interrupt(signum, frame) -> None:
    raise Interrupted(signum)


def main() -> None:
    # SIGTERM and SIGHUP unwind like Ctrl-C: workers and LibreOffice stopped, the
    # manifest saved, temporary files removed; exit 128 + the signal's number.
    for name in INTERRUPT_SIGNALS:
        if name != "SIGINT" and hasattr(signal, name):  # Python raises KeyboardInterrupt itself
            signal.signal(getattr(signal, name), _interrupt)
    app(prog_name="gxreport")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
