"""One language's MkDocs build: what it is made of (``LanguageSite``) and its configuration.

The configuration is derived from the project's ``mkdocs.yml`` (its base config), with
the Markdown extensions docloc's pages need and the settings of the language (theme
language and direction, search stemmer, switcher, navigation).

1. Each language is its own MkDocs build (``site/<tag>/``), so each has its
   own search index with its own stemmer and its own 404 page. The user's
   ``mkdocs.yml`` is inherited (MkDocs' ``INHERIT``), never copied.
2. The language switcher is per page (front matter ``docloc_alternates``, read
   by theme overrides shipped in ``pipeline/theme``), so it leads to the same
   page and lists only the languages it exists in (hreflang: ``rootpage``).
3. Material's ``navigation.prune`` keeps each page's HTML from growing with the
   size of the site (the whole navigation in every page makes builds quadratic).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable, Mapping, Sequence, TypedDict

import yaml

from . import l10n
from .errors import DoclocError
from .toc import NavEntry

THEME_DIR = Path(__file__).parent / "theme"
ASSETS = tuple(sorted(p.name for p in (THEME_DIR / "assets").iterdir() if p.suffix in (".css", ".js")))
"""The stylesheets and scripts every built page loads (docloc.css, docfx.js, ...)."""

MARKDOWN_EXTENSIONS = {
    "admonition": {}, "attr_list": {}, "md_in_html": {}, "tables": {}, "toc": {},
    "pymdownx.superfences": {}, "pymdownx.details": {},
    "pymdownx.tabbed": {"alternate_style": True},
}
"""The Markdown extensions the pages docloc renders rely on (alerts, notices, DocFX
tabs, attributes on spans), added to every build whatever the project's ``mkdocs.yml``
says; the project's own settings of one of them win."""

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


NavItem = str | Mapping[str, "str | Sequence[NavItem]"]
"""An entry of a MkDocs ``nav``: a page uri, or ``{title: page uri}``, or ``{title: [entries]}``
(docloc's own navigation, ``toc.NavEntry``, is one of these)."""

Config = dict[str, Any]
"""A MkDocs configuration (the project's ``mkdocs.yml``, or one language's)."""


class Alternate(TypedDict):
    """An entry of a page's language switcher (front matter ``docloc_alternates``)."""

    name: str
    lang: str
    href: str


def default_site_name(abs_content: Path, titles: Sequence[str] | None = None) -> str:
    """A site name for a project without one: ``_appTitle`` of the first ``docfx.json``
    (DocFX's own site title), else the name of the folder holding the docset.

    ``titles``: the docsets' ``_appTitle``s, shallowest first, as the build read them
    (the content folder is then not searched again)."""
    if titles is None:
        found: list[object] = []
        for abs_docfx in sorted(abs_content.rglob("docfx.json"), key=lambda p: (len(p.parts), p)):
            try:
                meta = json.loads(abs_docfx.read_text(encoding="utf-8-sig")).get("build", {})
                found.append((meta.get("globalMetadata") or {}).get("_appTitle"))
            except (OSError, ValueError, AttributeError):
                continue
        titles = [t for t in found if isinstance(t, str)]
    for title in titles:
        if title.strip():
            return title.strip()
    folder = abs_content.resolve()
    return (folder.parent if folder.name == "content" else folder).name or "Documentation"


def url_tag(locale: str) -> str:
    """``fr-FR`` -> ``fr-fr``: the folder of a language in the site, as Microsoft's URLs."""
    return locale.lower()


def language_name(locale: str) -> str:
    return LANGUAGE_NAMES.get(locale.split("-")[0].lower(), locale)


def page_url(uri: str) -> str:
    """A page's URL below its language root (``a/b.md`` -> ``a/b/``, ``index.md`` -> ``""``,
    ``a/README.md`` -> ``a/readme/``: see ``docloc_hooks.on_files``)."""
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    if stem == "README" or stem.endswith("/README"):
        return stem[:-6] + "readme/"
    return stem + "/"


@dataclass(frozen=True)
class LanguageSite:
    """Everything one language's build needs."""

    locale: str
    pages: dict[str, str]
    """Page uri -> rendered markdown (with front matter)."""
    assets: dict[str, Path] = field(default_factory=dict)
    """Uri -> abs path of files to copy (images...)."""
    nav: list[NavEntry] | None = None
    """MkDocs nav, or None for the folder structure."""
    source: bool = False
    """True for the source language."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Uri -> generated bytes (coverage badge...)."""
    stand_ins: frozenset[str] = frozenset()
    """Pages built from the source because the locale lacks them: not offered as alternates."""
    trust_content: bool = False
    """Publish the pages' own markup as it is (``trust_content``); else the hook sanitizes it."""
    site_name: str = ""
    """The site's name when the project's mkdocs.yml gives none (``default_site_name``)."""
    bases: dict[str, str] = field(default_factory=dict)
    """Where docsets are published (``/windows/mixed-reality/``) -> their folder uri:
    site-root links into them are made links to the pages here (``docloc_hooks``)."""
    docsets: tuple[str, ...] = ()
    """Folder uris holding a ``docfx.json``: where ``~/`` links start (``docloc_hooks``)."""

    @property
    def tag(self) -> str:
        return url_tag(self.locale)


