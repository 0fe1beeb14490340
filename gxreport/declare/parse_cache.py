"""Parsed declarations kept between runs, so a command does not parse the same TOML again.

Every command reads the kinds' ``manifest.toml`` files and the chosen kind's
``tables.toml`` (about 40 KB). ``tomllib`` is pure Python: importing it and
parsing them costs ~10 ms of CPU, most of what a ``check`` does after start-up.
The parsed value of a file is saved in the user's cache folder with ``marshal``
(built in, no import cost; it reads a parsed file in ~0.1 ms).

Only parsing is skipped: the value read from the cache goes through the same
schema as a freshly parsed one, so a wrong declaration is reported exactly as
before. An entry is used only when it holds the very bytes the file holds now
(compared in full, which costs microseconds), whatever the file's name, time or
size, and only by the gxreport and Python versions that wrote it. The folder
and what a failure costs: ``usercache``.
"""

from __future__ import annotations

import marshal
import sys
import zlib
from pathlib import Path

from .. import __version__
from ..usercache import SLOTS, cache_dir, read_entry

_STAMP = ("gxreport-parsed-toml", __version__, sys.version_info[:2], marshal.version)


def _entry(data: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"toml-{zlib.crc32(data) % SLOTS:02x}.marshal"


def load(data: bytes) -> dict | None:
    """The parsed value of a declaration whose bytes are ``data``, if the cache holds it."""
    entry = _entry(data)
    if entry is None:
        return None
    try:
        saved = read_entry(entry)
        if saved is None:
            return None
        # A checksum before unmarshalling: marshal is not meant to read damaged data.
        if len(saved) < 4 or int.from_bytes(saved[:4], "little") != zlib.crc32(saved[4:]):
            return None
        stamp, source, parsed = marshal.loads(saved[4:])
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if stamp != _STAMP or source != data or not isinstance(parsed, dict):
        return None
    return parsed


def store(data: bytes, parsed: dict) -> None:
    """Keep the parsed value of ``data`` for later runs; a value marshal cannot hold
    (TOML dates and times) or a folder that cannot be written is left alone."""
    from ..errors import GxError
    from ..fsio import write_output

    entry = _entry(data)
    if entry is None:
        return
    try:
        payload = marshal.dumps((_STAMP, data, parsed))
    except ValueError:
        return
    try:
        write_output(entry, zlib.crc32(payload).to_bytes(4, "little") + payload, force=True, tracked=False)
    except (GxError, OSError):
        pass
