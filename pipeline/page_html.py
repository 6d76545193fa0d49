"""A page's own HTML: the one allowlist every page body goes through, and what
``docloc check`` reports that it or containment strips.

Design decisions:

1. A whole page body goes through one allowlist, ``clean_page`` (PAGE_TAGS,
   PAGE_ATTRIBUTES): vendor skeletons, front matter and includes are untrusted.
   Its URL schemes and the tags removed with their content are containment's
   (``contain.SAFE_URL_SCHEMES``, ``contain.CLEAN_CONTENT``).
2. ``page_markup_findings`` tells ``docloc check`` what it strips from a page's
   markdown by cleaning each tag alone through that same allowlist.
3. ``unsafe_markup(source, target)`` names for ``docloc check`` what
   containment (``contain``, its decisions 1 and 2) strips or neutralizes in a
   translation, so the translator hears of it. It reads containment's own
   rules (``profile``, ``SAFE_ATTRIBUTES``, ``safe_url``, ``code_spans``), so
   the check and the renderer share one safe list.
4. Pure: no I/O. nh3 is imported here and in ``contain`` only.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache
from html.parser import HTMLParser
from typing import Mapping

import nh3

from .contain import (
    CLEAN_CONTENT,
    PIPE,
    SAFE_ATTRIBUTES,
    SAFE_TAGS,
    SAFE_URL_SCHEMES,
    Profile,
    code_spans,
    profile,
    safe_url,
)

# -- a whole page's HTML (issue 13: the skeleton is untrusted too) -------------------------

PAGE_TAGS = SAFE_TAGS | frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "hr", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "colgroup", "col", "details", "summary", "figure", "figcaption", "input",
    "label", "iframe", "section", "article", "aside", "nav", "header", "footer", "time",
    "dfn", "center", "font", "big", "tt", "strike"})
"""Tags a page body keeps: what markdown, Material (tabs, details) and docloc emit."""
PAGE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "lang", "dir", "title", "align"}),
    "a": frozenset({"href", "name", "rel", "target", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "style"}),
    "iframe": frozenset({"src", "width", "height", "allowfullscreen", "frameborder", "allow",
                         "loading"}),
    "td": frozenset({"colspan", "rowspan", "style", "width", "valign"}),
    "th": frozenset({"colspan", "rowspan", "style", "scope", "width", "valign"}),
    "table": frozenset({"style", "width", "border", "cellpadding", "cellspacing"}),
    "tr": frozenset({"style", "valign"}), "thead": frozenset({"style"}),
    "tbody": frozenset({"style"}), "col": frozenset({"width", "span", "style"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "label": frozenset({"for"}), "input": frozenset({"name", "checked", "disabled"}),
    "details": frozenset({"open"}), "blockquote": frozenset({"cite"}),
    "time": frozenset({"datetime"})}
"""Attributes a page body keeps; every ``data-*`` too (docloc's and Material's)."""
STYLE_PROPERTIES = frozenset({
    "text-align", "vertical-align", "width", "min-width", "max-width", "height",
    "min-height", "max-height", "white-space", "color", "background-color",
    "border", "border-width", "border-style", "border-color", "border-collapse",
    "border-top", "border-right", "border-bottom", "border-left", "padding",
    "padding-top", "padding-right", "padding-bottom", "padding-left", "margin",
    "margin-top", "margin-right", "margin-bottom", "margin-left", "float", "display"})
"""What a ``style`` attribute keeps: the table and image layout vendor pages use
(Mixed Reality's tables), nothing that positions over the page or loads a URL."""


@lru_cache(maxsize=2)
def page_cleaner(trusted: bool = False) -> nh3.Cleaner | None:
    """The one allowlist for a page's HTML; None when the content is trusted."""
    if trusted:
        return None
    return nh3.Cleaner(
        tags=set(PAGE_TAGS), clean_content_tags=CLEAN_CONTENT - PAGE_TAGS,
        attributes={tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()},
        generic_attribute_prefixes={"data-"}, link_rel=None,
        tag_attribute_values={"input": {"type": {"radio", "checkbox"}}},
        filter_style_properties=set(STYLE_PROPERTIES),
        url_schemes=set(SAFE_URL_SCHEMES), strip_comments=True)


_IFRAME = re.compile(r"<iframe\b[^>]*>", re.I)
_IFRAME_SRC = re.compile(r'\ssrc="(?!https://)[^"]*"', re.I)
_IFRAME_ALLOW = re.compile(r'\sallow="([^"]*)"', re.I)
FRAME_FEATURES = frozenset({"accelerometer", "autoplay", "clipboard-write", "encrypted-media",
                            "fullscreen", "gyroscope", "picture-in-picture", "web-share"})
"""What an https frame's ``allow`` may grant: what video players ask for (YouTube's,
Microsoft Stream's embed code), never camera, microphone, geolocation, payment or the
like. Other features are dropped from the list (``docloc check`` reports it)."""


def _frame_tag(tag: str) -> str:
    tag = _IFRAME_SRC.sub("", tag)

    def allow(match: re.Match[str]) -> str:
        features = [f for f in match.group(1).split(";") if f.strip()]
        kept = [f for f in features if f.split()[0].lower() in FRAME_FEATURES]
        if kept == features:
            return match.group()
        return f' allow="{";".join(kept).strip()}"' if kept else ""

    return _IFRAME_ALLOW.sub(allow, tag)


def clean_page(text: str, *, trusted: bool = False) -> str:
    """A page body's HTML through the page allowlist: no script, ``on*``, or unsafe URL.

    Called by the MkDocs hook on every page body; ``trusted`` is the wire of a
    ``trust_content`` setting (off by default).
    """
    cleaner = page_cleaner(trusted)
    if cleaner is None:
        return text
    text = cleaner.clean(text)
    if "<iframe" in text:  # a frame only from https (never a same-origin page), few powers
        text = _IFRAME.sub(lambda m: _frame_tag(m.group()), text)
    return text


# -- what docloc check reports of a page's own markup (issue 13) ----------------------

_WRAP = {"td": "<table><tr>", "th": "<table><tr>", "tr": "<table>", "thead": "<table>",
         "tbody": "<table>", "tfoot": "<table>", "caption": "<table>", "colgroup": "<table>",
         "col": "<table><colgroup>"}
"""Context a table part needs to survive parsing on its own (html5ever drops a bare td)."""
_KEPT_BY_MARKDOWN = frozenset({"markdown"})
"""Attributes Python-Markdown consumes (md_in_html) before the allowlist sees the page."""
_PAGE_TAG = re.compile(r"<([A-Za-z][\w-]*)(?=[\s/>])((?:[^<>\"']|\"[^\"\n]*\"|'[^'\n]*')*)/?>")
_PAGE_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_MD_DESTINATION = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)"
                             r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?=\s|$)", re.M)
