"""The readers' side of the built site: exports parse with real parsers, every paper
page carries its citation and social meta tags, and browse pages exist only with data."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import feedparser
import jsonschema
import pytest
import yaml
from conftest import ROOT, build_site
from pybtex.database import parse_file

from generator.build import build
from generator.render import siteinfo

SCHEMA = ROOT / "content" / "schema" / "papers-json.schema.json"
MINI = Path(__file__).parent / "fixtures" / "readers-mini"
SEED_PAPERS = sorted(p.stem for p in (ROOT / "content" / "papers").glob("*.yml"))


class Head(HTMLParser):
    """Collects <meta> (name/property -> contents) and <link rel=alternate> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.alternate: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        if tag == "link" and "alternate" in a.get("rel", "").split():
            self.alternate.append(a)


def head_of(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_papers_bib_parses_into_one_entry_per_paper(seed_site):
    library = bibtexparser.parse_file(str(seed_site / "papers.bib"))
    assert library.failed_blocks == []
    assert len(library.entries) == len(SEED_PAPERS) == 189
    assert sorted(e.key for e in library.entries) == SEED_PAPERS  # keys are the ids
    assert len(parse_file(str(seed_site / "papers.bib"), "bibtex").entries) == 189


def test_papers_json_matches_its_schema(seed_site):
    data = json.loads((seed_site / "papers.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert len(data["papers"]) == 189
    # The published schema is the one in content/schema.
    assert (seed_site / "papers.schema.json").read_bytes() == SCHEMA.read_bytes()


def test_schema_version_is_the_exported_one():
    from generator.exports.papers import SCHEMA_VERSION

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_schema_rejects_a_changed_record(seed_site):
    data = json.loads((seed_site / "papers.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    del data["papers"][0]["added"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_feeds_are_valid_atom(seed_site):
    feeds = [seed_site / "feed.xml", *sorted((seed_site / "topics").glob("*/feed.xml"))]
    topics = yaml.safe_load((ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))
    assert len(feeds) == 1 + len(topics)
    site_url = siteinfo.site_url()  # mkdocs.yml's !ENV default (no PAPERCAT_SITE_URL here)
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
        assert feed.version == "atom10"
        assert feed.entries, path
        for entry in feed.entries:
            assert entry.link.startswith(site_url + "papers/")
            assert entry.updated.startswith("2026-11-28")  # from `added`, not the clock
    main = feedparser.parse((seed_site / "feed.xml").read_bytes())
    assert len(main.entries) == 50
    # each entry names the paper's authors (content/library/seed.bib), in order
    papers = {
        site_url + p["url"]: p
        for p in json.loads((seed_site / "papers.json").read_text())["papers"]
    }
    with_authors = 0
    for entry in main.entries:
        expected = papers[entry.link]["authors"]
        assert [a.get("name") for a in entry.get("authors", [])] == expected, entry.link
        with_authors += bool(expected)
    assert with_authors >= 45


def test_every_paper_page_has_citation_and_social_meta(seed_site):
    papers = json.loads((seed_site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert len(papers) == 189
    for paper in papers:
        head = head_of(seed_site / "papers" / paper["id"] / "index.html")
        assert head.meta["citation_title"] == [paper["title"]], paper["id"]
        assert head.meta["og:title"] == [paper["title"]]
        assert head.meta["citation_abstract_html_url"][0].endswith(f"/papers/{paper['id']}/")
        description = head.meta["og:description"][0]
        assert description and paper["abstract"].replace("\n", " ").startswith(description[:40])
        assert head.meta["twitter:card"] == ["summary"]
        # authors from content/library/seed.bib, in order; none where none is known
        assert head.meta.get("citation_author", []) == paper["authors"], paper["id"]
        if paper["year"]:
            assert head.meta["citation_publication_date"] == [str(paper["year"])]
        assert [link["href"] for link in head.alternate] == ["../../feed.xml"]
        # Not rel="alternate" alone: Material parses sitemap.xml for each such link.
        assert all(link["rel"].split() == ["alternate", "feed"] for link in head.alternate)


def test_meta_tags_escape_and_cover_known_fields(tmp_path):
    site = build_site(MINI, tmp_path)
    head = head_of(site / "papers" / "distserve" / "index.html")
    assert head.meta["citation_author"] == ["Yinmin Zhong", "Shengyu Liu", "Müller, Jürgen"]
    assert head.meta["citation_publication_date"] == ["2024"]
    assert head.meta["citation_arxiv_id"] == ["2401.09670"]
    assert head.meta["citation_pdf_url"] == ["https://arxiv.org/pdf/2401.09670"]
    assert head.meta["citation_doi"] == ["10.5555/dist_serve"]
    assert head.meta["citation_conference_title"] == ["OSDI"]
    lenet = head_of(site / "papers" / "lenet" / "index.html")
    assert lenet.meta["citation_journal_title"] == ["Proceedings of the IEEE"]
    assert lenet.meta["citation_author"][1] == "Léon Bottou"
    assert "citation_conference_title" not in lenet.meta
    # papers.bib: entry types by venue, authors and years for every paper that has them.
    library = bibtexparser.parse_file(str(site / "papers.bib"))
    assert library.failed_blocks == []
    types = {e.key: e.entry_type for e in library.entries}
    assert (types["lenet"], types["transformer"], types["switch"], types["tvm"]) == (
        "article",
        "inproceedings",
        "article",
        "misc",
    )
    assert library.entries_dict["transformer"]["author"].startswith("Vaswani, Ashish and ")
    raw = (site / "papers" / "adamoe" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw  # the abstract's markup stays text everywhere
    assert (
        head_of(site / "papers" / "adamoe" / "index.html")
        .meta["og:description"][0]
        .startswith("Mixture of experts with {{ template }} text, <script>")
    )
    topic = head_of(site / "topics" / "llm-serving" / "index.html")
    assert any(link["href"] == "feed.xml" for link in topic.alternate)
    # Facet pages exist for the fields the fixture has, linked from paper pages.
    for rel in ("years/2024", "venues/osdi", "authors/yinmin-zhong", "years", "authors"):
        assert (site / rel / "index.html").is_file(), rel
    page = (site / "papers" / "distserve" / "index.html").read_text(encoding="utf-8")
    # Two papers give Yinmin Zhong a page; Jürgen Müller's one paper is listed by search.
    assert 'href="../../authors/yinmin-zhong/"' in page
    assert 'href="../../search/?q=author%3A%22M%C3%BCller%2C%20J%C3%BCrgen%22"' in page
    assert not (site / "authors" / "muller-jurgen").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="years/"' in home and 'href="authors/"' in home
    # Versions box for version_of in either direction.
    assert "Other versions of this work" in page


def test_seed_browse_sections_exist_and_none_is_empty(seed_site):
    """The seed's years, venues and authors (content/library/seed.bib) have pages, each
    listing papers; an author has a page from two papers."""
    papers = json.loads((seed_site / "papers.json").read_text(encoding="utf-8"))["papers"]
    years = {str(p["year"]) for p in papers if p["year"]}
    assert {d.name for d in (seed_site / "years").iterdir() if d.is_dir()} == years
    assert len(list((seed_site / "venues").glob("*/index.html"))) == len(
        {p["venue"] for p in papers if p["venue"]}
    )
    for folder in ("years", "venues", "authors"):
        for listing in (seed_site / folder).glob("*/index.html"):
            shown = listing.read_text(encoding="utf-8").count('class="pc-item__title"')
            assert shown >= (2 if folder == "authors" else 1), listing
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    table = (seed_site / "all-papers" / "index.html").read_text(encoding="utf-8")
    for text in (home, table):
        assert 'href="years/' in text.replace("../", "") and "authors/" in text
    assert "pc-col-year" in table
    assert "pc-paper__meta" in (seed_site / "papers" / "adamoe" / "index.html").read_text()
    for link in ("papers.json", "papers.bib", "feed.xml", "all-papers/", "map/"):
        assert f'href="{link}"' in home


def test_map_and_table_data_cover_every_paper(seed_site):
    page = (seed_site / "map" / "index.html").read_text(encoding="utf-8")
    names = re.search(r'data-files="([^"]+)"', page).group(1).split()
    assert len(names) == 1  # 189 papers: one file draws them all
    data = json.loads((seed_site / "assets" / "map" / f"{names[0]}.json").read_text())
    assert sorted(data["id"]) == SEED_PAPERS
    assert f'href="../assets/map/{names[0]}.json"' in page  # preloaded (and link-checked)
    rows = json.loads((seed_site / "all-papers.json").read_text(encoding="utf-8"))["rows"]
    assert [r[0] for r in rows] == SEED_PAPERS
    topic = (seed_site / "topics" / "mixture-of-experts" / "index.html").read_text()
    assert 'class="pc-chart__svg"' in topic and html.escape("Papers by year") in topic


def test_build_is_deterministic_with_map(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build(ROOT / "content", first)
    build(ROOT / "content", second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
