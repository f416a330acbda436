"""Readers in Chromium: the All papers table (sort, filter, pages, keyboard), the Cite
box's copy button, phone width, and a way to every paper: link buttons, the byline,
title searches on paper pages and search results. The map: tests/e2e/test_map.py."""

import html
import json
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

STATUS = ".pc-browse__status"


def titles(page):
    return page.locator(".pc-table tbody .pc-col-title a").all_inner_texts()


def test_all_papers_script_keeps_the_served_rows(page, site_url, seed_site):
    """The script sorts titles as the generator does, so the 50 rows the page is served
    with are the rows it shows once its data has loaded: nothing moves."""
    served = re.findall(
        r'<td class="pc-col-title"><a href="[^"]*">([^<]*)</a>',
        (seed_site / "all-papers" / "index.html").read_text(encoding="utf-8"),
    )
    page.goto(site_url + "all-papers/")
    page.wait_for_function(
        "document.querySelector('.pc-browse__status').textContent.startsWith('Showing 1–50')"
    )
    assert titles(page) == [html.unescape(t) for t in served]


def test_all_papers_sort_filter_and_pages(page, site_url, seed_site):
    papers_json = (seed_site / "papers.json").read_text(encoding="utf-8")
    papers = json.loads(papers_json)["papers"]
    page.goto(site_url + "all-papers/")
    status = page.locator(STATUS)
    page.wait_for_function(
        "document.querySelector('.pc-browse__status').textContent.startsWith('Showing 1–50 of 189')"
    )
    assert len(titles(page)) == 50
    title_head = page.locator("th.pc-col-title")
    assert title_head.get_attribute("aria-sort") == "ascending"

    # Pages: the last page ends where a descending sort begins.
    next_button = page.get_by_role("button", name="Next")
    next_button.click()
    assert "Showing 51–100" in status.inner_text()
    while next_button.is_enabled():
        next_button.click()
    last = titles(page)[-1]
    assert "Page 4 of 4" in page.locator(".pc-pager").inner_text()

    page.locator("th.pc-col-title button").click()
    assert title_head.get_attribute("aria-sort") == "descending"
    assert "Page 1 of 4" in page.locator(".pc-pager").inner_text()
    assert titles(page)[0] == last
    assert "dir=desc" in page.url

    # Keyboard: Tab from the title button reaches the Year button (the seed has years),
    # then the Added button; Enter sorts by it, newest first.
    page.locator("th.pc-col-title button").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("th.pc-col-year").get_attribute("aria-sort") == "descending"
    assert "sort=year" in page.url
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("th.pc-col-added").get_attribute("aria-sort") == "descending"
    assert page.locator("th.pc-col-year").get_attribute("aria-sort") is None
    assert title_head.get_attribute("aria-sort") is None

    # Filter by words (title or topic names) and by topic.
    page.locator(".pc-browse__filter").fill("retrieval generation")
    names = {t["id"]: t["name"] for t in json.loads(papers_json)["topics"]}
    expected = sorted(
        p["title"]
        for p in papers
        if all(w in " ".join([p["title"], *(names[t] for t in p["topics"])]).lower()
               for w in ("retrieval", "generation"))
    )  # fmt: skip
    assert 0 < len(expected) < 50
    assert sorted(titles(page)) == expected
    assert f"of {len(expected)} matching papers" in status.inner_text()
    assert "q=retrieval+generation" in page.url
    page.locator(".pc-browse__filter").fill("")
    page.locator(".pc-browse__topic").select_option("mixture-of-experts")
    expected = sum("mixture-of-experts" in p["topics"] for p in papers)
    assert f"of {expected} matching papers" in status.inner_text()
    assert len(titles(page)) == min(expected, 50)
    page.locator(".pc-browse__filter").fill("zzzz no such paper")
    assert status.inner_text() == "No paper matches."
    assert titles(page) == []


def test_table_state_comes_from_the_url(page, site_url):
    page.goto(site_url + "all-papers/?q=adamoe")
    page.wait_for_function("document.querySelectorAll('.pc-table tbody tr').length === 1")
    assert titles(page)[0].startswith("AdaMoE")
    assert page.locator(".pc-browse__filter").input_value() == "adamoe"


def test_instant_navigation_initialises_the_table(page, site_url):
    page.goto(site_url)
    page.locator(".pc-counts a", has_text="All papers").click()
    page.wait_for_url(re.compile(r"/all-papers/$"))
    page.wait_for_function(
        "document.querySelector('.pc-browse__status')?.textContent.startsWith('Showing 1–50')"
    )
    assert page.locator(".pc-browse__controls").is_visible()


def test_cite_box_copy_button(browser, site_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + "papers/adamoe/")
    page.locator(".pc-cite .pc-copy").first.click()
    page.locator(".md-dialog").wait_for(state="visible")  # Material's "Copied" notice
    copied = page.evaluate("navigator.clipboard.readText()")
    # a conference paper (content/library/seed.bib: Findings of EMNLP 2024)
    assert copied.startswith("@inproceedings{adamoe,") and copied.rstrip().endswith("}")
    assert "&#34;" not in copied and '"{AdaMoE:}' in copied
    context.close()


