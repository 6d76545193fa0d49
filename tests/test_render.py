"""Rendering one language: pseudo-translation, fallback, notices, DocFX, safety, speed."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog import page_catalog, segment_keys, translations
from pipeline.contain import SAFE_TAGS
from pipeline.errors import DoclocError
from pipeline.model import Page
from pipeline.render import render_page
from pipeline.sxs import parse

TESTS = Path(__file__).parent
CONTENT = TESTS.parent / "content"
FIXTURES = TESTS / "fixtures" / "render"
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "fenced_code"]
LEFTOVERS = ("data-ttu-id", "sxs-lookup", "data-stu-id", "[!NOTE]", "[!TIP]", ":::image")


def read(path: Path, uri: str) -> Page:
    page, problems = parse(path.read_text(encoding="utf-8"), uri)
    assert not problems
    return page


def fixture() -> Page:
    return read(FIXTURES / "docfx.md", "guide/docfx.md")


def own(page: Page) -> dict:
    """The page's own targets as catalog translations."""
    return translations(page_catalog(page, page.path))


def pseudo(page: Page) -> dict:
    return {key: f"({key[1]})" for key in segment_keys(page)}


def body(rendered) -> str:
    return rendered.markdown.split("---\n", 2)[2]


def front(rendered) -> dict:
    return yaml.safe_load(rendered.markdown.split("---\n", 2)[1])


def to_html(rendered) -> str:
    return markdown.markdown(body(rendered), extensions=EXTENSIONS)


def outside_fences(text: str) -> str:
    return re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M)


def included(uri: str) -> str:
    return f"Included from {uri}."


def content_pages() -> list[Page]:
    return [read(p, p.relative_to(CONTENT / "fr-FR").as_posix())
            for p in sorted((CONTENT / "fr-FR").rglob("*.md")) if p.name != "TOC.md"]


def corpus_pages(corpus: Path, step: int = 1) -> list[Page]:
    folder = corpus / "2018-02-08" / "partner-center"
    pages = [read(p, p.name) for p in sorted(folder.glob("*.md"))]
    return [p for p in pages if p.is_bilingual][::step]


# -- pseudo-translation ---------------------------------------------------------

def body_segments_of(page: Page) -> list:
    """Segments outside front matter and image alt text."""
    found, before = [], ""
    for part in page.parts:
        if isinstance(part, str):
            before = part
        elif not part.escaped and not before.endswith('alt-text="'):
            found.append(part)
    return found


def assert_pseudo_translated(page: Page) -> None:
    rendered = render_page(page, translations=pseudo(page), include=included)
    text = body(rendered)
    for leftover in LEFTOVERS:
        assert leftover not in outside_fences(text), leftover
    body_segments = [s for s in body_segments_of(page) if s.source]
    assert text.count('class="docloc-seg"') == len(body_segments)
    for segment in body_segments:
        plain = segment.source
        if not re.search(r"[<>`*_\[\]{}|\\&~^\n]", plain):
            assert f">({plain})</span>" in text, plain
    assert rendered.translated == rendered.total == len([s for s in page.segments if s.source])
    assert rendered.percent == 100


@pytest.mark.parametrize("page", [fixture()] + content_pages(), ids=lambda p: p.path)
def test_pseudo_translation_wraps_every_segment_and_leaves_no_sxs_or_docfx_syntax(page):
    assert_pseudo_translated(page)


def test_pseudo_translation_of_every_corpus_page(corpus):
    for page in corpus_pages(corpus):
        assert_pseudo_translated(page)


def test_pseudo_translated_markdown_renders_inside_the_wrapper():
    out = to_html(render_page(fixture(), translations=pseudo(fixture()), include=included))
    assert ('<span class="docloc-seg" data-source="See the policy and docloc build.">(See '
            '<a href="policy.md#scope">the policy</a> and <code>docloc build</code>.)</span>'
            ) in out
    assert "(This page holds <strong>every</strong> DocFX construct.)</span>" in out


