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
3. Each segment is contained (``pipeline.contain``): a translation is
   untrusted, keeps only the markup its source has, and stays inside its
   wrapper; in front matter and alt text it is plain text.
4. Titles and descriptions are plain text without a suffix (`` | Site``); the
   English ones are recovered from the segments (a front matter segment's
   source, a segment whose target is the title, else the first heading).
5. Pure: no I/O and no markdown or mkdocs import; ``include`` is the way out.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from . import docfx
from . import marks as mk
from . import private_use as pu
from .blocks import front_matter
from .catalog import segment_keys
from .contain import contain, fold, plain, profile, source_attr
from .l10n import ALERT_TITLES, DOCFX_LABELS, LOCALIZED_NOTICES, NOTICES
from .model import Page, Segment, split_padding, yaml_unescape

ALERTS = docfx.ALERTS

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
                alert_titles: Mapping[str, str] | None = None, marks: bool = False,
                notices_in: str | None = None, read: Callable[[str], str] | None = None,
                docset: str = "", xrefmap: Mapping[str, tuple[str, str]] | None = None,
                notices: bool = True) -> Rendered:
    """The markdown of ``page`` in one language.

    ``translations`` (``catalog.translations``: translated, non-fuzzy entries by
    key) gives the target language; None gives the source language. A page
    missing in the locale is rendered from its sources with a notice. ``include``
    receives the project-relative path of a ``[!INCLUDE]`` and returns its
    rendered markdown; ``read`` the text of a code snippet's file (same uri).
    ``docset``: the uri of the folder holding the page's ``docfx.json`` (``~/``).
    ``xrefmap``: uid -> (href, name). ``alert_titles`` maps ``NOTE``... to
    localized titles (default: ``l10n.ALERT_TITLES`` of ``notices_in``, so a page
    shown from the English in a locale still has its alerts in the locale's words).
    ``notices``: False for a page rendered to be included in another (no notices).
    ``marks``: wrap target-language segments in ``pipeline.marks`` characters
    rather than spans (the site's hook makes them spans in the HTML).
    ``notices_in``: the page's language code (``fr``); its notices are in that
    language when ``LOCALIZED_NOTICES`` has it, else in English.
    """
    lang = re.sub(r"[^a-z]", "", source_locale.split("-")[0].lower()) or "en"
    target = translations is not None or not page_exists_in_locale
    found = translations or {}
    segments = page.segments
    keys: Sequence[tuple[str | None, str] | None] = (
        segment_keys(page) if translations else [None] * len(segments))
    # Each segment's translation, "" where there is none to show.
    targets = [found.get(k, "") if s.source and k is not None else ""
               for s, k in zip(segments, keys)]
    total = sum(1 for s in segments if s.source)
    translated = sum(bool(t) for t in targets) if target else total
    machine = target and page_exists_in_locale and \
        page.meta.get("ms.translationtype", "").strip().upper() == "MT"

    words = {**DOCFX_LABELS.get(notices_in or "", {}),
             **(alert_titles or ALERT_TITLES.get(notices_in or "", {}))}
    ctx = docfx.Context(page.path, page.bilingual, include, read, words, docset, xrefmap)
    fills = _Fills(segments, targets, target=target, ctx=ctx, lang=lang, marks=marks)

    doc = _skeleton(page)
    head = front_matter(doc)
    body = doc[head.after:] if head else doc
    fields = {key.name: key.text for key in head.keys if key.name in _SHOWN} if head else {}
    english = not (target and page_exists_in_locale)
    if english:
        title, description = _english_front(page, fields, body)
    else:
        title = _title_text(fields.get("title", ""), lambda i: fills.text(i, False))
        description = plain(_PH.sub(lambda m: fills.text(int(m.group(2)), False),
                                    fields.get("description", "")))
    title = title or _title_text(_first_heading(body), lambda i: fills.text(i, english)) or \
        posixpath.splitext(posixpath.basename(page.path))[0].replace("-", " ")

    body = docfx.transform(body, ctx)
    if notices:
        body = _insert_notices(body, *_notices(
            target=target, page_exists_in_locale=page_exists_in_locale,
            translated=translated, total=total, machine=machine,
            notices_in=notices_in, lang=lang))
    body = _PH.sub(fills.fill, body).strip("\n") + "\n"
    marked = body + mk.comment(lang, fills.sources) if fills.sources else body
    meta: dict[str, str | int | bool] = {"title": title, "description": description}
    if target:
        meta["docloc_coverage"] = 100 if not total else 100 * translated // total
        if machine:
            meta["docloc_machine_translated"] = True
        if not page_exists_in_locale:
            meta["docloc_from_source"] = True
    return Rendered(
        markdown=_front_matter(meta) + marked, title=title, description=description,
        translated=translated, total=total, machine_translated=machine,
        from_source=target and not page_exists_in_locale,
        anchors=_found(body, _ANCHOR_TAG, _ANCHOR_ATTR_LIST),
        links=_found(body, _LINK_MD, _LINK_TAG))


