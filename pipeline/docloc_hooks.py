"""MkDocs hooks that docloc adds to every language's build (MkDocs loads this file by path).

1. Segment marks become spans in the page's HTML and leave its table of
   contents (``pipeline.marks``).
2. Material's search index is made with ``pipeline.search`` (same index, faster).
3. The Markdown extensions docloc's pages need (``site.MARKDOWN_EXTENSIONS``) are
   added to the project's own, so a bare ``mkdocs.yml`` (or none) works.
4. ``README.md`` is published as a page of its own (``on_files``).
5. Compiled templates are kept for the next build in the same process, for every
   Jinja environment the theme makes, and the theme's files are listed once
   (``pool.keep_templates``, set up before any other plugin's ``on_config``).
6. Every page body goes through ``page_html.clean_page`` (issue 13: vendor
   skeletons, front matter and includes are untrusted), after the marks are
   spans; ``extra.docloc.trust_content`` (set by site.py) turns it off, and a
   page whose front matter says ``docloc_trusted: true`` keeps its own HTML
   (English-only pages the team writes under ``content/en-US/``; build/site
   adds the key to those pages only, never to a vendor's).
7. Links to ``.md`` files that MkDocs leaves as written are made the page's URL,
   as DocFX does: those in raw HTML (``<td><a href="../x.md">``, which MkDocs never
   reads) and those whose case differs from the file's (DocFX's file systems and
   Microsoft's URLs ignore case). Site-root links into a docset published here
   (``/windows/mixed-reality/mrtk-unity/features/gaze``, ``extra.docloc_bases``)
   lead to its page here, when it is built; ``~/`` links start at the folder of the
   page's ``docfx.json`` (``extra.docloc_docsets``).
8. A translated heading keeps the id its English heading has (the slug of its
   segments' ``data-source`` and its other text), so ``#anchor`` links written in
   the pages, and the language switcher, work in every language; the slug of the
   translated text stays as a second anchor.
"""

from __future__ import annotations

import html as htmllib
import os
import posixpath
import re
import weakref
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Callable, Iterable, Mapping
from urllib.parse import unquote

import jinja2
from mkdocs.plugins import event_priority

from pipeline import marks, page_html, pool, search, site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

search.install()


@event_priority(100)  # before Material's search plugin makes its environment
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search.install()  # again, in case Material was imported anew since
    pool.keep_templates(config.theme)
    for name, options in site.MARKDOWN_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            config.mdx_configs[name] = dict(options)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """A ``README.md`` is a page like any other, at ``<folder>/readme/`` (DocFX publishes
    it; MkDocs would make it the folder's index, or drop it beside an ``index.md``)."""
    from mkdocs.structure.files import File

    # MkDocs has walked the docs already: a README is either among its files (as a
    # folder's index) or dropped beside one of its index.md files.
    folders = {posixpath.dirname(f.src_uri) for f in files.documentation_pages()
               if posixpath.basename(f.src_uri) in ("index.md", "README.md")}
    for parent in sorted(folders):
        rel = posixpath.join(parent, "README.md")
        if not os.path.isfile(os.path.join(config.docs_dir, rel)):
            continue
        known = files.get_file_from_path(rel)
        if known is not None:
            files.remove(known)
        dest = posixpath.join(parent, "readme", "index.html") if config.use_directory_urls \
            else posixpath.join(parent, "readme.html")
        files.append(File(rel, config.docs_dir, config.site_dir, config.use_directory_urls,
                          dest_uri=dest))
    return files


_MD_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^":#?<>]+?\.md)((?:#[^"]*)?")', re.I)
_BY_CASE: weakref.WeakKeyDictionary[Files, dict[str, File]] = weakref.WeakKeyDictionary()
"""The build's files -> lower-cased src uri -> file (gone with the build's files)."""


_TILDE_HREF = re.compile(r'(<(?:a|img)\b[^>]*?\b(?:href|src)=")~/([^"#?<>]*)((?:[?#][^"]*)?")')
_ROOT_HREF = re.compile(r'(<a\b[^>]*?\bhref=")(/[^"#?<>]*)((?:[?#][^"]*)?")')


def _page_file(files: Files, uri: str) -> File | None:
    """The documentation page at ``uri``, its case ignored, or None."""
    found = files.get_file_from_path(uri)
    if found is None:
        if files not in _BY_CASE:
            _BY_CASE[files] = {f.src_uri.lower(): f for f in files.documentation_pages()}
        found = _BY_CASE[files].get(uri.lower())
    return found if found is not None and found.is_documentation_page() else None


