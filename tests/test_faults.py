"""Faults: kill -9 during extract and build, writes that fail, two runs at once.

1. A run killed at any moment leaves every file as it was before or as a clean run
   leaves it, never half-written; each catalog still parses. Kills are sent to
   the run's process group (as a CI runner cancelling a job does), at moments
   drawn from a seeded random generator spread over a clean run's duration.
2. A write that fails (simulated: ``os.replace`` or the write itself raising
   ENOSPC, a read-only folder) leaves the old file intact, names the file and
   exits 4; the other files are still written.
3. One run at a time: a second run refuses with a message naming the holder of
   the project lock.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import conftest
import polib
import pytest
from conftest import shared_corpus

from pipeline import catalog_po
from pipeline.cli import EXIT_INPUT, EXIT_LOCKED, EXIT_OK, main
from pipeline.files import project_lock

TESTS = Path(__file__).parent
ROOT = TESTS.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])),
    "SOURCE_DATE_EPOCH": "0"}
SEED = int(os.environ.get("DOCLOC_FAULT_SEED", "20240607"))
PAGE_PO = "fr_FR/LC_MESSAGES/privacy-policy.po"


def tree_bytes(root: Path) -> dict[str, bytes]:
    """conftest's ``tree_bytes`` without the writers' temporaries (``.name.tmp``): a kill
    may leave one, which ``leftovers`` reports and the next run removes."""
    return {uri: data for uri, data in conftest.tree_bytes(root).items()
            if not (uri.rpartition("/")[2].startswith(".") and uri.endswith(".tmp"))}


def leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


def docloc(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.Popen:
    """``python -m pipeline ARGS`` in its own process group."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=cwd,
                            env=env or ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def run_to_end(args: list[str], cwd: Path, env: dict | None = None) -> float:
    """Run docloc to completion; return its duration in seconds."""
    start = time.monotonic()
    proc = docloc(args, cwd, env)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == EXIT_OK, err.decode(errors="replace")[-3000:]
    return time.monotonic() - start


def kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL the run's process group after ``delay`` s; False when it had already ended."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.002)
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
    return alive


@pytest.fixture
def slow_renames(tmp_path: Path) -> dict:
    """An environment whose docloc sleeps 3 ms before each rename.

    The writes of a clean extract take a few milliseconds in all, so random kills
    would almost never land among them; widened this way, many do. Nothing else
    changes (a ``sitecustomize`` module wraps ``os.replace``).
    """
    folder = tmp_path / "slow-renames"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        "import os, time\n_replace = os.replace\n\n\n"
        "def replace(src, dst, *args, **kwargs):\n"
        "    time.sleep(0.003)\n"
        "    return _replace(src, dst, *args, **kwargs)\n\n\n"
        "os.replace = replace\n", encoding="utf-8")
    return {**ENV, "PYTHONPATH": os.pathsep.join([str(folder), ENV["PYTHONPATH"]])}


# -- kill -9 during extract -------------------------------------------------------------------

@pytest.fixture
def content_drop(tmp_path: Path) -> tuple[Path, Path]:
    """Two snapshots of a corpus-sized content folder: the last drop and the new one.

    The shared corpus' two snapshots when present; else content/ replicated 25 times,
    the new drop with the first target of every bilingual page changed.
    """
    corpus = shared_corpus()
    old, new = tmp_path / "drop-old", tmp_path / "drop-new"
    if corpus is not None:
        shutil.copytree(corpus / "2018-02-08", old)
        shutil.copytree(corpus / "2018-04-24", new)
        return old, new
    for n in range(25):
        for src in sorted((ROOT / "content").rglob("*")):
            if not src.is_file():
                continue
            rel = src.relative_to(ROOT / "content")
            for folder, change in ((old, False), (new, True)):
                dest = folder / rel.parts[0] / f"copy{n:02}" / Path(*rel.parts[1:])
                dest.parent.mkdir(parents=True, exist_ok=True)
                data = src.read_bytes()
                if change and src.suffix == ".md":  # the vendor's new first target
                    data = re.sub(rb'(<span data-ttu-id="[^"]+">)', rb"\1Nouveau : ", data,
                                  count=1)
                dest.write_bytes(data)
    return old, new


