"""A simulated translator over the corpus's two real snapshots: nothing they do is lost.

The replay (issue 12's evidence): ``docloc extract`` of the 2018-02-08 drop; a
translator works in the catalogs as a tool would save them (polib, 78 columns):
edits, "needs work" marks on unchanged texts, comments, header credits; the
2018-04-24 drop arrives (sources change, leave, arrive); then the 2018-02-08
pages again, so every source that left comes back. After each extract every
piece of the translator's work is where they would look for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.extract import extract

CREDIT = "# Translators:\n# Camille Martin <camille@example.com>, 2018."


@dataclass
class Work:
    """What the translator did, by (catalog path below locales/, msgctxt, msgid)."""

    edits: dict[tuple[str, str | None, str], str] = field(default_factory=dict)
    fuzzy: set[tuple[str, str | None, str]] = field(default_factory=set)
    comments: dict[tuple[str, str | None, str], str] = field(default_factory=dict)
    credited: set[str] = field(default_factory=set)


def catalogs(locales: Path) -> list[Path]:
    return sorted(p for p in locales.rglob("*.po") if "templates" not in p.parts)


def translate(locales: Path) -> Work:
    """Edit every 7th entry (and every one with a context), mark every 11th needs-work,
    comment every 13th; credit the translator in every 3rd catalog's header."""
    work = Work()
    for number, po_path in enumerate(catalogs(locales)):
        rel = po_path.relative_to(locales).as_posix()
        po = polib.pofile(str(po_path))
        for index, entry in enumerate(e for e in po if not e.obsolete):
            key = (rel, entry.msgctxt, entry.msgid)
            if entry.msgctxt is not None or index % 7 == 0:
                entry.msgstr = (entry.msgstr or entry.msgid) + " [révisé]"
                work.edits[key] = entry.msgstr
            elif index % 11 == 0 and entry.msgstr:
                entry.flags.append("fuzzy")
                work.fuzzy.add(key)
            if index % 13 == 0:
                entry.tcomment = f"vérifié par Camille ({index})"
                work.comments[key] = entry.tcomment
        if number % 3 == 0:
            po.header = CREDIT[2:].replace("\n# ", "\n") + "\n" + po.header
            po.metadata["Last-Translator"] = "Camille Martin <camille@example.com>"
            po.metadata["Language-Team"] = "French <fr@example.com>"
            work.credited.add(rel)
        po.save(str(po_path))
    return work


def entries(locales: Path) -> dict[tuple[str, str | None, str], polib.POEntry]:
    """Every entry, live or obsolete (live first), by key."""
    found: dict[tuple[str, str | None, str], polib.POEntry] = {}
    for po_path in catalogs(locales):
        rel = po_path.relative_to(locales).as_posix()
        for entry in sorted(polib.pofile(str(po_path)), key=lambda e: e.obsolete):
            found.setdefault((rel, entry.msgctxt, entry.msgid), entry)
    return found


def lost(work: Work, locales: Path, *, all_live: bool = False) -> dict[str, list]:
    """The pieces of work not where the translator left them (in its entry, live or
    obsolete; with ``all_live``, live)."""
    now = entries(locales)
    missing: dict[str, list] = {"edits": [], "fuzzy": [], "comments": [], "credits": []}

    def held(key) -> polib.POEntry | None:
        entry = now.get(key)
        return None if entry is None or (all_live and entry.obsolete) else entry

    for key, text in work.edits.items():
        entry = held(key)
        if entry is None or entry.msgstr != text or "fuzzy" in entry.flags:
            missing["edits"].append(key)
    for key in work.fuzzy:
        entry = held(key)
        if entry is None or "fuzzy" not in entry.flags:
            missing["fuzzy"].append(key)
    for key, text in work.comments.items():
        entry = held(key)
        if entry is None or entry.tcomment != text:
            missing["comments"].append(key)
    for rel in work.credited:
        po = polib.pofile(str(locales / rel))
        if (CREDIT[2:].replace("\n# ", "\n") not in po.header
                or po.metadata.get("Last-Translator") != "Camille Martin <camille@example.com>"
                or po.metadata.get("Language-Team") != "French <fr@example.com>"):
            missing["credits"].append(rel)
    return {kind: keys for kind, keys in missing.items() if keys}


def test_a_translators_work_survives_a_new_drop_and_the_old_one_coming_back(corpus, tmp_path):
    old, new = corpus / "2018-02-08", corpus / "2018-04-24"
    locales = tmp_path / "locales"
    extract(old, locales)
    work = translate(locales)
    assert len(work.edits) > 800 and len(work.fuzzy) > 300 and len(work.comments) > 400
    assert len(work.credited) > 30

    # Same pages again: a tool's save alone changes nothing, and nothing is lost.
    same = extract(old, locales)
    assert same.written == []
    assert lost(work, locales, all_live=True) == {}

    # The newer drop: changed and removed sources go obsolete with their work in them.
    report = extract(new, locales)
    assert lost(work, locales) == {}
    live = {key for key, entry in entries(locales).items() if not entry.obsolete}
    gone = [key for key in work.edits if key not in live]
    assert gone, "the newer drop should retire some edited sources"
    # An edited text whose English the vendor replaced by a new translated sentence is
    # counted for review (the translator must look), never silently replaced.
    assert report.totals()["review"] > 0

    # The older pages again: every source that left is back, with its translator's
    # text, mark and comment, live.
    extract(old, locales)
    assert lost(work, locales, all_live=True) == {}


def test_the_replay_counts_every_edit_as_kept_or_conflict(corpus, tmp_path):
    """The report a translator reads after the newer drop accounts for each edit."""
    old, new = corpus / "2018-02-08", corpus / "2018-04-24"
    locales = tmp_path / "locales"
    extract(old, locales)
    work = translate(locales)
    totals = extract(new, locales).totals()
    live = {key for key, entry in entries(locales).items() if not entry.obsolete}
    stayed = sum(1 for key in work.edits if key in live)
    assert totals["kept"] + totals["conflict"] >= stayed
