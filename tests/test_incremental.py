"""Incremental builds give exactly what clean builds give.

An edit to one paper's abstract and another paper's topics is rebuilt into the
existing ``docs/`` and ``site/`` (with the cache of the previous build) and compared
with a clean build of the same content into empty folders with no cache: ``docs/``
byte for byte, ``site/`` too apart from the sitemap's dates. Unchanged pages are
reused (the same file, hard-linked); a corrupt cache or a page edited by hand in
``site/`` is rendered again, never reused.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from hostile import copy_content
from test_build_output import SITEMAP, file_hashes, mkdocs_config

from generator.build import build
from generator.catalogue.model import ContentError
from generator.site import mkbuild
from generator.site.sitebuild import build_site, render

EDITED, MOVED, UNTOUCHED = "distserve", "adamoe", "nanoflow"
TOPIC = "distributed-training"  # adamoe's new topic


def _edit(content: Path) -> None:
    paper = content / "papers" / f"{EDITED}.yml"
    text = paper.read_text(encoding="utf-8")
    edited = text.replace("abstract: >-\n  ", "abstract: >-\n  Edited sentence. ", 1)
    assert edited != text
    paper.write_text(edited, encoding="utf-8")
    moved = content / "papers" / f"{MOVED}.yml"
    text = moved.read_text(encoding="utf-8")
    moved.write_text(re.sub(r"(?m)^topics: .*$", f"topics: [{TOPIC}]", text), encoding="utf-8")


def _site(path: Path) -> dict[str, str]:
    return {k: v for k, v in file_hashes(path).items() if k not in SITEMAP}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(ROOT / "CONTRIBUTING.md", work / "CONTRIBUTING.md")
    docs, site = work / "docs", work / "site"
    first = build(content, docs, cache_dir=work / "cache")
    assert first.reused == 0 and first.computed > 0
    config = mkdocs_config(work, docs)
    build_site(config, site, cache_dir=work / "cache")
    return work, content, docs, config, site


def _clean(work: Path, content: Path, name: str) -> tuple[Path, Path]:
    docs, site = work / name / "docs", work / name / "site"
    build(content, docs)
    build_site(mkdocs_config(work / name, docs), site, cache_dir=work / name / "cache")
    return docs, site


def test_edit_rebuilds_to_what_a_clean_build_gives(first_build):
    work, content, docs, config, site = first_build
    untouched = (site / "papers" / UNTOUCHED / "index.html").stat().st_ino
    edited = (site / "papers" / EDITED / "index.html").stat().st_ino
    assert TOPIC not in (content / "papers" / f"{MOVED}.yml").read_text()
    _edit(content)
    again = build(content, docs, cache_dir=work / "cache")
    # Computed again: the edited papers' citations, and the pages whose inputs changed
    # (theirs, and those whose related lists moved; 80 of the seed's 567 results).
    assert 4 < again.computed < again.reused / 4
    build_site(config, site, cache_dir=work / "cache")
    clean_docs, clean_site = _clean(work, content, "clean")
    assert file_hashes(docs) == file_hashes(clean_docs)
    assert _site(site) == _site(clean_site)
    assert (site / "papers" / UNTOUCHED / "index.html").stat().st_ino == untouched  # reused
    assert (site / "papers" / EDITED / "index.html").stat().st_ino != edited  # rendered
    page = (site / "papers" / EDITED / "index.html").read_text(encoding="utf-8")
    assert "Edited sentence." in page
    topic = (site / "topics" / TOPIC / "index.html").read_text(encoding="utf-8")
    assert f"papers/{MOVED}/" in topic


def test_corrupt_cache_or_edited_site_means_rendering_again(first_build):
    work, content, _, config, site = first_build
    for cache in (work / "cache").iterdir():
        cache.write_bytes(b"\x00not a cache{")
    result = build(content, work / "docs", cache_dir=work / "cache")
    assert result.reused == 0 and result.written == 0  # computed again, the same docs/
    page = site / "papers" / UNTOUCHED / "index.html"
    before = page.stat().st_ino
    build_site(config, site, cache_dir=work / "cache")
    assert page.stat().st_ino != before  # nothing reused from a corrupt cache
    text = page.read_text(encoding="utf-8")
    with page.open("w", encoding="utf-8") as f:  # edited in place: same inode
        f.write(text.replace("Related papers", "Hand-edited"))
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    build_site(config, site, cache_dir=work / "cache")
    assert "Hand-edited" not in page.read_text(encoding="utf-8")
    _, clean_site = _clean(work, content, "clean-2")
    assert _site(site) == _site(clean_site)


def test_cache_stays_out_of_docs_and_site(first_build):
    work, _, docs, _, site = first_build
    assert sorted(p.name for p in (work / "cache").iterdir())
    assert not list(docs.rglob("*.pickle")) and not list(site.rglob("site-*.json"))
    assert ROOT not in (work / "cache").parents


def test_problems_are_the_same_from_the_memo(tmp_path):
    """A file parsed by an earlier build is not parsed again: its problems (here a bad
    year and a YAML error) come from the memo, word for word, and nothing is written."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    with (content / "papers" / "distserve.yml").open("a") as f:
        f.write("year: twenty\n")
    (content / "papers" / "broken.yml").write_text("title: [unclosed\n")
    reports = []
    for _ in range(2):
        with pytest.raises(ContentError) as caught:
            build(content, tmp_path / "docs", cache_dir=tmp_path / "cache")
        reports.append([str(p) for p in caught.value.problems])
    assert reports[0] == reports[1] and len(reports[0]) == 2
    assert not (tmp_path / "docs").exists()


@pytest.mark.parametrize("catalogue", ["seed", "inert"])
def test_in_process_build_equals_mkdocs_build(catalogue, tmp_path, monkeypatch):
    """mkbuild.py (MkDocs' steps in-process, on forked workers, paper and listing pages passed
    through without Python-Markdown) writes what ``mkdocs build`` writes, file for file
    (SOURCE_DATE_EPOCH: the sitemap too), also for content full of markup."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    content = ROOT / "content" if catalogue == "seed" else copy_content(tmp_path, "inert")
    docs = tmp_path / "docs"
    papers = len(build(content, docs).catalogue.papers)
    config = mkdocs_config(tmp_path, docs)
    (tmp_path / "ours").mkdir()
    stats = mkbuild.build(config, tmp_path / "ours")
    render("mkdocs", config, tmp_path / "stock")
    assert stats.passed_through > papers > 0  # paper pages and listing pages
    assert file_hashes(tmp_path / "ours") == file_hashes(tmp_path / "stock")
