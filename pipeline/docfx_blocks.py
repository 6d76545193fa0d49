"""DocFX's block constructs -> Material's: alerts, videos, div sections, tabs, zones,
monikers, rows and columns (the block rows of ``docfx.RULES``).

Design decisions:

1. No rule reads or writes inside fenced code: the blockquote constructs run
   outside it (``docfx.Rule.run``); tabs and sections see the page's whole lines
   and mark fenced code themselves (``blocks.code_lines``).
2. The output is what the maintained extensions render: admonitions for
   alerts, ``pymdownx.tabbed`` (alternate style) for tabs, ``md_in_html``
   ``<div markdown="1">`` for sections, grids, zones and monikers.
   ``docfx.js``/``docfx.css`` (theme assets) add the pivot and moniker
   selectors and the styles.
3. The blockquote constructs (``> [!NOTE]``, ``> [!VIDEO]``, ``> [!div]``), nested
   too, have one reader (``quoted``); ``_QUOTE_KINDS`` hands each its argument and
   its quoted body.
4. Zones, monikers, rows and columns have one reader (``_sections``): from a start
   line to its end line, nested too; one never closed runs to the page's end, as in
   DocFX.
5. A block written in a list item stays in it: CommonMark's 3-space indent becomes
   Python-Markdown's 4 (``_block_indent``).
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import Callable, Mapping, Sequence

from .blocks import code_lines
from .docfx_context import ATTR, Context

ALERTS = {"NOTE": ("note", "Note"), "TIP": ("tip", "Tip"),
          "IMPORTANT": ("info important", "Important"),
          "WARNING": ("warning", "Warning"), "CAUTION": ("danger caution", "Caution")}
"""DocFX alert -> Material admonition type (and extra class), default title."""


def _blank_around(out: list[str], lines: Sequence[str], indent: str = "") -> None:
    if out and out[-1].strip():
        out.append("")
    out.extend(indent + line if line.strip() else "" for line in lines)
    out.append("")


# -- block rules -------------------------------------------------------------------------

_TAB = re.compile(r"^(#{1,6})[ \t]+(<a\s[^<>]*>\s*</a>[ \t]*)?\[(.*)\]\(#tab/([\w.-]+)"
                  r"(?:/[\w.-]+)?\)[ \t]*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]")
_RULE_LINE = re.compile(r"^[ \t]*---[ \t]*$")


def tabs(text: str, ctx: Context) -> str:
    """Tabbed content::

        # [Label](#tab/id)        (any heading level; ``#tab/id/condition`` too)
        content
        # [Other label](#tab/other)
        content
        ---                       (or a heading of the same or a higher level)

    Each group becomes Material content tabs (``=== "Label"``); the label is
    the page's text (translated), so tabs of one id switch together.
    """
    lines = text.split("\n")
    flags = code_lines(lines)
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = None if flags[i] else _TAB.match(lines[i])
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        level = len(found.group(1))
        group: list[str] = []
        while found is not None:
            label = (found.group(2) or "") + \
                f'<span class="docfx-tab" data-tab="{found.group(4)}"></span>' + \
                found.group(3).strip()
            body: list[str] = []
            i += 1
            found = None
            while i < len(lines):
                if not flags[i]:
                    found = _TAB.match(lines[i])
                    heading = _HEADING.match(lines[i])
                    if found and len(found.group(1)) == level:
                        break
                    found = None
                    if _RULE_LINE.match(lines[i]) or (heading and len(heading.group(1)) <= level):
                        break
                body.append(lines[i])
                i += 1
            group.append(f'=== "{label}"')
            group.append("")
            group.extend("    " + line if line.strip() else "" for line in
                         "\n".join(body).strip("\n").split("\n"))
            group.append("")
        if i < len(lines) and _RULE_LINE.match(lines[i]):
            i += 1
        _blank_around(out, group[:-1])
    return "\n".join(out)


_QUOTED = re.compile(r"^([ \t]*)>[ \t]?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION|VIDEO|div)\b"
                     r"([^\]\n]*)\][ \t]*(.*)$", re.I | re.M)


def quoted(text: str, ctx: Context) -> str:
    """The blockquote constructs, nested too::

        > [!NOTE]                 (TIP, IMPORTANT, WARNING, CAUTION)
        > text
        > [!VIDEO https://www.youtube.com/embed/ID]
        > [!div class="nextstepaction"]
        > [Next step](page.md)

    Each is handed its argument and its quoted body: ``alert``, ``video``, ``div``.
    """
    if _QUOTED.search(text) is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = _QUOTED.match(lines[i])
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        indent, kind, argument, rest = found.groups()
        quote = re.compile(re.escape(indent) + r">[ \t]?(.*)$")
        body = [rest] if rest.strip() else []
        i += 1
        while i < len(lines):
            line = quote.match(lines[i])
            if line is not None and not _QUOTED.match(lines[i]):
                body.append(line.group(1))
            elif lines[i].strip() and body and body[-1].strip() and \
                    not _INTERRUPTS.match(lines[i]):
                body.append(lines[i].strip())  # lazy continuation of the last paragraph
            else:
                break
            i += 1
        inner = quoted("\n".join(body).strip("\n"), ctx)
        handler = _QUOTE_KINDS.get(kind.upper(), alert)
        _blank_around(out, handler(kind.upper(), argument.strip(), inner, ctx),
                      _block_indent(out, indent))
        if i < len(lines) and not lines[i].strip():
            out.pop()
    return "\n".join(out)


_INTERRUPTS = re.compile(r"^[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|```|~~~|<|\||:::|"
                         r"(?:[-*_][ \t]*){3,}$)")
"""Lines that start a block of their own, so never continue a quoted paragraph."""


_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]")


def _block_indent(out: Sequence[str], indent: str) -> str:
    """The indent a block needs to stay in the list item it is written in: authors
    write ``   > [!NOTE]`` under ``1. Step`` (3 spaces, as CommonMark allows);
    Python-Markdown wants 4 per level."""
    width = len(indent.expandtabs(4))
    if width % 4 == 0:
        return indent
    for line in reversed(out):
        if line.strip() and len(line) - len(line.lstrip()) < width:
            item = _LIST_ITEM.match(line)
            if item:
                return " " * (len(item.group(1).expandtabs(4)) // 4 * 4 + 4)
            return indent
    return indent


def alert(kind: str, argument: str, body: str, ctx: Context) -> list[str]:
    """``> [!NOTE]`` ... as an admonition titled in the page's language."""
    css, default = ALERTS[kind]
    title = ctx.titles.get(kind, default).replace('"', "'").replace("\n", " ")
    return [f'!!! {css} "{title}"'] + ["    " + line if line.strip() else ""
                                      for line in body.split("\n")]


_YOUTUBE = re.compile(r"^https://(?:www\.|m\.)?(?:youtube\.com/(?:embed/|watch\?v=)|youtu\.be/)"
                      r"([\w-]+)(?:[?&](.*))?$")


def video(kind: str, argument: str, body: str, ctx: Context) -> list[str]:
    """``> [!VIDEO https://...]`` as a responsive embedded player.

    https only: any other URL is shown as a link, never framed. YouTube goes
    through its no-cookie host, as DocFX does.
    """
    url = html.unescape(argument)
    lines: list[str] = []
    if not url.startswith("https://") or re.search(r'[\s"<>]', url):
        safe = url if url.startswith("http://") and not re.search(r'[\s"<>()]', url) else ""
        lines.append(f"<{safe}>" if safe else html.escape(url))
    else:
        youtube = _YOUTUBE.match(url)
        if youtube:
            query = youtube.group(2) or ""
            query = "&".join(p for p in query.split("&") if p and not p.startswith("v="))
            url = f"https://www.youtube-nocookie.com/embed/{youtube.group(1)}" + \
                (f"?{query}" if query else "")
        lines.append(f'<div class="docfx-video"><iframe src="{html.escape(url)}" '
                     'allowfullscreen="true" frameborder="0"></iframe></div>')
    if body.strip():
        lines += [""] + body.split("\n")
    return lines


def div(kind: str, argument: str, body: str, ctx: Context) -> list[str]:
    """``> [!div class="nextstepaction"]`` ... as a ``<div>`` of those classes.

    ``nextstepaction`` makes its links call-to-action buttons, ``checklist``
    its list a check list (``docfx.css``); any other class is kept as is.
    """
    attrs = dict(ATTR.findall(argument))
    classes = " ".join(c for c in attrs.get("class", "").split() if re.fullmatch(r"[\w-]+", c))
    return [f'<div class="docfx-div {classes}" markdown="1">'.replace(" \"", "\""), ""] + \
        body.split("\n") + ["", "</div>"]


_QUOTE_KINDS: Mapping[str, Callable[[str, str, str, Context], list[str]]] = {
    **{kind: alert for kind in ALERTS}, "VIDEO": video, "DIV": div}


_ZONE = re.compile(r'^[ \t]*:::[ \t]*zone[ \t]+(pivot|target)[ \t]*=[ \t]*"([^"\n]*)"[ \t]*'
                   r"(?::::)?[ \t]*$")
_ZONE_END = re.compile(r"^[ \t]*:::[ \t]*zone-end[ \t]*(?::::)?[ \t]*$")
_MONIKER = re.compile(r'^[ \t]*:::[ \t]*moniker[ \t]+range[ \t]*=[ \t]*"([^"\n]*)"[ \t]*'
                      r"(?::::)?[ \t]*$")
_MONIKER_END = re.compile(r"^[ \t]*:::[ \t]*moniker-end[ \t]*(?::::)?[ \t]*$")


def _sections(text: str, start: re.Pattern[str], end: re.Pattern[str],
              make: Callable[[re.Match[str], list[str]], list[str]]) -> str:
    """Blocks from a ``start`` line to its ``end`` line (nested ones too), outside code."""
    lines = text.split("\n")
    flags = code_lines(lines)
    out: list[list[str]] = [[]]
    opened: list[re.Match[str]] = []
    for line, code in zip(lines, flags):
        found = None if code else start.match(line)
        if found:
            opened.append(found)
            out.append([])
        elif not code and opened and end.match(line):
            body = out.pop()
            _blank_around(out[-1], make(opened.pop(), body))
        else:
            out[-1].append(line)
    while opened:  # never closed: runs to the end of the page, as in DocFX
        body = out.pop()
        _blank_around(out[-1], make(opened.pop(), body))
    return "\n".join(out[0])


def _div(classes: str, data: str, body: list[str]) -> list[str]:
    return [f'<div class="{classes}"{data} markdown="1">', ""] + \
        textwrap.dedent("\n".join(body)).strip("\n").split("\n") + ["", "</div>"]


def zones(text: str, ctx: Context) -> str:
    """Zone pivots and targets::

        :::zone pivot="windows"        (pivot="a,b" for several)
        content
        :::zone-end

    A pivot zone is a ``div.docfx-zone`` with ``data-pivot``; ``docfx.js`` shows
    one pivot at a time with a selector and keeps the choice in the URL
    (``?pivots=``). ``target="docs"`` is kept, ``target="chromeless"`` dropped.
    """
    def make(found: re.Match[str], body: list[str]) -> list[str]:
        if found.group(1) == "target":
            return body if found.group(2).strip().lower() != "chromeless" else []
        pivots = " ".join(html.escape(p.strip()) for p in found.group(2).split(",") if p.strip())
        return _div("docfx-zone", f' data-pivot="{pivots}"', body)
    return _sections(text, _ZONE, _ZONE_END, make)


def monikers(text: str, ctx: Context) -> str:
    """Moniker ranges::

        ::: moniker range=">= product-2021"
        content
        ::: moniker-end

    A ``div.docfx-moniker`` with ``data-moniker``; ``docfx.js`` shows one range
    at a time with a selector (``?view=`` in the URL).
    """
    return _sections(text, _MONIKER, _MONIKER_END, lambda found, body: _div(
        "docfx-moniker", f' data-moniker="{html.escape(found.group(1).strip())}"', body))


_ROW = re.compile(r"^[ \t]*:::[ \t]*row[ \t]*:::[ \t]*$")
_ROW_END = re.compile(r"^[ \t]*:::[ \t]*row-end[ \t]*:::[ \t]*$")
_COLUMN = re.compile(r'^[ \t]*:::[ \t]*column(?:[ \t]+span[ \t]*=[ \t]*"(\d)")?[ \t]*:::[ \t]*$')
_COLUMN_END = re.compile(r"^[ \t]*:::[ \t]*column-end[ \t]*:::[ \t]*$")


def rows(text: str, ctx: Context) -> str:
    """Grids::

        :::row:::
            :::column span="2":::
                content (its indentation is not code)
            :::column-end:::
        :::row-end:::

    ``div.docfx-row`` of ``div.docfx-column`` (``docfx-span-N``), laid out by docfx.css.
    """
    text = _sections(text, _COLUMN, _COLUMN_END, lambda found, body: _div(
        f"docfx-column docfx-span-{found.group(1) or 1}", "", body))
    return _sections(text, _ROW, _ROW_END, lambda found, body: _div("docfx-row", "", body))