def test_kill_9_during_extract_leaves_every_catalog_old_or_new(tmp_path, content_drop,
                                                               slow_renames):
    old_content, new_content = content_drop
    before_dir = tmp_path / "before"
    run_to_end(["extract", "-q", "--content", str(old_content), "--locales", str(before_dir)],
               tmp_path)
    after_dir = tmp_path / "after"
    shutil.copytree(before_dir, after_dir)
    args = ["extract", "-q", "--content", str(new_content), "--locales"]
    duration = run_to_end(args + [str(after_dir)], tmp_path, slow_renames)
    before, after = tree_bytes(before_dir), tree_bytes(after_dir)
    assert sum(1 for k in after if before.get(k) != after[k]) > 10  # the drop changes a lot

    rng = random.Random(SEED)
    mixed = 0
    for attempt in range(12):
        work = tmp_path / f"run{attempt}"
        shutil.copytree(before_dir, work)
        # Every other kill falls in the last part of the run, where the writes are
        # (a small drop writes for a few hundred milliseconds at the end).
        delay = rng.uniform(0.0, duration * 1.1) if attempt % 2 == 0 else \
            rng.uniform(duration * 0.6, duration * 1.05)
        kill_after(docloc(args + [str(work)], tmp_path, slow_renames), delay)
        now = tree_bytes(work)
        where = f"(seed {SEED}, attempt {attempt}, killed after {delay:.3f} s of {duration:.3f})"
        for name, data in now.items():
            assert data in (before.get(name), after.get(name)), f"{name} half-written {where}"
            if name.endswith((".po", ".pot")):
                catalog_po.load(data, name)  # parses (raises DoclocError otherwise)
        for name in before:
            assert name in now, f"{name} lost {where}"
        assert all(Path(p).name.startswith(".") for p in leftovers(work)), leftovers(work)
        states = {"old" if now[n] == before.get(n) else "new" for n in now
                  if before.get(n) != after.get(n)}
        mixed += states == {"old", "new"}
        # The run after the killed one ends where an uninterrupted run ends (the two
        # test_extract_killed_* tests below pin the two ways this once failed).
        run_to_end(args + [str(work)], tmp_path)
        assert tree_bytes(work) == after, f"the run after a kill did not recover {where}"
        assert leftovers(work) == [], f"the run after a kill left temporaries {where}"
    print(f"kill -9 during extract: 12 kills, {mixed} among the writes; "
          f"clean run {duration:.2f} s")
    assert mixed >= 2, "too few kills landed among the writes to show anything"


def _kill_extract_at(project: Path, monkeypatch, killed) -> None:
    """Run extract in-process, 'killed' (KeyboardInterrupt) at the first write killed(path)."""
    from pipeline import extract as extract_module

    real_write = extract_module.write_atomic

    def write(abs_path, data):
        if killed(Path(abs_path)):
            raise KeyboardInterrupt  # where kill -9 lands in this scenario
        return real_write(abs_path, data)

    monkeypatch.setattr(extract_module, "write_atomic", write)
    with pytest.raises(KeyboardInterrupt):
        extract_module.extract(project / "content", project / "locales")
    monkeypatch.undo()


def _clean_run(project: Path, capsys, tmp_path: Path) -> dict[str, bytes]:
    """What an uninterrupted extract makes of the project (which is then put back as it was)."""
    saved = tmp_path / "saved-locales"
    shutil.copytree(project / "locales", saved)
    assert _extract(project, capsys)[0] == EXIT_OK
    result = tree_bytes(project / "locales")
    shutil.rmtree(project / "locales")
    shutil.copytree(saved, project / "locales")
    return result


def test_extract_killed_after_the_state_files_still_applies_the_vendor_update(
        project, monkeypatch, capsys, tmp_path):
    assert _extract(project, capsys)[0] == EXIT_OK
    page = project / "content" / "fr-FR" / "privacy-policy.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        ">Données que nous collectons<", ">Les données que nous collectons<"), encoding="utf-8")
    clean = _clean_run(project, capsys, tmp_path)
    _kill_extract_at(project, monkeypatch, lambda path: ".docloc" not in path.parts)
    assert _extract(project, capsys)[0] == EXIT_OK
    po = (project / "locales" / PAGE_PO).read_text(encoding="utf-8")
    assert 'msgstr "Les données que nous collectons"' in po and "#. vendor:" not in po
    assert tree_bytes(project / "locales") == clean


def test_extract_killed_before_the_templates_brings_them_up_to_date(project, monkeypatch,
                                                                     capsys, tmp_path):
    assert _extract(project, capsys)[0] == EXIT_OK
    page = project / "content" / "fr-FR" / "privacy-policy.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        ">Data we collect<", ">Data that we collect<"), encoding="utf-8")
    clean = _clean_run(project, capsys, tmp_path)
    # Killed once catalogs and state are written, before the POTs.
    _kill_extract_at(project, monkeypatch, lambda path: "templates" in path.parts)
    assert _extract(project, capsys)[0] == EXIT_OK
    assert tree_bytes(project / "locales") == clean


