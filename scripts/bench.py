#!/usr/bin/env python3
"""Benchmark docloc against a folder of bilingual pages (default: ../shared/corpus).

Prints each figure with its ratio to docloc's own extract, all measured side by
side in this one run (shared machines are noisy: compare ratios, not seconds).

    python scripts/bench.py                      # both corpus snapshots
    python scripts/bench.py --scale 4            # four copies of them
    python scripts/bench.py --content DIR        # any folder of bilingual pages
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOCLOC_SHARED", ROOT.parent / "shared"))


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def docloc(*args: str) -> None:
    """Run docloc; exit codes 1 and 3 (findings, coverage) are results, not failures."""
    done = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                          stdout=subprocess.DEVNULL)
    if done.returncode not in (0, 1, 3):
        raise SystemExit(f"docloc {' '.join(args)} exited {done.returncode}")


def sources_or_exit(given: list[Path] | None) -> list[Path]:
    """The folders to benchmark: those given, else both shared corpus snapshots."""
    sources = given or sorted((SHARED / "corpus" / "partner-center-fr-fr").glob("20*"))
    if not sources:
        raise SystemExit("no content: pass --content DIR or put the corpus in ../shared")
    (ROOT / "bench-out").mkdir(exist_ok=True)  # beside the checkout: /tmp was 20x slower
    return sources


def build_corpus(sources: list[Path], scale: int, into: Path) -> Path:
    for copy in range(scale):
        for source in sources:
            shutil.copytree(source, into / f"copy{copy}" / source.name)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, action="append",
                        help="folder of bilingual pages (repeatable)")
    parser.add_argument("--scale", type=int, default=1, help="copies of the content")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--slow", action="store_true", help="also time BeautifulSoup")
    args = parser.parse_args()
    sources = sources_or_exit(args.content)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=ROOT / "bench-out"))
    try:
        content = build_corpus(sources, args.scale, work / "content")
        files = sorted(content.rglob("*.md"))
        texts = [f.read_text(encoding="utf-8") for f in files]
        size = sum(len(t.encode()) for t in texts)
        segments = sum(t.count("data-ttu-id") for t in texts)
        print(f"content: {len(files)} pages, {segments} segments, {size / 1e6:.1f} MB "
              f"({args.scale}x {', '.join(s.name for s in sources)})\n")
        locales = work / "locales"

        rows = []
        sys.path.insert(0, str(ROOT))
        from pipeline import sxs
        simple = re.compile(r'<span data-ttu-id="[^"]*">')
        rows.append(("regex: find segment openings (lower bound)",
                     timed(lambda: [simple.findall(t) for t in texts], args.repeat)))
        rows.append(("docloc scanner: parse every page (in process)",
                     timed(lambda: [sxs.parse(t, "p") for t in texts], args.repeat)))
        import lxml.html
        rows.append(("lxml: parse every page as HTML",
                     timed(lambda: [lxml.html.fromstring(t or " ") for t in texts], args.repeat)))
        if args.slow:
            import bs4
            rows.append(("BeautifulSoup(lxml): parse every page",
                         timed(lambda: [bs4.BeautifulSoup(t, "lxml") for t in texts], 1)))

        def fresh_extract():
            shutil.rmtree(locales, ignore_errors=True)
            docloc("extract", "--content", str(content), "--locales", str(locales), "-q")
        extract_time = timed(fresh_extract, args.repeat)
        rows.append(("docloc extract, whole process, no catalogs yet", extract_time))
        written = [(p.relative_to(locales), p.read_bytes()) for p in sorted(locales.rglob("*"))
                   if p.is_file()]

        def floor():
            target = work / "floor"
            shutil.rmtree(target, ignore_errors=True)
            for rel, data in written:
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                (target / rel).write_bytes(data)
        rows.append((f"floor: create the {len(written)} files extract writes",
                     timed(floor, args.repeat)))
        rows.append(("docloc extract, whole process, nothing changed",
                     timed(lambda: docloc("extract", "--content", str(content),
                                          "--locales", str(locales), "-q"), args.repeat)))
        rows.append(("docloc export, whole process",
                     timed(lambda: docloc("export", "--content", str(content), "--locales",
                                          str(locales), "--out", str(work / "out")), args.repeat)))
        check = ["check", "--content", str(content), "--locales", str(locales), "--format", "json"]
        rows.append(("docloc check, whole process, no cache",
                     timed(lambda: docloc(*check, "--no-cache"), args.repeat)))
        docloc(*check)
        rows.append(("docloc check, whole process, nothing changed",
                     timed(lambda: docloc(*check), args.repeat)))
        one = next(locales.glob("*/LC_MESSAGES/**/*.po"))
        original = one.read_bytes()

        def one_changed():
            one.write_bytes(original.replace(b'msgstr "', b'msgstr "~', 1)
                            if one.read_bytes() == original else original)
            docloc(*check)
        rows.append(("docloc check, whole process, one catalog changed",
                     timed(one_changed, args.repeat)))
        one.write_bytes(original)
        rows.append(("python startup + import pipeline.extract",
                     timed(lambda: subprocess.run([sys.executable, "-c", "import pipeline.extract"],
                                                  cwd=ROOT, check=True), args.repeat)))
        import polib

        def polib_save():
            for po in sorted(locales.rglob("*.po")):
                polib.pofile(str(po)).save(str(work / "polib.po"))
        rows.append(("polib: load and save every catalog (78-column wrap)",
                     timed(polib_save, 1)))
        if shutil.which("msgfmt"):
            catalogs = [str(p) for p in sorted(locales.rglob("*.po"))]
            def msgfmt():
                for po in catalogs:
                    subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", po],
                                   check=True, capture_output=True)
            rows.append(("msgfmt --check --statistics, each catalog", timed(msgfmt, 1)))
        width = max(len(name) for name, _ in rows)
        print(f"{'work':<{width}}  {'median s':>9}  {'x extract':>9}")
        for name, seconds in rows:
            print(f"{name:<{width}}  {seconds:9.3f}  {seconds / extract_time:9.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
