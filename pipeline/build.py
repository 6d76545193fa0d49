"""``docloc build``: the whole job, top to bottom.

1. Update the catalogs (extract), so the site shows what translators see.
2. Gather every page of every locale, its catalog's translations and the TOCs.
3. Render each page for the source language and for every target language
   (a page missing in a locale is rendered from the source, with a notice).
4. Build one MkDocs site per language and swap them in together.
5. Check links and anchors per language; those broken in the source too are
   reported as such.
Everything is rendered in memory before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping, TypedDict, Unpack

from . import __version__, coverage, docfx, l10n, render, site, toc, yamlpage
from . import catalog as cat
from .config import Config
from .errors import DoclocError, Problem
from .extract import ExtractReport, extract
from .files import write_atomic
from .gate import GateResult, check
from .model import Page
from .project import ContentFile, Parsed, Progress, Scan, read_content, scan_content
from .render import Rendered

Translations = dict[tuple[str | None, str], str]
"""A catalog's translations (``catalog.translations``): (msgctxt, msgid) -> msgstr."""


@dataclass
class BuildReport:
    extract: ExtractReport | None = None
    gate: GateResult | None = None
    languages: list[str] = field(default_factory=list)
    pages: int = 0
    problems: list[Problem] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    """Languages MkDocs built again (those whose pages or settings changed)."""
    broken_links: dict[str, list[str]] = field(default_factory=dict)
    """Per language tag; entries already broken in the source end in "(broken in source)"."""
    warnings: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    """Pages docloc writes itself (the home page it makes when the content has none),
    as site paths (``index.html``)."""


COVERAGE_PAGE = "docloc-coverage.md"



def coverage_page(locale: str, figures: coverage.LocaleReport,
                  unpublished: frozenset[str] = frozenset()) -> str:
    """A locale's coverage page, in its language: the figures of ``docloc check`` and its
    badge. Figures first, the page last: long page paths never push the figures off.
    ``unpublished`` pages (include files) are named, not linked."""
    words = l10n.ui(locale.split("-")[0].lower())
    rows: list[str] = []
    for uri, f in figures.pages.items():
        m = f.messages
        shown = f"`{uri}`" if uri in unpublished else f"[{uri}]({uri})"
        rows.append(f"| {coverage.shown(m.coverage)} % | {m.translated} | {m.fuzzy} | "
                    f"{m.untranslated} | {f.words.total} | {shown} |")
    total = figures.figures.messages
    summary = words["coverage_summary"].format(translated=total.translated, total=total.total,
                                               fuzzy=total.fuzzy)
    return (f"---\ntitle: {json.dumps(words['coverage'], ensure_ascii=False)}\n---\n\n"
            f"# {words['coverage']} ({site.language_name(locale)})\n\n"
            f"![{coverage.shown(total.coverage)} %](assets/coverage.svg)\n\n"
            f"{summary}\n\n"
            f"| % | {words['translated']} | {words['fuzzy']} | {words['untranslated']} | "
            f"{words['words']} | {words['page']} |\n"
            "|---:|---:|---:|---:|---:|---|\n" + "\n".join(rows) + "\n")


