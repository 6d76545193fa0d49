"""Rendered pages -> one MkDocs build per language, assembled into one site.

The only module that talks to MkDocs: moving to Zensical (which reads the same
``mkdocs.yml``) is a change of this module alone.

1. Each language is its own MkDocs build (``site/<tag>/``), so each has its
   own search index with its own stemmer and its own 404 page. The user's
   ``mkdocs.yml`` is inherited (MkDocs' ``INHERIT``), never copied.
2. The language switcher and ``<link rel="alternate" hreflang>`` are per page
   (front matter ``docloc_alternates``, read by theme overrides shipped in
   ``pipeline/theme``), so the switcher leads to the same page and lists only
   the languages it exists in.
3. Material's ``navigation.prune`` keeps each page's HTML from growing with the
   size of the site (the whole navigation in every page makes builds quadratic).
4. Languages build in parallel processes, into a folder beside the site that
   replaces it only when every language succeeded: a failed or killed build
   leaves the previous site served.
5. ``SOURCE_DATE_EPOCH`` is fixed so that the same input gives the same bytes.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml

from .errors import DoclocError
from .files import write_atomic

THEME_DIR = Path(__file__).parent / "theme"

LANGUAGE_NAMES = {
    "en": "English", "fr": "Français", "de": "Deutsch", "es": "Español",
    "it": "Italiano", "pt": "Português", "nl": "Nederlands", "sv": "Svenska",
    "da": "Dansk", "fi": "Suomi", "nb": "Norsk", "pl": "Polski", "cs": "Čeština",
    "ru": "Русский", "uk": "Українська", "tr": "Türkçe", "ar": "العربية",
    "he": "עברית", "fa": "فارسی", "ja": "日本語", "zh": "中文", "ko": "한국어",
    "th": "ไทย", "vi": "Tiếng Việt", "hi": "हिन्दी", "id": "Bahasa Indonesia",
}
RTL = {"ar", "he", "fa", "ur"}
SEARCH_LANGUAGES = {"ar", "da", "de", "du", "es", "fi", "fr", "hi", "hu", "hy", "it",
                    "ja", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta",
                    "te", "th", "tr", "vi", "zh"}


def url_tag(locale: str) -> str:
    """``fr-FR`` -> ``fr-fr``: the folder of a language in the site, as Microsoft's URLs."""
    return locale.lower()


def language_name(locale: str) -> str:
    return LANGUAGE_NAMES.get(locale.split("-")[0].lower(), locale)


def page_url(uri: str) -> str:
    """A page's URL below its language root (``a/b.md`` -> ``a/b/``, ``index.md`` -> ``""``)."""
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


@dataclass(frozen=True)
class LanguageSite:
    """Everything one language's build needs."""

    locale: str
    pages: dict[str, str]
    """Page uri -> rendered markdown (with front matter)."""
    assets: dict[str, Path] = field(default_factory=dict)
    """Uri -> abs path of files to copy (images...)."""
    nav: list | None = None
    """MkDocs nav, or None for the folder structure."""
    source: bool = False
    """True for the source language."""

    @property
    def tag(self) -> str:
        return url_tag(self.locale)


def alternates(languages: Sequence[LanguageSite], exists: dict[str, set[str]],
               lang: LanguageSite, uri: str) -> list[dict]:
    """Switcher entries for one page: the same page in each language it exists in."""
    depth = page_url(uri).count("/")
    up = "../" * (depth + 1)
    out = []
    for other in languages:
        if uri in exists.get(other.locale, set()) or other.locale == lang.locale:
            out.append({"name": language_name(other.locale), "lang": other.locale.lower(),
                        "href": f"{up}{other.tag}/{page_url(uri)}"})
    return out


def _front_matter_insert(markdown: str, extra: dict) -> str:
    """Add keys to a page's YAML front matter (creating it if absent)."""
    text = yaml.safe_dump(extra, allow_unicode=True, sort_keys=True, width=10_000)
    if markdown.startswith("---\n"):
        return "---\n" + text + markdown[4:]
    return "---\n" + text + "---\n\n" + markdown


