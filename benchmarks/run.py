"""Benchmarks of gxreport against a docxtpl peer and the floor; writes benchmarks/README.md.

    pip install -e '.[bench]'          # docxtpl for the peer; hyperfine is used if on PATH
    python benchmarks/run.py            # about 10 minutes on 2 cores
    python benchmarks/run.py --batch 100 --runs 5 --out /tmp/bench.md   # a quick look

Measures, each pipeline doing the same job (workbook → checked → .docx on disk):

1. Whole process, one document: ``gxreport check`` and ``gxreport build`` of the sample,
   the peer and the floor, as fresh processes (hyperfine, or timed subprocesses); median
   wall time and CPU time (user + system) over ``--runs`` runs after warm-ups.
2. Per document in one process: a batch of ``--batch`` workbooks generated from the
   sample with varied agencies and balanced random figures (``workbooks.py``), each
   pipeline in its own process; wall and CPU time per document, resident memory after
   10 %, 50 % and 100 % of the batch, and the peak.

Pipelines: gxreport (library calls ``api.check_file`` / ``api.build_file``), the peer
(``peer_docxtpl.py``: openpyxl + docxtpl), the floor (``floor.py``: regular expressions
on the sheet XML, a three-part package written directly).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "data" / "2021.xlsx"
PY = sys.executable  # the interpreter itself: a pyenv shim would add its own ~50 ms

TARGETS = {  # issue 10: whole process, CPU, compiled bytecode
    "build": 0.110,  # s, one whole `gxreport build` of the sample
    "check": 0.075,  # s, one whole `gxreport check`
    "version": 0.040,  # s, `gxreport --version`
    "help": 0.040,  # s, `gxreport --help`
    "per_doc_cpu": 0.008,  # s of one core per document, `gxreport build FOLDER`
    "memory": 150,  # MiB resident, whatever the batch size
}
VERSION = "gxreport --version (answered by the entry point)"
HELP = "gxreport --help (typer's page, shipped: no typer)"
STDLIB = "pathlib, re, enum, typing, dataclasses, zipfile, json, tomllib (the standard library a checker needs)"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
    return env


# --- whole process ---------------------------------------------------------------


def _time_loop(argv: list[str], runs: int, exit_code: int, cwd: Path) -> dict:
    """Run `argv` `runs` times after 2 warm-ups: median wall, median CPU (user + sys) of the child."""
    walls, cpus = [], []
    for attempt in range(runs + 2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, env=_env(), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        if done.returncode != exit_code:
            raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr.decode()}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if attempt >= 2:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "runs": runs, "tool": "subprocess"}


def _time_hyperfine(argv: list[str], runs: int, scratch: Path, exit_code: int, cwd: Path) -> dict:
    export = scratch / "hyperfine.json"
    command = " ".join(_quote(a) for a in argv)
    subprocess.run(
        ["hyperfine", "--warmup", "2", "--runs", str(runs), "--style", "none", "-N",
         *(["--ignore-failure"] if exit_code else []), "--export-json", str(export), command],
        env=_env(), cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    result = json.loads(export.read_text())["results"][0]
    # hyperfine gives mean user/system; the loop below supplies median CPU for comparison
    return {"wall": result["median"], "cpu": result["user"] + result["system"], "runs": runs, "tool": "hyperfine"}


def _quote(arg: str) -> str:
    return f'"{arg}"' if any(c in arg for c in ' "\'') else arg


def _typer_version(python: str) -> str:
    code = "import importlib.metadata as m; print(m.version('typer'))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def whole_process(scratch: Path, runs: int, template_dir: Path, alt_python: str | None) -> dict[str, dict]:
    out = scratch / "whole"
    out.mkdir()
    lib_check = "from pathlib import Path; from gxreport import api; from gxreport.declare.kinds import Registry; " \
        f"api.check_file(Path(r'{SAMPLE}'), Registry())"
    lib_build = "from pathlib import Path; from gxreport import api; from gxreport.declare.kinds import Registry; " \
        f"api.build_file(Path(r'{SAMPLE}'), Registry(), Path(r'{out / 'lib.docx'}'), api.Options(force=True))"
    commands = {
        "python -c pass (interpreter start)": [PY, "-c", "pass"],
        VERSION: [PY, "-m", "gxreport", "--version"],
        HELP: [PY, "-m", "gxreport", "--help"],
        STDLIB: [PY, "-c", "import pathlib, re, enum, typing, dataclasses, zipfile, json, tomllib"],
        "gxreport check of a missing file (no typer, no work)": [PY, "-m", "gxreport", "check", str(out / "missing.xlsx"), "#2"],
        "gxreport check data/2021.xlsx": [PY, "-m", "gxreport", "check", str(SAMPLE)],
        "gxreport build data/2021.xlsx": [PY, "-m", "gxreport", "build", str(SAMPLE)],  # writes build/… in the scratch folder
        "gxreport build data/2021.xlsx -o OUT --force (options: through typer)":
            [PY, "-m", "gxreport", "build", str(SAMPLE), "-o", str(out / "cli.docx"), "--force"],
        "library check (api.check_file, no CLI)": [PY, "-c", lib_check],
        "library build (api.build_file, no CLI)": [PY, "-c", lib_build],
        "peer: openpyxl + docxtpl": [PY, str(HERE / "peer_docxtpl.py"), str(template_dir), str(SAMPLE), str(out / "peer.docx")],
        "floor: sheet XML → document.xml": [PY, str(HERE / "floor.py"), str(template_dir / "peer-addresses.json"), str(SAMPLE), str(out / "floor.docx")],
    }
    if alt_python:  # the same CLI commands under another interpreter, e.g. a venv with another typer
        label = f"typer {_typer_version(alt_python)}"
        commands[f"gxreport check data/2021.xlsx, {label}"] = [alt_python, *commands["gxreport check data/2021.xlsx"][1:]]
        commands[f"gxreport build data/2021.xlsx, {label}"] = [alt_python, *commands["gxreport build data/2021.xlsx"][1:]]
    results = {}
    for name, argv in commands.items():
        print(f"  whole process: {name}", file=sys.stderr)
        exit_code = int(argv.pop()[1:]) if argv[-1].startswith("#") else 0  # "#2": the exit code expected
        looped = _time_loop(argv, runs, exit_code, out)
        if shutil.which("hyperfine"):
            timed = _time_hyperfine(argv, runs, scratch, exit_code, out)
            timed["cpu"] = looped["cpu"]
            results[name] = timed
        else:
            results[name] = looped
        if name.startswith("gxreport"):
            results[name]["imports"] = imports(argv, exit_code, out)
    for name in ("gxreport check data/2021.xlsx", "gxreport build data/2021.xlsx"):
        floor_name = library_floor_name(name)
        print(f"  whole process: {floor_name}", file=sys.stderr)
        results[floor_name] = _time_loop(library_floor(results[name]["imports"]["names"]), runs, 0, out)
    return results


def library_floor_name(command: str) -> str:
    return f"the modules `{command.removeprefix('gxreport ').split()[0]}` imports, gxreport's own left out (import only)"


def library_floor(modules: list[str]) -> list[str]:
    """A process importing exactly the other modules a gxreport command imported, in the same
    order, and doing nothing else: the least any code on those libraries can take. Names the
    command tried and did not find (``nt`` on Linux, ``sitecustomize``) are tried again."""
    code = f"import importlib\nfor name in {modules!r}:\n    try:\n        importlib.import_module(name)\n    except ImportError:\n        pass"
    return [PY, "-c", code]


HEAVY = ("typer", "jinja2", "docx", "openpyxl", "lxml", "python_calamine", "pdfplumber", "flask", "sqlalchemy")


def imports(argv: list[str], exit_code: int, cwd: Path) -> dict:
    """What one run of `argv` imports (``-X importtime``): module count, import time by origin
    (gxreport, other libraries, the standard library) and which heavy libraries were loaded."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=_env(), cwd=cwd, capture_output=True, text=True)
    if done.returncode != exit_code:
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr}")
    spent = {"gxreport": 0, "libraries": 0, "stdlib": 0}
    loaded = set()
    names = []  # every module that is not gxreport's, in the order its import finished
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
        top = name.split(".")[0]
        loaded.add(top)
        origin = "gxreport" if top == "gxreport" else "stdlib" if top in sys.stdlib_module_names or top.startswith("_") else "libraries"
        spent[origin] += int(self_us)
        if origin != "gxreport":
            names.append(name)
    return {"modules": len(loaded), "spent": spent, "heavy": [h for h in HEAVY if h in loaded], "names": names}


