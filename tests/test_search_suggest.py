"""Topics, authors and venues in the search box (pc-search-worker.js: Engine.suggest).

The worker runs in node over the fixture catalogue, which has authors and venues; the
browser tests (tests/e2e/test_search.py) cover the rows in the dropdown.
"""

from __future__ import annotations

import json

import pytest

from generator.build import build
from generator.exports import searchfiles
from tests.test_search_index import MINI, run_node


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini-suggest") / "docs"
    return out, build(MINI, out).catalogue


def suggest(docs, *queries: str) -> list[list[dict]]:
    return run_node(docs, {"suggest": list(queries)})["suggest"]


def test_suggestion_data(mini):
    _, catalogue = mini
    data = searchfiles.suggestions(catalogue)
    ids = [t.id for t in catalogue.topics]
    moe = data["topics"][ids.index("mixture-of-experts")]
    assert moe == [3, []]
    assert data["topics"][ids.index("model-compression")][1] == [
        "knowledge distillation", "quantization",
    ]  # fmt: skip
    assert ["Grace Hopper", "grace-hopper", 2] in data["authors"]
    assert not [
        a for a in data["authors"] if a[2] < searchfiles.MIN_AUTHOR_PAPERS
    ]  # Alan Turing: one
    assert any("Alan Turing" in p.authors for p in catalogue.papers)
    assert ["NeurIPS", "neurips", 1] in data["venues"]


@pytest.mark.parametrize("typed", ["mixt", "mixture of", "Mixture of Experts", "mixture-of"])
def test_topic_name_prefix(mini, typed):
    [rows] = suggest(mini[0], typed)
    assert rows[0] == {
        "kind": "topic", "label": "Mixture of experts", "key": "mixture-of-experts", "count": 3,
        "filter": "topic:mixture-of-experts", "query": "topic:mixture-of-experts ",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "kind", "label", "query"),
    [
        ("knowledge dist", "topic", "Model compression", "topic:model-compression "),
        ("quantiz", "topic", "Model compression", "topic:model-compression "),
        ("hop", "author", "Grace Hopper", 'author:"Grace Hopper" '),
        ("grace h", "author", "Grace Hopper", 'author:"Grace Hopper" '),
        ("neur", "venue", "NeurIPS", "venue:NeurIPS "),
        ("year:2024 mixt", "topic", "Mixture of experts", "year:2024 topic:mixture-of-experts "),
        ("retrieval aug", "topic", "Retrieval-augmented generation",
         "topic:retrieval-augmented-generation "),
    ],
)  # fmt: skip
def test_keywords_authors_venues_and_kept_filters(mini, typed, kind, label, query):
    [rows] = suggest(mini[0], typed)
    assert (rows[0]["kind"], rows[0]["label"], rows[0]["query"]) == (kind, label, query)


@pytest.mark.parametrize(
    "typed", ["ab", "experts topic:mixture-of-experts", "tour", "mixture serving", ""]
)
def test_no_suggestion(mini, typed):
    [rows] = suggest(mini[0], typed)
    assert all(r["key"] != "mixture-of-experts" for r in rows)
    if typed != "experts topic:mixture-of-experts":
        assert rows == []


def test_a_suggested_filter_finds_the_papers(mini):
    docs, catalogue = mini
    queries = ['author:"Grace Hopper" ', "topic:mixture-of-experts ", "venue:NeurIPS "]
    found = run_node(docs, {"queries": queries})["engine"]
    hopper = sorted(p.id for p in catalogue.papers if "Grace Hopper" in p.authors)
    assert sorted(found[0]) == hopper and len(hopper) == 2
    assert sorted(found[1]) == sorted(p.id for p in catalogue.papers_in("mixture-of-experts"))
    assert found[2] == ["reader-retriever"]


def test_the_word_index_finds_what_reading_every_entity_finds(large_docs):
    """Engine.suggest reads only the entities with a word the query's last word begins
    (entitiesStarting). On the synthetic catalogue (hundreds of authors sharing first
    and last names), every prefix of every topic, keyword, author and venue, in other
    spellings and after other words, gives what reading them all gives."""
    search = large_docs / "assets" / "search"
    manifest = json.loads((search / "manifest.json").read_text(encoding="utf-8"))
    data = json.loads((search / manifest["docs"]).read_text(encoding="utf-8"))["suggest"]
    names = [row[0] for group in ("authors", "venues") for row in data[group]]
    names += [k for row in data["topics"] for k in row[1]] + ["optimisation", "behaviour"]
    queries = {name[:n].lower() for name in names for n in range(3, len(name) + 1)}
    queries |= {f"large {q}" for q in sorted(queries)[::40]} | {"year:2024 mix", "modelling"}
    queries = sorted(queries)
    pairs = run_node(large_docs, {"suggest_scan": queries})["suggest_scan"]
    assert sum(1 for found, _ in pairs if len(found) > 1) > 100
    assert [q for q, (found, every) in zip(queries, pairs, strict=True) if found != every] == []
