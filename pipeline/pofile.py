"""The PO file format: one reader for what every tool writes, one writer that keeps layout.

Design decisions:

1. One reader for every file, whoever wrote it (docloc, GNU msgcat/msgmerge,
   Poedit, Weblate, polib, translate-toolkit): a strict line-by-line parser.
   Every line is checked (polib silently accepts an unterminated string) and a
   defect is a DoclocError with path and 1-based line. No third-party import.
2. Lossless: the file is cut into pieces, the header's and one per message
   (from its first comment line to its last string line), with the blank lines
   between them. Each piece keeps its text, so a message a run did not change
   is written back byte for byte, in whatever layout the last tool chose.
3. The layout of a file is recorded as read (``Layout``): how strings wrap
   (GNU's line breaking at a width, polib's at 78, or not at all) and whether
   ``#:`` lines wrap. It is found by trying each candidate on the file's own
   wrapped strings, the first time a write needs it (``PoFile.layout``): reading
   for figures and checks, which write nothing, never pays for it (it was two
   thirds of a cold ``docloc check``). Messages a run changes or adds are written
   in it.
4. New files get GNU gettext's own layout (``msgcat``'s defaults: strings and
   references wrapped at 79 columns), so ``msgcat f`` leaves them unchanged.
   The line breaking follows GNU's (``linebreak.py``: gnulib's UAX #14 pair
   table, for the classes PO text uses; East Asian wide characters count two).
5. This module knows nothing of docloc's meaning of comments (ids, notes, meta):
   catalog_po.py puts it on the ``Message`` values read here.
6. The header is the entry ``msgid ""`` without msgctxt, wherever it stands: a
   hand edit or a tool can move it below other entries, and msgfmt and msgcat
   accept the file and keep it there (``PoFile.header_at`` says where). A second
   one is an error (msgfmt's too). A file whose only header is commented out
   (``#~ msgid ""``) has it for header: its fields are the translator's, and a
   fresh header beside it would repeat its comments and lose its fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import linebreak
from .errors import DoclocError


@dataclass(frozen=True)
class Layout:
    """How a file's strings and references are laid out."""

    width: int = 79
    """Strings wrap at this many columns; 0: no wrapping."""
    style: str = "gnu"
    """``gnu`` (msgcat, msgmerge, Poedit, Weblate) or ``polib`` (polib's textwrap)."""
    refs_width: int = 79
    """``#:`` lines wrap at this width (GNU does even with ``--no-wrap``); 0: one line."""


GNU = Layout()
"""GNU gettext's defaults: what ``msgcat f`` writes."""


@dataclass
class Message:
    """One entry as read, before catalog_po.py puts docloc's meaning on its comments."""

    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    plural: bool = False
    previous_msgid: str | None = None
    previous_msgctxt: str | None = None
    tcomments: list[str] = field(default_factory=list)
    """Translator comments (``# ...``), the text after ``# ``."""
    comments: list[str] = field(default_factory=list)
    """Extracted comments (``#. ...``)."""
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False
    line: int = 0
    """1-based line of its msgid (msgctxt when it has one)."""
    first: int = 0
    """0-based index of its first line (a comment or a keyword)."""
    last: int = 0
    """0-based index of its last line."""


@dataclass
class PoFile:
    """A PO file as read: its header, messages, layout and lines."""

    lines: list[str]
    """The text split at ``\\n`` (a final newline gives a last empty item)."""
    header: Message | None
    messages: list[Message]
    header_at: int = 0
    """How many messages come before the header in the file (decision 6)."""
    _layout: Layout | None = None

    @property
    def layout(self) -> Layout:
        """The layout the file was written in, found the first time a write asks
        (``detect_layout``): reading for figures and checks never pays for it."""
        if self._layout is None:
            self._layout = detect_layout(self)
        return self._layout

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The header's ``Name: value`` lines, in order (a line without a name is kept
        with an empty name, as polib and msgfmt glue it onto the field before)."""
        out = []
        for line in (self.header.msgstr if self.header else "").split("\n"):
            if not line:
                continue
            name, sep, value = line.partition(":")
            out.append((name.strip(), value.strip()) if sep else ("", line))
        return out

    def piece(self, message: Message | None) -> list[str]:
        """The lines of a message (None: the header) exactly as read."""
        item = self.header if message is None else message
        return self.lines[item.first:item.last + 1] if item else []


# -- reading ------------------------------------------------------------------

_STRING = r'"((?:[^"\\]|\\.)*)"[ \t]*'
_KEYWORD_LINE = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+' + _STRING + "$")
_CONTINUATION = re.compile(_STRING + "$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r'\\(?:([ntr"\\abfv])|([0-7]{1,3})|x([0-9a-fA-F]+))')


def _unquote(body: str) -> str:
    if "\\" not in body:
        return body
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)] if m.group(1) else
                       chr(int(m.group(2), 8)) if m.group(2) else chr(int(m.group(3), 16)), body)


def _invalid(line: str, path: str, number: int) -> DoclocError:
    return DoclocError(f"not a valid PO line: {line[:60]!r}; fix it or restore the file "
                       "from version control", path, number)


def _split(line: str) -> tuple[str, bool, bool]:
    """A line without its ``#~`` and ``#|`` marks, and whether it had each."""
    obsolete = line.startswith("#~")
    body = line[2:].lstrip(" ") if obsolete else line
    previous = body.startswith("#|") or (obsolete and body.startswith("|"))
    if previous:
        body = body[2:].lstrip(" ") if body.startswith("#|") else body[1:].lstrip(" ")
    return body, obsolete, previous


