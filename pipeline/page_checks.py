"""Page checks: what catalogs cannot see, the skeleton and the raw text of segments.

Design decisions:

1. A page check is ``check(page, ctx) -> list[(line, message)]``, or
   ``(line, column, message)`` when it knows the column. It registers itself
   (``@register(name, severity, scope="page")``) in the one registry,
   ``checks.CHECKS``, when this module is imported; ``checks`` imports it on its
   last line, so the registry is whole whichever module a caller imports first,
   and lists the entry checks first (the order ``docloc check --list`` shows).
2. The skeleton is read with each segment a NUL keeping its newlines, so a
   finding's line is the page's line.
3. ``page-html`` reports a page's own markup (skeleton, front matter title and
   description, include files) with ``page_html.page_markup_findings``, the
   build's page allowlist, as ``safe-html`` reports ``unsafe_markup`` of a
   translation; it gives a column: ``(line, column, message)``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .blocks import Key, blank_code, code_lines, front_matter
from .checks import WORDS, Context, register
from .contain import code_spans
from .model import Page, split_padding
from .page_html import page_markup_findings

TRANSLATABLE_KEYS = frozenset({"title", "description", "keywords", "titlesuffix", "summary"})
NEVER_TRANSLATED = frozenset({"author", "manager", "uid", "robots", "layout", "redirect_url",
                              "services", "documentationcenter", "translationtype", "fwlink"})
"""Besides every ``ms.*`` key; a trailing number is ignored (``fwlink2``)."""
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[([^\]\x00]*)\]\([^)]*\)|"
                    r"<img\b[^>]*?\balt\s*=\s*\"([^\"\x00]*)\"[^>]*>", re.I)
_NOT_TEXT = re.compile(
    r"\x00|`[^`]*`|\[!(?:INCLUDE|div|VIDEO|NOTE|TIP|IMPORTANT|CAUTION|WARNING)[^\]]*\]|"
    r"^\s*\[[^\]]+\]:\s*\S+.*$|\]\([^)]*\)|\]\[[^\]]*\]|<[^>]*>|"
    r"\b(?:https?|ftp)://\S+|&#?\w+;|\{#[\w-]+\}", re.I)


def _skeleton(page: Page) -> str:
    """The page with each segment as a NUL (and its newlines, so lines stay put)."""
    return "".join(p if isinstance(p, str) else "\x00" + "\n" * p.raw.count("\n")
                   for p in page.parts)


def _front_keys(text: str) -> tuple[Key, ...]:
    head = front_matter(text)
    return head.keys if head else ()


def _text_lines(text: str, start: int) -> list[tuple[int, str, str]]:
    """(line, kind, text) of body lines holding words outside segments."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = []
    lines = text.split("\n")[start - 1:]
    for number, (line, code) in enumerate(zip(lines, code_lines(lines)), start):
        if code or not WORDS.search(line):
            continue
        found += [(number, "image alt text", alt) for m in _IMAGE.finditer(line)
                  if WORDS.search(alt := m.group(1) or m.group(2) or "")]
        if WORDS.search(_NOT_TEXT.sub(" ", _IMAGE.sub(" ", line))):
            found.append((number, "text", line.strip()))
    return found


@register("outside-text", "warning", scope="page")
def check_outside_text(page: Page, ctx: Context) -> list[tuple[int, str]]:
    """Text outside any segment (alt text, title, description, TOC labels) reaches all readers."""
    text = _skeleton(page)
    head = front_matter(text)
    found = [(key.line, f"front matter {key.name} outside any segment: {key.value[:60]!r}")
             for key in (head.keys if head else ())
             if key.name.lower() in TRANSLATABLE_KEYS and "\x00" not in key.value
             and WORDS.search(key.value)]
    lines = _text_lines(text, head.body_line if head else 1)
    if page.is_bilingual:
        return found + [(line, f"{kind} outside any segment: {value[:60]!r}")
                        for line, kind, value in lines]
    if lines:
        found.append((lines[0][0], f"page without segments: {len(lines)} lines of text (first: "
                      f"{lines[0][2][:60]!r}) reach every reader as they are"))
    return found


