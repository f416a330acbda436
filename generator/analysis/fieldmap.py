"""A picture of the field: a 2-D map of every paper, and a small chart per topic.

The map places papers by the words they share: tf-idf over title, abstract and topic
ids (topic tokens pull a topic's papers together), reduced with TruncatedSVD and laid
out with t-SNE; above ``LANDMARKS`` papers, t-SNE places an even sample and every other
paper goes to the weighted mean of its nearest sampled papers. Everything is seeded and single-threaded, and coordinates are rounded,
so the same catalogue gives the same map. Colours follow each paper's first topic
(rolled up to its top-level topic); the biggest few get a colour, the rest share grey.
How the map is drawn (files of points, a canvas) is render/maptiles.py's business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.manifold import TSNE
from threadpoolctl import threadpool_limits

from generator.catalogue.model import Catalogue, Paper

COLOURS = 10  # distinct colours; more would not be told apart
SEED = 0
# t-SNE lays out at most this many papers (evenly spread over the id order); the
# others are placed among their nearest of those, so the cost stops growing with n².
LANDMARKS = 1000
NEIGHBOURS = 5


@dataclass(frozen=True)
class Point:
    id: str
    title: str
    x: float  # in [0, 1], four decimals (``layout``)
    y: float
    colour: int  # index into the legend; COLOURS means "other topics"
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Legend:
    colour: int
    topic: str | None  # None for "other topics"
    label: str
    count: int


def _documents(papers: Sequence[Paper]) -> list[str]:
    def topic_tokens(p: Paper) -> str:
        return " ".join(f"topic{t.replace('-', '')}" for t in p.topics)

    return [f"{p.title} {p.abstract} {topic_tokens(p)} {topic_tokens(p)}" for p in papers]


def _tsne(reduced: np.ndarray) -> np.ndarray:
    n = len(reduced)
    # 500 iterations (half the default) settle the clusters and halve the cost.
    tsne = TSNE(n_components=2, perplexity=min(30.0, (n - 1) / 3), init="pca",
                learning_rate="auto", max_iter=500, random_state=SEED)  # fmt: skip
    return tsne.fit_transform(reduced)


def _place(reduced: np.ndarray, marks: np.ndarray, marks_xy: np.ndarray) -> np.ndarray:
    """Every paper at the similarity-weighted mean of its nearest landmarks (cosine in
    the SVD space); the landmarks stay where t-SNE put them."""
    unit = reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    xy = np.empty((len(reduced), 2))
    step = 4096
    for start in range(0, len(reduced), step):
        sims = unit[start : start + step] @ unit[marks].T
        near = np.argpartition(-sims, NEIGHBOURS - 1, axis=1)[:, :NEIGHBOURS]
        weight = np.maximum(np.take_along_axis(sims, near, 1), 0.0) ** 2 + 1e-9
        xy[start : start + step] = (weight[:, :, None] * marks_xy[near]).sum(1) / weight.sum(
            1, keepdims=True
        )
    xy[marks] = marks_xy
    return xy


def layout(papers: Sequence[Paper]) -> np.ndarray:
    """An (n, 2) array of positions in [0, 1], deterministic for a given catalogue."""
    n = len(papers)
    if n < 5:  # too few for t-SNE: a row, which is honest for a handful of papers
        return np.array([[(i + 1) / (n + 1), 0.5] for i in range(n)]).reshape(n, 2)
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        _documents(papers)
    )
    k = max(2, min(50, matrix.shape[1] - 1, n - 1))
    with threadpool_limits(limits=1):  # parallel sums would change the last digits
        reduced = TruncatedSVD(n_components=k, random_state=SEED).fit_transform(matrix)
        if n <= LANDMARKS:
            xy = _tsne(reduced)
        else:
            marks = np.unique(np.linspace(0, n - 1, LANDMARKS).round().astype(np.int64))
            xy = _place(reduced, marks, _tsne(reduced[marks]))
    xy = xy - xy.min(axis=0)
    span = xy.max(axis=0)
    span[span == 0] = 1.0
    return np.round(xy / span, 4)


def _root(catalogue: Catalogue, topic_id: str) -> str:
    topic = catalogue.topic(topic_id)
    seen = {topic.id}
    while topic.parent and topic.parent not in seen:
        seen.add(topic.parent)
        topic = catalogue.topic(topic.parent)
    return topic.id


FieldMap = tuple[list["Point"], list["Legend"]]


def field_map(catalogue: Catalogue) -> FieldMap:
    """Points (in the unit square, in catalogue order) and the legend for the map."""
    papers = catalogue.papers
    roots = [_root(catalogue, p.topics[0]) for p in papers]
    ranked = sorted(Counter(roots).items(), key=lambda kv: (-kv[1], kv[0]))
    coloured = {tid: i for i, (tid, _) in enumerate(ranked[:COLOURS])}
    legend = [
        Legend(i, tid, catalogue.topic(tid).name, n) for i, (tid, n) in enumerate(ranked[:COLOURS])
    ]
    other = sum(n for _, n in ranked[COLOURS:])
    if other:
        legend.append(Legend(COLOURS, None, "Other topics", other))
    xy = layout(papers)
    points = [
        Point(p.id, p.title, float(x), float(y), coloured.get(root, COLOURS), p.topics)
        for p, (x, y), root in zip(papers, xy, roots, strict=True)
    ]
    return points, legend


@dataclass(frozen=True)
class Chart:
    """Bars of a topic's papers over time: by year when known, else by month added."""

    by: str  # "year" or "month added"
    bars: tuple[tuple[str, int], ...]
    missing: int  # papers left out (no year)

    @property
    def peak(self) -> int:
        return max((n for _, n in self.bars), default=0)


def topic_chart(papers: Sequence[Paper]) -> Chart | None:
    """The chart for a topic page, or None when there is nothing to draw."""
    if not papers:
        return None
    years = Counter(p.year for p in papers if p.year)
    if years:
        span = range(min(years), max(years) + 1)  # gaps show as empty years
        bars = tuple((str(y), years.get(y, 0)) for y in span)
        return Chart("year", bars, sum(1 for p in papers if not p.year))
    months = Counter(p.added.strftime("%Y-%m") for p in papers)
    return Chart("month added", tuple(sorted(months.items())), 0)
