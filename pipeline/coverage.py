"""Coverage: how much of each locale, folder and page is translated, and the gate.

Design decisions:

1. Message figures agree with ``msgfmt --statistics``: translated = msgstr
   non-empty and not fuzzy; fuzzy = fuzzy flag *and* a non-empty msgstr (msgfmt
   counts a fuzzy entry without text as untranslated); untranslated = the
   rest; obsolete (``#~``) entries are counted apart and never in ``total``.
2. Words are the source's (msgid) words exactly as translate-toolkit's
   ``pocount`` counts its source words (``words.source_words``): vendors quote
   by those, so link URLs and code count as the words they spell.
3. A page that exists for some locale (or in the templates) but has no
   catalog in another counts as wholly untranslated there, with the entries of
   its template, else of the first other locale that has it. Nothing is
   dropped: the gate reports and fails, the site decides what readers see.
4. Coverage is translated / total in percent; a scope with nothing to
   translate is 100. Outputs show it floored to one decimal, so 99.96 never
   reads as 100; the gate compares the exact value.
5. Thresholds: ``min_coverage`` for every locale; keys ``"fr-FR"`` (replaces
   the global value for that locale), ``"security/*"`` (pages matching the
   glob, in every locale, taken together) and ``"fr-FR:security/*"``. A glob
   that matches no page is a configuration error, not a silent pass.
6. Pure: catalogs in, values out; no I/O, no polib.

JSON schema (``to_json``)::

    {"coverage_by": "messages" | "words",
     "locales": {"<locale>": NODE + {"pages": {"<page uri>": NODE},
                                     "folders": {"<folder, '' for root>": NODE}}},
     "failures": [{"locale", "scope", "coverage", "threshold", "by"}],
     "findings": [{"path", "line", "column" (0: unknown), "locale", "check", "severity", "message"}]}
    NODE = {"messages": COUNTS, "words": COUNTS, "coverage": float,
            "coverage_messages": float, "coverage_words": float,
            "identical": int, "mt": int, "ht": int}
    COUNTS = {"total", "translated", "fuzzy", "untranslated", "obsolete"}: int

``coverage`` is by ``coverage_by``; ``identical`` counts translated messages equal
to their source; ``mt``/``ht`` count translated messages of pages whose
``ms.translationtype`` is MT/HT. A failure's ``scope`` is ``*`` for a whole locale.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from html import escape
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .catalog import Catalog
from .config import is_percentage, refusal
from .errors import DoclocError
from .project import is_locale_tag, normalize_locale
from .words import source_words

if TYPE_CHECKING:
    from .checks import Finding

@dataclass(frozen=True)
class Counts:
    """Messages or words by state; ``total`` leaves obsolete out, like msgfmt."""

    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.total + other.total, self.translated + other.translated,
                      self.fuzzy + other.fuzzy, self.untranslated + other.untranslated,
                      self.obsolete + other.obsolete)

    @property
    def coverage(self) -> float:
        """Translated share in percent; 100 when there is nothing to translate."""
        return 100.0 * self.translated / self.total if self.total else 100.0


@dataclass(frozen=True)
class Figures:
    """The figures of one scope: a page, a folder or a whole locale."""

    messages: Counts = Counts()
    words: Counts = Counts()
    identical: int = 0
    """Translated messages whose msgstr equals the msgid."""
    mt: int = 0
    """Translated messages of machine-translated pages (``ms.translationtype: MT``)."""
    ht: int = 0
    """Translated messages of human-translated pages (``HT``); pages without the key: neither."""

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(self.messages + other.messages, self.words + other.words,
                       self.identical + other.identical, self.mt + other.mt,
                       self.ht + other.ht)

    def coverage(self, by: str = "messages") -> float:
        return (self.words if by == "words" else self.messages).coverage


@dataclass(frozen=True)
class LocaleReport:
    figures: Figures
    pages: Mapping[str, Figures]
    """By page uri, sorted."""
    folders: Mapping[str, Figures]
    """By the page's directory (``""`` for the root), sorted."""


@dataclass(frozen=True)
class Report:
    locales: Mapping[str, LocaleReport] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """A scope below its threshold."""

    locale: str
    scope: str
    """``*`` for the whole locale, else the page glob of the threshold."""
    coverage: float
    threshold: float
    by: str


# -- counting -----------------------------------------------------------------

count_words = source_words
"""Words of a source text, as pocount counts them (design decision 2)."""


