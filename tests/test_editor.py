"""docloc serve --edit: the editing API on a real server over a copy of the default content.

The contract (README): ``GET /__docloc/api/entries?page=<site path>`` lists a page's
entries; ``PUT /__docloc/api/entries/<id>`` with ``{"msgstr", "fuzzy", "revision"}``
and the page's ``X-Docloc-Token`` saves one: 200, 400 (the entry would break),
403 (no token, another Origin or Host), 409 (the file changed since).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pipeline import catalog as cat
from pipeline import catalog_po
from pipeline.config import Config
from pipeline.editor import splice
from pipeline.files import LockHeld, project_lock
from pipeline.serve import serve

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/fr-fr/privacy-policy/"
PO = "locales/fr_FR/LC_MESSAGES/privacy-policy.po"


@contextlib.contextmanager
def serving(project: Path, *, edit: bool):
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site", mkdocs=project / "mkdocs.yml")
    ready, stop = [], threading.Event()
    thread = threading.Thread(target=serve, kwargs=dict(
        config=config, host="127.0.0.1", port=0, jobs=1, on_build=lambda report: None,
        stop=stop, on_ready=ready.append, poll=0.05, edit=edit), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 180
        while not ready and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready, "docloc serve did not start"
        yield ready[0].rstrip("/")
    finally:
        stop.set()
        thread.join(timeout=30)


def new_project(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """A project served with --edit: (base URL, token, project folder)."""
    project = new_project(tmp_path_factory.mktemp("edit") / "project")
    with serving(project, edit=True) as base:
        page = request(base, "GET", PAGE)[1].decode("utf-8")
        token = re.search(r'<meta name="docloc-token" content="([^"]+)">', page).group(1)
        yield base, token, project


def request(base: str, method: str, path: str, body: object = None,
            headers: dict | None = None) -> tuple[int, bytes]:
    address = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Host": address.netloc, **(headers or {})}
    connection.putrequest(method, path, skip_host=True)
    for name, value in sent.items():
        connection.putheader(name, value)
    if data is not None:
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, payload


def entries(base: str, page: str = PAGE) -> list[dict]:
    status, body = request(base, "GET", "/__docloc/api/entries?page=" + urllib.parse.quote(page))
    assert status == 200, body
    return json.loads(body)


def entry(base: str, msgid: str, page: str = PAGE) -> dict:
    return next(e for e in entries(base, page) if e["msgid"] == msgid)


def put(base: str, token: str | None, found: dict, msgstr: str, *, fuzzy: bool = False,
        revision: str | None = None, origin: str | None = "", host: str | None = None
        ) -> tuple[int, dict]:
    headers = {}
    if token is not None:
        headers["X-Docloc-Token"] = token
    if origin is not None:
        headers["Origin"] = origin or base
    if host is not None:
        headers["Host"] = host
    status, body = request(base, "PUT", "/__docloc/api/entries/" + found["id"],
                           {"msgstr": msgstr, "fuzzy": fuzzy,
                            "revision": found["revision"] if revision is None else revision},
                           headers)
    return status, json.loads(body) if body.startswith(b"{") else {}


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def settled(base: str) -> list[dict]:
    """The page's entries once the catalog is at rest: serve's own rebuild after a
    start or an earlier save may still be writing it."""
    found = entries(base)
    for _ in range(40):
        time.sleep(0.3)
        again = entries(base)
        if [e["revision"] for e in again] == [e["revision"] for e in found]:
            return again
        found = again
    return found


def served_page(base: str, path: str = PAGE) -> str:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.read().decode("utf-8")


# -- reading ---------------------------------------------------------------------------

def test_entries_of_a_page_follow_the_contract(editing):
    base, _, project = editing
    found = entries(base)
    data = (project / PO).read_bytes()
    catalog = catalog_po.load(data, PO)
    assert [e["msgid"] for e in found] == [e.msgid for e in catalog.active()]
    first = found[0]
    assert set(first) >= {"id", "locale", "catalog", "msgctxt", "msgid", "msgstr", "fuzzy",
                          "flags", "comments", "previous", "findings", "suggestions",
                          "revision"}
    assert first["locale"] == "fr-FR" and first["catalog"] == "fr_FR/LC_MESSAGES/privacy-policy.po"
    assert first["msgid"] == "Contoso Cloud privacy policy"
    assert first["msgstr"] == "Politique de confidentialité de Contoso Cloud"
    assert {e["revision"] for e in found} == {__import__("hashlib").sha1(data).hexdigest()}
    assert len({e["id"] for e in found}) == len(found)
    assert [e["id"] for e in entries(base)] == [e["id"] for e in found]  # stable


def test_unknown_pages_and_languages_are_404_with_a_reason(editing):
    base = editing[0]
    for page in ("/fr-fr/no-such-page/", "/xx-yy/privacy-policy/", "/en-us/privacy-policy/"):
        status, body = request(base, "GET", "/__docloc/api/entries?page=" + page)
        assert status == 404 and json.loads(body)["error"], page


def test_a_page_missing_in_a_locale_lists_its_english_untranslated(editing):
    base, _, project = editing
    assert not (project / "content/ar-SA/acceptable-use.md").exists()
    found = entries(base, "/ar-sa/acceptable-use/")
    assert found and all(e["msgstr"] == "" and e["state"] == "untranslated" and e["missing"]
                         for e in found)
    assert found[0]["catalog"] == "ar_SA/LC_MESSAGES/acceptable-use.po"
    assert found[0]["revision"] == ""
    # The locale's memory offers the title it translated elsewhere.
    title = next(e for e in found if e["msgid"] == "Acceptable use policy")
    assert title["suggestions"] and title["suggestions"][0]["score"] == 100


# -- saving ----------------------------------------------------------------------------

def test_save_writes_that_entry_only_and_the_page_shows_it(editing):
    base, token, project = editing
    before = (project / PO).read_text("utf-8")
    found = entry(base, "Data we collect")
    status, saved = put(base, token, found, "Les données que nous recueillons")
    assert status == 200, saved
    assert saved["msgstr"] == "Les données que nous recueillons" and saved["id"] == found["id"]
    after = (project / PO).read_text("utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n")) if a != b]
    assert changed == [('msgstr "Données que nous collectons"',
                        'msgstr "Les données que nous recueillons"')]
    assert saved["revision"] == __import__("hashlib").sha1(after.encode()).hexdigest()
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(project / PO)], check=True)
    assert wait_for(lambda: "Les données que nous recueillons" in served_page(base))


def test_save_as_fuzzy_falls_back_to_english_and_clearing_it_drops_previous(editing):
    base, token, project = editing
    found = entry(base, "Account data.")
    status, saved = put(base, token, found, "Données du compte ?", fuzzy=True)
    assert status == 200 and saved["fuzzy"] and saved["state"] == "fuzzy"
    catalog = catalog_po.load((project / PO).read_bytes(), PO)
    assert catalog.by_key()[(None, "Account data.")].fuzzy
    assert wait_for(lambda: 'class="docloc-fallback">Account data.' in served_page(base))
    status, saved = put(base, token, entry(base, "Account data."), "Données de compte.")
    assert status == 200 and not saved["fuzzy"] and saved["previous"] is None


def test_a_changed_file_is_a_conflict_with_both_texts_and_nothing_written(editing):
    base, token, project = editing
    found = entry(base, "Usage data.")
    path = project / PO
    text = path.read_text("utf-8")
    theirs = text.replace(f'msgstr "{found["msgstr"]}"', 'msgstr "Données conservées (autre)"')
    assert theirs != text
    path.write_text(theirs, encoding="utf-8")  # another tool saved it meanwhile
    status, body = put(base, token, found, "Données que nous gardons")
    assert status == 409
    assert body["yours"]["msgstr"] == "Données que nous gardons"
    assert body["theirs"]["msgstr"] == "Données conservées (autre)"
    # Not overwritten (serve's own rebuild may add its vendor: note meanwhile).
    assert catalog_po.load(path.read_bytes(), PO).by_key()[(None, "Usage data.")].msgstr == \
        "Données conservées (autre)"


def test_concurrent_saves_of_one_revision_write_one_and_refuse_the_other(editing):
    base, token, project = editing
    found = settled(base)
    a, b = found[1], found[2]
    results = []
    threads = [threading.Thread(target=lambda e=e, t=t: results.append(put(base, token, e, t)[0]))
               for e, t in ((a, "Texte A."), (b, "Texte B."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    catalog = catalog_po.load((project / PO).read_bytes(), PO).by_key()
    texts = {catalog[(e["msgctxt"], e["msgid"])].msgstr for e in (a, b)}
    assert len(texts & {"Texte A.", "Texte B."}) == 1


def test_a_save_while_an_extract_runs_waits_for_its_lock(editing):
    base, token, project = editing
    held = threading.Event()
    settled(base)

    def extract_running():
        deadline = time.monotonic() + 60
        while True:  # serve's own rebuild after an earlier save may hold it first
            try:
                with project_lock(project / "locales", "extract"):
                    held.set()
                    time.sleep(1.0)
                return
            except LockHeld:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    thread = threading.Thread(target=extract_running)
    thread.start()
    assert held.wait(60)
    found = entry(base, "Data we collect")  # read under the lock: nothing else writes now
    started = time.monotonic()
    status, saved = put(base, token, found, "Données recueillies après le verrou")
    thread.join()
    assert status == 200, saved
    assert time.monotonic() - started >= 0.5  # it waited for the lock, then wrote
    assert "Données recueillies après le verrou" in (project / PO).read_text("utf-8")


def test_a_msgstr_that_breaks_its_entry_is_400_with_findings(editing):
    base, token, project = editing
    before = (project / PO).read_bytes()
    link = entry(base, "Return to the [policy center](index.md).")
    status, body = put(base, token, link, "Revenir au centre des politiques.")
    assert status == 400 and any(f["check"] == "md-link" for f in body["findings"])
    status, body = put(base, token, link, "Revenir au [centre](index.md).\n")
    assert status == 400 and "newline" in body["error"]
    assert (project / PO).read_bytes() == before


def test_saves_without_token_from_another_origin_or_host_are_403(editing):
    base, token, project = editing
    before = (project / PO).read_bytes()
    found = entry(base, "Data we collect")
    port = urllib.parse.urlsplit(base).port
    assert put(base, None, found, "x")[0] == 403
    assert put(base, "not-the-token", found, "x")[0] == 403
    assert put(base, token, found, "x", origin="http://evil.example")[0] == 403
    assert put(base, token, found, "x", origin=f"http://127.0.0.1:{port + 1}")[0] == 403
    assert put(base, token, found, "x", host="evil.example")[0] == 403
    assert request(base, "POST", "/__docloc/api/entries/" + found["id"], {})[0] == 405
    assert (project / PO).read_bytes() == before


def test_plain_serve_is_read_only(tmp_path):
    project = new_project(tmp_path / "project")
    with serving(project, edit=False) as base:
        page = served_page(base)
        assert "docloc-token" not in page and "editor.js" not in page
        assert request(base, "GET", "/__docloc/api/entries?page=" + PAGE)[0] == 404
        assert request(base, "PUT", "/__docloc/api/entries/abc", {"msgstr": ""},
                       {"X-Docloc-Token": "x"})[0] == 405
        assert request(base, "POST", PAGE, {})[0] == 405



# -- the command line ----------------------------------------------------------------------

def test_serve_help_names_the_edit_flag_and_says_plain_serve_is_read_only(capsys):
    from pipeline.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--edit" in text and "editor panel" in text
    assert "without --edit, serve is read-only" in text


def _cli_serve(project: Path, *extra: str):
    """``python -m pipeline serve`` on ``project`` (port 0): (process, base URL)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--content", "content", "--locales",
         "locales", "--site", "site", "--port", "0", *extra], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = []
    for line in process.stdout:
        lines.append(line)
        found = re.search(r"serving .* on (http://\S+?)/? ", line)
        if found:
            return process, found.group(1).rstrip("/")
    process.wait()
    raise AssertionError("docloc serve did not start:\n" + "".join(lines))


