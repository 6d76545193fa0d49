"""Reading and writing bilingual "side-by-side" pages.

A segment in the file::

    <span data-ttu-id="ID">TARGET</span><span class="sxs-lookup"><span data-stu-id="ID">SOURCE</span></span>

Design decisions:

1. A careful scanner finds segments; no HTML parser touches the bytes. Parsers
   are 10-100x slower here and rewrite inline markup (``<token>`` came back as
   ``<token></token>``), which would break the byte-for-byte round trip.
2. Target and source are balanced on ``<span>`` tags, so nested spans in the
   text stay in it; backtick code spans are skipped, so a literal ``<span>`` or
   ``</span>`` inside inline code does not close anything.
3. Inside a double-quoted YAML value the quotes of the tags are written ``\\"``;
   such segments are marked ``escaped`` and decoded for the catalog.
4. Every ``data-ttu-id`` becomes a segment or a problem with its line and
   column. A malformed region stays in the skeleton verbatim, so nothing is
   lost, and the scan goes on after it.
5. A vendor sometimes writes ``&quot;`` for the quotes of a segment's tags
   (``<span data-ttu-id=&quot;a3f09-124&quot;>``, often on one side only). Such
   a segment is read like any other, with a warning at its line and column;
   its tags stay in ``head``/``mid`` as written, so export gives the bytes back.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from . import blocks
from .errors import DoclocError, Problem
from .model import Location, Page, Part, Segment

_HIT = re.compile(r"data-([ts])tu-id")
_Q = r'(?:\\?"|&quot;)'
"""A tag's quote: ``"``, ``\\"`` inside a YAML string, or ``&quot;`` where a vendor mangled it."""
_OPEN = re.compile(r'<span\s+data-ttu-id=(\\?"|&quot;)([^"\\<>\n&]*)' + _Q + r'\s*>')
_TAG = re.compile(r"(`+)|<span\b[^>]*>|</span\s*>|data-ttu-id")
_MID = re.compile(
    r'</span\s*>(\s*)<span\s+class=(\\?"|&quot;)sxs-lookup' + _Q + r'\s*>\s*'
    r'<span\s+data-stu-id=' + _Q + r'([^"\\<>\n&]*)' + _Q + r'\s*>')
_TAIL = re.compile(r"</span\s*>\s*?</span\s*>")
# The common case, no markup or backticks in either side: one match, no balancing.
_FAST = re.compile(
    r'<span data-ttu-id="([^"\\<>\n]*)">([^<`]*)'
    r'</span><span class="sxs-lookup"><span data-stu-id="\1">([^<`]*)</span></span>')
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")

front_matter = blocks.fields
"""The top-level front matter keys of a page's text (``blocks.fields``, its one reader)."""


