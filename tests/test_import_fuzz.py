"""Fuzzing the importer: a published page or Word file edited at random (cut, duplicated,
spliced with junk tags and huge spans) is read into a report, or refused with a GxError
naming the file. Any other exception, a hang or unbounded memory is a defect."""

from __future__ import annotations

import io
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxreport.api import load_report
from gxreport.outputs.docx import render_docx
from gxreport.errors import GxError
from gxreport.inputs.importer import import_report
from gxreport.compose.narrative import layout
from gxreport.outputs.render.html import render_html

from .hostile import workbooks as wb

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "2021.xlsx"
JUNK = [b"<", b">", b"<tr>", b"</td>", b"<td rowspan=\"99999999\">", b"<td colspan=\"70000\">1</td>", b"<table>",
        b"</table>", b"&#0;", b"&bogus;", b"\xff\xfe", "二、主动公开政府信息情况".encode(), "总计".encode(),
        b'<w:tc><w:tcPr><w:gridSpan w:val="99999999"/></w:tcPr></w:tc>', b'<w:vMerge w:val="restart"/>', b"</w:tr>"]


@lru_cache(maxsize=1)
def _published() -> tuple[bytes, bytes]:
    """The sample report as the web page and the Word file gxreport publishes."""
    document = layout(load_report(SAMPLE, wb.registry()))
    return render_html(document), render_docx(document)


@st.composite
def _spliced(draw, text: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 400)))
        junk = draw(st.one_of(st.binary(max_size=20), st.sampled_from(JUNK)))
        text = text[:start] + draw(st.sampled_from([b"", junk, text[start:end] * 3])) + text[end:]
    return text


@st.composite
def html_mutations(draw) -> bytes:
    return draw(_spliced(_published()[0]))


@st.composite
def docx_mutations(draw) -> bytes:
    source = _published()[1]
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["word/document.xml"] = draw(_spliced(parts["word/document.xml"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _import_and_lay_out(blob: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"变异{suffix}"
        path.write_bytes(blob)
        try:
            report = import_report(path, wb.registry()).report
            render_docx(layout(report))
        except GxError as exc:
            assert exc.message
            if exc.exit_code == 2:
                assert path.name in str(exc), str(exc)


def test_the_unmutated_sample_imports():
    for blob, suffix in zip(_published(), (".html", ".docx")):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"样例{suffix}"
            path.write_bytes(blob)
            assert import_report(path, wb.registry()).report.agency == "泗阳县行政审批局"


@FUZZ
@given(blob=html_mutations())
def test_mutated_published_pages_import_or_give_gxerror(blob):
    _import_and_lay_out(blob, ".html")


@FUZZ
@given(blob=docx_mutations())
def test_mutated_word_files_import_or_give_gxerror(blob):
    _import_and_lay_out(blob, ".docx")
