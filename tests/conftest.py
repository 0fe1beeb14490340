"""Shared fixtures: the registry, the bundled samples, a CLI runner, LibreOffice."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gxreport.declare.kinds import Registry, builtin_templates_dir
from gxreport.outputs.render.pdf import convert_files
from gxreport.usercache import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
IN_CI = os.environ.get("CI") == "true"

# Parsed declarations and compiled templates are kept between runs (gxreport/usercache.py): the
# suite's, its subprocesses' included, go to a folder of its own, not the tester's home.
os.environ[CACHE_ENV] = _CACHE = tempfile.mkdtemp(prefix="gxreport-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of the test's own (created by the first entry written)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def kind_with_template_line(tmp_path: Path, line: str) -> tuple[Path, Path, int]:
    """A copy of annual-2021 under ``tmp_path/kinds`` whose document template has ``line`` at the top
    of its body: the folder to give as ``--templates``, the template, and the line's number in it."""
    folder = tmp_path / "kinds" / "annual-2021"
    shutil.copytree(builtin_templates_dir() / "annual-2021", folder)
    template = folder / "document.xml.j2"
    lines = template.read_text(encoding="utf-8").split("\n")
    at = lines.index("<document>") + 1
    template.write_text("\n".join([*lines[:at], line, *lines[at:]]), encoding="utf-8")
    return folder.parent, template, at + 1


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry()


@pytest.fixture(scope="session")
def sample_2021() -> Path:
    return DATA / "2021.xlsx"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def required_program(name: str, *commands: str) -> str:
    """An external program the rendering tests need: a skip on a developer's machine
    without it, a failure in CI (where .ci/run installs it)."""
    path = next((found for found in map(shutil.which, commands) if found), None)
    if path is None:
        if IN_CI:
            pytest.fail(f"CI needs {name}; .ci/run installs it")
        pytest.skip(f"{name} not on PATH")
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    return required_program("LibreOffice (soffice)", "soffice", "libreoffice")


def convert_to_pdf(soffice: str, source: Path, outdir: Path) -> Path:
    """Convert one file with a private LibreOffice profile and gxreport's font mapping."""
    return convert_all_to_pdf(soffice, [source], outdir)[0]


def convert_all_to_pdf(soffice: str, sources: list[Path], outdir: Path) -> list[Path]:
    """Convert several files in one soffice run (soffice is slow to start; convert once)."""
    pdfs = convert_files(sources, outdir, soffice)
    for source, pdf in zip(sources, pdfs):
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {source.name}"
    return pdfs


@pytest.fixture(scope="session")
def chromium() -> str:
    return required_program("Chromium", "chromium", "chromium-browser")


def run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Chromium headless with no sandbox, GPU or network side traffic, in a fresh profile."""
    return subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
