"""DocFX YAML pages (``### YamlMime:Landing``, ``Hub``, ``FAQ``) -> Markdown pages.

Microsoft Docs writes its landing, hub and FAQ pages as YAML documents whose first
line names their schema (``### YamlMime:FAQ``). docloc publishes them as pages.

Design decisions:

1. The schemas are data: ``KINDS`` maps each YamlMime docloc renders to one small
   function, whose docstring shows the fields it reads. Any other YamlMime (API
   reference, ``ContextObject``...) is not a page: reported once, left out.
2. Each becomes a plain Markdown page of the locale it was found in, with
   the YAML's ``metadata`` as front matter (``title``, ``ms.translationtype``, so
   the machine-translation notice follows) and ``docloc_yamlmime`` naming its kind.
   Such files carry no segments: the vendor translated them whole, so the site
   of the source language shows them as written, as it does any plain page.
3. Fields the schemas call text (titles, link texts, questions) are escaped so
   they show as written; those they call Markdown (``summary``, ``answer``,
   ``footer``) stay Markdown, DocFX constructs included (the page is rendered
   like any other, and cleaned like any vendor page). A link is kept only when
   ``toc.safe_url`` lets a page link there; decorative icons (``imageSrc``, no
   alt text) are left out.
4. The file is vendor input: a YAML error is a ``DoclocError`` at its line, and
   at most ``MAX_ITEMS`` entries of one file are rendered (YAML aliases can
   multiply a small file).
5. ``page_links``: links written to the ``.yml`` file (``[FAQ](wmr-setup-faq.yml)``)
   lead to its page; TOCs do the same (``toc._page_of``).
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping

from . import reads
from .blocks import fields, outside_code
from .docfx import md_text
from .errors import DoclocError, Problem
from .model import Page
from .toc import is_toc, safe_url

MAX_ITEMS = 10_000
_MIME = re.compile(r"\A\ufeff?###[ \t]*YamlMime:[ \t]*([\w.-]+)[ \t]*\r?$", re.M)
YamlMap = dict[Any, Any]
"""A YAML mapping as ``yaml.safe_load`` gives it: keys and values not checked yet."""
KIND_KEY = "docloc_yamlmime"
"""Front matter key naming a page's YamlMime (``docloc_yamlmime: FAQ``)."""


def mime(text: str) -> str | None:
    """The YamlMime a file declares on its first line (``FAQ``), else None."""
    found = _MIME.match(text)
    return found.group(1) if found else None


def is_candidate(uri: str) -> bool:
    """A file that may be a YAML page: ``.yml``/``.yaml``, not a TOC."""
    return uri.lower().endswith((".yml", ".yaml")) and not is_toc(uri)


def page_uri(yaml_uri: str) -> str:
    """The page uri of a YAML page: ``faq.yml`` -> ``faq.md``."""
    return posixpath.splitext(yaml_uri)[0] + ".md"


