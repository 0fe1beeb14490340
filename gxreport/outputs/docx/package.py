"""The .docx package (OPC, ECMA-376 Part 2): shared parts built once, a body per report.

Every report on a page shares its styles, settings, footers, numbering, theme and
content types: ``skeleton.py`` builds them with python-docx and ships them for the
standard's page as ``skeleton.docx``, read once per process (another page's are built
once per process, with python-docx). Each report then only needs its own
``word/document.xml`` (the skeleton's, with the body written as a string by
``writer.body_xml``) and ``docProps/core.xml``, zipped with the shared parts:
about 2 ms instead of 40, and no python-docx import (benchmarks/README.md). The shared
parts are also compressed once per process (``Skeleton.shared_zip``): a report's package is
that archive with its own three parts appended, so only they are deflated per report.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from html import escape

from gxreport import __version__
from gxreport.compose.document import Document
from gxreport.outputs.docx import writer
from gxreport.outputs.docx.parts import APP_PART, CORE_PART, DOCUMENT_PART, SKELETON_FILE
from gxreport.declare.page import PAGE, Page

__all__ = ["APP_PART", "CORE_PART", "DOCUMENT_PART", "SKELETON_FILE", "Skeleton", "package_bytes", "skeleton"]
_BODY_OPEN = b"<w:body>"
_OWN_PARTS = (DOCUMENT_PART, CORE_PART, APP_PART)  # written for each report, after the shared parts
# zlib levels: the shared parts are deflated once, as small as zlib makes them; a report's body
# (~90 KB of XML) at level 3 takes a third of the default level's time (0.12 ms against 0.34)
# for about 650 bytes more in a 16 KB file.
_SHARED_LEVEL, _OWN_LEVEL = 9, 3
_SECTION = b"<w:sectPr"


@dataclass(frozen=True)
class Skeleton:
    """The parts of a report's package that do not depend on the report."""

    parts: tuple[tuple[str, bytes], ...]  # in the order python-docx wrote them
    document_head: bytes  # word/document.xml up to and including <w:body>
    document_tail: bytes  # the body's w:sectPr (page, grid, footers) to the end
    shared_zip: bytes  # a zip of the parts in order, less each report's own (deflated once)


@lru_cache(maxsize=4)
def skeleton(page: Page = PAGE) -> Skeleton:
    """The shared parts of `page`: for the standard's, read from the shipped ``skeleton.docx``,
    else built (python-docx), once per process."""
    if page == PAGE:
        data = SKELETON_FILE.read_bytes()
    else:
        from gxreport.outputs.docx.skeleton import skeleton_bytes

        data = skeleton_bytes(page)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = tuple((name, archive.read(name)) for name in archive.namelist())
    document = dict(parts)[DOCUMENT_PART]
    head_end = document.index(_BODY_OPEN) + len(_BODY_OPEN)
    section = document.index(_SECTION, head_end)
    if document[head_end:section].strip():
        raise AssertionError("the skeleton's body must hold only its w:sectPr")
    shared = io.BytesIO()
    with zipfile.ZipFile(shared, "w", zipfile.ZIP_DEFLATED, compresslevel=_SHARED_LEVEL) as archive:
        for name, part in parts:
            if name not in _OWN_PARTS:
                archive.writestr(name, part)
    return Skeleton(parts, document[:head_end], document[section:], shared.getvalue())


CORE_PROPERTY_CHARS = 255


def core_properties_xml(title: str, author: str, when: datetime) -> bytes:
    """docProps/core.xml (ECMA-376 Part 2 §11): title, author, zh-CN, creation time.

    Word shows these under File ▸ Info; the language tells indexers the text is Chinese.
    Office caps a core property at 255 characters: a longer agency name is cut here only.
    """
    title, author = title[:CORE_PROPERTY_CHARS], author[:CORE_PROPERTY_CHARS]
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title, quote=False)}</dc:title><dc:creator>{escape(author, quote=False)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(author, quote=False)}</cp:lastModifiedBy><dc:language>zh-CN</dc:language>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")


def app_properties_xml() -> bytes:
    """docProps/app.xml (ECMA-376 Part 1 §22.2): the application that wrote the file, gxreport
    and its version (python-docx's template said "Microsoft Macintosh Word")."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>gxreport {escape(__version__, quote=False)}</Application><DocSecurity>0</DocSecurity>"
        "</Properties>"
    ).encode("utf-8")


def package_bytes(document: Document) -> bytes:
    """The .docx file of `document`: the shared parts of its page plus its body and properties."""
    shared = skeleton(document.page)
    body = writer.body_xml(document.blocks, document.page)
    own = {
        DOCUMENT_PART: shared.document_head + body.encode("utf-8") + shared.document_tail,
        CORE_PART: core_properties_xml(document.title, document.author, datetime.now(timezone.utc)),
        APP_PART: app_properties_xml(),
    }
    buffer = io.BytesIO(shared.shared_zip)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=_OWN_LEVEL) as archive:  # after the shared parts
        for name in _OWN_PARTS:
            archive.writestr(name, own[name])
    return buffer.getvalue()
