"""The project's settings: ``docloc.toml`` beside ``mkdocs.yml``, all optional.

1. Every key has a default, so a folder of bilingual pages needs no config.
2. An unknown key or a value of the wrong type is an error that names the key
   and what is expected; a typo never silently falls back to a default.
3. Command-line options override the file; paths are relative to the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import DoclocError

CONFIG_NAME = "docloc.toml"


@dataclass(frozen=True)
class Config:
    content: Path = Path("content")
    """Folder of bilingual pages, by locale (``content/fr-FR/...``)."""
    locales: Path = Path("locales")
    """Folder of PO catalogs (``locales/fr_FR/LC_MESSAGES/...``)."""
    site: Path = Path("site")
    """Folder the built site is written to."""
    mkdocs: Path = Path("mkdocs.yml")
    """The user's base MkDocs configuration."""
    source_locale: str = "en-US"
    """The language of the English sources."""
    similarity: float = 0.6
    """How close (0-1) an edited source must be to carry its old translation as fuzzy."""
    prune_obsolete: bool = False
    """Drop obsolete entries instead of keeping them as ``#~``."""
    min_coverage: float = 0.0
    """Global coverage threshold (%) for ``docloc check``."""
    coverage_by: str = "messages"
    """``messages`` or ``words``: what coverage thresholds count."""
    thresholds: dict = field(default_factory=dict)
    """Per locale or page glob thresholds, e.g. ``{"fr-FR" = 90, "fr-FR:legal/*" = 100}``."""
    severity: dict = field(default_factory=dict)
    """Per check severity overrides, e.g. ``{numbers = "error"}``."""
    allow_untranslated: list = field(default_factory=list)
    """Words that may stay in English (product names)."""
    trust_content: bool = False
    """Publish the markup of content pages as it is. Off: vendor pages, front matter and
    includes are untrusted and every page body goes through one HTML allowlist."""


_TYPES = {"content": Path, "locales": Path, "site": Path, "mkdocs": Path,
          "source_locale": str, "similarity": float, "prune_obsolete": bool,
          "min_coverage": float, "coverage_by": str, "thresholds": dict,
          "severity": dict, "allow_untranslated": list,
          "trust_content": bool}


def load_config(abs_path: Path | None) -> Config:
    """Read ``docloc.toml`` (``[docloc]`` table or top level); defaults if absent."""
    if abs_path is None or not abs_path.exists():
        return Config()
    try:
        data = tomllib.loads(abs_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DoclocError(f"not valid TOML: {exc}", str(abs_path)) from exc
    data = data.get("docloc", data)
    values: dict[str, Any] = {}
    names = {f.name for f in fields(Config)}
    for key, value in data.items():
        if key not in names:
            raise DoclocError(f"unknown key {key!r}; known keys: {', '.join(sorted(names))}",
                              str(abs_path))
        expected = _TYPES[key]
        if expected is Path:
            if not isinstance(value, str):
                raise DoclocError(f"{key} must be a path (a string), not {value!r}",
                                  str(abs_path))
            value = abs_path.parent / value
        elif expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise DoclocError(f"{key} must be {_KINDS.get(expected, expected.__name__)}, "
                              f"not {value!r}", str(abs_path))
        values[key] = value
    _check_values(values, str(abs_path))
    return replace(Config(), **values)


_KINDS = {float: "a number", int: "a whole number", bool: "true or false", str: "a string",
          list: "a list", dict: "a table"}
"""How a type reads in a message to someone writing docloc.toml."""

SEVERITIES = ("error", "warning", "off")


def _check_values(values: dict[str, Any], path: str) -> None:
    """Ranges and the items of lists and tables: each error names its key."""
    def fail(message: str) -> None:
        raise DoclocError(message, path)
    if not 0 <= values.get("similarity", 0.6) <= 1:
        fail(f"similarity must be a number from 0 to 1, not {values['similarity']!r}")
    if not 0 <= values.get("min_coverage", 0) <= 100:
        fail(f"min_coverage must be a percentage from 0 to 100, not {values['min_coverage']!r}")
    if values.get("coverage_by", "messages") not in ("messages", "words"):
        fail(f"coverage_by must be 'messages' or 'words', not {values['coverage_by']!r}")
    for item in values.get("allow_untranslated", []):
        if not isinstance(item, str):
            fail(f"allow_untranslated must list strings (product names), not {item!r}")
    for key, value in values.get("thresholds", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            fail(f"thresholds.{key} must be a percentage from 0 to 100, not {value!r}")
    for key, value in values.get("severity", {}).items():
        if value not in SEVERITIES:
            fail(f"severity.{key} must be one of {', '.join(SEVERITIES)}, not {value!r}")