# -- source language --------------------------------------------------------------

def assert_english_only(page: Page) -> None:
    rendered = render_page(page, translations=None, include=included)
    text = rendered.markdown
    for leftover in LEFTOVERS:
        assert leftover not in outside_fences(text)
    assert "docloc-seg" not in text and "docloc-fallback" not in text
    sources = " ".join(s.source for s in page.segments)
    for segment in page.segments:
        if not re.search(r"[<>`\[\]{}|\\&\n]", segment.source) and not segment.escaped:
            assert segment.source in text
        french = segment.target
        if len(french) > 25 and french not in sources and french != segment.source:
            assert french not in text, french
    assert rendered.translated == rendered.total
    assert not rendered.machine_translated


@pytest.mark.parametrize("page", [fixture()] + content_pages(), ids=lambda p: p.path)
def test_source_language_shows_the_english_sources_only(page):
    assert_english_only(page)


def test_source_language_of_sampled_corpus_pages_is_english(corpus):
    for page in corpus_pages(corpus, step=7):
        assert_english_only(page)


def test_target_language_of_sampled_corpus_pages_shows_the_french(corpus):
    for page in corpus_pages(corpus, step=7):
        text = body(render_page(page, translations=own(page)))
        for segment in page.segments:
            if segment.target != segment.source and not re.search(r"[<>`*_\[\]{}|\\&\n]",
                                                                   segment.target):
                assert f">{segment.target}</span>" in text


# -- fallback and notices ---------------------------------------------------------

def test_untranslated_segment_shows_marked_english_and_page_says_how_much_is_translated():
    page = fixture()
    found = own(page)
    missing = ("", "Second step.")
    found = {k: v for k, v in found.items() if k[1] != "Second step."}
    assert missing not in found
    rendered = render_page(page, translations=found, include=included)
    text = body(rendered)
    assert '<span lang="en" class="docloc-fallback">Second step.</span>' in text
    assert "Deuxième étape." not in text
    assert rendered.translated == rendered.total - 1
    percent = 100 * rendered.translated // rendered.total
    assert f"({percent} % translated)" in text
    assert '!!! info docloc-notice docloc-partial ""' in text
    assert front(rendered)["docloc_coverage"] == percent == rendered.percent
    html_out = to_html(rendered)
    assert '<div class="admonition info docloc-notice docloc-partial">' in html_out
    assert '<p lang="en">Part of this page is not yet translated' in html_out


@pytest.mark.parametrize("code, words", [("fr", "pas encore traduite"),
                                         ("ar", "غير مترجم"), ("sv", "not yet translated")])
def test_notice_speaks_the_language_of_the_page_where_docloc_has_it(code, words):
    page = fixture()
    rendered = render_page(page, translations={}, include=included, notices_in=code)
    html_out = to_html(rendered)
    lang = code if code != "sv" else "en"  # no Swedish notices yet: English, marked so
    assert f'<p lang="{lang}">' in html_out and words in html_out


def test_notice_comes_right_after_the_first_heading():
    page = fixture()
    rendered = render_page(page, translations={}, include=included)
    lines = body(rendered).split("\n")
    assert lines[0].startswith("# ")
    assert lines[2].startswith("!!! info docloc-notice docloc-partial")
    assert rendered.translated == 0 and rendered.percent == 0


def test_fully_translated_page_carries_no_notice():
    page = fixture()
    text = render_page(page, translations=own(page), include=included).markdown
    assert "docloc-notice" not in text


def test_page_missing_in_locale_is_built_from_the_source_with_a_notice():
    page = fixture()
    rendered = render_page(page, translations=None, page_exists_in_locale=False,
                           include=included)
    text = body(rendered)
    assert "docloc-missing" in text and "docloc-partial" not in text
    assert '<span lang="en" class="docloc-fallback">First step.</span>' in text
    assert rendered.title == "Rendering guide" and rendered.from_source
    assert front(rendered)["docloc_from_source"] is True


