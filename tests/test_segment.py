"""English-only pages (segment.py): what a writer's plain markdown page gives translators.

A page the team writes in English has no spans: docloc cuts it into segments itself.
These tests check what a writer would check in the catalog: the text is there, one
sentence, heading, item or cell per entry; code, front matter, comments and DocFX
markers are not; and nothing of the page is lost on the way.
"""

from __future__ import annotations

import hashlib

import pytest

from pipeline.segment import segment_page, split_sentences
from pipeline.sxs import parse

PAGE = """\
---
title: Add a customer
ms.topic: how-to
---
# Add a customer

<!-- Reviewers: keep this short. -->

Open the portal. Then select **Customers**. See [the guide. Really](guide.md) now.

- First item
- Second item. With two sentences.
1. Numbered item

| Name | Value |
|------|-------|
| Plan | Basic |

```powershell
Get-Customer -Name "Contoso"
```

    indented code line

> [!NOTE]
> Quoted note text.

![Screenshot](media/shot.png)
[!INCLUDE [prerequisites](includes/prerequisites.md)]
"""


def sources(text: str) -> list[str]:
    return [s.source for s in segment_page(text, "en-US/add.md", "en-US").segments]


def english(text: str, *, key: str | None = None) -> str:
    """The page back from its parts: the skeleton and each segment's English as written."""
    page = segment_page(text, "en-US/add.md", "en-US", key=key)
    return "".join(p if isinstance(p, str) else p.raw_source for p in page.parts)


def test_headings_items_cells_quotes_and_each_sentence_of_a_paragraph_become_segments():
    assert sources(PAGE) == [
        "Add a customer",
        "Open the portal.", "Then select **Customers**.", "See [the guide. Really](guide.md) now.",
        "First item", "Second item.", "With two sentences.", "Numbered item",
        "Name", "Value", "Plan", "Basic",
        "Quoted note text.",
    ]


def test_front_matter_code_comments_images_and_docfx_markers_are_not_segments():
    found = " ".join(sources(PAGE))
    for kept_out in ("title", "how-to", "Get-Customer", "indented code", "Reviewers",
                     "NOTE", "Screenshot", "INCLUDE", "prerequisites", "---"):
        assert kept_out not in found


def test_a_comment_over_several_lines_is_not_text_and_the_text_after_it_is():
    page = ("# Title\n\n<!--\nReviewers: keep this short.\nAnd this.\n-->\n\n"
            "Open the portal.\n<!-- one line --> \n\nSelect **Customers**.\n")
    assert sources(page) == ["Title", "Open the portal.", "Select **Customers**."]
    assert english(page) == page


@pytest.mark.parametrize("text", [
    PAGE,
    PAGE.replace("\n", "\r\n"),
    "Line without a final line end. Second sentence",
    "",
    "  Indented first line.  \n\n\n",
], ids=["page", "crlf", "no final newline", "empty", "spaces"])
def test_the_page_text_comes_back_byte_for_byte_from_its_parts(text):
    assert english(text) == text


def test_the_result_is_an_ordinary_bilingual_page_with_empty_targets():
    page = segment_page(PAGE, "en-US/add.md", "en-US")
    assert page.segments and all(s.target == "" for s in page.segments)
    read, problems = parse(page.bilingual(), "en-US/add.md", "en-US")
    assert problems == [] and read.segments == page.segments
    assert segment_page(PAGE, "en-US/add.md", "en-US") == page  # the same text, the same page


def test_ids_come_from_the_page_key_not_from_how_the_path_is_spelled():
    prefix = hashlib.sha1(b"add.md").hexdigest()[:5]
    one = segment_page(PAGE, "content/en-US/add.md", "en-US", key="add.md")
    two = segment_page(PAGE, "./content//en-US/add.md", "en-US", key="add.md")
    assert [s.id for s in one.segments] == [s.id for s in two.segments]
    assert [s.id for s in one.segments][:2] == [f"{prefix}-101", f"{prefix}-102"]


def test_a_docfx_tab_heading_gives_only_its_label():
    assert sources("# [Windows](#tab/windows)\n\nRun the installer.\n") == [
        "Windows", "Run the installer."]


def test_a_sentence_boundary_never_falls_inside_code_a_link_or_a_tag():
    text = 'Use `a. B` here. See [one. Two](x.md) too. Keep <a title="x. Y">this</a>. Done.'
    assert split_sentences(text)[::2] == [
        "Use `a. B` here.", "See [one. Two](x.md) too.", 'Keep <a title="x. Y">this</a>.', "Done."]
