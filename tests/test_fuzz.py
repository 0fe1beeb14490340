"""Fuzz the reader, the checker and the layout with mutated workbooks and JSON reports.

Whatever the mutation, the library must answer with a report (and findings)
or a GxError carrying an exit code: never another exception, which the CLI
would turn into exit 9. Bounded for CI (deadline off, a fixed number of
examples); every crash it found is kept as a named case in
test_hostile_inputs.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gxreport.api import check_file
from gxreport.outputs.docx import render_docx
from gxreport.errors import GxError
from gxreport.compose.narrative import layout

from .hostile import workbooks as wb

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text openpyxl can write (it refuses C0 controls itself; surrogates cannot be encoded).
_WRITABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(32))) + "\x7f")
_ODD_STRINGS = ["#REF!", "#DIV/0!", "#N/A", "=1+1", "=SUM(A1:A3)", "=", "/", "—", "无", "１２", "-1", "1e300", "二〇二一", "{{ x }}", "<b>", "\u3000", "一", "（一）", "9" * 30]


def _labels() -> list[str]:
    kind = wb.kind()
    texts = [c.text for t in kind.tables for c in t.cells if not c.is_value]
    texts += [f.label for f in kind.fields] + ["部分", "层级", "标题", "正文", "附件标题", "附件内容", "kind", "format", "annual", "2021"]
    return sorted(set(texts))


CELL_VALUES = st.one_of(
    st.none(),
    st.text(_WRITABLE, max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.sampled_from(_ODD_STRINGS),
    st.sampled_from(_labels()),
)


@st.composite
def workbook_mutations(draw) -> bytes:
    book = load_workbook(io.BytesIO(wb.base()))
    for _ in range(draw(st.integers(1, 6))):
        names = book.sheetnames
        ws = book[draw(st.sampled_from(names))]
        op = draw(st.sampled_from(["set", "set", "set", "set", "merge", "unmerge", "insert_rows", "delete_rows", "delete_cols", "rename", "remove"]))
        row, col = draw(st.integers(1, 45)), draw(st.integers(1, 14))
        if op == "set":
            cell = ws.cell(row=row, column=col)
            if type(cell).__name__ == "MergedCell":
                continue
            cell.value = draw(CELL_VALUES)
        elif op == "merge":
            ws.merge_cells(start_row=row, start_column=col, end_row=row + draw(st.integers(0, 3)), end_column=col + draw(st.integers(0, 3)))
        elif op == "unmerge":
            for rng in list(ws.merged_cells.ranges):
                try:
                    ws.unmerge_cells(str(rng))
                except (KeyError, ValueError):
                    pass  # openpyxl's own bookkeeping after rows moved under a merge: not ours to test
        elif op == "insert_rows":
            ws.insert_rows(row, draw(st.integers(1, 3)))
        elif op == "delete_rows":
            ws.delete_rows(row, draw(st.integers(1, 3)))
        elif op == "delete_cols":
            ws.delete_cols(col, draw(st.integers(1, 2)))
        elif op == "rename":
            title = draw(st.sampled_from(["表3", "Sheet1", "正文 ", "基本信息2", "_meta", "附件"]))
            if title not in names:
                ws.title = title
        elif op == "remove" and len(names) > 1:
            book.remove(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read_and_lay_out(blob: bytes, suffix: str) -> None:
    """Check a file holding ``blob``, then lay out and render what was read: GxError is the
    only way to fail."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"变异{suffix}"
        path.write_bytes(blob)
        try:
            result = check_file(path, wb.registry())
            render_docx(layout(result.report))
        except GxError as exc:
            assert exc.message and path.name in str(exc) or exc.exit_code != 2


@FUZZ
@given(blob=workbook_mutations())
def test_mutated_workbooks_give_findings_or_gxerror(blob):
    _read_and_lay_out(blob, ".xlsx")


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(),
        st.text(max_size=30),
        st.sampled_from(_ODD_STRINGS + ["annual", "2021", "department", "government", "一", "五", "六", "body"]),
    ),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)


def _paths(value, prefix=()) -> list[tuple]:
    """Every key path inside the sample's JSON form."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


PATHS = _paths(wb.sample_json())


@st.composite
def json_mutations(draw) -> bytes:
    data = json.loads(json.dumps(wb.sample_json()))
    for _ in range(draw(st.integers(1, 5))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the way there
    return json.dumps(data).encode("ascii")


@settings(FUZZ, max_examples=150)
@given(blob=json_mutations())
def test_mutated_json_gives_findings_or_gxerror(blob):
    _read_and_lay_out(blob, ".json")


PARTS = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"] + [
    wb.sheet_part(wb.base(), sheet) for sheet in ("基本信息", "正文", "表三", "_meta")
]


@st.composite
def xml_mutations(draw) -> bytes:
    """A workbook whose part XML was edited as text: cut, duplicated or spliced with junk."""
    part = draw(st.sampled_from(PARTS))
    with zipfile.ZipFile(io.BytesIO(wb.base())) as z:
        xml = z.read(part)
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(xml)))
        end = draw(st.integers(start, min(len(xml), start + 200)))
        junk = draw(st.one_of(st.binary(max_size=20), st.sampled_from([b"<", b">", b'"', b"<c>", b"</row>", b'r="ZZZ0"', b"<v>NaN</v>", b"&bogus;", b"<!DOCTYPE x>"])))
        xml = xml[:start] + draw(st.sampled_from([b"", junk, xml[start:end] * 2])) + xml[end:]
    return wb.with_parts(wb.base(), {part: xml})


@settings(FUZZ, max_examples=60)
@given(blob=xml_mutations())
def test_mutated_part_xml_gives_findings_or_gxerror(blob):
    _read_and_lay_out(blob, ".xlsx")
