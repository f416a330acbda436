"""Stage 4: related papers (tf-idf + shared topics), explicit see-also, versions.

Similarity is cosine over tf-idf vectors of title (weighted twice), abstract and topic
names, plus a bonus for shared topics. Rows are processed in blocks so memory stays
linear in the catalogue size (a dense 10,000 x 10,000 matrix would be 400 MB).
Ties are broken by id, so the output is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import Paper, Related, Topic

MAX_RELATED = 8
MIN_RELATED = 3
MIN_SCORE = 0.12  # below this a suggestion is noise, unless we need it to reach MIN_RELATED
TOPIC_BONUS = 0.08  # per shared topic
BLOCK = 1024


def _documents(papers: Sequence[Paper], topics: dict[str, Topic]) -> list[str]:
    def topic_words(p: Paper) -> str:
        return " ".join(topics[t].name for t in p.topics if t in topics)

    return [f"{p.title} {p.title} {p.abstract} {topic_words(p)}" for p in papers]


def _tfidf(documents: list[str]):
    """Tf-idf rows and their terms; terms in over half the papers say little."""
    # In a tiny catalogue every term is in half the papers, so only prune when large.
    max_df = 0.5 if len(documents) >= 20 else 1.0
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=1, max_df=max_df, ngram_range=(1, 2)
    )
    try:
        matrix = vectorizer.fit_transform(documents).tocsr()
    except ValueError:  # no terms at all (only stop words): topics alone decide
        return csr_matrix((len(documents), 1)), np.array([""])
    return matrix, vectorizer.get_feature_names_out()


def _key_terms(row_a, row_b, terms: np.ndarray, n: int = 3) -> list[str]:
    """The terms that contribute most to the similarity of two tf-idf rows."""
    product = row_a.multiply(row_b).tocoo()
    if product.nnz == 0:
        return []
    order = sorted(range(product.nnz), key=lambda k: (-product.data[k], terms[product.col[k]]))
    return [str(terms[product.col[k]]) for k in order[:n]]


def _reason(a: Paper, b: Paper, topics: dict[str, Topic], terms: list[str]) -> str:
    shared = [topics[t].name for t in a.topics if t in b.topics and t in topics]
    parts = []
    if shared:
        parts.append("shared topics: " + ", ".join(shared))
    if terms:
        parts.append("shared terms: " + ", ".join(terms))
    return "; ".join(parts) or "similar wording"


def related_papers(
    papers: Sequence[Paper], topics: Sequence[Topic]
) -> dict[str, tuple[Related, ...]]:
    """For each paper id, 3-8 related papers: explicit ones and backlinks first."""
    by_id = {p.id: p for p in papers}
    topic_map = {t.id: t for t in topics}
    explicit: dict[str, dict[str, str]] = defaultdict(dict)
    for p in papers:
        for target in p.related:
            if target in by_id and target != p.id:
                explicit[p.id].setdefault(target, "listed as related")
                explicit[target].setdefault(p.id, "lists this paper as related")
    if len(papers) < 2:
        return {p.id: () for p in papers}
    matrix, terms = _tfidf(_documents(papers, topic_map))
    topic_ids = sorted({t for p in papers for t in p.topics})
    column = {t: k for k, t in enumerate(topic_ids)}
    rows = [i for i, p in enumerate(papers) for _ in p.topics]
    cols = [column[t] for p in papers for t in p.topics]
    incidence = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(papers), len(topic_ids)))
    keep = min(len(papers) - 1, 4 * MAX_RELATED)
    out: dict[str, tuple[Related, ...]] = {}
    for start in range(0, len(papers), BLOCK):
        stop = start + BLOCK
        block = (matrix[start:stop] @ matrix.T).toarray()
        block += TOPIC_BONUS * (incidence[start:stop] @ incidence.T).toarray()
        for offset, scores in enumerate(block):
            i = start + offset
            paper = papers[i]
            scores[i] = -1.0
            # Only the best few need sorting; order them by score, then by position
            # (papers are sorted by id), so the result is deterministic.
            top = np.argpartition(-scores, keep - 1)[:keep]  # keep < len(papers) always
            order = top[np.lexsort((top, -np.round(scores[top], 9)))]
            chosen: list[Related] = [
                Related(t, 1.0, why, explicit=True) for t, why in sorted(explicit[paper.id].items())
            ]
            for j in order:
                if len(chosen) >= MAX_RELATED or scores[j] < 0:
                    break
                other = papers[j]
                if other.id in explicit[paper.id]:
                    continue
                if scores[j] < MIN_SCORE and len(chosen) >= MIN_RELATED:
                    break
                words = _key_terms(matrix[i], matrix[j], terms)
                chosen.append(Related(other.id, round(float(scores[j]), 4),
                                      _reason(paper, other, topic_map, words)))  # fmt: skip
            out[paper.id] = tuple(chosen)
    return out


def versions(papers: Sequence[Paper]) -> dict[str, tuple[str, ...]]:
    """Each paper id -> the other papers of the same work (via version_of chains)."""
    parent = {p.id: p.id for p in papers}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in papers:
        if p.version_of and p.version_of in parent:
            a, b = find(p.id), find(p.version_of)
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for p in papers:
        groups[find(p.id)].append(p.id)
    return {
        pid: tuple(sorted(x for x in group if x != pid))
        for group in groups.values()
        if len(group) > 1
        for pid in group
    }
