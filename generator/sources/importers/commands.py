"""Glue between importers and content/: plan in memory, validate, then write.

Every file is rendered and checked before the first one is written, so an import
that would produce bad content writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from generator.analysis.topics import Suggester
from generator.catalogue.load import display_path, load_mapping, load_sequence, parse_mapping
from generator.catalogue.model import ContentError, Problem
from generator.catalogue.validate import validate, validate_topics
from generator.catalogue.yamlio import dump_paper, today, write_atomic
from generator.sources.importers import library, merge, seed


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


def run_import(
    files: list[Path], content: Path, *, fallback_topic: str | None = None, progress: bool = False
) -> tuple[merge.Plan, list[Problem]]:
    """Parse ``files`` and plan the catalogue's new and enriched papers (writes nothing).

    Returns the plan (already validated against the whole catalogue) and the
    warnings on the files it would write.
    """
    from tqdm import tqdm

    root = content.parent
    entries: list[library.Entry] = []
    skipped: list[library.Skipped] = []
    for path in files:
        parsed = library.read_library(path, display_path(path, root))
        entries += parsed.entries
        skipped += parsed.skipped
    existing, records, topic_records = merge.load_catalogue(content)
    papers, topics, _ = validate(list(records.values()), topic_records)
    topic_ids = [t.id for t in topics]
    if fallback_topic is not None and fallback_topic not in topic_ids:
        raise ValueError(f"--fallback-topic: unknown topic '{fallback_topic}'")
    fallback = fallback_topic or merge.most_used_topic(existing.values(), topic_ids)
    planner = merge.Planner(existing, merge.make_suggester(papers, topics), fallback)
    for entry in tqdm(entries, desc="match", unit="entry", disable=not progress, leave=False):
        planner.add(entry)
    planner.suggest_topics(progress)
    plan = planner.plan
    plan.skipped = skipped + plan.skipped
    warnings = merge.check_plan(content, plan, records, topic_records)
    return plan, warnings


def import_report(plan: merge.Plan, content: Path, *, dry_run: bool) -> list[str]:
    """The summary lines: each new or merged file, notes, and the totals."""
    root = content.parent

    def shown(pid: str) -> str:
        return display_path(content / "papers" / f"{pid}.yml", root)

    verb = {
        "new": "would write" if dry_run else "new",
        "merged": "would merge" if dry_run else "merged",
    }
    lines = []
    for outcome in plan.outcomes:
        if outcome.kind == "unchanged":
            continue
        extra = f" (+{', +'.join(outcome.added)})" if outcome.added else ""
        lines.append(f"{verb[outcome.kind]}: {shown(outcome.paper)}{extra}")
    lines += [f"note: {n}" for n in plan.notes]
    for pid in plan.fallback:
        topic = plan.files[pid]["topics"][0] if pid in plan.files else None
        if topic:
            lines.append(f"note: {shown(pid)}: no topic suggested; gave it '{topic}' (review it)")
    kinds = Counter(o.kind for o in plan.outcomes)
    entries = len(plan.outcomes) + len(plan.skipped)
    lines.append(
        f"{entries} entries: {kinds['new']} new, {kinds['merged']} merged, "
        f"{kinds['unchanged']} unchanged, {len(plan.skipped)} skipped"
    )
    return lines