def test_machine_translated_page_carries_a_notice():
    page = read(CONTENT / "ar-SA" / "index.md", "index.md")
    rendered = render_page(page, translations=own(page))
    assert rendered.machine_translated
    assert "docloc-mt" in rendered.markdown
    assert front(rendered)["docloc_machine_translated"] is True
    english = render_page(page, translations=None)
    assert not english.machine_translated and "docloc-mt" not in english.markdown


def test_fuzzy_or_missing_entries_never_show_their_guess():
    page = fixture()
    keys = segment_keys(page)
    rendered = render_page(page, translations={keys[2]: ""}, include=included)
    assert "docloc-seg" not in body(rendered)


# -- DocFX constructs ---------------------------------------------------------------

def test_alerts_become_admonitions_keeping_nested_content():
    out = to_html(render_page(fixture(), translations=own(fixture()), include=included))
    assert re.search(r'<div class="admonition note">\s*<p class="admonition-title">Note</p>\s*'
                     r'<p><span class="docloc-seg" data-source="A note on two lines.">', out)
    tip = out[out.index('<div class="admonition tip">'):]
    tip = tip[:tip.index("</div>")]
    assert "Un conseil dans une liste." in tip and "<li>" in tip
    assert out.index("Première") < out.index("admonition tip") < out.index("Deuxième étape")
    for css in ("warning", "info important", "danger caution"):
        assert f'<div class="admonition {css}">' in out


def test_alert_titles_can_be_localized():
    text = render_page(fixture(), translations=own(fixture()), include=included,
                       alert_titles={"NOTE": "Remarque"}).markdown
    assert '!!! note "Remarque"' in text and '!!! tip "Tip"' in text


def test_docfx_syntax_inside_fenced_code_stays_literal():
    text = render_page(fixture(), translations=None, include=included).markdown
    assert "```markdown\n> [!NOTE]\n> This fence shows DocFX syntax literally.\n:::image" in text


def test_image_directive_becomes_markdown_image_with_translated_alt_text():
    page = fixture()
    assert "![Schéma du flux](media/flow.png)" in body(render_page(page, translations=own(page),
                                                                    include=included))
    assert "![Flow diagram](media/flow.png)" in body(render_page(page, translations=None,
                                                                 include=included))
    hostile = {k: "a](javascript:alert(1)) <b>" for k in segment_keys(page)}
    out = to_html(render_page(page, translations=hostile, include=included))
    image = re.search(r'<img alt="([^"]*)" (?:class="docfx-border" )?src="([^"]*)" />', out)
    assert image.group(2) == "media/flow.png" and "javascript" not in image.group(1)


def test_include_is_resolved_relative_to_the_page_through_the_callback():
    asked = []

    def include(uri: str) -> str:
        asked.append(uri)
        return "---\ntitle: Shared\n---\nShared **text**.\n"
    text = body(render_page(fixture(), translations=None, include=include))
    assert asked == ["guide/includes/shared.md"]
    assert "\nShared **text**.\n" in text and "title: Shared" not in text


def test_include_without_callback_becomes_a_link():
    text = body(render_page(fixture(), translations=None))
    assert "[shared](includes/shared.md)" in text and "[!INCLUDE" not in text


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "..\\..\\secret.md",
                                  "file:///etc/passwd", "https://example.com/x.md"])
def test_include_leaving_the_project_is_refused_with_its_line(path):
    text = (FIXTURES / "docfx.md").read_text(encoding="utf-8")
    page, _ = parse(text.replace("includes/shared.md", path), "guide/docfx.md")
    with pytest.raises(DoclocError) as error:
        render_page(page, translations=None, include=included)
    line = text[:text.index("[!INCLUDE")].count("\n") + 1
    assert str(error.value).startswith(f"guide/docfx.md:{line}:1: include ")


