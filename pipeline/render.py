"""Rendering: one bilingual page and a catalog's translations -> one language's markdown.

Design decisions:

1. The skeleton is transformed with a placeholder where each segment stands
   (DocFX alerts, images and includes, notices), and the placeholders are
   filled last, each with its segment rendered for its context: front matter,
   image alt text or body. Nothing a translation says can pass for skeleton
   syntax, and the work is a few regular expressions per page.
2. Target language: a translated segment is ``<span class="docloc-seg"
   data-source="English">``; an untranslated one shows its English source in
   ``<span lang="en" class="docloc-fallback">``. Source language: the English
   sources, unwrapped. Markdown inside the spans still renders.
3. A translation is untrusted. It may carry only the HTML tags its source
   carries, taken from SAFE_TAGS with SAFE_ATTRIBUTES (nh3 strips the rest),
   and links or images only when its source has them, to http(s), mailto or
   relative URLs. Emphasis and code are always allowed.
4. A segment is contained in its wrapper, because markdown would otherwise
   pair its ``**`` or ``[`` with the skeleton's or another segment's: newlines
   become spaces (``<br>`` for a hard break the source has too), paired
   emphasis becomes ``<em>``/``<strong>`` and code spans ``<code>`` with every
   character literal; stray ``* _ [ ] { } ~ ^``, backticks, backslashes, a
   bare ``&`` and pipes beyond the source's count become character
   references. Every scan is linear: a 10 MB msgstr is slow only in proportion.
5. Titles and descriptions are plain text without a suffix (`` | Site``); the
   English ones are recovered from the segments (a front matter segment's
   source, a segment whose target is the title, else the first heading).
6. Pure: no I/O and no markdown or mkdocs import; ``include`` is the way out.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping

import nh3

from .catalog import segment_keys
from .errors import DoclocError
from .model import Page, Segment, split_padding, yaml_unescape

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
ALERTS = {"NOTE": ("note", "Note"), "TIP": ("tip", "Tip"),
          "IMPORTANT": ("info important", "Important"),
          "WARNING": ("warning", "Warning"), "CAUTION": ("danger caution", "Caution")}
"""DocFX alert -> Material admonition type (and extra class), default title."""
NOTICES = {
    "missing": "This page is not available in this language yet; it is shown in English.",
    "partial": "Part of this page is not yet translated ({percent} % translated); "
               "untranslated passages are shown in English.",
    "mt": "This page was translated by a machine. Hover over or tap a passage "
          "to see the English original."}

_CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "template",
                  "noscript", "textarea", "title", "xmp", "noembed", "noframes"}


@dataclass(frozen=True)
class Rendered:
    """One page in one language, ready for MkDocs."""

    markdown: str
    """Front matter (title, description, docloc_* keys) and body."""
    title: str
    """Plain text, no site suffix; HTML-escape it wherever it goes into HTML."""
    description: str
    """Plain text, possibly empty."""
    translated: int
    """Segments showing a translation (source language: all of them)."""
    total: int
    """Segments with an English source."""
    machine_translated: bool
    """The locale's page says ``ms.translationtype: MT`` (target language only)."""
    from_source: bool
    """The page is missing in the locale and was built from the English."""
    anchors: tuple[str, ...]
    """Explicit anchors (``<a name>``, ``id=``, ``{#id}``), in page order."""
    links: tuple[str, ...]
    """Link and image targets as written, in page order, once each."""

    @property
    def percent(self) -> int:
        """Coverage in whole percent, rounded down so that 100 means complete."""
        return 100 if not self.total else 100 * self.translated // self.total


