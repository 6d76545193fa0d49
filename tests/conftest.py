"""Shared fixtures: the tiny project under tests/project and the shared corpus."""

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
