#!/usr/bin/env python3
"""Fuzz docloc's page reader, catalog loader and renderer (hypothesis-driven).

    python scripts/fuzz.py --minutes 10            # every target, 10 minutes in all
    python scripts/fuzz.py --seconds 60 --target page
    python scripts/fuzz.py --replay bench-out/fuzz-crashes/page-1a2b3c4d.bin

Targets and the property each must keep:

``page``
    ``sxs.decode`` + ``sxs.parse`` on any bytes: only ``DoclocError`` escapes,
    joining the parts gives the text back byte for byte, every problem has a
    line inside the file; the page's catalog, written with ``catalog_po.dumps``,
    reads back with ``catalog_po.loads`` and applying it gives the page back
    byte for byte (what ``extract`` + ``export`` promise).
``catalog``
    ``catalog_po.load`` on any bytes (entries and the header moved around too):
    only ``DoclocError``; a catalog that loads is written back by
    ``catalog_po.dumps`` to text that loads again with the same entries (context,
    msgid, msgstr, obsolete, in order), locale and metadata, has one ``msgid ""``
    only (the header; ``msgfmt -c`` rejects a second one), and is dumped again to
    the same text.
``render``
    ``render.render_page`` with any msgstr on the pages of ``content/`` (and on
    mutated pages): no exception; the markdown, converted by Python-Markdown
    with attr_list, md_in_html, admonition and tables, has no tag outside a
    safe list (markdown's own, ``contain.SAFE_TAGS`` and those the page renders
    to with its own translations), no ``on*`` or ``style`` attribute and no URL
    with a scheme other than http(s)/mailto; the front matter stays YAML.
``toc``
    ``toc.parse_toc`` on any TOC.md or TOC.yml (mutated real TOCs, generated
    ones with hostile labels and hrefs): only ``DoclocError``; every problem
    has a line inside the file; every entry's href is a relative page or an
    http(s)/mailto URL; ``toc.to_nav`` gives titles with no raw ``<`` or quote.
``skeleton``
    A page with hostile markup outside its segments, rendered, converted with
    the site's Markdown extensions, marks expanded and passed through
    ``page_html.clean_page`` as the hook does: no tag outside
    ``page_html.PAGE_TAGS``, no ``on*`` attribute, no URL of another scheme, an
    iframe only from https; the ``page-html`` check runs on it without an
    exception and names lines and columns inside the file.

Inputs are mutations of real inputs (the pages in ``content/``, the catalogs
in ``locales/``, fixtures and string literals of ``tests/``): slices inserted,
deleted and duplicated, bytes flipped, hostile tokens spliced in; plus pages
generated from the side-by-side grammar and raw bytes. Each crash is shrunk
by hypothesis and the minimal input saved under ``bench-out/fuzz-crashes/``
(``<target>-<signature>.bin`` plus a ``.txt`` with the traceback).
"""

from __future__ import annotations

import argparse
import ast
import functools
import hashlib
import json
import re
import sys
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline import catalog as cat  # noqa: E402
from pipeline import catalog_po, checks, contain, marks, page_checks, page_html, render, site, sxs, toc  # noqa: E402
from pipeline.errors import DoclocError  # noqa: E402

CRASH_DIR = ROOT / "bench-out" / "fuzz-crashes"
TARGETS = ("page", "catalog", "render", "toc", "skeleton")
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables"]

# -- seeds ------------------------------------------------------------------------------------