@pytest.mark.parametrize(
    "path", ["", "papers/adamoe/", "all-papers/", "map/", "topics/mixture-of-experts/"]
)
def test_no_horizontal_scrolling_at_phone_width(browser, site_url, path):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_timeout(200)  # let the table render its rows
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_print_stylesheet_keeps_the_paper(page, site_url):
    page.goto(site_url + "papers/adamoe/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.get_by_role("link", name="Edit this paper").is_visible()
    assert not page.locator(".pc-related").is_visible()
    assert page.locator(".pc-abstract").is_visible()
    assert page.locator("#pc-cite-bibtex").is_visible()
    assert not page.locator(".pc-cite summary", has_text="RIS").is_visible()
    assert not page.locator(".pc-copy").first.is_visible()


# ---- A way to every paper: links, byline, searches (fixture catalogue readers-mini) ----

HOSTILE = 'Why "quotes" & <script>alert(1)</script> #hash break links: café 😀 + more?'


@pytest.fixture(scope="module")
def mini_url(tmp_path_factory):
    from tests.conftest import build_site, copy_fixture, serve

    work = tmp_path_factory.mktemp("readers-mini")
    build_site(copy_fixture("readers-mini", work), work)
    url, server = serve(work / "site")
    yield url
    server.shutdown()


def _axe_blocking(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response["violations"]
    return [f"{v['impact']} {v['id']}" for v in results if v["impact"] in ("serious", "critical")]


def test_paper_page_shows_links_and_byline(page, mini_url):
    page.goto(mini_url + "papers/transformer/")
    links = page.locator(".pc-links a")
    assert links.all_inner_texts() == ["arXiv", "PDF", "Hugging Face"]
    assert links.first.get_attribute("href") == "https://arxiv.org/abs/1706.03762"
    byline = page.locator(".pc-byline")
    assert (
        byline.inner_text() == "Ashish Vaswani, Noam Shazeer, Niki Parmar et al. · NeurIPS · 2017"
    )
    everyone = page.locator(".pc-authors-all")
    kaiser = everyone.get_by_role("link", name="Łukasz Kaiser")
    assert not kaiser.is_visible()  # the full list is folded away...
    everyone.locator("summary").click()
    assert kaiser.is_visible()  # ...and one click away
    kaiser.click()  # one paper, so no page of his own: the search that lists it
    page.wait_for_url(re.compile(r"/search/\?q=author%3A%22%C5%81ukasz%20Kaiser%22$"))
    expect(page.locator(".pc-search-page__results li")).to_have_count(1)
    expect(page.locator(".pc-search-page__results")).to_contain_text("Attention Is All You Need")
    page.go_back()
    page.locator(".pc-byline").get_by_role("link", name="Noam Shazeer").click()
    page.wait_for_url("**/authors/noam-shazeer/")
    expect(page.locator("h1")).to_have_text("Noam Shazeer")
    expect(page.locator(".pc-papers")).to_contain_text("Switch Transformers")


def test_paper_without_links_offers_title_searches(page, mini_url):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(mini_url + "papers/hostile-title/")
    assert page.locator("h1").first.inner_text() == HOSTILE
    find = page.locator(".pc-find a")
    assert find.all_inner_texts() == ["arXiv", "Semantic Scholar", "Google Scholar"]
    hrefs = [a.get_attribute("href") for a in find.all()]
    keys = ["query", "q", "q"]
    for href, key in zip(hrefs, keys, strict=True):
        assert parse_qs(urlsplit(href).query)[key] == [HOSTILE]
    assert page.locator(".pc-links").count() == 0
    assert dialogs == []
    assert _axe_blocking(page) == []


def test_paper_without_abstract_says_so(page, mini_url):
    page.goto(mini_url + "papers/bare/")
    note = page.get_by_role("note")
    assert note.inner_text() == "No abstract in the catalogue yet."
    assert page.locator(".pc-find a").count() == 3
    assert page.locator(".pc-paper__meta").count() == 0  # no authors, venue or year
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description.startswith("Learning Representations by Back-Propagating Errors.")
    assert _axe_blocking(page) == []


def test_search_results_rows_link_the_paper_or_a_search(page, mini_url):
    page.goto(mini_url + "search/?q=attention")
    row = page.locator(".pc-search-page__results li", has_text="Attention Is All You Need")
    row.wait_for(timeout=15000)
    read = row.locator(".pc-hit__read a")
    assert read.all_inner_texts() == ["arXiv"]
    assert read.get_attribute("href") == "https://arxiv.org/abs/1706.03762"
    assert row.locator(".pc-hit__link").get_attribute("href").endswith("/papers/transformer/")

    page.goto(mini_url + "search/?q=" + quote("break links"))
    row = page.locator(".pc-search-page__results li", has_text="Why")
    row.wait_for(timeout=15000)
    searches = row.locator(".pc-hit__read a")
    assert searches.all_inner_texts() == ["arXiv", "Semantic Scholar", "Google Scholar"]
    hrefs = [a.get_attribute("href") for a in searches.all()]
    assert hrefs[0].endswith("&searchtype=title")
    for href, key in zip(hrefs, ["query", "q", "q"], strict=True):
        assert parse_qs(urlsplit(href).query)[key] == [HOSTILE]  # encoded, whole, nothing more
    assert _axe_blocking(page) == []
