#!/usr/bin/env python3
"""Fuzz docloc's page reader, catalog loader and renderer (hypothesis-driven).

    python scripts/fuzz.py --minutes 10            # every target, 10 minutes in all
    python scripts/fuzz.py --seconds 60 --target page
    python scripts/fuzz.py --replay bench-out/fuzz-crashes/page-1a2b3c4d.bin

Targets and the property each must keep:

``page``
    ``sxs.decode`` + ``sxs.parse`` on any bytes: only ``DoclocError`` escapes,
    joining the parts gives the text back byte for byte, every problem has a
    line inside the file; the page's catalog, written with ``catalog.dumps``,
    reads back with ``catalog.loads`` and applying it gives the page back
    byte for byte (what ``extract`` + ``export`` promise).
``catalog``
    ``catalog.load`` on any bytes: only ``DoclocError``; a catalog that loads
    is written back by ``catalog.dumps`` to text that loads again and has one
    ``msgid ""`` only (the header; ``msgfmt -c`` rejects a second one).
``render``
    ``render.render_page`` with any msgstr on the pages of ``content/`` (and on
    mutated pages): no exception; the markdown, converted by Python-Markdown
    with attr_list, md_in_html, admonition and tables, has no tag outside a
    safe list (markdown's own, ``contain.SAFE_TAGS`` and those the page renders
    to with its own translations), no ``on*`` or ``style`` attribute and no URL
    with a scheme other than http(s)/mailto; the front matter stays YAML.

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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline import catalog as cat  # noqa: E402
from pipeline import contain, render, sxs  # noqa: E402
from pipeline.errors import DoclocError  # noqa: E402

CRASH_DIR = ROOT / "bench-out" / "fuzz-crashes"
TARGETS = ("page", "catalog", "render")
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
    return {"pages": pages, "catalogs": catalogs or [b'msgid ""\nmsgstr ""\n'],
            "texts": texts or [b"text"]}


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
                                   "truncate")))
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
    po = cat.dumps(cat.page_catalog(page, "fuzz.md"))
    try:
        back = cat.loads(po, "fuzz.po")
    except DoclocError as exc:
        raise Violation("catalog written by dumps does not load: " + _gist(exc), str(exc)) from exc
    if cat.apply(page, cat.translations(back)).bilingual() != text:
        raise Violation("page -> catalog -> page is not byte-identical")


def check_catalog(data: bytes) -> None:
    """Only DoclocError; what loads is written back to text that loads again."""
    try:
        catalog = cat.load(data, "fuzz.po")
    except DoclocError:
        return
    text = cat.dumps(catalog)
    try:
        cat.loads(text, "fuzz-again.po")
    except DoclocError as exc:
        raise Violation("a catalog that loads, once dumped, does not load: " + _gist(exc),
                        str(exc)) from exc
    headers = re.findall(r'^(?:#~ )?msgid ""\n(?:#~ )?msgstr', text, re.M)
    if len(headers) != 1:  # msgfmt -c: "duplicate message definition"
        raise Violation("a catalog that loads is dumped with more than one msgid \"\"",
                        f"{len(headers)} of them")


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