_ATTR_SHORTHAND = re.compile(r"(?<![\w-])[.#][\w-]+")
_PAGE_ATTR_LIST = re.compile(r"\{:?([ \t]*(?:[.#][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+))"
                        r"(?:[ \t]+(?:[.#][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)))*"
                        r")[ \t]*\}")


def _value(raw: str | None) -> str:
    if raw is None:
        return ""
    return html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)


@lru_cache(maxsize=4096)
def _tag_findings(name: str, attributes: str) -> tuple[str, ...]:
    """What ``clean_page`` strips of one start tag, found by cleaning the tag alone."""
    name = name.lower()
    given = [(m.group(1).lower(), _value(m.group(2)))
             for m in _PAGE_ATTRIBUTE.finditer(attributes)]
    kept = _kept(name, given)
    if kept is None:
        return (f"<{name}> is not allowed: it is removed"
                + (" with its content" if name in CLEAN_CONTENT else ""),)
    found = []
    for attribute, value in given:
        if attribute in _KEPT_BY_MARKDOWN:
            continue
        if attribute not in kept:
            found.append(f"attribute {attribute} on <{name}> is not allowed: it is removed")
        elif attribute == "style":
            left = {p.split(":", 1)[0].strip().lower() for p in kept[attribute].split(";")}
            found += [f"style property {prop} on <{name}> is not allowed: it is removed"
                      for prop in dict.fromkeys(
                          p.split(":", 1)[0].strip().lower() for p in value.split(";"))
                      if prop and prop not in left]
        elif kept[attribute] != value:
            shown = value if len(value) <= 60 else value[:57] + "..."
            found.append(f"{attribute}={shown!r} on <{name}> is not allowed: it is "
                         + ("changed" if kept[attribute] else "removed"))
    return tuple(found)


