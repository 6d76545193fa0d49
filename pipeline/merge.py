"""Bringing a catalog up to date with new content without losing a translator's work.

A three-way merge per entry:

1. base = the vendor target last imported for the key (kept in a sidecar file
   committed beside the catalogs), ours = the catalog now, theirs = the page now.
2. Untouched by the translator (ours == base): the vendor's target is taken.
   Touched: the translator's text stays; when the vendor's target changed too,
   that is a conflict, and the vendor's text is shown in a ``#.`` note.
   Without a base (a catalog docloc did not write), a difference counts as touched.
3. A new source without a vendor target inherits the translation of a close
   source that disappeared, as fuzzy with ``#| msgid`` so editors show the diff.
   Changed numbers, negation, links or inline code are flagged for review.
4. Sources that disappeared stay as obsolete ``#~`` entries until pruned.
5. Similarity is difflib's ratio on characters with ``autojunk`` off: its
   default junk heuristic ignores frequent characters in strings over 200
   characters, which is why long paragraphs fail to match in Babel. The
   threshold is the project's ``similarity``, by default ``config.SIMILARITY``.
Pure functions: no I/O, no polib.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any, Iterable, Mapping

from .catalog import MARKDOWN_FLAG, Catalog, Entry
from .config import MEMORY_SIMILARITY, SIMILARITY

Key = tuple[str | None, str]  # (msgctxt, msgid)

SUGGESTION_NOTES = ("memory:", "fuzzy:")
"""Notes of the fuzzy entries docloc itself suggested."""
ACTIONS = ("added", "vendor", "kept", "conflict", "review", "fuzzy", "memory", "obsolete",
           "untranslated")
"""What a run can do to an entry, in report order."""


def base_key(key: Key) -> str:
    context, msgid = key
    return msgid if context is None else f"{context}\x04{msgid}"


@dataclass(frozen=True)
class MergeResult:
    catalog: Catalog
    base: dict[str, str]
    counts: Counter[str] = field(default_factory=Counter)
    conflicts: tuple[Entry, ...] = ()


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|can't|don't|doesn't|won't|isn't|"
                       r"aren't|without|none)\b", re.I)
_LINK = re.compile(r"\]\(([^)]*)\)|href=\"([^\"]*)\"|<(https?://[^>]*)>")
_CODE = re.compile(r"`+[^`]*`+")


def review_reasons(old: str, new: str) -> list[str]:
    """Why a similar-looking edit of a source still needs a careful look."""
    reasons = []
    for name, pattern in (("numbers", _NUMBER), ("negation", _NEGATION),
                          ("links", _LINK), ("inline code", _CODE)):
        if sorted(m.group(0).lower() for m in pattern.finditer(old)) != \
                sorted(m.group(0).lower() for m in pattern.finditer(new)):
            reasons.append(name)
    return reasons


def similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return matcher.quick_ratio() * 0.5
    return matcher.ratio()


def closest(msgid: str, candidates: Iterable[Entry], threshold: float
            ) -> tuple[Entry | None, float]:
    best, best_score = None, threshold
    for candidate in candidates:
        if not candidate.msgstr:
            continue
        a, b = len(msgid), len(candidate.msgid)
        if 2 * min(a, b) / max(a + b, 1) < best_score:  # the best ratio these lengths allow
            continue
        score = similarity(msgid, candidate.msgid)
        if score >= best_score:
            best, best_score = candidate, score
    return best, best_score


def _fuzzy_from(new: Entry, old: Entry, score: float) -> Entry:
    notes = [f"fuzzy: carried from an edited source ({score:.0%} similar)"]
    reasons = review_reasons(old.msgid, new.msgid)
    if reasons:
        notes.append("review: the edit changed " + ", ".join(reasons))
    return replace(new, msgstr=old.msgstr, comments=old.comments,
                   previous_msgid=old.msgid, notes=tuple(notes)).with_flag("fuzzy")


def merge(theirs: Catalog, ours: Catalog | None, base: Mapping[str, str], *,
          threshold: float = SIMILARITY, prune: bool = False) -> MergeResult:
    """The catalog that follows ``theirs`` while keeping the translator's work in ``ours``."""
    counts: Counter[str] = Counter()
    conflicts: list[Entry] = []
    new_base: dict[str, str] = {}
    old_entries = list(ours.entries) if ours else []
    old: dict[Key, Entry] = {}
    for entry in old_entries:  # active entries win over obsolete ones with the same key
        if entry.key not in old or old[entry.key].obsolete:
            old[entry.key] = entry
    # md-text is written where the file already uses it (docloc's earlier files); GNU
    # tools drop flags they do not know, and docloc never needs it: not brought back.
    markdown = any(MARKDOWN_FLAG in e.flags for e in old_entries if not e.obsolete)
    if markdown:
        theirs = replace(theirs, entries=tuple(
            e if MARKDOWN_FLAG in e.flags else replace(e, flags=e.flags + (MARKDOWN_FLAG,))
            for e in theirs.entries))
    wanted = {e.key for e in theirs.entries}
    gone = [e for e in old_entries if e.key not in wanted and e.msgstr]
    edited_gone = [e for e in gone if not e.obsolete and
                   base.get(base_key(e.key), e.msgstr) != e.msgstr]
    entries = []
    for entry in theirs.entries:
        new_base[base_key(entry.key)] = entry.msgstr
        mine = old.get(entry.key)
        if mine is None:
            merged, label, review = _new_entry(entry, gone, edited_gone, threshold)
            if review:
                counts["review"] += 1
            conflict = False
        else:
            merged, label, conflict = _known_entry(entry, mine, base.get(base_key(entry.key)))
        entries.append(merged)
        if label:
            counts[label] += 1
        if conflict:
            conflicts.append(merged)
    if not prune:
        entries += _retired(old_entries, wanted, base, new_base, counts)
    catalog = replace(theirs, entries=tuple(entries), source=ours.source if ours else None)
    return MergeResult(catalog, new_base, counts, tuple(conflicts))