def _add_comment(item: Message, body: str) -> None:
    """Put a comment line (``#.``, ``#:``, ``#,`` or ``#``) on the message."""
    kind = body[1:2]
    rest = body[2:].strip()
    if kind == ".":
        if rest:  # an empty extracted comment carries nothing
            item.comments.append(body[3:] if body.startswith("#. ") else body[2:])
    elif kind == ":":
        item.references.extend(rest.split())
    elif kind == ",":
        item.flags.extend(f.strip() for f in rest.split(",") if f.strip())
    elif body[1:].strip():  # an empty "#" line carries nothing
        item.tcomments.append(body[2:] if body.startswith("# ") else body[1:])


def _check_order(base: str, keyword: str | None, line: str, path: str, number: int) -> None:
    """Raise when a keyword cannot follow the entry's last one."""
    if base == "msgstr" and keyword not in ("msgid", "msgid_plural", "msgstr"):
        raise DoclocError("msgstr without its msgid (a line lost?); fix the entry or "
                          "restore the file from version control", path, number)
    if base == "msgid" and keyword not in (None, "msgctxt"):
        raise DoclocError("msgid without the msgstr of the entry before it; fix the "
                          "entry or restore the file from version control", path, number)
    if base == "msgid_plural" and keyword != "msgid":
        raise _invalid(line, path, number)


def _store(item: Message, word: str, value: str) -> bool:
    """Set the field a keyword line names; True when it is a msgstr (the entry is whole)."""
    if word == "msgctxt":
        item.msgctxt = value
    elif word == "msgid":
        item.msgid = value
    elif word == "msgid_plural":
        item.plural = True
    else:
        if word != "msgstr":
            item.plural = True
        if word in ("msgstr", "msgstr[0]"):
            item.msgstr = value
        return True
    return False


def _extend(item: Message, target: str, value: str) -> None:
    """Append a continuation string to the field it continues (others are not kept)."""
    if target == "previous_msgid":
        item.previous_msgid = (item.previous_msgid or "") + value
    elif target == "previous_msgctxt":
        item.previous_msgctxt = (item.previous_msgctxt or "") + value
    elif target == "msgctxt":
        item.msgctxt = (item.msgctxt or "") + value
    elif target == "msgid":
        item.msgid += value
    elif target in ("msgstr", "msgstr[0]"):
        item.msgstr += value


