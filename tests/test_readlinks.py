"""A way to every paper: direct links, title searches with the title always encoded,
the byline under the title, the venue-kind rule, and a page without an abstract."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.catalogue.model import Catalogue, Paper, Topic
from generator.render import browse, readlinks, venues
from generator.render import pages as render

MINI = Path(__file__).parent / "fixtures" / "readers-mini"
HOSTILE_TITLES = [
    'Why "quotes" & <script>alert(1)</script> #hash break links: café 😀 + more?',
    "A 'single' quote; 100% sure? x=1&y=2",
    "Über  spaced\nwrapped   title / with slash",
    "javascript:alert(1)",
]
QUERY_KEY = {"arXiv": "query", "Semantic Scholar": "q", "Google Scholar": "q"}


def make(**fields) -> Paper:
    base = {"id": "p", "title": "A Title", "abstract": "", "topics": ("t",),
            "added": dt.date(2026, 1, 1)}  # fmt: skip
    return Paper(**(base | fields))


@pytest.mark.parametrize(
    ("venue", "kind"),
    [
        ("Proceedings of the IEEE", "journal"),
        ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "journal"),
        ("IEEE Trans. on Computers", "journal"),
        ("Journal of Machine Learning Research", "journal"),
        ("Physical Review Letters", "journal"),
        ("ACM Computing Surveys", "journal"),
        ("JMLR", "journal"),
        ("TOCS", "journal"),
        ("Nature", "journal"),
        ("Phys. Rev. Lett. 99, 123456 (2007)", "journal"),  # arXiv journal_ref style
        ("J. Mach. Learn. Res. 15 (2014) 1929-1958", "journal"),
        ("JHEP 0712:012,2007", "journal"),
        ("Proc. Natl. Acad. Sci. USA 114 (2017)", "journal"),
        ("ACM SIGPLAN Notices", "journal"),
        ("Advances in Neural Information Processing Systems 30", "conference"),
        ("Proc. of ICML 2020, PMLR 119", "conference"),
        ("Proceedings of the 29th Symposium on Operating Systems Principles", "conference"),
        ("Proc. of VLDB", "conference"),
        ("International Conference on Data Science", "conference"),  # not the journal
        ("Findings of EMNLP", "conference"),
        ("NeurIPS 2023", "conference"),
        ("ICLR'24", "conference"),
        ("ACL-IJCNLP", "conference"),
        ("OSDI", "conference"),
        ("Workshop on Efficient LLMs", "conference"),
        # venues of the seed catalogue (content/library/seed.bib)
        ("IEEE Access 2024", "journal"),
        ("IEEE Micro 2024", "journal"),  # the magazine, not the MICRO conference
        ("MICRO 2023", "conference"),
        ("*SEM 2023", "conference"),
        ("AAMAS 2020", "conference"),
        ("ACM MM 2025", "conference"),
        ("ECIR 2024", "conference"),
        ("ICAPS 2023", "conference"),
        ("MIDL 2025", "conference"),
        ("arXiv preprint arXiv:1412.6980", "preprint"),
        ("CoRR", "preprint"),
        ("bioRxiv", "preprint"),
        ("Some Lab Blog", "other"),
        ("", None),
        (None, None),
    ],
)
def test_venue_kind(venue, kind):
    assert venues.venue_kind(venue) == kind


def test_paper_kind_arxiv_without_venue_is_a_preprint():
    assert venues.kind(make(arxiv="2401.09670")) == "preprint"
    assert venues.kind(make(arxiv="2401.09670", venue="ICML")) == "conference"
    assert venues.kind(make()) is None
    assert venues.arxiv_archive("hep-th/9901001") == "hep-th"
    assert venues.arxiv_archive("2401.09670") is None


def test_direct_links_of_a_paper_with_every_id():
    paper = make(arxiv="2401.09670", doi="10.5555/a_b",
                 links={"code": "https://github.com/x/y", "url": "https://example.org/p"})  # fmt: skip
    assert readlinks.paper_links(paper) == [
        ("arXiv", "https://arxiv.org/abs/2401.09670"),
        ("PDF", "https://arxiv.org/pdf/2401.09670"),
        ("DOI", "https://doi.org/10.5555/a_b"),
        ("Hugging Face", "https://huggingface.co/papers/2401.09670"),
        ("Web page", "https://example.org/p"),
        ("Code", "https://github.com/x/y"),
    ]
    assert readlinks.has_direct(paper)
    assert readlinks.main_link(paper) == "https://arxiv.org/abs/2401.09670"


def test_own_pdf_replaces_arxiv_pdf_and_main_link_order():
    paper = make(arxiv="2401.09670", links={"pdf": "https://example.org/p.pdf"})
    assert ("PDF", "https://example.org/p.pdf") in readlinks.paper_links(paper)
    assert ("PDF", "https://arxiv.org/pdf/2401.09670") not in readlinks.paper_links(paper)
    assert readlinks.main_link(make(doi="10.1/x", links={"pdf": "https://e/p"})) == (
        "https://doi.org/10.1/x"
    )
    assert readlinks.main_link(make(links={"pdf": "https://e/p.pdf"})) == "https://e/p.pdf"
    assert readlinks.main_link(make(links={"url": "https://e/"})) == "https://e/"
    # a project page is about the paper: no main link, title searches instead
    assert readlinks.main_link(make(links={"project": "https://e/p"})) == ""


def test_no_known_link_means_searches_only():
    only_about = make(links={"project": "https://p.github.io/", "demo": "https://d.example/"})
    for paper in (make(), make(links={"code": "https://github.com/x/y"}), only_about):
        assert not readlinks.has_direct(paper)
        assert readlinks.main_link(paper) == ""
    assert [label for label, _ in readlinks.search_links("T")] == list(QUERY_KEY)
    assert readlinks.search_links("Attention Is All You Need") == [
        ("arXiv", "https://arxiv.org/search/?query=Attention+Is+All+You+Need&searchtype=title"),
        ("Semantic Scholar", "https://www.semanticscholar.org/search?q=Attention+Is+All+You+Need"),
        ("Google Scholar", "https://scholar.google.com/scholar?q=Attention+Is+All+You+Need"),
    ]


def _check_search_links(title: str) -> None:
    expected = " ".join(title.split())
    for label, url in readlinks.search_links(title):
        parts = urlsplit(url)
        assert parts.scheme == "https" and not parts.fragment, url
        assert not any(c in parts.query for c in " \"'<>#\n"), url  # nothing raw
        values = parse_qs(parts.query, keep_blank_values=True)[QUERY_KEY[label]]
        assert values == [expected], (label, url)  # the whole title, nothing more


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_are_encoded_in_search_links(title):
    _check_search_links(title)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1))
def test_any_title_round_trips_through_search_links(title):
    if title.split():
        _check_search_links(title)


@pytest.mark.parametrize(
    ("doi", "url"),
    [
        ("10.1145/3600006.3613165", "https://doi.org/10.1145/3600006.3613165"),
        ("10.1002/(SICI)1097-4636:3", "https://doi.org/10.1002/(SICI)1097-4636:3"),
        ('10.1000/a#b?c<d>"e', "https://doi.org/10.1000/a%23b%3Fc%3Cd%3E%22e"),
        ("10.1000/x&y%z", "https://doi.org/10.1000/x%26y%25z"),
    ],
)
def test_doi_urls_are_path_encoded(doi, url):
    assert readlinks.doi_url(doi) == url


def test_byline_shortens_long_author_lists():
    eight = tuple(f"Author {n}" for n in range(8))
    assert render.byline(make(authors=eight)) == {"shown": list(eight[:3]), "more": 5}
    six = eight[:6]
    assert render.byline(make(authors=six)) == {"shown": list(six), "more": 0}


def test_description_without_abstract_names_the_paper():
    assert render.paper_description(make()) == "A Title. No abstract in the catalogue yet."
    paper = make(authors=("A", "B", "C", "D"), venue="OSDI", year=2024)
    assert render.paper_description(paper) == (
        "A Title, by A, B, C et al. (OSDI 2024). No abstract in the catalogue yet."
    )
    assert render.paper_description(make(abstract="One. Two.")) == "One."


class Anchors(HTMLParser):
    """The hrefs of <a> elements inside elements with a given class."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class, self.depth, self.hrefs = css_class, 0, []
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = self.css_class in (a.get("class") or "").split()
        self.stack.append(inside)
        if tag == "a" and any(self.stack):
            self.hrefs.append(a["href"])

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()


