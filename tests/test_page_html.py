"""A page's own HTML (``pipeline.page_html``): the page allowlist lets nothing run
and keeps what markdown, Material and docloc emit; ``docloc check`` names what the
build strips of a page's markup and what rendering strips of a translation's."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from pipeline.page_html import clean_page, page_markup_findings, unsafe_markup

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


YOUTUBE = ('<iframe src="https://www.youtube.com/embed/x" allow="accelerometer; autoplay; '
           'encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe>')


def test_a_video_frame_keeps_what_players_ask_for_and_loses_other_powers():
    # the Mixed Reality pages' own YouTube embeds: kept as written, no finding
    assert clean_page(YOUTUBE).startswith(YOUTUBE[:-len("allowfullscreen></iframe>")])
    assert page_markup_findings(YOUTUBE) == []
    greedy = '<iframe src="https://x.example/" allow="camera; autoplay; microphone *"></iframe>'
    assert clean_page(greedy) == '<iframe src="https://x.example/" allow="autoplay"></iframe>'
    assert page_markup_findings(greedy) == [
        (0, "allow='camera; autoplay; microphone *' on <iframe> is not allowed: it is changed")]
    assert "allow" not in clean_page('<iframe src="https://x.example/" allow="geolocation">'
                                     '</iframe>')


# -- what docloc check reports of a page's own markup and of a translation's -------------

def test_the_check_and_the_build_share_the_page_allowlist():
    # one definition: each tag is judged by cleaning it through page_html.clean_page
    assert page_markup_findings("<b>x</b> <kbd>Ctrl</kbd> <details open><summary>s</summary>"
                                "</details>") == []
    assert page_markup_findings("<marquee>x</marquee>") == [
        (0, "<marquee> is not allowed: it is removed")]


def test_unsafe_markup_names_what_rendering_removes_for_docloc_check():
    assert unsafe_markup("See [it](x.md) <b>now</b>.", "Voir [ça](x.md) <b>maintenant</b>.") == []
    assert unsafe_markup("Plain.", "<script>x</script>[a](b.md) | c") == [
        "<script> is not in the source or not allowed", "link b.md is not in the source",
        "a table pipe | the source does not have"]
    assert unsafe_markup("<b>B</b> [a](x.md)", '<b onclick="x">B</b> [a](java&#115;cript:x)') == [
        "attribute onclick on <b> is not allowed", "unsafe URL java&#115;cript:x"]
    assert unsafe_markup("Plain.", 'a --> b\n# c\n- d {: onclick="x" }') == [
        "HTML comment delimiter -->", 'attribute list {: onclick="x" }',
        "line break starting block markup '#'", "line break starting block markup '-'"]


@pytest.mark.parametrize("source, target, expected", [
    ("Plain.", "Use `<script>` and `{: x }`.", []),  # code is shown literally
    ("Plain.", "See <https://x.org>.", ["link https://x.org is not in the source"]),
    ("See <https://x.org>.", "Voir <https://x.org>.", []),
    ("Plain.", "a </script> b", ["<script> is not in the source or not allowed"]),
    ("Type <token>.", "Tapez <token>.", []),  # stripped from the English fallback too
    ("<a href=\"x.md\">a</a>", "<a href=\" javascript:x\">a</a>", ["unsafe URL javascript:x"]),
    ("[a](x.md)", "[a [b] c](javascript:x)", ["unsafe URL javascript:x"]),
])
def test_unsafe_markup_follows_what_rendering_does(source, target, expected):
    assert unsafe_markup(source, target) == expected
