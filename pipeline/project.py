"""Finding the pages of a content folder and telling their locale.

1. Every ``.md`` file under the content folder is read; a file without
   segments (TOC.md, a plain page) passes through and is never an error.
2. A page's locale comes from ``ms.contentlocale``, else from a
   ``content/<locale>/`` folder, else from the other pages of the same tree when
   they agree (include files often have no front matter), else from the
   ``--locale`` fallback; a page whose locale cannot be told is a problem.
3. A page's catalog name is its path below the locale folder, so
   ``content/fr-FR/a/b.md`` and ``content/de-DE/a/b.md`` are the same page.
4. Symbolic links leading out of the content folder, looping or dangling are
   refused, each a problem naming the link; every other page is read.
5. Plain markdown pages under the source locale's folder (``content/en-US/``)
   are English-only pages: segmented by docloc, translated through catalogs.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from . import reads, sxs
from .errors import DoclocError, Problem
from .model import Page
from .segment import segment_page

_LOCALE_DIR = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})+$|^[a-z]{2}$", re.I)

Progress = Callable[[str, int, int, str], None]
"""``progress(phase, done, total, item)``: ``done`` of ``total`` items of a phase
(``reading``, ``extracting``, ``checking``, ``rendering``, ``building``) are done,
``item`` the last one. The command line draws it as a bar on a terminal only."""


def is_locale_tag(name: str) -> bool:
    return bool(_LOCALE_DIR.match(name))


def normalize_locale(tag: str) -> str:
    """``fr-fr``/``fr_FR`` -> ``fr-FR`` (language lower, region upper, script title)."""
    parts = re.split(r"[-_]", tag.strip())
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) in (2, 3) else part.title())
    return "-".join(out)


@dataclass(frozen=True)
class ContentFile:
    """A file under the content folder."""

    rel_uri: str
    """Path below the content folder (POSIX)."""
    page_uri: str
    """Path below its locale folder: the catalog name shared by all locales."""
    folder_locale: str | None
    """The locale named by its ``content/<locale>/`` folder, if any."""


def walk(abs_content: Path, refused: list[tuple[str, Problem]] | None = None
         ) -> Iterator[tuple[ContentFile, Path]]:
    """Files under the content folder, sorted, skipping hidden ones.

    Symbolic links leading outside the folder (files or folders) are not
    followed: each is appended to ``refused`` with its problem, and the walk goes on.
    """
    root = abs_content.resolve()
    refused = refused if refused is not None else []

    def outside(path: Path) -> str | None:
        """Why a link is refused (leads outside, loops, cannot be followed), or None."""
        if not path.is_symlink():
            return None
        try:
            target = path.resolve(strict=True)
        except (RuntimeError, OSError):  # a loop (a -> b -> a) or a dangling link
            return ("symbolic link that loops or leads nowhere; refused (remove it or "
                    "point it at a file in the content folder)")
        if not target.is_relative_to(root):
            return ("symbolic link leading outside the content folder; refused (copy the "
                    "file in instead)")
        return None

    def refuse(path: Path, why: str) -> None:
        refused.append((path.relative_to(abs_content).as_posix(), Problem(why, str(path))))

    def unreadable(exc: OSError) -> None:
        # A folder os.walk cannot list: its pages are not gone, only unseen, so it is
        # refused like a bad file (the run reports it and leaves its catalogs alone).
        folder = Path(exc.filename) if exc.filename else abs_content
        refused.append((folder.relative_to(abs_content).as_posix() or ".", Problem(
            f"cannot read this folder ({exc.strerror}); its pages are left out and their "
            "catalogs left as they are (fix its permissions)", str(folder))))

    for dirpath, dirnames, filenames in os.walk(abs_content, onerror=unreadable):
        kept = []
        for name in sorted(d for d in dirnames if not d.startswith(".")):
            if why := outside(Path(dirpath) / name):
                refuse(Path(dirpath) / name, why)
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            abs_path = Path(dirpath) / name
            if why := outside(abs_path):
                refuse(abs_path, why)
                continue
            rel = abs_path.relative_to(abs_content).as_posix()
            first, _, rest = rel.partition("/")
            if rest and is_locale_tag(first):
                yield ContentFile(rel, rest, normalize_locale(first)), abs_path
            else:
                yield ContentFile(rel, rel, None), abs_path


@dataclass(frozen=True)
class SourceFile:
    """A markdown file of the content folder, decoded, its locale settled."""

    item: ContentFile
    text: str
    locale: str | None
    where: str
    """The path shown in messages."""
    sha1: str = ""
    """The SHA-1 of the file's bytes, as read (what check's cache knows it by)."""


@dataclass(frozen=True)
class Scan:
    """The content folder's files, read but not parsed."""

    files: tuple[SourceFile, ...]
    others: tuple[ContentFile, ...]
    problems: tuple[Problem, ...]
    bad: frozenset[str]


