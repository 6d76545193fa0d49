"""Hostile vendor pages (issue 13, round two): what ``docloc check`` reports of a
page's own markup, what the built page shows of it, and what a browser runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.cli import main


def test_docloc_check_prints_path_line_and_column_and_fails(project, capsys):
    page = project / "content" / "fr-FR" / "index.md"
    text = page.read_text(encoding="utf-8").replace(
        "---\n# ", "---\n<script>alert(1)</script>\n# ", 1)
    page.write_text(text + "\n[x](javascript:alert(1))\n", encoding="utf-8")
    lines = text.count("\n") + 2
    code = main(["check", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), "--no-cache"])
    out = capsys.readouterr().out
    assert code != 0
    assert re.search(rf"{re.escape(str(page))}:11:1: error: <script> is not allowed"
                     r".*\[page-html\]", out), out
    assert f"{page}:{lines}:5: error: unsafe URL 'javascript:alert(1)'" in out, out


# -- a hostile project, built once: what the built pages and a browser show --------------

PWN = "window.__pwned=(window.__pwned||[]).concat(document.location.pathname);alert(1)"
"""What every payload runs if it runs at all: a dialog, and a page-side flag."""
SKELETON_PAYLOADS = (
    f"\n<script>{PWN}</script>\n\n<img src=x onerror=\"{PWN}\">\n\n"
    f"[lien](javascript:{PWN})\n\n<svg onload=\"{PWN}\"></svg>\n\n"
    f"<details open ontoggle=\"{PWN}\"><summary>s</summary></details>\n\n"
    f"<iframe srcdoc=\"<script>parent.{PWN}</script>\"></iframe>\n\n"
    f"<div markdown=\"1\" onmouseover=\"{PWN}\">**md_in_html**</div>\n\n"
    f"{{: onclick=\"{PWN}\" }}\n")
HOSTILE_PAGE = (
    "---\ntitle: \"Hostile <img src=x onerror=alert(21)> &lt;svg onload=alert(22)&gt;\"\n"
    "description: '<script>alert(23)</script> \" onfocus=alert(24) x=\"'\n"
    "ms.contentlocale: fr-FR\n---\n"
    '<span data-ttu-id="z1-101">Bonjour.</span><span class="sxs-lookup">'
    '<span data-stu-id="z1-101">Hello.</span></span>\n')
HOSTILE_TOC_MD = (f"# [Accueil<img src=x onerror=\"{PWN}\">](index.md)\n"
                  f"# [Piège](javascript:{PWN})\n")
HOSTILE_TOC_YML = (f"- name: \"Start<img src=x onerror='{PWN}'>\"\n  href: index.md\n"
                   f"- name: Trap\n  href: \"javascript:{PWN}\"\n")
MSGSTR_PAYLOAD = f"Politique <img src=x onerror=\"{PWN}\"> <script>{PWN}</script>"


def _build(project: Path, *extra: str) -> int:
    import contextlib
    import io
    import os

    cwd, out = os.getcwd(), io.StringIO()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            return main([*extra, "--content", "content", "--locales", "locales"]
                        + (["--site", "site", "--jobs", "1"] if extra[0] == "build" else []))
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The default content with payloads in a skeleton, a front matter, the French
    TOC.md, a German TOC.yml and a French msgstr; built; the site folder."""
    import shutil

    root = Path(__file__).resolve().parent.parent
    project = tmp_path_factory.mktemp("hostile") / "project"
    project.mkdir()
    shutil.copytree(root / "content", project / "content")
    shutil.copy2(root / "mkdocs.yml", project / "mkdocs.yml")
    french, german = project / "content" / "fr-FR", project / "content" / "de-DE"
    index = french / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("---\n# ", "---\n" + SKELETON_PAYLOADS + "\n# ", 1),
                     encoding="utf-8")
    (french / "hostile.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    (french / "TOC.md").write_text(HOSTILE_TOC_MD + (french / "TOC.md").read_text(
        encoding="utf-8"), encoding="utf-8")
    (german / "TOC.md").unlink()
    (german / "TOC.yml").write_text(HOSTILE_TOC_YML, encoding="utf-8")
    assert _build(project, "extract") == 0
    po = project / "locales" / "fr_FR" / "LC_MESSAGES" / "privacy-policy.po"
    catalog = po.read_text(encoding="utf-8")
    first = 'msgstr "Politique de confidentialité de Contoso Cloud"'
    assert first in catalog
    po.write_text(catalog.replace(first, "msgstr " + json_string(MSGSTR_PAYLOAD), 1),
                  encoding="utf-8")
    _build(project, "build")
    assert (project / "site" / "fr-fr" / "hostile" / "index.html").is_file()
    return project / "site"