def _mkdocs_yaml(abs_mkdocs: Path | None, lang: LanguageSite, abs_docs: Path,
                 abs_out: Path, languages: Sequence[LanguageSite]) -> dict:
    base = {}
    if abs_mkdocs is not None and abs_mkdocs.is_file():
        try:
            base = yaml.load(abs_mkdocs.read_text(encoding="utf-8"), Loader=_Loader) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise DoclocError(f"not valid YAML: {exc}", str(abs_mkdocs),
                              mark.line + 1 if mark else None) from exc
    code = lang.locale.split("-")[0].lower()
    theme = base.get("theme") if isinstance(base.get("theme"), dict) else {"name": base.get("theme") or "material"}
    features = list(theme.get("features", [])) + ["navigation.prune"]
    plugins = []
    for plugin in base.get("plugins", ["search"]):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "search":
            plugin = {"search": {"lang": [code] if code in SEARCH_LANGUAGES else ["en"]}}
        plugins.append(plugin)
    if not any((p if isinstance(p, str) else next(iter(p))) == "search" for p in plugins):
        plugins.append({"search": {"lang": [code] if code in SEARCH_LANGUAGES else ["en"]}})
    extra = dict(base.get("extra") or {})
    extra.update({"alternate": True, "docloc": {
        "locale": lang.locale, "source": lang.source,
        "languages": [{"tag": other.tag, "name": language_name(other.locale)}
                      for other in languages]}})
    config = {
        "INHERIT": str(abs_mkdocs.resolve()) if abs_mkdocs is not None and abs_mkdocs.is_file() else None,
        "docs_dir": str(abs_docs.resolve()),
        "site_dir": str(abs_out.resolve()),
        "theme": {**theme, "language": code if code != "zh" else "zh",
                  "custom_dir": str(THEME_DIR), "features": sorted(set(features)),
                  **({"direction": "rtl"} if code in RTL else {})},
        "plugins": plugins,
        "extra": extra,
        "extra_css": list(base.get("extra_css", [])) + ["assets/docloc.css"],
        "extra_javascript": list(base.get("extra_javascript", [])) + ["assets/docloc.js"],
        "use_directory_urls": True,
    }
    if base.get("site_url"):
        config["site_url"] = base["site_url"].rstrip("/") + f"/{lang.tag}/"
    if lang.nav is not None:
        config["nav"] = lang.nav
    return {k: v for k, v in config.items() if v is not None}


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping ``!!python/name`` and ``!ENV`` tags as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def _build_one(args: tuple[str, str]) -> tuple[str, list[str]]:
    """Run one MkDocs build (in a worker process); return its warnings."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    abs_config, locale = args
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(f"{locale}: {record.getMessage()}")

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        config = load_config(abs_config)
        build(config)
    except Exception as exc:  # MkDocs' own errors: report, with the language
        raise DoclocError(f"MkDocs build of {locale} failed: {exc}", abs_config) from exc
    finally:
        logger.removeHandler(handler)
    return locale, messages


@dataclass
class SiteReport:
    languages: list[str] = field(default_factory=list)
    pages: int = 0
    written: int = 0
    warnings: list[str] = field(default_factory=list)


def build_site(languages: Sequence[LanguageSite], *, abs_mkdocs: Path | None,
               abs_site: Path, abs_work: Path, jobs: int = 2,
               epoch: int = 0) -> SiteReport:
    """Write each language's docs, build them all, then swap the result into ``abs_site``."""
    report = SiteReport()
    exists = {lang.locale: set(lang.pages) for lang in languages}
    staging = Path(tempfile.mkdtemp(prefix=f".{abs_site.name}.new-", dir=abs_site.parent))
    configs = []
    try:
        for lang in languages:
            abs_docs = abs_work / lang.tag / "docs"
            wanted = set()
            if "index.md" not in lang.pages:
                # Every language needs a home page: the logo and the switcher lead there.
                lang = _with_home(lang)
            for uri, markdown in sorted(lang.pages.items()):
                text = _front_matter_insert(markdown, {
                    "docloc_alternates": alternates(languages, exists, lang, uri)})
                wanted.add(uri)
                report.written += write_atomic(abs_docs / uri, text.encode("utf-8"))
            for uri, abs_path in sorted(lang.assets.items()):
                wanted.add(uri)
                write_atomic(abs_docs / uri, abs_path.read_bytes())
            for name in ("docloc.css", "docloc.js"):
                wanted.add(f"assets/{name}")
                write_atomic(abs_docs / "assets" / name, (THEME_DIR / "assets" / name).read_bytes())
            _remove_stale(abs_docs, wanted)
            config = _mkdocs_yaml(abs_mkdocs, lang, abs_docs, staging / lang.tag, languages)
            abs_config = abs_work / lang.tag / "mkdocs.yml"
            write_atomic(abs_config, yaml.safe_dump(config, allow_unicode=True,
                                                    sort_keys=True).encode("utf-8"))
            configs.append((str(abs_config), lang.locale))
            report.languages.append(lang.locale)
            report.pages += len(lang.pages)
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        if jobs > 1 and len(configs) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(_build_one, configs))
        else:
            results = [_build_one(c) for c in configs]
        for _, messages in results:
            report.warnings.extend(messages)
        _write_root(staging, languages, exists)
        _swap(staging, abs_site)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return report


def _with_home(lang: LanguageSite) -> LanguageSite:
    """The language with a generated home page listing its navigation (or every page)."""
    lines = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            for label, value in item.items():
                if isinstance(value, list):
                    lines.append(f"{'    ' * depth}- {label}")
                    walk(value, depth + 1)
                elif not re.match(r"^[a-z][a-z0-9+.-]*:", value):
                    lines.append(f"{'    ' * depth}- [{label}]({value})")
    if lang.nav:
        walk(lang.nav, 0)
    else:
        lines = [f"- [{uri[:-3]}]({uri})" for uri in sorted(lang.pages)]
    home = "---\ntitle: " + json.dumps(language_name(lang.locale)) + "\n---\n\n" + "\n".join(lines) + "\n"
    nav = ([{language_name(lang.locale): "index.md"}] + lang.nav) if lang.nav else None
    return LanguageSite(lang.locale, {**lang.pages, "index.md": home}, lang.assets, nav, lang.source)