@dataclass
class _Reader:
    """The parser's state, line after line: the entry being read and where its strings are."""

    path: str
    messages: list[Message] = field(default_factory=list)
    item: Message = field(default_factory=Message)
    started: bool = False
    """The item has a line."""
    keyword: str | None = None
    """The last keyword of the item's strings (None: in its comments)."""
    target: str | None = None
    """Which field a continuation string extends."""
    done: bool = False
    """The item has its msgstr."""

    def finish(self) -> None:
        """Close the item and start a new one."""
        if self.started and self.done:  # comments after the last entry are no entry:
            self.messages.append(self.item)  # they are kept as its tail
        self.item, self.started, self.keyword, self.target, self.done = (
            Message(), False, None, None, False)

    def take(self, index: int) -> None:
        """Count line ``index`` as the item's (its first when it has none yet)."""
        if not self.started:
            self.item.first, self.started = index, True
        self.item.last = index

    def read(self, line: str, index: int) -> None:
        """One line (without its line end): a blank, a comment, a keyword or a string."""
        if not line.strip():
            if self.done:
                self.finish()
            elif self.started and self.keyword is not None:
                self.keyword = None  # a blank line ends the keywords: a msgstr now has no msgid
            return
        body, obsolete, previous = _split(line)
        if body.startswith("#") or (obsolete and not body.startswith(("msg", '"'))
                                    and not previous):
            self.comment(body, obsolete, index)
            return
        match = _KEYWORD_LINE.match(body)
        if match:
            word, value = match.group(1), _unquote(match.group(2))
            if previous:
                self.previous(word, value, index)
            else:
                self.keyword_line(word, value, obsolete, line, index)
            return
        match = _CONTINUATION.match(body)
        if match and self.target is not None and (self.keyword is not None
                                                  or self.target.startswith("previous_")):
            self.item.last = index
            _extend(self.item, self.target, _unquote(match.group(1)))
            return
        raise _invalid(line, self.path, index + 1)

    def comment(self, body: str, obsolete: bool, index: int) -> None:
        """A comment: it starts an entry when the one before has its msgstr."""
        if self.done:
            self.finish()
        self.take(index)
        self.keyword = None
        if not obsolete:  # "#~" with something else than strings: kept, not interpreted
            _add_comment(self.item, body)

    def previous(self, word: str, value: str, index: int) -> None:
        """A ``#|`` line: the msgctxt or msgid the translation was made for."""
        if self.done:
            self.finish()
        self.take(index)
        if word == "msgctxt":
            self.item.previous_msgctxt = value
        elif word == "msgid":
            self.item.previous_msgid = value
        self.target, self.keyword = "previous_" + word, None

    def keyword_line(self, word: str, value: str, obsolete: bool, line: str, index: int) -> None:
        """A ``msgctxt``, ``msgid``, ``msgid_plural`` or ``msgstr`` line."""
        base = word.partition("[")[0]
        if base in ("msgctxt", "msgid") and self.done:
            self.finish()
        _check_order(base, self.keyword, line, self.path, index + 1)
        self.take(index)
        if base in ("msgctxt", "msgid") and (self.keyword is None):
            self.item.line = index + 1
        if obsolete:
            self.item.obsolete = True
        self.keyword, self.target = base, word
        if _store(self.item, word, value):
            self.done = True

    def end(self) -> list[Message]:
        """The messages read, once the last line is."""
        if self.started and self.keyword is not None and not self.done:
            raise DoclocError("msgid without its msgstr at the end of the file; add the msgstr",
                              self.path, self.item.line or self.item.first + 1)
        self.finish()
        return self.messages


def _take_header(messages: list[Message], path: str) -> tuple[Message | None, list[Message], int]:
    """The header, the other messages, and how many of them stand before it."""
    header = None
    for message in messages:
        if message.msgid == "" and message.msgctxt is None and not message.obsolete:
            if header is not None:
                raise DoclocError('a second header entry (msgid ""); merge it into the first',
                                  path, message.line, 1)
            header = message
    if header is None:  # decision 6: a commented-out header is the file's header still
        header = next((m for m in messages if m.msgid == "" and m.msgctxt is None
                       and m.obsolete and not m.plural), None)
    if header is None:
        return None, messages, 0
    rest = [m for m in messages if m is not header]
    return header, rest, sum(1 for m in rest if m.first < header.first)


def parse(text: str, path: str) -> PoFile:
    """Read PO text; raises DoclocError naming path and line on a defect of syntax."""
    lines = text.split("\n")
    reader = _Reader(path)
    for index, raw in enumerate(lines):
        reader.read(raw[:-1] if raw.endswith("\r") else raw, index)
    header, messages, header_at = _take_header(reader.end(), path)
    return PoFile(lines, header, messages, header_at)


# -- layout -------------------------------------------------------------------

_CANDIDATES = (Layout(79, "gnu"), Layout(78, "polib"), Layout(0, "gnu"))


def detect_layout(po: PoFile) -> Layout:
    """The candidate layout that reproduces most of the file's strings as they are."""
    samples: list[tuple[Message, list[str]]] = []
    refs_long = False
    for message in ([po.header] if po.header else []) + po.messages:
        lines = po.piece(message)
        for line in lines:
            if line.startswith("#:") and linebreak.columns(line) > 79 and " " in line[3:]:
                refs_long = True
        if len(samples) < 200 and any(not line.startswith("#") or line.startswith("#~")
                                      for line in lines):
            samples.append((message, [ln for ln in lines if not ln.startswith("#") or
                                      ln.startswith(("#~ msg", '#~ "', "#| ", "#~| "))]))
    best, best_score = GNU, -1
    for candidate in _CANDIDATES:
        score = 0
        for message, strings in samples:
            if _string_lines(message, candidate) == strings:
                score += 1
        if score > best_score:
            best, best_score = candidate, score
    return Layout(best.width, best.style,
                  0 if refs_long else 78 if best.style == "polib" else 79)


def _string_lines(message: Message, layout: Layout) -> list[str]:
    prefix = "#~ " if message.obsolete else ""
    out = []
    if message.previous_msgctxt is not None and not message.obsolete:
        out += wrap("#| ", "msgctxt", message.previous_msgctxt, layout)
    if message.previous_msgid is not None and not message.obsolete:
        out += wrap("#| ", "msgid", message.previous_msgid, layout)
    if message.msgctxt is not None:
        out += wrap(prefix, "msgctxt", message.msgctxt, layout)
    out += wrap(prefix, "msgid", message.msgid, layout)
    out += wrap(prefix, "msgstr", message.msgstr, layout)
    return out


