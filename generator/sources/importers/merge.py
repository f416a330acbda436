"""``import``: match library entries to the catalogue, merge or add them, then write.

Each entry is matched to a paper already in the catalogue (or imported earlier in the
same run) by arXiv id, then DOI, then normalised title. A match is enriched in place:
only fields it lacks are added, and curated fields (title, abstract, topics, related,
added) are never overwritten. Anything else becomes a new file with a free id from
its title and suggested topics. The whole planned catalogue is validated before the
first file is written; an entry whose file would not validate is skipped, and nothing
is written for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from generator.analysis.topics import Suggester
from generator.catalogue import fields
from generator.catalogue.load import display_path, load_mapping, load_sequence
from generator.catalogue.model import ContentError, Problem, Record
from generator.catalogue.slug import slugify, unique_id
from generator.catalogue.validate import normalise_title, validate
from generator.catalogue.yamlio import canonical, dump_paper, today, write_atomic
from generator.sources.importers.library import Entry, Skipped

SUGGESTED_TOPICS = 3
ENRICHED = ("authors", "year", "venue", "arxiv", "doi", "abstract")  # added only if missing
CHECKS: dict[str, Callable] = {
    "title": fields.title, "abstract": fields.abstract, "authors": fields.name_list,
    "venue": fields.short_text, "arxiv": fields.arxiv, "doi": fields.doi,
}  # fmt: skip


@dataclass
class Outcome:
    """What happened to one entry, for the summary."""

    entry: Entry
    kind: str  # "new", "merged", "unchanged"
    paper: str
    added: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Files to write (id -> data) and the story of every entry."""

    files: dict[str, dict] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)  # ids given the fallback topic


def _keys(data: dict) -> list[tuple[str, str]]:
    """The identities a paper is matched by, strongest first."""
    arxiv = re.sub(r"v\d+$", "", str(data.get("arxiv") or ""))
    doi = str(data.get("doi") or "").lower()
    title = normalise_title(str(data.get("title") or ""))
    return [(k, v) for k, v in (("arxiv", arxiv), ("doi", doi), ("title", title)) if v]


def clean_entry(entry: Entry) -> tuple[dict | None, list[str]]:
    """Entry fields that pass the validator's checks; a bad title skips the entry,
    another bad field is left out with a note."""
    data: dict[str, object] = {}
    notes = []
    for key, value in entry.data.items():
        check = CHECKS.get(key)
        clean, message = check(value) if check else (value, None)
        if message and key == "title":
            return None, [f"title: {message}; entry skipped"]
        if message:
            notes.append(f"{entry.where}: {key}: {message}; field left out")
            continue
        data[key] = list(clean) if isinstance(clean, tuple) else clean
    return data, notes


class Planner:
    """Holds the catalogue as it grows during one import, and its match index."""

    def __init__(self, existing: dict[str, dict], suggest, fallback_topic: str):
        self.papers = {pid: dict(d) for pid, d in existing.items()}
        self.taken = set(existing) | fields.RESERVED_IDS
        self.index: dict[tuple[str, str], str] = {}
        for pid in sorted(self.papers):
            self._index(pid)
        self.suggest = suggest
        self.fallback_topic = fallback_topic
        self.plan = Plan()

    def _index(self, pid: str) -> None:
        for key in _keys(self.papers[pid]):
            self.index.setdefault(key, pid)

    def match(self, data: dict) -> str | None:
        for key in _keys(data):
            if key in self.index:
                return self.index[key]
        return None

    def add(self, entry: Entry) -> None:
        data, notes = clean_entry(entry)
        if data is None:
            self.plan.skipped.append(Skipped(entry.path, entry.line, notes[0]))
            return
        self.plan.notes += notes
        pid = self.match(data)
        if pid is None:
            self._new(entry, data)
        else:
            self._merge(entry, pid, data)

    def _new(self, entry: Entry, data: dict) -> None:
        base = slugify(str(data["title"]))[: fields.MAX_ID - 4].strip("-") or "paper"
        pid = unique_id(base, self.taken)
        record = {**data, "topics": [], "added": today()}  # topics: see suggest_topics
        self.taken.add(pid)
        self.papers[pid] = self.plan.files[pid] = record
        self._index(pid)
        self.plan.outcomes.append(Outcome(entry, "new", pid))

    def _merge(self, entry: Entry, pid: str, data: dict) -> None:
        record = dict(self.papers[pid])
        added = []
        for key in ENRICHED:
            if record.get(key) or not data.get(key):
                continue
            if key in ("arxiv", "doi") and self.match({key: data[key]}) not in (None, pid):
                # The id belongs to another paper: the title match was a coincidence.
                self.plan.notes.append(
                    f"{entry.where}: {key} {data[key]} is already another paper's; not added"
                )
                continue
            record[key] = data[key]
            added.append(key)
        links = dict(record.get("links") or {})
        for kind, url in (data.get("links") or {}).items():
            if kind not in links and url not in links.values():
                links[kind] = url
                added.append(f"links.{kind}")
        if links:
            record["links"] = links
        if added:
            self.papers[pid] = self.plan.files[pid] = record
            self._index(pid)
        self.plan.outcomes.append(Outcome(entry, "merged" if added else "unchanged", pid, added))

    def suggest_topics(self, progress: bool = False) -> None:
        """Suggested topics for every new paper, once all entries are matched;
        a paper with no suggestion gets the fallback topic."""
        new = [o.paper for o in self.plan.outcomes if o.kind == "new"]
        items = [
            (str(self.papers[p]["title"]), str(self.papers[p].get("abstract", ""))) for p in new
        ]
        suggested: list = []
        with tqdm(total=len(items), desc="topics", unit="paper", disable=not progress,
                  leave=False) as bar:  # fmt: skip
            for start in range(0, len(items), 500):
                suggested += self.suggest(items[start : start + 500])
                bar.update(len(items[start : start + 500]))
        for pid, suggestions in zip(new, suggested, strict=True):
            topics = [s.topic for s in suggestions]
            if not topics:
                topics = [self.fallback_topic]
                self.plan.fallback.append(pid)
            self.papers[pid]["topics"] = topics