def _test_literals() -> list[str]:
    """String literals of the test modules (the texts the tests use), 8 chars or more."""
    found: list[str] = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and len(node.value) >= 8:
                found.append(node.value)
    return found


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=None)
def seeds() -> dict[str, list[bytes]]:
    """Real inputs: pages, catalogs and short texts (translations, snippets)."""
    literals = _test_literals()
    pages = [p.read_bytes() for p in sorted((ROOT / "content").rglob("*.md"))]
    pages += [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").rglob("*.md"))]
    pages += [t.encode() for t in literals if "data-ttu-id" in t]
    catalogs = [p.read_bytes() for p in sorted((ROOT / "locales").rglob("*.po*"))]
    catalogs += [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").rglob("*.po*"))]
    catalogs += [t.encode() for t in literals if "msgid" in t]
    texts = [t.encode() for t in literals if "data-ttu-id" not in t and "msgid" not in t]
    tocs = [p.read_bytes() for folder in ("content", "tests")
            for p in sorted((ROOT / folder).rglob("*")) if toc.is_toc(p.name)]
    tocs += [t.encode() for t in literals if re.search(r"^#+ \[|^- name:|\n\s*href:", t, re.M)]
    return {"pages": pages, "catalogs": catalogs or [b'msgid ""\nmsgstr ""\n'],
            "texts": texts or [b"text"], "tocs": tocs or [b"# [Home](index.md)\n"]}


HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil>",
    "[x](javascript:alert(1))", '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<span style="position:fixed;top:0">', ' style="x"', "</span>", "-->", "<!--", "\n# heading",
    "\n- list", "\n1. item", "\n> quote", "|", "`", "``", "```", "**", "*", "_", "[", "]", "(",
    ")", "{: onclick=alert(1)}", "{#id .cls onclick=alert(1)}", "\\", "&#106;avascript:",
    "&lt;script&gt;", "<https://example.com>", "<javascript:alert(1)>", "<b>", "</b>",
    "<strong onclick=x>", '"', "'", "\n\n", "    ", "!!! note", ":::image", "[!NOTE]",
    "[!INCLUDE [x](../../etc/passwd)]", '<div markdown="1">', "<svg onload=alert(1)>",
    "<math><mi>x</mi></math>", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x00", "\r", "\r\n",
    "\ufeff", "\ue000", "\ue003", "\ue0040\ue005", "<a name=x>", '<a href="" id="shared">',
    "<br>", "  \n", "<code>", "</td></tr>", "<table>", "&", "<<", ">>", "<span ",
    '" onmouseover="x', "javascript:", "JaVaScRiPt:", "java\tscript:", "data:", "vbscript:",
    "![i](data:text/html;base64,PHNjcmlwdD4=)", "[x]: javascript:alert(1)",
    "<a href='x.md' title='[y](javascript:z)'>t</a>", "\t", "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>", "<object data=x>",
    "<meta http-equiv=refresh content=0;url=//evil>", "<base href=//evil/>", "<style>*{}</style>",
    "<textarea>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<![CDATA[", "]]>", "<?php", "<!doctype html>", "<a href=javascript&colon;alert(1)>x</a>",
    '<a href="&#x6A;avascript:alert(1)">x</a>', "[x](<javascript:alert(1)>)",
    "[x](java\nscript:alert(1))", "[x](#)", "[x](https://ok.example/p)", "<a href=x.md>",
    '<span data-ttu-id="1">', '<span class="sxs-lookup"><span data-stu-id="1">', "</span></span>",
    "data-ttu-id", "data-stu-id", '\\"', "---", "...", "$$", "{{x}}", "%s", "~~", "^",
    "<span title='a>b'>", "<img src=x alt='", "<a\nhref=javascript:x>", "<a/href=javascript:x>",
    "<!-->", "<!--->", "<x:script>", "<SCRIPT>", "<scr<script>ipt>",
]
TOKENS = [t.encode("utf-8", "surrogatepass") for t in HOSTILE] + [
    b"\xff", b"\xfe", b"\xc3", b"\xe2\x80", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    b"\xc0\xaf", b"\x80", b'msgid "', b'msgstr "', b'msgctxt "', b"msgid_plural ", b"msgstr[0] ",
    b"#~ ", b"#| ", b"#, fuzzy", b"#: ", b"#. id: ", b'"\n"', b"\\n", b"\\",
    b'"Content-Type: text/plain; charset=ISO-8859-1\\n"', b'"Language: fr_FR\\n"',
    b'"Plural-Forms: nplurals=2;\\n"']


@st.composite
def mutated(draw, pool: str) -> bytes:
    """A seed of ``pool`` with a few random edits."""
    corpus = seeds()[pool]
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(("delete", "insert", "duplicate", "flip", "token", "splice",
                                   "truncate", "move")))
        n = len(data)
        at = draw(st.integers(0, n))
        if op == "delete":
            end = draw(st.integers(at, min(n, at + 400)))
            del data[at:end]
        elif op == "insert":
            donor = draw(st.sampled_from(corpus + seeds()["texts"]))
            start = draw(st.integers(0, len(donor)))
            data[at:at] = donor[start:start + draw(st.integers(0, 300))]
        elif op == "duplicate":
            end = draw(st.integers(at, min(n, at + 400)))
            data[at:at] = data[at:end] * draw(st.integers(1, 3))
        elif op == "flip" and n:
            at = min(at, n - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "splice":
            donor = draw(st.sampled_from(corpus))
            cut = draw(st.integers(0, len(donor)))
            data[at:] = donor[cut:]
        elif op == "truncate":
            del data[at:]
        elif op == "move":  # a paragraph (a PO entry, the header) taken to another place
            blocks = bytes(data).split(b"\n\n")
            if len(blocks) > 1:
                block = blocks.pop(draw(st.integers(0, len(blocks) - 1)))
                blocks.insert(draw(st.integers(0, len(blocks))), block)
                data = bytearray(b"\n\n".join(blocks))
    return bytes(data)


_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab <>/\"'`*_[](){}|\\!#-\n\r\t &;:=.") +
                                     ["\u2028", "\x85", "\ufeff", "é", "\x00"]), max_size=30),
    st.sampled_from(HOSTILE), st.text(max_size=10))


