"""Stage 4: related papers (tf-idf + shared topics), explicit see-also, versions.

Similarity is cosine over tf-idf vectors of title (weighted twice), abstract and topic
names, plus a bonus for shared topics. Only each paper's best few are kept (top-k),
never an n x n matrix. Up to ``EXACT_LIMIT`` papers every pair is scored exactly, by a
sparse product that keeps only each row's best (sparse_dot_topn, on every core).
Above it, candidates come from a 128-dimension LSA projection of the tf-idf (dense
dot products in row blocks, a few seconds at 100,000 papers where the sparse product,
growing with the square of the catalogue, costs minutes), and the best
``LSA_CANDIDATES`` of each row are then re-scored with the exact tf-idf cosine, so
scores, thresholds and reasons mean the same at every size. The LSA candidates miss
some of the best pairs: on the 10,000- and 20,000-paper bench catalogues, under 1% of
the lists are the exact ones. Ties are broken by id, so the output is deterministic.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sparse_dot_topn import sp_matmul_topn
from threadpoolctl import threadpool_limits

from generator.analysis.terms import Terms, count_terms
from generator.catalogue.model import Paper, Related, Topic

MAX_RELATED = 8
MIN_RELATED = 3
MIN_SCORE = 0.12  # below this a suggestion is noise, unless we need it to reach MIN_RELATED
TOPIC_BONUS = 0.08  # per shared topic
CANDIDATES = 4 * MAX_RELATED  # per paper, before explicit links and thresholds
LSA_CANDIDATES = 2 * MAX_RELATED  # re-scored exactly, so fewer are needed
# Up to this many papers every pair is scored exactly. On the bench's catalogues the
# exact path was the faster one too (10,000 papers: 6.5 s against 8.7 s; 20,000: 17.2 s
# against 18.6 s), but it grows with the square of the catalogue: about 250 s at
# 100,000 against the LSA path's 170 to 190 s.
EXACT_LIMIT = 30_000
LSA_DIMENSIONS = 128
SEED = 0
CELLS = 1 << 24  # dense cells per LSA row block (64 MB of float32)
FOLD_TOPICS = 512  # up to this many topics, the bonus joins the dense product
GEMM_THREADS = os.cpu_count() or 1
SAMPLE_STEP = 32  # every 32nd column sets a row's candidate threshold
KEY_CHUNK = 20_000  # pairs whose shared terms are found together


def _documents(papers: Sequence[Paper], topics: dict[str, Topic]) -> list[str]:
    def topic_words(p: Paper) -> str:
        return " ".join(topics[t].name for t in p.topics if t in topics)

    return [f"{p.title} {p.title} {p.abstract} {topic_words(p)}" for p in papers]


@dataclass(frozen=True)
class Vectors:
    """Tf-idf rows and how they were made. ``matrix`` and ``names`` are what related
    papers use; with ``keep``, also the counted terms, their idf and each counted
    column's place among the shared ones (-1: dropped), for ``linkmodel``."""

    matrix: csr_matrix
    names: np.ndarray
    terms: Terms | None = None
    idf: np.ndarray | None = None
    shared: np.ndarray | None = None


def _tfidf(documents: list[str]) -> tuple[csr_matrix, np.ndarray]:
    """Tf-idf rows (L2-normalised, columns in term order) and their terms."""
    vectors = _vectorise(documents)
    return vectors.matrix, vectors.names


def _vectorise(documents: list[str], keep: bool = False) -> Vectors:
    """Tf-idf rows and their terms (``Vectors``); terms in over half the papers say
    little."""
    # In a tiny catalogue every term is in half the papers, so only prune when large.
    max_df = 0.5 if len(documents) >= 20 else 1.0
    # scikit-learn's TfidfVectorizer(stop_words="english", ngram_range=(1, 2), max_df=...)
    # with its counting done on arrays (terms.py: the same matrix, twice as fast).
    try:
        counts, terms = count_terms(documents, max_df=max_df)
    except ValueError:  # no terms at all (only stop words): topics alone decide
        return Vectors(csr_matrix((len(documents), 1)), np.array([""]))
    transformer = TfidfTransformer(sublinear_tf=True)
    matrix = transformer.fit_transform(counts).tocsr()
    if not matrix.nnz:
        return Vectors(matrix, terms.names())
    # A term in one paper only adds to no similarity: drop it after normalising, so
    # products and the LSA projection work on a fraction of the columns.
    shared = np.flatnonzero(np.bincount(matrix.indices, minlength=matrix.shape[1]) >= 2)
    matrix = matrix[:, shared].tocsr()
    matrix.sort_indices()
    if not keep:
        return Vectors(matrix, terms.names(shared))
    place = np.full(counts.shape[1], -1, dtype=np.int64)
    place[shared] = np.arange(len(shared))
    return Vectors(matrix, terms.names(shared), terms, transformer.idf_, place)


