"""Quality checks: one small function each, whose docstring's first line is its help.

Design decisions:

1. An entry check is ``check(entry, ctx) -> list[str]`` (messages) and looks at
   translated entries only (fuzzy ones on request: export never applies them).
   A page check is ``check(page, ctx) -> list[tuple[int, str]]`` (line,
   message) and looks at what catalogs cannot see: the skeleton and the raw
   segment text.
2. Names follow Weblate where the meaning is the same (``same``, ``md-link``,
   ``md-syntax``, ``xml-tags``, ``placeholders``, ``safe-html``), so an entry
   flag ``ignore-<name>`` works in both; ``whitespace`` also obeys Weblate's
   ``ignore-begin-space`` and ``ignore-end-space``.
3. Parity compares multisets, not order (translations reorder). Link and URL
   locale segments (``/en-us/`` -> ``/fr-fr/``) and spacing entities
   (``&nbsp;`` before ``:`` in French) are localizations, not defects. Numbers
   are compared by value: ``100,000`` = ``100 000`` = ``100000``, ``4.00`` =
   ``4,00``, ``01`` = ``1``, so reordered dates match.
4. Markup inside inline code is code: it counts as a code span, nothing else.
   Emphasis counts well-formed pairs (``** x**`` does not render as bold).
5. Every text is analysed once into its features (cached); a text without any
   markup character skips the analysis. About 0.05 s for 6,000 entries.
6. Severity (``error``/``warning``/``off``) has a default per check and is
   overridden by the project's config; an unknown name is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Mapping, NamedTuple, Sequence

from .catalog import Catalog, Entry
from .errors import DoclocError
from .model import Page, split_padding

SEVERITIES = ("error", "warning", "off")


@dataclass(frozen=True)
class Finding:
    path: str
    """The catalog (entry checks) or page (page checks) as the caller named it."""
    line: int
    """1-based line of the PO entry or of the page; 0 when unknown."""
    locale: str | None
    check: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.check}]"


@dataclass(frozen=True)
class Context:
    """What a check knows besides the entry or page."""

    locale: str | None = None
    allow_untranslated: tuple[str, ...] = ()
    """Terms that may stay in English (product names), removed before ``same`` counts words."""
    same_min_words: int = 5

    @cached_property
    def allowed(self) -> re.Pattern | None:
        terms = sorted(self.allow_untranslated, key=len, reverse=True)
        return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, terms))) if terms else None


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable
    severity: str
    """The default severity."""
    scope: str
    """``entry`` or ``page``."""
    aliases: tuple[str, ...] = ()
    """Other names whose ``ignore-`` flag silences this check (Weblate's)."""

    @property
    def help(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


CHECKS: dict[str, Check] = {}


def _check(name: str, severity: str, scope: str = "entry", aliases: tuple[str, ...] = ()):
    def register(func):
        CHECKS[name] = Check(name, func, severity, scope, aliases)
        return func
    return register


# -- features of a text (design decisions 3-5) ---------------------------------------

_SPECIAL = re.compile(r"[<>&*_`\[\]{}\\\d:]")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:\s[^<>]*)?)>|\{\{?\s*[\w.-]+\s*\}?\}")
_ATTR_URL = re.compile(r"\b(?:href|src|action|formaction)\s*=\s*[\"']?([^\"'\s>]*)", re.I)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]")
_LOCALE_IN_URL = re.compile(r"(?<=/)[a-z]{2}-[a-z]{2}(?=/|$|\?|#)", re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")
_SPACE_ENTITIES = {"nbsp", "#160", "#xa0", "#xA0", "thinsp", "#8239", "#x202f", "#x202F",
                   "ensp", "emsp", "#8201", "#x2009", "nnbsp"}
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_STRONG = re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*|(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|"
                 r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRAY = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_NUMBER = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*")
_NUM_SEP = re.compile(r"[.,\s\u00a0\u202f\u2009]")
_UNSAFE_TAG = re.compile(r"script|iframe|frame|frameset|object|embed|style|meta|link|base|form")
_UNSAFE_ATTR = re.compile(r"\b(on\w+|style)\s*=", re.I)
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
HTML_TAGS = frozenset(
    "a abbr b bdi bdo big blockquote br caption center cite code col colgroup dd del details "
    "dfn div dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img input ins kbd label "
    "li mark nav ol p pre q s samp section small span strike strong sub summary sup table "
    "tbody td tfoot th thead time tr tt u ul var video audio source track wbr "
    "script iframe frame frameset object embed style meta link base form".split())


class Features(NamedTuple):
    code: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    emphasis: tuple[int, int, int] = (0, 0, 0)
    """Well-formed bold pairs, italic pairs, stray markers."""
    numbers: tuple[str, ...] = ()
    unsafe: tuple[str, ...] = ()
    plain: str = ""
    """The text with code, links, tags, URLs and entities blanked out."""


def _url(url: str) -> str:
    return _LOCALE_IN_URL.sub("xx-xx", url)


def _number(text: str) -> list[str]:
    groups = _NUM_SEP.split(text)
    seps = _NUM_SEP.findall(text)
    if len(groups) == 1:
        return [str(int(text))]
    if seps[-1] in ".," and len(groups[-1]) != 3 and all(len(g) == 3 for g in groups[1:-1]):
        return [f"{int(''.join(groups[:-1]))}.{groups[-1]}"]
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return [str(int("".join(groups)))]
    return [str(int(g)) for g in groups]


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    """The markup, numbers and URLs of a text, for parity checks."""
    if not _SPECIAL.search(text):
        return Features(plain=text)
    code = tuple(m.group(2).strip() for m in _CODE.finditer(text))
    rest = _CODE.sub(" ", text) if code else text
    links = [m.group(1) for m in _MD_LINK.finditer(rest)]
    links += [m.group(1) for m in _AUTOLINK.finditer(rest)]
    rest = _AUTOLINK.sub(" ", _MD_LINK.sub("]", rest))
    tags, placeholders, unsafe = [], [], []
    for m in _TAG.finditer(rest):
        name = (m.group(2) or "").lower()
        if name not in HTML_TAGS:
            placeholders.append(m.group(0))
            continue
        tags.append(m.group(1) + name)
        attrs = m.group(3)
        if _UNSAFE_TAG.fullmatch(name):
            unsafe.append(f"<{name}>")
        if attrs:
            unsafe += [a.lower() if a.lower() == "style" else "on* attribute"
                       for a in _UNSAFE_ATTR.findall(attrs)]
            links += _ATTR_URL.findall(attrs)
    unsafe += [f"{m.group(1).lower()}: URL" for u in links if (m := _UNSAFE_URL.match(u))]
    rest = _TAG.sub(" ", rest) if tags or placeholders else rest
    urls = tuple(_url(u) for u in _URL.findall(rest))
    rest = _URL.sub(" ", rest) if urls else rest
    entities = tuple(e for e in _ENTITY.findall(rest) if e not in _SPACE_ENTITIES)
    rest = _ESCAPE.sub("", _ENTITY.sub(" ", rest))
    bold = len(_STRONG.findall(rest))
    no_bold = _STRONG.sub(lambda m: m.group(1) or m.group(2), rest) if bold else rest
    italic = len(_EM.findall(no_bold))
    no_em = _EM.sub(lambda m: m.group(1) or m.group(2), no_bold) if italic else no_bold
    stray = len(_STRAY.findall(no_em))
    numbers = tuple(n for m in _NUMBER.findall(rest) for n in _number(m))
    return Features(code, tuple(_url(u) for u in links), urls, tuple(tags), tuple(placeholders),
                    entities, (bold, italic, stray), numbers, tuple(unsafe), rest)


def _parity(what: str, source: Sequence[str], target: Sequence[str]) -> list[str]:
    if source == target or sorted(source) == sorted(target):
        return []
    a, b = Counter(source), Counter(target)
    lost = ", ".join(f"{k!r}" + (f" x{n}" if n > 1 else "") for k, n in (a - b).items())
    added = ", ".join(f"{k!r}" + (f" x{n}" if n > 1 else "") for k, n in (b - a).items())
    parts = ([f"missing {lost}"] if lost else []) + ([f"added {added}"] if added else [])
    return [f"{what}: " + "; ".join(parts)]


# -- entry checks -----------------------------------------------------------------

@_check("md-link", "error")
def check_md_link(entry: Entry, ctx: Context) -> list[str]:
    """Links and their URLs ([text](url), <url>, href=) differ from the source's."""
    return _parity("links", features(entry.msgid).links, features(entry.msgstr).links)


@_check("md-code", "error")
def check_md_code(entry: Entry, ctx: Context) -> list[str]:
    """Inline code spans (`code`) were lost, added or changed: code is never translated."""
    return _parity("inline code", features(entry.msgid).code, features(entry.msgstr).code)


@_check("md-syntax", "warning")
def check_md_syntax(entry: Entry, ctx: Context) -> list[str]:
    """Bold or italic markers lost, added or broken (``** x**`` is not bold)."""
    source, target = features(entry.msgid).emphasis, features(entry.msgstr).emphasis
    return [f"{name}: {a} in the source, {b} in the translation"
            for name, a, b in zip(("bold", "italic", "stray * or _ markers"), source, target)
            if a != b]


@_check("xml-tags", "error")
def check_xml_tags(entry: Entry, ctx: Context) -> list[str]:
    """HTML tags (<strong>, <a>, <br/>...) lost or added."""
    return _parity("HTML tags", features(entry.msgid).tags, features(entry.msgstr).tags)


@_check("placeholders", "error")
def check_placeholders(entry: Entry, ctx: Context) -> list[str]:
    """Placeholders such as <token> or {name} lost, added or translated."""
    return _parity("placeholders", features(entry.msgid).placeholders,
                   features(entry.msgstr).placeholders)


@_check("entities", "warning")
def check_entities(entry: Entry, ctx: Context) -> list[str]:
    """HTML entities (&gt;, &amp;, &#39;...) lost or added; spacing ones like &nbsp; are free."""
    return _parity("entities", features(entry.msgid).entities, features(entry.msgstr).entities)


@_check("numbers", "warning")
def check_numbers(entry: Entry, ctx: Context) -> list[str]:
    """Numbers differ in value from the source's (separators and date order may change)."""
    return _parity("numbers", features(entry.msgid).numbers, features(entry.msgstr).numbers)


@_check("urls", "warning")
def check_urls(entry: Entry, ctx: Context) -> list[str]:
    """Bare URLs in the text differ from the source's (a /en-us/ locale part may change)."""
    return _parity("URLs", features(entry.msgid).urls, features(entry.msgstr).urls)


@_check("whitespace", "warning", aliases=("begin-space", "end-space"))
def check_whitespace(entry: Entry, ctx: Context) -> list[str]:
    """The translation starts or ends with whitespace where the source does not, or the reverse."""
    found = []
    for where, a, b in (("starts", entry.msgid[:1], entry.msgstr[:1]),
                        ("ends", entry.msgid[-1:], entry.msgstr[-1:])):
        if a.isspace() != b.isspace():
            found.append(f"the {'translation' if b.isspace() else 'source'} {where} "
                         "with whitespace and the other does not")
    return found


_WORDS = re.compile(r"[^\W\d_]{2,}")


@_check("same", "warning")
def check_same(entry: Entry, ctx: Context) -> list[str]:
    """The translation is identical to a long source: probably left untranslated."""
    if entry.msgstr != entry.msgid:
        return []
    plain = features(entry.msgid).plain
    if ctx.allowed is not None:
        plain = ctx.allowed.sub(" ", plain)
    words = len(_WORDS.findall(plain))
    if words < ctx.same_min_words:
        return []
    return [f"identical to the source ({words} words besides allowed terms)"]


@_check("safe-html", "error")
def check_safe_html(entry: Entry, ctx: Context) -> list[str]:
    """Unsafe markup in the translation that the source lacks (<script>, on*=, javascript:, style=)."""
    target = features(entry.msgstr).unsafe
    if not target:
        return []
    extra = Counter(target) - Counter(features(entry.msgid).unsafe)
    return [f"unsafe markup not in the source: {', '.join(sorted(extra))}"] if extra else []


# -- page checks -------------------------------------------------------------------

_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_FRONT_LINE = re.compile(r"^([A-Za-z][\w.-]*)[ \t]*:[ \t]*(.*?)[ \t]*\r?$")
TRANSLATABLE_KEYS = frozenset({"title", "description", "keywords", "titlesuffix", "summary"})
NEVER_TRANSLATED = frozenset({"author", "manager", "uid", "robots", "layout", "redirect_url",
                              "services", "documentationcenter", "translationtype", "fwlink"})
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_IMAGE = re.compile(r"!\[([^\]\x00]*)\]\([^)]*\)")
_NOT_TEXT = re.compile(
    r"\x00|`[^`]*`|\[!(?:INCLUDE|div|VIDEO|NOTE|TIP|IMPORTANT|CAUTION|WARNING)[^\]]*\]|"
    r"^\s*\[[^\]]+\]:\s*\S+.*$|\]\([^)]*\)|\]\[[^\]]*\]|<[^>]*>|"
    r"\b(?:https?|ftp)://\S+|&#?\w+;|\{#[\w-]+\}", re.I)


def _skeleton(page: Page) -> str:
    """The page with each segment replaced by NUL, line numbers kept."""
    return "".join(p if isinstance(p, str) else "\x00" + "\n" * p.raw.count("\n")
                   for p in page.parts)


def _front_matter(text: str) -> tuple[list[tuple[int, str, str]], int]:
    """(line, key, value) of top-level front matter keys, and the body's first line."""
    first = text.find("\n")
    if not text.startswith("---") or first < 0 or text[3:first].strip():
        return [], 1
    close = _FRONT_END.search(text, first + 1)
    if close is None:
        return [], 1
    found = []
    for number, line in enumerate(text[first + 1:close.start()].split("\n"), 2):
        m = _FRONT_LINE.match(line)
        if m:
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            found.append((number, m.group(1), value))
    return found, text.count("\n", 0, close.end()) + 2


def _text_lines(text: str, start: int) -> list[tuple[int, str, str]]:
    """(line, kind, text) of body lines carrying text outside segments."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found, fenced = [], False
    for number, line in enumerate(text.split("\n")[start - 1:], start):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _WORDS.search(line):
            continue
        for m in _IMAGE.finditer(line):
            if _WORDS.search(m.group(1)):
                found.append((number, "image alt text", m.group(1)))
        rest = _NOT_TEXT.sub(" ", _IMAGE.sub(" ", line))
        if _WORDS.search(rest):
            found.append((number, "text", line.strip()))
    return found


@_check("outside-text", "warning", scope="page")
def check_outside_text(page: Page, ctx: Context) -> list[tuple[int, str]]:
    """Text outside any segment (alt text, title, description, TOC labels): every reader gets it as is."""
    text = _skeleton(page)
    keys, body = _front_matter(text)
    found = [(line, f"front matter {key} outside any segment: {value[:60]!r}")
             for line, key, value in keys
             if key.lower() in TRANSLATABLE_KEYS and "\x00" not in value and _WORDS.search(value)]
    lines = _text_lines(text, body)
    if not page.is_bilingual:
        if lines:
            found.append((lines[0][0], f"page without segments: {len(lines)} lines of text "
                          f"(first: {lines[0][2][:60]!r}) reach every reader as they are"))
        return found
    return found + [(line, f"{kind} outside any segment: {value[:60]!r}")
                    for line, kind, value in lines]


@_check("front-matter", "error", scope="page")
def check_front_matter(page: Page, ctx: Context) -> list[tuple[int, str]]:
    """A front matter key that is never translated (ms.*, author...) holds a segment or non-ASCII text."""
    found = []
    for line, key, value in _front_matter(_skeleton(page))[0]:
        if not (key.lower().startswith("ms.") or key.lower().rstrip("0123456789") in NEVER_TRANSLATED):
            continue
        if "\x00" in value:
            found.append((line, f"front matter {key} holds a segment: it must never be translated"))
        elif not value.isascii():
            found.append((line, f"front matter {key} holds non-ASCII text {value[:40]!r}: "
                                "it must never be translated"))
    return found


@_check("raw-whitespace", "warning", scope="page")
def check_raw_whitespace(page: Page, ctx: Context) -> list[tuple[int, str]]:
    """A segment's raw target has leading/trailing whitespace that its raw source lacks, or the reverse."""
    found = []
    for seg in page.segments:
        if seg.raw_target[:1].isspace() or seg.raw_source[:1].isspace() or \
                seg.raw_target[-1:].isspace() or seg.raw_source[-1:].isspace():
            t_lead, _, t_trail = split_padding(seg.raw_target)
            s_lead, _, s_trail = split_padding(seg.raw_source)
            for where, t, s in (("leading", t_lead, s_lead), ("trailing", t_trail, s_trail)):
                if bool(t) != bool(s):
                    found.append((seg.location.line, f"segment {seg.id}: {where} whitespace "
                                  f"{t!r} in the target, {s!r} in the source"))
    return found


# -- running ---------------------------------------------------------------------

def severities(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each check's severity with the config's overrides; DoclocError names a bad one."""
    result = {name: check.severity for name, check in CHECKS.items()}
    for name, value in (overrides or {}).items():
        if name not in CHECKS:
            raise DoclocError(f"severity for unknown check {name!r}; checks: "
                              f"{', '.join(sorted(CHECKS))}")
        if value not in SEVERITIES:
            raise DoclocError(f"severity of {name} must be one of {', '.join(SEVERITIES)}, "
                              f"not {value!r}")
        result[name] = value
    return result


def _ignored(flags: Sequence[str]) -> set[str]:
    return {f[7:] for f in flags if f.startswith("ignore-")}


def run_checks(catalogs: Mapping[str, Catalog], *, pages: Mapping[str, Page] | None = None,
               severity: Mapping[str, str] | None = None,
               allow_untranslated: Sequence[str] = (), include_fuzzy: bool = False
               ) -> list[Finding]:
    """Every finding of every enabled check, catalogs (by path) first, then pages (by path)."""
    levels = severities(severity)
    active = [c for c in CHECKS.values() if levels[c.name] != "off"]
    entry_checks = [c for c in active if c.scope == "entry"]
    page_checks = [c for c in active if c.scope == "page"]
    contexts: dict[str | None, Context] = {}

    def context(locale: str | None) -> Context:
        if locale not in contexts:
            contexts[locale] = Context(locale, tuple(allow_untranslated))
        return contexts[locale]

    findings = []
    for path, catalog in sorted(catalogs.items()):
        ctx = context(catalog.locale)
        for entry in catalog.entries:
            if entry.obsolete or not entry.msgstr or (entry.fuzzy and not include_fuzzy):
                continue
            skip = _ignored(entry.flags) if len(entry.flags) > 1 else ()
            for check in entry_checks:
                if skip and (check.name in skip or skip.intersection(check.aliases)):
                    continue
                for message in check.func(entry, ctx):
                    findings.append(Finding(path, entry.line, catalog.locale, check.name,
                                            levels[check.name], message))
    for path, page in sorted((pages or {}).items()):
        if page.locale is None:
            continue
        ctx = context(page.locale)
        for check in page_checks:
            for line, message in check.func(page, ctx):
                findings.append(Finding(path, line, page.locale, check.name,
                                        levels[check.name], message))
    return findings