@st.composite
def generated_page(draw) -> bytes:
    """A page built from the side-by-side grammar, with random texts and quirks."""
    parts = []
    if draw(st.booleans()):
        parts.append("---\ntitle: " + draw(_TEXT) + "\nms.contentlocale: fr-FR\n---\n")
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            parts.append(draw(_TEXT))
            continue
        seg_id = draw(st.sampled_from(["a1-101", "a1-p102", "", "x", 'q"']))
        other = seg_id if draw(st.integers(0, 9)) else "zz-1"
        q = '\\"' if draw(st.integers(0, 5)) == 0 else '"'
        parts.append(f"<span data-ttu-id={q}{seg_id}{q}>{draw(_TEXT)}</span>"
                     f"{draw(st.sampled_from(['', ' ', chr(10)]))}"
                     f"<span class={q}sxs-lookup{q}><span data-stu-id={q}{other}{q}>"
                     f"{draw(_TEXT)}</span></span>")
    text = "".join(parts)
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8", "surrogatepass")


_HREF = st.one_of(st.sampled_from([
    "index.md", "sub/toc.yml", "sub/", "../../etc/passwd", "javascript:alert(1)",
    " JaVaScRiPt:alert(1)", "java\tscript:x", "&#106;avascript:x", "data:text/html,x",
    "vbscript:x", "https://ok.example/p", "mailto:a@b.c", "//evil.example", "#x", "",
    "page.md#a", "TOC.md", "x.md \"title\"", "\\..\\x.md"]), _TEXT)


@st.composite
def generated_toc(draw) -> tuple[str, bytes]:
    """A TOC.md or TOC.yml from their grammar, with hostile labels and hrefs."""
    if draw(st.booleans()):
        lines = []
        for _ in range(draw(st.integers(0, 8))):
            level = "#" * draw(st.integers(1, 7))
            label = draw(_TEXT)
            lines.append(f"{level} [{label}]({draw(_HREF)})" if draw(st.booleans())
                         else f"{level} {label}")
        return "TOC.md", "\n".join(lines).encode("utf-8", "surrogatepass")

    def item(depth: int) -> str:
        pad = "  " * depth
        out = f'{pad}- name: "{draw(_TEXT).replace(chr(92), "").replace(chr(34), chr(39))}"\n'
        for key in draw(st.lists(st.sampled_from(["href", "topicHref", "uid", "topicUid"]),
                                 max_size=2, unique=True)):
            out += f'{pad}  {key}: "{draw(_HREF).replace(chr(92), "").replace(chr(34), "")}"\n'
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            out += f"{pad}  items:\n" + "".join(item(depth + 1)
                                               for _ in range(draw(st.integers(1, 3))))
        return out
    text = "".join(item(0) for _ in range(draw(st.integers(0, 5))))
    if draw(st.integers(0, 5)) == 0:
        text = "items:\n" + "".join("  " + line + "\n" for line in text.splitlines())
    return "TOC.yml", text.encode("utf-8", "surrogatepass")


TOC_INPUTS = st.one_of(
    generated_toc(),
    st.tuples(st.sampled_from(["TOC.md", "TOC.yml"]), mutated("tocs")),
    st.tuples(st.sampled_from(["TOC.md", "TOC.yml"]), st.binary(max_size=200)))
