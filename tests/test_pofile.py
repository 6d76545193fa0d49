"""Where the header entry stands, and what extract does with an odd one (issue 13).

A translator's tool or a hand edit can move the header (``msgid ""``) below the
first entry: msgfmt and msgcat accept such a file and keep the header where it
is, so docloc reads it and leaves it in place. A file msgfmt refuses (two headers,
a header with a msgctxt) is reported at file:line:col and left untouched. A
commented-out header (``#~ msgid ""``) in a file without a live one is the
translator's header all the same: it comes back live, its fields kept.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import headers

from pipeline import catalog_po
from pipeline.cli import main

PO = Path("locales/fr_FR/LC_MESSAGES/index.po")
CREDIT = '"Last-Translator: Marie Dupont <marie@example.com>\\n"'


def extract(project: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    out = capsys.readouterr()
    return code, out.out + out.err


def blocks(project: Path) -> list[str]:
    """The catalog cut at its blank lines: the header first, as extract wrote it."""
    return (project / PO).read_text(encoding="utf-8").split("\n\n")


def write(project: Path, parts: list[str]) -> str:
    text = "\n\n".join(parts)
    (project / PO).write_text(text, encoding="utf-8")
    return text


def msgfmt_check(path: Path) -> subprocess.CompletedProcess | None:
    if shutil.which("msgfmt") is None:
        return None
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)


@pytest.fixture
def extracted(project: Path, capsys) -> Path:
    code, out = extract(project, capsys)
    assert code == 0, out
    parts = blocks(project)
    assert parts[0].count('msgid ""') == 1 and "Language: fr_FR" in parts[0]
    # the translator's tool adds its credit to the header
    parts[0] = parts[0].replace('"Language: fr_FR\\n"', '"Language: fr_FR\\n"\n' + CREDIT)
    write(project, parts)
    return project


def test_header_after_the_first_entry_is_read_and_left_where_it_is(extracted, capsys):
    parts = blocks(extracted)
    parts[0], parts[1] = parts[1], parts[0]
    moved = write(extracted, parts)
    checked = msgfmt_check(extracted / PO)
    assert checked is None or checked.returncode == 0, checked.stderr  # a valid PO file
    code, out = extract(extracted, capsys)
    assert code == 0, out
    assert "Traceback" not in out
    assert (extracted / PO).read_text(encoding="utf-8") == moved  # nothing to change


def test_moved_header_keeps_the_translators_fields_when_the_page_changes(extracted, capsys):
    parts = blocks(extracted)
    parts[0], parts[1] = parts[1], parts[0]
    parts[2] = parts[2].replace('msgstr "S', 'msgstr "Ici s', 1)  # a translator's edit
    write(extracted, parts)
    page = extracted / "content/fr-FR/index.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "every Contoso Cloud account", "every Contoso Cloud account and team"),
        encoding="utf-8")
    code, out = extract(extracted, capsys)
    assert code == 0, out
    text = (extracted / PO).read_text(encoding="utf-8")
    assert headers(text) == 1
    assert text.count(CREDIT) == 1 and text.count("X-Generator: docloc") == 1
    assert 'msgstr "Ici s' in text
    read = catalog_po.loads(text, "index.po")
    assert read.locale == "fr-FR"
    assert any("account and team" in e.msgid for e in read.active())
    checked = msgfmt_check(extracted / PO)
    assert checked is None or checked.returncode == 0, checked.stderr


def test_header_at_the_end_of_the_file_is_read(extracted, capsys):
    parts = blocks(extracted)
    last = parts[-1].rstrip("\n")
    parts = parts[1:-1] + [last, parts[0] + "\n"]
    moved = write(extracted, parts)
    code, out = extract(extracted, capsys)
    assert code == 0, out
    assert (extracted / PO).read_text(encoding="utf-8") == moved
    assert catalog_po.loads(moved, "index.po").locale == "fr-FR"


def test_two_header_entries_are_reported_at_the_second_and_the_file_is_left(extracted,
                                                                              capsys):
    parts = blocks(extracted)
    parts.insert(2, 'msgid ""\nmsgstr "Language: de_DE\\n"')
    before = write(extracted, parts)
    line = before[:before.index('msgid ""\nmsgstr "Language: de')].count("\n") + 1
    code, out = extract(extracted, capsys)
    assert code == 4
    assert "Traceback" not in out
    assert f"index.po:{line}:1: " in out and "second header entry" in out
    assert "merge it into the first" in out
    assert (extracted / PO).read_text(encoding="utf-8") == before


def test_header_with_a_msgctxt_is_reported_and_the_file_is_left(extracted, capsys):
    parts = blocks(extracted)
    parts[0] = parts[0].replace('msgid ""', 'msgctxt "Contoso"\nmsgid ""', 1)
    before = write(extracted, parts)
    line = before[:before.index('msgctxt "Contoso"')].count("\n") + 1
    code, out = extract(extracted, capsys)
    assert code == 4
    assert "Traceback" not in out
    assert f"index.po:{line}:1: " in out
    assert "remove the msgctxt line" in out
    assert (extracted / PO).read_text(encoding="utf-8") == before


@pytest.mark.parametrize("where", ["first", "last"])
def test_obsolete_header_without_a_live_one_comes_back_live_with_its_fields(
        extracted, capsys, where):
    parts = blocks(extracted)
    header = "\n".join(line if line.startswith("#") else "#~ " + line
                       for line in parts[0].split("\n"))
    if where == "first":
        parts[0] = header
    else:
        parts = parts[1:]
        parts[-1] = parts[-1].rstrip("\n")
        parts.append(header + "\n")
    write(extracted, parts)
    code, out = extract(extracted, capsys)
    assert code == 0, out
    text = (extracted / PO).read_text(encoding="utf-8")
    assert '#~ msgid ""' not in text
    assert headers(text) == 1
    assert text.count(CREDIT) == 1
    assert text.count("# ms.sourcegitcommit:") == 1  # the header's comments once
    assert catalog_po.loads(text, "index.po").locale == "fr-FR"
    checked = msgfmt_check(extracted / PO)
    assert checked is None or checked.returncode == 0, checked.stderr
    code, out = extract(extracted, capsys)  # and it stays so
    assert code == 0 and (extracted / PO).read_text(encoding="utf-8") == text
