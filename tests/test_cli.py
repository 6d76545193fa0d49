"""The docloc command's output: what a writer reads after a build."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli import EXIT_OK, main


def test_many_broken_links_print_a_bounded_summary_naming_the_full_list(project: Path, capsys):
    page = project / "content/en-US/cookie-policy.md"
    links = "".join(f"\n[missing {n}](missing-{n}.md)\n" for n in range(40))
    page.write_text(page.read_text(encoding="utf-8") + links, encoding="utf-8")
    code = main(["build", "--content", str(project / "content"), "--locales",
                 str(project / "locales"), "--site", str(project / "site")])
    out, err = capsys.readouterr()
    assert code == EXIT_OK
    mkdocs_words = [line for line in err.splitlines() if "contains a link" in line]
    assert 0 < len(mkdocs_words) <= 10, err
    assert "more link warnings from MkDocs" in err
    assert "more: every one is listed in" in out and "broken-links.json" in out
    listed = next(project.glob(".docloc-work/site/en-us/broken-links.json")).read_text("utf-8")
    assert all(f"missing-{n}.md" in listed for n in range(40))
