"""All or nothing: every format of a build together or none, the manifest under a lock,
signals handled like Ctrl-C, special files refused, outputs readable by colleagues."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gxreport import fsio
from gxreport.cli import app
from gxreport.errors import EXIT_OK, EXIT_OUTPUT, OutputError
from gxreport.fsio import MANIFEST, write_files

from .conftest import DATA


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gxreport(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gxreport", *args], capture_output=True, text=True, timeout=timeout, **kwargs)


def json_reports(folder: Path, count: int) -> list[Path]:
    """``count`` valid JSON reports of distinct agencies (cheap to read and build)."""
    folder.mkdir(parents=True, exist_ok=True)
    report = json.loads((DATA / "2021.json").read_text(encoding="utf-8"))
    paths = []
    for i in range(count):
        report["agency"] = f"测试县第{i:03d}局"
        path = folder / f"{i:03d}.json"
        path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".gx-"))


# --- every format or none -------------------------------------------------------------------

def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_no_room_for_the_second_format_leaves_not_even_the_first(tmp_path):
    """A file size limit between the two outputs' sizes: the smaller (written first) fits,
    the larger does not: exit 3 and neither file."""
    sizes = {}
    for suffix in ("html", "docx"):
        free = tmp_path / f"free.{suffix}"
        subprocess.run([sys.executable, "-m", "gxreport", "build", str(DATA / "2021.xlsx"), "--to", suffix, "-o", str(free)],
                       capture_output=True, check=True, timeout=60)
        sizes[suffix] = free.stat().st_size
    small, large = sorted(sizes, key=sizes.get)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "gxreport", "build", str(DATA / "2021.xlsx"), "--to", f"{small},{large}", "-o", str(out / f"r.{small}")],
        capture_output=True, text=True, timeout=60, preexec_fn=_limit_file_size((sizes[small] + sizes[large]) // 2),
    )
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert f"r.{large}" in result.stderr and "无法写入" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == []


def test_a_failed_rename_puts_every_file_back(tmp_path, monkeypatch):
    first, second = tmp_path / "r.docx", tmp_path / "r.html"
    write_files([(first, b"old docx")])
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if Path(dst) == second:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(fsio.os, "replace", replace)
    with pytest.raises(OutputError, match="无法写入"):
        write_files([(first, b"new docx"), (second, b"new html")])
    assert first.read_bytes() == b"old docx" and not second.exists()
    assert Path(calls[0]) == first  # the first was renamed, then put back
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8")) == {"r.docx": hashlib.sha256(b"old docx").hexdigest()}
    assert leftovers(tmp_path) == []


def test_a_folder_where_the_manifest_goes_leaves_no_untracked_output(tmp_path, runner):
    out = tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "--to", "docx,html", "-o", str(out / "r.docx")])
    assert result.exit_code == EXIT_OUTPUT
    assert MANIFEST in result.output and "文件夹" in result.output
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST]


def test_a_batch_into_a_folder_whose_manifest_is_a_folder_writes_nothing(tmp_path, runner):
    inputs = json_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)
    result = runner.invoke(app, ["build", *map(str, inputs), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == EXIT_OUTPUT
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST]


# --- special files ----------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["manifest", "docx", "html"])
def test_a_fifo_where_a_file_goes_is_refused_without_hanging(tmp_path, where):
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / {"manifest": MANIFEST, "docx": "r.docx", "html": "r.html"}[where]
    os.mkfifo(fifo)
    result = gxreport("build", str(DATA / "2021.xlsx"), "--to", "docx,html", "-o", str(out / "r.docx"), "--force", timeout=30)
    assert result.returncode == EXIT_OUTPUT, result.stderr
    assert "命名管道" in result.stderr and fifo.name in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [fifo.name]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_behind_a_symlink_is_refused(tmp_path, runner):
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.docx").symlink_to("/dev/null")
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "-o", str(out / "r.docx"), "--force"])
    assert result.exit_code == EXIT_OUTPUT
    assert "符号链接" in result.output
    assert (out / "r.docx").is_symlink() and sorted(p.name for p in out.iterdir()) == ["r.docx"]


def test_a_folder_where_the_output_goes_is_refused(tmp_path, runner):
    (tmp_path / "r.docx").mkdir()
    result = runner.invoke(app, ["build", str(DATA / "2021.xlsx"), "-o", str(tmp_path / "r.docx"), "--force"])
    assert result.exit_code == EXIT_OUTPUT and "文件夹" in result.output


# --- the manifest under concurrency -----------------------------------------------------------

def test_ten_builds_at_once_into_one_folder_record_every_file_with_its_own_digest(tmp_path):
    inputs = json_reports(tmp_path / "in", 10)
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "gxreport", "build", str(path), "-o", str(out / f"{path.stem}.docx"), "--to", "docx,html"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for path in inputs
    ]
    for run in runs:
        assert run.wait(timeout=120) == EXIT_OK, run.stderr.read().decode()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    files = sorted(p for p in out.iterdir() if p.name != MANIFEST)
    assert len(files) == 20
    assert manifest == {p.name: digest(p) for p in files}
    assert leftovers(out) == []


def test_a_manifest_saved_late_keeps_records_written_meanwhile(tmp_path):
    """A batch saves its manifest at the end: re-read under the lock, it keeps another run's records."""
    batch = fsio.OutputManifest(tmp_path)
    write_files([(tmp_path / "batch.docx", b"batch")], manifest=batch)
    write_files([(tmp_path / "single.docx", b"single")])  # another run, saved at once
    batch.save()
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8")) == {
        "batch.docx": hashlib.sha256(b"batch").hexdigest(),
        "single.docx": hashlib.sha256(b"single").hexdigest(),
    }


