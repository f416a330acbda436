"""CLI commands that talk to arXiv: ``enrich`` and ``from-issue``.

Registered on the main click group by ``cli/__init__.py``; kept apart so the network-facing
options (delay, timeout, HTTP cache) live in one place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from generator.catalogue.load import display_path
from generator.catalogue.model import ContentError
from generator.catalogue.report import print_problems
from generator.cli.common import CONTENT


def network_options(func: Callable) -> Callable:
    """--delay, --timeout, --cache-dir and --no-cache, shared by enrich and from-issue."""
    options = [
        click.option("--delay", type=click.FloatRange(min=0), default=3.0, show_default=True,
                     help="Seconds between requests to arXiv (arXiv asks for 3)."),
        click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
                     help="Seconds to wait for an answer."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, help="HTTP cache folder (default: $PAPERCAT_CACHE_DIR "
                     "or .cache/papercat)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the HTTP cache."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def make_client(delay: float, timeout: float, cache_dir: Path | None, no_cache: bool):
    from generator.sources.arxiv import Client
    from generator.sources.arxiv import cache_dir as default_cache

    return Client(delay=delay, timeout=timeout,
                  cache=None if no_cache else default_cache(cache_dir))  # fmt: skip


@click.command()
@click.argument("paper_ids", nargs=-1)
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@network_options
@click.option("--dry-run", is_flag=True, help="Look up and report, but write no file.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the run's summary as Markdown to this file (a PR body).")  # fmt: skip
def enrich(paper_ids, content, delay, timeout, cache_dir, no_cache, dry_run, summary) -> None:
    """Fill missing arXiv id, authors, year, DOI, venue and abstract from the arXiv API.

    Without PAPER_IDS: every paper without an arXiv id or without authors. All lookups
    happen before anything is written, so a failure changes no file.
    """
    from generator.catalogue.yamlio import write_atomic
    from generator.sources import enrich as mod
    from generator.sources.arxiv import ArxivError

    client = make_client(delay, timeout, cache_dir, no_cache)
    try:
        result = mod.plan(content, client, paper_ids,
                          progress=lambda pid: click.echo(f"looking up {pid}", err=True))  # fmt: skip
    except KeyError as exc:
        raise click.UsageError(f"no paper with id {exc.args[0]}") from None
    except ContentError as exc:
        print_problems(exc.problems)
        click.echo("Nothing written: fix these problems first.", err=True)
        sys.exit(1)
    except ArxivError as exc:
        click.echo(f"error: {exc}; no file changed", err=True)
        sys.exit(1)
    written = [] if dry_run else mod.write(result)
    for change in result.changes:
        click.echo(f"{change.path}: {', '.join(change.filled)}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    for path in result.unmatched:
        click.echo(f"{path}: no title match on arXiv", err=True)
    fields = sum(len(c.filled) for c in result.changes)
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"{result.looked_up} papers looked up ({client.requests} requests), "
        f"{len(result.changes) if dry_run else len(written)} {verb} ({fields} fields), "
        f"{len(result.unmatched)} without a match",
        err=True,
    )
    if summary is not None:
        write_atomic(summary, mod.summary_markdown(result))


@click.command("from-issue")
@click.option("--body", "body_file", required=True,
              type=click.File("r", encoding="utf-8", errors="replace"),
              help="The issue body as GitHub renders the form (- for standard input).")  # fmt: skip
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--form", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=Path(".github/ISSUE_TEMPLATE/suggest-paper.yml"), show_default=True,
              help="The issue form whose labels the body uses.")  # fmt: skip
@click.option("--comment", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the result (or the error) as a Markdown issue comment here.")  # fmt: skip
@click.option("--offline", is_flag=True, help="Do not ask arXiv; write what the form gave.")
@network_options
def from_issue(body_file, content, form, comment, offline, delay, timeout, cache_dir,
               no_cache) -> None:  # fmt: skip
    """Turn a "Suggest a paper" issue body into content/papers/<id>.yml.

    Works like `new`: a free id, suggested topics unless valid ones were given, the
    full check before writing, and never an overwrite. Bad input writes nothing and
    exits 1 with one message meant for the issue.
    """
    from generator.catalogue.yamlio import dump_paper, write_atomic, write_new
    from generator.sources import fromissue, scaffold

    def refuse(message: str) -> None:
        click.echo(f"error: {message}", err=True)
        if comment is not None:
            write_atomic(comment, fromissue.comment_refused(message))
        sys.exit(1)

    client = None if offline else make_client(delay, timeout, cache_dir, no_cache)
    try:
        result = fromissue.plan(content, body_file.read(), form, client)
    except (fromissue.SuggestionError, ValueError) as exc:  # ValueError: a broken --form
        refuse(str(exc))
        return
    text = dump_paper(result.data)
    problems = scaffold.check_draft(content, result.paper_id, text)
    blocking = scaffold.blocking(problems)
    if blocking:
        refuse("; ".join(f"{p.field}: {p.message}" for p in blocking))
        return
    path = content / "papers" / f"{result.paper_id}.yml"
    try:
        write_new(path, text)
    except FileExistsError:
        refuse(f"{path} appeared meanwhile; run again")
        return
    shown = display_path(path, content.parent)
    # Incomplete, not wrong (e.g. no abstract yet): written; the maintainer completes it.
    result.notes += [f"to complete: {p.field}: {p.message}" for p in problems]
    message = fromissue.comment_written(result, shown)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"Wrote {shown}", err=True)
    if comment is not None:
        write_atomic(comment, message)
    click.echo(message, nl=False)


COMMANDS = [enrich, from_issue]
