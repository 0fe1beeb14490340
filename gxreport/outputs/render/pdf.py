"""PDF output: .docx files converted by LibreOffice (soffice), in chunks, in parallel.

soffice starts slowly, so one run converts many files; but one run converts
only the first ~245 files it is given and still exits 0, so a batch goes in
chunks of ``CHUNK_SIZE``. Up to ``jobs`` soffice processes run at once, each
with its own profile folder (a clerk's open LibreOffice would otherwise take
the job, and two runs cannot share a profile). A chunk that fails fails its
own files only; what the others converted is kept. Interrupted (Ctrl-C,
SIGTERM), every soffice still running is stopped with its children.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gxreport.errors import RendererError
from gxreport.outputs.render.fonts import render_environment

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_ENV = "GXREPORT_SOFFICE"
# Where LibreOffice's own installers put it (PATH does not include these).
INSTALLED_SOFFICE = {
    "win32": (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ),
    "darwin": ("/Applications/LibreOffice.app/Contents/MacOS/soffice",),
}
CHUNK_SIZE = 100  # well under the ~245 files one soffice run converts
START_TIMEOUT_S = 120  # a cold start with a fresh profile
PER_FILE_TIMEOUT_S = 10
_POLL_S = 0.05
MISSING_MESSAGE = (
    "未找到 LibreOffice（soffice），无法生成 PDF。"
    "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui；"
    "Windows/macOS：从 libreoffice.org 下载安装）后重试；装在其他位置时用 --soffice 或环境变量 "
    f"{SOFFICE_ENV} 指明 soffice 的路径；或不要求 pdf 输出（--to docx,html）。"
)


def find_soffice(explicit: str | None = None) -> str | None:
    """The soffice to run: ``explicit`` (--soffice), $GXREPORT_SOFFICE, PATH, then the installers' places."""
    named = explicit or os.environ.get(SOFFICE_ENV)
    if named:
        found = shutil.which(named)
        return found or None
    for name in SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    for path in INSTALLED_SOFFICE.get(sys.platform, ()):
        if os.access(path, os.X_OK):
            return path
    return None


def require_soffice(explicit: str | None = None) -> str:
    """The soffice path, or RendererError (exit code 5) with what to install."""
    path = find_soffice(explicit)
    if path is None:
        named = explicit or os.environ.get(SOFFICE_ENV)
        if named:
            raise RendererError(f"指定的 LibreOffice（{named}）不存在或不能运行。" + MISSING_MESSAGE)
        raise RendererError(MISSING_MESSAGE)
    return path


@dataclass
class _Run:
    """One soffice process converting one chunk."""

    sources: list[Path]
    process: subprocess.Popen
    profile: tempfile.TemporaryDirectory
    log: Path
    timeout_s: int

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.timeout_s

    def stop(self) -> None:
        """End soffice and the children it started (oosplash starts soffice.bin)."""
        if self.process.poll() is None:
            try:
                if os.name == "nt":  # pragma: no cover - Windows
                    self.process.kill()
                else:
                    os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
        self.process.wait()

    def close(self) -> None:
        self.profile.cleanup()


def _start(soffice: str, sources: list[Path], outdir: Path, log: Path) -> _Run:
    profile = tempfile.TemporaryDirectory(prefix="gx-lo-profile-")
    with open(log, "wb") as handle:
        try:
            process = subprocess.Popen(
                [
                    soffice,
                    f"-env:UserInstallation={Path(profile.name).as_uri()}",
                    "--headless", "--norestore", "--nolockcheck",
                    "--convert-to", "pdf:writer_pdf_Export",
                    "--outdir", str(outdir),
                    *map(str, sources),
                ],
                env=render_environment(),
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                # Its own process group: stopped as a whole, and out of reach of the terminal's Ctrl-C,
                # which is gxreport's to handle.
                start_new_session=os.name != "nt",
            )
        except OSError as exc:
            profile.cleanup()
            raise RendererError(f"无法运行 LibreOffice（{soffice}）：{exc.strerror}") from None
    return _Run(sources, process, profile, log, START_TIMEOUT_S + PER_FILE_TIMEOUT_S * len(sources))


def _finish(run: _Run, outdir: Path) -> list[Path | RendererError]:
    """Each source's PDF, or the error that says why it has none."""
    timed_out = run.process.poll() is None
    if timed_out:
        run.stop()
    pdfs = [outdir / (source.stem + ".pdf") for source in run.sources]
    if all(pdf.is_file() for pdf in pdfs) and not timed_out:
        return list(pdfs)
    if timed_out:
        reason = f"LibreOffice 未在限时（{len(run.sources)} 个文件 {run.timeout_s} 秒）内完成 PDF 转换，已放弃"
    else:
        detail = " ".join(run.log.read_text(errors="replace").strip().splitlines()[-3:])
        reason = f"LibreOffice 未能生成此文件的 PDF（退出码 {run.process.returncode}）" + (f"：{detail}" if detail else "")
    return [pdf if pdf.is_file() and not timed_out else RendererError(reason) for pdf in pdfs]


def convert_chunks(
    sources: Sequence[Path],
    outdir: Path,
    soffice: str | None = None,
    jobs: int = 1,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[list[Path], list[Path | RendererError]], None] = lambda sources, results: None,
) -> list[Path | RendererError]:
    """Convert ``sources`` (.docx with distinct stems) to PDFs in ``outdir``.

    Chunks of ``chunk_size`` files, ``jobs`` soffice runs at a time; ``on_chunk``
    hears each chunk as it ends. Returns, in order, each source's PDF or the
    RendererError that explains why it has none.
    """
    if len({s.stem for s in sources}) != len(sources):
        raise ValueError("sources must have distinct file names")
    soffice = soffice or require_soffice()
    chunks = [list(sources[i:i + chunk_size]) for i in range(0, len(sources), max(1, chunk_size))]
    results: dict[Path, Path | RendererError] = {}
    running: list[_Run] = []
    with tempfile.TemporaryDirectory(prefix="gx-lo-log-") as logs:
        try:
            started = 0
            while chunks or running:
                while chunks and len(running) < max(1, jobs):
                    started += 1
                    running.append(_start(soffice, chunks.pop(0), outdir, Path(logs) / f"{started}.log"))
                time.sleep(_POLL_S)
                for run in [r for r in running if r.process.poll() is not None or time.monotonic() > r.deadline]:
                    running.remove(run)
                    converted = _finish(run, outdir)
                    run.close()
                    results.update(zip(run.sources, converted))
                    on_chunk(run.sources, converted)
        finally:  # interrupted or failed: no soffice is left running
            for run in running:
                run.stop()
                run.close()
    return [results[source] for source in sources]


def convert_files(sources: Sequence[Path], outdir: Path, soffice: str | None = None) -> list[Path]:
    """Convert ``sources`` (.docx) to PDFs in ``outdir``; any file without its PDF is a RendererError."""
    results = convert_chunks(sources, outdir, soffice)
    for result in results:
        if isinstance(result, RendererError):
            raise result
    return results


def docx_to_pdf(documents: Sequence[bytes], soffice: str | None = None) -> list[bytes]:
    """PDF bytes of each .docx in ``documents``."""
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="gx-pdf-") as work:
        folder = Path(work)
        sources = []
        for index, data in enumerate(documents):
            # ASCII names in a private folder: no clash between reports with equal titles.
            source = folder / f"report-{index}.docx"
            source.write_bytes(data)
            sources.append(source)
        return [pdf.read_bytes() for pdf in convert_files(sources, folder, soffice)]