def test_only_serve_edit_on_the_command_line_sends_pages_the_token_and_panel(tmp_path):
    project = new_project(tmp_path / "project")
    for extra, editing_on in (((), False), (("--edit",), True)):
        process, base = _cli_serve(project, *extra)
        try:
            page = served_page(base)
            status = request(base, "GET", "/__docloc/api/entries?page=" + PAGE)[0]
        finally:
            process.terminate()
            process.wait(timeout=30)
        assert ('<meta name="docloc-token"' in page) is editing_on
        assert ("/__docloc/assets/editor.js" in page) is editing_on
        assert status == (200 if editing_on else 404)

# -- the splice (decision 3 of pipeline/editor.py) ---------------------------------------

def test_splice_of_a_docloc_catalog_is_what_extract_would_write(editing):
    synthetic = catalog_po.dumps(cat.Catalog("p.md", "fr-FR", (
        cat.Entry("One", "Un", references=("fr-FR/p.md:3",), ids=("1",)),
        cat.Entry("Two\nlines", "Deux\nlignes", msgctxt="Head", ids=("2",),
                  previous_msgid="Two", flags=("fuzzy", "md-text"), comments=("mine",)),
        cat.Entry("Three", "Trois"))))
    for text in (synthetic, (editing[2] / PO).read_text("utf-8")):
        catalog = catalog_po.loads(text, "p.po")
        for old in catalog.active():
            new = replace_entry(old, "Nouveau\ntexte" if "\n" in old.msgid else "Nouveau")
            expected = catalog_po.dumps(cat.Catalog(catalog.page, catalog.locale, tuple(
                new if e is old else e for e in catalog.entries), catalog.meta))
            assert splice(text, old, new) == expected, old.msgid


