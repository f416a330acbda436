"""How good are the topic suggestions? A leave-one-out run over the catalogue.

Each paper in turn is treated as new: its topics are hidden, it and its other versions
(``version_of`` / ``duplicate_of``, either way) are left out of the neighbours, topic
profiles and priors, and the suggestions for its title and abstract are compared with
its curated topics. ``papercat suggest --evaluate`` prints the figures as
the row recorded in ARCHITECTURE.md ("Topic suggestions"), where
tests/test_suggest_quality.py reads them back as the floor.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.analysis.suggest import Suggester
from generator.catalogue.model import Paper, Topic

TOP = 3  # how many suggestions a contributor reads


@dataclass(frozen=True)
class Figures:
    """Leave-one-out results: papers evaluated and how often the suggestions were right."""

    papers: int
    first_right: int  # the first suggestion is one of the paper's curated topics
    top_right: int  # one of the first ``TOP`` suggestions is
    recall: float  # mean share of the curated topics (at most ``TOP``) in the first ``TOP``
    precision: float  # share of the (at most ``TOP``) suggestions shown that are curated

    @property
    def first_rate(self) -> float:
        return self.first_right / self.papers if self.papers else 0.0

    @property
    def top_rate(self) -> float:
        return self.top_right / self.papers if self.papers else 0.0

    def row(self, label: str) -> str:
        """The Markdown table row ARCHITECTURE.md records."""
        return (
            f"| {label} | {self.papers} | {self.first_right} ({self.first_rate:.1%}) "
            f"| {self.top_right} ({self.top_rate:.1%}) | {self.recall:.3f} | {self.precision:.3f} |"
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "papers": self.papers,
            "first_right": self.first_right,
            "first_rate": round(self.first_rate, 4),
            f"top{TOP}_right": self.top_right,
            f"top{TOP}_rate": round(self.top_rate, 4),
            f"recall_at_{TOP}": round(self.recall, 4),
            "precision": round(self.precision, 4),
        }


def versions(papers: Iterable[Paper]) -> dict[str, set[str]]:
    """Paper id -> ids of the same work (itself, its versions and duplicates)."""
    group: dict[str, set[str]] = defaultdict(set)
    links = [(p.id, p.version_of or p.duplicate_of) for p in papers]
    for pid, other in links:
        group[pid].add(pid)
        if other:
            group[pid].add(other)
            group[other].add(pid)
    # Two versions of one paper are versions of each other too.
    for pid in list(group):
        for other in list(group[pid]):
            group[pid] |= group[other]
    return group


def leave_one_out(topics: Sequence[Topic], papers: Sequence[Paper]) -> Figures:
    """Suggest for every tagged paper as if it were new, and count the hits."""
    suggester = Suggester(topics, papers)
    same = versions(papers)
    first = top = shown = right = 0
    recall = 0.0
    tagged = [p for p in papers if p.topics]
    for paper in tagged:
        found = suggester.suggest(paper.title, paper.abstract, limit=TOP, exclude=same[paper.id])
        ids = [s.topic for s in found]
        curated = set(paper.topics)
        first += bool(ids) and ids[0] in curated
        top += bool(curated & set(ids))
        recall += len(curated & set(ids)) / min(TOP, len(curated))
        shown += len(ids)
        right += len(curated & set(ids))
    n = len(tagged)
    return Figures(n, first, top, recall / n if n else 0.0, right / shown if shown else 0.0)


ROW = re.compile(
    r"^\| (?P<label>[^|]+?) \| (\d+) \| (\d+) \([\d.]+%\) \| (\d+) \([\d.]+%\) \| ([\d.]+) \| ([\d.]+) \|$"
)


def recorded(markdown: str, label: str) -> Figures:
    """The figures in the table row called ``label`` (as ``Figures.row`` writes it)."""
    for line in markdown.splitlines():
        match = ROW.match(line.strip())
        if match and match["label"] == label:
            papers, first, top, recall, precision = match.groups()[1:]
            return Figures(int(papers), int(first), int(top), float(recall), float(precision))
    raise LookupError(f"no row '| {label} |' with leave-one-out figures")
