"""How long importing a published report takes, next to reading the same .docx with python-docx.

    python benchmarks/importer.py                 # 100 generated reports
    python benchmarks/importer.py --count 30      # a quick look

The floor is python-docx's "read every paragraph and cell" pass (``Document(path)``, every
paragraph's text, every table's every cell's text): about the least any importer must do.
gxreport's import (``import_report``: the document read into paragraphs and expanded grids,
the statutory tables found by their labels for every kind and format, the numbers read and
checked, the narrative split into parts) runs in the same process over the same files;
CPU per document is the least of three passes after a warm-up. The target (issue 13):
import within 1.5 times the floor.

Also timed: the same reports as web pages and as PDFs (LibreOffice, when on PATH), and a
report page carrying an appendix table of 500, 1,000 and 2,000 rows (time must grow with the
rows, not with their square).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import generate  # noqa: E402

from gxreport import api  # noqa: E402
from gxreport.inputs.importer import import_report  # noqa: E402
from gxreport.declare.kinds import Registry  # noqa: E402


def python_docx_pass(path: Path) -> int:
    import docx

    document = docx.Document(str(path))
    seen = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                seen += len(cell.text)
    return seen


def cpu_per_document(function, paths: list[Path], passes: int = 3) -> float:
    function(paths[0])  # warm-up: imports, caches
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        for path in paths:
            function(path)
        best = min(best, (time.process_time() - start) / len(paths))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    registry = Registry()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbooks = generate(folder / "xlsx", args.count)
        docs, pages = [], []
        for book in workbooks:
            result = api.build_file(book, registry, folder / "docx" / f"{book.stem}.docx", api.Options(formats=("docx", "html")))
            docs.append(result.outputs[0])
            pages.append(result.outputs[1])
        floor = cpu_per_document(python_docx_pass, docs)
        ours = cpu_per_document(lambda p: import_report(p, registry), docs)
        html = cpu_per_document(lambda p: import_report(p, registry), pages)
        print(f"| documents | {len(docs)} |")
        print(f"| python-docx: every paragraph and cell (floor) | {floor * 1000:.1f} ms |")
        print(f"| gxreport import of the .docx | {ours * 1000:.1f} ms ({ours / floor:.2f} × floor) |")
        print(f"| gxreport import of the .html | {html * 1000:.1f} ms ({html / floor:.2f} × floor) |")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            few = docs[:10]
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, few)],
                           check=True, capture_output=True)
            pdfs = [folder / "pdf" / f"{d.stem}.pdf" for d in few]
            pdf = cpu_per_document(lambda p: import_report(p, registry), pdfs, passes=1)
            print(f"| gxreport import of the .pdf (LibreOffice's, {len(pdfs)} files) | {pdf * 1000:.1f} ms ({pdf / floor:.2f} × floor) |")
        page = pages[0].read_text(encoding="utf-8")
        for rows in (500, 1000, 2000):
            appendix = "".join(f"<tr><td>{i}</td><td>某某文件{i}</td><td>{i * 3}</td></tr>" for i in range(rows))
            target = folder / f"appendix{rows}.html"
            target.write_text(page.replace("</body>", f"<table><tr><td>序号</td><td>文件名称</td><td>件数</td></tr>{appendix}</table></body>"), encoding="utf-8")
            cost = cpu_per_document(lambda p: import_report(p, registry), [target], passes=3)
            print(f"| report page with a {rows}-row appendix table | {cost * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
