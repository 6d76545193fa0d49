"""Containment: one segment's text, made safe inside its wrapper or made plain.

Design decisions:

1. A translation is untrusted. It may carry only the HTML tags its source
   carries, taken from SAFE_TAGS with SAFE_ATTRIBUTES (nh3 strips the rest),
   and links or images only when its source has them, to http(s), mailto or
   relative URLs. Emphasis and code are always allowed. ``profile(source)``
   says what a source carries; ``contain(text, profile(source))`` applies it.
2. A segment is contained in its wrapper, because markdown would otherwise
   pair its ``**`` or ``[`` with the skeleton's or another segment's: newlines
   become spaces (``<br>`` for a hard break the source has too), paired
   emphasis becomes ``<em>``/``<strong>`` and code spans ``<code>`` with every
   character literal; stray ``* _ [ ] { } ~ ^``, backticks, backslashes, a
   bare ``&`` and pipes beyond the source's count become character
   references. Every scan is linear: a 10 MB msgstr is slow only in proportion.
3. Where markup cannot go (titles, descriptions, alt text, ``data-source``), a
   segment is ``plain(text)``: the text a reader sees, on one line; the caller
   escapes it for the syntax it writes.
4. ``unsafe_markup(source, target)`` names for ``docloc check`` what 1 and 2
   strip or neutralize in a translation, so the translator hears of it.
5. A whole page body goes through one allowlist, ``clean_page`` (PAGE_TAGS,
   PAGE_ATTRIBUTES): vendor skeletons, front matter and includes are untrusted.
   ``page_markup_findings`` tells ``docloc check`` what it strips from a page's
   markdown by cleaning each tag alone through that same allowlist.
6. Pure: no I/O; the only nh3 import.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Mapping

import nh3

from .private_use import PLACEHOLDERS, STASH, STASH_END

SAFE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "br", "cite", "code", "del", "em", "i", "img", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var"})
"""Tags a translation may carry, and only those its own source carries."""
SAFE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}), "abbr": frozenset({"title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "*": frozenset({"lang", "dir"})}
"""Attributes kept per tag; ``id``/``name`` on ``a`` only with a value its source has."""
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Link and image schemes a translation may use besides relative URLs."""

_CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "template",
                  "noscript", "textarea", "title", "xmp", "noembed", "noframes"}


# -- one segment ----------------------------------------------------------------

@dataclass(frozen=True)
class Profile:
    """What markup a source carries, hence what its translation may carry."""

    tags: frozenset[str]
    anchors: tuple[tuple[str, str], ...]
    """(attribute, value) of the empty ``<a id|name>`` anchors of the source."""
    links: bool
    images: bool
    pipes: int
    br: bool


_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")
_SOURCE_ANCHOR = re.compile(r'<a\s[^<>]*?\b(id|name)\s*=\s*"([\w.:-]+)"[^<>]*>\s*</a>', re.I)
_HAS_LINK = re.compile(r"\]\(|<a\s[^<>]*href|<https?://", re.I)
_HAS_IMAGE = re.compile(r"!\[|<img\b", re.I)
_PIPE = re.compile(r"(?<!\\)\|")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")
_MARKUP_HINT = re.compile(r"[<\[!|]|  \n|\\\n")
_NO_MARKUP = Profile(frozenset(), (), False, False, 0, False)


@lru_cache(maxsize=8192)
def profile(source: str) -> Profile:
    """What ``source`` carries: the markup its translation may carry too."""
    if not _MARKUP_HINT.search(source):
        return _NO_MARKUP
    tags = {name.lower() for name in _TAG_NAME.findall(source)} & SAFE_TAGS
    br = "br" in tags or bool(_HARD_BREAK.search(source))
    if br:
        tags.add("br")
    return Profile(frozenset(tags), tuple(_SOURCE_ANCHOR.findall(source)),
                   bool(_HAS_LINK.search(source)), bool(_HAS_IMAGE.search(source)),
                   len(_PIPE.findall(source)), br)