# --- modes -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_take_the_mode_the_umask_gives(tmp_path, umask, mode):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "gxreport", "build", str(DATA / "2021.xlsx"), "--to", "docx,html", "-o", str(out / "r.docx")],
        capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.umask(umask),
    )
    assert result.returncode == EXIT_OK, result.stderr
    for name in ("r.docx", "r.html", MANIFEST):
        assert stat.S_IMODE((out / name).stat().st_mode) == mode, name


# --- signals ---------------------------------------------------------------------------------

def _session_members(session: int) -> list[int]:
    """Processes still in the session the run was started in (workers, soffice)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_mid_batch_stops_workers_saves_the_manifest_and_leaves_no_temporary(tmp_path, signum, code):
    inputs = json_reports(tmp_path / "in", 400)
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    run = subprocess.Popen(
        [sys.executable, "-m", "gxreport", "build", str(tmp_path / "in"), "-o", str(out), "--jobs", "2", "--to", "docx,html"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    _wait_for(lambda: out.is_dir() and len(list(out.glob("*.html"))) >= 5)
    run.send_signal(signum)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == code, stderr
    assert signal.Signals(signum).name in stderr
    _wait_for(lambda: _session_members(run.pid) == [], timeout=10)
    written = sorted(p for p in out.iterdir() if p.name != MANIFEST)
    assert 0 < len(written) < 2 * len(inputs)
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == {p.name: digest(p) for p in written}
    assert {p.stem for p in written if p.suffix == ".docx"} == {p.stem for p in written if p.suffix == ".html"}
    assert leftovers(out) == [] and list(scratch.iterdir()) == []


def test_ctrl_c_exit_code_is_in_the_readme_table():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in ("130", "143", "129"):
        assert f"| {code} |" in readme


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_an_interrupt_as_a_temporary_file_is_created_leaves_nothing_behind(tmp_path, monkeypatch, tracked):
    """The signal lands in the instant between the temporary file's creation and its being noted
    for clean-up: it waits until the file is noted, then stops the write as usual."""
    real_open = os.open

    def open_then_interrupt(path, flags, mode=0o777, *args, **kwargs):
        fd = real_open(path, flags, mode, *args, **kwargs)
        if str(path).endswith(".tmp"):
            os.kill(os.getpid(), signal.SIGINT)  # handled before the next line of Python runs
        return fd

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        fsio.write_files([(tmp_path / "报告.docx", b"docx"), (tmp_path / "报告.html", b"html")], tracked=tracked)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
