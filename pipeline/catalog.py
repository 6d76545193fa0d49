"""Catalogs: a page's segments as gettext PO entries, and PO files read back.

Design decisions:

1. One catalog per page and locale, as sphinx-intl users expect:
   ``locales/<ll_CC>/LC_MESSAGES/<page>.po``; templates in
   ``locales/templates/<page>.pot``.
2. msgid is the English source, msgstr the translation, both trimmed: the
   whitespace around a segment's text stays in the page skeleton.
3. Occurrences with the same source and target are one entry listing every
   reference and id. The same source with another target is kept apart by a
   msgctxt naming the section (heading) where that variant first appears,
   which stays put when lines move; never a line number.
4. Formatting is a pure generator of lines: no wrapping, no dates, entries in
   page order, so the same input gives the same bytes.
5. Reading checks every line strictly first (polib silently accepts an
   unterminated string). Catalogs docloc wrote are then read by a reader of the
   lines it writes, five times faster than polib; any other file (rewrapped by
   Poedit, Weblate...) goes through polib. A property test holds the two to the
   same result. A charset other than UTF-8, duplicate entries, a second header
   and plural forms are a DoclocError with path and line. This is the only
   module that imports polib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterator, Mapping

import polib

from .errors import DoclocError
from .model import Page

MARKDOWN_FLAG = "md-text"
"""Weblate's flag for markdown text (also shown by Poedit as a flag)."""

_PLURAL_FORMS = {
    "ja": "nplurals=1; plural=0;", "zh": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;", "vi": "nplurals=1; plural=0;",
    "th": "nplurals=1; plural=0;", "id": "nplurals=1; plural=0;",
    "tr": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);", "pt_BR": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
          "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "he": "nplurals=2; plural=(n != 1);",
}
_DEFAULT_PLURAL = "nplurals=2; plural=(n != 1);"


def po_language(locale: str) -> str:
    """``fr-FR`` -> ``fr_FR``, the form gettext and Weblate use."""
    return locale.replace("-", "_")


def plural_forms(locale: str) -> str:
    lang = po_language(locale)
    return _PLURAL_FORMS.get(lang) or _PLURAL_FORMS.get(lang.split("_")[0], _DEFAULT_PLURAL)


def catalog_uri(locale: str | None, page: str) -> str:
    """The catalog's path under the locales folder (``None``: the template)."""
    stem = page[:-3] if page.endswith(".md") else page
    if locale is None:
        return f"templates/{stem}.pot"
    return f"{po_language(locale)}/LC_MESSAGES/{stem}.po"