def _new_entry(entry: Entry, gone: list[Entry], edited_gone: list[Entry], threshold: float
               ) -> tuple[Entry, str, bool]:
    """A key the catalog did not have: the vendor's text, else a fuzzy suggestion from a
    translation whose source left, else untranslated; what to count it as, and whether
    it is one for review."""
    if entry.msgstr:
        # A translator's edit of a source that left, beside this new vendor text:
        # theirs goes obsolete, so say so here and count it for review.
        match, _ = closest(entry.msgid, edited_gone, threshold)
        if match is None:
            return entry, "added", False
        return replace(entry, notes=entry.notes + (
            f"review: your translation of the earlier source is obsolete (#~): "
            f"{match.msgid} => {match.msgstr}",)), "added", True
    match, score = closest(entry.msgid, gone, threshold)
    if match is not None:
        return _fuzzy_from(entry, match, score), "fuzzy", False
    return entry, "untranslated", False


def _known_entry(entry: Entry, mine: Entry, before: str | None) -> tuple[Entry, str, bool]:
    """A key the catalog had (``mine``, live or obsolete), merged with the vendor's
    ``entry``; ``before`` is the vendor's text at the last import. Returns the entry,
    what to count it as ("" for nothing) and whether it is a conflict."""
    vendor = entry.msgstr
    kept = replace(entry, comments=mine.comments,
                   flags=tuple(f for f in mine.flags if f != "fuzzy"))
    # A fuzzy entry is docloc's suggestion (memory, an edited source) unless the
    # translator wrote it: text unlike the vendor's last, flagged "needs review".
    # A translator's own "needs work" mark on an unchanged text is theirs too.
    theirs_fuzzy = mine.fuzzy and bool(mine.msgstr) and \
        not any(n.startswith(SUGGESTION_NOTES) for n in mine.notes)
    if mine.obsolete and mine.msgstr and vendor != mine.msgstr and \
            (before is None or mine.msgstr != before):
        # An obsolete entry whose key came back: the translator's text returns with it,
        # the vendor's shown beside it; never silently replaced.
        revived = replace(kept, msgstr=mine.msgstr, obsolete=False,
                          notes=(f"vendor: {vendor}",) if vendor else ()
                          ).with_flag("fuzzy", mine.fuzzy)
        return revived, "conflict" if vendor else "kept", bool(vendor)
    if mine.obsolete or not mine.msgstr or (mine.fuzzy and vendor and not theirs_fuzzy):
        if vendor or not mine.msgstr:
            # A returning entry the translator had marked "needs work" keeps the mark.
            keep_mark = mine.obsolete and theirs_fuzzy and vendor == mine.msgstr
            return (replace(kept, msgstr=vendor).with_flag("fuzzy", keep_mark),
                    "fuzzy" if keep_mark else "vendor" if vendor else "untranslated", False)
        return replace(kept, msgstr=mine.msgstr, obsolete=False), "kept", False
    if mine.fuzzy:
        fuzzy = replace(mine, references=entry.references, ids=entry.ids)
        if theirs_fuzzy and vendor and vendor != before and vendor != mine.msgstr:
            # both changed: show the vendor's
            return replace(fuzzy, notes=(f"vendor: {vendor}",)), "conflict", True
        return fuzzy, "fuzzy", False
    if mine.msgstr == vendor:
        return kept, "", False
    touched = before is None or mine.msgstr != before
    if not touched and vendor:
        return kept, "vendor", False
    # The vendor's text beside the translator's only when it is news (the vendor
    # changed it since the last import): a kept edit writes nothing new to the file.
    news = bool(vendor) and vendor != before
    merged = replace(kept, msgstr=mine.msgstr, notes=(f"vendor: {vendor}",) if news else ())
    return merged, "conflict" if news else "kept", news