def replace_entry(old: cat.Entry, msgstr: str) -> cat.Entry:
    from dataclasses import replace
    return replace(old, msgstr=msgstr, previous_msgid=None).with_flag("fuzzy", False)


def test_splice_keeps_every_other_byte_of_a_catalog_another_tool_wrapped():
    text = ('# Translator header\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '#: a.md:1\nmsgid ""\n"A long source "\n"wrapped by Poedit"\nmsgstr ""\n'
            '"Une longue source "\n"repliée par Poedit"\n\n'
            '# note\n#, fuzzy\n#| msgid "Old"\nmsgid "Second"\nmsgstr "Deuxième"\n\n'
            '#~ msgid "Gone"\n#~ msgstr "Parti"\n')
    catalog = catalog_po.loads(text, "x.po")
    first, second = catalog.entries[0], catalog.entries[1]
    out = splice(text, second, replace_entry(second, "Seconde"))
    assert out == text.replace('# note\n#, fuzzy\n#| msgid "Old"\nmsgid "Second"\n'
                               'msgstr "Deuxième"', '# note\nmsgid "Second"\nmsgstr "Seconde"')
    out = splice(text, first, replace_entry(first, "Court"))
    assert out.startswith(text[:text.index("#: a.md:1")])
    assert out.endswith(text[text.index("\n\n# note"):])
    assert catalog_po.loads(out, "x.po").entries[0].msgstr == "Court"


