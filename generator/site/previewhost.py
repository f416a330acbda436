"""The preview host's folder: one ``pr-<N>/`` per pull request, pruned, and its root pages.

    python -m generator.site.previewhost TREE [--site DIR --pr N --sha SHA]
                                              [--open FILE] [--limit N] [--max-mb MB]

The preview workflow fetches what the host serves into TREE (a clone of the preview
repository), runs this, and puts TREE back. With ``--site`` it publishes a checked site
(``preview.py check``) as ``pr-<N>/``, with ``preview-sha.txt`` naming the commit, so the
workflow can tell when the host serves it. Then it removes previews: those of pull
requests not in ``--open`` (closed ones), then the oldest while more than ``--limit``
remain or they take more than ``--max-mb``, so the host stays well under GitHub Pages'
1 GB. ``previews.json`` records when each was published. The root gets ``index.html``
(the list of previews), ``.nojekyll`` and ``404.html``: GitHub Pages answers every
missing address with the root's 404 page, and that one shows the preview's own.

Standard library only, like ``preview.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.site.preview import PreviewError, load_config, pr_number

MANIFEST = "previews.json"
READY_FILE = "preview-sha.txt"
_FOLDER = re.compile(r"pr-([1-9][0-9]*)", re.ASCII)
# Any missing address: if it is inside pr-<N>/, show that preview's own 404 page (its
# links are absolute, /<path>/pr-<N>/..., so they work from any address); else say so.
ROOT_404 = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Not found</title></head>
<body>
<p id="pc-missing">There is no such page among the pull request previews.</p>
<script>
(function () {
  var match = location.pathname.match(/^(.*?\\/pr-[1-9][0-9]*\\/)/);
  if (!match) return;
  fetch(match[1] + "404.html").then(function (response) {
    if (!response.ok) throw new Error(String(response.status));
    return response.text();
  }).then(function (page) {
    document.open();
    document.write(page);
    document.close();
  }).catch(function () {
    document.getElementById("pc-missing").textContent =
      "There is no such preview: it was removed when its pull request closed, or never existed.";
  });
})();
</script>
</body>
</html>
"""


@dataclass(frozen=True)
class Preview:
    """One published preview: its pull request, commit, time of publishing, size."""

    pr: int
    sha: str
    updated: str  # ISO 8601 UTC; "" when unknown (a folder the manifest lacks): oldest
    size: int


def _size(folder: Path) -> int:
    return sum(
        os.lstat(os.path.join(root, name)).st_size
        for root, _, names in os.walk(folder)
        for name in names
    )


def scan(tree: Path) -> dict[int, Preview]:
    """The previews in ``tree``: its pr-<N>/ folders, with the manifest's records."""
    try:
        records = json.loads((tree / MANIFEST).read_text(encoding="utf-8"))["previews"]
    except (OSError, ValueError, KeyError, TypeError):
        records = {}  # no manifest yet (or a broken one): every folder counts as oldest
    found = {}
    for entry in tree.iterdir():
        match = _FOLDER.fullmatch(entry.name)
        if match and entry.is_dir() and not entry.is_symlink():
            pr = int(match.group(1))
            record = records.get(str(pr)) if isinstance(records, dict) else None
            record = record if isinstance(record, dict) else {}
            found[pr] = Preview(pr, str(record.get("sha", "")), str(record.get("updated", "")),
                                _size(entry))  # fmt: skip
    return found


def plan(
    previews: dict[int, Preview],
    *,
    keep: int | None,
    open_prs: set[int] | None,
    limit: int,
    max_bytes: int,
) -> list[tuple[int, str]]:
    """(pull request, reason) of each preview to remove, in order: closed pull requests
    (when ``open_prs`` is known), then the oldest while more than ``limit`` previews are
    left or they hold more than ``max_bytes``. ``keep`` (the one being published) stays."""
    closed = sorted(p for p in previews if open_prs is not None and p not in open_prs and p != keep)
    removed = [(p, "closed") for p in closed]
    left = [v for p, v in previews.items() if p not in closed]
    count, total = len(left), sum(v.size for v in left)
    for old in sorted((v for v in left if v.pr != keep), key=lambda v: (v.updated, v.pr)):
        if count <= limit and total <= max_bytes:
            break
        removed.append((old.pr, "oldest"))
        count, total = count - 1, total - old.size
    return removed


