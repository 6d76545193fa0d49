"""DocFX-flavored Markdown -> the Markdown docloc's MkDocs builds read.

Design decisions:

1. The rules are data: ``RULES`` lists every construct, in the order they run,
   with the text that must appear on a page for the rule to run at all and one
   small function whose docstring shows its syntax (markdown-it-py's rule lists).
   A new construct is a row and a function.
2. Rules rewrite the page's skeleton, in which each segment stands as a
   placeholder (``render`` fills them last); so nothing a translation says can
   pass for DocFX syntax. Block rules see the page's lines with fenced code
   marked (``blocks.code_lines``); no rule reads or writes inside fenced code.
3. The output is what the maintained extensions render: admonitions for
   alerts, ``pymdownx.tabbed`` (alternate style) for tabs, ``md_in_html``
   ``<div markdown="1">`` for sections, grids, zones and monikers,
   ``attr_list`` for image classes. ``docfx.js``/``docfx.css`` (theme assets)
   add the pivot and moniker selectors and the styles.
4. Constructs that can stand inside a sentence (inline includes, ``no-loc``,
   ``xref``) are also read inside segments: ``protect`` swaps them for tokens
   before the segment is contained, ``restore`` puts their rendering back,
   ``plain_text`` gives the tooltip its reader's text. Catalogs keep the syntax.
5. No I/O: includes and code files come through the ``Context`` callbacks;
   a path leading outside the content folder is a ``DoclocError`` at file:line.
"""

from __future__ import annotations

import html
import posixpath
import re
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from .blocks import code_lines, front_matter, outside_code
from .errors import DoclocError
from .private_use import ALT, BLOCK, BODY, END, TOKEN, TOKEN_END

# Placeholders (pipeline.private_use): segment N in the body (BODY N END), in alt text
# (ALT N END), an included block (BLOCK N END), an inline construct inside a segment.
_TOKEN = re.compile(f"{TOKEN}(\\d+){TOKEN_END}")

ALERTS = {"NOTE": ("note", "Note"), "TIP": ("tip", "Tip"),
          "IMPORTANT": ("info important", "Important"),
          "WARNING": ("warning", "Warning"), "CAUTION": ("danger caution", "Caution")}
"""DocFX alert -> Material admonition type (and extra class), default title."""


@dataclass
class Context:
    """What the rules of one page may use besides its text."""

    path: str
    """The page's uri (POSIX, relative to the content root), as in messages."""
    bilingual: Callable[[], str] = lambda: ""
    """The page's file, for line numbers in messages."""
    include: Callable[[str], str] | None = None
    """Content uri of an include -> its rendered markdown in the page's language."""
    read: Callable[[str], str] | None = None
    """Content uri of a code file -> its text (raises DoclocError when missing)."""
    titles: Mapping[str, str] = field(default_factory=dict)
    """Alert titles and ``l10n.DOCFX_LABELS`` in the page's language (``NOTE`` -> ``Remarque``)."""
    docset: str = ""
    """Uri of the folder holding the page's ``docfx.json`` (``~/`` paths start there)."""
    xrefmap: Mapping[str, tuple[str, str]] | None = None
    """uid -> (href, display name), when the docset gives one."""
    blocks: list[str] = field(default_factory=list)
    """Included blocks, each filled in last by ``render`` at its ``BLOCK N END``."""
    pieces: list[str] = field(default_factory=list)
    """Inline renderings put back by ``restore``."""

    def fail(self, message: str, found: str) -> DoclocError:
        text = self.bilingual()
        at = text.find(found) if found else -1
        line = column = None
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            column = at - text.rfind("\n", 0, at)
        return DoclocError(message, self.path, line, column)

    def resolve(self, raw: str, found: str, what: str) -> str:
        """A link target of the page as a content uri (``~/`` from the docset root)."""
        written = raw = raw.strip().replace("\\", "/")
        base = posixpath.dirname(self.path)
        if raw.startswith("~/"):
            raw, base = raw[2:], self.docset
        uri = posixpath.normpath(posixpath.join(base, raw)) if raw else ""
        if not raw or re.match(r"[A-Za-z][\w+.-]*:", raw) or raw.startswith("/") or \
                uri == ".." or uri.startswith(("../", "/")):
            raise self.fail(f"{what} {written!r} leads outside the content folder; "
                            "use a file inside it", found)
        return uri


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
                f'<span class="docfx-tab" data-tab="{found.group(4)}"></span>' + found.group(3).strip()
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
_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


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
    attrs = dict(_ATTR.findall(argument))
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


