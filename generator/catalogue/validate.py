"""Stage 2: raw records -> typed Papers and Topics, collecting every problem.

Nothing here raises for bad content: each check appends a Problem and goes on, so a
contributor sees all their mistakes in one run.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import PurePosixPath

from rapidfuzz import fuzz, process

from generator.catalogue import fields
from generator.catalogue.model import Paper, Problem, Record, Topic, frozen_map

PAPER_KEYS = (
    "title", "abstract", "authors", "year", "venue", "arxiv", "doi", "links",
    "topics", "related", "version_of", "duplicate_of", "added",
)  # fmt: skip
# An abstract is optional: real libraries often lack one (`enrich` can fill it later).
REQUIRED_PAPER_KEYS = ("title", "topics", "added")
TOPIC_KEYS = ("id", "name", "description", "parent", "keywords")
MAX_TOPICS = 5
NEAR_DUPLICATE = 92  # rapidfuzz ratio (0-100) above which two titles are flagged
BLOCK_WORDS = 3  # a title's rarest words that near-duplicates must share one of


def _unknown_keys(record: Record, allowed: tuple[str, ...], problems: list[Problem]) -> None:
    for key in record.data:
        if key not in allowed:
            hint = fields.did_you_mean(str(key), allowed)
            problems.append(
                Problem(record.path, record.line(key), str(key), f"unknown field{hint}")
            )


def _required(record: Record, keys: tuple[str, ...], problems: list[Problem]) -> bool:
    ok = True
    for key in keys:
        if record.data.get(key) in (None, "", []):
            problems.append(
                Problem(record.path, record.line(key), key, "required field is missing")
            )
            ok = False
    return ok


def validate_topics(records: list[Record]) -> tuple[tuple[Topic, ...], list[Problem]]:
    """Check the taxonomy: ids, names, parents exist, no cycles."""
    problems: list[Problem] = []
    topics: dict[str, Topic] = {}
    parents: dict[str, tuple[Record, str]] = {}
    for rec in records:
        _unknown_keys(rec, TOPIC_KEYS, problems)
        if not _required(rec, ("id", "name", "description"), problems):
            continue
        tid = str(rec.data["id"])
        message = fields.check_id(tid)
        if message:
            problems.append(Problem(rec.path, rec.line("id"), "id", message))
            continue
        if tid in topics:
            problems.append(Problem(rec.path, rec.line("id"), "id", f"duplicate topic id '{tid}'"))
            continue
        values = {}
        for key in ("name", "description"):
            values[key], message = (
                fields.short_text(rec.data[key])
                if key == "name"
                else (fields.abstract(rec.data[key]))
            )
            if message:
                problems.append(Problem(rec.path, rec.line(key), key, message))
        keywords = rec.data.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            problems.append(
                Problem(rec.path, rec.line("keywords"), "keywords", "expected a list of phrases")
            )
            keywords = []
        parent = rec.data.get("parent")
        if parent is not None:
            parents[tid] = (rec, str(parent))
        topics[tid] = Topic(
            tid, values["name"] or tid, values["description"] or "",
            str(parent) if parent is not None else None, tuple(keywords),
        )  # fmt: skip
    for tid, (rec, parent) in parents.items():
        if parent not in topics:
            hint = fields.did_you_mean(parent, topics)
            problems.append(
                Problem(rec.path, rec.line("parent"), "parent", f"unknown topic '{parent}'{hint}")
            )
            continue
        seen, node = {tid}, parent
        while node is not None:
            if node in seen:
                problems.append(
                    Problem(rec.path, rec.line("parent"), "parent", f"cycle through '{node}'")
                )
                break
            seen.add(node)
            node = topics[node].parent if node in topics else None
    return tuple(topics[k] for k in sorted(topics)), problems


@functools.lru_cache(maxsize=1 << 18)  # the same paths in every check of a serve session
def _stem(path: str) -> str:
    return PurePosixPath(path).stem


# What _paper made of a record, by path: (the record, its paper, its problems).
Typed = dict[str, tuple[Record, Paper | None, list[Problem]]]


def _typed(rec: Record, problems: list[Problem], typed: Typed | None) -> Paper | None:
    """``_paper(rec)``, or what it gave for this very record object before (``typed``)."""
    if typed is None:
        return _paper(rec, problems)
    hit = typed.get(rec.path)
    if hit is None or hit[0] is not rec:
        found: list[Problem] = []
        hit = typed[rec.path] = (rec, _paper(rec, found), found)
    problems += hit[2]
    return hit[1]


def _paper(rec: Record, problems: list[Problem]) -> Paper | None:
    """Type-check one record; cross-references are checked later with the whole set."""
    before = len(problems)
    pid = _stem(rec.path)
    message = fields.check_id(pid)
    if message:
        problems.append(Problem(rec.path, 1, "id", f"file name: {message}"))
    _unknown_keys(rec, PAPER_KEYS, problems)
    _required(rec, REQUIRED_PAPER_KEYS, problems)
    data = rec.data
    value: dict[str, object] = {}
    checks = {
        "title": fields.title,
        "abstract": fields.abstract,
        "authors": fields.name_list,
        "year": fields.year,
        "venue": fields.short_text,
        "arxiv": fields.arxiv,
        "doi": fields.doi,
        "added": fields.added,
        "topics": lambda v: fields.id_list(v, most=MAX_TOPICS, least=1),
        "related": lambda v: fields.id_list(v, most=20),
        "version_of": fields.short_text,
        "duplicate_of": fields.short_text,
    }
    for key, check in checks.items():
        if data.get(key) in (None, "", []):
            continue  # absent; a required field was reported as missing above
        value[key], message = check(data[key])
        if message:
            problems.append(Problem(rec.path, rec.line(key), key, message))
    link_map, link_problems = fields.links(data.get("links"))
    for sub, message in link_problems:
        problems.append(Problem(rec.path, rec.line("links"), sub, message))
    if len(problems) > before:
        return None
    return Paper(
        id=pid,
        title=value["title"],
        abstract=value.get("abstract", ""),
        topics=value["topics"],
        added=value["added"],
        authors=value.get("authors", ()),
        year=value.get("year"),
        venue=value.get("venue"),
        arxiv=value.get("arxiv"),
        doi=value.get("doi"),
        links=frozen_map(link_map),
        related=value.get("related", ()),
        version_of=value.get("version_of"),
        duplicate_of=value.get("duplicate_of"),
        source=rec.path,
    )


@functools.lru_cache(maxsize=1 << 18)  # titles recur in every check of a serve session
def normalise_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to spot duplicates."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _references(papers: list[Paper], records: dict[str, Record], topics, problems) -> None:
    ids = {p.id for p in papers}
    for paper in papers:
        rec = records[paper.id]
        for tid in paper.topics:
            if tid not in topics:
                hint = fields.did_you_mean(tid, topics)
                problems.append(
                    Problem(rec.path, rec.line("topics"), "topics", f"unknown topic '{tid}'{hint}")
                )
        for key in ("related", "version_of", "duplicate_of"):
            targets = getattr(paper, key)
            for target in (targets,) if isinstance(targets, str) else targets or ():
                if target == paper.id:
                    problems.append(
                        Problem(rec.path, rec.line(key), key, "a paper cannot refer to itself")
                    )
                elif target not in ids:
                    hint = fields.did_you_mean(target, ids)
                    problems.append(
                        Problem(rec.path, rec.line(key), key, f"unknown paper '{target}'{hint}")
                    )


def _work(paper: Paper, by_id: dict[str, Paper]) -> str:
    """Id at the end of the paper's version_of / duplicate_of chain (its work)."""
    seen = {paper.id}
    while (nxt := paper.version_of or paper.duplicate_of) in by_id and nxt not in seen:
        seen.add(nxt)
        paper = by_id[nxt]
    return paper.id


