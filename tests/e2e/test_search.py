"""The header search box and the results page, in Chromium, over a fixture catalogue."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.conftest import build_site, copy_fixture, serve

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mini_url(renderer, tmp_path_factory):
    """The fixture site, built with site_url set to where it is served: Material's
    instant navigation only takes over links listed in sitemap.xml under site_url."""
    work = tmp_path_factory.mktemp(f"search-mini-{renderer}")
    url, server = serve(work / "site")
    build_site(copy_fixture("search-mini", work), work, renderer, site_url=url)
    yield url
    server.shutdown()


def search_box(page):
    return page.get_by_role("combobox", name="Search papers")


def hits(page) -> list[str]:
    """Titles of the header results, once they are shown."""
    page.locator(".pc-search [role=option]").first.wait_for(timeout=10000)
    return page.locator(".pc-search [role=option] .pc-hit__title").all_inner_texts()


def type_query(page, url: str, text: str) -> list[str]:
    page.goto(url)
    box = search_box(page)
    box.click()
    box.press_sequentially(text)
    page.wait_for_function(
        "q => document.querySelector('.pc-search input').value === q && "
        "document.querySelector('.pc-search-result__meta, .pc-search .md-search-result__meta')"
        ".textContent.includes('matching')",
        arg=text,
    )
    return hits(page)


def test_prefix_while_typing(page, mini_url):
    titles = type_query(page, mini_url, "distil")
    assert titles[0].startswith("Tiny Student")
    # The matched word is highlighted, as text.
    marks = page.locator(".pc-search .pc-hit [role=option]").first.locator("mark").all_inner_texts()
    assert "Distillation" in marks


def test_typo(page, mini_url):
    titles = type_query(page, mini_url, "distilation")
    assert titles[0].startswith("Tiny Student")


@pytest.mark.parametrize(
    ("typed", "title", "marked"),
    [
        ("colour calibration", "Color Calibration", ["Color", "Calibration"]),
        ("color constancy", "Colour Constancy", ["Colour", "Constancy"]),
        ("behaviour organisation", "Color Calibration", ["Organization", "Behavior"]),
    ],
)
def test_british_and_american_spellings_meet(page, mini_url, typed, title, marked):
    """Typed in one spelling, found in the other; the highlight marks the word as written."""
    titles = type_query(page, mini_url, typed)
    assert titles[0].startswith(title), titles
    first = page.locator(".pc-search .pc-hit [role=option]").first
    assert first.locator(".pc-hit__title mark").all_inner_texts() == marked


def test_quoted_term_is_required(page, mini_url):
    titles = type_query(page, mini_url, '"pruning" distillation')
    assert titles == ["Prune Then Quantize: Compressing Transformers to Four Bits"]


def test_field_filter(page, mini_url):
    titles = type_query(page, mini_url, "experts topic:llm-serving")
    assert titles == ["Split Serving: Disaggregating Prefill and Decoding"]


def test_acronym_in_parentheses(page, mini_url):
    titles = type_query(page, mini_url, "RAG")
    assert titles[0].startswith("Reader and Retriever")


def test_titles_are_text_not_markup(page, mini_url):
    titles = type_query(page, mini_url, "escaping markup")
    assert titles[0].startswith("Escaping <script>alert(1)</script>")
    assert page.locator(".pc-search script, .pc-search img, .pc-search b").count() == 0


def test_keyboard(page, mini_url):
    page.goto(mini_url + "topics/")
    page.keyboard.press("/")
    box = search_box(page)
    assert box.evaluate("el => el === document.activeElement")
    box.press_sequentially("balancing")  # no topic, author or venue row
    hits(page)
    box.press("ArrowDown")
    first = page.locator(".pc-search [role=option]").nth(0)
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("ArrowDown")
    box.press("ArrowUp")
    assert first.get_attribute("aria-selected") == "true"
    href = first.get_attribute("href")
    box.press("Enter")
    page.wait_for_url(href)
    # Instant navigation swaps the content after the address changes; wait for it.
    expect(page.locator(".pc-paper h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Esc clears the box, a second Esc closes it.
    page.keyboard.press("/")
    box = search_box(page)
    box.press_sequentially("rag")
    expect(page.locator(".pc-search .pc-hit__title").first).to_contain_text("Reader and Retriever")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")
    assert box.input_value() == ""
    box.press("Escape")
    assert not box.evaluate("el => el === document.activeElement")
    assert box.get_attribute("aria-expanded") == "false"


def test_enter_without_selection_opens_the_results_page(page, mini_url):
    type_query(page, mini_url, "experts")
    search_box(page).press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=experts$"))
    page.locator(".pc-search-page__results li").first.wait_for()


def test_results_page_with_facets(page, mini_url):
    page.goto(mini_url + "search/?q=" + quote("experts"))
    results = page.locator(".pc-search-page__results li")
    results.first.wait_for(timeout=10000)
    assert results.count() == 3
    assert "3 papers match" in page.locator(".pc-search-page__status").inner_text()
    assert page.locator("#pc-search-page-q").input_value() == "experts"
    topics = page.locator(".pc-facet", has_text="Topics")
    assert re.search(r"Mixture of experts\s*3", topics.inner_text())
    years = page.locator(".pc-facet", has_text="Years")
    assert re.search(r"2024\s*2", years.inner_text())
    # A facet narrows the search with a shareable address.
    years.get_by_role("link", name="2024").click()
    page.wait_for_url(re.compile(r"/search/\?q=experts(%20|\+)year%3A2024$"))
    # The old list stays on screen until the new query answers: wait for the new count.
    expect(page.locator(".pc-search-page__results li")).to_have_count(2)


def test_index_is_loaded_once_across_instant_navigation(page, mini_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    type_query(page, mini_url, "rag")
    page.locator(".pc-search a[role=option]").first.click()
    page.wait_for_url(re.compile(r"/papers/"))
    page.locator("h1").first.wait_for()
    assert page.evaluate("window.pcSearch.readyMs") > 0  # same window: instant navigation
    search_box(page).click()
    search_box(page).press_sequentially("distil")
    hits(page)
    index_loads = [u for u in requests if "/assets/search/index." in u]
    assert len(index_loads) == 1
    assert not [u for u in requests if "search_index.json" in u]


def test_keys_typed_while_a_query_runs_are_asked_as_one(page, mini_url):
    """The worker answers queries in order: the box asks one at a time, and the keys
    typed before its answer come are asked once, as the box's text then."""
    page.add_init_script("""
      window.pcAsked = [];
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (msg) {
        if (msg && msg.type === "query") window.pcAsked.push(msg.query);
        return post.apply(this, arguments);
      };
      addEventListener("pc-search:results", (e) => { window.pcShown = e.detail.query; }, true);
    """)
    page.goto(mini_url)
    search_box(page).click()
    page.wait_for_function("window.pcSearch.readyMs !== null")
    # Six keys within one task: none of their answers can come in between.
    page.evaluate("""() => {
      const input = document.querySelector(".pc-search input");
      for (const text of ["d", "di", "dis", "dist", "disti", "distil"]) {
        input.value = text;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }""")
    page.wait_for_function("window.pcShown === 'distil'")
    assert page.evaluate("window.pcAsked") == ["d", "distil"]
    assert hits(page)[0].startswith("Tiny Student")


