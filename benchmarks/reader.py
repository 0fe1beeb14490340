"""How long reading a workbook takes: the guard's pass and the cell parser, per document and at import.

    python benchmarks/reader.py                 # 200 generated workbooks, this checkout
    PYTHONPATH=/path/to/other/checkout python benchmarks/reader.py --label other

Prints one Markdown table row per run, for benchmarks/README.md's "Reading workbooks" section:
CPU per document of ``read_workbook`` (best of three passes over the batch, after a warm-up),
and the CPU of a fresh interpreter importing the reader (median of 15, minus ``python -c pass``).
Run it for two checkouts (e.g. before and after a change of reader) in the same session.
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
    args = parser.parse_args()
    import gxreport

    with tempfile.TemporaryDirectory() as scratch:
        paths = generate(Path(scratch), args.count)
        document = per_document(paths)
    floor = import_cpu("pass")
    reader = import_cpu("import gxreport.inputs.workbook.reader") - floor
    print(f"| {args.label} ({Path(gxreport.__file__).parent.parent.name}) | {document * 1000:.1f} ms | {reader * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
