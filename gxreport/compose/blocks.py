"""The block types of a laid-out document, declared once, and one renderer per backend for each.

``document.py`` defines what each block holds; this module names them and says how a block
sits next to the signature. Each backend registers exactly one renderer per block type:

- ``MEASURE`` (``measure.py``): the lines of the type area a block takes;
- ``DOCX`` (``docx/writer.py``): its WordprocessingML;
- ``HTML`` (``render/html.py``): its web page markup.

A block of a type that is not declared, or that a backend has no renderer for, is a bug in
gxreport: ``UnknownBlockError`` names the backend and the type (the CLI reports it as an
internal error, exit 9). ``tests/test_blocks.py`` asserts every backend covers every type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from . import document as d


class WithSignature(Enum):
    """What a block right above the signature does when the signature must not stand alone
    (docs/layout.md "Signature"; ``measure.kept_with_signature``)."""

    LINES = "lines"  # kept with it, and its lines count toward the lines the signature takes along
    WHOLE = "whole"  # kept with it, counting nothing (the attachment note)
    NOTHING = "nothing"  # not text: the walk back from the signature ends here


@dataclass(frozen=True)
class BlockType:
    name: str
    type: type
    with_signature: WithSignature = WithSignature.NOTHING


BLOCK_TYPES = (
    BlockType("title", d.Title),
    BlockType("dateline", d.DateLine),
    BlockType("addressee", d.Addressee),
    BlockType("heading", d.Heading, WithSignature.LINES),
    BlockType("paragraph", d.Paragraph, WithSignature.LINES),
    BlockType("table", d.Table),
    BlockType("signature", d.Signature),
    BlockType("attachment-note", d.AttachmentNote, WithSignature.WHOLE),
    BlockType("attachment", d.Attachment),
)
_BY_TYPE = {block_type.type: block_type for block_type in BLOCK_TYPES}


class UnknownBlockError(TypeError):
    """A block no declaration or no renderer covers: a bug, never the user's input."""


def declared(block: object) -> BlockType:
    """The declaration of `block`'s type."""
    found = _BY_TYPE.get(type(block))
    if found is None:
        raise UnknownBlockError(f"{type(block).__name__} is not a declared block type (gxreport/compose/blocks.py): {block!r:.200}")
    return found


class Backend:
    """One output of the blocks, with a renderer registered for each declared block type."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._renderers: dict[type, Callable] = {}

    def register(self, block_type: type) -> Callable[[Callable], Callable]:
        """Decorator: the function renders blocks of `block_type` in this backend."""
        if block_type not in _BY_TYPE:
            raise UnknownBlockError(f"{self.name}: {block_type.__name__} is not a declared block type")

        def add(renderer: Callable) -> Callable:
            if block_type in self._renderers:
                raise UnknownBlockError(f"{self.name}: a second renderer for {block_type.__name__}")
            self._renderers[block_type] = renderer
            return renderer

        return add

    def renderer(self, block: object) -> Callable:
        """The function that renders `block` here."""
        name = declared(block).name
        found = self._renderers.get(type(block))
        if found is None:
            raise UnknownBlockError(f"{self.name}: no renderer for the {name!r} block")
        return found

    def missing(self) -> list[str]:
        """The declared block types this backend cannot render (none, once its module is loaded)."""
        return [block_type.name for block_type in BLOCK_TYPES if block_type.type not in self._renderers]


MEASURE = Backend("measure")
DOCX = Backend("docx")
HTML = Backend("html")
BACKENDS = (MEASURE, DOCX, HTML)
