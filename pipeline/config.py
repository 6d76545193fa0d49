"""The project's settings: ``docloc.toml`` beside ``mkdocs.yml``, all optional.

1. Every key has a default, so a folder of bilingual pages needs no config.
2. An unknown key or a value of the wrong type is an error that names the key
   and what is expected; a typo never silently falls back to a default.
3. Command-line options override the file; paths are relative to the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from .errors import DoclocError

CONFIG_NAME = "docloc.toml"

SEVERITIES = ("error", "warning", "off")
"""A check's severity: ``error`` fails ``docloc check``, ``warning`` is shown, ``off`` drops it."""
COVERAGE_BASES = ("messages", "words")
"""What coverage can count: catalog messages or the sources' words."""
SIMILARITY = 0.6
"""The default ``similarity``: how close (difflib's ratio, ``merge.similarity``) an edited
source must be to carry its old translation as fuzzy."""
MEMORY_SIMILARITY = 0.75
"""The least closeness of a translation-memory suggestion (another page's sentence, a
TMX unit): higher than ``SIMILARITY``, since the sentence is not this one edited."""

Check = Callable[[Any], "str | None"]
"""A setting's validation: the reason a value is refused, or None."""


def _setting(default: Any, check: Check | None = None) -> Any:
    """One key, declared once: its default (whose type is the key's type) and its check."""
    kind = Path if isinstance(default, Path) else type(default)
    if kind in (list, dict):
        return field(default_factory=kind, metadata={"kind": kind, "check": check})
    return field(default=default, metadata={"kind": kind, "check": check})


def _between(low: float, high: float, what: str) -> Check:
    return lambda value: None if low <= value <= high else f"must be {what} from {low:g} to {high:g}"


def _one_of(*allowed: str) -> Check:
    return lambda value: None if value in allowed else \
        "must be " + " or ".join(repr(a) for a in allowed)


def _each(check: Callable[[str | None, Any], str | None]) -> Check:
    """A check of a list's items or a table's values; the message names the item."""
    def items(value: Any) -> str | None:
        pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        return next((m for m in (check(k, v) for k, v in pairs) if m), None)
    return items


def is_percentage(value: Any) -> bool:
    """The one rule for a coverage threshold: a number (not a bool) from 0 to 100."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 <= value <= 100


def is_severity(value: Any) -> bool:
    """The one rule for a check's severity: one of ``SEVERITIES``."""
    return value in SEVERITIES


def _percentage(key: str | None, value: Any) -> str | None:
    if not is_percentage(value):
        return f"thresholds.{key} must be a percentage from 0 to 100, not {value!r}"
    return None


def _severity(key: str | None, value: Any) -> str | None:
    if not is_severity(value):
        return f"severity.{key} must be one of {', '.join(SEVERITIES)}, not {value!r}"
    return None


def _product_name(_key: str | None, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"allow_untranslated must list strings (product names), not {value!r}"
    return None


@dataclass(frozen=True)
class Config:
    content: Path = _setting(Path("content"))
    """Folder of bilingual pages, by locale (``content/fr-FR/...``)."""
    locales: Path = _setting(Path("locales"))
    """Folder of PO catalogs (``locales/fr_FR/LC_MESSAGES/...``)."""
    site: Path = _setting(Path("site"))
    """Folder the built site is written to."""
    mkdocs: Path = _setting(Path("mkdocs.yml"))
    """The user's base MkDocs configuration (optional)."""
    source_locale: str = _setting("en-US")
    """The language of the English sources."""
    similarity: float = _setting(SIMILARITY, _between(0, 1, "a number"))
    """How close (0-1) an edited source must be to carry its old translation as fuzzy."""
    prune_obsolete: bool = _setting(False)
    """Drop obsolete entries instead of keeping them as ``#~``."""
    min_coverage: float = _setting(0.0, _between(0, 100, "a percentage"))
    """Global coverage threshold (%) for ``docloc check``."""
    coverage_by: str = _setting("messages", _one_of(*COVERAGE_BASES))
    """``messages`` or ``words``: what coverage thresholds count."""
    thresholds: dict[str, float] = _setting({}, _each(_percentage))
    """Per locale or page glob thresholds, e.g. ``{"fr-FR" = 90, "fr-FR:legal/*" = 100}``."""
    severity: dict[str, str] = _setting({}, _each(_severity))
    """Per check severity overrides, e.g. ``{numbers = "error"}``."""
    allow_untranslated: list[str] = _setting([], _each(_product_name))
    """Words that may stay in English (product names)."""
    trust_content: bool = _setting(False)
    """Publish the markup of content pages as it is. Off: vendor pages, front matter and
    includes are untrusted and every page body goes through one HTML allowlist."""


_DECLARED = {f.name: f for f in fields(Config)}

_KINDS = {float: "a number", int: "a whole number", bool: "true or false", str: "a string",
          list: "a list", dict: "a table"}
"""How a type reads in a message to someone writing docloc.toml."""


def load_config(abs_path: Path | None) -> Config:
    """Read ``docloc.toml`` (``[docloc]`` table or top level); defaults if absent.

    A refusal names the file, and the line and column of the key at fault."""
    if abs_path is None or not abs_path.exists():
        return Config()
    try:
        text = abs_path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise DoclocError(f"not UTF-8 ({exc.reason} at byte {exc.start}); save the file as "
                          "UTF-8", str(abs_path)) from exc
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (None, None)
        raise DoclocError(f"not valid TOML: {exc}", str(abs_path), line, column) from exc
    data = data.get("docloc", data)
    values: dict[str, Any] = {}
    for key, value in data.items():
        def fail(message: str, key: str = key) -> None:
            item = message.split(" ", 1)[0].partition(".")[2] if message.startswith(key + ".") \
                else None
            line, column = _position(text, key, item)
            raise DoclocError(message, str(abs_path), line, column)
        if key not in _DECLARED:
            fail(f"unknown key {key!r}; known keys: {', '.join(sorted(_DECLARED))}")
        kind = _DECLARED[key].metadata["kind"]
        if kind is Path:
            if not isinstance(value, str):
                fail(f"{key} must be a path (a string), not {value!r}")
            value = abs_path.parent / value
        elif kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            fail(f"{key} must be {_KINDS.get(kind, kind.__name__)}, not {value!r}")
        reason = refusal(key, value)
        if reason:
            fail(reason)
        values[key] = value
    return replace(Config(), **values)


def refusal(key: str, value: Any) -> str | None:
    """Why the setting ``key`` refuses ``value`` (of its type), in the words ``load_config``
    uses (``coverage_by must be 'messages' or 'words', not 'lines'``), or None. For values
    that reach a stage without going through ``docloc.toml``."""
    check: Check | None = _DECLARED[key].metadata["check"]
    reason = check(value) if check else None
    if reason is None or reason.startswith(key):
        return reason
    return f"{key} {reason}, not {value!r}"


def _position(text: str, key: str, item: str | None = None) -> tuple[int | None, int | None]:
    """Line and column (1-based) where ``key`` is set or its table opens, or where the
    table's ``item`` is set."""
    def at(name: str, start: int, table: bool) -> int | None:
        opening = r"(?:\[[ \t]*(?:docloc\.)?)?" if table else ""
        found = re.compile(rf"^[ \t]*{opening}[\"']?{re.escape(name)}(?![\w-])", re.M
                           ).search(text, start)
        return None if found is None else found.start() + len(found.group()) - \
            len(found.group().lstrip(" \t"))
    offset = at(key, 0, table=True)
    if offset is not None and item is not None:
        offset = at(item, offset, table=False) or offset
    if offset is None:
        return None, None
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