def render_page(page: Page, *, translations: Mapping[tuple[str | None, str], str] | None,
                source_locale: str = "en-US", page_exists_in_locale: bool = True,
                include: Callable[[str], str] | None = None,
                alert_titles: Mapping[str, str] | None = None) -> Rendered:
    """The markdown of ``page`` in one language.

    ``translations`` (``catalog.translations``: translated, non-fuzzy entries by
    key) gives the target language; None gives the source language. A page
    missing in the locale is rendered from its sources with a notice. ``include``
    receives the project-relative path of a ``[!INCLUDE]`` and returns its
    rendered markdown. ``alert_titles`` maps ``NOTE``... to localized titles.
    """
    lang = re.sub(r"[^a-z]", "", source_locale.split("-")[0].lower()) or "en"
    target = translations is not None or not page_exists_in_locale
    found = translations or {}
    segments = page.segments
    keys = segment_keys(page) if translations else [None] * len(segments)
    shown = [bool(s.source) and bool(found.get(k)) for s, k in zip(segments, keys)]
    total = sum(1 for s in segments if s.source)
    translated = sum(shown) if target else total
    machine = target and page_exists_in_locale and \
        page.meta.get("ms.translationtype", "").strip().upper() == "MT"

    def body_fill(index: int) -> str:
        segment = segments[index]
        lead, source, trail = _padded_source(segment)
        if lead:
            lead = _fold(lead, False)
        if trail:
            trail = _fold(trail, False)
        if not source:
            return lead + trail
        if not target:
            return lead + _fold(source, True) + trail
        profile = _profile(source)
        if shown[index]:
            return (f'{lead}<span class="docloc-seg" data-source="{_source_attr(source)}">'
                    f"{_contain(found[keys[index]], profile)}</span>{trail}")
        return (f'{lead}<span lang="{lang}" class="docloc-fallback">'
                f"{_contain(source, profile)}</span>{trail}")

    def text_fill(index: int, english: bool) -> str:
        segment = segments[index]
        if not english and shown[index]:
            return _plain(found[keys[index]])
        return _plain(segment.source)

    doc = _skeleton(page)
    front, body = _split_front(doc)
    fields = _front_fields(front)
    english = not (target and page_exists_in_locale)
    if english:
        title, description = _english_front(page, fields, body)
    else:
        title = _title_text(fields.get("title", ""), lambda i: text_fill(i, False))
        description = _plain(_PH.sub(lambda m: text_fill(int(m.group(2)), False),
                                     fields.get("description", "")))
    title = title or _title_text(_first_heading(body), lambda i: text_fill(i, english)) or \
        posixpath.splitext(posixpath.basename(page.path))[0].replace("-", " ")

    blocks: list[str] = []
    body = _docfx(body, page, include, alert_titles or {}, blocks)
    notices = []
    if target and not page_exists_in_locale:
        notices.append(("missing", NOTICES["missing"]))
    elif target and translated < total:
        notices.append(("partial", NOTICES["partial"].format(
            percent=100 * translated // total)))
    if machine:
        notices.append(("mt", NOTICES["mt"]))
    body = _insert_notices(body, notices, lang)

    def fill(match: re.Match) -> str:
        kind, index = match.group(1), int(match.group(2))
        if kind == _BODY:
            return body_fill(index)
        if kind == _ALT:
            return _alt_escape(text_fill(index, not target))
        return _indent_block(blocks[index], match)

    body = _PH.sub(fill, body).strip("\n") + "\n"
    meta = {"title": title, "description": description}
    if target:
        meta["docloc_coverage"] = 100 if not total else 100 * translated // total
        if machine:
            meta["docloc_machine_translated"] = True
        if not page_exists_in_locale:
            meta["docloc_from_source"] = True
    return Rendered(
        markdown=_front_matter(meta) + body, title=title, description=description,
        translated=translated, total=total, machine_translated=machine,
        from_source=target and not page_exists_in_locale,
        anchors=_found(body, _ANCHOR_TAG, _ANCHOR_ATTR_LIST),
        links=_found(body, _LINK_MD, _LINK_TAG))


def unsafe_markup(source: str, target: str) -> list[str]:
    """What rendering strips or neutralizes in ``target``, one message each.

    For ``docloc check``: a translation may carry only the tags, attributes and
    links its source carries, from the safe lists, and no extra table pipe.
    """
    profile = _profile(source)
    found = []
    for match in _TARGET_TAG.finditer(target):
        name = match.group(1).lower()
        if name not in profile.tags:
            found.append(f"<{name}> is not in the source or not allowed")
            continue
        allowed = SAFE_ATTRIBUTES.get(name, frozenset()) | SAFE_ATTRIBUTES["*"]
        for attribute in _TARGET_ATTRIBUTE.findall(match.group(2)):
            if attribute.lower() not in allowed | ({"id", "name"} if name == "a" else set()):
                found.append(f"attribute {attribute} on <{name}> is not allowed")
    for match in _TARGET_LINK.finditer(target):
        image = match.group(1) == "!"
        if not (profile.images if image else profile.links):
            found.append(f"{'image' if image else 'link'} {match.group(2)} is not in the source")
        elif not _safe_url(match.group(2)) or not _safe_url(match.group(2).strip("<>")):
            found.append(f"unsafe URL {match.group(2)}")
    for match in _TARGET_URL.finditer(target):
        if not _safe_url(match.group(1)):
            found.append(f"unsafe URL {match.group(1)}")
    if len(_PIPE.findall(target)) > profile.pipes:
        found.append("a table pipe | the source does not have")
    for token in ("<!--", "-->"):
        if token in target and token not in source:
            found.append(f"HTML comment delimiter {token}")
    for match in _TARGET_ATTR_LIST.finditer(target):
        if match.group() not in source:
            found.append(f"attribute list {match.group()}")
    for match in _TARGET_BLOCK.finditer(target):
        if match.group(1) not in source:
            found.append(f"line break starting block markup {match.group(1).strip()!r}")
    return found


_TARGET_TAG = re.compile(r"<([A-Za-z][\w-]*)([^<>]*)>")
_TARGET_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TARGET_LINK = re.compile(r"(!?)\[[^\[\]]*\]\(\s*([^\s)]*)")
_TARGET_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_TARGET_BLOCK = re.compile(r"\n([ \t]*(?:#{1,6}(?=\s)|[-*+](?=\s)|\d+[.)](?=\s)|>|`{3,}|~{3,}"
                           r"|!!!|:::|\|))")
_TARGET_URL = re.compile(r"""(?:href|src)\s*=\s*["']?([^"'\s>]*)""", re.I)


# -- the skeleton with placeholders -------------------------------------------

_BODY, _ALT, _BLOCK, _END = "\ue000", "\ue001", "\ue002", "\ue003"
_PH = re.compile("([\ue000-\ue002])(\\d+)\ue003")
_PRIVATE = re.compile("[\ue000-\ue005\ufeff]")


def _skeleton(page: Page) -> str:
    """The page with ``\\ue000N\\ue003`` for segment N, LF line ends, no BOM."""
    out = []
    index = 0
    for part in page.parts:
        if isinstance(part, Segment):
            out.append(f"{_BODY}{index}{_END}")
            index += 1
        else:
            out.append(_PRIVATE.sub(lambda m: "" if m.group() == "\ufeff" else "\ufffd", part)
                       if _PRIVATE.search(part) else part)
    text = "".join(out)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _padded_source(segment: Segment) -> tuple[str, str, str]:
    raw = segment.raw_source
    if not segment.escaped and raw and not (raw[0].isspace() or raw[-1].isspace()) \
            and "\r" not in raw:
        return "", raw, ""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return split_padding(yaml_unescape(raw) if segment.escaped else raw)


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)
_FRONT_FIELD = re.compile(r"^(title|description)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)


def _split_front(doc: str) -> tuple[str, str]:
    match = _FRONT.match(doc)
    return (match.group(1), doc[match.end():]) if match else ("", doc)


def _front_fields(front: str) -> dict[str, str]:
    """``title`` and ``description`` unquoted (placeholders kept)."""
    fields = {}
    for match in _FRONT_FIELD.finditer(front):
        value = match.group(2)
        if value[:1] in (">", "|"):
            block = re.match(r"(?:\n[ \t]+[^\n]*|\n[ \t]*(?=\n))*", front[match.end():])
            value = " ".join(block.group(0).split())
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            value = yaml_unescape(value[1:-1])
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        fields[match.group(1)] = value
    return fields


def _front_matter(meta: Mapping[str, object]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif value:
            lines.append(f"{key}: {_yaml_quote(_html_text(str(value)))}")
    return "\n".join(lines) + "\n---\n"


def _html_text(text: str) -> str:
    """Text safe where themes insert titles unescaped, in elements and attributes."""
    return html.escape(text, quote=False).replace('"', "&quot;")


_YAML_SPECIAL = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')


def _yaml_quote(text: str) -> str:
    """A double-quoted YAML scalar that any YAML 1.1/1.2 reader takes back unchanged."""
    def escape(match: re.Match) -> str:
        char = match.group()
        if char in '"\\':
            return "\\" + char
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return '"' + _YAML_SPECIAL.sub(escape, text) + '"'


# -- titles ---------------------------------------------------------------------

_SUFFIX = re.compile(r"\s+\|\s+[^|]*$")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _title_text(value: str, fill: Callable[[int], str]) -> str:
    text = _plain(_PH.sub(lambda m: fill(int(m.group(2))), value))
    return _SUFFIX.sub("", text) or text


def _first_heading(body: str) -> str:
    match = _HEADING.search(body)
    return match.group(1) if match else ""


def _english_front(page: Page, fields: Mapping[str, str], body: str) -> tuple[str, str]:
    """The English title and description, recovered from the segments."""
    segments = page.segments
    english = lambda i: _plain(segments[i].source)  # noqa: E731
    title, description = fields.get("title", ""), fields.get("description", "")
    wanted = []
    if segments and not _PH.search(title):
        wanted.append(_norm(_SUFFIX.sub("", title)))
    sentences = []
    if segments and not _PH.search(description):
        sentences = _SENTENCE_END.split(_norm(description))
    by_target = _sources_of(segments, wanted + sentences)
    if not wanted:
        title = _title_text(title, english)
    elif wanted[0] in by_target:
        title = _plain(by_target[wanted[0]])
    else:
        title = _title_text(_first_heading(body), english)
    if not sentences:
        description = _plain(_PH.sub(lambda m: english(int(m.group(2))), description))
    else:
        found = []
        for sentence in sentences:
            if sentence not in by_target:
                break
            found.append(_plain(by_target[sentence]))
        description = " ".join(found)
    return title, description


def _sources_of(segments: tuple[Segment, ...], wanted: list[str]) -> dict[str, str]:
    """The source of the first segment whose target is each wanted text."""
    starts = {text[:4] for text in wanted if text}
    found: dict[str, str] = {}
    for segment in segments:
        if segment.source and segment.target[:4].casefold() in starts:
            found.setdefault(_norm(segment.target), segment.source)
    return found


def _norm(text: str) -> str:
    """Text to compare a title with a segment (markup is rare in either)."""
    return " ".join(text.replace("&nbsp;", " ").split()).casefold()


# -- DocFX constructs ---------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.M)
_ALERT = re.compile(r"^([ \t]*)>[ \t]?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(.*)$",
                    re.I | re.M)
_IMAGE = re.compile(r":::image\s((?:[^:\n]|:(?!::))*):::")
_IMAGE_END = re.compile(r":::image-end:::")
_IMAGE_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
_INCLUDE = re.compile(r"\[!INCLUDE\s*\[([^\]\n]*)\]\(\s*<?([^)>\s]*)>?\s*\)\s*\]", re.I)


def _docfx(body: str, page: Page, include: Callable[[str], str] | None,
           titles: Mapping[str, str], blocks: list[str]) -> str:
    """Alerts, images and includes outside fenced code."""
    if "[!" not in body and ":::" not in body:
        return body
    out = []
    for is_code, chunk in _fenced_chunks(body):
        if not is_code:
            if ":::image" in chunk:
                chunk = _images(chunk)
            if "[!" in chunk:
                chunk = _INCLUDE.sub(lambda m: _include(m, page, include, blocks), chunk)
                chunk = _alerts(chunk, titles)
        out.append(chunk)
    return "".join(out)


def _fenced_chunks(text: str) -> list[tuple[bool, str]]:
    if "```" not in text and "~~~" not in text:
        return [(False, text)]
    chunks, pos = [], 0
    while True:
        opening = _FENCE.search(text, pos)
        if opening is None:
            chunks.append((False, text[pos:]))
            return chunks
        chunks.append((False, text[pos:opening.start()]))
        fence = opening.group(1)
        closing = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) +
                             r",}[ \t]*$", re.M).search(text, opening.end())
        end = closing.end() if closing else len(text)
        chunks.append((True, text[opening.start():end]))
        pos = end


def _alerts(text: str, titles: Mapping[str, str]) -> str:
    match = _ALERT.search(text)
    if match is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = _ALERT.match(lines[i])
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        indent, kind, rest = found.group(1), found.group(2).upper(), found.group(3)
        quoted = re.compile(re.escape(indent) + r">[ \t]?(.*)$")
        body = [rest] if rest.strip() else []
        i += 1
        while i < len(lines):
            line = quoted.match(lines[i])
            if line is not None:
                body.append(line.group(1))
            elif lines[i].strip() and body and body[-1].strip() and \
                    not lines[i].lstrip().startswith(">"):
                body.append(lines[i].strip())  # lazy continuation
            else:
                break
            i += 1
        css, default = ALERTS[kind]
        title = titles.get(kind, default).replace('"', "'").replace("\n", " ")
        if out and out[-1].strip():
            out.append("")
        out.append(f'{indent}!!! {css} "{title}"')
        inner = _alerts("\n".join(body), titles).split("\n")
        out.extend(f"{indent}    {line}" if line.strip() else "" for line in inner)
        if i < len(lines) and lines[i].strip():
            out.append("")
    return "\n".join(out)


def _images(text: str) -> str:
    def image(match: re.Match) -> str:
        attrs = dict(_IMAGE_ATTR.findall(match.group(1)))
        alt = attrs.get("alt-text", "").replace(_BODY, _ALT)
        alt = _ALT_RAW.sub(r"\\\g<0>", alt) if _BODY not in alt else alt
        source = attrs.get("source", "")
        if re.search(r"[\s()<>]", source):
            source = "<" + re.sub(r"[<>\s]", lambda m: f"%{ord(m.group()):02X}", source) + ">"
        markdown = f"![{alt}]({source})"
        if attrs.get("lightbox"):
            markdown = f"[{markdown}]({attrs['lightbox']})"
        return markdown
    text = _IMAGE.sub(image, text)
    return _IMAGE_END.sub("", text)


def _include(match: re.Match, page: Page, include: Callable[[str], str] | None,
             blocks: list[str]) -> str:
    raw = match.group(2).replace("\\", "/")
    uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), raw))
    if not raw or re.match(r"[A-Za-z][\w+.-]*:", raw) or raw.startswith("/") or \
            uri == ".." or uri.startswith(("../", "/")):
        text = page.bilingual()
        at = text.find(match.group(0))
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        raise DoclocError(f"include {match.group(2)!r} leads outside the project; "
                          "include files from inside the content folder", page.path, line)
    if include is None:
        return f"[{match.group(1) or uri}]({raw})"
    included = include(uri)
    front = _FRONT.match(included)
    blocks.append((included[front.end():] if front else included).strip("\n"))
    return f"{_BLOCK}{len(blocks) - 1}{_END}"


