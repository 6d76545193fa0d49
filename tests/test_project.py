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


def test_symbolic_link_loop_in_an_export_is_reported_and_the_rest_written(project, capsys):
    folder = project / "content" / "fr-FR"
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    out = project / "out"
    code = main(["export", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), "--out", str(out)])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    assert code == EXIT_INPUT
    assert f"{folder / 'a.md'}: error: symbolic link that loops" in output
    assert (out / "fr-FR" / "privacy-policy.md").read_bytes() == \
        (folder / "privacy-policy.md").read_bytes()
    assert not (out / "fr-FR" / "a.md").exists()


def unreadable(monkeypatch, folder):
    """``folder`` cannot be listed, as without read permission (root reads everything,
    so the refusal is made where os.walk asks the file system)."""
    import os

    real = os.scandir

    def scandir(path="."):
        if os.path.abspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(folder))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_reported_and_its_catalogs_left_alone(project, monkeypatch,
                                                                       capsys):
    args = ["--content", str(project / "content"), "--locales", str(project / "locales")]
    assert main(["extract", *args]) == 0
    german = project / "locales" / "de_DE" / "LC_MESSAGES" / "privacy-policy.po"
    before = german.read_bytes()
    french = project / "locales" / "fr_FR" / "LC_MESSAGES" / "privacy-policy.po"
    french.unlink()
    capsys.readouterr()
    unreadable(monkeypatch, project / "content" / "de-DE")
    code = main(["extract", *args])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    assert code == EXIT_INPUT
    assert f"{project / 'content' / 'de-DE'}: error: cannot read this folder" in output
    assert german.read_bytes() == before  # not retired as a page that left
    assert french.is_file()  # every other page processed


def test_an_unreadable_folder_in_a_build_is_reported_and_the_rest_built(project, monkeypatch,
                                                                       capsys):
    unreadable(monkeypatch, project / "content" / "de-DE")
    site_dir = project / "site"
    code = main(["build", "--content", str(project / "content"),
                 "--locales", str(project / "locales"), "--site", str(site_dir)])
    output = "".join(capsys.readouterr())
    assert "Traceback" not in output
    assert code == EXIT_INPUT
    assert "cannot read this folder" in output
    assert (site_dir / "fr-fr" / "privacy-policy" / "index.html").is_file()
