"""Exports and citations use every field: BibTeX entry types by venue kind, RIS, CSL-JSON,
Highwire meta tags, papers.json against its schema and Atom feeds, for fixture papers
with every field (journal, conference, arXiv preprint, accented authors) and with none."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import bibtexparser
import feedparser
import jsonschema
import pytest
import rispy
from conftest import ROOT
from pybtex.database import parse_string
from pylatexenc.latex2text import LatexNodes2Text

from generator.catalogue.model import Catalogue, Paper, Topic
from generator.exports import feeds
from generator.exports import papers as exports
from generator.render import cite, pagemeta

URL = "https://example.org/papers/"
AUTHORS = ("Łukasz Kaiser", "Léon Bottou", "Müller, Jürgen", "José María García-López")


def make(pid: str, **fields) -> Paper:
    base = {"id": pid, "title": f"Paper {pid}", "abstract": "", "topics": ("t",),
            "added": dt.date(2026, 1, 1)}  # fmt: skip
    return Paper(**(base | fields))


JOURNAL = make("journal", title="Gradient-Based Learning Applied to Document Recognition",
               abstract="Networks read digits.", authors=AUTHORS, year=1998,
               venue="Proceedings of the IEEE", doi="10.1109/5.726791")  # fmt: skip
CONFERENCE = make("conference", title="Attention Is All You Need", abstract="Attention.",
                  authors=AUTHORS[:2], year=2017, venue="NeurIPS 2017", arxiv="1706.03762",
                  doi="10.5555/3295222.3295349")  # fmt: skip
PREPRINT = make("preprint", title="Adam: A Method for Stochastic Optimization",
                authors=("Diederik P. Kingma", "Jimmy Ba"), year=2014,
                venue="arXiv preprint arXiv:1412.6980", arxiv="1412.6980")  # fmt: skip
OLD_ARXIV = make("old-arxiv", arxiv="hep-th/9901001", year=1999)
OTHER = make("other", venue="The Lab Blog", year=2020, links={"url": "https://lab.example/p"})
NONE = make("none")
ALL = (JOURNAL, CONFERENCE, PREPRINT, OLD_ARXIV, OTHER, NONE)
CATALOGUE = Catalogue(papers=ALL, topics=(Topic("t", "Topic & co", "d"),))


def bib(paper: Paper) -> tuple[str, dict[str, str], str]:
    """(entry type, fields, raw text) of a paper's BibTeX, checked by both parsers."""
    text = cite.paper_bibtex(paper, URL + paper.id + "/", ["Topic & co"])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1, text
    entry = library.entries[0]
    assert parse_string(text, "bibtex").entries[paper.id]  # pybtex reads it too
    return entry.entry_type, {f.key: f.value for f in entry.fields}, text


@pytest.mark.parametrize(
    ("paper", "entry_type", "venue_field"),
    [
        (JOURNAL, "article", "journal"),
        (CONFERENCE, "inproceedings", "booktitle"),
        (PREPRINT, "misc", None),
        (OLD_ARXIV, "misc", None),
        (OTHER, "misc", "howpublished"),
        (NONE, "misc", None),
    ],
)
def test_bibtex_entry_type_follows_the_venue(paper, entry_type, venue_field):
    kind, fields, _ = bib(paper)
    assert kind == entry_type
    venue_fields = {"journal", "booktitle", "howpublished"} & set(fields)
    assert venue_fields == ({venue_field} if venue_field else set())
    if venue_field:
        assert fields[venue_field] == paper.venue


def test_bibtex_authors_year_doi_url_and_eprint():
    _, fields, text = bib(JOURNAL)
    entry = parse_string(text, "bibtex").entries["journal"]
    decode = LatexNodes2Text().latex_to_text
    names = [decode(str(p)) for p in entry.persons["author"]]
    assert names == ["Kaiser, Łukasz", "Bottou, Léon", "Müller, Jürgen", "García-López, José María"]
    assert " and " in fields["author"]
    assert fields["year"] == "1998" and fields["doi"] == "10.1109/5.726791"
    assert fields["url"] == "https://doi.org/10.1109/5.726791"  # the paper's own address
    assert fields["abstract"] == "Networks read digits."
    _, fields, _ = bib(CONFERENCE)
    assert fields["eprint"] == "1706.03762" and fields["archivePrefix"] == "arXiv"
    assert "primaryClass" not in fields  # a new-style id does not name its category
    assert fields["url"] == "https://arxiv.org/abs/1706.03762"
    assert bib(OLD_ARXIV)[1]["primaryClass"] == "hep-th"
    assert bib(OTHER)[1]["url"] == "https://lab.example/p"
    _, fields, _ = bib(NONE)
    assert fields["url"] == URL + "none/"  # nothing else known: the catalogue page
    assert not {"author", "year", "doi", "eprint", "abstract"} & set(fields)


def ris(paper: Paper) -> dict:
    text = cite.paper_ris(paper, URL + paper.id + "/", ["Topic & co"])
    [record] = rispy.loads(text)
    return record