@dataclass(frozen=True)
class Entry:
    """One message of a catalog."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    references: tuple[str, ...] = ()
    """``path:line`` of each occurrence."""
    ids: tuple[str, ...] = ()
    """The ``data-ttu-id`` of each occurrence (extracted comment ``#. id:``)."""
    flags: tuple[str, ...] = (MARKDOWN_FLAG,)
    comments: tuple[str, ...] = ()
    """Translator comments (``# ...``): theirs, always kept."""
    notes: tuple[str, ...] = ()
    """Extracted comments other than ids (``#. ...``): docloc's, regenerated."""
    previous_msgid: str | None = None
    obsolete: bool = False
    line: int = 0
    """Where the entry starts in the file it was read from (0: not read)."""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy and not self.obsolete

    def with_flag(self, flag: str, on: bool = True) -> "Entry":
        flags = tuple(f for f in self.flags if f != flag)
        if on:
            flags = (flag,) + flags if flag == "fuzzy" else flags + (flag,)
        return replace(self, flags=flags)


@dataclass(frozen=True)
class Catalog:
    """The messages of one page in one locale (``locale`` None: a template)."""

    page: str
    locale: str | None
    entries: tuple[Entry, ...]
    meta: Mapping[str, str] = field(default_factory=dict)
    """Page metadata kept for translators: ``ms.translationtype``, ``ms.sourcegitcommit``..."""

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def by_key(self) -> dict[tuple[str | None, str], Entry]:
        return {e.key: e for e in self.entries if not e.obsolete}


# -- from pages ---------------------------------------------------------------

_HEADING_LINE = re.compile(r"(?:^|\n)[ \t]{0,3}#{1,6}[ \t][^\n]*$")
KEPT_META = ("ms.translationtype", "ms.contentlocale", "ms.sourcegitcommit",
             "ms.openlocfilehash", "ms.lasthandoff")


def segment_keys(page: Page) -> list[tuple[str | None, str]]:
    """The catalog key (msgctxt, msgid) of each segment, in page order.

    Export computes the same keys to find each segment's translation, so this
    is the one definition of how segments map to entries.
    """
    keys: list[tuple[str | None, str]] = []
    section = ""
    variants: dict[str, dict[str, str | None]] = {}
    taken: set[tuple[str | None, str]] = set()
    previous = ""
    for part in page.parts:
        if isinstance(part, str):
            previous = part
            continue
        if _HEADING_LINE.search(previous[-200:]):
            section = part.source
        previous = ""
        targets = variants.setdefault(part.source, {})
        if part.target not in targets:
            if not targets:
                context = None
            else:
                base = section if section and section != part.source else "variant"
                context, n = base, 1
                while (context, part.source) in taken:
                    n += 1
                    context = f"{base} #{n}"
            targets[part.target] = context
            taken.add((context, part.source))
        keys.append((targets[part.target], part.source))
    return keys


def page_catalog(page: Page, ref_path: str) -> Catalog:
    """The catalog a page's own targets make (the vendor's view, "theirs")."""
    order: dict[tuple[str | None, str], dict] = {}
    for segment, key in zip(page.segments, segment_keys(page)):
        if not segment.source:
            continue
        slot = order.setdefault(key, {"msgstr": segment.target, "refs": [], "ids": []})
        ref = f"{ref_path}:{segment.location.line}"
        if ref not in slot["refs"]:
            slot["refs"].append(ref)
        slot["ids"].append(segment.id)
    entries = tuple(
        Entry(msgid=key[1], msgctxt=key[0], msgstr=slot["msgstr"],
              references=tuple(slot["refs"]), ids=tuple(slot["ids"]))
        for key, slot in order.items())
    meta = {k: page.meta[k] for k in KEPT_META if page.meta.get(k)}
    return Catalog(page.path, page.locale, entries, meta)


def template(page: str, catalogs: list[Catalog]) -> Catalog:
    """The POT of a page: every key (msgctxt, msgid) of every locale's version, once,
    no msgstr. The keys are the catalogs' own, context included, so ``msgmerge -U``
    with this template (Poedit's "Update from POT", Weblate's msgmerge add-on)
    finds every entry of a catalog and makes none of them obsolete."""
    seen: dict[tuple[str | None, str], Entry] = {}
    for catalog in catalogs:
        for entry in catalog.active():
            if entry.key not in seen:
                seen[entry.key] = Entry(entry.msgid, msgctxt=entry.msgctxt,
                                        references=entry.references, ids=entry.ids)
    return Catalog(page, None, tuple(seen.values()))


# -- PO text ------------------------------------------------------------------

def _quote(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"')
                  .replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")) + '"'


def _field(keyword: str, text: str, prefix: str = "") -> Iterator[str]:
    if "\n" not in text.rstrip("\n") or not text:
        yield f"{prefix}{keyword} {_quote(text)}"
        return
    yield f'{prefix}{keyword} ""'
    # Only "\n" ends a line in PO: str.splitlines would also break at U+0085, U+2028...
    for line in re.findall(r"[^\n]*\n|[^\n]+$", text):
        yield prefix + _quote(line)


_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    """Header values and comments stay on their line, whatever a catalog carried."""
    return _CONTROL.sub(" ", text)


def format_po(catalog: Catalog) -> Iterator[str]:
    """The lines of a PO (or POT, when ``catalog.locale`` is None) file."""
    catalog = replace(catalog, page=_one_line(catalog.page),
                      locale=catalog.locale and _one_line(catalog.locale),
                      meta={_one_line(k): _one_line(v) for k, v in catalog.meta.items()})
    if catalog.locale:
        yield f"# {catalog.page} in {catalog.locale}, from its bilingual page."
    else:
        yield f"# {catalog.page}: template of the English sources."
    yield "# Edit msgstr only; docloc keeps your edits when the page is updated."
    for key, value in sorted(catalog.meta.items()):
        yield f"# {key}: {value}"
    yield 'msgid ""'
    yield 'msgstr ""'
    header = [f"Project-Id-Version: {catalog.page}"]
    if catalog.locale:
        header.append(f"Language: {po_language(catalog.locale)}")
    header += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
               "Content-Transfer-Encoding: 8bit"]
    if catalog.locale:
        header.append(f"Plural-Forms: {plural_forms(catalog.locale)}")
    header.append("X-Generator: docloc")
    if "ms.translationtype" in catalog.meta:
        header.append(f"X-Translation-Type: {catalog.meta['ms.translationtype']}")
    for line in header:
        yield _quote(line + "\n")
    for entry in catalog.entries:
        yield ""
        yield from format_entry(entry)


def format_entry(entry: Entry) -> Iterator[str]:
    comments = []
    for comment in entry.comments:
        comments.append(f"# {comment}".rstrip())
    if entry.ids:
        comments.append("#. id: " + " ".join(entry.ids))
    for note in entry.notes:
        for line in note.split("\n"):
            comments.append(f"#. {line}".rstrip())
    if entry.references and not entry.obsolete:
        comments.append("#: " + " ".join(entry.references))
    if entry.flags:
        comments.append("#, " + ", ".join(entry.flags))
    if _CONTROL.search("".join(comments)):  # rare: keep every comment on its line
        comments = [_one_line(c).rstrip() for c in comments]
    yield from comments
    prefix = "#~ " if entry.obsolete else ""
    if not prefix and entry.previous_msgid is None and entry.msgctxt is None \
            and "\n" not in entry.msgid and "\n" not in entry.msgstr:
        yield "msgid " + _quote(entry.msgid)  # the common case, without generators
        yield "msgstr " + _quote(entry.msgstr)
        return
    if entry.previous_msgid is not None and not entry.obsolete:
        # An obsolete entry keeps no previous msgid: polib cannot read "#~ #|" lines.
        yield from _field("msgid", entry.previous_msgid, prefix + "#| ")
    if entry.msgctxt is not None:
        yield from _field("msgctxt", entry.msgctxt, prefix)
    yield from _field("msgid", entry.msgid, prefix)
    yield from _field("msgstr", entry.msgstr, prefix)


def dumps(catalog: Catalog) -> str:
    return "\n".join(format_po(catalog)) + "\n"


# -- reading ------------------------------------------------------------------

_POLIB_LINE = re.compile(r"line (\d+)")


_PO_LINE = re.compile(
    r'(?:#~ ?)?(?:#\| ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?'
    r'"(?:[^"\\]|\\.)*"[ \t]*\r?|#.*|[ \t]*\r?')


_LINE_KEYWORD = re.compile(r"(?:#~ ?)?(msgctxt|msgid_plural|msgid|msgstr)\b")


def _check_syntax(text: str, path: str) -> None:
    """Strict line syntax, and keywords in order: polib silently accepts an
    unterminated string, and a msgstr whose msgid line was lost."""
    previous = None
    for number, line in enumerate(text.split("\n"), 1):
        if not _PO_LINE.fullmatch(line):
            raise DoclocError(f"not a valid PO line: {line[:60]!r}; fix it or restore the "
                              "file from version control", path, number)
        keyword = _LINE_KEYWORD.match(line)
        if keyword:
            word = keyword.group(1)
            if word == "msgstr" and previous not in ("msgid", "msgid_plural", "msgstr"):
                raise DoclocError("msgstr without its msgid (a line lost?); fix the entry or "
                                  "restore the file from version control", path, number)
            if word == "msgid" and previous not in (None, "msgctxt"):
                raise DoclocError("msgid without the msgstr of the entry before it; fix the "
                                  "entry or restore the file from version control", path, number)
            previous = word
        elif not line.lstrip("#~ ").startswith('"'):
            previous = None  # a comment or a blank line ends the entry's keywords


# polib splits its input with str.splitlines, which also breaks at these; PO only
# at "\n". They travel through polib as private-use characters instead, from a
# block the text itself does not use (so none of its own comes back changed).
_LINE_BREAKERS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _shield(text: str) -> tuple[dict[int, int], dict[int, int]]:
    """Translation tables to hide the line breakers and to bring them back."""
    for base in range(0xF0000, 0x10FF00, 0x100):
        if not any(chr(base + i) in text for i in range(len(_LINE_BREAKERS))):
            hide = {ord(c): base + i for i, c in enumerate(_LINE_BREAKERS)}
            return hide, {v: k for k, v in hide.items()}
    raise ValueError("no private-use block is free in this text")  # 8,000+ blocks in use


@dataclass
class _Raw:
    """One entry as read, before docloc's meaning is put on its comments."""

    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    plural: bool = False
    previous_msgid: str | None = None
    tcomments: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    references: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    obsolete: bool = False
    line: int = 0


def loads(text: str, path: str) -> Catalog:
    """Read PO text; raises DoclocError naming path and line on any defect.

    Catalogs docloc wrote are read by a strict reader of the lines it writes;
    others (rewrapped by Poedit, Weblate...) go through polib. Tests hold the
    two readers to the same result.
    """
    _check_syntax(text, path)
    headers = [m.start() for m in _HEADER.finditer(text)
               if not text[:m.start()].rstrip("\n").rpartition("\n")[2].startswith(("msgctxt", '"'))]
    if len(headers) > 1:
        raise DoclocError("a second header entry (msgid \"\"); merge it into the first",
                          path, text.count("\n", 0, headers[1]) + 1)
    if '\n"X-Generator: docloc\\n"\n' in text[:2000]:
        header, metadata, items = _read_own(text)
    else:
        header, metadata, items = _read_polib(text, path)
    charset = metadata.get("Content-Type", "charset=UTF-8").partition("charset=")[2]
    if charset.strip().upper() not in ("UTF-8", "UTF8", "CHARSET", ""):
        at = text.find("Content-Type:")
        raise DoclocError(f"charset {charset.strip()} in the header: docloc catalogs are "
                          "UTF-8; convert the file (msgconv -t UTF-8) and fix the header",
                          path, text.count("\n", 0, at) + 1 if at >= 0 else 1)
    entries = []
    seen: dict[tuple[str | None, str], int] = {}
    for item in items:
        if item.msgid == "" and item.msgctxt is None:
            raise DoclocError("an entry with an empty msgid besides the header; give it its "
                              "msgid or remove it", path, item.line)
        if item.plural:
            raise DoclocError("plural forms in a page catalog: segments have no plural; "
                              "remove msgid_plural", path, item.line)
        key = (item.msgctxt, item.msgid)
        if key in seen and not item.obsolete:
            raise DoclocError(f"duplicate entry for msgid {item.msgid[:40]!r} (first at line "
                              f"{seen[key]}); merge the two entries", path, item.line)
        if not item.obsolete:
            seen[key] = item.line
        ids: tuple[str, ...] = ()
        notes = []
        for note in item.comments:
            if note.startswith("id: "):
                ids += tuple(note[4:].split())
            else:
                notes.append(note)
        entries.append(Entry(
            msgid=item.msgid, msgstr=item.msgstr, msgctxt=item.msgctxt,
            references=tuple(item.references), ids=ids, flags=tuple(item.flags),
            comments=tuple(item.tcomments), notes=tuple(notes),
            previous_msgid=item.previous_msgid, obsolete=item.obsolete, line=item.line))
    meta = {}
    for line in header:
        name, sep, value = line.partition(": ")
        if sep and name.startswith("ms."):
            meta[name] = value
    language = metadata.get("Language") or None
    return Catalog(metadata.get("Project-Id-Version", ""),
                   language.replace("_", "-") if language else None, tuple(entries), meta)


def _read_polib(text: str, path: str) -> tuple[list[str], dict[str, str], list[_Raw]]:
    shielded = any(c in text for c in _LINE_BREAKERS)
    try:
        hide, back_table = _shield(text) if shielded else ({}, {})
        po = polib.pofile(text.translate(hide) if shielded else text, encoding="utf-8",
                          wrapwidth=0)
    except (OSError, ValueError, UnicodeError) as exc:
        found = _POLIB_LINE.search(str(exc))  # polib: "... (line N)"
        raise DoclocError(f"not a valid PO file ({exc}); fix it or restore it from "
                          "version control", path, int(found.group(1)) if found else None
                          ) from exc

    def back(value):
        return value.translate(back_table) if shielded and value else value
    items = []
    # polib's linenum is unreliable (0 for the first entry), so count ourselves.
    for item, line in zip(po, _entry_lines(text)):  # obsolete entries included, in order
        items.append(_Raw(
            msgid=back(item.msgid), msgstr=back(item.msgstr), msgctxt=back(item.msgctxt),
            plural=bool(item.msgid_plural or item.msgstr_plural),
            previous_msgid=back(item.previous_msgid),
            tcomments=back(item.tcomment).split("\n") if item.tcomment else [],
            comments=back(item.comment).split("\n") if item.comment else [],
            references=[f"{p}:{n}" if n else p for p, n in item.occurrences],
            flags=list(item.flags), obsolete=bool(item.obsolete), line=line))
    return (po.header or "").split("\n"), dict(po.metadata), items


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r'\\(?:([ntr"\\abfv])|([0-7]{1,3})|x([0-9a-fA-F]+))')
_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+"(.*)"[ \t]*$')