def json_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_front_matter_markup_is_text_in_title_meta_h1_and_nav(hostile_site):
    soup = _soup(hostile_site / "fr-fr" / "hostile" / "index.html")
    title = soup.find("title")
    assert title.text.startswith("Hostile <svg onload=alert(22)>") and not title.find(True)
    # hostile.md is in no TOC: the nav shows its front matter title too
    description = soup.find("meta", attrs={"name": "description"})
    assert "onfocus" not in description.attrs and description["content"].startswith("alert(23)")
    h1 = soup.find("article").find("h1")
    assert h1.text.strip() == "Hostile <svg onload=alert(22)>" and not h1.find(True)
    links = [a for a in _soup(hostile_site / "fr-fr" / "index.html").find_all("a")
             if a.get("href", "").rstrip("/").endswith("hostile")]
    assert links and all(not a.find(True) and a.text.strip() == "Hostile <svg onload=alert(22)>"
                         for a in links)


def test_no_built_page_has_script_from_content_handlers_or_unsafe_urls(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        soup = _soup(path)
        for script in soup.find_all("script"):
            assert "__pwned" not in script.text and "alert(" not in script.text, path
        for element in soup.find_all(True):
            assert element.name not in ("svg", "iframe") or "srcdoc" not in element.attrs
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (path, element.name, name)
                if name in ("href", "src", "action", "formaction"):
                    assert not re.sub(r"[\x00-\x20]", "", str(value)).lower().startswith(
                        ("javascript:", "data:", "vbscript:")), (path, value)
    french = (hostile_site / "fr-fr" / "index.html").read_text(encoding="utf-8")
    assert "md_in_html" in french and "lien" in french  # the text itself stays visible


def test_a_browser_runs_nothing_from_skeleton_toc_front_matter_or_msgstr(hostile_site):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from browser_util import CHROMIUM, launch, serve

    if not Path(CHROMIUM).is_file():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    urls = ["fr-fr/", "fr-fr/hostile/", "fr-fr/privacy-policy/", "de-de/", "fr-fr/404.html"]
    dialogs: list[str] = []
    with serve(hostile_site) as base, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"),
                                         d.dismiss()))
            for url in urls:
                page.goto(f"{base}/{url}", wait_until="load")
                assert "Politique" in page.content() or url.startswith("de-de")
                # fire at every element the events an inline handler could hang on
                page.evaluate("""() => { for (const e of document.querySelectorAll('*'))
                    for (const t of ['mouseover', 'focus', 'toggle', 'load', 'error'])
                        e.dispatchEvent(new Event(t)); }""")
                page.wait_for_timeout(300)
                assert page.evaluate("window.__pwned || null") is None, url
                assert page.evaluate(
                    "[...document.querySelectorAll('a[href]')].filter(a => "
                    "/^\\s*(javascript|data|vbscript):/i.test(a.getAttribute('href')))"
                    ".length") == 0, url
        finally:
            browser.close()
    assert dialogs == []


# -- over-sanitizing: the allowlist changes nothing a reader of the corpus sees ----------