def _kept(name: str, given: list[tuple[str, str]]) -> dict[str, str] | None:
    """The attributes the page allowlist leaves on ``<name ...>``; None: the tag goes."""
    attrs = "".join(f' {a}="{html.escape(v)}"' for a, v in given)
    found: list[dict[str, str]] = []

    class Find(HTMLParser):
        def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
            if tag == name and not found:
                found.append({a: v or "" for a, v in attrs_})

    Find().feed(clean_page(f"{_WRAP.get(name, '')}<{name}{attrs}>x"))
    return found[0] if found else None


def page_markup_findings(text: str) -> list[tuple[int, str]]:
    """(offset, message) for each thing ``clean_page`` would strip from markdown ``text``.

    For ``docloc check`` on a vendor page's skeleton: start tags (each cleaned
    on its own through the page allowlist, so this and the build share one
    definition of what is allowed), markdown link, image and reference
    destinations, and ``{: }`` attribute lists. The caller masks code and
    comments (shown as text or dropped harmlessly).
    """
    found = []
    if "<" in text:
        for match in _PAGE_TAG.finditer(text):
            found += [(match.start(), message)
                      for message in _tag_findings(match.group(1), match.group(2))]
    if "](" in text or "]:" in text:
        for match in _MD_DESTINATION.finditer(text):
            group = 1 if match.group(1) is not None else 2
            url = match.group(group)
            if url and not safe_url(url) and not url.startswith("xref:"):  # DocFX resolves
                found.append((match.start(group), f"unsafe URL {url[:60]!r}: the link is removed"))
    if "{" in text:
        for match in _PAGE_ATTR_LIST.finditer(text):
            if "=" in match.group(1):
                # .class and #id are allowed everywhere: only key=value pairs can be stripped
                attributes = _ATTR_SHORTHAND.sub(" ", match.group(1))
                found += [(match.start(), f"attribute list {match.group()[:60]!r}: " + message)
                          for message in _tag_findings("span", attributes)]
    return sorted(found)


# -- what docloc check reports of a translation's markup -----------------------------

_MAY_CARRY = re.compile(r"[<>\[{|\n]")
"""What every finding of unsafe_markup needs: a tag, link, attribute list, pipe or break."""


def unsafe_markup(source: str, target: str) -> list[str]:
    """What rendering strips or neutralizes in ``target``, one message each.

    For ``docloc check``: a translation may carry only the tags, attributes and
    links its source carries, from the safe lists, and no extra table pipe.
    Code spans are left out (rendering shows them literally), and so is a tag
    outside the safe list that the source carries too, written the same way
    (the English fallback loses it alike).
    """
    if not _MAY_CARRY.search(target):  # most translations: plain text, nothing to find
        return []
    allowed = profile(source)
    text, english = _outside_code(target), _outside_code(source)
    found = _segment_tag_findings(text, english, allowed)
    found += _link_findings(text, allowed)
    found += _url_findings(text)
    found += _syntax_findings(text, english, source, allowed)
    return list(dict.fromkeys(found))


