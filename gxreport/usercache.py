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
import sys
from pathlib import Path

CACHE_ENV = "GXREPORT_CACHE_DIR"


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
