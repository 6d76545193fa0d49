"""What docloc prints (pipeline/report.py): tables, progress bars, the build's report."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.cli import EXIT_OK, main
from pipeline.report import table


def test_table_aligns_text_left_and_numbers_right_with_one_decimal():
    shown = table(("locale", "messages", "coverage %"),
                  [("fr-FR", 165, 72.14), ("ar-SA", 9, 100.0)])
    assert shown.split("\n") == ["locale  messages  coverage %",
                                  "------  --------  ----------",
                                  "fr-FR        165        72.1",
                                  "ar-SA          9       100.0"]


def test_a_column_with_any_text_is_left_aligned_and_lines_end_without_spaces():
    shown = table(("page", "n"), [("a-long-page.md", 3), ("b.md", "none")])
    assert shown.split("\n")[2:] == ["a-long-page.md  3", "b.md            none"]


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


# -- progress --------------------------------------------------------------------------

def run_in_terminal(args: list[str], cwd: Path, *, term: str = "xterm") -> tuple[int, str, str]:
    """Run docloc with stderr on a pseudo-terminal of 24x100 (as a writer's shell is);
    returns the exit code, stdout and what the terminal showed."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    run = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=cwd,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
                           env={**os.environ, "TERM": term})
    os.close(follower)
    shown = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        shown += data
    out = run.stdout.read().decode("utf-8")
    os.close(leader)
    return run.wait(), out, shown.decode("utf-8", "replace")


def test_a_build_on_a_terminal_shows_a_bar_per_phase_and_wipes_it(project: Path):
    code, out, shown = run_in_terminal(
        ["build", "--content", "content", "--locales", "locales", "--site", "site"], project)
    assert code == EXIT_OK, out + shown
    for phase, unit in (("extracting", "catalog"), ("checking", "file"),
                        ("rendering", "page"), ("building", "language")):
        assert re.search(rf"{phase}: +\d+%\|.*\| \d+/\d+ .*{unit}/s", shown), (phase, shown)
    assert shown.rsplit("\r", 2)[-2].strip() == ""  # the last bar wiped: the report stands alone
    assert "build:" in out and "\r" not in out


def test_no_bar_when_output_is_not_a_terminal(project: Path):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--content", "content",
                          "--locales", "locales"], cwd=project, capture_output=True, text=True)
    assert run.returncode == EXIT_OK, run.stderr
    assert "\r" not in run.stderr + run.stdout and "extracting" not in run.stderr
    assert "extract:" in run.stdout


def test_no_bar_on_a_dumb_terminal(project: Path):
    code, out, shown = run_in_terminal(
        ["extract", "--content", "content", "--locales", "locales"], project, term="dumb")
    assert code == EXIT_OK, out + shown
    assert "extracting" not in shown and "\r" not in shown
    assert "extract:" in out
