"""What docloc prints: tables, progress bars, and the reports of a build and a check.

Design decisions:

1. The library returns values (``BuildReport``, ``GateResult``, ``Problem``) and
   this module turns them into what a writer reads; the CLI's commands call it, and
   ``docloc serve`` is handed ``print_build`` to report each rebuild.
2. Figures, tables and summary lines go to stdout; problems, the build's warnings
   and a build stopped by a coverage threshold go to stderr, so ``docloc build >
   log.txt`` still shows on the terminal what went wrong.
3. Tables are plain text aligned by column (text left, numbers right, floats to
   one decimal); colour only on a terminal, and only in the check's rows.
4. Progress bars (tqdm) only when stderr is a terminal whose ``TERM`` is not
   ``dumb``: logs, pipes and CI get none. Each bar is wiped when its phase ends,
   so the report stands alone.
5. Output stays bounded on big sites: MkDocs' own words for broken links are shown
   ten times at most, the build's table of broken links 25 rows; the rest are
   named by the file that lists them all.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .errors import Problem

if TYPE_CHECKING:
    from .build import BuildReport
    from .gate import GateResult


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned table: text left, numbers right."""
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) if rows else False
               for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w)
                         for c, w, n in zip(row, widths, numeric)).rstrip()
    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


_UNITS = {"reading": "file", "extracting": "catalog", "checking": "file",
          "rendering": "page", "building": "language"}


class ProgressBars:
    """A progress bar per phase on stderr (tqdm), on a terminal only (decision 4);
    called as the library's ``progress(phase, done, total, item)``."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        self.bar: Any = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int, item: str) -> None:
        if not self.on:
            return
        if self.bar is None or phase != self.phase or done < self.bar.n:
            from tqdm import tqdm

            self.close()
            self.bar = tqdm(total=total, desc=phase, unit=_UNITS.get(phase, "it"),
                            leave=False, file=sys.stderr, dynamic_ncols=True,
                            mininterval=0.1)
            self.phase = phase
        self.bar.set_postfix_str(item[-40:], refresh=False)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> "ProgressBars":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def print_build(report: BuildReport, *, site: Path) -> None:
    """A build's figures, warnings, broken links and summary line; ``site`` is the
    folder built into, whose work folder lists every broken link."""
    if report.gate is not None:
        from .coverage import shown

        rows = [(locale, item.figures.messages.total, item.figures.messages.translated,
                 item.figures.messages.fuzzy, shown(item.figures.coverage("messages")))
                for locale, item in report.gate.report.locales.items()]
        print(table(("locale", "messages", "translated", "fuzzy", "coverage %"), rows))
        for failure in report.gate.failures:
            print(f"coverage below threshold: {failure.locale} {failure.scope}: "
                  f"{shown(failure.coverage)}% < {failure.threshold}%; site not built",
                  file=sys.stderr)
    if report.extract is not None:
        e = report.extract
        print(f"catalogs: {e.pages} pages, {e.entries} entries, {len(e.written)} files written")
    links = [w for w in report.warnings if _MKDOCS_LINK.match(w)]
    for warning in report.warnings:
        if warning not in links or links.index(warning) < _LINK_WARNINGS_SHOWN:
            print(f"warning: {warning}", file=sys.stderr)
    if len(links) > _LINK_WARNINGS_SHOWN:
        print(f"warning: ... and {len(links) - _LINK_WARNINGS_SHOWN} more link warnings from "
              "MkDocs (the broken links below, as MkDocs words them)", file=sys.stderr)
    broken_rows = [(tag, link) for tag, broken in sorted(report.broken_links.items())
                   for link in broken]
    if broken_rows:
        first = broken_rows[:25]
        print(table(("language", "broken link or anchor"), first))
        if len(broken_rows) > len(first):
            print(f"... and {len(broken_rows) - len(first)} more: every one is listed in "
                  f"{_broken_links_files(site)}")
    rebuilt = ", ".join(report.rebuilt) if report.rebuilt else "none: nothing changed"
    print(f"build: {len(report.languages)} languages ({', '.join(report.languages)}), "
          f"{report.pages} pages, rebuilt: {rebuilt}; "
          f"{sum(len(b) for b in report.broken_links.values())} broken links; "
          f"{len(report.problems)} problems")


_MKDOCS_LINK = re.compile(r"[\w-]+: Doc file '.*' contains ")
"""MkDocs' own words for a broken link, once per link: the build's table says it shorter."""
_LINK_WARNINGS_SHOWN = 10


def _broken_links_files(site: Path) -> str:
    from .site import work_folder
    return str(work_folder(site.resolve()) / "<language>" / "broken-links.json")


def print_check_table(result: GateResult, by: str, *, pages: bool) -> None:
    """``docloc check``'s table (a row per locale, and per page with ``pages``), its
    findings, the thresholds missed and the summary line."""
    from .coverage import shown

    colour = sys.stdout.isatty()

    def paint(text: str, percent: float) -> str:
        if not colour:
            return text
        code = "32" if percent >= 95 else "33" if percent >= 60 else "31"
        return f"\033[{code}m{text}\033[0m"
    rows = []
    for locale, item in result.report.locales.items():
        scopes = [(locale, "(all pages)", item.figures)]
        if pages:
            scopes += [(locale, page, f) for page, f in item.pages.items()]
        for loc, scope, f in scopes:
            m, w = f.messages, f.words
            rows.append((loc, scope, m.total, m.translated, m.fuzzy, m.untranslated, m.obsolete,
                         w.total, w.translated, f.mt, f.ht, shown(f.coverage(by))))
    lines = table(("locale", "scope", "msgs", "transl", "fuzzy", "untransl", "obsolete",
                   "words", "w.transl", "MT", "HT", f"% ({by})"), rows).split("\n")
    print("\n".join(lines[:2] + [paint(line, row[-1]) for line, row in zip(lines[2:], rows)]))
    if result.findings:
        print()
        for finding in result.findings:
            print(finding)
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    for failure in result.failures:
        print(f"coverage below threshold: {failure.locale} {failure.scope}: "
              f"{shown(failure.coverage)}% < {failure.threshold}% ({failure.by})")
    unreadable = len(result.problems)  # files that could not be read are errors too
    print(f"check: {len(result.report.locales)} locales; {counts.get('error', 0) + unreadable} errors"
          + (f" ({unreadable} in files that cannot be read)" if unreadable else "") + ", "
          f"{counts.get('warning', 0)} warnings; {len(result.failures)} thresholds missed")
