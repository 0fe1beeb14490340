"""What the command line shows: safe text, the batch progress bar, status lines and the closing table.

Presentation only: the library (``batch``, ``api``) reports events and
outcomes; this module turns them into lines for a terminal or a log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module for ``safe`` on every command; batch only when batching
    from .office.batch import BatchResult, FileOutcome

# C0 and C1 controls (ESC starts a terminal escape sequence) and the bidi
# overrides that would disguise a file name; newline and tab keep their meaning.
_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if c not in (0x09, 0x0A)}
_UNSAFE.update({c: f"\\u{c:04x}" for c in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)})


def safe(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b``: a file named with terminal
    escape codes is echoed, never obeyed by the terminal."""
    return text.translate(_UNSAFE)


_JSON_UNSAFE = {c: f"\\u{c:04x}" for c in _UNSAFE if c >= 0x7F}  # json.dumps escapes the C0 controls itself


def safe_json(text: str) -> str:
    """JSON text (json.dumps, ensure_ascii=False) with the controls it leaves raw escaped, still valid JSON."""
    return text.translate(_JSON_UNSAFE)


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


@dataclass
class Progress:
    """The batch's events, shown: ``read`` per input, ``pdf(count)`` when conversion starts,
    ``done`` per final outcome (a PDF batch advances its second bar), ``line`` for text."""

    read: Callable[[], None]
    pdf: Callable[[int], None]
    done: Callable[[], None]
    line: Callable[[str], None]


@contextmanager
def progress_display(total: int, enabled: bool, echo: Callable[[str], None] = print):
    """A Rich progress bar on stderr while the batch runs (a second one for the PDF phase).

    Status lines go to stdout through ``echo``; while the bar is live on the
    same terminal they are printed above it so the two do not tear each other.
    """
    if not enabled:
        yield Progress(lambda: None, lambda count: None, lambda: None, echo)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    console = Console(file=sys.stderr, force_terminal=True)
    shared_terminal = sys.stdout.isatty() and sys.stderr.isatty()
    with Bars(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, redirect_stdout=False, redirect_stderr=False,
    ) as bars:
        reading = bars.add_task("处理中", total=total)
        converting = []

        def pdf(count: int) -> None:
            converting.append(bars.add_task("转换 PDF", total=count))

        def done() -> None:
            if converting:
                bars.advance(converting[0])

        def line(text: str) -> None:
            if shared_terminal:
                bars.console.print(text, markup=False, highlight=False)
            else:
                echo(text)

        yield Progress(lambda: bars.advance(reading), pdf, done, line)


def summary_table(result: BatchResult, build: bool) -> str:
    """The closing table: file, agency, errors, warnings, outputs (every format) or the reason none was written."""
    import shutil

    headers = ("文件", "机关", "错误", "警告", "输出" if build else "结果")
    rows = []
    for outcome in result.outcomes:
        shown = "\n".join(str(p) for p in outcome.outputs) if build and outcome.outputs else outcome.status
        cells = (outcome.path.name, outcome.agency or "-", str(outcome.errors), str(outcome.warnings), shown)
        rows.append(tuple(safe(text) for text in cells))
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else max(100, _natural_width(result))
    title = _tally(result, build)
    lines = _aligned(title, headers, rows, width) or _rich_table(title, headers, rows, width)
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    failed = result.failed
    if failed:
        lines += ["", "需要处理的文件："]
        lines += [f"  {o.path.name}：{o.write_error or o.first_error}" for o in failed]
    return "\n".join(lines).strip("\n")


def _rich_table(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]], width: int) -> list[str]:
    """The table drawn by Rich (box.SIMPLE_HEAD), folding cells to fit ``width``."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        # Text, not str: a name is shown as it is, never read as Rich markup ("[draft]") or an emoji code (":memo:").
        table.add_row(*map(Text, row))
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True).print(table)
    return buffer.getvalue().splitlines()


def _aligned(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]], width: int) -> list[str] | None:
    """The lines ``_rich_table`` draws when nothing needs folding, laid out directly: Rich renders
    each cell through its whole pipeline, ~0.4 ms a row, a twentieth of a document's cost in a batch
    (benchmarks/README.md). None where Rich's own rules are needed: a table or title wider than
    ``width``, a title wider than the table, a tab or whitespace at a line's edge.
    tests/test_batch.py holds the two to the same lines."""
    from rich.cells import cell_len

    table = [[text.split("\n") for text in row] for row in (headers, *rows)]
    if any("\t" in line or line != line.strip() for row in table for cell in row for line in cell):
        return None
    widths = [max(cell_len(line) for row in table for line in row[column]) for column in range(len(headers))]
    inner = sum(widths) + 3 * len(widths) - 1  # each column padded by a space on both sides, a space between
    if inner + 2 > width or cell_len(title) > inner + 2:
        return None
    lines = [title, ""]
    for number, row in enumerate(table):
        for index in range(max(len(cell) for cell in row)):
            texts = [cell[index] if index < len(cell) else "" for cell in row]
            lines.append(" " + " ".join(f" {text}{' ' * (w - cell_len(text))} " for text, w in zip(texts, widths)))
        if number == 0:
            lines.append(" " + "─" * inner)
    return lines


def _natural_width(result: BatchResult) -> int:
    """Off a terminal: wide enough for the longest row, so names are never folded in a pipe or a log."""
    longest = max(
        (len(o.path.name) + len(o.agency) + max((len(str(p)) for p in o.outputs), default=0) for o in result.outcomes),
        default=0,
    )
    return 2 * longest + 40  # CJK characters take two columns


def _tally(result: BatchResult, build: bool) -> str:
    done = sum(not o.failed for o in result.outcomes)
    verb = "生成" if build else "通过"
    return f"共 {len(result.outcomes)} 个文件：{verb} {done} 个，未{verb} {len(result.failed)} 个"
