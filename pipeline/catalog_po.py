"""Catalogs as PO text: a Catalog written as the lines of a PO file, PO text read back.

Design decisions:

1. Formatting is a pure generator of lines, no dates, entries in page order, so
   the same input gives the same bytes; writing is a join of those lines. A
   catalog read from a file keeps it (``Catalog.source``, a ``Source``): the
   header and every entry a run did not change are written back as read, the
   rest in the file's layout (pofile.py); a new catalog is in GNU gettext's
   layout, which ``msgcat`` leaves unchanged.
2. The PO format itself (reading every tool's files, layout, wrapping) lives in
   pofile.py; this module gives docloc's meaning to what it reads: ``#. id:``
   comments, ``# ms.*:`` header lines, translators' header fields kept as they
   are. A charset other than UTF-8, duplicate entries, a second header and
   plural forms are a DoclocError with path and line.
3. The catalog model (entries, keys, what a page's segments make) is
   catalog.py's; this module only moves catalogs to and from text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from . import pofile
from .catalog import Catalog, Entry, plural_forms, po_language
from .errors import DoclocError

# -- writing ------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    """Header values and comments stay on their line, whatever a catalog carried."""
    return _CONTROL.sub(" ", text)


@dataclass(frozen=True)
class Source:
    """The file a catalog was read from: its lines and layout, and which of its
    messages each entry read is, so an entry a run did not change is written back
    as it was (pofile decision 2)."""

    po: pofile.PoFile
    read: Mapping[Entry, tuple[int, ...]]
    """Each entry as read -> the indexes of the messages that read as it."""


def _intro(catalog: Catalog) -> list[str]:
    if catalog.locale:
        return [f"{catalog.page} in {catalog.locale}, from its bilingual page.",
                "Edit msgstr only; docloc keeps your edits when the page is updated."]
    return [f"{catalog.page}: template of the English sources.",
            "Edit msgstr only; docloc keeps your edits when the page is updated."]


def _own_fields(catalog: Catalog) -> list[tuple[str, str]]:
    fields = [("Project-Id-Version", catalog.page)]
    if catalog.locale:
        fields.append(("Language", po_language(catalog.locale)))
    fields += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
               ("Content-Transfer-Encoding", "8bit")]
    if catalog.locale:
        fields.append(("Plural-Forms", plural_forms(catalog.locale)))
    fields.append(("X-Generator", "docloc"))
    if "ms.translationtype" in catalog.meta:
        fields.append(("X-Translation-Type", catalog.meta["ms.translationtype"]))
    return fields


_OWNED_FIELDS = ("X-Translation-Type",)
"""Header fields docloc keeps up to date; every other field read is the file's (the
translator's tools'), kept as it is; docloc only adds the fields that are missing."""


def _meta_name(comment: str) -> str | None:
    """The name of a ``# ms.name: value`` header line docloc writes (None: a comment)."""
    name, sep, _ = comment.partition(": ")
    return name if sep and name.startswith("ms.") and not any(c.isspace() for c in name) \
        else None


def header_message(catalog: Catalog) -> pofile.Message:
    """The header entry to write: the file's own, with docloc's page metadata
    (``# ms.*:`` lines, X-Translation-Type) brought up to date and missing fields added.
    Translators' lines (``# Translators:``, Last-Translator, PO-Revision-Date,
    Language-Team, X-Generator...) are kept where they are."""
    meta = {_one_line(k): _one_line(v) for k, v in catalog.meta.items()}
    own = [(n, _one_line(v)) for n, v in _own_fields(catalog)]
    read = catalog.source.po if catalog.source else None
    if read is None or read.header is None:
        comments = [_one_line(c) for c in _intro(catalog)]
        comments += [f"{k}: {v}" for k, v in sorted(meta.items())]
        return pofile.Message(msgstr="".join(f"{n}: {v}\n" for n, v in own),
                              tcomments=comments)
    comments, at, seen = [], None, set()
    for comment in read.header.tcomments:
        name = _meta_name(comment)
        if name is not None:
            if name in meta:
                comments.append(f"{name}: {meta[name]}")
                seen.add(name)
            at = len(comments)
            continue
        comments.append(comment)
    missing = [f"{k}: {v}" for k, v in sorted(meta.items()) if k not in seen]
    if missing:
        if at is None:
            intro = _intro(catalog)
            at = next((i + 1 for i in range(len(comments) - 1, -1, -1)
                       if comments[i] in intro), len(comments))
        comments[at:at] = missing
    fields = read.fields
    names = {n for n, _ in fields}
    wanted = dict(own)
    fields = [(n, wanted[n]) if n in _OWNED_FIELDS and n in wanted else (n, v)
              for n, v in fields]
    fields += [(n, v) for n, v in own if n not in names]
    return pofile.Message(msgstr="".join(f"{n}: {v}\n" if n else f"{v}\n" for n, v in fields),
                          tcomments=comments, flags=list(read.header.flags))


