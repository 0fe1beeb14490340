"""A PDF's pages as PNG images (poppler's pdftoppm), for previews on the desk."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

PREVIEW_DPI = 80  # an A4 page 661 × 935 pixels: the layout readable, about 60 KB a page
MAX_PAGES = 30
TIMEOUT_S = 120


def page_images(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[bytes]:
    """One PNG per page (at most MAX_PAGES); none when pdftoppm is missing or fails."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []
    with tempfile.TemporaryDirectory(prefix="gx-pages-") as work:
        source = Path(work) / "report.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(
                [pdftoppm, "-png", "-r", str(dpi), "-l", str(MAX_PAGES), str(source), str(Path(work) / "page")],
                stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_S, check=True,
            )
        except (subprocess.SubprocessError, OSError):
            return []
        # pdftoppm pads page numbers to the page count's width: sort by the number, not the text
        pages = sorted(Path(work).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [page.read_bytes() for page in pages]
