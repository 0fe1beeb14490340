"""Errors, findings and the exit codes the CLI maps them to.

Every message is Chinese and names its location, carried as a ``Location``
and formatted where it is shown: ``2021.xlsx!表三!E9``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from os import PathLike

# Exit codes, documented in README and `gxreport --help`.
EXIT_OK = 0
EXIT_FINDINGS = 1  # the report breaks a rule (check), or build refused
EXIT_INPUT = 2  # unreadable input or bad usage
EXIT_OUTPUT = 3  # output cannot be written (exists, permission, disk)
EXIT_TEMPLATE = 4  # a kind's template or declaration is broken
EXIT_RENDERER = 5  # an external renderer (LibreOffice) is missing or failed
EXIT_INTERNAL = 9  # a bug in gxreport: reported as a message, never a traceback
# Stopped by a signal: 128 + its number, as shells report it (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
# Each is handled like Ctrl-C: workers and LibreOffice stopped, manifest saved, temporary files removed.
INTERRUPT_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")

ERROR = "错误"
WARNING = "警告"


@dataclass(frozen=True)
class Location:
    """Where a problem is: kept as parts, formatted only where it is shown.

    A workbook cell (``file``, ``sheet``, ``cell``), a member of a JSON report
    (``file`` and its ``path``, ``tables.requests.new[0]``), or a line of a
    template or declaration (``file`` and ``line``, with ``column`` when
    known). A published document being imported names its table (表3) as
    the sheet and a paragraph or grid place (第12段, 第2行第3列) as the cell.
    """

    file: str
    sheet: str = ""
    cell: str = ""
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}:{self.path}"
        if self.line is not None:
            return f"{self.file}:{self.line}" + (f":{self.column}" if self.column is not None else "")
        return "!".join(p for p in (self.file, self.sheet, self.cell) if p)

    @property
    def within(self) -> str:
        """The place inside the file, for a message that has named the file already: ``E9``, a JSON path."""
        return self.cell or self.path

    def as_dict(self) -> dict:
        """The parts that are known, for ``--json``: {"file", "sheet", "cell"} or {"file", "path"} or {"file", "line"}."""
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


def spot(file: str, sheet: str = "", cell: str = "") -> Location:
    """A workbook's location, ``file!sheet!cell`` when shown."""
    return Location(file, sheet, cell)


def _location(where: Location | str | PathLike) -> Location:
    """A bare string or path names a file (an imported report, a JSON file or a declaration as a whole)."""
    return where if isinstance(where, Location) else Location(str(where))


@dataclass(frozen=True)
class Finding:
    """One broken rule, at one location."""

    severity: str  # ERROR or WARNING
    rule: str  # R1…R13, or a reader code
    where: Location
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "where", _location(self.where))

    def __str__(self) -> str:
        return f"{self.severity} {self.rule} {self.where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """``where`` formatted as the terminal shows it, ``location`` its parts."""
        return {
            "severity": "error" if self.is_error else "warning",
            "rule": self.rule,
            "where": str(self.where),
            "location": self.where.as_dict(),
            "message": self.message,
        }


class GxError(Exception):
    """A failure the user can act on; carries its exit code."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, where: Location | str | PathLike | None = None):
        super().__init__(message)
        self.message = message  # what is wrong, without the location
        self.where = None if where is None else _location(where)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message



class InputError(GxError):
    """The input cannot be read as a report (not a workbook, missing sheet…)."""

    exit_code = EXIT_INPUT


class OutputError(GxError):
    """The output cannot be written, or would overwrite something."""

    exit_code = EXIT_OUTPUT


class TemplateError(GxError):
    """A kind's manifest, declaration or Jinja template is broken."""

    exit_code = EXIT_TEMPLATE


class RendererError(GxError):
    """LibreOffice (for PDF) is missing or failed."""

    exit_code = EXIT_RENDERER


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is so that it unwinds as on Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