def _message(entry: Entry) -> pofile.Message:
    comments = []
    if entry.ids:
        comments.append("id: " + " ".join(entry.ids))
    for note in entry.notes:
        comments.extend(note.split("\n"))
    return pofile.Message(
        msgid=entry.msgid, msgstr=entry.msgstr, msgctxt=entry.msgctxt,
        previous_msgid=entry.previous_msgid,
        tcomments=[_one_line(c).rstrip() for c in entry.comments],
        comments=[_one_line(c).rstrip() for c in comments],
        references=list(entry.references) if not entry.obsolete else [],
        flags=list(entry.flags), obsolete=entry.obsolete)


def format_entry(entry: Entry, layout: pofile.Layout = pofile.GNU) -> list[str]:
    return pofile.format_message(_message(entry), layout)


def format_po(catalog: Catalog) -> list[str]:
    """The lines of a PO (or POT, when ``catalog.locale`` is None) file.

    A catalog read from a file keeps that file's layout: the header and each entry
    the run did not change come back as they were read, the others are written in the
    file's layout (pofile.Layout); a new catalog is in GNU gettext's layout. A header
    read below other entries (pofile decision 6) stays there while the entries before
    it are written as read, in their order; else it goes first, as GNU writes it."""
    source = catalog.source
    header = header_message(catalog)
    if source is None:  # a new catalog: GNU's layout, each entry after a blank line
        new = pofile.format_message(header, pofile.GNU)
        for entry in catalog.entries:
            new += ["", *format_entry(entry)]
        return new + [""]
    po = source.po
    read_header = po.header
    indices = _read_indices(catalog.entries, source)
    header_lines = _header_lines(header, po)
    at = _header_place(po, indices)
    # With the header kept in place (at > 0): the lines between it and the entry before.
    before_header = (po.lines[po.messages[at - 1].last + 1:read_header.first]
                     if at and read_header is not None else [])
    out: list[str] = []
    previous: int | None = None
    if at == 0:
        if read_header is not None and po.header_at == 0 and header_lines == po.piece(None):
            out += po.lines[:read_header.first]
        out += header_lines
        if read_header is not None and po.header_at == 0:
            previous = -1
    for number, (entry, index) in enumerate(zip(catalog.entries, indices)):
        if at and number == at:
            out += before_header + header_lines
        out += _lines_before(po, number, index, previous, at)
        if index is not None:
            out += po.piece(po.messages[index])
        else:
            out += format_entry(entry, po.layout)
        previous = index
    if at and at == len(catalog.entries):  # the header was the file's last entry
        out += before_header + header_lines
    return out + _tail(po, previous, out, entries=bool(catalog.entries))


def _read_indices(entries: tuple[Entry, ...], source: Source) -> list[int | None]:
    """For each entry, the index of the message it was read from (None: new or changed)."""
    indices: list[int | None] = []
    taken: dict[Entry, int] = {}
    for entry in entries:
        index = None
        found = source.read.get(entry, ())
        n = taken.get(entry, 0)
        if n < len(found):
            index, taken[entry] = found[n], n + 1
        indices.append(index)
    return indices


def _header_lines(header: pofile.Message, po: pofile.PoFile) -> list[str]:
    """The header's lines: as read when the run left it as it was, else in the file's layout."""
    read_header = po.header
    if read_header is not None and not read_header.obsolete and (
            header.tcomments, header.flags, header.msgstr) == (
            read_header.tcomments, read_header.flags, read_header.msgstr):
        return po.piece(None)
    return pofile.format_message(header, po.layout)


def _header_place(po: pofile.PoFile, indices: list[int | None]) -> int:
    """How many entries the header follows: as read while those are unchanged, else 0."""
    read_header = po.header
    at = po.header_at if read_header is not None and not read_header.obsolete else 0
    if at and indices[:at] != list(range(at)):
        at = 0  # the entries before it changed: the header goes first
    return at


def _gap(po: pofile.PoFile, index: int) -> int:
    """Where the lines between message ``index`` and the one before it start."""
    if po.header is not None and po.header_at == index:
        return po.header.last + 1
    return po.messages[index - 1].last + 1 if index else 0


def _lines_before(po: pofile.PoFile, number: int, index: int | None, previous: int | None,
                  at: int) -> list[str]:
    """The lines before entry ``number``: as read when it follows the message it followed
    in the file, else one blank line."""
    if index is not None and previous is not None and index == previous + 1:
        return po.lines[_gap(po, index):po.messages[index].first]
    if number == 0 and at:
        return po.lines[:po.messages[0].first]
    return [""]


