"""Rendering a build's pages: includes in the page's language, problems kept, and
renders remembered from one build to the next (``Session``, for ``docloc serve``).

Design decisions:

1. ``Renderer.render_page`` is ``render.render_page`` with ``[!INCLUDE]`` resolved in the
   same language: an include speaks the including page's language, carries no
   notice of its own, and its links are written from its own folder (DocFX rebases
   them); an include cycle is an error at the page.
2. One bad page never stops a build: ``Renderer.safe`` reports its problem at the
   page's file and renders it again with its includes and code snippets as text.
3. Where a page lies gives the rest of its options: its docset root (``~/``), its
   xrefmap (its docset's ``uid`` pages titled in the language, and the xrefmap files
   ``docfx.json`` lists) and the reader of its code snippets and pivot file
   (``ContentFiles``: the locale's file, else the source language's, else one
   outside locale folders).
4. A catalog is read once per build; one that cannot be read marks its locale
   ``broken`` (the build keeps that language's published site), and a page without
   a catalog is shown with its own targets.
5. ``Session`` is what a long-running process keeps between builds: parsed pages,
   catalogs by SHA-1, the docs handed to MkDocs, and renders by what they are made
   of (``_RenderKey``). A page with includes or code snippets is remembered with
   what it read (``Read``: each included page's text and catalog, each file's
   SHA-1) and rendered anew when any of it moved; a render that reported problems
   is not kept, and ``keep_used`` drops what the last build did not use.
"""

from __future__ import annotations

import gc
import hashlib
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, TypedDict, Unpack

from . import catalog as cat
from . import catalog_po, docfx, reads, render, site, yamlpage
from .config import Config
from .errors import DoclocError, Problem
from .model import Page
from .project import Parsed, Scan
from .render import Rendered
from .structure import LocaleContent, docset_of

Translations = dict[tuple[str | None, str], str]
"""A catalog's translations (``catalog.translations``): (msgctxt, msgid) -> msgstr."""


_RenderKey = tuple["str | None", str, str, "str | None", str, str]
"""What a render is made of: (locale, page uri, digest of the page's text, digest of its
catalog, digest of its xrefmap, the other options)."""
Read = tuple[str, "str | None", str, str, str]
"""What a render read besides its page: ("page", locale, uri, digest of its text, digest
of its catalog) for an include, ("file", None, path, its SHA-1, "") for a snippet."""


class RenderOptions(TypedDict, total=False):
    """``render.render_page``'s keyword arguments, but ``include`` (which the build makes)."""

    translations: Mapping[tuple[str | None, str], str] | None
    source_locale: str
    page_exists_in_locale: bool
    alert_titles: Mapping[str, str] | None
    marks: bool
    notices_in: str | None
    read: Callable[[str], str] | None
    docset: str
    xrefmap: Mapping[str, tuple[str, str]] | None
    notices: bool


@dataclass
class Session:
    """What a long-running process (``docloc serve``) keeps from one build to the next.

    ``quick``: each changed language is built by MkDocs in place, only its
    changed pages (a dirty build), with the search index merged, instead of
    afresh and swapped in; ``docloc build`` later rebuilds it in full.
    Renders are remembered by what they are made of: the page's text, its
    catalog's bytes and the options (pages with includes are always rendered).
    """

    quick: bool = False
    rendered: dict[_RenderKey, Rendered] = field(default_factory=dict)
    read: dict[_RenderKey, tuple[Read, ...]] = field(default_factory=dict)
    """What each remembered render of a page with includes or snippets read."""
    catalogs: dict[str, tuple[str, Translations]] = field(default_factory=dict)
    """Catalog path -> (its SHA-1, its translations)."""
    pages: Parsed = field(default_factory=dict)
    """Pages parsed by the last build (``project.read_content``'s ``parsed``)."""
    docs: site.Written = field(default_factory=dict)
    """(language tag, uri) -> the bytes of each doc handed to MkDocs."""
    previews: dict[str, str] = field(default_factory=dict)
    """Language tag -> the digest of the docs its published folder was built from in
    place (``site.build_site``)."""
    digests: dict[tuple[str, str | None], tuple[Page, str, bool]] = field(default_factory=dict)
    """(page uri, locale) -> (the page parsed, the digest of its text, whether it reads
    other files): good while the session hands back that very page object (its file
    unchanged)."""

    def settle(self, *, collect: bool = True) -> None:
        """Between builds: freeze what is alive, after collecting the garbage once
        (``collect``: a third of a second on a big site, so serve waits until it is
        idle; freezing alone costs nothing). The session holds every page parsed and
        rendered, and Python's full collections walked all of it during each save's
        build (0.2 s of a 1.4 s save on the Mixed Reality corpus); frozen, they skip it."""
        if collect:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


