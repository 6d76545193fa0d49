"""Segment wrappers that Python-Markdown does not have to parse.

A translated page wraps each segment in ``<span class="docloc-seg"
data-source="...">`` (or the fallback span); written into the markdown, those
thousands of inline tags are 40 % of Python-Markdown's time on a page. So the
site's markdown carries one private-use character instead: segment *n* opens
with U+F0000+n and closes with U+100000 (allocated in ``pipeline.private_use``),
and an HTML comment at the end of the page holds what each span needs.
Markdown treats the characters as text; the MkDocs hook
(``pipeline/docloc_hooks.py``) turns them into the very same spans in the
page's HTML (``expand_html``), drops any that fell inside a tag, and cleans
them out of the page's table of contents.

``expand_markdown`` writes the spans into the markdown instead, for tools that
read the docs without the hook (the benchmark hands them to mkdocs-static-i18n).
"""

from __future__ import annotations

import json
import re
from collections import deque
from typing import TypedDict

from . import private_use as pu

LIMIT = pu.MARK_LIMIT
"""Segments a page can mark this way (U+F0000..U+FFFFD); any further ones are spans."""
CLOSE = pu.MARK_CLOSE
MARK = re.compile(f"[{pu.MARKS}]")
_COMMENT = re.compile(r"\n*<!-- docloc-marks (.*?) -->\n?", re.S)
_TAG_OR_MARK = re.compile(f"<[^>]*>|[{pu.MARKS}]")


class MarksData(TypedDict):
    """What the marks comment holds: the fallback language and each segment's source."""

    lang: str
    sources: list[str | None]


def opening(index: int) -> str:
    return chr(pu.MARK_BASE + index)


def span(source: str | None, lang: str) -> str:
    """The opening tag of a segment: translated (``source``: its data-source) or not."""
    if source is None:
        return f'<span lang="{lang}" class="docloc-fallback">'
    return f'<span class="docloc-seg" data-source="{source}">'


def comment(lang: str, sources: list[str | None]) -> str:
    """The comment closing a page: the fallback language and each segment's source."""
    data = json.dumps({"lang": lang, "sources": sources}, ensure_ascii=True,
                      separators=(",", ":")).replace("--", "-\\u002d")  # never "-->"
    return f"\n\n<!-- docloc-marks {data} -->\n"


def _read(text: str) -> tuple[str, MarksData | None]:
    """The text without its marks comment, and the comment's data.

    The last such comment is docloc's (it ends the page); one a page itself holds
    earlier is left alone, never read.
    """
    last = deque(_COMMENT.finditer(text), maxlen=1)
    found = last[0] if last else None
    if found is None:
        return text, None
    try:
        data: MarksData | None = json.loads(found.group(1))
    except ValueError:
        data = None
    return text[:found.start()] + text[found.end():] if data else text, data


def expand_html(html: str) -> str:
    """The page's HTML with every mark made its span (marks inside tags dropped)."""
    html, data = _read(html)
    if data is None:
        return MARK.sub("", html) if MARK.search(html) else html
    lang, sources = data["lang"], data["sources"]

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        if token[0] == "<":
            return MARK.sub("", token) if MARK.search(token) else token
        if token == CLOSE:
            return "</span>"
        index = ord(token) - pu.MARK_BASE
        return span(sources[index], lang) if index < len(sources) else ""
    return _TAG_OR_MARK.sub(replace, html)


def expand_markdown(markdown: str) -> str:
    """The markdown with spans written in, as it would be without marks."""
    markdown, data = _read(markdown)
    if data is None:
        return markdown
    lang, sources = data["lang"], data["sources"]

    def replace(match: re.Match[str]) -> str:
        if match.group() == CLOSE:
            return "</span>"
        index = ord(match.group()) - pu.MARK_BASE
        return span(sources[index], lang) if index < len(sources) else ""
    return MARK.sub(replace, markdown).rstrip("\n") + "\n"


def strip(text: str) -> str:
    return MARK.sub("", text) if MARK.search(text) else text
