"""Names of the .docx package's parts and of the shipped skeleton, shared by the module that
builds the skeleton (``skeleton.py``) and the one that fills it (``package.py``)."""

from __future__ import annotations

from pathlib import Path

SKELETON_FILE = Path(__file__).with_name("skeleton.docx")
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