# --- batch, one process per pipeline ------------------------------------------------------


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker(pipeline: str, listing: Path, out_dir: Path, template_dir: Path) -> None:
    """Run one pipeline over the listed workbooks in this process; print JSON results."""
    paths = [Path(p) for p in listing.read_text().split("\n") if p]
    if pipeline in ("gxreport-check", "gxreport-build"):
        from gxreport import api
        from gxreport.declare.kinds import Registry

        registry = Registry()
        if pipeline == "gxreport-check":
            def one(path, out):
                api.check_file(path, registry)
        else:
            def one(path, out):
                if api.build_file(path, registry, out).refused:
                    raise SystemExit(f"{path} refused")
    elif pipeline == "peer":
        from peer_docxtpl import Peer

        peer = Peer(template_dir)
        one = peer.render
    else:
        import floor

        addresses = floor.load_addresses(template_dir / "peer-addresses.json")

        def one(path, out):
            floor.render(addresses, path, out)

    if pipeline == "gxreport-stages":
        stages(paths, out_dir)
        return
    one(paths[0], out_dir / "warm-up.docx")  # first-use costs (imports, caches) are not per document
    checkpoints = {max(1, len(paths) // 10), max(1, len(paths) // 2), len(paths)}
    rss = {}
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for index, path in enumerate(paths, start=1):
        one(path, out_dir / f"{path.stem}.docx")
        if index in checkpoints:
            rss[index] = round(_rss_mib(), 1)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": len(paths), "cpu": cpu / len(paths), "wall": wall / len(paths), "rss": rss, "peak": peak}))


def stages(paths: list[Path], out_dir: Path) -> None:
    """CPU per document of each step of ``api.build_file``, the same calls one by one."""
    from gxreport import api
    from gxreport.outputs.docx import render_docx
    from gxreport.fsio import write_output
    from gxreport.declare.kinds import Registry
    from gxreport.compose.narrative import layout

    registry = Registry()
    spent = dict.fromkeys(("read + check", "layout (Jinja, blocks)", "render (.docx bytes)", "write (atomic, manifest)"), 0.0)
    api.build_file(paths[0], registry, out_dir / "warm-up.docx")
    for path in paths:
        marks = [time.process_time()]
        checked = api.check_file(path, registry)
        marks.append(time.process_time())
        document = layout(checked.report)
        marks.append(time.process_time())
        data = render_docx(document)
        marks.append(time.process_time())
        write_output(out_dir / f"{path.stem}.docx", data)
        marks.append(time.process_time())
        for name, start, end in zip(spent, marks, marks[1:]):
            spent[name] += end - start
    print(json.dumps({name: total / len(paths) for name, total in spent.items()}))


def batch_command(scratch: Path, paths: list[Path], jobs: int) -> dict:
    """`gxreport build FOLDER -o OUT --jobs N` as one process: CPU (with its workers) and wall per document."""
    out_dir = scratch / f"out-command-{jobs}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([PY, "-m", "gxreport", "build", str(paths[0].parent), "-o", str(out_dir), "--jobs", str(jobs)],
                   env=_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    built = len(list(out_dir.glob("*.docx")))
    shutil.rmtree(out_dir)
    if built != len(paths):
        raise SystemExit(f"batch command built {built} of {len(paths)}")
    return {"cpu": cpu / len(paths), "wall": wall / len(paths), "jobs": jobs}


def batch(scratch: Path, paths: list[Path], template_dir: Path) -> dict[str, dict]:
    listing = scratch / "batch.txt"
    listing.write_text("\n".join(map(str, paths)))
    results = {}
    # The fast pipelines run three times and keep their least-CPU run, to damp the load of
    # other users of the machine; the peer runs once (it takes minutes).
    for pipeline, repeats in (("gxreport-check", 3), ("gxreport-build", 3), ("gxreport-stages", 3), ("peer", 1), ("floor", 3)):
        print(f"  batch of {len(paths)}: {pipeline} ×{repeats}", file=sys.stderr)
        runs = []
        for _ in range(repeats):
            out_dir = scratch / f"out-{pipeline}"
            out_dir.mkdir()
            done = subprocess.run(
                [PY, __file__, "--worker", pipeline, str(listing), str(out_dir), str(template_dir)],
                env=_env(), check=True, capture_output=True, text=True,
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            shutil.rmtree(out_dir)  # 1,000 documents are ~20 MB: do not keep them
        results[pipeline] = min(runs, key=lambda r: r["cpu"] if "cpu" in r else sum(r.values()))
    for jobs in (1, 2):
        print(f"  batch of {len(paths)}: gxreport build FOLDER --jobs {jobs}", file=sys.stderr)
        results[f"command-{jobs}"] = min((batch_command(scratch, paths, jobs) for _ in range(2)), key=lambda r: r["cpu"])
    return results


# --- report ---------------------------------------------------------------------------


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), 0)
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem // 1024} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end of the run"
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def _verdict(value: float, target: float) -> str:
    if value <= target:
        return f"met ({value / target:.0%} of target)"
    return f"missed by {_ms(value - target) if target < 10 else f'{value - target:.0f} MiB'} ({value / target - 1:.0%})"


def report(whole: dict[str, dict], batched: dict[str, dict], batch_size: int, versions: dict[str, str]) -> str:
    peer, floor_ = whole["peer: openpyxl + docxtpl"], whole["floor: sheet XML → document.xml"]
    lines = [
        "## Results (generated by `python benchmarks/run.py`, one run)",
        "",
        f"Machine: {machine()}. Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "Whatever else runs on the machine shows in the load average above: wall times carry it, and so do "
        "the CPU times of short processes (user + system; the whole-process CPU column is the median of "
        "separate subprocess runs, the wall column hyperfine's median when installed).",
        "",
        "### Whole process, one document (median of "
        f"{next(iter(whole.values()))['runs']} runs, {next(iter(whole.values()))['tool']})",
        "",
        "| command | wall | CPU | wall ÷ peer | wall ÷ floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in whole.items():
        lines.append(f"| {name} | {_ms(r['wall'])} | {_ms(r['cpu'])} | {r['wall'] / peer['wall']:.2f} | {r['wall'] / floor_['wall']:.2f} |")
    floor_cpu = whole["python -c pass (interpreter start)"]["cpu"]
    lines += [
        "",
        f"Targets are whole-process CPU; the interpreter's own start (`python -c pass`) took {_ms(floor_cpu)} of CPU in this run.",
        "",
    ]
    for label, name, target in (("build", "gxreport build data/2021.xlsx", "build"), ("check", "gxreport check data/2021.xlsx", "check"),
                                ("--version", VERSION, "version"), ("--help", HELP, "help")):
        r = whole[name]
        libraries = whole.get(library_floor_name(name))
        below = f"; importing the other modules it uses, and nothing else, takes {_ms(libraries['cpu'])}" if libraries else ""
        lines.append(f"- Target `{label}` under {_ms(TARGETS[target])} CPU: {_verdict(r['cpu'], TARGETS[target])} "
                     f"(above the interpreter's start: {_ms(r['cpu'] - floor_cpu)}{below}); wall {_ms(r['wall'])}.")
    lines += [
        "",
        "What each command imports (one run with `-X importtime`; import time is the sum of the modules' own "
        "times, so it leaves out the work done between imports):",
        "",
        "| command | top-level packages | import: gxreport / other libraries / standard library | heavy libraries loaded |",
        "|---|---:|---|---|",
    ]
    for name, r in whole.items():
        if "imports" in r:
            found = r["imports"]
            spent = " / ".join(_ms(found["spent"][origin] / 1e6) for origin in ("gxreport", "libraries", "stdlib"))
            lines.append(f"| {name} | {found['modules']} | {spent} | {', '.join(found['heavy']) or '—'} |")
    lines += [
        "",
        f"### Per document in one process (batch of {batch_size} generated workbooks)",
        "",
        "| pipeline | wall / doc | CPU / doc | CPU ÷ peer | CPU ÷ floor | RSS after 10 % / 50 % / 100 % | peak RSS |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    steps = batched.pop("gxreport-stages")
    commands = {name: batched.pop(name) for name in ("command-1", "command-2")}
    for name, r in batched.items():
        rss = " / ".join(f"{v:.0f}" for _, v in sorted(r["rss"].items(), key=lambda kv: int(kv[0]))) + " MiB"
        lines.append(
            f"| {name} | {_ms(r['wall'])} | {_ms(r['cpu'])} | {r['cpu'] / batched['peer']['cpu']:.3f} | "
            f"{r['cpu'] / batched['floor']['cpu']:.1f} | {rss} | {r['peak']:.0f} MiB |"
        )
    gx = batched["gxreport-build"]
    one = commands["command-1"]
    lines += [
        "",
        "CPU per document of each step of `build` (same batch, steps timed one by one): "
        + "; ".join(f"{name} {_ms(seconds)}" for name, seconds in steps.items()) + ".",
        "",
        "The batch command, `gxreport build FOLDER -o OUT` as one process with its workers (CPU of all, start-up included): "
        + "; ".join(f"--jobs {r['jobs']}: {_ms(r['cpu'])} CPU and {_ms(r['wall'])} wall per document" for r in commands.values()) + ".",
        "",
        f"- Target under {_ms(TARGETS['per_doc_cpu'])} per document per core (`gxreport build FOLDER --jobs 1`, CPU): "
        f"{_verdict(one['cpu'], TARGETS['per_doc_cpu'])}.",
        f"- Target memory flat, under {TARGETS['memory']} MiB: peak {gx['peak']:.0f} MiB, "
        f"{_verdict(gx['peak'], TARGETS['memory'])}; growth from 10 % to 100 % of the batch: "
        f"{max(gx['rss'].values()) - min(gx['rss'].values()):.1f} MiB.",
    ]
    return "\n".join(lines) + "\n"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("typer", "pydantic", "openpyxl", "python-docx", "docxtpl", "lxml", "jinja2"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=1000, help="workbooks in the batch (default 1000)")
    parser.add_argument("--runs", type=int, default=15, help="runs of each whole-process command (default 15)")
    parser.add_argument("--out", type=Path, default=HERE / "README.md", help="file whose results section is replaced")
    parser.add_argument("--alt-python", help="also time the CLI with this interpreter (e.g. a venv holding another typer)")
    parser.add_argument("--worker", nargs=4, metavar=("PIPELINE", "LIST", "OUT", "TEMPLATE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        pipeline, listing, out_dir, template_dir = args.worker
        worker(pipeline, Path(listing), Path(out_dir), Path(template_dir))
        return

    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from peer_docxtpl import make_template
    from workbooks import generate

    # Compiled bytecode, as `pip install` of the wheel leaves it (an editable install compiles on first use).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "gxreport")], check=True)
    with tempfile.TemporaryDirectory(prefix="gxreport-bench-") as tmp:
        scratch = Path(tmp)
        template_dir = scratch / "peer"
        template_dir.mkdir()
        make_template(template_dir)
        print(f"generating {args.batch} workbooks…", file=sys.stderr)
        paths = generate(scratch / "workbooks", args.batch)
        whole = whole_process(scratch, args.runs, template_dir, args.alt_python)
        batched = batch(scratch, paths, template_dir)
    results = report(whole, batched, args.batch, _versions())
    _write_results(args.out, results)
    print(results)


RESULTS_START = "<!-- results: written by benchmarks/run.py -->"
RESULTS_END = "<!-- end of results -->"


def _write_results(path: Path, results: str) -> None:
    """Replace the results section of `path` (between the markers), keeping the prose around it."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{RESULTS_START}\n{RESULTS_END}\n"
    if RESULTS_START not in text:
        text += f"\n{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1) if RESULTS_END in rest else ("", "")
    path.write_text(f"{head}{RESULTS_START}\n{results}{RESULTS_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