# -- every field of the contract, one by one -------------------------------------------

DR_PO = "locales/fr_FR/LC_MESSAGES/data-retention.po"
LINKED = ("For the data we collect, see the [privacy policy](privacy-policy.md#data-we-"
          "collect).")


def test_every_field_of_an_entry_says_what_its_catalog_holds(editing):
    """A translator marked one entry fuzzy in Poedit (with its old source and a comment)
    and broke another's link: the API lists each field as the file holds it."""
    base, _, project = editing
    path = project / DR_PO
    text = path.read_text("utf-8")
    marked = text.replace('#: fr-FR/data-retention.md:13\nmsgid "This page lists',
                          '# Checked with legal\n#: fr-FR/data-retention.md:13\n#, fuzzy\n'
                          '#| msgid "This page lists the period for each data type."\n'
                          'msgid "This page lists', 1)
    marked = marked.replace('"confidentialité](privacy-policy.md#data-we-collect)."',
                            '"confidentialité."', 1)
    assert marked.count("Checked with legal") == 1 and 'confidentialité."' in marked
    path.write_text(marked, encoding="utf-8")
    page = "/fr-fr/data-retention/"
    wait_for(lambda: any(e["fuzzy"] for e in entries(base, page)))
    found = {e["msgid"]: e for e in entries(base, page)}
    data = path.read_bytes()
    held = catalog_po.load(data, DR_PO).by_key()
    fuzzy = found["This page lists the retention period for each type of data."]
    assert re.fullmatch(r"[0-9a-f]{20}", fuzzy["id"])
    assert fuzzy["locale"] == "fr-FR"
    assert fuzzy["catalog"] == "fr_FR/LC_MESSAGES/data-retention.po"
    assert fuzzy["msgctxt"] is None
    assert fuzzy["msgstr"] == "Cette page indique la durée de conservation de chaque type de données."
    assert fuzzy["fuzzy"] is True and fuzzy["state"] == "fuzzy"
    assert "fuzzy" in fuzzy["flags"]
    assert fuzzy["comments"] == ["Checked with legal"]
    assert fuzzy["previous"] == "This page lists the period for each data type."
    assert fuzzy["notes"] == list(held[(None, fuzzy["msgid"])].notes)  # vendor notes (#.)
    assert fuzzy["findings"] == []
    assert isinstance(fuzzy["suggestions"], list)
    assert fuzzy["revision"] == __import__("hashlib").sha1(data).hexdigest()
    broken = found[LINKED]
    assert [f["check"] for f in broken["findings"]] == ["md-link"]
    assert broken["findings"][0]["severity"] == "error" and broken["findings"][0]["message"]
    assert broken["state"] == "translated" and broken["previous"] is None
    assert broken["comments"] == [] and broken["flags"] == list(held[(None, LINKED)].flags) == []
    for item in found.values():  # every entry: what the file holds
        entry = held[(item["msgctxt"], item["msgid"])]
        assert (item["msgstr"], item["fuzzy"], item["previous"]) == \
            (entry.msgstr, entry.fuzzy, entry.previous_msgid)