# -- writing ------------------------------------------------------------------

# GNU also writes \b and \f as escapes; polib reads only these five (and such
# characters in segment text are rare enough to leave as they are).
_QUOTE = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\r": "\\r", "\n": "\\n"}
_NEEDS_QUOTING = re.compile(r'[\\"\t\r\n]')


def escape(text: str) -> str:
    return _NEEDS_QUOTING.sub(lambda m: _QUOTE[m.group(0)], text)


def wrap(prefix: str, keyword: str, value: str, layout: Layout) -> list[str]:
    """The lines of one string field, as the layout's tool writes them."""
    if layout.style == "polib":
        return _polib_wrap(prefix, keyword, value, layout.width)
    return _gnu_wrap(prefix, keyword, value, layout.width)


def _gnu_wrap(prefix: str, keyword: str, value: str, page_width: int) -> list[str]:
    """GNU gettext's write-po.c ``wrap``: one portion per ``\\n``, each broken where
    the line-breaking rules allow, so that no line passes ``page_width`` columns."""
    return list(_gnu_wrapped(prefix, keyword, value, page_width))


@lru_cache(maxsize=65536)
def _gnu_wrapped(prefix: str, keyword: str, value: str, page_width: int) -> tuple[str, ...]:
    """``_gnu_wrap``, remembered: a msgid is wrapped for its catalog and its template,
    and again by every catalog of the same page in another locale."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    out: list[str] = []
    first = True
    after_break = len(prefix) + 1
    width = (page_width if page_width > 0 else 1 << 30) - 1 - after_break
    for number, portion in enumerate(portions):
        chars = escape(portion)
        more = number < len(portions) - 1
        startcol = len(keyword) + 1 if first else 0
        breaks = linebreak.breaks(chars, width, startcol, portion.endswith("\n"))
        if first and chars and (more or startcol > width or breaks):
            out.append(f'{prefix}{keyword} ""')
            first = False
            breaks = linebreak.breaks(chars, width, 0, portion.endswith("\n"))
        start = 0
        pieces = []
        for cut in breaks + [len(chars)]:
            pieces.append(chars[start:cut])
            start = cut
        for k, piece in enumerate(pieces):
            head = f"{prefix}{keyword} " if first and k == 0 else prefix
            out.append(f'{head}"{piece}"')
        first = False
    return tuple(out)


def _polib_wrap(prefix: str, keyword: str, value: str, wrapwidth: int) -> list[str]:
    """polib's ``_str_field``: split at line ends, else textwrap at ``wrapwidth``."""
    import textwrap

    lines = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    if len(lines) > 1:
        lines = [""] + lines
    else:
        escaped = escape(value)
        special = sum(value.count(c) for c in '\\\n\r\t"')
        real = wrapwidth - (len(keyword) + 3) + special
        if wrapwidth > 0 and len(value) > real:
            lines = [""] + [_unquote(x) for x in textwrap.wrap(
                escaped, wrapwidth - 2, drop_whitespace=False, break_long_words=False)]
        else:
            lines = [value]
    out = [f'{prefix}{keyword} "{escape(lines[0])}"']
    out += [f'{prefix}"{escape(x)}"' for x in lines[1:]]
    return out


def format_message(message: Message, layout: Layout) -> list[str]:
    """The lines of a message in GNU's order: comments, references, flags, strings."""
    out = _comments("# ", message.tcomments, layout)
    if not (message.obsolete and layout.style == "polib"):
        out += _comments("#. ", message.comments, layout)
    if not message.obsolete:
        out += references(message.references, layout.refs_width)
    if message.flags:
        out.append("#, " + ", ".join(message.flags))
    return out + _string_lines(message, layout)


def _comments(mark: str, comments: list[str], layout: Layout) -> list[str]:
    """Comment lines; polib wraps long ones with textwrap, GNU never does."""
    import textwrap

    out = []
    for comment in comments:
        if layout.style == "polib" and layout.width > 0 and len(comment) + len(mark) > layout.width:
            out += textwrap.wrap(comment, layout.width, initial_indent=mark,
                                 subsequent_indent=mark, break_long_words=False)
        else:
            out.append(f"{mark}{comment}" if comment else mark.rstrip())
    return out


def references(refs: list[str] | tuple[str, ...], width: int) -> list[str]:
    """``#:`` lines; GNU starts a new line before a reference passing ``width``."""
    if not refs:
        return []
    if width <= 0:
        return ["#: " + " ".join(refs)]
    out, line = [], "#:"
    for ref in refs:
        if len(line) > 2 and len(line) + 1 + len(ref) > width:
            out.append(line)
            line = "#:"
        line += " " + ref
    out.append(line)
    return out
