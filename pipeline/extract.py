"""The catalog jobs: ``extract`` (content -> catalogs) and ``export`` (catalogs -> pages).

1. Gather everything first, then write: pages are read, catalogs merged and
   formatted in memory; only then are files written, each atomically, and only
   when its bytes change.
2. A bad page or a broken catalog is a problem for that page alone: its
   catalog is left exactly as it is and every other page goes on.
3. The vendor targets last imported (the merge base) live in
   ``locales/.docloc/<ll_CC>.json`` (``sidecar``), committed with the catalogs,
   with a fingerprint of the page and of the catalog as written: when no page
   and no catalog of a locale moved, the locale is skipped without parsing PO.
4. A page that left the content keeps its catalog, with entries marked obsolete.
5. A page that another locale has but this one lacks (*missing*: its vendor
   delivered none) gets no catalog from extract; once one exists (the
   ``serve --edit`` panel creates it when a translator fills a segment), it is
   kept up to date from the English of that other locale's page, with no vendor
   text (``missing_page``), like any catalog: never retired as a page that left.
   Not in a run where some page could not be read: that page is not missing, and
   its catalog is left as it is (point 4's rule).
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import catalog as cat
from . import catalog_po, reads
from .config import SIMILARITY
from .errors import DoclocError, Problem
from .files import project_lock, remove_leftovers, write_atomic
from .merge import ACTIONS, memory_fill, merge
from .model import Page
from .project import Progress, Scan, SourceFile, is_english_only, read_page, scan_content
from .sidecar import FORMAT, Sidecar, State, state_uri
from .sidecar import dumps as dump_sidecar
from .sidecar import read as read_sidecar


@dataclass
class ExtractReport:
    """What an extract run found and did."""

    pages: int = 0
    segments: int = 0
    entries: int = 0
    catalogs: int = 0
    written: list[str] = field(default_factory=list)
    actions: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    """Per (locale, page): counts of ACTIONS."""
    problems: list[Problem] = field(default_factory=list)

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.actions.values():
            total.update(counts)
        return total


def read_catalog(abs_path: Path, shown: str) -> cat.Catalog | None:
    """A catalog file read, None when there is none (a broken one raises)."""
    try:
        data = abs_path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DoclocError(f"cannot read: {exc.strerror}", shown) from exc
    return catalog_po.load(data, shown)


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass(frozen=True)
class _Job:
    """One page in one locale on its way to a catalog (sent to a worker process)."""

    source: SourceFile
    locale: str
    uri: str
    abs_po: str
    state: State
    settings: str
    similarity: float
    prune: bool
    source_locale: str
    missing: bool = False
    """The page is another locale's (``missing_page``): its targets are not ours."""


def missing_page(page: Page, locale: str) -> Page:
    """A page read from another locale's bilingual file, as ``locale``'s catalog sees it.

    No target (that vendor's text is not this locale's), and a header that speaks of
    this locale: ``ms.contentlocale`` set to it, no ``ms.translationtype``."""
    meta = {k: v for k, v in page.meta.items() if k != "ms.translationtype"}
    if "ms.contentlocale" in meta:
        meta["ms.contentlocale"] = locale
    page = replace(page, locale=locale, meta=meta)
    return page.with_targets({i: "" for i in range(len(page.segments))})


@dataclass
class _Outcome:
    """What a worker made of a job; ``po`` is None when nothing changed."""

    job: _Job
    po: bytes | None = None
    fingerprint: State = field(default_factory=dict)
    base: State = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    broken: Problem | None = None
    template: list[tuple[str | None, str, tuple[str, ...], tuple[str, ...]]] = \
        field(default_factory=list)
    """(msgctxt, msgid, references, ids) of the page's entries, for the POT."""
    unchanged: bool = False
    """The catalog written would be the file's own bytes (nothing to write)."""


def _fingerprint(job: _Job) -> str:
    return _page_fingerprint(job.settings, job.source.item.rel_uri, job.locale, job.source.text)


@lru_cache(maxsize=8192)
def _page_fingerprint(settings: str, rel_uri: str, locale: str, text: str) -> str:
    """Remembered: serve asks again on every save, with the very text a page was read as
    (a str's hash is kept in it, and the same object compares equal at once)."""
    return _sha(f"{settings} {rel_uri} {locale}\n{text}".encode())


def _skipped(job: _Job) -> _Outcome | None:
    """The outcome of a job whose page and catalog did not move since the last run."""
    try:
        _, po_sha = reads.with_sha1(job.abs_po)
    except OSError:
        return None  # _work tells a missing catalog from an unreadable one
    last = job.state.get("fingerprint", {})
    if (last.get("page") == _fingerprint(job) and not last.get("untranslated")
            and last.get("catalog") == po_sha):
        try:
            problems = [Problem.from_json(p) for p in last.get("problems", [])]
        except ValueError:
            return None  # a state file not ours: the job runs
        return _Outcome(job, fingerprint=last, base=job.state.get("base", {}),
                        problems=problems)
    return None


