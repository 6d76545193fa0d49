"""Files a long-running process has read, kept while they stay as they were.

Design decisions:

1. Off by default: a one-shot command reads each file as it is. ``docloc serve``
   turns it on (``remember``): each save would otherwise read and hash the whole
   project again (pages, catalogs and docloc's sidecars: 45 MB on the Mixed Reality
   corpus), for one changed catalog.
2. A file is taken to be unchanged while its signature is: device, inode, size,
   and modification and change times in nanoseconds. ``files.write_atomic`` renames
   a new inode in, an editor's save moves both times, and a tool that puts the
   modification time back still moves the change time. serve's own watcher trusts
   the modification time alone. What it cannot see: a file rewritten in place, to
   the same size, within one tick of the file system's clock (a few milliseconds).
3. With the bytes, their SHA-1 (what extract's, check's and the build's fingerprints
   hash) and what ``derived`` made of them (a page's decoded text), each computed
   once per version of the file.
4. A sidecar that docloc writes and reads back (extract's state, check's cache) can
   be handed over (``keep`` when writing, ``take`` when reading): the reader gets the
   very object the writer had, without parsing, when the file still holds the bytes
   written. ``take`` hands it out once, so a reader that changes the object and then
   fails leaves nothing stale behind: the next read parses the file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, TypeVar, cast

T = TypeVar("T")
Signature = tuple[int, int, int, int, int]


class _Reads:
    def __init__(self) -> None:
        self.on = False
        self.known: dict[str, tuple[Signature, bytes, str | None]] = {}
        self.kept: dict[str, tuple[bytes, Any]] = {}
        self.reused: dict[object, tuple[object, object, Any]] = {}

    def signature(self, path: str) -> Signature:
        st = os.stat(path)
        return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns

    def entry(self, path: str) -> tuple[Signature, bytes, str | None]:
        signature = self.signature(path)
        known = self.known.get(path)
        if known is not None and known[0] == signature:
            return known
        with open(path, "rb") as handle:
            data = handle.read()
        if self.signature(path) != signature:  # written while we read: not kept
            return signature, data, None
        self.known[path] = found = (signature, data, None)
        return found


READS = _Reads()


def wrote(path: Path | str, data: bytes) -> None:
    """``data`` was just written to ``path`` (by ``files.write_atomic``): no need to read it."""
    if READS.on:
        key = os.fspath(path)
        try:
            READS.known[key] = (READS.signature(key), data, None)
        except OSError:
            READS.known.pop(key, None)


def remember(on: bool = True) -> None:
    """Keep what is read from now on (``docloc serve``), or stop and forget it all."""
    READS.on = on
    if not on:
        READS.known.clear()
        READS.kept.clear()
        READS.reused.clear()


def read_bytes(path: Path | str) -> bytes:
    """The file's bytes (raises OSError as ``open`` does)."""
    if not READS.on:
        with open(path, "rb") as handle:
            return handle.read()
    return READS.entry(os.fspath(path))[1]


def with_sha1(path: Path | str) -> tuple[bytes, str]:
    """The file's bytes and their SHA-1 (hex)."""
    if not READS.on:
        with open(path, "rb") as handle:
            data = handle.read()
        return data, hashlib.sha1(data).hexdigest()
    key = os.fspath(path)
    signature, data, digest = READS.entry(key)
    if digest is None:
        digest = hashlib.sha1(data).hexdigest()
        if READS.known.get(key, (None,))[0] == signature:
            READS.known[key] = (signature, data, digest)
    return data, digest


def sha1(data: bytes, key: object = None) -> str:
    """The SHA-1 (hex) of ``data``; with ``key`` (what the bytes are, say a doc of a
    language), remembered while the very same bytes object comes back under it."""
    if key is None:
        return hashlib.sha1(data).hexdigest()
    return reuse(("sha1", key), data, None, lambda: hashlib.sha1(data).hexdigest())


def derived(path: Path | str, data: bytes, make: Callable[[bytes], T], *how: object) -> T:
    """``make(data)``, made once per version of the file: ``data`` must be what
    ``read_bytes`` or ``with_sha1`` gave for ``path``, ``make`` a function of ``data``
    and of ``how`` alone (hashable: the other things it depends on), and its result is
    never changed by its users (decoded text, a parsed page)."""
    return reuse(("derived", os.fspath(path), *how), data, None, lambda: make(data))


def reuse(key: object, same: object, equal: object, make: Callable[[], T]) -> T:
    """``make()``, or what it made last time under ``key`` while ``same`` is the very
    object it was made from and ``equal`` compares equal (serve: a doc of a language,
    made again only when its page was rendered anew). Off, it always makes."""
    if not READS.on:
        return make()
    known = READS.reused.get(key)
    if known is not None and known[0] is same and known[1] == equal:
        return cast(T, known[2])
    value = make()
    READS.reused[key] = (same, equal, value)
    return value


def keep(path: Path | str, data: bytes, value: Any) -> None:
    """``value`` is what ``data``, just written to ``path``, reads as (decision 4)."""
    if READS.on:
        READS.kept[os.fspath(path)] = (data, value)


def take(path: Path | str, data: bytes) -> Any | None:
    """What ``keep`` was given for these very bytes of ``path``, once; else None."""
    if not READS.on:
        return None
    kept = READS.kept.pop(os.fspath(path), None)
    if kept is None or (kept[0] is not data and kept[0] != data):
        return None
    return kept[1]
