"""DocFX-flavored Markdown -> the Markdown docloc's MkDocs builds read: the rule table.

Design decisions:

1. The rules are data: ``RULES`` lists every construct, in the order they run,
   with the text that must appear on a page for the rule to run at all and one
   small function whose docstring shows its syntax (markdown-it-py's rule lists).
   A new construct is a row and a function.
2. Rules rewrite the page's skeleton, in which each segment stands as a
   placeholder (``render`` fills them last); so nothing a translation says can
   pass for DocFX syntax. No rule reads or writes inside fenced code.
3. The functions live by kind: ``docfx_blocks`` (alerts, videos, div sections,
   tabs, zones, monikers, rows), ``docfx_inline`` (includes, code snippets, images,
   ``no-loc``, ``xref``), ``docfx_context`` (what a rule may use besides the text),
   ``docfx_docset`` (``docfx.json``). The other stages import them from here
   (``__all__``): ``docfx`` is the one name they know.
4. Constructs that can stand inside a sentence (inline includes, ``no-loc``,
   ``xref``) are also read inside segments: ``protect`` swaps them for tokens
   before the segment is contained, ``restore`` puts their rendering back,
   ``plain_text`` gives the tooltip its reader's text. Catalogs keep the syntax.
5. No I/O: includes and code files come through the ``Context`` callbacks;
   a path leading outside the content folder is a ``DoclocError`` at file:line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .blocks import outside_code
from .docfx_blocks import ALERTS, monikers, quoted, rows, tabs, zones
from .docfx_context import Context, piece
from .docfx_docset import Docset, pivot_titles, read_docset, xrefmap_entries
from .docfx_inline import (
    INCLUDE,
    code_blocks,
    code_links,
    image_alts,
    images,
    include,
    include_targets,
    includes,
    mangled_anchors,
    md_text,
    no_loc,
    rebase_links,
    xrefs,
)
from .private_use import BODY, TOKEN, TOKEN_END

__all__ = ["ALERTS", "INLINE", "RULES", "Context", "Docset", "Rule", "include_changes",
           "include_targets", "md_text", "pivot_titles", "plain_text", "protect",
           "read_docset", "rebase_links", "restore", "transform", "xrefmap_entries"]

# Placeholders (pipeline.private_use): segment N in the body (BODY N END), in alt text
# (ALT N END), an included block (BLOCK N END), an inline construct inside a segment.
_TOKEN = re.compile(f"{TOKEN}(\\d+){TOKEN_END}")


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
        allowed = {m.group(2).strip() for m in INCLUDE.finditer(source)}

        def one(match: re.Match[str]) -> str:
            if match.group(2).strip() not in allowed:
                return piece(ctx, md_text(match.group(1)))
            before = len(ctx.blocks)
            shown = include(match, ctx, inline=True)
            if len(ctx.blocks) == before:  # not read (no reader, outside, missing): its link
                return piece(ctx, shown)
            return piece(ctx, ctx.blocks.pop())
        text = INCLUDE.sub(one, text)
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
    wanted = [m.group(2).strip() for m in INCLUDE.finditer(source)]
    found = [m.group(2).strip() for m in INCLUDE.finditer(target)]
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

