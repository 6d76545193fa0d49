"""docloc serve: a saved catalog shows in the served page, and open pages learn of it."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import polib
import pytest
from browser_util import docloc_serving

from pipeline import reads
from pipeline.build import Session, build
from pipeline.config import Config

ROOT = Path(__file__).resolve().parent.parent


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def test_saved_catalog_is_served_and_the_version_moves(project, monkeypatch):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    with docloc_serving(project) as base:
        assert "Politique de confidentialité" in fetch(base + "fr-fr/privacy-policy/")
        version = fetch(base + "__docloc/version")
        path = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
        po = polib.pofile(str(path))
        next(e for e in po if e.msgid == "Data we collect").msgstr = "Les données que nous recueillons"
        po.save(str(path))
        # The server holds this request until a build lands (or 20 s pass).
        assert fetch(base + "__docloc/version?since=" + version) != version
        assert "Les données que nous recueillons" in fetch(base + "fr-fr/privacy-policy/")


def test_only_served_pages_carry_the_reload_script(project, monkeypatch):
    """A built site asks no host for /__docloc/version (a 404 everywhere but serve);
    the pages serve sends carry the script, once, before </body>."""
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    with docloc_serving(project) as base:
        built = [p for p in (project / "site").rglob("*")
                 if p.is_file() and p.suffix in (".html", ".js", ".css", ".json")]
        assert built and not [p for p in built if b"__docloc" in p.read_bytes()]
        page = fetch(base + "fr-fr/privacy-policy/")
        assert page.count('<script src="/__docloc/assets/live.js"></script>') == 1
        assert page.index("/__docloc/assets/live.js") < page.rindex("</body>")
        assert "Politique de confidentialité" in page
        script = fetch(base + "__docloc/assets/live.js")
        assert "/__docloc/version" in script and "location.reload()" in script
        assert raw_request(base, "/__docloc/assets/nothing.js")[0] == 404


# -- what a save rebuilds (docloc serve's quick builds, build.Session) ------------------

def stamps(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture(params=["relative paths", "absolute paths"])
def served(project, monkeypatch, request):
    """A built project and the session docloc serve keeps after its first build,
    named as the CLI names it (relative to the working folder) or absolutely."""
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    base = Path() if request.param == "relative paths" else project
    config = Config(content=base / "content", locales=base / "locales", site=base / "site")
    session = Session()
    reads.remember()  # as serve does: files read again only when they change
    try:
        build(config, jobs=1, session=session)
        session.settle()
        session.quick = True
        yield config, session
    finally:
        reads.remember(False)


def save_translation(config: Config, msgid: str, msgstr: str, *, fuzzy: bool = False) -> None:
    path = config.locales / "fr_FR/LC_MESSAGES/privacy-policy.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == msgid)
    entry.msgstr = msgstr
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save(str(path))


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {k for k in after if before.get(k) != after[k]} | (before.keys() - after.keys())


def test_saved_catalog_rewrites_its_page_and_the_search_index_only(served):
    config, session = served
    before = stamps(config.site)
    index_path = config.site / "fr-fr/search/search_index.json"
    pages_before = {d["location"].partition("#")[0]
                    for d in json.loads(index_path.read_text("utf-8"))["docs"]}
    save_translation(config, "Data we collect", "Les données que nous recueillons")
    report = build(config, jobs=1, session=session)
    assert report.rebuilt == ["fr-FR"]
    rewritten = changed(before, stamps(config.site))
    assert "fr-fr/privacy-policy/index.html" in rewritten
    assert "fr-fr/search/search_index.json" in rewritten
    pages = {p for p in rewritten if p.endswith("index.html")}
    # The page, and the pages MkDocs always writes (404 and sitemap aside): nothing else.
    assert pages == {"fr-fr/privacy-policy/index.html"}, pages
    assert not any(p.startswith(("en-us/", "de-de/", "ar-sa/")) for p in rewritten)
    page = (config.site / "fr-fr/privacy-policy/index.html").read_text(encoding="utf-8")
    assert "Les données que nous recueillons" in page
    index = json.loads(index_path.read_text("utf-8"))
    texts = [d["title"] + d["text"] for d in index["docs"]]
    assert any("Les données que nous recueillons" in t for t in texts)
    # Every other page is still in the index, once.
    locations = [d["location"] for d in index["docs"]]
    assert len(locations) == len(set(locations))
    assert {loc.partition("#")[0] for loc in locations} == pages_before


def test_each_save_builds_only_the_language_it_changed(served):
    """A language built in place stays as it is while saves change other languages."""
    config, session = served
    save_translation(config, "Data we collect", "Les données que nous recueillons")
    assert build(config, jobs=1, session=session).rebuilt == ["fr-FR"]
    path = config.locales / "de_DE/LC_MESSAGES/privacy-policy.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == "Data we collect")
    entry.msgstr = "Erhobene Daten"
    po.save(str(path))
    assert build(config, jobs=1, session=session).rebuilt == ["de-DE"]
    save_translation(config, "Data we collect", "Données recueillies")
    assert build(config, jobs=1, session=session).rebuilt == ["fr-FR"]
    assert "Erhobene Daten" in (config.site / "de-de/privacy-policy/index.html").read_text("utf-8")
    assert "Données recueillies" in (config.site / "fr-fr/privacy-policy/index.html"
                                     ).read_text("utf-8")


def test_a_saved_image_is_published_again(served):
    """Assets are read again only when they change (serve keeps what it read)."""
    config, session = served
    image = next(p for p in sorted((config.content / "fr-FR" / "media").rglob("*")) if p.is_file())
    published = config.site / "fr-fr" / image.relative_to(config.content / "fr-FR").as_posix()
    assert published.read_bytes() == image.read_bytes()
    image.write_bytes(image.read_bytes() + b"\n<!-- saved again -->\n")
    build(config, jobs=1, session=session)
    assert published.read_bytes() == image.read_bytes()


def test_translation_marked_fuzzy_updates_the_coverage_page_too(served):
    config, session = served
    coverage = config.site / "fr-fr/docloc-coverage/index.html"
    old = coverage.read_text(encoding="utf-8")
    before = stamps(config.site)
    save_translation(config, "Data we collect", "Données recueillies ?", fuzzy=True)
    build(config, jobs=1, session=session)
    rewritten = changed(before, stamps(config.site))
    assert {"fr-fr/docloc-coverage/index.html", "fr-fr/assets/coverage.svg",
            "fr-fr/privacy-policy/index.html"} <= rewritten
    assert coverage.read_text(encoding="utf-8") != old
    page = (config.site / "fr-fr/privacy-policy/index.html").read_text(encoding="utf-8")
    assert 'class="docloc-fallback">Data we collect' in page


def test_full_build_after_quick_ones_gives_the_canonical_site(served, tmp_path):
    config, session = served
    save_translation(config, "Data we collect", "Les données que nous recueillons")
    build(config, jobs=1, session=session)
    build(config, jobs=1)  # docloc build: the languages served quickly are built anew
    fresh = tmp_path / "fresh"
    shutil.copytree(config.content, fresh / "content")
    shutil.copytree(config.locales, fresh / "locales")
    build(Config(content=fresh / "content", locales=fresh / "locales", site=fresh / "site"),
          jobs=1)
    ours = {k: (config.site / k).read_bytes() for k in stamps(config.site)}
    theirs = {k: (fresh / "site" / k).read_bytes() for k in stamps(fresh / "site")}
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []


def test_navigation_change_builds_the_language_in_full(served):
    config, session = served
    toc = config.content / "fr-FR" / "TOC.md"
    if not toc.is_file():
        pytest.skip("default content has no French TOC.md")
    before = stamps(config.site)
    toc.write_text(toc.read_text(encoding="utf-8").replace("](", "](", 1) + "\n# [Extra](privacy-policy.md)\n",
                   encoding="utf-8")
    build(config, jobs=1, session=session)
    rewritten = changed(before, stamps(config.site))
    fr_pages = {p for p in before if p.startswith("fr-fr/") and p.endswith("index.html")}
    assert fr_pages <= rewritten  # every page's navigation is new


def test_saved_page_from_the_vendor_rewrites_that_page_only(served):
    """A vendor's page saved with a new target: its catalog follows, the French page
    is rebuilt, no other page. (The English of a page comes from the first locale
    holding it, ar-SA here, so it stays.)"""
    config, session = served
    before = stamps(config.site)
    page = config.content / "fr-FR/privacy-policy.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(">Données que nous collectons<", ">Données collectées<"),
                    encoding="utf-8")
    report = build(config, jobs=1, session=session)
    assert report.rebuilt == ["fr-FR"]
    rewritten = {p for p in changed(before, stamps(config.site)) if p.endswith("index.html")}
    assert rewritten == {"fr-fr/privacy-policy/index.html"}
    assert "Données collectées" in (config.site / "fr-fr/privacy-policy/index.html"
                                    ).read_text("utf-8")


@pytest.fixture
def with_includes(project):
    """A page of the team's that includes another and shows a code snippet."""
    english = project / "content" / "en-US"
    (english / "includes").mkdir()
    (english / "includes" / "shared-note.md").write_text("Shared note, first text.\n",
                                                         encoding="utf-8")
    (english / "snippets").mkdir()
    (english / "snippets" / "hello.py").write_text('print("first")\n', encoding="utf-8")
    (english / "with-includes.md").write_text(
        "# With includes\n\n[!INCLUDE [note](includes/shared-note.md)]\n\n"
        "[!code-python[hello](snippets/hello.py)]\n", encoding="utf-8")
    return project


