"""PDF output: .docx files converted by LibreOffice (soffice), all in one run.

soffice starts slowly and uses a lot of CPU, so every file of one call goes
through a single ``soffice --convert-to pdf`` with a private profile folder
(a clerk's open LibreOffice would otherwise take the job, or lock the profile).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gxreport.errors import RendererError
from gxreport.render.fonts import render_environment

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERT_TIMEOUT_S = 600
MISSING_MESSAGE = (
    "未找到 LibreOffice（soffice），无法生成 PDF。"
    "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui；"
    "Windows/macOS：从 libreoffice.org 下载）后重试，或不要求 pdf 输出（--to docx,html）。"
)


def find_soffice() -> str | None:
    for name in SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def require_soffice() -> str:
    """The soffice path, or RendererError (exit code 5) with what to install."""
    path = find_soffice()
    if path is None:
        raise RendererError(MISSING_MESSAGE)
    return path


def convert_files(sources: Sequence[Path], outdir: Path, soffice: str | None = None) -> list[Path]:
    """Convert `sources` (.docx) to PDFs in `outdir` in one soffice run; return the PDFs in order.

    Each source's PDF is named after its stem, so the stems must differ.
    """
    if len({s.stem for s in sources}) != len(sources):
        raise ValueError("sources must have distinct file names")
    soffice = soffice or require_soffice()
    with tempfile.TemporaryDirectory(prefix="gx-lo-profile-") as profile:
        try:
            result = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless", "--norestore", "--nolockcheck",
                    "--convert-to", "pdf:writer_pdf_Export",
                    "--outdir", str(outdir),
                    *map(str, sources),
                ],
                env=render_environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=CONVERT_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RendererError(f"LibreOffice 在 {CONVERT_TIMEOUT_S} 秒内未完成 PDF 转换，已放弃。") from None
        except OSError as exc:
            raise RendererError(f"无法运行 LibreOffice（{soffice}）：{exc.strerror}") from None
    pdfs = [outdir / (source.stem + ".pdf") for source in sources]
    missing = [pdf.name for pdf in pdfs if not pdf.is_file()]
    if result.returncode != 0 or missing:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise RendererError(
            f"LibreOffice 未能生成 PDF（退出码 {result.returncode}，缺少 {'、'.join(missing) or '无'}）："
            + " ".join(detail)
        )
    return pdfs


def docx_to_pdf(documents: Sequence[bytes], soffice: str | None = None) -> list[bytes]:
    """PDF bytes of each .docx in `documents`, all converted in one soffice run."""
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
