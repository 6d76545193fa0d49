"""Publishing: each language's docs written to the work folder, its build swapped in.

1. Each language is built into a folder beside the site that replaces the
   language's folder only when complete: a failed or killed build leaves the
   previous pages served (one atomic exchange where the system can: ``_swap``).
2. A language whose docs and configuration did not change is not built again,
   nor touched: what it was built from (``docs_digest``) is recorded once it
   is in place, so a build interrupted at any point is redone by the next one.
3. The work folder (``.docloc-work/<site>/``, beside the site) holds the
   rendered docs, MkDocs configurations and memos; it is never committed.
4. Languages built separately (``docloc build --locale``) carry a manifest,
   from which ``assemble`` puts them together into one site.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Mapping, Sequence, TypedDict

from . import reads
from .errors import DoclocError
from .files import write_atomic
from .mkconfig import ASSETS, THEME_DIR, Alternate, LanguageSite, alternates, front_matter_insert, url_tag
from .rootpage import write_root

WORK_FOLDER = ".docloc-work"
"""Beside the site: each site's rendered docs, MkDocs configurations and memos
(``.docloc-work/<site>/``), never committed (it holds its own ``.gitignore``)."""


def work_folder(abs_site: Path) -> Path:
    """The work folder of the site at ``abs_site``, created with its ``.gitignore``."""
    top = abs_site.parent / WORK_FOLDER
    top.mkdir(parents=True, exist_ok=True)
    write_atomic(top / ".gitignore", b"# docloc's work folder: rebuilt by any docloc build\n*\n")
    return top / abs_site.name


Written = dict[tuple[str, str], bytes]
"""(language tag, docs uri) -> the bytes last written there (``written`` of
``site.build_site``)."""


Changed = tuple[LanguageSite, Path, str, tuple[Path, str]]
"""A language built aside: (it, its published.sha1, the digest to record there,
(its published-config.sha1, the digest of its settings))."""


def docs_files(lang: LanguageSite, everyone: Sequence[LanguageSite],
               exists: dict[str, set[str]]) -> dict[str, bytes]:
    """Docs uri -> bytes of a language's docs folder: pages (with their alternates), assets
    and files of the language, then the theme's stylesheets and scripts."""
    wanted = {}
    for uri, markdown in lang.pages.items():
        links = alternates(everyone, exists, lang, uri)
        # serve: a page rendered from the cache is the same string, and its doc the
        # same bytes (not encoded, hashed or compared with what was written again).
        wanted[uri] = reads.reuse(("doc", lang.tag, uri), markdown, links,
                                  partial(_doc, markdown, links))
    for uri, abs_path in lang.assets.items():
        wanted[uri] = reads.read_bytes(abs_path)  # serve: read again only when saved
    wanted.update(lang.files)
    for name in ASSETS:
        wanted[f"assets/{name}"] = (THEME_DIR / "assets" / name).read_bytes()
    return wanted


def _doc(markdown: str, links: list[Alternate]) -> bytes:
    return front_matter_insert(markdown, {"docloc_alternates": links}).encode("utf-8")


def write_docs(abs_docs: Path, tag: str, wanted: Mapping[str, bytes],
               written: Written | None) -> int:
    """Write the docs that changed; return how many files were written."""
    count = 0
    for uri, data in sorted(wanted.items()):
        # A long-running caller remembers what it wrote: those files are not read again.
        if written is None or written.get((tag, uri)) != data:
            count += write_atomic(abs_docs / uri, data)
            if written is not None:
                written[(tag, uri)] = data
    return count


def docs_digest(config_bytes: bytes, wanted: Mapping[str, bytes]) -> str:
    """The digest of what a language is built from: its mkdocs.yml and its docs."""
    digest = hashlib.sha1(config_bytes)
    for uri, data in sorted(wanted.items()):
        # Each doc by its SHA-1, which serve remembers for the assets it did not read again.
        digest.update(f"\0{uri}\0{len(data)}\0{reads.sha1(data, ('doc', uri))}".encode())
    return digest.hexdigest()


def up_to_date(live: Path, built: Path, digest: str) -> bool:
    """Whether the published language was built from exactly this (``digest``)."""
    return live.is_dir() and built.is_file() and \
        built.read_text(encoding="ascii").strip() == digest


def in_place_possible(live: Path, settings: Path, config_digest: str) -> bool:
    """Whether a published language, built with these very settings, can take its changed
    pages in place (``pool.build_dirty``)."""
    return (live / "index.html").is_file() and \
        (live / "search" / "search_index.json").is_file() and \
        settings.is_file() and settings.read_text(encoding="ascii") == config_digest