def _links(abs_site: Path, abs_work: Path, tags: list[str], rebuilt: list[str],
           source_locale: str, generated: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Broken links per language: checked for rebuilt languages, remembered for the others.

    Those broken in the source language too end in "(broken in source)"; those of a
    page docloc writes (``generated``: the home page it makes, the coverage page) in
    "(docloc's own page)": the source is not to blame for them.
    """
    fresh = site.check_links(abs_site, rebuilt)
    found: dict[str, list[str]] = {}
    for tag in tags:
        memo = abs_work / tag / "broken-links.json"
        if tag in fresh:
            found[tag] = fresh[tag]
            write_atomic(memo, json.dumps(fresh[tag], indent=0).encode())
        else:
            try:
                found[tag] = json.loads(memo.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found[tag] = site.check_links(abs_site, [tag])[tag]
    source_tag = site.url_tag(source_locale)
    in_source = set(found.get(source_tag, []))
    generated = generated | {site.page_url(COVERAGE_PAGE) + "index.html"}

    def why(tag: str, broken: str) -> str:
        if broken.split(" -> ")[0] in generated:
            return " (docloc's own page)"
        return " (broken in source)" if tag != source_tag and broken in in_source else ""
    return {tag: [b + why(tag, b) for b in broken] for tag, broken in found.items()}


@dataclass
class _Locale:
    pages: dict[str, tuple[ContentFile, Page]] = field(default_factory=dict)
    tocs: dict[str, tuple[ContentFile, str]] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)


def gather(config: Config, *, progress: Progress | None = None, parsed: Parsed | None = None,
           scan: Scan | None = None) -> tuple[dict[str, _Locale], list[Problem]]:
    content = read_content(config.content, source_locale=config.source_locale,
                           progress=progress, parsed=parsed, scan=scan)
    locales: dict[str, _Locale] = defaultdict(_Locale)
    problems: list[Problem] = []
    source_locale = config.source_locale
    for item, page in content.pages:
        locale = page.locale or item.folder_locale
        if locale is None:
            continue
        if toc.is_toc(item.page_uri):
            locales[locale].tocs[item.page_uri] = (item, page.bilingual())
        else:
            # Plain pages too: a vendor's page without spans is still that language's page.
            locales[locale].pages[page.path] = (item, page)
    # A TOC.yml outside a locale folder belongs to the one target locale of the
    # content (a docset of one language, as most are); with several it needs its folder.
    targets = {locale for locale in locales if locale != source_locale}
    only = next(iter(targets)) if len(targets) == 1 else None
    for item in content.others:
        locale = item.folder_locale or only
        if locale is None:
            continue
        if toc.is_toc(item.page_uri):
            # Navigation, never published as a file (it is vendor input: 13.2).
            try:
                text = (config.content / item.rel_uri).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(f"cannot read this TOC ({exc}); left out of the "
                                        "navigation", str(config.content / item.rel_uri)))
                continue
            locales[locale].tocs[item.page_uri] = (item, text)
        elif yamlpage.is_candidate(item.page_uri) and (found := yamlpage.read(
                config.content / item.rel_uri, item.page_uri, locale, problems)):
            # A DocFX YAML page (YamlMime:FAQ, Hub, Landing): a page of its locale.
            locales[locale].pages.setdefault(found.path, (item, found))
        elif item.folder_locale:
            locales[locale].assets[item.page_uri] = config.content / item.rel_uri
    return dict(locales), list(content.problems) + problems


def _translations(data: bytes, where: str, problems: list[Problem]) -> Translations | None:
    """A catalog's translations, or None (its problem appended) when it cannot be read."""
    try:
        return cat.translations(cat.load(data, where))
    except DoclocError as exc:
        problems.append(exc.problem)
        return None


def _label(titles: Mapping[str, str], entry: toc.TocEntry) -> str:
    """A TOC entry's label in a translated nav: the page's title where the TOC only
    repeats its path."""
    return titles.get(entry.href or "", entry.label) if entry.label == entry.href else entry.label


def _nav(locale: _Locale, pages: set[str], label: Callable[[toc.TocEntry], str],
         problems: list[Problem], abs_content: Path, uids: dict[str, str] | None = None,
         docsets: tuple[docfx.Docset, ...] = ()) -> list[toc.NavEntry] | None:
    """The locale's navigation from its TOCs (``toc.site_nav``), each docset a section
    labelled with its title; problems name the TOC file as it lies in the content folder."""
    return toc.site_nav({uri: (str(abs_content / item.rel_uri), text) for uri, (item, text)
                         in locale.tocs.items()}, pages, label, problems, uids,
                        {d.root: d.section for d in docsets if d.root and d.section})


def _uids(pages: dict[str, Page]) -> dict[str, str]:
    """DocFX ``uid`` front matter -> page uri (the first page holding it)."""
    found: dict[str, str] = {}
    for uri, page in sorted(pages.items()):
        uid = page.meta.get("uid")
        if uid:
            found.setdefault(str(uid).strip().strip("'\""), uri)
    return found


def _docsets(config: Config, scan: Scan, problems: list[Problem]) -> tuple[docfx.Docset, ...]:
    """Every ``docfx.json`` of the content folder, deepest first (a page belongs to the
    first that holds it). A locale folder's copy of a docset is the same docset."""
    found: dict[str, docfx.Docset] = {}
    for item in scan.others:
        if posixpath.basename(item.page_uri).lower() != "docfx.json":
            continue
        root = posixpath.dirname(item.page_uri)
        if root in found:
            continue
        where = str(config.content / item.rel_uri)
        try:
            found[root] = docfx.read_docset(
                root, (config.content / item.rel_uri).read_text(encoding="utf-8-sig"), where)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(f"cannot read this docfx.json ({exc}); its pages are "
                                    "built as one docset with the content root", where))
        except DoclocError as exc:
            problems.append(exc.problem)
    return tuple(sorted(found.values(), key=lambda d: (-d.root.count("/") - bool(d.root),
                                                       d.root)))