@dataclass
class _Fills:
    """What fills each placeholder of a page's skeleton, in one language (decisions 1-3)."""

    segments: Sequence[Segment]
    targets: list[str]
    """Each segment's translation, "" where there is none to show."""
    target: bool
    """The target language (else the source language: the English, unwrapped)."""
    ctx: docfx.Context
    lang: str
    marks: bool
    sources: list[str | None] = field(default_factory=list)
    """With marks: each marked segment's data-source, in the order filled."""

    def fill(self, match: re.Match[str]) -> str:
        """A placeholder's text: a segment in the body or in alt text, or a block."""
        kind, index = match.group(1), int(match.group(2))
        if kind == pu.BODY:
            return self.body(index)
        if kind == pu.ALT:
            return _alt_escape(self.text(index, not self.target))
        return _indent_block(self.ctx.blocks[index], match)

    def body(self, index: int) -> str:
        """A segment in the body: contained, in its wrapper (decision 2)."""
        ctx = self.ctx
        lead, source, trail = _padded_source(self.segments[index])
        if lead:
            lead = fold(lead, False)
        if trail:
            trail = fold(trail, False)
        if not source:
            return lead + trail
        if not self.target:
            return lead + docfx.restore(fold(docfx.protect(source, source, ctx), True), ctx) + trail
        allowed = profile(source)
        shown = bool(self.targets[index])
        text = self.targets[index] if shown else source
        if _PRIVATE.search(text):
            text = _PRIVATE.sub("\ufffd", text)
        text = docfx.restore(contain(docfx.protect(text, source, ctx), allowed), ctx)
        wrapper = source_attr(docfx.plain_text(source, ctx, plain)) if shown else None
        if self.marks and len(self.sources) < mk.LIMIT:
            self.sources.append(wrapper)
            return f"{lead}{mk.opening(len(self.sources) - 1)}{mk.strip(text)}{mk.CLOSE}{trail}"
        return f"{lead}{mk.span(wrapper, self.lang)}{text}</span>{trail}"

    def text(self, index: int, english: bool) -> str:
        """A segment as plain text: its translation unless ``english`` or it has none."""
        if not english and self.targets[index]:
            return plain(self.targets[index])
        return plain(self.segments[index].source)


