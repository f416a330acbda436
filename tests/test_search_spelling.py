"""British and American spellings meet in search (generator/analysis/spelling.py).

The same mapping runs in lunr.py when the index is built and in the browser's worker
when a query is run; the parity test runs both on the same words.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis import search, spelling
from generator.build import build
from generator.exports import searchfiles
from tests.test_search_index import MINI, run_node

PAIRS = [
    ("organisation", "organization"),
    ("colour", "color"),
    ("analyse", "analyze"),
    ("modelling", "modeling"),
    ("centre", "center"),
    ("optimise", "optimize"),
    ("behaviour", "behavior"),
    ("optimisation", "optimization"),
    ("labelled", "labeled"),
]
# Words that suffix rules would break; the word list leaves them alone.
UNCHANGED = [
    "tour", "four", "our", "hour", "flour", "contour", "premise", "enterprise",
    "expertise", "compromise", "promise", "noise", "exercise", "surprise", "size",
    "prize", "filled", "filling", "called", "water", "after",
]  # fmt: skip


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini-spelling") / "docs"
    return out, build(MINI, out).catalogue


def spell(word: str, mapping: dict[str, str]) -> str:
    return mapping.get(word, word)


@pytest.mark.parametrize(("british", "american"), PAIRS)
def test_british_and_american_meet(british, american):
    mapping = spelling.full_mapping({british, american})
    assert spell(british, mapping) == american
    assert spell(american, mapping) == american
    assert search._stem(spell(british, mapping)) == search._stem(spell(american, mapping))


def test_words_that_must_not_change():
    vocabulary = set(UNCHANGED) | {"optimized", "compromised", "tokenizer", "modeled"}
    mapping = spelling.full_mapping(vocabulary)
    assert [spell(w, mapping) for w in UNCHANGED] == UNCHANGED


def test_technical_words_get_their_family_from_the_catalogue():
    pairs = spelling.derived_pairs(["quantized", "tokenizer", "size", "premise", "expertise"])
    assert pairs["quantisation"] == "quantization"
    assert pairs["tokenising"] == "tokenizing"
    assert pairs["quantise"] == "quantize"
    # Nothing from words without an American -ize form, nor from short bases.
    assert not [b for b in pairs if b.startswith(("prem", "expert", "s"))]
    assert spelling.derived_pairs(["premise", "expertise", "analyses", "seize"]) == {}


ENDINGS = ["ize", "ized", "ization", "ise", "ised", "isation", "our", "or", "tre", "ter", ""]


@settings(deadline=None)  # pure and fast; a loaded CI machine is not
@given(
    st.lists(
        st.tuples(
            st.text("abcdefghilmnoprstuz", min_size=1, max_size=8), st.sampled_from(ENDINGS)
        ).map("".join)
        | st.sampled_from([w for pair in PAIRS for w in pair] + UNCHANGED),
        max_size=30,
    )
)
def test_mapping_is_idempotent_and_american_words_stay(words):
    mapping = spelling.full_mapping(words)
    assert not set(mapping.values()) & set(mapping)  # one pass reaches the American form
    for word in words:
        assert spell(spell(word, mapping), mapping) == spell(word, mapping)


def test_shipped_mapping_is_what_the_index_used(mini):
    docs, catalogue = mini
    folder = docs / searchfiles.ASSETS
    manifest = json.loads((folder / "manifest.json").read_text())
    shipped = json.loads((folder / manifest["spelling"]).read_text())
    assert shipped == search.spellings(catalogue)
    assert shipped["colour"] == "color"
    assert shipped["tokenisation"] == "tokenization"  # derived from the catalogue
    # Only pairs that matter for this catalogue are shipped.
    assert "aeroplane" not in shipped
    assert len(shipped) < len(spelling.WORD_LIST) / 5


WORDS = [w for pair in PAIRS for w in pair] + UNCHANGED + [
    "quantisation", "tokenisation", "tokenization", "colours", "behavioural", "centres",
    "analysed", "optimising", "organisations",
]  # fmt: skip


def test_python_and_browser_normalise_alike(mini):
    docs, catalogue = mini
    mapping = search.spellings(catalogue)
    node = run_node(docs, {"spell": WORDS})["spelled"]
    python = [[spell(w, mapping), search._stem(spell(w, mapping))] for w in WORDS]
    assert node == python


@pytest.mark.parametrize(("british", "american"), [*PAIRS[:7], ("tokenisation", "tokenization")])
def test_queries_in_either_spelling_find_both_papers(mini, british, american):
    docs, _ = mini
    found = run_node(docs, {"queries": [british, american]})["engine"]
    for query, hits in zip((british, american), found, strict=True):
        assert {"colour-constancy", "color-calibration"} <= set(hits), (query, hits)
