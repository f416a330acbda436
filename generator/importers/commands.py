"""Glue between importers and content/: plan in memory, validate, then write.

Every file is rendered and checked before the first one is written, so an import
that would produce bad content writes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..load import display_path, load_mapping, load_sequence, parse_mapping
from ..model import ContentError, Problem
from ..topics import Suggester
from ..validate import validate, validate_topics
from ..yamlio import dump_paper, today, write_atomic
from . import seed


def _existing(content: Path) -> tuple[dict[str, dict], list[Problem]]:
    out: dict[str, dict] = {}
    problems: list[Problem] = []
    for path in sorted((content / "papers").glob("*.yml")):
        record, found = load_mapping(path, content.parent)
        problems += found
        if record is not None:
            out[path.stem] = dict(record.data)
    return out, problems


def write_papers(content: Path, planned: dict[str, dict]) -> int:
    """Validate the planned catalogue as it would be on disk, then write changed files."""
    root = content.parent
    texts = {pid: dump_paper(data) for pid, data in planned.items()}
    records, problems = [], []
    for pid, text in sorted(texts.items()):
        record, found = parse_mapping(text, display_path(content / "papers" / f"{pid}.yml", root))
        problems += found
        if record is not None:
            records.append(record)
    topic_records, found = load_sequence(content / "topics.yml", root)
    _, _, checked = validate(records, topic_records)
    errors = [p for p in problems + found + checked if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    return sum(write_atomic(content / "papers" / f"{pid}.yml", t) for pid, t in texts.items())


def run_import_seed(dump: Path, content: Path, added: dt.date | None) -> tuple[int, int]:
    """Import ``dump``; returns (files written, papers in the dump)."""
    try:
        entries = seed.read_dump(dump)
    except seed.SeedError as exc:
        raise ContentError(
            [Problem(display_path(dump), exc.line, "dump", str(exc).split(": ", 1)[1])]
        ) from exc
    existing, problems = _existing(content)
    topic_records, found = load_sequence(content / "topics.yml", content.parent)
    topics, topic_problems = validate_topics(topic_records)
    if problems or found or topic_problems:
        raise ContentError(problems + found + topic_problems)
    suggester = Suggester(topics)
    planned = seed.plan(
        entries, existing, lambda t, a: suggester.suggest(t, a, limit=3), added or today()
    )
    # Papers already in content/ but not in this dump are kept as they are.
    for pid, data in existing.items():
        planned.setdefault(pid, data)
    return write_papers(content, planned), len(entries)
