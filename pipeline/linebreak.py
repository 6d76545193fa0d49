"""Where GNU gettext breaks a PO string: gnulib's line breaking, for the text PO holds.

Design decisions:

1. ``msgcat`` and ``msgmerge`` wrap strings at 79 columns where gnulib's
   ``ulc_width_linebreaks`` allows a break (UAX #14's pair table, as gnulib
   states it); docloc breaks exactly there, so its files are what those tools
   write and they leave them unchanged (tests/test_translator_tools.py runs them).
2. Only the classes PO text meets are told apart; every other character is a
   letter (AL), an ideograph (ID, East Asian wide) or a combining mark (CM). Wide
   characters count two columns, combining and format characters none.
3. The text is escaped PO text (``\\n``, ``\\"``): an escape is never split, and
   the escaped character reads as a letter (a quote for ``\\"``).
4. Fast on ordinary text: break opportunities are found by regular expressions
   over a string of one letter per character class (pairs beside a non-letter
   checked against the table; spaces by one expression), the greedy pass visits
   only the opportunities. Text with combining marks takes the character loop
   (``_opportunities_by_char``), which states the rules as gnulib does; the two
   are held equal in tests (tests/test_linebreak.py).
"""

from __future__ import annotations

import re
import unicodedata

# Classes: OP open, CL close, CP close parenthesis, QU quote, GL glue, NS nonstarter,
# EX exclamation, SY slash, IS infix separator, PR prefix, PO postfix, NU digit,
# AL letters, ID ideographs, HY hyphen, BA break after, B2 em dash, ZW zero width
# space, CM combining, WJ word joiner, SP space.
_CLASS = {}
for _chars, _cls in (
        ("([{\u00a1\u00bf\u201a\u201e", "OP"), ("}", "CL"), (")]", "CP"),
        ('"\'\u00ab\u00bb\u2018\u2019\u201c\u201d\u2039\u203a', "QU"),
        ("\u00a0\u202f\u2007\u2011\u180e\u034f", "GL"), ("!?", "EX"), ("/", "SY"),
        (",.:;\u037e\u0589\u060c\u060d\u07f8\u2044\ufe10\ufe13\ufe14", "IS"),
        ("$+\\\u00a3\u00a5\u00b1\u20ac\u2116", "PR"), ("%\u00a2\u00b0\u2030\u2031\u2032\u2033", "PO"),
        ("0123456789", "NU"), ("-", "HY"),
        ("\t|\u00ad\u2010\u2012\u2013\u058a\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
         "\u2008\u2009\u200a", "BA"),
        ("\u2014", "B2"), ("\u200b", "ZW"), ("\u2060\ufeff", "WJ"), (" ", "SP"),
        ("\u2026\u2024\u2025", "IN")):
    for _c in _chars:
        _CLASS[_c] = _cls

_ORDER = "OP CL CP QU GL NS EX SY IS PR PO NU AL ID IN HY BA B2 ZW CM WJ".split()
# gnulib's pair table: "_" break, "%" break only after spaces, "^" never.
_PAIRS_TEXT = """
OP ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^
CL _ ^ ^ % % ^ ^ ^ ^ % % _ _ _ _ % % _ ^ % ^
CP _ ^ ^ % % ^ ^ ^ ^ % % % % _ _ % % _ ^ % ^
QU ^ ^ ^ % % % ^ ^ ^ % % % % % % % % % ^ % ^
GL % ^ ^ % % % ^ ^ ^ % % % % % % % % % ^ % ^
NS _ ^ ^ % % % ^ ^ ^ _ _ _ _ _ _ % % _ ^ % ^
EX _ ^ ^ % % % ^ ^ ^ _ _ _ _ _ % % % _ ^ % ^
SY _ ^ ^ % % % ^ ^ ^ _ _ % _ _ _ % % _ ^ % ^
IS _ ^ ^ % % % ^ ^ ^ _ _ % _ _ _ % % _ ^ % ^
PR % ^ ^ % % % ^ ^ ^ _ _ % % % _ % % _ ^ % ^
PO % ^ ^ % % % ^ ^ ^ _ _ % % _ _ % % _ ^ % ^
NU % ^ ^ % % % ^ ^ ^ % % % % _ % % % _ ^ % ^
AL % ^ ^ % % % ^ ^ ^ % % % % _ % % % _ ^ % ^
ID _ ^ ^ % % % ^ ^ ^ _ % _ _ _ % % % _ ^ % ^
IN _ ^ ^ % % % ^ ^ ^ _ _ _ _ _ % % % _ ^ % ^
HY _ ^ ^ % _ % ^ ^ ^ _ _ % _ _ _ % % _ ^ % ^
BA _ ^ ^ % _ % ^ ^ ^ _ _ _ _ _ _ % % _ ^ % ^
B2 _ ^ ^ % % % ^ ^ ^ _ _ _ _ _ _ % % ^ ^ % ^
ZW _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ^ _ _
CM % ^ ^ % % % ^ ^ ^ % % % % _ % % % _ ^ % ^
WJ % ^ ^ % % % ^ ^ ^ % % % % % % % % % ^ % ^
"""
_PAIRS = {}
for _row in _PAIRS_TEXT.strip().split("\n"):
    _name, *_cells = _row.split()
    for _col, _cell in zip(_ORDER, _cells):
        _PAIRS[(_name, _col)] = _cell


_DIRECT = frozenset(pair for pair, rule in _PAIRS.items() if rule == "_")
"""Pairs that may break with no space between them."""
_NEVER = frozenset(pair for pair, rule in _PAIRS.items() if rule == "^")
"""Pairs that never break, spaces or not (the rest break after spaces)."""


