"""Front matter and fenced code, as every stage reads them (pipeline.blocks)."""

from __future__ import annotations

import pytest

from pipeline.blocks import blank_code, code_lines, fields, front_matter, outside_code, scalar

# -- front matter ------------------------------------------------------------------------

def test_keys_carry_their_line_offsets_and_values():
    text = "---\ntitle: Hello | Site\nms.date: 04/24/2018\n---\n# Body\n"
    head = front_matter(text)
    assert [(k.name, k.value, k.line) for k in head.keys] == [
        ("title", "Hello | Site", 2), ("ms.date", "04/24/2018", 3)]
    assert text[head.keys[1].start:head.keys[1].end] == "ms.date: 04/24/2018"
    assert text[head.yaml_start:head.yaml_end] == "title: Hello | Site\nms.date: 04/24/2018\n"
    assert text[head.after:] == "# Body\n"
    assert head.body_line == 5 and text.split("\n")[head.body_line - 1] == "# Body"


def test_crlf_page_reads_like_lf_and_offsets_index_the_text_as_given():
    text = "---\r\ntitle: Bonjour  \r\nauthor: me\r\n---\r\nBody\r\n"
    head = front_matter(text)
    assert [(k.name, k.raw, k.line) for k in head.keys] == [("title", "Bonjour", 2),
                                                           ("author", "me", 3)]
    assert text[head.keys[0].start:head.keys[0].end] == "title: Bonjour"
    assert text[head.end - 4:head.end] == "---\r" and text[head.after:] == "Body\r\n"
    assert fields(text) == fields(text.replace("\r\n", "\n")) == {"title": "Bonjour",
                                                                    "author": "me"}


def test_dots_close_the_front_matter_and_trailing_blanks_are_allowed():
    text = "---  \ntitle: A\n...\t\nbody: not a key\n"
    assert fields(text) == {"title": "A"}
    assert front_matter(text).body_line == 4


def test_byte_order_mark_does_not_hide_the_front_matter():
    text = "\ufeff---\ntitle: A\n---\nBody\n"
    head = front_matter(text)
    assert head.start == 1 and head.keys[0].line == 2 and text[head.after:] == "Body\n"


@pytest.mark.parametrize("text", [
    "---\ntitle: A\nno closing line\n",          # unclosed: the whole text is body
    "title: A\n---\n",                           # no opening line
    "--- title: A\n---\n",                       # text on the opening line
    "----\ntitle: A\n----\n",                    # four dashes are a rule, not a fence
    "\n---\ntitle: A\n---\n",                    # not at the start
    "---",                                       # no line after the opening
])
def test_no_front_matter(text):
    assert front_matter(text) is None and fields(text) == {}


def test_comments_nested_keys_and_list_items_are_not_keys():
    text = ("---\n# a comment line\ntitle: A # a comment\nsearch:\n  title: nested\n"
            "keywords:\n- one\n- two\nms.topic: article#anchor\n---\n")
    head = front_matter(text)
    assert [(k.name, k.value, k.line) for k in head.keys] == [
        ("title", "A", 3), ("search", "", 4), ("keywords", "", 6),
        ("ms.topic", "article#anchor", 9)]  # '#' starts a comment only after a blank


@pytest.mark.parametrize("raw, value, text", [
    ('"Hello"', "Hello", "Hello"),
    ("'Hello'", "Hello", "Hello"),
    ('"Say \\"hi\\""', 'Say \\"hi\\"', 'Say "hi"'),            # value: escapes as written
    ("'It''s'", "It''s", "It's"),
    ('"quoted" # a comment', "quoted", "quoted"),
    ("plain # a comment", "plain", "plain"),
    ("C# and F#", "C# and F#", "C# and F#"),
    ('"', '"', '"'),                                            # a lone quote is text
    ("", "", ""),
])
def test_scalars(raw, value, text):
    key = front_matter(f"---\nk: {raw}\n---\n").keys[0]
    assert key.raw == raw and key.value == scalar(raw) == value and key.text == text


