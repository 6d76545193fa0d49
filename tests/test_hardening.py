"""Hardening: broken inputs, huge inputs, paths out of the project, hostile translations.

Every broken input must give a message naming the file (and line where there is one),
leave every other file processed and every existing output untouched, exit non-zero
(4: unreadable or malformed input) and never escape ``main()`` as a traceback. Tests
call ``pipeline.cli.main`` in-process, so an exception fails them outright.

Decisions recorded here:

1. A UTF-8 byte-order mark is not an error: the page is read as if it had none
   (front matter included), written back with it, and never reaches a catalog.
2. The three big inputs (a 10 MB single line, 10,000 nested spans, 100,000
   segments) assert what comes out, not how long it takes; their timings are in
   the hardening report of issue 7.
3. Hostile translations are judged on the built HTML (parsed with lxml) and on
   ``docloc check``, which must report each one as an error at the entry's
   ``path:line``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

import lxml.html
import polib
import pytest
from conftest import seg, tree_bytes

from pipeline import catalog_po, sxs
from pipeline.cli import EXIT_CHECKS, EXIT_INPUT, EXIT_OK, main

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PAGE = "fr-FR/privacy-policy.md"
PAGE_PO = "fr_FR/LC_MESSAGES/privacy-policy.po"
OTHER_PAGE = "fr-FR/data-retention.md"
OTHER_PO = "fr_FR/LC_MESSAGES/data-retention.po"
OTHER_OLD, OTHER_NEW = ">Nous ne conservons les données", ">Nous gardons les données"


# -- helpers ----------------------------------------------------------------------------------

def extract(project: Path, capsys, *extra: str) -> tuple[int, str]:
    """Run ``docloc extract`` on the project; return the exit code and stdout + stderr."""
    code = main(["extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), *extra])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    return code, output


def edit_other_page(project: Path) -> None:
    """Change a target of another page, so that its catalog must be written again."""
    path = project / "content" / OTHER_PAGE
    text = path.read_text(encoding="utf-8")
    assert OTHER_OLD in text
    path.write_text(text.replace(OTHER_OLD, OTHER_NEW, 1), encoding="utf-8")


def assert_other_page_processed(project: Path, before: dict[str, bytes] | None = None) -> None:
    """The other page's catalog carries its new target (it was written despite the problem)."""
    po = (project / "locales" / OTHER_PO).read_text(encoding="utf-8")
    assert OTHER_NEW[1:] in po
    if before is not None:
        assert before[OTHER_PO] != (project / "locales" / OTHER_PO).read_bytes()


def line_offset(data: bytes, line: int) -> int:
    """Byte offset of the start of 1-based ``line``."""
    offset = 0
    for _ in range(line - 1):
        offset = data.index(b"\n", offset) + 1
    return offset


# -- broken pages -----------------------------------------------------------------------------

BAD_BYTES = {
    # name: (bytes inserted at line 11, column 3; what the message must say)
    "invalid-utf8": (b"\xff", "UTF-8"),
    "truncated-multibyte": (b"\xc3(", "UTF-8"),
    "overlong-encoding": (b"\xc0\xaf", "UTF-8"),
    "nul-byte": (b"\x00", "NUL"),
}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_unreadable_page_is_reported_with_line_and_column_and_other_pages_are_processed(
        project, capsys, kind):
    bad, words = BAD_BYTES[kind]
    path = project / "content" / PAGE
    data = path.read_bytes()
    at = line_offset(data, 11) + 2
    path.write_bytes(data[:at] + bad + data[at:])
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert re.search(rf"{re.escape(PAGE)}:11:3: (error: )?.*{words}", output), output
    locales = project / "locales"
    assert not (locales / PAGE_PO).exists()
    for other in (OTHER_PO, "de_DE/LC_MESSAGES/privacy-policy.po",
                  "ar_SA/LC_MESSAGES/privacy-policy.po", "templates/privacy-policy.pot"):
        assert (locales / other).is_file(), other


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_unreadable_page_leaves_its_catalog_byte_identical(project, capsys, kind):
    assert extract(project, capsys)[0] == EXIT_OK
    before = tree_bytes(project / "locales")
    path = project / "content" / PAGE
    data = path.read_bytes()
    at = line_offset(data, 11) + 2
    path.write_bytes(data[:at] + BAD_BYTES[kind][0] + data[at:])
    edit_other_page(project)
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert f"{PAGE}:11:3" in output
    after = tree_bytes(project / "locales")
    assert after[PAGE_PO] == before[PAGE_PO]
    assert after["templates/privacy-policy.pot"] == before["templates/privacy-policy.pot"]
    assert_other_page_processed(project, before)


