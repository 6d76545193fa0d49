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
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__, catalog_po, reads, words
from .checks import CHECKS, Context, Finding, catalog_findings, page_findings, severities
from .config import Config
from .coverage import (
    Counts,
    Failure,
    Figures,
    Report,
    catalog_figures,
    report_from_figures,
    threshold_failures,
)
from .errors import DoclocError, Problem
from .files import write_atomic
from .project import Progress, Scan, SourceFile, read_page, scan_content
from .toc import is_toc, toc_problems

CACHE_FORMAT = 3
"""The cache's schema: 3 keeps each file's yield as named fields (``CatalogYield``,
``PageYield``); a cache of another format is ignored and rebuilt."""
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


Json = Any
"""A value read from or written to JSON (checked field by field where it is read)."""
FindingRow = tuple[int, str, str] | tuple[int, str, str, int]
"""(line, check, message) of a catalog's finding; a page's adds its column."""


def _counts_from(data: Json) -> Counts:
    return Counts(**{name: _int(data[name]) for name in
                     ("total", "translated", "fuzzy", "untranslated", "obsolete")})


def _figures_to(figures: Figures) -> Json:
    return {"messages": asdict(figures.messages), "words": asdict(figures.words),
            "identical": figures.identical, "mt": figures.mt, "ht": figures.ht}


def _figures_from(data: Json) -> Figures:
    return Figures(_counts_from(data["messages"]), _counts_from(data["words"]),
                   _int(data["identical"]), _int(data["mt"]), _int(data["ht"]))


def _int(value: Json) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not a count: {value!r:.40}")
    return value


def _rows_from(data: Json, width: int) -> tuple[FindingRow, ...]:
    rows = []
    for row in data:
        if not (isinstance(row, list) and len(row) == width and isinstance(row[1], str)
                and isinstance(row[2], str)):
            raise ValueError(f"not a finding: {row!r:.80}")
        rows.append((_int(row[0]), row[1], row[2], *map(_int, row[3:])))
    return tuple(rows)  # type: ignore[arg-type]  # width 3 or 4, checked above


@dataclass(frozen=True)
class CatalogYield:
    """What one catalog (or template) yields, all from its bytes."""

    locale: str | None
    figures: Figures
    blank: Figures
    """The figures as if nothing were translated (a page missing in a locale)."""
    findings: tuple[FindingRow, ...]

    def to_json(self) -> Json:
        return {"locale": self.locale, "figures": _figures_to(self.figures),
                "blank": _figures_to(self.blank), "findings": [list(f) for f in self.findings]}

    @classmethod
    def from_json(cls, data: Json) -> "CatalogYield":
        locale = data["locale"]
        if locale is not None and not isinstance(locale, str):
            raise ValueError("locale")
        return cls(locale, _figures_from(data["figures"]), _figures_from(data["blank"]),
                   _rows_from(data["findings"], 3))


@dataclass(frozen=True)
class PageYield:
    """What one content page yields, all from its bytes (and where it lies)."""

    path: str
    bilingual: bool
    problems: tuple[Problem, ...]
    findings: tuple[FindingRow, ...]

    def to_json(self) -> Json:
        return {"path": self.path, "bilingual": self.bilingual,
                "problems": [p.to_json() for p in self.problems],
                "findings": [list(f) for f in self.findings]}

    @classmethod
    def from_json(cls, data: Json) -> "PageYield":
        if not isinstance(data["path"], str) or not isinstance(data["bilingual"], bool):
            raise ValueError("path")
        return cls(data["path"], data["bilingual"],
                   tuple(Problem.from_json(p) for p in data["problems"]),
                   _rows_from(data["findings"], 4))


Yield = CatalogYield | PageYield
_KINDS: dict[str, type[CatalogYield] | type[PageYield]] = {"po": CatalogYield,
                                                           "page": PageYield}