# -- inline rules (in the skeleton, and inside segments through protect) -------------

_INCLUDE = re.compile(r"\[!INCLUDE\s*\[([^\]\n]*)\]\(\s*<?([^)>\s]*)>?\s*\)\s*\]", re.I)


def includes(text: str, ctx: Context) -> str:
    """``[!INCLUDE[title](path)]`` on a line of its own (a block) or in a sentence.

    The path is relative to the page, or to the docset root with ``~/``; the
    included page is rendered in the page's language.
    """
    def one(match: re.Match[str]) -> str:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        alone = not text[start:match.start()].strip(" \t>") and \
            not text[match.end():end if end >= 0 else len(text)].strip()
        return include(match, ctx, inline=not alone)
    return _INCLUDE.sub(one, text)


def include(match: re.Match[str], ctx: Context, *, inline: bool) -> str:
    uri = ctx.resolve(match.group(2), match.group(0), "include")
    if ctx.include is None:
        return f"[{match.group(1) or uri}]({match.group(2)})"
    included = ctx.include(uri)
    front = front_matter(included)
    block = (included[front.after:] if front else included).strip("\n")
    if inline:
        block = " ".join(block.split())
    ctx.blocks.append(block)
    return f"{BLOCK}{len(ctx.blocks) - 1}{END}"


_CODE_INCLUDE = re.compile(r"\[!code-([\w+#-]*)\s*\[([^\]\n]*)\]\(\s*([^)\s]*)\s*\)\s*\]", re.I)
_CODE_BLOCK = re.compile(r"^([ \t]*):::[ \t]*code[ \t]+((?:[^:\n]|:(?!::))*):::[ \t]*$", re.M)
_REGION = re.compile(r"^\s*(?://|#|'|<!--|/\*|--|;|REM\b)?\s*#?\s*(?:pragma\s+)?"
                     r"(region|endregion)\b\s*(.*?)\s*(?:-->|\*/)?\s*$", re.I)
_LANGUAGES = {"csharp": "cs", "c#": "cs", "cs": "cs", "javascript": "js", "typescript": "ts",
              "powershell": "powershell", "python": "python", "cpp": "cpp", "xml": "xml"}


def code_links(text: str, ctx: Context) -> str:
    """A code snippet read from the content folder, as a fenced block::

        [!code-csharp[Title](path/File.cs#Region)]   (#L3-L10, ?range=1-3,5, ?name=Region,
                                                      &highlight=2)
    """
    def one(match: re.Match[str]) -> str:
        path, _, fragment = match.group(3).partition("#")
        path, _, query = path.partition("?")
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        if fragment and re.fullmatch(r"L\d+(?:-L\d+)?", fragment):
            params.setdefault("range", fragment.replace("L", ""))
        elif fragment:
            params.setdefault("name", fragment)
        return _snippet(match, ctx, match.group(1), path, params)
    return _CODE_INCLUDE.sub(one, text)


def code_blocks(text: str, ctx: Context) -> str:
    """The same, written as a block::

        :::code language="csharp" source="File.cs" range="1-5" highlight="2" id="Region":::
    """
    def one(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(2)))
        attrs["name"] = attrs.pop("id", "")
        lines = _snippet(match, ctx, attrs.get("language", ""), attrs.get("source", ""),
                         attrs).split("\n")
        return "\n".join(match.group(1) + line for line in lines)
    return _CODE_BLOCK.sub(one, text)


def _ranges(spec: str, count: int) -> list[int]:
    wanted: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        if first.isdigit():
            end = int(last) if last.isdigit() else (count if _ else int(first))
            wanted.extend(range(int(first), min(end, count) + 1))
    return wanted


