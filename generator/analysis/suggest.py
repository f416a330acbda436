"""Topic suggestions, with reasons, for a title and abstract (used by ``suggest``, ``new``
and the importers through ``topics.Suggester``).

Four kinds of evidence are scored per topic and added up, each with a weight below:

- **keywords** (``keywords.rule_scores``): the topic's keyword phrases from ``content/topics.yml``,
  whole words, a plural ending allowed; a title match counts ``TITLE_WEIGHT`` times an
  abstract match, and an abstract match counts at most ``MAX_HITS`` times.
- **profile**: tf-idf cosine between the paper (title twice, abstract) and the topic's
  profile: its name, description and keywords plus the titles of its papers. The title
  alone is compared too, so title words count in both: a title names what a paper is
  about.
- **neighbours**: the ``NEIGHBOURS`` most similar tagged papers vote for their topics,
  each vote weighted by its similarity, so that one close paper cannot outvote the
  title, and topics several neighbours agree on rise. A topic earns only the share of
  votes above its share of the whole catalogue (its lift): a topic on half of all
  papers is no evidence when half of the neighbours have it.
- **parent**: a sub-topic's score lends ``PARENT_SHARE`` of itself to its parent topic.

Keywords written with an abbreviation also match it spelled out (``ABBREVIATIONS``:
'llm serving' matches 'large language model serving'). For the profiles and neighbours,
words are lowercased, split on anything but letters and digits, stripped of English stop
words and Porter-stemmed (lunr's stemmer), so 'mechanisms' meets 'mechanism'.

The weights were chosen by a grid search on the leave-one-out run (``suggest
--evaluate``, mean share of curated topics in the top 3); the held-out papers of
tests/fixtures/heldout-papers.yml check the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from generator.analysis import keywords
from generator.catalogue.model import Paper, Suggestion, Topic

RULE_THRESHOLD = 2.0  # keyword points below this alone are not worth a suggestion
NEIGHBOURS = 5
MIN_SIMILARITY = 0.05  # below this a paper is no neighbour at all

# How the evidence adds up; one keyword point is the unit.
W_RULES = 1.0  # per keyword point
W_PROFILE_TITLE = 8.0  # per unit of cosine between title and topic profile
W_PROFILE_TEXT = 16.0  # per unit of cosine between title + abstract and topic profile
W_NEIGHBOURS = 6.0  # per unit of similarity-weighted vote share above the topic's prior
PARENT_SHARE = 0.15
MIN_SCORE = 2.0  # a suggestion needs at least this much evidence ...
MIN_SHARE = 0.3  # ... and at least this share of the best suggestion's score
PROFILE_PAPERS = 1.0  # weight of the topic's papers against its own words in its profile


class Suggester:
    """Suggests topics for a title and abstract given the taxonomy and tagged papers."""

    def __init__(self, topics: Sequence[Topic], papers: Sequence[Paper] = ()):
        self.topics = tuple(topics)
        self.papers = tuple(papers)
        self._index = {t.id: i for i, t in enumerate(self.topics)}
        self._everyone: np.ndarray | None = None
        self._positions = {p.id: i for i, p in enumerate(self.papers)}
        # Strings one of which a paper must contain for a topic's keywords to match.
        self._all_anchors = keywords.all_anchors(k for t in self.topics for k in t.keywords)
        self._anchor_words = [
            {w for k in t.keywords for w in keywords.anchors(k)[0]} for t in self.topics
        ]
        self._vectorizer: TfidfVectorizer | None = TfidfVectorizer(
            analyzer=keywords.analyse, sublinear_tf=True
        )
        own = [keywords.topic_text(t) for t in self.topics]
        docs = [keywords.paper_text(p.title, p.abstract) for p in self.papers]
        try:
            self._vectorizer.fit(docs + own)
        except ValueError:  # nothing but stop words: keywords are the only signal
            self._vectorizer = None
            return
        self._own = normalize(self._vectorizer.transform(own).toarray())
        self._matrix = self._vectorizer.transform(docs) if docs else None
        # Paper x topic membership; its column sums are the priors, and membership
        # times title vectors the title part of each topic's profile.
        rows = [i for i, p in enumerate(self.papers) for t in p.topics if t in self._index]
        cols = [self._index[t] for p in self.papers for t in p.topics if t in self._index]
        shape = (len(self.papers), len(self.topics))
        self._member = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        self._counts = np.asarray(self._member.sum(axis=0)).ravel()
        titles = [p.title for p in self.papers]
        width = len(self._vectorizer.vocabulary_)
        self._titles = csr_matrix((0, width))
        if titles:
            self._titles = normalize(self._vectorizer.transform(titles))
        self._sums = np.asarray((self._member.T @ self._titles).todense())
        self._terms = self._vectorizer.get_feature_names_out()
        self._everyone = self._profiles([])  # what a new paper is compared with

    def _skipped(self, exclude: str | Iterable[str] | None) -> list[int]:
        ids = [exclude] if isinstance(exclude, str) else list(exclude or ())
        return sorted(self._positions[i] for i in ids if i in self._positions)

    def _profiles(self, skip: list[int]) -> np.ndarray:
        """Topic profiles: own words plus the titles of the topic's papers (bar ``skip``)."""
        if not skip and self._everyone is not None:
            return self._everyone
        sums = self._sums
        if skip:
            sums = sums - np.asarray((self._member[skip].T @ self._titles[skip]).todense())
        return normalize(self._own + PROFILE_PAPERS * normalize(sums))

    def scores(
        self, title: str, abstract: str, exclude: str | Iterable[str] | None = None
    ) -> dict[str, tuple[float, list[str]]]:
        """Every topic with any evidence: its combined score and the reasons for it.

        ``exclude``: ids of papers to leave out of neighbours, profiles and priors
        (the paper itself, when suggesting for a catalogue paper).
        """
        return self.scores_many([(title, abstract)], [exclude])[0]

    def scores_many(
        self,
        items: Sequence[tuple[str, str]],
        excludes: Sequence[str | Iterable[str] | None] | None = None,
    ) -> list[dict[str, tuple[float, list[str]]]]:
        """``scores`` for many (title, abstract) pairs at once: one tf-idf transform and
        one matrix product each for profiles and neighbours; ``excludes`` per item."""
        skips = [self._skipped(e) for e in (excludes or [None] * len(items))]
        found: list[dict[str, float]] = [defaultdict(float) for _ in items]
        reasons: list[dict[str, list[str]]] = [defaultdict(list) for _ in items]
        for n, (title, abstract) in enumerate(items):
            for topic, (points, reason) in self._rules(title, abstract):
                if points >= RULE_THRESHOLD or (points and self._vectorizer is None):
                    found[n][topic.id] += W_RULES * points
                    reasons[n][topic.id].append(reason)
        if self._vectorizer is not None and items:
            self._add_similarity(items, skips, found, reasons)
        out = []
        for n in range(len(items)):
            for topic in self.topics:
                lent = PARENT_SHARE * found[n].get(topic.id, 0.0)
                if topic.parent in self._index and lent > 0:
                    found[n][topic.parent] += lent
                    if lent >= 1:  # only a sub-topic with real evidence is worth naming
                        reasons[n][topic.parent].append(f"parent of {topic.id}")
            out.append({t: (found[n][t], reasons[n][t]) for t in found[n] if found[n][t] > 0})
        return out

    def _rules(self, title: str, abstract: str) -> Iterable[tuple[Topic, tuple[float, str]]]:
        """Keyword scores of the topics one of whose anchor words occurs in the paper
        (the others score nothing, and their regular expressions are the slow part)."""
        anchors = self._all_anchors
        present = (
            keywords.present_anchors(anchors, title.lower()),
            keywords.present_anchors(anchors, abstract.lower()),
        )
        for topic, words in zip(self.topics, self._anchor_words, strict=True):
            if not words.isdisjoint(present[0]) or not words.isdisjoint(present[1]):
                yield topic, keywords.rule_scores(topic, title, abstract, present)

    def _add_similarity(self, items, skips, found, reasons) -> None:
        vec = self._vectorizer
        queries = normalize(vec.transform([keywords.paper_text(t, a) for t, a in items])).tocsr()
        titles = normalize(vec.transform([t for t, _ in items])).tocsr()
        queries.sort_indices()
        titles.sort_indices()
        shared = [n for n, skip in enumerate(skips) if not skip]
        by_title = np.zeros((len(items), len(self.topics)))
        by_text = np.zeros((len(items), len(self.topics)))
        if shared:  # papers compared with the whole catalogue: one product for all
            by_title[shared] = titles[shared] @ self._everyone.T
            by_text[shared] = queries[shared] @ self._everyone.T
        profiles = {}
        for n, skip in enumerate(skips):
            if skip:  # a catalogue paper left out of its topics' profiles
                profiles[n] = self._profiles(skip)
                by_title[n] = (titles[n] @ profiles[n].T).ravel()
                by_text[n] = (queries[n] @ profiles[n].T).ravel()
        by_title *= W_PROFILE_TITLE
        by_text *= W_PROFILE_TEXT
        neighbours = self._neighbours(queries, skips)
        for n, (title, abstract) in enumerate(items):
            adds = by_title[n] + by_text[n]
            if (adds >= 1).any():
                self._name_words(
                    n, title, abstract, adds, profiles.get(n, self._everyone),
                    queries, titles, found[n], reasons[n],
                )  # fmt: skip
            self._vote(neighbours[n], skips[n], found[n], reasons[n])

    def _name_words(self, n, title, abstract, adds, profiles, queries, titles, found, reasons):
        """Profile evidence of paper ``n``, with the words that carry each match."""
        # The paper's own terms only (its title's are among them), read off the CSR arrays:
        # indexing a sparse matrix row by row costs more than the arithmetic.
        row = slice(queries.indptr[n], queries.indptr[n + 1])
        cols, query = queries.indices[row], queries.data[row]
        title_q = np.zeros(len(cols))
        row = slice(titles.indptr[n], titles.indptr[n + 1])
        title_q[np.searchsorted(cols, titles.indices[row])] = titles.data[row]
        surface = keywords.surface(title, abstract)
        terms = self._terms
        for t, topic in enumerate(self.topics):
            add = adds[t]
            if add < 1:  # below one keyword's worth: noise
                continue
            found[topic.id] += float(add)
            weight = profiles[t, cols] * (W_PROFILE_TITLE * title_q + W_PROFILE_TEXT * query)
            top = [i for i in np.argsort(-weight, kind="stable")[:3] if weight[i] > 0]
            words = ", ".join(f"'{surface.get(terms[c], terms[c])}'" for c in cols[top])
            where = "title words" if all(title_q[i] > 0 for i in top) else "wording"
            reasons[topic.id].append(f"{where} close to the topic's: {words} ({add:.1f})")

    def _neighbours(self, queries, skips: list[list[int]]) -> list[list[tuple[int, float]]]:
        """Per query row, the most similar tagged papers (bar its skip), best first, ties
        by id: one sparse product for all rows, then a partial sort per row."""
        if self._matrix is None:
            return [[] for _ in skips]
        sims = (queries @ self._matrix.T).toarray()
        for n, skip in enumerate(skips):
            sims[n, skip] = 0.0
        k = min(NEIGHBOURS * 2, sims.shape[1])
        kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1]
        out = []
        for n, row in enumerate(sims):
            near = np.flatnonzero(row >= max(kth[n], MIN_SIMILARITY))
            order = sorted(near, key=lambda i: (-row[i], self.papers[i].id))[:NEIGHBOURS]
            out.append([(int(i), float(row[i])) for i in order])
        return out

    def _vote(self, neighbours, skip, found, reasons) -> None:
        """Neighbour evidence: each topic's similarity-weighted vote share above its prior."""
        total = sum(s for _, s in neighbours)
        votes: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, sim in neighbours:
            for tid in self.papers[i].topics:
                votes[tid].append((i, sim))
        rest = len(self.papers) - len(skip)
        counts = self._counts
        if skip and votes:
            counts = counts - np.asarray(self._member[skip].sum(axis=0)).ravel()
        for tid, voters in votes.items():
            if tid not in self._index:
                continue
            prior = counts[self._index[tid]] / max(1, rest)
            lift = sum(s for _, s in voters) / total - prior
            if lift <= 0:  # no more neighbours have it than papers in general
                continue
            found[tid] += float(W_NEIGHBOURS * lift * min(1.0, total))
            names = ", ".join(self.papers[i].id for i, _ in voters[:2])
            reasons[tid].append(
                f"{len(voters)} of {len(neighbours)} similar papers have it ({names})"
            )

    def suggest(
        self,
        title: str,
        abstract: str,
        *,
        limit: int = 5,
        exclude: str | Iterable[str] | None = None,
    ) -> list[Suggestion]:
        """Best topics first; each with a score and a reason a reviewer can check.

        A topic is kept if its score is at least ``MIN_SCORE`` and ``MIN_SHARE`` of the
        best one's; the best is always kept.
        """
        return self.suggest_many([(title, abstract)], limit=limit, excludes=[exclude])[0]

    def suggest_many(
        self,
        items: Sequence[tuple[str, str]],
        *,
        limit: int = 5,
        excludes: Sequence[str | Iterable[str] | None] | None = None,
    ) -> list[list[Suggestion]]:
        """``suggest`` for many (title, abstract) pairs, in one batch (``excludes``: one
        per item, or none): the same suggestions as one call each, much faster."""
        return [_ranked(scored, limit) for scored in self.scores_many(items, excludes)]


def _ranked(scored: dict[str, tuple[float, list[str]]], limit: int) -> list[Suggestion]:
    """The kept suggestions of one paper's scores, best first."""
    ranked = sorted(scored, key=lambda t: (-scored[t][0], t))
    if not ranked:
        return []
    floor = max(MIN_SCORE, MIN_SHARE * scored[ranked[0]][0])
    keep = ranked[:1] + [t for t in ranked[1:] if scored[t][0] >= floor]
    return [
        Suggestion(t, round(float(scored[t][0]), 2), "; ".join(scored[t][1])) for t in keep[:limit]
    ]
