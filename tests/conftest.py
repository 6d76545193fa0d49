"""Shared fixtures: the tiny project under tests/project, the shared corpus, and the site
built from the default content; ``tree_bytes`` to compare two folders byte for byte,
``pocount_rows`` to count words as vendors do."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent


def shared_corpus() -> Path | None:
    """``$DOCLOC_SHARED/corpus`` or ``../shared/corpus`` beside the checkout."""
    base = Path(os.environ.get("DOCLOC_SHARED", ROOT.parent / "shared"))
    corpus = base / "corpus" / "partner-center-fr-fr"
    return corpus if corpus.is_dir() else None


@pytest.fixture
def corpus() -> Path:
    found = shared_corpus()
    if found is None:
        pytest.skip("shared corpus not found (set DOCLOC_SHARED)")
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the default content in a temporary project folder."""
    target = tmp_path / "project"
    target.mkdir()
    shutil.copytree(ROOT / "content", target / "content")
    return target


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site ``docloc build`` makes of the default content, built once per session
    (test_search and test_marks read every page of it)."""
    from pipeline.cli import main

    work = tmp_path_factory.mktemp("default-site")
    code = main(["build", "--content", str(ROOT / "content"), "--locales",
                 str(work / "locales"), "--site", str(work / "site")])
    assert code == 0
    return work / "site"


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below root (the lock file aside) by POSIX path: two trees are equal
    byte for byte when these are."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".docloc.lock"}


def pocount_rows(files: list[Path]) -> dict[str, dict[str, int]]:
    """``pocount --csv`` of files (translate-toolkit): the source words by state, per file;
    skips the test when pocount is not installed."""
    import csv
    import io
    import subprocess

    pocount = shutil.which("pocount")
    if pocount is None:
        pytest.skip("pocount (translate-toolkit) missing")
    out = subprocess.run([pocount, "--csv", *map(str, files)], capture_output=True,
                         text=True, check=True).stdout
    return {row["Filename"]: {"translated": int(row["Translated Source Words"]),
                              "fuzzy": int(row["Fuzzy Source Words"]),
                              "untranslated": int(row["Untranslated Source Words"]),
                              "total": int(row["Total Source Words"])}
            for row in csv.DictReader(io.StringIO(out))}