def _linked(a: Paper, b: Paper, by_id: dict[str, Paper] | None = None) -> bool:
    """True when the files already say the two papers are versions or duplicates,
    directly or through a common paper (two versions of one work)."""
    if b.id in (a.version_of, a.duplicate_of) or a.id in (b.version_of, b.duplicate_of):
        return True
    return by_id is not None and _work(a, by_id) == _work(b, by_id)


def _newer(paper: Paper) -> tuple:
    """Order in which papers entered the catalogue: a duplicate is reported on the newer."""
    return (paper.added, paper.id)


def similar_titles(titles: list[str]) -> dict[tuple[int, int], int]:
    """``_similar_titles`` of these titles, kept for the next call with the same titles
    (``papercat serve`` checks the catalogue after every save; most keep every title)."""
    key = tuple(titles)
    if _LAST_TITLES and _LAST_TITLES[0] == key:
        return dict(_LAST_TITLES[1])
    found = _similar_titles(titles)
    _LAST_TITLES[:] = [key, dict(found)]
    return found


_LAST_TITLES: list = []  # [titles, what _similar_titles found]


def _similar_titles(titles: list[str]) -> dict[tuple[int, int], int]:
    """Pairs (i, j), i < j, of titles at least NEAR_DUPLICATE similar, with their score.

    Blocking instead of all pairs (100,000 titles would be 5 billion comparisons): a
    title is compared only with titles sharing one of its ``BLOCK_WORDS`` rarest words,
    or equal to it. Near-duplicates differ in a few characters, so they share their
    rare words; a typo makes a word unique, and the next rarest still matches.
    """
    frequency = Counter(w for t in titles for w in set(t.split()))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, title in enumerate(titles):
        blocks["=" + title].append(i)  # equal titles, even with no words at all
        words = sorted(set(title.split()), key=lambda w: (frequency[w], w))
        for word in words[:BLOCK_WORDS]:
            blocks[word].append(i)
    found: dict[tuple[int, int], int] = {}
    for members in blocks.values():
        if len(members) < 2:
            continue
        group = [titles[i] for i in members]
        matrix = process.cdist(group, group, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE,
                               dtype="uint8")  # fmt: skip
        for a, b in zip(*matrix.nonzero(), strict=True):
            if a < b:
                found[(members[a], members[b])] = int(matrix[a, b])
    return found


