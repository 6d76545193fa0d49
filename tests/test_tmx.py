"""Translation memory exchange (tmx.py): a locale's catalogs as TMX 1.4b for vendors'
CAT tools, and a TMX read back as fuzzy suggestions."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pipeline import catalog as cat
from pipeline import catalog_po, tmx
from pipeline.cli import EXIT_OK, main
from pipeline.errors import DoclocError
from pipeline.extract import extract


def test_tmx_export_then_import_fills_suggestions(project):
    content, locales = project / "content", project / "locales"
    extract(content, locales)
    tmx = project / "fr.tmx"
    assert main(["tm", "export", str(tmx), "--locale", "fr-FR", "--locales", str(locales)]) == EXIT_OK
    root = ET.parse(tmx).getroot()
    assert root.get("version") == "1.4"
    pairs = {tuple("".join(seg.itertext()) for seg in tu.iter("seg")) for tu in root.iter("tu")}
    assert ("Privacy policy", "Politique de confidentialité") in pairs or len(pairs) > 50
    # A German catalog with an untranslated entry whose source the French memory knows:
    path = locales / "de_DE/LC_MESSAGES/cookie-policy.po"
    text = path.read_text(encoding="utf-8")
    assert 'msgid "Cookie policy"\nmsgstr ""' in text
    (project / "de.tmx").write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en-US"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>Cookie policy</seg></tuv>'
        '<tuv xml:lang="de-DE"><seg>Cookie-Richtlinie</seg></tuv></tu></body></tmx>',
        encoding="utf-8")
    assert main(["tm", "import", str(project / "de.tmx"), "--locale", "de-DE",
                 "--locales", str(locales)]) == EXIT_OK
    po = catalog_po.loads(path.read_text(encoding="utf-8"), "cookie-policy.po")
    entry = po.by_key()[(None, "Cookie policy")]
    assert entry.fuzzy and entry.msgstr == "Cookie-Richtlinie"
    assert "memory: exact match from TMX de.tmx" in entry.notes


def test_export_writes_each_translated_pair_once_with_its_pages_and_leaves_the_rest():
    entries = (cat.Entry("Save", "Enregistrer"), cat.Entry("Open", "Ouvrir", flags=("fuzzy",)),
               cat.Entry("Close"), cat.Entry("Fish & <chips>", "Poisson & <frites>"))
    text = tmx.dumps([cat.Catalog("a.md", "fr-FR", entries),
                      cat.Catalog("b.md", "fr-FR", entries[:1])],
                     source_locale="en-US", target_locale="fr-FR")
    root = ET.fromstring(text)
    units = [([p.text for p in tu.iter("prop")], ["".join(s.itertext()) for s in tu.iter("seg")])
             for tu in root.iter("tu")]
    assert units == [(["a.md"], ["Fish & <chips>", "Poisson & <frites>"]),
                     (["a.md b.md"], ["Save", "Enregistrer"])]  # sorted; fuzzy, empty left out


def test_import_reads_any_tools_units_by_language_and_keeps_inline_text(tmp_path):
    path = tmp_path / "vendor.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body>'
        '<tu><tuv xml:lang="EN-us"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">'
        '&lt;/b&gt;</ept></seg></tuv><tuv lang="fr"><seg> Appuyez sur Enregistrer </seg></tuv></tu>'
        '<tu><tuv xml:lang="en-US"><seg>Alone</seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    memory = tmx.load(path, source_locale="en-US", target_locale="fr-FR")
    assert memory == {"Press <b>Save</b>": [("Appuyez sur Enregistrer", "TMX vendor.tmx")]}


def test_broken_tmx_names_its_line_and_column(tmp_path):
    path = tmp_path / "broken.tmx"
    path.write_text('<tmx version="1.4">\n<body><tu></body></tmx>\n', encoding="utf-8")
    with pytest.raises(DoclocError) as info:
        tmx.load(path, source_locale="en-US", target_locale="fr-FR")
    assert str(info.value).startswith(f"{path}:2:")
    assert "not valid TMX/XML" in str(info.value)
