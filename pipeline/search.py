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
"""

from __future__ import annotations

import html
import re

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
KEEP = frozenset("p code pre li ol ul sub sup".split())
SKIP = ("object", "script", "style")
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))

_TOKEN = re.compile(r"""<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>|</([a-zA-Z][^\s/>]*)\s*>
                        |<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S | re.X)
_RAW = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}
_WANTED = re.compile(r"id|class|data-search-exclude", re.I)
_NONE: dict = {}
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


class Section:
    """A heading and what follows it, as Material's parser makes it."""

    __slots__ = ("tag", "attrs", "depth", "text", "title", "id")

    def __init__(self, tag: str, attrs: dict, depth: float = 0) -> None:
        self.tag, self.attrs, self.depth = tag, attrs, depth
        self.text: list[str] = []
        self.title: list[str] = []
        self.id: str | None = None

    def is_excluded(self) -> bool:
        return "data-search-exclude" in self.attrs


def _attrs(text: str) -> dict:
    found = {}
    for match in _ATTR.finditer(text):
        value = match.group(2)
        if value is not None:
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            value = html.unescape(value)
        found[match.group(1).lower()] = value  # the last of a repeated name, as dict() keeps
    return found


def sections(source: str) -> list[Section]:
    """The sections of a page's HTML, exactly as Material's search ``Parser`` finds them."""
    data: list[Section] = []
    context: list[tuple[str, dict]] = []
    tags: list[str] = []  # the tags of context, for membership tests
    skip = set(SKIP)
    section: Section | None = None

    def preface() -> Section:
        nonlocal section
        section = Section("hx", {})
        data.append(section)
        return section

    def start(tag: str, attrs: dict) -> None:
        nonlocal section
        if tag in VOID:
            return
        context.append((tag, attrs))
        tags.append(tag)
        if tag in HEADINGS and "id" in attrs:
            depth = len(context)
            if tag != "h1" and not data:
                section = Section("hx", {}, depth)
                data.append(section)
            section = Section(tag, attrs, depth)
            if data:
                section.id = attrs["id"]
            data.append(section)
        if section is None:
            preface()
        for key, value in attrs.items():
            if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                skip.add(tag)
                return
        if tag in KEEP and skip.isdisjoint(tags):
            (section.title if section.tag in tags else section.text).append(f"<{tag}>")

    def end(tag: str) -> None:
        nonlocal section
        if not context or context[-1][0] != tag:
            return
        if section.depth > len(context):
            for earlier in reversed(data):
                if earlier.depth <= len(context):
                    section.depth = float("inf")
                    section = earlier
                    break
        context.pop()
        tags.pop()
        if tag in skip:
            if tag not in SKIP:
                skip.discard(tag)
            return
        if tag in KEEP and skip.isdisjoint(tags):
            out = section.title if section.tag in tags else section.text
            index = out.index(f"<{tag}>")
            if any(not piece.isspace() for piece in out[index + 1:]):
                out.append(f"</{tag}>")
            else:
                del out[index:]

    def text(raw: str, *, entities: bool = True) -> None:
        if not skip.isdisjoint(tags):
            return
        piece = html.unescape(raw) if entities and "&" in raw else raw
        if "pre" not in tags:
            piece = " " if piece.isspace() else piece.replace("\n", " ")
        current = section or preface()
        if current.tag in tags:
            if not any(t == "a" and a.get("class") == "headerlink" for t, a in context):
                current.title.append(html.escape(piece, quote=False))
        elif piece.isspace():
            if not current.text or not current.text[-1].isspace() or "pre" in tags:
                current.text.append(piece)
        else:
            current.text.append(html.escape(piece, quote=False))

    pos = 0
    while True:
        match = _TOKEN.search(source, pos)
        if match is None:
            if pos < len(source):
                text(source[pos:])
            return data
        if match.start() > pos:
            text(source[pos:match.start()])
        pos = match.end()
        closing, opening = match.group(1), match.group(2)
        if closing:
            end(closing.lower())
        elif opening:
            tag, rest = opening.lower(), match.group(3)
            # Only id, class and data-search-exclude matter: skip parsing the rest.
            attrs = _attrs(rest) if _WANTED.search(rest) else _NONE
            start(tag, attrs)
            if rest.endswith("/"):  # <x/>: start and end, as html.parser does
                end(tag)
            elif tag in _RAW:  # raw text up to the closing tag
                close = _RAW[tag].search(source, pos)
                inner_end = close.start() if close else len(source)
                if inner_end > pos:
                    text(source[pos:inner_end], entities=False)
                pos = inner_end


def install() -> bool:
    """Make Material's search index use ``sections``; False if Material changed shape."""
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:
        return False
    original = getattr(SearchIndex, "add_entry_from_context", None)
    if original is None or not hasattr(SearchIndex, "create_entry_for_section") or \
            getattr(original, "docloc", False):
        return getattr(original, "docloc", False)

    def add_entry_from_context(self, page) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        try:
            found = sections(page.content)
        except Exception:  # noqa: BLE001 (decision 2: Material's parser takes over)
            return original(self, page)
        for section in found:
            if not section.is_excluded():
                self.create_entry_for_section(section, page.toc, page.url, page)

    add_entry_from_context.docloc = True
    SearchIndex.add_entry_from_context = add_entry_from_context
    return True
