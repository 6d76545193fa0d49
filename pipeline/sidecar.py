"""A locale's sidecar, ``locales/.docloc/<ll_CC>.json``: what extract remembers.

Design decisions:

1. Per page, the vendor targets last imported (the merge base, ``base``) and a
   fingerprint of the page and of the catalog as written (``fingerprint``):
   committed with the catalogs, so a fresh checkout merges as the last run did,
   and a page whose page and catalog did not move is skipped without parsing PO.
2. One line per page, sorted: small diffs, and the C JSON encoder. A record already
   written is reused as its line while it is that very object (records are never
   changed in place): serve rewrites one page's record per save, not all 9 MB.
3. Read back by the process that wrote it (serve), it is handed over unparsed
   (``reads.take``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import catalog as cat
from . import reads

State = dict[str, Any]
"""A page's record in a locale's sidecar (``locales/.docloc/<ll_CC>.json``), as JSON
gives it: ``base`` (the vendor's last text per key) and ``fingerprint``."""

FORMAT = "docloc-2"
"""Bumped when catalog output changes, so fingerprints of older runs stop matching."""


def state_uri(locale: str) -> str:
    """Where a locale's merge bases and fingerprints live, below the locales folder."""
    return f".docloc/{cat.po_language(locale)}.json"


@dataclass
class Sidecar:
    """A locale's sidecar as read: per page, the merge base and the last run's
    fingerprint; ``lines``: the line each record was written as, while it is that
    very record (serve writes one page's record anew per save, not all 9 MB)."""

    pages: dict[str, State] = field(default_factory=dict)
    lines: dict[str, tuple[State, str]] = field(default_factory=dict)
    data: bytes | None = None
    """The file's bytes it was read from (None: there is none, or none docloc reads)."""


def read(abs_path: Path) -> Sidecar:
    """A locale's sidecar (``reads.take``: as the last run of this process left it)."""
    try:
        data = reads.read_bytes(abs_path)
        taken = reads.take(abs_path, data)
        if isinstance(taken, Sidecar):
            return replace(taken, data=data)
        state = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return Sidecar()
    pages = state.get("pages") if isinstance(state, dict) else None
    if not isinstance(pages, dict):
        return Sidecar()
    return Sidecar({page: value for page, value in pages.items()
                     if isinstance(value, dict) and isinstance(value.get("base"), dict)},
                    data=data)


def dumps(sidecar: Sidecar, lines: dict[str, tuple[State, str]]) -> bytes:
    """A locale's sidecar, one line per page: small diffs, and the C JSON encoder.
    ``lines``: records already written, reused while a page's record is that very
    object (records are never changed in place). ``sidecar.lines`` gets every line."""
    pages = sidecar.pages
    for page in sorted(pages):
        known = lines.get(page)
        if known is None or known[0] is not pages[page]:
            known = (pages[page], f"{json.dumps(page, ensure_ascii=False)}: "
                     f"{json.dumps(pages[page], ensure_ascii=False, sort_keys=True)}")
        sidecar.lines[page] = known
    text = ",\n".join(line for _, line in sidecar.lines.values())
    return ('{"format": "' + FORMAT + '", "pages": {\n' + text + "\n}}\n").encode()
