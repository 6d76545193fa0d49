#!/usr/bin/env python3
"""Benchmark ``docloc build`` against mkdocs-static-i18n on the same pages and theme.

For each scale (copies of the content), prints side by side in one run:
docloc extract, check and build (whole processes), mkdocs-static-i18n building
the very markdown docloc rendered (English + every target language, folder
structure, the same mkdocs.yml and theme; segment marks written back as the
spans they stand for, since mkdocs-static-i18n has no docloc hook), their ratio, the HTML size per page,
and each process's peak memory. Compare ratios, not seconds: machines are noisy.

    pip install mkdocs-static-i18n
    python scripts/bench_site.py                     # ../shared corpus, x1 and x4
    python scripts/bench_site.py --scales 1 --content DIR
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

from bench import ROOT, build_corpus, sources_or_exit  # noqa: E402 (the script beside this one)

sys.path.insert(0, str(ROOT))


def run(args: list[str], cwd: Path, *, optional: bool = False) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one process and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if optional and proc.returncode == 2:  # a command this version does not have
        return 0.0, 0.0
    if proc.returncode not in (0, 1, 3, 4):
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


SERVE_SAVE = r"""
import re, sys, time
from pathlib import Path
from pipeline.build import Session, build
from pipeline.config import Config
from pipeline.site import warm_up
work = Path(sys.argv[1])
config = Config(content=work / "content", locales=work / "locales", site=work / "site")
from pipeline import reads
session = Session()
reads.remember()  # as docloc serve does
build(config, session=session)  # docloc serve's first build
session.settle()
session.quick = True
warm_up()
po = next(p for p in sorted((work / "locales").glob("*/LC_MESSAGES/**/*.po"))
          if p.stem.lower() != "readme")  # a README is published at readme/, not README/
text = po.read_text(encoding="utf-8")
times = []
for n in range(3):  # a translator saves the catalog three times
    po.write_text(re.sub(r'(msgid "[^"]+"\nmsgstr ")', rf"\g<1>Saved{n}x ", text, count=1),
                  encoding="utf-8")
    start = time.perf_counter()
    report = build(config, session=session)
    times.append(time.perf_counter() - start)
    session.settle()  # serve does it once the page is reloading
    assert report.rebuilt, "the save rebuilt nothing"
    uri = "/".join(po.relative_to(work / "locales").parts[2:])[:-len(".po")]
    uri = uri[:-len("index")] if uri == "index" or uri.endswith("/index") else uri + "/"
    html = (work / "site" / report.rebuilt[0].lower() / (uri + "index.html")).read_text("utf-8")
    assert f"Saved{n}x" in html, "the served page does not show the save"
po.write_text(text, encoding="utf-8")
print(sorted(times)[1])
"""


def serve_save(work: Path) -> float:
    """Seconds from a saved catalog to its page rebuilt, as docloc serve does (median of 3)."""
    done = subprocess.run([sys.executable, "-c", SERVE_SAVE, str(work)], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"serve measurement failed: {done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def i18n_project(work: Path, docloc_work: Path, base: Path) -> Path:
    """The pages docloc rendered, laid out for mkdocs-static-i18n (folder structure)."""
    project = work / "i18n"
    docs = project / "docs"
    languages = sorted(p.name for p in docloc_work.iterdir() if (p / "docs").is_dir())
    from pipeline.marks import expand_markdown

    for tag in languages:
        shutil.copytree(docloc_work / tag / "docs", docs / tag.split("-")[0])
        for page in (docs / tag.split("-")[0]).rglob("*.md"):  # spans written in, as
            page.write_text(expand_markdown(page.read_text(encoding="utf-8")),  # ever
                            encoding="utf-8")
    lines = [f"INHERIT: {base}", f"docs_dir: {docs}", f"site_dir: {project / 'site'}",
             "plugins:", "  - search", "  - i18n:", "      docs_structure: folder",
             "      languages:"]
    for tag in languages:
        code = tag.split("-")[0]
        lines += [f"        - locale: {code}", f"          name: {code}",
                  f"          default: {'true' if tag.startswith('en') else 'false'}",
                  "          build: true"]
    (project / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, action="append")
    parser.add_argument("--scales", default="1,4", help="comma-separated copies (default 1,4)")
    args = parser.parse_args()
    sources = sources_or_exit(args.content)
    results = {}
    py = sys.executable
    for scale in [int(s) for s in args.scales.split(",")]:
        work = Path(tempfile.mkdtemp(prefix=f"site-x{scale}-", dir=ROOT / "bench-out"))
        try:
            content = build_corpus(sources, scale, work / "content")
            pages = len(list(content.rglob("*.md")))
            common = ["--content", str(content), "--locales", str(work / "locales")]
            row = {"pages": pages}
            row["extract"] = run([py, "-m", "pipeline", "extract", *common, "-q"], ROOT)
            row["check"] = run([py, "-m", "pipeline", "check", *common], ROOT, optional=True)
            row["build"] = run([py, "-m", "pipeline", "build", *common, "--site",
                                str(work / "site")], ROOT)
            row["rebuild"] = run([py, "-m", "pipeline", "build", *common, "--site",
                                  str(work / "site")], ROOT)
            row["serve"] = serve_save(work)
            html = sorted((work / "site").rglob("index.html"))
            row["html_kb"] = sum(p.stat().st_size for p in html) / max(len(html), 1) / 1024
            from pipeline.site import work_folder
            project = i18n_project(work, work_folder(work / "site"), ROOT / "mkdocs.yml")
            row["i18n"] = run([py, "-m", "mkdocs", "build", "-q", "-f",
                               str(project / "mkdocs.yml")], project)
            results[scale] = row
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'scale':>5} {'pages':>6} {'extract':>8} {'check':>7} {'build':>7} {'rebuild':>8} "
          f"{'save':>5} {'i18n':>7} {'build/i18n':>10} {'KB/page':>8} {'peak MB build':>13} "
          f"{'peak MB i18n':>12}")
    for scale, row in results.items():
        print(f"{scale:>5} {row['pages']:>6} {row['extract'][0]:8.2f} {row['check'][0]:7.2f} "
              f"{row['build'][0]:7.2f} {row['rebuild'][0]:8.2f} {row['serve']:5.2f} "
              f"{row['i18n'][0]:7.2f} "
              f"{row['build'][0] / row['i18n'][0]:10.2f} {row['html_kb']:8.1f} "
              f"{row['build'][1]:13.0f} {row['i18n'][1]:12.0f}")
    print("\nextract, check, build: whole processes, one after the other (check and build find\n"
          "catalogs extract wrote); rebuild: build again, nothing changed; save: a catalog\n"
          "saved to its page rebuilt in docloc serve (its polling, 0.1 s, aside); i18n:\n"
          "mkdocs-static-i18n building the same pages with the same theme.")
    if len(results) > 1:
        scales = sorted(results)
        low, high = results[scales[0]], results[scales[-1]]
        factor = scales[-1] / scales[0]
        print(f"\n{factor:.0f}x the pages: docloc build {high['build'][0] / low['build'][0]:.2f}x "
              f"the time (target <= {factor * 1.125:.1f}x), mkdocs-static-i18n "
              f"{high['i18n'][0] / low['i18n'][0]:.2f}x; HTML per page "
              f"{high['html_kb'] / low['html_kb']:.2f}x; peak memory "
              f"{high['build'][1] / low['build'][1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
