"""DocFX TOCs: untrusted labels and links, nesting as DocFX does, navigation of built pages."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from pipeline import toc
from pipeline.cli import EXIT_CHECKS, main

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_LABEL = "Accueil<img src=x onerror=alert(1)>"
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")


def args(project: Path, *extra: str) -> list[str]:
    return ["--content", str(project / "content"), "--locales", str(project / "locales"),
            *extra]


def unsafe_markup(site: Path) -> list[str]:
    """Every on* attribute and javascript:/data:/vbscript: URL in the built HTML."""
    found = []
    for path in sorted(site.rglob("*.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if name.lower().startswith("on"):
                    found.append(f"{path.relative_to(site)}: <{element.tag} {name}>")
                if name.lower() in URL_ATTRS and toc.safe_url(value) is None:
                    found.append(f"{path.relative_to(site)}: <{element.tag} {name}={value!r}>")
    return found


def nav_titles(page: Path) -> list[str]:
    tree = lxml.html.fromstring(page.read_bytes())
    return [" ".join(a.text_content().split())
            for a in tree.xpath("//nav[contains(@class,'md-nav--primary')]//a|"
                                "//nav[contains(@class,'md-nav--primary')]//span")]


def test_markup_in_a_toc_md_label_is_removed_and_reported_at_its_line():
    problems = []
    entries = toc.parse_toc_md(f"# [{HOSTILE_LABEL}](index.md)\n# [List<T>](b.md)\n",
                               "TOC.md", "content/fr-FR/TOC.md", problems)
    assert [e.label for e in entries] == ["Accueil", "List<T>"]
    assert [str(p).split(": error:")[0] for p in problems] == ["content/fr-FR/TOC.md:1"]
    nav = toc.to_nav(entries, {"index.md", "b.md"})
    assert nav == [{"Accueil": "index.md"}, {"List&lt;T&gt;": "b.md"}]


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                  "java\tscript:alert(1)", "&#106;avascript:alert(1)",
                                  "data:text/html,<script>alert(1)</script>",
                                  "vbscript:msgbox(1)", " javascript:alert(1)"])
def test_script_links_in_toc_yml_never_reach_the_nav_and_are_reported(href):
    problems = []
    text = f'- name: Start\n  href: index.md\n- name: Evil\n  href: "{href}"\n'
    entries = toc.parse_toc_yml(text, "TOC.yml", "content/fr-FR/TOC.yml", problems)
    assert toc.to_nav(entries, {"index.md"}) == [{"Start": "index.md"}]
    assert [(p.path, p.line) for p in problems] == [("content/fr-FR/TOC.yml", 3)]


def test_http_and_mailto_links_stay():
    entries = toc.parse_toc_yml("- name: Site\n  href: https://example.com/a\n"
                                "- name: Mail\n  href: mailto:a@example.com\n", "TOC.yml", "t")
    assert toc.to_nav(entries, set()) == [{"Site": "https://example.com/a"},
                                          {"Mail": "mailto:a@example.com"}]


@pytest.mark.parametrize("href", ["https:[!INCLUDE [x](../../etc/passwd)]//example.com/a",
                                  "http:../../etc/passwd", "https:/etc/passwd",
                                  "https://# [Secret](../../etc/passwd)", "https://[x]/a"])
def test_an_http_link_without_a_host_is_dropped_and_reported(href):
    """``https:path`` is no URL; a browser would read it as a path of this site."""
    problems = []
    text = f"- name: Start\n  href: index.md\n- name: Odd\n  href: {href}\n"
    entries = toc.parse_toc_yml(text, "TOC.yml", "content/fr-FR/TOC.yml", problems)
    assert toc.to_nav(entries, {"index.md"}) == [{"Start": "index.md"}]
    assert [(p.path, p.line) for p in problems] == [("content/fr-FR/TOC.yml", 3)]
    assert "not a URL" in problems[0].message


def test_nested_tocs_topic_href_and_uid_items_follow_docfx():
    tocs = {
        "TOC.yml": ("TOC.yml", "- name: Home\n  href: index.md\n"
                               "- name: API\n  href: api/toc.yml\n  topicHref: api/index.md\n"
                               "- name: Guide\n  href: guide/\n"),
        "api/toc.yml": ("api/toc.yml", "items:\n- name: Qubit\n  uid: Microsoft.Quantum.Qubit\n"
                                       "- name: Ops\n  items:\n  - name: H\n    href: h.md\n"),
        "guide/TOC.md": ("guide/TOC.md", "# [Start](start.md)\n"),
        "breadcrumb/toc.yml": ("breadcrumb/toc.yml", "- name: Docs\n  tocHref: /\n  topicHref: /\n"),
    }
    pages = {"index.md", "api/index.md", "api/qubit.md", "api/h.md", "guide/start.md"}
    problems = []
    nav = toc.site_nav(tocs, pages, lambda e: e.label, problems,
                       {"Microsoft.Quantum.Qubit": "api/qubit.md"})
    assert problems == []
    assert nav == [{"Home": "index.md"},
                   {"API": [{"API": "api/index.md"}, {"Qubit": "api/qubit.md"},
                            {"Ops": [{"H": "api/h.md"}]}]},
                   {"Guide": [{"Start": "guide/start.md"}]}]


def test_english_navigation_labels_come_from_the_english_the_content_has():
    sxs = ('<span data-ttu-id="a1-101">Prise en main</span><span class="sxs-lookup">'
           '<span data-stu-id="a1-101">Get started</span></span>')
    tocs = {"TOC.md": ("TOC.md", f"# [{sxs}](start.md)\n"
                                 "# Utilisation de Windows Mixed Reality\n"
                                 "## [Écran](screen.md)\n## [Son](sound.md)\n"
                                 "# [Développer](develop/toc.yml)\n"),
            "develop/toc.yml": ("develop/toc.yml", "- name: Unité\n  href: unity.md\n")}
    pages = {"start.md", "screen.md", "sound.md", "develop/unity.md"}
    titles = {"screen.md": "Display"}
    english_of = {"Son": "Sound"}
    nav = toc.site_nav(tocs, pages, lambda e: toc.english_label(e, titles, english_of), [])
    # Its own side-by-side source; the linked page's English title; a segment with the
    # same words; the nested TOC's folder. A group label with no English stays as written.
    assert nav == [{"Get started": "start.md"},
                   {"Utilisation de Windows Mixed Reality": [{"Display": "screen.md"},
                                                              {"Sound": "sound.md"}]},
                   {"Develop": [{"Unité": "develop/unity.md"}]}]


def test_a_toc_nesting_itself_stops():
    tocs = {"TOC.yml": ("TOC.yml", "- name: A\n  href: a/toc.yml\n"),
            "a/toc.yml": ("a/toc.yml", "- name: Back\n  href: ../TOC.yml\n- name: P\n  href: p.md\n")}
    nav = toc.site_nav(tocs, {"a/p.md"}, lambda e: e.label, [])
    assert nav == [{"A": [{"P": "a/p.md"}]}]


def test_entries_to_pages_not_built_are_left_out():
    entries = toc.parse_toc_yml("- name: Landing\n  href: index.yml\n- name: P\n  href: p.md\n"
                                "- name: Gone\n  href: gone.md\n", "TOC.yml", "t")
    assert toc.to_nav(entries, {"p.md"}) == [{"P": "p.md"}]


def test_entries_to_yaml_pages_lead_to_their_page_and_tocs_stay_tocs():
    entries = toc.parse_toc_yml("- name: Landing\n  href: index.yml\n- name: FAQ\n"
                                "  href: sub/faq.yaml\n- name: Data\n  href: data.yml\n",
                                "TOC.yml", "t")
    # index.yml and sub/faq.yaml were built as pages (pipeline.yamlpage); data.yml was not
    assert toc.to_nav(entries, {"index.md", "sub/faq.md"}) == [
        {"Landing": "index.md"}, {"FAQ": "sub/faq.md"}]


@pytest.fixture
def hostile(project: Path) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    french = project / "content" / "fr-FR" / "TOC.md"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace("# [Accueil](index.md)", f"# [{HOSTILE_LABEL}](index.md)"),
                      encoding="utf-8")
    german = project / "content" / "de-DE"
    (german / "TOC.md").unlink()
    (german / "TOC.yml").write_text(
        '- name: "Start<img src=x onerror=alert(1)>"\n  href: index.md\n'
        '- name: Datenschutz\n  href: privacy-policy.md\n'
        '- name: Klick\n  href: "javascript:alert(1)"\n', encoding="utf-8")
    return project


def test_hostile_toc_labels_and_links_are_inert_in_every_built_page(hostile, monkeypatch, capsys):
    monkeypatch.chdir(hostile)
    main(["build", *args(hostile, "--site", str(hostile / "site"))])
    output = capsys.readouterr().err
    site = hostile / "site"
    assert (site / "fr-fr/privacy-policy/index.html").is_file()
    assert unsafe_markup(site) == []
    assert "Accueil" in nav_titles(site / "fr-fr/privacy-policy/index.html")
    assert "Start" in nav_titles(site / "de-de/privacy-policy/index.html")
    assert not list(site.rglob("TOC.yml")), "a TOC is vendor input, never published raw"
    assert re.search(r"content/fr-FR/TOC\.md:1: error: .*markup", output), output
    assert re.search(r"content/de-DE/TOC\.yml:5: error: .*javascript", output), output


def test_check_reports_each_hostile_toc_item_at_its_line(hostile, capsys):
    assert main(["extract", *args(hostile)]) == 0
    capsys.readouterr()
    assert main(["check", *args(hostile)]) == EXIT_CHECKS
    out = capsys.readouterr().out
    assert re.search(r"content/fr-FR/TOC\.md:1: error: .*markup.*\[toc\]", out), out
    assert re.search(r"content/de-DE/TOC\.yml:1: error: .*markup.*\[toc\]", out), out
    assert re.search(r"content/de-DE/TOC\.yml:5: error: .*javascript.*\[toc\]", out), out


def test_labels_of_the_real_corpus_tocs_are_text(corpus):
    for path in sorted(corpus.rglob("TOC.md")):
        problems = []
        entries = toc.parse_toc_md(path.read_text(encoding="utf-8-sig"), "TOC.md", str(path),
                                   problems)
        assert problems == []
        assert entries and all("<" not in html.unescape(e.label) for e in entries)
