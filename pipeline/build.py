"""``docloc build``: the whole job, top to bottom, as named phases.

1. Scan the content folder once: extract, check and the pages all read that scan.
2. Extract: update the catalogs, so the site shows what translators see.
3. Check: the coverage gate; no site below the configured coverage.
4. Nothing changed since the last full build (``inputs``): report it again.
5. Gather every page of every locale, its catalog's translations and the TOCs.
6. Plan what every language shares: the English page of each uri, the docsets and
   the include files never published (``structure``), the renderer (``rendering``).
7. Render each page for the source language and for every target language
   (a page missing in a locale is rendered from the source, with a notice).
8. Build one MkDocs site per language and swap them in together.
9. Check links and anchors per language; those broken in the source too are
   reported as such.
Everything is rendered in memory before anything is written. The machinery lives
beside the phases: ``rendering`` (the renderer, and ``Session``: what ``docloc serve``
keeps from one build to the next), ``structure`` (docsets, include files, the
navigation) and ``inputs`` (the nothing-changed shortcut).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from . import coverage, docfx, l10n, site, structure, toc, yamlpage
from .config import Config
from .errors import DoclocError, Problem
from .extract import ExtractReport, extract
from .files import write_atomic
from .gate import GateResult, check
from .inputs import Memo, inputs_digest, unchanged
from .model import Page
from .project import Parsed, Progress, Scan, read_content, scan_content
from .render import Rendered
from .rendering import ContentFiles, Renderer, keep_used
from .rendering import Session as Session  # re-exported: serve and tests use build.Session
from .structure import LocaleContent

COVERAGE_PAGE = "docloc-coverage.md"
"""The page of each translated site that shows its coverage (``coverage_page``)."""


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
    quick = session is not None and session.quick
    # Nothing changed since the last full build: nothing to do. (A quick build never
    # writes the memo, so serve's saves, quick all, need not ask.)
    digest = "" if quick else inputs_digest(config, only_locale)
    last = None if quick else unchanged(config, memo, digest, only_locale is None)
    if last is not None and (session is None or session.rendered):
        return _as_last_built(config, report, last, abs_work)
    memo.unlink(missing_ok=True)
    before = len(report.problems)
    # Workers start importing MkDocs now, on the other core, while this one renders.
    with site.BuildPool(1 if quick else jobs, warm=not quick) as pool:
        _render_and_build(config, report, only_locale, pool, abs_work, progress, session, scan)
    report.problems = list(dict.fromkeys(report.problems))  # each once (two navs read one TOC)
    if quick:
        return report  # the site is a preview now: the next docloc build builds it in full
    done: Memo = {
        "digest": digest, "languages": report.languages, "pages": report.pages,
        "generated": report.generated,
        "problems": [p.to_json() for p in report.problems[before:]]}
    write_atomic(memo, json.dumps(done, indent=1).encode("utf-8"))
    return report


def _as_last_built(config: Config, report: BuildReport, last: Memo, abs_work: Path
                   ) -> BuildReport:
    """The last build's report, for a build of the same inputs: its languages, pages and
    problems, and the broken links it found."""
    report.languages, report.pages = last["languages"], last["pages"]
    report.problems.extend(Problem.from_json(p) for p in last["problems"])
    report.broken_links = _links(config.site, abs_work,
                                 [site.url_tag(lang) for lang in report.languages], [],
                                 config.source_locale, frozenset(last.get("generated", ())))
    return report


def _render_and_build(config: Config, report: BuildReport, only_locale: str | None,
                      pool: site.BuildPool, abs_work: Path, progress: Progress | None,
                      session: Session | None, scan: Scan) -> None:
    """Gather, plan, render every page of every language, build the sites, check links."""
    # gather
    locales, problems = gather(config, progress=progress,
                               parsed=session.pages if session is not None else None, scan=scan)
    if not report.extract:
        report.problems.extend(problems)
    english_only = locales.pop(config.source_locale, LocaleContent())
    if not locales:
        raise DoclocError("no bilingual pages found; check --content", str(config.content))
    # plan
    plan = _plan(config, locales, english_only, report, session, scan, only_locale, progress)
    # render each language
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
        keep_used(session, plan.renderer)
    report.languages = [lang.locale for lang in languages]
    report.pages = sum(len(lang.pages) for lang in languages)
    # build the sites
    exists = {config.source_locale: set(plan.source_pages) - plan.hidden}
    exists.update({locale: set(locales[locale].pages) - plan.hidden for locale in locales})
    built = site.build_site(languages,
                            abs_mkdocs=config.mkdocs if config.mkdocs.is_file() else None,
                            abs_site=config.site, abs_work=abs_work, exists=exists,
                            root=only_locale is None, source_locale=config.source_locale,
                            pool=pool, quick=session is not None and session.quick,
                            written=session.docs if session is not None else None,
                            previews=session.previews if session is not None else None,
                            progress=progress)
    report.warnings.extend(built.warnings)
    report.rebuilt = built.rebuilt
    # check links. A quick build checks nothing new: its links are the last full build's.
    report.generated = [] if "index.md" in plan.source_pages else ["index.html"]
    report.broken_links = _links(config.site, abs_work, [lang.tag for lang in languages],
                                 [] if session is not None and session.quick else
                                 [site.url_tag(locale) for locale in built.rebuilt],
                                 config.source_locale, frozenset(report.generated))


def gather(config: Config, *, progress: Progress | None = None, parsed: Parsed | None = None,
           scan: Scan | None = None) -> tuple[dict[str, LocaleContent], list[Problem]]:
    """Every locale's pages, TOCs and assets (the source language's too), and the
    problems of reading them."""
    content = read_content(config.content, source_locale=config.source_locale,
                           progress=progress, parsed=parsed, scan=scan)
    locales: dict[str, LocaleContent] = defaultdict(LocaleContent)
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


@dataclass
class _Plan:
    """What every language's rendering shares: the English page of each uri, the pages
    never published (include files), the docsets, the renderer, the nav's inputs."""

    config: Config
    locales: dict[str, LocaleContent]
    english_only: LocaleContent
    source_pages: dict[str, Page]
    source_where: dict[str, str]
    assets: dict[str, Path]
    hidden: set[str]
    docsets: tuple[docfx.Docset, ...]
    renderer: Renderer
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


