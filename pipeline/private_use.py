"""Private-use code points: every placeholder and mark docloc writes into text, allocated once.

Some stages put characters in text that they (or a later stage) must find again: where
a segment stands in a page's skeleton, markup set aside while a translation is
sanitized, the marks that carry segments through Python-Markdown. Unicode gives
private-use characters no meaning, so they serve; this module gives each use its own
range, so no stage ever reads another's characters as its own.

Design decisions:

1. The allocation (values fixed: the MkDocs hook of a built site reads the marks)::

       U+E000-U+E003    render, docfx  where a segment stands in the skeleton:
                                       BODY n END in the body, ALT n END in an image's
                                       alt text; BLOCK n END is an included block
       U+E004-U+E005    contain        STASH n STASH_END: markup set aside while a
                                       segment is sanitized
       U+E010-U+E011    docfx          TOKEN n TOKEN_END: an inline construct inside a
                                       segment, between ``protect`` and ``restore``
       U+E020-U+E021    toc            LABEL ... LABEL_END: a bilingual TOC label's
                                       English while its translation is removed
       U+F0000-U+FFFFD  marks          segment n opens with chr(MARK_BASE + n) in a
                                       site's markdown
       U+100000         marks          MARK_CLOSE: the end of a marked segment

   ``n`` is a decimal index into the owner's list. A new use takes a free range here.
2. Pages and translations may hold these characters too, so none is trusted from
   them: ``render`` replaces every character of ``RESERVED`` in a page's text and in
   a translation with U+FFFD before it places its own, and ``contain`` drops
   ``PLACEHOLDERS`` from a segment as control characters.
3. Ranges come as bodies of a regular expression's character class (``PLACEHOLDERS``,
   ``MARKS``, ``RESERVED``), for callers to put in their own patterns.
"""

from __future__ import annotations

BODY, ALT, BLOCK, END = "\ue000", "\ue001", "\ue002", "\ue003"
"""A segment in the skeleton's body, in alt text, an included block; the end of each."""
STASH, STASH_END = "\ue004", "\ue005"
"""Around the index of markup ``contain`` set aside."""
PLACEHOLDERS = "\ue000-\ue005"
"""U+E000-U+E005 (a character class body): the skeleton's placeholders and the stash."""
TOKEN, TOKEN_END = "\ue010", "\ue011"
"""Around the index of an inline DocFX construct inside a segment."""
LABEL, LABEL_END = "\ue020", "\ue021"
"""Around the English of a bilingual TOC label."""

MARK_BASE = 0xF0000
"""Segment n of a marked page opens with ``chr(MARK_BASE + n)``."""
MARK_LIMIT = 0xFFFD
"""Segments a page can mark (U+F0000..U+FFFFD); any further ones are spans."""
MARK_CLOSE = "\U00100000"
"""Closes a marked segment."""
MARKS = "\U000F0000-\U000FFFFD\U00100000"
"""Every mark (a character class body)."""

RESERVED = PLACEHOLDERS + TOKEN + TOKEN_END + "\U000F0000-\U0010FFFD"
"""What ``render`` never takes from a page or a translation (a character class body): the
placeholders, the stash, the tokens, and both supplementary private-use planes, of which
the marks use part."""