@lru_cache(maxsize=256)
def _cleaner(tags: frozenset[str], ids: frozenset[str]) -> nh3.Cleaner:
    attributes = {tag: set(SAFE_ATTRIBUTES.get(tag, ())) for tag in tags}
    attributes["*"] = set(SAFE_ATTRIBUTES["*"])
    values = {"a": {"id": set(ids), "name": set(ids)}} if ids and "a" in tags else None
    return nh3.Cleaner(tags=set(tags), clean_content_tags=_CLEAN_CONTENT - tags,
                       attributes=attributes, tag_attribute_values=values, link_rel=None,
                       url_schemes=set(SAFE_URL_SCHEMES), strip_comments=True)


_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{PLACEHOLDERS}\ufeff]")
_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_FOLD = re.compile(r"[ \t]*\n[ \t]*")
_ODD = re.compile(f"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029{PLACEHOLDERS}\ufeff]")


def fold(text: str, br: bool) -> str:
    """One line: control characters gone, hard breaks ``<br>`` if allowed, else spaces."""
    if not _ODD.search(text):
        return text
    text = _CONTROLS.sub("", _BREAKS.sub("\n", text))
    if "\n" in text:
        text = _HARD_BREAK.sub("<br>" if br else " ", text)
        text = _FOLD.sub(" ", text)
    return text


_SIMPLE = re.compile(rf"""(?:
      [^<`{{}}\\|~^\[\]*_!{PLACEHOLDERS}]++
    | !(?!\[)
    | \[[^\[\]<`{{}}\\|~^*_!{PLACEHOLDERS}]++\]
      \((?:https?://[\w.~:/?#@!$&'*+,;=%-]+|[\w.~/#%-]*)\)
    )*+""", re.X)


def contain(text: str, allowed: Profile) -> str:
    """``text`` made safe and kept inside its wrapper (see the module docstring)."""
    text = fold(text, allowed.br)
    if "&" in text:  # markdown mistakes a bare "&#" before a tag for the start of one
        text = _BARE_AMPERSAND.sub("&amp;", text)
    if not (_SIMPLE.fullmatch(text) and (allowed.links or "[" not in text)):
        text = _sanitize(text, allowed)
    for attribute, value in allowed.anchors:
        if f'{attribute}="{value}"' not in text:
            text = f'<a {attribute}="{value}"></a>' + text
    return text


_BARE_AMPERSAND = re.compile(
    r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]|~^=$:"})
