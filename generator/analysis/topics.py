"""Stage 3: the taxonomy (sub-topics, paper counts).

Topic suggestions live in ``suggest.py``; ``Suggester`` and ``rule_scores`` are
re-exported here because importers, ``new`` and ``from-issue`` use ``topics.Suggester``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from generator.analysis.keywords import rule_scores
from generator.analysis.suggest import Suggester
from generator.catalogue.model import Paper, Topic

__all__ = ["Suggester", "children", "counts", "rule_scores"]


def children(topics: Iterable[Topic]) -> dict[str, tuple[str, ...]]:
    """Topic id -> ids of its direct sub-topics, sorted."""
    out: dict[str, list[str]] = defaultdict(list)
    for topic in topics:
        if topic.parent:
            out[topic.parent].append(topic.id)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def counts(topics: Iterable[Topic], papers: Iterable[Paper]) -> dict[str, int]:
    """Number of papers tagged with each topic (0 for unused topics)."""
    out = {t.id: 0 for t in topics}
    for paper in papers:
        for tid in paper.topics:
            if tid in out:
                out[tid] += 1
    return out
