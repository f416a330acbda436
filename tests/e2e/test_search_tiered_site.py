"""The tiered search index in Chromium: the seed catalogue built with the tier size
lowered (``PAPERCAT_SEARCH_TIER=1``), so the head and term shards of a large catalogue
are what the box loads. Its answers must be the single index's (the seed site of
``site_url``), its term shards fetched only for the words typed and once per visit, and
the box must say it is still searching while a query's shards are on their way."""

from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, build_docs, render_docs, serve
from tests.e2e.test_search import search_box
from tests.test_search_quality import QUERIES, QUERIES_IN_PAGE

pytestmark = pytest.mark.e2e
TERM_SHARD = re.compile(r".*/assets/search/terms-\d+\.[0-9a-f]+\.json$")


@pytest.fixture(scope="session")
def tiered_docs(tmp_path_factory):
    before = os.environ.get("PAPERCAT_SEARCH_TIER")
    os.environ["PAPERCAT_SEARCH_TIER"] = "1"
    try:
        return build_docs(ROOT / "content", tmp_path_factory.mktemp("tiered") / "docs")
    finally:
        if before is None:
            del os.environ["PAPERCAT_SEARCH_TIER"]
        else:
            os.environ["PAPERCAT_SEARCH_TIER"] = before


@pytest.fixture(scope="session")
def tiered(renderer, tiered_docs):
    """(url, term shard names) of the tiered seed site for ``renderer``."""
    site = render_docs(tiered_docs, tiered_docs.parent / f"site-{renderer}", renderer)
    manifest = json.loads((site / "assets/search/manifest.json").read_text(encoding="utf-8"))
    url, server = serve(site)
    yield url, manifest["term_shards"]
    server.shutdown()


def test_header_box_answers_as_the_single_index(page, tiered, site_url):
    """Every reader query: the same first results in the box, tiered or not."""
    queries = [q for q, _ in QUERIES] + ["topic:llm-serving", "year:2024", '"cache" kv', "mixt"]
    answers = []
    for url in (tiered[0], site_url):
        page.goto(url + "about/")
        answers.append(page.evaluate(QUERIES_IN_PAGE, [queries, 8]))
    assert answers[0] == answers[1]
    assert sum(bool(a) for a in answers[0]) >= len(QUERIES)  # the queries do find papers


def test_term_shards_are_fetched_for_the_words_typed_and_kept(page, tiered):
    url, names = tiered
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[-1]))
    page.goto(url)
    box = search_box(page)
    box.click()
    page.evaluate("window.pcSearch.ready")
    assert not [n for n in fetched if n in names]  # the head alone before a query
    box.fill("megascale")
    expect(page.locator(".pc-search .pc-hit__title").first).to_contain_text("MegaScale")
    first = [n for n in fetched if n in names]
    assert 1 <= len(first) <= 2 < len(names)  # the word's shard (and its prefix's)
    box.fill("")
    box.fill("megascale")
    expect(page.locator(".pc-search .pc-hit__title").first).to_contain_text("MegaScale")
    assert [n for n in fetched if n in names] == first  # kept for the visit


def test_box_says_it_is_still_searching_until_the_shards_are_in(page, tiered):
    """While a shard is held back, the box says "Searching…" and keeps the last query's
    results; once it comes, the new results replace them."""
    url, _ = tiered
    held = []
    page.goto(url)
    box = search_box(page)
    box.click()
    box.fill("megascale")
    expect(page.locator(".pc-search .pc-hit__title").first).to_contain_text("MegaScale")
    page.route(TERM_SHARD, lambda route: held.append(route))
    box.fill("water footprint")
    meta = page.locator(".pc-search .md-search-result__meta")
    expect(meta).to_have_text("Searching…")
    expect(page.locator(".pc-search [role=listbox]")).to_have_attribute("aria-busy", "true")
    assert held
    expect(page.locator(".pc-search .pc-hit__title").first).to_contain_text("MegaScale")
    for route in held:
        route.continue_()
    page.unroute(TERM_SHARD)
    expect(meta).to_contain_text("matching")
    expect(page.locator(".pc-search .pc-hit__title").first).to_contain_text("Thirsty")
    assert page.locator(".pc-search [role=listbox][aria-busy]").count() == 0


def test_results_page_gives_the_box_results(page, tiered):
    url, _ = tiered
    page.goto(url + "search/?q=mixture%20of%20experts")
    page.locator(".pc-search-page__results li").first.wait_for()
    links = page.locator(".pc-search-page__results .pc-hit__link")
    on_page = [
        re.search(r"papers/([^/]+)/", h).group(1)
        for h in links.evaluate_all("as => as.map((a) => a.href)")
    ][:8]
    page.goto(url + "about/")
    [in_box] = page.evaluate(QUERIES_IN_PAGE, [["mixture of experts"], 8])
    assert on_page == in_box and len(on_page) == 8
