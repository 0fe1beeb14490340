"""The Jinja sandbox every kind's template runs in.

An office may bring its own kind folder (``--templates``), so a template is
untrusted code. Jinja's SandboxedEnvironment already refuses ``_``-prefixed
attributes and unsafe ``str.format`` at run time; on top of that:

- templates are refused *before* rendering when they spell an attribute
  trick anywhere, even in a branch that would not run (``{{ x.__class__ }}``,
  ``x|attr('__globals__')``, ``'{0.__class__}'.format(x)``), naming the file
  and line;
- templates are found by plain names inside their own kind folder only
  (``{% include "fee.xml.j2" %}``): no other folder, no ``..``, and no symlink
  that leads out of the folder (``KindLoader``);
- what a template builds is bounded: ``*``, ``**``, ``+``, ``~`` and ``%``,
  the widths and counts of string-building filters and ``str`` methods
  (``center``, ``indent``, ``replace``, ``join``, ``batch``…), the steps of
  one rendering (loop iterations and calls, nested loops and recursive
  macros included) and the size of its output.
"""

from __future__ import annotations

import contextvars
import functools
import math
import operator
import os
import re
import stat
import zlib
from pathlib import Path

import jinja2
from jinja2 import BaseLoader, FileSystemBytecodeCache, Template, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_DOT, TOKEN_NAME, TOKEN_STRING, TokenStream
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import __version__
from .errors import GxError
from .fsio import write_output
from .usercache import SLOTS, cache_dir, read_entry

# Attribute names no report template needs and every escape uses.
_UNSAFE_ATTRIBUTES = frozenset({"format", "format_map", "mro", "gi_frame", "gi_code", "cr_frame", "f_globals", "f_locals"})
MAX_REPEAT = 100_000  # characters or items a template may build with "*", a width or a count
MAX_POWER = 1_000_000  # largest result of "**"
MAX_PRODUCT_BITS = 4096  # largest whole-number product of "*" (about 1,200 digits)
MAX_TEXT = 1_000_000  # characters of any one string a template builds (a report's markup is ~50 KB)
MAX_OUTPUT = 2_000_000  # characters one rendering may output
MAX_STEPS = 500_000  # loop iterations and calls of one rendering
MAX_TEMPLATE_BYTES = 256 * 1024

_BOUNDED_LOOP = "gx_bounded_loop"
_BOUNDED_TEXT = "gx_bounded_text"
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


class AttributeTrickGuard(Extension):
    """Refuse attribute tricks at parse time (TemplateSyntaxError with file and line)."""

    def filter_stream(self, stream: TokenStream):
        previous = None
        for token in stream:
            unsafe = (
                token.type == TOKEN_NAME
                and previous is not None
                and previous.type == TOKEN_DOT
                and (token.value.startswith("_") or token.value in _UNSAFE_ATTRIBUTES)
            ) or (token.type == TOKEN_STRING and "__" in token.value)
            if unsafe:
                raise TemplateSyntaxError(
                    f"模板不允许访问内部属性“{token.value}”（出于安全原因）",
                    token.lineno,
                    stream.name,
                    stream.filename,
                )
            previous = token
            yield token


class KindLoader(BaseLoader):
    """A kind's templates by plain file names, from its own folder only.

    A name with a folder part, ``..``, or a file that is a symlink leading out
    of the folder (to ``/etc/passwd``, say) is refused; so is anything but a
    regular file of bounded size.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment, template: str):
        if not template or "/" in template or "\\" in template or template in (".", "..") or "\x00" in template:
            raise TemplateNotFound(template, f"模板 {template!r} 应为类型文件夹中的文件名（不能引用其他文件夹）")
        path = self.folder / template
        try:
            real = path.resolve(strict=True)
            inside = real.is_relative_to(self.folder.resolve(strict=True))
            info = os.stat(real)
        except (OSError, RuntimeError):
            raise TemplateNotFound(template, f"找不到模板 {template}（在 {self.folder} 中）") from None
        if not inside:
            raise TemplateNotFound(template, f"模板 {template} 链接到了类型文件夹之外，已拒绝")
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateNotFound(template, f"模板 {template} 不是普通文件或过大（上限 {MAX_TEMPLATE_BYTES} 字节）")
        with open(real, "rb") as handle:
            source = handle.read(MAX_TEMPLATE_BYTES + 1).decode("utf-8", errors="replace")
        mtime = info.st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(real).st_mtime_ns == mtime
            except OSError:
                return False

        return source, str(path), uptodate


class _Budget:
    """The steps one rendering has left."""

    def __init__(self):
        self.steps = MAX_STEPS

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise SecurityError(f"模板的循环或调用次数过多（超过 {MAX_STEPS}）")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("gxreport_template_budget", default=None)


def _step() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step()


def _bounded_loop(iterable):
    """What a ``{% for %}`` iterates, one step per item."""
    for item in iterable:
        _step()
        yield item


def _bounded_text(value):
    """A ``~`` concatenation's result, refused past ``MAX_TEXT``."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise SecurityError(f"模板生成的内容过长（超过 {MAX_TEXT} 个字符）")
    return value