def _indent_block(block: str, match: re.Match) -> str:
    """An included block, its lines indented like the line it stands on."""
    start = match.string.rfind("\n", 0, match.start()) + 1
    prefix = match.string[start:match.start()]
    if prefix.strip(" \t>") or "\n" not in block:
        return block
    return re.sub(r"\n(?=[^\n])", lambda _: "\n" + prefix, block)


def _insert_notices(body: str, notices: list[tuple[str, str]], lang: str) -> str:
    """Admonitions after the first heading (or at the top), in the source language."""
    if not notices:
        return body
    text = "".join(f'!!! info docloc-notice docloc-{kind} ""\n    {message}\n'
                   f'    {{: lang="{lang}" }}\n\n' for kind, message in notices)
    heading = re.match(r"\s*#[ \t][^\n]*\n", body)
    if heading:
        return body[:heading.end()] + "\n" + text + body[heading.end():].lstrip("\n")
    return text + body.lstrip("\n")


# -- one segment ----------------------------------------------------------------

@dataclass(frozen=True)
class _Profile:
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
_NO_MARKUP = _Profile(frozenset(), (), False, False, 0, False)


@lru_cache(maxsize=8192)
def _profile(source: str) -> _Profile:
    if not _MARKUP_HINT.search(source):
        return _NO_MARKUP
    tags = {name.lower() for name in _TAG_NAME.findall(source)} & SAFE_TAGS
    br = "br" in tags or bool(_HARD_BREAK.search(source))
    if br:
        tags.add("br")
    return _Profile(frozenset(tags), tuple(_SOURCE_ANCHOR.findall(source)),
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


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\ue005\ufeff]")
_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_FOLD = re.compile(r"[ \t]*\n[ \t]*")
_ODD = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029\ue000-\ue005\ufeff]")


