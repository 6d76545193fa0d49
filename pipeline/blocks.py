"""Front matter and fenced code: the one reader of each, used by every stage.

Design decisions:

1. Front matter is a first line ``---`` (after a byte-order mark, if any), YAML
   lines, and a closing line ``---`` or ``...``; both fence lines may carry
   trailing blanks and a CR. Without a closing line there is no front matter
   (MkDocs reads it so too): the whole text is body.
2. No YAML library: docloc needs only the top-level keys, a line ``name: value``
   starting in column 1 whose name is a letter then word characters, ``.`` or
   ``-``. Nested keys, list items and comment lines are not keys. Each ``Key``
   keeps its value as written (``raw``), its 1-based line and its offsets in
   the text given, so a check can point at it and a renderer cut it out.
3. Two readings of a value. ``scalar`` (``Key.value``) takes the text between a
   leading quote and the last such quote on the line, else drops a trailing
   ``# comment``; it decodes no escapes, because ``Page.meta`` and catalog
   headers keep values as written (``fields`` is that mapping). ``Key.text`` is
   what a reader of the YAML sees: ``\\"`` escapes decoded, ``''`` undone, the
   lines of a block scalar (``>``, ``|``) folded into one; titles and
   descriptions are read so.
4. Fenced code is a line of three or more backticks or tildes (a backtick fence
   whose info string holds a backtick is inline code, not a fence) up to a line
   of the same character, at least as long, with only blanks after it; an
   unclosed fence runs to the end of the text. A fence may be indented by any
   amount, not only CommonMark's 0-3 spaces: CommonMark counts from the
   enclosing list item's content, and docs nest code in list items (23 pages of
   the mixed-reality corpus open a fence 4-6 spaces in), which a reader without
   a list parser only gets right this way.
5. Text in, values out: no I/O, no third-party import; offsets index the text
   as given (a BOM or CR included), lines and columns are 1-based.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .model import yaml_unescape

_OPEN_LINE = re.compile(r"---[ \t]*\r?\n")
_CLOSE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_KEY = re.compile(r"^([A-Za-z][\w.-]*)[ \t]*:[ \t]*(.*?)[ \t]*\r?$", re.M)
_BLOCK_LINES = re.compile(r"(?:\n[ \t]+[^\n]*|\n[ \t]*\r?(?=\n))*")
"""A block scalar's lines after its key's line: indented ones and blank ones."""
_COMMENT = re.compile(r"(?:^|\s+)#.*$")


@dataclass(frozen=True)
class Key:
    """One top-level key of the front matter."""

    name: str
    """As written (``ms.contentlocale``): YAML keys are case-sensitive."""
    raw: str
    """The value on the key's line as written, blanks around it dropped (``">"``
    for a block scalar, whose text is on the lines below)."""
    line: int
    """1-based line of the key."""
    start: int
    """Offset of the key's name in the text."""
    end: int
    """Offset after its value (after the last line of a block scalar)."""
    block: bool
    """Whether the value is a block scalar (``>``, ``|``, ``>-``...)."""
    lines: str = ""
    """A block scalar's lines below the key, as written; empty otherwise."""

    @property
    def value(self) -> str:
        """The value unquoted, or without its ``# comment``; escapes as written."""
        return scalar(self.raw)

    @property
    def text(self) -> str:
        """The value as YAML gives it to a reader, on one line."""
        if self.block:
            return " ".join(self.lines.split())
        if self.raw[:1] == '"':
            return yaml_unescape(scalar(self.raw))
        if self.raw[:1] == "'":
            return scalar(self.raw).replace("''", "'")
        return scalar(self.raw)


