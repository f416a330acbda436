"""Related papers for a few papers, against the others as they are: ``papercat serve``'s
fast pass.

``links.related_papers`` scores every pair of papers, seconds at 10,000 papers. After an
edit to one paper, the dev server needs that paper's list (and those of the papers it
names or that named it) at once; the exact lists follow in its background pass. A
``Model`` keeps what the last exact computation made: the tf-idf rows, the counted
terms with their idf, and which columns were shared. An edited or new paper gets its
row from the same terms and weights (``Model.refresh``): a term the model lacks counts
as one found in this paper alone, as a clean build would count it, so the row's norm is
right, and a paper that did not change gets exactly its old row. Its list is then
chosen from one sparse product with every row, by the same rules and reasons as
``links`` (``links.choose``, ``links.with_reasons``). Other papers' rows and idf stay
as they were: the fast pass may keep other papers' term weights.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix, vstack

from generator.analysis import links
from generator.catalogue.model import Paper, Related, Topic


@dataclass(frozen=True)
class Model:
    """The papers (in id order), their tf-idf rows and how a new row is made."""

    papers: tuple[Paper, ...]
    topics: dict[str, Topic]
    vectors: links.Vectors
    documents: int  # how many documents the idf was counted over
    incidence: csr_matrix  # papers x the taxonomy's topics, 1 where a paper has one

    @classmethod
    def fit(cls, papers: Sequence[Paper], topics: Sequence[Topic]) -> Model:
        """The model of a catalogue (what ``links.related(..., keep=True)`` gives, with
        the related lists themselves)."""
        return cls.of(papers, topics, links.related(papers, topics, keep=True)[1])

    @classmethod
    def of(
        cls, papers: Sequence[Paper], topics: Sequence[Topic], vectors: links.Vectors | None
    ) -> Model:
        """The model of ``papers`` whose tf-idf ``links.related(..., keep=True)`` kept."""
        if vectors is None:  # fewer than two papers: nothing was counted
            vectors = links.Vectors(csr_matrix((len(papers), 1)), np.array([""]))
        by_id = {t.id: t for t in topics}
        return cls(tuple(papers), by_id, vectors, len(papers), _incidence(papers, by_id))

    @cached_property
    def _row(self) -> dict[str, int]:
        return {p.id: k for k, p in enumerate(self.papers)}

    def _vector(self, paper: Paper) -> csr_matrix:
        """One paper's tf-idf row, from this model's terms and idf."""
        v = self.vectors
        width = v.matrix.shape[1]
        if v.terms is None or v.idf is None or v.shared is None:
            return csr_matrix((1, width))
        (document,) = links._documents([paper], self.topics)
        known, new = v.terms.count(document)
        # A term the model has not seen is in this paper alone: the idf of df = 1.
        alone = math.log((1 + self.documents) / 2) + 1
        weights = {c: (1 + math.log(n)) * v.idf[c] for c, n in known.items()}
        norm = math.sqrt(
            sum(w * w for w in weights.values())
            + sum(((1 + math.log(n)) * alone) ** 2 for n in new.values())
        )  # fmt: skip
        if not norm:
            return csr_matrix((1, width))
        cells = sorted((int(v.shared[c]), w / norm) for c, w in weights.items() if v.shared[c] >= 0)
        cols = np.array([c for c, _ in cells], dtype=np.int32)
        data = np.array([w for _, w in cells], dtype=np.float64)
        return csr_matrix((data, cols, np.array([0, len(cells)])), shape=(1, width))

    def refresh(self, papers: Sequence[Paper]) -> Model:
        """The model of ``papers`` (sorted by id): the rows of papers this model has, as
        they are, and new rows for new or changed papers."""
        rows, extra = [], []
        old = self._row
        for paper in papers:
            k = old.get(paper.id)
            if k is not None and (self.papers[k] is paper or self.papers[k] == paper):
                rows.append(k)
            else:
                rows.append(len(self.papers) + len(extra))
                extra.append(paper)
        take = np.array(rows, dtype=np.int64)

        def rows_of(matrix: csr_matrix, new: list[csr_matrix]) -> csr_matrix:
            both = vstack([matrix, *new], format="csr") if new else matrix
            out = both[take].tocsr()
            out.sort_indices()
            return out

        matrix = rows_of(self.vectors.matrix, [self._vector(p) for p in extra])
        incidence = rows_of(self.incidence, [_incidence(extra, self.topics)] if extra else [])
        return replace(self, papers=tuple(papers), incidence=incidence,
                       vectors=replace(self.vectors, matrix=matrix))  # fmt: skip

    def related(self, ids: Iterable[str]) -> dict[str, tuple[Related, ...]]:
        """The related lists of these papers (ids of ``self.papers``), chosen among all the
        model's papers as ``links.related_papers`` chooses them."""
        papers, matrix = self.papers, self.vectors.matrix
        wanted = sorted({self._row[i] for i in ids})
        if not wanted:
            return {}
        if len(papers) < 2:
            return {papers[i].id: () for i in wanted}
        explicit = links.explicit_links(papers)
        incidence = self.incidence
        keep = min(len(papers) - 1, links.CANDIDATES)
        scores = (matrix @ matrix[wanted].T).toarray()
        shared = (incidence @ incidence[wanted].T).toarray().astype(np.float64)
        scores += links.TOPIC_BONUS * shared
        position = np.arange(len(papers))
        chosen = {}
        for k, i in enumerate(wanted):
            column = scores[:, k]
            column[i] = -np.inf  # never itself
            # Best first, ties by position (id order), as links' candidates are ordered.
            order = np.lexsort((position, -np.round(column, 9)))[:keep]
            candidates = ((papers[j].id, float(column[j])) for j in order.tolist())
            chosen[i] = links.choose(explicit[papers[i].id], candidates)
        return links.with_reasons(papers, chosen, matrix, self.vectors.names, self.topics)


def _incidence(papers: Sequence[Paper], topics: dict[str, Topic]) -> csr_matrix:
    """Papers x the taxonomy's topics (in id order), 1 where a paper has the topic: row
    products count shared topics, as ``links._incidence``'s do."""
    column = {t: k for k, t in enumerate(sorted(topics))}
    cells = [(i, column[t]) for i, p in enumerate(papers) for t in p.topics if t in column]
    rows = np.array([i for i, _ in cells], dtype=np.int64)
    cols = np.array([c for _, c in cells], dtype=np.int64)
    return csr_matrix((np.ones(len(cells), dtype=np.float32), (rows, cols)),
                      shape=(len(papers), max(1, len(column))))  # fmt: skip
