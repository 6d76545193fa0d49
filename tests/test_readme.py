"""The README's commands run as written, on a temporary copy of the project.

Every ``sh`` block is a reader's first contact with docloc: if one of them stops
working, the README is wrong, whatever the other tests say. Each block runs in a fresh
copy of the checked-out project (``git ls-files``), with ``../shared`` beside it when
the shared corpus exists. What cannot run as written inside a test is listed in
``ADAPTED`` with its reason, so nothing is left out silently.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)

# pip installs are checked, not performed (scripts/test.sh has just installed the
# project and its test extras; reinstalling from a temporary copy would point the
# editable install at a folder the test deletes): `pip install -e .` must find an
# installable project in the folder, `pip install NAME` an installed distribution.
PIP_SHIM = textwrap.dedent(f"""\
    #!{sys.executable}
    import importlib.metadata, pathlib, sys
    args = [a for a in sys.argv[1:] if a != "-q"]
    if args[:1] != ["install"]:
        sys.exit("pip shim: only 'pip install' is expected in the README, got %r" % args)
    for target in args[1:]:
        if target == "-e":
            continue
        if target.startswith(".") or "/" in target:
            if not (pathlib.Path(target) / "pyproject.toml").is_file():
                sys.exit("pip shim: no project at %s" % target)
            importlib.metadata.distribution("docloc")
        else:
            importlib.metadata.distribution(target)  # raises when not installed
    """)

# (pattern in a command, replacement, why): adaptations the test makes, all of them.
ADAPTED = (
    ("bash scripts/test.sh", None, "it is the command running this test"),
    ("python scripts/bench.py", "python scripts/bench.py --content content --repeat 1",
     "the benchmark itself runs on ../shared/corpus for minutes; the test runs it on the "
     "default content"),
    ("python scripts/bench_site.py --scales 1,4", "python scripts/bench_site.py --content content --scales 1",
     "as above"),
)


def sh_blocks() -> list[tuple[int, str]]:
    text = README.read_text("utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(2))
            for m in FENCE.finditer(text) if m.group(1) == "sh"]


def ci_sketch_commands() -> list[str]:
    """The ``run:`` lines of the README's CI sketch, in order."""
    text = README.read_text("utf-8")
    sketch = next(m.group(2) for m in FENCE.finditer(text)
                  if m.group(1) == "yaml" and "docloc assemble" in m.group(2))
    return [line.split("- run:", 1)[1].strip() for line in sketch.splitlines()
            if "- run:" in line]


def adapt(command: str) -> str | None:
    for pattern, replacement, _why in ADAPTED:
        if pattern in command:
            return None if replacement is None else command.replace(pattern, replacement)
    return command


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the committed project, with ../shared beside it when there is one."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    copy = tmp_path / "main"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    shared = Path(os.environ.get("DOCLOC_SHARED", ROOT.parent / "shared"))
    if shared.is_dir():
        (tmp_path / "shared").symlink_to(shared.resolve())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pip").write_text(PIP_SHIM)
    (bin_dir / "pip").chmod(0o755)
    return copy


def run(project: Path, script: str, tmp: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{tmp / 'bin'}{os.pathsep}{Path(sys.executable).parent}"
               f"{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("line,block", sh_blocks(), ids=lambda v: f"line{v}" if isinstance(v, int) else "")
def test_readme_sh_block_runs_as_written(project, tmp_path, line, block):
    if "../shared/corpus" in block and not (project.parent / "shared" / "corpus").is_dir():
        pytest.skip("the block reads ../shared/corpus, absent here")
    commands = [adapt(c) for c in block.strip().splitlines()]
    commands = [c.replace("/tmp/", f"{tmp_path}/tmp/") for c in commands if c is not None]
    if not commands:
        pytest.skip(f"README line {line}: {ADAPTED[0][2]}")
    done = run(project, "\n".join(commands), tmp_path)
    assert done.returncode == 0, (f"README.md line {line} failed (exit {done.returncode}):\n"
                                  f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if "&& echo identical" in block:
        assert "identical" in done.stdout.splitlines()


def test_the_first_command_builds_every_language_of_the_default_content(project, tmp_path):
    """README's "one command runs the main job": the site holds every language's home."""
    first_line, first = sh_blocks()[0]
    assert "docloc build" in first, f"README line {first_line} is no longer the build command"
    done = run(project, first, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    languages = {p.name for p in (project / "content").iterdir() if p.is_dir()}
    for locale in languages:
        assert (project / "site" / locale.lower() / "index.html").is_file(), locale
    assert (project / "site" / "index.html").is_file()


def test_readme_ci_sketch_builds_languages_apart_then_assembles_them(project, tmp_path):
    commands = ci_sketch_commands()
    assert any("docloc assemble" in c for c in commands)
    script = []
    for command in commands:
        if "${{ matrix.locale }}" in command:
            matrix = re.search(r"locale: \[([^\]]+)\]", README.read_text("utf-8")).group(1)
            script += [command.replace("${{ matrix.locale }}", locale.strip())
                       for locale in matrix.split(",")]
        else:
            script.append(command)
    done = run(project, "\n".join(script), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (project / "site" / "fr-fr" / "index.html").is_file()
    assert (project / "site" / "ar-sa" / "index.html").is_file()


def test_readme_settings_example_is_accepted_by_docloc(project, tmp_path):
    """The docloc.toml block is a valid settings file: check reads it (a refusal is exit 2)."""
    text = README.read_text("utf-8")
    settings = next(m.group(2) for m in FENCE.finditer(text)
                    if m.group(1) == "toml" and "source_locale" in m.group(2))
    (project / "docloc.toml").write_text(settings, "utf-8")
    done = run(project, "docloc check", tmp_path)
    assert done.returncode in (0, 1, 3), done.stderr[-3000:]
    assert "docloc.toml" not in done.stderr, done.stderr[-3000:]


def test_every_adaptation_still_matches_a_readme_command():
    """An ADAPTED entry whose command left the README would hide nothing but mislead."""
    commands = [c for _line, block in sh_blocks() for c in block.splitlines()]
    for pattern, _replacement, why in ADAPTED:
        assert any(pattern in c for c in commands), (pattern, why)


def test_shell_blocks_parse():
    for _line, block in sh_blocks():
        for command in block.strip().splitlines():
            shlex.split(command.split("#", 1)[0])  # raises on an unbalanced quote


def test_every_test_file_and_module_the_readme_names_exists():
    """A promise that names a test, a script or a module is held by something real."""
    text = README.read_text("utf-8")
    tests = "\n".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    named = set(re.findall(r"`(test_\w+)`", text))
    assert named, "the README names no test"
    missing = sorted(n for n in named if not re.search(rf"^def {n}\(", tests, re.M))
    paths = set(re.findall(r"`((?:tests|scripts|pipeline|docs)/[\w./-]+\.\w+)`", text))
    missing += sorted(p for p in paths if not (ROOT / p).is_file())
    assert not missing, f"README.md names what does not exist: {missing}"