@pytest.mark.parametrize("project_with", ["with_includes"])
def test_a_saved_include_or_snippet_shows_in_the_pages_that_use_them(project_with, request,
                                                                      monkeypatch):
    """A page's render is remembered with what it read: a saved include file or code
    snippet is rendered into the page again, and nothing else changes."""
    project = request.getfixturevalue(project_with)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site")
    session = Session()
    reads.remember()
    try:
        build(config, jobs=1, session=session)
        session.settle()
        session.quick = True
        page = config.site / "en-us" / "with-includes" / "index.html"
        html = page.read_text(encoding="utf-8")
        assert "Shared note, first text." in html and "first" in html
        include = config.content / "en-US" / "includes" / "shared-note.md"
        include.write_text("Shared note, second text.\n", encoding="utf-8")
        build(config, jobs=1, session=session)
        html = page.read_text(encoding="utf-8")
        assert "Shared note, second text." in html and "first text" not in html
        snippet = config.content / "en-US" / "snippets" / "hello.py"
        snippet.write_text('print("second")\n', encoding="utf-8")
        build(config, jobs=1, session=session)
        html = page.read_text(encoding="utf-8")
        assert "second" in html and "&quot;first&quot;" not in html and '"first"' not in html
        before = stamps(config.site)
        report = build(config, jobs=1, session=session)  # nothing moved: nothing built
        assert report.rebuilt == [] and changed(before, stamps(config.site)) == set()
    finally:
        reads.remember(False)