def test_unreadable_page_fails_the_build_but_every_other_page_is_built(project, monkeypatch,
                                                                       capsys):
    path = project / "content" / PAGE
    data = path.read_bytes()
    at = line_offset(data, 11) + 2
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    edit_other_page(project)
    code, output = build_in(project, monkeypatch, capsys)
    assert code == EXIT_INPUT
    assert f"{PAGE}:11:3" in output
    html = (project / "site/fr-fr/data-retention/index.html").read_text(encoding="utf-8")
    assert OTHER_NEW[1:] in html


def test_catalogs_do_not_depend_on_how_the_content_folder_is_spelled(project, monkeypatch,
                                                                     capsys):
    monkeypatch.chdir(project)
    assert main(["extract", "--content", "content", "--locales", "locales"]) == EXIT_OK
    before = tree_bytes(project / "locales")
    assert main(["extract", "--content", str(project / "content"),
                 "--locales", "locales"]) == EXIT_OK
    capsys.readouterr()
    assert tree_bytes(project / "locales") == before


def test_page_saved_as_utf16_is_reported_at_its_first_byte(project, capsys):
    path = project / "content" / PAGE
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert f"{PAGE}:1:1" in output and "UTF-8" in output


# -- byte-order mark --------------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"


def test_page_with_a_bom_is_read_and_round_trips_byte_for_byte(project, capsys, tmp_path):
    content = project / "content"
    page = content / PAGE
    page.write_bytes(BOM + page.read_bytes())
    bare = content / "fr-FR" / "bom-first.md"  # a BOM right before the first segment
    bare.write_bytes(BOM + seg("Bonjour", "Hello", "bb-1").encode() + b"\n")
    code, output = extract(project, capsys)
    assert code == EXIT_OK, output
    assert "bom" not in output.lower() or "privacy-policy.md" in output
    for name, data in tree_bytes(project / "locales").items():
        assert "\ufeff".encode() not in data, name
    catalog = catalog_po.load((project / "locales" / PAGE_PO).read_bytes(), PAGE_PO)
    assert catalog.entries[0].msgid == "Contoso Cloud privacy policy"
    first = catalog_po.load((project / "locales/fr_FR/LC_MESSAGES/bom-first.po").read_bytes(), "b.po")
    assert [(e.msgid, e.msgstr) for e in first.entries] == [("Hello", "Bonjour")]
    out = tmp_path / "out"
    assert main(["export", "--content", str(content), "--locales", str(project / "locales"),
                 "--out", str(out)]) == EXIT_OK
    assert tree_bytes(out) == tree_bytes(content)


def test_page_with_a_bom_gives_the_same_catalog_as_without(project, capsys):
    assert extract(project, capsys)[0] == EXIT_OK
    before = tree_bytes(project / "locales")
    page = project / "content" / PAGE
    page.write_bytes(BOM + page.read_bytes())
    assert extract(project, capsys)[0] == EXIT_OK
    assert (project / "locales" / PAGE_PO).read_bytes() == before[PAGE_PO]


# -- big inputs (decision 2: no time assertions; timings in the report) -----------------------

