"""A roll-up of 3,000 agencies is a workbook gxreport itself reads back, checks and builds.

Its 汇总来源 sheet holds one column per agency (about 750,000 cells), far past the reader's
limits; the reader reads only the sheets a report needs, and the limits count those.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gxreport import api
from gxreport.cli import app
from gxreport.errors import InputError
from gxreport.office.rollup import SOURCES_SHEET, Contribution, _summed_report, _workbook
from gxreport.checks.rules import complete
from gxreport.inputs.workbook import guard
from gxreport.inputs.workbook.xlsx import Workbook

AGENCIES = 3_000


def test_a_rollup_of_3000_agencies_reads_back_checks_and_builds(sample_2021, registry, tmp_path, runner):
    sample = api.load_report(sample_2021, registry)
    kind = sample.kind
    tables = {t.id: complete(t, sample.tables.get(t.id, {})) for t in kind.tables}
    parts = [
        Contribution(Path(f"{i:04d}.xlsx"), agency=f"样例县第{i}局", year=sample.year, kind=(kind.id, kind.format), tables=tables)
        for i in range(AGENCIES)
    ]
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(_workbook(kind, _summed_report(kind, parts, "样例县人民政府"), parts))

    book = Workbook(path)
    assert SOURCES_SHEET in book.sheetnames
    with pytest.raises(InputError, match=f"汇总来源: 单元格过多（全部工作表超过 {guard.MAX_CELLS} 个）"):
        book[SOURCES_SHEET]  # the sheet is there, past the limits a report must meet

    report = api.load_report(path, registry)
    table = kind.tables[0]
    key = next(k for k in table.value_keys if tables[table.id][k])
    assert report.tables[table.id][key] in (None, tables[table.id][key] * AGENCIES)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert "单元格过多" not in result.output and "使用范围过大" not in result.output
    out = tmp_path / "汇总.docx"
    result = runner.invoke(app, ["build", str(path), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000
