"""The catalog jobs: ``extract`` (content -> catalogs) and ``export`` (catalogs -> pages).

1. Gather everything first, then write: pages are read, catalogs merged and
   formatted in memory; only then are files written, each atomically, and only
   when its bytes change.
2. A bad page or a broken catalog is a problem for that page alone: its
   catalog is left exactly as it is and every other page goes on.
3. The vendor targets last imported (the merge base) live in
   ``locales/.docloc/<ll_CC>.json``, committed with the catalogs,
   with a fingerprint of the page and of the catalog as written: when no page
   and no catalog of a locale moved, the locale is skipped without parsing PO.
4. A page that left the content keeps its catalog, with entries marked obsolete.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import catalog as cat
from .errors import DoclocError, Problem
from .files import project_lock, write_atomic
from .merge import ACTIONS, memory_fill, merge
from .model import Page
from .project import Content, ContentFile, Progress, read_content


@dataclass
class ExtractReport:
    """What an extract run found and did."""

    pages: int = 0
    segments: int = 0
    entries: int = 0
    catalogs: int = 0
    written: list[str] = field(default_factory=list)
    actions: dict[tuple[str, str], Counter] = field(default_factory=dict)
    """Per (locale, page): counts of ACTIONS."""
    problems: list[Problem] = field(default_factory=list)

    def totals(self) -> Counter:
        total: Counter = Counter()
        for counts in self.actions.values():
            total.update(counts)
        return total


FORMAT = "docloc-1"
"""Bumped when catalog output changes, so fingerprints of older runs stop matching."""


def state_uri(locale: str) -> str:
    """Where a locale's merge bases and fingerprints live, below the locales folder."""
    return f".docloc/{cat.po_language(locale)}.json"


def _read_catalog(abs_path: Path, shown: str) -> cat.Catalog | None:
    try:
        data = abs_path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DoclocError(f"cannot read: {exc.strerror}", shown) from exc
    return cat.load(data, shown)


