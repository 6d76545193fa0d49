"""Quality checks: one small function each, whose docstring's first line is its help.

Design decisions:

1. An entry check is ``check(entry, ctx) -> list[str]`` (messages) and sees
   translated entries only (fuzzy ones on request: export never applies them).
   A page check is ``check(page, ctx) -> list[(line, message)]`` and sees what
   catalogs cannot: the skeleton and the raw text of segments. Both kinds are
   in one registry, ``CHECKS``, added by ``@register``; the page checks are in
   ``page_checks``, which this module imports on its last line (see there).
2. Names follow Weblate where the meaning is the same (``same``, ``md-link``,
   ``md-syntax``, ``xml-tags``, ``placeholders``, ``safe-html``), so an entry flag
   ``ignore-<name>`` works in both; ``whitespace`` also obeys ``ignore-begin-space``
   and ``ignore-end-space``.
3. Parity compares multisets, not order: translations reorder. A locale part of
   a URL (``/en-us/`` -> ``/fr-fr/``) and spacing entities (``&nbsp;`` before
   ``:`` in French) are localization, not defects. Numbers compare by value:
   ``100,000`` = ``100 000``, ``4.00`` = ``4,00``, ``01`` = ``1``, so reordered dates match,
   and a digit may stand for an English number word (``twelve`` -> ``12``).
4. Markup inside inline code is code. Emphasis counts well-formed pairs only
   (``** x**`` does not render as bold), plus the stray markers left over.
5. Each text is analysed once (cached) into its features; texts without a
   markup character or digit skip the analysis: ~0.07 s for 5,500 entries.
6. Severity (``error``/``warning``/``off``) has a default per check, overridden by
   the project's config; an unknown check name is an error, never ignored.
7. ``safe-html`` reports ``page_html.unsafe_markup``: exactly what rendering strips
   or neutralizes, so the check and the renderer share one safe list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable, Literal, Mapping, NamedTuple, Sequence, TypeVar, overload

from .catalog import Catalog, Entry
from .config import SEVERITIES, is_severity
from .docfx import include_changes
from .errors import DoclocError
from .model import Page
from .page_html import unsafe_markup


@dataclass(frozen=True)
class Finding:
    path: str
    """The catalog (entry checks) or page (page checks), as the caller named it."""
    line: int
    """1-based line of the PO entry or in the page; 0 when unknown."""
    locale: str | None
    check: str
    severity: str
    message: str
    column: int = 0
    """1-based column in the page (page checks that know it); 0 when unknown."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.severity}: {self.message} [{self.check}]"


@dataclass(frozen=True)
class Context:
    """What a check knows besides the entry or page."""

    locale: str | None = None
    allow_untranslated: tuple[str, ...] = ()
    """Terms that may stay in English (product names); ``same`` does not count them."""
    same_min_words: int = 5

    @cached_property
    def allowed(self) -> re.Pattern[str] | None:
        terms = sorted(self.allow_untranslated, key=len, reverse=True)
        return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, terms))) if terms else None


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[..., list[Any]]
    """An entry check, ``(Entry, Context) -> list[str]``, or a page check,
    ``(Page, Context) -> list of (line, message) or (line, column, message)``."""
    severity: str
    """The default severity."""
    scope: str
    """``entry`` or ``page``."""
    aliases: tuple[str, ...] = ()
    """Weblate check names whose ``ignore-`` flag silences this check too."""

    @property
    def help(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


CHECKS: dict[str, Check] = {}
"""The registry, in the order ``docloc check --list`` shows."""


_Func = TypeVar("_Func", bound=Callable[..., list[Any]])


def register(name: str, severity: str, scope: str = "entry", aliases: tuple[str, ...] = ()
             ) -> Callable[[_Func], _Func]:
    """Add the decorated function to ``CHECKS`` as check ``name`` (its docstring: the help)."""
    def add(func: _Func) -> _Func:
        CHECKS[name] = Check(name, func, severity, scope, aliases)
        return func
    return add


# -- the features of a text (decisions 3-5) -------------------------------------------

_SPECIAL = re.compile(r"[<>&*_`\[\]{}\\\d]")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
                      r"(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:\s[^<>]*)?)>|\{\{?\s*[\w.-]+\s*\}?\}")
