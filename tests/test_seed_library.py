"""The seed catalogue's bibliographic facts and their evidence (content/library/seed.bib).

Every fact in a seed paper's file (arXiv id, authors, year, venue, DOI) came from the
library file, whose ``note`` names the pages it was read from. These tests keep the two
in step and the data sane: re-importing the file changes nothing, every fact has a
source, ids are well formed and unique, and no year is earlier than its arXiv id allows.
"""

from __future__ import annotations

import re
import shutil

import pytest

from generator.catalogue.load import load_tree
from generator.catalogue.validate import validate
from generator.sources.importers import commands, library
from tests.conftest import ROOT

CONTENT = ROOT / "content"
SEED_BIB = CONTENT / "library" / "seed.bib"
# Facts nobody could find on a page (the look-ups are described in the entry's note);
# they stay empty rather than guessed. Remove a paper from here once its file has them.
NO_AUTHORS = {
    "coverage-capacity-scaling-laws-downlink",
    "edwaas",
    "knowledge-representation-approach-automated-mathematical",
}
NO_YEAR: set[str] = set()
NEW_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")


@pytest.fixture(scope="module")
def papers():
    records, topic_records, problems = load_tree(CONTENT)
    found, _, more = validate(records, topic_records)
    assert not [p for p in problems + more if p.severity == "error"]
    return {p.id: p for p in found}


@pytest.fixture(scope="module")
def entries():
    parsed = library.read_library(SEED_BIB, "content/library/seed.bib")
    assert not parsed.skipped, [str(s) for s in parsed.skipped]
    return {e.label: e for e in parsed.entries}


def test_one_entry_per_seed_paper(papers, entries):
    assert set(entries) == set(papers)


def test_every_paper_has_authors_and_a_year_except_the_documented_gaps(papers):
    assert {p.id for p in papers.values() if not p.authors} == NO_AUTHORS
    assert {p.id for p in papers.values() if not p.year} == NO_YEAR


def test_almost_every_paper_has_an_arxiv_id_and_every_paper_a_way_to_it(papers):
    assert sum(1 for p in papers.values() if p.arxiv) >= 185
    without = [p.id for p in papers.values() if not (p.arxiv or p.doi or p.links.get("pdf"))]
    assert len(without) <= 4, without


def test_arxiv_ids_are_well_formed_and_unique(papers):
    ids = [p.arxiv for p in papers.values() if p.arxiv]
    assert all(NEW_ID.match(i) for i in ids), [i for i in ids if not NEW_ID.match(i)]
    assert len(ids) == len(set(ids))


def test_no_year_is_earlier_than_the_arxiv_id_allows(papers):
    """An id's yymm is the month its first version was announced; a paper submitted in
    the last days of December is announced in January, so a January id allows the
    year before."""
    for paper in papers.values():
        match = NEW_ID.match(paper.arxiv or "")
        if not (match and paper.year):
            continue
        year, month = 2000 + int(match[1]), int(match[2])
        earliest = year - 1 if month == 1 else year
        assert paper.year >= earliest, (paper.id, paper.arxiv, paper.year)


def test_the_library_and_the_paper_files_agree(papers, entries):
    for pid, entry in entries.items():
        paper, data = papers[pid], entry.data
        assert list(paper.authors) == list(data.get("authors", [])), pid
        assert paper.year == data.get("year"), pid
        assert paper.venue == data.get("venue"), pid
        assert paper.arxiv == data.get("arxiv"), pid
        assert paper.doi == data.get("doi"), pid


def test_every_fact_names_its_source(entries):
    text = SEED_BIB.read_text(encoding="utf-8")
    blocks = {m[1]: m[2] for m in re.finditer(r"^@\w+\{([^,]+),\n(.*?)^\}", text, re.M | re.S)}
    labels = {"arxiv": "arXiv id", "authors": "authors", "year": "year", "venue": "venue",
              "doi": "DOI"}  # fmt: skip
    for pid, entry in entries.items():
        note = re.search(r"^  note\s+= \{(.*)\},$", blocks[pid], re.M)[1]
        for field, label in labels.items():
            if entry.data.get(field):
                # a page, or for a year no page dated, the arXiv id (its yymm)
                cited = rf"\b{label}: (\\url\{{https?://|from the arXiv id {re.escape(str(entry.data.get('arxiv')))} )"
                assert re.search(cited, note), (pid, field)


def test_reimporting_the_library_changes_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    plan, _warnings = commands.run_import([content / "library" / "seed.bib"], content)
    assert not plan.skipped, [str(s) for s in plan.skipped]
    assert not plan.files, sorted(plan.files)
    assert {o.kind for o in plan.outcomes} == {"unchanged"}
    assert len(plan.outcomes) == len(list((content / "papers").glob("*.yml")))
