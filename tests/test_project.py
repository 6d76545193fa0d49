"""Finding pages: links that loop or lead nowhere are refused by name, the rest is read."""

from __future__ import annotations

from pipeline.cli import EXIT_INPUT, main


def test_symbolic_link_loop_is_reported_by_path_and_every_other_page_extracted(project, capsys):
    folder = project / "content" / "fr-FR"
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    code = main(["extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    assert code == EXIT_INPUT
    assert f"{folder / 'a.md'}: error: symbolic link that loops" in output
    assert f"{folder / 'b.md'}: error: symbolic link that loops" in output
    assert (project / "locales" / "fr_FR" / "LC_MESSAGES" / "privacy-policy.po").is_file()


def test_dangling_symbolic_link_is_reported_by_path(project, capsys):
    link = project / "content" / "de-DE" / "gone.md"
    link.symlink_to("nowhere.md")
    code = main(["extract", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert code == EXIT_INPUT and f"{link}: error: symbolic link" in output


def test_symbolic_link_loop_in_a_build_is_reported_and_the_site_built(project, capsys):
    folder = project / "content" / "fr-FR"
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    site_dir = project / "site"
    code = main(["build", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), "--site", str(site_dir)])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    assert code == EXIT_INPUT
    assert f"{folder / 'a.md'}: error: symbolic link that loops" in output
    assert (site_dir / "fr-fr" / "privacy-policy" / "index.html").is_file()


def test_symbolic_link_loop_in_a_check_is_reported_by_path(project, capsys):
    folder = project / "content" / "fr-FR"
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    main(["extract", "--content", str(project / "content"), "--locales", str(project / "locales")])
    capsys.readouterr()
    code = main(["check", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    assert code == EXIT_INPUT
    assert f"{folder / 'a.md'}: error: symbolic link that loops" in output