def _remove_stale(abs_docs: Path, wanted: set[str]) -> None:
    if not abs_docs.is_dir():
        return
    for path in sorted(abs_docs.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(abs_docs).as_posix() not in wanted:
            path.unlink()


def _swap(staging: Path, abs_site: Path) -> None:
    """Put the new site in place: rename the old aside, the new in, then delete the old."""
    old = None
    if abs_site.exists():
        old = abs_site.with_name(f".{abs_site.name}.old-{os.getpid()}")
        os.replace(abs_site, old)
    os.replace(staging, abs_site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_root(staging: Path, languages: Sequence[LanguageSite],
                exists: dict[str, set[str]]) -> None:
    """``index.html`` choosing the reader's language, and ``sitemap.xml`` with hreflang."""
    source = next((lang for lang in languages if lang.source), languages[0])
    links = "\n".join(f'    <li><a href="{lang.tag}/" hreflang="{lang.locale.lower()}" '
                      f'lang="{lang.locale.lower()}">{language_name(lang.locale)}</a></li>'
                      for lang in languages)
    tags = json.dumps([lang.tag for lang in languages])
    index = f"""<!doctype html>
<html lang="{source.locale.lower()}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>Choose your language</title>
  <noscript><meta http-equiv="refresh" content="5; url={source.tag}/"></noscript>
  <script>
    (function () {{
      var tags = {tags};
      var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) {{ return l.toLowerCase(); }});
      for (var i = 0; i < wanted.length; i++) {{
        for (var j = 0; j < tags.length; j++) {{
          if (tags[j] === wanted[i] || tags[j].split("-")[0] === wanted[i].split("-")[0]) {{
            location.replace(tags[j] + "/"); return;
          }}
        }}
      }}
      location.replace("{source.tag}/");
    }})();
  </script>
</head>
<body>
  <h1>Choose your language</h1>
  <ul>
{links}
  </ul>
</body>
</html>
"""
    (staging / "index.html").write_text(index, encoding="utf-8")
    entries = []
    for uri in sorted(set().union(*exists.values())):
        present = [lang for lang in languages if uri in exists[lang.locale]]
        for lang in present:
            alts = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang="{o.locale.lower()}" '
                f'href="{o.tag}/{page_url(uri)}"/>' for o in present)
            entries.append(f"  <url>\n    <loc>{lang.tag}/{page_url(uri)}</loc>{alts}\n  </url>")
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n")
    (staging / "sitemap.xml").write_text(sitemap, encoding="utf-8")


_HREF = re.compile(r'\s(?:href|src)="([^"#?]*)(?:\?[^"#]*)?(#[^"]*)?"')
_ID = re.compile(r'\s(?:id|name)="([^"]+)"')
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def check_links(abs_site: Path, locale_tags: Sequence[str]) -> dict[str, list[str]]:
    """Broken links and anchors in page content, per language: ``page -> target#anchor``.

    Only the article is checked (navigation is generated, hence consistent), and
    with string operations on a set of the site's files: resolving paths on disk
    for every link made this the slowest step of a build.
    """
    broken: dict[str, list[str]] = {}
    for tag in locale_tags:
        root = abs_site / tag
        files = {Path(d, f).relative_to(root).as_posix()
                 for d, _, names in os.walk(root) for f in names}
        texts: dict[str, str] = {}
        ids: dict[str, set[str]] = {}

        def read(uri: str) -> str:
            if uri not in texts:
                texts[uri] = (root / uri).read_text(encoding="utf-8", errors="replace")
            return texts[uri]

        def ids_of(uri: str) -> set[str]:
            if uri not in ids:
                ids[uri] = {html.unescape(i) for i in _ID.findall(read(uri))}
            return ids[uri]

        found = []
        for uri in sorted(files):
            if not uri.endswith(".html") or uri == "404.html":
                continue
            article = _ARTICLE.search(read(uri))
            if article is None:
                continue
            base = posixpath.dirname(uri)
            for target, anchor in _HREF.findall(article.group(0)):
                target, anchor = html.unescape(target), html.unescape(anchor)
                if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I) or target.startswith("/"):
                    continue
                dest = posixpath.normpath(posixpath.join(base, target)) if target else uri
                if dest not in files and f"{dest}/index.html" in files:
                    dest = f"{dest}/index.html"
                elif dest == ".":
                    dest = "index.html"
                if dest not in files:
                    found.append(f"{uri} -> {target}{anchor}")
                elif len(anchor) > 1 and dest.endswith(".html") and anchor[1:] not in ids_of(dest):
                    found.append(f"{uri} -> {target}{anchor}")
        broken[tag] = sorted(set(found))
    return broken
