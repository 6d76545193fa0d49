"""Translation memory exchange: a locale's catalogs <-> TMX 1.4b.

1. Export writes every translated, non-fuzzy entry of a locale's catalogs as a
   translation unit (source language, target language), once per distinct
   pair, sorted, with the pages it comes from as a ``x-docloc-pages`` property:
   vendors load it into their CAT tools.
2. Import reads a TMX (any tool's: ``seg`` text including inline elements'
   text) into a memory: source -> [(target, origin)], which fills suggestions
   exactly like the locale's own memory (fuzzy, with a note of the origin);
   ``tm_import`` writes those suggestions into the locale's catalogs, under the
   project lock.
3. XML is parsed with defusedxml-safe settings of the standard library
   (no external entities: ``xml.etree`` does not resolve them).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from . import __version__, catalog_po
from . import catalog as cat
from .catalog import Catalog
from .config import MEMORY_SIMILARITY
from .errors import DoclocError
from .files import project_lock, write_atomic
from .merge import memory_fill


def dumps(catalogs: Iterable[Catalog], *, source_locale: str, target_locale: str) -> str:
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for catalog in catalogs:
        for entry in catalog.entries:
            if entry.translated:
                pairs[(entry.msgid, entry.msgstr)].add(catalog.page)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<tmx version="1.4">',
             f'  <header creationtool="docloc" creationtoolversion="{__version__}" '
             f'segtype="sentence" o-tmf="PO" adminlang="en-US" '
             f'srclang={quoteattr(source_locale)} datatype="markdown"/>',
             "  <body>"]
    for (source, target), pages in sorted(pairs.items()):
        lines.append("    <tu>")
        lines.append(f'      <prop type="x-docloc-pages">{escape(" ".join(sorted(pages)))}</prop>')
        lines.append(f"      <tuv xml:lang={quoteattr(source_locale)}><seg>{escape(source)}</seg></tuv>")
        lines.append(f"      <tuv xml:lang={quoteattr(target_locale)}><seg>{escape(target)}</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>"]
    return "\n".join(lines) + "\n"


_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def load(abs_path: Path, *, source_locale: str, target_locale: str
         ) -> dict[str, list[tuple[str, str]]]:
    """Memory from a TMX file: English source -> [(translation, origin)]."""
    try:
        root = ET.parse(abs_path).getroot()
    except ET.ParseError as exc:
        line, column = exc.position
        raise DoclocError(f"not valid TMX/XML: {exc}", str(abs_path), line, column + 1) from exc
    except OSError as exc:
        raise DoclocError(f"cannot read: {exc.strerror}", str(abs_path)) from exc
    want_src, want_tgt = source_locale.lower(), target_locale.lower()
    memory: dict[str, list[tuple[str, str]]] = defaultdict(list)
    origin = f"TMX {abs_path.name}"
    for tu in root.iter("tu"):
        texts = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(_LANG) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is not None:
                texts[lang] = "".join(seg.itertext()).strip()
        source = _pick(texts, want_src)
        target = _pick(texts, want_tgt)
        if source and target:
            memory[source].append((target, origin))
    return dict(memory)


def _pick(texts: dict[str, str], lang: str) -> str | None:
    if lang in texts:
        return texts[lang]
    base = lang.split("-")[0]
    for key, value in texts.items():
        if key.split("-")[0] == base:
            return value
    return None


def locale_catalogs(abs_locales: Path, locale: str) -> list[tuple[Path, cat.Catalog]]:
    """Every catalog of a locale, read (a broken one raises its DoclocError)."""
    root = abs_locales / cat.po_language(locale) / "LC_MESSAGES"
    out = []
    for abs_po in sorted(root.rglob("*.po")):
        out.append((abs_po, catalog_po.load(abs_po.read_bytes(), str(abs_po))))
    return out


def tm_import(abs_locales: Path, locale: str, memory: dict[str, list[tuple[str, str]]],
              *, similarity: float = MEMORY_SIMILARITY) -> dict[str, int]:
    """Fill untranslated entries of a locale's catalogs from a memory, as fuzzy suggestions."""
    filled_per_page: dict[str, int] = {}
    with project_lock(abs_locales, "tm import"):
        for abs_po, catalog in locale_catalogs(abs_locales, locale):
            filled, count = memory_fill(catalog, memory, threshold=similarity)
            if count:
                write_atomic(abs_po, catalog_po.dumps(filled).encode())
                filled_per_page[catalog.page] = count
    return filled_per_page
