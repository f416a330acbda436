"""Commands on the catalogue itself: build, check, fmt, schema, stats, changes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import build as build_mod
from generator.catalogue.handwritten import load_pages
from generator.catalogue.load import display_path, load_tree
from generator.catalogue.model import ContentError
from generator.catalogue.report import print_problems
from generator.catalogue.validate import validate
from generator.cli.common import CONTENT


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/, topics.yml and pages/.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True, help="Folder to write the Markdown site into.")  # fmt: skip
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print the time of each stage.")
@click.option("--no-cache", is_flag=True,
              help="Do not reuse or keep per-paper results in .cache/papercat/ (same output).")  # fmt: skip
def build(content: Path, out: Path, strict: bool, verbose: bool, no_cache: bool) -> None:
    """Validate content and write the Markdown site to docs/ (atomically)."""
    cache = None if no_cache else build_mod.cache_folder(content)
    try:
        result = build_mod.build(content, out, strict=strict, verbose=verbose, cache_dir=cache)
    except ContentError as exc:
        print_problems(exc.problems, strict=strict)
        sys.exit(1)
    print_problems(result.problems, strict=strict, papers=len(result.catalogue.papers))
    click.echo(
        f"Built {len(result.catalogue.papers)} papers and {len(result.catalogue.topics)} topics "
        f"into {out}/ in {result.seconds:.2f} s",
        err=True,
    )


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(content: Path, strict: bool, paths: tuple[Path, ...]) -> None:
    """Validate content and report every problem as file:line: field: message.

    With PATHS, only problems in those files are shown (the whole catalogue is still
    loaded, so references and duplicates are checked against it). Nothing is written.
    """
    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    papers_dir = (content / "papers").resolve()
    for path in paths:
        if path.resolve().parent != papers_dir:
            raise click.UsageError(f"'{path}' is not a paper file in {content / 'papers'}/")
    records, topic_records, problems = load_tree(content)
    _papers, _, found = validate(records, topic_records)
    _pages, _sources, page_problems = load_pages(content)
    problems += found + page_problems
    if paths:
        root = content.parent
        wanted = {p.resolve() for p in paths}
        shown = {display_path(p, root) for p in paths}
        # A duplicate is reported on one file of the pair and names the other one:
        # keep it when either is asked for.
        problems = [
            p for p in problems
            if (root / p.path).resolve() in wanted
            or any(s in p.message.split() for s in shown)
        ]  # fmt: skip
    failed = print_problems(problems, strict=strict, papers=len(records))
    if failed:
        sys.exit(1)


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; list files that are not canonical and exit 1.")  # fmt: skip
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def fmt(content: Path, check_only: bool, paths: tuple[Path, ...]) -> None:
    """Rewrite paper files in canonical form (key order, quoting, abstract wrapping)."""
    from generator.catalogue.fmt import format_files, paper_files

    result = format_files(paper_files(content, paths), check=check_only, root=content.parent)
    for shown in result.changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {shown}", err=True)
    print_problems(result.problems)
    unchanged = result.files - len(result.changed) - len({p.path for p in result.problems})
    verb = "would be reformatted" if check_only else "reformatted"
    click.echo(f"{len(result.changed)} {verb}, {unchanged} already canonical", err=True)
    if result.problems or (check_only and result.changed):
        sys.exit(1)


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder to write schema/paper.schema.json into.")  # fmt: skip
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 if the published schema is out of date.")  # fmt: skip
def schema(content: Path, check_only: bool) -> None:
    """Write the JSON Schema of a paper file (used by editors) to content/schema/."""
    from generator.catalogue.schema import SCHEMA_PATH, schema_text
    from generator.catalogue.yamlio import write_atomic

    path = content / SCHEMA_PATH
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if check_only:
        if current != schema_text():
            click.echo(f"{path} is out of date: run papercat schema", err=True)
            sys.exit(1)
        return
    write_atomic(path, schema_text())
    click.echo(f"{'Wrote' if current != schema_text() else 'Unchanged:'} {path}", err=True)


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
def stats(content: Path) -> None:
    """Print catalogue figures: papers, topics, papers per topic."""
    from generator.analysis.topics import counts

    records, topic_records, _ = load_tree(content)
    papers, topics, problems = validate(records, topic_records)
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"papers: {len(papers)}  topics: {len(topics)}  problems: {errors}")
    for tid, n in sorted(counts(topics, papers).items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:5}  {tid}")


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml, inside the git work tree.")  # fmt: skip
@click.option("--base", required=True, help="Git revision to compare with, e.g. HEAD^1 or main.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the changes as JSON (the pull request preview's comment).")  # fmt: skip
def changes(content: Path, base: str, json_file: Path | None) -> None:
    """Print, as Markdown, the papers added, changed or removed since --base (CI job summary)."""
    import subprocess

    from generator.catalogue.changes import as_json, collect, markdown
    from generator.catalogue.yamlio import write_atomic

    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()  # fmt: skip
        found = collect(base, content, Path(top))
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise click.UsageError(f"git failed: {detail.strip()}") from exc
    if json_file is not None:
        write_atomic(json_file, as_json(found))
    click.echo(markdown(found), nl=False)


COMMANDS = [build, check, fmt, schema, stats, changes]
