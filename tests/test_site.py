"""The site as docloc build writes it: languages, incremental rebuilds, determinism."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import polib
import pytest
from conftest import seg

from pipeline.cli import EXIT_COVERAGE, EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent


def build(project: Path, *extra: str) -> int:
    return main(["build", "--content", str(project / "content"), "--locales",
                 str(project / "locales"), "--site", str(project / "site"), *extra])


@pytest.fixture
def built(project, monkeypatch):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    return project


def text_of(path: Path) -> str:
    tree = lxml.html.fromstring(path.read_bytes())
    article = tree.find(".//article")
    return " ".join(article.text_content().split())


def stamps(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file() and p.name != ".docloc.lock"}


def test_every_language_is_built_with_its_own_text(built):
    site = built / "site"
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["ar-sa", "de-de", "en-us", "fr-fr"]
    assert "Contoso Cloud privacy policy" in text_of(site / "en-us/privacy-policy/index.html")
    assert "Politique de confidentialité" in text_of(site / "fr-fr/privacy-policy/index.html")
    assert "Datenschutzrichtlinie" in text_of(site / "de-de/privacy-policy/index.html")
    assert "Politique" not in text_of(site / "en-us/privacy-policy/index.html")
    for tag in ("fr-fr", "de-de", "ar-sa"):
        assert (site / tag / "docloc-coverage/index.html").is_file()
        assert (site / tag / "assets/coverage.svg").is_file()
    assert 'hreflang="fr-fr"' in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_second_build_with_nothing_changed_rewrites_nothing(built, capsys):
    before = stamps(built / "site")
    catalogs = stamps(built / "locales")
    capsys.readouterr()
    assert build(built) == EXIT_OK
    assert "rebuilt: none: nothing changed" in capsys.readouterr().out
    assert stamps(built / "site") == before
    assert stamps(built / "locales") == catalogs


def test_second_build_with_nothing_changed_renders_nothing(built, monkeypatch, capsys):
    from pipeline import render, site

    calls = []
    monkeypatch.setattr(render, "render_page", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(site, "build_site", lambda *a, **k: calls.append(a))
    assert build(built) == EXIT_OK
    assert calls == []
    out = capsys.readouterr().out
    assert "build: 4 languages (en-US, ar-SA, de-DE, fr-FR)" in out


def test_deleted_language_folder_is_built_again(built, capsys):
    shutil.rmtree(built / "site" / "de-de")
    capsys.readouterr()
    assert build(built) == EXIT_OK
    assert "rebuilt: de-DE;" in capsys.readouterr().out
    assert (built / "site/de-de/privacy-policy/index.html").is_file()


def test_problems_are_reported_again_when_nothing_changed(built, capsys):
    page = built / "content/fr-FR/privacy-policy.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[!INCLUDE [x](missing.md)]\n",
                    encoding="utf-8")
    capsys.readouterr()
    first = build(built)
    def problems(err: str) -> list[str]:
        return [line for line in err.splitlines() if ": error: " in line]

    first_err = problems(capsys.readouterr().err)
    assert first != EXIT_OK and any("missing.md" in line for line in first_err)
    assert build(built) == first
    assert problems(capsys.readouterr().err) == first_err


def test_a_saved_catalog_rebuilds_only_its_language(built, capsys):
    before = stamps(built / "site")
    path = built / "locales/de_DE/LC_MESSAGES/privacy-policy.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgstr and not e.obsolete)
    entry.msgstr = "Neu übersetzt"
    po.save(str(path))
    capsys.readouterr()
    assert build(built) == EXIT_OK
    assert "rebuilt: de-DE;" in capsys.readouterr().out
    after = stamps(built / "site")
    assert {k: v for k, v in after.items() if k.startswith("fr-fr/")} == \
        {k: v for k, v in before.items() if k.startswith("fr-fr/")}
    assert "Neu übersetzt" in text_of(built / "site/de-de/privacy-policy/index.html")


def test_two_builds_of_the_same_input_give_identical_html(built, tmp_path):
    other = tmp_path / "again"
    shutil.copytree(built / "content", other / "content")
    shutil.copy(built / "mkdocs.yml", other / "mkdocs.yml")
    assert build(other) == EXIT_OK
    first = {p.relative_to(built / "site"): p.read_bytes()
             for p in (built / "site").rglob("*") if p.is_file()}
    second = {p.relative_to(other / "site"): p.read_bytes()
              for p in (other / "site").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_languages_built_apart_assemble_into_the_same_site(built, tmp_path):
    parts = []
    for locale in ("en-US", "fr-FR", "de-DE", "ar-SA"):
        part = tmp_path / "parts" / locale
        assert build(built, "--locale", locale, "--site", str(part)) == EXIT_OK
        parts.append(str(part))
    assert main(["assemble", *parts, "--site", str(tmp_path / "assembled")]) == EXIT_OK
    whole = built / "site"
    for page in ("fr-fr/privacy-policy/index.html", "en-us/index.html", "index.html",
                 "sitemap.xml", "ar-sa/acceptable-use/index.html"):
        assert (tmp_path / "assembled" / page).read_bytes() == (whole / page).read_bytes(), page


def test_the_gate_stops_the_build_below_the_threshold(project, monkeypatch, capsys):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docloc.toml").write_text("min_coverage = 95\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert build(project) == EXIT_COVERAGE
    assert "coverage below threshold: ar-SA *" in capsys.readouterr().err
    assert not (project / "site").exists()


def test_real_corpus_builds_in_both_languages(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    from pipeline.build import build as run_build
    from pipeline.config import Config
    content = corpus / "2018-02-08"
    report = run_build(Config(content=content, locales=tmp_path / "locales",
                              site=tmp_path / "site"))
    assert report.problems == []
    site = tmp_path / "site"
    pages = sorted(p.relative_to(content / "partner-center").with_suffix("").as_posix()
                   for p in (content / "partner-center").glob("*.md") if p.name != "TOC.md")
    for tag in ("en-us", "fr-fr"):
        for page in pages:
            url = "" if page == "index" else page + "/"
            assert (site / tag / "partner-center" / url / "index.html").is_file(), (tag, page)
    english = text_of(site / "en-us/partner-center/add-a-new-customer/index.html")
    french = text_of(site / "fr-fr/partner-center/add-a-new-customer/index.html")
    assert "Before you can sell subscriptions" in english and "Pour pouvoir vendre" not in english
    assert "Pour pouvoir vendre des abonnements" in french
    for tag, broken in report.broken_links.items():
        if tag != "en-us":
            assert all(b.endswith("(broken in source)") for b in broken), broken
    # What the speed-ups changed nothing of: every page's search sections are those
    # Material's own parser finds, and no segment mark is left in any page.
    from material.plugins.search.plugin import Parser

    from pipeline import marks
    from pipeline.search import sections
    for path in sorted((site / "fr-fr").rglob("index.html")):
        source = path.read_text(encoding="utf-8")
        parser = Parser()
        parser.feed(source)
        parser.close()
        assert [(x.id, x.title, x.text) for x in sections(source)] == \
            [(x.id, x.title, x.text) for x in parser.data], path
        assert not marks.MARK.search(source), path


def test_includes_are_resolved_in_each_language_and_outside_paths_refused(
        project, monkeypatch, capsys):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    fr = project / "content/fr-FR"
    (fr / "includes").mkdir()
    (fr / "includes/contact.md").write_text(
        seg("Écrivez-nous à tout moment.", "Write to us at any time.", "c1-101") + "\n",
        encoding="utf-8")
    for locale in ("fr-FR", "de-DE", "ar-SA"):  # the same English page in every locale
        index = project / "content" / locale / "index.md"
        index.write_text(index.read_text(encoding="utf-8")
                         + "\n[!INCLUDE [contact](includes/contact.md)]\n", encoding="utf-8")
    (fr / "bad.md").write_text("---\nms.contentlocale: fr-FR\n---\n"
                               + seg("Mauvais", "Bad", "b1-101")
                               + "\n\n[!INCLUDE [x](../../../etc/passwd)]\n", encoding="utf-8")
    monkeypatch.chdir(project)
    build(project)
    err = capsys.readouterr().err
    assert "bad.md:6:1: error: include '../../../etc/passwd' leads outside the content folder" in err
    assert "Écrivez-nous à tout moment." in text_of(project / "site/fr-fr/index.html")
    assert "Write to us at any time." in text_of(project / "site/en-us/index.html")
    assert "root:" not in text_of(project / "site/fr-fr/bad/index.html")
    assert "Write to us at any time." in text_of(project / "site/de-de/index.html")  # fallback


def test_link_check_does_not_blame_the_source_for_docloc_own_pages(tmp_path):
    from pipeline.build import _links
    for tag in ("en-us", "fr-fr"):
        for page in ("index.html", "guide/index.html"):
            (tmp_path / "site" / tag / page).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "site" / tag / page).write_text(
                '<article><a href="gone/">x</a></article>', encoding="utf-8")
    found = _links(tmp_path / "site", tmp_path / "work", ["en-us", "fr-fr"], ["en-us", "fr-fr"],
                   "en-US", frozenset({"index.html"}))
    assert found["fr-fr"] == ["guide/index.html -> gone/ (broken in source)",
                              "index.html -> gone/ (docloc's own page)"]
    assert found["en-us"] == ["guide/index.html -> gone/", "index.html -> gone/ (docloc's own page)"]
