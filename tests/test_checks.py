"""Quality checks: each fires on a case made for it, stays quiet on clean text, and obeys opt-outs.

The cases live in tests/fixtures/checks/: ``entries.po`` (one entry per case,
``# case:`` and ``# expect:`` comments) and bilingual pages whose lines carry
``expect: <check>`` in an HTML or YAML comment (the page checks' own tests are in
test_page_checks.py; here the pages serve the registry and severities).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import catalog as cat
from pipeline import catalog_po
from pipeline.checks import CHECKS, Context, Finding, features, run_checks, severities
from pipeline.errors import DoclocError
from pipeline.extract import extract
from pipeline.sxs import parse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "checks"
ENTRIES_PO = FIXTURES / "entries.po"


def load_entries() -> cat.Catalog:
    return catalog_po.load(ENTRIES_PO.read_bytes(), "tests/fixtures/checks/entries.po")


def expected_of(entry: cat.Entry) -> set[str]:
    for comment in entry.comments:
        if comment.startswith("expect:"):
            names = {n.strip() for n in comment[7:].split(",")}
            return set() if names == {"none"} else names
    raise AssertionError(f"entries.po:{entry.line}: case without an '# expect:' comment")


def case_name(entry: cat.Entry) -> str:
    return next((c[5:].strip() for c in entry.comments if c.startswith("case:")),
                f"line {entry.line}")


ENTRY_CASES = load_entries().entries


@pytest.mark.parametrize("entry", ENTRY_CASES, ids=[case_name(e) for e in ENTRY_CASES])
def test_entry_case_fires_exactly_the_expected_checks(entry):
    catalog = cat.Catalog("fixtures/checks.md", "fr-FR", (entry,))
    findings = run_checks({"entries.po": catalog})
    fired = {f.check for f in findings}
    assert fired == expected_of(entry), (
        f"entries.po:{entry.line} ({case_name(entry)}): "
        + "; ".join(str(f) for f in findings))
    assert all(f.line == entry.line and f.path == "entries.po" and f.locale == "fr-FR"
               for f in findings)


def test_every_entry_check_has_a_case_that_fires_it():
    covered = set().union(*(expected_of(e) for e in ENTRY_CASES))
    entry_checks = {name for name, c in CHECKS.items() if c.scope == "entry"}
    assert entry_checks <= covered, f"no case in entries.po for {entry_checks - covered}"


def page_findings(name: str, **options) -> list[Finding]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    page, problems = parse(text, name, "fr-FR")
    assert not problems
    return run_checks({}, pages={name: page}, **options)


def test_severity_can_be_raised_lowered_and_turned_off():
    findings = page_findings("page-bad.md", severity={"outside-text": "off",
                                                      "raw-whitespace": "error"})
    assert {f.check for f in findings} == {"front-matter", "raw-whitespace"}
    assert {f.severity for f in findings if f.check == "raw-whitespace"} == {"error"}


@pytest.mark.parametrize("overrides, words", [
    ({"numbrs": "error"}, "unknown check 'numbrs'"),
    ({"numbers": "fatal"}, "must be one of error, warning, off"),
])
def test_bad_severity_config_is_an_error_naming_it(overrides, words):
    with pytest.raises(DoclocError, match=words):
        severities(overrides)


def test_allowlisted_product_names_do_not_count_as_untranslated_words():
    entry = cat.Entry("Contoso Data Platform Enterprise Edition for Azure",
                      "Contoso Data Platform Enterprise Edition for Azure")
    catalog = {"x.po": cat.Catalog("x.md", "fr-FR", (entry,))}
    assert [f.check for f in run_checks(catalog)] == ["same"]
    assert run_checks(catalog, allow_untranslated=["Contoso Data Platform",
                                                   "Enterprise Edition"]) == []


def test_fuzzy_entries_are_checked_on_request():
    entry = cat.Entry("Delete 5 files.", "Supprimez 4 fichiers.").with_flag("fuzzy")
    catalog = {"x.po": cat.Catalog("x.md", "fr-FR", (entry,))}
    assert run_checks(catalog) == []
    assert [f.check for f in run_checks(catalog, include_fuzzy=True)] == ["numbers"]


def test_every_check_has_a_one_line_help_and_a_valid_default_severity():
    for name, check in CHECKS.items():
        assert 20 < len(check.help) < 110 and check.help == check.help.strip(), name
        assert check.severity in ("error", "warning"), name
    assert CHECKS["safe-html"].severity == "error"


@pytest.mark.parametrize("msgid, msgstr, message", [
    ("Your rights", 'Vos droits {: onclick="alert(1)" }', 'attribute list {: onclick="alert(1)" }'),
    ("Usage data.", "Les fonctions --> utilisées.", "HTML comment delimiter -->"),
    ("Account data.", "Nous facturons.\n# Titre", "line break starting block markup '#'"),
    ("Usage logs", "Journaux | injectés", "a table pipe | the source does not have"),
])
def test_safe_html_reports_what_rendering_neutralizes_one_finding_each(msgid, msgstr, message):
    catalog = {"x.po": cat.Catalog("x.md", "fr-FR", (cat.Entry(msgid, msgstr),))}
    findings = [f for f in run_checks(catalog) if f.check == "safe-html"]
    assert [str(f) for f in findings] == [f"x.po:0: error: {message} [safe-html]"]


def test_finding_prints_as_path_line_severity_message():
    finding = Finding("locales/fr_FR/LC_MESSAGES/a.po", 12, "fr-FR", "numbers", "warning",
                      "numbers: missing '30'")
    assert str(finding) == ("locales/fr_FR/LC_MESSAGES/a.po:12: warning: numbers: "
                            "missing '30' [numbers]")


@pytest.mark.parametrize("source, target", [
    ("1/31/2018", "31/01/2018"),
    ("US$100,000", "100 000 USD"),
    ("4.00 per month", "4,00 par mois"),
    ("Office 365", "Office&nbsp;365"),
    ("version 10.0.17134", "version 10.0.17134"),
    ("1.000000 connections", "1 connexion"),
])
def test_numbers_compare_by_value(source, target):
    assert sorted(features(source).numbers) == sorted(features(target).numbers)


def test_link_locale_part_is_a_localization_not_a_change():
    english, french = features("[x](https://a.com/en-us/b)"), features("[y](https://a.com/fr-fr/b)")
    assert english.links == french.links


def test_markup_inside_inline_code_is_code_only():
    found = features("Use `<b>**x**</b> 42` here")
    assert found.tags == () and found.emphasis == (0, 0, 0) and found.numbers == ()


def test_content_catalogs_pass_the_entry_checks(tmp_path):
    report = extract(ROOT / "content", tmp_path / "locales")
    catalogs = {str(p): catalog_po.load(p.read_bytes(), str(p))
                for p in (tmp_path / "locales").glob("*/LC_MESSAGES/**/*.po")}
    assert len(catalogs) == report.catalogs >= 12
    assert run_checks(catalogs) == []


# -- the shared corpus ----------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_catalogs(tmp_path_factory):
    from conftest import shared_corpus
    corpus = shared_corpus()
    if corpus is None:
        pytest.skip("shared corpus not found (set DOCLOC_SHARED)")
    locales = tmp_path_factory.mktemp("corpus") / "locales"
    extract(corpus / "2018-02-08", locales)
    return {p.relative_to(locales).as_posix(): catalog_po.load(p.read_bytes(), str(p))
            for p in sorted(locales.glob("*/LC_MESSAGES/**/*.po"))}


def at(findings, page: str, check: str) -> list[str]:
    return [f.message for f in findings if f.check == check and f.path.endswith(page)]


def test_corpus_real_defects_are_found(corpus_catalogs):
    findings = run_checks(corpus_catalogs)
    # "US$100,000" became "15000USD"; "All" individuals became "4".
    assert at(findings, "competency-cloud-platform.po", "numbers")
    assert any("'50000'" in m and "'100000'" in m
               for m in at(findings, "competency-cloud-customer-relationship-management.po",
                           "numbers"))
    # "\*\*Leave empty\*\*" came back as "\*\*Laisser vide\* \ *".
    assert at(findings, "adding-multiple-users-to-a-customer-account.po", "md-syntax")
    # Localized /fr-fr/ links, &nbsp; before colons and reordered dates are not defects.
    assert not [f for f in findings if f.check in ("md-link", "urls", "entities")]
    assert not at(findings, "billing-basics.po", "numbers") or \
        all("'1'" not in m for m in at(findings, "billing-basics.po", "numbers"))


def test_context_defaults_need_five_words_for_same():
    assert Context().same_min_words == 5
