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
   characters, which is why long paragraphs fail to match in Babel.
Pure functions: no I/O, no polib.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Iterable, Mapping

from .catalog import MARKDOWN_FLAG, Catalog, Entry

Key = tuple  # (msgctxt, msgid)

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
    counts: Counter = field(default_factory=Counter)
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
          threshold: float = 0.6, prune: bool = False) -> MergeResult:
    """The catalog that follows ``theirs`` while keeping the translator's work in ``ours``."""
    counts: Counter = Counter()
    conflicts = []
    new_base: dict[str, str] = {}
    old_entries = list(ours.entries) if ours else []
    old = {}
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
        vendor = entry.msgstr
        new_base[base_key(entry.key)] = vendor
        mine = old.get(entry.key)
        if mine is None:
            if vendor:
                # A translator's edit of a source that left, beside this new vendor text:
                # theirs goes obsolete, so say so here and count it for review.
                match, _ = closest(entry.msgid, edited_gone, threshold)
                if match is not None:
                    entry = replace(entry, notes=entry.notes + (
                        f"review: your translation of the earlier source is obsolete (#~): "
                        f"{match.msgid} => {match.msgstr}",))
                    counts["review"] += 1
                entries.append(entry)
                counts["added"] += 1
                continue
            match, score = closest(entry.msgid, gone, threshold)
            if match is not None:
                entries.append(_fuzzy_from(entry, match, score))
                counts["fuzzy"] += 1
            else:
                entries.append(entry)
                counts["untranslated"] += 1
            continue
        kept = replace(entry, comments=mine.comments,
                       flags=tuple(f for f in mine.flags if f != "fuzzy"))
        before = base.get(base_key(entry.key))
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
            entries.append(revived)
            if vendor:
                conflicts.append(revived)
            counts["conflict" if vendor else "kept"] += 1
            continue
        if mine.obsolete or not mine.msgstr or (mine.fuzzy and vendor and not theirs_fuzzy):
            if vendor or not mine.msgstr:
                # A returning entry the translator had marked "needs work" keeps the mark.
                keep_mark = mine.obsolete and theirs_fuzzy and vendor == mine.msgstr
                entries.append(replace(kept, msgstr=vendor).with_flag("fuzzy", keep_mark))
                counts["fuzzy" if keep_mark else "vendor" if vendor else "untranslated"] += 1
            else:
                entries.append(replace(kept, msgstr=mine.msgstr, obsolete=False))
                counts["kept"] += 1
            continue
        if mine.fuzzy:
            fuzzy = replace(mine, references=entry.references, ids=entry.ids)
            if theirs_fuzzy and vendor and vendor != before and vendor != mine.msgstr:
                # both changed: show the vendor's
                fuzzy = replace(fuzzy, notes=(f"vendor: {vendor}",))
                conflicts.append(fuzzy)
                counts["conflict"] += 1
            else:
                counts["fuzzy"] += 1
            entries.append(fuzzy)
            continue
        if mine.msgstr == vendor:
            entries.append(kept)
            continue
        touched = before is None or mine.msgstr != before
        if not touched and vendor:
            entries.append(kept)
            counts["vendor"] += 1
            continue
        # The vendor's text beside the translator's only when it is news (the vendor
        # changed it since the last import): a kept edit writes nothing new to the file.
        notes = (f"vendor: {vendor}",) if vendor and vendor != before else ()
        entries.append(replace(kept, msgstr=mine.msgstr, notes=notes))
        if vendor and vendor != before:
            conflicts.append(entries[-1])
            counts["conflict"] += 1
        else:
            counts["kept"] += 1
    if not prune:
        for entry in old_entries:
            if entry.key in wanted or not entry.msgstr:
                continue
            if not entry.obsolete:
                counts["obsolete"] += 1
            if base_key(entry.key) in base:  # so a return can tell the vendor's text from an edit
                new_base.setdefault(base_key(entry.key), base[base_key(entry.key)])
            entries.append(replace(entry, obsolete=True, references=(), ids=(), notes=()))
    catalog = replace(theirs, entries=tuple(entries), source=ours.source if ours else None)
    return MergeResult(catalog, new_base, counts, tuple(conflicts))


_WORD = re.compile(r"\w{3,}")
_INDEX: dict = {}


def _candidates(msgid: str, memory: Mapping[str, list[tuple[str, str]]],
                limit: int = 10) -> list[Entry]:
    """The memory entries sharing most words with ``msgid``: difflib runs on these
    only, so filling N entries from a memory of M costs about N * 10, not N * M."""
    if _INDEX.get("memory") is not memory:
        index: dict[str, list[int]] = defaultdict(list)
        pool = [Entry(source, msgstr=pairs[0][0], notes=(pairs[0][1],))
                for source, pairs in memory.items()]
        for number, entry in enumerate(pool):
            for word in set(_WORD.findall(entry.msgid.lower())):
                index[word].append(number)
        _INDEX.clear()
        _INDEX.update(memory=memory, index=index, pool=pool)
    index, pool = _INDEX["index"], _INDEX["pool"]
    shared: Counter = Counter()
    # Rarest words first: they say most. Common words are counted only while too few
    # candidates are known, so a word in every sentence costs once, not per candidate.
    words = sorted(set(_WORD.findall(msgid.lower())), key=lambda w: len(index.get(w, ())))
    for word in words:
        if len(shared) >= limit * 5 and len(index.get(word, ())) > limit * 5:
            break
        shared.update(index.get(word, ()))
    return [pool[number] for number, _ in shared.most_common(limit)]


def memory_fill(catalog: Catalog, memory: Mapping[str, list[tuple[str, str]]], *,
                threshold: float = 0.75) -> tuple[Catalog, int]:
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
        note, text = None, None
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
