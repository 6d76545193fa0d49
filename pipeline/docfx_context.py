"""What a DocFX rule may use besides the page's text: its ``Context``.

Design decisions:

1. No I/O in the rules: includes and code files come through the ``Context``
   callbacks (the build reads the content folder); a path leading outside the
   content folder is a ``DoclocError`` at the page's file:line (``resolve``).
2. What a rule makes besides the text is kept on the context, in order: included
   blocks (``blocks``, filled in last by ``render`` at their ``BLOCK N END``) and
   inline renderings (``pieces``, put back by ``docfx.restore`` at their token);
   ``piece`` is the one writer of the second.
3. ``ATTR`` is DocFX's one attribute syntax (``name="value"``), read alike by
   ``[!div]``, ``:::code`` and ``:::image``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from .errors import DoclocError
from .private_use import TOKEN, TOKEN_END

ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
"""One ``name="value"`` attribute of a DocFX construct."""


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


def piece(ctx: Context, rendering: str) -> str:
    """An inline rendering kept on the context; its token stands in the text."""
    ctx.pieces.append(rendering)
    return f"{TOKEN}{len(ctx.pieces) - 1}{TOKEN_END}"