def _duplicates(papers: list[Paper], records: dict[str, Record], problems: list[Problem]) -> None:
    """Same arXiv id, DOI or normalised title is an error; a close title is a warning.

    The problem goes on the file that entered the catalogue last (a pull request's
    new paper), and names the other file.
    """
    by_id = {p.id: p for p in papers}
    first: dict[tuple[str, str], Paper] = {}
    for paper in sorted(papers, key=_newer):
        rec = records[paper.id]
        for key, val in (("arxiv", paper.arxiv), ("doi", paper.doi and paper.doi.lower())):
            if not val:
                continue
            other = first.setdefault(
                (key, re.sub(r"v\d+$", "", val) if key == "arxiv" else val), paper
            )
            if other is not paper and not _linked(paper, other, by_id):
                problems.append(
                    Problem(rec.path, rec.line(key), key, f"same {key} as {other.source}")
                )
    titles = [normalise_title(p.title) for p in papers]
    if len(papers) < 2:
        return
    for (i, j), score in sorted(similar_titles(titles).items()):
        a, b = sorted((papers[i], papers[j]), key=_newer)
        if _linked(a, b, by_id):
            continue
        rec = records[b.id]
        if titles[i] == titles[j]:
            problems.append(
                Problem(
                    rec.path,
                    rec.line("title"),
                    "title",
                    f"same title as {a.source}; add `duplicate_of:` or `version_of:` if intended",
                )
            )
        else:
            problems.append(Problem(rec.path, rec.line("title"), "title",
                f"near-duplicate of {a.source} (similarity {score / 100:.2f}); add `duplicate_of:` or `version_of:` if intended",
                "warning"))  # fmt: skip


def validate(
    paper_records: list[Record], topic_records: list[Record], typed: Typed | None = None
) -> tuple[tuple[Paper, ...], tuple[Topic, ...], list[Problem]]:
    """Type-check everything and cross-check ids, references and duplicates. With
    ``typed`` (kept by the caller between checks, as ``papercat serve`` does), a record
    object checked before is not type-checked again: only edited files are."""
    topics, problems = validate_topics(topic_records)
    topic_ids = {t.id for t in topics}
    records = {_stem(r.path): r for r in paper_records}
    papers = [p for p in (_typed(r, problems, typed) for r in paper_records) if p is not None]
    papers.sort(key=lambda p: p.id)
    _references(papers, records, topic_ids, problems)
    _duplicates(papers, records, problems)
    return tuple(papers), topics, sorted(set(problems))