def _snippet(match: re.Match[str], ctx: Context, language: str, path: str,
             params: Mapping[str, str]) -> str:
    found = match.group(0).strip()
    uri = ctx.resolve(path, found, "code snippet")
    if ctx.read is None:
        return f"[{posixpath.basename(uri)}]({path})"
    try:
        code = ctx.read(uri).replace("\r\n", "\n")
    except DoclocError as exc:
        raise ctx.fail(f"code snippet {path!r}: {exc.problem.message}", found) from exc
    lines = code.split("\n")
    if params.get("name"):
        inside, picked, depth = False, [], 0
        for line in lines:
            region = _REGION.match(line)
            if region and region.group(1).lower() == "region":
                if inside:
                    depth += 1
                elif region.group(2) == params["name"]:
                    inside = True
                    continue
            elif region and inside:
                if depth == 0:
                    break
                depth -= 1
            if inside and not (region and depth >= 0 and region.group(1).lower() == "region"):
                picked.append(line)
        if not inside:
            raise ctx.fail(f"code snippet {path!r} has no region {params['name']!r}", found)
        lines = picked
    elif params.get("range"):
        lines = [lines[n - 1] for n in _ranges(params["range"], len(lines))]
    lines = textwrap.dedent("\n".join(lines)).strip("\n").split("\n")
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", "\n".join(lines))), default=0) + 1)
    options = f' hl_lines="{" ".join(params["highlight"].replace(",", " ").split())}"' \
        if re.fullmatch(r"[\d,\- ]+", params.get("highlight", "")) else ""
    lang = _LANGUAGES.get(language.lower(), re.sub(r"[^\w+-]", "", language.lower()))
    return "\n".join([f"{fence}{lang}{options}"] + lines + [fence])


_IMAGE = re.compile(r":::image\s((?:[^:\n]|:(?!::))*):::(?:(.*?):::image-end:::)?", re.S)