def _english_pages(config: Config, locales: dict[str, LocaleContent],
                   english_only: LocaleContent
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


def _plan(config: Config, locales: dict[str, LocaleContent], english_only: LocaleContent,
          report: BuildReport, session: Session | None, scan: Scan, only_locale: str | None,
          progress: Progress | None) -> _Plan:
    source_pages, source_where, assets = _english_pages(config, locales, english_only)
    docsets = structure.read_docsets(config, scan, report.problems)
    hidden = structure.include_files(source_pages, locales, docsets)
    renderer = Renderer(config, locales, source_pages, report.problems, session,
                        docsets=docsets, files=ContentFiles.of(config.content, scan))
    site_name = site.default_site_name(config.content, [d.title for d in sorted(
        docsets, key=lambda d: (d.root.count("/") + bool(d.root), d.root))])
    wanted = [loc for loc in locales if only_locale in (None, loc)]
    return _Plan(config, locales, english_only, source_pages, source_where, assets, hidden,
                 docsets, renderer, structure.uids(source_pages), site_name,
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
    nav = structure.nav(plan.locales[sorted(plan.locales)[0]], plan.all_pages,
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
    nav = structure.nav(here, plan.all_pages, partial(structure.label, titles),
                        report.problems, config.content, plan.uids, plan.docsets)
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


def _front_key(markdown: str, key: str, value: str) -> str:
    """The rendered page with one more front matter key (a YAML value as written)."""
    if markdown.startswith("---\n"):
        return f"---\n{key}: {value}\n" + markdown[4:]
    return f"---\n{key}: {value}\n---\n\n" + markdown


def _with_pivots(markdown: str, pivots: list[list[str]]) -> str:
    """``docloc_pivots``: the titles ``docfx.js`` shows on the zone selector's buttons."""
    return _front_key(markdown, "docloc_pivots", json.dumps(pivots, ensure_ascii=False)) \
        if pivots else markdown


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
