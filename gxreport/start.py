"""The ``gxreport`` command's entry point: the commonest requests answered without typer.

Importing typer and its copy of Click costs more than the interpreter's own start
and more than checking a workbook (benchmarks/README.md). Three requests need none
of it, and get exactly what typer would give them:

- ``--version``;
- the help of the program or of one command (``-h``, ``--help``): typer's own pages,
  rendered at 80 columns and shipped in ``gxreport/help/`` (a test renders them again
  and compares; ``GXREPORT_UPDATE_GOLDEN=1`` rewrites them);
- ``check`` or ``build`` followed by file names only: typer would turn them into
  exactly that list of paths and call the same function in ``commands``.

Everything else (options, narrow terminals, unusual names) goes to typer.
"""

from __future__ import annotations

import os
import sys

HELP_FLAGS = ("-h", "--help")
HELP_PAGES = os.path.join(os.path.dirname(__file__), "help")
PROGRAM = "gxreport"
# Click's help is wrapped to min(terminal columns, 80) - 2, so every terminal at least this wide gets the same page.
RENDERED_COLUMNS = 80
QUICK_COMMANDS = ("check", "build")
# On Windows Click expands "~", environment variables and wildcards in every argument; an
# argument without these characters reaches the command unchanged on every system.
EXPANDED = frozenset("~$%*?[")


def help_page(argv: list[str]) -> str | None:
    """The help page typer would print for ``argv``, or None when typer has to answer."""
    if len(argv) == 1 and argv[0] in HELP_FLAGS:
        name = PROGRAM
    elif len(argv) == 2 and argv[1] in HELP_FLAGS and argv[0].isascii() and argv[0].isalpha():
        name = argv[0]
    else:
        return None
    import shutil  # what Click measures the terminal with

    if shutil.get_terminal_size().columns < RENDERED_COLUMNS:
        return None
    try:
        with open(os.path.join(HELP_PAGES, f"{name}.txt"), encoding="utf-8") as page:
            return page.read()
    except FileNotFoundError:  # not a command: typer says so
        return None


def plain_paths(args: list[str]) -> bool:
    """Whether typer would pass ``args`` on as they are, as the command's file arguments."""
    from .fsio import MAX_COMPONENT_BYTES

    return bool(args) and all(
        arg and not arg.startswith("-") and EXPANDED.isdisjoint(arg)
        # a longer path may hold a name the system refuses, which typer reports as a usage error
        and len(os.fsencode(arg)) <= MAX_COMPONENT_BYTES
        for arg in args
    )


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from . import __version__

        print(f"gxreport {__version__}")
        return
    page = help_page(argv)
    if page is not None:
        print(page, end="")  # print, not sys.stdout.write: without a console (pythonw) it prints nothing
        return
    if argv[:1] and argv[0] in QUICK_COMMANDS and plain_paths(argv[1:]):
        from pathlib import Path

        from . import commands

        commands.unwind_on_termination()
        sys.exit(getattr(commands, argv[0])([Path(arg) for arg in argv[1:]]))
    from .cli import main as cli_main

    cli_main()
