"""Writing files without ever losing one.

Outputs are written to a temporary file in the target folder and renamed
over the target, so a crash leaves the old file or the new one, never half
of either. gxreport records what it wrote (``.gxreport-manifest.json`` in
the output folder); an output changed since then (a clerk edited the .docx)
is not replaced without ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputError

MANIFEST = ".gxreport-manifest.json"
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[/\\:*?"<>|]')
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_NAME_CHARS = 100  # Windows paths stay short enough under a county office's folders
# Linux and macOS allow 255 bytes per name, Windows 255 UTF-16 units: Extension B
# characters and emoji take 4 bytes and 2 units each, so both are counted.
MAX_NAME_BYTES = 240


def safe_filename(stem: str, suffix: str) -> str:
    """A file name built from an agency name: no separators, reserved names or dots in front."""
    # Controls and lone surrogates cannot be in a name; bidi overrides would disguise it.
    stem = "".join(ch for ch in stem if unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI)
    name = _UNSAFE.sub("_", stem).strip().lstrip(".").strip()
    name = re.sub(r"\.{2,}", "_", name)[:MAX_NAME_CHARS]
    while len((name + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(". ")
    if not name or _RESERVED.match(name):
        name = f"_{name}"
    return name + suffix


def refuse_input_as_output(output: Path, *inputs: Path | None) -> None:
    """An output path that names an input would destroy it, even with --force."""
    for source in inputs:
        if source is not None and source.exists() and output.exists() and os.path.samefile(source, output):
            raise OutputError(f"{output}: 输出文件就是输入文件，不能覆盖输入；请换一个输出文件名")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


class OutputManifest:
    """What gxreport wrote into one folder (``.gxreport-manifest.json``): name → sha256.

    Read once and saved once, so a batch of a thousand documents into one folder
    records them in one write instead of rewriting the file after each.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.entries = _manifest(folder)
        self._changed = False

    def recorded(self, name: str) -> str | None:
        return self.entries.get(name)

    def record(self, name: str, data: bytes) -> None:
        self.entries[name] = _digest(data)
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        data = json.dumps(self.entries, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        try:
            _replace_atomically(self.folder / MANIFEST, data)
        except OSError as exc:
            raise OutputError(f"{self.folder / MANIFEST}: 无法写入生成记录（{exc.strerror}）") from None
        self._changed = False


def _replace_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".gx-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_output(
    path: Path, data: bytes, force: bool = False, tracked: bool = True, manifest: OutputManifest | None = None
) -> None:
    """Write ``data`` to ``path`` atomically.

    ``tracked`` outputs (built documents) may replace a file gxreport wrote
    earlier and nobody changed since; anything else that already exists is
    kept unless ``force``. A ``manifest`` of the folder given by the caller is
    only recorded in (the caller saves it); without one it is saved here.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: 无法创建输出目录（{exc.strerror}）") from None
    if path.is_dir():
        raise OutputError(f"{path}: 是一个目录，不能作为输出文件")
    own = manifest is None or manifest.folder != path.parent
    if tracked and own:
        manifest = OutputManifest(path.parent)
    try:
        _refuse_overwrite(path, force, tracked, manifest)
    except OSError as exc:
        raise OutputError(f"{path}: 无法读取已有文件（{exc.strerror}）") from None
    try:
        _replace_atomically(path, data)
    except OSError as exc:
        raise OutputError(f"{path}: 无法写入（{exc.strerror}）") from None
    if tracked:
        manifest.record(path.name, data)
        if own:
            manifest.save()


def _refuse_overwrite(path: Path, force: bool, tracked: bool, manifest: OutputManifest | None) -> None:
    """Keep an existing file unless ``force``, or gxreport wrote it and nobody changed it since."""
    if force or not path.exists():
        return
    if not tracked:
        raise OutputError(f"{path}: 文件已存在，未覆盖；如确需覆盖请加 --force")
    recorded = manifest.recorded(path.name)
    if recorded is None:
        raise OutputError(f"{path}: 文件已存在且不是 gxreport 生成的，未覆盖；如确需覆盖请加 --force")
    if recorded != _digest(path.read_bytes()):
        raise OutputError(
            f"{path}: 生成后被修改过（可能有人手工编辑；生成记录见 {path.parent / MANIFEST}），未覆盖。"
            "请先把修改过的文件另存备份，或加 --force 覆盖"
        )
