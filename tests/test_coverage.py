"""Coverage figures, thresholds and outputs; message figures checked against msgfmt."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import pocount_rows
from lxml import etree

from pipeline import catalog as cat
from pipeline import catalog_po
from pipeline.checks import Finding
from pipeline.coverage import (
    Counts,
    Figures,
    LocaleReport,
    Report,
    badge_svg,
    catalog_figures,
    count_words,
    coverage_report,
    threshold_failures,
    to_json,
    to_markdown,
)
from pipeline.errors import DoclocError
from pipeline.extract import extract

ROOT = Path(__file__).resolve().parents[1]
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="msgfmt (gettext) not installed")


def load_locales(abs_locales: Path) -> dict[tuple[str | None, str], cat.Catalog]:
    """Every catalog and template under a locales folder, by (locale, page)."""
    found = {}
    for abs_path in sorted(abs_locales.glob("*/LC_MESSAGES/**/*.po")) + \
            sorted(abs_locales.glob("templates/**/*.pot")):
        catalog = catalog_po.load(abs_path.read_bytes(), str(abs_path))
        found[(catalog.locale, catalog.page)] = catalog
    return found


def msgfmt_statistics(abs_po: Path) -> dict[str, int]:
    result = subprocess.run([MSGFMT, "--statistics", "-o", "/dev/null", str(abs_po)],
                            capture_output=True, text=True, env={"LC_ALL": "C"}, check=True)
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def message_states(counts: Counts) -> dict[str, int]:
    return {"translated": counts.translated, "fuzzy": counts.fuzzy,
            "untranslated": counts.untranslated}


POCOUNT = shutil.which("pocount")
needs_pocount = pytest.mark.skipif(POCOUNT is None, reason="pocount (translate-toolkit) missing")


def assert_words_equal_pocount(abs_locales: Path) -> None:
    files = sorted(abs_locales.glob("*/LC_MESSAGES/**/*.po"))
    assert files
    rows = pocount_rows(files)
    for abs_po in files:
        words = catalog_figures(catalog_po.load(abs_po.read_bytes(), str(abs_po))).words
        assert rows[str(abs_po)] == {"translated": words.translated, "fuzzy": words.fuzzy,
                                     "untranslated": words.untranslated,
                                     "total": words.total}, abs_po


@needs_pocount
def test_default_content_word_figures_equal_pocount(tmp_path):
    extract(ROOT / "content", tmp_path / "locales")
    po = next((tmp_path / "locales").glob("fr_FR/LC_MESSAGES/*.po"))
    text = po.read_text(encoding="utf-8")  # a fuzzy and an untranslated entry too
    entries = text.split("\n\n")
    entries[1] = entries[1].replace("\nmsgid", "\n#, fuzzy\nmsgid", 1)
    entries[2] = entries[2][:entries[2].rindex("msgstr")] + 'msgstr ""'
    po.write_text("\n\n".join(entries), encoding="utf-8")
    assert_words_equal_pocount(tmp_path / "locales")


def po_text(entries: str) -> str:
    return ('msgid ""\nmsgstr ""\n"Project-Id-Version: p.md\\n"\n"Language: fr_FR\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries)


TRICKY = po_text(
    '#, fuzzy\nmsgid "empty fuzzy"\nmsgstr ""\n\n'
    '#, fuzzy\nmsgid "fuzzy one"\nmsgstr "flou"\n\n'
    'msgid "not yet"\nmsgstr ""\n\n'
    'msgid "done here"\nmsgstr "fait ici"\n\n'
    '#~ msgid "old words"\n#~ msgstr "vieux mots"\n')


def test_fuzzy_without_text_is_untranslated_and_obsolete_is_apart():
    figures = catalog_figures(catalog_po.loads(TRICKY, "p.po"))
    assert figures.messages == Counts(total=4, translated=1, fuzzy=1, untranslated=2, obsolete=1)
    assert figures.words == Counts(total=8, translated=2, fuzzy=2, untranslated=4, obsolete=2)


@needs_msgfmt
def test_tricky_states_agree_with_msgfmt(tmp_path):
    (tmp_path / "p.po").write_text(TRICKY, encoding="utf-8")
    figures = catalog_figures(catalog_po.loads(TRICKY, "p.po"))
    assert msgfmt_statistics(tmp_path / "p.po") == message_states(figures.messages)


# -- the shared corpus ---------------------------------------------------------------

@pytest.fixture(scope="module", params=["2018-02-08", "2018-04-24"])
def corpus_locales(request, tmp_path_factory) -> Path:
    from conftest import shared_corpus
    corpus = shared_corpus()
    if corpus is None:
        pytest.skip("shared corpus not found (set DOCLOC_SHARED)")
    locales = tmp_path_factory.mktemp(request.param) / "locales"
    extract(corpus / request.param, locales)
    return locales


@needs_msgfmt
def test_corpus_message_figures_equal_msgfmt_statistics(corpus_locales):
    files = sorted(corpus_locales.glob("*/LC_MESSAGES/**/*.po"))
    assert len(files) > 100
    for abs_po in files:
        figures = catalog_figures(catalog_po.load(abs_po.read_bytes(), str(abs_po)))
        assert message_states(figures.messages) == msgfmt_statistics(abs_po), abs_po


@needs_pocount
def test_corpus_word_figures_equal_pocount(corpus_locales):
    assert_words_equal_pocount(corpus_locales)


def test_blanking_and_fuzzing_move_every_figure_by_exactly_that(corpus_locales, tmp_path):
    before = load_locales(corpus_locales)
    changed = dict(before)
    blanked = fuzzed = blank_words = fuzzy_words = identical = 0
    touched = {}
    for n, ((locale, page), catalog) in enumerate(sorted(before.items(), key=str)):
        if locale is None or n % 4:
            continue
        entries = list(catalog.entries)
        translated = [i for i, e in enumerate(entries) if e.translated]
        for i in translated[0:6:3]:  # the 1st and 4th translated entries lose their text
            blanked += 1
            blank_words += count_words(entries[i].msgid)
            identical += entries[i].msgstr == entries[i].msgid
            entries[i] = replace(entries[i], msgstr="")
        for i in translated[1:2]:  # the 2nd turns fuzzy
            fuzzed += 1
            fuzzy_words += count_words(entries[i].msgid)
            identical += entries[i].msgstr == entries[i].msgid
            entries[i] = entries[i].with_flag("fuzzy")
        abs_po = tmp_path / cat.catalog_uri(locale, page)
        abs_po.parent.mkdir(parents=True, exist_ok=True)
        abs_po.write_text(catalog_po.dumps(replace(catalog, entries=tuple(entries))), encoding="utf-8")
        changed[(locale, page)] = catalog_po.load(abs_po.read_bytes(), str(abs_po))
        touched[page] = abs_po
    assert blanked > 40 and fuzzed > 20

    old = coverage_report([], before).locales["fr-FR"].figures
    new = coverage_report([], changed).locales["fr-FR"].figures
    m, w = old.messages, old.words
    assert new.messages == Counts(m.total, m.translated - blanked - fuzzed, m.fuzzy + fuzzed,
                                  m.untranslated + blanked, m.obsolete)
    assert new.words == Counts(w.total, w.translated - blank_words - fuzzy_words,
                               w.fuzzy + fuzzy_words, w.untranslated + blank_words, w.obsolete)
    assert new.identical == old.identical - identical
    assert new.mt + new.ht == old.mt + old.ht - blanked - fuzzed
    if MSGFMT:
        for page, abs_po in touched.items():
            figures = catalog_figures(changed[("fr-FR", page)])
            assert message_states(figures.messages) == msgfmt_statistics(abs_po), abs_po


# -- reports on the project's own content ------------------------------------------------

@pytest.fixture(scope="module")
def content_catalogs(tmp_path_factory) -> dict:
    locales = tmp_path_factory.mktemp("content") / "locales"
    extract(ROOT / "content", locales)
    return load_locales(locales)


def test_page_missing_in_a_locale_counts_as_wholly_untranslated(content_catalogs):
    report = coverage_report([], content_catalogs)
    ar = report.locales["ar-SA"]
    missing = [p for p in ar.pages if ("ar-SA", p) not in content_catalogs]
    assert "security/incident-response.md" in missing and "acceptable-use.md" in missing
    for page in missing:
        template = content_catalogs[(None, page)].active()
        figures = ar.pages[page]
        assert figures.messages == Counts(len(template), 0, 0, len(template), 0)
        assert figures.words.total == figures.words.untranslated == \
            sum(count_words(e.msgid) for e in template)
    assert ar.folders["security"] == ar.pages["security/incident-response.md"]
    assert ar.figures == sum(ar.pages.values(), Figures())
    assert ar.figures.mt == ar.figures.messages.translated  # ar-SA pages are MT
    assert set(report.locales) == {"ar-SA", "de-DE", "fr-FR"}


def test_every_locale_lists_the_same_pages_and_a_page_known_only_from_the_list(content_catalogs):
    report = coverage_report(["legal/terms.md"], content_catalogs)
    pages = {locale: set(item.pages) for locale, item in report.locales.items()}
    assert len({frozenset(p) for p in pages.values()}) == 1
    assert all(item.pages["legal/terms.md"] == Figures() for item in report.locales.values())
    assert "legal" in report.locales["fr-FR"].folders


def test_locale_asked_for_without_catalogs_is_reported_untranslated(content_catalogs):
    report = coverage_report([], content_catalogs, locales=["es-ES"])
    es = report.locales["es-ES"].figures
    assert es.messages.translated == 0 and es.messages.total > 0


# -- thresholds ----------------------------------------------------------------------------

def figures(translated: int, total: int, words: tuple[int, int] | None = None) -> Figures:
    wt, wn = words or (translated, total)
    return Figures(Counts(total, translated, 0, total - translated),
                   Counts(wn, wt, 0, wn - wt))


def make_report(pages: dict[str, dict[str, Figures]]) -> Report:
    return Report({locale: LocaleReport(sum(p.values(), Figures()), p, {})
                   for locale, p in pages.items()})


REPORT = make_report({
    "fr-FR": {"index.md": figures(10, 10), "security/a.md": figures(5, 10, (90, 100))},
    "de-DE": {"index.md": figures(9, 10), "security/a.md": figures(10, 10)},
})


def failed(**options) -> list[tuple[str, str, float]]:
    return [(f.locale, f.scope, round(f.coverage, 1))
            for f in threshold_failures(REPORT, **options)]


def test_global_threshold_checks_every_locale():
    assert failed(min_coverage=80) == [("fr-FR", "*", 75.0)]
    assert failed(min_coverage=0) == []


def test_locale_threshold_replaces_the_global_one():
    assert failed(min_coverage=80, thresholds={"fr-FR": 70, "de-de": 99}) == [("de-DE", "*", 95.0)]


def test_folder_glob_applies_to_every_locale_or_to_one():
    assert failed(thresholds={"security/*": 60}) == [("fr-FR", "security/*", 50.0)]
    assert failed(thresholds={"de-DE:index.md": 100}) == [("de-DE", "index.md", 90.0)]


def test_thresholds_by_words():
    assert failed(thresholds={"security/*": 60}, by="words") == []  # 90 of 100 words
    assert failed(min_coverage=90, by="words") == []  # fr-FR: 100 of 110 words
    assert failed(min_coverage=90) == [("fr-FR", "*", 75.0)]  # but 15 of 20 messages


def test_locale_with_a_threshold_but_no_catalog_fails_at_zero():
    assert failed(thresholds={"es-ES": 10}) == [("es-ES", "*", 0.0)]


@pytest.mark.parametrize("options, words", [
    ({"thresholds": {"secrity/*": 90}}, "matches no page"),
    ({"thresholds": {"fr-FR": 120}}, "0-100"),
    ({"by": "pages"}, "messages' or 'words"),
])
def test_bad_threshold_config_is_an_error(options, words):
    with pytest.raises(DoclocError, match=words):
        threshold_failures(REPORT, **options)


# -- outputs --------------------------------------------------------------------------------

COUNT_KEYS = {"total", "translated", "fuzzy", "untranslated", "obsolete"}
NODE_KEYS = {"messages", "words", "coverage", "coverage_messages", "coverage_words",
             "identical", "mt", "ht"}


def test_json_has_the_documented_shape(content_catalogs):
    report = coverage_report([], content_catalogs)
    finding = Finding("fr_FR/LC_MESSAGES/index.po", 12, "fr-FR", "numbers", "warning", "x")
    failures = threshold_failures(report, min_coverage=100)
    data = json.loads(to_json(report, findings=[finding], failures=failures))
    assert set(data) == {"coverage_by", "locales", "failures", "findings"}
    for node in data["locales"].values():
        assert set(node) == NODE_KEYS | {"pages", "folders"}
        assert set(node["messages"]) == set(node["words"]) == COUNT_KEYS
        for page in node["pages"].values():
            assert set(page) == NODE_KEYS
    assert data["findings"] == [{"path": finding.path, "line": 12, "column": 0, "locale": "fr-FR",
                                 "check": "numbers", "severity": "warning", "message": "x"}]
    assert {f["locale"] for f in data["failures"]} >= {"ar-SA"}
    assert set(data["failures"][0]) == {"locale", "scope", "coverage", "threshold", "by"}


def test_coverage_is_floored_so_almost_never_reads_as_complete():
    report = make_report({"fr-FR": {"a.md": figures(9999, 10000)}})
    assert json.loads(to_json(report))["locales"]["fr-FR"]["coverage"] == 99.9


def test_markdown_comment_lists_locales_failures_and_incomplete_pages():
    failures = threshold_failures(REPORT, min_coverage=80)
    text = to_markdown(REPORT, failures=failures)
    assert "| fr-FR | 75.0 % | 15 | 0 | 5 |" in text
    assert "- fr-FR `*`: 75.0 % < 80 %" in text
    assert "`security/a.md`" in text and "`index.md` | 100.0" not in text


@pytest.mark.parametrize("percent, colour", [(100, "#4c1"), (97.3, "#4c1"), (85, "#97ca00"),
                                             (61, "#dfb317"), (45, "#fe7d37"), (3, "#e05d44")])
def test_badge_is_wellformed_svg_coloured_by_percent(percent, colour):
    svg = badge_svg("fr-FR", percent)
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    fills = {e.get("fill") for e in root.iter("{http://www.w3.org/2000/svg}rect")}
    assert colour in fills
    assert svg == badge_svg("fr-FR", percent)


def test_badge_escapes_its_label_and_shows_a_floored_percent():
    root = etree.fromstring(badge_svg('docs <"fr"> & co', 99.96).encode())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert 'docs <"fr"> & co' in texts and "99.9%" in texts