def _read_state(abs_path: Path) -> dict[str, dict]:
    """A locale's sidecar: per page, the merge base and the last run's fingerprint."""
    try:
        state = json.loads(abs_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pages = state.get("pages") if isinstance(state, dict) else None
    if not isinstance(pages, dict):
        return {}
    return {page: value for page, value in pages.items()
            if isinstance(value, dict) and isinstance(value.get("base"), dict)}


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass
class _Job:
    """One page in one locale on its way to a catalog."""

    rel_uri: str
    page: object
    uri: str
    state: dict
    fingerprint: str
    po_bytes: bytes | None

    @property
    def unchanged(self) -> bool:
        """Page and catalog exactly as the last run left them: nothing to do."""
        last = self.state.get("fingerprint", {})
        return (self.po_bytes is not None and last.get("page") == self.fingerprint
                and last.get("catalog") == _sha(self.po_bytes))


def _targets(content: Content, source_locale: str) -> list[tuple[ContentFile, Page]]:
    """Each bilingual page in its locale; each English-only page in every target locale."""
    found = [(i, p) for i, p in content.pages if p.is_bilingual and p.locale]
    targets = sorted({p.locale for _, p in found if p.locale != source_locale})
    out = []
    for item, page in found:
        if page.locale == source_locale:
            out.extend((item, replace(page, locale=locale)) for locale in targets)
        else:
            out.append((item, page))
    return out


def extract(abs_content: Path, abs_locales: Path, *, fallback_locale: str | None = None,
            source_locale: str = "en-US", similarity: float = 0.6, prune: bool = False,
            dry_run: bool = False, progress: Progress | None = None) -> ExtractReport:
    """Bring every catalog up to date with the bilingual pages under ``abs_content``."""
    report = ExtractReport()
    content = read_content(abs_content, fallback_locale=fallback_locale,
                           source_locale=source_locale, progress=progress)
    report.problems.extend(content.problems)
    settings = f"{FORMAT} {similarity} {prune}"
    jobs: dict[str, list[_Job]] = defaultdict(list)
    states: dict[str, dict[str, dict]] = {}
    for item, page in _targets(content, source_locale):
        report.pages += 1
        report.segments += len(page.segments)
        uri = cat.catalog_uri(page.locale, page.path)
        try:
            po_bytes = (abs_locales / uri).read_bytes()
        except FileNotFoundError:
            po_bytes = None
        except OSError as exc:
            report.problems.append(Problem(f"cannot read: {exc.strerror}", str(abs_locales / uri)))
            continue
        fingerprint = _sha(f"{settings} {item.rel_uri}\n{page.bilingual()}".encode())
        if page.locale not in states:
            states[page.locale] = _read_state(abs_locales / state_uri(page.locale))
        state = states[page.locale].get(page.path, {})
        jobs[page.locale].append(_Job(item.rel_uri, page, uri, state, fingerprint, po_bytes))

    outputs: dict[str, bytes] = {}
    per_page: dict[str, list[cat.Catalog]] = defaultdict(list)
    for locale, locale_jobs in sorted(jobs.items()):
        if all(job.unchanged for job in locale_jobs):
            # The common re-run: no page and no catalog of this locale moved.
            for job in locale_jobs:
                report.entries += job.state["fingerprint"].get("entries", 0)
                report.catalogs += 1
                per_page[job.page.path].append(cat.page_catalog(job.page, job.rel_uri))
            continue
        merged = []
        for job in locale_jobs:
            theirs = cat.page_catalog(job.page, job.rel_uri)
            per_page[job.page.path].append(theirs)
            try:
                ours = cat.load(job.po_bytes, str(abs_locales / job.uri)) \
                    if job.po_bytes is not None else None
            except DoclocError as exc:
                report.problems.append(exc.problem)
                continue
            result = merge(theirs, ours, job.state.get("base", {}), threshold=similarity,
                           prune=prune)
            report.actions[(locale, job.page.path)] = result.counts
            merged.append((job, result))
        memory = _memory([result.catalog for _, result in merged])
        new_state = dict(states.get(locale, {}))
        for job, result in merged:
            filled, count = memory_fill(result.catalog, memory)
            if count:
                result.counts["memory"] += count
            data = cat.dumps(filled).encode()
            entries = len(filled.active())
            outputs[job.uri] = data
            new_state[job.page.path] = {
                "fingerprint": {"page": job.fingerprint, "catalog": _sha(data),
                                "entries": entries},
                "base": result.base}
            report.entries += entries
            report.catalogs += 1
        outputs[state_uri(locale)] = (json.dumps(
            {"format": FORMAT, "pages": new_state}, ensure_ascii=False, indent=0,
            sort_keys=True) + "\n").encode()
    for page, catalogs in sorted(per_page.items()):
        outputs[cat.catalog_uri(None, page)] = cat.dumps(cat.template(page, catalogs)).encode()
    present = {job.uri for locale_jobs in jobs.values() for job in locale_jobs}
    _retire_removed_pages(abs_locales, content, present, outputs, report, prune)
    if dry_run:
        return report
    with project_lock(abs_locales, "extract"):
        for uri, data in sorted(outputs.items()):
            try:
                if write_atomic(abs_locales / uri, data):
                    report.written.append(uri)
            except DoclocError as exc:
                report.problems.append(exc.problem)
    return report


def _memory(catalogs: list[cat.Catalog]) -> dict[str, list[tuple[str, str]]]:
    memory: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for catalog in sorted(catalogs, key=lambda c: c.page):
        for entry in catalog.entries:
            if entry.translated:
                memory[entry.msgid].append((entry.msgstr, catalog.page))
    return memory


def _retire_removed_pages(abs_locales: Path, content: Content, present: set[str],
                          outputs: dict, report: ExtractReport, prune: bool) -> None:
    """Mark obsolete the catalogs of pages no longer in content (never delete them)."""
    if not abs_locales.is_dir():
        return
    bad_pages = {i.page_uri for i in content.pages for i in [i[0]] if i.rel_uri in content.bad}
    for abs_po in sorted(abs_locales.glob("*/LC_MESSAGES/**/*.po")):
        uri = abs_po.relative_to(abs_locales).as_posix()
        if uri in present:
            continue
        page = uri.split("/LC_MESSAGES/", 1)[1][:-3] + ".md"
        if page in bad_pages:
            continue
        try:
            old = _read_catalog(abs_po, str(abs_po))
        except DoclocError as exc:
            report.problems.append(exc.problem)
            continue
        if old is None or all(e.obsolete for e in old.entries):
            continue
        entries = tuple(replace(e, obsolete=True, references=(), ids=(), notes=())
                        for e in old.entries if e.msgstr or e.obsolete) if not prune else ()
        locale = uri.split("/", 1)[0].replace("_", "-")
        report.actions[(locale, page)] = Counter(obsolete=sum(1 for e in old.entries
                                                              if not e.obsolete))
        outputs[uri] = cat.dumps(replace(old, entries=entries)).encode()


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
    outputs: dict[str, bytes] = {}
    for item, page in content.pages:
        if item.rel_uri in content.bad:
            continue
        report.pages += 1
        if page.is_bilingual and page.locale:
            uri = cat.catalog_uri(page.locale, page.path)
            try:
                catalog = _read_catalog(abs_locales / uri, str(abs_locales / uri))
            except DoclocError as exc:
                report.problems.append(exc.problem)
                catalog = None
            if catalog is not None:
                new = cat.apply(page, cat.translations(catalog))
                if new is not page:
                    report.changed.append(item.rel_uri)
                page = new
        outputs[item.rel_uri] = page.bilingual().encode("utf-8")
    for item in content.others:
        outputs[item.rel_uri] = (abs_content / item.rel_uri).read_bytes()
        report.copied += 1
    for rel in content.bad:
        outputs[rel] = (abs_content / rel).read_bytes()
    for uri, data in sorted(outputs.items()):
        try:
            write_atomic(abs_out / uri, data)
        except DoclocError as exc:
            report.problems.append(exc.problem)
    return report


__all__ = ["ACTIONS", "ExtractReport", "ExportReport", "extract", "export"]


def locale_catalogs(abs_locales: Path, locale: str) -> list[tuple[Path, cat.Catalog]]:
    """Every catalog of a locale, read (a broken one raises its DoclocError)."""
    root = abs_locales / cat.po_language(locale) / "LC_MESSAGES"
    out = []
    for abs_po in sorted(root.rglob("*.po")):
        out.append((abs_po, cat.load(abs_po.read_bytes(), str(abs_po))))
    return out


def tm_import(abs_locales: Path, locale: str, memory: dict[str, list[tuple[str, str]]],
              *, similarity: float = 0.75) -> dict[str, int]:
    """Fill untranslated entries of a locale's catalogs from a memory, as fuzzy suggestions."""
    filled_per_page = {}
    with project_lock(abs_locales, "tm import"):
        for abs_po, catalog in locale_catalogs(abs_locales, locale):
            filled, count = memory_fill(catalog, memory, threshold=similarity)
            if count:
                write_atomic(abs_po, cat.dumps(filled).encode())
                filled_per_page[catalog.page] = count
    return filled_per_page
