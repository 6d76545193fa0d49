"""``docloc check``: coverage figures, quality findings and the gate, gathered.

1. Catalogs are read once (templates included) and keyed by (locale, page uri);
   with a content folder, its pages add the page checks and the list of
   pages a locale must have; without one, the catalogs alone are checked.
2. A catalog that cannot be read is a problem (exit 4), never a silent 0 %.
3. What one file yields (a catalog's figures and findings, a page's uri,
   problems and findings) depends on its bytes alone, so it is remembered in
   ``<locales>/.docloc/cache/check.json`` under the file's SHA-1 (and docloc's
   version and the check settings). A run reads and hashes every file but
   parses and checks only those that changed; severities and thresholds are
   applied afterwards, so changing them never needs a fresh analysis. The cache
   is never committed (it holds its own ``.gitignore``) and never trusted
   beyond its hash: delete it, or pass ``--no-cache``, and the result is the same.
4. Nothing here prints: the CLI formats the result as a table, JSON,
   Markdown or badges.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from dataclasses import astuple, dataclass, field
from pathlib import Path

from . import __version__
from . import catalog as cat
from . import words
from .checks import CHECKS, Context, Finding, catalog_findings, page_findings, severities
from .config import Config
from .coverage import (Counts, Failure, Figures, Report, catalog_figures, report_from_figures,
                       threshold_failures)
from .errors import DoclocError, Problem
from .files import write_atomic
from .project import Progress, Scan, read_page, scan_content
from .toc import is_toc, toc_problems

CACHE_FORMAT = 2
PARALLEL_FROM = 64
"""Files to analyse from which ``check`` uses worker processes."""


@dataclass
class GateResult:
    report: Report
    findings: list[Finding] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    analysed: int = 0
    """Files (catalogs and pages) analysed afresh; the others came from the cache."""
    files: int = 0
    """Files read in all."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


