"""docloc serve: a saved catalog shows in the served page, and open pages learn of it."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from pathlib import Path

import polib

from pipeline.config import Config
from pipeline.serve import serve

ROOT = Path(__file__).resolve().parent.parent


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_saved_catalog_is_served_and_the_version_moves(project, monkeypatch):
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    monkeypatch.chdir(project)
    config = Config(content=project / "content", locales=project / "locales",
                    site=project / "site")
    ready, stop = [], threading.Event()
    thread = threading.Thread(target=serve, kwargs=dict(
        config=config, host="127.0.0.1", port=0, jobs=1, on_build=lambda report: None,
        stop=stop, on_ready=ready.append), daemon=True)
    thread.start()
    try:
        for _ in range(600):
            if ready:
                break
            time.sleep(0.1)
        base = ready[0]
        assert "Politique de confidentialité" in fetch(base + "fr-fr/privacy-policy/")
        version = fetch(base + "__docloc/version")
        path = project / "locales/fr_FR/LC_MESSAGES/privacy-policy.po"
        po = polib.pofile(str(path))
        next(e for e in po if e.msgid == "Data we collect").msgstr = "Les données que nous recueillons"
        po.save(str(path))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and fetch(base + "__docloc/version") == version:
            time.sleep(0.1)
        assert fetch(base + "__docloc/version") != version
        assert "Les données que nous recueillons" in fetch(base + "fr-fr/privacy-policy/")
    finally:
        stop.set()
        thread.join(timeout=30)
