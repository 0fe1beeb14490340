"""Fixtures for the desk's tests: a database per test (SQLite, or a fresh database on the
PostgreSQL server that .ci/run starts), a real `gxreport serve` process, headless Chromium."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, required_program

POSTGRES_ENV = "GXREPORT_TEST_DATABASE_URL"
ARTIFACTS = ROOT / "build" / "test-artifacts" / "web"
DATABASES = ("sqlite", "postgresql")


def postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if IN_CI:
            pytest.fail(f"CI needs PostgreSQL: .ci/run starts it and sets {POSTGRES_ENV}")
        pytest.skip(f"{POSTGRES_ENV} not set (source .ci/postgres.sh to start a server)")
    return url


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(params=DATABASES)
def database_url(request):
    """None (SQLite in the data folder) or the URL of a new, empty PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    server = postgres_server_url()
    name = "gx_test_" + secrets.token_hex(6)
    _admin(server, f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name
    _admin(server, f"DROP DATABASE {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    setup_code: str | None
    data_dir: Path
    process: subprocess.Popen


def start_server(data_dir: Path, database_url: str | None = None) -> LiveServer:
    """`gxreport serve --port N --no-browser --data DIR`, exactly as a user starts it."""
    port = free_port()
    command = [sys.executable, "-m", "gxreport", "serve", "--port", str(port), "--no-browser", "--data", str(data_dir)]
    if database_url:
        command += ["--database-url", database_url]
    log = open(data_dir.parent / f"serve-{port}.stderr", "wb")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True,
                               cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "Ctrl+C" in line:
            break
    else:
        raise AssertionError("gxreport serve did not start: " + "".join(lines) + (data_dir.parent / f"serve-{port}.stderr").read_text())
    started = re.search(r"报告工作台已启动：(http://127\.0\.0\.1:\d+/)", "".join(lines))
    assert started, lines
    code = re.search(r"设置码：(\S+)）", "".join(lines))
    return LiveServer(started.group(1), code.group(1) if code else None, data_dir, process)


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.process.stdout.close()


@pytest.fixture()
def live_server(tmp_path, database_url):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = start_server(data_dir, database_url)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    chromium = required_program("Chromium", "chromium", "chromium-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


class RecordedPage:
    """A page in a fresh browser context that records every request it makes."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True, **options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def outside(self, base_url: str) -> list[str]:
        """Requests that left the server under test (data: URLs never leave the page)."""
        return [url for url in self.requests if not url.startswith(base_url) and not url.startswith("data:")]

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()