def test_search_ui_passes_axe(page, mini_url):
    """The open search box with results, and the results page: no axe violations in them."""
    from axe_playwright_python.sync_playwright import Axe

    type_query(page, mini_url, "experts")
    page.locator(".pc-search [role=option]").first.wait_for()
    result = Axe().run(page, context={"include": [[".pc-search"]]})
    assert result.violations_count == 0, result.generate_report()
    page.goto(mini_url + "search/?q=experts")
    page.locator(".pc-search-page__results li").first.wait_for()
    result = Axe().run(page, context={"include": [["[data-pc-search-page]"]]})
    assert result.violations_count == 0, result.generate_report()


def wait_for_query(page, text: str) -> None:
    page.wait_for_function(
        "q => document.querySelector('.pc-search input').value === q && "
        "document.querySelector('.pc-search .md-search-result__meta')?.textContent.includes('matching')",
        arg=text,
    )


def test_topic_rows_first_with_keyboard(page, mini_url):
    """ "mixt" offers the topic first: name, count, page link, and a filter action;
    ↓ reaches both, Enter on the filter replaces the typed words with topic:<id>."""
    page.goto(mini_url)
    box = search_box(page)
    box.click()
    box.press_sequentially("mixt")
    options = page.locator(".pc-search [role=option]")
    expect(options.first).to_contain_text("Mixture of experts")
    expect(options.first).to_contain_text("3 papers")
    assert options.first.get_attribute("href").endswith("/topics/mixture-of-experts/")
    expect(options.nth(1)).to_have_text("Filter by this topic")
    assert "topic:mixture-of-experts" in options.nth(1).get_attribute("aria-label")
    assert options.nth(2).locator(".pc-hit__title").count() == 1  # then papers
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    box.press("Enter")
    wait_for_query(page, "topic:mixture-of-experts ")
    assert box.evaluate("el => el === document.activeElement")
    expect(page.locator(".pc-search .md-search-result__meta")).to_have_text("3 matching papers")
    expect(page.locator(".pc-search .pc-entity")).to_have_count(0)  # already filtered
    # Typing more words searches inside the topic.
    box.press_sequentially("balanc")
    expect(page.locator(".pc-search .pc-hit__title")).to_have_count(1)
    # Esc clears; a name prefix again, and Enter on the topic row opens its page.
    box.press("Escape")
    # Each keystroke's answer redraws the list (and its selection): wait for the last.
    page.evaluate("""() => document.querySelector(".pc-search").addEventListener(
      "pc-search:results", (e) => { window.pcLastShown = e.detail.query; })""")
    box.press_sequentially("mixture of")
    page.wait_for_function("window.pcLastShown === 'mixture of'")
    expect(options.first).to_contain_text("Mixture of experts")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/topics/mixture-of-experts/$"))


