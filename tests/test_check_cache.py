"""The check's memory of unchanged files: results identical to a fresh analysis, always.

``docloc check`` remembers what each catalog and page yielded, keyed by the
file's SHA-1 (pipeline/gate.py, decision 3). These tests change files, settings
and the cache itself, and compare every figure and finding with a run that
reads nothing from the cache.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import coverage
from pipeline.config import Config
from pipeline.extract import extract
from pipeline.gate import check

PO = "fr_FR/LC_MESSAGES/privacy-policy.po"


@pytest.fixture
def config(project: Path) -> Config:
    config = Config(content=project / "content", locales=project / "locales")
    extract(config.content, config.locales, source_locale=config.source_locale)
    return config


def outcome(result) -> str:
    """Everything a user sees of a check, as JSON, plus the problems."""
    return coverage.to_json(result.report, findings=result.findings,
                            failures=result.failures) + "\n".join(map(str, result.problems))


def test_second_run_analyses_nothing_and_says_the_same(config):
    first = check(config)
    assert first.analysed == first.files > 0
    second = check(config)
    assert second.analysed == 0 and second.files == first.files
    assert outcome(second) == outcome(first) == outcome(check(config, cache=False))


def test_cache_stays_out_of_version_control(config):
    check(config)
    cache = config.locales / ".docloc" / "cache"
    assert (cache / "check.json").is_file()
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"


def test_edited_catalog_and_page_are_analysed_again_and_seen(config):
    check(config)
    po = config.locales / PO
    text = po.read_text(encoding="utf-8")
    # A translator breaks a link in one entry and blanks the one after it.
    first_link = text.index("](")
    po.write_text(text[:first_link] + "]  (" + text[first_link + 2:], encoding="utf-8")
    page = next(config.content.glob("fr-FR/*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nTexte ajouté hors segment.\n",
                    encoding="utf-8")
    after = check(config)
    assert after.analysed == 2
    fresh = check(config, cache=False)
    assert outcome(after) == outcome(fresh)
    assert any(f.path.endswith("privacy-policy.po") and f.check == "md-link"
               for f in after.findings)
    assert any(f.path == str(page) and f.check == "outside-text" for f in after.findings)


def test_severity_change_applies_without_analysing_again(config):
    before = check(config)
    assert before.findings  # the default content has some, to switch off
    quiet = replace(config, severity={name: "off" for name in
                                      {f.check for f in before.findings}})
    result = check(quiet)
    assert result.analysed == 0 and result.findings == []
    assert outcome(result) == outcome(check(quiet, cache=False))


def test_allowlist_change_analyses_again(config):
    check(config)
    changed = replace(config, allow_untranslated=("Contoso",))
    result = check(changed)
    assert result.analysed == result.files
    assert outcome(result) == outcome(check(changed, cache=False))


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"format": 1, "salt": 3}',
                                     b"[1, 2]", b'{"format": 1, "po": []}', "SALTED"])
def test_damaged_cache_is_ignored(config, garbage):
    expected = outcome(check(config, cache=False))
    cache = config.locales / ".docloc" / "cache" / "check.json"
    if garbage == "SALTED":  # right format and salt, wrong shapes inside
        check(config)
        data = json.loads(cache.read_bytes())
        garbage = json.dumps({**data, "po": [], "page": {"x": 1}}).encode()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(garbage)
    assert outcome(check(config)) == expected


def test_forged_cache_entry_is_not_trusted(config):
    """An entry whose hash does not match the file is analysed again, never believed."""
    check(config)
    cache = config.locales / ".docloc" / "cache" / "check.json"
    data = json.loads(cache.read_bytes())
    entry = data["po"][PO]
    entry["yield"]["figures"]["messages"]["translated"] = 999  # figures nobody computed
    entry["sha1"] = "0" * 40
    cache.write_text(json.dumps(data), encoding="utf-8")
    result = check(config)
    assert result.analysed == 1
    assert outcome(result) == outcome(check(config, cache=False))


@pytest.mark.parametrize("damage", ["figures", "findings", "problems", "record"])
def test_cache_record_of_another_shape_is_analysed_again(config, damage):
    """A record with the right hash but fields a newer or older docloc wrote otherwise
    is a miss: analysed afresh, never read by position, never a crash."""
    check(config)
    cache = config.locales / ".docloc" / "cache" / "check.json"
    data = json.loads(cache.read_bytes())
    entry = data["po"][PO]
    page = next(iter(data["page"].values()))
    if damage == "figures":
        counts = entry["yield"]["figures"]["messages"]
        counts["extra"] = counts.pop("fuzzy")
    elif damage == "findings":
        entry["yield"]["findings"] = [["12", "numbers", "x"]]
    elif damage == "problems":
        page["yield"]["problems"] = [[1, 2, 3, 4, 5]]
    else:
        data["po"][PO] = [entry["sha1"], "fr-FR", [0] * 13, [0] * 13, []]  # format 2's row
    cache.write_text(json.dumps(data), encoding="utf-8")
    result = check(config)
    assert result.analysed == 1
    assert outcome(result) == outcome(check(config, cache=False))


def test_broken_catalog_is_reported_every_time(config):
    (config.locales / PO).write_text('msgid "x"\nmsgstr\n', encoding="utf-8")
    for _ in range(2):
        result = check(config)
        assert [p.path for p in result.problems] == [str(config.locales / PO)]


def test_worker_processes_give_the_same_result(config, monkeypatch):
    from pipeline import gate

    serial = outcome(check(config, cache=False, jobs=1))
    monkeypatch.setattr(gate, "PARALLEL_FROM", 1)
    assert outcome(check(config, cache=False, jobs=2)) == serial


def test_content_folder_asked_for_but_missing_is_an_error(config, capsys):
    from pipeline.cli import EXIT_INPUT, main

    code = main(["check", "--content", str(config.content) + "-typo",
                 "--locales", str(config.locales)])
    assert code == EXIT_INPUT
    assert "content-typo: content folder not found" in capsys.readouterr().err