_ATTR_URL = re.compile(r"\b(?:href|src|action|formaction)\s*=\s*[\"']?([^\"'\s>]*)", re.I)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]")
_LOCALE_IN_URL = re.compile(r"(?<=/)[a-z]{2}-[a-z]{2}(?=/|$|\?|#)", re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")
_SPACING = {"nbsp", "#160", "#xa0", "#xA0", "thinsp", "#8201", "#x2009", "#8239", "#x202f",
            "#x202F", "ensp", "emsp"}
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_EMPHASIS = {  # marker -> (bold, italic, stray) patterns
    "*": (re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*"),
          re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), re.compile(r"\*+")),
    "_": (re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"),
          re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
          re.compile(r"(?<!\w)_+|_+(?!\w)")),
}
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*")
_NUM_SEP = re.compile(r"[.,\s\u00a0\u202f\u2009]")
HTML_TAGS = frozenset(
    "script iframe frame frameset object embed style meta link base form "
    "a abbr b bdi bdo big blockquote br caption center cite code col colgroup dd del details dfn "
    "div dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark "
    "nav ol p pre q s samp section small span strike strong sub summary sup table tbody td tfoot "
    "th thead time tr tt u ul var video audio source track wbr".split())
"""Tag names that are HTML; any other ``<name>`` is a placeholder (``<token>``)."""


class Features(NamedTuple):
    code: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    emphasis: tuple[int, int, int] = (0, 0, 0)
    """Well-formed bold pairs, italic pairs, stray ``*``/``_`` markers."""
    numbers: tuple[str, ...] = ()
    plain: str = ""
    """The text with code, links, tags, URLs, entities and escapes taken out."""


def _url(url: str) -> str:
    return _LOCALE_IN_URL.sub("xx-xx", url)


def _number(text: str) -> list[str]:
    """``1,234.5`` -> 1234.5; ``4,00`` -> 4; ``100 000`` -> 100000; ``10.0.1`` -> 10, 0, 1."""
    groups, seps = _NUM_SEP.split(text), _NUM_SEP.findall(text)
    if not seps:
        return [str(int(text))]
    if seps[-1] in ".," and len(groups[-1]) != 3 and all(len(g) == 3 for g in groups[1:-1]):
        return [f"{int(''.join(groups[:-1]))}.{groups[-1]}".rstrip("0").rstrip(".")]
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return [str(int("".join(groups)))]
    return [str(int(g)) for g in groups]


def _inner(match: re.Match[str]) -> str:
    return match.group(1)


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    """The markup, numbers and URLs of a text, each kind taken out once found."""
    if not _SPECIAL.search(text) and "://" not in text:
        return Features(plain=text)
    code: tuple[str, ...]
    rest, code, links, tags, holders = text, (), [], [], []
    if "`" in rest:
        code = tuple(m.group(2).strip() for m in _CODE.finditer(rest))
        rest = _CODE.sub(" ", rest)
    if "](" in rest:
        links = _MD_LINK.findall(rest)
        rest = _MD_LINK.sub("]", rest)
    if "<" in rest or "{" in rest:
        links += _AUTOLINK.findall(rest)
        rest = _AUTOLINK.sub(" ", rest)
        for m in _TAG.finditer(rest):
            name = (m.group(2) or "").lower()
            if name not in HTML_TAGS:
                holders.append(m.group(0))
                continue
            tags.append(m.group(1) + name)
            if attrs := m.group(3):
                links += _ATTR_URL.findall(attrs)
        rest = _TAG.sub(" ", rest)
    urls = tuple(_url(u) for u in _URL.findall(rest)) if "://" in rest else ()
    rest = _URL.sub(" ", rest) if urls else rest
    entities = tuple(e for e in _ENTITY.findall(rest) if e not in _SPACING) if "&" in rest else ()
    rest = _ESCAPE.sub("", _ENTITY.sub(" ", rest)) if "&" in rest or "\\" in rest else rest
    emphasis = [0, 0, 0]
    for marker, patterns in _EMPHASIS.items():
        if marker in rest:
            text_left = rest
            for kind, pattern in enumerate(patterns):
                found = len(pattern.findall(text_left))
                emphasis[kind] += found
                text_left = pattern.sub(_inner, text_left) if found and kind < 2 else text_left
    numbers = tuple(n for m in _NUMBER.findall(rest) for n in _number(m)) \
        if _DIGIT.search(rest) else ()
    return Features(code, tuple(_url(u) for u in links), urls, tuple(tags), tuple(holders),
                    entities, (emphasis[0], emphasis[1], emphasis[2]), numbers, rest)


def _parity(what: str, source: Sequence[str], target: Sequence[str]) -> list[str]:
    if source == target or sorted(source) == sorted(target):
        return []
    a, b = Counter(source), Counter(target)
    listed = [(label, ", ".join(repr(k) + (f" x{n}" if n > 1 else "") for k, n in diff.items()))
              for label, diff in (("missing", a - b), ("added", b - a))]
    return [f"{what}: " + "; ".join(f"{label} {items}" for label, items in listed if items)]


# -- entry checks ---------------------------------------------------------------------

@register("md-link", "error")
def check_md_link(entry: Entry, ctx: Context) -> list[str]:
    """Links and their URLs ([text](url), <url>, href=) differ from the source's."""
    return _parity("links", features(entry.msgid).links, features(entry.msgstr).links)


