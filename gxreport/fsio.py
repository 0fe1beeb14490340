"""Writing files without ever losing one.

Outputs are written to temporary files in the target folder and renamed over
the targets, so a crash leaves the old files or the new ones, never half of
either; the files of one report (every format asked for) are renamed together
or not at all. gxreport records what it wrote (``.gxreport-manifest.json`` in
the output folder), updated under a lock on the folder and re-read under it,
so builds running side by side into one folder each record their own files;
an output changed since it was recorded (a clerk edited the .docx) is not
replaced without ``force``. Only regular files are read or replaced: a FIFO,
device or folder where an output or the manifest goes is refused, never opened.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import threading
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path

from .errors import INTERRUPT_SIGNALS, OutputError

MANIFEST = ".gxreport-manifest.json"
LOCK_FILE = ".gxreport-manifest.lock"  # Windows only: POSIX locks the folder itself
LOCK_TIMEOUT_S = 120
MAX_COMPONENT_BYTES = 255  # the longest file or folder name Linux, macOS and Windows accept
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
            raise OutputError("输出文件就是输入文件，不能覆盖输入；请换一个输出文件名", output)


def _digest(data: bytes) -> str:
    import hashlib  # OpenSSL's load is paid by the commands that write, not by check

    return hashlib.sha256(data).hexdigest()


def _temporary_name(target: Path, suffix: str) -> Path:
    """A fresh hidden name beside ``target`` (os.urandom: importing the secrets module costs 4 ms)."""
    return target.parent / f".gx-{os.urandom(6).hex()}{suffix}"


_KINDS = {stat.S_IFDIR: "文件夹", stat.S_IFIFO: "命名管道（FIFO）", stat.S_IFCHR: "设备文件", stat.S_IFBLK: "设备文件",
          stat.S_IFSOCK: "套接字", stat.S_IFLNK: "符号链接"}


def _existing(path: Path) -> os.stat_result | None:
    """The path's own status (a symlink is not followed); None when nothing is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"无法访问（{exc.strerror}）", path) from None


def _refuse_special(path: Path, status: os.stat_result | None, what: str = "输出文件") -> None:
    """Only a regular file may be read or replaced: a FIFO would hang the build, a device swallow it."""
    if status is not None and not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "特殊文件")
        raise OutputError(f"已存在且是{kind}，不是普通文件，不能作为{what}；请换一个名称或删除它", path)


def _read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file, never blocking on a FIFO swapped in; None when it is gone."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        _refuse_special(path, status)
        return handle.read()


def _read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    _refuse_special(path, _existing(path), "生成记录")
    try:
        data = _read_regular(path)
    except OSError as exc:
        raise OutputError(f"无法读取生成记录（{exc.strerror}）", path) from None
    import json  # the output manifest is only read and written when building (~1.5 ms saved for check)

    try:
        entries = json.loads(data) if data else {}
    except ValueError:  # a damaged record protects nothing; it is rewritten with what is known
        return {}
    if not isinstance(entries, dict):
        return {}
    return {name: digest for name, digest in entries.items() if isinstance(digest, str)}


@contextmanager
def interrupts_held():
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is over, then act as usual.

    A signal's handler raises wherever the program is, and between creating a
    temporary file and noting it for clean-up, or between a rename and noting
    it for undoing, there is no place to catch it: a temporary file would stay
    beside the outputs. Writing one report's files takes milliseconds, so
    holding the signal that long costs the user nothing. Handlers can only be
    changed in the main thread; elsewhere (the desk's request threads) the
    block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = {}
    for name in INTERRUPT_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) not in (signal.SIG_IGN, None):
            held[signum] = signal.signal(signum, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])


@contextmanager
def folder_lock(folder: Path):
    """Hold the output folder's lock while its manifest is read, changed and replaced.

    Hand-written rather than the ``filelock`` package: its import alone costs
    30–40 ms, a third of a build's start-up budget (benchmarks/README.md).
    POSIX locks the folder itself (flock on its descriptor: no lock file left
    beside the outputs); Windows, which cannot open a folder, a lock file in it.
    """
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_BINARY, 0o666)
        acquire = lambda: msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # noqa: E731
        release = lambda: msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # noqa: E731
    else:
        import fcntl

        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        acquire = lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # noqa: E731
        release = lambda: fcntl.flock(fd, fcntl.LOCK_UN)  # noqa: E731
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                acquire()
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                    raise OutputError(f"无法锁定输出文件夹（{exc.strerror}）", folder) from None
                if time.monotonic() > deadline:
                    raise OutputError(f"另一个 gxreport 正在写入此文件夹，等待 {LOCK_TIMEOUT_S} 秒后放弃", folder) from None
                time.sleep(0.01)
        try:
            yield
        finally:
            release()
    finally:
        os.close(fd)


