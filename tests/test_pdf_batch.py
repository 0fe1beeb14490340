"""PDF of a county's batch: chunks LibreOffice accepts, one soffice per job, failures kept to
their chunk, LibreOffice found where its installers put it.

Most tests run a stand-in soffice (a script that behaves like LibreOffice's command line:
it writes the PDFs asked for, or only the first N as LibreOffice does past ~245 files);
one test runs the real LibreOffice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest

from gxreport.cli import app
from gxreport.errors import EXIT_FINDINGS, EXIT_OK, EXIT_RENDERER
from gxreport.fsio import MANIFEST
from gxreport.outputs.render import pdf

from .test_all_or_nothing import _session_members, _wait_for, digest, json_reports, leftovers

FAKE_SOFFICE = """\
#!{python}
# Stands in for LibreOffice: --convert-to pdf --outdir DIR FILES...; logs each run.
import os, sys, time
from pathlib import Path
args = sys.argv[1:]
outdir = Path(args[args.index("--outdir") + 1])
sources = [a for a in args if a.endswith(".docx")]
with open({log!r}, "a") as log:
    log.write(f"{{os.getpid()}} {{len(sources)}} {{' '.join(Path(s).name for s in sources)}}\\n")
time.sleep({delay})
if any(Path(s).name in {fail!r} for s in sources):
    sys.exit(1)
for source in sources[:{limit}]:
    (outdir / (Path(source).stem + ".pdf")).write_bytes(b"%PDF-1.4 stand-in for " + Path(source).read_bytes()[:4])