def test_included_block_is_indented_like_its_line():
    text = (FIXTURES / "docfx.md").read_text(encoding="utf-8")
    page, _ = parse(text.replace("[!INCLUDE", "1. Step\n\n    [!INCLUDE"), "guide/docfx.md")
    out = body(render_page(page, translations=None, include=lambda uri: "One.\n\nTwo."))
    assert "    One.\n\n    Two." in out


def test_anchors_are_kept_in_every_language_even_when_a_translation_drops_them():
    page = fixture()
    dropped = {k: "Titre" for k in segment_keys(page)}
    for found in (None, own(page), dropped, {}):
        rendered = render_page(page, translations=found, include=included)
        assert rendered.anchors == ("rendering-guide", "tables", "shared")
        assert 'id="shared"' in rendered.markdown


def test_raw_html_tables_and_markdown_tables_are_kept():
    out = to_html(render_page(fixture(), translations=own(fixture()), include=included))
    assert '<td><span class="docloc-seg" data-source="HTML cell">Cellule HTML</span></td>' in out
    assert '<li><span class="docloc-seg" data-source="Item with bold">Élément avec ' \
           '<strong>gras</strong></span></li>' in out
    assert '<td><span class="docloc-seg" data-source="Five days">Cinq jours</span></td>' in out


def test_relative_links_stay_relative_md_links():
    rendered = render_page(fixture(), translations=own(fixture()), include=included)
    assert "](policy.md#scope)" in rendered.markdown and "](index.md)" in rendered.markdown
    assert rendered.links == ("policy.md#scope", "media/flow.png", "media/icon.png", "index.md")


# -- titles and front matter ----------------------------------------------------------

def test_titles_and_descriptions_in_both_languages_without_site_suffix():
    page = fixture()
    french = render_page(page, translations=own(page), include=included)
    english = render_page(page, translations=None, include=included)
    assert (french.title, french.description) == (
        "Guide de rendu", "Comment les pages DocFX s'affichent.")
    assert (english.title, english.description) == (
        "Rendering guide", "How DocFX pages are shown.")
    assert front(french) == {"title": "Guide de rendu",
                             "description": "Comment les pages DocFX s'affichent.",
                             "docloc_coverage": 100}
    assert front(english) == {"title": "Rendering guide",
                              "description": "How DocFX pages are shown."}


def test_english_title_is_recovered_from_the_heading_when_front_matter_is_plain_text():
    page = read(CONTENT / "fr-FR" / "index.md", "index.md")
    assert render_page(page, translations=None).title == \
        "Welcome to the Contoso Cloud policy center"
    assert render_page(page, translations=own(page)).title == "Centre des politiques"


def test_english_description_is_recovered_from_matching_segments(corpus):
    folder = corpus / "2018-02-08" / "partner-center"
    page = read(folder / "manage-your-incentives-in-partner-center.md", "m.md")
    english = render_page(page, translations=None)
    assert english.title == "Manage your Incentives in Partner Center"
    assert english.description.startswith("Microsoft Partner Incentives programs")
    page = read(folder / "add-a-new-customer.md", "a.md")
    english = render_page(page, translations=None)
    assert english.title == "Add a new customer"
    assert english.description.startswith("Before you can sell subscriptions")


def test_front_matter_drops_microsoft_keys():
    text = render_page(fixture(), translations=own(fixture()), include=included).markdown
    assert "ms." not in text.split("---\n", 2)[1] and "author" not in text


def test_hostile_title_is_plain_escaped_text_in_valid_yaml():
    page = fixture()
    evil = '<img src=x onerror=alert(1)>"Évil" & \\ \u2028 | x'
    hostile = {k: evil for k in segment_keys(page)}
    meta = front(render_page(page, translations=hostile, include=included))
    assert "<" not in meta["title"] and '"' not in meta["title"]
    assert meta["title"] == "&quot;Évil&quot; &amp; \\"


# -- hostile translations ------------------------------------------------------------------