def anchors(page: str, css_class: str) -> list[str]:
    parser = Anchors(css_class)
    parser.feed(page.split("---", 2)[2])
    return parser.hrefs


@pytest.fixture(scope="module")
def mini_docs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("links") / "docs"
    build(MINI, out)
    return out


def test_rendered_hostile_title_stays_inside_the_href(mini_docs):
    page = (mini_docs / "papers" / "hostile-title" / "index.md").read_text(encoding="utf-8")
    hrefs = anchors(page, "pc-find")
    assert hrefs == [url for _, url in readlinks.search_links(HOSTILE_TITLES[0])]
    body = page.split("---", 2)[2]
    assert "<script>" not in body and "query=Why+%22quotes%22+%26+%3Cscript%3E" in body


def test_rendered_pages_link_every_paper(mini_docs):
    for path in sorted((mini_docs / "papers").glob("*/index.md")):
        page = path.read_text(encoding="utf-8")
        direct, searches = anchors(page, "pc-links"), anchors(page, "pc-find")
        assert direct or len(searches) == 3, path.name
    transformer = (mini_docs / "papers" / "transformer" / "index.md").read_text(encoding="utf-8")
    assert anchors(transformer, "pc-links") == [
        "https://arxiv.org/abs/1706.03762",
        "https://arxiv.org/pdf/1706.03762",
        "https://huggingface.co/papers/1706.03762",
    ]
    assert anchors(transformer, "pc-find") == []
    # Eight authors: three and "et al." in the byline, all eight behind "All 8 authors".
    assert len(anchors(transformer, "pc-byline")) == 3 + 2  # authors, venue, year
    assert 'title="and 5 more authors">et al.</abbr>' in transformer
    assert len(anchors(transformer, "pc-authors-all")) == 8
    # Noam Shazeer has two papers, so a page; Łukasz Kaiser one, so the search for him.
    assert "../../authors/noam-shazeer/" in anchors(transformer, "pc-authors-all")
    assert "../../search/?q=author%3A%22%C5%81ukasz%20Kaiser%22" in anchors(
        transformer, "pc-authors-all"
    )


