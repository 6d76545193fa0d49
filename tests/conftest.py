"""Shared fixtures: the tiny project under tests/project, the shared corpus, and the site
built from the default content; ``tree_bytes`` to compare two folders byte for byte,
``pocount_rows`` to count words as vendors do; ``seg`` to write a bilingual segment,
``CATALOG_PAGE`` and ``catalog_for`` for a page's catalog, ``headers`` to count a PO
text's header entries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pipeline.catalog import Catalog

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


def seg(target: str, source: str, sid: str = "23920-104") -> str:
    """A segment as bilingual pages carry it: the target, then the source in its
    ``sxs-lookup`` span, both under one id."""
    return (f'<span data-ttu-id="{sid}">{target}</span><span class="sxs-lookup">'
            f'<span data-stu-id="{sid}">{source}</span></span>')


CATALOG_PAGE = (
    "---\nms.contentlocale: fr-FR\nms.translationtype: MT\n---\n"
    f"# <a name='a'></a>{seg('Ajouter un client', 'Add a customer', 'x-1')}\n\n"
    f"{seg('Ajouter un nouveau client', 'Add a new customer', 'x-2')}\n\n"
    f"## {seg('Étapes', 'Steps', 'x-3')}\n\n"
    f"{seg('Ajouter un client', 'Add a new customer', 'x-4')}\n\n"
    f"{seg('Ajouter un nouveau client', 'Add a new customer', 'x-5')}\n"
    + seg(" Texte avec espace", "Text with newline\n", "x-6") + "\n"
    + seg('Dit "bonjour"', 'Says "hello" \\ tab\tend', "x-7") + "\n"
)
"""A French page with what a catalog must carry: one source with two targets (one of
them under a heading), a line break, spaces, quotes, a backslash and a tab in segments,
page metadata (test_catalog.py, test_catalog_po.py)."""


def catalog_for(text: str) -> Catalog:
    """The catalog of a bilingual French page (``fr-FR/page.md``), which must parse
    without problems."""
    from pipeline import catalog as cat
    from pipeline.sxs import parse

    page, problems = parse(text, "fr-FR/page.md")
    assert problems == []
    return cat.page_catalog(page, "fr-FR/page.md")


def headers(text: str) -> int:
    """How many header entries (``msgid ""``) a PO text has, live or commented out."""
    from pipeline import pofile

    return sum(1 for m in pofile.parse(text, "p.po").messages if m.msgid == "") + (
        pofile.parse(text, "p.po").header is not None)