@register("front-matter", "error", scope="page")
def check_front_matter(page: Page, ctx: Context) -> list[tuple[int, str]]:
    """A front matter key never translated (ms.*, author...) holds a segment or non-ASCII text."""
    found = []
    for key in _front_keys(_skeleton(page)):
        name, value = key.name.lower(), key.value
        if not name.startswith("ms.") and name.rstrip("0123456789") not in NEVER_TRANSLATED:
            continue
        if "\x00" in value:
            found.append((key.line, f"front matter {key.name} holds a segment: "
                                    "it is never translated"))
        elif not value.isascii():
            found.append((key.line, f"front matter {key.name} holds non-ASCII text "
                                    f"{value[:40]!r}: it is never translated"))
    return found


_PUBLISHED_KEYS = frozenset({"title", "description"})
"""Front matter keys the built page shows (``<title>``, meta description, h1, nav)."""
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", match.group())


def _published_markup(page: Page) -> str:
    """The page's text, offsets kept, with only what the page itself publishes as
    markup left: segments, code, comments and unpublished front matter are blanks."""
    text = "".join(p if isinstance(p, str) else _NOT_NEWLINE.sub(" ", p.raw)
                   for p in page.parts)
    head = front_matter(text)
    if head is not None:  # the YAML blanked but for the published keys, each to its line's end
        pieces, pos = [text[:head.yaml_start]], head.yaml_start
        for key in head.keys:
            if key.name.lower() in _PUBLISHED_KEYS:
                end = text.find("\n", key.end)  # a YAML escaped quote \" is a quote here
                pieces += [_NOT_NEWLINE.sub(" ", text[pos:key.start]),
                           text[key.start:end].replace('\\"', ' "')]
                pos = end
        text = "".join(pieces) + _NOT_NEWLINE.sub(" ", text[pos:head.yaml_end]) + \
            text[head.yaml_end:]
    text = blank_code(text)
    text = _HTML_COMMENT.sub(_blank, text) if "<!--" in text else text
    if "`" in text:
        pieces, pos = [], 0
        for start, end, _ in code_spans(text):
            pieces += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
            pos = end
        text = "".join(pieces) + text[pos:]
    return text


@register("page-html", "error", scope="page")
def check_page_html(page: Page, ctx: Context) -> list[tuple[int, int, str]]:
    """The page's own markup (not a segment) has HTML or links the build strips: script, on*...

    The skeleton of a vendor page, its front matter title and description and
    its include files are untrusted: the build passes them through the page
    allowlist (``page_html.clean_page``); this names each thing it removes, at
    its line and column, so the vendor or the team can fix the source.
    """
    if page.path.rsplit("/", 1)[-1].lower() in ("toc.md", "toc.yml"):
        return []  # the [toc] check reports TOCs (labels are text there, not markup)
    text = _published_markup(page)
    if "<" not in text and "](" not in text and "]:" not in text and "{" not in text:
        return []
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    keys = {line: key.name for key in _front_keys(text)
            for line in range(key.line, key.line + text.count("\n", key.start, key.end) + 1)}
    found = []
    for offset, message in page_markup_findings(text):
        line = bisect_right(starts, offset)
        if line in keys:
            message = f"front matter {keys[line]}: {message}"
        found.append((line, offset - starts[line - 1] + 1, message))
    return found


@register("raw-whitespace", "warning", scope="page")
def check_raw_whitespace(page: Page, ctx: Context) -> list[tuple[int, str]]:
    """A segment's raw target has leading/trailing whitespace its source lacks, or vice versa."""
    found = []
    for seg in page.segments:
        ends = seg.raw_target[:1] + seg.raw_target[-1:] + seg.raw_source[:1] + seg.raw_source[-1:]
        if not any(c.isspace() for c in ends):
            continue
        (t_lead, _, t_trail), (s_lead, _, s_trail) = (split_padding(seg.raw_target),
                                                      split_padding(seg.raw_source))
        found += [(seg.location.line, f"segment {seg.id}: {where} whitespace {t!r} in the "
                   f"target, {s!r} in the source")
                  for where, t, s in (("leading", t_lead, s_lead), ("trailing", t_trail, s_trail))
                  if bool(t) != bool(s)]
    return found
