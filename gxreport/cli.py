"""Command line: parse arguments, call one library function, map errors to exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__, api
from .errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, Finding, GxError
from .kinds import Registry

EXIT_CODES_HELP = (
    "退出码：0 成功；1 报告有错误（check 发现错误，或 build 因错误拒绝生成）；"
    "2 输入无法读取或用法错误；3 输出无法写入或不允许覆盖；4 模板或格式声明有误；"
    "5 缺少 LibreOffice 等外部程序；9 程序内部错误。"
)

app = typer.Typer(
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


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _registry(templates: Optional[list[Path]]) -> Registry:
    return Registry(tuple(templates or ()))


def _run(action) -> None:
    """Run a command body; every failure ends as a Chinese message and an exit code."""
    try:
        code = action()
    except GxError as exc:
        _err(f"错误：{exc.message}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err("已中断")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # never a traceback for a clerk
        _err(f"gxreport 内部错误（{type(exc).__name__}：{str(exc)[:300]}）。请把这条信息和输入文件发给维护人员。")
        raise typer.Exit(EXIT_INTERNAL) from None
    raise typer.Exit(code or EXIT_OK)


def _print_findings(findings: list[Finding], err: bool = False) -> None:
    for finding in findings:
        typer.echo(str(finding), err=err)


def _summary(findings: list[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    return f"{errors} 个错误，{warnings} 个警告"


@app.command("init", help="生成待填写的工作簿（不会覆盖已有文件）。")
def init_command(
    file: Path = typer.Argument(..., help="要生成的工作簿，如 2021.xlsx"),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称，预先填入"),
    year: Optional[int] = typer.Option(None, "--year", help="报告年度，决定表格格式"),
    kind: str = typer.Option("annual", "--kind", help="报告类型，见 gxreport kinds"),
    fmt: Optional[str] = typer.Option(None, "--format", help="指定格式（如 2019），默认按年度"),
    source: Optional[Path] = typer.Option(None, "--from", help="用已有报告（.json 或 .xlsx）的数据填写"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        registry = _registry(templates)
        path = api.init_workbook(file, registry, kind, year, agency, fmt, source, force)
        typer.echo(f"已生成工作簿：{path}")
        typer.echo(f"请填写后运行：gxreport check {path}")

    _run(action)


@app.command("check", help="检查工作簿或 JSON 报告，列出每个不符合规则之处及其单元格。\n\n" + EXIT_CODES_HELP)
def check_command(
    file: Path = typer.Argument(..., help="工作簿（.xlsx）或 JSON 报告"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果"),
    fmt: Optional[str] = typer.Option(None, "--format", help="按指定格式检查（如 2019）"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        result = api.check_file(file, _registry(templates), fmt)
        if as_json:
            payload = {
                "file": str(file),
                "ok": result.ok,
                "findings": [f.as_dict() for f in result.findings],
            }
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            _print_findings(result.findings)
            verdict = "检查通过" if result.ok else "检查未通过"
            typer.echo(f"{file.name}：{verdict}，{_summary(result.findings)}")
        return EXIT_OK if result.ok else EXIT_FINDINGS

    _run(action)


@app.command("build", help="检查后生成 Word 文档（默认 build/<机关名称><年度>年….docx）；有错误时拒绝生成。\n\n" + EXIT_CODES_HELP)
def build_command(
    file: Path = typer.Argument(..., help="工作簿（.xlsx）或 JSON 报告"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件路径"),
    force: bool = typer.Option(False, "--force", help="有错误也生成；覆盖被修改过的输出"),
    fmt: Optional[str] = typer.Option(None, "--format", help="按指定格式生成（与年度不符时给出警告）"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        result = api.build_file(file, _registry(templates), output, force, fmt)
        if result.refused:
            _print_findings([f for f in result.findings if f.is_error], err=True)
            _err(f"{file.name}：{_summary(result.findings)}，未生成文档。请修正后重试（或加 --force 强制生成）。")
            return EXIT_FINDINGS
        _print_findings(result.findings)
        for path in result.outputs:
            typer.echo(f"已生成：{path}")
        return EXIT_OK

    _run(action)


@app.command("export", help="把工作簿导出为 JSON 报告（数据格式见 README）。")
def export_command(
    file: Path = typer.Argument(..., help="工作簿（.xlsx）"),
    output: Path = typer.Option(..., "-o", "--output", help="输出的 .json 文件"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    def action():
        result = api.export_json(file, _registry(templates), output, force)
        _print_findings(result.findings)
        typer.echo(f"已导出：{output}")

    _run(action)


@app.command("kinds", help="列出可用的报告类型及其格式。")
def kinds_command(templates: Optional[list[Path]] = TemplatesOption) -> None:
    def action():
        registry = _registry(templates)
        for kind_id in registry.ids():
            variants = [k for k in registry.all() if k.id == kind_id]
            formats = "、".join(k.format for k in sorted(variants, key=lambda k: k.format, reverse=True) if k.format) or "-"
            samples = "、".join(k.sample for k in variants if k.sample) or "-"
            typer.echo(f"{kind_id}\t{variants[0].name}\t格式：{formats}\t样例：{samples}")

    _run(action)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gxreport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """gxreport"""


def main() -> None:
    app(prog_name="gxreport")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