class Memo:
    """What each file yielded, by its path and SHA-1 (design decision 3)."""

    def __init__(self, abs_path: Path | None, salt: str) -> None:
        self.abs_path, self.salt = abs_path, salt
        self.old: dict[str, dict[str, Json]] = {"po": {}, "page": {}}
        self.new: dict[str, dict[str, Json]] = {"po": {}, "page": {}}
        self.read: dict[str, dict[str, tuple[str, Yield]]] = {"po": {}, "page": {}}
        """Records already read as yields: (digest, yield), by kind and name."""
        self.used: dict[str, dict[str, tuple[str, Yield]]] = {"po": {}, "page": {}}
        self.changed = False
        self.data: bytes | None = None
        if abs_path is not None:
            try:
                self.data = reads.read_bytes(abs_path)
                taken = reads.take(abs_path, self.data)  # serve: the last run's, unparsed
                if taken is not None and taken[0] == salt:
                    _, self.old, self.read = taken
                    return
                data = json.loads(self.data)
                if data["format"] == CACHE_FORMAT and data["salt"] == salt and \
                        all(isinstance(data[kind], dict) for kind in self.old):
                    self.old = {kind: data[kind] for kind in self.old}
            except (OSError, ValueError, LookupError, TypeError):
                pass  # no cache, or not ours: everything is analysed afresh

    def cached(self, kind: str, name: str, digest: str) -> Yield | None:
        """What this file yielded if its digest matches, else None (a record that does
        not read as one is a miss too)."""
        known = self.read[kind].get(name)
        if known is not None and known[0] == digest:
            self.new[kind][name] = self.old[kind][name]
            self.used[kind][name] = known
            return known[1]
        found = self.old[kind].get(name)
        if not (isinstance(found, dict) and found.get("sha1") == digest):
            return None
        try:
            values = _KINDS[kind].from_json(found["yield"])
        except (ValueError, LookupError, TypeError):
            return None
        self.new[kind][name] = found
        self.used[kind][name] = (digest, values)
        return values

    def store(self, kind: str, name: str, digest: str, values: Yield) -> None:
        self.new[kind][name] = {"sha1": digest, "yield": values.to_json()}
        self.used[kind][name] = (digest, values)
        self.changed = True

    def save(self) -> None:
        """Keep what this run used (so removed files drop out); quietly skip if unwritable."""
        if self.abs_path is None:
            return
        if not self.changed and self.new == self.old:
            if self.data is not None:
                reads.keep(self.abs_path, self.data, (self.salt, self.old, self.used))
            return
        try:
            write_atomic(self.abs_path.parent / ".gitignore", b"# docloc's cache: never commit\n*\n")
            data = json.dumps({"format": CACHE_FORMAT, "salt": self.salt, **self.new},
                              ensure_ascii=False, separators=(",", ":"),
                              sort_keys=True).encode("utf-8")
            write_atomic(self.abs_path, data)
            reads.keep(self.abs_path, data, (self.salt, self.new, self.used))
        except (OSError, DoclocError):
            pass


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


@dataclass(frozen=True)
class _CatalogJob:
    data: bytes
    where: str
    is_template: bool
    allow: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.where


@dataclass(frozen=True)
class _PageJob:
    source: SourceFile
    source_locale: str | None
    allow: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.source.item.rel_uri


_Job = _CatalogJob | _PageJob


class _File(NamedTuple):
    """One file of a check: its cache name and digest, its job, what the cache had."""

    kind: str
    name: str
    digest: str
    job: _Job
    cached: Yield | None
    key: tuple[str | None, str] | None
    """A catalog's (locale, page uri); None for a page."""


def _analyse(job: _Job) -> Yield | Problem:
    """What one catalog or page yields (what the cache keeps), or its problem."""
    try:
        if isinstance(job, _CatalogJob):
            catalog = catalog_po.load(job.data, job.where)
            return CatalogYield(
                catalog.locale, catalog_figures(catalog),
                catalog_figures(catalog, untranslated=True),
                () if job.is_template else tuple(catalog_findings(
                    catalog, _context(catalog.locale, job.allow))))
        page, trouble = read_page(job.source, job.source_locale)
        checked = page.locale is not None and page.locale != job.source_locale
        return PageYield(page.path, page.is_bilingual, tuple(trouble),
                         tuple(page_findings(page, _context(page.locale, job.allow),
                                             columns=True)) if checked else ())
    except DoclocError as exc:
        return exc.problem


def _analyse_all(jobs: list[_Job], workers: int, progress: Progress | None = None
                 ) -> list[Yield | Problem]:
    """``_analyse`` each job, in ``workers`` processes when there are many."""
    done: list[Yield | Problem] = []
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_analyse, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
            for job, result in zip(jobs, results):
                done.append(result)
                if progress:
                    progress("checking", len(done), len(jobs), job.name)
        return done
    for job in jobs:
        done.append(_analyse(job))
        if progress:
            progress("checking", len(done), len(jobs), job.name)
    return done


def _toc_findings(config: Config, scan: Scan
                  ) -> list[tuple[str, str | None, list[FindingRow]]]:
    """Markup in TOC labels and refused TOC links, as errors at their line (TOCs are
    vendor input: ``toc.py`` design decision 3). Cheap: not cached."""
    out: list[tuple[str, str | None, list[FindingRow]]] = []
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
        entries: list[FindingRow] = [(p.line or 0, "toc", p.message)
                                     for p in toc_problems(item.page_uri, text, where)]
        if entries:
            out.append((where, item.folder_locale, entries))
    return out


