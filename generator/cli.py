"""Thin click CLI over the library: every command is a few lines of glue.

Exit status: 0 clean, 1 content problems, 2 usage errors (click's own convention).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import build as build_mod
from .load import load_tree
from .model import ContentError, Problem
from .report import print_problems
from .validate import validate

CONTENT = click.Path(file_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """papercat: turn content/ (one YAML file per paper) into a searchable site."""


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/, topics.yml and pages/.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True, help="Folder to write the Markdown site into.")  # fmt: skip
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print the time of each stage.")
def build(content: Path, out: Path, strict: bool, verbose: bool) -> None:
    """Validate content and write the Markdown site to docs/ (atomically)."""
    try:
        result = build_mod.build(content, out, strict=strict, verbose=verbose)
    except ContentError as exc:
        print_problems(exc.problems, strict=strict)
        sys.exit(1)
    print_problems(result.problems, strict=strict, papers=len(result.catalogue.papers))
    click.echo(
        f"Built {len(result.catalogue.papers)} papers and {len(result.catalogue.topics)} topics "
        f"into {out}/ in {result.seconds:.2f} s",
        err=True,
    )


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(content: Path, strict: bool, paths: tuple[Path, ...]) -> None:
    """Validate content and report every problem as file:line: field: message.

    With PATHS, only problems in those files are shown (the whole catalogue is still
    loaded, so references and duplicates are checked against it).
    """
    records, topic_records, problems = load_tree(content)
    _papers, _, found = validate(records, topic_records)
    problems += found
    if paths:
        wanted = {p.resolve() for p in paths}
        root = content.parent
        problems = [p for p in problems if (root / p.path).resolve() in wanted]
    failed = print_problems(problems, strict=strict, papers=len(records))
    if failed:
        sys.exit(1)


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True)  # fmt: skip
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address to serve on.")  # fmt: skip
def serve(content: Path, out: Path, dev_addr: str) -> None:
    """Build, serve at 127.0.0.1:8000 and rebuild when content/ changes."""
    from .serve import serve as run_serve

    sys.exit(run_serve(content, out, dev_addr))


@main.command("import-seed")
@click.argument("dump", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--added", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for newly added papers (default: today).")  # fmt: skip
def import_seed(dump: Path, content: Path, added) -> None:
    """Import a "trending papers" text dump into content/papers/ (idempotent)."""
    from .importers.commands import run_import_seed

    try:
        written, total = run_import_seed(dump, content, added.date() if added else None)
    except ContentError as exc:
        print_problems(exc.problems)
        sys.exit(1)
    click.echo(f"{total} papers in the dump; {written} files written or updated", err=True)


@main.command()
@click.argument("paper_ids", nargs=-1)
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--title", help="Suggest for a title (with --abstract) instead of a paper.")
@click.option("--abstract", default="", help="Abstract text for --title.")
def suggest(paper_ids: tuple[str, ...], content: Path, title: str | None, abstract: str) -> None:
    """Suggest topics, with reasons, for papers (by id) or for a title and abstract."""
    from .topics import Suggester

    records, topic_records, _problems = load_tree(content)
    papers, topics, _found = validate(records, topic_records)
    suggester = Suggester(topics, papers)
    items = [(None, title, abstract)] if title else []
    by_id = {p.id: p for p in papers}
    for pid in paper_ids:
        if pid not in by_id:
            raise click.UsageError(f"no paper with id '{pid}'")
        items.append((pid, by_id[pid].title, by_id[pid].abstract))
    if not items:
        raise click.UsageError("give paper ids, or --title and --abstract")
    for pid, text_title, text_abstract in items:
        click.echo(f"{pid or text_title}")
        if pid:
            click.echo(f"  current: {', '.join(by_id[pid].topics)}")
        for s in suggester.suggest(text_title, text_abstract, exclude=pid):
            click.echo(f"  {s.topic:28} {s.score:6.2f}  {s.reason}")


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
def stats(content: Path) -> None:
    """Print catalogue figures: papers, topics, papers per topic."""
    from .topics import counts

    records, topic_records, _ = load_tree(content)
    papers, topics, problems = validate(records, topic_records)
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"papers: {len(papers)}  topics: {len(topics)}  problems: {errors}")
    for tid, n in sorted(counts(topics, papers).items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:5}  {tid}")


def run() -> None:
    """Entry point for ``python -m generator``."""
    main(prog_name="python -m generator")


__all__ = ["Problem", "main", "run"]
