"""``changes``: the papers a pull request adds, changes or removes, as Markdown.

CI appends this to the job summary so a maintainer sees at a glance what a pull
request does to the catalogue: each paper with its title, topics and any problems
``check`` finds in it. Titles are strangers' text, so they are escaped for Markdown
and HTML before they reach the summary. ``as_json`` gives the same changes as data
for the pull request's preview comment (``generator/site/preview.py``), with each
paper's topics before and after, so the comment can link the topics it moved between.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.catalogue.load import display_path, load_tree, parse_mapping
from generator.catalogue.markdown import escape
from generator.catalogue.model import Problem, Record
from generator.catalogue.validate import validate


@dataclass(frozen=True)
class Change:
    """One paper file touched by the pull request."""

    status: str  # "added", "changed" or "removed"
    path: str
    title: str
    topics: tuple[str, ...]  # the paper's topics; for "removed", the ones it had
    fields: tuple[str, ...] = ()  # for "changed": the fields whose value differs
    problems: tuple[Problem, ...] = ()
    old_topics: tuple[str, ...] = ()  # for "changed" and "removed": the topics at the base


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def diff_status(base: str, papers_dir: str, cwd: Path) -> list[tuple[str, str]]:
    """(status letter A/M/D, path) of paper files that differ between ``base`` and the
    work tree, untracked files included."""
    out = _git("diff", "--name-status", "--no-renames", base, "--", papers_dir, cwd=cwd)
    rows = []
    for line in out.splitlines():
        letter, _, path = line.partition("\t")
        if path.endswith(".yml"):
            rows.append((letter[:1], path))
    # New files not yet committed (a contributor trying it before `git add`).
    untracked = _git("ls-files", "--others", "--exclude-standard", "--full-name", "--",
                     papers_dir, cwd=cwd)  # fmt: skip
    rows += [("A", path) for path in untracked.splitlines() if path.endswith(".yml")]
    return sorted(rows, key=lambda row: row[1])


def _old_record(base: str, path: str, cwd: Path) -> Record | None:
    try:
        text = _git("show", f"{base}:{path}", cwd=cwd)
    except subprocess.CalledProcessError:
        return None
    record, _ = parse_mapping(text, path)
    return record


def _topics(record: Record | None) -> tuple[str, ...]:
    value = record.data.get("topics") if record else None
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _title(record: Record | None, path: str) -> str:
    value = record.data.get("title") if record else None
    return str(value) if value else PurePosixPath(path).stem


def collect(base: str, content: Path, repo: Path) -> list[Change]:
    """Every paper file the work tree adds, changes or removes relative to ``base``."""
    papers_dir = display_path(content / "papers", repo)
    records, topic_records, problems = load_tree(content)
    _, _, found = validate(records, topic_records)
    current = {display_path(repo / r.path, repo): r for r in records}
    by_path: dict[str, list[Problem]] = {}
    for problem in problems + found:
        by_path.setdefault(display_path(repo / problem.path, repo), []).append(problem)
    changes = []
    for letter, path in diff_status(base, papers_dir, repo):
        old = _old_record(base, path, repo)
        new = current.get(path)
        if letter == "D":
            changes.append(
                Change("removed", path, _title(old, path), _topics(old), old_topics=_topics(old))
            )
            continue
        status = "added" if letter == "A" else "changed"
        differ: tuple[str, ...] = ()
        if old is not None and new is not None:
            keys = sorted(set(old.data) | set(new.data))
            differ = tuple(k for k in keys if old.data.get(k) != new.data.get(k))
        changes.append(
            Change(status, path, _title(new, path), _topics(new), differ,
                   tuple(sorted(by_path.get(path, []))), _topics(old) if old else ())
        )  # fmt: skip
    return changes


def as_json(changes: list[Change]) -> str:
    """The changes as data for the preview comment: per paper its status, id (the file
    name), title, topics now (none when removed) and topics at the base (none when
    added). The preview workflow treats this file as untrusted and checks every value."""
    rows = [
        {
            "status": change.status,
            "id": PurePosixPath(change.path).stem,
            "title": change.title,
            "topics": [] if change.status == "removed" else list(change.topics),
            "old_topics": list(change.old_topics),
        }
        for change in changes
    ]
    return json.dumps({"papers": rows}, ensure_ascii=False, indent=1) + "\n"


def markdown(changes: list[Change]) -> str:
    """The job summary section for ``changes``."""
    lines = ["## Papers in this pull request", ""]
    if not changes:
        lines.append("This pull request adds, changes or removes no paper files.")
        return "\n".join(lines) + "\n"
    lines += ["| | paper | topics | check |", "| --- | --- | --- | --- |"]
    for change in changes:
        paper = f"**{escape(change.title)}**<br>`{change.path}`"
        if change.fields:
            paper += "<br>fields: " + ", ".join(escape(f) for f in change.fields)
        topics = ", ".join(escape(t) for t in change.topics) or "–"
        if change.status == "removed":
            verdict = "–"
        elif change.problems:
            verdict = "<br>".join(
                f"{'⚠️' if p.severity == 'warning' else '❌'} line {p.line}: "
                f"{escape(p.field)}: {escape(p.message)}"
                for p in change.problems
            )
        else:
            verdict = "✅ no problems"
        lines.append(f"| {change.status} | {paper} | {topics} | {verdict} |")
    counts = {s: sum(c.status == s for c in changes) for s in ("added", "changed", "removed")}
    lines += ["", ", ".join(f"{n} {s}" for s, n in counts.items()) + "."]
    return "\n".join(lines) + "\n"