def images(text: str, ctx: Context) -> str:
    """Images::

        :::image type="content" source="a.png" alt-text="Alt" lightbox="big.png" border="false":::
        :::image type="complex" source="a.png" alt-text="Alt":::
           long description
        :::image-end:::

    An image (a link to ``lightbox``), bordered unless ``border="false"`` or an
    icon; a complex image's long description follows it, collapsed.
    """
    def image(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        alt = attrs.get("alt-text", "").replace(BODY, ALT)
        alt = re.sub(r"[\[\]\\`*_{}]", r"\\\g<0>", alt) if ALT not in alt else alt
        source = attrs.get("source", "")
        if re.search(r"[\s()<>]", source):
            source = "<" + re.sub(r"[<>\s]", lambda m: f"%{ord(m.group()):02X}", source) + ">"
        markdown = f"![{alt}]({source})"
        border = attrs.get("border", "false" if attrs.get("type") == "icon" else "true")
        if border.lower() == "true":
            markdown += "{: .docfx-border }"
        if attrs.get("lightbox"):
            markdown = f"[{markdown}]({attrs['lightbox']})"
        if match.group(2) and match.group(2).strip():
            summary = ctx.titles.get("LONG_DESCRIPTION", "Long description")
            lines = textwrap.dedent(match.group(2).strip("\n")).strip("\n").split("\n")
            markdown += f'\n\n??? docfx-longdesc "{summary}"\n' + "\n".join(
                "    " + line if line.strip() else "" for line in lines) + "\n"
        return markdown
    return _IMAGE.sub(image, text)


_ALT_SEGMENT = re.compile(f"(!\\[){BODY}(\\d+{END}\\]\\()")


def image_alts(text: str, ctx: Context) -> str:
    """``![segment](src)``: the segment is the image's alt text (plain, escaped)."""
    return _ALT_SEGMENT.sub(lambda m: m.group(1) + ALT + m.group(2), text)


_NO_LOC = re.compile(r':::no-loc\s+text\s*=\s*"([^"\n]*)"\s*:::')


def no_loc(text: str, ctx: Context) -> str:
    """``:::no-loc text="Azure":::`` as its text, never translated."""
    return _NO_LOC.sub(lambda m: _piece(ctx, md_text(html.unescape(m.group(1)))), text)


_XREF = re.compile(r"<xref:([^\s>]+)>|\[([^\]\n]*)\]\(xref:([^)\s]+)\)|"
                   r"(?<![\w@./`])@([A-Za-z_][\w`]*(?:\.[\w`#*()-]+)+)")


def xrefs(text: str, ctx: Context) -> str:
    """Cross references: ``<xref:uid>``, ``[text](xref:uid)``, ``@uid`` (with a dot).

    A link with the xrefmap's name when it knows the uid, else the uid as code.
    The xrefmap's hrefs are URLs or content uris (made relative to the page here).
    """
    def one(match: re.Match[str]) -> str:
        uid = (match.group(1) or match.group(3) or match.group(4)).split("?")[0]
        uid = html.unescape(uid.replace("%2A", "*"))
        known = (ctx.xrefmap or {}).get(uid)
        label = match.group(2)
        if known:
            href, anchor = known[0], ""
            if not re.match(r"[A-Za-z][\w+.-]*:|/", href):
                href, _, anchor = href.partition("#")
                href = posixpath.relpath(href, posixpath.dirname(ctx.path) or ".") + \
                    (f"#{anchor}" if anchor else "")
            return _piece(ctx, f"[{label or md_text(known[1] or uid)}](<{href}>)")
        return label if label else _piece(ctx, f"<code>{html.escape(uid)}</code>")
    return _XREF.sub(one, text)


def _piece(ctx: Context, rendering: str) -> str:
    ctx.pieces.append(rendering)
    return f"{TOKEN}{len(ctx.pieces) - 1}{TOKEN_END}"


def md_text(text: str) -> str:
    """Text as Markdown that shows exactly it (markup characters as references)."""
    return re.sub(r"[\\`*_{}\[\]<>#|~^&]", lambda m: f"&#{ord(m.group())};", text)


_MANGLED_ANCHOR = re.compile(r'(<a\s+(?:name|id)=")([^"<>\n]*?)&quot;(\s*/?>)')


def mangled_anchors(text: str, ctx: Context) -> str:
    """``<a name="x&quot;></a>``: a vendor's mangled quote closing an anchor, mended
    (left alone, the attribute would run on and swallow the heading)."""
    return _MANGLED_ANCHOR.sub(r'\1\2"\3', text)


# -- the table --------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    name: str
    trigger: str
    """Text a page must contain for the rule to run (case-insensitive)."""
    apply: Callable[[str, Context], str]
    block: bool
    """Block rules see whole lines and mark code themselves; inline rules see text
    outside fenced code only."""

    def run(self, body: str, ctx: Context) -> str:
        """The rule applied to a page's skeleton: all of it, or what is outside code."""
        if self.block:
            return self.apply(body, ctx)
        return outside_code(body, lambda text: self.apply(text, ctx))


RULES: tuple[Rule, ...] = (
    Rule("mangled-anchor", "&quot;", mangled_anchors, block=False),
    Rule("code-link", "[!code-", code_links, block=False),
    Rule("code-block", ":::code", code_blocks, block=False),
    Rule("include", "[!include", includes, block=False),
    Rule("image", ":::image", images, block=False),
    Rule("image-alt", "![" + BODY, image_alts, block=False),
    Rule("no-loc", ":::no-loc", no_loc, block=False),
    Rule("xref", "xref:", xrefs, block=False),
    Rule("uid", "@", xrefs, block=False),
    Rule("quoted", "[!", quoted, block=False),
    Rule("zone", "zone", zones, block=True),
    Rule("moniker", "moniker", monikers, block=True),
    Rule("row", ":::row", rows, block=True),
    Rule("tabs", "#tab/", tabs, block=True),
)
"""Every DocFX construct docloc renders, in the order the rules run."""

INLINE = ("no-loc", "xref", "uid")
"""Rules that also run inside a segment's text (``protect``); includes too, by path."""


def transform(body: str, ctx: Context) -> str:
    """The page's skeleton (placeholders for segments) with every rule applied."""
    folded = body.casefold()
    for rule in RULES:
        if rule.trigger in folded:
            body = rule.run(body, ctx)
            folded = body.casefold()
    return body


# -- inside segments ------------------------------------------------------------------------

def protect(text: str, source: str, ctx: Context) -> str:
    """A segment's text with its inline constructs as tokens (``restore`` puts them back).

    An include is rendered only when the English source includes the same path
    (a translation does not choose what a page includes); else its title shows.
    """
    if "[!" not in text and ":::" not in text and "xref:" not in text and "@" not in text:
        return text
    text = _protected_code(text, lambda part: _protect_part(part, source, ctx))
    return text


def _protect_part(text: str, source: str, ctx: Context) -> str:
    if "[!" in text:
        allowed = {m.group(2).strip() for m in _INCLUDE.finditer(source)}

        def one(match: re.Match[str]) -> str:
            if match.group(2).strip() not in allowed:
                return _piece(ctx, md_text(match.group(1)))
            before = len(ctx.blocks)
            shown = include(match, ctx, inline=True)
            if len(ctx.blocks) == before:  # not read (no reader, outside, missing): its link
                return _piece(ctx, shown)
            return _piece(ctx, ctx.blocks.pop())
        text = _INCLUDE.sub(one, text)
    for rule in RULES:
        if rule.name in INLINE and rule.trigger in text:
            text = rule.apply(text, ctx)
    return text


def _protected_code(text: str, rewrite: Callable[[str], str]) -> str:
    """``rewrite`` applied outside backtick code spans."""
    parts = re.split(r"(`+[^`]*?`+)", text)
    return "".join(part if i % 2 else rewrite(part) for i, part in enumerate(parts))


def restore(text: str, ctx: Context) -> str:
    """Tokens back to their renderings."""
    if TOKEN not in text:
        return text
    return _TOKEN.sub(lambda m: ctx.pieces[int(m.group(1))], text)


def plain_text(source: str, ctx: Context, plain: Callable[[str], str]) -> str:
    """A segment's source as its reader sees it (includes and no-loc substituted)."""
    if "[!" not in source and ":::" not in source and "xref:" not in source:
        return source
    text = protect(source, source, ctx)
    return _TOKEN.sub(lambda m: plain(ctx.pieces[int(m.group(1))]), text)


# -- checks (for ``docloc check``) ------------------------------------------------------------

def include_changes(source: str, target: str) -> list[str]:
    """What a translation does to the source's inline includes: each path it drops,
    alters or adds, as a message naming the fix (empty when it keeps them all)."""
    wanted = [m.group(2).strip() for m in _INCLUDE.finditer(source)]
    found = [m.group(2).strip() for m in _INCLUDE.finditer(target)]
    problems = []
    for path in dict.fromkeys(wanted):
        if found.count(path) < wanted.count(path):
            problems.append(f"the translation drops or alters [!INCLUDE[...]({path})]; "
                            "copy it from the source unchanged")
    for path in dict.fromkeys(found):
        if path not in wanted:
            problems.append(f"the translation includes {path}, which the source does not; "
                            "remove it")
    return problems


# -- docsets (``docfx.json``): roots, published files, xrefmaps, pivot titles ---------------

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
    return re.fullmatch("".join(out), uri, re.I) is not None


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


def include_targets(text: str, path: str, docset: str = "") -> set[str]:
    """The content uris a page's text includes (``[!INCLUDE]``, block or inline; paths
    leading outside the content folder left out): include files, never pages."""
    if "[!include" not in text.casefold():
        return set()
    ctx = Context(path, docset=docset)
    found = set()
    for match in _INCLUDE.finditer(text):
        try:
            found.add(ctx.resolve(match.group(2), match.group(0), "include"))
        except DoclocError:
            continue
    return found


_LINK_TARGET = re.compile(r'(\]\(\s*<?|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?|\s(?:href|src)=")'
                          r'([^\s)>"]+)', re.M)


def rebase_links(markdown: str, include_uri: str, page_uri: str) -> str:
    """An included page's relative links made relative to the page that includes it:
    DocFX resolves them from the include file (``includes/next.md`` linking
    ``../unity/start.md`` means ``unity/start.md`` from a page in any folder)."""
    start, end = posixpath.dirname(include_uri), posixpath.dirname(page_uri)
    if start == end:
        return markdown

    def one(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"[A-Za-z][\w+.-]*:|[/#~]", target):
            return match.group(0)
        path, mark, rest = target.partition("#")
        if not path:
            return match.group(0)
        uri = posixpath.normpath(posixpath.join(start, path))
        return match.group(1) + posixpath.relpath(uri, end or ".") + mark + rest
    return outside_code(markdown, lambda text: _LINK_TARGET.sub(one, text))
