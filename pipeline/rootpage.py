"""The site's root: ``index.html`` choosing the reader's language, and ``sitemap.xml``.

1. hreflang is in the root ``sitemap.xml`` (absolute URLs, with ``site_url``),
   not in each page's head: Material fetches ``sitemap.xml`` below every
   ``<link rel="alternate">``.
2. ``index.html`` is ``theme/root.html``, a Jinja2 template read once: its HTML
   and script are edited as HTML, not as Python strings.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

import jinja2

from .files import write_atomic
from .mkconfig import THEME_DIR, LanguageSite, language_name, page_url


class RootLanguage(NamedTuple):
    """A language as the root page lists it."""

    tag: str
    """Its folder in the site (``fr-fr``)."""
    lang: str
    """Its ``lang`` and ``hreflang`` (``fr-fr``)."""
    name: str
    """Its name in itself (``Français``)."""


@cache
def _root_template() -> jinja2.Template:
    """``theme/root.html``, compiled once."""
    text = (THEME_DIR / "root.html").read_text(encoding="utf-8")
    return jinja2.Environment(trim_blocks=True, keep_trailing_newline=True).from_string(text)


def write_root(abs_site: Path, exists: dict[str, set[str]], *, source: str | None,
               site_url: str | None = None) -> None:
    """``index.html`` choosing the reader's language, and ``sitemap.xml`` with hreflang.

    The sitemap protocol wants absolute URLs: without ``site_url`` there is no sitemap.
    """
    languages = [LanguageSite(locale, {}, source=locale == source)
                 for locale in sorted(exists, key=lambda l: (l != source, l))]
    listed = [RootLanguage(tag=lang.tag, lang=lang.locale.lower(),
                           name=language_name(lang.locale)) for lang in languages]
    index = _root_template().render(first=listed[0], languages=listed,
                                    tags=json.dumps([lang.tag for lang in languages]))
    write_atomic(abs_site / "index.html", index.encode("utf-8"))
    if not site_url:
        (abs_site / "sitemap.xml").unlink(missing_ok=True)
        return
    base = html.escape(site_url.rstrip("/"))
    entries = []
    for uri in sorted(set().union(*exists.values())):
        present = [lang for lang in languages if uri in exists[lang.locale]]
        for lang in present:
            alts = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang="{o.locale.lower()}" '
                f'href="{base}/{o.tag}/{html.escape(page_url(uri))}"/>' for o in present)
            entries.append(f"  <url>\n    <loc>{base}/{lang.tag}/{html.escape(page_url(uri))}</loc>"
                           f"{alts}\n  </url>")
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n")
    write_atomic(abs_site / "sitemap.xml", sitemap.encode("utf-8"))
