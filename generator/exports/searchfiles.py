"""The search files under ``assets/search/``: the prebuilt index and what results show.

The browser never builds an index: it loads this one with lunr.js 2.3.9's
``lunr.Index.load`` in a Web Worker. Files, all under ``assets/search/``:

- ``index.<hash>.json``: the lunr index in compact form (``compact_index``), one
  document per paper; refs are the paper's position in ``docs.<hash>.json``. From
  ``TIER_PAPERS`` papers, its head only (``tiered_index``: terms, field lengths), and
  ``terms-<k>.<hash>.json``: the postings of a run of terms, fetched for the words a
  query needs (manifest ``term_shards``).
- ``docs.<hash>.json``: per paper its topic numbers and year (filters and facets), the
  topic names, and the topics, authors and venues the box suggests.
- ``papers-<k>.<hash>.json``: what a result shows (id, title, a short snippet, the
  paper's own URL or ""), ``SHARD_SIZE`` papers a file, fetched for the hits shown.
- ``spelling.<hash>.json``: British -> American spellings (spelling.py) that the
  browser applies to queries before the stemmer, as the index did.
- ``lunr.<hash>.min.js``: lunr.js copied from ``node_modules`` (``npm ci``).
- ``manifest.json``: the hashed names (shards in order) and the tokenizer's separator.
  It is the only file with a fixed name; the hashed files can be cached until they
  change (an edit to one paper changes its shard only).

The index itself is built in analysis/search.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator.analysis import spelling
from generator.analysis.facets import AUTHOR_PAGE_MIN, facets
from generator.analysis.lunrindex import compact_index, tiered_index
from generator.analysis.search import SEPARATOR, term_counts
from generator.catalogue.model import Catalogue, Paper, Problem
from generator.render import readlinks

ASSETS = "assets/search"
SNIPPET_CHARS = 120
# Papers per file of what results show: at 100,000 papers the display data is 6.9 MB
# gzipped, and a first answer needs only the hits on screen (each in its own shard at
# worst: 8 shards of about 5 KB for the box), so none of it is loaded up front.
SHARD_SIZE = 100
# Authors the box suggests: with one paper, the paper itself is the better hit (and a
# catalogue's many one-paper authors would weigh 190 KB gzipped at 10,000 papers).
MIN_AUTHOR_PAPERS = AUTHOR_PAGE_MIN  # suggested in the box = has a page
# From this many papers the index comes in tiers (lunrindex.tiered_index): a head that
# is every term and field length, then the postings in shards of consecutive terms,
# fetched for the words a query needs. Below it, one file is smaller than the head
# plus a query's shards and needs one round trip fewer (Performance page, "Search at
# 100,000 papers": 20,000 papers is where one file passes 1.2 MB gzipped).
# PAPERCAT_SEARCH_TIER sets another size (the tests tier a small catalogue).
TIER_PAPERS = 20_000
# Postings per shard, in characters before gzip: about 20 KB gzipped, so a query of
# three words fetches about 60 KB (291 shards at 100,000 papers).
TERM_SHARD_CHARS = 30_000
LUNR_JS = Path(__file__).resolve().parents[2] / "node_modules" / "lunr" / "lunr.min.js"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The abstract's opening, cut at a word boundary: what a result shows."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def _shown(paper: Paper) -> list[object]:
    return [
        paper.id,
        paper.title,
        snippet(paper.abstract),
        readlinks.main_link(paper),  # "" when unknown: the results page offers searches
    ]


def suggestions(catalogue: Catalogue) -> dict[str, list[list[object]]]:
    """What the search box offers besides papers: per topic (in ``topics`` order) its
    paper count and keywords; venues, and authors of at least ``MIN_AUTHOR_PAPERS``
    papers, as [name, page slug, paper count].
    Pages are ``topics/<id>/``, ``authors/<slug>/`` and ``venues/<slug>/`` (analysis/facets.py)."""
    found = facets(catalogue)

    def rows(name: str) -> list[list[object]]:
        """The values with a page of their own (authors: ``MIN_AUTHOR_PAPERS``)."""
        facet = found.get(name)
        if facet is None:
            return []
        return [[v, facet.slugs[v], len(ps)] for v, ps in facet.paged.items()]

    return {
        "topics": [
            [len(catalogue.papers_in(t.id)), [k.rstrip("*") for k in t.keywords]]
            for t in catalogue.topics
        ],
        "authors": rows("author"),
        "venues": rows("venue"),
    }


def display_data(catalogue: Catalogue) -> dict[str, object]:
    """What the worker needs before its first answer: topics as [id, name]; per paper
    (index-ref order) its topic numbers and year, for filters and facets; and the
    topics, authors and venues the box suggests (``suggestions``)."""
    topic_numbers = {t.id: n for n, t in enumerate(catalogue.topics)}
    return {
        "topics": [[t.id, t.name] for t in catalogue.topics],
        "papers": [[[topic_numbers[t] for t in p.topics], p.year or 0] for p in catalogue.papers],
        "suggest": suggestions(catalogue),
    }


def display_shards(catalogue: Catalogue) -> list[list[list[object]]]:
    """What a result shows (id, title, snippet, the paper's own URL or ""), in index-ref
    order, in shards of ``SHARD_SIZE`` papers: the worker fetches only the shards of the
    hits it shows."""
    rows = [_shown(p) for p in catalogue.papers]
    return [rows[k : k + SHARD_SIZE] for k in range(0, len(rows), SHARD_SIZE)]


def _compact(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _hashed(stem: str, suffix: str, data: bytes) -> str:
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"


@dataclass(frozen=True)
class SearchBundle:
    """The search files (path relative to docs/ -> bytes) and the search page."""

    files: dict[str, bytes]

    def write(self, out: Path) -> None:
        for rel, data in sorted(self.files.items()):
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def missing_lunr() -> list[Problem]:
    """A problem if lunr.js is not installed (the Makefile runs ``npm ci``)."""
    if LUNR_JS.is_file():
        return []
    return [Problem("node_modules/lunr/lunr.min.js", 1, "search", "not found: run `npm ci`")]


def tier_papers() -> int:
    """The size from which the index is tiered (``TIER_PAPERS``, or the environment's
    ``PAPERCAT_SEARCH_TIER``)."""
    value = os.environ.get("PAPERCAT_SEARCH_TIER", "")
    return int(value) if value.strip().isdigit() else TIER_PAPERS


def _index_files(catalogue: Catalogue) -> tuple[bytes, list[bytes]]:
    """The index: one file, or (from ``tier_papers``) a head and its term shards."""
    counts = term_counts(catalogue)
    if len(catalogue.papers) < tier_papers():
        return _compact(compact_index(counts)), []
    head, shards = tiered_index(counts, TERM_SHARD_CHARS)
    return _compact(head), [_compact(shard) for shard in shards]


def build(catalogue: Catalogue) -> SearchBundle:
    """Every search file: index, display data, lunr.js, manifest and the results page."""
    index, term_shards = _index_files(catalogue)
    docs = _compact(display_data(catalogue))
    spelling_json = _compact(spelling.SPELLING.mapping)  # what the index was built with
    lunr_js = LUNR_JS.read_bytes()
    names = {
        "index": _hashed("index", ".json", index),
        "docs": _hashed("docs", ".json", docs),
        "spelling": _hashed("spelling", ".json", spelling_json),
        "lunr": _hashed("lunr", ".min.js", lunr_js),
    }
    shards = [_compact(rows) for rows in display_shards(catalogue)]
    shard_names = [_hashed(f"papers-{k}", ".json", data) for k, data in enumerate(shards)]
    term_names = [_hashed(f"terms-{k}", ".json", data) for k, data in enumerate(term_shards)]
    manifest = {
        **names, "shards": shard_names, "shard_size": SHARD_SIZE,
        "separator": SEPARATOR, "papers": len(catalogue.papers),
    }  # fmt: skip
    if term_names:
        manifest["term_shards"] = term_names
    files = {
        **{f"{ASSETS}/{name}": data for name, data in zip(shard_names, shards, strict=True)},
        **{f"{ASSETS}/{name}": data for name, data in zip(term_names, term_shards, strict=True)},
        f"{ASSETS}/{names['index']}": index,
        f"{ASSETS}/{names['docs']}": docs,
        f"{ASSETS}/{names['spelling']}": spelling_json,
        f"{ASSETS}/{names['lunr']}": lunr_js,
        f"{ASSETS}/manifest.json": _compact(manifest) + b"\n",
        "search/index.md": SEARCH_PAGE.encode("utf-8"),  # render.page_path's layout
    }
    return SearchBundle(files)


# The full results page; the script (partials/pc-scripts-search.html) fills it in.
# Everything the results bring (the count, matching topics, facets, results) goes
# into __body, whose top never moves; with a query in the address, the inline script
# marks the page before its first paint, and __body then holds a screen's height
# (pc-search.css), so what lies below it is out of view when the results arrive and
# nothing on screen shifts (issue 26: layout shift 0.55 on a phone before).
SEARCH_PAGE = """\
---
title: Search
description: Search the catalogue by title, topic, author, venue, year and abstract.
hide: ["navigation", "toc"]
---

<div class="pc-search-page" data-pc-search-page>
<script>if (/[?&]q=[^&]/.test(location.search)) document.currentScript.parentNode.classList.add("pc-search-page--query")</script>
<h1>Search</h1>
<form class="pc-search-page__form" role="search" action="." method="get">
<label for="pc-search-page-q" class="pc-search-page__label">Search the catalogue</label>
<input id="pc-search-page-q" class="pc-search-page__input" type="search" name="q"
  autocomplete="off" spellcheck="false" placeholder="Title, topic, author, abstract…">
<button class="md-button md-button--primary" type="submit">Search</button>
</form>
<div class="pc-search-page__body">
<p class="pc-search-page__status" role="status" aria-live="polite">
Type a query to search the catalogue.</p>
<nav class="pc-search-page__facets" aria-label="Filter results"></nav>
<ol class="pc-search-page__results"></ol>
</div>
<p class="pc-search-page__tips">Tips: words match their beginnings (<code>distil</code>) and
forms (<code>serving</code>); a "quoted" word is required; filter with
<code>topic:llm-serving</code>, <code>year:2024</code> or <code>author:name</code>.</p>
</div>
"""