def _page_lines_without_front_matter() -> list[str]:
    lines = []
    for path in sorted((ROOT / "content" / "fr-FR").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("\n---\n", 1)[1]
        lines.append(text.replace("\n", " "))
    return lines


def test_ten_megabyte_single_line_page_is_read(project, capsys):
    # The real pages of content/fr-FR (code spans, links, tables, alerts) on one line.
    unit = " ".join(_page_lines_without_front_matter())
    copies = 10_000_000 // len(unit) + 1
    text = " ".join([unit] * copies)
    assert "\n" not in text and len(text.encode()) >= 10_000_000
    (project / "content" / "fr-FR" / "huge.md").write_text(text, encoding="utf-8")
    code, output = extract(project, capsys)
    assert code == EXIT_OK, output[-2000:]
    po = catalog_po.load((project / "locales/fr_FR/LC_MESSAGES/huge.po").read_bytes(), "huge.po")
    ids = sum(len(e.ids) for e in po.entries)
    page, _ = sxs.parse(unit, "unit.md")
    assert ids == copies * len([s for s in page.segments if s.source])


def test_ten_thousand_nested_spans_in_a_segment(project, capsys, tmp_path):
    depth = 10_000
    target = "<span>" * depth + "Bonjour" + "</span>" * depth
    source = "<span>" * depth + "Hello" + "</span>" * depth
    path = project / "content" / "fr-FR" / "nested.md"
    path.write_text("# " + seg(target, source, "nn-1") + "\n\n" +
                    seg("Après", "After", "nn-2") + "\n", encoding="utf-8")
    code, output = extract(project, capsys)
    assert code == EXIT_OK, output[-2000:]
    po = catalog_po.load((project / "locales/fr_FR/LC_MESSAGES/nested.po").read_bytes(), "n.po")
    assert [(e.msgid, e.msgstr) for e in po.entries] == [(source, target), ("After", "Après")]
    out = tmp_path / "out"
    assert main(["export", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), "--out", str(out)]) == EXIT_OK
    assert (out / "fr-FR/nested.md").read_bytes() == path.read_bytes()


def test_hundred_thousand_segments_in_one_page(project, capsys):
    count = 100_000
    blocks = ["# " + seg("Titre", "Title", "hh-0")]
    blocks += [seg(f"Phrase numéro {i}.", f"Sentence number {i}.", f"hh-{i}")
               for i in range(1, count)]
    path = project / "content" / "fr-FR" / "many.md"
    path.write_text("---\nms.contentlocale: fr-FR\n---\n" + "\n\n".join(blocks) + "\n",
                    encoding="utf-8")
    code, output = extract(project, capsys)
    assert code == EXIT_OK, output[-2000:]
    po = catalog_po.load((project / "locales/fr_FR/LC_MESSAGES/many.po").read_bytes(), "m.po")
    assert len(po.entries) == count
    assert po.entries[-1].msgid == f"Sentence number {count - 1}."
    assert po.entries[-1].references == (f"fr-FR/many.md:{4 + 2 * (count - 1)}",)


# -- broken catalogs --------------------------------------------------------------------------

def _break_syntax(text: str) -> str:
    return text.replace('msgid "Data we collect"', 'msgid "Data we collect', 1)


def _break_charset(text: str) -> str:
    return text.replace("charset=UTF-8", "charset=ISO-8859-1", 1)


def _duplicate(text: str) -> str:
    return text + '\n#, md-text\nmsgid "Data we collect"\nmsgstr "Autre traduction"\n'


def _plural(text: str) -> str:
    return text + ('\nmsgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "un fichier"\n'
                   'msgstr[1] "%d fichiers"\n')


def _unquoted(text: str) -> str:
    return text.replace('msgstr "Données que nous collectons"',
                        "msgstr Données que nous collectons", 1)


def _orphan_msgstr(text: str) -> str:
    """A translator comment and a msgstr whose msgid line was lost, right after the header."""
    end = text.index("\n\n") + 1
    return text[:end] + '\n# note\nmsgstr "orphelin"\n' + text[end:]


def _commented_msgid(text: str) -> str:
    """A msgid turned into a comment by a stray '#', its msgstr left alone."""
    return text.replace('msgid "Data we collect"', '#msgid "Data we collect"', 1)


