"""The search index of each language: Material's, built without its slow parser.

Material for MkDocs splits every page into sections (one per heading with an
id) with ``html.parser``, a pure-Python parser that takes about a fifth of a
language's build. ``sections`` gives the very same sections from one regular
expression over the page's HTML (MkDocs wrote it, so it is well formed), and
``install`` makes Material's index use it. Everything else (entry format,
anchors from the table of contents, tags, boost, Chinese segmentation, the
JSON written) stays Material's.

Design decisions:

1. Same output, quirks included: Material compares elements by tag name only,
   so a ``data-search-exclude`` element silences every open element of its tag,
   and an empty kept tag is removed from its first opening on. tests/test_search.py
   holds the two equal on every page of the built sites and on made-up cases.
2. Safe to lose: if Material's index no longer has the methods this relies on,
   or anything here raises, Material's own parser does the work.
3. Linear in a page's headings: Material looks each section's TOC item up by a
   walk of the page's whole TOC (quadratic: 14 million calls on a page of
   30,000 segments). While a page's entries are made, that lookup is one dict
   built in the walk's own order, so the first match is the same item.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
KEEP = frozenset("p code pre li ol ul sub sup".split())
SKIP = ("object", "script", "style")
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))

_TOKEN = re.compile(r"""<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>|</([a-zA-Z][^\s/>]*)\s*>
                        |<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S | re.X)
_RAW = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}
_WANTED = re.compile(r"id|class|data-search-exclude", re.I)
Attrs = dict[str, str | None]
"""An element's attributes: a name without a value maps to None."""
_NONE: Attrs = {}
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


class Section:
    """A heading and what follows it, as Material's parser makes it."""

    __slots__ = ("tag", "attrs", "depth", "text", "title", "id")

    def __init__(self, tag: str, attrs: Attrs, depth: float = 0) -> None:
        self.tag, self.attrs, self.depth = tag, attrs, depth
        self.text: list[str] = []
        self.title: list[str] = []
        self.id: str | None = None

    def is_excluded(self) -> bool:
        return "data-search-exclude" in self.attrs


def _attrs(text: str) -> Attrs:
    found: Attrs = {}
    for match in _ATTR.finditer(text):
        value = match.group(2)
        if value is not None:
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            value = html.unescape(value)
        found[match.group(1).lower()] = value  # the last of a repeated name, as dict() keeps
    return found


class _Parser:
    """Material's ``Parser`` over one page: the open elements, the skipped tags, the sections."""

    __slots__ = ("data", "context", "tags", "skip", "section")

    def __init__(self) -> None:
        self.data: list[Section] = []
        self.context: list[tuple[str, Attrs]] = []
        self.tags: list[str] = []  # the tags of context, for membership tests
        self.skip = set(SKIP)
        self.section: Section | None = None

    def preface(self) -> Section:
        """The section of what comes before the first heading."""
        self.section = Section("hx", {})
        self.data.append(self.section)
        return self.section

    def start(self, tag: str, attrs: Attrs) -> None:
        """An opening tag: open the element, start a section at a heading with an id."""
        if tag in VOID:
            return
        self.context.append((tag, attrs))
        self.tags.append(tag)
        if tag in HEADINGS and "id" in attrs:
            self.heading(tag, attrs)
        section = self.section if self.section is not None else self.preface()
        for key, value in attrs.items():
            if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                self.skip.add(tag)
                return
        if tag in KEEP and self.skip.isdisjoint(self.tags):
            (section.title if section.tag in self.tags else section.text).append(f"<{tag}>")

    def heading(self, tag: str, attrs: Attrs) -> None:
        """A heading with an id just opened: the section it starts (after a preface if first)."""
        depth = len(self.context)
        if tag != "h1" and not self.data:
            self.section = Section("hx", {}, depth)
            self.data.append(self.section)
        self.section = Section(tag, attrs, depth)
        if self.data:
            self.section.id = attrs["id"]
        self.data.append(self.section)

    def end(self, tag: str) -> None:
        """A closing tag of the innermost open element: close it (others are ignored)."""
        if not self.context or self.context[-1][0] != tag:
            return
        assert self.section is not None  # context is open, so start made a section
        section = self.section
        if section.depth > len(self.context):
            section = self.resume(section)
        self.context.pop()
        self.tags.pop()
        if tag in self.skip:
            if tag not in SKIP:
                self.skip.discard(tag)
            return
        if tag in KEEP and self.skip.isdisjoint(self.tags):
            out = section.title if section.tag in self.tags else section.text
            index = out.index(f"<{tag}>")
            if any(not piece.isspace() for piece in out[index + 1:]):
                out.append(f"</{tag}>")
            else:
                del out[index:]

    def resume(self, section: Section) -> Section:
        """Leaving a section's element: the last earlier section open at this depth."""
        for earlier in reversed(self.data):
            if earlier.depth <= len(self.context):
                section.depth = float("inf")
                self.section = earlier
                return earlier
        return section

    def text(self, raw: str, *, entities: bool = True) -> None:
        """Text between tags: to the current section's title or text, unless skipped."""
        if not self.skip.isdisjoint(self.tags):
            return
        tags = self.tags
        piece = html.unescape(raw) if entities and "&" in raw else raw
        if "pre" not in tags:
            piece = " " if piece.isspace() else piece.replace("\n", " ")
        current = self.section if self.section is not None else self.preface()
        if current.tag in tags:
            if not any(t == "a" and a.get("class") == "headerlink" for t, a in self.context):
                current.title.append(html.escape(piece, quote=False))
        elif piece.isspace():
            if not current.text or not current.text[-1].isspace() or "pre" in tags:
                current.text.append(piece)
        else:
            current.text.append(html.escape(piece, quote=False))


