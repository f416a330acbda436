"""Thin click CLI over the library: every command is a few lines of glue.

Exit status: 0 clean, 1 content problems, 2 usage errors (click's own convention).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import build as build_mod
from .load import display_path, load_tree
from .model import ContentError, Problem
from .pages import load_pages
from .report import print_problems
from .validate import validate
from .yamlio import dump_paper

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


@main.command()
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


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True)  # fmt: skip
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              envvar="PAPERCAT_SERVE_ADDR", show_envvar=True,
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


@main.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Print the files it would write; write nothing.")
@click.option("--fallback-topic", metavar="ID",
              help="Topic for entries with no suggestion (default: the most used one).")  # fmt: skip
def import_library(files: tuple[Path, ...], content: Path, dry_run: bool, fallback_topic) -> None:
    """Import papers from BibTeX (.bib), CSL-JSON (.json) and RIS (.ris) files.

    Papers already in the catalogue (same arXiv id, DOI or title) get the fields they
    lack; the others become new files with suggested topics. Exit 1 if an entry was
    skipped (reported as FILE:LINE: message), else 0.
    """
    from .importers import commands, library, merge

    for path in files:
        if library.file_format(path) is None:
            raise click.UsageError(f"'{path}': expected a .bib, .json or .ris file")
    try:
        plan, warnings = commands.run_import(list(files), content, fallback_topic=fallback_topic,
                                             progress=sys.stderr.isatty())  # fmt: skip
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except ContentError as exc:
        print_problems(exc.problems)
        sys.exit(1)
    for skipped in plan.skipped:
        click.echo(str(skipped), err=True)
    for pid in sorted(plan.files) if dry_run else ():
        click.echo(f"--- {content / 'papers' / pid}.yml\n{dump_paper(plan.files[pid])}", nl=False)
    written = [] if dry_run else merge.write_plan(content, plan)
    print_problems(warnings)
    for line in commands.import_report(plan, content, dry_run=dry_run):
        click.echo(line, err=True)
    click.echo(
        "Dry run: nothing written." if dry_run else f"{len(written)} files written.", err=True
    )
    if plan.skipped:
        sys.exit(1)


@main.command()
@click.argument("paper_ids", nargs=-1)
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--title", help="Suggest for a title (with --abstract) instead of a paper.")
@click.option("--abstract", default="", help="Abstract text for --title.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: ranked topics with score and reasons.")  # fmt: skip
@click.option("--evaluate", is_flag=True,
              help="Leave-one-out run over the catalogue: how often suggestions are right.")  # fmt: skip
def suggest(
    paper_ids: tuple[str, ...],
    content: Path,
    title: str | None,
    abstract: str,
    as_json: bool,
    evaluate: bool,
) -> None:
    """Suggest topics, with reasons, for papers (by id) or for a title and abstract."""
    import json

    from .topics import Suggester

    records, topic_records, _problems = load_tree(content)
    papers, topics, _found = validate(records, topic_records)
    if evaluate:
        from .suggest_eval import leave_one_out

        figures = leave_one_out(topics, papers)
        if as_json:
            click.echo(json.dumps(figures.as_dict(), indent=2))
        else:
            click.echo(figures.row("now"))
        return
    suggester = Suggester(topics, papers)
    items = [(None, title, abstract)] if title else []
    by_id = {p.id: p for p in papers}
    for pid in paper_ids:
        if pid not in by_id:
            raise click.UsageError(f"no paper with id '{pid}'")
        items.append((pid, by_id[pid].title, by_id[pid].abstract))
    if not items:
        raise click.UsageError("give paper ids, or --title and --abstract (or --evaluate)")
    out = []
    for pid, text_title, text_abstract in items:
        found = suggester.suggest(text_title, text_abstract, exclude=pid)
        out.append({
            "paper": pid,
            "title": text_title,
            "current": list(by_id[pid].topics) if pid else None,
            "suggestions": [
                {"topic": s.topic, "score": s.score, "reasons": s.reason.split("; ")}
                for s in found
            ],
        })  # fmt: skip
        if as_json:
            continue
        click.echo(f"{pid or text_title}")
        if pid:
            click.echo(f"  current: {', '.join(by_id[pid].topics)}")
        for s in found:
            click.echo(f"  {s.topic:28} {s.score:6.2f}  {s.reason}")
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))


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


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; list files that are not canonical and exit 1.")  # fmt: skip
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def fmt(content: Path, check_only: bool, paths: tuple[Path, ...]) -> None:
    """Rewrite paper files in canonical form (key order, quoting, abstract wrapping)."""
    from .fmt import format_files, paper_files

    result = format_files(paper_files(content, paths), check=check_only, root=content.parent)
    for shown in result.changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {shown}", err=True)
    print_problems(result.problems)
    unchanged = result.files - len(result.changed) - len({p.path for p in result.problems})
    verb = "would be reformatted" if check_only else "reformatted"
    click.echo(f"{len(result.changed)} {verb}, {unchanged} already canonical", err=True)
    if result.problems or (check_only and result.changed):
        sys.exit(1)


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml.")  # fmt: skip
@click.option("--title", help="The paper's title.")
@click.option("--abstract", help="The paper's abstract (plain text).")
@click.option("--bibtex", type=click.File("r", encoding="utf-8"),
              help="A file with one BibTeX entry, or - to read it from standard input.")  # fmt: skip
@click.option("--arxiv", "arxiv_id", metavar="ID",
              help="arXiv id, e.g. 2401.09670 (filled in without network access).")  # fmt: skip
@click.option("--fetch", is_flag=True,
              help="Also fetch title, abstract and authors of --arxiv from arXiv (needs network).")  # fmt: skip
@click.option("--id", "paper_id", help="Use this id instead of one made from the title.")
def new(content: Path, title, abstract, bibtex, arxiv_id, fetch: bool, paper_id) -> None:
    """Scaffold content/papers/<id>.yml with a free id, today's date and suggested topics."""
    from . import scaffold
    from .yamlio import write_new

    try:
        draft, new_id = scaffold.plan(
            content, title=title, abstract=abstract, bibtex=bibtex.read() if bibtex else None,
            arxiv=arxiv_id, fetch=fetch, paper_id=paper_id,
        )  # fmt: skip
    except scaffold.ScaffoldError as exc:
        raise click.UsageError(str(exc)) from exc
    for note in draft.notes:
        click.echo(f"note: {note}", err=True)
    text = scaffold.render(draft)
    problems = scaffold.check_draft(content, new_id, text)
    blocking = scaffold.blocking(problems)
    if blocking:
        print_problems(blocking)
        click.echo("Nothing written.", err=True)
        sys.exit(1)
    path = content / "papers" / f"{new_id}.yml"
    try:
        write_new(path, text)
    except FileExistsError:
        click.echo(f"{path} appeared meanwhile; nothing written.", err=True)
        sys.exit(1)
    click.echo(f"Wrote {path}", err=True)
    if draft.suggestions:
        click.echo("Suggested topics (edit `topics:` if they are wrong):", err=True)
        for s in draft.suggestions:
            click.echo(f"  {s.topic:28} {s.reason}", err=True)
    if "arxiv" in draft.data:
        click.echo(f"arXiv page: https://arxiv.org/abs/{draft.data['arxiv']}", err=True)
    if print_problems(problems, papers=1):
        click.echo(
            f"Fill in the missing fields, then run: python -m generator check {path}", err=True
        )
        sys.exit(1)


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder to write schema/paper.schema.json into.")  # fmt: skip
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 if the published schema is out of date.")  # fmt: skip
def schema(content: Path, check_only: bool) -> None:
    """Write the JSON Schema of a paper file (used by editors) to content/schema/."""
    from .schema import SCHEMA_PATH, schema_text
    from .yamlio import write_atomic

    path = content / SCHEMA_PATH
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if check_only:
        if current != schema_text():
            click.echo(f"{path} is out of date: run python -m generator schema", err=True)
            sys.exit(1)
        return
    write_atomic(path, schema_text())
    click.echo(f"{'Wrote' if current != schema_text() else 'Unchanged:'} {path}", err=True)


@main.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True,
              help="Folder with papers/ and topics.yml, inside the git work tree.")  # fmt: skip
@click.option("--base", required=True, help="Git revision to compare with, e.g. HEAD^1 or main.")
def changes(content: Path, base: str) -> None:
    """Print, as Markdown, the papers added, changed or removed since --base (CI job summary)."""
    import subprocess

    from .changes import collect, markdown

    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()  # fmt: skip
        found = collect(base, content, Path(top))
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise click.UsageError(f"git failed: {detail.strip()}") from exc
    click.echo(markdown(found), nl=False)


def run() -> None:
    """Entry point for ``python -m generator``."""
    main(prog_name="python -m generator")


__all__ = ["Problem", "main", "run"]


# Commands that talk to arXiv (enrich, from-issue) register themselves on `main`.
from . import cli_arxiv  # noqa: E402, F401
