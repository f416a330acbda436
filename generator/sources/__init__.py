"""Bringing papers in and keeping them fresh; every write goes through ``catalogue``.

Importers (the seed dump, BibTeX, CSL-JSON, RIS), the arXiv API client, ``enrich``,
``from-issue`` and ``new``.

Imports: ``analysis`` (topic suggestions) and ``catalogue``; never ``render``,
``exports`` or ``site``.
"""
