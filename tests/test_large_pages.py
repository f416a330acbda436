"""No page grows with the catalogue (issue 26: no HTML page over 1 MB at 100,000
papers), checked on a synthetic catalogue split the way a large one is (conftest's
``large_docs``: pages of 20 papers, indexes of 2 names, map files of 40 papers).

At this scale the limit is ``LIMIT``: the largest generated pages are the ones whose
size does not depend on the catalogue (All papers' first 50 rows), and a listing of 20
papers is about 22 KB. Hand-written pages (``HANDWRITTEN``: the Contribute page is
52 KB) do not grow with the catalogue either; they are held to the issue's 1 MB. Each test also shows that the split mattered:
what is now split would not fit in one page under the limit.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from generator.site.linkcheck import check_site
from tests.conftest import LARGE_LIMITS, LARGE_PAPERS

LIMIT = 48_000  # bytes of HTML
HANDWRITTEN = {"contributing/index.html", "about/index.html", "performance/index.html",
               "search-help/index.html"}  # fmt: skip
HREF = re.compile(r'href="([^"#?]*)[^"]*"')
ITEM = re.compile(r'<li class="pc-item">.*?</li>', re.S)


def _pages(site: Path) -> dict[str, Path]:
    """Every HTML page by its URL path ('', 'topics/x/', ...)."""
    out = {}
    for path in site.rglob("index.html"):
        rel = path.parent.relative_to(site).as_posix()
        out["" if rel == "." else rel + "/"] = path
    return out


def test_no_page_is_over_the_limit(large_site):
    sizes = {str(p.relative_to(large_site)): p.stat().st_size for p in large_site.rglob("*.html")}
    assert len(sizes) > LARGE_PAPERS
    over = {page: size for page, size in sizes.items() if size > LIMIT and page not in HANDWRITTEN}
    assert over == {}
    assert all(sizes[page] < 1_000_000 for page in HANDWRITTEN & set(sizes))
    # The split mattered: the biggest venue's list alone, and the map's papers, are
    # each more than one page may hold.
    venues = [p for p in large_site.glob("venues/*/index.html")]
    biggest = max(venues, key=lambda p: len(list(p.parent.glob("page/*/index.html"))))
    listed = [biggest, *biggest.parent.glob("page/*/index.html")]
    assert len(listed) > 3
    assert sum(len(m) for p in listed for m in ITEM.findall(p.read_text(encoding="utf-8"))) > LIMIT
    files = list((large_site / "assets" / "map").glob("*.json"))
    assert len(files) > 3 and sum(f.stat().st_size for f in files) > LIMIT


def test_every_paper_is_reachable_from_the_listings(large_site):
    """From the home page, following links between pages other than paper pages (the
    listings, indexes and their pagers), every paper page is reached."""
    pages = _pages(large_site)
    papers = {u for u in pages if u.startswith("papers/")}
    assert len(papers) == LARGE_PAPERS
    seen, reached, todo = {""}, set(), deque([""])
    while todo:
        url = todo.popleft()
        for href in HREF.findall(pages[url].read_text(encoding="utf-8")):
            target = urlsplit(urljoin("https://x.test/" + url, href)).path.lstrip("/")
            if target in papers:
                reached.add(target)
            elif target in pages and target not in seen:
                seen.add(target)
                todo.append(target)
    assert reached == papers
    assert {"authors/page/2/", "venues/page/2/", "years/page/2/"} <= seen


def test_indexes_come_in_pages_filed_by_letter(large_site):
    """An index of names lists each name once, in order, at most ``index_page`` names a
    page, and each letter of its letter list leads to the first name filed under it."""
    for plural in ("authors", "venues"):
        first = large_site / plural / "index.html"
        pages = [first, *sorted((large_site / plural / "page").glob("*/index.html"),
                                key=lambda p: int(p.parent.name))]  # fmt: skip
        names, anchors = [], {}
        for page in pages:
            text = page.read_text(encoding="utf-8")
            listed = re.findall(r'<li(?: id="([^"]+)")?><a href="[^"]*">([^<]+)</a> <span class="pc-count">', text)  # fmt: skip
            assert 0 < len(listed) <= LARGE_LIMITS["index_page"], page
            names += [name for _, name in listed]
            anchors.update({anchor: (page, name) for anchor, name in listed if anchor})
        assert len(names) == len(set(names)) > LARGE_LIMITS["index_page"]
        data = json.loads((large_site / "papers.json").read_text(encoding="utf-8"))["papers"]
        values = [v for p in data for v in (p.get("authors", []) if plural == "authors" else [p.get("venue")])]  # fmt: skip
        assert set(names) <= set(values)
        letters = re.findall(r'<li><a href="([^"]*)#(pc-letter-[a-z]+)"[^>]*>([A-Z#])</a></li>',
                             first.read_text(encoding="utf-8"))  # fmt: skip
        assert [anchor for _, anchor, _ in letters] == list(anchors)
        for href, anchor, letter in letters:
            page, name = anchors[anchor]
            target = (first.parent / href / "index.html").resolve() if href else first
            assert target == page.resolve()
            assert name.split()[-1 if plural == "authors" else 0][0].upper() == letter


def test_the_link_check_covers_the_split_pages(large_site, tmp_path):
    assert check_site(large_site) == []
    copy = tmp_path / "site"
    shutil.copytree(large_site, copy)
    venue = next(p for p in sorted(copy.glob("venues/*/page/2")))
    gone = [copy / "authors" / "page" / "2", copy / "years" / "page" / "2", venue]
    for folder in gone:
        shutil.rmtree(folder)
    first = next((copy / "assets" / "map").glob("r.*.json"))
    first.unlink()
    broken = {(b.page, b.target) for b in check_site(copy)}
    pages = {page for page, _ in broken}
    assert "authors/index.html" in pages and "years/index.html" in pages
    assert f"{venue.parent.parent.relative_to(copy).as_posix()}/index.html" in pages
    assert ("map/index.html", f"../assets/map/{first.name}") in broken


def test_the_map_page_holds_no_paper(large_site):
    page = (large_site / "map" / "index.html").read_text(encoding="utf-8")
    assert "papers/" not in page.replace("all-papers/", "")
    names = re.search(r'data-files="([^"]+)"', page).group(1).split()
    on_disk = sorted(
        p.name.removesuffix(".json") for p in (large_site / "assets" / "map").glob("*.json")
    )
    assert sorted(names) == on_disk
    ids = []
    for name in names:
        ids += json.loads((large_site / "assets" / "map" / f"{name}.json").read_text())["id"]
    assert sorted(ids) == sorted(
        p.removeprefix("papers/").rstrip("/") for p in _pages(large_site) if p.startswith("papers/")
    )