def _canonical(element) -> list[str]:
    """An element as a list of tags (attributes sorted, style spacing dropped) and words;
    comments left out: the allowlist drops them, a reader never sees them."""
    from bs4 import Comment, NavigableString

    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            out.extend(str(node).split())
            return
        attrs = []
        for key, value in sorted(node.attrs.items()):
            value = " ".join(value) if isinstance(value, list) else value
            if key == "style":
                value = ";".join(p.replace(" ", "") for p in value.split(";") if p.strip())
            attrs.append(f"{key}={value}")
        out.append(f"<{node.name} {' '.join(attrs)}>")
        for child in node.children:
            walk(child)
        out.append(f"</{node.name}>")
    walk(element)
    return out


REPAIRED = {
    "partner-center/use-the-reconciliation-files/index.html":
        "the vendor wrote </br>: a browser reads <br>, so does the allowlist (lxml reads nothing)",
    "partner-center/create-user-accounts-and-set-permissions/index.html":
        "the vendor's <table> is never closed and a <li> opens in a <p>: the allowlist closes "
        "both inside the page, so the theme's footer no longer falls into the article",
}
"""The pages of partner-center 2018-04-24 whose article differs with and without the
allowlist, and why; in each, no word of the page differs."""


def test_the_allowlist_changes_no_corpus_page_a_reader_sees(corpus, tmp_path, monkeypatch):
    import shutil

    from bs4 import BeautifulSoup

    from pipeline.build import build
    from pipeline.config import Config

    monkeypatch.chdir(tmp_path)
    shutil.copy(Path(__file__).resolve().parent.parent / "mkdocs.yml", tmp_path / "mkdocs.yml")
    content = corpus / "2018-04-24"
    for name, trust in (("trusted", True), ("allowlisted", False)):
        report = build(Config(content=content, locales=tmp_path / name / "locales",
                              site=tmp_path / name / "site", trust_content=trust), jobs=1)
        assert report.problems == []
    differ, pages = {}, 0
    for trusted_path in sorted((tmp_path / "trusted" / "site").rglob("index.html")):
        rel = trusted_path.relative_to(tmp_path / "trusted" / "site")
        trusted = BeautifulSoup(trusted_path.read_text(encoding="utf-8"), "lxml").find("article")
        if trusted is None:
            continue
        pages += 1
        clean = BeautifulSoup((tmp_path / "allowlisted" / "site" / rel).read_text(
            encoding="utf-8"), "lxml").find("article")
        if _canonical(trusted) != _canonical(clean):
            differ[rel.as_posix()] = (trusted, clean)
            words = [w for w in _canonical(clean) if not w.startswith("<")]
            assert [w for w in _canonical(trusted) if not w.startswith("<")][:len(words)] \
                == words, rel
    assert pages > 250
    assert sorted(differ) == sorted(f"{tag}/{page}" for tag in ("en-us", "fr-fr")
                                    for page in REPAIRED)
    for rel, (trusted, clean) in differ.items():
        if "create-user-accounts" in rel:
            assert trusted.find("footer") is not None and clean.find("footer") is None
        else:
            assert len(clean.find_all("br")) > len(trusted.find_all("br"))


# -- English-only pages the team writes keep their HTML -----------------------------------

class _Page:
    def __init__(self, meta) -> None:
        self.meta, self.toc = meta, []


@pytest.mark.parametrize("meta, config, kept", [
    ({}, {}, False),
    ({"docloc_trusted": True}, {}, True),
    ({"docloc_trusted": "true"}, {}, False),  # only the YAML boolean the build writes
    ({"docloc_trusted": False}, {}, False),
    ({}, {"extra": {"docloc": {"trust_content": True}}}, True),
])
def test_the_hook_cleans_every_page_but_a_trusted_one(meta, config, kept):
    from pipeline import docloc_hooks

    widget = '<div class="team-widget" onclick="track()">w</div><script>team()</script>'
    out = docloc_hooks.on_page_content(widget, page=_Page(meta), config=config, files=None)
    assert (out == widget) is kept
    if not kept:
        assert "onclick" not in out and "<script" not in out and "team-widget" in out