def scan_content(abs_content: Path, *, display_root: Path | None = None,
                 fallback_locale: str | None = None) -> Scan:
    """Read and decode every markdown file and tell its locale (no parsing yet)."""
    if not abs_content.is_dir():
        raise DoclocError("content folder not found; pass --content DIR or create it",
                          str(abs_content))
    shown = display_root if display_root is not None else abs_content
    problems: list[Problem] = []
    bad: set[str] = set()
    found: list[tuple[ContentFile, Path]] = []
    others: list[tuple[ContentFile, Path]] = []
    refused: list[tuple[str, Problem]] = []
    for item, abs_path in walk(abs_content, refused):
        (found if item.rel_uri.endswith(".md") else others).append((item, abs_path))
    for rel, problem in refused:
        problems.append(problem)
        bad.add(rel)  # its catalogs, if any, are left alone
    decoded: list[tuple[ContentFile, str, str | None, str, str]] = []
    for item, abs_path in found:
        where = str(shown / item.rel_uri)
        try:
            data, digest = reads.with_sha1(abs_path)
            text = reads.derived(abs_path, data, partial(sxs.decode, path=where), "text", where)
        except DoclocError as exc:
            problems.append(exc.problem)
            bad.add(item.rel_uri)
            continue
        except OSError as exc:
            problems.append(Problem(f"cannot read: {exc.strerror}", where))
            bad.add(item.rel_uri)
            continue
        tag = sxs.front_matter(text).get("ms.contentlocale") or item.folder_locale
        decoded.append((item, text, normalize_locale(tag) if tag else tag, where, digest))
    files = []
    for (item, text, _, where, digest), locale in zip(decoded, _settle_locales(
            [(item, locale) for item, _, locale, _, _ in decoded], fallback_locale)):
        files.append(SourceFile(item, text, locale, where, digest))
        if locale is None and "data-ttu-id" in text:
            problems.append(Problem(
                "cannot tell the locale of this page: add ms.contentlocale to its front "
                "matter, put it under content/<locale>/, or pass --locale", where))
    return Scan(tuple(files), tuple(i for i, _ in others), tuple(problems), frozenset(bad))


def is_english_only(source: SourceFile, source_locale: str | None) -> bool:
    """A plain page under the source locale's folder: docloc segments it itself."""
    return bool(source_locale and source.item.folder_locale == normalize_locale(source_locale)
                and "data-ttu-id" not in source.text
                and posixpath.basename(source.item.page_uri).lower() != "toc.md")


def read_page(source: SourceFile, source_locale: str | None) -> tuple[Page, list[Problem]]:
    """Parse one file of a scan into its page (segmenting English-only pages)."""
    folder_locale = source.item.folder_locale  # never None for an English-only page
    found: list[Problem]
    if folder_locale is not None and is_english_only(source, source_locale):
        page, found = segment_page(source.text, source.where, folder_locale,
                                   key=source.item.page_uri), []
    else:
        page, found = sxs.parse(source.text, source.where)
    return replace(page, path=source.item.page_uri, locale=source.locale), found


@dataclass(frozen=True)
class Content:
    """Everything read from a content folder."""

    pages: tuple[tuple[ContentFile, Page], ...]
    """Every markdown file, bilingual or not, with its parsed page."""
    others: tuple[ContentFile, ...]
    """Files that are not markdown (media...)."""
    problems: tuple[Problem, ...]
    bad: frozenset[str]
    """rel_uri of pages that could not be read at all."""


ParsedKey = tuple[str, str, "str | None", "str | None", str]
"""A file as ``read_content`` read it: (rel_uri, where, its locale, the source locale, text)."""
Parsed = dict[ParsedKey, tuple[Page, list[Problem]]]
"""Files parsed by ``read_content``, with the problems parsing them found."""


def read_content(abs_content: Path, *, display_root: Path | None = None,
                 fallback_locale: str | None = None, source_locale: str | None = None,
                 progress: Progress | None = None, parsed: Parsed | None = None,
                 scan: Scan | None = None) -> Content:
    """Read and parse every page under ``abs_content``.

    With ``source_locale``, plain pages under that locale's folder are segmented
    (English-only pages); without, every page is read as it is (export). ``parsed``
    (kept by a long-running caller) spares parsing again a file that did not change;
    it is left holding this read's pages.
    """
    if scan is None:
        scan = scan_content(abs_content, display_root=display_root,
                            fallback_locale=fallback_locale)
    problems = list(scan.problems)
    pages: list[tuple[ContentFile, Page]] = []
    kept: Parsed = {}
    for done, source in enumerate(scan.files, 1):
        key = (source.item.rel_uri, source.where, source.locale, source_locale, source.text)
        page, found = parsed[key] if parsed and key in parsed else \
            read_page(source, source_locale)
        kept[key] = (page, found)
        problems.extend(found)
        pages.append((source.item, page))
        if progress:
            progress("reading", done, len(scan.files), source.item.rel_uri)
    if parsed is not None:
        parsed.clear()
        parsed.update(kept)
    return Content(tuple(pages), scan.others, tuple(problems), scan.bad)


def _settle_locales(pairs: list[tuple[ContentFile, str | None]], fallback: str | None
                    ) -> list[str | None]:
    """Fill in locales from folders, then from agreeing neighbours, then the fallback."""
    known: dict[str, set[str]] = {}
    for item, locale in pairs:
        if locale:
            top = item.rel_uri.split("/")[0] if item.folder_locale else ""
            known.setdefault(top, set()).add(locale)
    settled: list[str | None] = []
    for item, locale in pairs:
        if locale is None:
            top = item.rel_uri.split("/")[0] if item.folder_locale else ""
            agreeing = known.get(top, set())
            if len(agreeing) == 1:
                locale = next(iter(agreeing))
            elif fallback:
                locale = normalize_locale(fallback)
        settled.append(locale)
    return settled
