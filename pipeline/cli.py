"""The ``docloc`` command: argument parsing, progress, tables and exit codes.

Each subcommand calls one library function and formats what it returns; the
library never prints or exits.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .config import CONFIG_NAME, COVERAGE_BASES, MEMORY_SIMILARITY, Config, load_config
from .errors import DoclocError, Problem
from .files import LockHeld

if TYPE_CHECKING:
    from .build import BuildReport
    from .gate import GateResult

EXIT_OK = 0
EXIT_CHECKS = 1
"""A quality check reported an error."""
EXIT_USAGE = 2
"""Bad command line: argparse's own refusals, and a ``UsageError``."""
EXIT_COVERAGE = 3
"""Coverage below a threshold."""
EXIT_LOCKED = 5
"""Another docloc run holds the project's lock; nothing was done; run again later."""
EXIT_INPUT = 4
"""Unreadable or malformed input (page, catalog, config)."""


class UsageError(DoclocError):
    """A command line argparse cannot refuse by itself (``--locale fr`` where the project
    holds ``fr-FR`` and ``fr-CA``): docloc exits 2, like argparse."""


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


class _Progress:
    """A progress bar per phase on stderr (tqdm), on a terminal only: logs, pipes and CI
    get none. Each bar is wiped when its phase ends, so the report stands alone."""

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

    def __enter__(self) -> "_Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _errors(problems: Sequence[Problem]) -> bool:
    """Whether any problem stops the job (exit 4); warnings (a vendor's mangled quotes
    read all the same) are printed and do not."""
    return any(problem.severity == "error" for problem in problems)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _config(args: argparse.Namespace) -> Config:
    config = load_config(Path(args.config) if args.config else Path(CONFIG_NAME))
    folders = {name: Path(value) for name in ("content", "locales", "site")
               if (value := getattr(args, name, None)) is not None}
    if folders:
        config = replace(config, **folders)  # type: ignore[arg-type]  # all three are Paths
    if getattr(args, "trust_content", False):
        config = replace(config, trust_content=True)
    return config


def _locale(tag: str | None, config: Config) -> str | None:
    """A locale argument as the project spells it: ``fr-fr``/``fr_FR`` -> ``fr-FR``, and
    ``fr`` -> the one ``fr-*`` locale the content or the catalogs hold."""
    from .project import normalize_locale

    if tag is None:
        return None
    locale = normalize_locale(tag)
    if "-" in locale:
        return locale
    known: set[str] = set()
    for folder in (config.content, config.locales):
        try:
            names = [p.name for p in folder.iterdir() if p.is_dir()]
        except OSError:
            continue
        known.update(normalize_locale(n) for n in names if re.fullmatch(r"[A-Za-z]{2,3}[-_]\w+", n))
    matches = sorted(k for k in known if k.split("-")[0] == locale)
    if len(matches) > 1:
        raise UsageError(f"locale {tag!r} is ambiguous here: {', '.join(matches)}; give one of them")
    return matches[0] if matches else locale


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import ACTIONS, extract

    config = _config(args)
    with _Progress() as progress:
        report = extract(config.content, config.locales, fallback_locale=args.locale,
                         source_locale=config.source_locale, similarity=config.similarity,
                         prune=args.prune_obsolete or config.prune_obsolete,
                         dry_run=args.dry_run, progress=progress)
    _print_problems(report.problems)
    if not report.pages and not report.problems:
        print(f"warning: {config.content}: no pages found (.md files); check --content",
              file=sys.stderr)
    rows = [(locale, page, *(counts.get(a, 0) for a in ACTIONS))
            for (locale, page), counts in sorted(report.actions.items())
            if any(counts.values())]
    if rows and not args.quiet:
        print(table(("locale", "page", *ACTIONS), rows))
        print()
    verb = "would write" if args.dry_run else "wrote"
    print(f"extract: {report.pages} pages, {report.segments} segments, {report.entries} "
          f"entries in {report.catalogs} catalogs; {verb} "
          f"{len(report.written)} files; "
          f"{len(report.problems)} problems")
    totals = report.totals()
    if totals.get("conflict"):
        print(f"{totals['conflict']} conflicts: the translator's text was kept and the "
              "vendor's is shown in a '#. vendor:' note")
    return EXIT_INPUT if _errors(report.problems) else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    config = _config(args)
    with _Progress() as progress:
        report = export(config.content, config.locales, Path(args.out),
                        fallback_locale=args.locale, progress=progress)
    _print_problems(report.problems)
    print(f"export: {report.pages} pages to {args.out}, {len(report.changed)} with "
          f"translators' edits, {report.copied} other files copied; "
          f"{len(report.problems)} problems")
    return EXIT_INPUT if _errors(report.problems) else EXIT_OK