def _docset_of(docsets: tuple[docfx.Docset, ...], uri: str) -> docfx.Docset | None:
    return next((d for d in docsets if d.holds(uri)), None)


def _include_files(source_pages: dict[str, Page], locales: dict[str, _Locale],
                   docsets: tuple[docfx.Docset, ...]) -> set[str]:
    """Pages that are never published (nor in the navigation or search): those some page
    includes, and those their ``docfx.json`` leaves out of its content (``**/includes/**``)."""
    hidden: set[str] = set()
    pages = [source_pages] + [{uri: page for uri, (_, page) in here.pages.items()}
                              for here in locales.values()]
    for found in pages:
        for uri, page in found.items():
            docset = _docset_of(docsets, uri)
            if docset is not None and not docset.publishes(uri):
                hidden.add(uri)
            for part in page.parts:
                text = part if isinstance(part, str) else part.source
                hidden |= docfx.include_targets(text, uri, docset.root if docset else "")
    return hidden


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


@dataclass(frozen=True)
class _Files:
    """Every file of the content folder by (its locale folder, its locale-relative uri):
    what code snippets, xrefmaps and ``zone-pivot-groups.yml`` are read from."""

    abs_content: Path
    paths: dict[tuple[str | None, str], str]

    @classmethod
    def of(cls, abs_content: Path, scan: Scan) -> "_Files":
        items = [source.item for source in scan.files] + list(scan.others)
        return cls(abs_content, {(i.folder_locale, i.page_uri): i.rel_uri for i in items})

    def find(self, uri: str, locale: str | None, source_locale: str) -> Path | None:
        """The locale's file, else the source language's, else one outside locale folders."""
        for where in (locale, source_locale, None):
            rel = self.paths.get((where, uri))
            if rel is not None:
                return self.abs_content / rel
        return None

    def reader(self, locale: str | None, source_locale: str) -> Callable[[str], str]:
        def read(uri: str) -> str:
            path = self.find(uri, locale, source_locale)
            if path is None:
                raise DoclocError(f"{uri!r} not found in the content folder", uri)
            try:
                return path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise DoclocError(f"cannot read {uri!r} ({exc})", str(path)) from exc
        return read


_RenderKey = tuple["str | None", str, str, "str | None", str, str]
"""What a render is made of: (locale, page uri, digest of the page's text, digest of its
catalog, digest of its xrefmap, the other options)."""


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
    catalogs: dict[str, tuple[str, Translations]] = field(default_factory=dict)
    """Catalog path -> (its SHA-1, its translations)."""
    pages: Parsed = field(default_factory=dict)
    """Pages parsed by the last build (``project.read_content``'s ``parsed``)."""
    docs: site.Written = field(default_factory=dict)
    """(language tag, uri) -> the bytes of each doc handed to MkDocs."""
    digests: dict[int, tuple[Page, str]] = field(default_factory=dict)
    """id(page) -> (page, digest of its text); the page is held so its id stays its own."""