def test_save_made_the_moment_serve_is_ready_is_built(project, monkeypatch):
    """A writer who saves as soon as the URL appears: that save is not absorbed."""
    import threading

    from pipeline.serve import serve

    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site")
    reports, stop = [], threading.Event()

    def save_now(url: str) -> None:
        save_translation(config, "Data we collect", "Données recueillies à l'instant")

    thread = threading.Thread(target=serve, kwargs=dict(
        config=config, host="127.0.0.1", port=0, jobs=1, on_build=reports.append,
        stop=stop, on_ready=save_now, poll=0.05), daemon=True)
    thread.start()
    try:
        page = config.site / "fr-fr/privacy-policy/index.html"
        for _ in range(600):
            if len(reports) >= 2 and "Données recueillies à l" in page.read_text("utf-8"):
                break
            stop.wait(0.1)
        assert len(reports) >= 2, "the save made at start was never built"
    finally:
        stop.set()
        thread.join(timeout=30)


# -- what serve answers, and to whom (a preview on loopback, never a traceback) -----------

def raw_request(base: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    import http.client
    import urllib.parse

    address = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host if host is not None else address.netloc)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_serve_answers_loopback_names_only(project, monkeypatch, capfd):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    with docloc_serving(project) as base:
        port = base.rstrip("/").rsplit(":", 1)[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost"):
            status, body = raw_request(base, "/fr-fr/privacy-policy/", host)
            assert status == 200 and "Politique de confidentialité".encode() in body, host
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", ""):
            status, body = raw_request(base, "/fr-fr/privacy-policy/", host)
            assert status == 421, host
            assert "Politique de confidentialité".encode() not in body
    assert "Traceback" not in capfd.readouterr().err


def test_bad_and_unknown_paths_get_400_and_the_sites_own_404(project, monkeypatch, capfd):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    with docloc_serving(project) as base:
        for path in ("/%00", "/fr-fr/%00/", "/%zz", "/%ff%fe", "/fr-fr/%0d%0a"):
            assert raw_request(base, path)[0] == 400, path
        status, body = raw_request(base, "/fr-fr/no-such-page/")
        own_404 = (project / "site/fr-fr/404.html").read_bytes()
        assert status == 404 and own_404.rpartition(b"</body>")[0] in body
        assert raw_request(base, "/no-such-thing.txt")[0] == 404
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err


def test_client_that_goes_away_is_no_error(project, monkeypatch, capfd):
    import socket
    import urllib.parse

    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    with docloc_serving(project) as base:
        address = urllib.parse.urlsplit(base)
        for _ in range(20):
            sock = socket.create_connection((address.hostname, address.port))
            sock.sendall(b"GET /fr-fr/privacy-policy/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()  # reset before the page is sent
        assert raw_request(base, "/fr-fr/privacy-policy/")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_a_save_that_meets_another_runs_lock_is_built_when_it_is_free(project, monkeypatch):
    from pipeline.files import project_lock

    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    with docloc_serving(project) as base:
        version = fetch(base + "__docloc/version")
        with project_lock(project / "locales", "build"):
            path = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
            po = polib.pofile(str(path))
            next(e for e in po if e.msgid == "Data we collect").msgstr = "Données sous verrou"
            po.save(str(path))
            import time
            time.sleep(1.5)  # serve meets the lock at least once
            assert "Données sous verrou" not in fetch(base + "fr-fr/privacy-policy/")
        assert fetch(base + "__docloc/version?since=" + version) != version
        assert "Données sous verrou" in fetch(base + "fr-fr/privacy-policy/")