def _print_build(report: BuildReport, args: argparse.Namespace) -> None:
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
                  f"{_broken_links_files(args)}")
    rebuilt = ", ".join(report.rebuilt) if report.rebuilt else "none: nothing changed"
    print(f"build: {len(report.languages)} languages ({', '.join(report.languages)}), "
          f"{report.pages} pages, rebuilt: {rebuilt}; "
          f"{sum(len(b) for b in report.broken_links.values())} broken links; "
          f"{len(report.problems)} problems")


_MKDOCS_LINK = re.compile(r"[\w-]+: Doc file '.*' contains ")
"""MkDocs' own words for a broken link, once per link: the build's table says it shorter."""
_LINK_WARNINGS_SHOWN = 10


def _broken_links_files(args: argparse.Namespace) -> str:
    from .site import work_folder
    site = Path(getattr(args, "site", None) or _config(args).site)
    return str(work_folder(site.resolve()) / "<language>" / "broken-links.json")


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    config = _config(args)
    with _Progress() as progress:
        report = build(config, only_locale=_locale(args.locale, config), jobs=args.jobs,
                       progress=progress)
    _print_problems(report.problems)
    _print_build(report, args)
    if report.gate is not None and report.gate.failures:
        return EXIT_COVERAGE
    if args.locale:
        print(f"language: {config.site}/ (join the languages with: docloc assemble)")
    else:
        print(f"site: {config.site}/index.html (preview it with: docloc serve)")
    return EXIT_INPUT if _errors(report.problems) else EXIT_OK


