"""``docloc serve``: the writers' loop.

1. Serve the built site from 127.0.0.1 with the standard library's server.
2. Poll content/ and locales/ for saved files (modification times: no extra
   dependency, works on every filesystem) and rebuild; catalogs that the build's
   own extract rewrote are not mistaken for a new edit.
3. Open pages ask ``/__docloc/version?since=N``, which answers as soon as the
   version is no longer N (or after 20 s), and reload when it moved. The script
   that asks (``serve_assets/live.js``) is added by serve to each HTML page it
   sends, before ``</body>``: ``docloc build`` output carries none of it, so a
   real host never gets a request for ``/__docloc/version``.
4. After the first (full) build, a save rebuilds only what it changed: renders
   are remembered across builds, and MkDocs builds the changed pages in place
   with the search index, coverage page and badge brought up to date
   (``build.Session``). A change of navigation or settings builds the
   language in full; ``docloc build`` afterwards builds the canonical site.
   Files are read again only when they changed (``reads.remember``), and the
   session's large heap is frozen out of Python's garbage collection between
   saves (``Session.settle``, once the pages have reloaded): 1.5 s of a save on
   the Mixed Reality corpus went to reading, hashing and collecting.
5. A save that meets another run's lock is not lost: the turn is retried
   until the lock is free, then the save is built.
6. Only loopback names are answered (``localhost``, ``127.0.0.1``, ``[::1]``
   and the ``--host`` given): another ``Host`` is a DNS-rebinding page and gets
   421. A path holding NUL or bad escapes gets 400; an unknown one the site's
   own 404 page of its language; a client that goes away is no error.
"""

from __future__ import annotations

import functools
import hmac
import http.server
import io
import json
import os
import re
import secrets
import threading
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable

from . import reads
from .config import Config
from .editor import EditError, Editor
from .errors import DoclocError
from .files import LockHeld
from .l10n import editor_strings

if TYPE_CHECKING:
    from .build import BuildReport

ASSETS_DIR = Path(__file__).parent / "serve_assets"
"""Scripts and styles served by ``docloc serve`` only (``/__docloc/assets/<name>``)."""


def snapshot(*roots: Path) -> dict[str, int]:
    seen = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    seen[path] = os.stat(path).st_mtime_ns
                except OSError:
                    pass
    return seen


class _State:
    version = 0
    moved = threading.Condition()

    @classmethod
    def bump(cls) -> None:
        with cls.moved:
            cls.version += 1
            cls.moved.notify_all()


LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(header: str | None, served_host: str) -> bool:
    """Whether a request's ``Host`` names this loopback server (port ignored)."""
    if not header:
        return False
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1:name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return name in LOOPBACK or name == served_host.strip("[]").lower()


def _bad_path(raw: str) -> bool:
    """A path no file of the site can have: NUL or control characters, bad escapes."""
    path = urllib.parse.urlsplit(raw).path
    if re.search(r"%(?![0-9A-Fa-f]{2})", path):
        return True
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return True
    return any(ord(c) < 32 or ord(c) == 127 for c in decoded)


def inject(page: bytes, additions: bytes) -> bytes:
    """The page with ``additions`` before its last ``</body>`` (at the end without one)."""
    at = page.lower().rfind(b"</body>")
    return page + additions if at < 0 else page[:at] + additions + page[at:]


API = "/__docloc/api/entries"
MAX_BODY = 1 << 20
"""The largest save accepted (bytes of JSON)."""