def test_a_segment_in_a_double_quoted_value_keeps_its_escaped_quotes_in_meta():
    raw = '"<span data-ttu-id=\\"a-1\\">Titre</span>"'
    assert fields(f"---\ntitle: {raw}\n---\n")["title"] == raw[1:-1]


def test_block_scalar_is_folded_into_one_line_and_its_offsets_cover_its_lines():
    text = "---\ndescription: >-\n  First line\n\n  second line.\ntitle: T\n---\n"
    head = front_matter(text)
    description, title = head.keys
    assert description.block and description.raw == ">-" and description.value == ">-"
    assert description.text == "First line second line."
    assert text[description.start:description.end] == \
        "description: >-\n  First line\n\n  second line."
    assert not title.block and title.line == 6 and title.text == "T"
    assert fields(text) == {"description": ">-", "title": "T"}  # Page.meta: as written


def test_block_scalar_in_a_crlf_page_keeps_its_blank_lines():
    text = "---\r\ndescription: |\r\n  one\r\n\r\n  two\r\n---\r\n"
    assert front_matter(text).keys[0].text == "one two"


def test_last_key_of_a_name_wins():
    text = "---\ntitle: A\ntitle: B\n---\n"
    assert fields(text) == {"title": "B"} and front_matter(text).get("title").line == 3
    assert front_matter(text).get("missing") is None


# -- fenced code -------------------------------------------------------------------------

def flagged(text: str) -> list[str]:
    lines = text.split("\n")
    return [line for line, code in zip(lines, code_lines(lines)) if code]


def test_backtick_and_tilde_fences_include_their_fence_lines():
    text = "a\n```python\nx = 1\n```\nb\n~~~\ny\n~~~\nc"
    assert flagged(text) == ["```python", "x = 1", "```", "~~~", "y", "~~~"]


def test_closing_fence_is_the_same_character_at_least_as_long_and_nothing_after():
    text = ("````md\n```\nshown as code\n```\n~~~~\n```` not a closer\n`````\nafter")
    assert flagged(text) == text.split("\n")[:-1]
    assert flagged("~~~\n```\n~~~\nout") == ["~~~", "```", "~~~"]
    assert flagged("```\n``\nstill code\n```  \nout") == ["```", "``", "still code", "```  "]


def test_crlf_closing_fence_closes():
    assert flagged("```\r\ncode\r\n```\r\ntext\r\n") == ["```\r", "code\r", "```\r"]


def test_unclosed_fence_runs_to_the_end():
    assert flagged("a\n```\ncode\nmore") == ["```", "code", "more"]


def test_backtick_fence_with_a_backtick_in_its_info_string_is_not_a_fence():
    assert flagged("``` `inline` ```\ntext\n~~~ `ok`\ncode\n~~~") == ["~~~ `ok`", "code", "~~~"]


def test_indented_fences_in_list_items_are_fences():
    text = "1. Step:\n\n    ```cs\n    var x = 1;\n      ```\n2. Next step."
    assert flagged(text) == ["    ```cs", "    var x = 1;", "      ```"]


def test_two_backticks_or_tildes_are_not_a_fence():
    assert flagged("``not``\n~~ no ~~\ntext") == []


def test_outside_code_rewrites_only_text_outside_fences():
    text = "link a.md\n```\na.md in code\n```\nlink b.md\n~~~\nunclosed a.md"
    out = outside_code(text, lambda run: run.replace(".md", ".html"))
    assert out == "link a.html\n```\na.md in code\n```\nlink b.html\n~~~\nunclosed a.md"
    assert outside_code("no code a.md", lambda run: run.upper()) == "NO CODE A.MD"


def test_blank_code_keeps_lines_and_offsets():
    text = "before <b>\n```html\n<script>x</script>\n```\nafter <i>"
    out = blank_code(text)
    assert len(out) == len(text) and out.split("\n") == [
        "before <b>", " " * 7, " " * 18, " " * 3, "after <i>"]
    assert blank_code(text, "x").split("\n")[1] == "xxxxxxx"
