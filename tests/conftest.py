"""Shared fixtures: the registry, the bundled samples, a CLI runner, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gxreport.kinds import Registry
from gxreport.render.pdf import convert_files

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry()


@pytest.fixture(scope="session")
def sample_2021() -> Path:
    return DATA / "2021.xlsx"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's soffice: a skip on a developer's machine without it, a failure in CI."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if IN_CI:
            pytest.fail("CI needs LibreOffice (soffice); .ci/run installs it")
        pytest.skip("soffice not on PATH")
    return path


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
    """Headless Chromium: a skip on a developer's machine without it, a failure in CI."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if IN_CI:
            pytest.fail("CI needs Chromium; .ci/run installs it")
        pytest.skip("chromium not on PATH")
    return path


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