def sections(source: str) -> list[Section]:
    """The sections of a page's HTML, exactly as Material's search ``Parser`` finds them."""
    parser = _Parser()
    pos = 0
    while True:
        match = _TOKEN.search(source, pos)
        if match is None:
            if pos < len(source):
                parser.text(source[pos:])
            return parser.data
        if match.start() > pos:
            parser.text(source[pos:match.start()])
        pos = match.end()
        closing, opening = match.group(1), match.group(2)
        if closing:
            parser.end(closing.lower())
        elif opening:
            tag, rest = opening.lower(), match.group(3)
            # Only id, class and data-search-exclude matter: skip parsing the rest.
            attrs = _attrs(rest) if _WANTED.search(rest) else _NONE
            parser.start(tag, attrs)
            if rest.endswith("/"):  # <x/>: start and end, as html.parser does
                parser.end(tag)
            elif tag in _RAW:  # raw text up to the closing tag
                close = _RAW[tag].search(source, pos)
                inner_end = close.start() if close else len(source)
                if inner_end > pos:
                    parser.text(source[pos:inner_end], entities=False)
                pos = inner_end


def install() -> bool:
    """Make Material's search index use ``sections``; False if Material changed shape."""
    try:
        from material.plugins.search.plugin import (  # type: ignore[import-untyped]
            SearchIndex,  # Material ships no type information
        )
    except ImportError:
        return False
    original: Callable[[Any, Any], None] | None = getattr(
        SearchIndex, "add_entry_from_context", None)
    if original is None or not hasattr(SearchIndex, "create_entry_for_section") or \
            getattr(original, "docloc", False):
        return bool(getattr(original, "docloc", False))

    def add_entry_from_context(self: Any, page: Any) -> None:  # Material's untyped hook
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        try:
            found = sections(page.content)
        except Exception:  # noqa: BLE001 (decision 2: Material's parser takes over)
            return original(self, page)
        # Material finds each section's TOC item by a walk of the whole TOC: quadratic
        # in a page's headings (most of a 30,000-segment page's build). The same first
        # match in the walk's order, from one dict per page.
        by_id: dict[Any, Any] = {}
        stack = list(reversed(list(page.toc or ())))
        while stack:
            item = stack.pop()
            by_id.setdefault(item.id, item)
            stack.extend(reversed(list(item.children)))
        self._find_toc_by_id = lambda toc, id: by_id.get(id)
        try:
            for section in found:
                if not section.is_excluded():
                    self.create_entry_for_section(section, page.toc, page.url, page)
        finally:
            del self._find_toc_by_id  # Material's own method again

    # marks the function as ours (a plain assignment: mypy knows no such attribute)
    setattr(add_entry_from_context, "docloc", True)  # noqa: B010
    SearchIndex.add_entry_from_context = add_entry_from_context
    return True