CATALOG_DEFECTS = {
    # name: (how to break the text, the words the message must carry, line it names or None)
    "syntax-error": (_break_syntax, "not a valid PO", "msgid \"Data we collect"),
    "unquoted-msgstr": (_unquoted, "not a valid PO", "msgstr Données"),
    "wrong-charset": (_break_charset, "charset ISO-8859-1", None),
    "duplicate-entry": (_duplicate, "duplicate entry", "msgstr \"Autre traduction\""),
    "plural-form": (_plural, "plural", "msgid_plural"),
    "msgstr-without-msgid": (_orphan_msgstr, "msgstr without its msgid", 'msgstr "orphelin"'),
    "msgid-commented-out": (_commented_msgid, "without its msgid", '#msgid "Data we collect"'),
}


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("kind", sorted(CATALOG_DEFECTS))
def test_broken_catalog_is_reported_left_byte_identical_and_others_written(
        project, capsys, kind):
    breaker, words, near = CATALOG_DEFECTS[kind]
    assert extract(project, capsys)[0] == EXIT_OK
    po = project / "locales" / PAGE_PO
    broken = breaker(po.read_text(encoding="utf-8"))
    po.write_text(broken, encoding="utf-8")
    data = po.read_bytes()
    before = tree_bytes(project / "locales")
    edit_other_page(project)
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert po.read_bytes() == data
    match = re.search(rf"{re.escape(PAGE_PO)}:(\d+): (error: )?[^\n]*{re.escape(words)}",
                      output)
    assert match, output
    if near is not None:  # the line named is the defect's (or the entry's msgid line)
        assert abs(int(match.group(1)) - _line_of(broken, near)) <= 3, match.group(0)
    assert_other_page_processed(project, before)


def test_catalog_that_is_not_utf8_names_the_line(project, capsys):
    assert extract(project, capsys)[0] == EXIT_OK
    po = project / "locales" / PAGE_PO
    text = po.read_text(encoding="utf-8")
    data = text.encode("latin-1", "replace")
    po.write_bytes(data)
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert po.read_bytes() == data
    first = _line_of(text, next(c for c in text if ord(c) > 127))
    assert f"{PAGE_PO}:{first}:" in output and "UTF-8" in output


