"""The files a report becomes: .docx, .html and .pdf.

One report is laid out once and rendered per format; PDFs go through
LibreOffice, all .docx of one call converted in a single soffice run. Single
builds (``api.build_file``) and batches (``batch.run_batch``) both write
through ``write_rendered``, so the two never differ in what they produce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import GxError, InputError
from .fsio import OutputManifest, write_output
from .model import Report

FORMATS = ("docx", "pdf", "html")


def parse_formats(text: str) -> tuple[str, ...]:
    """"docx,pdf" → ("docx", "pdf"); an unknown name is a usage error."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise InputError(f"--to: 不支持的输出格式 {'、'.join(unknown) or '（空）'}；可选 {','.join(FORMATS)}")
    return names


def require_renderer(formats: tuple[str, ...]) -> None:
    """Fail before anything is read or written when a PDF is asked for and LibreOffice is missing."""
    if "pdf" in formats:
        from .render.pdf import require_soffice

        require_soffice()


def render(report: Report, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The report's bytes per format; a PDF is made later from the "docx" entry."""
    from .narrative import layout

    document = layout(report)
    files: dict[str, bytes] = {}
    if {"docx", "pdf"} & set(formats):
        from .docx import render_docx

        files["docx"] = render_docx(document)
    if "html" in formats:
        from .render.html import render_html

        files["html"] = render_html(document)
    return files


@dataclass
class Rendered:
    """One report's rendered files and where they go: ``base`` with each format's suffix."""

    base: Path
    files: dict[str, bytes]
    written: list[Path] = field(default_factory=list)
    error: GxError | None = None

    def target(self, name: str) -> Path:
        return self.base.with_suffix("." + name)


def check_output_name(output: Path) -> None:
    """``-o`` names the files by their stem and must end in an output suffix (2021.xlsx is none)."""
    if output.suffix.lower().lstrip(".") not in FORMATS:
        wanted = "、".join("." + name for name in FORMATS)
        raise InputError(f"{output}: 输出文件的扩展名应为 {wanted} 之一")


def write_rendered(
    items: list[Rendered], formats: tuple[str, ...], force: bool = False, manifest: OutputManifest | None = None
) -> dict[str, str]:
    """Write every format of every item atomically; an item that cannot be written keeps
    its error and the others go on. ``manifest``: the output folder's, saved by the caller.
    Returns the PDF font substitutes used (none without PDF)."""
    for item in items:
        for name in formats:
            if name != "pdf":
                _write(item, name, item.files[name], force, manifest)
    used: dict[str, str] = {}
    if "pdf" in formats:
        from .render.fonts import substitutes
        from .render.pdf import docx_to_pdf

        pending = [item for item in items if item.error is None]
        try:
            pdfs = docx_to_pdf([item.files["docx"] for item in pending])
        except GxError as exc:  # LibreOffice failed: each item says so, the others' files stay reported
            for item in pending:
                item.error = exc
            pdfs = []
        for item, pdf in zip(pending, pdfs):
            _write(item, "pdf", pdf, force, manifest)
        used = substitutes()
    return used


def _write(item: Rendered, name: str, data: bytes, force: bool, manifest: OutputManifest | None) -> None:
    if item.error is not None:
        return
    try:
        write_output(item.target(name), data, force=force, manifest=manifest)
    except GxError as exc:
        item.error = exc
        return
    item.written.append(item.target(name))