def _unquote(body: str) -> str:
    if "\\" not in body:
        return body
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)] if m.group(1) else
                       chr(int(m.group(2), 8)) if m.group(2) else chr(int(m.group(3), 16)), body)


def _read_own(text: str) -> tuple[list[str], dict[str, str], list[_Raw]]:
    """The lines docloc writes (already checked line by line), read without polib."""
    header: list[str] = []
    metadata: dict[str, str] = {}
    items: list[_Raw] = []
    item, field_name, done = _Raw(), None, False
    first = True

    def finish() -> None:
        nonlocal item, first
        if first and item.msgid == "" and item.msgctxt is None and not item.obsolete:
            header.extend(item.tcomments)
            for line in item.msgstr.split("\n"):
                name, sep, value = line.partition(":")
                if sep:
                    metadata[name.strip()] = value.strip()
        else:
            items.append(item)
        first = False
        item = _Raw()

    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        obsolete = line.startswith("#~")
        body = line[2:].lstrip(" ") if obsolete else line
        if not body.strip():
            continue
        previous = body.startswith("#|")
        if previous:
            body = body[2:].lstrip(" ")
        if body.startswith("#") and not obsolete:
            if done:
                finish()
                done = False
            kind, rest = body[1:2], body[2:].lstrip(" ") if body[1:2] in ".:," else body[1:]
            if kind == ".":
                if body[2:].strip():  # polib drops empty extracted comments
                    item.comments.append(body[3:] if body.startswith("#. ") else body[2:])
            elif kind == ":":
                item.references.extend(rest.split())
            elif kind == ",":
                item.flags.extend(f.strip() for f in rest.split(",") if f.strip())
            elif body[1:].strip():  # polib drops empty "#" lines
                item.tcomments.append(body[2:] if body.startswith("# ") else body[1:])
            continue
        match = _KEYWORD.match(body)
        if match:
            keyword, value = match.group(1), _unquote(match.group(2))
            if previous:
                field_name = "previous_" + keyword
                if keyword == "msgid":
                    if done:
                        finish()
                        done = False
                    item.previous_msgid = value
                continue
            if keyword in ("msgctxt", "msgid") and done:
                finish()
                done = False
            if not item.line and keyword in ("msgid", "msgctxt"):
                item.line = number
            if keyword == "msgid" and obsolete:
                item.obsolete = True
            field_name = keyword
            if keyword == "msgctxt":
                item.msgctxt = value
            elif keyword == "msgid":
                item.msgid = value
                item.line = number
            elif keyword == "msgid_plural":
                item.plural = True
            else:
                item.plural = item.plural or keyword != "msgstr"
                item.msgstr = value
                done = True
            continue
        value = _unquote(body.strip()[1:-1])  # a continuation string
        if field_name == "previous_msgid":
            item.previous_msgid = (item.previous_msgid or "") + value
        elif field_name == "msgctxt":
            item.msgctxt = (item.msgctxt or "") + value
        elif field_name == "msgid":
            item.msgid += value
        elif field_name and field_name.startswith("msgstr"):
            item.msgstr += value
    if done or item.msgid or item.msgstr:
        finish()
    return header, metadata, items