def test_a_saved_entry_is_returned_whole_with_the_files_new_revision(editing):
    base, token, project = editing
    settled(base)
    found = entry(base, "Account data.")
    status, saved = put(base, token, found, "Les données du compte.")
    assert status == 200
    assert set(saved) >= {"id", "locale", "catalog", "msgctxt", "msgid", "msgstr", "fuzzy",
                          "flags", "comments", "previous", "findings", "suggestions",
                          "revision"}
    assert (saved["id"], saved["catalog"], saved["msgid"]) == \
        (found["id"], found["catalog"], found["msgid"])
    assert saved["revision"] != found["revision"] and saved["findings"] == []
    status, again = put(base, token, found, "Encore.")  # the revision it listed is gone
    assert status == 409 and again["revision"] != found["revision"]  # the file's current one
    assert again["theirs"]["msgstr"] == "Les données du compte."


def test_an_unknown_id_or_a_body_without_revision_is_refused(editing):
    base, token, _ = editing
    status, body = request(base, "PUT", "/__docloc/api/entries/0123456789abcdef0123",
                           {"msgstr": "x", "fuzzy": False, "revision": ""},
                           {"X-Docloc-Token": token, "Origin": base})
    assert status == 404 and "GET /__docloc/api/entries" in json.loads(body)["error"]
    found = entry(base, "Data we collect")
    status, body = request(base, "PUT", "/__docloc/api/entries/" + found["id"],
                           {"msgstr": "x"}, {"X-Docloc-Token": token, "Origin": base})
    assert status == 400 and "revision" in json.loads(body)["error"]