def _key_terms(matrix: csr_matrix, pairs: list[tuple[int, int]], n: int = 3) -> list[list[int]]:
    """For each pair of rows, the columns that add most to their similarity (ties in
    column order, which is term order). Pairs go in chunks: both rows of 800,000 pairs
    at once (100,000 papers) were 4 GB, the build's peak."""
    return [
        terms
        for start in range(0, len(pairs), KEY_CHUNK)
        for terms in _key_terms_of(matrix, pairs[start : start + KEY_CHUNK], n)
    ]


def _key_terms_of(matrix: csr_matrix, pairs: list[tuple[int, int]], n: int) -> list[list[int]]:
    rows, cols = np.array(pairs).T
    product = matrix[rows].multiply(matrix[cols]).tocoo()
    # Rounded: equal contributions can differ in the last bits (summation order), and a
    # tie must go by column (term order) whatever the order of the sums was.
    order = np.lexsort((product.col, -np.round(product.data, 12), product.row))
    row, col = product.row[order], product.col[order]
    first = np.searchsorted(row, np.arange(len(pairs)))
    last = np.searchsorted(row, np.arange(len(pairs)), side="right")
    return [col[a : min(b, a + n)].tolist() for a, b in zip(first, last, strict=True)]


def _reason(a: Paper, b: Paper, topics: dict[str, Topic], terms: list[str]) -> str:
    shared = [topics[t].name for t in a.topics if t in b.topics and t in topics]
    parts = []
    if shared:
        parts.append("shared topics: " + ", ".join(shared))
    if terms:
        parts.append("shared terms: " + ", ".join(terms))
    return "; ".join(parts) or "similar wording"


def _incidence(papers: Sequence[Paper]) -> csr_matrix:
    """Papers x topics, 1 where the paper has the topic: row products count shared topics."""
    topic_ids = sorted({t for p in papers for t in p.topics})
    column = {t: k for k, t in enumerate(topic_ids)}
    rows = [i for i, p in enumerate(papers) for _ in p.topics]
    cols = [column[t] for p in papers for t in p.topics]
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(papers), max(1, len(topic_ids))))


