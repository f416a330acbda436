"""The prebuilt search index: tokenizer, files, determinism, and parity with lunr.js.

Parity: the site ships the index in a compact form (lunrindex.compact_index). Expanded
back into lunr's serialized form in node (pc-search-index.js: expand), it must equal
what lunr.py serializes, and lunr.js must return the same hits with the same scores as
lunr.py for the same queries. The site itself queries the decoded postings
(pc-search-index.js: PostingIndex), which must answer exactly as lunr.Index does.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunr import get_default_builder
from lunr.index import Index

from generator.analysis import search
from generator.analysis.lunrindex import TermCounts, compact_index, count_terms
from generator.build import build
from generator.catalogue.load import load_tree
from generator.catalogue.model import Catalogue
from generator.catalogue.validate import validate
from generator.exports import searchfiles
from tests.conftest import FIXTURES, IN_CI, ROOT

MINI = FIXTURES / "search-mini"
NODE_SCRIPT = ROOT / "tests" / "js" / "search_node.js"


def node() -> str:
    exe = shutil.which("node")
    if not exe or not searchfiles.LUNR_JS.is_file():
        message = "node and node_modules/lunr are needed (npm ci)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return exe


def run_node(docs: Path, request: dict) -> dict:
    """Run tests/js/search_node.js over a built docs/ folder."""
    out = subprocess.run(
        [node(), str(NODE_SCRIPT), str(docs)],
        input=json.dumps(request), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini") / "docs"
    result = build(MINI, out)
    return out, result.catalogue


def test_tokenizer_splits_on_punctuation():
    assert search.tokenize("Retrieval-Augmented Generation (RAG)") == [
        "retrieval", "augmented", "generation", "rag",
    ]  # fmt: skip
    assert search.tokenize('GraphRAG/Local: "quoted" [x]') == ["graphrag", "local", "quoted", "x"]
    # A dot splits only when no digit follows: versions stay whole.
    assert search.tokenize("GPT-3.5 beats v2. Then") == ["gpt", "3.5", "beats", "v2", "then"]


def test_files_are_content_hashed_and_listed_in_the_manifest(mini):
    docs, _ = mini
    folder = docs / searchfiles.ASSETS
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in [manifest[k] for k in ("index", "docs", "spelling", "lunr")] + manifest["shards"]:
        data = (folder / name).read_bytes()
        assert name.split(".")[1] == searchfiles.hashlib.sha256(data).hexdigest()[:10]
    assert manifest["papers"] == 10
    assert manifest["shard_size"] == searchfiles.SHARD_SIZE and len(manifest["shards"]) == 1
    assert (docs / "search" / "index.md").is_file()
    assert not (docs / "search_index.json").exists()


def test_build_is_deterministic(tmp_path):
    build(MINI, tmp_path / "a")
    build(MINI, tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a" / searchfiles.ASSETS).iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b" / searchfiles.ASSETS).iterdir())
    for name in names:
        a = (tmp_path / "a" / searchfiles.ASSETS / name).read_bytes()
        assert a == (tmp_path / "b" / searchfiles.ASSETS / name).read_bytes()


def test_display_data_is_compact_and_plain(mini):
    _, catalogue = mini
    data = searchfiles.display_data(catalogue)
    topic_ids = [t[0] for t in data["topics"]]
    for paper, (topics, year) in zip(catalogue.papers, data["papers"], strict=True):
        assert [topic_ids[k] for k in topics] == list(paper.topics) and year == paper.year
    [rows] = searchfiles.display_shards(catalogue)
    assert [r[0] for r in rows] == [p.id for p in catalogue.papers]  # index refs are positions
    for row in rows:
        assert len(row[2]) <= searchfiles.SNIPPET_CHARS
    script = next(r for r in rows if r[0] == "script-title")
    assert script[1].startswith("Escaping <script>")  # text, escaped when shown


def test_display_rows_come_in_shards_and_an_edit_changes_one(monkeypatch, mini):
    """Shards of SHARD_SIZE papers in index order; after one paper's title changes, only
    its shard gets a new name, so browsers keep every other cached shard."""
    _, catalogue = mini
    monkeypatch.setattr(searchfiles, "SHARD_SIZE", 3)
    shards = searchfiles.display_shards(catalogue)
    assert [len(s) for s in shards] == [3, 3, 3, 1]
    assert [r[0] for s in shards for r in s] == [p.id for p in catalogue.papers]
    before = _manifest(searchfiles.build(catalogue))
    edited = dataclasses.replace(catalogue.papers[4], title="A new title")
    papers = (*catalogue.papers[:4], edited, *catalogue.papers[5:])
    after = _manifest(searchfiles.build(dataclasses.replace(catalogue, papers=papers)))
    assert after["shard_size"] == 3
    changed = [
        k for k, (a, b) in enumerate(zip(before["shards"], after["shards"], strict=True)) if a != b
    ]
    assert changed == [1]


def _manifest(bundle: searchfiles.SearchBundle) -> dict:
    return json.loads(bundle.files[f"{searchfiles.ASSETS}/manifest.json"])


def test_missing_lunr_js_is_a_clear_problem(monkeypatch, tmp_path):
    monkeypatch.setattr(searchfiles, "LUNR_JS", tmp_path / "nope.js")
    [problem] = searchfiles.missing_lunr()
    assert "npm ci" in str(problem)


def _vectors(serialized: dict) -> dict[str, dict[str, float]]:
    """fieldRef -> {term: score}, independent of the term numbering."""
    terms = {posting["_index"]: term for term, posting in serialized["invertedIndex"]}
    out = {}
    for ref, elements in serialized["fieldVectors"]:
        pairs = zip(elements[::2], elements[1::2], strict=True)
        out[ref] = {terms[i]: score for i, score in pairs}
    return out


def _postings(serialized: dict) -> dict[str, dict[str, list[str]]]:
    return {
        term: {f: sorted(refs) for f, refs in posting.items() if f != "_index"}
        for term, posting in serialized["invertedIndex"]
    }


def test_expanded_index_equals_lunr_py_serialization(mini):
    docs, catalogue = mini
    reference = search.builder(catalogue).build().serialize()
    expanded = run_node(docs, {"expand": True})["serialized"]
    assert expanded["version"] == reference["version"] == "2.3.9"
    assert expanded["fields"] == reference["fields"]
    assert expanded["pipeline"] == reference["pipeline"]
    assert _postings(expanded) == _postings(reference)
    ours, theirs = _vectors(expanded), _vectors(reference)
    assert ours.keys() == theirs.keys()
    for ref, vector in theirs.items():
        assert ours[ref].keys() == vector.keys(), ref
        for term, score in vector.items():
            # lunr rounds to 3 decimals; Python's round and Math.round may differ by one.
            assert abs(ours[ref][term] - score) <= 0.0011, (ref, term)


PARITY_QUERIES = [
    "experts",
    "expert*",
    "mixture experts",
    "rag",
    "distillation",
    "distil*",
    "+prefill decoding",
    "title:serving",
    "retrieval -graph",
    "expret~1",
    "model^2 compression",
    "topics:compression",
    "2024",
    "hopper",
]


def test_lunr_js_hits_and_scores_match_lunr_py(mini):
    docs, catalogue = mini
    index = Index.load(search.builder(catalogue).build().serialize())
    ids = [p.id for p in catalogue.papers]
    js = run_node(docs, {"lunr_queries": PARITY_QUERIES})["lunr"]
    for query, js_hits in zip(PARITY_QUERIES, js, strict=True):
        py_hits = [(ids[int(r["ref"])], r["score"]) for r in index.search(query)]
        assert [h[0] for h in js_hits] == [h[0] for h in py_hits], query
        for (_, a), (_, b) in zip(js_hits, py_hits, strict=True):
            assert abs(a - b) < 1e-3 * max(1.0, abs(b)), query
        assert py_hits or query == "retrieval -graph"


@pytest.mark.parametrize(
    ("query", "first", "absent"),
    [
        ("RAG", "reader-retriever", None),  # "(RAG)" is split from its parentheses
        ("graphrag", "graph-rag", None),  # "GraphRAG/Local" split at the slash
        ("distil", "tiny-student", None),  # prefix
        ("distilation", "tiny-student", None),  # typo, and stemming
        ("mixtre of experts", "expert-balance|switch-routing", None),  # typo; "of": stop word
        ('"distillation" compression', "tiny-student", None),
        ("experts topic:llm-serving", "split-serve", "switch-routing"),
        ("year:2024 experts", "expert-balance", "switch-routing"),
        ("author:hopper", "reader-retriever", "graph-rag"),
        # Non-ASCII at a word's edge: lunr.js's own trimmer would search "ukasz".
        ('author:"Łukasz Kaiser"', "tiny-student", "reader-retriever"),
        ("łukasz", "tiny-student", None),
    ],
)
def test_engine_queries(mini, query, first, absent):
    docs, _ = mini
    [hits] = run_node(docs, {"queries": [query]})["engine"]
    assert hits and hits[0] in first.split("|"), hits
    if absent:
        assert absent not in hits


def test_quoted_term_is_required(mini):
    docs, _ = mini
    free, quoted = run_node(docs, {"queries": ["distillation pruning", '"pruning" distillation']})[
        "engine"
    ]
    assert {"tiny-student", "prune-quant"} <= set(free)
    assert quoted == ["prune-quant"]


def test_separator_is_the_same_in_javascript():
    text = 'Retrieval-Augmented (RAG) GPT-3.5 a/b: "q" x.y v2. «z»'
    split = f"new RegExp({json.dumps(search.SEPARATOR)})"
    tokens = f"{json.dumps(text)}.toLowerCase().split({split}).filter(Boolean)"
    script = f"console.log(JSON.stringify({tokens}))"
    out = subprocess.run([node(), "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == search.tokenize(text)


def _abstract_terms(catalogue) -> dict[str, set[str]]:
    """Paper id -> the abstract terms the index holds for it."""
    ids = [p.id for p in catalogue.papers]
    out: dict[str, set[str]] = {i: set() for i in ids}
    for term, fields in search.builder(catalogue).inverted_index.items():
        for ref in fields["abstract"]:
            out[ids[int(ref)]].add(term)
    return out


def test_small_catalogues_index_every_abstract_word(mini):
    _, catalogue = mini
    terms = _abstract_terms(catalogue)
    assert {"hallucin", "ground", "retriev", "open", "domain"} <= terms["reader-retriever"]


def test_large_catalogues_keep_the_most_distinctive_abstract_terms(mini, monkeypatch):
    """Over the budget, each abstract keeps its terms of highest tf-idf, and only those."""
    _, catalogue = mini
    full = _abstract_terms(catalogue)
    lunr_builder = search.builder(catalogue)
    n = len(catalogue.papers)
    df = {t: len(f["abstract"]) for t, f in lunr_builder.inverted_index.items()}
    monkeypatch.setattr(search, "ABSTRACT_BUDGET", 10)
    monkeypatch.setattr(search, "MIN_ABSTRACT_TERMS", 4)
    pruned = _abstract_terms(catalogue)
    assert sum(map(len, pruned.values())) < sum(map(len, full.values())) / 2
    for k, paper in enumerate(catalogue.papers):
        tf = lunr_builder.field_term_frequencies[f"abstract/{k}"]
        kept, dropped = pruned[paper.id], full[paper.id] - pruned[paper.id]
        assert len(kept) == min(4, len(full[paper.id])) and kept <= full[paper.id]

        def score(t, tf=tf):
            return tf[t] * math.log(n / df[t])

        if dropped:
            assert min(map(score, kept)) >= max(map(score, dropped)), paper.id


def _both_ways(catalogue) -> tuple[dict, dict]:
    fast = compact_index(search.term_counts(catalogue))
    return fast, compact_index(TermCounts.from_builder(search.builder(catalogue)))


def test_fast_counts_equal_lunr_py_builder(mini, monkeypatch):
    """The build counts terms itself (lunrindex.count_terms); lunr.py's builder is the
    reference, pruned or not."""
    _, catalogue = mini
    fast, reference = _both_ways(catalogue)
    assert fast == reference and fast["count"] == len(catalogue.papers)
    monkeypatch.setattr(search, "ABSTRACT_BUDGET", 10)
    monkeypatch.setattr(search, "MIN_ABSTRACT_TERMS", 4)
    pruned, reference = _both_ways(catalogue)
    assert pruned == reference and pruned["postings"] != fast["postings"]


def test_fast_counts_equal_lunr_py_builder_on_the_seed_catalogue():
    papers, topics, _ = validate(*load_tree(ROOT / "content")[:2])
    fast, reference = _both_ways(Catalogue(papers=papers, topics=topics))
    assert fast == reference


WORDS = st.text(alphabet="abcé-'’.sz0 ", min_size=0, max_size=8) | st.sampled_from(
    ["colour", "the", "and", "modelling", "'quoted'", "", "analyse", "running", "runs"]
)


@settings(max_examples=60, deadline=None)
@given(docs=st.lists(st.lists(WORDS, max_size=12), min_size=1, max_size=6))
def test_count_terms_equals_lunr_py_builder(docs):
    """Any token lists, the same counts and lengths as lunr.py's Builder.add."""
    pipeline, search_pipeline = search._pipelines()
    builder = get_default_builder()
    builder.pipeline, builder.search_pipeline = search._pipelines()
    builder.ref("ref")
    builder.field("text", boost=2)
    for n, words in enumerate(docs):
        builder.add({"ref": str(n), "text": words})
    fast = count_terms([{"text": w} for w in docs], {"text": 2}, pipeline, search_pipeline)
    assert compact_index(fast) == compact_index(TermCounts.from_builder(builder))


