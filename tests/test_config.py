"""docloc.toml: each key declared once; a refusal points at the line and column at fault."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.errors import DoclocError

CASES = {
    # name: (docloc.toml, line, column, words the message must carry)
    "unknown key, indented": ('similarity = 0.5\n  contnet = "c"\n', 2, 3, ["contnet", "unknown key"]),
    "value out of range": ("# settings\n\nsimilarity = 7\n", 3, 1, ["similarity", "from 0 to 1", "7"]),
    "table item": ('[thresholds]\n"fr-FR" = 90\n"fr" = 200\n', 3, 1, ["thresholds.fr", "percentage"]),
    "nested table item": ('[docloc]\nsite = "s"\n[docloc.severity]\nnumbers = "loud"\n', 4, 1,
                          ["severity.numbers", "error, warning, off"]),
    "wrong type": ('site = "s"\nprune_obsolete = "yes"\n', 2, 1, ["prune_obsolete", "true or false"]),
    "not TOML": ('site = "s"\nsimilarity = \n', 2, 14, ["TOML"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refusal_names_file_line_and_column(tmp_path: Path, name: str):
    text, line, column, words = CASES[name]
    path = tmp_path / "docloc.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DoclocError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}:{column}: "), message
    for word in words:
        assert word in message, (word, message)


def test_not_utf8_is_refused_with_what_to_do(tmp_path: Path):
    path = tmp_path / "docloc.toml"
    path.write_bytes(b'site = "caf\xe9"\n')
    with pytest.raises(DoclocError, match="save the file as UTF-8"):
        load_config(path)


def test_every_setting_has_a_default_a_type_and_a_docstring_once():
    source = Path(__file__).resolve().parent.parent.joinpath("pipeline", "config.py").read_text()
    for setting in fields(Config):
        assert setting.metadata["kind"] in (Path, str, float, bool, list, dict), setting.name
        assert f'    {setting.name}: ' in source
        after = source.split(f"    {setting.name}: ", 1)[1].splitlines()[1].strip()
        assert after.startswith('"""'), f"{setting.name} has no docstring"


def test_settings_read_from_the_file_override_defaults_and_paths_are_relative_to_it(tmp_path):
    path = tmp_path / "docloc.toml"
    path.write_text('[docloc]\ncontent = "pages"\nsimilarity = 1\n[docloc.thresholds]\n"fr-FR" = 90\n',
                    encoding="utf-8")
    config = load_config(path)
    assert config.content == tmp_path / "pages"
    assert config.similarity == 1.0 and isinstance(config.similarity, float)
    assert config.thresholds == {"fr-FR": 90}
    assert config.locales == Config().locales
    assert Config().thresholds is not Config().thresholds  # no shared mutable default