_MSGID_LINE = re.compile(r"^(?:#~ ?)?msgid ", re.M)
_HEADER = re.compile(r'^msgid ""\n(?=msgstr )', re.M)


def _entry_lines(text: str) -> list[int]:
    """1-based line of each entry's msgid, header left out."""
    lines = []
    for match in _MSGID_LINE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1 if not lines else \
            lines[-1][1] + text.count("\n", lines[-1][0], match.start())
        lines.append((match.start(), line))
    numbers = [n for _, n in lines]
    first = _MSGID_LINE.search(text)
    if first and text.startswith('msgid ""\nmsgstr', first.start()):
        numbers = numbers[1:]
    return numbers


def load(data: bytes, path: str) -> Catalog:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DoclocError("not valid UTF-8: docloc catalogs are UTF-8; convert the file "
                          "(msgconv -t UTF-8)", path, line) from exc
    return loads(text, path)


def translations(catalog: Catalog) -> dict[tuple[str | None, str], str]:
    """What export applies: translated, non-fuzzy entries by key."""
    return {e.key: e.msgstr for e in catalog.entries if e.translated}


def apply(page: Page, found: Mapping[tuple[str | None, str], str]) -> Page:
    """The page with each segment's target taken from ``found`` where present."""
    targets = {}
    for index, (segment, key) in enumerate(zip(page.segments, segment_keys(page))):
        if key in found and found[key] != segment.target:
            targets[index] = found[key]
    return page.with_targets(targets) if targets else page
