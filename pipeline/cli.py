"""The ``docloc`` command: argument parsing, one function per subcommand, exit codes.

Design decisions:

1. Thin: each ``cmd_*`` reads the settings (``docloc.toml``, then the folders
   given on the command line), calls one library function and prints what it
   returns: a summary line here, tables, progress bars and the build's and the
   check's reports through ``report``. The library never prints or exits.
2. ``main(argv=None) -> int`` returns the exit code (``EXIT_*``, also in the
   epilog of ``docloc --help``), so tests call ``main([...])`` in-process. A
   ``DoclocError`` becomes one ``docloc: path:line: message`` line and exit 4
   (2 for a ``UsageError``, 5 when another run holds the lock, 130 on Ctrl-C);
   no traceback.
3. No abbreviated options: ``--sit x`` is a typo to report, not ``--site x``.
4. A locale is accepted as a writer types it (``fr``, ``fr-fr``, ``fr_FR``) and
   named as the project spells it; ``fr`` where ``fr-FR`` and ``fr-CA`` both
   exist is bad usage.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .config import CONFIG_NAME, COVERAGE_BASES, MEMORY_SIMILARITY, Config, load_config
from .errors import DoclocError, Problem
from .files import LockHeld
from .report import ProgressBars, print_build, print_check_table, print_problems, table

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


def _errors(problems: Sequence[Problem]) -> bool:
    """Whether any problem stops the job (exit 4); warnings (a vendor's mangled quotes
    read all the same) are printed and do not."""
    return any(problem.severity == "error" for problem in problems)


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
    with ProgressBars() as progress:
        report = extract(config.content, config.locales, fallback_locale=args.locale,
                         source_locale=config.source_locale, similarity=config.similarity,
                         prune=args.prune_obsolete or config.prune_obsolete,
                         dry_run=args.dry_run, progress=progress)
    print_problems(report.problems)
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
    with ProgressBars() as progress:
        report = export(config.content, config.locales, Path(args.out),
                        fallback_locale=args.locale, progress=progress)
    print_problems(report.problems)
    print(f"export: {report.pages} pages to {args.out}, {len(report.changed)} with "
          f"translators' edits, {report.copied} other files copied; "
          f"{len(report.problems)} problems")
    return EXIT_INPUT if _errors(report.problems) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    config = _config(args)
    with ProgressBars() as progress:
        report = build(config, only_locale=_locale(args.locale, config), jobs=args.jobs,
                       progress=progress)
    print_problems(report.problems)
    print_build(report, site=config.site)
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
                 on_build=lambda report: print_build(report, site=config.site),
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
    with ProgressBars() as progress:
        result = check(config, min_coverage=args.min_coverage, by=by, cache=not args.no_cache,
                       progress=progress)
    if args.format == "json":
        print(coverage.to_json(result.report, findings=result.findings,
                               failures=result.failures, by=by))
    elif args.format == "markdown":
        print(coverage.to_markdown(result.report, findings=result.findings,
                                   failures=result.failures, by=by))
    else:
        print_problems(result.problems)
        print_check_table(result, by, pages=args.pages)
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