def _md_links(html: str, page: Page, files: Files, bases: Mapping[str, str] | None = None,
              docsets: Iterable[str] | None = ()) -> str:
    """``href="x.md"`` left in the HTML, ``~/`` links and site-root links into a docset
    built here, made the URL of that page or file (see 7.)."""
    if '="~/' in html:
        src = page.file.src_uri
        root = next((r for r in docsets or () if not r or src.startswith(r + "/")), "")

        def tilde(match: re.Match[str]) -> str:
            uri = posixpath.normpath(posixpath.join(root, unquote(match.group(2))))
            found = _page_file(files, uri) or files.get_file_from_path(uri)
            if found is None:
                return match.group(0)
            return match.group(1) + found.url_relative_to(page.file) + match.group(3)
        html = _TILDE_HREF.sub(tilde, html)
    if ".md" in html:
        here = posixpath.dirname(page.file.src_uri)

        def one(match: re.Match[str]) -> str:
            found = _page_file(files, posixpath.normpath(posixpath.join(
                here, unquote(match.group(2)))))
            if found is None:
                return match.group(0)
            return match.group(1) + found.url_relative_to(page.file) + match.group(3)
        html = _MD_HREF.sub(one, html)
    if bases and 'href="/' in html:
        ordered = sorted(bases.items(), key=lambda item: -len(item[0]))

        def rooted(match: re.Match[str]) -> str:
            path = unquote(match.group(2))
            for base, root in ordered:
                if (path.rstrip("/") + "/").lower().startswith(base.lower()):
                    rest = path[len(base):].strip("/") if len(path) >= len(base) else ""
                    stem = posixpath.join(root, rest) if rest else root
                    for uri in (stem + ".md", posixpath.join(stem, "index.md")):
                        found = _page_file(files, uri.lstrip("/"))
                        if found is not None:
                            return match.group(1) + found.url_relative_to(page.file) + \
                                match.group(3)
                    return match.group(0)
            return match.group(0)
        html = _ROOT_HREF.sub(rooted, html)
    return html


class _EnglishText(HTMLParser):
    """A heading's text as its English page shows it: each translated segment
    (``span.docloc-seg``) read as its ``data-source``, the rest as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        """Inside a segment: the open spans to skip (its translated text)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag == "span"
            return
        found = dict(attrs)
        source = found.get("data-source")
        if tag == "span" and "docloc-seg" in (found.get("class") or "").split() and \
                source is not None:
            self.parts.append(source)
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "span":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


_HEADING = re.compile(r'<h([1-6])((?:\s[^>]*)?)\sid="([^"]*)"([^>]*)>(.*?)</h\1>', re.S)


def _slugify(config: MkDocsConfig) -> Callable[[str], str]:
    from markdown.extensions.toc import slugify

    found = (config.mdx_configs.get("toc") or {}).get("slugify") or slugify
    return lambda text: found(text, (config.mdx_configs.get("toc") or {}).get("separator", "-"))


def _english_ids(html: str, page: Page, config: MkDocsConfig) -> str:
    """Headings of a translated page with their English ids (see 8.)."""
    if 'data-source="' not in html or "<h" not in html:
        return html
    slug = _slugify(config)
    used: set[str] = set()
    renamed: dict[str, str] = {}

    def one(match: re.Match[str]) -> str:
        level, before, old, after, inner = match.groups()
        reader = _EnglishText()
        reader.feed(inner)
        reader.close()
        shown = slug(" ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", inner)).split()))
        if old != shown and not re.fullmatch(re.escape(shown) + r"_\d+", old):
            used.add(old)  # an id the author gave ({#id}, id=): the same in every language
            return match.group(0)
        new = slug(" ".join("".join(reader.parts).split())) or old
        base, n = new, 0
        while new in used:  # as the toc extension numbers a repeated heading
            n += 1
            new = f"{base}_{n}"
        used.add(new)
        if new == old:
            return match.group(0)
        renamed[old] = new
        inner = inner.replace(f'href="#{old}"', f'href="#{new}"')
        return (f'<h{level}{before} id="{new}"{after}><a id="{htmllib.escape(old)}"></a>'
                f"{inner}</h{level}>")
    html = _HEADING.sub(one, html)

    def retitle(items: Iterable[AnchorLink]) -> None:
        for item in items:
            item.id = renamed.get(item.id, item.id)
            retitle(item.children)
    if renamed:
        retitle(page.toc)
    return html


def _clean(items: Iterable[AnchorLink]) -> None:
    for item in items:
        item.title = marks.strip(item.title)
        _clean(item.children)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if marks.MARK.search(html):
        _clean(page.toc)
        html = marks.expand_html(html)
    extra = config.get("extra") or {}
    html = _md_links(html, page, files, extra.get("docloc_bases"), extra.get("docloc_docsets"))
    trusted = bool(((config.get("extra") or {}).get("docloc") or {}).get("trust_content")) \
        or (page.meta or {}).get("docloc_trusted") is True
    return _english_ids(page_html.clean_page(html, trusted=trusted), page, config)




def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files
           ) -> jinja2.Environment:
    # Kept by pool, not here: MkDocs executes this file anew for every build it loads.
    env.bytecode_cache = pool.TEMPLATES  # keyed by template name and source checksum
    return env
