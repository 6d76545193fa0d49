"""Translators' own tools are first-class: what they do to a catalog is kept.

Each test runs the real tool (GNU gettext's msgmerge/msgcat/msgfmt, polib,
translate-toolkit) on the catalogs docloc wrote, then ``docloc extract``, and
checks what a translator would look at: their texts, marks, comments and
header, and the files' bytes. A test skips when its tool is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline import catalog_po
from pipeline.extract import extract


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} not installed")
    return found


def catalogs(locales: Path) -> list[Path]:
    return sorted(p for p in locales.rglob("*.po") if "templates" not in p.parts)


def template_of(locales: Path, po_path: Path) -> Path:
    rel = po_path.relative_to(locales)
    return locales / "templates" / Path(*rel.parts[2:]).with_suffix(".pot")


def msgmerge_all(locales: Path) -> None:
    """Poedit's "Update from POT" / Weblate's msgmerge add-on, on every catalog."""
    need("msgmerge")
    for po_path in catalogs(locales):
        subprocess.run(["msgmerge", "--quiet", "-U", "--previous", "--backup=none",
                        str(po_path), str(template_of(locales, po_path))], check=True)


def active_keys(po_path: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(po_path), wrapwidth=0)
            if not e.obsolete}


def translator_edits(locales: Path, every: int = 5) -> dict[tuple[str, str | None, str], str]:
    """A translator edits every entry with a context and every ``every``-th other one."""
    edits = {}
    for po_path in catalogs(locales):
        po = polib.pofile(str(po_path), wrapwidth=0)
        for index, entry in enumerate(po):
            if entry.obsolete or not (entry.msgctxt is not None or index % every == 0):
                continue
            entry.msgstr = (entry.msgstr or entry.msgid) + " [révisé]"
            edits[(str(po_path), entry.msgctxt, entry.msgid)] = entry.msgstr
        po.save(str(po_path))
    return edits


def lost_edits(edits: dict[tuple[str, str | None, str], str]) -> list[tuple]:
    lost = []
    for (po_path, context, msgid), text in edits.items():
        entry = active_keys(Path(po_path)).get((context, msgid))
        if entry is None or entry.msgstr != text or "fuzzy" in entry.flags:
            lost.append((po_path, context, msgid))
    return lost


def with_context_variant(content: Path) -> None:
    """One source twice in a page with two targets, so the catalog holds a msgctxt."""
    page = content / "fr-FR/index.md"
    text = page.read_text(encoding="utf-8")
    text += ("\n## <span data-ttu-id=\"4c1d7-901\">Encore</span><span class=\"sxs-lookup\">"
             "<span data-stu-id=\"4c1d7-901\">Again</span></span>\n\n"
             "<span data-ttu-id=\"4c1d7-902\">Autres politiques</span><span class=\"sxs-lookup\">"
             "<span data-stu-id=\"4c1d7-902\">Our policies</span></span>\n")
    page.write_text(text, encoding="utf-8")


# -- 1. templates carry the catalogs' keys -------------------------------------

def check_msgmerge_keeps_every_key_and_edit(content: Path, locales: Path) -> int:
    extract(content, locales)
    before = {p: set(active_keys(p)) for p in catalogs(locales)}
    contexts = sum(1 for keys in before.values() for k in keys if k[0] is not None)
    edits = translator_edits(locales)
    msgmerge_all(locales)
    for po_path, keys in before.items():
        # msgmerge made no entry obsolete and added none: the template had exactly these keys
        assert set(active_keys(po_path)) >= keys, po_path
    report = extract(content, locales)
    assert lost_edits(edits) == []
    assert report.totals()["conflict"] == 0  # nothing came back as if from an obsolete entry
    for po_path, keys in before.items():
        assert set(active_keys(po_path)) == keys
    return contexts


def test_msgmerge_with_the_templates_then_extract_loses_no_edit(project):
    content = project / "content"
    with_context_variant(content)
    contexts = check_msgmerge_keeps_every_key_and_edit(content, project / "locales")
    assert contexts >= 1


def test_msgmerge_with_the_templates_loses_no_edit_on_the_corpus(corpus, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(corpus / "2018-02-08", content)
    contexts = check_msgmerge_keeps_every_key_and_edit(content, tmp_path / "locales")
    assert contexts >= 18


def test_template_keys_are_the_catalogs_keys_context_included(project):
    content, locales = project / "content", project / "locales"
    with_context_variant(content)
    extract(content, locales)
    for po_path in catalogs(locales):
        pot = catalog_po.loads(template_of(locales, po_path).read_text(encoding="utf-8"), "t.pot")
        assert set(active_keys(po_path)) <= set(pot.by_key()), po_path
    fr = active_keys(locales / "fr_FR/LC_MESSAGES/index.po")
    assert ("Again", "Our policies") in fr or any(k[0] for k in fr)


# -- 2. what tools write in the header, and translators' comments, are kept ------

CREDITS = {
    "Last-Translator": "Jean Dupont <jean@example.org>",
    "Language-Team": "French <traduc@example.org>",
    "PO-Revision-Date": "2026-11-30 10:12+0100",
    "X-Generator": "Poedit 3.4.2",
}


def as_poedit_saves(po_path: Path) -> None:
    """What a translator's save in Poedit (or Weblate) adds: credits, header fields and a
    translator comment on an entry."""
    po = polib.pofile(str(po_path))
    po.header = "Translators:\nJean Dupont <jean@example.org>, 2026.\n" + po.header
    po.metadata.update(CREDITS)
    po[1].tcomment = "Terme validé avec l'équipe juridique"
    po.save(str(po_path))


def vendor_changes(content: Path) -> None:
    """A newer drop: one target changed, one source replaced, the page's commit moved."""
    page = content / "fr-FR/index.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace(">Nos politiques<", ">Nos règles<")
    text = text.replace("ms.sourcegitcommit: 3f2a9c1", "ms.sourcegitcommit: 9b8e7d6")
    page.write_text(text, encoding="utf-8")