LUNR_SYNTAX = [
    *PARITY_QUERIES,
    "*ing",
    "mod*l",
    "-graph",
    "-graph -model",
    "",
    "+title:model +abstract:serv*",
    "expret~2",
    "title:mod* abstract:serv*",
    "model^10 serving^0.5 +retrieval",
    "year:2024 -topics:compression",
]


def _reader_queries(catalogue, count: int, seed: int = 0) -> list[str]:
    """Queries as readers type them: words of the catalogue, their prefixes, one-letter
    typos, several words, quoted words and field filters (deterministic)."""
    rng = random.Random(seed)
    words = sorted(
        {w for p in catalogue.papers for w in search.tokenize(p.title + " " + p.abstract)}
    )
    out = []
    for _ in range(count):
        picked = [rng.choice(words) for _ in range(rng.randint(1, 3))]
        how = rng.randrange(6)
        if how == 1:  # typed so far
            picked[-1] = picked[-1][: rng.randint(1, max(1, len(picked[-1])))]
        elif how == 2 and len(picked[0]) > 3:  # a letter dropped or swapped
            w, i = picked[0], rng.randrange(len(picked[0]) - 1)
            picked[0] = (
                w[:i] + w[i + 1 :] if rng.random() < 0.5 else w[:i] + w[i + 1] + w[i] + w[i + 2 :]
            )
        elif how == 3:
            picked[0] = f'"{picked[0]}"'
        elif how == 4:
            picked.append(rng.choice(["title:", "author:", "abstract:"]) + rng.choice(words))
        out.append(" ".join(picked))
    return out


def _parity(docs: Path, queries: list[str]) -> list:
    return run_node(docs, {"parity": {"queries": queries, "lunr": LUNR_SYNTAX}})["parity"]


def test_site_index_answers_exactly_as_lunr_index(mini):
    """The worker queries its own PostingIndex, not lunr.Index: the same hits in the same
    order, the same scores to the last bit and the same matched words, for reader
    queries (with and without typos) and raw lunr query syntax."""
    docs, catalogue = mini
    assert _parity(docs, _reader_queries(catalogue, 150)) == []


def test_site_index_answers_exactly_as_lunr_index_on_the_seed_catalogue(tmp_path):
    papers, topics, _ = validate(*load_tree(ROOT / "content")[:2])
    catalogue = Catalogue(papers=papers, topics=topics)
    searchfiles.build(catalogue).write(tmp_path)
    assert _parity(tmp_path, _reader_queries(catalogue, 300, seed=1)) == []
