"""The docloc command line (pipeline/cli.py): arguments as a writer types them, exit codes.

What the commands print is tested in test_report.py."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli import EXIT_USAGE, main


def test_an_ambiguous_locale_is_bad_usage_naming_the_choices(project: Path, capsys):
    (project / "content" / "fr-CA").mkdir()
    code = main(["build", "--content", str(project / "content"), "--locales",
                 str(project / "locales"), "--site", str(project / "site"), "--locale", "fr"])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "locale 'fr' is ambiguous here: fr-CA, fr-FR; give one of them" in err
    assert not (project / "site").exists()  # refused before any work