def _fold(text: str, br: bool) -> str:
    """One line: control characters gone, hard breaks ``<br>`` if allowed, else spaces."""
    if not _ODD.search(text):
        return text
    text = _CONTROLS.sub("", _BREAKS.sub("\n", text))
    if "\n" in text:
        text = _HARD_BREAK.sub("<br>" if br else " ", text)
        text = _FOLD.sub(" ", text)
    return text


_SIMPLE = re.compile(r"""(?:
      [^<`{}\\|~^\[\]*_!\ue000-\ue005]++
    | !(?!\[)
    | \[[^\[\]<`{}\\|~^*_!\ue000-\ue005]++\]
      \((?:https?://[\w.~:/?#@!$&'*+,;=%-]+|[\w.~/#%-]*)\)
    )*+""", re.X)


def _contain(text: str, profile: _Profile) -> str:
    """``text`` made safe and kept inside its wrapper (see the module docstring)."""
    text = _fold(text, profile.br)
    if "&" in text:  # markdown mistakes a bare "&#" before a tag for the start of one
        text = _BARE_AMPERSAND.sub("&amp;", text)
    if not (_SIMPLE.fullmatch(text) and (profile.links or "[" not in text)):
        text = _sanitize(text, profile)
    for attribute, value in profile.anchors:
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
_STASH = re.compile("\ue004(\\d+)\ue005")
_TAG = re.compile(r'<(?:[^<>"]|"[^"]*")*>')
_BARE = re.compile(r'<(?:[^<>"]|"[^"]*")*>|\ue004\d+\ue005|\\[!-/:-@\[-`{-~]')
_NEXT = re.compile("[\\\\<\ue004\\[\\]!{}|`~^*_]")
_EMPHASIS_HTML = {1: ("<em>", "</em>"), 2: ("<strong>", "</strong>"),
                  3: ("<strong><em>", "</em></strong>")}