def index_page(previews: dict[int, Preview]) -> str:
    items = [
        f'<li><a href="pr-{v.pr}/">#{v.pr}</a>, {html.escape(v.updated or "earlier")} '
        f"({html.escape(v.sha[:7] or 'unknown commit')})</li>"
        for v in sorted(previews.values(), key=lambda v: (v.updated, v.pr), reverse=True)
    ]
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="robots" content="noindex"><title>Pull request previews</title></head>\n'
        "<body>\n<h1>Pull request previews</h1>\n"
        + (f"<ul>\n{chr(10).join(items)}\n</ul>\n" if items else "<p>No previews.</p>\n")
        + "</body>\n</html>\n"
    )


def update(
    tree: Path,
    *,
    site: Path | None = None,
    pr: int | None = None,
    sha: str = "",
    open_prs: set[int] | None = None,
    limit: int,
    max_bytes: int,
    now: dt.datetime,
) -> list[tuple[int, str]]:
    """Publish ``site`` as pr-<pr>/ (if given), remove what ``plan`` says, rewrite the
    root pages; return the removed previews with their reasons."""
    previews = scan(tree)
    if site is not None and pr is not None:
        target = tree / f"pr-{pr}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(site, target, symlinks=True)  # the check refused any link
        (target / READY_FILE).write_text(f"{sha}\n", encoding="ascii")
        stamp = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        previews[pr] = Preview(pr, sha, stamp, _size(target))
    removed = plan(previews, keep=pr, open_prs=open_prs, limit=limit, max_bytes=max_bytes)
    for gone, _ in removed:
        shutil.rmtree(tree / f"pr-{gone}")
        del previews[gone]
    records = {str(p): {"sha": v.sha, "updated": v.updated} for p, v in sorted(previews.items())}
    (tree / MANIFEST).write_text(json.dumps({"previews": records}, indent=1) + "\n", "utf-8")
    (tree / "index.html").write_text(index_page(previews), encoding="utf-8")
    (tree / "404.html").write_text(ROOT_404, encoding="utf-8")
    (tree / ".nojekyll").write_text("", encoding="utf-8")
    return removed


def read_open(path: Path) -> set[int]:
    """The open pull requests' numbers, one a line (``gh pr list`` output)."""
    lines = path.read_text(encoding="ascii").splitlines()
    return {pr_number(line, path.name) for line in lines if line}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.site.previewhost")
    parser.add_argument("tree", type=Path, help="the preview host's files (a clone)")
    parser.add_argument("--site", type=Path, help="a site checked by preview.py check")
    parser.add_argument("--pr", help="its pull request number")
    parser.add_argument("--sha", default="", help="its commit")
    parser.add_argument("--open", type=Path, help="file of open pull request numbers")
    parser.add_argument("--limit", type=int, help="previews kept (default: pyproject.toml)")
    parser.add_argument("--max-mb", type=int, help="their total size (default: pyproject.toml)")
    args = parser.parse_args(argv)
    if (args.site is None) != (args.pr is None):
        parser.error("--site and --pr go together")
    try:
        config = load_config()
        pr = pr_number(args.pr, "--pr") if args.pr is not None else None
        open_prs = read_open(args.open) if args.open else None
        removed = update(
            args.tree, site=args.site, pr=pr, sha=args.sha, open_prs=open_prs,
            limit=args.limit or config.limit, max_bytes=(args.max_mb or config.max_mb) * 1_000_000,
            now=dt.datetime.now(dt.UTC),
        )  # fmt: skip
    except PreviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if pr is not None:
        print(f"published pr-{pr}/")
    for gone, reason in removed:
        print(f"removed pr-{gone}/ ({reason})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
