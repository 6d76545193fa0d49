"""Catalogs as PO text (catalog_po.py): what translators open in Poedit, Weblate or
Lokalize, and what docloc reads back from whatever their tools saved."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest
from conftest import CATALOG_PAGE, catalog_for, headers
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import catalog as cat
from pipeline import catalog_po
from pipeline.errors import DoclocError


def test_header_keeps_language_plural_forms_and_page_metadata():
    text = catalog_po.dumps(catalog_for(CATALOG_PAGE))
    assert '"Language: fr_FR\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert "# ms.translationtype: MT" in text
    assert "Date" not in text  # no churn on re-runs


def test_catalog_passes_msgfmt_check(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt not installed")
    po = tmp_path / "page.po"
    po.write_text(catalog_po.dumps(catalog_for(CATALOG_PAGE)), encoding="utf-8")
    pot = tmp_path / "page.pot"
    pot.write_text(catalog_po.dumps(cat.template("page.md", [catalog_for(CATALOG_PAGE)])), encoding="utf-8")
    for path in (po, pot):
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_catalog_loads_in_polib_and_translate_toolkit(tmp_path):
    catalog = catalog_for(CATALOG_PAGE)
    text = catalog_po.dumps(catalog)
    po = polib.pofile(text)
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in po] == \
        [(e.msgctxt, e.msgid, e.msgstr) for e in catalog.entries]
    pypo = pytest.importorskip("translate.storage.pypo")
    store = pypo.pofile.parsestring(text.encode())
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == [e.msgid for e in catalog.entries]
    assert [u.target for u in units] == [e.msgstr for e in catalog.entries]


def test_dumps_then_loads_gives_the_same_catalog():
    catalog = catalog_for(CATALOG_PAGE)
    again = catalog_po.loads(catalog_po.dumps(catalog), "page.po")
    assert [(e.key, e.msgstr, e.ids, e.references, e.flags) for e in again.entries] == \
        [(e.key, e.msgstr, e.ids, e.references, e.flags) for e in catalog.entries]
    assert catalog_po.dumps(again) == catalog_po.dumps(catalog)


BROKEN = {
    "syntax error": ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', r"page.po:5: not a valid PO line: 'msgstr \"b'"),
    "wrong charset": ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
                      r"page.po:3: charset ISO-8859-1"),
    "duplicate entry": ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
                        r"page.po:4: duplicate entry for msgid 'a' \(first at line 1\)"),
    "plural form": ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "bs"\n',
                    r"page.po:1: plural forms in a page catalog"),
}


@pytest.mark.parametrize("text, message", BROKEN.values(), ids=BROKEN.keys())
def test_broken_catalog_is_a_clear_error(text, message):
    with pytest.raises(DoclocError, match=message):
        catalog_po.loads(text, "page.po")


def test_catalog_in_another_encoding_names_the_line():
    with pytest.raises(DoclocError, match=r"page.po:3: not valid UTF-8"):
        catalog_po.load(b'msgid ""\nmsgstr ""\n"x\xe9"\n', "page.po")


def test_unicode_line_separators_in_text_survive_the_catalog(tmp_path):
    # Found by the fuzzer: polib splits at U+0085/U+2028 like str.splitlines; PO does not.
    catalog = cat.Catalog("p.md", "fr-FR", (cat.Entry("a\x85b\nc\u2028d", "x\x0cy\nz"),))
    again = catalog_po.loads(catalog_po.dumps(catalog), "p.po").entries[0]
    assert (again.msgid, again.msgstr) == ("a\x85b\nc\u2028d", "x\x0cy\nz")


def test_second_header_entry_is_an_error():
    text = 'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgid ""\nmsgstr "Language: de\\n"\n'
    with pytest.raises(DoclocError, match=r"page.po:4:1: a second header entry"):
        catalog_po.loads(text, "page.po")


def test_header_values_cannot_inject_header_lines():
    catalog = cat.Catalog("evil.md\nLanguage: xx", "fr-FR", ())
    text = catalog_po.dumps(catalog)
    assert catalog_po.loads(text, "p.po").locale == "fr-FR"
    assert "\nLanguage: xx" not in text


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NOTE = st.builds("{}: {}".format, st.sampled_from(["vendor", "review", "memory", "fuzzy"]), TEXT)
"""A note as docloc writes it: its kind, then its text."""


@st.composite
def catalogs(draw):
    entries, keys = [], set()
    for _ in range(draw(st.integers(0, 6))):
        entry = cat.Entry(
            msgid=draw(TEXT.filter(bool)), msgstr=draw(TEXT),
            msgctxt=draw(st.none() | TEXT),
            references=tuple(draw(st.lists(st.from_regex(r"[a-z/]{1,8}\.md:[0-9]{1,3}", fullmatch=True), max_size=2))),
            ids=tuple(draw(st.lists(st.from_regex(r"[0-9a-f]{5}-p?[0-9]{3}", fullmatch=True), max_size=2))),
            flags=tuple(draw(st.sampled_from([(), ("md-text",), ("fuzzy", "md-text"), ("md-text", "ignore-numbers")]))),
            comments=tuple(draw(st.lists(TEXT, max_size=2))),
            notes=tuple(draw(st.lists(NOTE, max_size=2))),
            previous_msgid=draw(st.none() | TEXT),
            obsolete=draw(st.booleans()))
        if entry.key not in keys:
            keys.add(entry.key)
            entries.append(entry)
    return cat.Catalog("page.md", "fr-FR", tuple(entries), {"ms.translationtype": "HT"})


_BREAKERS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""polib splits at these like str.splitlines; PO only at "\\n"."""


