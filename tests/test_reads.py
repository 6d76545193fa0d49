"""pipeline.reads: what serve keeps of the files it read is never stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline import reads
from pipeline.files import write_atomic


@pytest.fixture
def remembering():
    reads.remember()
    try:
        yield
    finally:
        reads.remember(False)


def test_off_by_default_every_read_reads_the_file(tmp_path: Path):
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    assert reads.read_bytes(path) == b"one"
    path.write_bytes(b"two")
    assert reads.read_bytes(path) == b"two"
    assert reads.take(path, b"two") is None  # nothing is kept either


def test_a_file_saved_again_is_read_again_even_with_its_old_time_and_size(
        tmp_path: Path, remembering):
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    data, digest = reads.with_sha1(path)
    assert data == b"one" and reads.read_bytes(path) is data  # kept while unchanged
    before = os.stat(path)
    time.sleep(0.02)  # the file system's clock ticks every few milliseconds
    with open(path, "r+b") as handle:  # an editor writing in place, same size
        handle.write(b"two")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and its old time put back
    data, new_digest = reads.with_sha1(path)
    assert data == b"two" and new_digest != digest  # the change time moved


def test_what_docloc_writes_is_what_is_read_back(tmp_path: Path, remembering):
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    assert reads.read_bytes(path) == b"old"
    write_atomic(path, b"new bytes")
    assert reads.read_bytes(path) == b"new bytes"
    time.sleep(0.02)
    path.write_bytes(b"a tool's save")
    assert reads.read_bytes(path) == b"a tool's save"


def test_a_kept_value_is_handed_over_once_and_only_for_the_bytes_written(
        tmp_path: Path, remembering):
    path = tmp_path / "state.json"
    value = {"pages": {}}
    reads.keep(path, b"{}", value)
    assert reads.take(path, b"{ }") is None  # the file holds other bytes: parse it
    reads.keep(path, b"{}", value)
    assert reads.take(path, b"{}") is value
    assert reads.take(path, b"{}") is None  # once: a reader that fails leaves nothing stale


def test_a_derived_value_follows_the_file(tmp_path: Path, remembering):
    path = tmp_path / "page.md"
    path.write_bytes(b"first")
    made: list[bytes] = []

    def decode(data: bytes) -> str:
        made.append(data)
        return data.decode()

    assert reads.derived(path, reads.read_bytes(path), decode, "text") == "first"
    assert reads.derived(path, reads.read_bytes(path), decode, "text") == "first"
    assert len(made) == 1
    time.sleep(0.02)
    path.write_bytes(b"second")
    assert reads.derived(path, reads.read_bytes(path), decode, "text") == "second"
    assert reads.derived(path, reads.read_bytes(path), decode, "other") == "second"
    assert len(made) == 3  # "other" is another way of reading it


def test_a_missing_file_raises_as_open_does(tmp_path: Path, remembering):
    with pytest.raises(FileNotFoundError):
        reads.read_bytes(tmp_path / "none.po")
    with pytest.raises(FileNotFoundError):
        reads.with_sha1(tmp_path / "none.po")
