"""Command line: typer declares every command's arguments and help; ``commands`` does the work.

Each command parses its arguments and calls the function of the same name in
``commands.py``, whose return value is the exit code (README's table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import commands
from .cli_chinese import ChineseTyper

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
    raise typer.Exit(commands.init(file, agency, year, kind, fmt, source, force, templates))


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
    raise typer.Exit(commands.check(files, as_json, fmt, previous, jobs, progress, templates))


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
    raise typer.Exit(commands.build(files, output, to, pdf, force, fmt, previous, jobs, progress, soffice, templates))


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
    raise typer.Exit(commands.rollup(files, output, agency, year, force, jobs, progress, templates))


@app.command("export", help="把工作簿导出为 JSON 报告（数据格式见 README）。")
def export_command(
    file: Path = typer.Argument(..., help="工作簿（.xlsx）"),
    output: Path = typer.Option(..., "-o", "--output", help="输出的 .json 文件"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    templates: Optional[list[Path]] = TemplatesOption,
) -> None:
    raise typer.Exit(commands.export(file, output, force, templates))


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
    raise typer.Exit(commands.import_(files, output, as_json, force, jobs, progress, templates))


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
    raise typer.Exit(commands.audit(files, output, force, jobs, progress, templates))


@app.command("kinds", help="列出可用的报告类型及其格式。")
def kinds_command(templates: Optional[list[Path]] = TemplatesOption) -> None:
    raise typer.Exit(commands.kinds(templates))


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
    raise typer.Exit(commands.serve(host, port, data, database_url, no_browser, soffice))


def _version(value: bool) -> None:
    if value:
        raise typer.Exit(commands.version())


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """gxreport"""


def main() -> None:
    commands.unwind_on_termination()
    app(prog_name="gxreport")


if __name__ == "__main__":  # pragma: no cover
    main()
