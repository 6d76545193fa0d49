"""Catalogs: a page's segments as the entries translators see (the catalog model)."""

from __future__ import annotations

from conftest import CATALOG_PAGE, catalog_for

from pipeline import catalog as cat
from pipeline.sxs import parse


def test_same_source_and_target_merge_into_one_entry_with_all_occurrences():
    entry = catalog_for(CATALOG_PAGE).by_key()[(None, "Add a new customer")]
    assert entry.msgstr == "Ajouter un nouveau client"
    assert entry.ids == ("x-2", "x-5")
    assert entry.references == ("fr-FR/page.md:7", "fr-FR/page.md:13")


def test_same_source_with_another_target_gets_a_section_context():
    keys = catalog_for(CATALOG_PAGE).by_key()
    assert keys[("Steps", "Add a new customer")].msgstr == "Ajouter un client"


def test_context_is_stable_when_lines_are_inserted_above():
    moved = CATALOG_PAGE.replace("---\n# ", "---\nIntro.\n\nMore intro.\n\n# ", 1)
    assert list(catalog_for(moved).by_key()) == list(catalog_for(CATALOG_PAGE).by_key())


def test_export_applies_an_edited_msgstr_and_nothing_else():
    page, _ = parse(CATALOG_PAGE, "page.md")
    edited = {(None, "Add a customer"): "Ajoutez un client"}
    text = cat.apply(page, edited).bilingual()
    assert text == CATALOG_PAGE.replace(">Ajouter un client</span><span class=\"sxs-lookup\">"
                                        "<span data-stu-id=\"x-1\">",
                                        ">Ajoutez un client</span><span class=\"sxs-lookup\">"
                                        "<span data-stu-id=\"x-1\">")
