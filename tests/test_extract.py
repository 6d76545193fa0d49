"""extract and export as a doc writer runs them: on content/ and on the real corpus."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import tree_bytes

from pipeline.cli import EXIT_INPUT, EXIT_OK, main


def msgfmt_failures(locales: Path) -> list[str]:
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt not installed")
    failures = []
    for po in sorted(locales.rglob("*.po*")):
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True)
        if result.returncode:
            failures.append(result.stderr)
    return failures


def test_extract_writes_one_catalog_per_page_and_locale(project, capsys):
    assert main(["extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales")]) == EXIT_OK
    locales = project / "locales"
    assert (locales / "fr_FR/LC_MESSAGES/privacy-policy.po").is_file()
    assert (locales / "de_DE/LC_MESSAGES/security/incident-response.po").is_file()
    assert (locales / "ar_SA/LC_MESSAGES/index.po").is_file()
    assert (locales / "templates/security/incident-response.pot").is_file()
    assert not (locales / "fr_FR/LC_MESSAGES/TOC.po").exists()  # TOC has no spans
    po = polib.pofile(str(locales / "fr_FR/LC_MESSAGES/index.po"))
    assert po.percent_translated() == 100
    assert msgfmt_failures(locales) == []
    # The summary counts what is on disk, and the default content is clean.
    catalogs = len(list(locales.glob("*/LC_MESSAGES/**/*.po")))
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert f" in {catalogs} catalogs;" in summary and summary.endswith("; 0 problems"), summary


def test_second_extract_changes_no_byte(project):
    args = ["extract", "--content", str(project / "content"), "--locales", str(project / "locales")]
    main(args)
    before = tree_bytes(project / "locales")
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po")}
    main(args)
    assert tree_bytes(project / "locales") == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_malformed_page_is_reported_and_the_rest_still_extracted(project, capsys):
    bad = project / "content/fr-FR/broken.md"
    bad.write_text('# Titre\n\nTexte <span data-ttu-id="ab-1">jamais fermé\n', encoding="utf-8")
    code = main(["extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    assert code == EXIT_INPUT
    err = capsys.readouterr().err
    assert f"{project / 'content'}/fr-FR/broken.md:3:7: error: unclosed <span data-ttu-id=\"ab-1\">" in err
    assert (project / "locales/fr_FR/LC_MESSAGES/index.po").is_file()


def test_page_without_a_locale_is_named(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c/page.md").write_text(
        '<span data-ttu-id="a-1">Bonjour</span><span class="sxs-lookup">'
        '<span data-stu-id="a-1">Hello</span></span>\n', encoding="utf-8")
    assert main(["extract", "--content", str(tmp_path / "c"),
                 "--locales", str(tmp_path / "l")]) == EXIT_INPUT
    assert "c/page.md: error: cannot tell the locale of this page" in capsys.readouterr().err
    assert main(["extract", "--content", str(tmp_path / "c"), "--locales", str(tmp_path / "l"),
                 "--locale", "fr-fr"]) == EXIT_OK
    assert (tmp_path / "l/fr_FR/LC_MESSAGES/page.po").is_file()


def test_include_without_front_matter_takes_the_locale_of_its_tree(tmp_path):
    root = tmp_path / "c"
    (root / "includes").mkdir(parents=True)
    seg = ('<span data-ttu-id="a-1">Bonjour</span><span class="sxs-lookup">'
           '<span data-stu-id="a-1">Hello</span></span>\n')
    (root / "page.md").write_text("---\nms.contentlocale: ja-JP\n---\n" + seg, encoding="utf-8")
    (root / "includes/snippet.md").write_text(seg, encoding="utf-8")
    assert main(["extract", "--content", str(root), "--locales", str(tmp_path / "l")]) == EXIT_OK
    assert (tmp_path / "l/ja_JP/LC_MESSAGES/includes/snippet.po").is_file()


@pytest.mark.parametrize("snapshot", ["2018-02-08", "2018-04-24"])
def test_real_corpus_round_trips_byte_for_byte(corpus, tmp_path, snapshot):
    content = corpus / snapshot
    locales, out = tmp_path / "locales", tmp_path / "out"
    assert main(["extract", "--content", str(content), "--locales", str(locales), "-q"]) == EXIT_OK
    assert main(["export", "--content", str(content), "--locales", str(locales),
                 "--out", str(out)]) == EXIT_OK
    mismatch = filecmp.dircmp(content, out)
    assert tree_bytes(out) == tree_bytes(content), mismatch.report()
    assert msgfmt_failures(locales) == []
    before = tree_bytes(locales)
    main(["extract", "--content", str(content), "--locales", str(locales), "-q"])
    assert tree_bytes(locales) == before


def test_real_corpus_every_ttu_id_becomes_a_segment(corpus):
    from pipeline.sxs import parse

    for path in sorted(corpus.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        page, problems = parse(text, str(path))
        assert len(page.segments) == text.count("data-ttu-id") - len(problems), path
