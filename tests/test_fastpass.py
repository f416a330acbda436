"""`papercat serve`'s fast pass renders every page an edit changes, and no other.

On a synthetic catalogue with authors, venues and years (and listings paged every 20
papers, so that pages shift), each edit is followed by a fast pass; the site it leaves
(the previous pages, with the fast pass's pages in and its removed pages out) must equal
a full render of the catalogue it made, page for page: render/affected.py missed
nothing. Related lists of the edited papers are chosen as a clean build chooses them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from bench.synth import make_catalogue
from generator.analysis import links
from generator.analysis.facets import facets
from generator.analysis.linkmodel import Model
from generator.catalogue.model import frozen_map
from generator.render.limits import Limits
from generator.render.pages import render_pages
from generator.site.fastpass import Served, Sources, fast_pass

MAP = ([], [])  # the map is the exact pass's; both renders get the same one
# Listings and facet indexes split into several pages at 160 papers, as at 100,000.
SMALL = Limits(listing_page=20, index_page=10)


def exact(sources: Sources) -> Served:
    """What a clean build makes of the sources (the exact pass's catalogue and model)."""
    sources.refresh()
    checked, problems = sources.check()
    assert checked is not None, problems
    related, vectors = links.related(checked.papers, checked.topics, keep=True)
    catalogue = dataclasses.replace(
        checked, related=frozen_map(related), versions=frozen_map(links.versions(checked.papers))
    )
    return Served.of(catalogue, Model.of(checked.papers, checked.topics, vectors))


@pytest.fixture
def catalogue(tmp_path):
    content = make_catalogue(160, tmp_path)
    return content, Sources(content)


def _edit(path: Path, **fields: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _check(served: Served, sources: Sources) -> tuple[Served, dict[str, str]]:
    """Run a fast pass; assert its site equals a full render; return the new state."""
    before = render_pages(served.catalogue, field_map=MAP, limits=SMALL)
    outcome = fast_pass(served, sources, SMALL)
    assert outcome.served is not None, outcome.problems
    assert outcome.covered is not None
    site = dict(before)
    for rel in [r for r in before if r in outcome.covered and r not in outcome.pages]:
        del site[rel]
    site.update(outcome.pages)
    full = render_pages(outcome.served.catalogue, field_map=MAP, limits=SMALL)
    assert sorted(site) == sorted(full)
    # The map (its points, titles and topic counts) waits for the exact pass.
    differ = [rel for rel in full if site[rel] != full[rel] and rel != "map/index.md"]
    assert not differ, f"pages the fast pass left stale: {differ[:5]}"
    assert len(outcome.pages) < len(full) / 3  # it rendered the edit's pages, not all
    # The facets it updated are those of the new catalogue, in the same order.
    found = facets(outcome.served.catalogue)
    assert list(found) == list(outcome.served.facets)
    for name, facet in found.items():
        kept = outcome.served.facets[name]
        assert list(kept.groups.items()) == list(facet.groups.items())
        assert kept.slugs == facet.slugs
    return outcome.served, outcome.pages


def test_fast_pass_renders_exactly_the_changed_pages(catalogue):
    content, sources = catalogue
    served = exact(sources)
    papers = sorted((content / "papers").glob("*.yml"))
    taxonomy = yaml.safe_load((content / "topics.yml").read_text())
    topics = [t["id"] for t in taxonomy]

    # An abstract: the paper's page only (and the pages that list every paper).
    _edit(papers[0], abstract="Edited abstract about mixture of experts routing.")
    served, pages = _check(served, sources)
    assert "Edited abstract about mixture" in pages[f"papers/{papers[0].stem}/index.md"]

    # Its related list shows what a clean build's shows for the same files (the other
    # papers' idf, kept as it was, moves the scores in the third digit only).
    def shown(s: Served) -> list[tuple[str, str]]:
        return [(r.id, r.reason) for r in s.catalogue.related[papers[0].stem]]

    assert shown(served) == shown(exact(Sources(content)))

    # A title, shown on the pages that list it or relate to it.
    _edit(papers[1], title="Zzz: a retitled paper")
    served, _ = _check(served, sources)
    # A topic moved: its old and new topics' listings (paged), the parent's count of it.
    moved = yaml.safe_load(papers[2].read_text(encoding="utf-8"))["topics"]
    other = next(t["id"] for t in taxonomy if t.get("parent") and t["id"] not in moved)
    _edit(papers[2], topics=[other])
    served, _ = _check(served, sources)
    # A second author from another paper: that author now has a page, linked from both.
    author = yaml.safe_load(papers[5].read_text(encoding="utf-8"))["authors"][0]
    _edit(papers[3], authors=[author], year=1999, venue="New Venue")
    served, pages = _check(served, sources)
    assert any(rel.startswith("authors/") for rel in pages)
    assert any(rel.startswith("years/1999/") for rel in pages)
    # Explicit links and versions, both ways.
    _edit(papers[4], related=[papers[6].stem], version_of=papers[7].stem)
    served, _ = _check(served, sources)
    # A new paper, and a deleted one that others list.
    (content / "papers" / "brand-new.yml").write_text(
        yaml.safe_dump({"title": "A brand new paper on routing", "abstract": "Routing experts.",
                        "authors": [author], "topics": [topics[0]], "added": "2026-12-01"}),
        encoding="utf-8",
    )  # fmt: skip
    served, pages = _check(served, sources)
    assert "papers/brand-new/index.md" in pages
    gone = papers[6].stem
    papers[6].unlink()
    _edit(papers[4], related=[])  # it named the deleted paper
    served, pages = _check(served, sources)
    assert f"papers/{gone}/index.md" not in pages
    assert all(gone not in {r.id for r in rel} for rel in served.catalogue.related.values())
    # A hand-written page.
    about = content / "pages" / "about.md"
    about.write_text("# About\n\nEdited while serving.\n", encoding="utf-8")
    _, pages = _check(served, sources)
    assert "Edited while serving." in pages["about.md"]


def test_a_broken_file_gives_file_line_problems_and_no_pages(catalogue):
    content, sources = catalogue
    served = exact(sources)
    paper = sorted((content / "papers").glob("*.yml"))[0]
    paper.write_text("title: [broken\n", encoding="utf-8")
    outcome = fast_pass(served, sources, SMALL)
    assert outcome.served is None and not outcome.pages
    assert any(
        str(p).startswith(f"content/papers/{paper.name}:2: file: invalid YAML")
        for p in outcome.problems
    )
    paper.write_text("title: Fine again\ntopics: [no-such-topic]\nadded: 2026-01-01\n")
    outcome = fast_pass(served, sources, SMALL)
    assert outcome.served is None
    assert any(
        str(p).startswith(f"content/papers/{paper.name}:2: topics: unknown topic 'no-such-topic'")
        for p in outcome.problems
    )


def test_a_taxonomy_change_is_left_to_the_exact_pass(catalogue):
    content, sources = catalogue
    served = exact(sources)
    topics = content / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("name: ", "name: X ", 1))
    outcome = fast_pass(served, sources, SMALL)
    assert outcome.exact_only and not outcome.pages and not outcome.problems
