"""Catalogs follow the content without losing a translator's work."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from conftest import seg

from pipeline import catalog as cat
from pipeline import catalog_po
from pipeline.cli import EXIT_INPUT, EXIT_OK, main
from pipeline.extract import extract
from pipeline.merge import merge, review_reasons


def page(*pairs: tuple[str, str]) -> str:
    body = "\n\n".join(seg(t, s, f"ab-{100 + i}") for i, (t, s) in enumerate(pairs))
    return "---\nms.contentlocale: fr-FR\n---\n" + body + "\n"


@pytest.fixture
def site(tmp_path):
    content, locales = tmp_path / "content", tmp_path / "locales"
    (content / "fr-FR").mkdir(parents=True)

    def run(*pairs, prune=False):
        (content / "fr-FR/page.md").write_text(page(*pairs), encoding="utf-8")
        report = extract(content, locales, prune=prune)
        po = catalog_po.loads((locales / "fr_FR/LC_MESSAGES/page.po").read_text(encoding="utf-8"), "page.po")
        return report, po
    run.po_path = locales / "fr_FR/LC_MESSAGES/page.po"
    return run


def edit(path: Path, msgid: str, msgstr: str) -> None:
    po = polib.pofile(str(path))
    po.find(msgid).msgstr = msgstr
    po.save(str(path))


def test_untouched_entry_takes_the_vendors_new_target(site):
    site(("Bonjour", "Hello"))
    report, po = site(("Salut", "Hello"))
    assert po.by_key()[(None, "Hello")].msgstr == "Salut"
    assert report.totals()["vendor"] == 1


def test_translators_edit_stays_when_the_vendor_did_not_change(site):
    site(("Bonjour", "Hello"))
    edit(site.po_path, "Hello", "Bonjour à tous")
    report, po = site(("Bonjour", "Hello"))
    assert po.by_key()[(None, "Hello")].msgstr == "Bonjour à tous"
    assert report.totals()["conflict"] == 0


def test_both_changed_is_a_conflict_that_keeps_the_translator_and_shows_the_vendor(site):
    site(("Bonjour", "Hello"))
    edit(site.po_path, "Hello", "Bonjour à tous")
    report, po = site(("Salut", "Hello"))
    entry = po.by_key()[(None, "Hello")]
    assert entry.msgstr == "Bonjour à tous"
    assert "vendor: Salut" in entry.notes
    assert report.totals()["conflict"] == 1


def mark_fuzzy(path: Path, msgid: str, msgstr: str) -> None:
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    entry.msgstr = msgstr
    entry.flags.append("fuzzy")
    po.save(str(path))


def test_translators_text_marked_fuzzy_is_kept_for_review(site):
    site(("Bonjour", "Hello"))
    mark_fuzzy(site.po_path, "Hello", "Bonjour à toutes et à tous ?")
    report, po = site(("Bonjour", "Hello"))
    entry = po.by_key()[(None, "Hello")]
    assert (entry.msgstr, entry.fuzzy) == ("Bonjour à toutes et à tous ?", True)
    assert report.totals()["vendor"] == 0


def test_translators_fuzzy_text_and_a_new_vendor_text_are_a_conflict(site):
    site(("Bonjour", "Hello"))
    mark_fuzzy(site.po_path, "Hello", "Bonjour à toutes et à tous ?")
    report, po = site(("Salut", "Hello"))
    entry = po.by_key()[(None, "Hello")]
    assert (entry.msgstr, entry.fuzzy) == ("Bonjour à toutes et à tous ?", True)
    assert "vendor: Salut" in entry.notes
    assert report.totals()["conflict"] == 1


def test_translators_needs_work_mark_on_an_unchanged_text_is_kept(site):
    # Poedit "Needs work" / Weblate "Needs editing" on the vendor's own text.
    site(("Bonjour", "Hello"))
    mark_fuzzy(site.po_path, "Hello", "Bonjour")
    report, po = site(("Bonjour", "Hello"))
    entry = po.by_key()[(None, "Hello")]
    assert (entry.msgstr, entry.fuzzy) == ("Bonjour", True)
    assert report.totals()["vendor"] == 0
    report, po = site(("Bonjour", "Hello"))  # and again: the mark does not wear off
    assert po.by_key()[(None, "Hello")].fuzzy


def test_edit_in_an_obsolete_entry_comes_back_with_its_english(site):
    site(("Bonjour", "Hello"), ("Oui", "Yes"))
    edit(site.po_path, "Hello", "Bonjour à tous")
    site(("Bonjour le monde", "Hello world"), ("Oui", "Yes"))  # the edit goes to #~
    report, po = site(("Bonjour", "Hello"), ("Oui", "Yes"))  # the English returns
    entry = po.by_key()[(None, "Hello")]
    assert (entry.msgstr, entry.obsolete) == ("Bonjour à tous", False)
    assert "vendor: Bonjour" in entry.notes
    assert report.totals()["conflict"] == 1 and report.totals()["vendor"] == 0


def test_needs_work_mark_in_an_obsolete_entry_comes_back_with_its_english(site):
    # Found by tests/test_replay.py: 39 marks lost when the older drop came back.
    site(("Bonjour", "Hello"), ("Oui", "Yes"))
    mark_fuzzy(site.po_path, "Hello", "Bonjour")
    site(("Oui", "Yes"))  # the English leaves: the marked entry goes to #~
    report, po = site(("Bonjour", "Hello"), ("Oui", "Yes"))  # and returns
    entry = po.by_key()[(None, "Hello")]
    assert (entry.msgstr, entry.fuzzy, entry.obsolete) == ("Bonjour", True, False)
    assert report.totals()["vendor"] == 0


def test_obsolete_vendor_text_that_returns_is_not_a_conflict(site):
    site(("Bonjour", "Hello"), ("Oui", "Yes"))
    site(("Oui", "Yes"))
    report, po = site(("Bonjour", "Hello"), ("Oui", "Yes"))
    entry = po.by_key()[(None, "Hello")]
    assert (entry.msgstr, entry.notes) == ("Bonjour", ())
    assert report.totals()["conflict"] == 0


def test_edited_source_without_vendor_target_carries_the_old_translation_as_fuzzy(site):
    site(("Cliquez sur Enregistrer pour garder vos modifications.",
          "Click Save to keep your changes."))
    _, po = site(("", "Click Save to keep all of your changes."))
    entry = po.by_key()[(None, "Click Save to keep all of your changes.")]
    assert entry.fuzzy and entry.previous_msgid == "Click Save to keep your changes."
    assert entry.msgstr == "Cliquez sur Enregistrer pour garder vos modifications."
    assert "#| msgid \"Click Save to keep your changes.\"" in catalog_po.dumps(po)


def test_edited_source_with_a_vendor_target_takes_it(site):
    site(("Cliquez sur Enregistrer.", "Click Save."))
    _, po = site(("Cliquez sur Enregistrer maintenant.", "Click Save now."))
    entry = po.by_key()[(None, "Click Save now.")]
    assert entry.msgstr == "Cliquez sur Enregistrer maintenant." and not entry.fuzzy


def test_long_paragraph_edit_still_matches():
    # difflib's autojunk heuristic makes long strings look unrelated; ours is off.
    old = " ".join(f"Sentence number {i} explains the billing cycle of a partner." for i in range(8))
    new = old.replace("number 3", "number three")
    ours = cat.Catalog("p.md", "fr-FR", (cat.Entry(old, "Traduction longue"),))
    theirs = cat.Catalog("p.md", "fr-FR", (cat.Entry(new, ""),))
    result = merge(theirs, ours, {old: "Traduction longue"})
    assert result.catalog.entries[0].fuzzy
    assert result.catalog.entries[0].msgstr == "Traduction longue"


@pytest.mark.parametrize("old, new, reason", [
    ("Wait 30 days.", "Wait 60 days.", "numbers"),
    ("You can delete it.", "You cannot delete it.", "negation"),
    ("See [billing](billing.md).", "See [billing](invoices.md).", "links"),
    ("Run `az login` first.", "Run `az logout` first.", "inline code"),
])
def test_risky_edits_are_flagged_for_review(old, new, reason):
    assert reason in review_reasons(old, new)


def test_removed_source_is_kept_obsolete_until_pruned(site):
    site(("Bonjour", "Hello"), ("Au revoir", "Goodbye"))
    edit(site.po_path, "Goodbye", "À bientôt")
    report, po = site(("Bonjour", "Hello"))
    gone = [e for e in po.entries if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in gone] == [("Goodbye", "À bientôt")]
    assert report.totals()["obsolete"] == 1
    _, po = site(("Bonjour", "Hello"), prune=True)
    assert not any(e.obsolete for e in po.entries)


def test_removed_page_keeps_its_catalog_marked_obsolete(tmp_path):
    content, locales = tmp_path / "content", tmp_path / "locales"
    (content / "fr-FR").mkdir(parents=True)
    (content / "fr-FR/a.md").write_text(page(("Bonjour", "Hello")), encoding="utf-8")
    (content / "fr-FR/b.md").write_text(page(("Oui", "Yes")), encoding="utf-8")
    extract(content, locales)
    (content / "fr-FR/b.md").unlink()
    extract(content, locales)
    po = catalog_po.loads((locales / "fr_FR/LC_MESSAGES/b.po").read_text(encoding="utf-8"), "b.po")
    assert [(e.msgid, e.msgstr, e.obsolete) for e in po.entries] == [("Yes", "Oui", True)]


def test_memory_suggests_translations_from_other_pages(tmp_path):
    content, locales = tmp_path / "content", tmp_path / "locales"
    (content / "fr-FR").mkdir(parents=True)
    (content / "en-US").mkdir(parents=True)
    (content / "fr-FR/a.md").write_text(page(("Ajouter un client", "Add a customer")),
                                         encoding="utf-8")
    (content / "en-US/new.md").write_text("# Add a customer\n\nAdd a new customer.\n",
                                          encoding="utf-8")
    extract(content, locales)
    po = catalog_po.loads((locales / "fr_FR/LC_MESSAGES/new.po").read_text(encoding="utf-8"), "new.po")
    exact = po.by_key()[(None, "Add a customer")]
    assert exact.fuzzy and exact.msgstr == "Ajouter un client"
    assert "memory: exact match from a.md" in exact.notes
    close = po.by_key()[(None, "Add a new customer.")]
    assert close.fuzzy and close.msgstr == "Ajouter un client"
    assert any(n.startswith("memory: ") and "from a.md" in n for n in close.notes)
    assert not close.translated  # fuzzy is never published as translated


def test_english_only_page_joins_every_target_locale_with_stable_entries(project):
    content, locales = project / "content", project / "locales"
    extract(content, locales, source_locale="en-US")
    for lang in ("fr_FR", "de_DE", "ar_SA"):
        po = catalog_po.loads((locales / lang / "LC_MESSAGES/cookie-policy.po").read_text(
            encoding="utf-8"), "cookie-policy.po")
        assert po.by_key()[(None, "Cookie policy")].msgstr in ("", )
        assert (None, "We never use cookies for advertising.") in po.by_key()
        assert not any("```" in e.msgid for e in po.entries)
    before = (locales / "fr_FR/LC_MESSAGES/cookie-policy.po").read_bytes()
    extract(content, locales, source_locale="en-US")
    assert (locales / "fr_FR/LC_MESSAGES/cookie-policy.po").read_bytes() == before


def test_broken_catalog_is_left_as_is_and_others_go_on(project, capsys):
    content, locales = project / "content", project / "locales"
    main(["extract", "--content", str(content), "--locales", str(locales)])
    broken = locales / "fr_FR/LC_MESSAGES/index.po"
    text = broken.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "unterminated\n', 1)
    broken.write_text(text, encoding="utf-8")
    (content / "de-DE/index.md").write_text(
        (content / "de-DE/index.md").read_text(encoding="utf-8").replace(
            "Contoso Cloud</span>", "Contoso Cloud (neu)</span>", 1), encoding="utf-8")
    assert main(["extract", "--content", str(content), "--locales", str(locales)]) == EXIT_INPUT
    assert re.search(r"fr_FR/LC_MESSAGES/index\.po:\d+: error: not a valid PO line", capsys.readouterr().err)
    assert broken.read_text(encoding="utf-8") == text
    assert "Contoso Cloud (neu)" in (locales / "de_DE/LC_MESSAGES/index.po").read_text(encoding="utf-8")


def test_dry_run_writes_nothing(project):
    content, locales = project / "content", project / "locales"
    assert main(["extract", "--content", str(content), "--locales", str(locales), "--dry-run"]) == EXIT_OK
    assert not locales.exists() or not any(locales.rglob("*.po"))


# -- the real corpus: two snapshots with a translator at work in between -------

SEGMENT = re.compile(r'<span data-ttu-id=\\?"[^"\\]+\\?">(.*?)</span><span class=\\?"sxs-lookup\\?">'
                     r'<span data-stu-id=\\?"[^"\\]+\\?">(.*?)</span></span>', re.S)


def vendor_pairs(root: Path) -> dict[str, Counter]:
    """An independent reading: per page, the (source, target) pairs (no contexts)."""
    pages = {}
    for path in sorted(root.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        pairs = [(" ".join(s.replace("\\\"", "\"").split()), " ".join(t.replace("\\\"", "\"").split()))
                 for t, s in SEGMENT.findall(text)]
        if pairs:
            pages[path.relative_to(root).as_posix()] = pairs
    return pages


def test_replaying_two_real_snapshots_keeps_every_translator_edit(corpus, tmp_path):
    old_root, new_root = corpus / "2018-02-08", corpus / "2018-04-24"
    locales = tmp_path / "locales"
    extract(old_root, locales)
    old, new = vendor_pairs(old_root), vendor_pairs(new_root)
    # A translator edits every 25th entry whose source has one target in both snapshots.
    edits = {}
    for po_path in sorted(locales.rglob("*.po")):
        po = polib.pofile(str(po_path))
        for index, entry in enumerate(po):
            if index % 25 == 0 and not entry.msgctxt and entry.msgstr:
                entry.msgstr += " [révisé]"
                edits[(po_path.relative_to(locales).as_posix(), entry.msgid)] = entry.msgstr
        po.save(str(po_path))
    assert len(edits) > 150

    report = extract(new_root, locales)
    # Expected counts from the independent reading. An entry without msgctxt holds the
    # first target a source has in page order; further targets get contexts, which
    # this reading does not model, so counts may differ by at most their number.
    expected, extra_variants = Counter(), 0
    for uri, pairs in new.items():
        po_uri = "fr_FR/LC_MESSAGES/" + uri[:-3] + ".po"
        before, after = {}, {}
        for s, t in old.get(uri, []):
            before.setdefault(s, []).append(t) if t not in before.get(s, []) else None
        for s, t in pairs:
            after.setdefault(s, []).append(t) if t not in after.get(s, []) else None
        extra_variants += sum(len(v) - 1 for v in after.values())
        extra_variants += sum(len(v) - 1 for v in before.values())
        for source, targets in after.items():
            if source not in before:
                expected["added"] += 1
            elif (po_uri, source) in edits:
                expected["conflict" if targets[0] != before[source][0] else "kept"] += 1
            elif targets[0] != before[source][0]:
                expected["vendor"] += 1
        expected["obsolete"] += sum(1 for source in before if source not in after)
    totals = report.totals()
    for action in ("added", "vendor", "obsolete"):
        assert abs(totals[action] - expected[action]) <= extra_variants, (action, totals, expected)
    assert totals["conflict"] == expected["conflict"]
    assert totals["kept"] == expected["kept"]
    assert totals["fuzzy"] == 0  # every new source came with a vendor target

    # Every edit survives: in its entry, or in an obsolete entry if the source left.
    for (po_uri, msgid), text in edits.items():
        po = polib.pofile(str(locales / po_uri))
        entry = po.find(msgid) or po.find(msgid, include_obsolete_entries=True)
        assert entry is not None and entry.msgstr == text, (po_uri, msgid)

    out = tmp_path / "out"
    assert main(["export", "--content", str(new_root), "--locales", str(locales),
                 "--out", str(out)]) == EXIT_OK
    shown = sum(1 for (po_uri, msgid), text in edits.items()
                if text in (out / (po_uri.split("/LC_MESSAGES/")[1][:-3] + ".md")).read_text(
                    encoding="utf-8").replace('\\"', '"'))
    assert shown >= totals["kept"] + totals["conflict"]


def test_memory_compares_each_entry_with_a_few_candidates_not_the_whole_memory(monkeypatch):
    import pipeline.merge as merge_module

    calls = []
    real = merge_module.similarity
    monkeypatch.setattr(merge_module, "similarity", lambda a, b: calls.append(1) or real(a, b))
    memory = {f"Sentence {i} about billing account number {i} today.": [("Phrase", "a.md")]
              for i in range(500)}
    wanted = cat.Catalog("b.md", "fr-FR", tuple(
        cat.Entry(f"Sentence {i} about billing account number {i} now.") for i in range(50)))
    filled, count = merge_module.memory_fill(wanted, memory)
    assert count == 50
    assert len(calls) <= 50 * 10  # not 50 * 500


def test_edited_text_replaced_by_a_new_vendor_sentence_is_counted_for_review(site, capsys):
    site(("Cliquez sur Enregistrer.", "Click Save."))
    edit(site.po_path, "Click Save.", "Cliquez sur « Enregistrer ».")
    report, po = site(("Cliquez sur Enregistrer maintenant.", "Click Save now."))
    entry = po.by_key()[(None, "Click Save now.")]
    assert entry.msgstr == "Cliquez sur Enregistrer maintenant."
    assert any(n.startswith("review:") and "Cliquez sur « Enregistrer »." in n
               for n in entry.notes)
    assert report.totals()["review"] == 1
    old = next(e for e in po.entries if e.obsolete)
    assert old.msgstr == "Cliquez sur « Enregistrer »."


def test_review_column_is_in_the_extract_table(tmp_path, capsys):
    content, locales = tmp_path / "content", tmp_path / "locales"
    (content / "fr-FR").mkdir(parents=True)
    (content / "fr-FR/page.md").write_text(page(("Bonjour", "Hello")), encoding="utf-8")
    assert main(["extract", "--content", str(content), "--locales", str(locales)]) == EXIT_OK
    edit(locales / "fr_FR/LC_MESSAGES/page.po", "Hello", "Bonjour à vous")
    (content / "fr-FR/page.md").write_text(page(("Bonjour à tous", "Hello all")),
                                           encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", "--content", str(content), "--locales", str(locales)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if "review" in line.split())
    row = next(line for line in lines if "page.md" in line)
    assert row.split()[header.split().index("review")] == "1"