def keep_used(session: Session, renderer: Renderer) -> None:
    """Keep in the session what this build used, drop the rest."""
    session.rendered = {key: session.rendered[key] for key in renderer.used
                        if key in session.rendered}
    session.read = {key: session.read[key] for key in session.rendered if key in session.read}
    live = {(page.path, page.locale) for page, *_ in session.pages.values()}
    session.digests = {k: v for k, v in session.digests.items() if k in live}


@dataclass(frozen=True)
class ContentFiles:
    """Every file of the content folder by (its locale folder, its locale-relative uri):
    what code snippets, xrefmaps and ``zone-pivot-groups.yml`` are read from."""

    abs_content: Path
    paths: dict[tuple[str | None, str], str]

    @classmethod
    def of(cls, abs_content: Path, scan: Scan) -> "ContentFiles":
        items = [source.item for source in scan.files] + list(scan.others)
        return cls(abs_content, {(i.folder_locale, i.page_uri): i.rel_uri for i in items})

    def find(self, uri: str, locale: str | None, source_locale: str) -> Path | None:
        """The locale's file, else the source language's, else one outside locale folders."""
        for where in (locale, source_locale, None):
            rel = self.paths.get((where, uri))
            if rel is not None:
                return self.abs_content / rel
        return None

    def reader(self, locale: str | None, source_locale: str,
               seen: list[Read] | None = None) -> Callable[[str], str]:
        """Read a file of the content (``seen`` gets what was read)."""
        def read(uri: str) -> str:
            path = self.find(uri, locale, source_locale)
            if path is None:
                raise DoclocError(f"{uri!r} not found in the content folder", uri)
            try:
                data, digest = reads.with_sha1(path)
                text = data.decode("utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise DoclocError(f"cannot read {uri!r} ({exc})", str(path)) from exc
            if seen is not None:
                seen.append(("file", None, str(path), digest, ""))
            return text
        return read


_INERT = re.compile(r"\[!(include|code-)", re.I)
"""Includes and code snippets, shown as text when they cannot be rendered."""


class Renderer:
    """``render.render_page`` with ``[!INCLUDE]`` resolved in the same language, and
    errors kept."""

    def __init__(self, config: Config, locales: dict[str, LocaleContent],
                 source_pages: dict[str, Page], problems: list[Problem],
                 session: Session | None = None, *, docsets: tuple[docfx.Docset, ...] = (),
                 files: ContentFiles | None = None) -> None:
        self.config, self.locales, self.source_pages = config, locales, source_pages
        self.problems = problems
        self.session = session
        self.docsets = docsets
        self.files = files
        self.xrefmaps: dict[tuple[str | None, str], tuple[dict[str, tuple[str, str]], str]] = {}
        """(locale, docset root) -> (uid -> (href, name), its digest)."""
        self.used: set[_RenderKey] = set()
        self.broken: set[str | None] = set()
        """Locales with a catalog that cannot be read."""
        self.found: dict[tuple[str | None, str], tuple[Translations, str]] = {}
        self.seen: list[Read] | None = None
        """What the page being rendered read (its includes, its snippets)."""
        self.yaml_pages = frozenset(uri for uri, p in source_pages.items()
                                    if p.meta.get(yamlpage.KIND_KEY))
        """Pages made from DocFX YAML files: links to their ``.yml`` lead to them."""

    def translations(self, locale: str | None, uri: str, page: Page) -> Translations:
        return self._found(locale, uri, page)[0]

    @staticmethod
    def _digest(session: Session, page: Page) -> tuple[str, bool]:
        """The page's text digest and whether it includes files or code snippets,
        found once per parsed page (the session keeps the parsed pages, so the same
        object comes back while its file is unchanged)."""
        known = session.digests.get((page.path, page.locale))
        if known is None or known[0] is not page:
            known = (page, hashlib.sha1(page.bilingual().encode()).hexdigest(),
                     bool(page.names_files))
            session.digests[(page.path, page.locale)] = known
        return known[1], known[2]

    def _found(self, locale: str | None, uri: str, page: Page) -> tuple[Translations, str]:
        """The translations for a page and a digest of where they came from."""
        if (locale, uri) not in self.found:
            path = self.config.locales / cat.catalog_uri(locale, uri)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                data = None
            digest = hashlib.sha1(data).hexdigest() if data is not None else "-"
            memo = self.session.catalogs if self.session else {}
            found: Translations | None = None
            if data is not None and memo.get(str(path), ("",))[0] == digest:
                found = memo[str(path)][1]
            elif data is not None:
                found = _translations(data, str(path), self.problems)
                if found is None:
                    self.broken.add(locale)
                elif self.session:
                    memo[str(path)] = (digest, found)
            if found is None:  # no catalog yet: the page's own targets
                found = cat.translations(cat.page_catalog(page, uri))
            self.found[(locale, uri)] = (found, digest)
        return self.found[(locale, uri)]

    def xrefmap(self, locale: str | None, root: str) -> tuple[dict[str, tuple[str, str]], str]:
        """The docset's xrefmap in a language: its pages' ``uid`` front matter (named by
        their title in that language) and the xrefmap files its ``docfx.json`` lists."""
        if (locale, root) not in self.xrefmaps:
            found: dict[str, tuple[str, str]] = {}
            docset = next((d for d in self.docsets if d.root == root), None)
            for uri in docset.xref if docset and self.files else ():
                path = self.files.find(uri, locale, self.config.source_locale) \
                    if self.files else None
                try:
                    text = path.read_text(encoding="utf-8-sig") if path else None
                except (OSError, UnicodeDecodeError):
                    text = None
                if text is None:
                    self.problems.append(Problem(
                        f"xrefmap {uri!r} named in docfx.json is not in the content folder; "
                        "its uids show as code", uri))
                    continue
                base = posixpath.dirname(uri)
                for uid, (href, name) in docfx.xrefmap_entries(text).items():
                    if not re.match(r"[A-Za-z][\w+.-]*:|/", href):
                        href = posixpath.normpath(posixpath.join(base, href))
                    found[uid] = (href, name)
            here = self.locales.get(locale) if locale else None
            for uri, page in sorted(self.source_pages.items()):
                uid = str(page.meta.get("uid") or "").strip().strip("'\"")
                if not uid or docset_of(self.docsets, uri) is not docset:
                    continue
                shown = here.pages[uri][1] if here and uri in here.pages else page
                title = str(shown.meta.get("title") or "") if locale else _english_title(page)
                found.setdefault(uid, (uri, title or uid))
            self.xrefmaps[(locale, root)] = (
                found, hashlib.sha1(repr(sorted(found.items())).encode()).hexdigest())
        return self.xrefmaps[(locale, root)]

    def pivots(self, page: Page, locale: str | None) -> list[list[str]]:
        """[pivot id, title] for the page's ``zone_pivot_groups``, in the docset's
        ``zone-pivot-groups.yml`` of the page's language (else the source's)."""
        wanted = [g.strip() for g in str(page.meta.get("zone_pivot_groups") or "").split(",")
                  if g.strip()]
        if not wanted or self.files is None:
            return []
        docset = docset_of(self.docsets, page.path)
        uri = posixpath.join(docset.root, docset.pivot_file) if docset else "zone-pivot-groups.yml"
        try:
            text = self.files.reader(locale, self.config.source_locale)(uri)
        except DoclocError:
            self.problems.append(Problem(
                f"zone_pivot_groups: {', '.join(wanted)} but {uri!r} is not in the content "
                "folder; the selector shows the pivot ids", page.path))
            return []
        return [[k, v] for k, v in docfx.pivot_titles(text, wanted).items()]

    def _context(self, page: Page, locale: str | None, options: RenderOptions
                 ) -> RenderOptions:
        """The options that come from where the page lies: its docset root (``~/``), its
        xrefmap and the reader of its code snippets."""
        docset = docset_of(self.docsets, page.path)
        root = docset.root if docset else ""
        options.setdefault("docset", root)
        options.setdefault("xrefmap", self.xrefmap(locale, root)[0])
        if self.files is not None:
            options.setdefault("read", self.files.reader(locale, self.config.source_locale,
                                                         self.seen))
        return options

    def render_page(self, page: Page, locale: str | None, *, stack: tuple[str, ...] = (),
                    **options: Unpack[RenderOptions]) -> Rendered:
        """The page rendered, its includes in its language (``stack``: the pages
        including it, so a cycle is an error)."""
        options = self._context(page, locale, options)
        def include(uri: str) -> str:
            if uri in stack + (page.path,):
                raise DoclocError(f"include cycle: {' -> '.join(stack + (page.path, uri))}",
                                  page.path)
            target, found, read = self._include(locale, uri, page)
            if self.seen is not None:
                self.seen.append(read)
            # An include speaks the including page's language and carries no notice of its
            # own (its "partly translated" would land mid-page).
            # Its links are written from the include file's folder (DocFX rebases them).
            return docfx.rebase_links(self.render_page(
                target, locale, stack=stack + (page.path,), translations=found,
                source_locale=self.config.source_locale, alert_titles=options.get("alert_titles"),
                notices_in=options.get("notices_in"), notices=False).markdown, uri, page.path)
        result = render.render_page(page, include=include, **options)
        return replace(result, markdown=yamlpage.page_links(result.markdown, page.path,
                                                            self.yaml_pages))

    def _include(self, locale: str | None, uri: str, page: Page
                 ) -> tuple[Page, Translations | None, Read]:
        """The page an include of ``page`` shows in ``locale``, its translations, and
        what that render reads."""
        here = self.locales.get(locale) if locale else None
        found: Translations | None
        if here is not None and uri in here.pages:
            target = here.pages[uri][1]
            found, source = self._found(locale, uri, target)
        elif uri in self.source_pages:
            target, found, source = self.source_pages[uri], ({} if locale else None), "-"
        else:
            raise DoclocError(f"include {uri!r} not found in the content folder", page.path)
        digest = self._digest(self.session, target)[0] if self.session is not None else ""
        return target, found, ("page", locale, uri, digest, source)

    def _still(self, read: tuple[Read, ...], page: Page) -> bool:
        """Whether what a remembered render read is as it was."""
        for kind, locale, name, digest, source in read:
            try:
                now = (self._include(locale, name, page)[2] if kind == "page" else
                       ("file", None, name, reads.with_sha1(name)[1], ""))
            except (DoclocError, OSError):
                return False
            if now != (kind, locale, name, digest, source):
                return False
        return True

    def safe(self, page: Page, locale: str | None, *, where: str | None = None,
             **options: Unpack[RenderOptions]) -> Rendered:
        """Render, or report the problem (at ``where``, the page's file) and render
        with includes shown as plain text."""
        key: _RenderKey | None = None
        session = self.session
        if session is not None:
            digest, reads_files = self._digest(session, page)
            source = (self._found(locale, page.path, page)[1]
                      if options.get("translations") is not None else None)
            docset = docset_of(self.docsets, page.path)
            key = (locale, page.path, digest, source,
                   self.xrefmap(locale, docset.root if docset else "")[1],
                   repr(sorted((k, v) for k, v in options.items() if k != "translations")))
            self.used.add(key)
            if key in session.rendered and (
                    not reads_files or self._still(session.read.get(key, ()), page)):
                return session.rendered[key]
        before = len(self.problems)
        outer, self.seen = self.seen, []
        try:
            result = self.render_page(page, locale, **options)
            if session is not None and key is not None and len(self.problems) == before:
                session.rendered[key] = result
                if reads_files:
                    session.read[key] = tuple(dict.fromkeys(self.seen))
            return result
        except DoclocError as exc:
            problem = exc.problem
            if where and problem.path == page.path:
                problem = replace(problem, path=where)
            self.problems.append(problem)
            inert = tuple(_INERT.sub(r"[\1", p).replace(":::code", "::: code-")
                          if isinstance(p, str) else p for p in page.parts)
            return render.render_page(Page(page.path, page.locale, inert, page.meta), **options)
        finally:
            self.seen = outer


def _translations(data: bytes, where: str, problems: list[Problem]) -> Translations | None:
    """A catalog's translations, or None (its problem appended) when it cannot be read."""
    try:
        return cat.translations(catalog_po.load(data, where))
    except DoclocError as exc:
        problems.append(exc.problem)
        return None


def _english_title(page: Page) -> str:
    """A bilingual page's English title: the source of the segment that is its title,
    else of its first heading's (as ``render`` finds the title)."""
    title = str(page.meta.get("title") or "")
    found = next((s.source for s in page.segments if s.target == title and s.source), None)
    if found is None:
        for before, part in zip(page.parts, page.parts[1:]):
            if isinstance(before, str) and not isinstance(part, str) and part.source and \
                    re.search(r"(?:^|\n)#[ \t]+(?:<a [^>]*></a>\s*)?$", before):
                return part.source
    return found or title

