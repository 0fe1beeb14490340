"""The user's cache folder: files kept between runs only to save work.

Parsed declarations (``declare/parse_cache.py``) and compiled templates
(``sandbox.CompiledTemplates``) are kept here. Each entry is checked against
what it stands for before it is used, and anything that goes wrong with the
folder (none, no permission, a damaged file) only costs the work the entry
would have saved. The folder is trusted as the user's own files are: whoever
can write in it can already change the user's programs.

``GXREPORT_CACHE_DIR`` names another folder; set to an empty value it turns the cache off.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

CACHE_ENV = "GXREPORT_CACHE_DIR"
# Entries are named by slot (a checksum of what they stand for, modulo SLOTS) and hold that
# identity in full: a newer entry that falls on a taken slot replaces it, so each kind of entry
# never fills more than SLOTS files, however many declarations and templates an office edits
# over the years, gxreport upgrades, or a test suite writes.
SLOTS = 256
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a parsed declaration is ~25 KB, a compiled template ~50 KB


def cache_dir() -> Path | None:
    """The folder for files kept between runs, or None when there is none (turned off, no home)."""
    named = os.environ.get(CACHE_ENV)
    if named is not None:
        return Path(named) if named else None
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA")
            return Path(base, "gxreport", "Cache") if base else None
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "gxreport"
        base = os.environ.get("XDG_CACHE_HOME")
        return Path(base if base and os.path.isabs(base) else Path.home() / ".cache", "gxreport")
    except RuntimeError:  # no home folder to be found
        return None


def open_entry(path: str | os.PathLike):
    """A cache file opened for reading, or None unless it is a regular file of bounded size.

    A FIFO or device put in its place (``/dev/zero``) is neither waited for nor read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            os.close(fd)
            return None
        return os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None


def read_entry(path: str | os.PathLike) -> bytes | None:
    """The bytes of a cache file (see ``open_entry``), or None."""
    handle = open_entry(path)
    if handle is None:
        return None
    with handle:
        return handle.read(MAX_ENTRY_BYTES + 1)
