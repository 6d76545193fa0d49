"""In-context editing for ``docloc serve --edit``: a page's entries, and one entry saved.

Design decisions:

1. A site path names a language and a page (``/fr-fr/a/b/`` -> ``fr-FR``,
   ``a/b.md``, the inverse of ``site.page_url``). The page a language shows is
   its own bilingual page, else the English-only page, else the English of the
   page another locale has (the page is *missing*; its catalog does not exist
   until the first save creates it as extract would).
2. An entry's ``id`` is a digest of its catalog and key (msgctxt, msgid): it
   stays the same while the file does not change (and after, while the key
   stays). ``revision`` is the SHA-1 of the catalog's bytes ("" when there is
   no file yet): a save naming another revision is a conflict, answered with
   both texts, never written.
3. A save replaces the entry's own lines only, formatted by
   ``catalog_po.format_entry`` (the writer extract uses), so every other byte of
   the file stays, whoever wrote it; the result is read back and compared entry
   by entry before it is written (``files.write_atomic``), under the project
   lock. Clearing fuzzy drops ``#| msgid`` as Poedit does.
4. A msgstr that breaks its entry is refused before anything is read: a newline
   shape ``msgfmt --check`` rejects, a control character, or a finding of
   severity ``error`` from the same checks as ``docloc check``.
5. No HTTP here: ``serve`` maps ``EditError.status`` to the response.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import urllib.parse
from collections import defaultdict
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TypedDict

from . import catalog as cat
from . import catalog_po
from .checks import run_checks
from .config import Config
from .contain import plain
from .errors import DoclocError
from .extract import missing_page
from .files import LockHeld, project_lock, write_atomic
from .merge import _candidates, closest, merge
from .model import Page, Segment
from .project import SourceFile, is_english_only, read_page, scan_content
from .site import page_url, url_tag

LOCK_WAIT = 10.0
"""Seconds a save waits for another run's lock (an extract, a build) before 503."""


class EditError(Exception):
    """A request the editor refuses: ``status`` for HTTP, ``payload`` for the JSON body."""

    def __init__(self, status: int, message: str, **payload: object) -> None:
        super().__init__(message)
        self.status = status
        self.payload: dict[str, object] = {"error": message, **payload}


Key = tuple[str | None, str]
"""A catalog key: (msgctxt, msgid)."""
Memory = dict[str, list[tuple[str, str]]]
"""A locale's translation memory: English source -> (translation, page) pairs."""


class FindingJSON(TypedDict):
    """A check's finding on an entry, as the panel shows it."""

    check: str
    severity: str
    message: str


SuggestionJSON = TypedDict("SuggestionJSON", {"msgstr": str, "source": str, "score": int,
                                              "from": str})
"""A translation-memory suggestion: its text, its source, how close (%), which page."""


class EntryJSON(TypedDict):
    """One entry as ``GET /__docloc/api/entries`` lists it."""

    id: str
    locale: str
    catalog: str
    msgctxt: str | None
    msgid: str
    msgstr: str
    fuzzy: bool
    flags: list[str]
    comments: list[str]
    notes: list[str]
    previous: str | None
    state: str
    findings: list[FindingJSON]
    suggestions: list[SuggestionJSON]
    revision: str
    text: str
    occurrences: int
    missing: bool
    line: int


class _Index(TypedDict):
    """The content as the editor finds pages in it (``Editor._scan``)."""

    own: dict[str, dict[str, SourceFile]]
    """Locale -> page uri -> the locale's own bilingual page."""
    english: dict[str, SourceFile]
    """Page uri -> the page whose English a language shows."""
    urls: dict[str, str]
    """Site path below the language -> page uri."""


@dataclass(frozen=True)
class Shown:
    """What one language shows at one site path."""

    locale: str
    page: Page
    """The page whose segments the language shows (its locale set to ``locale``)."""
    ref: str
    """The page's file below the content folder, as extract names it in references."""
    catalog: str
    """The catalog's path below the locales folder."""
    missing: bool
    """The locale has no page of its own (decision 1)."""


def entry_id(catalog_uri: str, key: Key) -> str:
    context, msgid = key
    raw = f"{catalog_uri}\0{'' if context is None else '1' + context}\0{msgid}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def revision(data: bytes | None) -> str:
    return "" if data is None else hashlib.sha1(data).hexdigest()


def state(entry: cat.Entry, machine: bool) -> str:
    if entry.fuzzy:
        return "fuzzy"
    if not entry.msgstr:
        return "untranslated"
    return "machine" if machine else "translated"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shape_problems(msgid: str, msgstr: str) -> list[str]:
    """What ``msgfmt --check`` (and a segment) refuses in a msgstr."""
    problems = []
    if msgstr and msgid.startswith("\n") != msgstr.startswith("\n"):
        problems.append("the translation must begin with a newline exactly when the "
                        "source does")
    if msgstr and msgid.endswith("\n") != msgstr.endswith("\n"):
        problems.append("the translation must end with a newline exactly when the source does")
    if _CONTROL.search(msgstr) or "\r" in msgstr:
        problems.append("the translation holds a control character; remove it")
    return problems


