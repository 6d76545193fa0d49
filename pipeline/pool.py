"""The MkDocs builds: worker processes started early, each running one language's build.

1. Languages build in parallel processes (``BuildPool``), warmed up (MkDocs
   imported) while the parent still renders; each builds into a folder beside
   the site, which ``publish`` swaps in only when complete.
2. ``SOURCE_DATE_EPOCH`` is fixed so that the same input gives the same bytes.
3. ``docloc serve`` builds a changed language's changed pages in place
   (``build_dirty``, MkDocs' dirty build), its search index merged with the
   previous one; the next full build builds it again.
4. Jinja's compiled templates are kept in this module (``TEMPLATES``) for every
   build of the process: MkDocs executes the hooks file anew each time it loads a
   configuration, so a cache kept there was empty on every save.
"""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import jinja2
import yaml

from . import reads
from .errors import DoclocError
from .files import write_atomic

if TYPE_CHECKING:
    from jinja2.bccache import Bucket
    from mkdocs.config.defaults import MkDocsConfig

MkDocsJob = tuple[str, str, int]
"""One MkDocs build for ``BuildPool``: (its mkdocs.yml, the locale, SOURCE_DATE_EPOCH)."""
InPlaceJob = tuple[str, str, int, Path]
"""A ``MkDocsJob`` of the changed pages only, with the published language it updates."""


def warm_up() -> None:
    """Import what every MkDocs build needs, while the parent is still rendering."""
    import markdown.extensions.toc  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401
    from mkdocs.plugins import get_plugins

    get_plugins()  # the entry-point scan, cached for the builds


def compile_templates(abs_work: Path) -> int:
    """Make this process ready to build a language of ``abs_work`` as serve's saves do:
    its configuration loaded (MkDocs imports the plugins), its Markdown extensions
    imported, and the theme's HTML templates compiled into ``TEMPLATES`` as MkDocs'
    own Jinja environment would. serve's first build ran in worker processes, so its
    first saves paid for all of it (half a second). How many templates were
    compiled; 0 when there is no build yet."""
    import markdown

    configs = sorted(abs_work.glob("*/mkdocs.yml"))
    if not configs:
        return 0
    try:
        config = _load_fast(str(configs[0]))
        markdown.Markdown(extensions=config.markdown_extensions,
                          extension_configs=config.mdx_configs).convert("# warm\n")
    except Exception:  # noqa: BLE001 (only a head start: the build reports what is wrong)
        return 0
    from mkdocs.structure.files import Files

    theme = config.theme
    keep_templates(theme)
    env = theme.get_env()
    Files([]).add_files_from_theme(env, config)  # the theme's files, listed as MkDocs lists them
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # a template no page uses may not compile alone: MkDocs never loads it
    return len(names)


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
                self.executor.submit(warm_up)

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
        config = load() if load is not None else _load_fast(abs_config)
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