def render_one(source: str, target: str) -> str:
    """The HTML of a one-segment page whose source is ``source``, translated ``target``."""
    sid = "ab123-101"
    text = (f'Intro <span data-ttu-id="{sid}">x</span><span class="sxs-lookup">'
            f'<span data-stu-id="{sid}">{source}</span></span> outro.\n')
    page, problems = parse(text, "one.md")
    assert not problems
    rendered = render_page(page, translations={segment_keys(page)[0]: target})
    return markdown.markdown(body(rendered), extensions=EXTENSIONS)


HOSTILE = {
    "script": ("Plain.", "<script>alert(1)</script>texte", "texte", "<script"),
    "img onerror": ("Plain.", "<img src=x onerror=alert(1)>texte", "texte", "<img"),
    "iframe": ("Plain.", "<iframe src='https://x'></iframe>texte", "texte", "<iframe"),
    "style attribute": ("<b>B</b>", "<b style='color:red'>B</b>", "<b>B</b>", "style"),
    "tag the source lacks": ("Plain.", "<b>gras</b>", "gras", "<b>"),
    "javascript link": ("See [it](x.md).", "Voir [ça](javascript:alert(1)).", "&#91;ça&#93;",
                        "href"),
    "encoded javascript link": ("See [it](x.md).", "[ça](java&#115;cript:alert(1))", "ça",
                                "href"),
    "data link": ("See [it](x.md).", "[ça](data:text/html,x)", "ça", "href"),
    "link the source lacks": ("Plain.", "[ça](https://example.com)", "ça", "href"),
    "html javascript href": ('<a href="x.md">it</a>', '<a href="javascript:x">ça</a>', "ça",
                             "javascript"),
    "stray closing span": ("Plain.", "un</span><b>deux", "undeux", "<b>"),
    "comment closer": ("Plain.", "a --> b <!-- c", "a --&gt; b", "<!--"),
    "newline heading": ("Plain.", "a\n# Titre", "a # Titre", "<h1"),
    "newline list": ("Plain.", "a\n- item\n1. autre", "a - item 1. autre", "<li"),
    "attr_list": ("Plain.", "**x**{: onclick=alert(1)}", "<strong>x</strong>", "<strong "),
    "unpaired emphasis": ("Plain.", "un **gras", "un **gras", "<strong"),
    "trailing backslash": ("Plain.", "fin \\", "fin \\</span>", "&lt;/span"),
    "code keeps its text literal": ("Use `<token>`.", "Utilisez `<token>` `*a*`",
                                    "<code>&#60;token&#62;</code> <code>&#42;a&#42;</code>",
                                    "<em"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_translation_is_escaped_or_stripped_and_contained(case):
    source, target, shown, absent = HOSTILE[case]
    out = render_one(source, target)
    segment = out[out.index('<span class="docloc-seg"'):out.index(" outro.")]
    assert shown in segment.replace("&#42;", "*").replace("&#92;", "\\") or \
        shown in segment, segment
    assert absent not in segment, segment
    assert segment.endswith("</span>") and out.count("<p>") == 1


def test_table_pipe_in_a_translation_stays_in_its_cell():
    sid = "ab123-101"
    text = (f'| a | b |\n|---|---|\n| <span data-ttu-id="{sid}">x</span><span class='
            f'"sxs-lookup"><span data-stu-id="{sid}">Cell</span></span> | c |\n')
    page, _ = parse(text, "t.md")
    rendered = render_page(page, translations={segment_keys(page)[0]: "un | deux"})
    out = markdown.markdown(body(rendered), extensions=EXTENSIONS)
    assert out.count("<td>") == 2 and "un &#124; deux" in out


def test_pipes_the_source_has_are_kept():
    out = render_one("**Market** | Select it", "**Marché** | Choisissez")
    assert "<strong>Marché</strong> | Choisissez" in out


# -- the property: nothing outside the safe list, whatever the msgstr ------------------------

MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "div",
                 "table", "thead", "tbody", "tr", "th", "td", "pre", "hr"}
ALLOWED_TAGS = MARKDOWN_TAGS | SAFE_TAGS
ALLOWED_ATTRIBUTES = {"class", "lang", "dir", "data-source", "href", "title", "alt", "src",
                      "width", "height", "id", "name"}
VOID = {"br", "img", "hr", "col", "input", "wbr"}
PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//x>",
    '<a href="javascript:alert(1)">x</a>', "[x](javascript:alert(1))", "](java&#115;cript:x)",
    "![i](data:text/html;base64,PHNjcmlwdD4=)", "<style>*{}</style>", ' style="x"', "</span>",
    "-->", "<!--", "\n# h", "\n- li", "\n1. li", "\n> q", "|", "`", "``", "**", "*", "_", "[",
    "]", "(", ")", "{: onclick=alert(1)}", "{#x}", "\\", "&#106;", "&lt;", "<https://x.org>",
    "<javascript:alert(1)>", "<b>", "</b>", "<strong onclick=x>", '"', "'", "\n\n", "    ",
    "!!! note", ":::image", "[!NOTE]", '<div markdown="1">', "<svg onload=x>", "\u2028", "\x00",
    "\r", "<a name=x>", '<a href="" id="shared">', "<br>", "  \n", "<code>", "</td></tr>",
    "<table>", "&", "<<", ">>", "<span ", '" onmouseover="x', "javascript:", "\ue000", "\ue003",
    "<a href='x.md' title='[y](javascript:z)'>t</a>", "\t", "<math><mi>x</mi></math>", "&#",
    "&#x", "<b>**", "**</b>", "***", "_a_", "a_b", "[a](b.md)", "![i](i.png)", "<br/>"]