# -- a page missing in a locale, and what extract does next (no server: no rebuild races)

def _project_with_catalogs(root: Path):
    from pipeline.extract import extract

    project = new_project(root)
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site", mkdocs=project / "mkdocs.yml")
    extract(config.content, config.locales, workers=1)
    return config


def test_a_missing_pages_catalog_is_created_as_extract_writes_catalogs(tmp_path):
    from pipeline.editor import Editor

    config = _project_with_catalogs(tmp_path / "project")
    po = config.locales / "ar_SA/LC_MESSAGES/acceptable-use.po"
    assert not po.exists()
    editor = Editor(config)
    found = next(e for e in editor.entries("/ar-sa/acceptable-use/")
                 if e["msgid"] == "Acceptable use policy")
    saved = editor.save(found["id"], {"msgstr": "سياسة الاستخدام المقبول", "fuzzy": False,
                                      "revision": ""})
    data = po.read_bytes()
    assert saved["revision"] == __import__("hashlib").sha1(data).hexdigest()
    created = catalog_po.load(data, str(po))
    # The English page's entries, in its order, with that one translated:
    english = catalog_po.load((config.locales / "de_DE/LC_MESSAGES/acceptable-use.po").read_bytes(),
                       "de.po")
    assert [e.msgid for e in created.active()] == [e.msgid for e in english.active()]
    assert [e.msgstr for e in created.active() if e.msgstr] == ["سياسة الاستخدام المقبول"]
    assert created.locale == "ar-SA" and "Language: ar_SA\\n" in data.decode("utf-8")
    # Its header names this locale, not the other locale's page the English came from:
    assert created.meta == {"ms.contentlocale": "ar-SA", "ms.sourcegitcommit": "3f2a9c1"}
    assert data.decode("utf-8") == catalog_po.dumps(created)  # extract's formatter, byte for byte
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_extract_after_a_save_on_a_missing_page_writes_nothing_new_and_keeps_it(tmp_path):
    from pipeline.editor import Editor
    from pipeline.extract import extract

    config = _project_with_catalogs(tmp_path / "project")
    po = config.locales / "ar_SA/LC_MESSAGES/acceptable-use.po"
    editor = Editor(config)
    found = next(e for e in editor.entries("/ar-sa/acceptable-use/")
                 if e["msgid"] == "Acceptable use policy")
    editor.save(found["id"], {"msgstr": "سياسة الاستخدام المقبول", "fuzzy": False,
                              "revision": ""})
    before = po.read_bytes()
    report = extract(config.content, config.locales, workers=1)
    assert "ar_SA/LC_MESSAGES/acceptable-use.po" not in report.written
    assert po.read_bytes() == before
    assert catalog_po.load(po.read_bytes(), str(po)).by_key()[(None, "Acceptable use policy")] \
        .msgstr == "سياسة الاستخدام المقبول"