def _retired(old_entries: list[Entry], wanted: set[Key], base: Mapping[str, str],
             new_base: dict[str, str], counts: Counter[str]) -> list[Entry]:
    """The translated entries whose key left, obsolete (``#~``), counted once."""
    out = []
    for entry in old_entries:
        if entry.key in wanted or not entry.msgstr:
            continue
        if not entry.obsolete:
            counts["obsolete"] += 1
        if base_key(entry.key) in base:  # so a return can tell the vendor's text from an edit
            new_base.setdefault(base_key(entry.key), base[base_key(entry.key)])
        out.append(replace(entry, obsolete=True, references=(), ids=(), notes=()))
    return out


_WORD = re.compile(r"\w{3,}")
_INDEX: dict[str, Any] = {}
"""The word index of the last memory seen: ``memory``, ``index`` and ``pool``."""


def _candidates(msgid: str, memory: Mapping[str, list[tuple[str, str]]],
                limit: int = 10) -> list[Entry]:
    """The memory entries sharing most words with ``msgid``: difflib runs on these
    only, so filling N entries from a memory of M costs about N * 10, not N * M."""
    index: dict[str, list[int]]
    pool: list[Entry]
    if _INDEX.get("memory") is not memory:
        index = defaultdict(list)
        pool = [Entry(source, msgstr=pairs[0][0], notes=(pairs[0][1],))
                for source, pairs in memory.items()]
        for number, entry in enumerate(pool):
            for word in set(_WORD.findall(entry.msgid.lower())):
                index[word].append(number)
        _INDEX.clear()
        _INDEX.update(memory=memory, index=index, pool=pool)
    index, pool = _INDEX["index"], _INDEX["pool"]
    shared: Counter[int] = Counter()
    # Rarest words first: they say most. Common words are counted only while too few
    # candidates are known, so a word in every sentence costs once, not per candidate.
    words = sorted(set(_WORD.findall(msgid.lower())), key=lambda w: len(index.get(w, ())))
    for word in words:
        if len(shared) >= limit * 5 and len(index.get(word, ())) > limit * 5:
            break
        shared.update(index.get(word, ()))
    return [pool[number] for number, _ in shared.most_common(limit)]


def memory_fill(catalog: Catalog, memory: Mapping[str, list[tuple[str, str]]], *,
                threshold: float = MEMORY_SIMILARITY) -> tuple[Catalog, int]:
    """Fuzzy suggestions for untranslated entries from the locale's other pages.

    ``memory`` maps an English source to ``(translation, page)`` pairs.
    """
    filled = 0
    entries = []
    for entry in catalog.entries:
        if entry.msgstr or entry.obsolete:
            entries.append(entry)
            continue
        hits = [(t, p) for t, p in memory.get(entry.msgid, ()) if p != catalog.page]
        note, text = "", None
        if hits:
            text, page = hits[0]
            note = f"memory: exact match from {page}"
        else:
            others = [c for c in _candidates(entry.msgid, memory) if c.notes[0] != catalog.page]
            match, score = closest(entry.msgid, others, threshold)
            if match is not None:
                text = match.msgstr
                note = f"memory: {score:.0%} match from {match.notes[0]}: {match.msgid}"
        if text is None:
            entries.append(entry)
            continue
        filled += 1
        entries.append(replace(entry, msgstr=text, notes=entry.notes + (note,)
                               ).with_flag("fuzzy"))
    return replace(catalog, entries=tuple(entries)), filled