"""


def fake_soffice(tmp_path: Path, *, limit: int = 10_000, fail: tuple[str, ...] = (), delay: float = 0) -> tuple[Path, Path]:
    """A stand-in soffice and the log of its runs (one line per run: pid, count, files)."""
    script, log = tmp_path / "fake-soffice", tmp_path / "soffice-runs.log"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable, log=str(log), limit=limit, fail=fail, delay=delay))
    script.chmod(0o755)
    return script, log


def runs(log: Path) -> list[int]:
    return sorted(int(line.split()[1]) for line in log.read_text().splitlines())


def test_a_batch_is_converted_in_chunks_with_one_soffice_per_job(tmp_path, runner, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_SIZE", 2)
    soffice, log = fake_soffice(tmp_path)
    inputs = json_reports(tmp_path / "in", 5)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(out), "--to", "docx,pdf", "--jobs", "2", "--soffice", str(soffice)])
    assert result.exit_code == EXIT_OK, result.output
    assert runs(log) == [1, 2, 2]
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(inputs) == len(list(out.glob("*.docx")))
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {p.name: digest(p) for p in out.iterdir() if p.name != MANIFEST}
    for path in pdfs:  # each PDF made from its own report's .docx, and listed in the summary
        assert path.read_bytes() == b"%PDF-1.4 stand-in for PK\x03\x04"
        assert str(path) in result.output


def test_soffice_converting_only_part_of_a_run_fails_the_rest_not_the_batch(tmp_path, runner, monkeypatch):
    """LibreOffice past ~245 files exits 0 having converted only the first ones."""
    monkeypatch.setattr(pdf, "CHUNK_SIZE", 3)
    soffice, _ = fake_soffice(tmp_path, limit=2)
    json_reports(tmp_path / "in", 3)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(out), "--to", "pdf,docx", "--jobs", "1", "--soffice", str(soffice)])
    assert result.exit_code == EXIT_FINDINGS
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(p.stem for p in out.glob("*.docx"))
    assert len(list(out.glob("*.pdf"))) == 2
    assert "002.json：未写入" in result.output and "LibreOffice 未能生成此文件的 PDF（退出码 0）" in result.output


def test_a_failed_chunk_keeps_what_the_others_converted(tmp_path, runner, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_SIZE", 2)
    soffice, _ = fake_soffice(tmp_path, fail=("2.docx",))  # the queue's third report: the second chunk
    json_reports(tmp_path / "in", 5)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(out), "--to", "docx,html,pdf", "--jobs", "2", "--soffice", str(soffice)])
    assert result.exit_code == EXIT_FINDINGS
    built = {p.name.split("局")[0][-3:] for p in out.glob("*.pdf")}
    assert built == {"000", "001", "004"}
    for suffix in ("docx", "html"):  # the failed chunk's reports left nothing behind
        assert {p.name.split("局")[0][-3:] for p in out.glob(f"*.{suffix}")} == built
    assert result.output.count("LibreOffice 未能生成此文件的 PDF（退出码 1）") == 4  # two status lines, two in the closing list
    assert leftovers(out) == []


def test_a_pdf_that_fails_leaves_no_docx_of_a_single_build(tmp_path, runner):
    result = runner.invoke(app, ["build", str(json_reports(tmp_path, 1)[0]), "--to", "docx,pdf", "-o", str(tmp_path / "out" / "r.docx"), "--soffice", "false"])
    assert result.exit_code == EXIT_RENDERER
    assert "LibreOffice 未能生成此文件的 PDF（退出码 1）" in result.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_the_progress_display_covers_the_pdf_phase(tmp_path, runner):
    soffice, _ = fake_soffice(tmp_path)
    json_reports(tmp_path / "in", 3)
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--to", "pdf", "--progress", "--soffice", str(soffice)])
    assert result.exit_code == EXIT_OK, result.output
    assert "转换 PDF" in result.stderr and "3/3" in result.stderr.split("转换 PDF")[-1]


def test_sigterm_during_conversion_stops_soffice_and_leaves_nothing(tmp_path):
    soffice, log = fake_soffice(tmp_path, delay=120)
    json_reports(tmp_path / "in", 4)
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    run = subprocess.Popen(
        [sys.executable, "-m", "gxreport", "build", str(tmp_path / "in"), "-o", str(out), "--to", "pdf", "--jobs", "2", "--soffice", str(soffice)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env={**os.environ, "TMPDIR": str(scratch)},
    )
    _wait_for(lambda: log.exists() and len(log.read_text().splitlines()) == 1)
    started = time.monotonic()
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 143, stderr
    assert time.monotonic() - started < 20  # not the stand-in's 120 s
    for line in log.read_text().splitlines():  # each stand-in soffice was stopped
        pid = int(line.split()[0])
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    _wait_for(lambda: _session_members(run.pid) == [], timeout=10)
    assert not out.exists() or [p.name for p in out.iterdir()] == []
    assert list(scratch.iterdir()) == []


# --- where LibreOffice is ----------------------------------------------------------------------

def test_soffice_named_by_the_environment(tmp_path, monkeypatch):
    soffice, _ = fake_soffice(tmp_path)
    monkeypatch.setenv("GXREPORT_SOFFICE", str(soffice))
    monkeypatch.setenv("PATH", "")
    assert pdf.find_soffice() == str(soffice)
    assert pdf.find_soffice(str(tmp_path / "elsewhere")) is None  # the option wins over the variable


def test_a_named_soffice_that_is_missing_is_explained(tmp_path, runner):
    result = runner.invoke(app, ["build", str(json_reports(tmp_path, 1)[0]), "--to", "pdf", "--soffice", str(tmp_path / "nope")])
    assert result.exit_code == EXIT_RENDERER
    assert "指定的 LibreOffice" in result.output and "nope" in result.output
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize(
    ("platform", "installed"),
    [
        ("win32", r"C:\Program Files\LibreOffice\program\soffice.exe"),
        ("darwin", "/Applications/LibreOffice.app/Contents/MacOS/soffice"),
    ],
)
def test_soffice_found_where_the_installers_put_it(platform, installed, monkeypatch):
    monkeypatch.delenv("GXREPORT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(pdf.sys, "platform", platform)
    monkeypatch.setattr(pdf.os, "access", lambda path, mode: path == installed)
    assert pdf.find_soffice() == installed


# --- the real LibreOffice ----------------------------------------------------------------------

def test_real_libreoffice_in_parallel_chunks(tmp_path, runner, soffice, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_SIZE", 2)
    json_reports(tmp_path / "in", 3)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(out), "--to", "pdf", "--jobs", "2"])
    assert result.exit_code == EXIT_OK, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 3 and not list(out.glob("*.docx"))
    for path in pdfs:  # each PDF is its own agency's report
        agency = path.name.split("2021年")[0]
        with pdfplumber.open(path) as document:
            assert agency in document.pages[0].extract_text().replace("\n", "").replace(" ", "")
