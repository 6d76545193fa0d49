"""``docloc export``: the bilingual pages back, for the vendor, with the catalogs' text.

Design decisions:

1. The output is the whole content folder: every page with each segment's target
   replaced by its catalog's translation (``catalog.apply``), every other file
   copied as it is, dot files included. Untouched catalogs give every page back
   byte for byte (``diff -r content out`` is empty); tests hold this on the
   shared corpora.
2. A page that cannot be read or parsed goes out as it came in, and is
   reported; a broken catalog is reported and its page goes out with the
   vendor's text. Nothing is dropped on a problem.
3. Symbolic links are followed only to files inside the content folder; links
   to folders are never walked (no loops), so the output is a plain tree.
4. The output folder may not lie inside the content folder (the next run would
   read its own output as pages).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as cat
from .errors import DoclocError, Problem
from .extract import read_catalog
from .files import write_atomic
from .project import Content, Progress, read_content


@dataclass
class ExportReport:
    pages: int = 0
    changed: list[str] = field(default_factory=list)
    """rel_uri of pages whose targets changed from the content."""
    copied: int = 0
    problems: list[Problem] = field(default_factory=list)


def export(abs_content: Path, abs_locales: Path, abs_out: Path, *,
           fallback_locale: str | None = None, progress: Progress | None = None
           ) -> ExportReport:
    """Write the bilingual pages back to ``abs_out`` with the catalogs' translations."""
    if abs_out.resolve().is_relative_to(abs_content.resolve()):
        raise DoclocError("the output folder is inside the content folder; choose another "
                          "--out so the pages are not overwritten", str(abs_out))
    report = ExportReport()
    content = read_content(abs_content, fallback_locale=fallback_locale, progress=progress)
    report.problems.extend(content.problems)
    outputs = _pages(content, abs_locales, report)
    for item in content.others:
        outputs[item.rel_uri] = (abs_content / item.rel_uri).read_bytes()
        report.copied += 1
    _as_they_came(content, abs_content, outputs, report)
    for uri, data in sorted(outputs.items()):
        try:
            write_atomic(abs_out / uri, data)
        except DoclocError as exc:
            report.problems.append(exc.problem)
    return report


def _pages(content: Content, abs_locales: Path, report: ExportReport) -> dict[str, bytes]:
    """Each readable page with its catalog's translations (decision 1)."""
    outputs: dict[str, bytes] = {}
    for item, page in content.pages:
        if item.rel_uri in content.bad:
            continue
        report.pages += 1
        if page.is_bilingual and page.locale:
            uri = cat.catalog_uri(page.locale, page.path)
            try:
                catalog = read_catalog(abs_locales / uri, str(abs_locales / uri))
            except DoclocError as exc:
                report.problems.append(exc.problem)
                catalog = None
            if catalog is not None:
                new = cat.apply(page, cat.translations(catalog))
                if new is not page:
                    report.changed.append(item.rel_uri)
                page = new
        outputs[item.rel_uri] = page.bilingual().encode("utf-8")
    return outputs


def _as_they_came(content: Content, abs_content: Path, outputs: dict[str, bytes],
                  report: ExportReport) -> None:
    """Pages that could not be parsed, and every file the page finder leaves out
    (``.gitignore``, ``.openpublishing.*``), copied as they are (decision 2)."""
    for rel in sorted(content.bad):
        abs_path = abs_content / rel
        if abs_path.is_symlink() or not abs_path.is_file():
            continue  # a refused link or an unreadable folder: reported, never followed
        try:
            outputs[rel] = abs_path.read_bytes()
        except OSError as exc:
            report.problems.append(Problem(f"cannot read: {exc.strerror}", str(abs_path)))
    for rel, abs_path in _every_file(abs_content):
        if rel not in outputs:
            try:
                outputs[rel] = abs_path.read_bytes()
            except OSError as exc:
                report.problems.append(Problem(f"cannot read: {exc.strerror}", str(abs_path)))
                continue
            report.copied += 1


def _every_file(abs_content: Path) -> list[tuple[str, Path]]:
    """Every regular file under the content folder, dot files included, so an export
    is the whole folder (``diff -r content out`` is empty). A symbolic link is followed
    only to a file inside the folder; links to folders are not walked (no loops)."""
    root = abs_content.resolve()
    found = []
    for folder, dirs, names in os.walk(abs_content, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            abs_path = Path(folder) / name
            try:
                real = abs_path.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # dangling or looping: the page finder reports those
            if real.is_file() and real.is_relative_to(root):
                found.append((abs_path.relative_to(abs_content).as_posix(), abs_path))
    return found
