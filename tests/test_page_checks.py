"""Page checks (``pipeline.page_checks``): each fires on the lines marked for it and
stays quiet on clean pages; ``page-html`` names each thing the build strips of a page's
own markup, at its line and column.

The fixture pages live in tests/fixtures/checks/: bilingual pages whose lines carry
``expect: <check>`` in an HTML or YAML comment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import checks
from pipeline.checks import CHECKS, Context, Finding, run_checks
from pipeline.project import read_content
from pipeline.sxs import parse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "checks"


def page_expectations(text: str) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(text.split("\n"), 1):
        found = re.search(r"expect: ([\w, -]+?)\s*(?:-->|$)", line)
        if found:
            expected |= {(number, name.strip()) for name in found.group(1).split(",")}
    return expected


def page_findings(name: str, **options) -> list[Finding]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    page, problems = parse(text, name, "fr-FR")
    assert not problems
    return run_checks({}, pages={name: page}, **options)


@pytest.mark.parametrize("name", ["page-bad.md", "page-clean.md"])
def test_page_checks_fire_on_the_marked_lines_only(name):
    expected = page_expectations((FIXTURES / name).read_text(encoding="utf-8"))
    found = {(f.line, f.check) for f in page_findings(name)}
    assert found == expected


def test_page_fixtures_exercise_every_page_check():
    expected = page_expectations((FIXTURES / "page-bad.md").read_text(encoding="utf-8"))
    page_checks = {name for name, c in CHECKS.items() if c.scope == "page"}
    # page-html has hostile pages of its own below (and must not
    # fire on these fixtures: the test above holds that)
    assert {check for _, check in expected} == page_checks - {"page-html"}


def test_page_without_segments_gives_one_finding_for_its_labels():
    findings = page_findings("TOC.md")
    assert [(f.line, f.check) for f in findings] == [(1, "outside-text")]
    assert "2 lines of text" in findings[0].message


def test_content_pages_report_text_outside_segments():
    content = read_content(ROOT / "content", source_locale="en-US")
    pages = {item.rel_uri: page for item, page in content.pages}
    findings = run_checks({}, pages=pages, source_locale="en-US")
    assert {f.check for f in findings} == {"outside-text"}
    where = {(f.path, f.line) for f in findings}
    assert ("fr-FR/data-retention.md", 19) in where  # image alt text
    assert ("de-DE/data-retention.md", 2) in where  # title outside a segment
    assert ("fr-FR/TOC.md", 1) in where  # TOC labels
    assert not any(f.path == "fr-FR/acceptable-use.md" and f.line in (2, 3) for f in findings)
    assert not any(f.path.startswith("en-US/") for f in findings)  # English is the source


# -- page-html: a hostile vendor page's own markup (issue 13) --------------------------

FRONT = ("---\ntitle: \"Accueil <img src=x onerror=alert(1)>\"\n"
         "description: Politique <script>alert(2)</script>\nms.topic: <b>not published</b>\n---\n")
SEGMENT = ('<span data-ttu-id="h1-101">Bonjour.</span><span class="sxs-lookup">'
           '<span data-stu-id="h1-101">Hello.</span></span>')
BODY = (f"<script>alert(3)</script>\n\n{SEGMENT} <img src=\"media/a.png\" onerror=\"alert(4)\">\n\n"
        "Voir [ici](javascript:alert(5)) ou [là](https://example.com/a_(b)).\n\n"
        "```html\n<script>shown_as_code()</script>\n```\n\n"
        "`<script>inline code</script>` <!-- <script>comment</script> -->\n\n"
        '<div markdown="1" class="note" onmouseover="alert(6)">**x**</div>\n\n'
        "[ref]: vbscript:msgbox\n\n{: onclick=\"alert(7)\" .big }\n\n"
        '<a name="anchor"></a> <td style="width: 10%; position: fixed">c</td>\n')


def findings(text: str, path: str = "fr-FR/page.md") -> list[tuple[int, int, str]]:
    page, problems = parse(text, path, "fr-FR")
    assert not problems
    return [(line, column, message) for line, _, message, column in checks.page_findings(
        page, Context("fr-FR"), [CHECKS["page-html"]], columns=True)]


def test_check_names_each_stripped_item_of_skeleton_and_front_matter_at_line_and_column():
    found = findings(FRONT + BODY)
    assert found == [
        (2, 17, "front matter title: attribute onerror on <img> is not allowed: it is removed"),
        (3, 24, "front matter description: <script> is not allowed: it is removed with its "
                "content"),
        (6, 1, "<script> is not allowed: it is removed with its content"),
        (8, 116, "attribute onerror on <img> is not allowed: it is removed"),
        (10, 12, "unsafe URL 'javascript:alert(5)': the link is removed"),
        (18, 1, "attribute onmouseover on <div> is not allowed: it is removed"),
        (20, 8, "unsafe URL 'vbscript:msgbox': the link is removed"),
        (22, 1, "attribute list '{: onclick=\"alert(7)\" .big }': attribute onclick on <span> "
                "is not allowed: it is removed"),
        (24, 23, "style property position on <td> is not allowed: it is removed"),
    ]


def test_a_clean_bilingual_page_has_no_page_html_finding():
    assert findings("---\ntitle: Accueil | Contoso\n---\n# <a name=\"x\"></a>" + SEGMENT
                    + "\n\n<https://example.com> [a](b.md#c) <br/> <xref:Some.Uid>"
                    + " [t](xref:Some.Uid)\n\n| a | b |\n|---|---|\n") == []


def test_an_include_file_is_checked_like_a_page():
    assert [m for _, _, m in findings(SEGMENT + "\n<iframe src=\"http://evil.example\">"
                                      "</iframe>\n", "fr-FR/includes/note.md")] == [
        "attribute src on <iframe> is not allowed: it is removed"]