def test_page_without_abstract_says_so(tmp_path):
    topics = (Topic("t", "T", "d"),)
    papers = (make(id="bare"), make(id="full", title="Full", abstract="Text. More."))
    render.render_site(Catalogue(papers=papers, topics=topics), tmp_path)
    bare = (tmp_path / "papers" / "bare" / "index.md").read_text(encoding="utf-8")
    assert '<p class="pc-abstract__none" role="note">No abstract in the catalogue yet.</p>' in bare
    assert 'description: "A Title. No abstract in the catalogue yet."' in bare
    full = (tmp_path / "papers" / "full" / "index.md").read_text(encoding="utf-8")
    assert "pc-abstract__none" not in full and "<p>Text. More.</p>" in full


def test_authors_get_a_page_from_two_papers_and_a_search_below(tmp_path):
    topics = (Topic("t", "T", "d"),)
    papers = (
        make(id="a", title="A", authors=("Grace Hopper", "Alan Turing")),
        make(id="b", title="B", authors=("Grace Hopper",)),
        make(id="c", title="C", authors=("Kurt Gödel",), venue="ICML"),
    )
    found = browse.facets(Catalogue(papers=papers, topics=topics))
    authors = found["author"]
    assert list(authors.paged) == ["Grace Hopper"]
    assert authors.url("Grace Hopper") == "authors/grace-hopper/"
    assert authors.url("Alan Turing") == "search/?q=author%3A%22Alan%20Turing%22"
    assert found["venue"].url("ICML") == "venues/icml/"  # a venue page from one paper
    render.render_site(Catalogue(papers=papers, topics=topics), tmp_path)
    assert (tmp_path / "authors" / "grace-hopper" / "index.md").is_file()
    assert not (tmp_path / "authors" / "alan-turing").exists()
    index = (tmp_path / "authors" / "index.md").read_text(encoding="utf-8")
    assert "grace-hopper" in index and "Alan Turing" not in index
    assert "2 more authors with one paper each" in index
    page = (tmp_path / "papers" / "c" / "index.md").read_text(encoding="utf-8")
    assert 'href="../../search/?q=author%3A%22Kurt%20G%C3%B6del%22">Kurt Gödel</a>' in page
    # Nobody with two papers: no author pages and no "By author" link at all.
    (tmp_path / "one").mkdir()
    render.render_site(Catalogue(papers=papers[2:], topics=topics), tmp_path / "one")
    assert not (tmp_path / "one" / "authors").exists()
    assert "authors/" not in (tmp_path / "one" / "index.md").read_text(encoding="utf-8")
