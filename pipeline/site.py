"""Rendered pages -> one MkDocs build per language, assembled into one site.

The only module that talks to MkDocs: moving to Zensical (which reads the same
``mkdocs.yml``) is a change of this module alone.

1. Each language is its own MkDocs build (``site/<tag>/``), so each has its
   own search index with its own stemmer and its own 404 page. The user's
   ``mkdocs.yml`` is inherited (MkDocs' ``INHERIT``), never copied.
2. The language switcher is per page (front matter ``docloc_alternates``, read
   by theme overrides shipped in ``pipeline/theme``), so it leads to the same
   page and lists only the languages it exists in. hreflang is in the root
   ``sitemap.xml`` (absolute URLs, with ``site_url``), not in each page's head:
   Material fetches ``sitemap.xml`` below every ``<link rel="alternate">``.
3. Material's ``navigation.prune`` keeps each page's HTML from growing with the
   size of the site (the whole navigation in every page makes builds quadratic).
4. Languages build in parallel processes, each into a folder beside the
   site that replaces the language's folder only when complete: a failed or
   killed build leaves the previous pages served. A language whose docs and
   configuration did not change is not built again, nor touched.
5. ``SOURCE_DATE_EPOCH`` is fixed so that the same input gives the same bytes.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable, Mapping, Sequence, TypedDict
from urllib.parse import unquote

import yaml

from . import l10n
from .errors import DoclocError
from .files import project_lock, remove_leftovers, write_atomic
from .toc import NavEntry

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

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


WORK_FOLDER = ".docloc-work"
"""Beside the site: each site's rendered docs, MkDocs configurations and memos
(``.docloc-work/<site>/``), never committed (it holds its own ``.gitignore``)."""


def work_folder(abs_site: Path) -> Path:
    """The work folder of the site at ``abs_site``, created with its ``.gitignore``."""
    top = abs_site.parent / WORK_FOLDER
    top.mkdir(parents=True, exist_ok=True)
    write_atomic(top / ".gitignore", b"# docloc's work folder: rebuilt by any docloc build\n*\n")
    return top / abs_site.name


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


def _yaml_lists(data: Mapping[str, Sequence[Mapping[str, object]]]) -> str:
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


def _front_matter_insert(markdown: str, extra: Mapping[str, Sequence[Mapping[str, object]]]
                         ) -> str:
    """Add keys to a page's YAML front matter (creating it if absent)."""
    text = _yaml_lists(extra)
    if markdown.startswith("---\n"):
        return "---\n" + text + markdown[4:]
    return "---\n" + text + "---\n\n" + markdown


def _base_config(abs_mkdocs: Path | None) -> Config:
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


def _mkdocs_yaml(abs_mkdocs: Path | None, lang: LanguageSite, abs_docs: Path,
                 abs_out: Path, languages: Sequence[LanguageSite], stamp: str = "",
                 base: Config | None = None) -> Config:
    """One language's MkDocs configuration; ``base`` is the project's (read once a build)."""
    base = _base_config(abs_mkdocs) if base is None else base
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


def _build_dirty(abs_config: str, locale: str, epoch: int, abs_live: Path) -> list[str]:
    """Build a language's changed pages into its published folder (MkDocs' dirty build).

    MkDocs rebuilds the pages whose docs are newer than their HTML; Material then
    writes a search index of those pages alone, so the index is merged here:
    the previous entries of every other page, then the new ones, as Material
    itself does when it serves a dirty build.
    """
    from mkdocs.config import load_config

    index = abs_live / "search" / "search_index.json"
    try:
        before = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = None
    # Resolved: MkDocs takes a relative site_dir from the config file's folder.
    _, messages = _build_one((abs_config, locale, epoch),
                             lambda: load_config(abs_config, site_dir=str(abs_live.resolve())),
                             dirty=True)
    if before is not None:
        after = json.loads(index.read_text(encoding="utf-8"))
        fresh = {doc["location"].partition("#")[0] for doc in after["docs"]}
        after["docs"] = [doc for doc in before["docs"]
                         if doc["location"].partition("#")[0] not in fresh] + after["docs"]
        write_atomic(index, json.dumps(after, separators=(",", ":"), default=str).encode())
    return [m for m in messages if "dirty" not in m.lower()]