def alternates(languages: Sequence[LanguageSite], exists: dict[str, set[str]],
               lang: LanguageSite, uri: str) -> list[Alternate]:
    """Switcher entries for one page: the same page in each language it exists in."""
    depth = page_url(uri).count("/")
    up = "../" * (depth + 1)
    out: list[Alternate] = []
    for other in languages:
        if uri in exists.get(other.locale, set()) or other.locale == lang.locale:
            out.append({"name": language_name(other.locale), "lang": other.locale.lower(),
                        "href": f"{up}{other.tag}/{page_url(uri)}"})
    return out


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def yaml_lists(data: Mapping[str, Sequence[Mapping[str, object]]]) -> str:
    """YAML for keys holding lists of string mappings, strings JSON-quoted (valid YAML).

    Written by hand: PyYAML's dumper took a third of a rebuild of a few changed pages.
    """
    lines = []
    for key, items in sorted(data.items()):
        lines.append(f"{key}:" if items else f"{key}: []")
        for item in items:
            lead = "- "
            for name, value in sorted(item.items(), key=lambda pair: pair[0]):
                quoted = json.dumps(value, ensure_ascii=False)
                if _YAML_UNSAFE.search(quoted):  # what YAML reads as a line break or refuses
                    quoted = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
                lines.append(f"{lead}{name}: {quoted}")
                lead = "  "
    return "\n".join(lines) + "\n"


def front_matter_insert(markdown: str, extra: Mapping[str, Sequence[Mapping[str, object]]]
                        ) -> str:
    """Add keys to a page's YAML front matter (creating it if absent)."""
    text = yaml_lists(extra)
    if markdown.startswith("---\n"):
        return "---\n" + text + markdown[4:]
    return "---\n" + text + "---\n\n" + markdown


def base_config(abs_mkdocs: Path | None) -> Config:
    """The project's mkdocs.yml as a dict (empty without one)."""
    if abs_mkdocs is None or not abs_mkdocs.is_file():
        return {}
    try:
        base = yaml.load(abs_mkdocs.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DoclocError(f"not valid YAML: {exc}", str(abs_mkdocs),
                          mark.line + 1 if mark else None) from exc
    if not isinstance(base, dict):
        raise DoclocError("not a MkDocs configuration (a mapping of settings is expected)",
                          str(abs_mkdocs))
    return base


def mkdocs_yaml(abs_mkdocs: Path | None, lang: LanguageSite, abs_docs: Path,
                abs_out: Path, languages: Sequence[LanguageSite], stamp: str = "",
                base: Config | None = None) -> Config:
    """One language's MkDocs configuration; ``base`` is the project's (read once a build)."""
    base = base_config(abs_mkdocs) if base is None else base
    code = lang.locale.split("-")[0].lower()
    given = base.get("theme")
    theme: dict[str, Any] = given if isinstance(given, dict) else {"name": given or "material"}
    features = list(theme.get("features", [])) + ["navigation.prune", "content.tabs.link"]
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
        "locale": lang.locale, "source": lang.source, "stamp": stamp,
        "trust_content": lang.trust_content,
        "strings": {"read_in_english": l10n.ui(code)["read_in_english"]},
        "languages": [{"tag": other.tag, "name": language_name(other.locale),
                       "back": l10n.ui(other.locale.split("-")[0].lower())["back"].format(
                           name=language_name(other.locale))}
                      for other in languages]},
        "docloc_bases": dict(sorted(lang.bases.items())),
        "docloc_docsets": sorted(lang.docsets, key=lambda root: (-len(root), root))})
    config = {
        "INHERIT": str(abs_mkdocs.resolve()) if abs_mkdocs is not None and abs_mkdocs.is_file() else None,
        "docs_dir": str(abs_docs.resolve()),
        "site_dir": str(abs_out.resolve()),
        "theme": {**theme, "language": code if code != "zh" else "zh",
                  "custom_dir": str(THEME_DIR), "features": sorted(set(features)),
                  **({"direction": "rtl"} if code in RTL else {})},
        "plugins": plugins,
        # The project's hooks (relative to its mkdocs.yml), then docloc's.
        "hooks": [str((abs_mkdocs.parent / hook).resolve()) for hook in base.get("hooks") or []
                  if abs_mkdocs is not None]  # (a base config comes from an mkdocs.yml)
        + [str(Path(__file__).with_name("docloc_hooks.py"))],
        "extra": extra,
        "extra_css": list(base.get("extra_css", [])) + [f"assets/{n}" for n in ASSETS if n.endswith(".css")],
        "extra_javascript": list(base.get("extra_javascript", []))
        + [f"assets/{n}" for n in ASSETS if n.endswith(".js")],
        "use_directory_urls": True,
    }
    if not base.get("site_name"):
        config["site_name"] = lang.site_name or "Documentation"
    if base.get("site_url"):
        config["site_url"] = base["site_url"].rstrip("/") + f"/{lang.tag}/"
    if lang.nav is not None:
        config["nav"] = bounded_nav(lang.nav)
    elif any(len(items) > NAV_SIBLINGS for items in _folders(lang.pages).values()):
        config["nav"] = bounded_nav(_folder_nav(lang.pages))
    return {k: v for k, v in config.items() if v is not None}


