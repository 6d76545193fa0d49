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
4. Pure: no I/O. nh3 is imported here, for a segment's allowlist, and in
   ``page_html`` only, for a whole page's; what ``docloc check`` reports of
   either (``unsafe_markup``, ``page_markup_findings``) is there too.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import lru_cache
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

CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "template",
                 "noscript", "textarea", "title", "xmp", "noembed", "noframes"}
"""Tags removed with their content, unless allowed (a segment's or a page's)."""


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
PIPE = re.compile(r"(?<!\\)\|")
"""An unescaped table pipe: ``Profile.pipes`` counts them."""
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
                   len(PIPE.findall(source)), br)


@lru_cache(maxsize=256)
def _cleaner(tags: frozenset[str], ids: frozenset[str]) -> nh3.Cleaner:
    attributes = {tag: set(SAFE_ATTRIBUTES.get(tag, ())) for tag in tags}
    attributes["*"] = set(SAFE_ATTRIBUTES["*"])
    values = {"a": {"id": set(ids), "name": set(ids)}} if ids and "a" in tags else None
    return nh3.Cleaner(tags=set(tags), clean_content_tags=CLEAN_CONTENT - tags,
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
    for start, end, code in code_spans(text):
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


def code_spans(text: str) -> list[tuple[int, int, str]]:
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
            not safe_url(dest.group(1)):
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


def safe_url(url: str) -> bool:
    """Relative, or a scheme from SAFE_URL_SCHEMES once entities and blanks are gone."""
    scheme = _SCHEME.match(_URL_JUNK.sub("", html.unescape(url)))
    return scheme is None or scheme.group(1).lower() in SAFE_URL_SCHEMES


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
        for start, end, code in code_spans(text):
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
    for start, end, _ in code_spans(text):
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
