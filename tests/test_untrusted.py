"""Untrusted page markup: the page allowlist (contain.clean_page) lets nothing run."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from pipeline.contain import clean_page

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>', '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<svg onload=alert(1)>",
    "<style>body{display:none}</style>", '<meta http-equiv="refresh" content="0;url=//e">',
    '<object data="x.swf"></object>', '<embed src="x">', '<form action="//e"><input></form>',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>', '<a href="vbscript:x">v</a>',
    '<p onclick="alert(1)">p</p>', '<iframe src="media/evil.svg"></iframe>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_page_markup_loses_script_handlers_and_unsafe_urls(payload):
    soup = BeautifulSoup(clean_page(f"<p>before</p>{payload}<p>after</p>"), "lxml")
    for element in soup.find_all(True):
        assert element.name not in ("script", "style", "meta", "object", "embed", "form", "svg")
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on") and name != "srcdoc"
            if name in ("href", "src"):
                assert not re.sub(r"[\x00-\x20]", "", value).lower().startswith(
                    ("javascript:", "data:", "vbscript:")) and (
                    element.name != "iframe" or value.startswith("https://"))
    assert "before" in soup.text and "after" in soup.text


def test_what_markdown_material_and_docloc_emit_is_kept():
    body = ('<h2 id="x">T<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>'
            '<div class="admonition note"><p class="admonition-title">Note</p></div>'
            '<span class="docloc-seg" data-source="English">Français</span>'
            '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked"'
            ' id="__tabbed_1_1" name="__tabbed_1" type="radio"><div class="tabbed-labels">'
            '<label for="__tabbed_1_1">A</label></div></div>'
            '<table><tr><td style="text-align: left;">c</td></tr></table>'
            '<a name="anchor"></a><img alt="a" src="media/x.png">'
            '<iframe src="https://www.youtube.com/embed/x" allowfullscreen></iframe>')
    out = BeautifulSoup(clean_page(body), "lxml")
    assert out.find("a", class_="headerlink")["href"] == "#x"
    assert out.find("span", class_="docloc-seg")["data-source"] == "English"
    assert out.find("div", class_="tabbed-set")["data-tabs"] == "1:2"
    assert out.find("input")["type"] == "radio" and out.find("label")["for"] == "__tabbed_1_1"
    assert out.find("td")["style"].startswith("text-align")
    assert out.find("a", attrs={"name": "anchor"}) is not None
    assert out.find("img")["src"] == "media/x.png"
    assert out.find("iframe")["src"].startswith("https://")


def test_trusted_content_is_left_as_it_is():
    assert clean_page("<script>x()</script>", trusted=True) == "<script>x()</script>"


SKELETON = ("\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[lien](javascript:alert(1))\n\n<a href=\"data:text/html,x\">d</a>\n\n"
            "<div markdown=\"1\" onmouseover=\"alert(1)\">**md_in_html**</div>\n")


def test_hostile_page_skeleton_is_inert_in_every_built_page(project, monkeypatch, capsys):
    from pathlib import Path

    from pipeline.cli import main

    root = Path(__file__).parent.parent
    (project / "mkdocs.yml").write_bytes((root / "mkdocs.yml").read_bytes())
    page = project / "content" / "fr-FR" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + SKELETON, encoding="utf-8")
    monkeypatch.chdir(project)
    main(["build", "--content", "content", "--locales", "locales", "--site", "site",
          "--jobs", "1"])
    assert "Traceback" not in "".join(capsys.readouterr())
    built = sorted((project / "site").rglob("*.html"))
    assert built
    for path in built:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for script in soup.find_all("script"):  # the theme's own: a src or JSON config
            assert "alert(1)" not in script.text, path
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (path, element.name, name)
                if name in ("href", "src") and isinstance(value, str):
                    assert not re.sub(r"[\x00-\x20]", "", value).lower().startswith(
                        ("javascript:", "data:", "vbscript:")), (path, value)
    french = (project / "site" / "fr-fr" / "index.html").read_text(encoding="utf-8")
    assert "md_in_html" in french and "lien" in french  # the text itself stays visible


def test_trust_content_switch_publishes_the_pages_own_markup(project, monkeypatch, capsys):
    from pathlib import Path

    from pipeline.cli import main

    root = Path(__file__).parent.parent
    (project / "mkdocs.yml").write_bytes((root / "mkdocs.yml").read_bytes())
    page = project / "content" / "fr-FR" / "index.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + '\n<div class="team-widget" onclick="track()">widget</div>\n',
                    encoding="utf-8")
    monkeypatch.chdir(project)
    args = ["build", "--content", "content", "--locales", "locales", "--site", "site",
            "--jobs", "1"]
    main(args)
    french = (project / "site" / "fr-fr" / "index.html").read_text(encoding="utf-8")
    assert "team-widget" in french and 'onclick="track()"' not in french
    main(args + ["--trust-content"])
    assert "Traceback" not in "".join(capsys.readouterr())
    french = (project / "site" / "fr-fr" / "index.html").read_text(encoding="utf-8")
    assert 'onclick="track()"' in french
