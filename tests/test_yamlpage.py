"""DocFX YAML pages (YamlMime:FAQ, Hub, Landing) published as pages, in made-up inputs
written from the Docs schemas, then in a small built project (both languages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline import yamlpage
from pipeline.errors import DoclocError

FAQ = """### YamlMime:FAQ
metadata:
  title: FAQ sur le casque
  ms.translationtype: MT
  ms.contentlocale: fr-FR
title: Questions sur le casque <script>alert(1)</script>
summary: Voici les *réponses*.
sections:
- name: Connexion
  questions:
  - question: >
      Mes contrôleurs ne fonctionnent pas [!]
    answer: |
      Essayez ceci :

      - Redémarrez **le PC**.

      > [!NOTE]
      > Une remarque.
additionalContent: |
  Voir aussi [l’accueil](index.md).
"""

HUB = """### YamlMime:Hub
title: "Documentation\\_VR"
summary: Bienvenue.
metadata:
  title: Documentation VR
highlightedContent:
  items:
    - title: Démarrer
      itemType: get-started
      url: start.md
    - title: Piège
      url: "javascript:alert(1)"
productDirectory:
  title: Guides
  items:
    - title: Pratique
      imageSrc: images/icon.png
      links:
        - url: faq.yml
          text: La FAQ
        - url: https://example.com/x
          text: Ailleurs
additionalContent:
  sections:
    - title: Plus
      items:
        - title: Suivi
          summary: Le *suivi*.
          url: start.md
  footer: 'Un problème ? [Dites-le](https://example.com/forum)'
"""

LANDING = """### YamlMime:Landing
title: Bienvenue
summary: Récapitulatif
landingContent:
- title: À propos
  linkLists:
  - linkListType: overview
    links:
    - text: Qu’est-ce que c’est ?
      url: overview/about.md
