"""Stage 7: machine-readable exports at the site root.

``papers.json`` holds every paper with every field (dates as ISO strings, keys in
a fixed order) plus its topics' names and its related papers, so other tools can
reuse the catalogue without parsing YAML. Its JSON Schema is
``content/schema/papers-json.schema.json``, published beside it as
``papers.schema.json``; bump ``SCHEMA_VERSION`` on any incompatible change.
``papers.bib`` has one BibTeX entry per paper (key = paper id), and ``feed.xml``
plus ``topics/<id>/feed.xml`` are Atom feeds of the newest additions.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.catalogue.memo import Memo
from generator.catalogue.model import Catalogue, Paper
from generator.exports import feeds
from generator.render import cite, readlinks, venues
from generator.render.siteinfo import paper_url

SCHEMA = Path(__file__).resolve().parents[2] / "content" / "schema" / "papers-json.schema.json"

SCHEMA_VERSION = 1


def paper_record(catalogue: Catalogue, paper: Paper) -> dict[str, object]:
    """One paper as a JSON-ready mapping; missing optional fields are null or empty."""
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "venue_type": venues.venue_kind(paper.venue),
        "arxiv": paper.arxiv,
        "doi": paper.doi,
        "links": dict(sorted(paper.links.items())),
        "read_url": readlinks.main_link(paper) or None,
        "topics": list(paper.topics),
        "related": [r.id for r in catalogue.related.get(paper.id, ())],
        "versions": list(catalogue.versions.get(paper.id, ())),
        "version_of": paper.version_of,
        "duplicate_of": paper.duplicate_of,
        "added": paper.added.isoformat(),
        "url": f"papers/{paper.id}/",
    }


def papers_json(catalogue: Catalogue) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "topics": [
            {"id": t.id, "name": t.name, "description": t.description, "parent": t.parent}
            for t in catalogue.topics
        ],
        "papers": [paper_record(catalogue, p) for p in catalogue.papers],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def papers_bib(catalogue: Catalogue, memo: Memo | None = None) -> str:
    """Every paper as one BibTeX entry, keyed by id, in id order."""
    memo = memo or Memo()

    def entry(p: Paper) -> str:
        args = (p, paper_url(p.id), catalogue.topic_names(p))
        return memo.get(
            "bib-entry", args, lambda: cite.bibtex([(cite.bib_key(p), cite.bib_entry(*args))])
        )

    # pybtex separates entries with one blank line: the same text as one bibtex() call.
    return "\n".join(map(entry, catalogue.papers)) if catalogue.papers else cite.bibtex([])


def write(catalogue: Catalogue, out: Path) -> None:
    """Write the exports but papers.bib (``write_bib``) into the staging folder ``out``."""
    (out / "papers.json").write_text(papers_json(catalogue), encoding="utf-8")
    (out / "papers.schema.json").write_bytes(SCHEMA.read_bytes())
    feeds.write_feeds(catalogue, out)


def write_bib(catalogue: Catalogue, out: Path, memo: Memo | None = None) -> None:
    """papers.bib into ``out``. It needs neither related papers nor pages, so the build
    makes it in the forked child beside the search index and the map."""
    (out / "papers.bib").write_text(papers_bib(catalogue, memo), encoding="utf-8")