_DUMPED: dict[str, bytes] = {}


def _dump_yaml(config: Config) -> bytes:
    """The YAML of a language's MkDocs config; the same config again costs no dumping
    (PyYAML's emitter took a third of serve's rebuild of one page on a big site)."""
    key = json.dumps(config, sort_keys=True, ensure_ascii=False, default=str)
    if key not in _DUMPED:
        if len(_DUMPED) > 64:
            _DUMPED.clear()
        _DUMPED[key] = yaml.safe_dump(config, allow_unicode=True, sort_keys=True).encode("utf-8")
    return _DUMPED[key]


def _warm() -> None:
    """Import what every MkDocs build needs, while the parent is still rendering."""
    import markdown.extensions.toc  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401
    from mkdocs.plugins import get_plugins

    get_plugins()  # the entry-point scan, cached for the builds


class BuildPool:
    """Worker processes for the MkDocs builds, started (and warmed up) early.

    ``docloc build`` opens one before reading anything, so the workers import
    MkDocs and its theme on the other core while the parent extracts, checks
    and renders; each language is submitted as soon as its docs are written.
    With ``jobs`` 1 the builds run in this process, one after the other.
    """

    def __init__(self, jobs: int, *, warm: bool = False) -> None:
        self.executor = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
        if self.executor is not None and warm:
            for _ in range(jobs):
                self.executor.submit(_warm)

    def submit(self, args: tuple[str, str, int]) -> Future[tuple[str, list[str]]]:
        if self.executor is not None:
            return self.executor.submit(_build_one, args)
        done: Future[tuple[str, list[str]]] = Future()
        try:
            done.set_result(_build_one(args))
        except BaseException as exc:  # noqa: BLE001 (handed to the caller, as a pool does)
            done.set_exception(exc)
        return done

    def __enter__(self) -> "BuildPool":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


_README_EXCLUDED = re.compile(r"Excluding '(?:[^']*/)?README\.md' from the site because it conflicts")
"""MkDocs' word on a README.md beside an index.md, which docloc publishes all the same."""