def _spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first line, line after the last) of each entry, header and obsolete ones included:
    an entry runs from its first comment or keyword to the end of its msgstr."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    in_msgstr = False
    for number, raw in enumerate(lines):
        line = raw.rstrip("\r")
        body = line[2:].lstrip(" ") if line.startswith("#~") else line
        if in_msgstr and body.startswith('"'):
            continue
        if in_msgstr:
            assert start is not None  # a msgstr line started the entry at the latest
            spans.append((start, number))
            start, in_msgstr = None, False
        if not line.strip():
            continue
        if start is None:
            start = number
        if body.startswith("msgstr"):
            in_msgstr = True
    if in_msgstr:
        assert start is not None
        spans.append((start, len(lines)))
    return spans


def splice(text: str, old: cat.Entry, new: cat.Entry) -> str:
    """``text`` with the lines of ``old`` (read from it: ``old.line``) replaced by ``new``'s."""
    lines = text.split("\n")
    at = old.line - 1
    span = next(((start, end) for start, end in _spans(lines) if start <= at < end), None)
    if span is None:
        raise EditError(500, f"entry not found at line {old.line} of its catalog")
    start, end = span
    crlf = lines[start].endswith("\r")
    fresh = [line + "\r" if crlf else line for line in catalog_po.format_entry(new)]
    return "\n".join(lines[:start] + fresh + lines[end:])


