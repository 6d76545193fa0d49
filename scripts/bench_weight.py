#!/usr/bin/env python3
"""Page weight of a docset with one huge folder (issue 17: an API reference of 1,195
pages in one folder weighed 210 KB a page, 1,206 nav links each).

Writes a synthetic docset (one French home page, N English-only API pages in one
folder, so every page joins the French catalogs), builds it with docloc, and
prints the median and largest page of each language and the nav links per page,
for docloc's bounded navigation and, side by side in the same run, for the flat
one (``NAV_SIBLINGS`` set beyond N). Compare the ratio, not the bytes of one run.

    python scripts/bench_weight.py             # 1,195 pages
    python scripts/bench_weight.py --pages 300
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def docset(folder: Path, pages: int) -> None:
    (folder / "content/en-US/api").mkdir(parents=True)
    (folder / "content/fr-FR").mkdir(parents=True)
    (folder / "content/fr-FR/index.md").write_text(
        '---\nms.contentlocale: fr-FR\n---\n# <span data-ttu-id="a-1">Référence</span>'
        '<span class="sxs-lookup"><span data-stu-id="a-1">Reference</span></span>\n',
        encoding="utf-8")
    for i in range(pages):
        (folder / f"content/en-US/api/operation-{i:04}.md").write_text(
            f"# Operation {i:04}\n\nApplies operation {i} to each qubit of the register.\n\n"
            f"## Parameters\n\n| Name | Type |\n|---|---|\n| target | Qubit[] |\n",
            encoding="utf-8")


def weigh(folder: Path, flat: bool) -> dict[str, tuple[float, int, float]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = ("import sys, pipeline.mkconfig as s\n"
            + ("s.NAV_SIBLINGS = 10 ** 9\n" if flat else "")
            + "from pipeline.cli import main\nsys.exit(main(['build']))\n")
    subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    out = {}
    for lang in sorted(p for p in (folder / "site").iterdir() if p.is_dir()):
        pages = list((lang / "api").rglob("index.html"))
        sizes = [p.stat().st_size for p in pages]
        sample = pages[len(pages) // 2].read_text(encoding="utf-8")
        nav = sample.split('md-nav--primary', 1)[1].split("</nav>\n", 1)[0] if \
            'md-nav--primary' in sample else ""
        out[lang.name] = (statistics.median(sizes) / 1024, max(sizes), nav.count("<a "))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1195)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for flat in (False, True):
            folder = Path(tmp) / ("flat" if flat else "bounded")
            docset(folder, args.pages)
            results[flat] = weigh(folder, flat)
        print(f"{args.pages} pages in one folder")
        print(f"{'language':<9} {'nav':<8} {'median KB':>9} {'max KB':>7} {'nav links':>9}")
        for lang in results[False]:
            for flat in (False, True):
                median, largest, links = results[flat][lang]
                print(f"{lang:<9} {'flat' if flat else 'bounded':<8} {median:9.1f} "
                      f"{largest / 1024:7.1f} {links:9d}")
            print(f"{'':<9} ratio    {results[False][lang][0] / results[True][lang][0]:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