@register("include", "error")
def check_include(entry: Entry, ctx: Context) -> list[str]:
    """A DocFX [!INCLUDE[...](path)] of the source dropped, altered or added."""
    if "[!" not in entry.msgid and "[!" not in entry.msgstr:
        return []
    return include_changes(entry.msgid, entry.msgstr)


@register("md-code", "error")
def check_md_code(entry: Entry, ctx: Context) -> list[str]:
    """Inline code spans (`code`) lost, added or changed: code is never translated."""
    return _parity("inline code", features(entry.msgid).code, features(entry.msgstr).code)


@register("md-syntax", "warning")
def check_md_syntax(entry: Entry, ctx: Context) -> list[str]:
    """Bold or italic markers lost, added or broken (`** x**` is not bold)."""
    pairs = zip(("bold", "italic", "stray * or _"), features(entry.msgid).emphasis,
                features(entry.msgstr).emphasis)
    return [f"{name}: {a} in the source, {b} in the translation" for name, a, b in pairs if a != b]


@register("xml-tags", "error")
def check_xml_tags(entry: Entry, ctx: Context) -> list[str]:
    """HTML tags (<strong>, <a>, <br/>...) lost or added."""
    return _parity("HTML tags", features(entry.msgid).tags, features(entry.msgstr).tags)


@register("placeholders", "error")
def check_placeholders(entry: Entry, ctx: Context) -> list[str]:
    """Placeholders such as <token> or {name} lost, added or translated."""
    return _parity("placeholders", features(entry.msgid).placeholders,
                   features(entry.msgstr).placeholders)


@register("entities", "warning")
def check_entities(entry: Entry, ctx: Context) -> list[str]:
    """HTML entities (&gt;, &amp;, &#39;...) lost or added; spacing ones such as &nbsp; are free."""
    return _parity("entities", features(entry.msgid).entities, features(entry.msgstr).entities)


_SPELLED = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_SPELLED_WORD = re.compile(r"\b(?:%s)\b" % "|".join(_SPELLED), re.I)


@register("numbers", "warning")
def check_numbers(entry: Entry, ctx: Context) -> list[str]:
    """Numbers differ in value from the source's (separators and date order may change)."""
    source, target = features(entry.msgid).numbers, features(entry.msgstr).numbers
    if source == target or sorted(source) == sorted(target):
        return []
    # "twelve months" may become "12 mois": a digit for an English number word is fine.
    spelled = Counter(_SPELLED[w.lower()] for w in _SPELLED_WORD.findall(entry.msgid))
    written = spelled & (Counter(target) - Counter(source))
    return _parity("numbers", source + tuple(written.elements()), target)


@register("urls", "warning")
def check_urls(entry: Entry, ctx: Context) -> list[str]:
    """Bare URLs differ from the source's (a /en-us/ locale part may change)."""
    return _parity("URLs", features(entry.msgid).urls, features(entry.msgstr).urls)


@register("whitespace", "warning", aliases=("begin-space", "end-space"))
def check_whitespace(entry: Entry, ctx: Context) -> list[str]:
    """The translation starts or ends with whitespace where the source does not, or the reverse."""
    return [f"the {'translation' if b.isspace() else 'source'} {where} with whitespace, "
            "the other does not"
            for where, a, b in (("starts", entry.msgid[:1], entry.msgstr[:1]),
                                ("ends", entry.msgid[-1:], entry.msgstr[-1:]))
            if a.isspace() != b.isspace()]


WORDS = re.compile(r"[^\W\d_]{2,}")
"""A word: two letters or more (``same`` counts them, ``outside-text`` looks for one)."""


@register("same", "warning")
def check_same(entry: Entry, ctx: Context) -> list[str]:
    """The translation is identical to a long source: probably left untranslated."""
    if entry.msgstr != entry.msgid:
        return []
    plain = features(entry.msgid).plain
    words = len(WORDS.findall(ctx.allowed.sub(" ", plain) if ctx.allowed else plain))
    if words < ctx.same_min_words:
        return []
    return [f"identical to the source ({words} words besides allowed terms): {entry.msgid[:50]!r}"]


@register("safe-html", "error")
def check_safe_html(entry: Entry, ctx: Context) -> list[str]:
    """Rendering strips or escapes unsafe URLs and tags, attributes, links, | the source lacks.

    One finding per thing, as ``page_html.unsafe_markup`` names it: also HTML
    comment delimiters, ``{: }`` attribute lists and line breaks before block
    markup (``#``, ``-``, ``>``...) that the source does not have. Placeholders
    (``<token>``, ``{name}``) are left to the ``placeholders`` check.
    """
    target = entry.msgstr
    for holder in features(target).placeholders:
        target = target.replace(holder, "…")
    return unsafe_markup(entry.msgid, target)


