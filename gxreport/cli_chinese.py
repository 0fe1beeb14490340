"""Click's own texts in Chinese: the help option and usage errors.

A clerk who mistypes an option should read what went wrong in Chinese, with the
same exit code (2) Click uses. Typer builds commands from these classes.
"""

from __future__ import annotations

import os
import unicodedata

import typer
from typer.core import TyperCommand, TyperGroup

try:  # Typer ≥ 0.25 carries its own copy of Click
    from typer._click import echo, exceptions as click_errors
except ImportError:  # pragma: no cover - older Typer on the real Click
    from click import echo, exceptions as click_errors

HELP_TEXT = "显示帮助并退出"


class ChineseUsageError(click_errors.UsageError):
    """A usage error shown as one Chinese line plus where to find help."""

    def show(self, file=None) -> None:
        hint = f"\n运行 {self.ctx.command_path} --help 查看用法。" if self.ctx is not None else ""
        echo(f"用法错误：{self.message}{hint}", err=True, file=file)


def _param_name(param) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "option":
        return "/".join(param.opts)
    return getattr(param, "metavar", None) or (getattr(param, "name", "") or "").upper()


def translate(exc: click_errors.UsageError) -> click_errors.UsageError:
    """The Chinese twin of a Click usage error; help requests pass through."""
    if isinstance(exc, (ChineseUsageError, click_errors.NoArgsIsHelpError)):
        return exc
    if isinstance(exc, click_errors.MissingParameter):
        message = f"缺少参数 {_param_name(exc.param)}"
    elif isinstance(exc, click_errors.NoSuchOption):
        message = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            message += f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）"
    elif isinstance(exc, click_errors.BadOptionUsage):
        message = f"选项 {exc.option_name} 用法有误（{exc.message}）"
    elif isinstance(exc, click_errors.BadParameter):
        reason = "应为整数" if "integer" in exc.message or "valid int" in exc.message else exc.message
        message = f"参数 {_param_name(exc.param)} 的值无效（{reason}）"
    elif exc.message.startswith("No such command"):
        message = f"没有这个命令：{exc.message.split(' ', 3)[-1].strip('.')}"
    elif exc.message.startswith("Got unexpected extra argument"):
        message = f"多余的参数：{exc.message[exc.message.rfind('(') + 1:].rstrip(')')}"
    else:
        message = exc.message
    return ChineseUsageError(message, exc.ctx)


class _ChineseHelp:
    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


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


class ChineseCommand(_ChineseHelp, TyperCommand):
    def invoke(self, ctx):
        refuse_unusable_values(ctx)
        return super().invoke(ctx)


class ChineseGroup(_ChineseHelp, TyperGroup):
    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click_errors.UsageError as exc:
            raise translate(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as exc:
            raise translate(exc) from None


class ChineseTyper(typer.Typer):
    """A Typer app whose group and every command speak Chinese."""

    def __init__(self, **kwargs):
        super().__init__(cls=ChineseGroup, **kwargs)

    def command(self, *args, cls=ChineseCommand, **kwargs):
        return super().command(*args, cls=cls, **kwargs)
