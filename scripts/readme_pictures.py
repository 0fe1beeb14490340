"""Make the README's pictures: the sample report's first page and its table page as PNGs.

    python scripts/readme_pictures.py        # writes docs/img/sample-page-1.png, sample-table-page.png

Needs LibreOffice and poppler-utils (pdftoppm, pdftotext). The PDF is made exactly as
`gxreport build data/2021.xlsx --to pdf` makes it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxreport.api import load_report  # noqa: E402
from gxreport.outputs.docx import render_docx  # noqa: E402
from gxreport.declare.kinds import Registry  # noqa: E402
from gxreport.compose.narrative import layout  # noqa: E402
from gxreport.outputs.render.pdf import docx_to_pdf  # noqa: E402

SAMPLE = ROOT / "data" / "2021.xlsx"
OUT = ROOT / "docs" / "img"
TABLE_MARK = "申请人情况"  # header text of the statutory table 三, the biggest table
RESOLUTION_DPI = "60"


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")


def snapshot(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", RESOLUTION_DPI, "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )


def main() -> int:
    missing = [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]
    if missing:
        print(f"缺少 {'、'.join(missing)}（poppler-utils）", file=sys.stderr)
        return 5
    document = layout(load_report(SAMPLE, Registry()))
    (pdf_bytes,) = docx_to_pdf([render_docx(document)])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pdf = Path(work) / "sample.pdf"
        pdf.write_bytes(pdf_bytes)
        table_page = next(n for n, text in enumerate(page_texts(pdf), start=1) if TABLE_MARK in text)
        snapshot(pdf, 1, OUT / "sample-page-1.png")
        snapshot(pdf, table_page, OUT / "sample-table-page.png")
    for name in ("sample-page-1.png", "sample-table-page.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
