"""docloc: localize documentation delivered as bilingual side-by-side markdown.

Vocabulary:

page      a markdown file; a bilingual page carries segments.
segment   ``<span data-ttu-id>`` target + ``sxs-lookup`` English source.
skeleton  everything in a page outside its segments, kept byte for byte.
catalog   the PO file of one page in one locale (msgid English, msgstr target).
locale    a BCP 47 tag, ``fr-FR``; ``fr_FR`` in catalog paths and headers.
coverage  how much of a page or locale is translated (messages and words).

Modules: the foundations, then the stages in the order data flows (content/ ->
Page -> catalogs -> coverage -> rendered markdown -> site/); README's Layout
section says a line more on most:

foundations  model (Page, Segment), errors (DoclocError, Problem), config
             (docloc.toml), files (atomic writes, the lock), reads (files serve
             has read, kept across its saves), private_use (the private-use
             characters every stage reserves)
reading      project (pages under content/ and their locale), blocks (front
             matter, fenced code), sxs (bilingual pages), segment (English-only
             pages), yamlpage (DocFX YAML pages)
catalogs     catalog (Page -> catalog entries, the model), catalog_po (catalogs
             as PO text, written and read), pofile (the PO format), merge
             (updates, fuzzy matches, memory), extract (docloc extract), export
             (docloc export), tmx (docloc tm)
the gate     checks (quality checks, the registry) with page_checks (checks of
             a page's own text), words (word counts), coverage (figures,
             thresholds), gate (docloc check)
rendering    render (Page + translations -> markdown), contain (a translation made
             safe), page_html (the allowlist of every page body), docfx with
             docfx_blocks, docfx_inline, docfx_context and docfx_docset (DocFX
             Markdown), marks (segment marks), l10n (docloc's own words), toc
             (DocFX TOCs -> navigation)
the site     site (MkDocs builds per language) with mkconfig (each language's
             config), pool (worker processes), publish (docs written, swapped in),
             links (link check), rootpage (index.html, sitemap.xml);
             docloc_hooks (loaded by MkDocs), search (Material's search sections,
             faster)
the build    build (docloc build, its phases) with rendering (the renderer and
             serve's session), structure (navigation, docsets, include files),
             inputs (the nothing-changed shortcut)
commands     serve and editor (docloc serve [--edit]), cli and __main__ (the
             docloc command), report (what it prints: tables, progress bars)
"""

__version__ = "0.1.0"