def catalog_figures(catalog: Catalog, *, untranslated: bool = False) -> Figures:
    """The figures of one catalog; ``untranslated``: as if no msgstr were there."""
    n = [0, 0, 0, 0]  # translated, fuzzy, untranslated, obsolete
    w = [0, 0, 0, 0]
    identical = 0
    for entry in catalog.entries:
        words = count_words(entry.msgid)
        if entry.obsolete:
            state = 3
        elif untranslated or not entry.msgstr:
            state = 2
        elif entry.fuzzy:
            state = 1
        else:
            state = 0
            identical += entry.msgstr == entry.msgid
        n[state] += 1
        w[state] += words
    if untranslated:
        n[3] = w[3] = 0
    kind = catalog.meta.get("ms.translationtype", "").upper()
    return Figures(Counts(n[0] + n[1] + n[2], *n), Counts(w[0] + w[1] + w[2], *w), identical,
                   n[0] if kind == "MT" else 0, n[0] if kind == "HT" else 0)


def folder_of(page: str) -> str:
    return page.rpartition("/")[0]


def coverage_report(pages: Iterable[str],
                    catalogs: Mapping[tuple[str | None, str], Catalog], *,
                    locales: Iterable[str] = ()) -> Report:
    """Figures per locale, folder and page.

    ``pages``: the source pages' uris; ``catalogs``: by (locale, page uri),
    locale None for templates. Every page of ``pages`` or of any catalog is
    reported in every locale of ``locales`` or of any catalog (decision 3).
    """
    return report_from_figures(pages, {key: (catalog_figures(catalog),
                                             catalog_figures(catalog, untranslated=True))
                                       for key, catalog in catalogs.items()}, locales=locales)


def report_from_figures(pages: Iterable[str],
                        figures: Mapping[tuple[str | None, str], tuple[Figures, Figures]], *,
                        locales: Iterable[str] = ()) -> Report:
    """``coverage_report`` from each catalog's figures as it is and as if blank."""
    all_pages = set(pages) | {page for _, page in figures}
    all_locales = set(locales) | {loc for loc, _ in figures if loc is not None}
    stand_in: dict[str, Figures] = {}  # for a page a locale lacks: its template, else any
    for (_locale, page), (_, blank) in sorted(figures.items(), key=lambda kv: (kv[0][0] or "",
                                                                             kv[0][1])):
        stand_in.setdefault(page, blank)
    result = {}
    for locale in sorted(all_locales):
        by_page = {}
        for page in sorted(all_pages):
            found = figures.get((locale, page))
            by_page[page] = found[0] if found else stand_in.get(page, Figures())
        folders: dict[str, Figures] = {}
        for page, f in by_page.items():
            folder = folder_of(page)
            folders[folder] = folders.get(folder, Figures()) + f
        total = sum(by_page.values(), Figures())
        result[locale] = LocaleReport(total, by_page, dict(sorted(folders.items())))
    return Report(result)


# -- the gate -----------------------------------------------------------------

def _parse_key(key: str) -> tuple[str | None, str]:
    """``"fr-FR:a/*"`` -> (fr-FR, a/*); ``"fr-FR"`` -> (fr-FR, *); ``"a/*"`` -> (None, a/*)."""
    head, sep, rest = key.partition(":")
    if sep:
        return normalize_locale(head), rest or "*"
    if is_locale_tag(key) and not any(c in key for c in "/*?[."):
        return normalize_locale(key), "*"
    return None, key


def threshold_failures(report: Report, *, min_coverage: float = 0.0,
                       thresholds: Mapping[str, float] | None = None,
                       by: str = "messages") -> list[Failure]:
    """Every scope whose coverage is below its threshold (decision 5).

    A locale named in ``thresholds`` without any catalog counts as 0 %.
    Raises DoclocError for a bad ``by``, a value outside 0-100 or a glob
    matching no page.
    """
    reason = refusal("coverage_by", by)
    if reason:
        raise DoclocError(reason)
    rules: dict[tuple[str | None, str], float] = {(None, "*"): float(min_coverage)}
    for key, value in (thresholds or {}).items():
        if not is_percentage(value):
            raise DoclocError(f"threshold {key!r} must be a percentage 0-100, not {value!r}")
        rules[_parse_key(key)] = float(value)
    all_pages = {p for r in report.locales.values() for p in r.pages}
    for _locale, glob in rules:
        if glob != "*" and not any(fnmatchcase(p, glob) for p in all_pages):
            raise DoclocError(f"coverage threshold {glob!r} matches no page; "
                              "fix the glob (page uris look like security/incident-response.md)")
    locales = sorted(set(report.locales) | {loc for loc, _ in rules if loc})
    failures = []
    for locale in locales:
        found = report.locales.get(locale)
        whole = rules.get((locale, "*"), rules[(None, "*")])
        globs = {g: v for (loc, g), v in rules.items() if g != "*" and loc in (None, locale)}
        for glob, threshold in [("*", whole)] + sorted(globs.items()):
            if threshold <= 0:
                continue
            if found is None:
                coverage = 0.0
            elif glob == "*":
                coverage = found.figures.coverage(by)
            else:
                coverage = sum((f for p, f in found.pages.items() if fnmatchcase(p, glob)),
                               Figures()).coverage(by)
            if coverage < threshold:
                failures.append(Failure(locale, glob, coverage, threshold, by))
    return failures


