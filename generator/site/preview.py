"""Pull request previews: the preview address, and the checks on CI's artifact.

    python -m generator.site.preview url --pr N
    python -m generator.site.preview check ARTIFACT --sha SHA --out DIR

CI (``pull_request``: the pull request's own code, a read-only token) builds the site
for ``<preview base>pr-<N>/`` (``url``) and uploads it as an artifact with ``pr.txt``
(the number) and ``changes.json`` (``papercat changes --json``). The preview workflow
(``workflow_run``: the default branch's code) downloads it, and everything in it may
have been written by a stranger. ``check`` accepts it only if the number is digits and
nothing else, the site is plain files and folders within the size the host allows, and
every id and topic in ``changes.json`` is a valid id; then it writes the checked number
and the pull request comment (``comment``) into ``--out``. Nothing in the artifact is
run, and nothing from it reaches a shell line.

Standard library only (and ``generator.catalogue``'s stdlib modules): the preview
workflow runs this with the runner's ``python3``, installing nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.catalogue.fields import check_id, describe
from generator.catalogue.markdown import escape

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
PR_FILE, CHANGES_FILE, SITE_DIR = "pr.txt", "changes.json", "site"
COMMENT_FILE = "comment.md"
MARKER = "<!-- papercat-preview -->"  # finds the comment to update on the next push
MAX_PR_DIGITS = 9
MAX_FILES = 200_000
MAX_CHANGES_BYTES = 5_000_000
MAX_PAPERS = 100_000
MAX_TITLE = 1_000
LISTED = 50  # papers (and topics) named in the comment; the job summary has them all
STATUSES = ("added", "changed", "removed")
_PR = re.compile(r"[1-9][0-9]*", re.ASCII)
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}", re.ASCII)
_HIDDEN = ("Cc", "Cf", "Co", "Cs")  # control, invisible and direction-changing characters


class PreviewError(Exception):
    """The artifact (or the configuration) is refused; the message says why."""


@dataclass(frozen=True)
class Config:
    """``[tool.papercat]`` of pyproject.toml: where previews live and how many are kept."""

    base_url: str
    limit: int
    max_mb: int


@dataclass(frozen=True)
class PaperChange:
    """One paper of ``changes.json``, checked."""

    status: str
    id: str
    title: str
    topics: tuple[str, ...]
    old_topics: tuple[str, ...]


def load_config(path: Path = PYPROJECT) -> Config:
    """The preview settings; a base URL must be an absolute http(s) address ending in /."""
    with path.open("rb") as f:
        table = tomllib.load(f).get("tool", {}).get("papercat", {})
    base = table.get("preview-base-url", "")
    if not isinstance(base, str) or not re.fullmatch(r"https?://[^\s?#]+/", base):
        raise PreviewError(f"{path.name}: [tool.papercat] preview-base-url must be an "
                           f"http(s) address ending in /, got {describe(base)}")  # fmt: skip
    limit, max_mb = table.get("preview-limit", 20), table.get("preview-max-mb", 500)
    if not all(isinstance(v, int) and v > 0 for v in (limit, max_mb)):
        raise PreviewError(f"{path.name}: preview-limit and preview-max-mb must be positive")
    return Config(base, limit, max_mb)


def preview_url(config: Config, pr: int) -> str:
    return f"{config.base_url}pr-{pr}/"


def pr_number(text: str, source: str = PR_FILE) -> int:
    """A pull request number as written in ``source`` (one final newline allowed)."""
    value = text.removesuffix("\n")
    if not value:
        raise PreviewError(f"{source}: empty; expected the pull request number")
    if not _PR.fullmatch(value):
        raise PreviewError(f"{source}: not a pull request number (digits only, no "
                           f"leading zero): {describe(value)}")  # fmt: skip
    if len(value) > MAX_PR_DIGITS:
        raise PreviewError(f"{source}: {len(value)} digits; a pull request number "
                           f"has at most {MAX_PR_DIGITS}")  # fmt: skip
    return int(value)


def read_pr(path: Path) -> int:
    """The number in pr.txt; only its first bytes are read, whatever its size."""
    with path.open("rb") as f:
        data = f.read(MAX_PR_DIGITS + 2)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise PreviewError(f"{PR_FILE}: not a pull request number (not ASCII)") from None
    return pr_number(text)


def check_tree(artifact: Path, max_bytes: int) -> None:
    """Plain files and folders only (no links, devices or pipes), none hidden, within the
    limits. A built site has no hidden names, and on the host they could steer git
    (``.git``, ``.gitattributes``, ``.gitmodules``)."""
    files = size = 0
    for folder, dirs, names in os.walk(artifact):
        for name in dirs + names:
            path = Path(folder, name)
            if name.startswith("."):
                rel = path.relative_to(artifact).as_posix()
                raise PreviewError(f"{rel}: a hidden name; a built site has none")
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                rel = path.relative_to(artifact).as_posix()
                raise PreviewError(f"{rel}: not a plain file or folder")
            files, size = files + 1, size + info.st_size
            if files > MAX_FILES:
                raise PreviewError(f"more than {MAX_FILES} files; a preview holds at most that")
            if size > max_bytes:
                raise PreviewError(f"more than {max_bytes / 1e6:.0f} MB; a preview holds at "
                                   "most that")  # fmt: skip


def _ids(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > 100:
        raise PreviewError(f"{where}: expected a list of ids")
    for item in value:
        if not isinstance(item, str) or check_id(item):
            raise PreviewError(f"{where}: not an id: {describe(item)}")
    return tuple(value)


def _title(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TITLE:
        raise PreviewError(f"{where}: expected a title of 1 to {MAX_TITLE} characters")
    return "".join("\ufffd" if unicodedata.category(c) in _HIDDEN else c for c in value)


def read_changes(path: Path) -> list[PaperChange]:
    """changes.json, every value checked (ids as ids, titles as text, known statuses)."""
    if path.stat().st_size > MAX_CHANGES_BYTES:
        raise PreviewError(f"{CHANGES_FILE}: larger than {MAX_CHANGES_BYTES // 1_000_000} MB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PreviewError(f"{CHANGES_FILE}: not JSON ({exc})") from None
    rows = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(rows, list) or len(rows) > MAX_PAPERS:
        raise PreviewError(f'{CHANGES_FILE}: expected {{"papers": [...]}}')
    papers = []
    for n, row in enumerate(rows):
        where = f"{CHANGES_FILE}: papers[{n}]"
        if not isinstance(row, dict) or row.get("status") not in STATUSES:
            raise PreviewError(f"{where}: status must be one of {', '.join(STATUSES)}")
        (pid,) = _ids([row.get("id")], f"{where}.id")
        papers.append(PaperChange(row["status"], pid, _title(row.get("title"), f"{where}.title"),
                                  _ids(row.get("topics"), f"{where}.topics"),
                                  _ids(row.get("old_topics"), f"{where}.old_topics")))  # fmt: skip
    return papers


def moves(papers: list[PaperChange]) -> dict[str, tuple[list[str], list[str]]]:
    """Topic id -> (papers that moved in, papers that moved out), by id. An added paper
    moves into each of its topics, a removed one out of each of its old ones."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for paper in papers:
        now, before = set(paper.topics), set(paper.old_topics)
        for tid in sorted(now - before):
            found.setdefault(tid, ([], []))[0].append(paper.id)
        for tid in sorted(before - now):
            found.setdefault(tid, ([], []))[1].append(paper.id)
    return dict(sorted(found.items()))


