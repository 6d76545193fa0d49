"""DocFX's inline constructs and those read from other files: includes, code snippets,
images, ``no-loc``, cross references, mangled anchors (the inline rows of ``docfx.RULES``).

Design decisions:

1. Inline rules see the page's skeleton outside fenced code (``docfx.Rule.run``).
   ``no-loc`` and ``xref`` run inside a segment's text too (``docfx.protect``): their
   renderings travel as tokens (``piece``), so a translation's text never becomes
   syntax.
2. An include is a placeholder (``BLOCK N END``) that ``render`` fills in last with
   the included page rendered in the page's language; one inside a sentence is
   joined into one line.
3. Files come through the ``Context`` (``include``, ``read``); without a reader a
   construct shows as a link to its file. A path is relative to the page, or to the
   docset root with ``~/``; one leading outside the content folder is an error at
   file:line.
4. A code snippet is a region (``#Region``, ``id=``) or lines (``#L3-L10``,
   ``range=``) of its file, dedented, in a fence longer than any backtick run in it.
5. ``include_targets`` and ``rebase_links`` are the build's side of includes: the
   files never published, and an include's links rewritten from its folder (as DocFX
   resolves them).
"""

from __future__ import annotations

import html
import posixpath
import re
import textwrap
from typing import Mapping

from .blocks import front_matter, outside_code
from .docfx_context import ATTR, Context, piece
from .errors import DoclocError
from .private_use import ALT, BLOCK, BODY, END

INCLUDE = re.compile(r"\[!INCLUDE\s*\[([^\]\n]*)\]\(\s*<?([^)>\s]*)>?\s*\)\s*\]", re.I)


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
    return INCLUDE.sub(one, text)


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
        attrs = dict(ATTR.findall(match.group(2)))
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
        attrs = dict(ATTR.findall(match.group(1)))
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
    return _NO_LOC.sub(lambda m: piece(ctx, md_text(html.unescape(m.group(1)))), text)


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
            return piece(ctx, f"[{label or md_text(known[1] or uid)}](<{href}>)")
        return label if label else piece(ctx, f"<code>{html.escape(uid)}</code>")
    return _XREF.sub(one, text)


def md_text(text: str) -> str:
    """Text as Markdown that shows exactly it (markup characters as references)."""
    return re.sub(r"[\\`*_{}\[\]<>#|~^&]", lambda m: f"&#{ord(m.group())};", text)


_MANGLED_ANCHOR = re.compile(r'(<a\s+(?:name|id)=")([^"<>\n]*?)&quot;(\s*/?>)')


def mangled_anchors(text: str, ctx: Context) -> str:
    """``<a name="x&quot;></a>``: a vendor's mangled quote closing an anchor, mended
    (left alone, the attribute would run on and swallow the heading)."""
    return _MANGLED_ANCHOR.sub(r'\1\2"\3', text)


# -- includes as the build sees them -------------------------------------------------------

def include_targets(text: str, path: str, docset: str = "") -> set[str]:
    """The content uris a page's text includes (``[!INCLUDE]``, block or inline; paths
    leading outside the content folder left out): include files, never pages."""
    if "[!include" not in text.casefold():
        return set()
    ctx = Context(path, docset=docset)
    found = set()
    for match in INCLUDE.finditer(text):
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
