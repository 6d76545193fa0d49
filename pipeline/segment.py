"""English-only markdown -> a Page whose segments have no translation yet.

Writers may add plain markdown pages in the source language. docloc segments
them as vendors do, so they join every target locale's catalogs:

1. A segment is a sentence of a paragraph line, a heading, a list item, a
   table cell or a quoted line; sentences end at ``.``, ``!`` or ``?``
   followed by a space and a capital, outside links and inline code.
2. Never segmented: front matter and fenced code (as ``pipeline.blocks`` reads
   them), indented code, HTML comments and block-level HTML lines, images alone
   on a line, DocFX markers (``> [!NOTE]``, ``> [!div class="..."]``,
   ``> [!VIDEO url]``, ``[!INCLUDE ...]``, ``[!code-...]``, ``:::`` lines), table
   separator rows; of a DocFX tab heading (``# [Label](#tab/id)``) only the
   label is a segment.
3. The result is an ordinary bilingual page in memory (empty targets, ids
   derived from the page path and position), so every later stage treats it
   like a vendor's page; the same text always gives the same segments.
"""

from __future__ import annotations

import hashlib
import re

from .blocks import code_lines, front_matter
from .model import Page
from .sxs import parse

_HEADING = re.compile(r"^([ \t]{0,3}#{1,6}[ \t]+(?:<a [^>]*></a>[ \t]*)?)(.*?)([ \t]*#*[ \t]*)$")
_LIST = re.compile(r"^([ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)(.*)$")
_QUOTE = re.compile(r"^([ \t]*(?:>[ \t]?)+)(.*)$")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_SKIP_LINE = re.compile(r"^[ \t]*(?:<(?!a\s|strong|em|b>|i>|code)|!\[[^\]]*\]\([^)]*\)[ \t]*$|"
                        r"\[!INCLUDE|\[!code-|(?:>[ \t]*)*\[![A-Z]+\][ \t]*$|:::|"
                        r"(?:>[ \t]*)*\[!(?:div|VIDEO|video)[ \t][^\]\n]*\][ \t]*$)")
_TAB = re.compile(r"^([ \t]{0,3}#{1,6}[ \t]+(?:<a [^>]*></a>[ \t]*)?\[)(.*)(\]\(#tab/[^)]*\)[ \t]*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+(?=[A-Z\[*_`\"'(])")
_PROTECTED = re.compile(r"`+[^`]*`+|\[[^\]]*\]\([^)]*\)|<[^>]+>")


def split_sentences(text: str) -> list[str]:
    """Sentences of a line; a boundary never falls inside code, a link or a tag."""
    shielded = _PROTECTED.sub(lambda m: "\0" * len(m.group(0)), text)
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(shielded):
        pieces.append(text[start:match.start()])
        pieces.append(text[match.start():match.end()])
        start = match.end()
    pieces.append(text[start:])
    return pieces  # sentence, separator, sentence, ...


class _Writer:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 100

    def wrap(self, text: str) -> str:
        """Text with each sentence as a segment with an empty target."""
        core = text.strip()
        if not re.search(r"\w", core):
            return text
        lead = text[:len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        out = []
        for index, piece in enumerate(split_sentences(core)):
            if index % 2 or not piece:
                out.append(piece)
                continue
            self.count += 1
            sid = f"{self.prefix}-{self.count}"
            out.append(f'<span data-ttu-id="{sid}"></span><span class="sxs-lookup">'
                       f'<span data-stu-id="{sid}">{piece}</span></span>')
        return lead + "".join(out) + trail


def segment_page(text: str, path: str, locale: str, *, key: str | None = None) -> Page:
    """The page ``text`` (English markdown) as a bilingual Page with empty targets.

    ``path`` names the page in messages; ``key`` (its uri) seeds the segment ids,
    so they do not depend on how the content folder was spelled.
    """
    writer = _Writer(hashlib.sha1((key or path).encode()).hexdigest()[:5])
    lines = text.split("\n")
    head = front_matter(text)
    front = head.body_line - 1 if head else 0  # lines of the front matter, fences included
    kept = [True] * front + code_lines(lines[front:])
    out = []
    previous_blank = True
    in_comment = False  # an HTML comment's lines, up to its "-->", are never text
    for line, keep in zip(lines, kept):
        body = line[:-1] if line.endswith("\r") else line
        cr = line[len(body):]
        if keep:
            out.append(line)
            continue
        if in_comment or body.lstrip().startswith("<!--"):
            opened = body.find("<!--") if not in_comment else -1
            in_comment = "-->" not in body[opened + 4 if opened >= 0 else 0:]
            out.append(line)
            previous_blank = False
            continue
        blank = not body.strip()
        if blank or _SKIP_LINE.match(body) or _TABLE_SEP.match(body):
            out.append(line)
            previous_blank = blank
            continue
        if body.startswith("    ") and previous_blank and not _LIST.match(body):
            out.append(line)  # indented code
            continue
        previous_blank = False
        match = _TAB.match(body)  # a DocFX tab: only its label is text
        if match:
            out.append(match.group(1) + writer.wrap(match.group(2)) + match.group(3) + cr)
            continue
        match = _HEADING.match(body)
        if match:
            out.append(match.group(1) + writer.wrap(match.group(2)) + match.group(3) + cr)
            continue
        if "|" in body and body.strip().startswith("|"):
            cells = body.split("|")
            out.append("|".join(cells[:1] + [writer.wrap(c) for c in cells[1:-1]] + cells[-1:]) + cr)
            continue
        for pattern in (_QUOTE, _LIST):
            match = pattern.match(body)
            if match:
                prefix, rest = match.group(1), match.group(2)
                item = _LIST.match(rest) if pattern is _QUOTE else None
                if item:  # a list inside a quote: the marker is not text
                    prefix, rest = prefix + item.group(1), item.group(2)
                out.append(prefix + writer.wrap(rest) + cr)
                break
        else:
            out.append(writer.wrap(body) + cr)
    page, _ = parse("\n".join(out), path, locale)
    return page
