#!/usr/bin/env python3
"""Scaling benchmark: one synthetic bilingual page of N segments (issue 13).

For each N, times ``docloc extract`` and ``docloc build`` (whole processes, as a
user runs them) and plain MkDocs + Material building the same page, English and
French, as plain markdown (what docloc's two languages amount to), and prints
the ratio docloc build / plain build per N. A flat ratio means docloc adds a
constant factor; a growing one means a stage of docloc is superlinear. Peak
memory (max RSS of each process) is printed beside each time.

    python scripts/bench_scale.py                       # 20k, 50k, 100k segments
    python scripts/bench_scale.py --sizes 10000 30000
    python scripts/bench_scale.py --big-segment-mb 50   # one segment of 50 MB: peak memory
    python scripts/bench_scale.py --profile 20000       # cProfile of one build, in process
    python scripts/bench_scale.py --profile 1 --big-segment-mb 4   # ... of one big segment

The page: front matter, then headings (with an anchor), paragraphs of three
segments, bullet lists of links and bold, as vendor pages have them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = "site_name: Scale\ntheme:\n  name: material\nplugins:\n  - search\n"


def segment(n: int, target: str, source: str) -> str:
    return (f'<span data-ttu-id="5ca1e-{n}">{target}</span><span class="sxs-lookup">'
            f'<span data-stu-id="5ca1e-{n}">{source}</span></span>')


def texts(n: int) -> tuple[str, str]:
    return (f"La phrase numéro {n} décrit une règle de la politique, en détail.",
            f"Sentence number {n} describes a rule of the policy, in detail.")


def page(count: int) -> tuple[str, str, str]:
    """(bilingual page, its English as plain markdown, its French as plain markdown)."""
    bilingual, english, french = [], [], []
    n = 100
    front = "---\ntitle: Échelle\nms.contentlocale: fr-FR\nms.translationtype: HT\n---\n"
    while n < 100 + count:
        block = (n - 100) // 3 % 8
        if block == 0:
            fr, en = texts(n)
            bilingual.append(f'## <a name="s{n}"></a>{segment(n, fr, en)}')
            english.append(f"## {en}")
            french.append(f"## {fr}")
            n += 1
            continue
        pieces = [(k, *texts(k)) for k in range(n, min(n + 3, 100 + count))]
        n += len(pieces)
        if block % 3 == 1:
            bilingual.append("\n".join(f"- [{segment(k, fr, en)}](#s{k - k % 24})"
                                       for k, fr, en in pieces))
            english.append("\n".join(f"- [{en}](#s{k})" for k, _, en in pieces))
            french.append("\n".join(f"- [{fr}](#s{k})" for k, fr, _ in pieces))
        else:
            bilingual.append(" ".join(f"**{segment(k, fr, en)}**" if k % 5 == 0
                                      else segment(k, fr, en) for k, fr, en in pieces))
            english.append(" ".join(en for _, _, en in pieces))
            french.append(" ".join(fr for _, fr, _ in pieces))
    return (front + "\n\n".join(bilingual) + "\n", "# Scale\n\n" + "\n\n".join(english) + "\n",
            "# Échelle\n\n" + "\n\n".join(french) + "\n")


def big_segment(megabytes: int) -> str:
    """A page of about ``megabytes``: one segment, half target, half source."""
    words = ("mot " * (megabytes * 1024 * 1024 // 2 // 4)).strip()
    return ("---\ntitle: Gros\nms.contentlocale: fr-FR\n---\n"
            + segment(101, words, words.replace("mot", "wrd")) + "\n")


def run(args: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one process; exit codes 1 and 3 are results, not failures."""
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code not in (0, 1, 3):
        raise SystemExit(f"{' '.join(args)} exited {code}:\n"
                         f"{child.stderr.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def docloc_project(work: Path, bilingual: str) -> Path:
    project = work / "docloc"
    (project / "content" / "fr-FR").mkdir(parents=True)
    (project / "content" / "fr-FR" / "scale.md").write_text(bilingual, encoding="utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return project


def plain_project(work: Path, english: str, french: str) -> Path:
    project = work / "plain"
    for lang, text in (("en", english), ("fr", french)):
        (project / "docs" / lang).mkdir(parents=True)
        (project / "docs" / lang / "scale.md").write_text(text, encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Scale\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return project


def docloc(project: Path, command: str) -> tuple[float, float]:
    extra = ["--site", "site", "--jobs", "1"] if command == "build" else []
    return run([sys.executable, "-m", "pipeline", command, "--content", "content",
                "--locales", "locales", *extra], project)


def measure(count: int, work: Path) -> dict[str, tuple[float, float]]:
    bilingual, english, french = page(count)
    project = docloc_project(work, bilingual)
    row = {"extract": docloc(project, "extract"), "build": docloc(project, "build")}
    plain = plain_project(work, english, french)
    row["mkdocs"] = run([sys.executable, "-m", "mkdocs", "build", "-q"], plain)
    row["size"] = (len(bilingual.encode()) / 1e6, 0.0)
    return row


def profile(count: int, work: Path, big_mb: int | None = None) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    from pipeline.build import build
    from pipeline.config import Config

    project = docloc_project(work, big_segment(big_mb) if big_mb else page(count)[0])
    os.chdir(project)
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site")
    profiler = cProfile.Profile()
    profiler.enable()
    build(config, jobs=1)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    parser.add_argument("--big-segment-mb", type=int, default=None,
                        help="instead: peak memory of one segment of this many MB")
    parser.add_argument("--profile", type=int, default=None, metavar="N",
                        help="instead: cProfile one build of a page of N segments")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docloc-scale-", dir=ROOT.parent) as tmp:
        work = Path(tmp)
        if options.profile:
            profile(options.profile, work, options.big_segment_mb)
            return 0
        if options.big_segment_mb:
            project = docloc_project(work, big_segment(options.big_segment_mb))
            size = (project / "content" / "fr-FR" / "scale.md").stat().st_size / 1e6
            for command in ("extract", "build"):
                seconds, peak = docloc(project, command)
                print(f"one segment, page {size:.0f} MB: {command} {seconds:.1f} s, "
                      f"peak {peak:.0f} MB ({peak / size:.1f}x the page)", flush=True)
            return 0
        print(f"{'segments':>9} {'MB':>5} {'extract s':>10} {'build s':>8} {'mkdocs s':>9} "
              f"{'build/mkdocs':>12} {'extract MB':>10} {'build MB':>9} {'mkdocs MB':>9}")
        for count in options.sizes:
            shutil.rmtree(work / "docloc", ignore_errors=True)
            shutil.rmtree(work / "plain", ignore_errors=True)
            row = measure(count, work)
            print(f"{count:>9} {row['size'][0]:>5.1f} {row['extract'][0]:>10.1f} "
                  f"{row['build'][0]:>8.1f} {row['mkdocs'][0]:>9.1f} "
                  f"{row['build'][0] / row['mkdocs'][0]:>11.2f}x {row['extract'][1]:>10.0f} "
                  f"{row['build'][1]:>9.0f} {row['mkdocs'][1]:>9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
