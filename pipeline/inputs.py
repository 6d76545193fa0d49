"""What a build is made of, and what the last build of the same inputs reported: the
nothing-changed shortcut of ``docloc build``.

Design decisions:

1. A build's inputs are everything it reads: the settings, ``mkdocs.yml`` and the
   theme, every file of content/ and locales/ (hidden ones aside), and docloc's own
   code, so that an upgrade builds again even without a new version number. One
   SHA-1 names them all (``inputs_digest``).
2. After a full build, ``inputs-<locale or all>.json`` in the work folder keeps that
   digest and the build's summary (``Memo``); a build of the same inputs whose site
   is still there reports that summary again and writes nothing (``unchanged``).
3. A memo that is missing, unreadable or not ours is no error: the build runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TypedDict

from . import __version__, reads, site
from .config import Config
from .errors import Problem


def inputs_digest(config: Config, only_locale: str | None) -> str:
    """Everything a build reads: settings, mkdocs.yml, theme, content and catalogs, and
    docloc's own code (an upgrade, even without a new version number, builds again)."""
    digest = hashlib.sha1(repr((__version__, only_locale, config)).encode())
    for code in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(code.read_bytes())
    digest.update(site.build_stamp(config.mkdocs if config.mkdocs.is_file() else None).encode())
    for base in (config.content, config.locales):
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    data, sha1 = reads.with_sha1(path)  # read once a run (reads.py)
                except OSError as exc:
                    # a link loop, an unreadable file: reading the content reports it
                    data, sha1 = b"", f"unreadable {exc.errno}"
                digest.update(f"\0{os.path.relpath(path, base)}\0{len(data)}\0{sha1}".encode())
    return digest.hexdigest()


class Memo(TypedDict):
    """``inputs-<locale or all>.json`` in the work folder: what the last build was made
    of and what it reported (a build of the same inputs reports it again)."""

    digest: str
    """``inputs_digest``."""
    languages: list[str]
    pages: int
    generated: list[str]
    problems: list[list[str | int | None]]
    """``Problem.to_json()`` of each problem the build found."""


def unchanged(config: Config, memo: Path, digest: str, root: bool) -> Memo | None:
    """The last build's summary if it was built from these very inputs and is still there."""
    try:
        last: Memo = json.loads(memo.read_text(encoding="utf-8"))
        if last["digest"] != digest:
            return None
        tags = [site.url_tag(locale) for locale in last["languages"]]
        for problem in last["problems"]:
            Problem.from_json(problem)  # a summary not ours: build
    except (OSError, ValueError, LookupError, TypeError):
        return None
    wanted = [config.site / tag / "index.html" for tag in tags]
    if root:
        wanted.append(config.site / "index.html")
    return last if all(path.is_file() for path in wanted) else None
