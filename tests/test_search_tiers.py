"""The tiered search index (lunrindex.tiered_index): the single index cut by term into
a head and shards, and the worker's engine over it in node, fetching shards as queries
ask for them. Its answers must be the single index's, hit for hit and score for score.
"""

from __future__ import annotations

import json

import pytest

from generator.analysis import search
from generator.analysis.lunrindex import compact_index, tiered_index
from generator.build import build
from generator.catalogue.load import load_tree
from generator.catalogue.model import Catalogue
from generator.catalogue.validate import validate
from generator.exports import searchfiles
from tests.conftest import ROOT
from tests.test_search_index import MINI, run_node
from tests.test_search_quality import QUERIES

# Reader queries, and what exercises each path of the engine: prefixes, a typo, quoted
# and field terms, filters alone, raw lunr syntax the box passes through.
MORE_QUERIES = [
    "distil", "mixt", "expret", "mixtre of experts", '"cache" kv', "title:mixture",
    "author:zhang", "venue:neurips", "topic:llm-serving", "year:2024", "year:2023..",
    "topic:llm-serving kv cache", "modelling", "behaviour organisation", "a", "zzzz", "2024",
]  # fmt: skip


def _seed() -> Catalogue:
    papers, topics, _ = validate(*load_tree(ROOT / "content")[:2])
    return Catalogue(papers=papers, topics=topics)


def test_the_tiers_are_the_single_index_cut_by_term():
    """Head + shards hold exactly the single index: the same header and lengths, and
    each field's postings, shard after shard, are the single index's."""
    counts = search.term_counts(_seed())
    single = compact_index(counts)
    head, shards = tiered_index(counts, shard_chars=2000)
    assert {k: v for k, v in head.items() if k not in ("format", "shards")} == {
        k: v for k, v in single.items() if k not in ("format", "postings")
    }
    assert head["format"] == "papercat-lunr-tiered-1"
    starts = head["shards"]
    assert starts[0] == 0 and starts == sorted(set(starts)) and len(starts) == len(shards) > 16
    for f, _ in enumerate(single["fields"]):
        assert " ".join(s["postings"][f] for s in shards) == single["postings"][f]
    terms = single["terms"].split(" ")
    ends = [*starts[1:], len(terms)]
    for shard, a, b in zip(shards, starts, ends, strict=True):
        assert all(p.count(" ") == b - a - 1 for p in shard["postings"])  # one chunk a term
    # Cut where a shard passes the size: none much over it, unless one term is larger.
    sizes = [sum(map(len, s["postings"])) for s in shards]
    assert max(sizes) < 2000 * 2
    # A small index is still cut into about min_shards.
    assert len(tiered_index(counts, shard_chars=10**9)[1]) in range(16, 18)


def test_tiers_from_the_tier_size(monkeypatch, tmp_path):
    """One index file below the tier size (the default, 20,000 papers, or
    PAPERCAT_SEARCH_TIER); from it, the head and content-hashed term shards."""
    papers, topics, _ = validate(*load_tree(MINI)[:2])
    catalogue = Catalogue(papers=papers, topics=topics)
    assert searchfiles.tier_papers() == searchfiles.TIER_PAPERS == 20_000
    single = json.loads(searchfiles.build(catalogue).files[f"{searchfiles.ASSETS}/manifest.json"])
    assert "term_shards" not in single
    monkeypatch.setenv("PAPERCAT_SEARCH_TIER", str(len(papers)))
    files = searchfiles.build(catalogue).files
    manifest = json.loads(files[f"{searchfiles.ASSETS}/manifest.json"])
    assert manifest["term_shards"] and manifest["index"] != single["index"]
    head = json.loads(files[f"{searchfiles.ASSETS}/{manifest['index']}"])
    assert "postings" not in head and len(head["shards"]) == len(manifest["term_shards"])
    for name in manifest["term_shards"]:
        data = files[f"{searchfiles.ASSETS}/{name}"]
        assert name.split(".")[1] == searchfiles.hashlib.sha256(data).hexdigest()[:10]
    monkeypatch.setenv("PAPERCAT_SEARCH_TIER", str(len(papers) + 1))
    assert "term_shards" not in json.loads(
        searchfiles.build(catalogue).files[f"{searchfiles.ASSETS}/manifest.json"]
    )


@pytest.fixture(scope="module")
def seed_both(tmp_path_factory):
    """The seed's docs/, with one index file and tiered."""
    work = tmp_path_factory.mktemp("tiers")
    build(ROOT / "content", work / "single")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAPERCAT_SEARCH_TIER", "1")
        build(ROOT / "content", work / "tiered")
    return work / "single", work / "tiered"


def test_tiered_engine_answers_as_the_single_index(seed_both):
    """The worker's engine over the tiers, shards read as queries ask for them: the same
    first ten hits with the same scores (to the last bit) as over the single index."""
    single, tiered = seed_both
    queries = [q for q, _ in QUERIES] + MORE_QUERIES
    request = {"scored": queries, "queries": queries, "limit": 10}
    one, tiers = run_node(single, request), run_node(tiered, request)
    assert one["scored"] == tiers["scored"] and one["engine"] == tiers["engine"]
    empty = {q for q, hits in zip(queries, one["scored"], strict=True) if not hits}
    assert empty <= {"a", "zzzz", "author:zhang", "venue:neurips"}  # the rest find papers


def test_a_query_reads_only_the_shards_of_its_words(seed_both):
    """Each query reads the shards its words (and their prefixes) fall in, a few of
    them, and a shard read once is never read again."""
    _, tiered = seed_both
    manifest = json.loads((tiered / searchfiles.ASSETS / "manifest.json").read_text())
    total = len(manifest["term_shards"])
    queries = ["megascale", "megascale", "water footprint", "topic:llm-serving", "year:2024"]
    loaded = run_node(tiered, {"loaded": queries})["loaded"]
    assert 1 <= len(loaded[0]) <= 2 < total
    assert loaded[1] == []  # kept
    assert 1 <= len(loaded[2]) <= 4
    assert loaded[3] == loaded[4] == []  # filters alone: the head's data answers them
    # Every shard read at most once, over a whole list of queries.
    every = run_node(tiered, {"loaded": [q for q, _ in QUERIES]})["loaded"]
    read = [k for ks in every for k in ks]
    assert len(read) == len(set(read))