def _check_count(value, what: str = "宽度或次数") -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_REPEAT:
        raise SecurityError(f"模板中的{what}过大（超过 {MAX_REPEAT}）")


def _check_percent_format(text) -> None:
    """``'%1000000000s' % x`` builds a string as wide as the number asks."""
    if not isinstance(text, str):
        return
    for match in _PERCENT_WIDTH.finditer(text):
        for number in match.groups():
            if number == "*":
                raise SecurityError("模板的 % 格式不允许用 * 指定宽度")
            if number and len(number) > 6 or number and int(number) > MAX_REPEAT:
                raise SecurityError(f"模板的 % 格式宽度过大（超过 {MAX_REPEAT}）")


def _check_replace(text, old, new, count=-1) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        hits = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        if len(text) + hits * max(0, len(new) - len(old)) > MAX_TEXT:
            raise SecurityError(f"模板中 replace 生成的内容过长（超过 {MAX_TEXT} 个字符）")


def _joined_size(separator, items: list) -> int:
    return len(str(separator)) * max(0, len(items) - 1) + sum(len(str(i)) for i in items)


def _bounded_filter(name: str, original):
    """A string-building filter with its widths, counts and result sizes checked first."""

    @functools.wraps(original)
    def bounded(*args, **kwargs):
        # Filters marked pass_eval_context or pass_environment get that first.
        values = [a for a in args if not hasattr(a, "autoescape") and not isinstance(a, SandboxedEnvironment)]
        if name != "format":  # format's arguments are the values printed, not widths
            for value in (*values[1:], *kwargs.values()):
                _check_count(value)
        if name == "format" and values:
            _check_percent_format(values[0])
        elif name == "replace" and len(values) >= 3:
            _check_replace(*values[:3], kwargs.get("count", values[3] if len(values) > 3 else -1))
        elif name == "indent" and values and isinstance(values[0], str):
            width = values[1] if len(values) > 1 else kwargs.get("width", 4)
            per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
            if per_line * (values[0].count("\n") + 1) + len(values[0]) > MAX_TEXT:
                raise SecurityError(f"模板中 indent 生成的内容过长（超过 {MAX_TEXT} 个字符）")
        elif name == "join" and values:
            items = list(_bounded_loop(values[0]))
            separator = values[1] if len(values) > 1 else kwargs.get("d", "")
            if _joined_size(separator, items) > MAX_TEXT:
                raise SecurityError(f"模板中 join 生成的内容过长（超过 {MAX_TEXT} 个字符）")
            args = tuple(items if a is values[0] else a for a in args)
        return original(*args, **kwargs)

    return bounded


_BOUNDED_FILTERS = ("center", "indent", "replace", "join", "format", "batch", "slice", "wordwrap", "tojson")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class BoundedTemplate(Template):
    """``render`` with a step budget and an output limit for the whole rendering (includes too)."""

    def render(self, *args, **kwargs) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        token = _BUDGET.set(_Budget())
        try:
            out: list[str] = []
            size = 0
            for chunk in self.root_render_func(ctx):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"模板输出过长（超过 {MAX_OUTPUT} 个字符）")
                out.append(chunk)
            return self.environment.concat(out)
        except Exception:
            self.environment.handle_exception()
        finally:
            _BUDGET.reset(token)


# The environment's settings that change what a template compiles to.
_COMPILE_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "autoescape", "is_async",
)


