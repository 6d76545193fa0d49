#!/usr/bin/env python3
"""How ``docloc build`` grows: with the pages (16x) and with the languages (20).

Two cases, each measured side by side in one run (compare the ratios: the machine is
shared and noisy), every figure a whole cold process (fresh catalogs, no site, no cache):

- pages: the content copied 1x and 16x; time and peak memory of 16x over 1x
  (targets: time <= 17x, memory <= 8x).
- languages: one snapshot copied under 20 locale codes (``ms.contentlocale`` rewritten);
  ``docloc build`` of the 20 languages over MkDocs building one of those languages
  alone, from the configuration docloc wrote for it (target <= 20x on 2 cores).

    python scripts/bench_growth.py                       # ../shared corpus, both cases
    python scripts/bench_growth.py --case pages --scales 1,4 --content DIR
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT, build_corpus, sources_or_exit  # noqa: E402 (beside this one)

LOCALES = ("fr-FR", "de-DE", "es-ES", "it-IT", "pt-BR", "ja-JP", "zh-CN", "ko-KR", "ru-RU",
           "nl-NL", "sv-SE", "da-DK", "fi-FI", "nb-NO", "pl-PL", "tr-TR", "cs-CZ", "hu-HU",
           "ar-SA", "he-IL")
CONTENT_LOCALE = re.compile(rb"^(ms\.contentlocale:[ \t]*)\S+", re.M)


def run(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, children included) and peak MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3, 4):
        raise SystemExit(f"{' '.join(args)} failed ({code}): {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def docloc_build(content: Path, work: Path) -> tuple[float, float, float]:
    return run([sys.executable, "-m", "pipeline", "build", "--content", str(content),
                "--locales", str(work / "locales"), "--site", str(work / "site")], ROOT)


def pages_case(sources: list[Path], scales: list[int]) -> None:
    rows = {}
    for scale in scales:
        work = Path(tempfile.mkdtemp(prefix=f"growth-x{scale}-", dir=ROOT / "bench-out"))
        try:
            content = build_corpus(sources, scale, work / "content")
            pages = sum(1 for _ in content.rglob("*.md"))
            rows[scale] = (pages, *docloc_build(content, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    base = rows[scales[0]]
    print(f"{'scale':>5} {'pages':>6} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} "
          f"{'wall x':>7} {'CPU x':>6} {'mem x':>6}")
    for scale, (pages, wall, cpu, peak) in rows.items():
        print(f"{scale:>5} {pages:>6} {wall:>7.2f} {cpu:>7.2f} {peak:>8.0f} "
              f"{wall / base[1]:>7.2f} {cpu / base[2]:>6.2f} {peak / base[3]:>6.2f}")
    top = scales[-1] / scales[0]
    print(f"\ntargets at {top:g}x the pages: time <= {top * 17 / 16:.1f}x, memory <= "
          f"{top / 2:.1f}x\n")


def languages_case(source: Path, count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"growth-l{count}-", dir=ROOT / "bench-out"))
    try:
        content = work / "content"
        for locale in LOCALES[:count]:
            for abs_path in sorted(source.rglob("*")):
                target = content / locale / abs_path.relative_to(source)
                if abs_path.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                data = abs_path.read_bytes()
                if abs_path.suffix == ".md":
                    data = CONTENT_LOCALE.sub(rb"\g<1>" + locale.encode(), data)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        pages = sum(1 for _ in content.rglob("*.md"))
        wall, cpu, peak = docloc_build(content, work)
        from pipeline.site import work_folder  # noqa: E402 (after sys.path from bench)
        one = work_folder(work / "site") / LOCALES[0].lower() / "mkdocs.yml"
        single = run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(one),
                      "-d", str(work / "single")], ROOT)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'run':<40} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}")
    print(f"{f'docloc build, {count} languages, {pages} pages':<40} {wall:>7.2f} {cpu:>7.2f} "
          f"{peak:>8.0f}")
    print(f"{'mkdocs build, one language alone':<40} {single[0]:>7.2f} {single[1]:>7.2f} "
          f"{single[2]:>8.0f}")
    print(f"\n{count} languages over one language's MkDocs build: wall {wall / single[0]:.1f}x, "
          f"CPU {cpu / single[1]:.1f}x (target <= {count}x wall, {os.cpu_count()} cores)\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, action="append",
                        help="folder of bilingual pages (repeatable)")
    parser.add_argument("--case", choices=("pages", "languages", "both"), default="both")
    parser.add_argument("--scales", default="1,16", help="copies for the pages case")
    parser.add_argument("--languages", type=int, default=20, choices=range(2, len(LOCALES) + 1),
                        metavar=f"2..{len(LOCALES)}")
    args = parser.parse_args()
    sources = sources_or_exit(args.content)
    if args.case in ("pages", "both"):
        pages_case(sources, [int(s) for s in args.scales.split(",")])
    if args.case in ("languages", "both"):
        languages_case(sources[-1], args.languages)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
