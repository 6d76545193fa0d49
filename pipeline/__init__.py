"""docloc: localize documentation delivered as bilingual side-by-side markdown.

Vocabulary:

page      a markdown file; a bilingual page carries segments.
segment   ``<span data-ttu-id>`` target + ``sxs-lookup`` English source.
skeleton  everything in a page outside its segments, kept byte for byte.
catalog   the PO file of one page in one locale (msgid English, msgstr target).
locale    a BCP 47 tag, ``fr-FR``; ``fr_FR`` in catalog paths and headers.
coverage  how much of a page or locale is translated (messages and words).

Stages, one module each: sxs (read/write pages), catalog (PO), merge (updates),
extract (the catalog jobs), cli.
"""

__version__ = "0.1.0"
