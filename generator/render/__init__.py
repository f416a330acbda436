"""The Markdown pages of ``docs/``, from the catalogue and the analysis.

Jinja2 templates (``templates/``) for paper, topic, listing and home pages; citations
(BibTeX, RIS, CSL-JSON), page meta tags, the ways to each paper (reader links), venue
kinds, the theme icons we ship, the site's URL, and forked rendering on every core.

Imports: ``analysis`` and ``catalogue``.
"""
