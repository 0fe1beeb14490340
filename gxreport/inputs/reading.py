"""Reading a report: a workbook or JSON (``load_report``), or last year's in any form (``load_previous``).

The lowest stage of the pipeline: it knows the input formats and nothing of
checking or writing, so every stage above (cross-year rules, next year's
workbook, checking, batch, roll-up) reads through it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import Finding, GxError, InputError
from ..declare.kinds import Registry
from ..declare.model import Report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PUBLISHED_SUFFIXES = (".docx", ".html", ".htm", ".pdf")


def load_report(path: Path, registry: Registry, fmt: str | None = None) -> Report:
    """Read a workbook or a JSON report."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from .jsonform import read_json

        return read_json(path, registry, fmt)
    if suffix in WORKBOOK_SUFFIXES:
        from .workbook.reader import read_workbook

        return read_workbook(path, registry, fmt)
    if suffix in (".xls", ".et", ".ods", ".csv"):
        raise InputError(f"不支持 {suffix} 格式，请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）", path.name)
    raise InputError("无法识别的输入（应为 .xlsx 工作簿或 .json 报告）", path.name)


def load_previous(path: Path, registry: Registry) -> tuple[Report, list[Finding]]:
    """Last year's report: a workbook or JSON, or a published .docx/.html/.pdf via the importer.

    Read once per process and file version: every report of a batch compares with it.
    """
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise InputError("上年报告不存在或无法读取", path.name) from None
    report, findings = _read_previous(path, stamp, registry)
    return report, list(findings)


@lru_cache(maxsize=8)
def _read_previous(path: Path, stamp: int, registry: Registry) -> tuple[Report, tuple[Finding, ...]]:
    try:
        if path.suffix.lower() in PUBLISHED_SUFFIXES:
            from .importer import import_report

            imported = import_report(path, registry)
            return imported.report, tuple(imported.findings)
        report = load_report(path, registry)
        return report, tuple(report.findings)
    except GxError as exc:
        raise InputError(f"上年报告：{exc.message}", exc.where) from None