def comment(pr: int, sha: str, url: str, papers: list[PaperChange], site: Path) -> str:
    """The pull request comment: the home page, each added or changed paper's page, and
    the topic pages the papers moved in or out of; a link only where the preview has
    the page (a removed paper or a deleted topic has none)."""

    def link(text: str, path: str) -> str:
        return f"[{text}]({url}{path})" if (site / path / "index.html").is_file() else text

    lines = [MARKER, f"### Preview of #{pr}", "",
             f"The site as this pull request builds it, at {sha[:7]}: [home page]({url}). "
             "Updated on every push, removed when the pull request closes.", ""]  # fmt: skip
    if not papers:
        lines.append("This pull request adds, changes or removes no paper files.")
        return "\n".join(lines) + "\n"
    lines += ["**Papers**", ""]
    for paper in papers[:LISTED]:
        title = escape(paper.title)
        if paper.status == "removed":
            lines.append(f"- removed: {title} (`{paper.id}`)")
        else:
            lines.append(f"- {paper.status}: {link(title, f'papers/{paper.id}/')}")
    if len(papers) > LISTED:
        lines.append(f"- and {len(papers) - LISTED} more (the CI run's summary lists them all)")
    topics = moves(papers)
    if topics:
        lines += ["", "**Topics these papers moved in or out of**", ""]
    for tid, (moved_in, moved_out) in list(topics.items())[:LISTED]:
        parts = [f"{label}: " + ", ".join(f"`{p}`" for p in ids)
                 for label, ids in (("in", moved_in), ("out", moved_out)) if ids]  # fmt: skip
        lines.append(f"- {link(tid, f'topics/{tid}/')}: {'; '.join(parts)}")
    if len(topics) > LISTED:
        lines.append(f"- and {len(topics) - LISTED} more topics")
    return "\n".join(lines) + "\n"


def check(artifact: Path, sha: str, out: Path, config: Config) -> int:
    """Check the artifact; write ``pr.txt`` and ``comment.md`` into ``out`` (created
    only once everything passed). Returns the pull request number."""
    if not _SHA.fullmatch(sha):
        raise PreviewError(f"--sha: not a commit id: {describe(sha)}")
    for name, kind in ((PR_FILE, "file"), (CHANGES_FILE, "file"), (SITE_DIR, "folder")):
        path = artifact / name
        if not (path.is_dir() if kind == "folder" else path.is_file()) or path.is_symlink():
            raise PreviewError(f"{name}: missing (expected a {kind} in the artifact)")
    pr = read_pr(artifact / PR_FILE)
    check_tree(artifact, config.max_mb * 1_000_000)
    site = artifact / SITE_DIR
    for page in ("index.html", "404.html"):
        if not (site / page).is_file():
            raise PreviewError(f"{SITE_DIR}/{page}: missing; not a built site")
    text = comment(pr, sha, preview_url(config, pr), read_changes(artifact / CHANGES_FILE), site)
    out.mkdir(parents=True)
    (out / PR_FILE).write_text(f"{pr}\n", encoding="ascii")
    (out / COMMENT_FILE).write_text(text, encoding="utf-8")
    return pr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.site.preview")
    sub = parser.add_subparsers(dest="command", required=True)
    url = sub.add_parser("url", help="the preview address of pull request N (CI's site_url)")
    url.add_argument("--pr", required=True)
    chk = sub.add_parser("check", help="check CI's artifact; write pr.txt and comment.md")
    chk.add_argument("artifact", type=Path)
    chk.add_argument("--sha", required=True, help="the pull request's head commit (the event's)")
    chk.add_argument("--out", type=Path, required=True, help="a folder to create")
    args = parser.parse_args(argv)
    try:
        config = load_config()
        if args.command == "url":
            print(preview_url(config, pr_number(args.pr, "--pr")))
        else:
            pr = check(args.artifact, args.sha, args.out, config)
            print(f"pull request #{pr}: the artifact passed every check", file=sys.stderr)
    except PreviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
