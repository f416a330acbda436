"""Topic suggestions and related papers: reasons, no self links, determinism."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis import links
from generator.analysis.links import MAX_RELATED, MIN_RELATED, related_papers, versions
from generator.analysis.topics import Suggester, children, counts, rule_scores
from generator.catalogue.load import load_tree
from generator.catalogue.model import Paper, Topic
from generator.catalogue.validate import validate

ROOT = Path(__file__).resolve().parent.parent
TOPICS = (
    Topic("moe", "Mixture of experts", "d", keywords=("mixture-of-experts", "mixture of experts", "moe")),
    Topic("serving", "LLM serving", "d", keywords=("llm serving", "serving system*", "prefill")),
    Topic("rl", "Reinforcement learning", "d", parent="serving", keywords=("reinforcement learning", "rl")),
)  # fmt: skip


def paper(pid: str, title: str, abstract: str, topics=("moe",), related=(), version_of=None):
    return Paper(pid, title, abstract, tuple(topics), dt.date(2026, 1, 1),
                 related=tuple(related), version_of=version_of)  # fmt: skip


def test_rule_scores_explain_matches():
    score, reason = rule_scores(TOPICS[0], "AdaMoE: routing for Mixture-of-Experts", "MoE and MoE")
    assert score == 3 + 2
    assert reason == "title mentions 'mixture-of-experts'; abstract mentions 'moe ×2'"


def test_rule_needs_whole_words():
    assert rule_scores(TOPICS[2], "Control", "We study curling and girls.")[0] == 0
    assert rule_scores(TOPICS[2], "Offline RL", "")[0] == 3


def test_suggester_uses_rules_then_similar_papers():
    tagged = [
        paper("a", "Serving systems", "prefill decoding GPU scheduling latency", ["serving"]),
        paper("b", "Batching requests", "prefill decoding GPU scheduling throughput", ["serving"]),
        paper("c", "Experts", "mixture of experts gating", ["moe"]),
    ]
    suggester = Suggester(TOPICS, tagged)
    found = suggester.suggest("A new scheduler", "decoding GPU scheduling latency throughput")
    assert found[0].topic == "serving"
    assert "similar papers have it (" in found[0].reason
    assert {"a", "b"} <= set(found[0].reason.split("(")[1].rstrip(")").split(", "))
    rules_only = Suggester(TOPICS).suggest("Mixture of experts for LLM serving", "")
    assert [s.topic for s in rules_only] == ["moe", "serving"]


def test_children_and_counts():
    assert children(TOPICS) == {"serving": ("rl",)}
    papers = [paper("a", "t", "x", ["moe", "rl"]), paper("b", "t", "x", ["moe"])]
    assert counts(TOPICS, papers) == {"moe": 2, "serving": 0, "rl": 1}


@pytest.fixture(scope="module")
def seed():
    records, topic_records, _ = load_tree(ROOT / "content")
    papers, topics, problems = validate(records, topic_records)
    assert not [p for p in problems if p.severity == "error"]
    return papers, topics


def test_seed_related_papers(seed):
    papers, topics = seed
    first = related_papers(papers, topics)
    assert first == related_papers(papers, topics)  # deterministic
    for pid, rel in first.items():
        ids = [r.id for r in rel]
        assert pid not in ids
        assert len(ids) == len(set(ids))
        assert MIN_RELATED <= len(ids) <= MAX_RELATED
        assert all(r.reason for r in rel)


def test_seed_papers_that_belong_together_share_a_topic(seed):
    papers, _ = seed
    by_id = {p.id: p for p in papers}
    moe = ["adamoe", "moe-lens", "speculative-moe", "capacity-aware-inference", "comet",
           "parameters-flops-scaling-laws-optimal", "sparse-upcycling"]  # fmt: skip
    serving = ["distserve", "nanoflow", "servegen", "burstgpt", "scalellm", "fastswitch",
               "learned-best-effort-llm-serving", "cap-principle-llm-serving-survey"]  # fmt: skip
    assert all("mixture-of-experts" in by_id[i].topics for i in moe)
    assert all("llm-serving" in by_id[i].topics for i in serving)
    assert all(1 <= len(p.topics) <= 5 for p in papers)


def test_explicit_related_and_backlinks_come_first():
    papers = [
        paper("a", "Alpha serving", "prefill decoding", ["serving"], related=["c"]),
        paper("b", "Beta serving", "prefill decoding batching", ["serving"]),
        paper("c", "Gamma experts", "mixture of experts", ["moe"]),
        paper("d", "Delta experts", "mixture of experts gating", ["moe"]),
    ]
    rel = related_papers(papers, TOPICS)
    assert rel["a"][0].id == "c" and rel["a"][0].explicit
    assert rel["c"][0].id == "a" and rel["c"][0].reason == "lists this paper as related"


def test_versions_are_grouped_both_ways():
    papers = [paper("a", "t", "x"), paper("b", "t", "x", version_of="a"),
              paper("c", "t", "x", version_of="b"), paper("d", "t", "x")]  # fmt: skip
    assert versions(papers) == {"a": ("b", "c"), "b": ("a", "c"), "c": ("a", "b")}


words = st.sampled_from(
    ["expert", "serving", "prefill", "gating", "token", "model", "latency", "batch", "graph"]
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=8), min_size=2, max_size=12))
def test_related_never_links_to_self_and_is_deterministic(abstracts):
    papers = [
        paper(f"p{i}", " ".join(a[:3]), " ".join(a), ["moe"]) for i, a in enumerate(abstracts)
    ]
    rel = related_papers(papers, TOPICS)
    assert rel == related_papers(papers, TOPICS)
    for pid, items in rel.items():
        assert pid not in [r.id for r in items]
        assert len(items) <= MAX_RELATED
        assert len(items) >= min(MIN_RELATED, len(papers) - 1)


# Hand-picked pairs of seed papers on the same problem: each must stay linked (in one
# direction at least) whichever way candidates are found.
SEED_PAIRS = [
    ("adamoe", "capacity-aware-inference"), ("moe-lens", "capacity-aware-inference"),
    ("moe-lens", "speculative-moe"), ("speculative-moe", "capacity-aware-inference"),
    ("speculative-moe", "adamoe"), ("sparse-upcycling", "parameter-efficient-sparsity-crafting-dense"),
    ("comet", "parameter-efficient-sparsity-crafting-dense"), ("comet", "adamoe"),
    ("adamoe", "parameters-flops-scaling-laws-optimal"),
    ("speculative-moe", "insights-deepseek-v3-scaling-challenges"),
    ("distserve", "fastswitch"), ("distserve", "nanoflow"), ("distserve", "scalellm"),
    ("nanoflow", "scalellm"), ("nanoflow", "s-3"), ("servegen", "burstgpt"),
    ("servegen", "scalellm"), ("servegen", "cap-principle-llm-serving-survey"),
    ("scalellm", "efficient-llm-scheduling-learning-rank"),
    ("scalellm", "learned-best-effort-llm-serving"), ("fastswitch", "scalellm"),
    ("distserve", "efficient-llm-scheduling-learning-rank"),
    ("nanoflow", "efficient-llm-scheduling-learning-rank"),
    ("burstgpt", "efficient-llm-scheduling-learning-rank"),
]  # fmt: skip


@pytest.mark.parametrize("exact_limit", [10_000, 0], ids=["exact", "lsa-candidates"])
def test_seed_pairs_stay_linked(seed, monkeypatch, exact_limit):
    monkeypatch.setattr(links, "EXACT_LIMIT", exact_limit)
    rel = related_papers(*seed)
    linked = {(a, r.id) for a, items in rel.items() for r in items}
    missing = [p for p in SEED_PAIRS if p not in linked and p[::-1] not in linked]
    assert len(SEED_PAIRS) == 24 and not missing


def test_lsa_candidates_score_exactly_like_the_exact_path(seed, monkeypatch):
    """Candidates differ at most at the margin; a pair found both ways has one score."""
    exact = related_papers(*seed)
    monkeypatch.setattr(links, "EXACT_LIMIT", 0)
    lsa = related_papers(*seed)
    assert lsa == related_papers(*seed)  # deterministic
    scores = {(a, r.id): r.score for a, items in exact.items() for r in items}
    both = [(a, r) for a, items in lsa.items() for r in items if (a, r.id) in scores]
    assert len(both) >= 0.95 * len(scores)
    assert all(scores[(a, r.id)] == r.score for a, r in both)


def test_scoring_candidates_in_chunks_changes_no_value(seed, monkeypatch):
    """_exact_scores works a few thousand rows at a time (its memory at 100,000 papers);
    any chunk size gives the very same values."""
    import numpy as np

    papers, topics = seed
    matrix, _ = links._tfidf(links._documents(papers, {t.id: t for t in topics}))
    incidence = links._incidence(papers)
    index = np.array([[(i * 7 + k * 13 + 1) % len(papers) for k in range(8)]
                      for i in range(len(papers))])  # fmt: skip
    whole = links._exact_scores(matrix, incidence, index)
    monkeypatch.setattr(links, "SCORED_ROWS", 7)
    chunked = links._exact_scores(matrix, incidence, index)
    assert chunked.shape == (len(papers), 8) and np.array_equal(whole, chunked)
    assert whole.max() > 0


def test_exact_candidates_are_each_rows_best_pairs(seed, monkeypatch):
    """The sparse top-k product (sparse_dot_topn) keeps what scoring every pair in a
    dense matrix keeps: each row's best, by score and then by position, with their
    scores, whatever the number of threads."""
    import numpy as np

    papers, topics = seed
    matrix, _ = links._tfidf(links._documents(papers, {t.id: t for t in topics}))
    incidence = links._incidence(papers)
    shared = (incidence @ incidence.T).toarray().astype(np.float64)
    dense = (matrix @ matrix.T).toarray() + links.TOPIC_BONUS * shared
    np.fill_diagonal(dense, -np.inf)
    keep = links.CANDIDATES
    index, score = links._exact_candidates(matrix, incidence, keep)
    for i, row in enumerate(dense):
        expected = np.lexsort((np.arange(len(row)), -np.round(row, 9)))[:keep]
        assert index[i].tolist() == expected.tolist()
        assert np.allclose(score[i], row[expected], rtol=0, atol=1e-12)
    for threads in (1, 3):
        monkeypatch.setattr(links, "GEMM_THREADS", threads)
        again = links._exact_candidates(matrix, incidence, keep)
        assert np.array_equal(again[0], index) and np.array_equal(again[1], score)


def test_a_paper_sharing_nothing_still_gets_candidates():
    """Fewer pairs with any score than candidates wanted: the first other papers fill
    up with score 0, as a dense product's zeros would."""
    import numpy as np
    from scipy.sparse import csr_matrix

    matrix = csr_matrix(np.array([[1.0, 0], [0, 1.0], [0, 1.0], [0, 0]]))
    incidence = csr_matrix(np.zeros((4, 1), dtype=np.float32))
    index, score = links._exact_candidates(matrix, incidence, 3)
    assert index.tolist() == [[1, 2, 3], [2, 0, 3], [1, 0, 3], [0, 1, 2]]
    assert score[:, 0].tolist() == [0.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("FOLD_TOPICS", 0),
        ("SAMPLE_STEP", 1),
        ("SAMPLE_STEP", 2),
        ("KEY_CHUNK", 1),
        ("KEY_CHUNK", 7),
    ],
)
def test_lsa_shortcuts_change_nothing(seed, monkeypatch, setting, value):
    """The topic bonus folded into the dense product, the sampled threshold before the
    partition (on at 2,048 papers; forced here) and the shared terms found in chunks of
    pairs give the plain path's lists, reasons included."""
    monkeypatch.setattr(links, "EXACT_LIMIT", 0)
    plain = related_papers(*seed)
    monkeypatch.setattr(links, setting, value)
    assert related_papers(*seed) == plain


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    height=st.integers(1, 6),
    width=st.sampled_from([64, 300, 4096]),
    ties=st.booleans(),
)
def test_top_columns_are_each_rows_largest(seed, height, width, ties):
    import numpy as np

    keep = 16
    rng = np.random.default_rng(seed)
    block = rng.standard_normal((height, width)).astype(np.float32)
    if ties:  # many equal values, and rows that are all one value
        block = np.round(block, 1)
        block[0] = 0.0
    block[0, 0] = -np.inf  # as the diagonal is
    top = links._top_columns(block, keep)
    assert top.shape == (height, keep)
    for row, cols in zip(block, top, strict=True):
        assert len(set(cols.tolist())) == keep
        assert np.array_equal(np.sort(row[cols]), np.sort(row)[-keep:])