def check(config: Config, *, min_coverage: float | None = None, by: str | None = None,
          cache: bool = True, jobs: int = 2, scan: Scan | None = None,
          progress: Progress | None = None) -> GateResult:
    """Figures, findings and threshold failures for the project.

    Three phases: list every file with what the cache holds for it; analyse the
    misses (in ``jobs`` processes when there are ``PARALLEL_FROM`` or more) and
    gather every yield; apply severities and thresholds. ``scan``: the content
    folder already read.
    """
    levels = severities(config.severity)  # first: a bad setting is named before any work
    allow = tuple(config.allow_untranslated)
    salt = hashlib.sha1(json.dumps([__version__, words.RULES, sorted(CHECKS),
                                    allow]).encode()).hexdigest()
    memo = Memo(config.locales / ".docloc" / "cache" / "check.json" if cache else None, salt)
    problems: list[Problem] = []
    if config.content.is_dir():
        scan = scan or scan_content(config.content)
        problems.extend(scan.problems)
    else:
        scan = None
    files = _files(config, memo, allow, scan)
    fresh = _analyse_all([f.job for f in files if f.cached is None], jobs, progress)
    gathered = _gather(files, fresh, memo, problems, config.source_locale)
    memo.save()
    if scan is not None:
        gathered.page_found.extend(_toc_findings(config, scan))
    if not gathered.figures and not gathered.page_uris:
        raise DoclocError("no catalogs and no bilingual pages found; run docloc extract "
                          "or pass --content/--locales", str(config.locales))
    report = report_from_figures(gathered.page_uris, gathered.figures,
                                 locales=gathered.target_locales)
    findings = [Finding(path, line, locale, name, levels.get(name, "error"), message, *column)
                for path, locale, entries in sorted(gathered.found) + sorted(gathered.page_found)
                for line, name, message, *column in entries
                if levels.get(name, "error") != "off"]
    failures = threshold_failures(
        report, min_coverage=config.min_coverage if min_coverage is None else min_coverage,
        thresholds=config.thresholds, by=by or config.coverage_by)
    return GateResult(report, findings, failures, problems, len(fresh), len(files))


def _files(config: Config, memo: Memo, allow: tuple[str, ...], scan: Scan | None
           ) -> list[_File]:
    """Every catalog, template and page of the project, in order, with its cached yield."""
    files: list[_File] = []

    def want(kind: str, name: str, digest: str, job: _Job,
             key: tuple[str | None, str] | None = None) -> None:
        files.append(_File(kind, name, digest, job, memo.cached(kind, name, digest), key))

    if config.locales.is_dir():
        for abs_po in sorted(config.locales.rglob("*.po*")):
            rel = abs_po.relative_to(config.locales).as_posix()
            key = None if rel.startswith(".") else _catalog_key(rel)
            if key is not None:
                data, digest = reads.with_sha1(abs_po)
                want("po", rel, digest,
                     _CatalogJob(data, str(abs_po), key[0] is None, allow), key)
    for source in scan.files if scan is not None else ():
        # A page's yield is made of its text (decoded from the bytes its SHA-1 names)
        # and where it lies.
        identity = f"{source.where}\0{source.locale}\0{config.source_locale}\0"
        want("page", source.item.rel_uri,
             reads.sha1((identity + (source.sha1 or source.text)).encode("utf-8")),
             _PageJob(source, config.source_locale, allow))
    return files


@dataclass
class _Gathered:
    """The yields of every file, by what the report needs."""

    figures: dict[tuple[str | None, str], tuple[Figures, Figures]] = field(default_factory=dict)
    found: list[tuple[str, str | None, list[FindingRow]]] = field(default_factory=list)
    """(path, locale, [(line, check, message)]) of each catalog."""
    page_found: list[tuple[str, str | None, list[FindingRow]]] = field(default_factory=list)
    """(path, locale, [(line, check, message, column)]) of each page."""
    page_uris: set[str] = field(default_factory=set)
    target_locales: set[str] = field(default_factory=set)


def _gather(files: list[_File], fresh: list[Yield | Problem], memo: Memo,
            problems: list[Problem], source_locale: str) -> _Gathered:
    """Each file's yield, cached or fresh (remembered), sorted into ``_Gathered``."""
    out = _Gathered()
    analysed = iter(fresh)
    for file in files:
        values = file.cached
        if values is None:
            fresh_values = next(analysed)
            if isinstance(fresh_values, Problem):  # unreadable: reported, never remembered
                problems.append(fresh_values)
                continue
            values = fresh_values
            memo.store(file.kind, file.name, file.digest, values)
        if isinstance(values, CatalogYield) and isinstance(file.job, _CatalogJob) \
                and file.key is not None:
            out.figures[file.key] = (values.figures, values.blank)
            if file.key[0] is not None:
                out.found.append((file.job.where, values.locale, list(values.findings)))
        elif isinstance(values, PageYield) and isinstance(file.job, _PageJob):
            source = file.job.source
            problems.extend(values.problems)
            if values.bilingual:
                out.page_uris.add(values.path)
                if source.locale and source.locale != source_locale:
                    out.target_locales.add(source.locale)
            out.page_found.append((source.where, source.locale, list(values.findings)))
    return out
