"""Reading bilingual pages: every variant real pages carry, and the errors."""

from __future__ import annotations

import pytest
from conftest import seg

from pipeline.errors import DoclocError
from pipeline.sxs import decode, parse

CASES = {
    "heading after anchor": (f'# <a name="x"></a>{seg("Titre", "Title")}\n', [("Title", "Titre")]),
    "bold wrapped": (f"**{seg('Remarque', 'Note')}**\n", [("Note", "Remarque")]),
    "link text": (f"[{seg('Ajouter', 'Add')}](add.md)\n", [("Add", "Ajouter")]),
    "list item and continuation": (
        f"-  {seg('Un', 'One', 'a-1')}\n\n    {seg('Suite', 'More', 'a-2')}\n",
        [("One", "Un"), ("More", "Suite")]),
    "table cell": (f"| {seg('Nom', 'Name', 'a-1')} | {seg('Valeur', 'Value', 'a-2')} |\n",
                   [("Name", "Nom"), ("Value", "Valeur")]),
    "quote and alert": (f"> [!NOTE]\n> {seg('Attention', 'Careful')}\n", [("Careful", "Attention")]),
    "raw html cell": (f"<table><tr><td><p>{seg('Cellule', 'Cell')}</p></td></tr></table>\n",
                      [("Cell", "Cellule")]),
    "several on one line": (f"{seg('Un.', 'One.', 'a-1')} {seg('Deux.', 'Two.', 'a-2')}\n",
                            [("One.", "Un."), ("Two.", "Deux.")]),
    "spanning lines": (seg("**Remarque**\n Les liens", "**Note**\n The links") + "\n",
                       [("**Note**\n The links", "**Remarque**\n Les liens")]),
    "inline code holding a span": (
        seg("Utilisez `<span>` ou `</span>` ici", "Use `<span>` or `</span>` here") + "\n",
        [("Use `<span>` or `</span>` here", "Utilisez `<span>` ou `</span>` ici")]),
    "nested span element": (
        seg('Voir <span class="x">ceci</span>', 'See <span class="x">this</span>') + "\n",
        [('See <span class="x">this</span>', 'Voir <span class="x">ceci</span>')]),
    "html inside text": (
        seg('<strong>Gras</strong> <a href="" id="z"></a>x<sup>2</sup>',
            '<strong>Bold</strong> <a href="" id="z"></a>x<sup>2</sup>') + "\n",
        [('<strong>Bold</strong> <a href="" id="z"></a>x<sup>2</sup>',
          '<strong>Gras</strong> <a href="" id="z"></a>x<sup>2</sup>')]),
    "placeholder": (seg("En-tête `Bearer <token>`", "Header `Bearer <token>`") + "\n",
                    [("Header `Bearer <token>`", "En-tête `Bearer <token>`")]),
    "placeholder outside code": (seg("Jeton Bearer <token>", "Token Bearer <token>") + "\n",
                                 [("Token Bearer <token>", "Jeton Bearer <token>")]),
    "entities": (seg("Azure&nbsp;AD &#39;x&#39; &#8212;", "Azure AD &#39;x&#39; &#8212;") + "\n",
                 [("Azure AD &#39;x&#39; &#8212;", "Azure&nbsp;AD &#39;x&#39; &#8212;")]),
    "paragraph id": (seg("Texte", "Text", "a3569-p102") + "\n", [("Text", "Texte")]),
    "leading and trailing spaces": (seg("  Les partenaires ", "Partners") + "\n",
                                    [("Partners", "Les partenaires")]),
    "scripts": (seg("مرحبا", "Hello", "a-1") + seg("こんにちは", "Hello", "a-2")
                + seg("你好", "Hello", "a-3") + seg("Grüß Gott", "Hello", "a-4"),
                [("Hello", "مرحبا"), ("Hello", "こんにちは"), ("Hello", "你好"),
                 ("Hello", "Grüß Gott")]),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_reads_variant(text, expected):
    page, problems = parse(text, "p.md")
    assert problems == []
    assert [(s.source, s.target) for s in page.segments] == expected
    assert page.bilingual() == text


def test_front_matter_segment_with_escaped_quotes():
    text = ('---\r\ntitle: "<span data-ttu-id=\\"6e353-101\\">Gérer \\"vos\\" primes</span>'
            '<span class=\\"sxs-lookup\\"><span data-stu-id=\\"6e353-101\\">Manage your '
            '\\"incentives\\"</span></span>"\r\nms.contentlocale: fr-FR\r\n---\n# x\n')
    page, problems = parse(text, "p.md")
    assert problems == []
    [segment] = page.segments
    assert segment.source == 'Manage your "incentives"'
    assert segment.target == 'Gérer "vos" primes'
    assert page.locale == "fr-FR"
    changed = page.with_targets({0: 'Gérez "vos" primes'})
    assert 'Gérez \\"vos\\" primes</span>' in changed.bilingual()
    assert page.bilingual() == text


def test_crlf_inside_a_segment_becomes_lf_in_the_catalog_and_back():
    text = seg("Un\r\ndeux", "One\r\ntwo") + "\r\n"
    page, _ = parse(text, "p.md")
    assert page.segments[0].source == "One\ntwo"
    assert page.with_targets({0: "Uno\ndos"}).bilingual() == seg("Uno\r\ndos", "One\r\ntwo") + "\r\n"


def test_edited_target_keeps_the_padding_of_the_original():
    page, _ = parse(seg("  Les partenaires ", "Partners"), "p.md")
    assert page.with_targets({0: "Partenaires"}).bilingual() == seg("  Partenaires ", "Partners")


def test_page_without_spans_passes_through():
    text = "# [À propos](index.md)\n## [Facturation](billing.md)\n"
    page, problems = parse(text, "TOC.md")
    assert problems == [] and not page.is_bilingual and page.bilingual() == text


ERRORS = {
    "unclosed span": (
        'a\n  <span data-ttu-id="1-2">never closed\n',
        'p.md:2:3: error: unclosed <span data-ttu-id="1-2">: close it with </span> before the next segment'),
    "missing partner": (
        'x <span data-ttu-id="1-2">seul</span> y\n',
        'p.md:1:3: error: <span data-ttu-id="1-2"> has no <span class="sxs-lookup">'
        '<span data-stu-id="1-2"> partner right after it: add the English source'),
    "ids disagree": (
        '\n\n' + seg("a", "b").replace('stu-id="23920-104"', 'stu-id="23920-105"'),
        'p.md:3:1: error: ids disagree: data-ttu-id="23920-104" but data-stu-id="23920-105"; make them equal'),
    "mangled quotes, no partner": (
        '<span data-ttu-id=&quot;1-2&quot;>x</span>',
        'p.md:1:1: error: <span data-ttu-id="1-2"> has no <span class="sxs-lookup">'
        '<span data-stu-id="1-2"> partner right after it: add the English source'),
    "broken tag": (
        '<span data-ttu-id=1-2>x</span>',
        'p.md:1:7: error: data-ttu-id outside a well-formed <span data-ttu-id="..."> tag '
        '(mangled quotes such as &quot;?): write the tag as <span data-ttu-id="ID">'),
}


@pytest.mark.parametrize("text, message", ERRORS.values(), ids=ERRORS.keys())
def test_malformed_annotation_reports_line_and_column(text, message):
    page, problems = parse(text, "p.md")
    assert str(problems[0]) == message
    assert page.bilingual() == text  # the bad region is kept verbatim


def test_bad_segment_does_not_hide_the_next_one():
    text = '<span data-ttu-id="1-1">broken</span>\n' + seg("Bon", "Good", "1-2")
    page, problems = parse(text, "p.md")
    assert len(problems) == 1
    assert [s.source for s in page.segments] == ["Good"]
    assert page.bilingual() == text


def test_invalid_utf8_names_line_and_column():
    with pytest.raises(DoclocError) as caught:
        decode(b"ok\nab\xff", "p.md")
    assert str(caught.value).startswith("p.md:2:3: not valid UTF-8")


def test_nul_byte_is_refused():
    with pytest.raises(DoclocError, match=r"p.md:1:2: NUL byte"):
        decode(b"a\0b", "p.md")


# As in mixed-reality-fr-fr/2021-08-03 (three pages): the vendor wrote &quot; for
# some of the tags' quotes, on both sides or on one only.
MANGLED = (
    '#### <a name="focus-events&quot;></a><span data-ttu-id=&quot;2e4a0-184&quot;>'
    'Obtention des événements</span><span class=&quot;sxs-lookup&quot;>'
    '<span data-stu-id=&quot;2e4a0-184&quot;>Getting Focus Events</span></span>\n\n'
    '* <span data-ttu-id="7e3ea-245&quot;>La main n’effectue pas de suivi.</span>'
    '<span class=&quot;sxs-lookup&quot;><span data-stu-id=&quot;7e3ea-245&quot;>'
    'The hand is not tracking.</span></span> '
    + seg("Cliquez.", "Click.", "7e3ea-246") + "\n")


def test_mangled_quotes_are_read_as_segments_with_a_warning_at_line_and_column():
    page, problems = parse(MANGLED, "p.md")
    assert [(s.id, s.target, s.source) for s in page.segments] == [
        ("2e4a0-184", "Obtention des événements", "Getting Focus Events"),
        ("7e3ea-245", "La main n’effectue pas de suivi.", "The hand is not tracking."),
        ("7e3ea-246", "Cliquez.", "Click.")]
    assert [(p.severity, p.line, p.column) for p in problems] == [
        ("warning", 1, 38), ("warning", 3, 3)]
    assert str(problems[0]).startswith("p.md:1:38: warning: segment 2e4a0-184: ")
    assert page.bilingual() == MANGLED


def test_mangled_segment_exports_byte_for_byte_with_a_new_target():
    page, _ = parse(MANGLED, "p.md")
    edited = page.with_targets({0: "Événements du focus"})
    assert edited.bilingual() == MANGLED.replace("Obtention des événements", "Événements du focus")
    again, _ = parse(edited.bilingual(), "p.md")
    assert again.segments[0].target == "Événements du focus"
