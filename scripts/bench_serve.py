"""Benchmark: a translator's save until the open page shows it, as a reader sees it.

Runs the real ``docloc serve`` (a subprocess) on a content folder, opens the page of
one catalog in Debian's Chromium (Playwright), then saves that catalog several times,
each with a new word in one msgstr, and times each save until the page in the
browser shows the word: serve's watcher, its rebuild, the page's reload, all of it.

    python scripts/bench_serve.py --content ../shared/corpus/mixed-reality-fr-fr/2021-08-03
    python scripts/bench_serve.py            # the default content

Prints each save's seconds and their median (issue 14 and 15: at most 1 s).
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DOCLOC_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--pause", type=float, default=3.0,
                        help="seconds a translator reads before each save (default 3)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        (work / "content").symlink_to(args.content.resolve())
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        common = ["--content", "content", "--locales", "locales"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "pipeline", "extract", *common, "-q"], cwd=work,
                       env=env, check=True, capture_output=True)
        po = next(p for p in sorted((work / "locales").glob("*/LC_MESSAGES/**/*.po"))
                  if p.stem.lower() not in ("readme", "index"))
        uri = "/".join(po.relative_to(work / "locales").parts[2:])[:-len(".po")]
        tag = po.relative_to(work / "locales").parts[0].replace("_", "-").lower()
        text = po.read_text(encoding="utf-8")
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", *common,
                                   "--site", "site", "--port", "0"], cwd=work, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert server.stdout is not None
            for line in server.stdout:
                found = re.search(r"on (http://\S+/)", line)
                if found:
                    base = found.group(1)
                    break
            else:
                raise SystemExit("docloc serve stopped before serving")
            print(f"serve ready in {time.perf_counter() - started:.1f} s: {base}{tag}/{uri}/")
            said: list[tuple[float, str]] = []  # serve's own lines ("rebuilt in 0.4s")
            threading.Thread(target=lambda: said.extend((time.perf_counter(), line.strip())
                                                        for line in server.stdout or ()),
                             daemon=True).start()
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(f"{base}{tag}/{uri}/")
                for n in range(args.saves):
                    time.sleep(args.pause)  # the translator reads, then saves
                    word = f"Sauvegarde{n}x{os.getpid()}"
                    saved = re.sub(r'(msgid "[^"]+"\nmsgstr ")', rf"\g<1>{word} ", text, count=1)
                    start = time.perf_counter()
                    po.write_text(saved, encoding="utf-8")
                    page.wait_for_function(f"document.body && document.body.innerText"
                                           f".includes({word!r})", timeout=30000)
                    times.append(time.perf_counter() - start)
                    rebuilt = [line for at, line in said if at > start and "rebuilt in" in line]
                    print(f"save {n + 1}: {times[-1]:.2f} s (serve said {rebuilt})", flush=True)
                browser.close()
            print(f"median {statistics.median(times):.2f} s over {len(times)} saves "
                  f"({len(list(args.content.rglob('*.md')))} pages)")
        finally:
            po.write_text(text, encoding="utf-8")
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
