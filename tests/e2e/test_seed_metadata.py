"""The seed catalogue's real metadata, as readers see it in Chromium (desktop and phone).

content/library/seed.bib gave the seed papers arXiv ids, authors, years and venues;
these tests check what that makes possible on the built site: the byline under the
title, a direct link to the paper, author, year and venue pages, full citations,
Highwire tags, and a home page whose "Recently added" list is newest first.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A paper with a venue and a DOI, published at a conference (seed.bib cites its sources).
PAPER = "adamoe"


def _paper(pid: str) -> dict:
    return yaml.safe_load((ROOT / "content" / "papers" / f"{pid}.yml").read_text())


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def viewport_page(request, browser):
    context = browser.new_context(viewport=request.param, is_mobile=request.param is PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_paper_page_shows_authors_venue_year_and_links_to_the_paper(viewport_page, site_url):
    data = _paper(PAPER)
    page = viewport_page
    page.goto(f"{site_url}papers/{PAPER}/")
    byline = page.locator(".pc-byline")
    assert byline.is_visible()
    text = byline.inner_text()
    assert data["authors"][0] in text and data["venue"] in text and str(data["year"]) in text
    # the byline sits under the title
    title_box = page.locator("h1").first.bounding_box()
    assert byline.bounding_box()["y"] > title_box["y"]
    arxiv = page.locator(f'a[href="https://arxiv.org/abs/{data["arxiv"]}"]').first
    assert arxiv.is_visible()
    assert page.locator(f'a[href="https://doi.org/{data["doi"]}"]').count() >= 1
    # a paper that links straight to itself offers no title searches
    assert page.locator(".pc-find").count() == 0
    # no horizontal scrolling, at either width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_author_year_and_venue_pages_list_the_paper(viewport_page, site_url):
    data = _paper(PAPER)
    page = viewport_page
    page.goto(f"{site_url}papers/{PAPER}/")
    page.locator(".pc-byline a", has_text=data["venue"]).first.click()
    page.wait_for_url(re.compile(r"/venues/"))
    page.locator("h1", has_text=data["venue"]).wait_for()  # instant navigation swapped in
    page.locator(f'main a[href$="papers/{PAPER}/"]').first.wait_for()
    page.goto(f"{site_url}years/{data['year']}/")
    assert page.locator(f'main a[href$="papers/{PAPER}/"]').count() >= 1
    page.goto(f"{site_url}authors/")
    authors = page.locator("main a[href*='authors/']")
    assert authors.count() >= 20  # people with two or more seed papers


def test_cite_box_has_a_full_citation(viewport_page, site_url):
    data = _paper(PAPER)
    page = viewport_page
    page.goto(f"{site_url}papers/{PAPER}/")
    bibtex = page.locator("pre", has_text="@inproceedings{").first.text_content()
    assert f"{{{data['authors'][0]}" in bibtex or data["authors"][0].split()[-1] in bibtex
    assert data["doi"] in bibtex and str(data["year"]) in bibtex and "booktitle" in bibtex
    preprint = "52b-1t-lessons-learned-tele"  # on arXiv only: @misc with eprint
    page.goto(f"{site_url}papers/{preprint}/")
    misc = page.locator("pre", has_text="@misc{").first.text_content()
    assert _paper(preprint)["arxiv"] in misc and "eprint" in misc


def test_highwire_tags_name_authors_date_and_ids(page, site_url):
    data = _paper(PAPER)
    page.goto(f"{site_url}papers/{PAPER}/")
    authors = page.locator('meta[name="citation_author"]')
    assert [authors.nth(i).get_attribute("content") for i in range(authors.count())] == data[
        "authors"
    ]
    assert page.locator('meta[name="citation_publication_date"]').get_attribute("content") == str(
        data["year"]
    )
    assert page.locator('meta[name="citation_arxiv_id"]').get_attribute("content") == data["arxiv"]
    assert page.locator('meta[name="citation_doi"]').get_attribute("content") == data["doi"]


def test_recently_added_is_newest_first(viewport_page, site_url):
    page = viewport_page
    page.goto(site_url)
    links = page.locator("#recent + ul a.pc-item__title")
    ids = [
        links.nth(i).get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
        for i in range(links.count())
    ]
    assert len(ids) == 12
    appeared = [_paper(pid)["arxiv"] for pid in ids]
    # all seed papers were added on one day: newest first by arXiv id (yymm.number)
    assert appeared == sorted(appeared, key=lambda a: tuple(map(int, a.split("."))), reverse=True)
    newest = max((p for p in (ROOT / "content" / "papers").glob("*.yml")),
                 key=lambda p: tuple(map(int, str(_paper(p.stem).get("arxiv") or "0.0").split("."))))  # fmt: skip
    assert ids[0] == newest.stem
