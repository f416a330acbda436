"""papercat's generator: content/ -> validated catalogue -> Markdown site in docs/.

``build.build`` is the pipeline, one straight function: load -> validate -> analyse ->
render -> export. The packages, bottom to top (each imports only those below it):

- ``catalogue``: the data and its rules;
- ``analysis``: whole-catalogue work (topics, related papers, search index, map);
- ``render``: the Markdown pages;
- ``exports``: papers.json, papers.bib, feeds, search files;
- ``build``: the pipeline;
- ``site`` (docs/ -> HTML, serve) and ``sources`` (importers, arXiv, new);
- ``cli``: the ``papercat`` command.
"""

__version__ = "0.1.0"
