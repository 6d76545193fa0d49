"""The page model: what every stage of docloc reads and returns.

Design decisions:

1. A page is its parts, in order: literal text (the skeleton) and segments.
   Joining the parts with each segment's raw text gives back the file byte for
   byte, so a lossless round trip is a property of the model, not a hope.
2. A segment keeps its raw markup (``head``, ``mid``, ``tail``) and the raw
   text of both sides. The decoded ``source``/``target`` are what translators
   see: escapes of the surrounding YAML string undone and leading/trailing
   whitespace moved into ``*_pad`` so catalogs never carry stray newlines on
   one side only (``msgfmt -c`` rejects that).
3. A replaced target is written back with the original padding and escaping;
   an unchanged one is written back from its raw bytes.
4. Everything here is frozen and free of I/O and third-party imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Union


@dataclass(frozen=True)
class Location:
    """A place in a file: ``path`` as given by the caller, 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def yaml_escape(text: str) -> str:
    """Escape text for the inside of a double-quoted YAML scalar."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def yaml_unescape(text: str) -> str:
    """Undo :func:`yaml_escape` (the only escapes vendors produce)."""
    if "\\" not in text:
        return text
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            out.append(next(chars, "\\"))
        else:
            out.append(char)
    return "".join(out)


def split_padding(text: str) -> tuple[str, str, str]:
    """Split ``text`` into leading whitespace, the text, trailing whitespace."""
    core = text.strip()
    if not core:
        return "", "", text
    start = text.index(core[0])
    return text[:start], core, text[start + len(core):]


@dataclass(frozen=True)
class Segment:
    """One translatable unit: a target span and its ``sxs-lookup`` source span.

    The raw text in the file is ``head + raw_target + mid + raw_source + tail``.
    """

    id: str
    """The ``data-ttu-id`` value, e.g. ``23920-104`` or ``a3569-p102``."""
    raw_target: str
    """The target exactly as in the file (escapes and padding included)."""
    raw_source: str
    """The English source exactly as in the file."""
    head: str
    """The opening target tag, e.g. ``<span data-ttu-id="23920-104">``."""
    mid: str
    """From the end of the target to the start of the source."""
    tail: str
    """The closing tags after the source, ``</span></span>``."""
    location: Location
    """Where the segment's opening tag starts."""
    escaped: bool = False
    """True inside a double-quoted YAML value, where quotes appear as ``\\"``."""

    source: str = field(init=False, repr=False, compare=False)
    """The English source as translators see it (unescaped, trimmed)."""
    target: str = field(init=False, repr=False, compare=False)
    """The translation as translators see it (unescaped, trimmed)."""

    def __post_init__(self) -> None:
        # Computed once here: every later stage reads them, many times.
        object.__setattr__(self, "source", self._plain(self.raw_source))
        object.__setattr__(self, "target", self._plain(self.raw_target))

    def _plain(self, raw: str) -> str:
        if self.escaped or "\r" in raw:
            raw = self._decode(raw)
        return raw.strip() if raw[:1].isspace() or raw[-1:].isspace() else raw

    @property
    def raw(self) -> str:
        """The segment's bytes in the bilingual file."""
        return self.head + self.raw_target + self.mid + self.raw_source + self.tail

    def _decode(self, text: str) -> str:
        # Catalogs hold LF only: msgfmt rejects "\r" in messages.
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return yaml_unescape(text) if self.escaped else text

    def _encode(self, text: str) -> str:
        if "\r" in text:  # line ends as catalogs hold them (LF) before this page's own
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\r\n" in self.raw_target + self.raw_source:
            text = text.replace("\n", "\r\n")
        return yaml_escape(text) if self.escaped else text

    def encode_target(self, target: str) -> str:
        """The raw text for a new target, with this segment's padding and escaping."""
        if target == self.target:
            return self.raw_target
        lead, _, trail = split_padding(self._decode(self.raw_target))
        return self._encode(lead + target + trail)

    def with_target(self, target: str) -> "Segment":
        """A copy of this segment carrying ``target``."""
        raw = self.encode_target(target)
        if raw == self.raw_target:
            return self
        return Segment(self.id, raw, self.raw_source, self.head, self.mid,
                       self.tail, self.location, self.escaped)


Part = Union[str, Segment]


@dataclass(frozen=True)
class Page:
    """A bilingual page: its skeleton and segments, in order."""

    path: str
    """The page's path relative to its content root, POSIX style."""
    locale: str | None
    """The target locale (``fr-FR``), or None when it cannot be told."""
    parts: tuple[Part, ...]
    """Literal text and segments; ``"".join`` of their raw text is the file."""
    meta: Mapping[str, str] = field(default_factory=dict)
    """Top-level scalar front matter keys, as written (``ms.translationtype``...)."""

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(p for p in self.parts if isinstance(p, Segment))

    @property
    def is_bilingual(self) -> bool:
        return any(isinstance(p, Segment) for p in self.parts)

    @cached_property
    def names_files(self) -> frozenset[str]:
        """Which of DocFX's ways of naming another file (``[!include``, ``[!code``,
        ``:::code``, case aside) the page's text holds, skeleton or segments: found
        once per page (``docloc serve`` asks on every save)."""
        text = self.bilingual().casefold()
        return frozenset(word for word in ("[!include", "[!code", ":::code") if word in text)

    def bilingual(self) -> str:
        """The bilingual file, byte for byte."""
        return "".join(p if isinstance(p, str) else p.raw for p in self.parts)

    def with_targets(self, targets: Mapping[int, str]) -> "Page":
        """A copy with new targets, keyed by segment index (order in ``segments``)."""
        parts: list[Part] = []
        index = 0
        for part in self.parts:
            if isinstance(part, Segment):
                if index in targets:
                    part = part.with_target(targets[index])
                index += 1
            parts.append(part)
        return Page(self.path, self.locale, tuple(parts), self.meta)
