"""Limits: the guard counts cells and rows exactly as the XML streams by, and refuses only past them.

Memory and time are bounded by the input's size: every cell reference and
merged range is read by one parser, checked before anything is allocated.
"""

from __future__ import annotations

import pytest

from gxreport.errors import InputError
from gxreport.inputs.workbook import guard
from gxreport.inputs.workbook.xlsx import Workbook

from .hostile import workbooks as wb


def _sheet_with(rows: bytes) -> bytes:
    """The sample workbook with ``rows`` appended to the 附件 sheet's XML."""
    return wb.patch_sheet_xml(wb.base(), "附件", lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))


def read_every_sheet(path):
    book = Workbook(path)
    return [book[name] for name in book.sheetnames]


@pytest.fixture()
def counted(tmp_path, monkeypatch):
    """Whether a workbook passes the guard with the cell limit set to ``limit``."""

    def passes(data: bytes, limit: int) -> bool:
        path = tmp_path / "limits.xlsx"
        path.write_bytes(data)
        monkeypatch.setattr(guard, "MAX_CELLS", limit)
        try:
            read_every_sheet(path)
        except InputError as exc:
            assert "单元格过多" in exc.message and exc.where.file == "limits.xlsx" and exc.where.sheet
            return False
        return True

    return passes


def _exact_count(passes, data: bytes) -> int:
    """The smallest cell limit ``data`` passes: the guard's count of its cells."""
    low, high = 0, 2_000_000
    while low < high:
        mid = (low + high) // 2
        if passes(data, mid):
            high = mid
        else:
            low = mid + 1
    return low


@pytest.mark.parametrize(
    "rows, added",
    [
        # 19,000 cells of ~60 bytes: tags fall across the 64 KB read boundaries.
        (b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r) for r in range(100, 19_100)), 19_000),
        # Cells without r attributes, self-closing styled cells and a namespace prefix.
        (b'<row r="100"><c s="1"/><c/><c t="n"><v>1</v></c></row>', 3),
        (b'<x:row xmlns:x="urn:x" r="101"><x:c r="A101"><x:v>2</x:v></x:c></x:row>', 1),
        # Look-alike tags are not cells: <cols>, <col>, <customSheetView> stay uncounted.
        (b'<row r="102"><c r="A102"><v>3</v></c></row><!-- <cols><col min="1"/> -->', 1),
    ],
    ids=["19000-cells-across-chunks", "no-refs-self-closing", "prefixed", "look-alikes"],
)
def test_the_guard_counts_every_cell(rows, added, counted):
    assert _exact_count(counted, _sheet_with(rows)) == _exact_count(counted, wb.base()) + added


def test_a_large_but_real_report_is_read(tmp_path, registry):
    """2,000 narrative rows are far from the limits and read normally."""
    from gxreport.inputs.workbook.reader import read_workbook

    def change(book):
        ws = book["正文"]
        for r in range(ws.max_row + 1, ws.max_row + 2001):
            ws.cell(row=r, column=4, value=f"第{r}段说明")

    path = tmp_path / "大.xlsx"
    path.write_bytes(wb.edited(change))
    report = read_workbook(path, registry)
    assert sum(1 for b in report.blocks if b.text.startswith("第")) >= 2000


def test_rows_past_the_limit_are_refused_before_loading(tmp_path):
    path = tmp_path / "行.xlsx"
    path.write_bytes(_sheet_with(b"".join(b'<row r="%d"/>' % r for r in range(100, 100 + guard.MAX_ROWS + 1))))
    with pytest.raises(InputError, match=r"行\.xlsx!附件: 有超过 \d+ 行，超过上限"):
        read_every_sheet(path)


def test_a_merged_range_over_the_whole_sheet_is_refused_before_reading(tmp_path):
    """One <mergeCell> covering a million rows would make the reader fill every covered cell."""
    bomb = wb.patch_sheet_xml(
        wb.base(), "表三", lambda xml: xml.replace(b"</mergeCells>", b'<mergeCell ref="AA1:XFD1048576"/></mergeCells>')
    )
    path = tmp_path / "merge-bomb.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(InputError) as refused:
        read_every_sheet(path)
    assert str(refused.value).startswith("merge-bomb.xlsx!表三!AA1:XFD1048576: 使用范围过大（1048576 行 × 16384 列）")


@pytest.mark.parametrize(
    "ref, says",
    [
        ("A40:B12345678", "单元格地址“A40:B12345678”不规范"),
        ("A40:B0000001048576", "不规范"),
        ("A40:B\u0661\u0660\u0660\u0660\u0660\u0660\u0660\u0660", "不规范"),
        ("A40:L60", "合并单元格过多或相互重叠"),
    ],
    ids=["8-digit-row", "leading-zeros", "arabic-indic-digits", "20000-overlapping"],
)
def test_a_hostile_merge_is_refused_within_a_memory_limit(ref, says, tmp_path):
    """The whole command runs under a 1 GB address-space limit: a merge that once filled 4 GB is exit 2."""
    import resource
    import subprocess
    import sys

    path = tmp_path / "合并.xlsx"
    path.write_bytes(wb.with_merges("表三", [ref] * (20_000 if ref == "A40:L60" else 1)))

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "gxreport", "check", str(path)], capture_output=True, text=True, timeout=120, preexec_fn=limit_memory
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "合并.xlsx!表三" in done.stdout + done.stderr and says in done.stdout + done.stderr
