"""docloc serve meets broken content while it runs: it reports, and keeps serving."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import polib
from browser_util import docloc_serving

ROOT = Path(__file__).resolve().parent.parent


def fetch(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def save(project: Path, msgid: str, msgstr: str) -> None:
    path = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
    po = polib.pofile(str(path))
    next(e for e in po if e.msgid == msgid).msgstr = msgstr
    po.save(str(path))


def test_a_symlink_loop_made_while_serving_is_reported_and_later_saves_are_built(
        project, monkeypatch, capfd):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    folder = project / "content" / "fr-FR"
    reports: list = []
    with docloc_serving(project, on_build=reports.append) as base:
        version = fetch(base + "__docloc/version")
        (folder / "a.md").symlink_to("b.md")
        (folder / "b.md").symlink_to("a.md")
        save(project, "Data we collect", "Données, malgré la boucle")
        version = fetch(base + "__docloc/version?since=" + version)
        assert "Données, malgré la boucle" in fetch(base + "fr-fr/privacy-policy/")
        # serve is still up and still builds: the next save shows too
        save(project, "Data we collect", "Données, encore")
        fetch(base + "__docloc/version?since=" + version)
        assert "Données, encore" in fetch(base + "fr-fr/privacy-policy/")
    assert "Traceback" not in "".join(capfd.readouterr())
    # the report serve prints after the rebuild names the link
    assert any(str(folder / "a.md") in str(problem) and "symbolic link that loops"
               in str(problem) for report in reports for problem in report.problems)
