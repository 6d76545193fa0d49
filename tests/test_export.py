"""docloc export: the bilingual pages rebuilt from their catalogs, as a writer hands them
back to the vendor (pipeline/export.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import tree_bytes

from pipeline.cli import EXIT_INPUT, EXIT_OK, main

PAGE = "fr-FR/privacy-policy.md"
PAGE_PO = "fr_FR/LC_MESSAGES/privacy-policy.po"


def extracted(project: Path) -> tuple[Path, Path]:
    """The project's content and its freshly extracted catalogs."""
    content, locales = project / "content", project / "locales"
    assert main(["extract", "--content", str(content), "--locales", str(locales)]) == EXIT_OK
    return content, locales


def export(content: Path, locales: Path, out: Path) -> int:
    return main(["export", "--content", str(content), "--locales", str(locales),
                 "--out", str(out)])


def edit_first_translation(locales: Path, msgstr: str, *, fuzzy: bool = False) -> str:
    """Give the page's first translated entry a new msgstr; return the old one."""
    path = locales / PAGE_PO
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgstr and not e.msgctxt)
    old, entry.msgstr = entry.msgstr, msgstr
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save(str(path))
    return old


def test_export_of_untouched_catalogs_is_byte_identical(project, tmp_path):
    content, locales = extracted(project)
    assert export(content, locales, tmp_path / "out") == EXIT_OK
    assert tree_bytes(tmp_path / "out") == tree_bytes(content)


def test_export_carries_a_translators_edit_into_the_page(project, tmp_path):
    content, locales = extracted(project)
    old = edit_first_translation(locales, "Traduction revue par l'équipe")
    out = tmp_path / "out"
    export(content, locales, out)
    page = (out / PAGE).read_text(encoding="utf-8")
    assert ">Traduction revue par l'équipe</span><span class=\"sxs-lookup\">" in page
    assert f">{old}</span>" not in page or page.count(old) < \
        (content / PAGE).read_text(encoding="utf-8").count(old)
    assert (out / "de-DE/privacy-policy.md").read_bytes() == \
        (content / "de-DE/privacy-policy.md").read_bytes()


def test_export_copies_every_file_of_the_content_folder_dot_files_included(project, tmp_path):
    content = project / "content"
    (content / ".gitignore").write_text("_site/\n", encoding="utf-8")
    (content / ".openpublishing.publish.config.json").write_text("{}\n", encoding="utf-8")
    (content / "fr-FR/.hidden").mkdir()
    (content / "fr-FR/.hidden/notes.txt").write_text("x\n", encoding="utf-8")
    content, locales = extracted(project)
    assert export(content, locales, tmp_path / "out") == EXIT_OK
    assert tree_bytes(tmp_path / "out") == tree_bytes(content)


def test_export_of_the_mixed_reality_corpus_is_the_whole_folder(corpus, tmp_path):
    root = corpus.parent / "mixed-reality-fr-fr" / "2021-08-03"
    if not root.is_dir():
        pytest.skip("mixed-reality corpus not found")
    locales, out = tmp_path / "locales", tmp_path / "out"
    main(["extract", "--content", str(root), "--locales", str(locales)])
    main(["export", "--content", str(root), "--locales", str(locales), "--out", str(out)])
    diff = subprocess.run(["diff", "-r", str(root), str(out)], capture_output=True, text=True)
    assert diff.stdout == ""


def test_export_into_the_content_folder_is_refused(project, capsys):
    code = main(["export", "--content", str(project / "content"), "--locales",
                 str(project / "locales"), "--out", str(project / "content" / "out")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT and "inside the content folder" in output


# -- what reaches the page, and what keeps the vendor's text ---------------------------

def test_the_summary_counts_the_pages_with_translators_edits(project, tmp_path, capsys):
    content, locales = extracted(project)
    edit_first_translation(locales, "Traduction revue par l'équipe")
    capsys.readouterr()
    assert export(content, locales, tmp_path / "out") == EXIT_OK
    summary = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(rf"export: \d+ pages to {re.escape(str(tmp_path / 'out'))}, 1 with "
                        r"translators' edits, \d+ other files copied; 0 problems", summary)


def test_an_emptied_msgstr_keeps_the_vendors_text(project, tmp_path):
    content, locales = extracted(project)
    old = edit_first_translation(locales, "")
    assert export(content, locales, tmp_path / "out") == EXIT_OK
    page = (tmp_path / "out" / PAGE).read_bytes()
    assert page == (content / PAGE).read_bytes()
    assert f">{old}</span>".encode() in page


def test_a_fuzzy_entry_keeps_the_vendors_text_not_the_suggestion(project, tmp_path):
    content, locales = extracted(project)
    edit_first_translation(locales, "Suggestion à revoir", fuzzy=True)
    assert export(content, locales, tmp_path / "out") == EXIT_OK
    page = (tmp_path / "out" / PAGE).read_text(encoding="utf-8")
    assert "Suggestion à revoir" not in page
    assert page.encode() == (content / PAGE).read_bytes()


def test_pages_without_catalogs_go_out_as_they_came(project, tmp_path):
    content = project / "content"
    assert export(content, project / "no-locales", tmp_path / "out") == EXIT_OK
    assert tree_bytes(tmp_path / "out") == tree_bytes(content)


def test_a_broken_catalog_is_reported_and_its_page_keeps_the_vendors_text(project, tmp_path,
                                                                         capsys):
    content, locales = extracted(project)
    edit_first_translation(locales, "Traduction revue par l'équipe")
    other = locales / "fr_FR/LC_MESSAGES/data-retention.po"
    other.write_text(other.read_text(encoding="utf-8") + '\nmsgid "a"\nmsgstr "b\n',
                     encoding="utf-8")
    capsys.readouterr()
    assert export(content, locales, tmp_path / "out") == EXIT_INPUT
    err = capsys.readouterr().err
    assert f"{other}:" in err and "not a valid PO line" in err
    out = tmp_path / "out"
    assert (out / "fr-FR/data-retention.md").read_bytes() == \
        (content / "fr-FR/data-retention.md").read_bytes()
    assert "Traduction revue par l'équipe" in (out / PAGE).read_text(encoding="utf-8")


def test_a_page_that_cannot_be_read_goes_out_as_it_came(project, tmp_path, capsys):
    content, locales = extracted(project)
    bad = content / "fr-FR/broken.md"
    bad.write_text('# Titre\n\nTexte <span data-ttu-id="ab-1">jamais fermé\n', encoding="utf-8")
    capsys.readouterr()
    assert export(content, locales, tmp_path / "out") == EXIT_INPUT
    assert f"{bad}:3:7: error: unclosed <span" in capsys.readouterr().err
    assert tree_bytes(tmp_path / "out") == tree_bytes(content)
