"""Writing files so that an interrupted run never leaves one half-written.

1. Every write goes to a temporary file in the same folder, then is renamed
   over the target: readers, and a run killed at any point, see the old file
   or the new one, never a mix (``os.replace`` is an atomic ``rename`` on
   POSIX). No fsync per file: it guards against power loss, not kills, and
   costs more than the whole extract.
   The new file gets the old one's permissions, else those of any new file
   (0666 less the umask): a temporary file alone would be private (0600).
2. A file whose bytes would not change is not touched, so a second run on
   unchanged input rewrites nothing and keeps modification times.
3. One run at a time per project: a lock file held with ``flock`` (released
   by the kernel when a process dies, so a kill -9 leaves no stale lock).
   The holder of the lock removes the temporaries a killed run left behind.
4. POSIX only (Linux, macOS): ``flock`` comes from ``fcntl``, which Windows
   lacks. There a command that takes the lock (extract, build, ``tm import``,
   ``serve --edit``) fails with ModuleNotFoundError (a traceback, not a docloc
   message) when it comes to take it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import reads
from .errors import DoclocError

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(abs_path: Path, data: bytes) -> bool:
    """Write ``data`` to ``abs_path`` atomically; False when it already held it."""
    try:
        if reads.read_bytes(abs_path) == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise DoclocError(f"cannot read ({exc.strerror})", str(abs_path)) from exc
    try:
        mode = abs_path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_UMASK
    tmp_name = None
    try:
        abs_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=abs_path.parent, prefix=f".{abs_path.name}.",
                                        suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, abs_path)
        tmp_name = None
        reads.wrote(abs_path, data)
    except OSError as exc:
        raise DoclocError(f"cannot write ({exc.strerror}); the previous file, if any, "
                          "is unchanged", str(abs_path)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return True


def remove_leftovers(abs_dir: Path) -> int:
    """Delete the temporary files of ``write_atomic`` that a killed run left in
    ``abs_dir``; call it only while holding its lock (no live writer then)."""
    removed = 0
    for leftover in abs_dir.rglob(".*.tmp") if abs_dir.is_dir() else ():
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            pass
    return removed


class LockHeld(DoclocError):
    """Another docloc run holds the project's lock: nothing is wrong with the input;
    run again when it is done (``docloc`` exits 5; ``serve`` retries by itself)."""


@contextmanager
def project_lock(abs_dir: Path, what: str) -> Iterator[None]:
    """Hold the project's lock for the duration, or refuse with a clear message."""
    import fcntl

    abs_dir.mkdir(parents=True, exist_ok=True)
    lock_path = abs_dir / ".docloc.lock"
    handle = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "another docloc run"
            raise LockHeld(f"{holder} is working on this project; wait for it to "
                              f"finish, then run {what} again", str(lock_path)) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"docloc {what} (pid {os.getpid()})\n")
        handle.flush()
        yield
    finally:
        handle.close()
