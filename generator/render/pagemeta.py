"""What goes into a page's <head>: citation (Highwire), OpenGraph and Twitter tags,
and rel=alternate links. Templates write it into the front matter key ``pc_head``:
the ``<meta>`` tags as one string of HTML, made here with every value escaped (one
YAML string costs MkDocs half of what the same tags as lists of strings cost,
on every page), the feeds as [title, path] pairs HTML-escaped by the ``fm`` filter,
since their paths are made relative to each page by the theme.
``overrides/partials/pc-head-meta.html`` prints both.

Highwire tags are what Google Scholar reads: ``citation_title`` always, the others
(authors, date, PDF, arXiv id, DOI, venue) only when the catalogue knows them. The
venue is ``citation_journal_title`` or ``citation_conference_title`` by its kind
(``venues.py``); a venue of unknown kind or a preprint server gets neither.
"""

from __future__ import annotations

import html

from markupsafe import Markup

from generator.catalogue.model import Catalogue, Paper
from generator.render import readlinks, venues
from generator.render.siteinfo import paper_url

Tag = list[str]  # [attribute, name, content], e.g. ["name", "citation_title", "..."]


def pdf_url(paper: Paper) -> str | None:
    """The paper's PDF: its ``pdf`` link, else arXiv's PDF when the arXiv id is known."""
    if paper.links.get("pdf"):
        return paper.links["pdf"]
    return readlinks.arxiv_pdf(paper.arxiv) if paper.arxiv else None


_VENUE_TAGS = {"journal": "citation_journal_title", "conference": "citation_conference_title"}


def meta_tags(tags: list[Tag]) -> Markup:
    """The ``<meta>`` elements, one a line, every attribute value escaped."""
    return Markup("\n".join(
        f'<meta {attr}="{html.escape(name)}" content="{html.escape(content)}">'
        for attr, name, content in tags
    ))  # fmt: skip


def _social(title: str, description: str, kind: str) -> list[Tag]:
    return [
        ["property", "og:type", kind],
        ["property", "og:title", title],
        ["property", "og:description", description],
        # X reads og:title and og:description when its own tags are absent (its
        # card documentation), so they are not repeated on every page.
        ["name", "twitter:card", "summary"],
    ]


def paper_head(catalogue: Catalogue, paper: Paper, description: str) -> dict[str, object]:
    """Head tags of a paper page: Highwire citation_* tags, then OpenGraph and Twitter."""
    tags: list[Tag] = [["name", "citation_title", paper.title]]
    tags += [["name", "citation_author", name] for name in paper.authors]
    if paper.year:
        tags.append(["name", "citation_publication_date", str(paper.year)])
    venue_tag = _VENUE_TAGS.get(venues.venue_kind(paper.venue) or "")
    if paper.venue and venue_tag:
        tags.append(["name", venue_tag, paper.venue])
    if paper.doi:
        tags.append(["name", "citation_doi", paper.doi])
    if paper.arxiv:
        tags.append(["name", "citation_arxiv_id", paper.arxiv])
    pdf = pdf_url(paper)
    if pdf:
        tags.append(["name", "citation_pdf_url", pdf])
    tags.append(["name", "citation_abstract_html_url", paper_url(paper.id)])
    names = catalogue.topic_names(paper)
    tags.append(["name", "citation_keywords", "; ".join(names)])
    tags += _social(paper.title, description, "article")
    return {"meta": meta_tags(tags), "alternate": []}


def listing_head(title: str, description: str, feeds: list[list[str]] | None = None) -> dict:
    """Head tags of a generated listing page; ``feeds`` are [title, site-relative path]."""
    return {"meta": meta_tags(_social(title, description, "website")), "alternate": feeds or []}
