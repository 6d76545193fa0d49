"""A writer's first day with their own docset (issue 17): no hand-made mkdocs.yml needed."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from pipeline.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main


def build(project: Path, *extra: str) -> int:
    return main(["build", "--content", str(project / "content"), "--locales",
                 str(project / "locales"), "--site", str(project / "site"), *extra])


def title_of(path: Path) -> str:
    return lxml.html.fromstring(path.read_bytes()).findtext(".//title")


def test_a_docset_without_mkdocs_yml_builds_with_docloc_markdown_rendered(project, monkeypatch):
    monkeypatch.chdir(project)
    assert not (project / "mkdocs.yml").exists()
    assert build(project) == EXIT_OK
    page = project / "site/fr-fr/privacy-policy/index.html"
    html = page.read_text(encoding="utf-8")
    assert 'class="admonition' in html  # the DocFX alert, not "!!! note" as text
    assert "!!!" not in html and "{: lang" not in html
    assert title_of(page).endswith(" - project")  # the project folder names the site


def test_site_name_comes_from_docfx_json(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "content/docfx.json").write_text(json.dumps(
        {"build": {"globalMetadata": {"_appTitle": "Contoso Docs"}}}), encoding="utf-8")
    assert build(project) == EXIT_OK
    assert title_of(project / "site/en-us/index.html").endswith(" - Contoso Docs")


def test_a_bare_mkdocs_yml_still_gets_the_extensions_docloc_needs(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    assert build(project) == EXIT_OK
    html = (project / "site/fr-fr/privacy-policy/index.html").read_text(encoding="utf-8")
    assert 'class="admonition' in html and "!!!" not in html
    assert title_of(project / "site/fr-fr/privacy-policy/index.html").endswith(" - Mine")


def test_a_wrong_mkdocs_yml_shows_mkdocs_own_reason(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    (project / "mkdocs.yml").write_text(
        "site_name: Mine\nmarkdown_extensions:\n  - no_such_extension\n", encoding="utf-8")
    assert build(project) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "mkdocs.yml" in err and "no_such_extension" in err
    assert "Aborted with a configuration error" not in err


def test_a_broken_catalog_keeps_the_published_language(project, monkeypatch, capsys):
    import polib

    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    path = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgstr and not e.fuzzy)
    entry.msgstr = "Texte revu par la traductrice"
    po.save(str(path))
    assert build(project) == EXIT_OK
    page = project / "site/fr-fr/privacy-policy/index.html"
    assert "Texte revu par la traductrice" in page.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8") as f:
        f.write('msgid "broken\n')
    capsys.readouterr()
    assert build(project) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("not a valid PO line") == 1
    assert "Texte revu par la traductrice" in page.read_text(encoding="utf-8")
    assert (project / "site/de-de/privacy-policy/index.html").is_file()
    assert main(["check", "--content", str(project / "content"),
                 "--locales", str(project / "locales")]) == EXIT_INPUT
    out = capsys.readouterr().out
    assert "; 1 errors (1 in files that cannot be read)" in out


def test_options_are_never_abbreviated(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    try:
        build(project, "--jo", "1")
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("--jo was taken as --jobs")
    assert "unrecognized arguments: --jo" in capsys.readouterr().err


def test_an_empty_content_folder_is_a_warning_naming_it(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["extract", "--content", str(tmp_path / "empty"),
                 "--locales", str(tmp_path / "locales")]) == EXIT_OK
    err = capsys.readouterr().err
    assert "warning:" in err and str(tmp_path / "empty") in err and "no pages" in err


def test_a_language_code_names_the_one_locale_that_has_it(project, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(project)
    assert main(["extract"]) == EXIT_OK
    out = tmp_path / "fr.tmx"
    assert main(["tm", "export", str(out), "--locale", "fr"]) == EXIT_OK
    assert 'xml:lang="fr-FR"' in out.read_text(encoding="utf-8")
    (project / "content/fr-CA").mkdir()
    capsys.readouterr()
    assert main(["tm", "export", str(out), "--locale", "fr"]) == EXIT_USAGE  # ambiguous
    assert "fr-CA, fr-FR" in capsys.readouterr().err


def test_sitemap_has_absolute_urls_of_real_pages_only_with_a_site_url(project, monkeypatch):
    import re

    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    assert not (project / "site/sitemap.xml").exists()  # relative <loc> are not a sitemap
    (project / "mkdocs.yml").write_text("site_name: S\nsite_url: https://docs.example.org/\n",
                                        encoding="utf-8")
    assert build(project) == EXIT_OK
    sitemap = (project / "site/sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith("https://docs.example.org/") for loc in locs)
    for loc in locs + re.findall(r'href="([^"]+)"', sitemap):
        path = loc.removeprefix("https://docs.example.org/")
        assert (project / "site" / path / "index.html").is_file(), loc
    # hreflang lives here (pages' heads carry none: Material would fetch a sitemap below
    # each): every language a page exists in, and only those.
    entry = next(u for u in re.findall(r"<url>.*?</url>", sitemap, re.S)
                 if "<loc>https://docs.example.org/fr-fr/acceptable-use/</loc>" in u)
    assert sorted(re.findall(r'hreflang="([^"]+)"', entry)) == ["de-de", "en-us", "fr-fr"]
    page = (project / "site/fr-fr/acceptable-use/index.html").read_text(encoding="utf-8")
    assert 'rel="alternate"' not in page


def test_a_readme_beside_an_index_is_published_as_its_own_page(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    (project / "content/en-US/README.md").write_text(
        "# About these policies\n\nThe policies are reviewed every year.\n", encoding="utf-8")
    assert build(project) == EXIT_OK
    assert "conflicts with" not in capsys.readouterr().err
    for tag in ("en-us", "fr-fr"):
        page = project / "site" / tag / "readme/index.html"
        assert "reviewed every year" in page.read_text(encoding="utf-8"), tag
        assert (project / "site" / tag / "index.html").is_file()


def test_docloc_chrome_speaks_the_page_language(project, monkeypatch):
    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    coverage = (project / "site/fr-fr/docloc-coverage/index.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(coverage)
    assert "Couverture de la traduction" in tree.findtext(".//h1")
    assert [th.text_content() for th in tree.findall(".//article//th")] == \
        ["%", "Traduits", "À revoir", "Non traduits", "Mots", "Page"]
    assert "Translation coverage" not in coverage
    page = (project / "site/fr-fr/privacy-policy/index.html").read_text(encoding="utf-8")
    nav = lxml.html.fromstring(page).xpath("//nav[contains(@class, 'md-nav--primary')]")[0]
    assert "Couverture de la traduction" in nav.text_content()
    assert '"read_in_english": "Lire en anglais"' in page
    german = (project / "site/de-de/docloc-coverage/index.html").read_text(encoding="utf-8")
    assert "Übersetzungsstand" in german


def test_without_an_index_the_home_page_is_a_short_landing_in_the_page_language(
        project, monkeypatch):
    monkeypatch.chdir(project)
    for index in (project / "content").rglob("index.md"):
        index.unlink()
    for toc in (project / "content").rglob("TOC.md"):  # no TOC entry leads home either
        toc.write_text("".join(line for line in toc.read_text(encoding="utf-8").splitlines(True)
                               if "(index.md)" not in line), encoding="utf-8")
    (project / "content/docfx.json").write_text(json.dumps(
        {"build": {"globalMetadata": {"_appTitle": "Contoso <Docs>"}}}), encoding="utf-8")
    assert build(project) == EXIT_OK
    home = lxml.html.fromstring((project / "site/fr-fr/index.html").read_bytes())
    article = home.find(".//article")
    assert article.findtext(".//h1").strip() == "Contoso <Docs>"
    assert "Français" not in article.findtext(".//h1")
    links = article.xpath(".//a[not(contains(@class, 'headerlink'))]")
    assert 0 < len(links) <= 9
    assert all((project / "site/fr-fr" / a.get("href") / "index.html").is_file()
               or (project / "site/fr-fr" / a.get("href")).is_file() for a in links)
    nav = home.xpath("//nav[contains(@class, 'md-nav--primary')]")[0]
    assert "Accueil" in [a.text_content().strip() for a in nav.xpath(".//a[@href='.']")]


def test_a_page_in_a_huge_section_carries_a_bounded_navigation(tmp_path, monkeypatch):
    from pipeline.site import NAV_SIBLINGS

    project = tmp_path / "api"
    (project / "content/en-US/api").mkdir(parents=True)
    (project / "content/fr-FR").mkdir(parents=True)
    (project / "content/fr-FR/index.md").write_text(
        '---\nms.contentlocale: fr-FR\n---\n# <span data-ttu-id="a-1">Accueil</span>'
        '<span class="sxs-lookup"><span data-stu-id="a-1">Home</span></span>\n', encoding="utf-8")
    count = 3 * NAV_SIBLINGS + 7
    for i in range(count):
        (project / f"content/en-US/api/method-{i:04}.md").write_text(
            f"# Method {i:04}\n\nThe method number {i} of the API.\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    for tag in ("en-us", "fr-fr"):
        page = project / "site" / tag / "api/method-0100/index.html"
        tree = lxml.html.fromstring(page.read_bytes())
        nav = tree.xpath("//nav[contains(@class, 'md-nav--primary')]")[0]
        links = nav.xpath(".//a")
        assert len(links) <= NAV_SIBLINGS + 10, (tag, len(links))
        assert "method-0100" in page.read_text(encoding="utf-8")
        # Every page stays reachable: each group leads to its first page.
        groups = [a for a in links if "–" in a.text_content()]
        assert len(groups) >= 3
    sizes = sorted(p.stat().st_size for p in (project / "site/fr-fr/api").rglob("index.html"))
    assert len(sizes) == count


def test_tooltips_keep_every_bracket_of_the_english(tmp_path, monkeypatch):
    project = tmp_path / "q"
    (project / "content/fr-FR").mkdir(parents=True)
    sources = ["Returns Qubit[] => Unit.", "The type 'T[] of [the array](array.md), `x[0]`."]
    body = "\n\n".join(
        f'<span data-ttu-id="q-{i}">Texte {i}</span><span class="sxs-lookup">'
        f'<span data-stu-id="q-{i}">{source}</span></span>' for i, source in enumerate(sources))
    (project / "content/fr-FR/index.md").write_text(
        "---\nms.contentlocale: fr-FR\n---\n" + body + "\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    tree = lxml.html.fromstring((project / "site/fr-fr/index.html").read_bytes())
    shown = [span.get("data-source") for span in tree.xpath("//*[@data-source]")]
    assert shown == ["Returns Qubit[] => Unit.", "The type 'T[] of the array, x[0]."]


def test_tooltips_show_the_brackets_markdown_shows_on_every_corpus_segment(corpus):
    import re

    import markdown

    from pipeline import sxs
    from pipeline.contain import plain

    md = markdown.Markdown(extensions=["tables"])
    checked, wrong = 0, []
    for path in sorted(corpus.parent.rglob("*.md")):
        try:
            page = sxs.parse(path.read_text(encoding="utf-8"), str(path))[0]
        except Exception:  # pages docloc refuses are reported elsewhere
            continue
        for segment in page.segments:
            if segment.source.count("`") % 2:
                continue  # a stray backtick (in a URL): markdown itself shows markup there
            html = md.reset().convert(segment.source)
            try:
                seen = lxml.html.fromstring(f"<div>{html}</div>").text_content()
            except Exception:
                continue
            checked += 1
            # A link cut in two by the vendor's segments: its "](target)" is not shown.
            seen = re.sub(r"\]\([^()]*(?:\([^()]*\)[^()]*)*\)", "", seen)
            shown = plain(segment.source)
            if sorted(c for c in shown if c in "[]") != sorted(c for c in seen if c in "[]"):
                wrong.append((str(path), segment.source, shown))
    assert checked > 10_000
    assert wrong == []


def test_work_files_live_in_one_hidden_folder_that_ignores_itself(project, monkeypatch):
    import subprocess

    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    hidden = sorted(p.name for p in project.iterdir() if p.name.startswith("."))
    assert hidden == [".docloc-work"]
    assert (project / ".docloc-work/.gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=project, capture_output=True, text=True, check=True).stdout
    assert ".docloc-work" not in status


def test_team_pages_in_english_keep_their_html_and_vendor_pages_do_not(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "content/en-US/widget.md").write_text(
        '# Widget\n\n<div class="team-widget" onclick="go()">Our own widget.</div>\n',
        encoding="utf-8")
    assert build(project) == EXIT_OK
    english = (project / "site/en-us/widget/index.html").read_text(encoding="utf-8")
    assert 'onclick="go()"' in english  # written by the team: trusted (README)
    french = (project / "site/fr-fr/widget/index.html").read_text(encoding="utf-8")
    assert "onclick" not in french  # the translated page carries vendor/translator text


def test_a_warning_alone_does_not_fail_the_run(tmp_path, capsys):
    content = tmp_path / "content/fr-FR"
    content.mkdir(parents=True)
    (content / "p.md").write_text(
        "---\nms.contentlocale: fr-FR\n---\n"
        '<span data-ttu-id=&quot;ab-1&quot;>Bonjour</span><span class="sxs-lookup">'
        '<span data-stu-id=&quot;ab-1&quot;>Hello</span></span>\n', encoding="utf-8")
    assert main(["extract", "--content", str(tmp_path / "content"),
                 "--locales", str(tmp_path / "locales")]) == EXIT_OK
    assert ": warning: " in capsys.readouterr().err
    assert 'msgid "Hello"' in (tmp_path / "locales/fr_FR/LC_MESSAGES/p.po").read_text(encoding="utf-8")


def test_dry_run_counts_exactly_what_the_real_run_writes(project, capsys):
    args = ["extract", "--content", str(project / "content"), "--locales", str(project / "locales")]
    assert main(args + ["--dry-run"]) == EXIT_OK
    assert not (project / "locales").exists()
    dry = capsys.readouterr().out.splitlines()[-1]
    assert main(args) == EXIT_OK
    real = capsys.readouterr().out.splitlines()[-1]
    written = len([p for p in (project / "locales").rglob("*") if p.is_file()
                   and p.name != ".docloc.lock"])
    assert f"would write {written} files" in dry and f"wrote {written} files" in real
    assert main(args + ["--dry-run"]) == EXIT_OK
    assert "would write 0 files" in capsys.readouterr().out


def test_an_include_speaks_its_page_language_and_adds_no_notice(project, monkeypatch):
    monkeypatch.chdir(project)
    fr = project / "content/fr-FR"
    (fr / "includes").mkdir()
    (fr / "includes/warn.md").write_text(
        '> [!NOTE]\n> <span data-ttu-id="w-1"></span><span class="sxs-lookup">'
        '<span data-stu-id="w-1">Untranslated yet.</span></span>\n', encoding="utf-8")
    index = fr / "index.md"
    index.write_text(index.read_text(encoding="utf-8")
                     + "\n[!INCLUDE [warn](includes/warn.md)]\n", encoding="utf-8")
    assert build(project) in (EXIT_OK, EXIT_INPUT)
    tree = lxml.html.fromstring((project / "site/fr-fr/index.html").read_bytes())
    article = tree.find(".//article")
    titles = [t.text_content().strip() for t in article.xpath(".//*[contains(@class, 'admonition-title')]")]
    assert "Remarque" in titles and "Note" not in titles
    notices = article.xpath(".//*[contains(@class, 'docloc-notice')]")
    assert len(notices) <= 1  # the page's own, never one per include


def test_serve_edit_turns_the_editing_api_on_and_plain_serve_leaves_it_off(monkeypatch, project):
    from pipeline import serve as serve_module

    seen = []
    monkeypatch.setattr(serve_module, "serve", lambda config, **kw: seen.append(kw["edit"]) or 0)
    monkeypatch.chdir(project)
    assert main(["serve", "--no-build", "--edit"]) == 0
    assert main(["serve", "--no-build"]) == 0
    assert seen == [True, False]


def test_check_reports_a_translation_that_alters_an_include(project, monkeypatch, capsys):
    import polib

    monkeypatch.chdir(project)
    fr = project / "content/fr-FR"
    (fr / "includes").mkdir()
    (fr / "includes/pn.md").write_text("Project Service\n", encoding="utf-8")
    (fr / "inc.md").write_text(
        "---\nms.contentlocale: fr-FR\n---\n"
        '<span data-ttu-id="i-1">Une unité [!INCLUDE[pn](includes/pn.md)] organisationnelle.</span>'
        '<span class="sxs-lookup"><span data-stu-id="i-1">A [!INCLUDE[pn](includes/pn.md)] '
        "organizational unit.</span></span>\n", encoding="utf-8")
    assert main(["extract"]) == EXIT_OK
    assert main(["check"]) in (0, 1)
    assert "[include]" not in capsys.readouterr().out
    path = project / "locales/fr_FR/LC_MESSAGES/inc.po"
    po = polib.pofile(str(path))
    po[0].msgstr = "Une unité [!INCLUDE[pn](includes/autre.md)] organisationnelle."
    po.save(str(path))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[include]" in out and "includes/pn.md" in out
