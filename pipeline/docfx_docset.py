"""``docfx.json`` and the files it names: a docset's root, published pages,
xrefmaps and zone pivot titles.

Design decisions:

1. A ``Docset`` is a frozen value read once from its ``docfx.json``
   (``read_docset``): the ``~/`` root, the pages DocFX publishes, the xrefmap
   files, the navigation's section label and the site path it is published at.
2. Its globs match as DocFX's do, case-insensitive (``glob_match``): a page is
   published when some content group's ``files`` match it and none of its
   ``exclude``.
3. Text in, values out: the build reads the files. A ``docfx.json`` that is not
   JSON is a ``DoclocError`` naming it; an xrefmap or pivot file that is not YAML
   reads as empty.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .errors import DoclocError


@dataclass(frozen=True)
class Docset:
    """One ``docfx.json`` of the content folder: its own ``~/`` root, files and xrefmap."""

    root: str
    """Uri of the folder holding ``docfx.json`` (``""``: the content root)."""
    content: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    """``build.content`` groups: (src folder below the root, files globs, exclude globs)."""
    xref: tuple[str, ...] = ()
    """``build.xref`` entries that are files of the docset (uris), read as xrefmaps."""
    title: str = ""
    """``_appTitle`` of its global metadata."""
    section: str = ""
    """Its label in the navigation: ``_appTitle``, else ``titleSuffix`` (what Docs shows)."""
    pivot_file: str = "zone-pivot-groups.yml"
    """Where its zone pivot groups are, below the root (``zone_pivot_group_filename``)."""
    base_url: str = ""
    """The site path it is published at (``/windows/mixed-reality/``), from its
    ``breadcrumb_path`` (``<base>breadcrumb/toc.json``, the breadcrumb TOC Docs keeps
    at the docset's root); pages link each other by it."""

    def holds(self, uri: str) -> bool:
        return not self.root or uri.startswith(self.root + "/")

    def publishes(self, uri: str) -> bool:
        """DocFX builds this page: some content group's ``files`` match it and none of
        its ``exclude`` (``**/includes/**``, ``README.md``...). No groups: every page."""
        rel = uri[len(self.root) + 1:] if self.root else uri
        if not self.content:
            return True
        for src, files, exclude in self.content:
            src = posixpath.normpath(src) if src else "."
            inner = rel if src == "." else rel[len(src) + 1:] if rel.startswith(src + "/") else None
            if inner is None:
                continue
            if any(glob_match(g, inner) for g in files) and \
                    not any(glob_match(g, inner) for g in exclude):
                return True
        return False


def glob_match(pattern: str, uri: str) -> bool:
    """DocFX's file globs (``**/*.md``, ``**/includes/**``, ``README.md``), case-insensitive."""
    return _glob(pattern).fullmatch(uri) is not None


@lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as a compiled expression, made once per pattern (every page meets every
    glob of its docset, in every build and on every save in serve)."""
    out, i = [], 0
    pattern = pattern.strip()
    pattern = pattern[2:] if pattern.startswith("./") else pattern.lstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.I)


def read_docset(root: str, text: str, where: str) -> Docset:
    """A ``docfx.json`` at ``root`` -> its ``Docset`` (DoclocError when it is not JSON)."""
    import json

    try:
        build = json.loads(text).get("build") or {}
    except (ValueError, AttributeError) as exc:
        raise DoclocError(f"docfx.json is not valid JSON ({exc}); fix it or remove it",
                          where) from exc
    groups = []
    for group in build.get("content") or ():
        if isinstance(group, dict):
            files = group.get("files") or ()
            exclude = group.get("exclude") or ()
            groups.append((str(group.get("src") or ""),
                           tuple(files if isinstance(files, list) else [files]),
                           tuple(exclude if isinstance(exclude, list) else [exclude])))
    xref = tuple(posixpath.normpath(posixpath.join(root, x)) for x in build.get("xref") or ()
                 if isinstance(x, str) and not re.match(r"[A-Za-z][\w+.-]*:", x))
    meta = build.get("globalMetadata") or {}
    title, pivots = meta.get("_appTitle"), meta.get("zone_pivot_group_filename")
    title = title.strip() if isinstance(title, str) else ""
    suffix = meta.get("titleSuffix")
    crumbs = meta.get("breadcrumb_path")
    base = re.match(r"(/(?:[^/?#]+/)*)breadcrumb/toc\.(?:json|yml)$", crumbs.strip()) \
        if isinstance(crumbs, str) else None
    return Docset(root, tuple(groups), xref, title,
                  title or (suffix.strip() if isinstance(suffix, str) else ""),
                  pivots.strip().lstrip("/") if isinstance(pivots, str) and pivots.strip()
                  else "zone-pivot-groups.yml", base.group(1) if base else "")


def xrefmap_entries(text: str) -> dict[str, tuple[str, str]]:
    """An ``xrefmap.yml`` (``references: [{uid, name, href}]``) -> uid -> (href, name)."""
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return {}
    found = {}
    for ref in (data.get("references") if isinstance(data, dict) else None) or ():
        if isinstance(ref, dict) and ref.get("uid") and ref.get("href"):
            found[str(ref["uid"])] = (str(ref["href"]), str(ref.get("name") or ref["uid"]))
    return found


def pivot_titles(text: str, groups: Sequence[str]) -> dict[str, str]:
    """``zone-pivot-groups.yml`` (or its JSON) -> pivot id -> title, in the file's order,
    for the groups a page names in ``zone_pivot_groups``::

        groups:
        - id: platform
          title: Platform
          prompt: Choose a platform
          pivots:
          - id: unity
            title: Unity
    """
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return {}
    titles = {}
    for group in (data.get("groups") if isinstance(data, dict) else None) or ():
        if isinstance(group, dict) and str(group.get("id")) in groups:
            for pivot in group.get("pivots") or ():
                if isinstance(pivot, dict) and pivot.get("id"):
                    titles[str(pivot["id"])] = str(pivot.get("title") or pivot["id"])
    return titles