class Editor:
    """The project as the panel sees it; one per ``docloc serve --edit`` run."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._index: _Index | None = None
        self._memory: dict[str, Memory] = {}
        self._ids: dict[str, tuple[str, Key]] = {}
        self._save = threading.Lock()
        self._read = threading.Lock()

    def refresh(self) -> None:
        """Forget what was read: the content or catalogs changed (serve rebuilt)."""
        with self._read:
            self._index = None
            self._memory = {}

    # -- where a site path leads -------------------------------------------------------

    def _scan(self) -> _Index:
        with self._read:
            if self._index is None:
                scan = scan_content(self.config.content)
                source = self.config.source_locale
                own: dict[str, dict[str, SourceFile]] = defaultdict(dict)
                english: dict[str, SourceFile] = {}
                for item in scan.files:
                    if item.locale is None:
                        continue
                    uri = item.item.page_uri
                    if is_english_only(item, source):
                        english[uri] = item
                    elif "data-ttu-id" in item.text and item.locale != source:
                        own[item.locale][uri] = item
                for locale in sorted(own):
                    for uri, item in sorted(own[locale].items()):
                        english.setdefault(uri, item)
                self._index = {"own": dict(own), "english": english,
                               "urls": {page_url(uri): uri for uri in sorted(english)}}
            return self._index

    def shown(self, site_path: str) -> Shown:
        path = urllib.parse.unquote(urllib.parse.urlsplit(site_path).path)
        if path.endswith("index.html"):
            path = path[:-len("index.html")]
        tag, _, rest = path.strip("/").partition("/")
        rest = rest.strip("/") + "/" if rest.strip("/") else ""
        index = self._scan()
        locale = next((loc for loc in index["own"] if url_tag(loc) == tag.lower()), None)
        if locale is None:
            raise EditError(404, f"no translated language at /{tag}/ (the source language "
                                 "is edited in its pages, not here)")
        uri = index["urls"].get(rest)
        if uri is None:
            raise EditError(404, f"no page at {path}")
        found = index["own"][locale].get(uri) or index["english"][uri]
        page, _ = read_page(found, self.config.source_locale)
        missing = uri not in index["own"][locale] and not is_english_only(
            found, self.config.source_locale)
        page = replace(page, locale=locale)
        if missing:
            page = page.with_targets({i: "" for i in range(len(page.segments))})
        return Shown(locale, page, found.item.rel_uri, cat.catalog_uri(locale, uri), missing)

    # -- reading ---------------------------------------------------------------------------

    def _read_catalog(self, uri: str) -> tuple[bytes | None, cat.Catalog | None]:
        path = self.config.locales / uri
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            raise EditError(500, f"{path}: cannot read ({exc.strerror})") from exc
        try:
            return data, catalog_po.load(data, str(path))
        except DoclocError as exc:
            raise EditError(409, f"{exc}; fix the catalog, then reload the page",
                            revision=revision(data)) from exc

    def entries(self, site_path: str) -> list[EntryJSON]:
        """The JSON list of ``GET /__docloc/api/entries?page=<site_path>``."""
        shown = self.shown(site_path)
        data, catalog = self._read_catalog(shown.catalog)
        found = catalog.by_key() if catalog else {}
        machine = shown.page.meta.get("ms.translationtype", "").strip().upper() == "MT"
        order: dict[Key, list[Segment]] = {}
        for segment, key in zip(shown.page.segments, cat.segment_keys(shown.page)):
            if segment.source:
                order.setdefault(key, []).append(segment)
        out = []
        for key, segments in order.items():
            entry = found.get(key) or cat.Entry(
                key[1], msgctxt=key[0], msgstr="" if shown.missing else segments[0].target)
            vendor = segments[0].target
            out.append(self._json(shown.locale, shown.catalog, entry, revision(data),
                                  machine=machine and entry.msgstr == vendor,
                                  occurrences=len(segments), missing=shown.missing))
        self._suggest(shown.locale, out)
        return out

    def _json(self, locale: str, catalog_uri: str, entry: cat.Entry, rev: str, *,
              machine: bool = False, occurrences: int = 1, missing: bool = False
              ) -> EntryJSON:
        ident = entry_id(catalog_uri, entry.key)
        self._ids[ident] = (catalog_uri, entry.key)
        return {
            "id": ident, "locale": locale, "catalog": catalog_uri,
            "msgctxt": entry.msgctxt, "msgid": entry.msgid, "msgstr": entry.msgstr,
            "fuzzy": entry.fuzzy, "flags": list(entry.flags),
            "comments": list(entry.comments), "notes": list(entry.notes),
            "previous": entry.previous_msgid, "state": state(entry, machine),
            "findings": self._findings(locale, catalog_uri, entry),
            "suggestions": [], "revision": rev, "text": plain(entry.msgid),
            "occurrences": occurrences, "missing": missing, "line": entry.line}

    def _findings(self, locale: str, catalog_uri: str, entry: cat.Entry
                  ) -> list[FindingJSON]:
        if not entry.msgstr:
            return []
        one = cat.Catalog(catalog_uri, locale, (entry,))
        return [{"check": f.check, "severity": f.severity, "message": f.message}
                for f in run_checks({catalog_uri: one}, severity=self.config.severity,
                                    allow_untranslated=self.config.allow_untranslated,
                                    include_fuzzy=True,
                                    source_locale=self.config.source_locale)]

    def _suggest(self, locale: str, entries: list[EntryJSON]) -> None:
        """Translation-memory suggestions for entries not (or not surely) translated."""
        needy = [e for e in entries if not e["msgstr"] or e["fuzzy"]]
        if not needy:
            return
        memory = self._locale_memory(locale)
        for item in needy:
            hits = [(text, page) for text, page in memory.get(item["msgid"], ())
                    if text != item["msgstr"]]
            suggestions: list[SuggestionJSON] = [
                {"msgstr": text, "source": item["msgid"], "score": 100, "from": page}
                for text, page in hits[:3]]
            if not suggestions:
                match, score = closest(item["msgid"], _candidates(item["msgid"], memory),
                                       self.config.similarity)
                if match is not None:
                    suggestions.append({"msgstr": match.msgstr, "source": match.msgid,
                                        "score": int(score * 100), "from": match.notes[0]})
            item["suggestions"] = suggestions

    def _locale_memory(self, locale: str) -> Memory:
        with self._read:
            if locale not in self._memory:
                memory: Memory = defaultdict(list)
                root = self.config.locales / cat.po_language(locale) / "LC_MESSAGES"
                for abs_po in sorted(root.rglob("*.po")):
                    try:
                        catalog = catalog_po.load(abs_po.read_bytes(), str(abs_po))
                    except (OSError, DoclocError):
                        continue  # check and build report it; suggestions go without
                    page = abs_po.relative_to(root).as_posix()
                    for entry in catalog.entries:
                        if entry.translated:
                            memory[entry.msgid].append((entry.msgstr, page))
                self._memory[locale] = dict(memory)
            return self._memory[locale]

    # -- saving --------------------------------------------------------------------------

    def save(self, ident: str, body: object, *, site_path: str | None = None) -> EntryJSON:
        """``PUT /__docloc/api/entries/<id>``: the entry as saved, or EditError."""
        if not isinstance(body, dict) or not isinstance(body.get("msgstr"), str) \
                or not isinstance(body.get("fuzzy", False), bool) \
                or not isinstance(body.get("revision"), str):
            raise EditError(400, 'send JSON {"msgstr": text, "fuzzy": true|false, '
                                 '"revision": the revision listed with the entry}')
        if ident not in self._ids and site_path:
            self.entries(site_path)
        if ident not in self._ids:
            raise EditError(404, "unknown entry id; list the page's entries "
                                 "(GET /__docloc/api/entries?page=...) first")
        catalog_uri, key = self._ids[ident]
        msgstr, fuzzy = body["msgstr"], body.get("fuzzy", False)
        problems = shape_problems(key[1], msgstr)
        if problems:
            raise EditError(400, "; ".join(problems), findings=[
                {"check": "po-format", "severity": "error", "message": p} for p in problems])
        locale = catalog_uri.split("/", 1)[0].replace("_", "-")
        trial = self._findings(locale, catalog_uri, cat.Entry(key[1], msgstr, key[0]))
        errors = [f for f in trial if f["severity"] == "error"]
        if errors:
            raise EditError(400, "the translation breaks its entry: " +
                            "; ".join(f["message"] for f in errors), findings=trial)
        with self._save, self._locked():
            data, catalog = self._read_catalog(catalog_uri)
            if revision(data) != body["revision"]:
                theirs = catalog.by_key().get(key) if catalog else None
                raise EditError(409, "the catalog changed since the panel opened; nothing "
                                     "was written", revision=revision(data),
                                yours={"msgstr": msgstr, "fuzzy": fuzzy},
                                theirs=self._json(locale, catalog_uri, theirs, revision(data))
                                if theirs else None)
            if data is None or catalog is None:  # no file yet (both are None)
                text, new = self._created(catalog_uri, locale, key, msgstr, fuzzy)
            else:
                old = catalog.by_key().get(key)
                if old is None:
                    raise EditError(409, "this entry is no longer in its catalog (the page "
                                         "changed); reload the page", revision=revision(data))
                new = replace(old, msgstr=msgstr).with_flag("fuzzy", fuzzy)
                if not fuzzy:
                    new = replace(new, previous_msgid=None)
                text = splice(data.decode("utf-8"), old, new)
                self._verify(text, catalog, old, new, catalog_uri)
            written = text.encode("utf-8")
            write_atomic(self.config.locales / catalog_uri, written)
            self._memory.pop(locale, None)
            saved = catalog_po.loads(text, catalog_uri).by_key()[key]
            return self._json(locale, catalog_uri, saved, revision(written))

    def _locked(self) -> AbstractContextManager[object]:
        """The project lock, waited for while another run holds it (up to LOCK_WAIT)."""
        deadline = time.monotonic() + LOCK_WAIT
        editor = self

        class _Wait:
            def __enter__(self) -> _Wait:
                while True:
                    self.held = project_lock(editor.config.locales, "serve --edit")
                    try:
                        self.held.__enter__()
                        return self
                    except LockHeld as exc:
                        if time.monotonic() > deadline:
                            raise EditError(503, f"{exc}; nothing was written: save again "
                                                 "in a moment") from exc
                        time.sleep(0.1)

            def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                         traceback: TracebackType | None) -> bool | None:
                return self.held.__exit__(exc_type, exc, traceback)
        return _Wait()

    def _verify(self, text: str, before: cat.Catalog, old: cat.Entry, new: cat.Entry,
                catalog_uri: str) -> None:
        """The spliced file reads back as the old one with that one entry changed."""
        def comparable(entry: cat.Entry) -> cat.Entry:
            return replace(entry, line=0)
        after = catalog_po.loads(text, catalog_uri)
        wanted = [comparable(new) if e is old else comparable(e) for e in before.entries]
        if [comparable(e) for e in after.entries] != wanted or after.meta != before.meta:
            raise EditError(500, "the catalog would not read back as saved; nothing was "
                                 "written (please report this file)")

    def _created(self, catalog_uri: str, locale: str, key: Key,
                 msgstr: str, fuzzy: bool) -> tuple[str, cat.Entry]:
        """A missing page's catalog, as extract makes a new one, with this entry filled."""
        index = self._scan()
        page_uri = next((uri for uri in index["english"]
                         if cat.catalog_uri(locale, uri) == catalog_uri), None)
        if page_uri is None:
            raise EditError(404, "the page of this entry is no longer in the content")
        item = index["english"][page_uri]
        page, _ = read_page(item, self.config.source_locale)
        page = missing_page(page, locale)  # exactly what extract keeps it up to date from
        theirs = cat.page_catalog(page, item.item.rel_uri)
        catalog = merge(theirs, None, {}, threshold=self.config.similarity).catalog
        entries = []
        new = None
        for entry in catalog.entries:
            if entry.key == key:
                entry = new = replace(entry, msgstr=msgstr).with_flag("fuzzy", fuzzy)
            entries.append(entry)
        if new is None:
            raise EditError(409, "this entry is no longer in its page; reload the page")
        return catalog_po.dumps(replace(catalog, entries=tuple(entries))), new



__all__ = ["EditError", "Editor", "Shown", "entry_id", "revision", "shape_problems", "splice"]
