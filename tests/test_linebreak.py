"""GNU gettext's line breaking (pipeline/linebreak.py): the fast path equals the rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import linebreak
from pipeline.pofile import escape

# What PO text holds: letters, digits, spaces, punctuation of every class the table
# tells apart, quotes and backslashes (escaped), no-break and zero-width spaces, an
# em dash, an ideograph, an accented letter; combining marks go the other way.
ALPHABET = list("ab Zz09 -/\\\"',.;:!?()[]{}%$+#|\t\u00a0\u200b\u2060\u2014\u2026\u00ab\u00bb"
                "\u3042\u00e9\u00a3\u2011")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300), st.booleans())
def test_regular_expressions_find_the_opportunities_the_rules_give(text, newline_at_end):
    chars = escape(text)
    assert linebreak._opportunities(chars, newline_at_end) == \
        linebreak._opportunities_by_char(chars, newline_at_end)


def test_combining_marks_take_the_character_loop():
    chars = escape("cafe\u0301 au lait, s'il vous pla\u0131\u0302t")
    assert linebreak._opportunities(chars, False) == \
        linebreak._opportunities_by_char(chars, False)


def test_breaks_fit_the_width_and_never_split_an_escape():
    text = escape('Select "Save" to keep the file\n' * 3 + "then close the window. " * 6)
    cuts = linebreak.breaks(text, 40, 6, False)
    assert cuts
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    assert all(linebreak.columns(p) <= 40 for p in pieces[1:])
    assert all(not p.endswith("\\") or p.endswith("\\\\") for p in pieces[:-1])