class OutputManifest:
    """What gxreport wrote into one folder (``.gxreport-manifest.json``): name → sha256.

    ``recorded`` answers from what was read last; ``refresh`` re-reads it (under
    the folder's lock); ``save`` writes this run's records over a fresh reading
    under the lock, so parallel runs into one folder keep each other's records.
    A batch keeps one for its output folder and saves it once at the end.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.changes: dict[str, str] = {}
        self.entries: dict[str, str] = {}
        self._read_as: tuple | None = None  # the file's identity when last read
        if folder.is_dir():
            self.refresh()

    def recorded(self, name: str) -> str | None:
        return self.entries.get(name)

    def record(self, name: str, digest: str) -> None:
        self.entries[name] = self.changes[name] = digest

    def refresh(self) -> None:
        """Re-read the file (call under ``folder_lock``) if it changed, keeping this run's records."""
        status = _existing(self.folder / MANIFEST)
        identity = status and (status.st_ino, status.st_size, status.st_mtime_ns)
        if identity != self._read_as or identity is None:
            self.entries = {**_read_manifest(self.folder), **self.changes}
            self._read_as = identity

    def staged(self) -> "_Staged":
        """The manifest's new content in a temporary file beside it (call under ``folder_lock``)."""
        import json

        self.refresh()
        data = json.dumps(self.entries, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        try:
            return _Staged.write(self.folder / MANIFEST, data)
        except OSError as exc:
            raise OutputError(f"无法写入生成记录（{exc.strerror}）", self.folder / MANIFEST) from None

    def save(self) -> None:
        if not self.changes:
            return
        with folder_lock(self.folder), interrupts_held():
            _commit([self.staged()])
        self.changes.clear()


class _Staged:
    """New content written in full to a temporary file beside its target, waiting to be renamed over it."""

    def __init__(self, target: Path, temporary: Path):
        self.target, self.temporary = target, temporary

    @classmethod
    def write(cls, target: Path, data: bytes) -> "_Staged":
        # Not tempfile.mkstemp: it creates mode 0600, and outputs take the mode the
        # umask gives (colleagues and the web server read published files).
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        while True:
            temporary = _temporary_name(target, ".tmp")
            try:
                fd = os.open(temporary, flags, 0o666)
                break
            except FileExistsError:
                continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            _remove(temporary)
            raise
        return cls(target, temporary)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _commit(staged: list[_Staged]) -> None:
    """Rename every staged file over its target, all or none.

    A target that existed is kept as a hard link until every rename has
    succeeded, so a failure puts the old files back; staged files are removed
    whatever happens (an interrupt included).
    """
    done: list[tuple[_Staged, Path | None]] = []
    renamed = 0  # the first `renamed` staged files are in place: no temporary left to remove
    try:
        for item in staged:
            backup = None
            if _existing(item.target) is not None:
                backup = _temporary_name(item.target, ".old")
                try:
                    os.link(item.target, backup)
                except OSError:  # a file system without hard links: the old file cannot come back
                    backup = None
            done.append((item, backup))
            os.replace(item.temporary, item.target)
            renamed += 1
    except BaseException:
        for item, backup in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, item.target)
                elif _existing(item.temporary) is None:  # renamed already: a new file, taken back
                    os.unlink(item.target)
            except OSError:
                pass
        raise
    finally:
        for item in staged[renamed:]:
            _remove(item.temporary)
        for _, backup in done:
            if backup is not None:
                _remove(backup)


def write_files(
    files: list[tuple[Path, bytes]], force: bool = False, tracked: bool = True, manifest: OutputManifest | None = None
) -> None:
    """Write ``files`` (one folder) atomically and together: every one or none.

    ``tracked`` outputs (built documents) may replace a file gxreport wrote
    earlier and nobody changed since; anything else that already exists is
    kept unless ``force``. They are recorded in the folder's manifest: in
    ``manifest`` when given (the caller saves it), else in the file itself,
    renamed with the outputs under the folder's lock.
    """
    folder = files[0][0].parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出目录（{exc.strerror}）", folder) from None
    for path, _ in files:
        _refuse_special(path, _existing(path))
    staged: list[_Staged] = []
    try:
        for path, data in files:
            try:
                with interrupts_held():  # the temporary file exists only once it is in `staged`
                    staged.append(_Staged.write(path, data))
            except OSError as exc:
                raise OutputError(f"无法写入（{exc.strerror}）", path) from None
        if not tracked:
            for path, _ in files:
                _refuse_overwrite(path, force, None)
            with interrupts_held():
                _commit_or_say(staged)
            return
        own = manifest is None or manifest.folder != folder
        with folder_lock(folder):
            if own:
                manifest = OutputManifest(folder)
            manifest.refresh()
            for path, _ in files:
                _refuse_overwrite(path, force, manifest)
            for path, data in files:
                manifest.record(path.name, _digest(data))
            with interrupts_held():  # not while waiting for the lock: Ctrl-C stops a wait at once
                _commit_or_say(staged + [manifest.staged()] if own else staged)
    except BaseException:
        for item in staged:
            _remove(item.temporary)
        raise


def _commit_or_say(staged: list[_Staged]) -> None:
    try:
        _commit(staged)
    except OSError as exc:
        raise OutputError(f"无法写入（{exc.strerror}）", exc.filename or staged[0].target) from None


def write_output(path: Path, data: bytes, force: bool = False, tracked: bool = True, manifest: OutputManifest | None = None) -> None:
    """Write one file atomically (see ``write_files``)."""
    write_files([(path, data)], force, tracked, manifest)


def _refuse_overwrite(path: Path, force: bool, manifest: OutputManifest | None) -> None:
    """Keep an existing file unless ``force``, or gxreport wrote it and nobody changed it since."""
    status = _existing(path)
    _refuse_special(path, status)
    if force or status is None:
        return
    if manifest is None:
        raise OutputError("文件已存在，未覆盖；如确需覆盖请加 --force", path)
    recorded = manifest.recorded(path.name)
    if recorded is None:
        raise OutputError("文件已存在且不是 gxreport 生成的，未覆盖；如确需覆盖请加 --force", path)
    try:
        current = _read_regular(path)
    except OSError as exc:
        raise OutputError(f"无法读取已有文件（{exc.strerror}）", path) from None
    if current is not None and recorded != _digest(current):
        raise OutputError(
            f"生成后被修改过（可能有人手工编辑；生成记录见 {path.parent / MANIFEST}），未覆盖。"
            "请先把修改过的文件另存备份，或加 --force 覆盖", path
        )