def test_header_credits_fields_and_entry_comments_survive_a_newer_drop(project):
    content, locales = project / "content", project / "locales"
    extract(content, locales)
    po_path = locales / "fr_FR/LC_MESSAGES/index.po"
    as_poedit_saves(po_path)
    commented = polib.pofile(str(po_path))[1].msgid
    vendor_changes(content)
    report = extract(content, locales)
    assert "fr_FR/LC_MESSAGES/index.po" in report.written  # the vendor's change is in
    po = polib.pofile(str(po_path))
    for name, value in CREDITS.items():
        assert po.metadata[name] == value
    assert po.header.startswith("Translators:\nJean Dupont <jean@example.org>, 2026.\n")
    assert "ms.sourcegitcommit: 9b8e7d6" in po.header  # docloc's own line follows the page
    assert "3f2a9c1" not in po.header
    assert po.find(commented).tcomment == "Terme validé avec l'équipe juridique"
    assert po.find("Our policies").msgstr == "Nos règles"


def test_header_field_order_of_a_tool_is_kept(project):
    content, locales = project / "content", project / "locales"
    extract(content, locales)
    po_path = locales / "fr_FR/LC_MESSAGES/index.po"
    as_poedit_saves(po_path)
    names = list(polib.pofile(str(po_path)).metadata)
    vendor_changes(content)
    extract(content, locales)
    assert list(polib.pofile(str(po_path)).metadata) == names


# -- 3. no churn ----------------------------------------------------------------

def tool_save(tool: str, po_path: Path) -> None:
    if tool == "msgcat --width=79":
        subprocess.run([need("msgcat"), "--width=79", str(po_path), "-o", str(po_path)], check=True)
    elif tool == "msgcat --no-wrap":
        subprocess.run([need("msgcat"), "--no-wrap", str(po_path), "-o", str(po_path)], check=True)
    elif tool == "polib":
        po = polib.pofile(str(po_path))
        po.save(str(po_path))
    elif tool == "translate-toolkit":
        pypo = pytest.importorskip("translate.storage.pypo")
        store = pypo.pofile.parsestring(po_path.read_bytes())
        po_path.write_bytes(bytes(store))
    else:
        raise AssertionError(tool)


TOOLS = ["msgcat --width=79", "msgcat --no-wrap", "polib", "translate-toolkit"]


def files(locales: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(locales).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(locales.rglob("*")) if p.is_file() and p.name != ".docloc.lock"}


def check_no_churn(content: Path, locales: Path, tool: str) -> None:
    extract(content, locales)
    for po_path in sorted(locales.rglob("*.po*")):
        tool_save(tool, po_path)
    before = files(locales)
    report = extract(content, locales)
    assert report.written == []
    assert files(locales) == before


