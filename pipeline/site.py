"""Rendered pages -> one MkDocs build per language, assembled into one site.

``build_site`` ties the phases together; each phase is a module of its own:

    mkconfig   one language's MkDocs configuration (base config, extensions, settings)
    pool       the worker processes that run the MkDocs builds (warmed up early)
    publish    docs written to the work folder, digests, built languages swapped in
    links      broken links and anchors in the built pages
    rootpage   the root ``index.html`` choosing the reader's language, ``sitemap.xml``

``mkconfig`` and ``pool`` are the only modules that know MkDocs: moving to Zensical
(which reads the same ``mkdocs.yml``) is a change of those two alone.

1. Each language is its own MkDocs build (``site/<tag>/``), derived from the
   project's ``mkdocs.yml`` (inherited, never copied): its own search index,
   stemmer and 404 page.
2. Every language's docs are written and its build submitted in turn; built
   languages are swapped in only when all are complete, the root page last. A
   language whose docs and configuration did not change is not built again,
   nor touched.
3. Every language has a home page (the logo and the switcher lead there): docs
   without one get a generated page, short whatever the size of the docset.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from . import l10n, mkconfig, publish
from .files import project_lock, remove_leftovers, write_atomic
from .links import check_links
from .mkconfig import (
    MARKDOWN_EXTENSIONS,
    NAV_SIBLINGS,
    LanguageSite,
    build_stamp,
    default_site_name,
    language_name,
    page_url,
    url_tag,
)
from .pool import BuildPool, InPlaceJob, MkDocsJob, build_dirty, run_builds, warm_up
from .publish import Written, assemble, work_folder
from .rootpage import write_root
from .toc import NavEntry

__all__ = [
    "MARKDOWN_EXTENSIONS", "NAV_SIBLINGS", "BuildPool", "LanguageSite", "SiteReport", "Written",
    "assemble", "build_site", "build_stamp", "check_links", "default_site_name",
    "language_name", "page_url", "url_tag", "warm_up", "work_folder",
]
"""The names other modules use: ``build_site`` and its report, and the phases' own,
re-exported."""


@dataclass
class SiteReport:
    languages: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    """Languages whose docs changed and were built again (the others were left alone)."""
    pages: int = 0
    written: int = 0
    warnings: list[str] = field(default_factory=list)


def build_site(languages: Sequence[LanguageSite], *, abs_mkdocs: Path | None,
               abs_site: Path, abs_work: Path, jobs: int = 2, epoch: int = 0,
               exists: dict[str, set[str]] | None = None, root: bool = True,
               source_locale: str | None = None, pool: BuildPool | None = None,
               quick: bool = False, written: Written | None = None,
               previews: dict[str, str] | None = None,
               progress: Callable[[str, int, int, str], None] | None = None) -> SiteReport:
    """Write each language's docs, rebuild the languages whose docs changed, swap them in.

    ``exists`` (locale -> page uris) covers languages not built in this run (a
    ``--locale`` build); ``root`` writes ``index.html`` and ``sitemap.xml``.
    ``quick`` (``docloc serve``): a changed language whose settings and
    navigation are those of its published build gets its changed pages built
    in place (``pool.build_dirty``); the next full build builds it again. ``written``
    ((tag, uri) -> bytes), kept by the caller, spares reading back unchanged docs;
    ``previews`` (tag -> digest of its docs), kept by the caller too, names the
    languages built in place from those very docs (a save elsewhere leaves them be).
    Two builds of the same site never interleave: the second refuses.
    """
    with project_lock(abs_work, "build"):
        remove_leftovers(abs_work)  # a killed build's temporaries (we hold the lock)
        return _build_site(languages, abs_mkdocs=abs_mkdocs, abs_site=abs_site,
                           abs_work=abs_work, jobs=jobs, epoch=epoch, exists=exists, root=root,
                           source_locale=source_locale, pool=pool, quick=quick,
                           written=written, previews=previews, progress=progress)


def _build_site(languages: Sequence[LanguageSite], *, abs_mkdocs: Path | None,
                abs_site: Path, abs_work: Path, jobs: int, epoch: int,
                exists: dict[str, set[str]] | None, root: bool,
                source_locale: str | None, pool: BuildPool | None,
                quick: bool = False, written: Written | None = None,
                previews: dict[str, str] | None = None,
                progress: Callable[[str, int, int, str], None] | None = None) -> SiteReport:
    report = SiteReport()
    previews = previews if previews is not None else {}
    exists = dict(exists or {})
    exists.update({lang.locale: set(lang.pages) - lang.stand_ins for lang in languages})
    source = source_locale or next((lang.locale for lang in languages if lang.source), None)
    everyone = [LanguageSite(locale, {}, source=locale == source)
                for locale in sorted(exists, key=lambda l: (l != source, l))]
    stamp = build_stamp(abs_mkdocs)
    base = mkconfig.base_config(abs_mkdocs)  # read once for every language
    site_url = base.get("site_url") or None
    builds: list[MkDocsJob] = []
    changed: list[publish.Changed] = []
    in_place: list[tuple[InPlaceJob, str, str]] = []  # with its tag and docs' digest
    for lang in languages:
        abs_docs = abs_work / lang.tag / "docs"
        if "index.md" not in lang.pages:
            # Every language needs a home page: the logo and the switcher lead there.
            lang = _with_home(lang)
        wanted = publish.docs_files(lang, everyone, exists)
        report.written += publish.write_docs(abs_docs, lang.tag, wanted, written)
        publish.remove_stale(abs_docs, set(wanted))
        config = mkconfig.mkdocs_yaml(abs_mkdocs, lang, abs_docs, abs_work / lang.tag / "site",
                                      everyone, stamp, base)
        abs_config = abs_work / lang.tag / "mkdocs.yml"
        config_bytes = mkconfig.dump_yaml(config)
        write_atomic(abs_config, config_bytes)
        report.languages.append(lang.locale)
        report.pages += len(lang.pages)
        # What the published language was built from, recorded once it is in place:
        # a build interrupted at any point is redone by the next one.
        digest = publish.docs_digest(config_bytes, wanted)
        built = abs_work / lang.tag / "published.sha1"
        live = abs_site / lang.tag
        if publish.up_to_date(live, built, digest):
            continue
        if quick and previews.get(lang.tag) == digest and live.is_dir() and not built.exists():
            continue  # built in place from these very docs, and no full build since
        settings = abs_work / lang.tag / "published-config.sha1"
        config_digest = hashlib.sha1(config_bytes).hexdigest()
        if quick and publish.in_place_possible(live, settings, config_digest):
            in_place.append(((str(abs_config), lang.locale, epoch, live), lang.tag, digest))
            built.unlink(missing_ok=True)  # a preview now: the next full build redoes it
            continue
        builds.append((str(abs_config), lang.locale, epoch))
        changed.append((lang, built, digest, (settings, config_digest)))
    for _, messages in run_builds(builds, pool=pool, jobs=jobs, progress=progress):
        report.warnings.extend(messages)
    for args, tag, digest in in_place:
        report.warnings.extend(build_dirty(*args))
        previews[tag] = digest
    publish.swap_in(changed, abs_site=abs_site, abs_work=abs_work, exists=exists, site_url=site_url)
    report.rebuilt = [lang.locale for lang, *_ in changed] + [args[1] for args, _, _ in in_place]
    if root:
        write_root(abs_site, exists, source=source, site_url=site_url)
    return report


HOME_LINKS = 8
"""Links a generated home page shows per section; the navigation has the rest."""


def _with_home(lang: LanguageSite) -> LanguageSite:
    """The language with a generated landing page: the site's name and, per top-level
    section of its navigation (or folder), its first pages, so the home page stays
    short whatever the size of the docset."""
    words = l10n.ui(lang.locale.split("-")[0].lower())
    name = lang.site_name or "Documentation"

    def first_page(items: Sequence[NavEntry]) -> str | None:
        for item in items:
            for value in item.values():
                found = first_page(value) if isinstance(value, list) else \
                    None if re.match(r"^[a-z][a-z0-9+.-]*:", value) else value
                if found:
                    return found
        return None

    def links(items: Sequence[NavEntry]) -> list[str]:
        out = []
        for item in items:
            for label, value in item.items():
                target = first_page(value) if isinstance(value, list) else value
                if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    out.append(f"- [{_md_label(label)}]({target})")
        if len(out) > HOME_LINKS:
            out = out[:HOME_LINKS] + [f"- {words['more'].format(count=len(out) - HOME_LINKS)}"]
        return out

    nav = lang.nav
    if not nav:  # the folder structure: top-level pages, then one section per folder
        folders: dict[str, list[NavEntry]] = {}
        for uri in sorted(lang.pages):
            top = uri.split("/")[0] if "/" in uri else ""
            folders.setdefault(top, []).append({uri[:-3].split("/")[-1]: uri})
        nav = folders.pop("", []) + [{folder: items} for folder, items in folders.items()]
    loose = [item for item in nav if not any(isinstance(v, list) for v in item.values())]
    lines = [f"# {_md_label(name)}", ""] + links(loose)
    for item in nav:
        for label, value in item.items():
            if isinstance(value, list):
                lines += ["", f"## {_md_label(label)}", ""] + links(value)
    home = "---\ntitle: " + json.dumps(name, ensure_ascii=False) + "\n---\n\n" + \
        "\n".join(lines) + "\n"
    linked = first_page(lang.nav or []) == "index.md"  # the TOC leads home already
    home_entry: list[NavEntry] = [] if linked else [{words["home"]: "index.md"}]
    return replace(lang, pages={**lang.pages, "index.md": home},
                   nav=home_entry + lang.nav if lang.nav else None)


def _md_label(text: str) -> str:
    """A label as Markdown text that shows exactly it (no markup, no HTML)."""
    return re.sub(r"([\\`*_\[\]<>#!|{}])", r"\\\1", html.escape(text, quote=False))