def _ordered(index: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's candidates by score (rounded, so last-digit noise cannot reorder),
    then by position (papers are sorted by id)."""
    order = np.lexsort((index, -np.round(score, 9)), axis=-1)
    return np.take_along_axis(index, order, 1), np.take_along_axis(score, order, 1)


def _blocks(n: int) -> range:
    return range(0, n, max(1, min(1024, CELLS // n)))


def _exact_candidates(matrix: csr_matrix, incidence: csr_matrix, keep: int):
    """Every pair scored exactly: a sparse product that keeps only each row's best
    (sparse_dot_topn, on every core), never a dense row block. With sqrt(bonus) per
    topic appended to each row, a product is the cosine plus the bonus per shared
    topic."""
    n = matrix.shape[0]
    bonus = np.sqrt(TOPIC_BONUS) * incidence.astype(np.float64)
    folded = hstack([matrix, bonus], format="csr")
    # Each row is summed by one thread, in one order: the values do not depend on the
    # number of threads (checked in tests/test_topics_links.py).
    best = sp_matmul_topn(folded, folded.T.tocsr(), top_n=min(n, keep + 1),
                          n_threads=GEMM_THREADS if GEMM_THREADS > 1 else None)  # fmt: skip
    index, score = np.zeros((n, keep), np.int64), np.zeros((n, keep))
    for i in range(n):
        cols = best.indices[best.indptr[i] : best.indptr[i + 1]]
        vals = best.data[best.indptr[i] : best.indptr[i + 1]]
        order = [k for k in np.lexsort((cols, -np.round(vals, 9))) if cols[k] != i][:keep]
        found = cols[order].tolist()
        if len(found) < keep:  # fewer papers share anything: the first others, score 0
            taken = {i, *found}
            found += [j for j in range(n) if j not in taken][: keep - len(found)]
        index[i] = found
        score[i, : len(order)] = vals[order]
    return _ordered(index, score)


SCORED_ROWS = 5_000  # papers whose candidates are scored at once (bounds the memory)


def _exact_scores(matrix: csr_matrix, incidence: csr_matrix, index: np.ndarray) -> np.ndarray:
    """The tf-idf cosine plus the topic bonus of each row with each of its candidates.

    A few thousand rows at a time: each pair copies both papers' rows, so all 1.6 million
    pairs at 100,000 papers at once took 12 GB. Each pair's sum is its own, so the
    values do not depend on the chunking."""
    out = np.empty(index.shape, np.float64)
    for start in range(0, index.shape[0], SCORED_ROWS):
        part = index[start : start + SCORED_ROWS]
        rows = np.repeat(np.arange(start, start + part.shape[0]), part.shape[1])
        cols = part.ravel()
        exact = np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()
        shared = np.asarray(incidence[rows].multiply(incidence[cols]).sum(axis=1)).ravel()
        # In float64: the incidence is float32, and 0.08 in float32 is off by 2e-9.
        out[start : start + part.shape[0]] = (
            exact + TOPIC_BONUS * shared.astype(np.float64)
        ).reshape(part.shape)
    return out


def _top_columns(block: np.ndarray, keep: int) -> np.ndarray:
    """The columns of each row's ``keep`` largest values (order within a row free).

    A full ``argpartition`` of 100,000-wide rows costs a minute at 100,000 papers. The
    ``keep``-th largest value of any subset of a row is at most the row's own, so a
    threshold from every ``SAMPLE_STEP``-th column keeps all of the row's top values
    and a few hundred others; only those survivors are partitioned."""
    height, width = block.shape
    sample = block[:, ::SAMPLE_STEP]
    if sample.shape[1] < keep or width < 4 * SAMPLE_STEP * keep:
        return np.argpartition(-block, keep - 1, axis=1)[:, :keep]
    floor = np.partition(sample, -keep, axis=1)[:, [-keep]]
    flat = np.flatnonzero(block >= floor)  # row by row, so rows come sorted
    rows, cols = np.divmod(flat, width)
    starts = np.searchsorted(rows, np.arange(height))
    counts = np.diff(np.append(starts, len(rows)))
    # Each row's survivors side by side, padded with -inf, for one small partition.
    padded = np.full((height, counts.max()), -np.inf, dtype=block.dtype)
    padded[rows, np.arange(len(rows)) - starts[rows]] = block.ravel()[flat]
    best = np.argpartition(-padded, keep - 1, axis=1)[:, :keep]
    return cols[starts[:, None] + best]


def _lsa_candidates(matrix: csr_matrix, incidence: csr_matrix, keep: int):
    """Candidates by LSA cosine (+ topic bonus), re-scored with the exact tf-idf cosine."""
    n = matrix.shape[0]
    dims = max(1, min(LSA_DIMENSIONS, matrix.shape[1] - 1, n - 1))
    # One thread: parallel sums could change the last digits between runs.
    with threadpool_limits(limits=1):
        # float32 halves the SVD's time; the candidates are re-scored in float64.
        svd = TruncatedSVD(dims, n_iter=3, random_state=SEED)
        reduced = svd.fit_transform(matrix.astype(np.float32))
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    # The topic bonus rides in the same dense product: with sqrt(bonus) per topic
    # appended, a dot product is the LSA cosine plus the bonus per shared topic.
    # (A sparse papers x papers product per block cost as much as the LSA one.)
    folded = incidence.shape[1] <= FOLD_TOPICS
    if folded:
        bonus = np.sqrt(TOPIC_BONUS, dtype=np.float32) * incidence.toarray()
        vectors = np.ascontiguousarray(np.hstack([reduced, bonus]), dtype=np.float32)
    else:  # so many topics that a dense column each would cost more than it saves
        vectors = reduced
    index = np.zeros((n, keep), np.int64)
    for start in _blocks(n):
        stop = min(n, start + _blocks(n).step)
        # Every core: a matrix product splits its output, never a sum, between
        # threads, so each value is the same whatever the thread count.
        with threadpool_limits(limits=GEMM_THREADS):
            block = vectors[start:stop] @ vectors.T
        if not folded:
            block += TOPIC_BONUS * (incidence[start:stop] @ incidence.T).toarray()
        block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        index[start:stop] = _top_columns(block, keep)
    return _ordered(index, _exact_scores(matrix, incidence, index))


def related_papers(
    papers: Sequence[Paper], topics: Sequence[Topic]
) -> dict[str, tuple[Related, ...]]:
    """For each paper id, 3-8 related papers: explicit ones and backlinks first."""
    return related(papers, topics)[0]


def related(
    papers: Sequence[Paper], topics: Sequence[Topic], *, keep: bool = False
) -> tuple[dict[str, tuple[Related, ...]], Vectors | None]:
    """``related_papers``, and with ``keep`` the tf-idf it came from (``Vectors``, for
    ``linkmodel``: relating an edited paper to the others without scoring every pair)."""
    topic_map = {t.id: t for t in topics}
    explicit = explicit_links(papers)
    if len(papers) < 2:
        return {p.id: () for p in papers}, None
    vectors = _vectorise(_documents(papers, topic_map), keep)
    matrix = vectors.matrix
    incidence = _incidence(papers)
    if len(papers) <= EXACT_LIMIT or matrix.shape[1] <= LSA_DIMENSIONS:
        keep_ = min(len(papers) - 1, CANDIDATES)
        index, score = _exact_candidates(matrix, incidence, keep_)
    else:
        keep_ = min(len(papers) - 1, LSA_CANDIDATES)
        index, score = _lsa_candidates(matrix, incidence, keep_)
    chosen = {
        i: choose(explicit[paper.id], ((papers[j].id, value) for j, value in zip(
            index[i].tolist(), score[i].tolist(), strict=True)))
        for i, paper in enumerate(papers)
    }  # fmt: skip
    out = with_reasons(papers, chosen, matrix, vectors.names, topic_map)
    return out, vectors if keep else None


def explicit_links(papers: Sequence[Paper]) -> dict[str, dict[str, str]]:
    """Paper id -> the papers it lists as related and those that list it, with why."""
    ids = {p.id for p in papers}
    explicit: dict[str, dict[str, str]] = defaultdict(dict)
    for p in papers:
        for target in p.related:
            if target in ids and target != p.id:
                explicit[p.id].setdefault(target, "listed as related")
                explicit[target].setdefault(p.id, "lists this paper as related")
    return explicit


def choose(explicit: dict[str, str], candidates: Iterable[tuple[str, float]]) -> list[Related]:
    """A paper's related papers: its explicit links, then its best candidates (id and
    score, best first) up to ``MAX_RELATED``, those under ``MIN_SCORE`` only to reach
    ``MIN_RELATED``. The candidates' reasons are left empty (``with_reasons``)."""
    mine = [Related(t, 1.0, why, explicit=True) for t, why in sorted(explicit.items())]
    for pid, value in candidates:
        if len(mine) >= MAX_RELATED or value < 0:
            break
        if pid in explicit:
            continue
        if value < MIN_SCORE and len(mine) >= MIN_RELATED:
            break
        mine.append(Related(pid, round(value, 4), ""))
    return mine


def with_reasons(
    papers: Sequence[Paper], chosen: dict[int, list[Related]], matrix: csr_matrix,
    names: np.ndarray, topics: dict[str, Topic],
) -> dict[str, tuple[Related, ...]]:  # fmt: skip
    """The chosen lists (by row of ``papers`` and ``matrix``) with each candidate's
    reason: the topics and the terms the two papers share."""
    row = {p.id: k for k, p in enumerate(papers)}
    pairs = [(i, row[r.id]) for i, mine in chosen.items() for r in mine if not r.explicit]
    words = iter(_key_terms(matrix, pairs))
    out: dict[str, tuple[Related, ...]] = {}
    for i, mine in chosen.items():
        paper, items = papers[i], []
        for r in mine:
            if not r.explicit:
                shared = [str(names[k]) for k in next(words)]
                r = Related(r.id, r.score, _reason(paper, papers[row[r.id]], topics, shared))
            items.append(r)
        out[paper.id] = tuple(items)
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