def test_author_and_venue_rows_with_the_mouse(page, mini_url):
    page.goto(mini_url)
    box = search_box(page)
    box.click()
    box.press_sequentially("hop")
    row = page.locator(".pc-search .pc-entity").first
    expect(row).to_contain_text("Author")
    expect(row).to_contain_text("Grace Hopper")
    expect(row).to_contain_text("2 papers")
    row.get_by_role("option", name=re.compile("Filter by this author")).click()
    wait_for_query(page, 'author:"Grace Hopper" ')
    expect(page.locator(".pc-search .md-search-result__meta")).to_have_text("2 matching papers")
    box.fill("")
    box.press_sequentially("neurips")
    venue = page.locator(".pc-search .pc-entity").first
    expect(venue).to_contain_text("NeurIPS")
    assert venue.locator("a").first.get_attribute("href").endswith("/venues/neurips/")


def test_results_page_shows_the_same_suggestions(page, mini_url):
    page.goto(mini_url + "search/?q=" + quote("mixture of"))
    section = page.get_by_role("region", name="Matching topics, authors and venues")
    expect(section).to_contain_text("Mixture of experts")
    expect(section).to_contain_text("3 papers")
    link = section.locator("a.pc-entity__link").first
    assert link.get_attribute("href").endswith("/topics/mixture-of-experts/")
    section.get_by_role("link", name=re.compile("Filter by this topic")).click()
    page.wait_for_url(re.compile(r"/search/\?q=topic%3Amixture-of-experts$"))
    expect(page.locator(".pc-search-page__results li")).to_have_count(3)
    expect(page.locator(".pc-search-page__suggest")).to_have_count(0)


def test_topic_rows_pass_axe(page, mini_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(mini_url)
    search_box(page).click()
    search_box(page).press_sequentially("mixt")
    page.locator(".pc-search .pc-entity").first.wait_for()
    search_box(page).press("ArrowDown")
    result = Axe().run(page, context={"include": [[".pc-search"]]})
    assert result.violations_count == 0, result.generate_report()
    page.goto(mini_url + "search/?q=hopper")
    page.locator(".pc-search-page__suggest").wait_for()
    result = Axe().run(page, context={"include": [["[data-pc-search-page]"]]})
    assert result.violations_count == 0, result.generate_report()


def _shards(seed_site) -> dict[str, set[str]]:
    """Display shard file name -> the paper ids it holds."""
    folder = seed_site / "assets" / "search"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["shards"]) >= 2  # the seed catalogue spans more than one shard
    return {
        name: {row[0] for row in json.loads((folder / name).read_text(encoding="utf-8"))}
        for name in manifest["shards"]
    }


def test_only_the_shards_of_the_hits_shown_are_fetched(page, site_url, seed_site):
    """One hit, in the second shard: that shard is fetched, the first is not."""
    shards = _shards(seed_site)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[-1]))
    page.goto(site_url)
    search_box(page).click()
    search_box(page).fill("megascale")  # one input event: no hits of partial words
    assert hits(page)[0].startswith("MegaScale")
    [holder] = [name for name, ids in shards.items() if "megascale" in ids]
    assert holder != next(iter(shards))
    assert [name for name in fetched if name in shards] == [holder]


def test_a_shard_that_does_not_load_is_said_plainly(page, site_url, seed_site):
    shards = _shards(seed_site)
    page.route(
        re.compile(r".*/assets/search/papers-\d+\.[0-9a-f]+\.json$"),
        lambda route: route.fulfill(status=404, body="not found"),
    )
    page.goto(site_url)
    box = search_box(page)
    box.click()
    box.press_sequentially("speculative decoding")
    expect(page.locator(".pc-search .md-search-result__meta")).to_have_text(
        "Search is unavailable."
    )
    assert shards  # the route above matched real names