SKELETON_INPUTS = st.tuples(
    mutated("pages"),
    st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(HOSTILE)), max_size=6))
PAGE_INPUTS = st.one_of(mutated("pages"), generated_page(), st.binary(max_size=200))
CATALOG_INPUTS = st.one_of(mutated("catalogs"), st.binary(max_size=200),
                           st.text(max_size=200).map(str.encode))
MSGSTR = st.one_of(
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=8).map("".join),
    mutated("texts").map(lambda b: b.decode("utf-8", "replace")),
    st.text(max_size=40))


# -- the properties ---------------------------------------------------------------------------

def _gist(exc: DoclocError) -> str:
    """The kind of a DoclocError's message: its words before the first quote, digit or paren."""
    return re.split(r"[\"'(\d]", exc.problem.message, maxsplit=1)[0].strip(" :;")


class Violation(AssertionError):
    """A property of a target does not hold (a crash, for the report).

    ``kind`` names the defect (crashes are counted once per kind), ``detail`` the case.
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def check_page(data: bytes) -> None:
    """Reader round trip; the page's catalog reads back and re-applies byte for byte."""
    try:
        text = sxs.decode(data, "fuzz.md")
    except DoclocError:
        return
    page, problems = sxs.parse(text, "fuzz.md")
    if page.bilingual() != text:
        raise Violation("parse: parts do not join back to the text")
    last = text.count("\n") + 1
    for problem in problems:
        if problem.line is None or not 1 <= problem.line <= last:
            raise Violation("parse: problem line outside the file",
                            f"{problem.line} not in 1..{last}")
    page = replace(page, locale="fr-FR")
    po = catalog_po.dumps(cat.page_catalog(page, "fuzz.md"))
    try:
        back = catalog_po.loads(po, "fuzz.po")
    except DoclocError as exc:
        raise Violation("catalog written by dumps does not load: " + _gist(exc), str(exc)) from exc
    if cat.apply(page, cat.translations(back)).bilingual() != text:
        raise Violation("page -> catalog -> page is not byte-identical")


def check_catalog(data: bytes) -> None:
    """Only DoclocError; what loads is written back to text that loads again."""
    try:
        catalog = catalog_po.load(data, "fuzz.po")
    except DoclocError:
        return
    text = catalog_po.dumps(catalog)
    try:
        again = catalog_po.loads(text, "fuzz-again.po")
    except DoclocError as exc:
        raise Violation("a catalog that loads, once dumped, does not load: " + _gist(exc),
                        str(exc)) from exc
    headers = re.findall(r'^(?:#~ )?msgid ""\n(?:#~ )?msgstr', text, re.M)
    if len(headers) != 1:  # msgfmt -c: "duplicate message definition"
        raise Violation("a catalog that loads is dumped with more than one msgid \"\"",
                        f"{len(headers)} of them")
    lost = [(e.msgctxt, e.msgid, e.msgstr, e.obsolete) for e in catalog.entries]
    kept = [(e.msgctxt, e.msgid, e.msgstr, e.obsolete) for e in again.entries]
    if lost != kept:  # what a translator wrote is all there, in its order
        raise Violation("a catalog that loads, once dumped, reads back other entries",
                        f"{len(lost)} entries read, {len(kept)} after the dump")
    if (again.locale, dict(again.meta)) != (catalog.locale, dict(catalog.meta)):
        raise Violation("a catalog that loads, once dumped, has another header",
                        f"{(catalog.locale, dict(catalog.meta))} -> "
                        f"{(again.locale, dict(again.meta))}")
    if catalog_po.dumps(again) != text:  # a second extract writes nothing
        raise Violation("a dumped catalog, read and dumped again, changes")


MARKDOWN_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "div", "table",
    "thead", "tbody", "tr", "th", "td", "pre", "hr", "code", "em", "strong", "a", "img", "br"})
_URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset",
              "background", "cite")
_JUNK = re.compile(r"[\x00-\x20\x7f]+")


def _html_of(markdown_text: str) -> str:
    import markdown

    body = markdown_text.split("---\n", 2)[2] if markdown_text.startswith("---\n") else \
        markdown_text
    return markdown.markdown(body, extensions=EXTENSIONS)