_INERT = re.compile(r"\[!(include|code-)", re.I)
"""Includes and code snippets, shown as text when they cannot be rendered."""


class _Renderer:
    """render_page with ``[!INCLUDE]`` resolved in the same language, and errors kept."""

    def __init__(self, config: Config, locales: dict[str, _Locale],
                 source_pages: dict[str, Page], problems: list[Problem],
                 session: Session | None = None, *, docsets: tuple[docfx.Docset, ...] = (),
                 files: _Files | None = None) -> None:
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
        self.yaml_pages = frozenset(uri for uri, p in source_pages.items()
                                    if p.meta.get(yamlpage.KIND_KEY))
        """Pages made from DocFX YAML files: links to their ``.yml`` lead to them."""

    def translations(self, locale: str | None, uri: str, page: Page) -> Translations:
        return self._found(locale, uri, page)[0]

    @staticmethod
    def _digest(session: Session, page: Page) -> str:
        """The page's text digest, computed once per parsed page (the session keeps
        the parsed pages, so the same object comes back while its file is unchanged)."""
        known = session.digests.get(id(page))
        if known is None or known[0] is not page:
            known = (page, hashlib.sha1(page.bilingual().encode()).hexdigest())
            session.digests[id(page)] = known
        return known[1]

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
                if not uid or _docset_of(self.docsets, uri) is not docset:
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
        docset = _docset_of(self.docsets, page.path)
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
        docset = _docset_of(self.docsets, page.path)
        root = docset.root if docset else ""
        options.setdefault("docset", root)
        options.setdefault("xrefmap", self.xrefmap(locale, root)[0])
        if self.files is not None:
            options.setdefault("read", self.files.reader(locale, self.config.source_locale))
        return options

    def render(self, page: Page, locale: str | None, *, stack: tuple[str, ...] = (),
               **options: Unpack[RenderOptions]) -> Rendered:
        options = self._context(page, locale, options)
        def include(uri: str) -> str:
            if uri in stack + (page.path,):
                raise DoclocError(f"include cycle: {' -> '.join(stack + (page.path, uri))}",
                                  page.path)
            here = self.locales.get(locale) if locale else None
            found: Translations | None
            if here is not None and uri in here.pages:
                target = here.pages[uri][1]
                found = self.translations(locale, uri, target)
            elif uri in self.source_pages:
                target, found = self.source_pages[uri], ({} if locale else None)
            else:
                raise DoclocError(f"include {uri!r} not found in the content folder", page.path)
            # An include speaks the including page's language and carries no notice of its
            # own (its "partly translated" would land mid-page).
            # Its links are written from the include file's folder (DocFX rebases them).
            return docfx.rebase_links(self.render(
                target, locale, stack=stack + (page.path,), translations=found,
                source_locale=self.config.source_locale, alert_titles=options.get("alert_titles"),
                notices_in=options.get("notices_in"), notices=False).markdown, uri, page.path)
        result = render.render_page(page, include=include, **options)
        return replace(result, markdown=yamlpage.page_links(result.markdown, page.path,
                                                            self.yaml_pages))

    def safe(self, page: Page, locale: str | None, *, where: str | None = None,
             **options: Unpack[RenderOptions]) -> Rendered:
        """Render, or report the problem (at ``where``, the page's file) and render
        with includes shown as plain text."""
        key: _RenderKey | None = None
        session = self.session
        if session is not None and not any(
                ("[!include" in part.casefold() or "[!code" in part.casefold()
                 or ":::code" in part) for part in page.parts if isinstance(part, str)):
            # Includes and code snippets are read anew each time: their files may change.
            source = (self._found(locale, page.path, page)[1]
                      if options.get("translations") is not None else None)
            docset = _docset_of(self.docsets, page.path)
            key = (locale, page.path, self._digest(session, page), source,
                   self.xrefmap(locale, docset.root if docset else "")[1],
                   repr(sorted((k, v) for k, v in options.items() if k != "translations")))
            self.used.add(key)
            if key in session.rendered:
                return session.rendered[key]
        before = len(self.problems)
        try:
            result = self.render(page, locale, **options)
            if session is not None and key is not None and len(self.problems) == before:
                session.rendered[key] = result
            return result
        except DoclocError as exc:
            problem = exc.problem
            if where and problem.path == page.path:
                problem = replace(problem, path=where)
            self.problems.append(problem)
            inert = tuple(_INERT.sub(r"[\1", p).replace(":::code", "::: code-")
                          if isinstance(p, str) else p for p in page.parts)
            return render.render_page(Page(page.path, page.locale, inert, page.meta), **options)