def remove_stale(abs_docs: Path, wanted: set[str]) -> int:
    """Delete the docs no longer wanted; return how many files were deleted."""
    removed = 0
    if not abs_docs.is_dir():
        return removed
    for path in sorted(abs_docs.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(abs_docs).as_posix() not in wanted:
            path.unlink()
            removed += 1
    return removed


def swap_in(changed: Sequence[Changed], *, abs_site: Path, abs_work: Path,
            exists: dict[str, set[str]], site_url: str | None) -> None:
    """Put each language built aside in place of its predecessor, and record what it was
    built from."""
    # Every changed language is complete aside; now each replaces its predecessor.
    abs_site.mkdir(parents=True, exist_ok=True)
    trash = abs_work / ".trash"
    shutil.rmtree(trash, ignore_errors=True)  # what an interrupted run left to delete
    for lang, built, published, (settings, config_digest) in changed:
        _write_manifest(abs_work / lang.tag / "site", lang, exists, site_url)
        _swap(abs_work / lang.tag / "site", abs_site / lang.tag, trash)
        write_atomic(built, published.encode("ascii") + b"\n")
        write_atomic(settings, config_digest.encode("ascii"))
    shutil.rmtree(trash, ignore_errors=True)


class Manifest(TypedDict):
    """``<tag>/docloc-manifest.json``: what ``docloc assemble`` needs of a language built
    elsewhere."""

    locale: str
    source: bool
    """True for the source language."""
    pages: list[str]
    """The page uris the language has."""
    site_url: str | None


def _write_manifest(abs_lang_site: Path, lang: LanguageSite, exists: dict[str, set[str]],
                    site_url: str | None) -> None:
    """What ``docloc assemble`` needs of a language built elsewhere."""
    manifest: Manifest = {"locale": lang.locale, "source": lang.source,
                          "pages": sorted(exists.get(lang.locale, ())), "site_url": site_url}
    (abs_lang_site / "docloc-manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def assemble(parts: Sequence[Path], abs_site: Path) -> list[str]:
    """Put languages built separately (``docloc build --locale``) into one site."""
    found: dict[str, tuple[Path, Manifest]] = {}
    for part in parts:
        for manifest in sorted(part.glob("*/docloc-manifest.json")):
            data: Manifest = json.loads(manifest.read_text(encoding="utf-8"))
            found[data["locale"]] = (manifest.parent, data)
    if not found:
        raise DoclocError("no language builds found (each has <tag>/docloc-manifest.json); "
                          "run docloc build --locale TAG --site DIR first", str(parts[0]))
    abs_site.mkdir(parents=True, exist_ok=True)
    for locale, (folder, _) in sorted(found.items()):
        staging = Path(tempfile.mkdtemp(prefix=f".{url_tag(locale)}.", dir=abs_site))
        shutil.rmtree(staging)
        shutil.copytree(folder, staging)
        _swap(staging, abs_site / url_tag(locale),
              work_folder(abs_site) / ".trash")
    exists = {locale: set(data["pages"]) for locale, (_, data) in found.items()}
    source = next((locale for locale, (_, data) in found.items() if data["source"]), None)
    site_url = next((data.get("site_url") for _, data in found.values() if data.get("site_url")), None)
    write_root(abs_site, exists, source=source, site_url=site_url)
    return sorted(found)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``);
    False where the system cannot."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a kernel or filesystem without it
    raise OSError(error, os.strerror(error), str(b))


def _swap(staging: Path, abs_site: Path, trash: Path) -> None:
    """Put a new folder in place of the published one.

    Where the system can, both change places in one step, so no moment exists
    without the language (a kill at any point leaves old or new). Elsewhere the
    old one goes to ``trash`` (outside the published folder, emptied by the next
    run if this one dies), then the new one in: a few microseconds without it.
    """
    old = None
    try:
        if abs_site.exists():
            trash.mkdir(parents=True, exist_ok=True)
            if _exchange(staging, abs_site):
                shutil.rmtree(staging, ignore_errors=True)  # the previous pages, now
                return
            old = Path(tempfile.mkdtemp(prefix=f"{abs_site.name}-", dir=trash))
            os.replace(abs_site, old)
        os.replace(staging, abs_site)
    except OSError as exc:
        if old is not None and not abs_site.exists():
            os.replace(old, abs_site)  # the previous one goes back where it was
        raise DoclocError(f"cannot put the new pages in place ({exc.strerror}); the "
                          "previous ones are still served", str(abs_site)) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
