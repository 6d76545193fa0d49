"""DocFX tables of contents (TOC.md, TOC.yml) -> MkDocs navigation.

1. ``TOC.md``: each heading line is an entry, its level the depth;
   ``# [Label](page.md)`` links a page, ``# Label`` opens a section.
2. ``TOC.yml``: a list of ``name``/``href``/``items`` (or a mapping holding
   ``items``), as DocFX reads it: ``href`` to another TOC (``sub/toc.yml``,
   ``sub/TOC.md`` or a folder ``sub/`` holding one) nests that TOC there, with
   ``topicHref`` (or ``topicUid``) as the section's own page; ``uid`` links the
   page whose front matter holds that ``uid``.
3. A TOC is vendor input, hence untrusted: a label is text (HTML elements in
   it are removed and reported; what is left is escaped once, in ``to_nav``),
   and an href may only be a page of the content folder or an ``http``,
   ``https`` or ``mailto`` URL. Anything else (``javascript:``, ``data:``,
   ``vbscript:``, a path leading outside) is dropped and reported at its
   file:line; the rest of the TOC goes on.
4. The navigation starts at the TOCs no other TOC nests (``breadcrumb/``
   TOCs are DocFX's breadcrumbs, not navigation); a section that links a page
   lists that page first among its children. Only pages that are built get
   an entry.
"""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Sequence

import yaml

from .errors import Problem
from .private_use import LABEL, LABEL_END