class Memo:
    """What each file yielded, by its path and SHA-1 (design decision 3)."""

    def __init__(self, abs_path: Path | None, salt: str) -> None:
        self.abs_path, self.salt = abs_path, salt
        self.old: dict[str, dict] = {"po": {}, "page": {}}
        self.new: dict[str, dict] = {"po": {}, "page": {}}
        self.changed = False
        if abs_path is not None:
            try:
                data = json.loads(abs_path.read_bytes())
                if data["format"] == CACHE_FORMAT and data["salt"] == salt and \
                        all(isinstance(data[kind], dict) for kind in self.old):
                    self.old = {kind: data[kind] for kind in self.old}
            except (OSError, ValueError, LookupError, TypeError):
                pass  # no cache, or not ours: everything is analysed afresh

    def cached(self, kind: str, name: str, digest: str) -> list | None:
        """The values remembered for this file if its digest matches, else None."""
        found = self.old[kind].get(name)
        # [digest, and the four values _analyse returns]
        if isinstance(found, list) and len(found) == 5 and found[0] == digest:
            self.new[kind][name] = found
            return found[1:]
        return None

    def store(self, kind: str, name: str, digest: str, values: list) -> None:
        self.new[kind][name] = [digest, *values]
        self.changed = True

    def save(self) -> None:
        """Keep what this run used (so removed files drop out); quietly skip if unwritable."""
        if self.abs_path is None or (not self.changed and self.new == self.old):
            return
        try:
            write_atomic(self.abs_path.parent / ".gitignore", b"# docloc's cache: never commit\n*\n")
            write_atomic(self.abs_path, json.dumps(
                {"format": CACHE_FORMAT, "salt": self.salt, **self.new},
                ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        except (OSError, DoclocError):
            pass


def _flat(figures: Figures) -> list[int]:
    return [*astuple(figures.messages), *astuple(figures.words), figures.identical,
            figures.mt, figures.ht]


def _figures(flat: list[int]) -> Figures:
    return Figures(Counts(*flat[0:5]), Counts(*flat[5:10]), *flat[10:13])


def _catalog_key(rel: str) -> tuple[str | None, str] | None:
    """(locale, page uri) of a catalog's path below locales/; None for other files."""
    if rel.startswith("templates/") and rel.endswith(".pot"):
        return None, rel[len("templates/"):-4] + ".md"
    if "/LC_MESSAGES/" in rel and rel.endswith(".po"):
        lang, page = rel.split("/LC_MESSAGES/", 1)
        return lang.replace("_", "-"), page[:-3] + ".md"
    return None


@lru_cache(maxsize=None)
def _context(locale: str | None, allow: tuple[str, ...]) -> Context:
    return Context(locale, allow)


def _analyse(job: tuple) -> list | Problem:
    """What one catalog or page yields (the values the cache keeps), or its problem."""
    kind, payload, allow, source_locale = job
    try:
        if kind == "po":
            data, where, is_template = payload
            catalog = cat.load(data, where)
            return [catalog.locale, _flat(catalog_figures(catalog)),
                    _flat(catalog_figures(catalog, untranslated=True)),
                    [] if is_template else catalog_findings(
                        catalog, _context(catalog.locale, allow))]
        page, trouble = read_page(payload, source_locale)
        checked = page.locale is not None and page.locale != source_locale
        return [page.path, page.is_bilingual,
                [[p.message, p.path, p.line, p.column, p.severity] for p in trouble],
                page_findings(page, _context(page.locale, allow), columns=True)
                if checked else []]
    except DoclocError as exc:
        return exc.problem


def _job_name(job: tuple) -> str:
    kind, payload = job[0], job[1]
    return str(payload[1]) if kind == "po" else str(payload.item.rel_uri)


def _analyse_all(jobs: list[tuple], workers: int, progress: Progress | None = None
                 ) -> list:
    """``_analyse`` each job, in ``workers`` processes when there are many."""
    done: list = []
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_analyse, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
            for job, result in zip(jobs, results):
                done.append(result)
                if progress:
                    progress("checking", len(done), len(jobs), _job_name(job))
        return done
    for job in jobs:
        done.append(_analyse(job))
        if progress:
            progress("checking", len(done), len(jobs), _job_name(job))
    return done


def _toc_findings(config: Config, scan: Scan) -> list[tuple[str, str | None, list]]:
    """Markup in TOC labels and refused TOC links, as errors at their line (TOCs are
    vendor input: ``toc.py`` design decision 3). Cheap: not cached."""
    out = []
    tocs = [(s.item, s.where, s.text) for s in scan.files if is_toc(s.item.page_uri)]
    for item in scan.others:
        if is_toc(item.page_uri):
            where = str(config.content / item.rel_uri)
            try:
                text = (config.content / item.rel_uri).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # the build reports it
            tocs.append((item, where, text))
    for item, where, text in tocs:
        entries = [(p.line or 0, "toc", p.message) for p in toc_problems(item.page_uri, text, where)]
        if entries:
            out.append((where, item.folder_locale, entries))
    return out


def check(config: Config, *, min_coverage: float | None = None, by: str | None = None,
          cache: bool = True, jobs: int = 2, scan: Scan | None = None,
          progress: Progress | None = None) -> GateResult:
    """Figures, findings and threshold failures for the project.

    Files not in the cache are analysed in ``jobs`` processes when there are
    ``PARALLEL_FROM`` or more of them. ``scan``: the content folder already read.
    """
    levels = severities(config.severity)  # first: a bad setting is named before any work
    allow = tuple(config.allow_untranslated)
    source_locale = config.source_locale
    salt = hashlib.sha1(json.dumps([__version__, words.RULES, sorted(CHECKS), allow]).encode()).hexdigest()
    memo = Memo(config.locales / ".docloc" / "cache" / "check.json" if cache else None, salt)
    problems: list[Problem] = []
    # Every file: (kind, name in the cache, digest, what it is, its cached values or None),
    # and the jobs for the misses.
    files: list[tuple[str, str, str, object, list | None]] = []
    misses: list[tuple] = []

    def want(kind: str, name: str, data: bytes, what, payload) -> None:
        digest = hashlib.sha1(data).hexdigest()
        cached = memo.cached(kind, name, digest)
        files.append((kind, name, digest, what, cached))
        if cached is None:
            misses.append((kind, payload, allow, source_locale))

    if config.locales.is_dir():
        for abs_po in sorted(config.locales.rglob("*.po*")):
            rel = abs_po.relative_to(config.locales).as_posix()
            key = None if rel.startswith(".") else _catalog_key(rel)
            if key is not None:
                data = abs_po.read_bytes()
                want("po", rel, data, (key, str(abs_po)), (data, str(abs_po), key[0] is None))
    if config.content.is_dir():
        scan = scan or scan_content(config.content)
        problems.extend(scan.problems)
        for source in scan.files:
            identity = f"{source.where}\0{source.locale}\0{source_locale}\0".encode()
            want("page", source.item.rel_uri, identity + source.text.encode("utf-8"), source,
                 source)
    fresh = iter(_analyse_all(misses, jobs, progress))

    figures: dict[tuple[str | None, str], tuple[Figures, Figures]] = {}
    # (path, locale, [(line, check, message)]); pages' entries add a fourth value, the column
    found: list[tuple[str, str | None, list]] = []
    page_found: list[tuple[str, str | None, list]] = []
    page_uris: set[str] = set()
    target_locales: set[str] = set()
    for kind, name, digest, what, values in files:
        if values is None:
            values = next(fresh)
            if isinstance(values, Problem):  # unreadable: reported, never remembered
                problems.append(values)
                continue
            memo.store(kind, name, digest, values)
        if kind == "po":
            (key, where), (locale, whole, blank, entries) = what, values
            figures[key] = (_figures(whole), _figures(blank))
            if key[0] is not None:
                found.append((where, locale, entries))
        else:
            source, (path, bilingual, trouble, entries) = what, values
            problems.extend(Problem(*p) for p in trouble)
            if bilingual:
                page_uris.add(path)
                if source.locale and source.locale != source_locale:
                    target_locales.add(source.locale)
            page_found.append((source.where, source.locale, entries))
    memo.save()
    if config.content.is_dir():
        page_found.extend(_toc_findings(config, scan))
    if not figures and not page_uris:
        raise DoclocError("no catalogs and no bilingual pages found; run docloc extract "
                          "or pass --content/--locales", str(config.locales))
    report = report_from_figures(page_uris, figures, locales=target_locales)
    findings = [Finding(path, line, locale, name, levels.get(name, "error"), message, *column)
                for path, locale, entries in sorted(found) + sorted(page_found)
                for line, name, message, *column in entries
                if levels.get(name, "error") != "off"]
    failures = threshold_failures(
        report, min_coverage=config.min_coverage if min_coverage is None else min_coverage,
        thresholds=config.thresholds, by=by or config.coverage_by)
    return GateResult(report, findings, failures, problems, len(misses), len(files))