_ENTITY = {c: f"&#{ord(c)};" for c in "[]{}|`~^*_\\"}
_DEST = re.compile(r"[ \t]*((?:[^\s()<>\\]|\\.|\((?:[^\s()<>\\]|\\.)*\))*)"
                   r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'))?[ \t]*\)")


def _sanitize(text: str, profile: _Profile) -> str:
    stash: list[str] = []

    def keep(markup: str) -> str:
        stash.append(markup)
        return f"\ue004{len(stash) - 1}\ue005"

    def protect(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        url = match.group(2)
        if profile.links:
            return keep(f"[{url.translate(_LITERAL)}]({url})")
        return keep("&lt;" + url.translate(_LITERAL) + "&gt;")

    pieces, pos = [], 0
    for start, end, code in _code_spans(text):
        pieces.append(_PROTECT.sub(protect, text[pos:start]))
        pieces.append(keep("<code>" + code.strip().translate(_LITERAL) + "</code>"))
        pos = end
    text = "".join(pieces) + _PROTECT.sub(protect, text[pos:])
    if "<" in text:
        text = _cleaner(profile.tags, frozenset(v for _, v in profile.anchors)).clean(text)
        if "\ue004" in text:
            text = _TAG.sub(lambda m: _STASH.sub("", m.group()), text)
    pipes = _BARE.sub(" ", text).count("|") if "|" in text else 0
    text = _scan(text, profile, escape_pipes=pipes != profile.pipes, in_link=False)
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


def _scan(text: str, profile: _Profile, *, escape_pipes: bool, in_link: bool) -> str:
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
            while text.startswith(char, pos):
                pos += 1
            run = text[at:pos]
            out.append(_ENTITY[char] * len(run))
            before, after = text[at - 1:at] or " ", text[pos:pos + 1] or " "
            flank = char == "_"  # an underscore between letters is no emphasis
            if len(run) > 3:
                continue
            if not before.isspace() and not (flank and after.isalnum()) and \
                    _close_emphasis(out, openers, run):
                continue
            if not after.isspace() and not (flank and before.isalnum()):
                openers.append((len(out) - 1, run))
        elif char == "\\":
            if text[pos:pos + 1] in _PUNCT and pos < len(text):
                out.append(text[at:pos + 1])
                pos += 1
            else:
                out.append("&#92;")
        elif char == "<":
            tag = _TAG.match(text, at)
            if tag is None:
                out.append("&lt;")
                continue
            out.append(re.sub(r'"[^"]*"', lambda m: m.group().translate(_IN_VALUE),
                              tag.group()))
            pos = tag.end()
            if tag.group().startswith("</"):
                while openers and openers.pop() is not None:
                    pass
            elif _TAG_NAME.match(tag.group()) and not tag.group().endswith("/>") and \
                    _TAG_NAME.match(tag.group()).group(1).lower() not in ("br", "img"):
                openers.append(None)
        elif char == "\ue004":
            end = text.index("\ue005", at) + 1
            out.append(text[at:end])
            pos = end
        elif char == "[" or (char == "!" and text.startswith("[", pos)):
            link = None if (in_link and char == "[") else \
                _link(text, at, closing, profile, escape_pipes)
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


def _close_emphasis(out: list[str], openers: list, run: str) -> bool:
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


def _link(text: str, at: int, closing: Mapping[int, int], profile: _Profile,
          escape_pipes: bool) -> tuple[str, int] | None:
    image = text[at] == "!"
    start = at + (2 if image else 1)
    close = closing.get(start - 1)
    if close is None or not text.startswith("(", close + 1):
        return None
    dest = _DEST.match(text, close + 2)
    if dest is None or not (profile.images if image else profile.links) or \
            not _safe_url(dest.group(1)):
        return None
    inner = _scan(text[start:close], profile, escape_pipes=escape_pipes, in_link=True)
    url = dest.group(1).replace("|", "%7C").replace("`", "%60")
    return ("![" if image else "[") + inner + "](" + url + ")", dest.end()


def _brackets(text: str) -> dict[int, int]:
    """Offset of each ``[`` -> offset of its ``]``, skipping escapes and tags."""
    found, stack, pos = {}, [], 0
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


# -- plain text ---------------------------------------------------------------------

_PLAIN_TOKEN = re.compile(
    r"\\([!-/:-@\[-`{-~])|<(https?://[^\s<>]*)>|<[^<>]*>|<!--.*?-->"
    r"|!?\[|\]\([^()]*(?:\([^()]*\)[^()]*)*\)|\*+|(?<!\w)_+|_+(?!\w)|`+", re.S)
_MARKUP = re.compile(r"[`\\<\[*_&]")
_ALT_RAW = re.compile(r"[\[\]\\`*_{}]")
_ATTR = re.compile(r"[&<>\"'\\`*_{}\[\]|~^$=]")


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    """Markdown and HTML to the text a reader sees, on one line."""
    if _MARKUP.search(text):
        pieces, pos = [], 0
        for start, end, code in _code_spans(text):
            pieces += [_PLAIN_TOKEN.sub(_plain_token, text[pos:start]), code.strip()]
            pos = end
        text = "".join(pieces) + _PLAIN_TOKEN.sub(_plain_token, text[pos:])
        if "&" in text:
            text = html.unescape(text)
    return " ".join(_CONTROLS.sub("", text).split())


def _plain_token(match: re.Match) -> str:
    return match.group(1) or match.group(2) or ""


@lru_cache(maxsize=8192)
def _source_attr(source: str) -> str:
    """The English for ``data-source``: plain text, every markdown character a reference."""
    return _ATTR.sub(lambda m: f"&#{ord(m.group())};", _plain(source))


def _alt_escape(text: str) -> str:
    """Plain text for ``![...]``: brackets escaped, no ``<`` or ``>`` for the HTML parser."""
    return _ALT_RAW.sub(r"\\\g<0>", text).replace("<", "‹").replace(">", "›")


# -- what the page offers ----------------------------------------------------------

_ANCHOR_TAG = re.compile(r'<a\s[^<>]*?\b(?:id|name)\s*=\s*"([^"]+)"')
_ANCHOR_ATTR_LIST = re.compile(r"\{:?[ \t]*#([\w-]+)")
_LINK_MD = re.compile(r"\]\(\s*<?([^\s)>]+)")
_LINK_TAG = re.compile(r'<(?:a|img)\s[^<>]*?\b(?:href|src)\s*=\s*"([^"]+)"')


def _found(text: str, *patterns: re.Pattern) -> tuple[str, ...]:
    """The first groups of the patterns' matches, in text order, once each."""
    matches = [m for pattern in patterns for m in pattern.finditer(text)]
    matches.sort(key=lambda m: m.start())
    return tuple(dict.fromkeys(m.group(1) for m in matches if m.group(1)))