# -- running ----------------------------------------------------------------------------

def severities(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each check's severity after the config's overrides; DoclocError names a bad one."""
    result = {name: check.severity for name, check in CHECKS.items()}
    for name, value in (overrides or {}).items():
        if name not in CHECKS:
            raise DoclocError(f"severity for unknown check {name!r}; checks: {', '.join(CHECKS)}")
        if not is_severity(value):
            raise DoclocError(f"severity of {name} must be one of {', '.join(SEVERITIES)}, "
                              f"not {value!r}")
        result[name] = value
    return result


def catalog_findings(catalog: Catalog, ctx: Context, checks: Sequence[Check] | None = None,
                     *, include_fuzzy: bool = False) -> list[tuple[int, str, str]]:
    """(line, check, message) of the entry checks on one catalog, ``ignore-`` flags obeyed."""
    checks = [c for c in CHECKS.values() if c.scope == "entry"] if checks is None else checks
    found = []
    for entry in catalog.entries:
        if entry.obsolete or not entry.msgstr or (entry.fuzzy and not include_fuzzy):
            continue
        # Flags other than md-text are rare: build the opt-out set only then.
        skip = {f[7:] for f in entry.flags if f.startswith("ignore-")} \
            if len(entry.flags) > 1 else None
        for check in checks:
            if skip and (check.name in skip or skip.intersection(check.aliases)):
                continue
            for message in check.func(entry, ctx):  # a loop: a comprehension costs more
                found.append((entry.line, check.name, message))
    return found


_Row = tuple[int, str, str]
_RowWithColumn = tuple[int, str, str, int]


@overload
def page_findings(page: Page, ctx: Context, checks: Sequence[Check] | None = None,
                  *, columns: Literal[False] = False) -> list[_Row]: ...
@overload
def page_findings(page: Page, ctx: Context, checks: Sequence[Check] | None = None,
                  *, columns: Literal[True]) -> list[_RowWithColumn]: ...
def page_findings(page: Page, ctx: Context, checks: Sequence[Check] | None = None,
                  *, columns: bool = False) -> list[_Row] | list[_RowWithColumn]:
    """(line, check, message) of the page checks on one page; with ``columns``,
    (line, check, message, column), the column 0 when the check does not know it.

    Without ``columns`` a known column leads the message (``column 5: ...``), so
    a caller that keeps three values still tells the reader where.
    """
    checks = [c for c in CHECKS.values() if c.scope == "page"] if checks is None else checks
    found: list[_RowWithColumn] = []
    for check in checks:
        for item in check.func(page, ctx):
            line, column, message = item if len(item) == 3 else (item[0], 0, item[1])
            found.append((line, check.name, message, column))
    if columns:
        return found
    return [(line, name, f"column {column}: {message}" if column else message)
            for line, name, message, column in found]


def run_checks(catalogs: Mapping[str, Catalog], *, pages: Mapping[str, Page] | None = None,
               severity: Mapping[str, str] | None = None, allow_untranslated: Sequence[str] = (),
               include_fuzzy: bool = False, source_locale: str | None = "en-US"
               ) -> list[Finding]:
    """Every finding of the enabled checks: catalogs by path, then pages by path.

    Pages of ``source_locale`` (English-only pages) and of no locale are skipped.
    """
    levels = severities(severity)
    active = [c for c in CHECKS.values() if levels[c.name] != "off"]
    entry_checks = [c for c in active if c.scope == "entry"]
    page_checks = [c for c in active if c.scope == "page"]
    contexts: dict[str | None, Context] = {}
    findings = []
    for path, catalog in sorted(catalogs.items()):
        ctx = contexts.setdefault(catalog.locale, Context(catalog.locale,
                                                          tuple(allow_untranslated)))
        findings += [Finding(path, line, catalog.locale, name, levels[name], message)
                     for line, name, message in catalog_findings(
                         catalog, ctx, entry_checks, include_fuzzy=include_fuzzy)]
    for path, page in sorted((pages or {}).items()):
        if page.locale is None or page.locale == source_locale:
            continue
        ctx = contexts.setdefault(page.locale, Context(page.locale, tuple(allow_untranslated)))
        findings += [Finding(path, line, page.locale, name, levels[name], message, column)
                     for line, name, message, column in page_findings(page, ctx, page_checks,
                                                                      columns=True)]
    return findings


# -- the page checks ----------------------------------------------------------------------
# They register themselves in CHECKS from their own module, with Context, WORDS and
# register from this one. Importing it last, once those exist, makes the registry whole
# whichever of the two modules a caller imports first, the entry checks first in it.

from . import page_checks as _page_checks  # noqa: E402, F401