def _notices(*, target: bool, page_exists_in_locale: bool, translated: int, total: int,
             machine: bool, notices_in: str | None, lang: str) -> tuple[list[tuple[str, str]], str]:
    """The notices a page shows (kind, text), and their language."""
    texts, notice_lang = NOTICES, lang
    if notices_in in LOCALIZED_NOTICES:
        texts, notice_lang = LOCALIZED_NOTICES[notices_in], notices_in
    shown: list[tuple[str, str]] = []
    if target and not page_exists_in_locale:
        shown.append(("missing", texts["missing"]))
    elif target and translated < total:
        shown.append(("partial", texts["partial"].format(percent=100 * translated // total)))
    if machine:
        shown.append(("mt", texts["mt"]))
    return shown, notice_lang


# -- the skeleton with placeholders -------------------------------------------

_PH = re.compile(f"([{pu.BODY}{pu.ALT}{pu.BLOCK}])(\\d+){pu.END}")
_PRIVATE = re.compile(f"[{pu.RESERVED}\ufeff]")
"""Placeholders and segment marks (``pipeline.private_use``), and a BOM: never taken
from the page."""


def _skeleton(page: Page) -> str:
    """The page with ``BODY N END`` for segment N, LF line ends, no BOM."""
    out = []
    index = 0
    for part in page.parts:
        if isinstance(part, Segment):
            out.append(f"{pu.BODY}{index}{pu.END}")
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


_SHOWN = ("title", "description")
"""The front matter keys a page shows (read as YAML reads them, placeholders kept)."""


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
    def escape(match: re.Match[str]) -> str:
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
    text = plain(_PH.sub(lambda m: fill(int(m.group(2))), value))
    return _SUFFIX.sub("", text) or text


def _first_heading(body: str) -> str:
    match = _HEADING.search(body)
    return match.group(1) if match else ""


def _english_front(page: Page, fields: Mapping[str, str], body: str) -> tuple[str, str]:
    """The English title and description, recovered from the segments."""
    segments = page.segments

    def english(i: int) -> str:
        return plain(segments[i].source)

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
        title = plain(by_target[wanted[0]])
    else:
        title = _title_text(_first_heading(body), english)
    if not sentences:
        description = plain(_PH.sub(lambda m: english(int(m.group(2))), description))
    else:
        found = []
        for sentence in sentences:
            if sentence not in by_target:
                break
            found.append(plain(by_target[sentence]))
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


# -- DocFX constructs (``pipeline.docfx``) ------------------------------------------

_ALT_RAW = re.compile(r"[\[\]\\`*_{}]")


def _alt_escape(text: str) -> str:
    """Plain text for ``![...]``: brackets escaped, no ``<`` or ``>`` for the HTML parser."""
    return _ALT_RAW.sub(r"\\\g<0>", text).replace("<", "‹").replace(">", "›")


def _indent_block(block: str, match: re.Match[str]) -> str:
    """An included block, its lines indented like the line it stands on."""
    start = match.string.rfind("\n", 0, match.start()) + 1
    prefix = match.string[start:match.start()]
    if prefix.strip(" \t>") or "\n" not in block:
        return block
    return re.sub(r"\n(?=[^\n])", lambda _: "\n" + prefix, block)


def _insert_notices(body: str, notices: list[tuple[str, str]], lang: str) -> str:
    """Admonitions after the first heading (or at the top), marked with their language."""
    if not notices:
        return body
    text = "".join(f'!!! info docloc-notice docloc-{kind} ""\n    {message}\n'
                   f'    {{: lang="{lang}" }}\n\n' for kind, message in notices)
    heading = re.match(r"\s*#[ \t][^\n]*\n", body)
    if heading:
        return body[:heading.end()] + "\n" + text + body[heading.end():].lstrip("\n")
    return text + body.lstrip("\n")


# -- what the page offers ----------------------------------------------------------

_ANCHOR_TAG = re.compile(r'<a\s[^<>]*?\b(?:id|name)\s*=\s*"([^"]+)"')
_ANCHOR_ATTR_LIST = re.compile(r"\{:?[ \t]*#([\w-]+)")
_LINK_MD = re.compile(r"\]\(\s*<?([^\s)>]+)")
_LINK_TAG = re.compile(r'<(?:a|img)\s[^<>]*?\b(?:href|src)\s*=\s*"([^"]+)"')


def _found(text: str, *patterns: re.Pattern[str]) -> tuple[str, ...]:
    """The first groups of the patterns' matches, in text order, once each."""
    matches = [m for pattern in patterns for m in pattern.finditer(text)]
    matches.sort(key=lambda m: m.start())
    return tuple(dict.fromkeys(m.group(1) for m in matches if m.group(1)))
