"""The generator's memo (memo.py) and its forked stage (forked.py)."""

from __future__ import annotations

import os
import pickle

import pytest
from conftest import ROOT

from generator.catalogue import memo as memo_mod
from generator.catalogue.memo import Memo
from generator.render.forked import ChildError, Forked


def test_memo_computes_once_per_inputs_and_keeps_what_was_used(tmp_path):
    calls = []
    first = Memo.in_folder(tmp_path)

    def compute(value):
        calls.append(value)
        return value.upper()

    assert first.get("k", ("a", 1), lambda: compute("a")) == "A"
    assert first.get("k", ("a", 1), lambda: compute("x")) == "A"  # same inputs: not again
    assert first.get("k", ("a", 2), lambda: compute("b")) == "B"
    assert first.get("other", ("a", 1), lambda: compute("c")) == "C"  # kinds are apart
    assert calls == ["a", "b", "c"] and (first.hits, first.misses) == (1, 3)
    first.save()
    second = Memo.in_folder(tmp_path)
    assert second.get("k", ("a", 2), lambda: compute("z")) == "B"
    second.save()  # only what the second build used is kept
    third = Memo.in_folder(tmp_path)
    assert third.get("k", ("a", 1), lambda: compute("again")) == "AGAIN"
    assert calls == ["a", "b", "c", "again"]


@pytest.mark.parametrize("data", [b"", b"\x00not a pickle", pickle.dumps(["a", "list"])])
def test_a_corrupt_memo_is_an_empty_one(tmp_path, data):
    Memo.in_folder(tmp_path).path.write_bytes(data)
    memo = Memo.in_folder(tmp_path)
    assert memo.get("k", 1, lambda: "fresh") == "fresh" and memo.misses == 1


def test_other_code_means_another_memo_file(tmp_path, monkeypatch):
    Memo.in_folder(tmp_path).save()
    old = Memo.in_folder(tmp_path).path
    monkeypatch.setattr(memo_mod, "fingerprint", lambda: "0" * 16)
    new = Memo.in_folder(tmp_path)
    assert new.path != old and new.get("k", 1, lambda: "x") == "x" and new.misses == 1
    new.save()
    assert [p.name for p in tmp_path.iterdir()] == [new.path.name]  # the stale one is gone


def test_fingerprint_covers_templates_and_libraries():
    assert len(memo_mod.fingerprint()) == 16
    assert {"jinja2", "pybtex", "pylatexenc"} <= set(memo_mod.LIBRARIES)


@pytest.mark.parametrize("parallel", [True, False])
def test_forked_returns_the_result_or_the_childs_error(parallel):
    data = list(range(1000))
    job = Forked(lambda: (sum(data), os.getpid()), parallel=parallel)
    total, pid = job.result()
    assert total == sum(data) and job.result()[0] == total
    assert (pid != os.getpid()) == parallel

    def fail():
        raise ValueError("broken in the child")

    with pytest.raises((ChildError, ValueError), match="broken in the child"):
        Forked(fail, parallel=parallel).result()


def test_forked_child_can_be_cancelled():
    job = Forked(lambda: __import__("time").sleep(30), parallel=True)
    job.cancel()
    with pytest.raises(ChildError):
        job.result()


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_second_build_computes_nothing_again(tmp_path, monkeypatch, jobs):
    """What the forked child memoises (papers.bib's entries) reaches the saved memo,
    as what the parent does: unchanged content, no citation made twice."""
    from generator.build import build
    from generator.render import cite
    from tests.conftest import copy_fixture

    monkeypatch.setenv("PAPERCAT_JOBS", jobs)
    content = copy_fixture("search-mini", tmp_path)
    first = build(content, tmp_path / "docs", cache_dir=tmp_path / "cache")
    assert first.computed > 0
    bib = (tmp_path / "docs" / "papers.bib").read_bytes()

    def again(*args):
        raise AssertionError("a citation was computed again")

    monkeypatch.setattr(cite, "bib_entry", again)  # the child is forked: it sees this too
    second = build(content, tmp_path / "docs", cache_dir=tmp_path / "cache")
    assert second.computed == 0
    assert (tmp_path / "docs" / "papers.bib").read_bytes() == bib


def test_paper_pages_rendered_in_two_processes_are_the_same(tmp_path, monkeypatch):
    """From PARALLEL_FROM papers, half the paper pages come from a forked child: the
    same pages, in the same order, with the child's memo entries and counts merged."""
    from generator.build import build
    from generator.render import pages as render

    content = ROOT / "content"
    monkeypatch.setenv("PAPERCAT_JOBS", "1")
    alone = build(content, tmp_path / "alone", cache_dir=tmp_path / "c1")
    monkeypatch.setenv("PAPERCAT_JOBS", "2")
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    split = build(content, tmp_path / "split", cache_dir=tmp_path / "c2")
    assert tree(tmp_path / "split") == tree(tmp_path / "alone")
    assert (split.computed, split.reused) == (alone.computed, alone.reused)

    def again(*args):
        raise AssertionError("a paper page was rendered again")

    # Paper, topic and facet pages all come from _from_view; the forked child sees this too.
    monkeypatch.setattr(render, "_from_view", again)
    second = build(content, tmp_path / "split", cache_dir=tmp_path / "c2")
    assert second.computed == 0 and second.written == 0


def test_kept_listing_pages_follow_what_they_show(tmp_path, monkeypatch):
    """Topic and facet pages come from the memo when what they show is unchanged; a
    renamed topic (its chips on other topics' pages, its sub-topic line on its parent's)
    and a retitled paper render them again, as a clean build would."""
    import shutil

    from generator.build import build
    from generator.render import pages as render

    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    build(content, tmp_path / "docs", cache_dir=tmp_path / "cache")
    topics = content / "topics.yml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace(
            "name: LLM serving and inference", "name: Serving LLMs"
        ),
        encoding="utf-8",
    )
    paper = content / "papers" / "52b-1t-lessons-learned-tele.yml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace("52B to 1T:", "From 52B to 1T:"), encoding="utf-8"
    )
    rendered = []
    listing = render._listing
    monkeypatch.setattr(render, "_listing", lambda *a: rendered.append(1) or listing(*a))
    again = build(content, tmp_path / "docs", cache_dir=tmp_path / "cache")
    rendered_again = len(rendered)  # the clean build below renders every listing
    build(content, tmp_path / "clean")
    assert tree(tmp_path / "docs") == tree(tmp_path / "clean")
    pages = tree(tmp_path / "docs")
    assert b"Serving LLMs</a> (" in pages["topics/ml-systems/index.md"]
    assert b">From 52B to 1T:" in pages["topics/scaling-laws/index.md"]
    # listing pages: topics, and the seed's years, venues and authors
    listings = sum(
        1 for rel in pages
        if rel.split("/")[0] in ("topics", "years", "venues", "authors")
        and rel.endswith("/index.md") and rel.count("/") >= 2
    )  # fmt: skip
    assert 0 < rendered_again < listings and again.written > 0


def test_a_failing_parent_stops_the_render_child(tmp_path, monkeypatch):
    from generator.build import build
    from generator.render import pages as render

    monkeypatch.setenv("PAPERCAT_JOBS", "2")
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    cancelled = []
    monkeypatch.setattr(render._PaperPages, "cancel", lambda self: cancelled.append(1))

    def broken(*args, **kwargs):
        raise RuntimeError("listing pages failed")

    monkeypatch.setattr(render, "_listing_pages", broken)
    with pytest.raises(RuntimeError, match="listing pages failed"):
        build(ROOT / "content", tmp_path / "docs")
    assert cancelled == [1]


def tree(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
