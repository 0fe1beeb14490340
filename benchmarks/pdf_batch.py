"""A county-scale PDF batch, run by hand: `gxreport build FOLDER --to pdf` of N generated workbooks.

    python benchmarks/pdf_batch.py --count 1000 --jobs 2     # ~10 minutes on 2 cores

Prints the wall time, the CPU time of gxreport and its children (LibreOffice), how many
PDFs were written and whether each is a PDF; the figures go into benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gx-pdf-bench-") as scratch:
        inputs = Path(scratch) / "in"
        inputs.mkdir()
        generate(inputs, args.count)
        out = Path(scratch) / "out"
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run(
            [sys.executable, "-m", "gxreport", "build", str(inputs), "-o", str(out), "--to", "pdf", "--jobs", str(args.jobs)],
            capture_output=True, text=True, check=False,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        pdfs = sorted(out.glob("*.pdf"))
        valid = sum(p.read_bytes()[:5] == b"%PDF-" for p in pdfs)
        load = os.getloadavg()[0]
        print(f"{args.count} workbooks, --jobs {args.jobs}: exit {run.returncode}, {len(pdfs)} PDFs ({valid} valid), "
              f"wall {wall:.0f} s ({1000 * wall / args.count:.0f} ms a document), CPU {cpu:.0f} s, load average {load:.1f}")
        if run.returncode:
            print(run.stderr[-2000:])


if __name__ == "__main__":
    main()
