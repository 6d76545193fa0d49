"""What readers get, in a real browser: the default content built and served.

Playwright drives Debian's Chromium (``/usr/bin/chromium``); the module is
skipped when either is missing. The site is built once per module from a copy
of content/ and mkdocs.yml, and served over HTTP on 127.0.0.1 (Material's
search needs HTTP: its worker fetches the index). Every test gets a fresh
browser context, so localStorage never leaks from one test to the next.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from browser_util import (  # noqa: E402
    CHROMIUM,
    VIEWPORT,
    build_default_site,
    docloc_serving,
    hover_first_segment,
    launch,
    serve,
)

if not Path(CHROMIUM).is_file():
    pytest.skip(f"chromium not found at {CHROMIUM}", allow_module_level=True)

expect = sync_api.expect
TIMEOUT_MS = 10_000
PREF_KEY = "docloc-read-in-english"
ARABIC = re.compile(r"[\u0600-\u06ff]")
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    return build_default_site(tmp_path_factory.mktemp("browser") / "project")


@pytest.fixture(scope="module")
def base_url(site_dir: Path):
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            browser = launch(p)
        except sync_api.Error as exc:  # a Chromium that cannot start here
            pytest.skip(f"chromium does not start: {exc}")
        yield browser
        browser.close()


def _context(browser, **options):
    """A fresh context (own localStorage) that never leaves 127.0.0.1 (no web fonts)."""
    context = browser.new_context(**{"viewport": VIEWPORT, "locale": "en-US", **options})
    context.set_default_timeout(TIMEOUT_MS)
    context.route(OUTSIDE, lambda route: route.abort())
    return context


@pytest.fixture
def page(browser):
    context = _context(browser)
    yield context.new_page()
    context.close()


def _switcher(page) -> dict[str, str]:
    """hreflang -> absolute href of the language switcher's entries."""
    return page.eval_on_selector_all(
        ".md-select a.docloc-switch",
        "els => Object.fromEntries(els.map(a => [a.hreflang, a.href]))")


def _english_title(page) -> str:
    """The English source of a translated page's H1 (its segment's data-source)."""
    source = page.locator("article h1 .docloc-seg[data-source]").first.get_attribute("data-source")
    assert source
    return source


# 1. The switcher leads to the same page in the chosen language.

