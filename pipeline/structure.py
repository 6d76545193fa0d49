"""The content's structure as a build sees it: each locale's gathered files, the
docsets, the include files never published, the uids and the navigation.

Design decisions:

1. A locale's content is three maps by uri (``LocaleContent``): its pages (parsed),
   its TOCs (as text: ``toc`` reads them) and its assets (paths, copied as they are).
2. Every ``docfx.json`` of the content folder is a docset (``read_docsets``),
   deepest first: a page belongs to the first that holds it (``docset_of``). A
   locale folder's copy of a docset is the same docset.
3. A page some page includes, or that its ``docfx.json`` leaves out of its content,
   is never published: not a page, not in the navigation, not in search
   (``include_files``).
4. The navigation is ``toc.site_nav`` of the locale's TOCs, each docset a section
   labelled with its title; a TOC entry that only repeats its page's path shows the
   page's title in the language (``label``). Problems name the TOC file as it lies
   in the content folder.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from . import docfx, toc
from .config import Config
from .errors import DoclocError, Problem
from .model import Page
from .project import ContentFile, Scan


@dataclass
class LocaleContent:
    """One locale's files of the content folder, by uri."""

    pages: dict[str, tuple[ContentFile, Page]] = field(default_factory=dict)
    tocs: dict[str, tuple[ContentFile, str]] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)


def label(titles: Mapping[str, str], entry: toc.TocEntry) -> str:
    """A TOC entry's label in a translated nav: the page's title where the TOC only
    repeats its path."""
    return titles.get(entry.href or "", entry.label) if entry.label == entry.href else entry.label


def nav(locale: LocaleContent, pages: set[str], label: Callable[[toc.TocEntry], str],
        problems: list[Problem], abs_content: Path, uids: dict[str, str] | None = None,
        docsets: tuple[docfx.Docset, ...] = ()) -> list[toc.NavEntry] | None:
    """The locale's navigation from its TOCs (``toc.site_nav``), each docset a section
    labelled with its title; problems name the TOC file as it lies in the content folder."""
    return toc.site_nav({uri: (str(abs_content / item.rel_uri), text) for uri, (item, text)
                         in locale.tocs.items()}, pages, label, problems, uids,
                        {d.root: d.section for d in docsets if d.root and d.section})


def uids(pages: dict[str, Page]) -> dict[str, str]:
    """DocFX ``uid`` front matter -> page uri (the first page holding it)."""
    found: dict[str, str] = {}
    for uri, page in sorted(pages.items()):
        uid = page.meta.get("uid")
        if uid:
            found.setdefault(str(uid).strip().strip("'\""), uri)
    return found


def read_docsets(config: Config, scan: Scan, problems: list[Problem]
                 ) -> tuple[docfx.Docset, ...]:
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


def docset_of(docsets: tuple[docfx.Docset, ...], uri: str) -> docfx.Docset | None:
    """The docset a page belongs to (the deepest that holds it), if any."""
    return next((d for d in docsets if d.holds(uri)), None)


def include_files(source_pages: dict[str, Page], locales: dict[str, LocaleContent],
                  docsets: tuple[docfx.Docset, ...]) -> set[str]:
    """Pages that are never published (nor in the navigation or search): those some page
    includes, and those their ``docfx.json`` leaves out of its content (``**/includes/**``)."""
    hidden: set[str] = set()
    pages = [source_pages] + [{uri: page for uri, (_, page) in here.pages.items()}
                              for here in locales.values()]
    for found in pages:
        for uri, page in found.items():
            docset = docset_of(docsets, uri)
            if docset is not None and not docset.publishes(uri):
                hidden.add(uri)
            if "[!include" not in page.names_files:
                continue  # one look at the page, once (serve asks on every save)
            for text in (part if isinstance(part, str) else part.source for part in page.parts):
                hidden |= docfx.include_targets(text, uri, docset.root if docset else "")
    return hidden

