"""Untrusted text (titles, messages) as literal Markdown and HTML.

Shared by the pull request summary (``changes.py``) and the preview comment
(``generator/site/preview.py``); standard library only, so the preview workflow can
run it without installing anything.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def escape(text: str) -> str:
    """Untrusted text as literal Markdown (and HTML) on one line: a table cell, a link's
    text. Runs of whitespace, line breaks included, become one space."""
    flat = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
