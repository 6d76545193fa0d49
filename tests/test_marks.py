"""Segment marks: the same pages, for less work.

``pipeline.marks`` replaces the segment spans in the site's markdown with
private-use characters that the MkDocs hook turns back into spans; these tests
hold that the markdown with spans written back is exactly the markdown
rendered with spans, that nothing a page or translation holds can pass for
a mark, and that no mark is left in a built page. (The fast search sections,
the other speed-up of a build, are held to Material's in test_search.py.)
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline import catalog as cat
from pipeline import marks, render
from pipeline.mkconfig import yaml_lists
from pipeline.project import read_content

ROOT = Path(__file__).resolve().parents[1]


def pages_of(content: Path):
    found = read_content(content, source_locale="en-US")
    return [page for _, page in found.pages if page.is_bilingual]


def render_both(page):
    translations = cat.translations(cat.page_catalog(page, page.path))
    options = dict(translations=translations, source_locale="en-US")
    return (render.render_page(page, **options).markdown,
            render.render_page(page, marks=True, **options).markdown)


def test_marked_markdown_expands_to_the_spanned_markdown():
    pages = pages_of(ROOT / "content")
    assert pages
    for page in pages:
        spanned, marked = render_both(page)
        assert "docloc-seg" not in marked
        assert marks.expand_markdown(marked) == spanned, page.path


def test_marked_corpus_pages_expand_to_the_spanned_pages(corpus):
    pages = pages_of(corpus / "2018-04-24")
    for page in pages:
        spanned, marked = render_both(page)
        assert marks.expand_markdown(marked) == spanned, page.path


def test_marks_become_spans_and_leave_tags():
    text = ("<p>\U000F0000Bonjour\U00100000 <img alt=\"x\U000F0001y\U00100000\"> "
            "\U000F0001Salut\U00100000</p>" + marks.comment("en", ["Hello", None]))
    assert marks.expand_html(text) == (
        '<p><span class="docloc-seg" data-source="Hello">Bonjour</span> <img alt="xy"> '
        '<span lang="en" class="docloc-fallback">Salut</span></p>')


def test_a_translation_cannot_forge_a_mark():
    page = pages_of(ROOT / "content")[0]
    translations = {key: "Faux \U000F0005 \U00100000</span><script>x</script>"
                    for key in cat.translations(cat.page_catalog(page, page.path))}
    markdown = render.render_page(page, translations=translations, marks=True).markdown
    body = markdown.split("<!-- docloc-marks")[0]
    opened = [c for c in body if 0xF0000 <= ord(c) <= 0xFFFFD]
    assert [ord(c) - 0xF0000 for c in opened] == list(range(len(opened)))  # ours, in order
    assert body.count("\U00100000") == len(opened)
    html = marks.expand_html(markdown)
    assert html.count("<span") == html.count("</span>")
    assert "<script>" not in html and not marks.MARK.search(html)


def test_page_text_cannot_pass_for_a_mark():
    page = pages_of(ROOT / "content")[0]
    forged = type(page)(page.path, page.locale,
                        ("\U000F0000\U00100000 ",) + tuple(page.parts), page.meta)
    _, marked = render_both(forged)
    assert marks.expand_html(marks.expand_markdown(marked)).count("\U000F0000") == 0
    assert "\U000F0000\U00100000" not in marked


def test_no_mark_is_left_in_any_built_page(default_site: Path):
    """Every page docloc builds from the default content, chrome and all."""
    built = sorted(default_site.rglob("*.html"))
    assert len(built) > 20
    for path in built:
        assert not marks.MARK.search(path.read_text(encoding="utf-8")), path


@given(st.dictionaries(st.text(alphabet="abcdefghij_", min_size=1), st.lists(
    st.fixed_dictionaries({"href": st.text(), "lang": st.text(), "name": st.text()}),
    max_size=3),
    min_size=1, max_size=3))
def test_front_matter_lists_read_back_as_written(data):
    """The switcher entries docloc writes by hand into each page's front matter are YAML."""
    assert yaml.safe_load(yaml_lists(data)) == data


def test_segments_beyond_the_mark_limit_keep_their_spans(monkeypatch):
    """A page with more segments than marks can number gets spans for the rest."""
    page = max(pages_of(ROOT / "content"), key=lambda p: len(p.segments))
    assert len(page.segments) > 3
    spanned, _ = render_both(page)
    monkeypatch.setattr(marks, "LIMIT", 2)
    _, marked = render_both(page)
    body = marked.split("<!-- docloc-marks")[0]
    assert "\U000F0000" in body and "\U000F0001" in body and "\U000F0002" not in body
    assert "docloc-seg" in body or "docloc-fallback" in body
    assert marks.expand_markdown(marked) == spanned


def test_a_marks_comment_in_the_page_itself_is_not_read():
    text = ('<!-- docloc-marks {"lang":"x","sources":["\\"><script>alert(1)</script>"]} -->'
            "<p>\U000F0000Bonjour\U00100000</p>" + marks.comment("en", ["Hello"]))
    html = marks.expand_html(text)
    assert '<span class="docloc-seg" data-source="Hello">Bonjour</span>' in html
    assert html.count("<script>") == 1 and "docloc-marks" in html  # the page's own, as text
