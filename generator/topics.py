"""Stage 3: the taxonomy, and topic suggestions (with reasons) for papers.

Suggestions combine two signals, so that a new paper gets sensible topics even when
its wording matches no rule:
- rules: the keyword phrases of each topic in ``content/topics.yml``, matched on
  whole words (title matches count three times);
- similarity: the topics of the most similar already-tagged papers (tf-idf).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from .model import Paper, Suggestion, Topic

TITLE_WEIGHT = 3
MAX_HITS = 3  # per keyword in an abstract: repetition says little more after that
RULE_THRESHOLD = 2.0
NEIGHBOURS = 5
MIN_SIMILARITY = 0.15


@cache
def _pattern(phrase: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive pattern; a trailing '*' matches a prefix."""
    body = re.escape(phrase.rstrip("*")).replace(r"\ ", r"[\s-]+")
    tail = r"[\w-]*" if phrase.endswith("*") else r"(?![\w])"
    return re.compile(rf"(?<![\w-]){body}{tail}", re.IGNORECASE)


def _claim(pattern: re.Pattern[str], text: str, taken: list[tuple[int, int]], most: int) -> int:
    """Count matches of ``pattern`` not overlapping spans already counted (synonyms
    such as 'mixture-of-experts' and 'mixture of experts' match the same words)."""
    hits = 0
    for match in pattern.finditer(text):
        if hits == most:
            break
        start, end = match.span()
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        hits += 1
    return hits


def rule_scores(topic: Topic, title: str, abstract: str) -> tuple[float, str]:
    """Score of one topic's keyword rules on a paper, and the reason in words."""
    score = 0.0
    in_title: list[str] = []
    in_abstract: list[str] = []
    title_spans: list[tuple[int, int]] = []
    abstract_spans: list[tuple[int, int]] = []
    for phrase in topic.keywords:
        pattern = _pattern(phrase)
        if _claim(pattern, title, title_spans, 1):
            score += TITLE_WEIGHT
            in_title.append(phrase.rstrip("*"))
        hits = _claim(pattern, abstract, abstract_spans, MAX_HITS)
        if hits:
            score += hits
            in_abstract.append(phrase.rstrip("*") + (f" ×{hits}" if hits > 1 else ""))
    parts = []
    if in_title:
        parts.append("title mentions " + ", ".join(f"'{p}'" for p in in_title[:3]))
    if in_abstract:
        parts.append("abstract mentions " + ", ".join(f"'{p}'" for p in in_abstract[:3]))
    return score, "; ".join(parts)


class Suggester:
    """Suggests topics for a title and abstract given the taxonomy and tagged papers."""

    def __init__(self, topics: Sequence[Topic], papers: Sequence[Paper] = ()):
        self.topics = tuple(topics)
        self.papers = tuple(papers)
        self._vectorizer: TfidfVectorizer | None = None
        if len(self.papers) >= 2:
            vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
            try:
                self._matrix = vectorizer.fit_transform(
                    f"{p.title} {p.title} {p.abstract}" for p in self.papers
                )
                self._vectorizer = vectorizer
            except ValueError:  # nothing but stop words: no similarity signal
                self._vectorizer = None

    def _neighbours(self, title: str, abstract: str, exclude: str | None):
        if self._vectorizer is None:
            return []
        query = self._vectorizer.transform([f"{title} {title} {abstract}"])
        sims = linear_kernel(query, self._matrix).ravel()
        order = sorted(range(len(sims)), key=lambda i: (-sims[i], self.papers[i].id))
        out = []
        for i in order:
            if sims[i] < MIN_SIMILARITY or len(out) == NEIGHBOURS:
                break
            if self.papers[i].id != exclude:
                out.append((self.papers[i], float(sims[i])))
        return out

    def suggest(
        self, title: str, abstract: str, *, limit: int = 5, exclude: str | None = None
    ) -> list[Suggestion]:
        """Best topics first; each with a score and a reason a reviewer can check."""
        scores: dict[str, float] = defaultdict(float)
        reasons: dict[str, list[str]] = defaultdict(list)
        weak: list[tuple[float, str, str]] = []
        for topic in self.topics:
            score, reason = rule_scores(topic, title, abstract)
            if score >= RULE_THRESHOLD:
                scores[topic.id] += score
                reasons[topic.id].append(reason)
            elif score > 0:
                weak.append((-score, topic.id, reason))
        votes: dict[str, list[tuple[Paper, float]]] = defaultdict(list)
        for paper, sim in self._neighbours(title, abstract, exclude):
            for tid in paper.topics:
                votes[tid].append((paper, sim))
        for tid, voters in votes.items():
            # Similar papers count as much as a title keyword when they agree strongly.
            scores[tid] += TITLE_WEIGHT * 2 * sum(sim for _, sim in voters)
            names = ", ".join(p.id for p, _ in voters[:2])
            reasons[tid].append(f"similar papers have it ({names})")
        if not scores and weak:
            # Nothing matched strongly: offer the best single mention rather than nothing.
            score, tid, reason = min(weak)
            scores[tid], reasons[tid] = -score, [f"weak match: {reason}"]
        ranked = sorted(scores, key=lambda t: (-scores[t], t))[:limit]
        return [Suggestion(t, round(scores[t], 2), "; ".join(reasons[t])) for t in ranked]


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