_IN_VALUE = str.maketrans({c: f"&#{ord(c)};" for c in "<>\\`*_{}[]|~^"})
_PROTECT = re.compile(r"(\\[!-/:-@\[-`{-~])|<([Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"'`|]*)>")
_TICKS = re.compile("`+")
_STASH = re.compile(f"{STASH}(\\d+){STASH_END}")
_TAG = re.compile(r'<(?:[^<>"]|"[^"]*")*>')
_BARE = re.compile(rf'<(?:[^<>"]|"[^"]*")*>|{STASH}\d+{STASH_END}|\\[!-/:-@\[-`{{-~]')
_NEXT = re.compile(f"[\\\\<{STASH}\\[\\]!{{}}|`~^*_]")
_EMPHASIS_HTML = {1: ("<em>", "</em>"), 2: ("<strong>", "</strong>"),
                  3: ("<strong><em>", "</em></strong>")}
_ENTITY = {c: f"&#{ord(c)};" for c in "[]{}|`~^*_\\"}
_DEST = re.compile(r"[ \t]*((?:[^\s()<>\\]|\\.|\((?:[^\s()<>\\]|\\.)*\))*)"
                   r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'))?[ \t]*\)")


def _sanitize(text: str, allowed: Profile) -> str:
    stash: list[str] = []

    def keep(markup: str) -> str:
        stash.append(markup)
        return f"{STASH}{len(stash) - 1}{STASH_END}"

    def protect(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        url = match.group(2)
        if allowed.links:
            return keep(f"[{url.translate(_LITERAL)}]({url})")
        return keep("&lt;" + url.translate(_LITERAL) + "&gt;")

    pieces, pos = [], 0
    for start, end, code in _code_spans(text):
        pieces.append(_PROTECT.sub(protect, text[pos:start]))
        pieces.append(keep("<code>" + code.strip().translate(_LITERAL) + "</code>"))
        pos = end
    text = "".join(pieces) + _PROTECT.sub(protect, text[pos:])
    if "<" in text:
        text = _cleaner(allowed.tags, frozenset(v for _, v in allowed.anchors)).clean(text)
        if STASH in text:
            text = _TAG.sub(lambda m: _STASH.sub("", m.group()), text)
    pipes = _BARE.sub(" ", text).count("|") if "|" in text else 0
    text = _scan(text, allowed, escape_pipes=pipes != allowed.pipes, in_link=False)
    return _STASH.sub(lambda m: stash[int(m.group(1))], text) if stash else text


def _code_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each code span, as markdown pairs backtick runs.

    Linear: each run of N backticks closes at the next run of N; a run
    after an odd number of backslashes opens nothing.
    """
    if "`" not in text:
        return []
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    later: dict[int, deque[int]] = defaultdict(deque)
    for index, (start, end) in enumerate(runs):
        later[end - start].append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        waiting = later[end - start]
        while waiting and waiting[0] <= index:
            waiting.popleft()
        before = start
        while before and text[before - 1] == "\\":
            before -= 1
        if waiting and not (start - before) % 2:
            close = waiting.popleft()
            spans.append((start, runs[close][1], text[end:runs[close][0]]))
            index = close + 1
        else:
            index += 1
    return spans


def _scan(text: str, allowed: Profile, *, escape_pipes: bool, in_link: bool) -> str:
    """Sanitized text with only allowed, paired markdown left, emphasis as HTML.

    Emphasis becomes ``<em>``/``<strong>`` here because markdown would pair a
    ``**`` of the translation with one of the skeleton or of another segment.
    """
    out: list[str] = []
    openers: list[tuple[int, str] | None] = []  # None: an open tag, a frame
    closing = _brackets(text) if "[" in text else {}
    pos = 0
    while True:
        match = _NEXT.search(text, pos)
        if match is None:
            out.append(text[pos:])
            return "".join(out)
        at = match.start()
        out.append(text[pos:at])
        char = text[at]
        pos = at + 1
        if char in "*_":
            pos = _emphasis_run(text, at, out, openers)
        elif char == "\\":
            if text[pos:pos + 1] in _PUNCT and pos < len(text):
                out.append(text[at:pos + 1])
                pos += 1
            else:
                out.append("&#92;")
        elif char == "<":
            pos = _markup_tag(text, at, out, openers)
        elif char == STASH:
            end = text.index(STASH_END, at) + 1
            out.append(text[at:end])
            pos = end
        elif char == "[" or (char == "!" and text.startswith("[", pos)):
            link = None if (in_link and char == "[") else \
                _link(text, at, closing, allowed, escape_pipes)
            if link is None:
                out.append("!" if char == "!" else "&#91;")
            else:
                out.append(link[0])
                pos = link[1]
        elif char == "!":
            out.append("!")
        elif char == "|":
            out.append("&#124;" if escape_pipes else "|")
        else:
            out.append(_ENTITY[char])


def _emphasis_run(text: str, at: int, out: list[str],
                  openers: list[tuple[int, str] | None]) -> int:
    """Write the run of ``*`` or ``_`` at ``at``, pairing or opening emphasis; its end."""
    char, pos = text[at], at + 1
    while text.startswith(char, pos):
        pos += 1
    run = text[at:pos]
    out.append(_ENTITY[char] * len(run))
    before, after = text[at - 1:at] or " ", text[pos:pos + 1] or " "
    flank = char == "_"  # an underscore between letters is no emphasis
    if len(run) > 3:
        return pos
    if not before.isspace() and not (flank and after.isalnum()) and \
            _close_emphasis(out, openers, run):
        return pos
    if not after.isspace() and not (flank and before.isalnum()):
        openers.append((len(out) - 1, run))
    return pos


def _markup_tag(text: str, at: int, out: list[str],
                openers: list[tuple[int, str] | None]) -> int:
    """Write the tag at ``at`` (a closing one ends its frame, an opening one starts one),
    or ``&lt;`` when ``<`` starts none; where the scan goes on."""
    tag = _TAG.match(text, at)
    if tag is None:
        out.append("&lt;")
        return at + 1
    out.append(re.sub(r'"[^"]*"', lambda m: m.group().translate(_IN_VALUE), tag.group()))
    if tag.group().startswith("</"):
        while openers and openers.pop() is not None:
            pass
    elif (name := _TAG_NAME.match(tag.group())) and not tag.group().endswith("/>") \
            and name.group(1).lower() not in ("br", "img"):
        openers.append(None)
    return tag.end()


def _close_emphasis(out: list[str], openers: list[tuple[int, str] | None], run: str) -> bool:
    """Pair the run just written with a near same opener in this frame."""
    for depth in range(len(openers) - 1, max(len(openers) - 16, 0) - 1, -1):
        opener = openers[depth]
        if opener is None:
            return False
        if opener[1] == run:
            out[opener[0]], out[-1] = _EMPHASIS_HTML[len(run)]
            del openers[depth:]
            return True
    return False


def _link(text: str, at: int, closing: Mapping[int, int], allowed: Profile,
          escape_pipes: bool) -> tuple[str, int] | None:
    image = text[at] == "!"
    start = at + (2 if image else 1)
    close = closing.get(start - 1)
    if close is None or not text.startswith("(", close + 1):
        return None
    dest = _DEST.match(text, close + 2)
    if dest is None or not (allowed.images if image else allowed.links) or \
            not _safe_url(dest.group(1)):
        return None
    inner = _scan(text[start:close], allowed, escape_pipes=escape_pipes, in_link=True)
    url = dest.group(1).replace("|", "%7C").replace("`", "%60")
    return ("![" if image else "[") + inner + "](" + url + ")", dest.end()


def _brackets(text: str) -> dict[int, int]:
    """Offset of each ``[`` -> offset of its ``]``, skipping escapes and tags."""
    found: dict[int, int] = {}
    stack: list[int] = []
    pos = 0
    while True:
        match = _BRACKET.search(text, pos)
        if match is None:
            return found
        pos = match.end()
        if match.group() == "[":
            stack.append(match.start())
        elif match.group() == "]" and stack:
            found[stack.pop()] = match.start()


_BRACKET = re.compile(r'\\.|<(?:[^<>"]|"[^"]*")*>|[\[\]]')


_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([^/?#]*?):")


def _safe_url(url: str) -> bool:
    """Relative, or a scheme from SAFE_URL_SCHEMES once entities and blanks are gone."""
    scheme = _SCHEME.match(_URL_JUNK.sub("", html.unescape(url)))
    return scheme is None or scheme.group(1).lower() in SAFE_URL_SCHEMES


# -- what docloc check reports ------------------------------------------------------

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
        elif not _safe_url(match.group(2)) or not _safe_url(match.group(2).strip("<>")):
            found.append(f"unsafe URL {match.group(2)}")
    for match in _TARGET_DESTINATION.finditer(text):  # [a [b] c](url) as well
        url = match.group(1)
        if match.start(1) not in linked and not (_safe_url(url) and _safe_url(url.strip("<>"))):
            found.append(f"unsafe URL {url}")
    return found


def _url_findings(text: str) -> list[str]:
    """Unsafe URLs in ``href``, ``src``, ``action`` or ``formaction`` attributes."""
    found = []
    for match in _TARGET_URL.finditer(text):
        url = next(value for value in match.groups() if value is not None)
        if not _safe_url(url):
            found.append(f"unsafe URL {url.strip()}")
    return found


def _syntax_findings(text: str, english: str, source: str, allowed: Profile) -> list[str]:
    """Extra table pipes, comment delimiters, attribute lists and block-starting line breaks
    that the source does not have."""
    found = []
    if len(_PIPE.findall(text)) > allowed.pipes:
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
    for start, end, _ in _code_spans(text):
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


# -- plain text ---------------------------------------------------------------------

_PLAIN_TOKEN = re.compile(
    r"\\([!-/:-@\[-`{-~])|<(https?://[^\s<>]*)>|<[^<>]*>|<!--.*?-->"
    # The target of a link the vendor's segmentation cut in two ("text.](image.png)").
    r"|\]\([^()]*(?:\([^()]*\)[^()]*)*\)"
    r"|\*+|(?<!\w)_+|_+(?!\w)|`+", re.S)
_LINK = re.compile(r"(!?\[)(?:[^\[\]]|\[[^\[\]]*\])*(\]\([^()]*(?:\([^()]*\)[^()]*)*\))")
"""A link or image: its brackets and target go, its text stays (other brackets are text)."""
_MARKUP = re.compile(r"[`\\<\[\]*_&]")
_ATTR = re.compile(r"[&<>\"'\\`*_{}\[\]|~^$=]")


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """Markdown and HTML to the text a reader sees, on one line."""
    if _MARKUP.search(text):
        while "[" in text:  # a link around an image: one level a pass
            unlinked = _unlink(text)
            if unlinked == text:
                break
            text = unlinked
        pieces, pos = [], 0
        for start, end, code in _code_spans(text):
            pieces += [_PLAIN_TOKEN.sub(_plain_token, text[pos:start]), code.strip()]
            pos = end
        text = "".join(pieces) + _PLAIN_TOKEN.sub(_plain_token, text[pos:])
        if "&" in text:
            text = html.unescape(text)
    return " ".join(_CONTROLS.sub("", text).split())


def _unlink(text: str) -> str:
    """``text`` without the syntax of its links and images (``[``, ``](target)``), found
    outside code spans and escapes: "Qubit[]" and "`x[0]`" keep every bracket."""
    masked = list(text)
    for start, end, _ in _code_spans(text):
        masked[start:end] = "x" * (end - start)
    masked_text = re.sub(r"\\.", "xx", "".join(masked))
    drop = []
    for match in _LINK.finditer(masked_text):
        drop += [match.span(1), match.span(2)]
    if not drop:
        return text
    out, pos = [], 0
    for start, end in drop:
        out.append(text[pos:start])
        pos = end
    return "".join(out) + text[pos:]


def _plain_token(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2) or ""


@lru_cache(maxsize=8192)
def source_attr(source: str) -> str:
    """The English for ``data-source``: plain text, every markdown character a reference."""
    return _ATTR.sub(lambda m: f"&#{ord(m.group())};", plain(source))



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
        tags=set(PAGE_TAGS), clean_content_tags=_CLEAN_CONTENT - PAGE_TAGS,
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
                + (" with its content" if name in _CLEAN_CONTENT else ""),)
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
            if url and not _safe_url(url) and not url.startswith("xref:"):  # DocFX resolves
                found.append((match.start(group), f"unsafe URL {url[:60]!r}: the link is removed"))
    if "{" in text:
        for match in _PAGE_ATTR_LIST.finditer(text):
            if "=" in match.group(1):
                # .class and #id are allowed everywhere: only key=value pairs can be stripped
                attributes = _ATTR_SHORTHAND.sub(" ", match.group(1))
                found += [(match.start(), f"attribute list {match.group()[:60]!r}: " + message)
                          for message in _tag_findings("span", attributes)]
    return sorted(found)
