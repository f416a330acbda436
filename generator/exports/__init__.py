"""The data files published beside the pages.

``papers.json``, ``papers.bib``, Atom feeds, and the search files under
``assets/search/`` (the index, what results show, the manifest).

Imports: ``render`` (citations, reader links), ``analysis`` and ``catalogue``.
"""
