"""Source words, counted as translate-toolkit's ``pocount`` counts them (pipeline/words.py):
what vendors quote and invoice by. Each test skips when translate-toolkit is missing."""

from __future__ import annotations

import polib
import pytest
from conftest import ROOT, pocount_rows

from pipeline.extract import extract
from pipeline.words import source_words


@pytest.fixture(scope="module")
def pocount():
    return pytest.importorskip("translate.tools.pocount")


@pytest.mark.parametrize("text, words", [
    ("Select **Save**.", 2),
    ("See [the guide](https://example.com/a/b?c=d) now", 11),  # the URL's words count
    ("<strong>Note</strong>: it&nbsp;works", 4),
    ("Press <kbd>Ctrl</kbd> + <kbd>C</kbd>", 3),
    ("Visit <https://example.com>", 4),
    ("Use `docloc check` and *then* _stop_", 6),
    ("A -- B", 2),
    ("Line one<br/>line two", 4),
    ("Go to docs.microsoft.com or v1.2", 7),  # "s.m" and "t.c" become spaces
    ("L'équipe d'Azure n'a pas", 4),
    ("", 0),
])
def test_words_are_pocounts_source_words(text, words, pocount):
    assert source_words(text) == pocount.wordcount(text) == words


SCRIPTS_AND_MARKUP = {
    # name: (text, words)
    "unquoted attribute: not a tag": ("<a href=x>link</a> here", 5),
    "comment: not a tag": ("<!-- note --> text", 2),
    "self-closing tag dropped": ('<img src="x.png"/> image', 1),
    "br is a line break": ("Line<br>two", 2),
    "Greek and Cyrillic": ("Ελληνικά και кириллица", 3),
    "Hebrew": ("שלום עולם", 2),
    "Hebrew gershayim joins": ('צה"ל', 1),
    "Katakana": ("カタカナ テスト", 2),
    "ideographs one by one": ("中文字符", 4),
    "number with separators": ("1,000.50 dollars", 2),
    "combining accents": ("e\u0301te\u0301", 1),
    "emoji and flags are no words": ("🇫🇷 flag 😀", 1),
    "underscore joins": ("snake_case name", 2),
    "path": ("C:\\Users\\docs", 3),
    "placeholders": ("{0} items and %s files", 5),
    "version": ("v1.2.3", 1),
    "apostrophes": ("can't won’t", 2),
    "tab and newline": ("tab\tand\nnewline", 3),
}


@pytest.mark.parametrize("text, words", SCRIPTS_AND_MARKUP.values(), ids=SCRIPTS_AND_MARKUP.keys())
def test_scripts_tags_and_marks_count_as_pocount_counts_them(text, words, pocount):
    assert source_words(text) == pocount.wordcount(text) == words


def test_counts_equal_pocount_csv_on_catalogs(tmp_path):
    """What a vendor runs: ``pocount --csv`` on PO files, one entry each."""
    texts = [text for text, _ in SCRIPTS_AND_MARKUP.values()] + [
        'Quote "this" and a back\\slash', "Two\nlines of text", "  spaced   out  "]
    files = []
    for n, text in enumerate(texts):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        po.append(polib.POEntry(msgid=text, msgstr="traduit"))
        files.append(tmp_path / f"{n}.po")
        po.save(str(files[-1]))
    rows = pocount_rows(files)
    assert {text: rows[str(f)]["total"] for text, f in zip(texts, files)} == \
        {text: source_words(text) for text in texts}


def test_every_msgid_of_the_default_content_counts_as_pocount_counts_it(tmp_path, pocount):
    extract(ROOT / "content", tmp_path / "locales")
    msgids = {e.msgid for path in sorted((tmp_path / "locales").rglob("*.pot"))
              for e in polib.pofile(str(path))}
    assert len(msgids) > 100
    assert {m: source_words(m) for m in msgids} == {m: pocount.wordcount(m) for m in msgids}
