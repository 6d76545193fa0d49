"""Hostile vendor pages (issue 13, round two): what ``docloc check`` reports of a
page's own markup, what the built page shows of it, and what a browser runs."""

from __future__ import annotations

import re

from pipeline.checks import CHECKS, Context, page_findings
from pipeline.cli import main
from pipeline.contain import page_markup_findings
from pipeline.sxs import parse

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
    return [(line, column, message) for line, _, message, column in page_findings(
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


def test_the_check_and_the_build_share_the_page_allowlist():
    # one definition: each tag is judged by cleaning it through contain.clean_page
    assert page_markup_findings("<b>x</b> <kbd>Ctrl</kbd> <details open><summary>s</summary>"
                                "</details>") == []
    assert page_markup_findings("<marquee>x</marquee>") == [
        (0, "<marquee> is not allowed: it is removed")]


def test_docloc_check_prints_path_line_and_column_and_fails(project, capsys):
    page = project / "content" / "fr-FR" / "index.md"
    text = page.read_text(encoding="utf-8").replace(
        "---\n# ", "---\n<script>alert(1)</script>\n# ", 1)
    page.write_text(text + "\n[x](javascript:alert(1))\n", encoding="utf-8")
    lines = text.count("\n") + 2
    code = main(["check", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), "--no-cache"])
    out = capsys.readouterr().out
    assert code != 0
    assert re.search(rf"{re.escape(str(page))}:11: error: column 1: <script> is not allowed"
                     r".*\[page-html\]", out), out
    assert f"{page}:{lines}: error: column 5: unsafe URL 'javascript:alert(1)'" in out, out