def test_broken_catalog_is_reported_by_check_too(project, capsys):
    assert extract(project, capsys)[0] == EXIT_OK
    po = project / "locales" / PAGE_PO
    po.write_text(_break_syntax(po.read_text(encoding="utf-8")), encoding="utf-8")
    code = main(["check", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT
    assert re.search(rf"{re.escape(PAGE_PO)}:\d+: (error: )?not a valid PO", output), output


def test_catalog_with_a_second_header_is_refused_and_left_byte_identical(project, capsys):
    assert extract(project, capsys)[0] == EXIT_OK
    po = project / "locales" / PAGE_PO
    text = po.read_text(encoding="utf-8")
    header = text[:text.index("\n\n")]
    po.write_text(text + "\n" + header + "\n", encoding="utf-8")
    data = po.read_bytes()
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert po.read_bytes() == data
    second = text.count("\n") + 2 + header.split("\n").index('msgid ""')
    assert re.search(rf"{re.escape(PAGE_PO)}:{second}:1: (error: )?.*header", output), output


def test_catalog_with_a_header_line_without_a_name_stays_readable_once_rewritten(
        project, capsys):
    # polib (and msgfmt -c) accept a header line without "Name:", gluing it onto the
    # field before it; the catalog docloc writes back from it must still load.
    assert extract(project, capsys)[0] == EXIT_OK
    po = project / "locales" / PAGE_PO
    text = po.read_text(encoding="utf-8").replace(
        '"Language: fr_FR\\n"\n', '"Language: fr_FR\\n"\n"oops\\n"\n', 1)
    po.write_text(text, encoding="utf-8")
    (project / "content" / PAGE).unlink()  # its catalog is retired (entries made obsolete)
    assert extract(project, capsys)[0] == EXIT_OK
    catalog_po.load(po.read_bytes(), PAGE_PO)
    code, output = extract(project, capsys)
    assert code == EXIT_OK, output


@pytest.mark.parametrize("char", ["\u2028", "\x85", "\x0c", "\n\u2028"])
def test_segment_with_a_unicode_line_break_survives_the_catalog(project, capsys, char):
    path = project / "content" / "fr-FR" / "separator.md"
    path.write_text(seg(f"Un{char}deux", f"One{char}two", "ls-1") + "\n", encoding="utf-8")
    assert extract(project, capsys)[0] == EXIT_OK
    code, output = extract(project, capsys)
    assert code == EXIT_OK, output
    po = catalog_po.load((project / "locales/fr_FR/LC_MESSAGES/separator.po").read_bytes(), "s.po")
    assert [(e.msgid, e.msgstr) for e in po.entries] == [(f"One{char}two", f"Un{char}deux")]


# -- settings ---------------------------------------------------------------------------------

CONFIG_ERRORS = {
    # name: (docloc.toml, words the message must carry)
    "unknown-key": ('contnet = "content"\n', ["contnet", "unknown key"]),
    "unknown-key-in-table": ('[docloc]\nprune_obsolet = true\n', ["prune_obsolet", "unknown"]),
    "similarity-string": ('similarity = "high"\n', ["similarity", "a number"]),
    "similarity-bool": ("similarity = true\n", ["similarity", "a number"]),
    "prune-string": ('prune_obsolete = "yes"\n', ["prune_obsolete", "true or false"]),
    "content-number": ("content = 5\n", ["content", "path"]),
    "thresholds-number": ("thresholds = 5\n", ["thresholds", "a table"]),
    "coverage-by-value": ('coverage_by = "lines"\n', ["coverage_by", "messages", "words"]),
    "not-toml": ("similarity = \n", ["TOML", "line 1"]),
}


@pytest.mark.parametrize("kind", sorted(CONFIG_ERRORS))
def test_bad_config_names_the_key_and_what_is_expected(project, capsys, kind):
    text, words = CONFIG_ERRORS[kind]
    assert extract(project, capsys)[0] == EXIT_OK
    before = tree_bytes(project / "locales")
    config = project / "docloc.toml"
    config.write_text(text, encoding="utf-8")
    edit_other_page(project)
    code = main(["--config", str(config), "extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT
    assert str(config) in output
    for word in words:
        assert word in output, (word, output)
    assert tree_bytes(project / "locales") == before  # nothing ran on a bad config


def test_config_list_of_wrong_items_is_refused_naming_the_key(project, capsys):
    assert extract(project, capsys)[0] == EXIT_OK
    config = project / "docloc.toml"
    config.write_text("allow_untranslated = [1, 2]\n", encoding="utf-8")
    code = main(["--config", str(config), "check", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT and "allow_untranslated" in output and str(config) in output


@pytest.mark.parametrize("text", ["similarity = 7\n", "similarity = -1\n",
                                  "min_coverage = 250\n"])
def test_config_value_out_of_range_is_refused(project, capsys, text):
    config = project / "docloc.toml"
    config.write_text(text, encoding="utf-8")
    code = main(["--config", str(config), "extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT and text.split()[0] in output and str(config) in output


def test_config_bad_severity_names_the_config_file(project, capsys):
    assert extract(project, capsys)[0] == EXIT_OK
    config = project / "docloc.toml"
    config.write_text('[severity]\nnumbers = "loud"\n', encoding="utf-8")
    code = main(["--config", str(config), "check", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT and "numbers" in output and str(config) in output


# -- paths leading out of the project ---------------------------------------------------------

def build_in(project: Path, monkeypatch, capsys) -> tuple[int, str]:
    """``docloc build`` run from inside the project folder (mkdocs.yml copied beside)."""
    if not (project / "mkdocs.yml").exists():
        shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    code = main(["build", "--content", "content", "--locales", "locales", "--site", "site",
                 "--jobs", "1"])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    return code, output


def site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in site.rglob("*.html"))


def test_toc_entry_leading_outside_the_project_is_refused_with_its_line(
        project, monkeypatch, capsys):
    toc = project / "content" / "fr-FR" / "TOC.md"
    lines = toc.read_text(encoding="utf-8").rstrip("\n").split("\n")
    toc.write_text("\n".join(lines + ["# [Secret](../../etc/passwd)"]) + "\n", encoding="utf-8")
    code, output = build_in(project, monkeypatch, capsys)
    assert code == EXIT_INPUT
    assert re.search(rf"content/fr-FR/TOC\.md:{len(lines) + 1}: (error: )?.*outside", output), output
    site = project / "site"
    assert (site / "fr-fr/privacy-policy/index.html").is_file()  # the rest is built
    text = site_text(site)
    assert "etc/passwd" not in text and "root:x:0:0" not in text


def test_toc_yml_href_leading_outside_the_project_is_refused(project, monkeypatch, capsys):
    (project / "content" / "fr-FR" / "TOC.md").unlink()
    (project / "content" / "fr-FR" / "TOC.yml").write_text(
        "- name: Accueil\n  href: index.md\n- name: Secret\n  href: ../../../etc/passwd\n",
        encoding="utf-8")
    code, output = build_in(project, monkeypatch, capsys)
    assert code == EXIT_INPUT
    assert re.search(r"content/fr-FR/TOC\.yml(:\d+)?: (error: )?.*outside", output), output
    assert "root:x:0:0" not in site_text(project / "site")


def _add_include(project: Path) -> int:
    path = project / "content" / OTHER_PAGE
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + "[!INCLUDE [secret](../../../../etc/passwd)]\n", encoding="utf-8")
    return text.count("\n") + 1


def test_include_leading_outside_the_project_is_refused_and_the_rest_built(
        project, monkeypatch, capsys):
    line = _add_include(project)
    code, output = build_in(project, monkeypatch, capsys)
    assert code == EXIT_INPUT
    assert re.search(rf"data-retention\.md:{line}(:\d+)?: (error: )?.*outside", output), output
    site = project / "site"
    assert "root:x:0:0" not in site_text(site)
    assert (site / "fr-fr/privacy-policy/index.html").is_file()
    assert (site / "de-de/data-retention/index.html").is_file()


def test_include_problem_names_the_file_in_its_locale_folder(project, monkeypatch, capsys):
    line = _add_include(project)
    code, output = build_in(project, monkeypatch, capsys)
    assert code == EXIT_INPUT
    assert f"{OTHER_PAGE}:{line}" in output, output


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project with a page in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    shutil.copy2(ROOT / "content" / "fr-FR" / "index.md", folder / "index.md")
    (folder / "secret.md").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return folder


def test_symbolic_link_out_of_the_content_folder_is_refused_with_a_message(
        project, capsys, outside):
    link = project / "content" / "de-DE" / "aaa-secret.md"
    link.symlink_to(outside / "secret.md")
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert re.search(rf"{re.escape(str(link))}: (error: )?symbolic link", output), output
    assert "root:x:0:0" not in "".join(p.read_text(encoding="utf-8")
                                       for p in (project / "locales").rglob("*.po*"))


def test_symbolic_link_out_of_the_content_folder_leaves_every_other_catalog_intact(
        project, capsys, outside):
    assert extract(project, capsys)[0] == EXIT_OK
    before = tree_bytes(project / "locales")
    (project / "content" / "de-DE" / "aaa-secret.md").symlink_to(outside / "secret.md")
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    after = tree_bytes(project / "locales")
    changed = sorted(k for k in before if after.get(k) != before[k] and
                     not k.startswith(".docloc/"))
    assert changed == []


def test_symbolic_link_to_a_folder_outside_is_refused_with_a_message(project, capsys, outside):
    link = project / "content" / "fr-FR" / "linked"
    link.symlink_to(outside, target_is_directory=True)
    code, output = extract(project, capsys)
    assert code == EXIT_INPUT
    assert str(link) in output and "symbolic link" in output


# -- hostile translations ---------------------------------------------------------------------

HOSTILE = {
    # name: (page, msgid, msgstr, a word of the msgstr that must stay visible)
    "script": ("privacy-policy", "Data we collect",
               "Données <script>alert(1)</script> collectées", "collectées"),
    "img-onerror-in-title": ("privacy-policy", "Contoso Cloud privacy policy",
                             "Politique <img src=x onerror=alert(1)> de Contoso", "Politique"),
    "iframe": ("privacy-policy", "Account data.",
               "Données <iframe src=//evil></iframe> de compte.", "compte"),
    "javascript-link": ("privacy-policy", "Return to the [policy center](index.md).",
                        "Revenir au [centre](javascript:alert(1)).", "Revenir"),
    "javascript-link-added": ("privacy-policy", "Usage data.",
                              "[Données](javascript:alert(1)) d'utilisation.", "utilisation"),
    "data-href": ("data-retention", "For the data we collect, see the "
                  "[privacy policy](privacy-policy.md#data-we-collect).",
                  'Voir la <a href="data:text/html,<script>alert(1)</script>">politique</a>.',
                  "politique"),
    "data-link": ("acceptable-use", "If you see abuse that comes from Contoso Cloud, follow "
                  "the steps in [Report an incident](security/incident-response.md"
                  "#report-an-incident).",
                  "Suivez [Signaler](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).",
                  "Suivez"),
    "style": ("privacy-policy", "Support data.",
              '<span style="position:fixed;inset:0;z-index:9">Données</span> de support.',
              "support"),
    "attr-list": ("privacy-policy", "Your rights", 'Vos droits {: onclick="alert(1)" }',
                  "droits"),
    "stray-span-close": ("privacy-policy", "Your name, email address, and billing details.",
                         "Votre nom </span> et adresse.", "adresse"),
    "comment-close": ("privacy-policy", "The features you use, the time of each request, "
                      "and the region that served it.", "Les fonctions --> utilisées.",
                      "utilisées"),
    "comment-open": ("privacy-policy", "The content of the messages you send to our support "
                     "team.", "Le contenu <!-- des messages.", "contenu"),
    "newline-heading": ("privacy-policy", "We use account data to bill you and to contact you "
                        "about your subscription.", "Nous facturons.\n# Titre injecté",
                        "injecté"),
    "newline-list": ("privacy-policy", "We use usage data to keep the service reliable and to "
                     "plan capacity.", "Nous planifions.\n- élément injecté", "injecté"),
    "table-pipe": ("data-retention", "Usage logs", "Journaux | injectés", "injectés"),
}
def _plain(msgid: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", msgid)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> tuple[Path, int, str]:
    """A copy of content/ whose catalogs carry every HOSTILE msgstr, built once."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    import contextlib
    import io

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out):
        mp.chdir(project)
        mp.setenv("SOURCE_DATE_EPOCH", "0")
        assert main(["extract", "--content", "content", "--locales", "locales"]) == EXIT_OK
        by_page: dict[str, list] = {}
        for page, msgid, msgstr, _ in HOSTILE.values():
            by_page.setdefault(page, []).append((msgid, msgstr))
        for page, edits in by_page.items():
            path = project / "locales" / "fr_FR" / "LC_MESSAGES" / f"{page}.po"
            po = polib.pofile(str(path), wrapwidth=0)
            for msgid, msgstr in edits:
                entry = po.find(msgid)
                assert entry is not None, msgid
                entry.msgstr = msgstr
            po.save(str(path))
        code = main(["build", "--content", "content", "--locales", "locales",
                     "--site", "site", "--jobs", "1"])
    return project, code, out.getvalue()


def _entry_lines(po_path: Path, msgid: str) -> range:
    """The lines of the entry of ``msgid``: its comments down to its msgstr."""
    lines = po_path.read_text(encoding="utf-8").split("\n")
    quoted = 'msgid "' + msgid.replace("\\", "\\\\").replace('"', '\\"') + '"'
    at = lines.index(quoted)
    start = at
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return range(start + 1, at + 3)


def test_build_with_hostile_translations_succeeds(hostile_project):
    project, code, output = hostile_project
    assert code in (EXIT_OK, EXIT_CHECKS), output[-3000:]
    assert "Traceback" not in output


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_translation_is_inert_in_the_built_page(hostile_project, name):
    project, _, _ = hostile_project
    page, msgid, msgstr, visible = HOSTILE[name]
    doc = lxml.html.parse(str(project / "site" / "fr-fr" / page / "index.html")).getroot()
    articles = doc.xpath("//article")
    assert len(articles) == 1
    article = articles[0]
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (element.tag, attribute, value)
            if attribute.lower() in ("href", "src", "action", "formaction", "data"):
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), value
        if element.tag == "script":
            assert "alert(1)" not in (element.text or ""), "injected script"
    for element in article.iter():
        if isinstance(element.tag, str):
            assert element.tag not in ("script", "iframe", "object", "embed", "style", "form",
                                       "frame", "meta", "link", "base", "svg", "math"), \
                element.tag
            assert "style" not in element.attrib, lxml.html.tostring(element)[:200]
    assert "alert(1)" not in (doc.findtext(".//title") or "")
    # Contained: the translation stays inside its own wrapper, visible.
    wrappers = [e for e in article.iter("span")
                if e.get("class") == "docloc-seg" and e.get("data-source") == _plain(msgid)]
    assert wrappers, f"no wrapper for {msgid!r}"
    assert visible in wrappers[0].text_content()
    headings = " ".join(e.text_content() for tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                        for e in article.iter(tag))
    items = " ".join(e.text_content() for e in article.iter("li"))
    assert "Titre injecté" not in headings and "élément injecté" not in items
    if name == "table-pipe":
        row = next(tr for tr in article.iter("tr") if "Journaux" in tr.text_content())
        assert len(row.findall("td")) == 3
    if name == "comment-open":  # nothing after it was swallowed
        assert "Vos droits" in article.text_content()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_reports_hostile_translation_at_its_entry(hostile_project, monkeypatch, capsys,
                                                        name):
    project, _, _ = hostile_project
    page, msgid, _, _ = HOSTILE[name]
    monkeypatch.chdir(project)
    code = main(["check", "--content", "content", "--locales", "locales"])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    po_rel = f"locales/fr_FR/LC_MESSAGES/{page}.po"
    lines = _entry_lines(project / po_rel, msgid)
    reported = {int(m.group(1)) for m in re.finditer(
        rf"{re.escape(po_rel)}:(\d+): error: ", output)}
    assert reported & set(lines), f"no error reported at {po_rel}:{lines.start}-{lines.stop - 1}"
    assert code == EXIT_CHECKS


# -- the fuzz harness, bounded ----------------------------------------------------------------

KNOWN_FUZZ_BUGS: dict[str, str] = {
    # kind reported by scripts/fuzz.py -> the xfail test that pins it. None is open: the
    # kinds found so far are fixed and kept as regression tests
    # (test_segment_with_a_unicode_line_break_survives_the_catalog,
    # test_catalog_with_a_second_header_is_refused_and_left_byte_identical,
    # test_catalog_with_a_header_line_without_a_name_stays_readable_once_rewritten,
    # test_broken_catalog_is_reported_left_byte_identical_and_others_written
    # [msgstr-without-msgid] and [msgid-commented-out]).
}


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("docloc_fuzz", ROOT / "scripts" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_fuzz_bounded(tmp_path):
    """About 20 s of scripts/fuzz.py on every target: no crash beyond the known bugs above."""
    fuzz = _fuzz_module()
    seconds = float(os.environ.get("DOCLOC_FUZZ_SECONDS", "20"))
    stats = fuzz.run(seconds, out_dir=tmp_path / "crashes", base_seed=7)
    assert all(stats.tried[target] > 0 for target in fuzz.TARGETS), stats.tried
    unknown = [f"{c.target}: {c.kind}: {c.message[:200]} (input {c.data[:200]!r})"
               for crashes in stats.crashes.values() for c in crashes
               if not any(c.kind.startswith(known) for known in KNOWN_FUZZ_BUGS)]
    assert unknown == []