def unsafe_markup(html_text: str, allowed: frozenset[str]) -> list[str]:
    """Tags outside ``allowed``, on*/style attributes, non-http(s)/mailto URLs."""
    import html as html_mod

    import lxml.html

    if not html_text.strip():
        return []
    root = lxml.html.fragment_fromstring(html_text, create_parent="div")
    bad = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions: inert
        tag = element.tag.lower()
        if element is not root and tag not in allowed:
            bad.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                bad.append(f"<{tag} {name}=>")
            elif name == "style":
                bad.append(f"<{tag} style=>")
            elif name in _URL_ATTRS:
                url = _JUNK.sub("", html_mod.unescape(value)).lower()
                scheme = re.match(r"([^/?#]*?):", url)
                if scheme and scheme.group(1) not in ("http", "https", "mailto"):
                    bad.append(f"<{tag} {name}={value[:40]!r}>")
    return bad


@functools.lru_cache(maxsize=None)
def render_pages() -> list:
    """The content pages with segments, parsed, and the tags each renders to by itself."""
    pages = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        if path.name.lower() == "toc.md":
            continue
        page, _ = sxs.parse(path.read_text(encoding="utf-8"), path.name)
        if not page.is_bilingual:
            continue
        own = cat.translations(cat.page_catalog(page, page.path))
        baseline = set()
        for found in (own, None, {}):
            html_text = _html_of(render.render_page(page, translations=found).markdown)
            import lxml.html
            root = lxml.html.fragment_fromstring(html_text, create_parent="div")
            baseline |= {e.tag.lower() for e in root.iter() if isinstance(e.tag, str)}
        pages.append((path.relative_to(ROOT).as_posix(), page,
                      frozenset(baseline | MARKDOWN_TAGS | contain.SAFE_TAGS)))
    return pages


def check_render(case: tuple[int, list[str]]) -> None:
    """Any msgstr on a content page: no exception, nothing unsafe, front matter is YAML."""
    import yaml

    index, msgstrs = case
    name, page, allowed = render_pages()[index % len(render_pages())]
    keys = cat.segment_keys(page)
    found = {key: msgstrs[i % len(msgstrs)] for i, key in enumerate(keys)} if msgstrs else {}
    rendered = render.render_page(page, translations=found)
    bad = unsafe_markup(_html_of(rendered.markdown), allowed)
    if bad:
        kinds = sorted({re.sub(r"=.*>", "=>", b) for b in bad})
        raise Violation("unsafe markup in the HTML: " + ", ".join(kinds),
                        f"{name}: {', '.join(sorted(set(bad)))}")
    meta = yaml.safe_load(rendered.markdown.split("---\n", 2)[1])
    if not isinstance(meta, dict) or "<" in str(meta.get("title", "")):
        raise Violation("front matter not YAML or title carries markup", f"{name}: {meta!r}")


def check_render_any(data: bytes) -> None:
    """A mutated page with its own targets renders without exception (includes may refuse)."""
    try:
        text = sxs.decode(data, "fuzz.md")
    except DoclocError:
        return
    page, _ = sxs.parse(text, "fuzz.md")
    try:
        own = cat.translations(cat.page_catalog(replace(page, locale="fr-FR"), "fuzz.md"))
        render.render_page(page, translations=own)
        render.render_page(page, translations=None)
        render.render_page(page, translations={}, page_exists_in_locale=False)
    except DoclocError:
        return