def _work(job: _Job) -> _Outcome:
    """Parse, merge and format one catalog."""
    try:
        po_bytes: bytes | None = reads.read_bytes(job.abs_po)
    except FileNotFoundError:
        po_bytes = None
    except OSError as exc:
        return _Outcome(job, broken=Problem(f"cannot read: {exc.strerror}", job.abs_po))
    fingerprint = _fingerprint(job)
    page, problems = read_page(job.source, job.source_locale)
    page = missing_page(page, job.locale) if job.missing else replace(page, locale=job.locale)
    if job.missing:
        problems = []  # the other locale's own page reports them
    theirs = cat.page_catalog(page, job.source.item.rel_uri)
    outcome = _Outcome(job, problems=problems,
                       template=[(e.msgctxt, e.msgid, e.references, e.ids)
                                 for e in theirs.entries])
    try:
        ours = catalog_po.load(po_bytes, job.abs_po) if po_bytes is not None else None
    except DoclocError as exc:
        outcome.broken = exc.problem
        return outcome
    result = merge(theirs, ours, job.state.get("base", {}), threshold=job.similarity,
                   prune=job.prune)
    outcome.po = catalog_po.dumps(result.catalog).encode()
    outcome.unchanged = outcome.po == po_bytes
    outcome.counts = result.counts
    outcome.base = result.base
    outcome.fingerprint = {
        "page": fingerprint, "segments": len(page.segments),
        "entries": len(result.catalog.active()),
        "untranslated": sum(1 for e in result.catalog.active() if not e.msgstr),
        "problems": [p.to_json() for p in problems]}
    return outcome