def _front_key(markdown: str, key: str, value: str) -> str:
    """The rendered page with one more front matter key (a YAML value as written)."""
    if markdown.startswith("---\n"):
        return f"---\n{key}: {value}\n" + markdown[4:]
    return f"---\n{key}: {value}\n---\n\n" + markdown


def _with_pivots(markdown: str, pivots: list[list[str]]) -> str:
    """``docloc_pivots``: the titles ``docfx.js`` shows on the zone selector's buttons."""
    return _front_key(markdown, "docloc_pivots", json.dumps(pivots, ensure_ascii=False)) \
        if pivots else markdown


def _inputs_digest(config: Config, only_locale: str | None) -> str:
    """Everything a build reads: settings, mkdocs.yml, theme, content and catalogs, and
    docloc's own code (an upgrade, even without a new version number, builds again)."""
    digest = hashlib.sha1(repr((__version__, only_locale, config)).encode())
    for code in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(code.read_bytes())
    digest.update(site._stamp(config.mkdocs if config.mkdocs.is_file() else None).encode())
    for base in (config.content, config.locales):
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError as exc:  # a link loop, an unreadable file: reading the content reports it
                    data = f"\0unreadable {exc.errno}".encode()
                digest.update(f"\0{os.path.relpath(path, base)}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


class _Memo(TypedDict):
    """``inputs-<locale or all>.json`` in the work folder: what the last build was made
    of and what it reported (a build of the same inputs reports it again)."""

    digest: str
    """``_inputs_digest``."""
    languages: list[str]
    pages: int
    generated: list[str]
    problems: list[list[str | int | None]]
    """``Problem.to_json()`` of each problem the build found."""


def _unchanged(config: Config, memo: Path, digest: str, root: bool) -> _Memo | None:
    """The last build's summary if it was built from these very inputs and is still there."""
    try:
        last: _Memo = json.loads(memo.read_text(encoding="utf-8"))
        if last["digest"] != digest:
            return None
        tags = [site.url_tag(locale) for locale in last["languages"]]
        for problem in last["problems"]:
            Problem.from_json(problem)  # a summary not ours: build
    except (OSError, ValueError, LookupError, TypeError):
        return None
    wanted = [config.site / tag / "index.html" for tag in tags]
    if root:
        wanted.append(config.site / "index.html")
    return last if all(path.is_file() for path in wanted) else None


def build(config: Config, *, only_locale: str | None = None, update_catalogs: bool = True,
          jobs: int = 2, progress: Progress | None = None,
          session: Session | None = None) -> BuildReport:
    """Build the site for every language (or one) from content/ and locales/."""
    report = BuildReport()
    scan = scan_content(config.content)  # read once, for extract, check and the pages
    if update_catalogs:
        report.extract = extract(config.content, config.locales,
                                 source_locale=config.source_locale,
                                 similarity=config.similarity, prune=config.prune_obsolete,
                                 scan=scan, progress=progress)
        report.problems.extend(report.extract.problems)
    report.gate = check(config, jobs=jobs, scan=scan, progress=progress)
    if report.gate.failures:
        return report  # the gate: no site below the configured coverage
    abs_work = site.work_folder(config.site)
    memo = abs_work / f"inputs-{only_locale or 'all'}.json"
    digest = _inputs_digest(config, only_locale)
    last = _unchanged(config, memo, digest, only_locale is None)
    # Nothing changed since the last build: nothing to do.
    if last is not None and (session is None or session.rendered):
        report.languages, report.pages = last["languages"], last["pages"]
        report.problems.extend(Problem.from_json(p) for p in last["problems"])
        report.broken_links = _links(config.site, abs_work,
                                     [site.url_tag(lang) for lang in report.languages], [],
                                     config.source_locale, frozenset(last.get("generated", ())))
        return report
    memo.unlink(missing_ok=True)
    before = len(report.problems)
    # Workers start importing MkDocs now, on the other core, while this one renders.
    quick = session is not None and session.quick
    with site.BuildPool(1 if quick else jobs, warm=not quick) as pool:
        _render_and_build(config, report, only_locale, pool, abs_work, progress, session, scan)
    report.problems = list(dict.fromkeys(report.problems))  # each once (two navs read one TOC)
    if quick:
        return report  # the site is a preview now: the next docloc build builds it in full
    done: _Memo = {
        "digest": digest, "languages": report.languages, "pages": report.pages,
        "generated": report.generated,
        "problems": [p.to_json() for p in report.problems[before:]]}
    write_atomic(memo, json.dumps(done, indent=1).encode("utf-8"))
    return report


def _render_and_build(config: Config, report: BuildReport, only_locale: str | None,
                      pool: site.BuildPool, abs_work: Path, progress: Progress | None,
                      session: Session | None, scan: Scan) -> None:
    """Gather, render every page of every language, build the sites, check their links."""
    locales, problems = gather(config, progress=progress,
                               parsed=session.pages if session is not None else None, scan=scan)
    if not report.extract:
        report.problems.extend(problems)
    english_only = locales.pop(config.source_locale, _Locale())
    if not locales:
        raise DoclocError("no bilingual pages found; check --content", str(config.content))
    plan = _plan(config, locales, english_only, report, session, scan, only_locale, progress)
    languages: list[site.LanguageSite] = []
    source = _source_language(plan)  # rendered even for another --locale: its problems count
    if only_locale in (None, config.source_locale):
        languages.append(source)
    for locale in sorted(locales):
        if only_locale in (None, locale):
            language = _target_language(plan, locale, report)
            if language is not None:
                languages.append(language)
    if session is not None:
        _keep_used(session, plan.renderer)
    report.languages = [lang.locale for lang in languages]
    report.pages = sum(len(lang.pages) for lang in languages)
    exists = {config.source_locale: set(plan.source_pages) - plan.hidden}
    exists.update({locale: set(locales[locale].pages) - plan.hidden for locale in locales})
    built = site.build_site(languages, abs_mkdocs=config.mkdocs if config.mkdocs.is_file() else None,
                             abs_site=config.site, abs_work=abs_work, exists=exists,
                             root=only_locale is None, source_locale=config.source_locale,
                             pool=pool, quick=session is not None and session.quick,
                             written=session.docs if session is not None else None,
                             progress=progress)
    report.warnings.extend(built.warnings)
    report.rebuilt = built.rebuilt
    # A quick build checks nothing new: its links are the last full build's.
    report.generated = [] if "index.md" in plan.source_pages else ["index.html"]
    report.broken_links = _links(config.site, abs_work, [lang.tag for lang in languages],
                                 [] if session is not None and session.quick else
                                 [site.url_tag(locale) for locale in built.rebuilt],
                                 config.source_locale, frozenset(report.generated))


@dataclass
class _Plan:
    """What every language's rendering shares: the English page of each uri, the pages
    never published (include files), the docsets, the renderer, the nav's inputs."""

    config: Config
    locales: dict[str, _Locale]
    english_only: _Locale
    source_pages: dict[str, Page]
    source_where: dict[str, str]
    assets: dict[str, Path]
    hidden: set[str]
    docsets: tuple[docfx.Docset, ...]
    renderer: _Renderer
    uids: dict[str, str]
    site_name: str
    bases: dict[str, str]
    progress: Progress | None
    total: int
    """Pages to render in all (for the progress bar)."""
    done: int = 0

    @property
    def all_pages(self) -> set[str]:
        return set(self.source_pages) - self.hidden

    def rendering(self, locale: str, uri: str) -> None:
        self.done += 1
        if self.progress:
            self.progress("rendering", self.done, self.total, f"{locale}/{uri}")

    def language(self, locale: str, pages: dict[str, str], assets: dict[str, Path],
                 nav: list[toc.NavEntry] | None, **extra: Any) -> site.LanguageSite:
        return site.LanguageSite(locale, pages, assets, nav,
                                 trust_content=self.config.trust_content,
                                 site_name=self.site_name, bases=self.bases,
                                 docsets=tuple(d.root for d in self.docsets), **extra)


def _english_pages(config: Config, locales: dict[str, _Locale], english_only: _Locale
                   ) -> tuple[dict[str, Page], dict[str, str], dict[str, Path]]:
    """The English page of each uri (written in English, else from the first locale that
    has it, bilingual pages first: they carry the English), where it lies, the assets."""
    source_pages: dict[str, Page] = {uri: page for uri, (_, page) in english_only.pages.items()}
    source_where = {uri: str(config.content / item.rel_uri)
                    for uri, (item, _) in english_only.pages.items()}
    assets: dict[str, Path] = dict(english_only.assets)
    for locale in sorted(locales):
        for uri, (item, page) in sorted(locales[locale].pages.items()):
            if page.is_bilingual and uri not in source_pages:
                source_pages[uri] = page
                source_where[uri] = str(config.content / item.rel_uri)
    for locale in sorted(locales):
        for uri, (item, page) in sorted(locales[locale].pages.items()):
            if uri not in source_pages:
                source_pages[uri] = page
                source_where[uri] = str(config.content / item.rel_uri)
        for uri, path in locales[locale].assets.items():
            assets.setdefault(uri, path)
    return source_pages, source_where, assets


def _plan(config: Config, locales: dict[str, _Locale], english_only: _Locale,
          report: BuildReport, session: Session | None, scan: Scan, only_locale: str | None,
          progress: Progress | None) -> _Plan:
    source_pages, source_where, assets = _english_pages(config, locales, english_only)
    docsets = _docsets(config, scan, report.problems)
    hidden = _include_files(source_pages, locales, docsets)
    renderer = _Renderer(config, locales, source_pages, report.problems, session,
                         docsets=docsets, files=_Files.of(config.content, scan))
    site_name = site.default_site_name(config.content, [d.title for d in sorted(
        docsets, key=lambda d: (d.root.count("/") + bool(d.root), d.root))])
    wanted = [loc for loc in locales if only_locale in (None, loc)]
    return _Plan(config, locales, english_only, source_pages, source_where, assets, hidden,
                 docsets, renderer, _uids(source_pages), site_name,
                 {d.base_url: d.root for d in docsets if d.base_url}, progress,
                 len(set(source_pages) - hidden) * (1 + len(wanted)))


def _source_language(plan: _Plan) -> site.LanguageSite:
    """The English site: every page in its source text, the nav labelled in English."""
    rendered: dict[str, str] = {}
    titles: dict[str, str] = {}
    for uri, page in sorted(plan.source_pages.items()):
        if uri in plan.hidden:
            continue
        plan.rendering(plan.config.source_locale, uri)
        result = plan.renderer.safe(page, None, where=plan.source_where.get(uri),
                                    translations=None, source_locale=plan.config.source_locale)
        markdown = _with_pivots(result.markdown, plan.renderer.pivots(page, None))
        if uri in plan.english_only.pages:
            # Written by the team in the source language, not delivered by a vendor: its
            # own HTML stays (docloc_hooks); every other page is cleaned (issue 13).
            markdown = _front_key(markdown, "docloc_trusted", "true")
        rendered[uri] = markdown
        titles[uri] = result.title
    english_of: dict[str, str] = {}
    for locale in sorted(plan.locales):
        for _, page in plan.locales[locale].pages.values():
            for segment in page.segments:
                english_of.setdefault(segment.target, segment.source)
    nav = _nav(plan.locales[sorted(plan.locales)[0]], plan.all_pages,
               lambda e: toc.english_label(e, titles, english_of),
               plan.renderer.problems, plan.config.content, plan.uids, plan.docsets)
    return plan.language(plan.config.source_locale, rendered, dict(plan.assets), nav,
                         source=True)


def _target_page(plan: _Plan, locale: str, uri: str) -> tuple[Rendered, bool]:
    """One page of a translated site, and whether it stands in for a page the locale
    lacks (English shown, a notice says so)."""
    here = plan.locales[locale]
    code = locale.split("-")[0].lower()
    source_locale = plan.config.source_locale
    if uri in here.pages or uri in plan.english_only.pages:
        page = here.pages[uri][1] if uri in here.pages else plan.source_pages[uri]
        where = str(plan.config.content / here.pages[uri][0].rel_uri) \
            if uri in here.pages else plan.source_where.get(uri)
        result = plan.renderer.safe(page, locale, where=where,
                                    translations=plan.renderer.translations(locale, uri, page),
                                    source_locale=source_locale,
                                    alert_titles=l10n.ALERT_TITLES.get(code),
                                    marks=True, notices_in=code)
        # an English-only page nobody translated yet stands in too
        return result, uri not in here.pages and not result.translated
    result = plan.renderer.safe(plan.source_pages[uri], None, where=plan.source_where.get(uri),
                                translations=None, source_locale=source_locale,
                                page_exists_in_locale=False, marks=True, notices_in=code)
    return result, True


def _target_language(plan: _Plan, locale: str, report: BuildReport) -> site.LanguageSite | None:
    """A translated site; None when a broken catalog keeps the published one as it was."""
    config, here = plan.config, plan.locales[locale]
    pages: dict[str, str] = {}
    titles: dict[str, str] = {}
    stand_ins: set[str] = set()
    for uri, source_page in sorted(plan.source_pages.items()):
        if uri in plan.hidden:
            continue
        plan.rendering(locale, uri)
        result, stand_in = _target_page(plan, locale, uri)
        if stand_in:
            stand_ins.add(uri)
        pages[uri] = _with_pivots(result.markdown, plan.renderer.pivots(
            here.pages[uri][1] if uri in here.pages else source_page, locale))
        titles[uri] = result.title
    if locale in plan.renderer.broken and \
            (config.site / site.url_tag(locale) / "index.html").is_file():
        # Published work never leaves the site for a broken catalog: the language keeps
        # its last good build until the catalog is fixed.
        report.warnings.append(f"{locale}: a catalog cannot be read (see above); the published "
                               f"{site.url_tag(locale)}/ is kept as it was: fix the catalog "
                               "and build again")
        return None
    nav = _nav(here, plan.all_pages, partial(_label, titles), report.problems, config.content,
               plan.uids, plan.docsets)
    files = {}
    figures = report.gate.report.locales.get(locale) if report.gate else None
    if figures is not None:
        pages[COVERAGE_PAGE] = coverage_page(locale, figures, frozenset(plan.hidden))
        files["assets/coverage.svg"] = coverage.badge_svg(
            locale, figures.figures.coverage(config.coverage_by)).encode()
        if nav is not None:
            nav.append({l10n.ui(locale.split("-")[0].lower())["coverage"]: COVERAGE_PAGE})
    return plan.language(locale, pages, {**plan.assets, **here.assets}, nav, files=files,
                         stand_ins=frozenset(stand_ins))


def _keep_used(session: Session, renderer: _Renderer) -> None:
    """Keep in the session what this build used, drop the rest."""
    session.rendered = {key: session.rendered[key] for key in renderer.used
                        if key in session.rendered}
    live = {id(page) for page, *_ in session.pages.values()}
    session.digests = {k: v for k, v in session.digests.items() if k in live}