def test_line_breakers_and_private_use_characters_survive_the_reader():
    catalog = cat.Catalog("page.md", "fr-FR", (cat.Entry(
        msgid="a\x1cb\U000f0002c", msgstr="\U000f0000\u2028d", previous_msgid="\U000f0002\x1c"),))
    again = catalog_po.loads(catalog_po.dumps(catalog), "p.po").entries[0]
    assert (again.msgid, again.msgstr, again.previous_msgid) == (
        "a\x1cb\U000f0002c", "\U000f0000\u2028d", "\U000f0002\x1c")


def _clean(text: str) -> str:
    return catalog_po._one_line(text).rstrip()


@settings(max_examples=300, deadline=None)
@given(catalogs())
def test_dumps_then_loads_gives_every_entry_back(catalog):
    again = catalog_po.loads(catalog_po.dumps(catalog), "p.po")
    assert again.meta == catalog.meta
    for before, after in zip(catalog.entries, again.entries, strict=True):
        assert (after.msgid, after.msgstr, after.msgctxt, after.ids, after.flags,
                after.obsolete) == (before.msgid, before.msgstr, before.msgctxt, before.ids,
                                    before.flags, before.obsolete)
        assert after.references == (() if before.obsolete else before.references)
        assert after.comments == tuple(c for c in map(_clean, before.comments) if c)
        assert after.previous_msgid == (None if before.obsolete else before.previous_msgid)


@settings(max_examples=300, deadline=None)
@given(catalogs())
def test_the_reader_and_polib_agree_on_what_docloc_writes(catalog):
    """polib, an independent reader, sees what ours sees (texts without the characters
    polib splits lines at)."""
    text = catalog_po.dumps(catalog)
    if any(c in text for c in _BREAKERS):
        return
    ours = catalog_po.loads(text, "p.po")
    theirs = polib.pofile(text, wrapwidth=0)
    assert len(theirs) == len(ours.entries)
    for a, b in zip(ours.entries, theirs):
        assert (a.msgid, a.msgstr, a.msgctxt, a.obsolete) == (b.msgid, b.msgstr, b.msgctxt,
                                                              bool(b.obsolete))
        assert list(a.flags) == b.flags
        assert [r for r in a.references] == [f"{p}:{n}" if n else p for p, n in b.occurrences]
        if not a.obsolete:
            assert a.previous_msgid == b.previous_msgid


def test_ids_and_notes_polib_wrapped_read_back_whole(tmp_path):
    """polib (Poedit-like saves) wraps long #. lines; a rewrite must not repeat their pieces."""
    ids = tuple(f"80106-{n}" for n in range(100, 140))
    vendor = "vendor: " + "Vous pouvez également exporter les journaux d’activité " * 3
    entry = cat.Entry("Charge End Date", msgstr="Date de fin", ids=ids, notes=(vendor.strip(),),
                      flags=("fuzzy",))
    catalog = cat.Catalog("page.md", "fr-FR", (entry,))
    path = tmp_path / "page.po"
    path.write_text(catalog_po.dumps(catalog), encoding="utf-8")
    polib.pofile(str(path)).save(str(path))  # wraps at 78 columns
    assert sum(line.startswith("#.") for line in path.read_text().splitlines()) > 2
    read = catalog_po.loads(path.read_text(encoding="utf-8"), str(path))
    (back,) = read.entries
    assert back.ids == ids and back.notes == (vendor.strip(),)
    # written again in the file's layout (as after a merge that rebuilt the entry): same lines
    again = catalog_po.dumps(cat.Catalog("page.md", "fr-FR", (back,), source=read.source))
    assert again == path.read_text(encoding="utf-8")


def test_moved_header_round_trips_byte_for_byte():
    made = catalog_po.dumps(cat.Catalog("p.md", "fr-FR", (cat.Entry("a", "b"), cat.Entry("c", "d"))))
    header, first, rest = made.split("\n\n", 2)
    text = "\n\n".join([first, header, rest])
    read = catalog_po.loads(text, "p.po")
    assert read.locale == "fr-FR" and [e.msgid for e in read.entries] == ["a", "c"]
    assert catalog_po.dumps(read) == text
    # an entry added before the header's place: the header goes first, once
    grown = catalog_po.dumps(cat.Catalog(read.page, read.locale, (cat.Entry("new"),) + read.entries,
                                  read.meta, source=read.source))
    assert grown.startswith(header + "\n\n") and headers(grown) == 1
    assert grown.count('msgid "a"') == 1 and grown.count('msgid "c"') == 1


@pytest.mark.parametrize("comment", [
    "# ms.# ms.sourcegitcommit: 3f2a9c1",       # read as metadata, written as a comment
    "# ms.java\tscript:sourcegitcommit: 3f2a9c1",  # read as metadata, written with a space
])
def test_a_header_comment_that_only_looks_like_metadata_is_kept_as_written(comment):
    # Both found by the fuzzer: each write changed the header (added the line again,
    # or turned its tab into a space). One rule now reads and writes metadata names.
    made = catalog_po.dumps(cat.Catalog("p.md", "fr-FR", (cat.Entry("a", "b"),),
                                 {"ms.translationtype": "HT"}))
    text = made.replace("# ms.translationtype: HT\n", f"# ms.translationtype: HT\n{comment}\n")
    read = catalog_po.loads(text, "p.po")
    assert dict(read.meta) == {"ms.translationtype": "HT"}
    assert catalog_po.dumps(read) == text
