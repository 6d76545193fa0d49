"""Shared fixtures: the tiny project under tests/project, the shared corpus, and the site
built from the default content."""

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