class _Classes(dict[str, str]):
    """char -> line-breaking class, filled as characters come (``_class``)."""

    def __missing__(self, char: str) -> str:
        self[char] = found = _class(char)
        return found


_CLASS_OF = _Classes()


def _class(char: str) -> str:
    found = _CLASS.get(char)
    if found:
        return found
    if char < "\u0300":
        return "AL"
    if unicodedata.category(char) in ("Mn", "Me"):
        return "CM"
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "ID"
    return "AL"


def _width(char: str) -> int:
    if char < "\u0300":
        return 1
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def columns(text: str) -> int:
    if text.isascii() or max(text) < "\u0300":
        return len(text)
    return sum(_width(c) for c in text)


# The same rules on a string of one letter per character (its class; a space for SP),
# matched by regular expressions instead of a loop over characters.
_LETTER = {name: chr(ord("A") + i) for i, name in enumerate(_ORDER)}
_LETTER["SP"] = " "


class _Letters(dict[int, str]):
    """``str.translate`` table: code point -> class letter, filled as characters come."""

    def __missing__(self, code: int) -> str:
        self[code] = letter = _LETTER[_CLASS_OF[chr(code)]]
        return letter


_LETTERS = _Letters()
_DIRECT_LETTERS = frozenset(_LETTER[a] + _LETTER[b] for a, b in _DIRECT)
assert ("AL", "AL") not in _DIRECT  # so only pairs beside a non-letter need a look
_NOT_LETTER = re.compile(f"[^ {_LETTER['AL']}]")
"""A character of another class than letters and spaces: the pairs it is in may break."""
_AFTER_SPACES = re.compile(r"([^ ]) +(?=[^ ])")
"""Spaces between two characters: group 1 is the one before, ``end()`` the one after."""
_NEVER_LETTERS = frozenset((_LETTER[a], _LETTER[b]) for a, b in _NEVER)
_ESCAPED_CHAR = re.compile(r"\\(.)", re.S)


def _opportunities(chars: str, newline_at_end: bool) -> list[bool]:
    """Where a break may go before each escaped character (never inside an escape)."""
    letters = chars.translate(_LETTERS)
    if _LETTER["CM"] in letters:  # combining marks attach to what precedes them: the loop
        return _opportunities_by_char(chars, newline_at_end)
    escaped: list[int] = []
    if "\\" in chars:  # the character of an escape reads as a letter (a quote for \")
        spelled = list(letters)
        for match in _ESCAPED_CHAR.finditer(chars):
            at = match.start(1)
            spelled[at] = _LETTER["QU"] if chars[at] == '"' else _LETTER["AL"]
            escaped.append(at)
        letters = "".join(spelled)
    n = len(chars)
    allowed = [False] * n
    direct = _DIRECT_LETTERS
    for match in _NOT_LETTER.finditer(letters):
        at = match.start()
        if at and letters[at - 1:at + 1] in direct:
            allowed[at] = True
        if letters[at:at + 2] in direct:
            allowed[at + 1] = True
    for match in _AFTER_SPACES.finditer(letters):
        if (match.group(1), letters[match.end()]) not in _NEVER_LETTERS:
            allowed[match.end()] = True
    for at in escaped:
        allowed[at] = False
    if newline_at_end and n >= 2:
        allowed[-2] = False  # never right before the final "\n"
    return allowed


def _opportunities_by_char(chars: str, newline_at_end: bool) -> list[bool]:
    """``_opportunities`` one character at a time: the rules as gnulib states them."""
    n = len(chars)
    allowed = [False] * n
    before = None       # class of the last non-space character
    spaces = False
    escaped = False
    classes = _CLASS_OF
    direct, never = _DIRECT, _NEVER
    for i, char in enumerate(chars):
        if escaped:      # the character after a backslash of an escape
            escaped = False
            before = "AL" if char != '"' else "QU"
            spaces = False
            continue
        cls = classes[char]
        if cls == "SP":
            spaces = True
            continue
        if cls == "CM" and before is not None and not spaces:
            continue
        if before is not None:  # a pair missing from the table breaks after spaces
            allowed[i] = (before, cls) not in never if spaces else (before, cls) in direct
        if char == "\\":
            escaped = True
        before, spaces = cls, False
    if newline_at_end and n >= 2:
        allowed[n - 2] = False  # never right before the final "\n"
    return allowed


def breaks(chars: str, width: int, startcol: int, newline_at_end: bool) -> list[int]:
    """gnulib's ``ulc_width_linebreaks``: greedy, breaking at the last opportunity
    before the text would pass ``width`` columns."""
    if startcol + columns(chars) <= width:
        return []
    allowed = _opportunities(chars, newline_at_end)
    if max(chars) < "\u0300":  # one column each: a piece's width is its length
        upto = list(range(len(chars) + 1))
    else:  # columns before each character
        upto = [0]
        for char in chars:
            upto.append(upto[-1] + (1 if char < "\u0300" else _width(char)))
    breaks: list[int] = []
    last = None
    column = startcol
    start = 0  # where the piece since the last opportunity starts
    for i in [i for i, ok in enumerate(allowed) if ok]:
        piece = upto[i] - upto[start]
        if last is not None and column + piece > width:
            breaks.append(last)
            column = 0
        last = i
        column += piece
        start = i
    if last is not None and column + upto[len(chars)] - upto[start] > width:
        breaks.append(last)
    return breaks
