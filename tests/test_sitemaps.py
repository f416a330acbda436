"""The sitemap index past 1,000 addresses, in files of at most the protocol's limit
(generator/site/sitemaps.py)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.linkcheck import _base_path
from generator.site.sitemaps import INSTANT_LIMIT, LIMIT, NAMESPACE, split_sitemap

BASE = "https://example.org/cat/"
NS = {"s": NAMESPACE}


def write_sitemap(site: Path, count: int) -> list[str]:
    """A sitemap like MkDocs writes, with ``count`` addresses; returns them."""
    locs = [BASE] + [f"{BASE}papers/p{k}/" for k in range(1, count)]
    urls = "\n".join(
        f"    <url>\n         <loc>{loc}</loc>\n         <lastmod>2026-11-29</lastmod>\n    </url>"
        for loc in locs
    )
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{urls}\n</urlset>',
        encoding="utf-8",
    )
    return locs


def locs(path: Path, tag: str) -> list[str]:
    root = ET.parse(path).getroot()
    return [e.text or "" for e in root.findall(f"s:{tag}/s:loc", NS)]


def test_limit_is_the_protocols():
    assert LIMIT == 50_000


def test_an_index_from_a_thousand_addresses_in_one_file(tmp_path):
    """Instant navigation would read every address on each page load (sitemaps.py):
    1,000 are left alone, 1,001 make an index of one file holding them all."""
    assert INSTANT_LIMIT == 1_000
    write_sitemap(tmp_path / "a", 1_000)
    assert split_sitemap(tmp_path / "a") == 1
    assert locs(tmp_path / "a" / "sitemap.xml", "url")[-1] == f"{BASE}papers/p999/"
    addresses = write_sitemap(tmp_path / "b", 1_001)
    assert split_sitemap(tmp_path / "b") == 1
    assert locs(tmp_path / "b" / "sitemap.xml", "sitemap") == [BASE + "sitemap-1.xml"]
    assert locs(tmp_path / "b" / "sitemap-1.xml", "url") == addresses


def test_a_sitemap_within_the_limit_is_left_alone(tmp_path):
    write_sitemap(tmp_path, 5)
    before = (tmp_path / "sitemap.xml").read_bytes()
    assert split_sitemap(tmp_path, limit=5) == 1
    assert (tmp_path / "sitemap.xml").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sitemap.xml"]


def test_no_sitemap_no_files(tmp_path):
    assert split_sitemap(tmp_path) == 0
    assert list(tmp_path.iterdir()) == []


def test_past_the_limit_an_index_names_files_that_hold_every_address_in_order(tmp_path):
    addresses = write_sitemap(tmp_path, 5)
    assert split_sitemap(tmp_path, limit=2) == 3
    root = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert root.tag == f"{{{NAMESPACE}}}sitemapindex"
    names = [f"sitemap-{k}.xml" for k in (1, 2, 3)]
    assert locs(tmp_path / "sitemap.xml", "sitemap") == [BASE + n for n in names]
    chunks = [locs(tmp_path / n, "url") for n in names]
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert [loc for chunk in chunks for loc in chunk] == addresses
    # The entries keep what the renderer wrote (lastmod).
    assert "<lastmod>2026-11-29</lastmod>" in (tmp_path / "sitemap-3.xml").read_text()
    index = (tmp_path / "sitemap.xml").read_bytes()
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == index


def test_the_link_check_still_finds_the_sites_path(tmp_path):
    write_sitemap(tmp_path, 5)
    assert _base_path(tmp_path) == "/cat/"
    split_sitemap(tmp_path, limit=2)
    assert _base_path(tmp_path) == "/cat/"


def test_splitting_twice_gives_the_same_files(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for site in (one, two):
        write_sitemap(site, 7)
        split_sitemap(site, limit=3)
    assert {p.name: p.read_bytes() for p in one.iterdir()} == {
        p.name: p.read_bytes() for p in two.iterdir()
    }


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 40), limit=st.integers(1, 12))
def test_files_partition_the_addresses(tmp_path_factory, count, limit):
    site = tmp_path_factory.mktemp("sitemap")
    addresses = write_sitemap(site, count)
    files = split_sitemap(site, limit=limit)
    if count <= limit:
        assert files == 1 and locs(site / "sitemap.xml", "url") == addresses
        return
    names = [n.rsplit("/", 1)[1] for n in locs(site / "sitemap.xml", "sitemap")]
    chunks = [locs(site / n, "url") for n in names]
    assert files == len(names) == -(-count // limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert [loc for chunk in chunks for loc in chunk] == addresses
