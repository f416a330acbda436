"""From ``docs/`` to the HTML site, and serving it while you edit.

Rendering with MkDocs + Material in-process or with Zensical, built beside the old site
and swapped in; the internal link check; HTML squeezing; the split sitemap; ``serve``,
which reruns the pipeline (``generator.build``) on every change; and pull request
previews (``preview``, ``previewhost``: standard library only, run by the preview
workflow without installing anything).

Imports: ``generator.build`` and everything below it.
"""
