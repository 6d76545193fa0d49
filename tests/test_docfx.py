"""DocFX-flavored Markdown, rendered in French (the page's own translations) and
in English, as the HTML MkDocs would publish (docloc's Markdown extensions, then
the page allowlist)."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import markdown
import pytest

from pipeline import docfx
from pipeline.catalog import page_catalog, translations
from pipeline.errors import DoclocError
from pipeline.l10n import ALERT_TITLES
from pipeline.model import Page
from pipeline.page_html import clean_page
from pipeline.render import render_page
from pipeline.site import MARKDOWN_EXTENSIONS
from pipeline.sxs import parse

FIXTURES = Path(__file__).parent / "fixtures" / "docfx"


def page_of(name: str, uri: str | None = None) -> Page:
    page, problems = parse((FIXTURES / name).read_text(encoding="utf-8"), uri or name)
    assert [p for p in problems if p.severity == "error"] == []
    return page


def rendered(page: Page, lang: str, **options):
    french = lang == "fr"
    return render_page(page, translations=translations(page_catalog(page, page.path))
                       if french else None, notices_in="fr" if french else None, **options)


def html_of(page: Page, lang: str, **options) -> str:
    text = rendered(page, lang, **options).markdown.split("---\n", 2)[2]
    out = markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS),
                            extension_configs={k: v for k, v in MARKDOWN_EXTENSIONS.items() if v})
    return clean_page(out)


def visible(html: str) -> str:
    """The text a reader sees: tags and code blocks removed."""
    html = re.sub(r"<pre.*?</pre>|<code>.*?</code>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


BOTH = pytest.mark.parametrize("lang", ["fr", "en"])
WORDS = {"fr": ("Installez le plug-in OpenXR.", "WSA hérité"),
         "en": ("Install the OpenXR plugin.", "Legacy WSA")}


# -- mangled quotes ------------------------------------------------------------------

MANGLED = (
    "---\ntitle: Focus\n---\n"
    '#### <a name="focus-events&quot;></a><span data-ttu-id=&quot;2e4a0-184&quot;>'
    'Obtention des événements</span><span class=&quot;sxs-lookup&quot;>'
    '<span data-stu-id=&quot;2e4a0-184&quot;>Getting Focus Events</span></span>\n\n'
    '* <span data-ttu-id="7e3ea-245&quot;>La main n’effectue pas de suivi.</span>'
    '<span class=&quot;sxs-lookup&quot;><span data-stu-id=&quot;7e3ea-245&quot;>'
    'The hand is not tracking.</span></span>\n')


@BOTH
def test_mangled_quote_segments_render_in_one_language_like_any_other(lang):
    page, problems = parse(MANGLED, "focus.md")
    assert {p.severity for p in problems} == {"warning"}
    out = html_of(page, lang)
    french, english = "Obtention des événements", "Getting Focus Events"
    shown, hidden = (french, english) if lang == "fr" else (english, french)
    heading = re.search(r"<h4[^>]*>(.*?)</h4>", out).group(1)
    assert shown in heading and hidden not in visible(heading)
    assert heading.startswith('<a name="focus-events"></a>')
    assert "sxs-lookup" not in out and "&amp;quot;" not in out and "data-ttu-id" not in out
    if lang == "fr":
        assert f'data-source="{english}"' in heading
        assert "La main n’effectue pas de suivi." in out


# -- tabs --------------------------------------------------------------------------------

@BOTH
def test_tabs_become_material_content_tabs_with_the_labels_of_the_page_language(lang):
    out = html_of(page_of("tabs.md"), lang)
    sets = re.findall(r'<div class="tabbed-set tabbed-alternate".*?(?=<div class="tabbed-set|'
                      r'<h2|$)', out, re.S)
    assert len(sets) == 2
    labels = re.findall(r"<label [^>]*>(.*?)</label>", sets[0], re.S)
    assert [visible(label).strip() for label in labels] == ["Unity + OpenXR", WORDS[lang][1]]
    assert WORDS[lang][0] in sets[0]
    assert labels[0].startswith('<a name="unity-openxr"></a><span class="docfx-tab" data-tab="openxr">')
    assert 'data-tab="openxr"' in re.findall(r"<label [^>]*>(.*?)</label>", sets[1], re.S)[0]
    # the heading inside a tab stays in the tab; the code is code, not a tab
    assert "<h3" in sets[0] and "# [Not a tab](#tab/no)" in sets[0]
    assert "#tab/" not in visible(out) and "---" not in visible(out)
    after = "Après les onglets." if lang == "fr" else "After the tabs."
    assert after in out.split('<div class="tabbed-set', 2)[1].split("</div>\n</div>")[-1] or \
        after not in sets[0]
    assert re.search(r"<h2[^>]*>.*(Fin|End)", out)


# -- quoted blocks: video, div ------------------------------------------------------------

@BOTH
def test_videos_are_responsive_https_frames_and_youtube_goes_through_no_cookie(lang):
    out = html_of(page_of("quoted.md"), lang)
    frames = re.findall(r'<div class="docfx-video"><iframe [^>]*src="([^"]*)"', out)
    assert frames == ["https://www.youtube-nocookie.com/embed/HsnH2Q7HxOA",
                      "https://channel9.msdn.com/Shows/Docs-Mixed-Reality/Intro/player?format=ny"]
    assert 'href="http://example.com/video"' in out and "[!VIDEO" not in out


@BOTH
def test_div_sections_nextstepaction_checklist_and_nested(lang):
    out = html_of(page_of("quoted.md"), lang)
    words = {"fr": ("Déployer sur HoloLens", "Ajouter des interactions", "Imbriqué", "Important"),
             "en": ("Deploy to HoloLens", "Add interactions", "Nested", "Important")}[lang]
    step = re.search(r'<div class="docfx-div nextstepaction">\s*<p><a href="deploy.md">(.*?)</a>',
                     out, re.S)
    assert step and words[0] in step.group(1)
    check = re.search(r'<div class="docfx-div checklist">\s*<ul>\s*<li>(.*?)</li>', out, re.S)
    assert check and words[1] in check.group(1)
    nested = re.search(r'<div class="docfx-div mx-imgBorder">\s*<div class="docfx-div '
                       r'nextstepaction">\s*<p><a href="nested.md">(.*?)</a>', out, re.S)
    assert nested and words[2] in nested.group(1)
    assert "[!div" not in out and "[!IMPORTANT]" not in out
    assert re.search(r'<p class="admonition-title">' + words[3] + "</p>", out)


# -- includes ------------------------------------------------------------------------------

INCLUDED = {"fr": {"includes/pn-psa.md": "---\ntitle: x\n---\n<span class=\"docloc-seg\" "
                   "data-source=\"Project Service Automation\">Project Service Automation</span>\n",
                   "docs/includes/banner.md": "Bannière **importante**.\n\nDeux paragraphes.\n"},
            "en": {"includes/pn-psa.md": "Project Service Automation\n",
                   "docs/includes/banner.md": "Important **banner**.\n\nTwo paragraphs.\n"}}


def include_for(lang: str, asked: list):
    def include(uri: str) -> str:
        asked.append(uri)
        return INCLUDED[lang][uri]
    return include


@BOTH
def test_inline_include_is_substituted_in_the_sentence_and_in_its_tooltip(lang):
    asked: list = []
    page = page_of("inline.md", "docs/guide/inline.md")
    page = Page("guide/inline.md", page.locale, page.parts, page.meta)
    out = html_of(page, lang, include=include_for(lang, asked), docset="docs")
    sentence = {"fr": "Une unité Project Service Automation organisationnelle.",
                "en": "A Project Service Automation organizational unit."}[lang]
    assert sentence in re.sub(r"<[^>]+>", "", out)
    if lang == "fr":
        assert 'data-source="A Project Service Automation organizational unit."' in out
    # ~/ starts at the docset root (the folder holding docfx.json), a block stays blocks
    assert "docs/includes/banner.md" in asked
    banner = {"fr": "<p>Bannière <strong>importante</strong>.</p>\n<p>Deux paragraphes.</p>",
              "en": "<p>Important <strong>banner</strong>.</p>\n<p>Two paragraphs.</p>"}[lang]
    assert banner in out
    assert "[!INCLUDE" not in out and "[!include" not in out and "!INCLUDE" not in out
    # a translation that changes an include's path shows its title, not a file it chose
    if lang == "fr":
        assert "Sans pn_psa inclusion." in re.sub(r"<[^>]+>", "", out)
        assert "includes/autre.md" not in asked


def test_include_check_names_what_a_translation_drops_or_alters():
    source = "A [!INCLUDE[pn](../includes/pn.md)] unit of [!INCLUDE[x](x.md)]."
    assert docfx.include_changes(source, "Une [!INCLUDE[pn](../includes/pn.md)] de "
                                         "[!INCLUDE[autre titre](x.md)].") == []
    assert docfx.include_changes(source, "Une unité de [!INCLUDE[x](x.md)].") == [
        "the translation drops or alters [!INCLUDE[...](../includes/pn.md)]; "
        "copy it from the source unchanged"]
    assert docfx.include_changes(source, "[!INCLUDE[pn](../includes/PN.md)] [!INCLUDE[x](x.md)]") == [
        "the translation drops or alters [!INCLUDE[...](../includes/pn.md)]; "
        "copy it from the source unchanged",
        "the translation includes ../includes/PN.md, which the source does not; remove it"]


def test_catalog_keeps_the_include_syntax_so_export_is_byte_exact():
    page = page_of("inline.md")
    entries = page_catalog(page, page.path).entries
    assert any("[!INCLUDE[pn_psa](../includes/pn-psa.md)]" in e.msgid for e in entries)
    assert page.with_targets({}).bilingual() == (FIXTURES / "inline.md").read_text(encoding="utf-8")


# -- grids, images, no-loc, xref, zones, monikers ------------------------------------------

@BOTH
def test_rows_columns_images_no_loc_and_xrefs(lang):
    out = html_of(page_of("grid.md"), lang)
    words = {"fr": ("Colonne large.", "Contrôleur", "Schéma", "Description longue du schéma.",
                    "Utilisez Azure et"),
             "en": ("Wide column.", "Controller", "Diagram", "Long description of the diagram.",
                    "Use Azure and")}[lang]
    row = re.search(r'<div class="docfx-row">\s*<div class="docfx-column docfx-span-2">(.*?)</div>'
                    r'\s*<div class="docfx-column docfx-span-1">(.*?)</div>\s*</div>', out, re.S)
    assert row and words[0] in row.group(1) and "<pre" not in row.group(1)
    assert f'<img alt="{words[1]}" src="images/ctrl.png">' in row.group(2)
    assert (f'<a href="media/flow-big.png"><img alt="{words[2]}" class="docfx-border" '
            'src="media/flow.png"></a>') in out
    longdesc = re.search(r'<details class="docfx-longdesc">\s*<summary>([^<]+)</summary>(.*?)'
                         r"</details>", out, re.S)
    assert longdesc and words[3] in longdesc.group(2)
    assert longdesc.group(1) == {"fr": "Description détaillée", "en": "Long description"}[lang]
    assert '<img alt="" src="media/icon.svg">' in out  # an icon has no border
    assert (f"{words[4]} <code>System.String</code>") in out
    assert "<code>System.Int32</code>" in out
    assert ":::" not in visible(out) and "xref:" not in out and "@System" not in out
    if lang == "fr":
        assert 'data-source="Use Azure and System.String or System.Int32."' in out


@BOTH
def test_zones_and_monikers_are_blocks_the_selector_shows_one_at_a_time(lang):
    out = html_of(page_of("grid.md"), lang)
    zones = re.findall(r'<div class="docfx-zone" data-pivot="([^"]*)">(.*?)</div>\n(?=<div|$)',
                       out, re.S)
    assert [z[0] for z in zones] == ["unity", "unreal native"]
    assert {"fr": "Dans Unity.", "en": "In Unity."}[lang] in zones[0][1]
    assert {"fr": "Conseil", "en": "Tip"}[lang] in zones[0][1]  # an alert inside a zone
    assert "Jamais affiché" not in out and "Never shown" not in out
    assert re.findall(r'<div class="docfx-moniker" data-moniker="([^"]*)">', out) == [
        "&gt;= mrtk-2021", "&lt; mrtk-2021"]
    assert "zone-end" not in out and "moniker" not in visible(out)


# -- code snippets ------------------------------------------------------------------------

def read_fixture(uri: str) -> str:
    path = FIXTURES / uri
    if not path.is_file():
        raise DoclocError("no such file in the content folder", uri)
    return path.read_text(encoding="utf-8")


@BOTH
def test_code_snippets_are_read_from_the_content_folder(lang):
    out = rendered(page_of("code.md"), lang, read=read_fixture).markdown
    assert '```cs\nstatic void Greet()\n{\n    Console.WriteLine("Bonjour");\n}\n```' in out
    assert '```cs hl_lines="2"\nusing System;\nclass Sample\n{\n```' in out
    assert '```cs hl_lines="3"\nstatic void Greet()\n{\n    Console.WriteLine("Bonjour");\n}\n```' in out
    html = html_of(page_of("code.md"), lang, read=read_fixture)
    assert "[!code" not in html and ":::code" not in html and "#region" not in html
    assert {"fr": "Fin.", "en": "End."}[lang] in html


@pytest.mark.parametrize("path, message", [
    ("../../secret.cs", "code snippet '../../secret.cs' leads outside the content folder"),
    ("code/Missing.cs", "code snippet 'code/Missing.cs': no such file in the content folder"),
    ("code/Sample.cs#Nope", "code snippet 'code/Sample.cs' has no region 'Nope'")])
def test_code_snippet_outside_the_content_or_missing_is_refused_at_file_line(path, message):
    text = (FIXTURES / "code.md").read_text(encoding="utf-8")
    text = text.replace("code/Sample.cs#Greeting", path)
    page, _ = parse(text, "code.md")
    with pytest.raises(DoclocError) as error:
        render_page(page, translations=None, read=read_fixture)
    assert str(error.value).startswith(f"code.md:7:1: {message}")


# -- alert titles in the page's language ---------------------------------------------------

@pytest.mark.parametrize("exists", [True, False], ids=["translated", "shown from the English"])
def test_every_alert_is_titled_in_the_page_language(exists):
    """The Arabic site showed "Important" in English: a page missing in the locale
    (rendered from the English) was given no titles. ``notices_in`` now brings them."""
    page = page_of("quoted.md")
    text = "\n".join(f"> [!{kind}]\n> x\n" for kind in docfx.ALERTS)
    page = Page(page.path, page.locale, (text,), page.meta)
    for lang, important in (("ar", "هام"), ("de", "Wichtig"), ("fr", "Important"),
                            ("ko", "Important")):
        out = render_page(page, translations={} if exists else None, notices_in=lang,
                          page_exists_in_locale=exists).markdown
        titles = [ALERT_TITLES.get(lang, {}).get(k, docfx.ALERTS[k][1]) for k in docfx.ALERTS]
        assert re.findall(r'^!!! [\w ]+ "(.*)"$', out, re.M) == titles
        assert f'"{important}"' in out


# -- the default content's page of constructs ------------------------------------------------

ROOT = Path(__file__).parent.parent


@BOTH
def test_default_content_page_shows_every_construct_in_english_and_french(lang):
    from pipeline.catalog_po import load
    from pipeline.segment import segment_page
    text = (ROOT / "content" / "en-US" / "docfx-markdown.md").read_text(encoding="utf-8")
    page = segment_page(text, "en-US/docfx-markdown.md", "en-US", key="docfx-markdown.md")
    options = {}
    if lang == "fr":
        po = ROOT / "locales" / "fr_FR" / "LC_MESSAGES" / "docfx-markdown.po"
        options = {"translations": translations(load(po.read_bytes(), str(po))),
                   "notices_in": "fr"}
    else:
        options = {"translations": None}
    body = render_page(page, **options).markdown.split("---\n", 2)[2]
    out = clean_page(markdown.markdown(body, extensions=list(MARKDOWN_EXTENSIONS),
                                       extension_configs={"pymdownx.tabbed": {"alternate_style": True}}))
    words = {"fr": ("Conseil", "Ouvrez le menu", "Dans le portail", "La colonne large",
                    "Exportez vos données", "Lire la politique de confidentialité"),
             "en": ("Tip", "Open the", "In the portal", "The wide column",
                    "Export your data", "Read the privacy policy")}[lang]
    assert f'<p class="admonition-title">{words[0]}</p>' in out
    assert out.count('<div class="tabbed-set tabbed-alternate"') == 2
    assert out.count('data-tab="windows"') == 2 and words[1] in out
    assert re.search(r'<div class="docfx-zone" data-pivot="portal">\s*<p>.*' + words[2], out)
    assert re.search(r'<div class="docfx-column docfx-span-2">\s*<p>.*' + words[3], out)
    assert 'src="https://www.youtube-nocookie.com/embed/HsnH2Q7HxOA"' in out
    assert re.search(r'<div class="docfx-div checklist">\s*<ul>\s*<li>.*' + words[4], out)
    assert re.search(r'<div class="docfx-div nextstepaction">\s*<p>.*<a href="privacy-policy.md">'
                     r'.*' + words[5], out)
    assert "<code>Contoso.Cloud.Export</code>" in out and "Contoso Cloud" in out
    for syntax in ("[!", ":::", "#tab/", "zone", "xref:"):
        assert syntax not in visible(out), syntax


# -- alerts where real pages put them ----------------------------------------------------------

LISTED = (  # as in mrtk-unity/updates-deployment/updating.md and creating-a-holographic-...md
    "1. Delete these folders\n"
    "    - MRTK/StandardAssets\n"
    "    > [!IMPORTANT]\n"
    "    > Back up the shaders first.\n"
    "    - MRTK/Tools\n"
    "    > [!NOTE]\n"
    "    > Keep the .meta files.\n"
    "2. Pick the versions.\n"
    "   *Setting the versions*\n"
    "   >[!WARNING]\n"
    "   >Install the latest SDK.\n")


def test_alerts_under_list_items_end_at_the_next_item_and_stay_in_the_list():
    page = Page("list.md", "fr-FR", (LISTED,), {})
    out = clean_page(markdown.markdown(render_page(page, translations=None).markdown.split(
        "---\n", 2)[2], extensions=list(MARKDOWN_EXTENSIONS)))
    assert "[!" not in out and "!!!" not in out
    titles = re.findall(r'<p class="admonition-title">(\w+)</p>\s*<p>([^<]*)</p>', out)
    assert titles == [("Important", "Back up the shaders first."),
                      ("Note", "Keep the .meta files."), ("Warning", "Install the latest SDK.")]
    assert re.search(r"<li>(?:\s*<p>)?MRTK/Tools(?:</p>)?</li>", out)  # not swallowed by the alert
    # the warning is inside the second item of the numbered list
    assert re.search(r"<li>\s*<p>Pick the versions\.[^<]*<em>Setting the versions</em></p>\s*"
                     r'<div class="admonition warning">', out)


# -- the mixed-reality corpus, built whole (a few minutes; skips when it is absent) -----------

_LEFT_ANYWHERE = re.compile(r"\[!(?:INCLUDE|code-)|:::|#tab/|moniker range|moniker-end|zone-end|"
                            r"zone pivot|<xref:|data-ttu-id|data-stu-id|sxs-lookup", re.I)
_LEFT_MARKER = re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION|VIDEO|div)\b", re.I)
"""Alert markers count outside emphasis: in it they are a page citing the syntax
(mrtk-unity/contributing/documentation-guide.md writes *> [!NOTE]*)."""


def _article(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "<article" not in text:
        return ""
    text = text[text.index("<article"):text.index("</article>")]
    return re.sub(r"<pre\b.*?</pre>|<code>.*?</code>|<script\b.*?</script>", " ", text, flags=re.S)


def test_mixed_reality_corpus_builds_with_no_docfx_syntax_or_doubled_language(corpus, tmp_path):
    import html as htmllib
    import shutil

    from pipeline.cli import main
    source = corpus.parent / "mixed-reality-fr-fr" / "2021-08-03"
    if not source.is_dir():
        pytest.skip("mixed-reality corpus not found")
    content = tmp_path / "content"
    shutil.copytree(source, content)
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--locales", str(tmp_path / "locales"),
                 "--site", str(site)]) in (0, 4)  # 4: the mangled quotes' warnings
    pages = sorted(site.glob("*/**/index.html"))
    assert len(pages) > 1000
    left, doubled = [], []
    for path in pages:
        article = _article(path)
        where = str(path.relative_to(site))
        for match in _LEFT_ANYWHERE.finditer(htmllib.unescape(re.sub(r"<[^>]+>", " ", article))):
            left.append((where, match.group()))
        plain = re.sub(r"<[^>]+>", " ", re.sub(r"<em>.*?</em>", " ", article, flags=re.S))
        left += [(where, m.group()) for m in _LEFT_MARKER.finditer(htmllib.unescape(plain))]
        # a segment's English right after its translation (the vendor's sxs-lookup shown)
        if re.search(r"sxs-lookup|data-[st]tu-id", article):
            doubled.append((where, "a segment's tags left in the page"))
        for seg in re.finditer(r'<span class="docloc-seg" data-source="([^"]{12,})">(.*?)</span>'
                               r"\s*([^<]{0,300})", article):
            english = htmllib.unescape(seg.group(1)).strip()
            shown = htmllib.unescape(re.sub(r"<[^>]+>", "", seg.group(2))).strip()
            if english != shown and htmllib.unescape(seg.group(3)).strip().startswith(english[:40]):
                doubled.append((where, english))
    assert left == [] and doubled == []
    # include files are never pages (56 of them, in includes/ folders)
    assert not [p for p in pages if "/includes/" in p.as_posix()]
    # translated headings keep the English ids: the same ids, page by page
    differ = []
    for path in site.glob("en-us/**/index.html"):
        french = site / "fr-fr" / path.relative_to(site / "en-us")
        if french.is_file():
            ids = [re.findall(r'<h[1-6][^>]*\sid="([^"]*)"', p.read_text(encoding="utf-8"))
                   for p in (path, french)]
            differ += [(str(path), a, b) for a, b in zip(*ids) if a != b]
    assert differ == []
    # what stays broken is the docset's own: files the localized repo does not carry
    broken = json.loads((tmp_path / ".docloc-work" / "site" / "en-us" / "broken-links.json")
                        .read_text(encoding="utf-8"))
    ours = []
    for entry in broken:  # a link to a page the content has, left broken, is docloc's fault
        page, target = entry.split(" -> ")
        if not re.search(r"\.md(#|$)", target):
            continue
        page = page[:-len("index.html")].rstrip("/")
        base = page if (content / page / "index.md").is_file() else posixpath.dirname(page)
        if (content / posixpath.normpath(posixpath.join(base, target.split("#")[0]))).is_file():
            ours.append(entry)
    assert ours == []
    # the DocFX YAML pages (YamlMime:Hub, Landing, FAQ) are pages, and links to them work
    for tag in ("en-us", "fr-fr"):
        for uri in ("enthusiast-guide/index.html", "enthusiast-guide/wmr-setup-faq/index.html",
                    "maquette/index.html", "mixed-reality-docs/mr-dev-docs/index.html"):
            assert "YamlMime" not in _article(site / tag / uri)
    assert "Codes d’erreur" in _article(site / "fr-fr" / "enthusiast-guide" / "index.html")
    assert [b for b in broken if re.search(r"\.ya?ml(#|$)", b)] == [
        "mrtk-unity/contributing/experimental-features/index.html -> ../toc.yml"]  # a TOC


# -- in a browser: the default content's page of constructs ----------------------------------

@pytest.fixture(scope="module")
def docfx_browser():
    """One Chromium for the module (Playwright's sync API runs once per thread);
    skips without playwright/chromium."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from browser_util import CHROMIUM, launch
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        try:
            browser = launch(p)
        except sync_api.Error as exc:
            pytest.skip(f"chromium does not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def docfx_page(tmp_path_factory, docfx_browser):
    """(browser page factory) on the built default site."""
    from browser_util import VIEWPORT, build_default_site, serve
    browser = docfx_browser
    site = build_default_site(tmp_path_factory.mktemp("docfx-browser") / "project")
    with serve(site) as base:
        def open_page(query: str = "", lang: str = "en-us", name: str = "docfx-markdown"):
            context = browser.new_context(viewport=VIEWPORT)
            context.set_default_timeout(10_000)
            context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda r: r.abort())
            page = context.new_page()
            page.goto(f"{base}/{lang}/{name}/{query}")
            return page
        yield open_page


def test_browser_clicking_a_tab_switches_every_tab_of_its_id(docfx_page):
    page = docfx_page()
    first = page.locator(".tabbed-set").nth(0)
    second = page.locator(".tabbed-set").nth(1)
    assert first.locator(".tabbed-block").nth(0).is_visible()
    first.locator("label", has_text="macOS").click()
    assert first.locator(".tabbed-block", has_text="Launchpad").is_visible()
    assert second.locator(".tabbed-block", has_text="Apple ID").is_visible()
    assert not second.locator(".tabbed-block", has_text="Sign in with your work account.").is_visible()
    assert "tabs=macos" in page.url


def test_browser_a_pivot_selector_shows_one_zone_and_keeps_it_in_the_url(docfx_page):
    page = docfx_page()
    portal, cli = page.locator('[data-pivot="portal"]'), page.locator('[data-pivot="cli"]')
    assert portal.is_visible() and not cli.is_visible()
    page.locator(".docfx-selector button", has_text="cli").click()
    assert cli.is_visible() and not portal.is_visible()
    assert "pivots=cli" in page.url
    again = docfx_page("?pivots=cli")
    assert again.locator('[data-pivot="cli"]').is_visible()
    assert not again.locator('[data-pivot="portal"]').is_visible()


def test_browser_a_moniker_selector_shows_one_version_and_keeps_it_in_the_url(docfx_page):
    page = docfx_page()
    new = page.locator(".docfx-moniker", has_text="in the background")
    old = page.locator(".docfx-moniker", has_text="while you wait")
    assert new.is_visible() and not old.is_visible()
    page.locator(".docfx-selector button", has_text="contoso-2022").click()
    assert old.is_visible() and not new.is_visible()
    assert "view=contoso-2022" in page.url
    again = docfx_page("?view=contoso-2022")
    assert again.locator(".docfx-moniker", has_text="while you wait").is_visible()
    assert not again.locator(".docfx-moniker", has_text="in the background").is_visible()


def test_browser_the_video_is_a_responsive_no_cookie_frame(docfx_page):
    page = docfx_page()
    frame = page.locator(".docfx-video iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/HsnH2Q7HxOA"
    box = frame.bounding_box()
    assert box and box["width"] > 300 and abs(box["width"] / box["height"] - 16 / 9) < 0.05


def test_browser_an_english_anchor_opens_the_translated_heading_and_the_switcher_keeps_it(
        docfx_page):
    page = docfx_page("#your-rights", lang="fr-fr", name="privacy-policy")
    heading = page.locator("h2#your-rights")
    assert heading.inner_text().strip().rstrip("¶") == "Vos droits"
    assert page.evaluate("scrollY") > 0  # the browser scrolled to it
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect(heading).to_be_in_viewport()
    page.locator('a.docloc-switch[hreflang^="en"]').dispatch_event("click")
    page.wait_for_url(re.compile(r"/en-us/privacy-policy/#your-rights$"))
    assert page.locator("h2#your-rights").inner_text().strip().rstrip("¶") == "Your rights"


# -- real builds: docsets, includes, snippets, xrefs ---------------------------------------------

def seg(n: str, french: str, english: str) -> str:
    return (f'<span data-ttu-id="dfx10-{n}">{french}</span><span class="sxs-lookup">'
            f'<span data-stu-id="dfx10-{n}">{english}</span></span>')


def bilingual(title: str, body: str, **meta: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return f"---\ntitle: {title}\nms.contentlocale: fr-FR\n{extra}---\n{body}"


def two_docsets(root: Path) -> Path:
    """Two docsets, each with its own ``~/includes/banner.md``, a code snippet read from the
    docset, an xref to a page's uid, and include files DocFX leaves out of its content."""
    content = root / "content"
    spec = {"build": {"content": [{"files": ["**/*.md"], "exclude": ["**/includes/**"]}]}}
    for name, word in (("alpha", ("Bannière Alpha.", "Alpha banner.")),
                       ("beta", ("Bannière Bêta.", "Beta banner."))):
        docset = content / name
        (docset / "includes").mkdir(parents=True)
        (docset / "code").mkdir()
        (docset / "docfx.json").write_text(json.dumps({"build": {
            **spec["build"], "globalMetadata": {
                "titleSuffix": name.title() + " Docs",
                "breadcrumb_path": f"/docs/{name}/breadcrumb/toc.json"}}}),
            encoding="utf-8")
        (docset / "includes" / "banner.md").write_text(  # linked from its own folder
            seg("1" + name[0], *word) + " [Guide](../guide.md)\n", encoding="utf-8")
        (docset / "code" / "Hello.cs").write_text(
            "class Hello {\n    // #region Main\n    void Main() { }\n    // #endregion\n}\n",
            encoding="utf-8")
        (docset / "index.md").write_text(bilingual("Accueil", (
            f"# {seg('2' + name[0], 'Accueil', 'Home')}\n\n"
            "[!INCLUDE[banner](~/includes/banner.md)]\n\n"
            f"{seg('3' + name[0], 'Voir <xref:' + name + '.guide>.', 'See <xref:' + name + '.guide>.')}\n\n"
            "[!code-csharp[](~/code/Hello.cs#Main)]\n\n"
            "[Alpha guide](/docs/alpha/guide) [Alpha](/docs/alpha/)\n\n"
            f"{seg('0' + name[0], 'Voir [le guide](~/guide.md).', 'See [the guide](~/guide.md).')}\n")),
            encoding="utf-8")
        (docset / "guide.md").write_text(bilingual(
            "Guide " + name, f"# {seg('4' + name[0], 'Le guide', 'The guide')}\n\n"
            f"{seg('5' + name[0], 'Voir les [limites](#file-and-model-limitations).', 'See the [limits](#file-and-model-limitations).')}\n\n"
            f"## {seg('6' + name[0], 'Limites des fichiers et des modèles', 'File and model limitations')}\n\n"
            '<table><tr><td><a href="index.md">Home</a></td></tr></table>\n\n'
            "[Back](INDEX.md)\n",
            uid=f"{name}.guide"), encoding="utf-8")
    (content / "alpha" / "TOC.yml").write_text(
        "- name: Accueil alpha\n  href: index.md\n- name: Plus\n  href: more/toc.yml\n",
        encoding="utf-8")
    (content / "alpha" / "more").mkdir()
    (content / "alpha" / "more" / "toc.yml").write_text(
        "- name: Le guide détaillé\n  href: ../guide.md\n", encoding="utf-8")
    (content / "alpha" / "zone-pivot-groups.yml").write_text(
        "groups:\n- id: engine\n  title: Engine\n  prompt: Choose an engine\n  pivots:\n"
        "  - id: unity\n    title: Unity 2020\n  - id: unreal\n    title: Unreal Engine 4\n",
        encoding="utf-8")
    (content / "alpha" / "pivots.md").write_text(bilingual("Pivots", (
        f"# {seg('7a', 'Moteurs', 'Engines')}\n\n:::zone pivot=\"unreal\"\n\n"
        f"{seg('8a', 'Pour Unreal.', 'For Unreal.')}\n\n:::zone-end\n\n:::zone pivot=\"unity\"\n\n"
        f"{seg('9a', 'Pour Unity.', 'For Unity.')}\n\n:::zone-end\n"), zone_pivot_groups="engine"),
        encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def docsets_site(tmp_path_factory) -> Path:
    from pipeline.cli import EXIT_OK, main
    root = tmp_path_factory.mktemp("docsets")
    content = two_docsets(root)
    assert main(["build", "--content", str(content), "--locales", str(root / "locales"),
                 "--site", str(root / "site")]) == EXIT_OK
    return root / "site"


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_each_docset_resolves_its_own_includes_snippets_and_xrefs(docsets_site, tag):
    for name, banner, guide in (("alpha", ("Bannière Alpha.", "Alpha banner."), "Guide alpha"),
                                ("beta", ("Bannière Bêta.", "Beta banner."), "Guide beta")):
        out = (docsets_site / tag / name / "index.html").read_text(encoding="utf-8")
        article = out[out.index("<article"):out.index("</article>")]
        assert banner[0 if tag == "fr-fr" else 1] in article
        assert (banner[1] if tag == "fr-fr" else banner[0]) not in visible(article)
        code = re.sub(r"<[^>]+>", "", re.search(r"<pre.*?</pre>", article, re.S).group())
        assert code.strip() == "void Main() { }"  # the region, not the whole file
        assert "[!code" not in article
        link = re.search(r'<a href="([^"]*)">([^<]*)</a>\.', article)
        assert link and link.group(1) == "guide/" and link.group(2) == \
            (guide if tag == "fr-fr" else "The guide")
        assert "xref:" not in article
        assert '<a href="guide/">Guide</a>' in article  # the include's link, rebased
        assert re.search(r'<a href="guide/">(le guide|the guide)</a>', article)  # ~/ link


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_md_links_in_raw_html_or_in_another_case_lead_to_the_page(docsets_site, tag):
    out = (docsets_site / tag / "alpha" / "guide" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../">Home</a>' in out and '<a href="../">Back</a>' in out
    assert ".md" not in out[out.index("<article"):out.index("</article>")]


def test_translated_headings_keep_the_english_ids_so_in_page_links_work(docsets_site):
    out = (docsets_site / "fr-fr" / "alpha" / "guide" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="([^"]*)">(.*?)</h2>', out, re.S)
    assert heading.group(1) == "file-and-model-limitations"
    assert '<a id="limites-des-fichiers-et-des-modeles"></a>' in heading.group(2)
    assert "Limites des fichiers" in heading.group(2)
    assert '<a href="#file-and-model-limitations">limites</a>' in out
    toc = out[out.index('<nav class="md-nav md-nav--secondary"'):]
    assert 'href="#file-and-model-limitations"' in toc.split("</nav>")[0]
    from pipeline.site import check_links
    assert check_links(docsets_site, ["fr-fr"]) == {"fr-fr": []}


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_zone_pivot_titles_come_from_the_docsets_zone_pivot_groups(docsets_site, tag):
    out = (docsets_site / tag / "alpha" / "pivots" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="docloc-data" type="application/json">(.*?)</script>',
                                out, re.S).group(1))
    assert data["pivots"] == [["unity", "Unity 2020"], ["unreal", "Unreal Engine 4"]]
    assert re.findall(r'data-pivot="(\w+)"', out) == ["unreal", "unity"]


def test_browser_the_pivot_selector_shows_the_titles_in_the_groups_order(docsets_site,
                                                                        docfx_browser):
    from browser_util import VIEWPORT, serve
    with serve(docsets_site) as base:
        page = docfx_browser.new_page(viewport=VIEWPORT)
        page.goto(f"{base}/fr-fr/alpha/pivots/")
        buttons = page.locator(".docfx-selector button")
        assert buttons.all_inner_texts() == ["Unity 2020", "Unreal Engine 4"]
        assert page.locator('[data-pivot="unity"]').is_visible()
        assert not page.locator('[data-pivot="unreal"]').is_visible()
        buttons.nth(1).click()
        assert page.locator('[data-pivot="unreal"]').is_visible() and "pivots=unreal" in page.url
        page.close()


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_each_docset_is_a_section_and_nested_tocs_have_english_labels_in_english(docsets_site,
                                                                                 tag):
    out = (docsets_site / tag / "alpha" / "guide" / "index.html").read_text(encoding="utf-8")
    nav = out[out.index('<nav class="md-nav md-nav--primary"'):]
    labels = re.findall(r">\s*([^<>]*?)\s*<", nav)
    assert "Alpha Docs" in labels and "Beta Docs" in labels
    assert ("Le guide détaillé" if tag == "fr-fr" else "The guide") in labels  # nested TOC
    assert ("Accueil alpha" if tag == "fr-fr" else "Home") in labels
    assert "alpha" not in labels and "beta" not in labels  # not the folders' names


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_site_root_links_into_a_docset_built_here_lead_to_its_pages(docsets_site, tag):
    out = (docsets_site / tag / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../alpha/guide/">Alpha guide</a>' in out  # published at /docs/alpha/
    assert '<a href="../alpha/">Alpha</a>' in out


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_include_files_are_never_pages_nav_entries_or_search_results(docsets_site, tag):
    for name in ("alpha", "beta"):
        assert not (docsets_site / tag / name / "includes").exists()
        out = (docsets_site / tag / name / "index.html").read_text(encoding="utf-8")
        nav = out[out.index('<nav class="md-nav md-nav--primary"'):out.index("</nav>")]
        assert "includes" not in nav.lower() and "banner" not in nav.lower()
    index = json.loads((docsets_site / tag / "search" / "search_index.json").read_text(
        encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if "includes" in d["location"]]
    assert [d for d in index["docs"] if d["location"].startswith("alpha/guide/")]
