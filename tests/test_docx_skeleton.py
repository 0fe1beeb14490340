"""The shipped skeleton.docx (the parts every report shares) is what the code builds."""

from __future__ import annotations

import io
import zipfile

from gxreport.outputs.docx.package import CORE_PART, SKELETON_FILE
from gxreport.outputs.docx.skeleton import skeleton_bytes


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_shipped_skeleton_equals_a_fresh_build():
    """Fails after a change to styles.py, the page or the footers until the file is
    regenerated with ``python -m gxreport.outputs.docx.skeleton``."""
    shipped, fresh = _parts(SKELETON_FILE.read_bytes()), _parts(skeleton_bytes())
    assert sorted(shipped) == sorted(fresh)
    changed = [name for name in fresh if shipped[name] != fresh[name]]
    assert changed == [], f"regenerate gxreport/outputs/docx/skeleton.docx (python -m gxreport.outputs.docx.skeleton): {changed}"


def test_the_skeleton_holds_every_shared_part_and_an_empty_body():
    parts = _parts(SKELETON_FILE.read_bytes())
    for name in ("[Content_Types].xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml"):
        assert parts[name], name
    assert parts[CORE_PART] == b""  # each report writes its own core properties
    document = parts["word/document.xml"]
    body = document[document.index(b"<w:body>") + len(b"<w:body>"):document.index(b"</w:body>")]
    assert body.startswith(b"<w:sectPr") and b"<w:p>" not in body and b"<w:p " not in body


def test_a_report_package_is_the_shared_parts_then_its_own():
    """The shared parts are deflated once per process and each report's three parts appended:
    the package must still hold every part once, [Content_Types].xml first, all deflated and whole."""
    from gxreport.compose.document import Document, Paragraph, Title
    from gxreport.outputs.docx import render_docx
    from gxreport.outputs.docx.package import APP_PART, DOCUMENT_PART

    shipped = _parts(SKELETON_FILE.read_bytes())
    packages = [render_docx(Document(title=f"{name}报告", author=name, blocks=[Title(f"{name}报告"), Paragraph(text)]))
                for name, text in (("甲局", "第一份。"), ("乙局", "第二份，" * 2000))]
    for data, text in zip(packages, ("第一份。", "第二份，")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
            assert names[0] == "[Content_Types].xml" and sorted(names) == sorted(shipped) and len(set(names)) == len(names)
            assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
            for name in shipped:
                if name not in (DOCUMENT_PART, CORE_PART, APP_PART):
                    assert archive.read(name) == shipped[name], name
            assert text in archive.read(DOCUMENT_PART).decode("utf-8")
            assert b"gxreport" in archive.read(APP_PART) and archive.read(CORE_PART).startswith(b"<?xml")