def _additions(token: str | None, page: bytes = b"") -> bytes:
    """What serve adds to each HTML page: the reload script; with --edit, the panel,
    its words in the page's language (``l10n.editor_strings``) and the run's token
    (the panel sends it back with each save)."""
    added = '<script src="/__docloc/assets/live.js"></script>'
    if token is not None:
        lang = re.search(rb'<html[^>]*\slang="([A-Za-z-]+)"', page[:4096])
        code = lang.group(1).decode().split("-")[0].lower() if lang else "en"
        strings = json.dumps(editor_strings(code), ensure_ascii=False).replace("<", "\\u003c")
        added = (f'<meta name="docloc-token" content="{token}">'
                 f'<script type="application/json" id="docloc-editor-strings">{strings}</script>'
                 '<link rel="stylesheet" href="/__docloc/assets/editor.css">'
                 '<script src="/__docloc/assets/editor.js"></script>' + added)
    return added.encode()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Answers for the built site: its pages with serve's scripts, the version, the editing API.

    ``_handler`` makes a subclass that names the site, the host and the editor."""

    site_root: Path
    """The built site (``directory`` of the base class, as a ``Path``)."""
    served_host: str
    """The ``--host`` given, answered besides the loopback names."""
    editor: Editor | None = None
    """The translation editor with ``--edit``, else None (read-only)."""
    token: str | None = None
    """The token a save must carry (only with an editor)."""

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the reader went away: nothing to report

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        if _bad_path(self.path):
            self.send_error(400, "Bad request path")
            return None
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/__docloc/assets/"):
            return self._asset(path.rsplit("/", 1)[1])
        local = self.translate_path(self.path)
        if not os.path.exists(local):
            return self._not_found()
        if os.path.isdir(local) and path.endswith("/"):
            local = os.path.join(local, "index.html")
        if local.endswith(".html") and os.path.isfile(local):
            with open(local, "rb") as handle:
                return self._page(200, handle.read())
        return super().send_head()

    def _page(self, status: int, body: bytes) -> io.BytesIO:
        """An HTML page of the site, with serve's own scripts added."""
        body = inject(body, _additions(self.token, body))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def _asset(self, name: str) -> io.BytesIO | None:
        found = ASSETS_DIR / name
        if name.startswith(".") or not found.is_file():
            return self._not_found()
        body = found.read_bytes()
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def _not_found(self) -> io.BytesIO | None:
        """The site's own 404 page, in the language of the path when there is one."""
        first = urllib.parse.urlsplit(self.path).path.strip("/").split("/", 1)[0]
        candidates = ([self.site_root / first / "404.html"] if first and "." not in first else [])
        for candidate in candidates + [self.site_root / "404.html"]:
            if candidate.is_file():
                return self._page(404, candidate.read_bytes())
        self.send_error(404, "Not found")
        return None

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get("Host"), self.served_host):
            if self.command not in ("GET", "HEAD"):
                self.send_error(403, "Forbidden: docloc serve answers loopback names only")
            else:
                self.send_error(421, "Misdirected request: docloc serve answers "
                                     "loopback names only")
            return False
        return True

    def _json(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refused(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _same_origin(self) -> str | None:
        """Why a write is refused (the token, the Origin), or None."""
        given = self.headers.get("X-Docloc-Token", "")
        if not self.token or not hmac.compare_digest(given.encode(), self.token.encode()):
            return "a save needs the X-Docloc-Token of the page docloc serve sent"
        origin = self.headers.get("Origin")
        if origin is not None:
            parts = urllib.parse.urlsplit(origin)
            try:
                port = parts.port
            except ValueError:
                port = None
            address = self.server.server_address  # (host, port): a TCP server
            if parts.scheme != "http" or not isinstance(address, tuple) or \
                    port != address[1] or not host_allowed(parts.netloc, self.served_host):
                return f"Origin {origin} is not this server"
        return None

    def _api_get(self) -> None:
        if self.editor is None:
            self._refused(404, "start docloc serve --edit to edit translations here")
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        page = query.get("page", [""])[0]
        if not page:
            self._refused(400, "name the page: ?page=/fr-fr/some-page/")
            return
        try:
            self._json(200, self.editor.entries(page))
        except EditError as exc:
            self._json(exc.status, exc.payload)

    def do_PUT(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        if self.editor is None or not path.startswith(API + "/"):
            self._refused(405, "docloc serve is read-only here" if self.editor is None else
                          "PUT /__docloc/api/entries/<id> only")
            return
        why = self._same_origin()
        if why:
            self._refused(403, why)
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._refused(400 if length <= MAX_BODY else 413, "send the entry as JSON")
            return
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            self._refused(400, "the body is not JSON")
            return
        page = self.headers.get("X-Docloc-Page")
        try:
            saved = self.editor.save(path[len(API) + 1:], body, site_path=page)
        except EditError as exc:
            self._json(exc.status, exc.payload)
            return
        except DoclocError as exc:
            self._refused(500, str(exc))
            return
        self._json(200, saved)

    def _read_only(self) -> None:
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD" + (", PUT" if self.editor is not None else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_DELETE = do_PATCH = _read_only  # noqa: N815

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if urllib.parse.urlsplit(self.path).path == API:
            self._api_get()
            return
        if self.path.startswith("/__docloc/version"):
            since = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query
                                          ).get("since", [None])[0]
            with _State.moved:
                _State.moved.wait_for(lambda: str(_State.version) != since, timeout=20)
                body = str(_State.version).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _handler(directory: Path, served_host: str, editor: Editor | None = None,
             token: str | None = None) -> Callable[..., http.server.SimpleHTTPRequestHandler]:
    """The request handler for ``directory``; the editing API and panel with ``editor``."""
    attributes = {"site_root": directory, "served_host": served_host, "editor": editor,
                  "token": token if editor is not None else None}
    handler = type("Handler", (_SiteHandler,), attributes)
    return functools.partial(handler, directory=str(directory))


def _seen(config: Config, before: dict[str, int], report: BuildReport | None
          ) -> dict[str, int]:
    """What a build has taken in: the files as they were when it started, and those
    its own extract wrote. A file saved while it ran keeps its old time here, so the
    next turn builds again."""
    seen = dict(before)
    if report is not None and report.extract is not None:
        after = snapshot(config.locales)
        for uri in report.extract.written:
            path = os.path.join(config.locales, uri)
            if path in after:
                seen[path] = after[path]
    return seen


SETTLE_AFTER = 2.0
"""Seconds after a rebuild, with no save since, before serve collects its garbage
(``Session.settle``): a collection holds every thread for a third of a second, and
the open pages are reloading right after the rebuild. Until then what the rebuild
left is frozen as it is, garbage included."""


def serve(config: Config, *, host: str, port: int, jobs: int,
          on_build: Callable[[BuildReport], object], build_first: bool = True, poll: float = 0.1,
          stop: threading.Event | None = None,
          on_ready: Callable[[str], None] | None = None, edit: bool = False) -> int:
    """Build, serve and rebuild on each save until ``stop`` (or Ctrl+C).

    ``edit``: answer the editing API and add the panel to each page (``pipeline.editor``)."""
    from .build import Session, build

    session = Session()
    reads.remember()  # each save reads again only the files that changed
    # Taken before anything is read: a save from now on is a change to build.
    last = snapshot(config.content, config.locales)
    report: BuildReport | None
    if build_first or not config.site.is_dir():
        try:
            report = build(config, jobs=jobs, session=session)
        except BaseException:
            reads.remember(False)
            raise
        on_build(report)
        last = _seen(config, last, report)
        session.settle()
    session.quick = True
    from . import site
    from .pool import compile_templates, keep_index
    from .site import warm_up

    warm_up()  # MkDocs imported here once: each save builds in this process
    compile_templates(site.work_folder(config.site))  # and its theme compiled once
    for language in sorted(config.site.glob("*/search")):
        keep_index(language.parent)  # each save merges its pages into the index
    editor = Editor(config) if edit else None
    token = secrets.token_urlsafe(24) if edit else None
    server = http.server.ThreadingHTTPServer((host, port), _handler(config.site.resolve(), host,
                                                                    editor, token))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"serving {config.site} on {url}" + (" with the translation editor" if edit else "")
          + " (Ctrl+C to stop)", flush=True)
    if on_ready:
        on_ready(url)
    stop = stop or threading.Event()
    waiting = False
    settle_at: float | None = None
    try:
        while not stop.wait(poll):
            now = snapshot(config.content, config.locales)
            if now == last:
                if settle_at is not None and time.monotonic() >= settle_at:
                    session.settle()  # idle, the pages reloaded: collect now, not meanwhile
                    settle_at = None
                continue
            started = time.perf_counter()
            report = None
            try:
                report = build(config, jobs=jobs, session=session)
                waiting = False
                on_build(report)
                if editor is not None:
                    editor.refresh()
                _State.bump()
                print(f"rebuilt in {time.perf_counter() - started:.1f}s", flush=True)
                session.settle(collect=False)
                settle_at = time.monotonic() + SETTLE_AFTER
            except LockHeld as exc:
                # Another run is working: the save stays pending and is built when it is done.
                if not waiting:
                    print(f"docloc: {exc}; the save is built when it is done", flush=True)
                waiting = True
                stop.wait(0.5)
                continue
            except DoclocError as exc:
                print(f"docloc: {exc}", flush=True)
            last = _seen(config, now, report)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        reads.remember(False)
    return 0
