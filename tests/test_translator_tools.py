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

from pipeline import catalog as cat
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
        pot = cat.loads(template_of(locales, po_path).read_text(encoding="utf-8"), "t.pot")
        assert set(active_keys(po_path)) <= set(pot.by_key()), po_path
    fr = active_keys(locales / "fr_FR/LC_MESSAGES/index.po")
    assert ("Again", "Our policies") in fr or any(k[0] for k in fr)
