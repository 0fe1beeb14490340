"""The files a report becomes: .docx, .html and .pdf.

One report is laid out once and rendered per format; PDFs go through
LibreOffice (``render.pdf``: chunks, one soffice per job). Every format of one
report is written together or not at all (``fsio.write_files``): a report
whose PDF fails, or whose .html finds no room on the disk, leaves no .docx
either. Single builds (``api.build_file``) and batches (``batch.run_batch``)
both write through ``write_rendered`` and ``PdfQueue``, so the two never
differ in what they produce.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GxError, InputError, RendererError
from ..fsio import OutputManifest, write_files
from ..declare.model import Report
from ..declare.page import Page

FORMATS = ("docx", "pdf", "html")


def parse_formats(text: str) -> tuple[str, ...]:
    """"docx,pdf" → ("docx", "pdf"); an unknown name is a usage error."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise InputError(f"--to: 不支持的输出格式 {'、'.join(unknown) or '（空）'}；可选 {','.join(FORMATS)}")
    return names


def require_renderer(formats: tuple[str, ...], soffice: str | None = None) -> str | None:
    """The soffice a PDF needs, found before anything is read or written (exit 5 when missing)."""
    if "pdf" in formats:
        from .render.pdf import require_soffice

        return require_soffice(soffice)
    return None


def render(report: Report, formats: tuple[str, ...], page: Page | None = None) -> dict[str, bytes]:
    """The report's bytes per format, laid out for `page` (None: the GB/T 9704 page); a PDF is made later from the "docx" entry."""
    from ..compose.narrative import layout

    document = layout(report, page)
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
        raise InputError(f"输出文件的扩展名应为 {wanted} 之一", output)


def commit(item: Rendered, formats: tuple[str, ...], force: bool, manifest: OutputManifest | None = None) -> None:
    """Write every format of ``item`` together, or none (its error kept on the item)."""
    if item.error is not None:
        return
    targets = [(item.target(name), item.files[name]) for name in formats]
    try:
        write_files(targets, force=force, manifest=manifest)
    except GxError as exc:
        item.error = exc
        return
    item.written = [path for path, _ in targets]


class PdfQueue:
    """Reports waiting for their PDF, converted together when ``run`` is called.

    Their files wait in a private folder, not in memory, so a batch of a
    thousand stays flat; each report is written (every format) as soon as its
    chunk is converted, or fails on its own when its chunk fails.
    """

    def __init__(self, formats: tuple[str, ...], force: bool, manifest: OutputManifest | None, soffice: str | None, jobs: int = 1):
        self.formats, self.force, self.manifest, self.soffice, self.jobs = formats, force, manifest, soffice, jobs
        self._folder = Path(tempfile.mkdtemp(prefix="gx-pdf-"))
        self._waiting: dict[Path, Rendered] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, item: Rendered) -> None:
        source = self._folder / f"{len(self._waiting)}.docx"  # ASCII names: no clash between equal titles
        for name, data in item.files.items():
            source.with_suffix("." + name).write_bytes(data)
        item.files = {}
        self._waiting[source] = item

    def run(self, on_written: Callable[[Rendered], None] = lambda item: None, chunk_size: int | None = None) -> dict[str, str]:
        """Convert, write each report, tell ``on_written``; returns the font substitutes used."""
        from .render import pdf
        from .render.fonts import substitutes

        if not self._waiting:
            return {}

        def written(sources: list[Path], results: list) -> None:
            for source, result in zip(sources, results):
                item = self._waiting[source]
                if isinstance(result, RendererError):
                    item.error = result
                else:
                    item.files = {name: source.with_suffix("." + name).read_bytes() for name in self.formats}
                    commit(item, self.formats, self.force, self.manifest)
                    item.files = {}
                for spooled in self._folder.glob(source.stem + ".*"):
                    spooled.unlink()
                on_written(item)

        sources = list(self._waiting)
        try:
            pdf.convert_chunks(sources, self._folder, self.soffice, self.jobs, chunk_size or pdf.CHUNK_SIZE, written)
        except RendererError as exc:  # soffice could not start: every report waiting says so
            for source in sources:
                if not self._waiting[source].written and self._waiting[source].error is None:
                    self._waiting[source].error = exc
                    on_written(self._waiting[source])
        return substitutes()

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


def write_rendered(
    items: list[Rendered], formats: tuple[str, ...], force: bool = False, manifest: OutputManifest | None = None,
    soffice: str | None = None,
) -> dict[str, str]:
    """Write every format of every item, each item all or nothing; an item that
    cannot be written keeps its error and the others go on. ``manifest``: the
    output folder's, saved by the caller. Returns the PDF font substitutes used
    (none without PDF)."""
    if "pdf" not in formats:
        for item in items:
            commit(item, formats, force, manifest)
        return {}
    queue = PdfQueue(formats, force, manifest, soffice)
    try:
        for item in items:
            queue.add(item)
        return queue.run()
    finally:
        queue.close()
