"""Stable, short, URL-safe paper ids made from titles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

# Words that add nothing to an id; kept short on purpose (ids should stay readable).
STOPWORDS = frozenset(
    "a an and are as at by can do does for from in into is it its of on or over the to "
    "towards toward under via vs we what when which who why with without you your".split()
)
MAX_WORDS = 5
MAX_NAME = 24  # a "Name: subtitle" prefix longer than this is not a system name


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def slugify(title: str) -> str:
    """Id for a title: a short system name before a colon, else its first key words.

    'DistServe: Disaggregating Prefill ...' -> 'distserve';
    'Scaling Laws for Neural Language Models' -> 'scaling-laws-neural-language-models'.
    """
    head, sep, _ = title.partition(":")
    if sep and len(head) <= MAX_NAME and len(head.split()) <= 2:
        words = _words(head)
        if words:
            return "-".join(words)
    words = [w for w in _words(title) if w not in STOPWORDS] or _words(title) or ["paper"]
    return "-".join(words[:MAX_WORDS])


def unique_id(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is free first."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
