"""DocFX tables of contents (TOC.md, TOC.yml) -> MkDocs navigation.

1. ``TOC.md``: each heading line is an entry, its level the depth;
   ``# [Label](page.md)`` links a page, ``# Label`` opens a section.
2. ``TOC.yml``: a list of ``name``/``href``/``items``.
3. A section that links a page lists that page first among its children.
4. Hrefs are relative to the TOC; a href that leaves the content folder is refused.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Mapping

import yaml

from .errors import DoclocError, Problem

_MD_ENTRY = re.compile(r"^(#{1,6})[ \t]+(?:\[(.*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)|(.+?))[ \t]*\r?$")


@dataclass
class TocEntry:
    label: str
    href: str | None = None
    """A page uri (relative to the content root of the locale) or an absolute URL."""
    children: list["TocEntry"] = field(default_factory=list)


def _resolve(href: str, toc_dir: str, path: str, line: int | None) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("/"):
        return href
    href = href.split("#")[0]
    joined = posixpath.normpath(posixpath.join(toc_dir, href))
    if joined.startswith("../") or joined == "..":
        raise DoclocError(f"TOC entry {href!r} leads outside the content folder; refused",
                          path, line)
    return joined


def parse_toc_md(text: str, toc_uri: str, path: str) -> list[TocEntry]:
    toc_dir = posixpath.dirname(toc_uri)
    root: list[TocEntry] = []
    stack: list[tuple[int, TocEntry]] = []
    for number, line in enumerate(text.split("\n"), 1):
        match = _MD_ENTRY.match(line)
        if not match:
            continue
        level = len(match.group(1))
        if match.group(3) is not None:
            entry = TocEntry(match.group(2).strip(),
                             _resolve(match.group(3), toc_dir, path, number) if match.group(3) else None)
        else:
            entry = TocEntry(match.group(4).strip())
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else root).append(entry)
        stack.append((level, entry))
    return root


def parse_toc_yml(text: str, toc_uri: str, path: str) -> list[TocEntry]:
    try:
        data = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DoclocError(f"not valid YAML: {exc}", path, mark.line + 1 if mark else None) from exc
    toc_dir = posixpath.dirname(toc_uri)

    def convert(items) -> list[TocEntry]:
        out = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or "name" not in item:
                continue
            href = item.get("href")
            out.append(TocEntry(str(item["name"]),
                                _resolve(str(href), toc_dir, path, None) if href else None,
                                convert(item.get("items", []))))
        return out
    return convert(data)


def to_nav(entries: list[TocEntry], pages: set[str], label=lambda e: e.label) -> list:
    """MkDocs ``nav``: only pages that exist; ``label(entry)`` picks each label."""
    nav = []
    for entry in entries:
        href = entry.href
        if href and not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            if href.endswith("/"):
                href += "index.md"
            if not href.endswith(".md"):
                href += ".md" if not href.endswith("/") else "index.md"
            if href not in pages:
                href = None
        children = to_nav(entry.children, pages, label)
        if children:
            if href:
                children.insert(0, {label(entry): href})
            nav.append({label(entry): children})
        elif href:
            nav.append({label(entry): href})
    return nav


def nav_pages(nav: list) -> set[str]:
    """Every page uri a nav lists."""
    found = set()
    for item in nav:
        for value in item.values():
            if isinstance(value, list):
                found |= nav_pages(value)
            elif isinstance(value, str):
                found.add(value)
    return found


def site_nav(tocs: Mapping[str, tuple[str, str]], pages: set[str], label,
             problems: list[Problem]) -> list | None:
    """Navigation from every TOC of a locale (uri -> (path shown in messages, text)),
    each where its folder stands; problems are appended, the rest goes on.

    Pages no TOC lists stay reachable, grouped by folder (never one flat list:
    a long top level would be repeated in every page of the site).
    """
    placed = []
    for uri, (shown, text) in sorted(tocs.items()):
        try:
            if uri.lower().endswith(".yml"):
                entries = parse_toc_yml(text, uri, shown)
            else:
                entries = parse_toc_md(text, uri, shown)
        except DoclocError as exc:
            problems.append(exc.problem)
            continue
        nav = to_nav(entries, pages, label)
        if nav:
            placed.append((posixpath.dirname(uri), nav))
    if not placed:
        return None
    tree: dict = {}
    for folder, nav in placed:
        _place(tree, folder, nav)
    listed = set().union(*(nav_pages(nav) for _, nav in placed))
    for uri in sorted(pages - listed):
        _place(tree, posixpath.dirname(uri), [{label(TocEntry(uri, uri)): uri}])
    return _flatten(tree)


def _place(tree: dict, folder: str, items: list) -> None:
    node = tree
    for part in [p for p in folder.split("/") if p]:
        node = node.setdefault(("dir", part), {})
    node.setdefault(("items", ""), []).extend(items)


def _flatten(node: dict) -> list:
    """Folders become sections; a folder holding nothing but one section is skipped."""
    out = list(node.get(("items", ""), []))
    for (kind, name), child in sorted((k, v) for k, v in node.items() if k[0] == "dir"):
        inner = _flatten(child)
        if inner:
            out.append({name: inner})
    if len(out) == 1 and isinstance(next(iter(out[0].values())), list) and \
            ("items", "") not in node:
        return next(iter(out[0].values()))
    return out