def cmd_assemble(args: argparse.Namespace) -> int:
    from .site import assemble

    config = _config(args)
    found = assemble([Path(p) for p in args.parts], config.site)
    print(f"assemble: {len(found)} languages ({', '.join(found)}) into {config.site}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    config = _config(args)
    return serve(config, host=args.host, port=args.port, jobs=args.jobs,
                 on_build=lambda report: _print_build(report, args),
                 build_first=not args.no_build, edit=args.edit)


def cmd_tm(args: argparse.Namespace) -> int:
    from . import tmx
    from .files import write_atomic
    from .tmx import locale_catalogs, tm_import
    config = _config(args)
    locale = _locale(args.locale, config)
    if locale is None:  # argparse requires it; this tells the type checker so
        raise UsageError("tm needs --locale TAG")
    if args.action == "export":
        catalogs = [c for _, c in locale_catalogs(config.locales, locale)]
        if not catalogs:
            raise DoclocError(f"no catalogs for {locale}; run docloc extract first",
                              str(config.locales))
        text = tmx.dumps(catalogs, source_locale=config.source_locale, target_locale=locale)
        write_atomic(Path(args.file), text.encode("utf-8"))
        units = text.count("<tu>")
        print(f"tm export: {units} translation units from {len(catalogs)} catalogs to {args.file}")
        return EXIT_OK
    memory = tmx.load(Path(args.file), source_locale=config.source_locale, target_locale=locale)
    filled = tm_import(config.locales, locale, memory, similarity=max(config.similarity, MEMORY_SIMILARITY))
    if filled:
        print(table(("page", "suggestions"), sorted(filled.items())))
    print(f"tm import: {len(memory)} sources read; {sum(filled.values())} untranslated entries "
          f"got fuzzy suggestions in {len(filled)} catalogs")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from . import coverage
    from .checks import CHECKS, severities
    from .gate import check

    config = _config(args)
    if args.list:
        levels = severities(config.severity)
        print(table(("check", "applies to", "severity", "what it finds"),
                    [(c.name, c.scope, levels[c.name], c.help) for c in CHECKS.values()]))
        print("\nOpt an entry out with the flag ignore-<check> (Weblate understands it too); "
              "set severities in docloc.toml: [severity] numbers = \"error\".")
        return EXIT_OK
    by = args.by or config.coverage_by
    if args.content is not None and not config.content.is_dir():
        # Without --content, catalogs alone are checked; a folder asked for must exist.
        raise DoclocError("content folder not found; check --content", str(config.content))
    with _Progress() as progress:
        result = check(config, min_coverage=args.min_coverage, by=by, cache=not args.no_cache,
                       progress=progress)
    if args.format == "json":
        print(coverage.to_json(result.report, findings=result.findings,
                               failures=result.failures, by=by))
    elif args.format == "markdown":
        print(coverage.to_markdown(result.report, findings=result.findings,
                                   failures=result.failures, by=by))
    else:
        _print_problems(result.problems)
        _print_check_table(result, by, pages=args.pages)
        print(f"\n{result.files} files read, {result.analysed} analysed "
              f"({result.files - result.analysed} unchanged since the last check)")
    if args.badges:
        from .files import write_atomic

        for locale, item in result.report.locales.items():
            svg = coverage.badge_svg(locale, item.figures.coverage(by))
            write_atomic(Path(args.badges) / f"coverage-{locale.lower()}.svg", svg.encode())
    if _errors(result.problems):
        return EXIT_INPUT
    if result.errors:
        return EXIT_CHECKS
    if result.failures:
        return EXIT_COVERAGE
    return EXIT_OK


def _print_check_table(result: GateResult, by: str, *, pages: bool) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docloc",
        description="Localize documentation published as bilingual side-by-side "
                    "markdown: catalogs for translators, coverage checks, and a "
                    "multilingual MkDocs site.",
        allow_abbrev=False,
        epilog="Exit codes: 0 fine, 1 check errors, 2 bad usage, 3 coverage below "
               "threshold, 4 unreadable or malformed input, 5 another docloc run holds the "
               "project, 130 interrupted. When several apply, 4 wins over 1 and 1 over 3.")
    parser.add_argument("--config", metavar="FILE",
                        help=f"project settings (default: ./{CONFIG_NAME} if present)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        # No abbreviations: "--sit x" is a typo to report, not a silent "--site x".
        return sub.add_parser(name, allow_abbrev=False, **kwargs)

    def paths(p: argparse.ArgumentParser, *, site: bool = False) -> None:
        p.add_argument("--content", metavar="DIR",
                       help="folder of bilingual pages (default: content)")
        p.add_argument("--locales", metavar="DIR",
                       help="folder of PO catalogs (default: locales)")
        if site:
            p.add_argument("--site", metavar="DIR",
                           help="folder to write the site to (default: site)")

    def common(p: argparse.ArgumentParser) -> None:
        paths(p)
        p.add_argument("--locale", metavar="TAG",
                       help="locale of pages whose locale cannot be told otherwise")

    p = add_parser("extract", help="update the PO catalogs from the bilingual pages",
                       description="Read every bilingual page and bring its catalog "
                       "(locales/<ll_CC>/LC_MESSAGES/<page>.po) up to date, keeping "
                       "translators' edits.")
    common(p)
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.add_argument("--prune-obsolete", action="store_true",
                   help="drop entries whose source left the content")
    p.add_argument("-q", "--quiet", action="store_true", help="only the summary line")
    p.set_defaults(func=cmd_extract)

    p = add_parser("export", help="write the bilingual pages back with the catalogs' translations",
                       description="Rebuild every bilingual page from its skeleton and its "
                       "catalog, ready to hand back to the vendor. Untouched catalogs give "
                       "the pages back byte for byte.")
    common(p)
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write the pages to")
    p.set_defaults(func=cmd_export)

    p = add_parser("check", help="coverage per locale and page, quality checks, and the gate",
                       description="Figures per locale, folder and page (messages and words: "
                       "translated, fuzzy, untranslated, obsolete, MT/HT), the quality checks "
                       "of every entry and page, and coverage thresholds from docloc.toml. "
                       "Exit 0 fine, 1 check errors, 3 coverage below threshold, 4 unreadable input.")
    paths(p)
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table",
                   help="output: a terminal table, JSON (schema in pipeline/coverage.py) or "
                   "Markdown for pull-request comments")
    p.add_argument("--min-coverage", type=float, metavar="PCT",
                   help="fail below this coverage for any locale (overrides docloc.toml)")
    p.add_argument("--by", choices=COVERAGE_BASES, help="what coverage counts")
    p.add_argument("--pages", action="store_true", help="one row per page, not only per locale")
    p.add_argument("--badges", metavar="DIR", help="write an SVG coverage badge per locale here")
    p.add_argument("--list", action="store_true", help="list the checks and their severities")
    p.add_argument("--no-cache", action="store_true",
                   help="analyse every file afresh (by default unchanged files are taken "
                   "from locales/.docloc/cache/, keyed by their SHA-1)")
    p.set_defaults(func=cmd_check)

    p = add_parser("build", help="update catalogs and build the multilingual site",
                       description="Update the catalogs, render every page in the source "
                       "language and every target language, and build one MkDocs site per "
                       "language into site/<lang>/ with a language switcher, navigation and "
                       "search per language. The previous site stays in place until the new "
                       "one is complete.")
    paths(p, site=True)
    p.add_argument("--locale", metavar="TAG",
                   help="build only this language (e.g. fr-FR) into --site, for CI matrices")
    p.add_argument("--jobs", type=int, default=2, metavar="N",
                   help="languages built in parallel (default: 2)")
    p.add_argument("--trust-content", action="store_true",
                   help="publish the markup of content pages as it is (for teams who own their "
                        "vendor pipeline); by default scripts, event handlers and script URLs "
                        "are removed from every page")
    p.set_defaults(func=cmd_build)

    p = add_parser("tm", help="translation memory: export a locale to TMX, or import one",
                       description="export: write a locale's translated entries as TMX 1.4b "
                       "for vendors. import: fill untranslated entries from a TMX as fuzzy "
                       "suggestions (never published until a translator confirms them).")
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("file", metavar="FILE", help="the TMX file to write or read")
    p.add_argument("--locale", required=True, metavar="TAG", help="target locale, e.g. fr-FR")
    p.add_argument("--content", metavar="DIR", help=argparse.SUPPRESS)
    p.add_argument("--locales", metavar="DIR", help="folder of PO catalogs (default: locales)")
    p.set_defaults(func=cmd_tm)

    p = add_parser("assemble", help="join languages built separately (build --locale) into one site",
                       description="The last step of a build spread over machines: each job "
                       "runs 'docloc build --locale TAG --site parts/TAG'; this step copies "
                       "every language into --site and writes the language chooser and sitemap.")
    p.add_argument("parts", nargs="+", metavar="DIR", help="folders written by build --locale")
    p.add_argument("--site", metavar="DIR", help="the site to assemble (default: site)")
    p.set_defaults(func=cmd_assemble)

    p = add_parser("serve", help="preview the site and rebuild when a page or catalog is saved",
                       description="Build the site, serve it on http://HOST:PORT/, and rebuild "
                       "when a file under --content or --locales changes; open pages reload "
                       "themselves.")
    paths(p, site=True)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="parallel language builds")
    p.add_argument("--no-build", action="store_true", help="serve the existing site first")
    p.add_argument("--edit", action="store_true",
                   help="let translators edit translations in the served pages: each translated "
                        "segment opens an editor panel that saves into its PO file "
                        "(/__docloc/api/entries); without --edit, serve is read-only")
    p.add_argument("--trust-content", action="store_true",
                   help="publish the markup of content pages as it is (for teams who own their "
                        "vendor pipeline); by default scripts, event handlers and script URLs "
                        "are removed from every page")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except LockHeld as exc:
        print(f"docloc: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except UsageError as exc:
        print(f"docloc: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DoclocError as exc:
        print(f"docloc: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("docloc: interrupted; files written so far are complete", file=sys.stderr)
        return 130