_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (WHATWG: C0 and spaces trimmed, tabs and
    newlines dropped anywhere), lowercased; None for a relative URL."""
    found = _URL_SCHEME.match(re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05"
                                                           "\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                           "\x10\x11\x12\x13\x14\x15\x16"
                                                           "\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                           "\x1e\x1f \t\n\r")))
    return found.group(1).lower() if found else None


def _safe_link(url: str) -> bool:
    return url_scheme(url) in (None, "http", "https", "mailto")


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def check_toc(case: tuple[str, bytes]) -> None:
    """Only DoclocError; problem lines inside the file; hrefs safe; nav titles escaped."""
    name, data = case
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    problems: list = []
    entries = toc.parse_toc(name, text, name, problems)
    last = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))  # YAML's line ends
    for problem in problems:
        if problem.line is not None and not 1 <= problem.line <= last:
            raise Violation("toc: problem line outside the file", f"{problem.line} > {last}")
    pages, stack = set(), list(entries)
    while stack:
        entry = stack.pop()
        stack.extend(entry.children)
        href = entry.href
        if href is not None:
            if not (_safe_link(href) and _safe_link(html_unescape(href))):
                raise Violation("toc: unsafe href kept", repr(href))
            if _SCHEME_OF.match(href) or href.startswith("//"):
                if url_scheme(href) in ("http", "https") and not _hostname(href):
                    raise Violation("toc: http link without a host kept", repr(href))
            elif ".." in href.split("/") or href.startswith("/"):
                raise Violation("toc: href outside the content kept", repr(href))
            if not _SCHEME_OF.match(href):
                pages.add(href if href.endswith(".md") else href.rstrip("/") + ".md")
    for title, target in _nav_items(toc.to_nav(entries, pages)):
        if "<" in title or '"' in title:
            raise Violation("toc: nav title not escaped", repr(title))
        if isinstance(target, str) and not _safe_link(target):
            raise Violation("toc: unsafe nav link", repr(target))


_SCHEME_OF = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def html_unescape(text: str) -> str:
    import html as html_mod

    return html_mod.unescape(text)


def _nav_items(nav: list):
    for item in nav:
        for title, target in item.items():
            yield title, target
            if isinstance(target, list):
                yield from _nav_items(target)


@functools.lru_cache(maxsize=1)
def _site_markdown():
    import markdown

    return markdown.Markdown(extensions=list(site.MARKDOWN_EXTENSIONS),
                             extension_configs={k: dict(v) for k, v in
                                                site.MARKDOWN_EXTENSIONS.items() if v})


def page_unsafe(html_text: str) -> list[str]:
    """What the page allowlist must never let through: a tag outside PAGE_TAGS, on*,
    an unsafe URL, a frame not from https."""
    import lxml.html

    if not html_text.strip():
        return []
    root = lxml.html.fragment_fromstring(html_text, create_parent="div")
    bad = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        tag = element.tag.lower()
        if tag not in page_html.PAGE_TAGS:
            bad.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name in ("srcdoc", "formaction", "action"):
                bad.append(f"<{tag} {name}=>")
            elif name in _URL_ATTRS:
                if not _safe_link(value):
                    bad.append(f"<{tag} {name}={value[:40]!r}>")
                if tag == "iframe" and name == "src" and url_scheme(value) != "https":
                    bad.append(f"<iframe src={value[:40]!r}>")
    return bad


def check_skeleton(case: tuple[bytes, list[tuple[int, str]]]) -> None:
    """A page with hostile skeleton markup: nothing unsafe once built; the check runs."""
    data, insertions = case
    try:
        text = sxs.decode(data, "fuzz.md")
    except DoclocError:
        return
    for at, token in insertions:  # outside segments: between parts, or in the text
        page, _ = sxs.parse(text, "fuzz.md")
        offsets, pos = [], 0
        for part in page.parts:
            pos += len(part) if isinstance(part, str) else len(part.raw)
            offsets.append(pos)
        cut = offsets[at % len(offsets)] if offsets else 0
        text = text[:cut] + "\n" + token + "\n" + text[cut:]
    page, _ = sxs.parse(text, "fuzz.md")
    page = replace(page, locale="fr-FR")
    last = text.count("\n") + 1
    for line, column, _message in page_checks.check_page_html(page, checks.Context("fr-FR")):
        if not (1 <= line <= last and column >= 1):
            raise Violation("page-html: finding outside the file", f"{line}:{column}")
    own = cat.translations(cat.page_catalog(page, "fuzz.md"))
    try:
        rendered = render.render_page(page, translations=own, marks=True)
    except DoclocError:
        return
    body = rendered.markdown.split("---\n", 2)[2] if rendered.markdown.startswith("---\n") \
        else rendered.markdown
    converter = _site_markdown()
    converter.reset()
    html_text = marks.expand_html(converter.convert(body))
    bad = page_unsafe(page_html.clean_page(html_text))
    if bad:
        kinds = sorted({re.sub(r"=.*>", "=>", b) for b in bad})
        raise Violation("skeleton: unsafe markup after clean_page: " + ", ".join(kinds),
                        ", ".join(sorted(set(bad)))[:300])


# -- the runner -------------------------------------------------------------------------------

@dataclass
class Crash:
    target: str
    kind: str
    message: str
    data: bytes
    trace: str
    saved: Path | None = None

    @property
    def signature(self) -> str:
        return hashlib.sha1(f"{self.target}|{self.kind}".encode()).hexdigest()[:10]


@dataclass
class Stats:
    tried: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TARGETS, 0))
    crashes: dict[str, list[Crash]] = field(default_factory=lambda: {t: [] for t in TARGETS})
    """One per kind, with its shrunk input."""
    hits: dict[str, int] = field(default_factory=dict)
    """How many inputs hit each kind (``target: kind``), the shrinking runs included."""
    seconds: float = 0.0

    def total_crashes(self) -> int:
        return sum(len(c) for c in self.crashes.values())


def _kind(exc: BaseException) -> str:
    """What identifies a crash: the exception type and where it was raised (or the property)."""
    if isinstance(exc, Violation):
        return exc.kind
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/pipeline/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].name}" if ours else "?"
    return f"{type(exc).__name__} in {where}"


def _encode_case(target: str, value) -> bytes:
    if isinstance(value, bytes):
        return value
    if target == "toc":
        value = [value[0], value[1].decode("utf-8", "surrogateescape")]
    elif target == "skeleton":
        value = [value[0].decode("utf-8", "surrogateescape"), value[1]]
    return json.dumps(value, ensure_ascii=True).encode()


def _render_case():
    return st.one_of(
        st.tuples(st.integers(0, 10_000), st.lists(MSGSTR, max_size=12)).map(lambda c: ("c", c)),
        st.one_of(mutated("pages"), generated_page()).map(lambda b: ("p", b)))


def _render_check(case) -> None:
    kind, value = case
    if kind == "c":
        check_render(value)
    else:
        check_render_any(value)


def _only_docloc_error(exc: Exception) -> bool:
    return isinstance(exc, DoclocError)


_RUNS: dict[str, tuple[Callable, Callable[[], st.SearchStrategy], Callable]] = {
    # target -> (property, its inputs, which exceptions are fine)
    "page": (check_page, lambda: PAGE_INPUTS, _only_docloc_error),
    "catalog": (check_catalog, lambda: CATALOG_INPUTS, _only_docloc_error),
    "render": (_render_check, _render_case, lambda exc: False),
    "toc": (check_toc, lambda: TOC_INPUTS, _only_docloc_error),
    "skeleton": (check_skeleton, lambda: SKELETON_INPUTS, lambda exc: False),
}


def _run_batch(target: str, stats: Stats, batch_seed: int, examples: int,
               out_dir: Path | None) -> None:
    prop, inputs, allowed = _RUNS[target]
    strategy = inputs()
    last: dict[str, object] = {}

    def body(value) -> None:
        stats.tried[target] += 1
        try:
            prop(value)
        except Exception as exc:  # noqa: BLE001 - the point of a fuzzer
            if allowed(exc):
                return
            kind = f"{target}: {_kind(exc)}"
            stats.hits[kind] = stats.hits.get(kind, 0) + 1
            if any(c.kind == _kind(exc) for c in stats.crashes[target]):
                return  # shrunk and saved once already: go on exploring
            last["value"], last["exc"] = value, exc
            last["trace"] = traceback.format_exc()
            raise

    test = seed(batch_seed)(settings(
        max_examples=examples, deadline=None, database=None, derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink])(given(strategy)(body)))
    try:
        test()
    except Exception:  # noqa: BLE001 - hypothesis re-raises the minimal failing example
        if "exc" not in last:
            return
        exc = last["exc"]
        value = last["value"]
        if target == "render":
            tag, value = value
            value = value if tag == "p" else {"page": render_pages()[
                value[0] % len(render_pages())][0], "msgstrs": value[1]}
        detail = str(exc)
        if isinstance(exc, Violation) and detail.startswith(exc.kind):
            detail = detail[len(exc.kind):].lstrip(": ")
        crash = Crash(target, _kind(exc), detail[:500], _encode_case(target, value),
                      str(last["trace"]))
        known = {c.kind for c in stats.crashes[target]}
        if crash.kind in known:
            return
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            crash.saved = out_dir / f"{target}-{crash.signature}.bin"
            crash.saved.write_bytes(crash.data)
            crash.saved.with_suffix(".txt").write_text(
                f"target: {target}\nkind: {crash.kind}\nmessage: {crash.message}\n"
                f"input (repr): {crash.data!r}\n\n{crash.trace}", encoding="utf-8")
        stats.crashes[target].append(crash)


def run(seconds: float, *, targets: tuple[str, ...] = TARGETS, out_dir: Path | None = CRASH_DIR,
        base_seed: int = 0, examples: int = 50, progress: Callable[[str], None] | None = None
        ) -> Stats:
    """Fuzz ``targets`` round-robin for about ``seconds``; return inputs tried and crashes."""
    stats = Stats()
    start = time.monotonic()
    deadline = start + seconds
    batch = 0
    render_pages()  # warm the baseline once, outside the clock of any target
    last_report = start
    while time.monotonic() < deadline:
        for target in targets:
            if time.monotonic() >= deadline:
                break
            _run_batch(target, stats, base_seed + batch, examples, out_dir)
        batch += 1
        if progress and time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            progress(summary(stats, time.monotonic() - start, short=True))
    stats.seconds = time.monotonic() - start
    return stats


def summary(stats: Stats, seconds: float, *, short: bool = False) -> str:
    lines = [f"fuzz: {seconds:.0f} s, {sum(stats.tried.values())} inputs tried, "
             f"{stats.total_crashes()} crashes"]
    for target in stats.tried:
        lines.append(f"  {target:8} {stats.tried[target]:>9} inputs  "
                     f"{len(stats.crashes[target])} crashes")
        if short:
            continue
        for crash in stats.crashes[target]:
            lines.append(f"    - {crash.kind} ({stats.hits.get(f'{target}: {crash.kind}', 1)}"
                         " inputs)")
            if crash.message:
                lines.append(f"      {crash.message[:200]}")
            lines.append(f"      minimal input: {crash.data[:300]!r}")
            if crash.saved:
                saved = crash.saved.relative_to(ROOT) if crash.saved.is_relative_to(ROOT) \
                    else crash.saved
                lines.append(f"      saved: {saved}")
    return "\n".join(lines)


def replay(path: Path) -> int:
    """Run a saved crashing input through its target again and show what happens."""
    target = path.name.split("-", 1)[0]
    data = path.read_bytes()
    if target == "render":
        try:
            case = json.loads(data)
        except ValueError:
            check = lambda: check_render_any(data)  # noqa: E731
        else:
            index = next(i for i, (name, _, _) in enumerate(render_pages())
                         if name == case["page"])
            check = lambda: check_render((index, case["msgstrs"]))  # noqa: E731
    elif target in ("toc", "skeleton"):
        case = json.loads(data)
        value = (case[0], case[1].encode("utf-8", "surrogatepass")) if target == "toc" else \
            (case[0].encode("utf-8", "surrogatepass"), [tuple(i) for i in case[1]])
        check = lambda: _RUNS[target][0](value)  # noqa: E731
    else:
        check = lambda: {"page": check_page, "catalog": check_catalog}[target](data)  # noqa: E731
    try:
        check()
    except DoclocError as exc:
        print(f"DoclocError (allowed): {exc}")
        return 0
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return 1
    print("no crash")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, help="run this many minutes")
    parser.add_argument("--seconds", type=float, help="run this many seconds (default 60)")
    parser.add_argument("--target", choices=TARGETS, action="append",
                        help="fuzz only this target (repeatable; default: all)")
    parser.add_argument("--seed", type=int, default=int(time.time()),
                        help="base seed of the batches (default: the clock)")
    parser.add_argument("--out", type=Path, default=CRASH_DIR,
                        help="where crashing inputs are saved")
    parser.add_argument("--replay", type=Path, metavar="FILE", help="re-run one saved input")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay)
    seconds = args.minutes * 60 if args.minutes else (args.seconds or 60)
    targets = tuple(args.target) if args.target else TARGETS
    print(f"fuzz: {', '.join(targets)} for {seconds:.0f} s, seed {args.seed}", flush=True)
    stats = run(seconds, targets=targets, out_dir=args.out, base_seed=args.seed,
                progress=lambda line: print(line, flush=True))
    print(summary(stats, stats.seconds), flush=True)
    return 1 if stats.total_crashes() else 0


if __name__ == "__main__":
    sys.exit(main())