# -- output -------------------------------------------------------------------

def shown(percent: float) -> float:
    """Floored to one decimal (decision 4)."""
    return math.floor(percent * 10 + 1e-9) / 10


def _node(figures: Figures, by: str) -> dict[str, Any]:
    return {"messages": asdict(figures.messages), "words": asdict(figures.words),
            "coverage": shown(figures.coverage(by)),
            "coverage_messages": shown(figures.messages.coverage),
            "coverage_words": shown(figures.words.coverage),
            "identical": figures.identical, "mt": figures.mt, "ht": figures.ht}


def as_dict(report: Report, *, findings: Sequence["Finding"] = (),
            failures: Sequence[Failure] = (), by: str = "messages") -> dict[str, Any]:
    """The JSON document of the module docstring, as Python values."""
    locales = {}
    for locale, item in report.locales.items():
        node = _node(item.figures, by)
        node["pages"] = {p: _node(f, by) for p, f in item.pages.items()}
        node["folders"] = {d: _node(f, by) for d, f in item.folders.items()}
        locales[locale] = node
    return {
        "coverage_by": by,
        "locales": locales,
        "failures": [{"locale": f.locale, "scope": f.scope, "coverage": shown(f.coverage),
                      "threshold": f.threshold, "by": f.by} for f in failures],
        "findings": [{"path": f.path, "line": f.line, "column": f.column, "locale": f.locale,
                      "check": f.check, "severity": f.severity, "message": f.message}
                     for f in findings],
    }


def to_json(report: Report, *, findings: Sequence["Finding"] = (),
            failures: Sequence[Failure] = (), by: str = "messages") -> str:
    return json.dumps(as_dict(report, findings=findings, failures=failures, by=by),
                      ensure_ascii=False, indent=2) + "\n"


def _row(name: str, f: Figures, by: str) -> str:
    m = f.messages
    return (f"| {name} | {shown(f.coverage(by))} % | {m.translated} | {m.fuzzy} | "
            f"{m.untranslated} | {f.words.translated}/{f.words.total} | {f.identical} |")


_HEAD = ("| {} | coverage | translated | fuzzy | untranslated | words | identical |\n"
         "|---|---:|---:|---:|---:|---:|---:|")


def to_markdown(report: Report, *, findings: Sequence["Finding"] = (),
                failures: Sequence[Failure] = (), by: str = "messages") -> str:
    """A pull-request comment: locale table, failures, checks, incomplete pages."""
    lines = [f"### Translation coverage (by {by})", "", _HEAD.format("locale")]
    lines += [_row(loc, r.figures, by) for loc, r in report.locales.items()]
    if failures:
        lines += ["", "**Below threshold**", ""]
        lines += [f"- {f.locale} `{f.scope}`: {shown(f.coverage)} % < {f.threshold:g} %"
                  for f in failures]
    if findings:
        tally: dict[tuple[str, str], int] = {}
        for f in findings:
            tally[(f.check, f.severity)] = tally.get((f.check, f.severity), 0) + 1
        lines += ["", "| check | severity | findings |", "|---|---|---:|"]
        lines += [f"| {c} | {s} | {n} |" for (c, s), n in sorted(tally.items())]
    for locale, item in report.locales.items():
        todo = [(p, f) for p, f in item.pages.items() if f.messages.translated < f.messages.total]
        if todo:
            lines += ["", f"<details><summary>{locale}: {len(todo)} pages not fully "
                      "translated</summary>", "", _HEAD.format("page")]
            lines += [_row(f"`{p}`", f, by) for p, f in todo]
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


_COLOURS = ((95, "#4c1"), (80, "#97ca00"), (60, "#dfb317"), (40, "#fe7d37"), (0, "#e05d44"))
_NARROW, _WIDE = set("fijlrtI.,:;!|' ()[]1"), set("mwMW%@")


def _text_width(text: str) -> int:
    """Approximate width in px of Verdana 11px, deterministic (no font files)."""
    return sum(4 if c in _NARROW else 10 if c in _WIDE else 7 for c in text) + 10


def badge_svg(label: str, percent: float) -> str:
    """A self-contained shields.io-style badge, coloured by ``percent``."""
    value = f"{shown(percent):g}%"
    colour = next(c for limit, c in _COLOURS if percent >= limit)
    lw, vw = _text_width(label), _text_width(value)
    width = lw + vw
    label_x, value_x = escape(label, quote=False), escape(value, quote=False)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(label)}: {value}">'
        f"<title>{label_x}: {value_x}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{vw}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{lw / 2:g}" y="15" fill="#010101" fill-opacity=".3">{label_x}</text>'
        f'<text x="{lw / 2:g}" y="14">{label_x}</text>'
        f'<text x="{lw + vw / 2:g}" y="15" fill="#010101" fill-opacity=".3">{value_x}</text>'
        f'<text x="{lw + vw / 2:g}" y="14">{value_x}</text></g></svg>\n')
