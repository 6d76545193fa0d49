"""Link checking of a built site: broken links and anchors in page content.

1. Only the article is checked: the navigation is generated, hence consistent.
2. String operations on a set of the site's files, each page read once:
   resolving paths on disk for every link made this the slowest step of a build.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote

_HREF = re.compile(r'\s(?:href|src)="([^"#?]*)(?:\?[^"#]*)?(#[^"]*)?"')
_ID = re.compile(r'\s(?:id|name)="([^"]+)"')
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def check_links(abs_site: Path, locale_tags: Sequence[str]) -> dict[str, list[str]]:
    """Broken links and anchors in page content, per language: ``page -> target#anchor``.

    Only the article is checked (navigation is generated, hence consistent), and
    with string operations on a set of the site's files: resolving paths on disk
    for every link made this the slowest step of a build.
    """
    return {tag: _LanguageLinks(abs_site / tag).broken() for tag in locale_tags}


class _LanguageLinks:
    """One language's built pages, each read once, and the ids each holds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = {Path(d, f).relative_to(root).as_posix()
                      for d, _, names in os.walk(root) for f in names}
        self.texts: dict[str, str] = {}
        self.ids: dict[str, set[str]] = {}

    def read(self, uri: str) -> str:
        if uri not in self.texts:
            self.texts[uri] = (self.root / uri).read_text(encoding="utf-8", errors="replace")
        return self.texts[uri]

    def ids_of(self, uri: str) -> set[str]:
        if uri not in self.ids:
            self.ids[uri] = {html.unescape(i) for i in _ID.findall(self.read(uri))}
        return self.ids[uri]

    def broken(self) -> list[str]:
        """``page -> target#anchor`` of each article link that leads nowhere, sorted."""
        found = []
        for uri in sorted(self.files):
            if not uri.endswith(".html") or uri == "404.html":
                continue
            article = _ARTICLE.search(self.read(uri))
            if article is None:
                continue
            base = posixpath.dirname(uri)
            for target, anchor in _HREF.findall(article.group(0)):
                target, anchor = unquote(html.unescape(target)), unquote(html.unescape(anchor))
                if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I) or target.startswith("/"):
                    continue
                if not self.leads_somewhere(base, uri, target, anchor):
                    found.append(f"{uri} -> {target}{anchor}")
        return sorted(set(found))

    def leads_somewhere(self, base: str, uri: str, target: str, anchor: str) -> bool:
        dest = posixpath.normpath(posixpath.join(base, target)) if target else uri
        if dest not in self.files and f"{dest}/index.html" in self.files:
            dest = f"{dest}/index.html"
        elif dest == ".":
            dest = "index.html"
        if dest not in self.files:
            return False
        return not (len(anchor) > 1 and dest.endswith(".html")
                    and anchor[1:] not in self.ids_of(dest))