@functools.cache
def _this_module() -> bytes:
    """This module's text, for the stamp of compiled templates (an edited sandbox compiles anew)."""
    try:
        with open(__file__, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


class CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled in an earlier run, from the user's cache folder (``usercache``).

    Compiling the document and title templates, Jinja's lexer included, costs a
    build ~7 ms of CPU, half of its first layout. Jinja keeps a
    compiled template with the checksum of its source and uses it only for the
    same source. On top of that each entry holds its identity in full: the
    template's name and file (Jinja's key) and a stamp of what else decides the
    compiled code: gxreport's and Jinja's versions, this module's own text (the
    guard and the bounds rewrite every template) and the environment's settings.
    An entry is used only when both match. A template the guard refuses fails to
    compile and is never kept; one kept is the code the guard passed. Entries sit
    in ``usercache.SLOTS`` slots, so upgrades and template folders come and go
    without the folder growing. Any failure of the folder only costs the compilation.
    """

    def __init__(self, directory: str, stamp: str):
        super().__init__(directory)
        self.stamp = stamp

    @classmethod
    def for_environment(cls, environment: "ReportSandbox") -> "CompiledTemplates | None":
        folder = cache_dir()
        if folder is None:
            return None
        settings = [getattr(environment, name, None) for name in _COMPILE_SETTINGS]
        stamp = repr((__version__, jinja2.__version__, sorted(environment.extensions), settings)).encode("utf-8")
        return cls(str(folder), f"{zlib.crc32(stamp):08x}{zlib.crc32(_this_module()):08x}")

    def _identity(self, bucket) -> bytes:
        return f"{self.stamp} {bucket.key}\n".encode("ascii")

    def _get_cache_filename(self, bucket) -> str:
        return os.path.join(self.directory, f"jinja-{zlib.crc32(self._identity(bucket)) % SLOTS:02x}.cache")

    def load_bytecode(self, bucket) -> None:
        saved = read_entry(self._get_cache_filename(bucket))  # a regular file of bounded size, or nothing
        identity = self._identity(bucket)
        if saved is None or not saved.startswith(identity):  # none, or another template's slot
            return
        try:
            bucket.bytecode_from_string(saved[len(identity):])
        except Exception:  # a damaged entry: compile as if there were none
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            entry = self._identity(bucket) + bucket.bytecode_to_string()
            write_output(Path(self._get_cache_filename(bucket)), entry, force=True, tracked=False)
        except (GxError, OSError):  # a folder that cannot be written: nothing is kept
            pass


class ReportSandbox(SandboxedEnvironment):
    """SandboxedEnvironment with the guard, the kind-folder loader and the bounds above;
    templates compiled once are kept between runs (``CompiledTemplates``)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    template_class = BoundedTemplate

    def __init__(self, **options):
        options["extensions"] = [*options.get("extensions", ()), AttributeTrickGuard]
        super().__init__(**options)
        for name in _BOUNDED_FILTERS:
            if name in self.filters:
                self.filters[name] = _bounded_filter(name, self.filters[name])
        self.filters[_BOUNDED_LOOP] = _bounded_loop
        self.filters[_BOUNDED_TEXT] = _bounded_text
        if self.bytecode_cache is None:
            self.bytecode_cache = CompiledTemplates.for_environment(self)

    def from_source(self, source: str, name: str, folder: str) -> Template:
        """A template from ``source`` (a manifest's title), compiled as ``from_string`` would
        and kept between runs like the files of ``folder`` (``name`` tells it from them)."""
        cache = self.bytecode_cache
        if cache is None:
            return self.from_string(source)
        bucket = cache.get_bucket(self, name, folder, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            cache.set_bucket(bucket)
        return self.template_class.from_code(self, bucket.code, self.make_globals(None), None)

    def _parse(self, source, name, filename):
        """Every loop's iterable counts its steps; every ``~`` its length."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _BOUNDED_LOOP, [], [], None, None, lineno=loop.lineno)
        for parent in list(tree.find_all(nodes.Node)):
            for field in parent.fields:
                child = getattr(parent, field, None)
                if isinstance(child, nodes.Concat):
                    setattr(parent, field, nodes.Filter(child, _BOUNDED_TEXT, [], [], None, None, lineno=child.lineno))
                elif isinstance(child, list):
                    for i, item in enumerate(child):
                        if isinstance(item, nodes.Concat):
                            child[i] = nodes.Filter(item, _BOUNDED_TEXT, [], [], None, None, lineno=item.lineno)
        return tree

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _step()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if method in _WIDTH_METHODS:
                for value in (*args, *kwargs.values()):
                    _check_count(value)
                if method == "expandtabs" and owner.count("\t") * (args[0] if args and isinstance(args[0], int) else 8) > MAX_TEXT:
                    raise SecurityError(f"模板生成的内容过长（超过 {MAX_TEXT} 个字符）")
            elif method == "replace" and len(args) >= 2:
                _check_replace(owner, *args[:3])
            elif method == "join" and args:
                items = list(_bounded_loop(args[0]))
                if _joined_size(owner, items) > MAX_TEXT:
                    raise SecurityError(f"模板中 join 生成的内容过长（超过 {MAX_TEXT} 个字符）")
                args = (items, *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, op: str, left, right):
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"模板生成的内容过长（超过 {MAX_REPEAT}）")
            # Whole numbers squared in a loop grow without bound, as ** would.
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_PRODUCT_BITS:
                raise SecurityError("模板中的乘积过大")
            return operator.mul(left, right)
        if op == "**":
            numbers = isinstance(left, (int, float)) and isinstance(right, (int, float))
            if numbers and abs(left) > 1 and right * math.log2(abs(left)) > math.log2(MAX_POWER):
                raise SecurityError(f"模板中的乘方结果过大（超过 {MAX_POWER}）")
            return operator.pow(left, right)
        if op == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) and len(left) + len(right) > MAX_TEXT:
                raise SecurityError(f"模板生成的内容过长（超过 {MAX_TEXT}）")
            return operator.add(left, right)
        if op == "%":
            _check_percent_format(left)
            return operator.mod(left, right)
        return super().call_binop(context, op, left, right)