def test_switcher_picks_english_and_lands_on_the_same_page_in_english(page, base_url):
    page.goto(f"{base_url}/fr-fr/privacy-policy/")
    expect(page.locator("article h1")).to_contain_text("Politique de confidentialité")
    english_title = _english_title(page)

    page.locator(".md-header .md-select").hover()
    english = page.locator(".md-select a.docloc-switch[hreflang='en-us']")
    expect(english).to_be_visible()
    expect(english).to_have_text("English")
    english.click()

    expect(page).to_have_url(f"{base_url}/en-us/privacy-policy/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    h1 = page.locator("article h1")
    expect(h1).to_contain_text(english_title)
    assert "Politique" not in h1.inner_text()
    assert page.locator("article .docloc-seg, article .docloc-fallback").count() == 0
    # An explicit choice, not the toggle: no "Back to" button on the English page.
    expect(page.locator("button.docloc-toggle")).to_have_count(0)


# 2. Search is per language.

def test_french_search_finds_french_pages_only(page, base_url, site_dir):
    index = (site_dir / "fr-fr" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["fr"]' in index.replace(" ", ""), "French index without the French stemmer"
    page.goto(f"{base_url}/fr-fr/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("données")
    links = page.locator(".md-search-result__list a.md-search-result__link")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("els => els.map(a => a.href)")
    assert hrefs
    assert all(h.startswith(f"{base_url}/fr-fr/") for h in hrefs), hrefs
    texts = links.evaluate_all("els => els.map(a => a.innerText)")
    assert any("données" in t.lower() for t in texts), texts
    # The word is French: the English build of the site does not find it.
    page.goto(f"{base_url}/en-us/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("données")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^No matching"))
    expect(page.locator(".md-search-result__list a.md-search-result__link")).to_have_count(0)


# 3. and 4. The English original of a sentence, on hover and on keyboard focus.

def test_hovering_a_translated_sentence_shows_its_english_source(page, base_url):
    page.goto(f"{base_url}/fr-fr/privacy-policy/")
    segment, source = hover_first_segment(page, "article p .docloc-seg[data-source]")
    assert source and source not in segment.inner_text()
    tip = page.locator(".docloc-tip")
    expect(tip).to_have_count(1)
    expect(tip).to_have_text(source)
    expect(tip).to_have_attribute("role", "tooltip")
    expect(tip).to_have_attribute("lang", "en")
    # Below the sentence, inside the viewport.
    seg_box, tip_box = segment.bounding_box(), tip.bounding_box()
    assert tip_box["y"] >= seg_box["y"] + seg_box["height"] - 1
    assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= VIEWPORT["width"]

    page.mouse.move(5, VIEWPORT["height"] - 5)
    expect(tip).to_have_count(0)


def test_tabbing_to_a_translated_sentence_shows_its_english_source(page, base_url):
    page.goto(f"{base_url}/fr-fr/privacy-policy/")
    expect(page.locator("button.docloc-toggle")).to_be_visible()  # reader script ran
    focused_segment = "() => document.activeElement && document.activeElement.matches('.docloc-seg')"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(focused_segment):
            break
    else:
        pytest.fail("Tab never reached a translated sentence")
    source = page.evaluate("() => document.activeElement.getAttribute('data-source')")
    tip = page.locator(".docloc-tip")
    expect(tip).to_be_visible()
    expect(tip).to_have_text(source)
    page.keyboard.press("Escape")
    expect(tip).to_have_count(0)
    # The next sentence is reachable by keyboard too, and shows its own source.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate(focused_segment):
            break
    next_source = page.evaluate("() => document.activeElement.getAttribute('data-source')")
    assert next_source and next_source != source
    expect(tip).to_have_text(next_source)


def test_tapping_a_translated_sentence_shows_its_english_source(browser, base_url):
    context = _context(browser, viewport={"width": 412, "height": 900}, has_touch=True,
                       is_mobile=True, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/fr-fr/privacy-policy/")
        segment = page.locator("article p .docloc-seg[data-source]").first
        source = segment.get_attribute("data-source")
        segment.tap()
        expect(page.locator(".docloc-tip")).to_have_text(source, timeout=2_000)
    finally:
        context.close()


# 5. Read in English ("Lire en anglais" on a French page), across pages, and back.

def test_read_in_english_persists_across_pages_until_back_to_french(page, base_url):
    page.goto(f"{base_url}/fr-fr/privacy-policy/")
    english_title = _english_title(page)
    toggle = page.locator("button.docloc-toggle")
    expect(toggle).to_have_text("Lire en anglais")
    toggle.click()

    expect(page).to_have_url(f"{base_url}/en-us/privacy-policy/")
    expect(page.locator("article h1")).to_contain_text(english_title)
    assert page.evaluate(f"() => localStorage.getItem('{PREF_KEY}')") is not None
    back = page.locator("button.docloc-toggle")
    expect(back).to_have_text("Revenir au français")

    # Another page through the navigation: still English, still offering the way back.
    page.locator(".md-sidebar--primary a.md-nav__link[href$='acceptable-use/']").first.click()
    expect(page).to_have_url(f"{base_url}/en-us/acceptable-use/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("article h1")).to_contain_text("Acceptable use")
    expect(back).to_have_text("Revenir au français")

    # A French address opened while the preference holds opens in English.
    page.goto(f"{base_url}/fr-fr/data-retention/", wait_until="commit")
    expect(page).to_have_url(f"{base_url}/en-us/data-retention/")
    expect(back).to_have_text("Revenir au français")

    back.click()
    expect(page).to_have_url(f"{base_url}/fr-fr/data-retention/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("button.docloc-toggle")).to_have_text("Lire en anglais")
    assert page.evaluate(f"() => localStorage.getItem('{PREF_KEY}')") is None
    # Preference cleared: French pages stay French.
    page.goto(f"{base_url}/fr-fr/privacy-policy/")
    expect(page.locator("article h1")).to_contain_text("Politique de confidentialité")
    expect(page).to_have_url(f"{base_url}/fr-fr/privacy-policy/")


# 6. Right to left.

def test_arabic_page_is_right_to_left_and_shows_arabic(page, base_url):
    page.goto(f"{base_url}/ar-sa/privacy-policy/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("body")).to_have_attribute("dir", "rtl")
    h1 = page.locator("article h1")
    expect(h1).to_be_visible()
    assert ARABIC.search(h1.inner_text())
    paragraph = page.locator("article p .docloc-seg[data-source]").first
    expect(paragraph).to_be_visible()
    assert ARABIC.search(paragraph.inner_text())
    assert paragraph.evaluate("e => getComputedStyle(e).direction") == "rtl"
    box = paragraph.bounding_box()
    assert box["width"] > 50 and box["height"] > 5
    # Right to left layout: the title hugs the right edge of the article.
    article = page.locator("article").bounding_box()
    title = page.locator("article h1 .docloc-seg").bounding_box()
    assert article["x"] + article["width"] - (title["x"] + title["width"]) < 40
    # The English original still shows on hover, in English.
    segment, source = hover_first_segment(page, "article p .docloc-seg[data-source]")
    expect(page.locator(".docloc-tip")).to_have_text(source)


def test_arabic_page_declares_rtl_on_the_html_element(page, base_url):
    page.goto(f"{base_url}/ar-sa/privacy-policy/")
    assert page.evaluate("() => document.documentElement.getAttribute('dir')") == "rtl"
    assert page.evaluate("() => getComputedStyle(document.documentElement).direction") == "rtl"


def test_english_fallback_on_arabic_page_reads_left_to_right(page, base_url):
    page.goto(f"{base_url}/ar-sa/acceptable-use/")
    # A one-line English sentence: the first list item.
    line = page.locator("article li").first
    expect(line).to_be_visible()
    text, first_x, last_x = line.evaluate(_FIRST_LAST_X)
    assert text.endswith("."), text
    assert last_x > first_x, f"the final period is drawn left of {text!r}"
    fallback = page.locator("article span.docloc-fallback[lang=en]").first
    assert fallback.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # The page's own notice is in Arabic, right to left.
    notice = page.locator(".docloc-notice p[lang=ar]").first
    expect(notice).to_be_visible()
    assert ARABIC.search(notice.inner_text())
    assert notice.evaluate("e => getComputedStyle(e).direction") == "rtl"


_FIRST_LAST_X = """e => {
    const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT), nodes = [];
    while (walk.nextNode()) { if (walk.currentNode.textContent.trim()) nodes.push(walk.currentNode); }
    const first = nodes[0], last = nodes[nodes.length - 1], r = document.createRange();
    const s = first.textContent.search(/\\S/), n = last.textContent.trimEnd().length;
    r.setStart(first, s); r.setEnd(first, s + 1); const a = r.getBoundingClientRect().left;
    r.setStart(last, n - 1); r.setEnd(last, n); const b = r.getBoundingClientRect().left;
    return [e.innerText.trim(), a, b]; }"""
"""The text of a one-line element, where its first letter and its last character are drawn."""


# 7. A page missing in a language.

def test_page_missing_in_arabic_shows_english_with_a_notice(page, base_url):
    page.goto(f"{base_url}/en-us/acceptable-use/")
    english_h1 = page.locator("article h1").inner_text()
    english_first = page.locator("article > p").first.inner_text()

    page.goto(f"{base_url}/ar-sa/acceptable-use/")
    notice = page.locator(".docloc-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("هذه الصفحة غير متوفرة بهذه اللغة بعد")  # in Arabic
    assert page.locator("article h1").inner_text() == english_h1
    assert page.locator("article > p").first.inner_text() == english_first
    article = page.locator("article").evaluate(
        "e => { const c = e.cloneNode(true); c.querySelectorAll('.docloc-notice, .docloc-toggle, .admonition-title')"
        ".forEach(n => n.remove()); return c.innerText; }")
    assert not ARABIC.search(article)  # docloc's own words (notice, toggle, alert titles) are Arabic
    expect(page.locator("button.docloc-toggle")).to_have_text("القراءة بالإنجليزية")
    assert page.locator("article .docloc-seg").count() == 0
    fallback = page.locator("article span.docloc-fallback")
    assert fallback.count() > 0
    assert set(fallback.evaluate_all("els => els.map(e => e.lang)")) == {"en"}

    # The switcher: the languages the page exists in, and this page itself.
    switcher = _switcher(page)
    assert {"en-us", "fr-fr", "de-de"} <= set(switcher), switcher
    assert set(switcher) <= {"en-us", "fr-fr", "de-de", "ar-sa"}, switcher
    for tag, href in switcher.items():
        assert href == f"{base_url}/{tag}/acceptable-use/"
    assert switcher["ar-sa"] == page.url


def test_switcher_omits_languages_the_page_is_missing_in(page, base_url):
    for tag in ("fr-fr", "en-us", "de-de"):
        page.goto(f"{base_url}/{tag}/acceptable-use/")
        assert set(_switcher(page)) == {"en-us", "fr-fr", "de-de"}, (tag, _switcher(page))


def test_switcher_leads_to_the_same_page_and_nothing_the_page_asks_for_is_missing(page, base_url):
    """No request that 404s by design: the page, its assets, a language switch."""
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    page.goto(f"{base_url}/fr-fr/privacy-policy/")
    switcher = _switcher(page)
    assert set(switcher) == {"en-us", "fr-fr", "de-de", "ar-sa"}
    for tag, href in switcher.items():
        assert href == f"{base_url}/{tag}/privacy-policy/"
    page.locator(".md-header .md-select").hover()
    page.locator(".md-select a.docloc-switch[hreflang='de-de']").click()
    expect(page).to_have_url(f"{base_url}/de-de/privacy-policy/")
    page.wait_for_load_state("networkidle")
    assert failed == []


# 8. No DocFX or side-by-side markup leaks into what readers see.

LEAKS = ("data-ttu-id", "data-stu-id", "sxs-lookup", "[!NOTE]", "[!TIP]", "[!IMPORTANT]",
         "[!WARNING]", "[!CAUTION]", "[!INCLUDE", ":::image", ":::")


def test_no_page_shows_bilingual_or_docfx_markup(site_dir):
    import lxml.html

    pages = sorted(site_dir.glob("*/**/*.html"))
    assert {p.relative_to(site_dir).parts[0] for p in pages} == {"en-us", "fr-fr", "de-de", "ar-sa"}
    assert len(pages) >= 4 * 7
    leaks = []
    for path in pages:
        tree = lxml.html.fromstring(path.read_bytes())
        for node in tree.xpath("//script | //style | //noscript | //template"):
            node.drop_tree()
        body = tree.find("body")
        text = body.text_content() if body is not None else ""
        attrs = " ".join(tree.xpath("//body//@title | //body//@alt | //body//@aria-label"))
        for leak in LEAKS:
            if leak in text or leak in attrs:
                leaks.append(f"{path.relative_to(site_dir)}: {leak}")
    assert not leaks, leaks


def test_visible_text_has_no_markup_in_the_browser(page, base_url):
    """The same, as the browser renders it (innerText), on the pages with alerts."""
    for url in ("fr-fr/privacy-policy/", "de-de/privacy-policy/", "ar-sa/privacy-policy/",
                "fr-fr/data-retention/", "ar-sa/acceptable-use/"):
        page.goto(f"{base_url}/{url}")
        text = page.locator("body").inner_text()
        assert text.strip()
        assert not [leak for leak in LEAKS if leak in text], url
        assert "<span" not in text and "&lt;" not in text, url


def test_alert_titles_are_in_the_page_language(page, base_url):
    # ("Note" is French too: only German pages must not show it.)
    for url, english in (("de-de/acceptable-use/", {"Warning", "Note"}),
                         ("fr-fr/acceptable-use/", {"Warning"}),
                         ("de-de/privacy-policy/", {"Warning", "Note"})):
        page.goto(f"{base_url}/{url}")
        titles = [t.strip() for t in page.locator("article .admonition-title").all_inner_texts()]
        assert titles, url
        assert not english & set(titles), (url, titles)


# 9. The root chooses the reader's language.

@pytest.mark.parametrize("locale, tag", [("fr-FR", "fr-fr"), ("de-DE", "de-de"),
                                         ("ar-SA", "ar-sa"), ("ja-JP", "en-us")])
def test_root_redirects_to_the_browser_language(browser, base_url, locale, tag):
    context = _context(browser, locale=locale)
    try:
        page = context.new_page()
        # The page replaces itself at once: wait for the address, not for its load.
        page.goto(f"{base_url}/index.html", wait_until="commit")
        expect(page).to_have_url(f"{base_url}/{tag}/")
        expect(page.locator("html")).to_have_attribute("lang", tag.split("-")[0])
    finally:
        context.close()


def test_open_page_reloads_itself_when_docloc_serve_rebuilds_it(browser, tmp_path, monkeypatch):
    """A writer's loop: the page open in the browser shows a saved translation by itself."""
    import polib

    project = tmp_path / "project"
    build_default_site(project)
    monkeypatch.chdir(project)
    context = _context(browser)
    try:
        with docloc_serving(project, build_first=False) as url:
            page = context.new_page()
            page.goto(url + "fr-fr/privacy-policy/")
            expect(page.locator("article")).to_contain_text("Données que nous collectons")
            page.wait_for_timeout(300)  # its script is now waiting on the server
            path = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
            po = polib.pofile(str(path))
            next(e for e in po if e.msgid == "Data we collect").msgstr = "Données recueillies"
            po.save(str(path))
            expect(page.locator("article")).to_contain_text("Données recueillies",
                                                            timeout=30_000)
    finally:
        context.close()
