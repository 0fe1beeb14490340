"""Errors, findings and the exit codes the CLI maps them to.

Every message is Chinese and names the spot: ``2021.xlsx!表三!E9``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

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


def spot(file: str, sheet: str = "", cell: str = "") -> str:
    """``file!sheet!cell``, leaving out what is not known."""
    return "!".join(p for p in (file, sheet, cell) if p)


@dataclass(frozen=True)
class Finding:
    """One broken rule, at one spot."""

    severity: str  # ERROR or WARNING
    rule: str  # R1…R13, or a reader code
    where: str  # file!sheet!cell
    message: str

    def __str__(self) -> str:
        return f"{self.severity} {self.rule} {self.where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = "error" if self.is_error else "warning"
        return data


class GxError(Exception):
    """A failure the user can act on; carries its exit code."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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