def test_kill_9_during_first_extract_leaves_no_half_catalog(tmp_path, content_drop,
                                                            slow_renames):
    _, new_content = content_drop
    clean = tmp_path / "clean"
    args = ["extract", "-q", "--content", str(new_content), "--locales"]
    duration = run_to_end(args + [str(clean)], tmp_path, slow_renames)
    complete = tree_bytes(clean)
    rng = random.Random(SEED + 1)
    for attempt in range(6):
        work = tmp_path / f"first{attempt}"
        delay = rng.uniform(duration * 0.3, duration * 1.05)
        kill_after(docloc(args + [str(work)], tmp_path, slow_renames), delay)
        for name, data in tree_bytes(work).items():
            assert data == complete[name], f"{name} half-written (killed after {delay:.3f} s)"


# -- kill -9 during build ---------------------------------------------------------------------

def _tag_trees(site: Path) -> dict[str, dict[str, bytes]]:
    """The site by top-level entry: each language folder's files, and each root file."""
    trees = {}
    for entry in sorted(site.iterdir()) if site.is_dir() else []:
        if entry.is_dir():
            trees[entry.name] = tree_bytes(entry)
        else:
            trees[entry.name] = {"": entry.read_bytes()}
    return trees


def _edit_translations(project: Path) -> None:
    """A translator's edit in fr-FR and a vendor's new target in de-DE."""
    po = polib.pofile(str(project / "locales" / PAGE_PO), wrapwidth=0)
    entry = po.find("Data we collect")
    entry.msgstr = "Les données que nous recueillons"
    po.save()
    page = project / "content" / "de-DE" / "privacy-policy.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(">Datenschutzrichtlinie", ">Die Datenschutzrichtlinie", 1),
                    encoding="utf-8")


@pytest.fixture
def built_project(tmp_path: Path) -> Path:
    """A project built once, then edited: the state a new build starts from."""
    project = tmp_path / "pristine"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    run_to_end(["build", "--content", "content", "--locales", "locales", "--site", "site"],
               project)
    _edit_translations(project)
    return project


BUILD = ["build", "--content", "content", "--locales", "locales", "--site", "site"]


def test_kill_9_during_build_leaves_the_previous_site_complete(tmp_path, built_project,
                                                               slow_renames):
    before = _tag_trees(built_project / "site")
    finished = tmp_path / "finished"
    shutil.copytree(built_project, finished, symlinks=True)
    duration = run_to_end(BUILD, finished, slow_renames)
    after = _tag_trees(finished / "site")
    assert before["fr-fr"] != after["fr-fr"] and before["de-de"] != after["de-de"]
    visible = {name for name in before if not name.startswith(".")}

    rng = random.Random(SEED + 2)
    mixed = 0
    for attempt in range(8):
        work = tmp_path / f"build{attempt}"
        shutil.copytree(built_project, work, symlinks=True)
        delay = rng.uniform(0.0, duration * 1.05)
        kill_after(docloc(BUILD, work, slow_renames), delay)
        now = _tag_trees(work / "site")
        where = (f"(seed {SEED + 2}, attempt {attempt}, "
                 f"killed after {delay:.2f} s of {duration:.2f})")
        assert {name for name in now if not name.startswith(".")} == visible, where
        for name in visible:
            assert now[name] in (before[name], after[name]), f"site/{name} is half-built {where}"
        changed = {name for name in visible if before[name] != after[name]}
        states = {"old" if now[n] == before[n] else "new" for n in changed}
        mixed += states == {"old", "new"}
    print(f"kill -9 during build: 8 kills, {mixed} left old and new languages side by side; "
          f"clean build {duration:.2f} s")


def test_build_after_an_interrupted_build_publishes_the_new_translations(
        built_project, monkeypatch, capsys):
    from pipeline import pool

    def interrupted(args):
        raise KeyboardInterrupt  # what kill -9 or Ctrl-C does while MkDocs runs

    monkeypatch.chdir(built_project)
    monkeypatch.setattr(pool, "_build_one", interrupted)
    assert main(BUILD + ["--jobs", "1"]) != EXIT_OK
    monkeypatch.undo()
    monkeypatch.chdir(built_project)
    assert main(BUILD + ["--jobs", "1"]) == EXIT_OK
    capsys.readouterr()
    html = (built_project / "site/fr-fr/privacy-policy/index.html").read_text(encoding="utf-8")
    assert "Les données que nous recueillons" in html


