"""Helpers for the browser tests: build the default content, serve it, drive Chromium.

Also a script that regenerates the README screenshot::

    python tests/browser_util.py docs/screenshot.png
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = os.environ.get("DOCLOC_CHROMIUM", "/usr/bin/chromium")
"""Debian's Chromium; ``playwright install`` cannot download browsers here."""
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}


def build_default_site(project: Path) -> Path:
    """Copy content/ and mkdocs.yml into ``project``, build there, return the site folder.

    The build runs with ``project`` as the working directory (``docloc.toml`` and
    ``mkdocs.yml`` are found relative to it), then restores the previous one.
    """
    from pipeline.cli import main

    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    site = project / "site"
    cwd, epoch = os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH")
    out = io.StringIO()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["build", "--content", str(project / "content"),
                         "--locales", str(project / "locales"), "--site", str(site)])
    finally:
        os.chdir(cwd)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    if code != 0 or not (site / "index.html").is_file():
        raise RuntimeError(f"docloc build failed (exit {code}):\n{out.getvalue()}")
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="docloc-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def docloc_serving(project: Path, *, build_first: bool = True, edit: bool = False,
                   poll: float = 0.1, on_build=None) -> Iterator[str]:
    """``docloc serve`` on ``project`` (content/, locales/, site/) in a thread; yield its URL.

    ``edit``: ``docloc serve --edit`` (the translation editor in every page)."""
    import time

    from pipeline.config import Config
    from pipeline.serve import serve as docloc_serve

    mkdocs = project / "mkdocs.yml"
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site", **({"mkdocs": mkdocs} if mkdocs.is_file() else {}))
    ready, stop = [], threading.Event()
    thread = threading.Thread(target=docloc_serve, kwargs=dict(
        config=config, host="127.0.0.1", port=0, jobs=1,
        on_build=on_build or (lambda report: None),
        build_first=build_first, stop=stop, on_ready=ready.append, edit=edit, poll=poll),
        daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not ready and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not ready:
            raise RuntimeError("docloc serve did not start")
        yield ready[0]
    finally:
        stop.set()
        thread.join(timeout=30)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


def hover_first_segment(page, selector: str = "article .docloc-seg[data-source]"):
    """Hover a translated sentence; return (segment locator, its English source)."""
    segment = page.locator(selector).first
    segment.scroll_into_view_if_needed()
    segment.hover()
    page.locator(".docloc-tip").wait_for(state="visible")
    return segment, segment.get_attribute("data-source")


def screenshot(target: Path) -> None:
    """A 1280x900 shot of the French privacy policy, the tooltip open on one sentence."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="docloc-shot-") as tmp:
        site = build_default_site(Path(tmp) / "project")
        with serve(site) as base, sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport=VIEWPORT, locale="fr-FR")
                page.goto(f"{base}/fr-fr/privacy-policy/")
                # A sentence of the body, not the title: the tooltip opens below it.
                hover_first_segment(page, "article p .docloc-seg[data-source]")
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target))
            finally:
                browser.close()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"))