"""


def test_faq_questions_are_headings_and_answers_stay_markdown():
    md = yamlpage.to_markdown(FAQ, "faq.yml")
    front, body = md.split("---\n")[1:3]
    assert 'docloc_yamlmime: "FAQ"' in front and 'ms.translationtype: "MT"' in front
    assert body.startswith("\n# Questions sur le casque &#60;script&#62;alert(1)&#60;/script&#62;\n")
    assert "Voici les *réponses*." in body  # summary: Markdown
    assert "## Connexion\n" in body
    assert "### Mes contrôleurs ne fonctionnent pas &#91;!&#93;\n" in body  # question: text
    assert "- Redémarrez **le PC**." in body and "> [!NOTE]\n> Une remarque." in body
    assert body.rstrip().endswith("Voir aussi [l’accueil](index.md).")


def test_hub_links_cards_and_footer_with_unsafe_urls_shown_as_text():
    md = yamlpage.to_markdown(HUB, "index.yml")
    assert "# Documentation\u00a0VR\n" in md  # YAML's \_ is a no-break space, kept
    assert "- [Démarrer](<start.md>)" in md
    assert "- Piège\n" in md and "javascript" not in md
    assert "## Guides" in md and "**Pratique**" in md
    assert "- [La FAQ](<faq.yml>)" in md and "- [Ailleurs](<https://example.com/x>)" in md
    assert "icon.png" not in md  # decorative icons left out
    assert '<div class="docfx-row docloc-cards" markdown="1">' in md
    assert "**[Suivi](<start.md>)**" in md and "Le *suivi*." in md
    assert md.rstrip().endswith("Un problème ? [Dites-le](https://example.com/forum)")


def test_landing_link_lists_are_cards():
    md = yamlpage.to_markdown(LANDING, "index.yml")
    assert "# Bienvenue\n\nRécapitulatif\n" in md
    assert "## À propos\n\n- [Qu’est-ce que c’est ?](<overview/about.md>)" in md


def test_other_yaml_files_are_not_pages():
    assert yamlpage.to_markdown("### YamlMime:ManagedReference\nitems: []\n", "a.yml") is None
    assert yamlpage.to_markdown("groups:\n- id: engine\n", "zone-pivot-groups.yml") is None
    assert not yamlpage.is_candidate("sub/TOC.yml") and yamlpage.is_candidate("faq.yaml")


def test_invalid_yaml_page_is_refused_at_its_line():
    with pytest.raises(DoclocError) as caught:
        yamlpage.to_markdown("### YamlMime:FAQ\ntitle: [unclosed\nsummary: x\n", "faq.yml")
    assert caught.value.problem.line == 3 and "faq.yml:3:" in str(caught.value)


def test_an_alias_bomb_renders_at_most_max_items(monkeypatch):
    monkeypatch.setattr(yamlpage, "MAX_ITEMS", 50)
    bomb = ("### YamlMime:FAQ\ntitle: t\nq: &q\n  question: Q\n  answer: A\n"
            "l1: &l1 [*q, *q, *q, *q, *q, *q, *q, *q, *q, *q]\n"
            "l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\n"
            "sections:\n" + "".join("- name: s\n  questions: *l1\n" for _ in range(100)))
    md = yamlpage.to_markdown(bomb, "faq.yml")
    assert md.count("\n### Q\n") + md.count("\n## s\n") <= 50


def test_links_to_a_yaml_page_lead_to_its_page_and_others_stay():
    text = ("[FAQ](faq.yml#my-question) [toc](../toc.yml) [data](data.yml)\n"
            '<a href="sub/index.yml">hub</a>\n\n```\n[FAQ](faq.yml)\n```\n')
    out = yamlpage.page_links(text, "guide/page.md",
                              frozenset({"guide/faq.md", "guide/sub/index.md"}))
    assert out.startswith("[FAQ](faq.md#my-question) [toc](../toc.yml) [data](data.yml)\n"
                          '<a href="sub/index.md">hub</a>')
    assert out.endswith("```\n[FAQ](faq.yml)\n```\n")  # code is left alone


# -- a built project: the YAML pages are pages in both languages ---------------------------

def seg(n: str, french: str, english: str) -> str:
    return (f'<span data-ttu-id="yml10-{n}">{french}</span><span class="sxs-lookup">'
            f'<span data-stu-id="yml10-{n}">{english}</span></span>')


@pytest.fixture(scope="module")
def yaml_site(tmp_path_factory) -> Path:
    from pipeline.cli import EXIT_OK, main
    root = tmp_path_factory.mktemp("yamlpages")
    content = root / "content"
    content.mkdir()
    (content / "faq.yml").write_text(FAQ, encoding="utf-8")
    (content / "index.yml").write_text(HUB, encoding="utf-8")
    (content / "start.md").write_text(
        "---\ntitle: Démarrer\nms.contentlocale: fr-FR\n---\n"
        f"# {seg('1', 'Démarrer', 'Start')}\n\n"
        f"{seg('2', 'Lisez la [FAQ](faq.yml#connexion).', 'Read the [FAQ](faq.yml#connexion).')}\n",
        encoding="utf-8")
    (content / "TOC.yml").write_text(
        "- name: Accueil\n  href: index.yml\n- name: Démarrer\n  href: start.md\n"
        "- name: FAQ\n  href: faq.yml\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--locales", str(root / "locales"),
                 "--site", str(root / "site")]) == EXIT_OK
    return root / "site"


def _article(path: Path) -> str:
    out = path.read_text(encoding="utf-8")
    return out[out.index("<article"):out.index("</article>")]


@pytest.mark.parametrize("tag", ["fr-fr", "en-us"])
def test_yaml_pages_are_built_linked_and_in_the_navigation(yaml_site, tag):
    faq = _article(yaml_site / tag / "faq" / "index.html")
    assert re.search(r'<h3 id="[^"]*">Mes contrôleurs ne fonctionnent pas \[!\]', faq)
    assert "<script" not in faq and "YamlMime" not in faq
    assert 'class="admonition note"' in faq  # DocFX Markdown inside an answer rendered
    home = _article(yaml_site / tag / "index.html")
    assert '<a href="start/">Démarrer</a>' in home and '<a href="faq/">La FAQ</a>' in home
    start = _article(yaml_site / tag / "start" / "index.html")
    assert '<a href="../faq/#connexion">FAQ</a>' in start
    out = (yaml_site / tag / "start" / "index.html").read_text(encoding="utf-8")
    nav = out[out.index('<nav class="md-nav md-nav--primary"'):]
    # its TOC entry (in English, the page's title: the vendor wrote no English for it)
    assert re.search(r'href="\.\./faq/"[^>]*>\s*' + ("FAQ" if tag == "fr-fr" else "Questions"), nav)
    from pipeline.site import check_links
    broken = check_links(yaml_site, [tag])[tag]
    assert not [b for b in broken if "faq" in b or "index.yml" in b], broken


def test_yaml_page_is_searchable_and_machine_translation_is_noticed(yaml_site):
    index = json.loads((yaml_site / "fr-fr" / "search" / "search_index.json").read_text(
        encoding="utf-8"))
    assert [d for d in index["docs"] if d["location"].startswith("faq/")]
    faq = _article(yaml_site / "fr-fr" / "faq" / "index.html")
    assert "docloc-mt" in faq  # ms.translationtype: MT in its metadata