class _Lines:
    """Offsets to 1-based line and column, computed once per file."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def locate(self, path: str, offset: int) -> Location:
        line = bisect_right(self.starts, offset)
        return Location(path, line, offset - self.starts[line - 1] + 1)


@lru_cache(maxsize=64)
def _closing_run(run: str) -> re.Pattern[str]:
    return re.compile(r"(?<!`)" + run + r"(?!`)")


def _balanced_end(text: str, pos: int, *, code_spans: bool) -> int | None:
    """Offset of the ``</span>`` closing the span whose content starts at pos.

    None when the span is not closed before the end of text or before the
    next segment begins (segments never nest). A code span's closing backticks
    are looked for only up to the next blank line or segment, found once, so
    a long line full of code spans stays linear.
    """
    depth = 0
    bound = -1  # where a code span search may stop; computed when first needed
    while True:
        match = _TAG.search(text, pos)
        if match is None:
            return None
        token = match.group(0)
        if match.group(1) is not None:
            pos = match.end()
            if code_spans:
                if bound < pos:
                    segment = text.find("data-ttu-id", pos)
                    bound = segment if segment >= 0 else len(text)
                    blank = _BLANK_LINE.search(text, pos, bound)
                    bound = blank.start() if blank else bound
                close = _closing_run(match.group(1)).search(text, pos, bound)
                if close:
                    pos = close.end()
            continue
        if token == "data-ttu-id":
            return None
        if token.startswith("</"):
            if depth == 0:
                return match.start()
            depth -= 1
        else:
            depth += 1
        pos = match.end()


def _read_segment(text: str, start: int, lines: _Lines, path: str
                  ) -> tuple[Segment | None, int, Problem | None]:
    """Read the segment whose opening tag starts at ``start``.

    Returns the segment and the offset after it, or a problem and the offset
    at which scanning resumes.
    """
    where = lines.locate(path, start)
    fast = _FAST.match(text, start)
    if fast is not None:
        head_end = fast.start(2)
        mid_end = fast.start(3)
        return Segment(
            id=fast.group(1),
            raw_target=fast.group(2),
            raw_source=fast.group(3),
            head=text[start:head_end],
            mid=text[fast.end(2):mid_end],
            tail="</span></span>",
            location=where,
        ), fast.end(), None
    opening = _OPEN.match(text, start)
    assert opening is not None, "the caller found an opening tag at start"
    escaped = opening.group(1).startswith("\\")
    seg_id = opening.group(2)
    tag = f'<span data-ttu-id="{seg_id}">'
    for code_spans in (True, False):
        end = _balanced_end(text, opening.end(), code_spans=code_spans)
        mid = _MID.match(text, end) if end is not None else None
        if mid:
            break
    if end is None:
        return None, opening.end(), Problem.at(
            where, f"unclosed {tag}: close it with </span> before the next segment")
    if mid is None:
        return None, opening.end(), Problem.at(
            where, f'{tag} has no <span class="sxs-lookup"><span data-stu-id="{seg_id}"> '
                   "partner right after it: add the English source")
    if mid.group(3) != seg_id:
        return None, opening.end(), Problem.at(
            where, f'ids disagree: data-ttu-id="{seg_id}" but data-stu-id="{mid.group(3)}"; '
                   "make them equal")
    if mid.group(2).startswith("\\") != escaped:
        return None, opening.end(), Problem.at(
            where, f"{tag}: quotes escaped on one side only")
    source_end = None
    for code_spans in (True, False):
        source_end = _balanced_end(text, mid.end(), code_spans=code_spans)
        tail = _TAIL.match(text, source_end) if source_end is not None else None
        if tail:
            break
    if tail is None:
        return None, opening.end(), Problem.at(
            where, f'unclosed <span data-stu-id="{seg_id}"> (the English source): '
                   "close it with </span></span>")
    segment = Segment(
        id=seg_id,
        raw_target=text[opening.end():end],
        raw_source=text[mid.end():source_end],
        head=opening.group(0),
        mid=mid.group(0),
        tail=tail.group(0),
        location=where,
        escaped=escaped,
    )
    return segment, tail.end(), None


def parse(text: str, path: str, locale: str | None = None
          ) -> tuple[Page, list[Problem]]:
    """Read a bilingual page from its text.

    ``path`` names the page in messages and catalogs. Returns the page and the
    problems found; a problem never stops the reading of the rest.
    """
    lines = _Lines(text)
    parts: list[Part] = []
    problems: list[Problem] = []
    literal_from = 0
    pos = 0
    while True:
        hit = _HIT.search(text, pos)
        if hit is None:
            break
        if hit.group(1) == "s":
            problems.append(Problem.at(
                lines.locate(path, hit.start()),
                "data-stu-id outside a segment: an English source without its "
                '<span data-ttu-id="..."> target; add the target or remove it'))
            pos = hit.end()
            continue
        lt = text.rfind("<", pos, hit.start())
        opening = _OPEN.match(text, lt) if lt >= 0 else None
        if opening is None or opening.end() <= hit.start():
            problems.append(Problem.at(
                lines.locate(path, hit.start()),
                'data-ttu-id outside a well-formed <span data-ttu-id="..."> tag '
                "(mangled quotes such as &quot;?): write the tag as "
                '<span data-ttu-id="ID">'))
            pos = hit.end()
            continue
        segment, after, problem = _read_segment(text, lt, lines, path)
        if problem is not None:
            problems.append(problem)
            pos = after
            continue
        assert segment is not None, "no problem means a segment was read"
        if "&quot;" in segment.head or "&quot;" in segment.mid:
            problems.append(Problem.at(segment.location, (
                f'segment {segment.id}: the vendor wrote &quot; for the quotes of its tags; '
                'read as a segment and kept as written (write them as " to silence this)'),
                severity="warning"))
        if lt > literal_from:
            parts.append(text[literal_from:lt])
        parts.append(segment)
        literal_from = pos = after
    if literal_from < len(text):
        parts.append(text[literal_from:])
    meta = blocks.fields(text)
    return Page(path, locale or meta.get("ms.contentlocale"), tuple(parts), meta), problems


def decode(data: bytes, path: str) -> str:
    """Bytes of a page to text, or a DoclocError naming the bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[:exc.start]
        line = prefix.count(b"\n") + 1
        column = len(prefix[prefix.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise DoclocError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path, line, column) from exc
    nul = text.find("\0")
    if nul >= 0:
        before = text[:nul]
        raise DoclocError("NUL byte in a text file; remove it", path,
                          before.count("\n") + 1, nul - before.rfind("\n"))
    return text
