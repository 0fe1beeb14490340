"""The January rush: many departments uploading to `gxreport serve` at once.

Starts the desk on 127.0.0.1 (loopback only, a free port, a fresh data folder), sets the
office password, opens a round with one department per client, and lets every client
upload its own workbook through its own link at the same moment, in several waves.
Measures every answer (status, verdict, latency), that every upload was stored under its
own department (the dashboard), the server's CPU per upload and its resident memory
after each wave. Bounded: a fixed number of clients and waves, a timeout per request and
for the whole run.

    pip install -e '.[bench]'
    python benchmarks/load.py                     # 60 clients, 3 waves
    python benchmarks/load.py --clients 10 --waves 1
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxreport.declare.kinds import Registry  # noqa: E402
from gxreport.web import storage  # noqa: E402
from tests.web_support import start_server, stop_server  # noqa: E402
from tests.workbooks import make_workbook, requests as balanced  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REQUEST_TIMEOUT_S = 120
RUN_TIMEOUT_S = 900
PASSWORD = "load-test-password"


def token(session: requests.Session, url: str) -> str:
    return CSRF.search(session.get(url, timeout=REQUEST_TIMEOUT_S).text).group(1)


def office_round(base: str, setup_code: str, names: list[str]) -> tuple[requests.Session, str, dict[str, str]]:
    office = requests.Session()
    office.post(base + "office/setup", timeout=REQUEST_TIMEOUT_S, data={
        "csrf_token": token(office, base + "office/setup"), "code": setup_code, "password": PASSWORD, "confirm": PASSWORD})
    response = office.post(base + "office/rounds", timeout=REQUEST_TIMEOUT_S, data={
        "csrf_token": token(office, base + "office"), "kind": "annual", "year": "2021", "deadline": "2022-01-31",
        "departments": "\n".join(names)})
    page = response.text
    links = dict(re.findall(r'<td class="name">([^<]+)</td>.*?value="(http://[^"]+/d/[^"]+)"', page, re.S))
    assert len(links) == len(names), "the round page lists every department's link"
    return office, response.url, links


def upload(link: str, name: str, data: bytes, barrier: threading.Barrier) -> tuple[float, int, str]:
    session = requests.Session()
    csrf = token(session, link)
    barrier.wait(timeout=REQUEST_TIMEOUT_S)  # every client sends at the same moment
    started = time.perf_counter()
    response = session.post(link + "/upload", timeout=REQUEST_TIMEOUT_S, data={"csrf_token": csrf, "submitter": name},
                            files={"file": (f"{name}.xlsx", data)})
    elapsed = time.perf_counter() - started
    verdict = re.search(r'<h2 class="state [^"]*">([^<]+)</h2>', response.text)
    return elapsed, response.status_code, verdict.group(1) if verdict else response.text[:200]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--waves", type=int, default=3)
    args = parser.parse_args()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    registry = Registry()
    with tempfile.TemporaryDirectory(prefix="gx-load-") as work:
        folder = Path(work)
        names = [f"第{i:02d}号测试局" for i in range(args.clients)]
        workbooks = {
            name: make_workbook(folder / f"{i}.xlsx", registry, name, values=balanced(i + 1, carried_out=i % 3)).read_bytes()
            for i, name in enumerate(names)
        }
        data_dir = folder / "data"
        data_dir.mkdir()
        server = start_server(data_dir)
        assert server.url.startswith("http://127.0.0.1:")
        process = psutil.Process(server.process.pid)
        try:
            office, round_url, links = office_round(server.url, server.setup_code, names)
            rss = [process.memory_info().rss]
            waves = []
            for wave in range(args.waves):
                if time.monotonic() > deadline:
                    raise TimeoutError("the run took longer than its bound")
                barrier = threading.Barrier(args.clients)
                cpu_before = sum(process.cpu_times()[:2])
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=args.clients) as pool:
                    results = list(pool.map(lambda n: upload(links[n], n, workbooks[n], barrier), names))
                wall = time.perf_counter() - started
                cpu = sum(process.cpu_times()[:2]) - cpu_before
                rss.append(process.memory_info().rss)
                waves.append((results, wall, cpu))
            dashboard = office.get(round_url, timeout=REQUEST_TIMEOUT_S).text
            stored = len(re.findall(r'<td class="state-cell">可生成', dashboard))
        finally:
            stop_server(server)
        store = storage.Storage(storage.database_url(data_dir, None))
        per_department = [len(store.submissions_of(d.id)) for d in store.departments(1)]
        store.close()
    print(f"{args.clients} clients × {args.waves} waves against {server.url} (waitress, SQLite)")
    print("| wave | answered 200 | 检查通过 | latency median | p95 | max | wall | server CPU | CPU per upload |")
    print("|---|---|---|---|---|---|---|---|---|")
    failures = 0
    for number, (results, wall, cpu) in enumerate(waves, start=1):
        latencies = sorted(r[0] for r in results)
        ok = sum(r[1] == 200 for r in results)
        passed = sum("检查通过" in r[2] for r in results)
        failures += len(results) - passed
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"| {number} | {ok}/{len(results)} | {passed} | {statistics.median(latencies):.2f} s | {p95:.2f} s "
              f"| {latencies[-1]:.2f} s | {wall:.2f} s | {cpu:.2f} s | {cpu / len(results) * 1000:.0f} ms |")
    print("server RSS after start and after each wave (MiB): " + ", ".join(f"{r / 2**20:.0f}" for r in rss))
    print(f"dashboard: {stored}/{args.clients} departments 可生成 (latest upload of each stored under its own link)")
    kept = sum(per_department)
    print(f"stored: {kept} of {args.clients * args.waves} uploads, each department {min(per_department)}–{max(per_department)} of its own")
    return 0 if failures == 0 and stored == args.clients and kept == args.clients * args.waves else 1


if __name__ == "__main__":
    sys.exit(main())