def _segment_tag_findings(text: str, english: str, allowed: Profile) -> list[str]:
    """Autolinks without links in the source, tags and attributes outside the safe lists."""
    found = []
    for match in _AUTOLINK.finditer(text):
        if not allowed.links:
            found.append(f"link {match.group(1)} is not in the source")
    carried = Counter(m.group() for m in _TARGET_TAG.finditer(english)
                      if m.group(2).lower() not in allowed.tags)
    for match in _TARGET_TAG.finditer(_AUTOLINK.sub("…", text)):
        name = match.group(2).lower()
        if name not in allowed.tags:
            if carried[match.group()]:
                carried[match.group()] -= 1
            else:
                found.append(f"<{name}> is not in the source or not allowed")
            continue
        if match.group(1):
            continue
        attributes = SAFE_ATTRIBUTES.get(name, frozenset()) | SAFE_ATTRIBUTES["*"]
        for attribute in _TARGET_ATTRIBUTE.findall(match.group(3)):
            if attribute.lower() not in attributes | ({"id", "name"} if name == "a" else set()):
                found.append(f"attribute {attribute} on <{name}> is not allowed")
    return found


def _link_findings(text: str, allowed: Profile) -> list[str]:
    """Links and images the source has none of, and link or image URLs that are unsafe."""
    found = []
    linked = set()
    for match in _TARGET_LINK.finditer(text):
        linked.add(match.start(2))
        image = match.group(1) == "!"
        if not (allowed.images if image else allowed.links):
            found.append(f"{'image' if image else 'link'} {match.group(2)} is not in the source")
        elif not safe_url(match.group(2)) or not safe_url(match.group(2).strip("<>")):
            found.append(f"unsafe URL {match.group(2)}")
    for match in _TARGET_DESTINATION.finditer(text):  # [a [b] c](url) as well
        url = match.group(1)
        if match.start(1) not in linked and not (safe_url(url) and safe_url(url.strip("<>"))):
            found.append(f"unsafe URL {url}")
    return found


def _url_findings(text: str) -> list[str]:
    """Unsafe URLs in ``href``, ``src``, ``action`` or ``formaction`` attributes."""
    found = []
    for match in _TARGET_URL.finditer(text):
        url = next(value for value in match.groups() if value is not None)
        if not safe_url(url):
            found.append(f"unsafe URL {url.strip()}")
    return found


def _syntax_findings(text: str, english: str, source: str, allowed: Profile) -> list[str]:
    """Extra table pipes, comment delimiters, attribute lists and block-starting line breaks
    that the source does not have."""
    found = []
    if len(PIPE.findall(text)) > allowed.pipes:
        found.append("a table pipe | the source does not have")
    for token in ("<!--", "-->"):
        if token in text and token not in english:
            found.append(f"HTML comment delimiter {token}")
    for match in _TARGET_ATTR_LIST.finditer(text):
        if match.group() not in english:
            found.append(f"attribute list {match.group()}")
    for match in _TARGET_BLOCK.finditer(text):
        if match.group(1) not in source:
            found.append(f"line break starting block markup {match.group(1).strip()!r}")
    return found


def _outside_code(text: str) -> str:
    """``text`` with each code span, as rendering pairs them, an ellipsis."""
    pieces, pos = [], 0
    for start, end, _ in code_spans(text):
        pieces += [text[pos:start], "…"]
        pos = end
    return "".join(pieces) + text[pos:] if pieces else text


_AUTOLINK = re.compile(r"<([Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"'`|]*)>")
_TARGET_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^<>]*)>")
_TARGET_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TARGET_LINK = re.compile(r"(!?)\[[^\[\]]*\]\(\s*([^\s)]*)")
_TARGET_DESTINATION = re.compile(r"\]\(\s*([^\s)]*)")
_TARGET_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_TARGET_BLOCK = re.compile(r"\n([ \t]*(?:#{1,6}(?=\s)|[-*+](?=\s)|\d+[.)](?=\s)|>|`{3,}|~{3,}"
                           r"|!!!|:::|\|))")
_TARGET_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*"""
                         r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