def test_ris_types_and_fields():
    record = ris(JOURNAL)
    assert record["type_of_reference"] == "JOUR"
    assert record["authors"] == list(AUTHORS)
    assert record["year"] == "1998" and record["doi"] == "10.1109/5.726791"
    assert record["journal_name"] == record["secondary_title"] == "Proceedings of the IEEE"
    assert record["urls"] == ["https://doi.org/10.1109/5.726791", URL + "journal/"]
    record = ris(CONFERENCE)
    assert record["type_of_reference"] == "CONF" and record["secondary_title"] == "NeurIPS 2017"
    assert "journal_name" not in record
    assert record["notes"] == ["arXiv:1706.03762"]
    assert ris(PREPRINT)["type_of_reference"] == "GEN"
    bare = ris(NONE)
    assert bare["type_of_reference"] == "GEN" and bare["urls"] == [URL + "none/"]
    assert not {"authors", "year", "doi", "abstract"} & set(bare)


def test_csl_json_types_and_fields():
    item = cite.paper_csl(JOURNAL, URL, [])
    assert item["type"] == "article-journal"
    assert item["author"][0] == {"family": "Kaiser", "given": "Łukasz"}
    assert item["author"][3] == {"family": "García-López", "given": "José María"}
    assert item["issued"] == {"date-parts": [[1998]]}
    assert item["container-title"] == "Proceedings of the IEEE"
    assert item["DOI"] == "10.1109/5.726791" and item["URL"] == "https://doi.org/10.1109/5.726791"
    assert cite.paper_csl(CONFERENCE, URL, [])["type"] == "paper-conference"
    preprint = cite.paper_csl(PREPRINT, URL, [])
    assert preprint["type"] == "article" and preprint["publisher"] == "arXiv"
    assert preprint["number"] == "arXiv:1412.6980" and "container-title" not in preprint
    bare = cite.paper_csl(NONE, URL, [])
    assert bare["type"] == "article" and bare["URL"] == URL and "abstract" not in bare
    json.loads(cite.csl_json([cite.paper_csl(p, URL, []) for p in ALL]))


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        assert tag == "meta", tag
        (attr, name), (content_attr, content) = attrs
        assert content_attr == "content"
        self.tags.append((attr, name, content))


def parse_meta(markup: str) -> list[tuple[str, str, str]]:
    parser = _Meta()
    parser.feed(markup)
    parser.close()
    return parser.tags


def meta(paper: Paper) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for _, name, content in parse_meta(pagemeta.paper_head(CATALOGUE, paper, "d")["meta"]):
        out.setdefault(name, []).append(content)
    return out


def test_meta_tags_escape_every_value():
    """The head tags are written as HTML by the generator: hostile values stay text."""
    hostile = ["name", 'x" onload="alert(1)', '"><script>alert(1)</script> & <b>']
    markup = pagemeta.meta_tags([["property", "og:title", "A & B"], hostile])
    assert "<script" not in markup and 'onload="' not in markup
    assert parse_meta(markup) == [("property", "og:title", "A & B"), tuple(hostile)]


def test_highwire_tags():
    tags = meta(JOURNAL)
    assert tags["citation_author"] == list(AUTHORS)
    assert tags["citation_publication_date"] == ["1998"]
    assert tags["citation_journal_title"] == ["Proceedings of the IEEE"]
    assert tags["citation_doi"] == ["10.1109/5.726791"]
    assert "citation_conference_title" not in tags and "citation_arxiv_id" not in tags
    tags = meta(CONFERENCE)
    assert tags["citation_conference_title"] == ["NeurIPS 2017"]
    assert tags["citation_arxiv_id"] == ["1706.03762"]
    assert tags["citation_pdf_url"] == ["https://arxiv.org/pdf/1706.03762"]
    tags = meta(PREPRINT)  # a preprint server is no journal or conference
    assert "citation_journal_title" not in tags and "citation_conference_title" not in tags
    tags = meta(NONE)
    assert {n for n in tags if n.startswith("citation_")} == {
        "citation_title", "citation_abstract_html_url", "citation_keywords"
    }  # fmt: skip


def test_papers_json_records_match_the_schema():
    data = json.loads(exports.papers_json(CATALOGUE))
    schema = json.loads((ROOT / "content/schema/papers-json.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    records = {p["id"]: p for p in data["papers"]}
    assert records["journal"]["venue_type"] == "journal"
    assert records["journal"]["read_url"] == "https://doi.org/10.1109/5.726791"
    assert records["journal"]["authors"] == list(AUTHORS)
    assert records["conference"]["venue_type"] == "conference"
    assert records["preprint"]["venue_type"] == "preprint"
    assert records["old-arxiv"]["venue_type"] is None  # no venue: the field is about it
    assert (records["none"]["abstract"], records["none"]["read_url"]) == ("", None)


def test_paper_schema_describes_every_field():
    schema = json.loads((ROOT / "content/schema/paper.schema.json").read_text("utf-8"))
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name
        for sub, sub_prop in prop.get("properties", {}).items():
            assert sub_prop.get("description"), f"{name}.{sub}"
    papers_schema = json.loads((ROOT / "content/schema/papers-json.schema.json").read_text("utf-8"))
    for name, prop in papers_schema["$defs"]["paper"]["properties"].items():
        assert prop.get("description"), name


def test_feed_entries_carry_authors_and_skip_a_missing_abstract():
    feed = feedparser.parse(
        feeds.atom(CATALOGUE, ALL, path="feed.xml", title="t", subtitle="s", page="")
    )
    assert not feed.bozo
    entries = {e.link.rstrip("/").rsplit("/", 1)[1]: e for e in feed.entries}
    assert [a.name for a in entries["journal"].authors] == list(AUTHORS)
    assert entries["journal"].summary == "Networks read digits."
    assert "summary" not in entries["none"]
