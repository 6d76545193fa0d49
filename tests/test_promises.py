"""README promises that no other test file held (issue 17): one small test each.

Each test names the README sentence it holds in its docstring, and runs docloc as a
user does (``pipeline.cli.main`` on a copy of the default content) wherever it can.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib
from pathlib import Path

import lxml.html
import pytest

from pipeline.cli import EXIT_OK, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SEG = ('<span data-ttu-id="a-1">{target}</span><span class="sxs-lookup">'
       '<span data-stu-id="a-1">{source}</span></span>\n')


def paths(project: Path, *extra: str) -> list[str]:
    return ["--content", str(project / "content"), "--locales", str(project / "locales"), *extra]


def build(project: Path) -> int:
    return main(["build", *paths(project, "--site", str(project / "site"))])


def commands() -> dict[str, object]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return dict(sub.choices)


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_explains_itself_with_help(name, capsys):
    """Commands: "`docloc COMMAND --help` explains each", and those reading files take
    `--content DIR` and `--locales DIR` (the building ones `--site DIR` too)."""
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and f"usage: docloc {name}" in out
    parser = commands()[name]
    assert parser.description or parser.format_help().count("\n") > 3
    options = {o for a in parser._actions for o in a.option_strings}
    if name != "assemble":  # joins built sites: it reads no pages or catalogs
        assert {"--content", "--locales"} <= options
    if name in ("build", "serve", "assemble"):
        assert "--site" in options


def test_interrupted_run_exits_130_saying_what_was_written(project, monkeypatch, capsys):
    """Exit codes: "130 interrupted"."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("pipeline.extract.extract", interrupted)
    assert main(["extract", *paths(project)]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_check_list_names_every_check_its_severity_and_the_opt_out(tmp_path, monkeypatch,
                                                                  capsys):
    """Commands: `docloc check ... --list`."""
    from pipeline.checks import CHECKS, severities

    monkeypatch.chdir(tmp_path)  # default severities: no docloc.toml here
    assert main(["check", "--list"]) == EXIT_OK
    out = capsys.readouterr().out
    for name, level in severities().items():
        assert re.search(rf"^{re.escape(name)}\s.*\b{level}\b", out, re.M), name
    assert set(severities()) == set(CHECKS) and "ignore-<check>" in out


def test_check_no_cache_analyses_every_file(project, capsys):
    """Commands: check's "unchanged files come from a cache ... (`--no-cache` to analyse all)"."""
    assert main(["extract", *paths(project)]) == EXIT_OK
    main(["check", *paths(project)])
    main(["check", *paths(project)])
    assert re.search(r"(\d+) files read, 0 analysed", capsys.readouterr().out)
    main(["check", *paths(project, "--no-cache")])
    read, analysed = re.search(r"(\d+) files read, (\d+) analysed", capsys.readouterr().out).groups()
    assert int(read) == int(analysed) > 0


def test_front_matter_locale_wins_over_the_folder(tmp_path):
    """Content folder: "A page's locale comes from `ms.contentlocale` ..., else its
    `content/<locale>/` folder"."""
    page = tmp_path / "content/de-DE/odd.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\nms.contentlocale: fr-FR\n---\n"
                    + SEG.format(target="Bonjour", source="Hello"), encoding="utf-8")
    assert main(["extract", *paths(tmp_path)]) == EXIT_OK
    assert list((tmp_path / "locales/fr_FR").rglob("odd.po"))
    assert not (tmp_path / "locales/de_DE").exists()


def test_msgid_and_msgstr_are_trimmed(tmp_path):
    """Catalogs: "`msgid` is the English source, `msgstr` the translation, both trimmed"."""
    page = tmp_path / "content/fr-FR/p.md"
    page.parent.mkdir(parents=True)
    page.write_text(SEG.format(target="  Les partenaires ", source=" Partners  "), "utf-8")
    assert main(["extract", *paths(tmp_path)]) == EXIT_OK
    po = (tmp_path / "locales/fr_FR/LC_MESSAGES/p.po").read_text(encoding="utf-8")
    assert 'msgid "Partners"\nmsgstr "Les partenaires"\n' in po


def test_merge_base_keeps_what_the_vendor_delivered_not_the_translators_edit(project):
    """Catalogs: "`locales/.docloc/<ll_CC>.json` keeps what was last imported from the
    vendor (the merge base)"."""
    assert main(["extract", *paths(project)]) == EXIT_OK
    po = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Données que nous collectons"' in text
    po.write_text(text.replace('msgstr "Données que nous collectons"',
                               'msgstr "Les données collectées"'), encoding="utf-8")
    assert main(["extract", *paths(project)]) == EXIT_OK
    state = json.loads((project / "locales/.docloc/fr_FR.json").read_text(encoding="utf-8"))
    base = state["pages"]["privacy-policy.md"]["base"]
    assert base["Data we collect"] == "Données que nous collectons"
    assert "Les données collectées" in po.read_text(encoding="utf-8")


def test_trust_content_in_docloc_toml_publishes_the_pages_own_markup(project, monkeypatch):
    """Untrusted content: "`trust_content = true` in `docloc.toml`"."""
    page = project / "content/fr-FR/index.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + '\n<div class="team-widget" onclick="track()">widget</div>\n', "utf-8")
    (project / "docloc.toml").write_text("trust_content = true\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert build(project) == EXIT_OK
    assert 'onclick="track()"' in (project / "site/fr-fr/index.html").read_text("utf-8")


def test_a_changed_mkdocs_yml_is_built_again(project, monkeypatch):
    """Big sites: a build renders nothing only when its inputs, `mkdocs.yml` included, did
    not change."""
    monkeypatch.chdir(project)
    home = project / "site/fr-fr/index.html"
    for name in ("First", "Second"):
        (project / "mkdocs.yml").write_text(f"site_name: {name}\n", encoding="utf-8")
        assert build(project) == EXIT_OK
        assert lxml.html.fromstring(home.read_bytes()).findtext(".//title").endswith(name)


def test_your_settings_of_docloc_markdown_extensions_win(project, monkeypatch):
    """Your own docset: "docloc still adds the Markdown extensions its pages need ...; your
    settings of those win" (docloc's own `toc` has no permalinks)."""
    monkeypatch.chdir(project)
    (project / "mkdocs.yml").write_text(
        "site_name: Mine\nmarkdown_extensions:\n  - toc:\n      permalink: true\n", "utf-8")
    assert build(project) == EXIT_OK
    html = (project / "site/fr-fr/privacy-policy/index.html").read_text(encoding="utf-8")
    assert 'class="headerlink"' in html and 'class="admonition' in html


def test_runtime_dependencies_are_exactly_what_pipeline_imports():
    """Why these libraries: "The runtime dependencies in `pyproject.toml` are exactly what
    `pipeline/` imports"; no PO library, bs4 or lxml at run time."""
    imported = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"pipeline"}
    assert not third_party & {"polib", "bs4", "lxml", "translate"}
    dists = importlib.metadata.packages_distributions()
    used = {d.lower().replace("_", "-") for name in third_party for d in dists[name]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", d)[0].lower() for d in project["dependencies"]}
    assert declared <= used
    # Python-Markdown is imported as MkDocs' own (its hooks' slugify), not declared apart.
    assert used - declared <= {"markdown"} and "markdown" in requirements("mkdocs")


def requirements(dist: str) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r)[0].lower()
            for r in importlib.metadata.requires(dist) or () if "extra ==" not in r}
