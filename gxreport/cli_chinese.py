"""Click's own texts in Chinese: help headings, usage errors and the help option.

A clerk who reads ``--help`` or mistypes an option should read Chinese, with
the exit code (2) Click uses. Only typer's public names are used (typer 0.25+
carries a private copy of Click; importing from it would break with any typer).

Why an adapter and not a gettext catalog: typer's help calls ``gettext`` for
"Options", "Arguments", "Commands", "default: …" and "required", but Python's
``gettext.gettext`` takes the language from LANGUAGE/LC_ALL/LANG, which a
clerk's Windows does not set, and typer's Click copy writes "Usage: " with no
hook at all. So the help formatter (``typer.Context.formatter_class``, Click's
public extension point) is subclassed to write the headings in Chinese, and
usage errors are rebuilt from the exceptions' data (parameter, option name,
possibilities), never from their English text.
"""

from __future__ import annotations

import os
import re
import unicodedata

import typer
from typer.core import TyperCommand, TyperGroup

# Click's UsageError, reached through typer's public BadParameter (its direct base).
UsageError = typer.BadParameter.__mro__[1]

HELP_TEXT = "显示帮助并退出"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}
# The bracketed notes typer appends to a parameter's help, e.g. "[default: docx]", "[required]".
NOTES = (("default: ", "默认："), ("env var: ", "环境变量："), ("required", "必填"))
_NOTE = re.compile(r"\[([^\[\]]*)\]$")


def _note(match: re.Match) -> str:
    parts = []
    for part in match.group(1).split("; "):
        for english, chinese in NOTES:
            if part.startswith(english):
                part = chinese + part[len(english):]
                break
        parts.append(part)
    return "［" + "；".join(parts) + "］"


class ChineseHelpFormatter(typer.Context.formatter_class):
    """Click's help formatter writing its headings and notes in Chinese (type names such as <path>
    stay: Click aligns the columns by character count, and Chinese characters are two columns wide)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows, *args, **kwargs) -> None:
        super().write_dl([(term, _NOTE.sub(_note, text)) for term, text in rows], *args, **kwargs)


class ChineseContext(typer.Context):
    formatter_class = ChineseHelpFormatter


class ChineseUsageError(UsageError):
    """A usage error shown as one Chinese line plus where to find help."""

    def show(self, file=None) -> None:
        hint = f"\n运行 {self.ctx.command_path} --help 查看用法。" if self.ctx is not None else ""
        typer.echo(f"用法错误：{self.message}{hint}", err=True, file=file)


def _param_name(param) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "option":
        return "/".join(param.opts)
    return getattr(param, "metavar", None) or (getattr(param, "name", "") or "").upper()


def _bad_value(param) -> str:
    """Why a value does not fit the parameter's type, from the type itself."""
    kind = getattr(getattr(param, "type", None), "name", "")
    if kind.startswith("int"):  # "int", "int range" (older Click: "integer")
        low = getattr(param.type, "min", None)
        return "应为整数" + (f"，不小于 {low}" if low is not None else "")
    if kind.startswith("float"):
        return "应为数字"
    if kind == "choice":
        return "应为 " + "、".join(map(str, param.type.choices)) + " 之一"
    return "值无效"


def _is_help(exc: UsageError) -> bool:
    """Click's "no arguments, so show the help" (NoArgsIsHelpError): its message is the help itself."""
    return exc.ctx is not None and exc.message == exc.ctx.get_help()


def translate(exc: UsageError) -> UsageError:
    """The Chinese twin of a Click usage error, told apart by the data it carries."""
    if isinstance(exc, ChineseUsageError) or _is_help(exc):
        return exc
    if hasattr(exc, "possibilities"):  # NoSuchOption
        message = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            message += f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）"
    elif hasattr(exc, "param_type"):  # MissingParameter
        message = f"缺少参数 {_param_name(exc.param)}"
    elif isinstance(exc, typer.BadParameter):
        message = f"参数 {_param_name(exc.param)} 的值无效（{_bad_value(exc.param)}）"
    elif hasattr(exc, "option_name"):  # BadOptionUsage: an option given without its value
        message = f"选项 {exc.option_name} 用法有误（缺少值，或不能带值）"
    else:
        message = "用法有误"
    return ChineseUsageError(message, exc.ctx)


def refuse_unusable_values(ctx) -> None:
    """Values Click accepts but the system or a document cannot take, refused as usage errors (exit 2):
    a path with a name over 255 bytes (every file system refuses it), control characters in a text
    option (an agency name with an escape code would land in the document and the file name)."""
    from pathlib import Path

    from .fsio import MAX_COMPONENT_BYTES

    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        is_path = getattr(param.type, "name", "") == "path"
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, (str, Path)) and is_path:
                if any(len(os.fsencode(part)) > MAX_COMPONENT_BYTES for part in Path(item).parts):
                    raise ChineseUsageError(f"{_param_name(param)} 的路径中有超过 {MAX_COMPONENT_BYTES} 字节的名称，系统不接受；请改短", ctx)
            elif isinstance(item, str) and any(unicodedata.category(ch) == "Cc" for ch in item):
                raise ChineseUsageError(f"{_param_name(param)} 的值含有不可见的控制字符，请删除后重试", ctx)


class _ChineseHelp:
    context_class = ChineseContext

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class ChineseCommand(_ChineseHelp, TyperCommand):
    def parse_args(self, ctx, args):
        # Leftover arguments are said in Chinese here rather than by Click's English ctx.fail.
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ChineseUsageError(f"多余的参数：{' '.join(rest)}", ctx)
        return rest

    def invoke(self, ctx):
        refuse_unusable_values(ctx)
        return super().invoke(ctx)


class ChineseGroup(_ChineseHelp, TyperGroup):
    def resolve_command(self, ctx, args):
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            raise ChineseUsageError(f"没有这个命令：'{args[0]}'", ctx)
        return super().resolve_command(ctx, args)

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            raise translate(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise translate(exc) from None


class ChineseTyper(typer.Typer):
    """A Typer app whose group and every command speak Chinese."""

    def __init__(self, **kwargs):
        super().__init__(cls=ChineseGroup, subcommand_metavar=SUBCOMMAND_METAVAR, options_metavar=OPTIONS_METAVAR, **kwargs)

    def command(self, *args, cls=ChineseCommand, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        return super().command(*args, cls=cls, **kwargs)