def most_used_topic(papers: Iterable[dict], topic_ids: list[str]) -> str:
    """The catalogue's most used topic (first by id on a tie, or with no papers)."""
    counts = Counter(t for p in papers for t in (p.get("topics") or []) if t in topic_ids)
    return min(topic_ids, key=lambda t: (-counts[t], t))


def load_catalogue(content: Path) -> tuple[dict[str, dict], dict[str, Record], list[Record]]:
    """Paper data by id, their records, and topic records; raises ContentError if a file
    cannot be read at all (a file that merely has problems is fine)."""
    root = content.parent
    data, records, problems = {}, {}, []
    for path in sorted((content / "papers").glob("*.yml")):
        record, found = load_mapping(path, root)
        problems += found
        if record is not None:
            data[path.stem], records[path.stem] = dict(record.data), record
    topic_records, found = load_sequence(content / "topics.yml", root)
    if problems or found or not topic_records:
        raise ContentError(
            problems + found
            or [Problem(display_path(content / "topics.yml", root), 1, "topics", "no topics")]
        )
    return data, records, topic_records


def check_plan(
    content: Path, plan: Plan, records: dict[str, Record], topic_records
) -> list[Problem]:
    """Validate the catalogue as it would be on disk; drop planned files with errors
    (their entries become skipped). Returns the warnings on planned files."""
    root = content.parent
    source = {o.paper: o.entry for o in plan.outcomes if o.kind in ("new", "merged")}
    while True:
        planned = dict(records)
        shown = {}
        for pid, data in plan.files.items():
            # The data as it will be loaded back (dump_paper round-trips exactly, see
            # tests/test_pure.py), without the cost of writing and parsing YAML. Lines
            # are exact up to the first multi-line value (title is always line 2).
            shown[pid] = display_path(content / "papers" / f"{pid}.yml", root)
            data = canonical(data)
            lines = {key: n for n, key in enumerate(data, start=2)} | {"": 1}
            planned[pid] = Record(shown[pid], data, lines)
        _, _, problems = validate(list(planned.values()), topic_records)
        by_path = {v: k for k, v in shown.items()}
        bad = {by_path[p.path]: p for p in problems if p.path in by_path and p.severity == "error"}
        if not bad:
            return [p for p in problems if p.path in by_path]
        for pid, problem in sorted(bad.items()):
            entry = source[pid]
            plan.skipped.append(
                Skipped(
                    entry.path, entry.line, f"{problem.field}: {problem.message}; entry skipped"
                )
            )
            del plan.files[pid]
            plan.outcomes = [o for o in plan.outcomes if o.paper != pid]


def write_plan(content: Path, plan: Plan) -> list[str]:
    """Write every planned file atomically (canonical text); returns the ids changed."""
    return [
        pid for pid in sorted(plan.files)
        if write_atomic(content / "papers" / f"{pid}.yml", dump_paper(plan.files[pid]))
    ]  # fmt: skip


def make_suggester(papers, topics) -> Callable[[list[tuple[str, str]]], list]:
    """The existing topic suggester, limited to its top suggestions, for many papers."""
    suggester = Suggester(topics, papers)
    return lambda items: suggester.suggest_many(items, limit=SUGGESTED_TOPICS)