NAV_SIBLINGS = 50
"""Most entries one level of the navigation shows: longer lists are grouped."""


def bounded_nav(items: Sequence[NavItem]) -> list[NavItem]:
    """The navigation with every list of more than ``NAV_SIBLINGS`` entries cut into
    groups ("Alpha – Delta"), so a page carries a bounded number of links whatever
    the size of its section (the nav partial renders the siblings along its path)."""
    bounded: list[NavItem] = [
        {k: bounded_nav(v) if isinstance(v, list) else v for k, v in item.items()}
        if isinstance(item, dict) else item for item in items]
    if len(bounded) <= NAV_SIBLINGS:
        return bounded

    def label(item: NavItem) -> str:
        if isinstance(item, dict):
            return str(next(iter(item)))
        return posixpath.splitext(posixpath.basename(str(item)))[0]
    groups = [bounded[i:i + NAV_SIBLINGS] for i in range(0, len(bounded), NAV_SIBLINGS)]
    return bounded_nav([{f"{label(g[0])} – {label(g[-1])}": g} for g in groups])


def _folders(pages: Iterable[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for uri in pages:
        found.setdefault(posixpath.dirname(uri), []).append(uri)
    return found


def _folder_nav(pages: Collection[str]) -> list[NavItem]:
    """MkDocs' own navigation (folders as sections, index first, pages titled by their
    own titles), written out so it can be bounded."""
    def level(prefix: str) -> list[NavItem]:
        here = sorted((u for u in pages if posixpath.dirname(u) == prefix),
                      key=lambda u: (posixpath.basename(u) != "index.md", u))
        subs = sorted({u[len(prefix):].lstrip("/").split("/")[0] for u in pages
                       if u.startswith(prefix) and posixpath.dirname(u) != prefix
                       and (not prefix or u.startswith(prefix + "/"))})
        out: list[NavItem] = list(here)
        for sub in subs:
            path = posixpath.join(prefix, sub) if prefix else sub
            out.append({sub.replace("-", " ").replace("_", " ").capitalize(): level(path)})
        return out
    return level("")


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping ``!!python/name`` and ``!ENV`` tags as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


_DUMPED: dict[str, bytes] = {}


def dump_yaml(config: Config) -> bytes:
    """The YAML of a language's MkDocs config; the same config again costs no dumping
    (PyYAML's emitter took a third of serve's rebuild of one page on a big site)."""
    key = json.dumps(config, sort_keys=True, ensure_ascii=False, default=str)
    if key not in _DUMPED:
        if len(_DUMPED) > 64:
            _DUMPED.clear()
        _DUMPED[key] = yaml.safe_dump(config, allow_unicode=True, sort_keys=True).encode("utf-8")
    return _DUMPED[key]


_CODE_STAMP: list[bytes] = []


def build_stamp(abs_mkdocs: Path | None) -> str:
    """What, besides the docs, decides a language's HTML: the base config, our theme and
    the code MkDocs runs (the hooks and what they import: a changed hook builds again)."""
    if not _CODE_STAMP:
        code = hashlib.sha1()
        for path in sorted(Path(__file__).parent.glob("*.py")):
            code.update(path.read_bytes())
        _CODE_STAMP.append(code.digest())
    digest = hashlib.sha1(__import__("pipeline").__version__.encode() + _CODE_STAMP[0])
    if abs_mkdocs is not None and abs_mkdocs.is_file():
        digest.update(abs_mkdocs.read_bytes())
    for path in sorted(THEME_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