def _tail(po: pofile.PoFile, previous: int | None, out: list[str], *, entries: bool) -> list[str]:
    """The lines after the last entry: the file's own when it ends as it was read, else a
    final line end."""
    read_header = po.header
    if po.messages and previous == len(po.messages) - 1:
        tail = read_header.last + 1 if read_header is not None and \
            po.header_at == len(po.messages) else po.messages[-1].last + 1
        return po.lines[tail:]
    if not entries and not po.messages and read_header is not None \
            and out[:read_header.last + 1] == po.lines[:read_header.last + 1]:
        return po.lines[read_header.last + 1:]
    return [""]


def dumps(catalog: Catalog) -> str:
    return "\n".join(format_po(catalog))


# -- reading ------------------------------------------------------------------

_NOTE_START = re.compile(r"[\w.-]+: ")
"""How every ``#.`` note docloc writes begins (``id: ``, ``vendor: ``, ``review: ``...)."""
_ID_WORDS = re.compile(r"[\w.-]+(?: [\w.-]+)*")


def _ids_and_notes(comments: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The segment ids and the notes of an entry's ``#.`` lines.

    polib wraps a long comment over several ``#.`` lines (textwrap, at spaces), and
    docloc writes a note's line breaks as lines: a line that does not begin a note
    continues the one before (ids: when it holds ids only), so the ids and notes
    read are those written, not their pieces. Else a rewrite would write the ids
    once more, each save adding lines."""
    ids: list[str] = []
    notes: list[str] = []
    last = None
    for note in comments:
        if note.startswith("id: "):
            ids += note[4:].split()
            last = "ids"
        elif last == "ids" and _ID_WORDS.fullmatch(note):
            ids += note.split()
        elif last == "note" and note and not _NOTE_START.match(note):
            notes[-1] += " " + note
        else:
            notes.append(note)
            last = "note"
    return tuple(ids), tuple(notes)


def loads(text: str, path: str) -> Catalog:
    """Read PO text (whoever wrote it); raises DoclocError naming path and line on any defect."""
    po = pofile.parse(text, path)
    fields = dict(po.fields)
    charset = fields.get("Content-Type", "charset=UTF-8").partition("charset=")[2]
    if charset.strip().upper() not in ("UTF-8", "UTF8", "CHARSET", ""):
        at = text.find("Content-Type:")
        raise DoclocError(f"charset {charset.strip()} in the header: docloc catalogs are "
                          "UTF-8; convert the file (msgconv -t UTF-8) and fix the header",
                          path, text.count("\n", 0, at) + 1 if at >= 0 else 1)
    entries = []
    read: dict[Entry, list[int]] = {}
    seen: dict[tuple[str | None, str], int] = {}
    for index, item in enumerate(po.messages):
        if item.msgid == "" and not item.obsolete:
            if item.msgctxt is not None:
                raise DoclocError('msgctxt on an entry with an empty msgid: the header '
                                  '(msgid "") has no msgctxt; remove the msgctxt line',
                                  path, item.line, 1)
            raise DoclocError("an entry with an empty msgid besides the header; give it its "
                              "msgid or remove it", path, item.line, 1)
        if item.plural:
            raise DoclocError("plural forms in a page catalog: segments have no plural; "
                              "remove msgid_plural", path, item.line)
        key = (item.msgctxt, item.msgid)
        if key in seen and not item.obsolete:
            raise DoclocError(f"duplicate entry for msgid {item.msgid[:40]!r} (first at line "
                              f"{seen[key]}); merge the two entries", path, item.line)
        if not item.obsolete:
            seen[key] = item.line
        ids, notes = _ids_and_notes(item.comments)
        entry = Entry(
            msgid=item.msgid, msgstr=item.msgstr, msgctxt=item.msgctxt,
            references=tuple(item.references), ids=ids, flags=tuple(item.flags),
            comments=tuple(item.tcomments), notes=tuple(notes),
            previous_msgid=item.previous_msgid, obsolete=item.obsolete, line=item.line)
        entries.append(entry)
        read.setdefault(entry, []).append(index)
    meta = {}
    for line in po.header.tcomments if po.header else ():
        name = _meta_name(line)
        if name is not None:  # the same rule as header_message's, or each write adds one
            meta[name] = line[len(name) + 2:]
    language = fields.get("Language") or None
    return Catalog(fields.get("Project-Id-Version", ""),
                   language.replace("_", "-") if language else None, tuple(entries), meta,
                   source=Source(po, {e: tuple(i) for e, i in read.items()}))


def load(data: bytes, path: str) -> Catalog:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DoclocError("not valid UTF-8: docloc catalogs are UTF-8; convert the file "
                          "(msgconv -t UTF-8)", path, line) from exc
    return loads(text, path)
