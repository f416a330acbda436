"""Long listings (a topic, year, venue or author) in pages: browse.paginate and Pager;
long indexes of names in pages, filed by letter."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.analysis.facets import facets
from generator.catalogue.model import Catalogue, Paper, Topic
from generator.render import browse
from generator.render import pages as render
from generator.render.limits import Limits

LISTING = "https://example.org/site/venues/acl/"


def _url(pager: browse.Pager) -> str:
    return urljoin(LISTING, "" if pager.number == 1 else f"page/{pager.number}/")


@given(total=st.integers(0, 60), size=st.integers(1, 12))
def test_pages_split_the_list_in_order(total, size):
    papers = list(range(total))
    pages = browse.paginate(papers, size)  # type: ignore[arg-type]
    assert [p for _, shown in pages for p in shown] == papers
    assert len(pages) == max(1, -(-total // size))
    for n, (pager, shown) in enumerate(pages, start=1):
        assert (pager.number, pager.count, pager.total) == (n, len(pages), total)
        assert len(shown) <= size and (len(shown) == size or n == len(pages))
        assert list(shown) == papers[pager.first - 1 : pager.last]


@given(count=st.integers(1, 40), data=st.data())
def test_every_pager_link_reaches_its_page(count, data):
    """From any page, the link to page n resolves to page n's own URL; page 1 is the
    listing's URL itself, never .../page/1/."""
    pages = [pager for pager, _ in browse.paginate(list(range(count)), 1)]  # type: ignore[arg-type]
    here = data.draw(st.sampled_from(pages))
    for there in pages:
        assert urljoin(_url(here), here.href(there.number)) == _url(there)
    assert _url(pages[0]) == LISTING
    assert here.markdown("venues/acl") == (
        "venues/acl.md" if here.number == 1 else f"venues/acl/page/{here.number}.md"
    )


@given(count=st.integers(1, 60), data=st.data())
def test_the_window_names_first_last_and_neighbours(count, data):
    number = data.draw(st.integers(1, count))
    pager = browse.Pager(number, count, 1, 1, count)
    window = pager.window()
    shown = [n for n in window if n is not None]
    assert shown == sorted(set(shown)) and {1, count, number} <= set(shown)
    assert {n for n in range(number - 2, number + 3) if 1 <= n <= count} <= set(shown)
    for before, after in itertools.pairwise(window):
        if before is None or after is None:
            assert before is not None or after is not None  # never two gaps in a row
        else:
            assert after == before + 1  # a skipped number is always shown as a gap


def test_titles_say_the_page_after_the_first():
    first, second = (pager for pager, _ in browse.paginate(list(range(3)), 2))  # type: ignore[arg-type]
    assert first.title("ACL") == "ACL"
    assert second.title("ACL") == "ACL (page 2 of 2)"


@pytest.mark.parametrize(
    ("total", "size", "number", "text"),
    [
        (1, 500, 1, "1 paper"),
        (7, 500, 1, "7 papers"),
        (7, 3, 1, "7 papers (1 to 3 on this page)"),
        (7, 3, 3, "7 papers (7 to 7 on this page)"),
    ],
)
def test_summary_says_how_many_and_which(total, size, number, text):
    pager, _ = browse.paginate(list(range(total)), size)[number - 1]  # type: ignore[arg-type]
    assert pager.summary() == text


def _catalogue(venues: list[str], authors: list[tuple[str, ...]]) -> Catalogue:
    papers = tuple(
        Paper(id=f"p{i}", title=f"P{i}", abstract="", topics=("t",), added=dt.date(2026, 1, 1),
              venue=venue, authors=names)
        for i, (venue, names) in enumerate(zip(venues, authors, strict=True))
    )  # fmt: skip
    return Catalogue(papers=papers, topics=(Topic("t", "T", "d"),))


def test_names_are_filed_by_letter_with_accents_folded():
    """Authors by family name and venues by name, accents folded (Ł with L, Ö with O),
    names not starting with a Latin letter first, under "#": each letter is one run."""
    names = ["Ada Lovelace", "Łukasz Kaiser", "Zoë Ölander", "Bo Łuk", "Kurt Gödel", "李 白", "Ana 3ab"]  # fmt: skip
    venues = ["Ölfest", "arXiv", "ACL", "ICML", "2nd Workshop", "Éire", "NeurIPS"]
    found = facets(_catalogue(venues, [(n, "Ada Lovelace") for n in names]))
    authors = found["author"]
    order = list(authors.groups)
    assert order == ["李 白", "Ana 3ab", "Kurt Gödel", "Łukasz Kaiser", "Ada Lovelace", "Bo Łuk", "Zoë Ölander"]  # fmt: skip
    assert [authors.letter(n) for n in order] == ["#", "#", "G", "K", "L", "L", "O"]
    venue = found["venue"]
    assert list(venue.groups) == ["2nd Workshop", "ACL", "arXiv", "Éire", "ICML", "NeurIPS", "Ölfest"]  # fmt: skip
    assert [venue.letter(v) for v in venue.groups] == ["#", "A", "A", "E", "I", "N", "O"]


def test_page_is_never_a_slug():
    """A long index goes on at authors/page/2/, so no author's page may be authors/page/."""
    found = facets(_catalogue(["Page", "X"], [("Page",), ("Page",)]))
    assert found["author"].url("Page") == "authors/page-2/"
    assert found["venue"].url("Page") == "venues/page-2/"


def test_a_long_index_is_paged_with_its_letters(tmp_path):
    names = [f"{given} {family}" for family in ("Abe", "Alba", "Berg", "Chu", "Łoś") for given in ("Al", "Bo")]  # fmt: skip
    catalogue = _catalogue(["V"] * 20, [(n,) for n in names] * 2)
    render.render_site(catalogue, tmp_path, limits=Limits(index_page=3))
    pages = [tmp_path / "authors" / "index.md", *(tmp_path / "authors" / "page" / str(n) / "index.md" for n in (2, 3, 4))]  # fmt: skip
    assert not (tmp_path / "authors" / "page" / "5").exists()
    texts = [p.read_text(encoding="utf-8") for p in pages]
    listed = [re.findall(r'<li(?: id="([^"]*)")?><a href="[./]*authors/[a-z0-9-]+/">([^<]+)</a>', t) for t in texts]  # fmt: skip
    assert [name for page in listed for _, name in page] == [
        "Al Abe", "Bo Abe", "Al Alba", "Bo Alba", "Al Berg", "Bo Berg", "Al Chu", "Bo Chu", "Al Łoś", "Bo Łoś"
    ]  # fmt: skip
    assert [anchor for page in listed for anchor, _ in page if anchor] == [
        "pc-letter-a", "pc-letter-b", "pc-letter-c", "pc-letter-l"
    ]  # fmt: skip
    letters = re.findall(r'<li><a href="([^"]*)">([A-Z#])</a></li>', texts[2])  # page 3 of 4
    assert letters == [("../../#pc-letter-a", "A"), ("../../page/2/#pc-letter-b", "B"),
                       ("#pc-letter-c", "C"), ("#pc-letter-l", "L")]  # fmt: skip
    assert "10 authors (7 to 9 on this page)" in texts[2]
    assert 'title: "Papers by author (page 3 of 4)"' in texts[2]