def test_a_missing_pages_catalog_follows_the_english_and_keeps_the_translators_text(tmp_path):
    """Once the panel made it, extract keeps that catalog up to date, never retires it."""
    from pipeline.editor import Editor
    from pipeline.extract import extract

    config = _project_with_catalogs(tmp_path / "project")
    po = config.locales / "ar_SA/LC_MESSAGES/acceptable-use.po"
    editor = Editor(config)
    found = next(e for e in editor.entries("/ar-sa/acceptable-use/")
                 if e["msgid"] == "Acceptable use policy")
    editor.save(found["id"], {"msgstr": "سياسة الاستخدام المقبول", "fuzzy": False,
                              "revision": ""})
    for page in config.content.glob("*/acceptable-use.md"):  # the English of a new drop
        text = page.read_text(encoding="utf-8")
        assert ">Prohibited activities<" in text
        page.write_text(text.replace(">Prohibited activities<", ">Activities we prohibit<"),
                        encoding="utf-8")
    report = extract(config.content, config.locales, workers=1)
    assert "ar_SA/LC_MESSAGES/acceptable-use.po" in report.written
    entries = catalog_po.load(po.read_bytes(), str(po)).by_key()
    assert entries[(None, "Acceptable use policy")].msgstr == "سياسة الاستخدام المقبول"
    assert not entries[(None, "Acceptable use policy")].obsolete
    new = entries[(None, "Activities we prohibit")]
    assert not new.obsolete and "Activit" not in new.msgstr  # no French text in Arabic
    assert "ar-SA" in po.read_text(encoding="utf-8")  # the header speaks of its own locale
    fr = config.locales / "fr_FR/LC_MESSAGES/acceptable-use.po"
    assert catalog_po.load(fr.read_bytes(), str(fr)).by_key()[(None, "Activities we prohibit")] \
        .msgstr == "Activités interdites"


# -- the save rules: the merge keeps it, atomic ------------------------------------------

def test_extract_after_a_save_keeps_it_and_rewrites_nothing(tmp_path):
    from pipeline.editor import Editor
    from pipeline.extract import extract

    config = _project_with_catalogs(tmp_path / "project")
    po = config.locales / "fr_FR/LC_MESSAGES/privacy-policy.po"
    editor = Editor(config)
    found = next(e for e in editor.entries(PAGE) if e["msgid"] == "Data we collect")
    editor.save(found["id"], {"msgstr": "Ce que nous recueillons", "fuzzy": False,
                              "revision": found["revision"]})
    saved = po.read_bytes()
    report = extract(config.content, config.locales, workers=1)
    after = po.read_bytes()
    kept = catalog_po.load(after, str(po)).by_key()[(None, "Data we collect")]
    assert kept.msgstr == "Ce que nous recueillons" and not kept.fuzzy
    # extract adds the vendor's text as a note to an edited entry, and changes no other line
    changed = [line for line in after.decode().split("\n") if line not in saved.decode().split("\n")]
    assert all(line.startswith("#.") for line in changed), changed
    assert "fr_FR/LC_MESSAGES/privacy-policy.po" in report.written or after == saved
    assert extract(config.content, config.locales, workers=1).written == []  # at rest


def test_a_save_that_cannot_be_written_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from pipeline import files
    from pipeline.editor import Editor

    config = _project_with_catalogs(tmp_path / "project")
    po = config.locales / "fr_FR/LC_MESSAGES/privacy-policy.po"
    before = po.read_bytes()
    editor = Editor(config)
    found = next(e for e in editor.entries(PAGE) if e["msgid"] == "Data we collect")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(Exception, match="unchanged"):
        editor.save(found["id"], {"msgstr": "Texte perdu", "fuzzy": False,
                                  "revision": found["revision"]})
    assert po.read_bytes() == before
    assert [p.name for p in po.parent.iterdir() if p.name.endswith(".tmp")] == []


# -- the panel never reaches docloc build's output ----------------------------------------

def test_docloc_build_output_holds_no_panel_token_or_api(tmp_path):
    project = new_project(tmp_path / "project")
    subprocess.run([sys.executable, "-m", "pipeline", "build", "--content", "content",
                    "--locales", "locales", "--site", "site"], cwd=project, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 10
    assert any('lang="fr' in p.read_text("utf-8") for p in pages)
    for built in pages + sorted((project / "site").rglob("*.js")):
        text = built.read_text("utf-8", errors="replace")
        for trace in ("docloc-token", "editor.js", "editor.css", "docloc-editor",
                      "__docloc", "data-docloc-editor"):
            assert trace not in text, (built, trace)
