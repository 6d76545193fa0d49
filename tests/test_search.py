"""The fast search sections: ``pipeline.search`` finds exactly what Material's parser finds.

Material's ``Parser`` (``html.parser``) is the reference; ``search.sections`` must
give the same sections (id, title, text, excluded) on made-up pages that exercise
its quirks and on every page of a site built from the default content.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from material.plugins.search.plugin import Parser

from pipeline.search import sections


def material(source: str):
    parser = Parser()
    parser.feed(source)
    parser.close()
    return [(s.id, s.title, s.text, s.is_excluded()) for s in parser.data]


def ours(source: str):
    return [(s.id, s.title, s.text, s.is_excluded()) for s in sections(source)]


CASES = [
    "plain text only",
    "<h1 id='a'>Title <a class='headerlink' href='#a'>¶</a></h1><p>One &amp; two</p>",
    "<h2 id=b>Second first</h2><p>x</p><h3 id=c>Third</h3><ul><li>a</li><li> </li></ul>",
    "<div data-search-exclude><h2 id=d>Hidden</h2><p>no</p></div><div><p>also no</p></div>"
    "<p>yes</p>",
    "<div><div data-search-exclude><p>hidden</p></div><p>after the excluded div</p></div>"
    "<p>after</p>",
    "<pre><code>  keep\n\n  spaces  </code></pre><p>a\nb</p><p>   </p>",
    "<ul><li><code></code></li><li>x</li></ul><p><sup> </sup>y</p>",
    "<script>var x = '<p>not text</p>';</script><style>p{}</style><p>after</p>",
    "<object><p>skipped</p></object><p>kept</p><STYLE>p{}</STYLE><p>x</p>",
    "<!-- comment <p>no</p> --><p>x<br/>y<img src=a.png alt='z'/></p>",
    "<section><h2 id=e>In a section</h2><p>in</p></section><p>after the section</p>",
    "<h2 id=a>A</h2><div><h3 id=b>B</h3><p>in div</p></div><p>back in A</p>",
    "<p>before any heading</p><h1 id=t>Title</h1><h2>no id</h2><p>text</p><h3 id=s>S</h3>",
    "<table class='linenodiv'><tr><td>1</td></tr></table><p>code</p>",
    "<P ID=up>Upper</P><h2 id='f' id='g'>twice</h2>",
    "<p>&lt;tag&gt; &#169; &nbsp; &unknown; &</p>",
    "<p>unclosed <b>bold<p>next",
]


@pytest.mark.parametrize("source", CASES)
def test_search_sections_equal_materials(source):
    assert ours(source) == material(source)


def test_search_sections_equal_materials_on_every_built_page(default_site: Path):
    """Every page docloc builds from the default content, chrome and all."""
    built = sorted(default_site.rglob("*.html"))
    assert len(built) > 20
    for path in built:
        source = path.read_text(encoding="utf-8")
        assert ours(source) == material(source), path


def test_entries_point_at_the_same_toc_anchors_as_materials_walk():
    """Design decision 3: a dict instead of Material's TOC walk, with the same first
    match: nested headings, a repeated id, a section without a TOC item."""
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.toc import get_toc

    from pipeline import search

    html = ("<h1 id='top'>Top</h1><p>a</p><h2 id='dup'>One</h2><p>b</p>"
            "<h3 id='deep'>Deep</h3><p>c</p><h2 id='dup'>Two</h2><p>d</p>"
            "<h2 id='gone'>Not in the TOC</h2><p>e</p>")
    tokens = [{"level": 1, "id": "top", "name": "Top", "children": [
        {"level": 2, "id": "dup", "name": "One", "children": [
            {"level": 3, "id": "deep", "name": "Deep", "children": []}]},
        {"level": 2, "id": "dup", "name": "Two", "children": []}]}]
    toc = get_toc(tokens)
    for item, url in ((toc.items[0], "#top"), (toc.items[0].children[0], "#dup"),
                      (toc.items[0].children[1], "#dup")):
        assert item.url == url

    page = SimpleNamespace(content=html, toc=toc, url="p/", meta={}, title="P")
    assert search.install()
    fast = SearchIndex()
    fast.add_entry_from_context(page)  # docloc's: sections and a dict per page
    reference = SearchIndex()  # Material's own steps, with its walk of the TOC
    parser = Parser()
    parser.feed(html)
    parser.close()
    for section in parser.data:
        if not section.is_excluded():
            reference.create_entry_for_section(section, toc, page.url, page)
    assert fast.entries == reference.entries
    found = [(e["location"], e["title"]) for e in fast.entries]
    assert ("p/#gone", "Not in the TOC") in found and ("p/#deep", "Deep") in found
