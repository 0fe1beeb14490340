"""How long reading a workbook takes: the guard's pass and the cell parser, per document and at import.

    python benchmarks/reader.py                 # 200 generated workbooks, this checkout
    PYTHONPATH=/path/to/other/checkout python benchmarks/reader.py --label other

Prints one Markdown table row per run, for benchmarks/README.md's "Reading workbooks" section:
CPU per document of ``read_workbook`` (best of three passes over the batch, after a warm-up),
and the CPU of a fresh interpreter importing the reader (median of 15, minus ``python -c pass``).
Run it for two checkouts (e.g. before and after a change of reader) in the same session.

``--one-parse`` instead weighs issue 10's question of one parse per sheet: the guard parses every
sheet with lxml whatever reads the values, so the values could come from that parse instead of
from calamine's. It times, per document, the guard's parse, calamine's (open and every sheet), and
the least a reader of the guard's trees would do (each cell's reference and value or inline text,
without shared strings, styles or dates, which such a reader would still need).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import generate  # noqa: E402

from gxreport.declare.kinds import Registry  # noqa: E402
from gxreport.inputs.workbook.reader import read_workbook  # noqa: E402


def per_document(paths: list[Path]) -> float:
    """Least CPU seconds per document over three passes of the batch (one warm-up read first)."""
    registry = Registry()
    read_workbook(paths[0], registry)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for path in paths:
            read_workbook(path, registry)
        best = min(best, (time.process_time() - start) / len(paths))
    return best


def _least(paths: list[Path], step) -> float:
    """Least CPU seconds per document of ``step(path)`` over three passes (one warm-up call first)."""
    step(paths[0])
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for path in paths:
            step(path)
        best = min(best, (time.process_time() - start) / len(paths))
    return best


def one_parse(paths: list[Path]) -> dict[str, float]:
    """CPU per document: the guard's lxml parse of every sheet, calamine's reading, a minimal walk of the lxml trees."""
    import io

    import python_calamine
    from lxml import etree

    from gxreport.inputs.workbook import guard

    archives = {path: guard.WorkbookArchive(path) for path in paths}
    parser = guard._xml_parser()
    trees = {path: [etree.fromstring(a.zip.read(part), parser) for part in a.parts.values()] for path, a in archives.items()}
    main = "{%s}" % guard._SHEET_NAMESPACES[0]

    def parse(path):
        archive = archives[path]
        for part in archive.parts.values():
            etree.fromstring(archive.zip.read(part), parser)

    def calamine(path):
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(archives[path].data))
        for name in archives[path].parts:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def walk(path):
        for root in trees[path]:
            values = {}
            for row in root.iterfind(f"{main}sheetData/{main}row"):
                for cell in row:
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        values[cell.get("r")] = "".join(cell.itertext())
                    else:
                        text = cell.findtext(f"{main}v")
                        if text:
                            values[cell.get("r")] = text if kind in ("s", "str", "e") else float(text)

    return {"lxml parse of every sheet (the guard's)": _least(paths, parse),
            "calamine: open, every sheet to Python": _least(paths, calamine),
            "values from the lxml trees, least walk": _least(paths, walk)}


def import_cpu(statement: str, runs: int = 15) -> float:
    """Median CPU seconds (user + system) of a fresh interpreter running ``statement``."""
    import resource

    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", statement], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--one-parse", action="store_true", help="values from the guard's parse against calamine's")
    args = parser.parse_args()
    import gxreport

    with tempfile.TemporaryDirectory() as scratch:
        paths = generate(Path(scratch), args.count)
        if args.one_parse:
            for step, seconds in one_parse(paths).items():
                print(f"| {step} | {seconds * 1000:.2f} ms |")
            return
        document = per_document(paths)
    floor = import_cpu("pass")
    reader = import_cpu("import gxreport.inputs.workbook.reader") - floor
    print(f"| {args.label} ({Path(gxreport.__file__).parent.parent.name}) | {document * 1000:.1f} ms | {reader * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