MSGSTR = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=10
                  ).map("".join)


class Checker(html.parser.HTMLParser):
    """Collects what a browser would find unsafe and checks the nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"tag {tag}")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES:
                self.bad.append(f"attribute {name}")
            if name in ("href", "src") and value:
                url = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
                if re.match(r"[^/?#]*:", url) and not url.startswith(
                        ("http:", "https:", "mailto:")):
                    self.bad.append(f"url {value}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.bad.append(f"misnested </{tag}> in {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_comment(self, data):
        self.bad.append("comment")

    def handle_decl(self, decl):
        self.bad.append("declaration")

    def unknown_decl(self, data):
        self.bad.append("declaration")


def problems(out: str) -> list[str]:
    checker = Checker()
    checker.feed(out)
    checker.close()
    return checker.bad + [f"unclosed {tag}" for tag in checker.stack]


def test_baseline_renders_cleanly():
    page = fixture()
    for found in (own(page), None, {}):
        assert problems(to_html(render_page(page, translations=found, include=included))) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(MSGSTR, min_size=1, max_size=30))
def test_no_msgstr_produces_markup_outside_the_safe_list(msgstrs):
    page = fixture()
    keys = segment_keys(page)
    found = {key: msgstrs[i % len(msgstrs)] for i, key in enumerate(keys)}
    rendered = render_page(page, translations=found, include=included)
    assert problems(to_html(rendered)) == []
    meta = front(rendered)
    assert set(meta) <= {"title", "description", "docloc_coverage"}
    assert "<" not in meta["title"] + meta.get("description", "")


@settings(max_examples=200, deadline=None)
@given(MSGSTR)
def test_no_msgstr_escapes_its_wrapper(msgstr):
    out = render_one("See **this** [page](x.md) <strong>now</strong> | `code`.", msgstr)
    assert problems(out) == []
    assert out.count("<p>") == 1 and out.endswith(" outro.</p>")


# -- determinism and speed -------------------------------------------------------------------

def test_rendering_is_deterministic():
    page = fixture()
    first = render_page(page, translations=own(page), include=included)
    assert all(render_page(page, translations=own(page), include=included) == first
               for _ in range(3))
