"""``enrich``: fill missing metadata of catalogue papers from the arXiv API.

A paper is looked up by its arXiv id (``id_list=``) when it has one, else by title
(``search_query=ti:"..."``), and a result is taken only when its title matches the
paper's (see ``arxiv.normalise``). Only missing fields are filled: arXiv id, authors,
year, DOI, venue (arXiv's journal reference) and the abstract where there is none.
Curated fields (title, an existing abstract, topics, related, added) never change.

Every lookup is done before any file is written: if the service is unreachable or
keeps failing half-way, no file changes, so a run is all or nothing and can simply be
repeated (answers already received are in the HTTP cache).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.catalogue import fields
from generator.catalogue.load import load_tree
from generator.catalogue.model import ContentError, Paper, Record
from generator.catalogue.validate import validate
from generator.catalogue.yamlio import dump_paper, write_atomic
from generator.sources.arxiv import Client, Entry, strip_version

FILLED_ORDER = ("arxiv", "authors", "year", "doi", "venue", "abstract")


@dataclass(frozen=True)
class Change:
    """The fields filled in one paper file."""

    paper_id: str
    path: str
    filled: tuple[str, ...]


@dataclass
class Plan:
    """What a run found: new file texts, what changed, and what was not found."""

    texts: dict[Path, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    looked_up: int = 0


def wanted(papers: Iterable[Paper], ids: Iterable[str] = ()) -> list[Paper]:
    """Papers to look up: the given ids, else every paper without an arXiv id or authors."""
    by_id = {p.id: p for p in papers}
    chosen = list(ids)
    unknown = [i for i in chosen if i not in by_id]
    if unknown:
        raise KeyError(", ".join(f"'{i}'" for i in unknown))
    if chosen:
        return [by_id[i] for i in dict.fromkeys(chosen)]
    return [p for p in by_id.values() if not p.arxiv or not p.authors]


def _missing(data: Mapping[str, object], key: str) -> bool:
    return data.get(key) in (None, "", [], ())


def fill(
    data: Mapping[str, object], entry: Entry, taken: Mapping[str, str] | None = None
) -> tuple[dict[str, object], list[str], list[str]]:
    """``data`` with the fields it lacks taken from ``entry``: (new data, filled, notes).

    ``taken`` maps arXiv ids and DOIs (lowercase) of other papers to their files, so an
    identifier is never given to a second paper. Values that would not pass the
    paper checks are left out rather than written.
    """
    taken = taken or {}
    out = dict(data)
    filled: list[str] = []
    notes: list[str] = []
    doi = entry.doi.split()[0] if entry.doi else ""
    offers: dict[str, object] = {
        "arxiv": (entry.arxiv, fields.arxiv),
        "authors": (list(entry.authors), fields.name_list),
        "year": (entry.year, fields.year),
        "doi": (doi, fields.doi),
        "venue": (entry.journal_ref, fields.short_text),
        "abstract": (entry.abstract, fields.abstract),
    }
    for key in FILLED_ORDER:
        value, check = offers[key]  # type: ignore[misc]
        if not value or not _missing(out, key):
            continue
        clean, message = check(value)
        if message:
            notes.append(f"{key} from arXiv not used: {message}")
            continue
        owner = taken.get(str(clean).lower()) if key in ("arxiv", "doi") else None
        if owner:
            notes.append(f"{key} {clean} from arXiv not used: it belongs to {owner}")
            continue
        out[key] = list(clean) if isinstance(clean, tuple) else clean
        filled.append(key)
    return out, filled, notes


def _identifiers(papers: Iterable[Paper]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for paper in papers:
        if paper.arxiv:
            ids[strip_version(paper.arxiv).lower()] = paper.source
        if paper.doi:
            ids[paper.doi.lower()] = paper.source
    return ids


def plan(
    content: Path,
    client: Client,
    ids: Iterable[str] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> Plan:
    """Look every chosen paper up and work out the new file texts (nothing is written).

    Raises ContentError if the catalogue has errors (fix them first) or if the filled
    catalogue would not pass the checks, KeyError for unknown ids, and ArxivError
    when the service cannot answer.
    """
    records, topic_records, problems = load_tree(content)
    papers, _topics, found = validate(records, topic_records)
    errors = [p for p in problems + found if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    by_source: dict[str, Record] = {r.path: r for r in records}
    taken = _identifiers(papers)
    result = Plan()
    new_records = dict(by_source)
    for paper in wanted(papers, ids):
        progress(paper.id)
        entry = client.match(paper.title, paper.arxiv)
        result.looked_up += 1
        if entry is None:
            result.unmatched.append(paper.source)
            continue
        record = by_source[paper.source]
        others = {k: v for k, v in taken.items() if v != paper.source}
        data, filled, notes = fill(record.data, entry, others)
        result.notes += [f"{paper.source}: {n}" for n in notes]
        if not filled:
            continue
        for key in ("arxiv", "doi"):
            if key in filled:
                taken[str(data[key]).lower()] = paper.source
        text = dump_paper(data)
        result.texts[content / "papers" / f"{paper.id}.yml"] = text
        result.changes.append(Change(paper.id, paper.source, tuple(filled)))
        new_records[paper.source] = Record(paper.source, data, record.lines)
    if result.changes:
        _, _, after = validate(list(new_records.values()), topic_records)
        blocking = [p for p in after if p.severity == "error"]
        if blocking:
            raise ContentError(blocking)
    return result


def write(result: Plan) -> list[Path]:
    """Write the planned files (each atomically); return those that changed."""
    return [path for path, text in result.texts.items() if write_atomic(path, text)]


def summary_markdown(result: Plan) -> str:
    """The run as Markdown: a table of papers and fields filled (the PR body in CI)."""
    lines = [f"`papercat enrich` looked up {result.looked_up} papers on arXiv.", ""]
    if result.changes:
        lines += ["| paper | fields filled |", "| --- | --- |"]
        lines += [f"| `{c.path}` | {', '.join(c.filled)} |" for c in result.changes]
    else:
        lines.append("No paper changed.")
    if result.unmatched:
        lines += ["", f"No title match on arXiv for {len(result.unmatched)} papers:", ""]
        lines += [f"- `{path}`" for path in result.unmatched]
    if result.notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