def test_interrupted_swap_leaves_no_half_site_behind(built_project, monkeypatch, capsys):
    from pipeline import publish

    real_rmtree = shutil.rmtree

    def killed_while_deleting(path, *args, **kwargs):
        if ".old-" in str(path):
            victims = sorted(Path(path).rglob("*.html"))
            for victim in victims[: len(victims) // 2]:
                victim.unlink()  # half of it gone, then the process dies
            raise KeyboardInterrupt
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.chdir(built_project)
    monkeypatch.setattr(publish.shutil, "rmtree", killed_while_deleting)
    main(BUILD + ["--jobs", "1"])
    monkeypatch.undo()
    monkeypatch.chdir(built_project)
    (built_project / "content/fr-FR/index.md").write_text(
        (built_project / "content/fr-FR/index.md").read_text(encoding="utf-8") + "\nFin.\n",
        encoding="utf-8")
    assert main(BUILD + ["--jobs", "1"]) == EXIT_OK
    capsys.readouterr()
    assert sorted(p.name for p in (built_project / "site").iterdir()
                  if p.name.startswith(".")) == []


# -- writes that fail -------------------------------------------------------------------------

def _extract(project: Path, capsys) -> tuple[int, str]:
    code = main(["extract", "-q", "--content", str(project / "content"),
                 "--locales", str(project / "locales")])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _edit_two_pages(project: Path) -> None:
    for page, old, new in (("fr-FR/privacy-policy.md", ">Données que nous collectons",
                            ">Les données que nous collectons"),
                           ("fr-FR/data-retention.md", ">Nous ne conservons",
                            ">Nous gardons")):
        path = project / "content" / page
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def extracted(project: Path, capsys) -> Path:
    assert _extract(project, capsys)[0] == EXIT_OK
    return project


def test_failed_rename_of_a_catalog_keeps_the_old_one_and_names_it(extracted, monkeypatch,
                                                                   capsys):
    project = extracted
    target = project / "locales" / PAGE_PO
    old = target.read_bytes()
    _edit_two_pages(project)
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    code, output = _extract(project, capsys)
    assert code == EXIT_INPUT
    assert str(target) in output and os.strerror(errno.ENOSPC) in output
    assert target.read_bytes() == old
    assert "Nous gardons" in (project / "locales/fr_FR/LC_MESSAGES/data-retention.po"
                              ).read_text(encoding="utf-8")
    assert leftovers(project / "locales") == []


def test_disk_full_while_writing_keeps_every_old_file(extracted, monkeypatch, capsys):
    project = extracted
    before = tree_bytes(project / "locales")
    _edit_two_pages(project)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    code, output = _extract(project, capsys)
    assert code == EXIT_INPUT
    assert str(project / "locales" / PAGE_PO) in output
    assert os.strerror(errno.ENOSPC) in output
    assert tree_bytes(project / "locales") == before
    assert leftovers(project / "locales") == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_read_only_locales_folder_keeps_the_old_catalogs_and_names_them(extracted, capsys):
    project = extracted
    folder = project / "locales" / "fr_FR" / "LC_MESSAGES"
    before = tree_bytes(folder)
    _edit_two_pages(project)
    folder.chmod(0o555)
    try:
        code, output = _extract(project, capsys)
    finally:
        folder.chmod(0o755)
    assert code == EXIT_INPUT
    assert str(folder / "privacy-policy.po") in output
    assert tree_bytes(folder) == before


def _site_build(project: Path, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.chdir(project)
    code = main(BUILD + ["--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_failed_write_of_the_docs_leaves_the_previous_site(built_project, monkeypatch, capsys):
    before = _tag_trees(built_project / "site")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if ".docloc-work/site/" in str(dst) and str(dst).endswith(".md"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    code, output = _site_build(built_project, monkeypatch, capsys)
    assert code == EXIT_INPUT
    assert ".docloc-work/site/" in output and os.strerror(errno.ENOSPC) in output
    assert _tag_trees(built_project / "site") == before


def test_failed_swap_leaves_the_previous_language_served(built_project, monkeypatch, capsys):
    before = _tag_trees(built_project / "site")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(src).name == "site" and ".docloc-work/site/" in str(src):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return real_replace(src, dst, *args, **kwargs)

    def exchange(a, b):  # the one-step swap fails the same way (another filesystem)
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(b))

    from pipeline import publish

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(publish, "_exchange", exchange)
    code, output = _site_build(built_project, monkeypatch, capsys)
    assert code == EXIT_INPUT and "site" in output
    assert _tag_trees(built_project / "site") == before


# -- one run at a time ------------------------------------------------------------------------

def test_second_extract_refuses_naming_the_lock_holder(extracted, capsys):
    project = extracted
    before = tree_bytes(project / "locales")
    _edit_two_pages(project)
    with project_lock(project / "locales", "test holder"):
        code, output = _extract(project, capsys)
    assert code == EXIT_LOCKED
    assert f"docloc test holder (pid {os.getpid()})" in output
    assert str(project / "locales" / ".docloc.lock") in output
    assert tree_bytes(project / "locales") == before
    assert _extract(project, capsys)[0] == EXIT_OK  # released: the next run goes through


def test_build_refuses_while_an_extract_holds_the_lock(built_project, monkeypatch, capsys):
    before = _tag_trees(built_project / "site")
    with project_lock(built_project / "locales", "extract"):
        code, output = _site_build(built_project, monkeypatch, capsys)
    assert code == EXIT_LOCKED
    assert f"(pid {os.getpid()})" in output and "Traceback" not in output
    assert _tag_trees(built_project / "site") == before


def test_run_during_an_extract_either_refuses_or_survives_it(extracted, monkeypatch, capsys,
                                                             tmp_path):
    project = extracted
    source = "This page was written in English first."
    tmx = tmp_path / "memory.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en-US" '
        'segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" '
        'creationtool="t" creationtoolversion="1"/><body><tu>'
        f'<tuv xml:lang="en-US"><seg>{source}</seg></tuv>'
        '<tuv xml:lang="fr-FR"><seg>Cette page a été écrite en anglais.</seg></tuv>'
        "</tu></body></tmx>\n", encoding="utf-8")
    from pipeline import extract as extract_module

    real_merge, ran = extract_module.merge, []

    def merge_while_another_run_goes(theirs, *args, **kwargs):
        # The other run goes while extract holds the catalog it read, not yet merged.
        if not ran and theirs.page == "cookie-policy.md" and theirs.locale == "fr-FR":
            ran.append(main(["tm", "import", str(tmx), "--locale", "fr-FR",
                             "--locales", str(project / "locales")]))
        return real_merge(theirs, *args, **kwargs)

    monkeypatch.setattr(extract_module, "merge", merge_while_another_run_goes)
    code, output = _extract(project, capsys)
    assert ran, "the hook did not run"
    assert ran[0] == EXIT_LOCKED or "1 untranslated entries got fuzzy suggestions" in output
    po = (project / "locales/fr_FR/LC_MESSAGES/cookie-policy.po").read_text(encoding="utf-8")
    refused = ran[0] == EXIT_LOCKED or code == EXIT_LOCKED
    assert refused or "Cette page a été écrite en anglais." in po, \
        "tm import ran during extract and extract wrote over its suggestion"


def test_two_extracts_at_once_end_as_one_clean_run(tmp_path, content_drop):
    old_content, new_content = content_drop
    locales = tmp_path / "locales"
    run_to_end(["extract", "-q", "--content", str(old_content), "--locales", str(locales)],
               tmp_path)
    clean = tmp_path / "clean"
    shutil.copytree(locales, clean)
    args = ["extract", "-q", "--content", str(new_content), "--locales"]
    run_to_end(args + [str(clean)], tmp_path)
    first, second = docloc(args + [str(locales)], tmp_path), docloc(args + [str(locales)],
                                                                       tmp_path)
    for proc in (first, second):
        _, err = proc.communicate(timeout=600)
        message = err.decode(errors="replace")
        assert proc.returncode in (EXIT_OK, EXIT_LOCKED), message
        if proc.returncode == EXIT_LOCKED:
            assert "is working on this project" in message and ".docloc.lock" in message
    assert tree_bytes(locales) == tree_bytes(clean)


def test_swap_without_the_one_step_exchange_still_publishes(built_project, monkeypatch, capsys):
    """Where renameat2 is missing (not Linux, old kernels), the two-rename swap is used."""
    from pipeline import publish

    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    code, _ = _site_build(built_project, monkeypatch, capsys)
    assert code == EXIT_OK
    page = built_project / "site/fr-fr/privacy-policy/index.html"
    assert "Les données que nous recueillons" in page.read_text(encoding="utf-8")
    assert not any((built_project / ".docloc-work/site/.trash").glob("*"))
