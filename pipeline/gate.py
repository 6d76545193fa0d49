"""``docloc check``: coverage figures, quality findings and the gate, gathered.

1. Catalogs are read once (templates included) and keyed by (locale, page uri);
   with a content folder, its pages add the page checks and the list of
   pages a locale must have; without one, the catalogs alone are checked.
2. A catalog that cannot be read is a problem (exit 4), never a silent 0 %.
3. Nothing here prints: the CLI formats the result as a table, JSON,
   Markdown or badges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as cat
from .checks import Finding, run_checks
from .config import Config
from .coverage import Failure, Report, coverage_report, threshold_failures
from .errors import DoclocError, Problem
from .project import read_content


@dataclass
class GateResult:
    report: Report
    findings: list[Finding] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def read_catalogs(abs_locales: Path) -> tuple[dict[tuple[str | None, str], cat.Catalog],
                                               dict[str, cat.Catalog], list[Problem]]:
    """Every catalog and template: by (locale, page uri), by shown path, and problems."""
    keyed, by_path, problems = {}, {}, []
    if not abs_locales.is_dir():
        return keyed, by_path, problems
    for abs_po in sorted(abs_locales.rglob("*.po*")):
        rel = abs_po.relative_to(abs_locales).as_posix()
        if rel.startswith("."):
            continue
        if rel.startswith("templates/") and rel.endswith(".pot"):
            locale, page = None, rel[len("templates/"):-4] + ".md"
        elif "/LC_MESSAGES/" in rel and rel.endswith(".po"):
            lang, page = rel.split("/LC_MESSAGES/", 1)
            locale, page = lang.replace("_", "-"), page[:-3] + ".md"
        else:
            continue
        try:
            catalog = cat.load(abs_po.read_bytes(), str(abs_po))
        except DoclocError as exc:
            problems.append(exc.problem)
            continue
        keyed[(locale, page)] = catalog
        if locale is not None:
            by_path[str(abs_po)] = catalog
    return keyed, by_path, problems


def check(config: Config, *, min_coverage: float | None = None,
          by: str | None = None) -> GateResult:
    """Figures, findings and threshold failures for the project."""
    keyed, by_path, problems = read_catalogs(config.locales)
    pages, page_uris = {}, set()
    if config.content.is_dir():
        content = read_content(config.content, source_locale=config.source_locale)
        problems.extend(content.problems)
        for item, page in content.pages:
            pages[str(config.content / item.rel_uri)] = page
            if page.is_bilingual:
                page_uris.add(page.path)
    if not keyed and not page_uris:
        raise DoclocError("no catalogs and no bilingual pages found; run docloc extract "
                          "or pass --content/--locales", str(config.locales))
    target_locales = {p.locale for p in pages.values()
                      if p.is_bilingual and p.locale and p.locale != config.source_locale}
    report = coverage_report(page_uris, keyed, locales=target_locales)
    findings = run_checks(by_path, pages=pages, severity=config.severity,
                          allow_untranslated=config.allow_untranslated,
                          source_locale=config.source_locale)
    failures = threshold_failures(
        report, min_coverage=config.min_coverage if min_coverage is None else min_coverage,
        thresholds=config.thresholds, by=by or config.coverage_by)
    return GateResult(report, findings, failures, problems)
