"""linkmodel: related papers for a few papers from the kept tf-idf, as links chooses them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.analysis import links
from generator.analysis.linkmodel import Model
from generator.catalogue.load import load_tree
from generator.catalogue.validate import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed():
    records, topic_records, _ = load_tree(ROOT / "content")
    papers, topics, _ = validate(records, topic_records)
    related, vectors = links.related(papers, topics, keep=True)
    return papers, topics, related, Model.of(papers, topics, vectors)


def test_every_list_is_the_exact_one(seed):
    papers, _, related, model = seed
    assert model.related(p.id for p in papers) == related


def test_a_paper_that_did_not_change_keeps_its_row(seed):
    papers, _, _, model = seed
    again = model._vector(papers[7])
    assert abs(again - model.vectors.matrix[7]).max() < 1e-12
    assert model.refresh(papers).vectors.matrix.nnz == model.vectors.matrix.nnz


def test_an_edited_or_new_paper_gets_the_papers_a_clean_build_relates(seed):
    papers, topics, _, model = seed
    edited = dataclasses.replace(
        papers[3], abstract="Mixture of experts routing. " + papers[3].abstract
    )
    new = dataclasses.replace(papers[10], id="zz-new", title="Serving mixture of experts models")
    changed = sorted([*papers[:3], edited, *papers[4:], new], key=lambda p: p.id)
    fast = model.refresh(changed).related([edited.id, new.id])
    exact = links.related_papers(changed, topics)

    # The same papers, in the same order. The reasons can name another of the shared
    # terms: the other papers' idf is kept as it was, and on 189 papers one more
    # "experts" moves it.
    for pid in (edited.id, new.id):
        assert [r.id for r in fast[pid]] == [r.id for r in exact[pid]]