def run_builds(builds: Sequence[MkDocsJob], *, pool: BuildPool | None, jobs: int,
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


def build_dirty(abs_config: str, locale: str, epoch: int, abs_live: Path) -> list[str]:
    """Build a language's changed pages into its published folder (MkDocs' dirty build).

    MkDocs rebuilds the pages whose docs are newer than their HTML; Material then
    writes a search index of those pages alone, so the index is merged here:
    the previous entries of every other page, then the new ones, as Material
    itself does when it serves a dirty build.
    """

    index = abs_live / "search" / "search_index.json"
    try:
        data = reads.read_bytes(index)
        kept = reads.take(index, data)  # the index this process merged last, unparsed
        before: _Index | None = kept if isinstance(kept, _Index) else \
            _Index(json.loads(data.decode("utf-8")))
    except (OSError, ValueError):
        before = None
    # Resolved: MkDocs takes a relative site_dir from the config file's folder.
    _, messages = _build_one((abs_config, locale, epoch),
                             lambda: _load_fast(abs_config, site_dir=str(abs_live.resolve())),
                             dirty=True)
    if before is not None:
        after = json.loads(index.read_text(encoding="utf-8"))
        fresh = {doc["location"].partition("#")[0] for doc in after["docs"]}
        kept_docs = [(doc, line) for doc, line in zip(before.value["docs"], before.lines())
                     if doc["location"].partition("#")[0] not in fresh]
        merged = _Index({**after, "docs": [doc for doc, _ in kept_docs] + after["docs"]},
                        [line for _, line in kept_docs])
        data = merged.dumps()
        write_atomic(index, data)
        reads.keep(index, data, merged)
    return [m for m in messages if "dirty" not in m.lower()]


def keep_index(abs_live: Path) -> None:
    """Read a published language's search index once, ahead of serve's first save
    (``build_dirty`` merges into it: parsing and encoding 7 MB of it was a fifth of the
    first save on the Mixed Reality corpus)."""
    index = abs_live / "search" / "search_index.json"
    try:
        data = reads.read_bytes(index)
        kept = _Index(json.loads(data.decode("utf-8")))
    except (OSError, ValueError):
        return
    kept.lines()
    reads.keep(index, data, kept)


class _Index:
    """A language's search index, and its documents as JSON (those known so far):
    each save merges a page's few documents into thousands, and encoding them all
    again was most of the merge."""

    def __init__(self, value: dict[str, Any], lines: list[str] | None = None) -> None:
        self.value = value
        self._lines = lines or []

    def lines(self) -> list[str]:
        docs = self.value["docs"]
        self._lines += [_json(doc) for doc in docs[len(self._lines):]]
        return self._lines

    def dumps(self) -> bytes:
        """The bytes ``json.dumps(value, separators=(",", ":"))`` gives."""
        parts = [f"{_json(key)}:" + ("[" + ",".join(self.lines()) + "]" if key == "docs"
                                     else _json(item)) for key, item in self.value.items()]
        return ("{" + ",".join(parts) + "}").encode()


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


_NAV = re.compile(r"^nav:\n(?:[- ].*\n)*", re.M)
"""A language's navigation in the mkdocs.yml docloc writes (``yaml.safe_dump``'s layout:
a top-level key, its items on the lines after it, none starting in column 1)."""


def _load_fast(abs_config: str, **options: str) -> "MkDocsConfig":
    """``load_config`` of a language's mkdocs.yml, its navigation read by libyaml.

    MkDocs' own YAML reader is pure Python, and a big site's navigation (700 lines
    on Mixed Reality) was a tenth of a save's rebuild. The navigation is given as an
    option instead: an option replaces the key, as the file's own value replaced the
    inherited one (``INHERIT`` merges mappings, not lists)."""
    import io

    from mkdocs.config import load_config

    text = Path(abs_config).read_text(encoding="utf-8")
    found = _NAV.search(text)
    loader = getattr(yaml, "CSafeLoader", None)
    if found is None or loader is None:
        return load_config(abs_config, **options)
    nav = yaml.load(found.group(0), Loader=loader)["nav"]
    rest = io.BytesIO((text[:found.start()] + text[found.end():]).encode("utf-8"))
    rest.name = abs_config  # where MkDocs resolves INHERIT and relative paths from
    return load_config(rest, config_file_path=abs_config, nav=nav, **options)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in this process: ``docloc serve`` builds here
    again and again, and compiling the theme's templates was a third of a page's rebuild."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()
"""Shared by every build in this process (docloc_hooks sets it on MkDocs' Jinja env)."""

_LISTED: dict[tuple[object, ...], list[str]] = {}


def keep_templates(theme: Any) -> None:
    """Every Jinja environment ``theme`` (MkDocs' ``Theme``) makes uses ``TEMPLATES``,
    and lists the theme's files once per process.

    MkDocs makes one environment per build and Material one more for its search
    settings, that one without the cache: serve compiled three templates anew on
    each save. Listing the theme's 5,000 files and matching each against MkDocs'
    patterns (for the files it copies) was another tenth of a save; the listing
    depends on the theme's folders, the extensions and the filter (MkDocs' one,
    whose patterns are its own and the theme's ``static_templates``)."""
    if getattr(theme, "docloc_kept", False):
        return
    make = theme.get_env

    def get_env() -> jinja2.Environment:
        env: jinja2.Environment = make()
        env.bytecode_cache = TEMPLATES
        listing = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            key = (tuple(theme.dirs), tuple(extensions or ()), tuple(theme.static_templates),
                   getattr(filter_func, "__qualname__", filter_func))
            if key not in _LISTED:
                _LISTED[key] = listing(extensions=extensions, filter_func=filter_func)
            return list(_LISTED[key])
        env.list_templates = list_templates  # type: ignore[method-assign]
        return env
    theme.get_env = get_env
    theme.docloc_kept = True