class _Out:
    """The lines of the page being written, and the budget of entries left."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.left = MAX_ITEMS

    def add(self, *lines: str) -> None:
        if self.lines and self.lines[-1] != "" and lines and lines[0] != "":
            self.lines.append("")
        self.lines.extend(lines)

    def take(self, items: object) -> list[YamlMap]:
        """The mappings of a YAML list, within the budget."""
        found: list[YamlMap] = []
        for item in items if isinstance(items, list) else ():
            if self.left <= 0:
                break
            if isinstance(item, dict):
                self.left -= 1
                found.append(item)
        return found


def _text(value: object) -> str:
    """A plain-text field, escaped so it shows as written (one line)."""
    return md_text(_one_line(str(value))) if isinstance(value, (str, int, float)) else ""


def _one_line(text: str) -> str:
    """Whitespace runs as one space; no-break spaces (YAML's ``\\_``) kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" ")


def _markdown(value: object) -> str:
    return str(value).strip("\n") if isinstance(value, (str, int, float)) else ""


def _link(text: object, url: object) -> str:
    """``[text](<url>)``, or the text alone when the url is missing or unsafe."""
    shown = _text(text) or _text(url)
    url = str(url).strip() if isinstance(url, str) else ""
    if not url or safe_url(url) is None or re.search(r"[\s<>]", url):
        return shown
    return f"[{shown}](<{url}>)"


def _heading(out: _Out, level: int, title: object) -> None:
    if _text(title):
        out.add("#" * level + " " + _text(title), "")


def _links(out: _Out, links: object) -> None:
    items = [_link(link.get("text") or link.get("title"), link.get("url"))
             for link in out.take(links)]
    if items:
        out.add(*[f"- {item}" for item in items], "")


def _cards(out: _Out, items: object, card: Callable[[_Out, YamlMap], None]) -> None:
    """Items side by side (``docfx.css``'s grid), each written by ``card``."""
    taken = out.take(items)
    if not taken:
        return
    out.add('<div class="docfx-row docloc-cards" markdown="1">', "")
    for item in taken:
        out.add('<div class="docfx-column" markdown="1">', "")
        card(out, item)
        out.add("</div>", "")
    out.add("</div>", "")


def _section(out: _Out, section: object, card: Callable[[_Out, YamlMap], None],
             level: int = 2) -> None:
    """``{title, summary, items}``: a heading, its summary, its items as cards."""
    if not isinstance(section, dict):
        return
    _heading(out, level, section.get("title"))
    if _markdown(section.get("summary")):
        out.add(_markdown(section.get("summary")), "")
    _cards(out, section.get("items"), card)


def _titled_links(out: _Out, item: YamlMap) -> None:
    """A card: its title (a link when it has a url), summary, links, footer link."""
    title = _link(item.get("title"), item.get("url")) if item.get("url") else _text(item.get("title"))
    if title:
        out.add(f"**{title}**", "")
    if _markdown(item.get("summary")):
        out.add(_markdown(item.get("summary")), "")
    _links(out, item.get("links"))
    footer = item.get("footerLink")
    if isinstance(footer, dict) and footer.get("url"):
        out.add(_link(footer.get("text"), footer.get("url")), "")


def landing(data: YamlMap, out: _Out) -> None:
    """``YamlMime:Landing``::

        title: ...
        summary: ...                    (Markdown)
        landingContent:
        - title: ...
          linkLists:
          - linkListType: overview
            links: [{text, url}]
    """
    def card(out: _Out, item: YamlMap) -> None:
        _heading(out, 2, item.get("title"))
        for group in out.take(item.get("linkLists")):
            _links(out, group.get("links"))
    _cards(out, data.get("landingContent"), card)


def hub(data: YamlMap, out: _Out) -> None:
    """``YamlMime:Hub``::

        highlightedContent: {items: [{title, itemType, url}]}
        productDirectory:   {title, summary, items: [{title, imageSrc, summary, url, links}]}
        conceptualContent:  {title, summary, items: [{title, summary, links, footerLink}]}
        tools:              {title, summary, items: [{title, imageSrc, url}]}
        additionalContent:  {sections: [{title, summary, items: [{title, summary, url}]}],
                             footer}   (summaries and footer: Markdown)
    """
    highlighted = data.get("highlightedContent")
    if isinstance(highlighted, dict):
        _links(out, highlighted.get("items"))
    for key in ("productDirectory", "conceptualContent", "tools"):
        _section(out, data.get(key), _titled_links)
    _additional(data, out)


def _additional(data: YamlMap, out: _Out) -> None:
    extra = data.get("additionalContent")
    if isinstance(extra, dict):
        for section in out.take(extra.get("sections")):
            _section(out, section, _titled_links)
        if _markdown(extra.get("footer")):
            out.add(_markdown(extra.get("footer")), "")
    elif _markdown(extra):
        out.add(_markdown(extra), "")


def faq(data: YamlMap, out: _Out) -> None:
    """``YamlMime:FAQ``::

        title: ...
        summary: ...                    (Markdown)
        sections:                       (or questions: at the top)
        - name: ...
          questions:
          - question: ...
            answer: ...                 (Markdown)
        additionalContent: ...          (Markdown)

    Each question is a heading, so it has an anchor.
    """
    def questions(items: object, level: int) -> None:
        for item in out.take(items):
            _heading(out, level, item.get("question"))
            if _markdown(item.get("answer")):
                out.add(_markdown(item.get("answer")), "")
    questions(data.get("questions"), 2)
    for section in out.take(data.get("sections")):
        _heading(out, 2, section.get("name"))
        questions(section.get("questions"), 3)
    _additional(data, out)


KINDS: Mapping[str, Callable[[YamlMap, _Out], None]] = {
    "Landing": landing, "Hub": hub, "FAQ": faq,
}
"""Every YamlMime docloc publishes as a page, with the function that writes it."""


def to_markdown(text: str, where: str) -> str | None:
    """The Markdown page of a YAML page (front matter first), or None when the file
    is not one docloc renders. Raises DoclocError at the line of a YAML error."""
    import yaml

    kind = mime(text)
    if kind is None or kind not in KINDS:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DoclocError(f"YamlMime:{kind} page is not valid YAML ({getattr(exc, 'problem', exc)}); "
                          "fix it to publish the page", where,
                          mark.line + 1 if mark else None,
                          mark.column + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise DoclocError(f"YamlMime:{kind} page holds no mapping; fix it to publish the page",
                          where, 2)
    found = data.get("metadata")
    meta: YamlMap = found if isinstance(found, dict) else {}
    front = {KIND_KEY: kind}
    for key, value in meta.items():
        if isinstance(key, str) and isinstance(value, (str, int, float)) and \
                re.fullmatch(r"[\w.-]+", key):
            front[key] = _one_line(str(value))
    title = data.get("title") or meta.get("title")
    if isinstance(title, str) and title.strip():
        front["title"] = _one_line(title)
    out = _Out()
    out.add(*[f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()])
    out.lines = ["---"] + out.lines + ["---", ""]
    _heading(out, 1, title)
    if _markdown(data.get("summary")):
        out.add(_markdown(data.get("summary")), "")
    KINDS[kind](data, out)
    return "\n".join(out.lines).rstrip("\n") + "\n"


def page(text: str, yaml_uri: str, where: str, locale: str | None) -> Page | None:
    """The page of a YAML file of ``locale`` (None when it is not a YAML page docloc
    renders); DoclocError when it is one and cannot be read."""
    markdown = to_markdown(text, where)
    if markdown is None:
        return None
    return Page(page_uri(yaml_uri), locale, (markdown,), fields(markdown))


def read(abs_path: Path, yaml_uri: str, locale: str | None,
         problems: list[Problem]) -> Page | None:
    """``page`` of a file of the content folder; None when it is not a YAML page
    (or cannot be read: its problem appended)."""
    where = str(abs_path)
    try:
        data = reads.read_bytes(abs_path)
        text = reads.derived(abs_path, data, partial(bytes.decode, encoding="utf-8-sig"),
                             "text")
    except (OSError, UnicodeDecodeError):
        return None  # not a text file: not a page (a file of the site, as before)
    try:
        return reads.derived(abs_path, data, lambda _: page(text, yaml_uri, where, locale),
                             "yaml page", yaml_uri, locale)
    except DoclocError as exc:
        problems.append(exc.problem)
        return None


_YAML_LINK = re.compile(r'(\]\(\s*<?|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?|\s(?:href|src)=")'
                        r'([^\s)>"#?]+\.ya?ml)(?=[)>"#?\s]|$)', re.M | re.I)


def page_links(markdown: str, page: str, yaml_pages: frozenset[str] | set[str]) -> str:
    """Relative links to a YAML page's file (``wmr-setup-faq.yml#x``) made links to its
    page (``wmr-setup-faq.md#x``, which MkDocs turns into its URL). ``yaml_pages``:
    the page uris (``.md``) made from YAML files; other ``.yml`` links stay."""
    if not yaml_pages or ".y" not in markdown.lower():
        return markdown
    base = posixpath.dirname(page)

    def one(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"[A-Za-z][\w+.-]*:|[/~]", target):
            return match.group(0)
        uri = posixpath.normpath(posixpath.join(base, target))
        if page_uri(uri) not in yaml_pages:
            return match.group(0)
        return match.group(1) + posixpath.splitext(target)[0] + ".md"
    return outside_code(markdown, lambda text: _YAML_LINK.sub(one, text))
