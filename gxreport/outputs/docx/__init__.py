"""The .docx writer: a laid-out ``Document`` to GB/T 9704-2012 Word file bytes."""

from __future__ import annotations

from gxreport.compose.document import Document
from gxreport.outputs.docx.package import package_bytes
from gxreport.compose.measure import signature_indents

__all__ = ["render_docx", "signature_indents"]


def render_docx(document: Document) -> bytes:
    """Return the .docx file bytes of `document`; the caller writes them to disk."""
    return package_bytes(document)