_MD_ENTRY = re.compile(r"^(#{1,6})[ \t]+(?:\[(.*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)|(.+?))[ \t]*\r?$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_SAFE_SCHEMES = {"http", "https", "mailto"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
# HTML elements (and comments) in a label; ``List<T>`` or ``Qubit[]`` are text.
_ELEMENTS = ("a abbr address area article aside audio b base bdi bdo blockquote body br "
             "button canvas caption cite code col colgroup data datalist dd del details dfn "
             "dialog div dl dt em embed fieldset figcaption figure font footer form frame "
             "frameset h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd "
             "label legend li link main map mark marquee math menu meta meter nav noscript "
             "object ol optgroup option output p param picture pre progress q rp rt ruby s "
             "samp script section select slot small source span strong style sub summary sup "
             "svg table tbody td template textarea tfoot th thead time title tr track u ul "
             "var video wbr xml base applet").split()
_TAG = re.compile(r"<!--.*?(?:-->|$)|</?(?:%s)(?=[\s/>]|$)[^>]*(?:>|$)" % "|".join(_ELEMENTS),
                  re.I | re.S)
TOC_NAMES = ("toc.yml", "toc.yaml", "toc.md")
MAX_ITEMS = 100_000
"""Entries read from one TOC at most (YAML aliases can multiply a small file)."""

NavEntry = dict[str, str | list["NavEntry"]]
"""One entry of the navigation docloc makes: ``{title: page uri or URL}`` or
``{title: [entries]}`` (a section), one key each, as MkDocs' ``nav`` reads it."""


@dataclass(frozen=True)
class TocEntry:
    label: str
    """Plain text (never HTML): escaped when it becomes a navigation title."""
    href: str | None = None
    """A page uri (relative to the content root of the locale) or an http(s)/mailto URL."""
    children: tuple["TocEntry", ...] = ()
    line: int | None = None
    toc: str | None = None
    """The uri of a TOC nested here (``href: sub/toc.yml``)."""
    uid: str | None = None
    """A page's ``uid`` front matter, linked by ``uid:``/``topicUid:``."""
    english: str | None = None
    """The English of a bilingual label (its side-by-side source), as plain text."""


def is_toc(uri: str) -> bool:
    return posixpath.basename(uri).lower() in TOC_NAMES


def safe_url(href: str) -> str | None:
    """``href`` if its scheme is one a page may link to (http, https, mailto), else None.

    Browsers ignore tabs, line breaks and control characters inside a scheme
    (``java\\tscript:``) and read entities: both are undone before the test.
    """
    plain = _INVISIBLE.sub("", html.unescape(href))
    scheme = _SCHEME.match(plain)
    if scheme is None:
        return href
    return href if scheme.group(1).lower() in _SAFE_SCHEMES else None


_SXS_SOURCE = re.compile(r'<span class="sxs-lookup"><span data-stu-id="[^"]*">.*?</span></span>',
                         re.S)
_SXS_TARGET = re.compile(r'<span data-ttu-id="[^"]*">(.*?)</span>', re.S)


def clean_label(label: str, path: str, line: int | None, problems: list[Problem]) -> str:
    """The label as text: HTML elements removed (and reported), whitespace collapsed.

    A bilingual label (side-by-side spans) gives its translation, silently."""
    label = _SXS_TARGET.sub(r"\1", _SXS_SOURCE.sub("", label))
    text = _TAG.sub("", label)
    if text != label:
        problems.append(Problem(
            f"TOC label {label[:80]!r} holds HTML markup; shown as {text.strip()[:80]!r}. "
            "A TOC label is plain text: remove the markup", path, line))
    return " ".join(text.split())


def bilingual_source(label: str) -> str | None:
    """The English of a side-by-side label (each ``sxs-lookup`` source in place of its
    translation), as plain text; None when the label is not bilingual."""
    if "sxs-lookup" not in label:
        return None
    english = _SXS_TARGET.sub("", _SXS_SOURCE.sub(
        lambda m: LABEL + re.sub(r"^<span class=\"sxs-lookup\"><span data-stu-id=\"[^\"]*\">"
                                 r"|</span></span>$", "", m.group()) + LABEL_END, label))
    english = _TAG.sub("", english.replace(LABEL, "").replace(LABEL_END, ""))
    return " ".join(english.split()) or None


def english_label(entry: TocEntry, titles: Mapping[str, str],
                  english_of: Mapping[str, str]) -> str:
    """An entry's label in the source language's navigation, from the English the content
    has, best first: the label's own side-by-side source; the English title of the page
    it links; a segment translated with these very words; the name of the folder whose
    TOC it nests (``develop/toc.yml``: "Develop", the authors' own English). Else the
    label as written (the vendor translated the TOC and kept no English for it)."""
    if entry.english:
        return entry.english
    if entry.href and titles.get(entry.href):
        return titles[entry.href]
    if entry.label in english_of:
        return english_of[entry.label]
    toc = entry.toc or ""
    folder = posixpath.basename(toc.rstrip("/") if toc.endswith("/") else posixpath.dirname(toc))
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*", folder):
        words = re.sub(r"[-_]", " ", folder)
        return words[0].upper() + words[1:]
    return entry.label


def _has_host(url: str) -> bool:
    """Whether an http(s) URL names a host (``https:path`` and ``https://#x`` do not)."""
    try:
        return bool(urllib.parse.urlsplit(url).hostname)
    except ValueError:  # a bracketed host that is no IPv6 address
        return False


def _resolve(href: str, toc_dir: str, path: str, line: int | None,
             problems: list[Problem]) -> str | None:
    """The href as a page uri or a safe URL; None (and a problem) when refused."""
    href = href.strip()
    if safe_url(href) is None:
        problems.append(Problem(f"TOC link {href[:80]!r} is not an http, https or mailto URL "
                                "nor a page; dropped (a link may not run script)", path, line))
        return None
    scheme = _SCHEME.match(href)
    if scheme and scheme.group(1).lower() in ("http", "https") and not _has_host(href):
        problems.append(Problem(f"TOC link {href[:80]!r} is not a URL: an http or https link "
                                "is written scheme://host/path; dropped", path, line))
        return None
    if scheme or href.startswith("//"):
        return href
    href = href.split("#")[0].split("?")[0]
    if not href:
        return None
    if href.startswith("/"):
        return None  # a site-absolute link of the publishing host (DocFX's ``/``): no page here
    joined = posixpath.normpath(posixpath.join(toc_dir, href))
    if joined == ".":
        return "index.md"
    if joined.startswith("../") or joined == "..":
        problems.append(Problem(f"TOC entry {href!r} leads outside the content folder; "
                                "refused", path, line))
        return None
    return joined + ("/" if href.endswith("/") else "")


def _nested(href: str | None) -> tuple[str | None, str | None]:
    """(page, toc): an href naming a TOC (or a folder, which may hold one) nests it."""
    if href is None or _SCHEME.match(href):
        return href, None
    if is_toc(href):
        return None, href
    if href.endswith("/"):
        return href, href  # a folder: its TOC if it has one, else its index page
    return href, None


_Node = tuple["TocEntry", list["_Node"]]
"""An entry of a TOC.md being read, with the entries below it gathered so far."""


def parse_toc_md(text: str, toc_uri: str, path: str,
                 problems: list[Problem] | None = None) -> list[TocEntry]:
    problems = [] if problems is None else problems
    toc_dir = posixpath.dirname(toc_uri)
    root: list[_Node] = []
    stack: list[tuple[int, _Node]] = []
    for number, line in enumerate(text.split("\n"), 1):
        match = _MD_ENTRY.match(line)
        if not match:
            continue
        level = len(match.group(1))
        raw = match.group(2) if match.group(3) is not None else match.group(4)
        label = clean_label(raw, path, number, problems)
        href = _resolve(match.group(3), toc_dir, path, number, problems) \
            if match.group(3) else None
        page, nested = _nested(href)
        node: _Node = (TocEntry(label, page, (), number, nested, english=bilingual_source(raw)), [])
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1][1] if stack else root).append(node)
        stack.append((level, node))

    def freeze(nodes: list[_Node]) -> list[TocEntry]:
        return [replace(entry, children=tuple(freeze(kids))) for entry, kids in nodes]
    return freeze(root)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (the wheels do): same nodes and marks, 10x faster."""


def parse_toc_yml(text: str, toc_uri: str, path: str,
                  problems: list[Problem] | None = None) -> list[TocEntry]:
    """Entries of a TOC.yml, each with its line (read from YAML's node marks)."""
    problems = [] if problems is None else problems
    try:
        document = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        last = text.count("\n") + (not text.endswith("\n"))  # libyaml may point past it
        line = min(mark.line + 1, max(last, 1)) if mark else None
        problems.append(Problem(f"not valid YAML: {exc}; this TOC is left out of the "
                                "navigation", path, line))
        return []
    toc_dir = posixpath.dirname(toc_uri)
    budget = [MAX_ITEMS]

    def scalar(mapping: Mapping[str, yaml.Node], key: str) -> str | None:
        node = mapping.get(key)
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            value: str = node.value
            return value
        return None

    def items_of(node: yaml.Node | None) -> list[yaml.Node]:
        if isinstance(node, yaml.MappingNode):  # the root may be {items: [...]}
            node = dict((k.value, v) for k, v in node.value
                        if isinstance(k, yaml.ScalarNode)).get("items")
        return node.value if isinstance(node, yaml.SequenceNode) else []

    def convert(node: yaml.Node | None, depth: int) -> list[TocEntry]:
        out: list[TocEntry] = []
        for item in items_of(node):
            if not isinstance(item, yaml.MappingNode) or depth > 50 or budget[0] <= 0:
                continue
            budget[0] -= 1
            fields = dict((k.value, v) for k, v in item.value if isinstance(k, yaml.ScalarNode))
            line = item.start_mark.line + 1
            name = scalar(fields, "name")
            if name is None:
                continue
            label = clean_label(name, path, line, problems)
            href = scalar(fields, "href") or scalar(fields, "tocHref")
            href = _resolve(href, toc_dir, path, line, problems) if href else None
            page, nested = _nested(href)
            topic = scalar(fields, "topicHref")
            if topic:
                page = _resolve(topic, toc_dir, path, line, problems)
            uid = scalar(fields, "uid") or scalar(fields, "topicUid")
            out.append(TocEntry(label, page, tuple(convert(fields.get("items"), depth + 1)),
                                line, nested, uid, bilingual_source(name)))
        return out
    return convert(document, 0)


def parse_toc(uri: str, text: str, path: str, problems: list[Problem]) -> list[TocEntry]:
    """The entries of one TOC file; what is wrong with it goes to ``problems``.

    Remembered by (uri, text, path): a build reads each TOC for the English and the
    translated navigation and for the check, and ``docloc serve`` builds again on
    every save; parsing YAML was most of a save's time on a docset of 228 TOCs."""
    entries, found = _parsed_toc(uri, text, path)
    problems.extend(found)
    return list(entries)


@lru_cache(maxsize=4096)
def _parsed_toc(uri: str, text: str, path: str
                ) -> tuple[tuple[TocEntry, ...], tuple[Problem, ...]]:
    found: list[Problem] = []
    if uri.lower().endswith((".yml", ".yaml")):
        entries = parse_toc_yml(text, uri, path, found)
    else:
        entries = parse_toc_md(text, uri, path, found)
    return tuple(entries), tuple(found)


def toc_problems(uri: str, text: str, path: str) -> list[Problem]:
    """What ``docloc check`` reports of one TOC (markup in labels, refused links)."""
    problems: list[Problem] = []
    parse_toc(uri, text, path, problems)
    return problems


def _page_of(href: str | None, pages: set[str]) -> str | None:
    if not href or _SCHEME.match(href) or href.startswith("//"):
        return href
    if href.endswith("/"):
        href += "index.md"
    elif href.lower().endswith((".yml", ".yaml")) and not is_toc(href):
        href = posixpath.splitext(href)[0] + ".md"  # a DocFX YAML page (``yamlpage``)
    elif not href.endswith(".md"):
        href += ".md"
    return href if href in pages else None


def to_nav(entries: Iterable[TocEntry], pages: set[str],
           label: Callable[[TocEntry], str] = lambda e: e.label,
           uids: Mapping[str, str] | None = None) -> list[NavEntry]:
    """MkDocs ``nav``: only pages that exist; ``label(entry)`` picks each label
    (given the entry with its page resolved), escaped here once."""
    nav: list[NavEntry] = []
    for entry in entries:
        href = _page_of(entry.href, pages)
        if href is None and entry.uid and uids:
            href = uids.get(entry.uid)
        resolved = replace(entry, href=href)
        title = html.escape(label(resolved) or entry.label or (href or ""))
        children = to_nav(entry.children, pages, label, uids)
        if children:
            if href:
                children.insert(0, {title: href})
            nav.append({title: children})
        elif href:
            nav.append({title: href})
    return nav


def nav_pages(nav: Sequence[NavEntry]) -> set[str]:
    """Every page uri a nav lists."""
    found: set[str] = set()
    for item in nav:
        for value in item.values():
            if isinstance(value, list):
                found |= nav_pages(value)
            elif isinstance(value, str):
                found.add(value)
    return found


def _expand(entries: Iterable[TocEntry], parsed: Mapping[str, list[TocEntry]],
            stack: tuple[str, ...]) -> list[TocEntry]:
    """Nested TOCs put in place of the entries that name them (a cycle stops)."""
    out: list[TocEntry] = []
    for entry in entries:
        children = _expand(entry.children, parsed, stack)
        page = entry.href
        if entry.toc is not None:
            target: str | None = entry.toc
            if entry.toc.endswith("/"):
                folder = entry.toc
                target = next((folder + name for name in ("toc.yml", "TOC.yml", "toc.md",
                                                          "TOC.md", "toc.yaml")
                               if folder + name in parsed), None)
            if target is not None and target in parsed and target not in stack:
                children = _expand(parsed[target], parsed, stack + (target,)) + children
                if page is not None and page.endswith("/"):
                    page = None  # the folder was its TOC, not a page
        out.append(replace(entry, href=page, children=tuple(children)))
    return out


def site_nav(tocs: Mapping[str, tuple[str, str]], pages: set[str],
             label: Callable[[TocEntry], str], problems: list[Problem],
             uids: Mapping[str, str] | None = None,
             sections: Mapping[str, str] | None = None) -> list[NavEntry] | None:
    """Navigation from every TOC of a locale (uri -> (path shown in messages, text)),
    nested ones in place and the others where their folder stands; problems are
    appended, the rest goes on. ``sections``: folder uri -> the label of its section
    (a docset's title), else the folder's name.

    Pages no TOC lists stay reachable, grouped by folder (never one flat list:
    a long top level would be repeated in every page of the site).
    """
    parsed = {uri: parse_toc(uri, text, shown, problems)
              for uri, (shown, text) in sorted(tocs.items())}
    nested: set[str] = set()

    def note(entries: Iterable[TocEntry]) -> None:
        for entry in entries:
            if entry.toc:
                nested.add(entry.toc)
                nested.update(entry.toc + name for name in ("toc.yml", "TOC.yml", "toc.md",
                                                            "TOC.md", "toc.yaml"))
            note(entry.children)
    for entries in parsed.values():
        note(entries)
    roots = [uri for uri in parsed
             if uri not in nested and "breadcrumb" not in uri.lower().split("/")[:-1]]
    if not roots and parsed:  # TOCs nesting each other: the one nearest the top leads
        roots = [min(parsed, key=lambda uri: (uri.count("/"), uri))]
    placed: list[tuple[str, list[NavEntry]]] = []
    for uri in roots:
        entries = parsed[uri]
        nav = to_nav(_expand(entries, parsed, (uri,)), pages, label, uids)
        if nav:
            placed.append((posixpath.dirname(uri), nav))
    if not placed:
        return None
    tree = _Folder()
    for folder, nav in placed:
        _place(tree, folder, nav)
    listed = set().union(*(nav_pages(nav) for _, nav in placed))
    for uri in sorted(pages - listed):
        _place(tree, posixpath.dirname(uri), [{html.escape(label(TocEntry(uri, uri))): uri}])
    return _flatten(tree, sections or {})


@dataclass
class _Folder:
    """A folder of the navigation being gathered (``site_nav``)."""

    items: list[NavEntry] | None = None
    """The entries placed in this folder; None when nothing was placed here."""
    folders: dict[str, _Folder] = field(default_factory=dict)
    """Subfolder name -> its entries."""


def _place(tree: _Folder, folder: str, items: list[NavEntry]) -> None:
    node = tree
    for part in [p for p in folder.split("/") if p]:
        node = node.folders.setdefault(part, _Folder())
    if node.items is None:
        node.items = []
    node.items.extend(items)


def _flatten(node: _Folder, sections: Mapping[str, str], at: str = "") -> list[NavEntry]:
    """Folders become sections; a folder holding nothing but one section is skipped
    (a docset's section keeps its label: ``a/docs`` alone in ``a/`` is shown as ``docs``'s)."""
    return _flat(node, sections, at)[0]


def _flat(node: _Folder, sections: Mapping[str, str], at: str
          ) -> tuple[list[NavEntry], str | None]:
    out = list(node.items or [])
    named = None
    for name, child in sorted(node.folders.items()):
        folder = posixpath.join(at, name) if at else name
        inner, hint = _flat(child, sections, folder)
        if inner:
            named = sections.get(folder) or hint
            out.append({html.escape(named or name): inner})
    only = next(iter(out[0].values())) if len(out) == 1 else None
    if isinstance(only, list) and node.items is None:
        return only, named
    return out, None
