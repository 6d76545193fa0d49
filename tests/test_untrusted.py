"""Untrusted page markup in built pages: a hostile skeleton runs nothing, and
``trust_content`` publishes a page's own markup (the allowlist itself,
``page_html.clean_page``, is tested in test_page_html.py)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

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