@pytest.mark.parametrize("tool", TOOLS)
def test_extract_after_a_tools_save_writes_no_file(project, tool):
    check_no_churn(project / "content", project / "locales", tool)


@pytest.mark.parametrize("tool", ["msgcat --width=79", "polib"])
def test_extract_after_a_tools_save_writes_no_file_on_the_corpus(corpus, tmp_path, tool):
    check_no_churn(corpus / "2018-02-08", tmp_path / "locales", tool)


@pytest.mark.parametrize("tool", TOOLS)
def test_a_changed_entry_changes_only_its_own_lines(project, tool):
    import difflib

    content, locales = project / "content", project / "locales"
    extract(content, locales)
    po_path = locales / "fr_FR/LC_MESSAGES/index.po"
    tool_save(tool, po_path)
    old = po_path.read_text(encoding="utf-8").split("\n")
    text = (content / "fr-FR/index.md").read_text(encoding="utf-8")
    (content / "fr-FR/index.md").write_text(
        text.replace(">Nos politiques<", ">Nos règles de conduite et politiques publiées<"),
        encoding="utf-8")
    extract(content, locales)
    new = po_path.read_text(encoding="utf-8").split("\n")
    entry = catalog_po.loads("\n".join(old), "old.po")
    changed = next(m for m in entry.source.po.messages if m.msgid == "Our policies")
    hunks = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
             if op[0] != "equal"]
    assert hunks
    for _, i1, i2, _, _ in hunks:
        assert changed.first <= i1 and i2 <= changed.last + 1, (tool, old[i1:i2])


def test_new_catalogs_are_in_gnu_gettexts_layout(project, tmp_path):
    need("msgcat")
    content, locales = project / "content", project / "locales"
    with_context_variant(content)
    extract(content, locales)
    paths = sorted(locales.rglob("*.po*"))
    assert len(paths) > 10
    for po_path in paths:
        out = subprocess.run(["msgcat", str(po_path)], capture_output=True, check=True).stdout
        assert out == po_path.read_bytes(), po_path


def test_new_catalogs_of_the_corpus_are_in_gnu_gettexts_layout(corpus, tmp_path):
    need("msgcat")
    locales = tmp_path / "locales"
    extract(corpus / "2018-04-24", locales)
    for po_path in sorted(locales.rglob("*.po*")):
        out = subprocess.run(["msgcat", str(po_path)], capture_output=True, check=True).stdout
        assert out == po_path.read_bytes(), po_path


# -- 4. md-text ------------------------------------------------------------------

def test_md_text_is_not_brought_back_after_msgcat_drops_it(project):
    """msgcat drops flags it does not know; docloc never needs md-text (Weblate takes it as
    a component flag), so it does not restore it: restoring it would rewrite every entry."""
    content, locales = project / "content", project / "locales"
    extract(content, locales)
    po_path = locales / "fr_FR/LC_MESSAGES/index.po"
    mark_first_fuzzy(po_path)
    tool_save("msgcat --width=79", po_path)
    assert "md-text" not in po_path.read_text(encoding="utf-8")
    vendor_changes(content)
    text = (content / "fr-FR/index.md").read_text(encoding="utf-8")
    (content / "fr-FR/index.md").write_text(  # a source leaves: its entry goes obsolete
        text.replace("Where to start", "Where to begin"), encoding="utf-8")
    extract(content, locales)
    po = polib.pofile(str(po_path))
    assert po.obsolete_entries() and po.fuzzy_entries()
    assert all("md-text" not in e.flags for e in po)
    assert "md-text" not in po_path.read_text(encoding="utf-8")


def test_a_file_that_uses_md_text_gets_it_on_new_entries_too(project):
    content, locales = project / "content", project / "locales"
    extract(content, locales)
    po_path = locales / "fr_FR/LC_MESSAGES/index.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.flags.append("md-text")
    po.save(str(po_path))
    text = (content / "fr-FR/index.md").read_text(encoding="utf-8")
    (content / "fr-FR/index.md").write_text(
        text.replace(">Where to start<", ">Where to begin<").replace(
            ">Par où commencer<", ">Par où débuter<"), encoding="utf-8")
    extract(content, locales)
    po = polib.pofile(str(po_path))
    assert "md-text" in po.find("Where to begin").flags
    assert all("md-text" in e.flags for e in po if not e.obsolete)


def mark_first_fuzzy(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    po[0].flags.append("fuzzy")
    po.save(str(po_path))
