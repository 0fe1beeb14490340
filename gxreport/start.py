"""The ``gxreport`` command's entry point: ``--version`` answered before anything is imported.

Importing the command line (typer and its copy of Click) costs more than the
interpreter's own start; a request for the version needs none of it.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        print(f"gxreport {__version__}")
        return
    from .cli import main as cli_main

    cli_main()
