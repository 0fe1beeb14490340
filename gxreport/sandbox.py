"""The Jinja sandbox every kind's template runs in.

An office may bring its own kind folder (``--templates``), so a template is
untrusted code. Jinja's SandboxedEnvironment already refuses ``_``-prefixed
attributes and unsafe ``str.format`` at run time; on top of that:

- templates are refused *before* rendering when they spell an attribute
  trick anywhere, even in a branch that would not run (``{{ x.__class__ }}``,
  ``x|attr('__globals__')``, ``'{0.__class__}'.format(x)``), naming the file
  and line;
- ``*`` and ``**`` are bounded, so ``'a' * 10**10`` cannot eat the memory.
"""

from __future__ import annotations

import math
import operator

from jinja2 import TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_DOT, TOKEN_NAME, TOKEN_STRING, TokenStream
from jinja2.sandbox import SandboxedEnvironment, SecurityError

# Attribute names no report template needs and every escape uses.
_UNSAFE_ATTRIBUTES = frozenset({"format", "format_map", "mro", "gi_frame", "gi_code", "cr_frame", "f_globals", "f_locals"})
MAX_REPEAT = 100_000  # characters or items a template may build with "*"
MAX_POWER = 1_000_000  # largest result of "**"
MAX_PRODUCT_BITS = 4096  # largest whole-number product of "*" (about 1,200 digits)


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


class ReportSandbox(SandboxedEnvironment):
    """SandboxedEnvironment with the guard above and bounded ``*`` / ``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options):
        options["extensions"] = [*options.get("extensions", ()), AttributeTrickGuard]
        super().__init__(**options)

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
        return super().call_binop(context, op, left, right)
