"""``new``: scaffold ``content/papers/<id>.yml`` from a title, a BibTeX entry or an arXiv id.

The new file gets a free id, today's ``added`` date and suggested topics (each shown
with its reason), and is checked against the whole catalogue before and after it is
written. A file that already exists is never overwritten, and input that is wrong
rather than incomplete (a bad DOI in the BibTeX, a paper already in the catalogue)
writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis.topics import Suggester
from generator.catalogue import fields
from generator.catalogue.load import display_path, load_tree, parse_mapping
from generator.catalogue.model import Paper, Problem, Record, Suggestion
from generator.catalogue.slug import slugify, unique_id
from generator.catalogue.validate import normalise_title, validate
from generator.catalogue.yamlio import dump_paper, today
from generator.sources.arxiv import ArxivError, Client, cache_dir
from generator.sources.importers import library as bib

SUGGESTED_TOPICS = 3
FETCH_TIMEOUT = 10.0
MISSING = "required field is missing"


class ScaffoldError(ValueError):
    """Input that cannot make a paper file (a usage error, exit status 2)."""


@dataclass
class Draft:
    """What ``new`` plans to write, and what it learnt on the way."""

    data: dict[str, object]
    suggestions: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def from_bibtex(text: str) -> dict[str, object]:
    """Fields of the single entry in a BibTeX text (the importer's BibTeX mapping)."""
    library = bib.load_bibtex(text)
    if library.failed_blocks:
        raise ScaffoldError(f"cannot parse the BibTeX: {library.failed_blocks[0].error}")
    if len(library.entries) != 1:
        raise ScaffoldError(f"expected one BibTeX entry, found {len(library.entries)}")
    return bib.bib_fields(library.entries[0])


def fetch_arxiv(arxiv_id: str, timeout: float = FETCH_TIMEOUT) -> dict[str, object]:
    """Title, abstract, authors and year from the arXiv API (the same polite client as
    ``enrich``); raises OSError when arXiv cannot answer or has no such paper."""
    client = Client(delay=0, timeout=timeout, cache=cache_dir())
    try:
        entry = client.by_id(arxiv_id)
    except ArxivError as exc:
        raise OSError(str(exc)) from None
    if entry is None or not entry.title:
        raise OSError("arXiv has no paper with this id")
    data: dict[str, object] = {"title": entry.title}
    if entry.abstract:
        data["abstract"] = entry.abstract
    if entry.authors:
        data["authors"] = list(entry.authors)
    if entry.year:
        data["year"] = entry.year
    return data


def plan(
    content: Path,
    *,
    title: str | None = None,
    abstract: str | None = None,
    bibtex: str | None = None,
    arxiv: str | None = None,
    fetch: bool = False,
    paper_id: str | None = None,
) -> tuple[Draft, str]:
    """Decide the file's data and id; raises ScaffoldError for unusable input."""
    data: dict[str, object] = from_bibtex(bibtex) if bibtex is not None else {}
    notes: list[str] = []
    if arxiv is not None:
        clean, message = fields.arxiv(arxiv)
        if message:
            raise ScaffoldError(f"--arxiv: {message}")
        data["arxiv"] = clean
    if fetch and data.get("arxiv"):
        try:
            for key, value in fetch_arxiv(str(data["arxiv"])).items():
                data.setdefault(key, value)
        except (OSError, ValueError) as exc:  # URLError and timeouts are OSErrors
            notes.append(f"could not fetch arXiv metadata ({exc}); fill in the fields by hand")
    if title:
        data["title"] = " ".join(title.split())
    if abstract:
        data["abstract"] = abstract.strip()
    if not any(data.get(k) for k in ("title", "arxiv")):
        raise ScaffoldError("give --title, --bibtex or --arxiv")
    taken = {p.stem for p in (content / "papers").glob("*.yml")} | fields.RESERVED_IDS
    if paper_id:
        message = fields.check_id(paper_id)
        if message:
            raise ScaffoldError(f"--id: {message}")
        if paper_id in taken:
            raise ScaffoldError(
                f"content/papers/{paper_id}.yml already exists; choose another --id"
            )
        new_id = paper_id
    elif data.get("title"):
        new_id = unique_id(slugify(str(data["title"]))[: fields.MAX_ID].strip("-"), taken)
    else:
        new_id = unique_id("arxiv-" + re.sub(r"[^a-z0-9]+", "-", str(data["arxiv"]).lower()), taken)
        notes.append("no title yet: rename the file to a short id once you know the title")
    draft = Draft(data, notes=notes)
    data["added"] = today()
    if data.get("title"):
        records, topic_records, _ = load_tree(content)
        papers, topics, _ = validate(records, topic_records)
        suggester = Suggester(topics, papers)
        draft.suggestions = suggester.suggest(str(data["title"]), str(data.get("abstract", "")),
                                              limit=SUGGESTED_TOPICS)  # fmt: skip
        data["topics"] = [s.topic for s in draft.suggestions]
    return draft, new_id


def already_there(record: Record, papers: Iterable[Paper]) -> list[Problem]:
    """The draft's arXiv id, DOI or title already in the catalogue.

    ``check`` compares only papers that are otherwise valid; a scaffold still missing
    its abstract must be caught too, before it is written.
    """
    data = record.data
    keys = {
        "arxiv": re.sub(r"v\d+$", "", str(data.get("arxiv") or "")),
        "doi": str(data.get("doi") or "").lower(),
        "title": normalise_title(str(data.get("title") or "")),
    }
    problems = []
    for paper in papers:
        theirs = {
            "arxiv": re.sub(r"v\d+$", "", paper.arxiv or ""),
            "doi": (paper.doi or "").lower(),
            "title": normalise_title(paper.title),
        }
        for key, value in keys.items():
            if value and value == theirs[key]:
                problems.append(
                    Problem(record.path, record.line(key), key, f"same {key} as {paper.source}")
                )
    return problems


def check_draft(content: Path, new_id: str, text: str) -> list[Problem]:
    """Problems of the new file as if it were in the catalogue (only its own)."""
    root = content.parent
    shown = display_path(content / "papers" / f"{new_id}.yml", root)
    record, problems = parse_mapping(text, shown)
    records, topic_records, _ = load_tree(content)
    papers, _, _ = validate(records, topic_records)
    if record is not None:
        records = [r for r in records if r.path != shown] + [record]
        problems += already_there(record, papers)
    _, _, found = validate(records, topic_records)
    return sorted(set(problems + [p for p in found if p.path == shown]))


def blocking(problems: list[Problem]) -> list[Problem]:
    """Errors that mean the input is wrong, not merely incomplete: nothing is written."""
    return [p for p in problems if p.severity == "error" and p.message != MISSING]


def render(draft: Draft) -> str:
    """The new file's canonical text."""
    return dump_paper(draft.data)
