"""Shared fixtures: the registry, the bundled samples, a CLI runner, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gxreport.kinds import Registry

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
    """Convert one file with a private LibreOffice profile (no clash with a running one)."""
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
            "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = outdir / (source.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {source.name}"
    return pdf
