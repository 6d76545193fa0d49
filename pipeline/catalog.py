"""Catalogs: a page's segments as the entries of a gettext catalog (the model).

Design decisions:

1. One catalog per page and locale, as sphinx-intl users expect:
   ``locales/<ll_CC>/LC_MESSAGES/<page>.po``; templates in
   ``locales/templates/<page>.pot``.
2. msgid is the English source, msgstr the translation, both trimmed: the
   whitespace around a segment's text stays in the page skeleton.
3. Occurrences with the same source and target are one entry listing every
   reference and id. The same source with another target is kept apart by a
   msgctxt naming the section (heading) where that variant first appears,
   which stays put when lines move; never a line number.
4. The model holds no PO text, as Babel keeps ``catalog.py`` apart from
   ``pofile.py``: catalog_po.py writes a Catalog as PO lines and reads PO text
   back. A catalog read from a file carries what catalog_po read
   (``Catalog.source``, opaque here) so that writing it keeps the file's bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Mapping, TypedDict

from .model import Page

if TYPE_CHECKING:
    from .catalog_po import Source

MARKDOWN_FLAG = "md-text"
"""Weblate's flag for markdown text (also shown by Poedit as a flag)."""

_PLURAL_FORMS = {
    "ja": "nplurals=1; plural=0;", "zh": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;", "vi": "nplurals=1; plural=0;",
    "th": "nplurals=1; plural=0;", "id": "nplurals=1; plural=0;",
    "tr": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);", "pt_BR": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
          "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "he": "nplurals=2; plural=(n != 1);",
}
_DEFAULT_PLURAL = "nplurals=2; plural=(n != 1);"


def po_language(locale: str) -> str:
    """``fr-FR`` -> ``fr_FR``, the form gettext and Weblate use."""
    return locale.replace("-", "_")


def plural_forms(locale: str) -> str:
    lang = po_language(locale)
    return _PLURAL_FORMS.get(lang) or _PLURAL_FORMS.get(lang.split("_")[0], _DEFAULT_PLURAL)


def catalog_uri(locale: str | None, page: str) -> str:
    """The catalog's path under the locales folder (``None``: the template)."""
    stem = page[:-3] if page.endswith(".md") else page
    if locale is None:
        return f"templates/{stem}.pot"
    return f"{po_language(locale)}/LC_MESSAGES/{stem}.po"


@dataclass(frozen=True)
class Entry:
    """One message of a catalog."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    references: tuple[str, ...] = ()
    """``path:line`` of each occurrence."""
    ids: tuple[str, ...] = ()
    """The ``data-ttu-id`` of each occurrence (extracted comment ``#. id:``)."""
    flags: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    """Translator comments (``# ...``): theirs, always kept."""
    notes: tuple[str, ...] = ()
    """Extracted comments other than ids (``#. ...``): docloc's, regenerated."""
    previous_msgid: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)
    """Where the entry starts in the file it was read from (0: not read); not part of
    the entry's value, so an entry read equals the same entry made anew."""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy and not self.obsolete

    def with_flag(self, flag: str, on: bool = True) -> "Entry":
        flags = tuple(f for f in self.flags if f != flag)
        if on:
            flags = (flag,) + flags if flag == "fuzzy" else flags + (flag,)
        return replace(self, flags=flags)


@dataclass(frozen=True)
class Catalog:
    """The messages of one page in one locale (``locale`` None: a template)."""

    page: str
    locale: str | None
    entries: tuple[Entry, ...]
    meta: Mapping[str, str] = field(default_factory=dict)
    """Page metadata kept for translators: ``ms.translationtype``, ``ms.sourcegitcommit``..."""
    source: "Source | None" = field(default=None, compare=False, repr=False)
    """The file it was read from (its layout, header and lines; catalog_po.Source), None
    for a new catalog."""

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def by_key(self) -> dict[tuple[str | None, str], Entry]:
        return {e.key: e for e in self.entries if not e.obsolete}


# -- from pages ---------------------------------------------------------------

_HEADING_LINE = re.compile(r"(?:^|\n)[ \t]{0,3}#{1,6}[ \t][^\n]*$")
KEPT_META = ("ms.translationtype", "ms.contentlocale", "ms.sourcegitcommit",
             "ms.openlocfilehash", "ms.lasthandoff")


def segment_keys(page: Page) -> list[tuple[str | None, str]]:
    """The catalog key (msgctxt, msgid) of each segment, in page order.

    Export computes the same keys to find each segment's translation, so this
    is the one definition of how segments map to entries.
    """
    keys: list[tuple[str | None, str]] = []
    section = ""
    variants: dict[str, dict[str, str | None]] = {}
    taken: set[tuple[str | None, str]] = set()
    previous = ""
    for part in page.parts:
        if isinstance(part, str):
            previous = part
            continue
        if _HEADING_LINE.search(previous[-200:]):
            section = part.source
        previous = ""
        targets = variants.setdefault(part.source, {})
        if part.target not in targets:
            if not targets:
                context = None
            else:
                base = section if section and section != part.source else "variant"
                context, n = base, 1
                while (context, part.source) in taken:
                    n += 1
                    context = f"{base} #{n}"
            targets[part.target] = context
            taken.add((context, part.source))
        keys.append((targets[part.target], part.source))
    return keys


class _Slot(TypedDict):
    """One key's entry as page_catalog gathers it from the page's segments."""

    msgstr: str
    refs: list[str]
    ids: list[str]


def page_catalog(page: Page, ref_path: str) -> Catalog:
    """The catalog a page's own targets make (the vendor's view, "theirs")."""
    order: dict[tuple[str | None, str], _Slot] = {}
    for segment, key in zip(page.segments, segment_keys(page)):
        if not segment.source:
            continue
        slot = order.setdefault(key, {"msgstr": segment.target, "refs": [], "ids": []})
        ref = f"{ref_path}:{segment.location.line}"
        if ref not in slot["refs"]:
            slot["refs"].append(ref)
        slot["ids"].append(segment.id)
    entries = tuple(
        Entry(msgid=key[1], msgctxt=key[0], msgstr=slot["msgstr"],
              references=tuple(slot["refs"]), ids=tuple(slot["ids"]))
        for key, slot in order.items())
    meta = {k: page.meta[k] for k in KEPT_META if page.meta.get(k)}
    return Catalog(page.path, page.locale, entries, meta)


def template(page: str, catalogs: list[Catalog]) -> Catalog:
    """The POT of a page: every key (msgctxt, msgid) of every locale's version, once,
    no msgstr. The keys are the catalogs' own, context included, so ``msgmerge -U``
    with this template (Poedit's "Update from POT", Weblate's msgmerge add-on)
    finds every entry of a catalog and makes none of them obsolete."""
    seen: dict[tuple[str | None, str], Entry] = {}
    for catalog in catalogs:
        for entry in catalog.active():
            if entry.key not in seen:
                seen[entry.key] = Entry(entry.msgid, msgctxt=entry.msgctxt,
                                        references=entry.references, ids=entry.ids)
    return Catalog(page, None, tuple(seen.values()))


def translations(catalog: Catalog) -> dict[tuple[str | None, str], str]:
    """What export applies: translated, non-fuzzy entries by key."""
    return {e.key: e.msgstr for e in catalog.entries if e.translated}


def apply(page: Page, found: Mapping[tuple[str | None, str], str]) -> Page:
    """The page with each segment's target taken from ``found`` where present."""
    targets = {}
    for index, (segment, key) in enumerate(zip(page.segments, segment_keys(page))):
        if key in found and found[key] != segment.target:
            targets[index] = found[key]
    return page.with_targets(targets) if targets else page