@dataclass(frozen=True)
class FrontMatter:
    """A page's leading YAML block."""

    start: int
    """Offset of the opening ``---`` (1 after a byte-order mark, else 0)."""
    yaml_start: int
    """Offset of the first line after the opening one."""
    yaml_end: int
    """Offset of the closing line: ``text[yaml_start:yaml_end]`` is the YAML."""
    end: int
    """Offset after the closing ``---``/``...`` and its trailing blanks (before its newline)."""
    after: int
    """Offset after the closing line and its newline: where the body starts."""
    body_line: int
    """1-based line on which the body starts."""
    keys: tuple[Key, ...]
    """Top-level keys in order; a repeated name appears each time."""

    def get(self, name: str) -> Key | None:
        """The last key of that name (YAML readers keep the last), or None."""
        found = None
        for key in self.keys:
            if key.name == name:
                found = key
        return found


def front_matter(text: str) -> FrontMatter | None:
    """The front matter at the start of ``text``, or None when it has none."""
    start = 1 if text.startswith("\ufeff") else 0
    opening = _OPEN_LINE.match(text, start)
    if opening is None:
        return None
    yaml_start = opening.end()
    close = _CLOSE_LINE.search(text, yaml_start)
    if close is None:
        return None
    yaml_end, end = close.start(), close.end()
    keys = []
    line, counted = 2, yaml_start
    for match in _KEY.finditer(text, yaml_start, yaml_end):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        raw = match.group(2)
        value_end, lines = match.end(2), ""
        block = raw[:1] in (">", "|")
        if block:
            below = _BLOCK_LINES.match(text, match.end(), yaml_end)
            lines = below.group(0) if below else ""
            if lines.strip():
                value_end = match.end() + len(lines.rstrip())
        keys.append(Key(match.group(1), raw, line, match.start(), value_end, block, lines))
    after = end + 1 if text.startswith("\n", end) else end
    return FrontMatter(start, yaml_start, yaml_end, end, after,
                       text.count("\n", 0, end) + 2, tuple(keys))


def fields(text: str) -> dict[str, str]:
    """Top-level keys of the front matter -> ``Key.value`` (the last one of a name wins);
    empty when the text has no front matter. This is ``Page.meta``."""
    found = front_matter(text)
    return {key.name: key.value for key in found.keys} if found else {}


def scalar(raw: str) -> str:
    """A value as written -> unquoted (``"a b"`` -> ``a b``, escapes kept), or a plain
    value without its trailing ``# comment``."""
    if raw[:1] in ("'", '"') and raw.rfind(raw[0]) > 0:
        return raw[1:raw.rfind(raw[0])]
    return _COMMENT.sub("", raw) if "#" in raw else raw


# -- fenced code ---------------------------------------------------------------------

_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})")


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes ``fence``: its character, at least as many, blanks around."""
    core = line.lstrip(" \t").rstrip(" \t\r")
    return len(core) >= len(fence) and core == fence[0] * len(core)


def _blocks(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(first, last) line index of each fenced block, fence lines included."""
    fence, first = None, 0
    for index, line in enumerate(lines):
        if fence is not None:
            if _closes(line, fence):
                yield first, index
                fence = None
            continue
        opened = _FENCE_OPEN.match(line)
        if opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end():]):
            fence, first = opened.group(1), index
    if fence is not None:
        yield first, len(lines) - 1


def code_lines(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (fences included)."""
    flags = [False] * len(lines)
    for first, last in _blocks(lines):
        flags[first:last + 1] = [True] * (last + 1 - first)
    return flags


def outside_code(text: str, rewrite: Callable[[str], str]) -> str:
    """``rewrite`` applied to each run of lines outside fenced code; code kept as is."""
    if "```" not in text and "~~~" not in text:
        return rewrite(text)
    lines = text.split("\n")
    out, pos = [], 0
    for first, last in _blocks(lines):
        if first > pos:
            out.append(rewrite("\n".join(lines[pos:first])))
        out.append("\n".join(lines[first:last + 1]))
        pos = last + 1
    if pos < len(lines):
        out.append(rewrite("\n".join(lines[pos:])))
    return "\n".join(out)


def blank_code(text: str, blank: str = " ") -> str:
    """``text`` with every character of fenced code but its newlines made ``blank``,
    so offsets, lines and columns of the rest stay put."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    for first, last in _blocks(lines):
        for index in range(first, last + 1):
            lines[index] = blank * len(lines[index])
    return "\n".join(lines)