def _run(jobs: list[_Job], workers: int, progress: Progress | None = None
         ) -> list[_Outcome]:
    """Jobs whose page or catalog moved, on both cores when there are enough of them
    to pay for the processes; the others are settled here, from their fingerprints."""
    outcomes = [_skipped(job) for job in jobs]
    pending = [job for job, done in zip(jobs, outcomes) if done is None]
    fresh: list[_Outcome] = []
    if workers > 1 and len(pending) >= 64 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for outcome in pool.map(_work, pending,
                                    chunksize=max(1, len(pending) // (workers * 4))):
                fresh.append(outcome)
                if progress:
                    progress("extracting", len(fresh), len(pending), outcome.job.uri)
    else:
        for job in pending:
            fresh.append(_work(job))
            if progress:
                progress("extracting", len(fresh), len(pending), job.uri)
    left = iter(fresh)
    return [done if done is not None else next(left) for done in outcomes]


def extract(abs_content: Path, abs_locales: Path, *, fallback_locale: str | None = None,
            source_locale: str = "en-US", similarity: float = SIMILARITY, prune: bool = False,
            dry_run: bool = False, workers: int = 2,
            progress: Progress | None = None, scan: Scan | None = None) -> ExtractReport:
    """Bring every catalog up to date with the bilingual pages under ``abs_content``.

    ``scan``: the content folder already read (``project.scan_content``), by a caller
    that reads it once for several jobs."""
    # Held from the first catalog read to the last write: another run cannot
    # change a catalog between the moment this one reads it and writes it.
    with project_lock(abs_locales, "extract") if not dry_run else nullcontext():
        return _extract(abs_content, abs_locales, fallback_locale=fallback_locale,
                        source_locale=source_locale, similarity=similarity, prune=prune,
                        dry_run=dry_run, workers=workers, scan=scan, progress=progress)


def _extract(abs_content: Path, abs_locales: Path, *, fallback_locale: str | None,
             source_locale: str, similarity: float, prune: bool, dry_run: bool,
             workers: int, scan: Scan | None, progress: Progress | None = None
             ) -> ExtractReport:
    """The phases: jobs (page x locale), run them, settle each locale's outcomes and
    its state, templates, retire pages that left, write."""
    report = ExtractReport()
    if not dry_run:
        remove_leftovers(abs_locales)  # a killed run's temporaries (we hold the lock)
    if scan is None:
        scan = scan_content(abs_content, fallback_locale=fallback_locale)
    report.problems.extend(scan.problems)
    settings = f"{FORMAT} {similarity} {prune}"
    states: dict[str, Sidecar] = {}
    jobs, sources = _jobs(abs_locales, scan, states, settings, similarity, prune, source_locale)
    if not scan.bad:  # an unreadable page is not a missing one: its catalog stays as it is
        jobs += _missing_jobs(abs_locales, sources, jobs, states, settings, similarity,
                              prune, source_locale)
    by_locale = _by_locale(_run(jobs, workers, progress), report)
    outputs: dict[str, bytes] = {}
    for locale, found in sorted(by_locale.items()):
        outputs.update(_settle(locale, found, states.get(locale, Sidecar()), report,
                               abs_locales))
    _templates(by_locale, abs_locales, outputs)
    _retire_removed_pages(abs_locales, scan, {job.uri for job in jobs}, outputs, report, prune)
    if dry_run:  # what a real run would write: the files whose bytes would change
        report.written.extend(uri for uri in sorted(outputs)
                              if not _same_bytes(abs_locales / uri, outputs[uri]))
    else:
        _write(abs_locales, outputs, report)
    return report


def _jobs(abs_locales: Path, scan: Scan, states: dict[str, Sidecar], settings: str,
          similarity: float, prune: bool, source_locale: str
          ) -> tuple[list[_Job], list[SourceFile]]:
    """A job per page and locale (an English-only page goes to every target locale), and
    the pages that make catalogs; ``states`` gets each locale's sidecar as it is read."""
    sources = [s for s in scan.files if s.locale and
               ("data-ttu-id" in s.text or is_english_only(s, source_locale))]
    targets = sorted({s.locale for s in sources if s.locale and s.locale != source_locale})
    jobs = []
    for source in sources:
        assert source.locale is not None  # sources without one were left out above
        for locale in (targets if source.locale == source_locale else [source.locale]):
            if locale not in states:
                states[locale] = read_sidecar(abs_locales / state_uri(locale))
            uri = cat.catalog_uri(locale, source.item.page_uri)
            jobs.append(_Job(source, locale, uri, str(abs_locales / uri),
                             states[locale].pages.get(source.item.page_uri, {}), settings,
                             similarity, prune, source_locale))
    return jobs, sources


def _by_locale(outcomes: list[_Outcome], report: ExtractReport) -> dict[str, list[_Outcome]]:
    """The outcomes that make a catalog, by locale; problems and counts to the report."""
    by_locale: dict[str, list[_Outcome]] = defaultdict(list)
    for outcome in outcomes:
        report.problems.extend(outcome.problems)
        if outcome.broken is not None:
            report.problems.append(outcome.broken)
            continue
        if outcome.fingerprint.get("segments", 1) == 0:
            continue  # "data-ttu-id" only in malformed spans: no segment, no catalog
        report.pages += 1
        report.segments += outcome.fingerprint.get("segments", 0)
        by_locale[outcome.job.locale].append(outcome)
    return by_locale


def _settle(locale: str, found: list[_Outcome], sidecar: Sidecar,
            report: ExtractReport, abs_locales: Path) -> dict[str, bytes]:
    """A locale's catalogs to write (memory suggestions filled in) and its new state."""
    outputs: dict[str, bytes] = {}
    new_state = dict(sidecar.pages)
    _fill_from_memory(found)
    for outcome in found:
        page = outcome.job.source.item.page_uri
        report.catalogs += 1
        report.entries += outcome.fingerprint.get("entries", 0)
        if outcome.po is None:
            continue
        report.actions[(locale, page)] = outcome.counts
        outputs[outcome.job.uri] = outcome.po
        outcome.fingerprint["catalog"] = _sha(outcome.po)
        last = outcome.job.state
        if outcome.unchanged and last.get("base") == outcome.base and \
                last.get("fingerprint", {}).get("page") == outcome.fingerprint["page"]:
            # A tool rewrote the catalog (msgcat, polib...) and nothing else moved: the
            # state stays as it is too, so the run writes no file. The catalog is read
            # again next time (its fingerprint is the old bytes').
            continue
        new_state[page] = {"fingerprint": outcome.fingerprint, "base": outcome.base}
    if sidecar.data is not None and len(new_state) == len(sidecar.pages) and all(
            new_state[page] is record for page, record in sidecar.pages.items()):
        # Every record as read: the file stays as it is (and serve keeps it read).
        reads.keep(abs_locales / state_uri(locale), sidecar.data, sidecar)
        return outputs
    written = Sidecar(new_state)
    outputs[state_uri(locale)] = data = dump_sidecar(written, sidecar.lines)
    reads.keep(abs_locales / state_uri(locale), data, written)  # good if it is written
    return outputs


def _same_bytes(abs_path: Path, data: bytes) -> bool:
    try:
        return abs_path.read_bytes() == data
    except OSError:
        return False


def _write(abs_locales: Path, outputs: dict[str, bytes], report: ExtractReport) -> None:
    """Write what changed. The state files last, and only when every catalog was
    written: they say what the catalogs hold, so a run killed or failing before them
    is simply redone."""
    states_last = sorted(outputs, key=lambda uri: (uri.startswith(".docloc/"), uri))
    failed = False
    for uri in states_last:
        if failed and uri.startswith(".docloc/"):
            break
        try:
            if write_atomic(abs_locales / uri, outputs[uri]):
                report.written.append(uri)
        except DoclocError as exc:
            report.problems.append(exc.problem)
            failed = True


def _fill_from_memory(found: list[_Outcome]) -> None:
    """Fuzzy suggestions for untranslated entries, from the locale's other catalogs.

    Only when some changed catalog has untranslated entries: then every catalog
    of the locale is read into the memory (the rare path).
    """
    needy = [o for o in found if o.po is not None and o.fingerprint.get("untranslated")]
    if not needy:
        return
    catalogs: dict[str, cat.Catalog] = {}  # by catalog uri
    for outcome in found:
        data = outcome.po if outcome.po is not None else Path(outcome.job.abs_po).read_bytes()
        catalogs[outcome.job.uri] = catalog_po.loads(data.decode("utf-8"), outcome.job.abs_po)
    memory = _memory(list(catalogs.values()))
    for outcome in needy:
        filled, count = memory_fill(catalogs[outcome.job.uri], memory)
        if count:
            outcome.counts["memory"] += count
            outcome.po = catalog_po.dumps(filled).encode()


def _templates(by_locale: dict[str, list[_Outcome]], abs_locales: Path,
               outputs: dict[str, bytes]) -> None:
    """The POT of every page some locale changed: the union of its versions' sources."""
    per_page: dict[str, list[_Outcome]] = defaultdict(list)
    for found in by_locale.values():
        for outcome in found:
            per_page[outcome.job.source.item.page_uri].append(outcome)
    for page, versions in sorted(per_page.items()):
        uri = cat.catalog_uri(None, page)
        if all(v.po is None for v in versions) and (abs_locales / uri).exists():
            continue
        catalogs = []
        for version in sorted(versions, key=lambda v: v.job.locale):
            template = version.template or _work(replace(version.job, state={})).template
            catalogs.append(cat.Catalog(page, version.job.locale, tuple(
                cat.Entry(msgid, "x", msgctxt=context, references=refs, ids=ids)
                for context, msgid, refs, ids in template)))
        try:  # the template keeps the layout a tool gave it, like the catalogs
            old = read_catalog(abs_locales / uri, str(abs_locales / uri))
        except DoclocError:
            old = None  # a broken template is written anew
        pot = cat.template(page, catalogs)
        if old is not None:
            pot = replace(pot, source=old.source)
        outputs[uri] = catalog_po.dumps(pot).encode()


def _memory(catalogs: list[cat.Catalog]) -> dict[str, list[tuple[str, str]]]:
    memory: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for catalog in sorted(catalogs, key=lambda c: c.page):
        for entry in catalog.entries:
            if entry.translated:
                memory[entry.msgid].append((entry.msgstr, catalog.page))
    return memory


def _missing_jobs(abs_locales: Path, sources: list[SourceFile], jobs: list[_Job],
                  states: dict[str, Sidecar], settings: str, similarity: float,
                  prune: bool, source_locale: str) -> list[_Job]:
    """Jobs for the catalogs that exist for pages missing in their locale.

    The English comes from the page of the first locale (in sorted order) that has
    it, the same choice ``serve --edit`` makes when it creates such a catalog."""
    english: dict[str, SourceFile] = {}
    for source in sorted(sources, key=lambda s: (s.locale or "", s.item.page_uri)):
        if source.locale != source_locale:
            english.setdefault(source.item.page_uri, source)
    present = {job.uri for job in jobs}
    locales = {job.locale for job in jobs}
    missing = []
    for locale in sorted(locales):
        for page_uri, source in sorted(english.items()):
            uri = cat.catalog_uri(locale, page_uri)
            if uri in present or not (abs_locales / uri).is_file():
                continue
            missing.append(_Job(source, locale, uri, str(abs_locales / uri),
                                states[locale].pages.get(page_uri, {}), settings, similarity,
                                prune, source_locale, missing=True))
    return missing


def _retire_removed_pages(abs_locales: Path, scan: Scan, present: set[str],
                          outputs: dict[str, bytes], report: ExtractReport,
                          prune: bool) -> None:
    """Mark obsolete the catalogs of pages no longer in content (never delete them).

    Not in a run where some file could not be read: a page we could not see is
    not a page that left, and a translator's work is never hidden on a guess.
    """
    if not abs_locales.is_dir() or scan.bad:
        return
    for abs_po in sorted(abs_locales.glob("*/LC_MESSAGES/**/*.po")):
        uri = abs_po.relative_to(abs_locales).as_posix()
        if uri in present:
            continue
        page = uri.split("/LC_MESSAGES/", 1)[1][:-3] + ".md"
        try:
            old = read_catalog(abs_po, str(abs_po))
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
        outputs[uri] = catalog_po.dumps(replace(old, entries=entries)).encode()


__all__ = ["ACTIONS", "ExtractReport", "extract", "missing_page", "read_catalog"]
