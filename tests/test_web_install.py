"""What an install without the checkout needs: the samples the kinds name ship in the wheel,
and a wheel installed into a fresh environment lists, builds and serves on its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import urllib.request
from pathlib import Path

from docx import Document

from gxreport import api
from gxreport.declare.kinds import Registry
from tests.conftest import ROOT


def test_every_kinds_sample_exists_and_ships_in_the_wheel(registry, runner, monkeypatch, tmp_path):
    from gxreport.cli import app

    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for kind in registry.all():
        assert kind.sample_file is not None and kind.sample_file.is_file(), kind.id
        assert shipped.get(kind.sample) == "gxreport/" + kind.sample, kind.sample  # beside gxreport/templates
    monkeypatch.chdir(tmp_path)  # not the checkout: as after an install, the samples' full paths
    listed = runner.invoke(app, ["kinds"]).output
    assert f"样例：{ROOT / 'data' / '2021.xlsx'}、{ROOT / 'data' / '2019.xlsx'}\n" in listed


def _run(command: list, **options) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=600, **options)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_wheel_installed_outside_the_checkout_lists_builds_and_serves(tmp_path):
    """pip wheel → a fresh venv away from the checkout → kinds, build of a bundled sample, serve's start."""
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, ROOT])
    (wheel,) = dist.glob("gxreport-*.whl")
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # the dependencies from this environment's site-packages, where gxreport itself is only an editable hook
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    elsewhere.mkdir()
    gxreport = venv / "bin" / "gxreport"
    installed = site / "gxreport"
    assert Path(_run([python, "-c", "import gxreport; print(gxreport.__file__)"], cwd=elsewhere).stdout.strip()) == installed / "__init__.py"

    kinds = _run([gxreport, "kinds"], cwd=elsewhere).stdout
    samples = re.findall(r"样例：(.+)", kinds)
    assert len(samples) == 4, kinds
    for line in samples:
        for sample in line.split("、"):
            assert Path(sample).is_file() and Path(sample).is_relative_to(installed), sample

    # the help pages ship too: the entry point answers --help from them, as typer would
    shown = _run([gxreport, "check", "--help"], cwd=elsewhere, env={**os.environ, "COLUMNS": "100"}).stdout
    assert (installed / "help" / "check.txt").is_file() and shown == (installed / "help" / "check.txt").read_text(encoding="utf-8")
    assert shown.startswith("用法：gxreport check")

    sample = installed / "data" / "2021.xlsx"
    built = _run([gxreport, "build", sample, "-o", elsewhere / "报告.docx", "--to", "docx,html"], cwd=elsewhere)
    document = Document(str(elsewhere / "报告.docx"))
    report_agency = api.load_report(sample, Registry()).agency
    assert report_agency and report_agency in "".join(p.text for p in document.paragraphs[:3]), built.stdout
    assert (elsewhere / "报告.html").read_text(encoding="utf-8").count(report_agency) >= 1

    server = subprocess.Popen([str(gxreport), "serve", "--port", "0", "--no-browser", "--data", str(elsewhere / "data")],
                              cwd=elsewhere, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "Ctrl+C" in line:
                break
        url = re.search(r"报告工作台已启动：(http://127\.0\.0\.1:\d+/)", "".join(lines))
        assert url, "".join(lines) + server.stderr.read()
        with urllib.request.urlopen(url.group(1), timeout=30) as response:
            start = response.read().decode("utf-8")
        assert '<html lang="zh-CN">' in start and "下载空白工作簿" in start
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', start).group(1)
        with urllib.request.urlopen(url.group(1).rstrip("/") + stylesheet, timeout=30) as response:
            assert response.status == 200 and b"--accent" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
        server.stderr.close()
