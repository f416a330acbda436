"""Commands that bring papers in: new, import, import-seed, and topic suggestions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.catalogue.load import load_tree
from generator.catalogue.model import ContentError
from generator.catalogue.report import print_problems
from generator.catalogue.validate import validate
from generator.catalogue.yamlio import dump_paper
from generator.cli.common import CONTENT


@click.command()
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
    from generator.catalogue.yamlio import write_new
    from generator.sources import scaffold

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
        click.echo(f"Fill in the missing fields, then run: papercat check {path}", err=True)
        sys.exit(1)


@click.command("import")
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
    from generator.sources.importers import commands, library, merge

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


@click.command("import-seed")
@click.argument("dump", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--added", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for newly added papers (default: today).")  # fmt: skip
def import_seed(dump: Path, content: Path, added) -> None:
    """Import a "trending papers" text dump into content/papers/ (idempotent)."""
    from generator.sources.importers.commands import run_import_seed

    try:
        written, total = run_import_seed(dump, content, added.date() if added else None)
    except ContentError as exc:
        print_problems(exc.problems)
        sys.exit(1)
    click.echo(f"{total} papers in the dump; {written} files written or updated", err=True)


@click.command()
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

    from generator.analysis.topics import Suggester

    records, topic_records, _problems = load_tree(content)
    papers, topics, _found = validate(records, topic_records)
    if evaluate:
        from generator.analysis.suggest_eval import leave_one_out

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


COMMANDS = [new, import_library, import_seed, suggest]
