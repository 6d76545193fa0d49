"""docloc serve --edit in a real browser: a translator edits the page itself.

Playwright drives Debian's Chromium (skipped when either is missing), on
``docloc serve --edit`` over a temporary copy of content/ (one server per module;
each test edits a different sentence, so they do not depend on each other's order).
What is asserted is what the translator sees (the panel, the page after its reload)
and what the catalog holds afterwards. The time from Save to the new text on the
page is printed (``-s``), never asserted: speed is measured, not tested.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
polib = pytest.importorskip("polib")

from browser_util import CHROMIUM, ROOT, VIEWPORT, docloc_serving, launch  # noqa: E402

if not Path(CHROMIUM).is_file():
    pytest.skip(f"chromium not found at {CHROMIUM}", allow_module_level=True)

expect = sync_api.expect
TIMEOUT_MS = 15_000
RELOAD_MS = 60_000
"""Long enough for a rebuild on a loaded machine; the measured time is printed."""
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
FR_PO = "locales/fr_FR/LC_MESSAGES/privacy-policy.po"

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("editor-browser") / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="module")
def base(project: Path):
    with docloc_serving(project, edit=True, poll=0.05) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            browser = launch(p)
        except sync_api.Error as exc:  # a Chromium that cannot start here
            pytest.skip(f"chromium does not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(OUTSIDE, lambda route: route.abort())  # no web fonts: nothing leaves
    yield context.new_page()
    context.close()


def open_page(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_selector("html[data-docloc-editor]", state="attached")


def segment(page, english: str):
    return page.locator(f'.md-content .docloc-editable[data-source="{english}"]')


def panel(page):
    return page.locator("dialog.docloc-editor")


def po_entry(project: Path, msgid: str, po: str = FR_PO):
    return next(e for e in polib.pofile(str(project / po)) if e.msgid == msgid)


def test_a_sentence_edited_with_the_keyboard_only_is_saved_and_shown(page, base, project):
    english = "We confirm every request by email."
    new = "Nous confirmons chaque demande par courriel."
    before = (project / FR_PO).read_text("utf-8").splitlines()
    open_page(page, base, "/fr-fr/privacy-policy/")
    page.locator("body").focus()
    for _ in range(300):  # Tab through the page until the sentence has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('data-source')") == english:
            break
    else:
        pytest.fail("Tab never reached the sentence")
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    text = panel(page).locator("textarea")
    expect(text).to_be_focused()
    expect(text).to_have_value("Nous confirmons chaque demande par e-mail.")
    expect(panel(page).locator(".docloc-ed-source .docloc-ed-text")).to_have_text(english)
    expect(panel(page).locator(".docloc-ed-state")).to_have_text("Traduit")
    page.keyboard.press("Control+a")
    page.keyboard.type(new)
    page.keyboard.press("Tab")  # the fuzzy box
    page.keyboard.press("Tab")  # Save
    expect(panel(page).locator(".docloc-ed-save")).to_be_focused()
    started = time.perf_counter()
    page.keyboard.press("Enter")
    expect(segment(page, english)).to_have_text(new, timeout=RELOAD_MS)
    print(f"\nsave -> new text visible: {time.perf_counter() - started:.2f} s (default content)")
    expect(panel(page)).to_have_count(0)  # the page reloaded: no panel, the focus back
    assert page.evaluate("document.activeElement.getAttribute('data-source')") == english
    assert po_entry(project, english).msgstr == new
    after = (project / FR_PO).read_text("utf-8").splitlines()
    assert [b for a, b in zip(before, after) if a != b] == [f'msgstr "{new}"']
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(project / FR_PO)], check=True)


def test_fuzzy_shows_the_english_until_it_is_cleared(page, base, project):
    english = "Data we collect"
    open_page(page, base, "/fr-fr/privacy-policy/")
    segment(page, english).click()
    expect(panel(page)).to_be_visible()
    panel(page).locator("input[type=checkbox]").check()
    panel(page).locator("textarea").press("Control+Enter")
    heading = page.locator('h2#data-we-collect')
    expect(heading.locator(".docloc-fallback")).to_have_text(english, timeout=RELOAD_MS)
    assert "fuzzy" in po_entry(project, english).flags
    heading.locator(".docloc-editable").click()
    expect(panel(page).locator(".docloc-ed-state")).to_have_text("À revoir")
    box = panel(page).locator("input[type=checkbox]")
    expect(box).to_be_checked()
    box.uncheck()
    panel(page).get_by_role("button", name="Enregistrer").click()
    expect(segment(page, english)).to_have_text("Données que nous collectons",
                                               timeout=RELOAD_MS)
    assert "fuzzy" not in po_entry(project, english).flags


def test_a_file_changed_on_disk_shows_both_texts_and_overwrites_nothing(page, base, project):
    english = "We move data to another region only if you ask us to."
    theirs = "Nous ne déplaçons vos données que si vous le demandez."
    mine = "Vos données ne changent de région qu'à votre demande."
    open_page(page, base, "/fr-fr/privacy-policy/")
    page.evaluate("window.doclocSamePage = true")
    segment(page, english).click()
    page.locator("dialog.docloc-editor textarea").fill(mine)
    path = project / FR_PO
    po = polib.pofile(str(path))  # another tool saves the file while the panel is open
    next(e for e in po if e.msgid == english).msgstr = theirs
    po.save(str(path))
    # serve rebuilds, but a panel holding unsaved text keeps the page from reloading
    expect(panel(page).locator(".docloc-ed-status")).to_contain_text("reconstruite",
                                                                     timeout=RELOAD_MS)
    assert page.evaluate("window.doclocSamePage === true")
    panel(page).get_by_role("button", name="Enregistrer").click()
    conflict = panel(page).locator(".docloc-ed-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".docloc-ed-yours")).to_contain_text(mine)
    expect(conflict.locator(".docloc-ed-theirs")).to_contain_text(theirs)
    expect(panel(page).locator(".docloc-ed-save")).to_be_hidden()
    assert po_entry(project, english).msgstr == theirs
    conflict.get_by_role("button", name="Recharger la page").click()
    # After the reload the panel shows the file's text, and offers the translator's own
    expect(segment(page, english)).to_have_text(theirs, timeout=RELOAD_MS)
    expect(panel(page).locator("textarea")).to_have_value(theirs)
    expect(panel(page).locator(".docloc-ed-suggestions")).to_contain_text(mine)
    assert po_entry(project, english).msgstr == theirs


def test_next_untranslated_walks_on_to_the_next_pages_of_the_navigation(page, base):
    open_page(page, base, "/fr-fr/data-retention/")
    page.locator(".md-content .docloc-editable").first.click()
    panel(page).get_by_role("button", name="Non traduit suivant").click()
    expect(panel(page).locator(".docloc-ed-state")).to_have_text("Non traduit",
                                                                 timeout=RELOAD_MS)
    assert "/fr-fr/data-retention/" not in page.url
    current = page.locator(".docloc-ed-current")
    expect(current).to_have_class(re.compile("docloc-state-untranslated"))
    first = current.get_attribute("data-docloc-entry")
    panel(page).get_by_role("button", name="Non traduit suivant").click()
    expect(page.locator(".docloc-ed-current")).not_to_have_attribute("data-docloc-entry", first)


def test_an_arabic_page_has_its_panel_right_to_left_in_arabic(page, base):
    open_page(page, base, "/ar-sa/privacy-policy/")
    page.locator(".md-content p .docloc-editable").first.click()
    dialog = panel(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("dir", "rtl")
    expect(dialog).to_have_attribute("lang", "ar")
    expect(dialog.locator("h2")).to_have_text("تعديل الترجمة")
    expect(dialog.locator("textarea")).to_have_attribute("dir", "rtl")
    expect(dialog.locator(".docloc-ed-source .docloc-ed-text")).to_have_attribute("dir", "ltr")
    box = dialog.bounding_box()
    assert box["x"] + box["width"] / 2 < VIEWPORT["width"] / 2  # on the left, the inline end
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