def _build_one(args: tuple[str, str, int], load: Callable[[], MkDocsConfig] | None = None,
               *, dirty: bool = False) -> tuple[str, list[str]]:
    """Run one MkDocs build (in a worker process); return its warnings."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    abs_config, locale, epoch = args
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)  # workers may predate the caller's setting
    messages: list[str] = []

    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())
            elif record.levelno >= logging.WARNING and not _README_EXCLUDED.match(record.getMessage()):
                messages.append(f"{locale}: {record.getMessage()}")

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        config = load() if load is not None else load_config(abs_config)
        build(config, dirty=dirty)
    except Exception as exc:  # MkDocs' own errors: report its reasons, with the language
        reasons = "; ".join(dict.fromkeys(e.strip() for e in errors if e.strip())) or str(exc)
        raise DoclocError(f"MkDocs build of {locale} failed: {reasons}; fix the project's "
                          "mkdocs.yml (docloc derives each language's build from it)",
                          _blamed(abs_config)) from exc
    finally:
        logger.removeHandler(handler)
    return locale, messages


def _blamed(abs_config: str) -> str:
    """The project's mkdocs.yml that a language's derived configuration inherits, if any."""
    try:
        inherited = yaml.safe_load(Path(abs_config).read_text(encoding="utf-8")).get("INHERIT")
    except (OSError, yaml.YAMLError, AttributeError):
        inherited = None
    return inherited or abs_config


Written = dict[tuple[str, str], bytes]
"""(language tag, docs uri) -> the bytes last written there (``build_site``'s ``written``)."""


@dataclass
class SiteReport:
    languages: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    """Languages whose docs changed and were built again (the others were left alone)."""
    pages: int = 0
    written: int = 0
    warnings: list[str] = field(default_factory=list)


def build_site(languages: Sequence[LanguageSite], *, abs_mkdocs: Path | None,
               abs_site: Path, abs_work: Path, jobs: int = 2, epoch: int = 0,
               exists: dict[str, set[str]] | None = None, root: bool = True,
               source_locale: str | None = None, pool: BuildPool | None = None,
               quick: bool = False, written: Written | None = None,
               progress: Callable[[str, int, int, str], None] | None = None) -> SiteReport:
    """Write each language's docs, rebuild the languages whose docs changed, swap them in.

    ``exists`` (locale -> page uris) covers languages not built in this run (a
    ``--locale`` build); ``root`` writes ``index.html`` and ``sitemap.xml``.
    ``quick`` (``docloc serve``): a changed language whose settings and
    navigation are those of its published build gets its changed pages built
    in place (``_build_dirty``); the next full build builds it again. ``written``
    ((tag, uri) -> bytes), kept by the caller, spares reading back unchanged docs.
    Two builds of the same site never interleave: the second refuses.
    """
    with project_lock(abs_work, "build"):
        remove_leftovers(abs_work)  # a killed build's temporaries (we hold the lock)
        return _build_site(languages, abs_mkdocs=abs_mkdocs, abs_site=abs_site,
                           abs_work=abs_work, jobs=jobs, epoch=epoch, exists=exists, root=root,
                           source_locale=source_locale, pool=pool, quick=quick,
                           written=written, progress=progress)


MkDocsJob = tuple[str, str, int]
"""One MkDocs build for ``BuildPool``: (its mkdocs.yml, the locale, SOURCE_DATE_EPOCH)."""
InPlaceJob = tuple[str, str, int, Path]
"""A ``MkDocsJob`` of the changed pages only, with the published language it updates."""
Changed = tuple[LanguageSite, Path, str, tuple[Path, str]]
"""A language built aside: (it, its published.sha1, the digest to record there,
(its published-config.sha1, the digest of its settings))."""


def _build_site(languages: Sequence[LanguageSite], *, abs_mkdocs: Path | None,
                abs_site: Path, abs_work: Path, jobs: int, epoch: int,
                exists: dict[str, set[str]] | None, root: bool,
                source_locale: str | None, pool: BuildPool | None,
                quick: bool = False, written: Written | None = None,
                progress: Callable[[str, int, int, str], None] | None = None) -> SiteReport:
    report = SiteReport()
    exists = dict(exists or {})
    exists.update({lang.locale: set(lang.pages) - lang.stand_ins for lang in languages})
    source = source_locale or next((lang.locale for lang in languages if lang.source), None)
    everyone = [LanguageSite(locale, {}, source=locale == source)
                for locale in sorted(exists, key=lambda l: (l != source, l))]
    stamp = _stamp(abs_mkdocs)
    base = _base_config(abs_mkdocs)  # read once for every language
    site_url = base.get("site_url") or None
    builds: list[MkDocsJob] = []
    changed: list[Changed] = []
    in_place: list[InPlaceJob] = []
    for lang in languages:
        abs_docs = abs_work / lang.tag / "docs"
        if "index.md" not in lang.pages:
            # Every language needs a home page: the logo and the switcher lead there.
            lang = _with_home(lang)
        wanted = _docs_files(lang, everyone, exists)
        report.written += _write_docs(abs_docs, lang.tag, wanted, written)
        _remove_stale(abs_docs, set(wanted))
        config = _mkdocs_yaml(abs_mkdocs, lang, abs_docs, abs_work / lang.tag / "site",
                              everyone, stamp, base)
        abs_config = abs_work / lang.tag / "mkdocs.yml"
        config_bytes = _dump_yaml(config)
        write_atomic(abs_config, config_bytes)
        report.languages.append(lang.locale)
        report.pages += len(lang.pages)
        # What the published language was built from, recorded once it is in place:
        # a build interrupted at any point is redone by the next one.
        digest = _docs_digest(config_bytes, wanted)
        built = abs_work / lang.tag / "published.sha1"
        live = abs_site / lang.tag
        if _up_to_date(live, built, digest):
            continue
        settings = abs_work / lang.tag / "published-config.sha1"
        config_digest = hashlib.sha1(config_bytes).hexdigest()
        if quick and _in_place_possible(live, settings, config_digest):
            in_place.append((str(abs_config), lang.locale, epoch, live))
            built.unlink(missing_ok=True)  # a preview now: the next full build redoes it
            continue
        builds.append((str(abs_config), lang.locale, epoch))
        changed.append((lang, built, digest, (settings, config_digest)))
    for _, messages in _run_builds(builds, pool=pool, jobs=jobs, progress=progress):
        report.warnings.extend(messages)
    for args in in_place:
        report.warnings.extend(_build_dirty(*args))
    _swap_in(changed, abs_site=abs_site, abs_work=abs_work, exists=exists, site_url=site_url)
    report.rebuilt = [lang.locale for lang, *_ in changed] + [args[1] for args in in_place]
    if root:
        write_root(abs_site, exists, source=source, site_url=site_url)
    return report


def _docs_files(lang: LanguageSite, everyone: Sequence[LanguageSite],
                exists: dict[str, set[str]]) -> dict[str, bytes]:
    """Docs uri -> bytes of a language's docs folder: pages (with their alternates), assets
    and files of the language, then the theme's stylesheets and scripts."""
    wanted = {}
    for uri, markdown in lang.pages.items():
        wanted[uri] = _front_matter_insert(markdown, {
            "docloc_alternates": alternates(everyone, exists, lang, uri)}).encode("utf-8")
    for uri, abs_path in lang.assets.items():
        wanted[uri] = abs_path.read_bytes()
    wanted.update(lang.files)
    for name in ASSETS:
        wanted[f"assets/{name}"] = (THEME_DIR / "assets" / name).read_bytes()
    return wanted


def _write_docs(abs_docs: Path, tag: str, wanted: Mapping[str, bytes],
                written: Written | None) -> int:
    """Write the docs that changed; return how many files were written."""
    count = 0
    for uri, data in sorted(wanted.items()):
        # A long-running caller remembers what it wrote: those files are not read again.
        if written is None or written.get((tag, uri)) != data:
            count += write_atomic(abs_docs / uri, data)
            if written is not None:
                written[(tag, uri)] = data
    return count


def _docs_digest(config_bytes: bytes, wanted: Mapping[str, bytes]) -> str:
    """The digest of what a language is built from: its mkdocs.yml and its docs."""
    digest = hashlib.sha1(config_bytes)
    for uri, data in sorted(wanted.items()):
        digest.update(f"\0{uri}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _up_to_date(live: Path, built: Path, digest: str) -> bool:
    """Whether the published language was built from exactly this (``digest``)."""
    return live.is_dir() and built.is_file() and \
        built.read_text(encoding="ascii").strip() == digest


def _in_place_possible(live: Path, settings: Path, config_digest: str) -> bool:
    """Whether a published language, built with these very settings, can take its changed
    pages in place (``_build_dirty``)."""
    return (live / "index.html").is_file() and \
        (live / "search" / "search_index.json").is_file() and \
        settings.is_file() and settings.read_text(encoding="ascii") == config_digest


def _run_builds(builds: Sequence[MkDocsJob], *, pool: BuildPool | None, jobs: int,
                progress: Callable[[str, int, int, str], None] | None
                ) -> list[tuple[str, list[str]]]:
    """Run the MkDocs builds (in ``pool``, else a pool of our own); their results in order."""
    def finish(running: BuildPool) -> list[tuple[str, list[str]]]:
        futures = list(map(running.submit, builds))  # all submitted, then waited for in turn
        results = []
        for args, future in zip(builds, futures):
            results.append(future.result())
            if progress:
                progress("building", len(results), len(builds), f"MkDocs {args[1]}")
        return results

    if pool is None:  # a pool of our own only when it pays: two languages or more
        with BuildPool(jobs if len(builds) > 1 else 1) as own:
            return finish(own)
    return finish(pool)


def _swap_in(changed: Sequence[Changed], *, abs_site: Path, abs_work: Path,
             exists: dict[str, set[str]], site_url: str | None) -> None:
    """Put each language built aside in place of its predecessor, and record what it was
    built from."""
    # Every changed language is complete aside; now each replaces its predecessor.
    abs_site.mkdir(parents=True, exist_ok=True)
    trash = abs_work / ".trash"
    shutil.rmtree(trash, ignore_errors=True)  # what an interrupted run left to delete
    for lang, built, published, (settings, config_digest) in changed:
        _write_manifest(abs_work / lang.tag / "site", lang, exists, site_url)
        _swap(abs_work / lang.tag / "site", abs_site / lang.tag, trash)
        write_atomic(built, published.encode("ascii") + b"\n")
        write_atomic(settings, config_digest.encode("ascii"))
    shutil.rmtree(trash, ignore_errors=True)


_CODE_STAMP: list[bytes] = []


def _stamp(abs_mkdocs: Path | None) -> str:
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


class Manifest(TypedDict):
    """``<tag>/docloc-manifest.json``: what ``docloc assemble`` needs of a language built
    elsewhere."""

    locale: str
    source: bool
    """True for the source language."""
    pages: list[str]
    """The page uris the language has."""
    site_url: str | None


def _write_manifest(abs_lang_site: Path, lang: LanguageSite, exists: dict[str, set[str]],
                    site_url: str | None) -> None:
    """What ``docloc assemble`` needs of a language built elsewhere."""
    manifest: Manifest = {"locale": lang.locale, "source": lang.source,
                          "pages": sorted(exists.get(lang.locale, ())), "site_url": site_url}
    (abs_lang_site / "docloc-manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def assemble(parts: Sequence[Path], abs_site: Path) -> list[str]:
    """Put languages built separately (``docloc build --locale``) into one site."""
    found: dict[str, tuple[Path, Manifest]] = {}
    for part in parts:
        for manifest in sorted(part.glob("*/docloc-manifest.json")):
            data: Manifest = json.loads(manifest.read_text(encoding="utf-8"))
            found[data["locale"]] = (manifest.parent, data)
    if not found:
        raise DoclocError("no language builds found (each has <tag>/docloc-manifest.json); "
                          "run docloc build --locale TAG --site DIR first", str(parts[0]))
    abs_site.mkdir(parents=True, exist_ok=True)
    for locale, (folder, _) in sorted(found.items()):
        staging = Path(tempfile.mkdtemp(prefix=f".{url_tag(locale)}.", dir=abs_site))
        shutil.rmtree(staging)
        shutil.copytree(folder, staging)
        _swap(staging, abs_site / url_tag(locale),
              work_folder(abs_site) / ".trash")
    exists = {locale: set(data["pages"]) for locale, (_, data) in found.items()}
    source = next((locale for locale, (_, data) in found.items() if data["source"]), None)
    site_url = next((data.get("site_url") for _, data in found.values() if data.get("site_url")), None)
    write_root(abs_site, exists, source=source, site_url=site_url)
    return sorted(found)


HOME_LINKS = 8
"""Links a generated home page shows per section; the navigation has the rest."""


def _with_home(lang: LanguageSite) -> LanguageSite:
    """The language with a generated landing page: the site's name and, per top-level
    section of its navigation (or folder), its first pages, so the home page stays
    short whatever the size of the docset."""
    words = l10n.ui(lang.locale.split("-")[0].lower())
    name = lang.site_name or "Documentation"

    def first_page(items: Sequence[NavEntry]) -> str | None:
        for item in items:
            for value in item.values():
                found = first_page(value) if isinstance(value, list) else \
                    None if re.match(r"^[a-z][a-z0-9+.-]*:", value) else value
                if found:
                    return found
        return None

    def links(items: Sequence[NavEntry]) -> list[str]:
        out = []
        for item in items:
            for label, value in item.items():
                target = first_page(value) if isinstance(value, list) else value
                if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    out.append(f"- [{_md_label(label)}]({target})")
        if len(out) > HOME_LINKS:
            out = out[:HOME_LINKS] + [f"- {words['more'].format(count=len(out) - HOME_LINKS)}"]
        return out

    nav = lang.nav
    if not nav:  # the folder structure: top-level pages, then one section per folder
        folders: dict[str, list[NavEntry]] = {}
        for uri in sorted(lang.pages):
            top = uri.split("/")[0] if "/" in uri else ""
            folders.setdefault(top, []).append({uri[:-3].split("/")[-1]: uri})
        nav = folders.pop("", []) + [{folder: items} for folder, items in folders.items()]
    loose = [item for item in nav if not any(isinstance(v, list) for v in item.values())]
    lines = [f"# {_md_label(name)}", ""] + links(loose)
    for item in nav:
        for label, value in item.items():
            if isinstance(value, list):
                lines += ["", f"## {_md_label(label)}", ""] + links(value)
    home = "---\ntitle: " + json.dumps(name, ensure_ascii=False) + "\n---\n\n" + \
        "\n".join(lines) + "\n"
    linked = first_page(lang.nav or []) == "index.md"  # the TOC leads home already
    home_entry: list[NavEntry] = [] if linked else [{words["home"]: "index.md"}]
    return replace(lang, pages={**lang.pages, "index.md": home},
                   nav=home_entry + lang.nav if lang.nav else None)


def _md_label(text: str) -> str:
    """A label as Markdown text that shows exactly it (no markup, no HTML)."""
    return re.sub(r"([\\`*_\[\]<>#!|{}])", r"\\\1", html.escape(text, quote=False))


def _remove_stale(abs_docs: Path, wanted: set[str]) -> int:
    removed = 0
    if not abs_docs.is_dir():
        return removed
    for path in sorted(abs_docs.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(abs_docs).as_posix() not in wanted:
            path.unlink()
            removed += 1
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``);
    False where the system cannot."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a kernel or filesystem without it
    raise OSError(error, os.strerror(error), str(b))


def _swap(staging: Path, abs_site: Path, trash: Path) -> None:
    """Put a new folder in place of the published one.

    Where the system can, both change places in one step, so no moment exists
    without the language (a kill at any point leaves old or new). Elsewhere the
    old one goes to ``trash`` (outside the published folder, emptied by the next
    run if this one dies), then the new one in: a few microseconds without it.
    """
    old = None
    try:
        if abs_site.exists():
            trash.mkdir(parents=True, exist_ok=True)
            if _exchange(staging, abs_site):
                shutil.rmtree(staging, ignore_errors=True)  # the previous pages, now
                return
            old = Path(tempfile.mkdtemp(prefix=f"{abs_site.name}-", dir=trash))
            os.replace(abs_site, old)
        os.replace(staging, abs_site)
    except OSError as exc:
        if old is not None and not abs_site.exists():
            os.replace(old, abs_site)  # the previous one goes back where it was
        raise DoclocError(f"cannot put the new pages in place ({exc.strerror}); the "
                          "previous ones are still served", str(abs_site)) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_root(abs_site: Path, exists: dict[str, set[str]], *, source: str | None,
               site_url: str | None = None) -> None:
    """``index.html`` choosing the reader's language, and ``sitemap.xml`` with hreflang.

    The sitemap protocol wants absolute URLs: without ``site_url`` there is no sitemap.
    """
    languages = [LanguageSite(locale, {}, source=locale == source)
                 for locale in sorted(exists, key=lambda l: (l != source, l))]
    first = languages[0]
    links = "\n".join(f'    <li><a href="{lang.tag}/" hreflang="{lang.locale.lower()}" '
                      f'lang="{lang.locale.lower()}">{language_name(lang.locale)}</a></li>'
                      for lang in languages)
    tags = json.dumps([lang.tag for lang in languages])
    index = f"""<!doctype html>
<html lang="{first.locale.lower()}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>Choose your language</title>
  <noscript><meta http-equiv="refresh" content="5; url={first.tag}/"></noscript>
  <script>
    (function () {{
      var tags = {tags};
      var wanted = (navigator.languages || [navigator.language || ""])
        .map(function (l) {{ return l.toLowerCase(); }});
      for (var i = 0; i < wanted.length; i++) {{
        for (var j = 0; j < tags.length; j++) {{
          if (tags[j] === wanted[i] || tags[j].split("-")[0] === wanted[i].split("-")[0]) {{
            location.replace(tags[j] + "/"); return;
          }}
        }}
      }}
      location.replace("{first.tag}/");
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
    write_atomic(abs_site / "index.html", index.encode("utf-8"))
    if not site_url:
        (abs_site / "sitemap.xml").unlink(missing_ok=True)
        return
    base = html.escape(site_url.rstrip("/"))
    entries = []
    for uri in sorted(set().union(*exists.values())):
        present = [lang for lang in languages if uri in exists[lang.locale]]
        for lang in present:
            alts = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang="{o.locale.lower()}" '
                f'href="{base}/{o.tag}/{html.escape(page_url(uri))}"/>' for o in present)
            entries.append(f"  <url>\n    <loc>{base}/{lang.tag}/{html.escape(page_url(uri))}</loc>"
                           f"{alts}\n  </url>")
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n")
    write_atomic(abs_site / "sitemap.xml", sitemap.encode("utf-8"))


_HREF = re.compile(r'\s(?:href|src)="([^"#?]*)(?:\?[^"#]*)?(#[^"]*)?"')
_ID = re.compile(r'\s(?:id|name)="([^"]+)"')
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def check_links(abs_site: Path, locale_tags: Sequence[str]) -> dict[str, list[str]]:
    """Broken links and anchors in page content, per language: ``page -> target#anchor``.

    Only the article is checked (navigation is generated, hence consistent), and
    with string operations on a set of the site's files: resolving paths on disk
    for every link made this the slowest step of a build.
    """
    return {tag: _LanguageLinks(abs_site / tag).broken() for tag in locale_tags}


class _LanguageLinks:
    """One language's built pages, each read once, and the ids each holds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = {Path(d, f).relative_to(root).as_posix()
                      for d, _, names in os.walk(root) for f in names}
        self.texts: dict[str, str] = {}
        self.ids: dict[str, set[str]] = {}

    def read(self, uri: str) -> str:
        if uri not in self.texts:
            self.texts[uri] = (self.root / uri).read_text(encoding="utf-8", errors="replace")
        return self.texts[uri]

    def ids_of(self, uri: str) -> set[str]:
        if uri not in self.ids:
            self.ids[uri] = {html.unescape(i) for i in _ID.findall(self.read(uri))}
        return self.ids[uri]

    def broken(self) -> list[str]:
        """``page -> target#anchor`` of each article link that leads nowhere, sorted."""
        found = []
        for uri in sorted(self.files):
            if not uri.endswith(".html") or uri == "404.html":
                continue
            article = _ARTICLE.search(self.read(uri))
            if article is None:
                continue
            base = posixpath.dirname(uri)
            for target, anchor in _HREF.findall(article.group(0)):
                target, anchor = unquote(html.unescape(target)), unquote(html.unescape(anchor))
                if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I) or target.startswith("/"):
                    continue
                if not self.leads_somewhere(base, uri, target, anchor):
                    found.append(f"{uri} -> {target}{anchor}")
        return sorted(set(found))

    def leads_somewhere(self, base: str, uri: str, target: str, anchor: str) -> bool:
        dest = posixpath.normpath(posixpath.join(base, target)) if target else uri
        if dest not in self.files and f"{dest}/index.html" in self.files:
            dest = f"{dest}/index.html"
        elif dest == ".":
            dest = "index.html"
        if dest not in self.files:
            return False
        return not (len(anchor) > 1 and dest.endswith(".html")
                    and anchor[1:] not in self.ids_of(dest))
