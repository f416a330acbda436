"""site/previewhost.py: publishing pr-<N>/ into the preview host's files, and pruning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.site import previewhost
from generator.site.previewhost import Preview, plan, update

MB = 1_000_000


def previews(*rows: tuple[int, str, int]) -> dict[int, Preview]:
    return {pr: Preview(pr, "", updated, size * MB) for pr, updated, size in rows}


THREE = previews((3, "2026-12-01T10:00:00Z", 10), (5, "2026-12-02T10:00:00Z", 10),
                 (7, "2026-12-03T10:00:00Z", 10))  # fmt: skip


@pytest.mark.parametrize(
    ("found", "keep", "open_prs", "limit", "max_mb", "expected"),
    [
        (THREE, None, None, 3, 100, []),
        (THREE, None, None, 2, 100, [(3, "oldest")]),
        (THREE, None, None, 1, 100, [(3, "oldest"), (5, "oldest")]),
        # the one being published stays, even when it is the oldest record
        (THREE, 3, None, 1, 100, [(5, "oldest"), (7, "oldest")]),
        # closed pull requests go first, whatever their age
        (THREE, None, {3, 7}, 3, 100, [(5, "closed")]),
        (THREE, 7, set(), 3, 100, [(3, "closed"), (5, "closed")]),
        (THREE, None, {3, 5, 7}, 5, 25, [(3, "oldest")]),  # 30 MB over 25 MB
        (THREE, None, {3, 5, 7}, 5, 5, [(3, "oldest"), (5, "oldest"), (7, "oldest")]),
        # a folder the manifest does not know ("" for its time) counts as the oldest
        ({**THREE, **previews((9, "", 1))}, None, None, 3, 100, [(9, "oldest")]),
        # ties in time go by number
        (previews((8, "t", 1), (4, "t", 1)), None, None, 1, 100, [(4, "oldest")]),
        ({}, None, set(), 1, 1, []),
    ],
)
def test_plan(found, keep, open_prs, limit, max_mb, expected):
    assert plan(found, keep=keep, open_prs=open_prs, limit=limit, max_bytes=max_mb * MB) == expected


def site(folder: Path, text: str) -> Path:
    (folder / "papers" / "a").mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "404.html").write_text("<h1>404</h1>")
    (folder / "papers" / "a" / "index.html").write_text(text)
    return folder


def at(hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, 1, hour, tzinfo=dt.UTC)


def files(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())


def test_publish_replace_and_prune(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / ".git").mkdir()  # a clone: its .git is left alone
    (tree / ".git" / "HEAD").write_text("ref")
    one, two = site(tmp_path / "one", "one"), site(tmp_path / "two", "two")
    common = {"limit": 2, "max_bytes": 10 * MB}
    assert update(tree, site=one, pr=12, sha="a" * 40, now=at(10), **common) == []
    assert update(tree, site=two, pr=13, sha="b" * 40, now=at(11), **common) == []
    (one / "index.html").write_text("one, pushed again")
    (one / "papers" / "a" / "index.html").unlink()
    assert update(tree, site=one, pr=12, sha="c" * 40, now=at(12), **common) == []
    assert files(tree) == [
        ".git/HEAD", ".nojekyll", "404.html", "index.html",
        "pr-12/404.html", "pr-12/index.html", "pr-12/preview-sha.txt",
        "pr-13/404.html", "pr-13/index.html", "pr-13/papers/a/index.html", "pr-13/preview-sha.txt",
        "previews.json",
    ]  # fmt: skip
    assert (tree / "pr-12" / "index.html").read_text() == "one, pushed again"
    assert (tree / "pr-12" / "preview-sha.txt").read_text() == "c" * 40 + "\n"
    assert json.loads((tree / "previews.json").read_text()) == {"previews": {
        "12": {"sha": "c" * 40, "updated": "2026-12-01T12:00:00Z"},
        "13": {"sha": "b" * 40, "updated": "2026-12-01T11:00:00Z"},
    }}  # fmt: skip
    # A third preview over the limit of two: the least recently published one goes.
    assert update(tree, site=two, pr=14, sha="d" * 40, now=at(13), **common) == [(13, "oldest")]
    assert sorted(p.name for p in tree.glob("pr-*")) == ["pr-12", "pr-14"]
    index = (tree / "index.html").read_text()
    assert '<a href="pr-14/">#14</a>, 2026-12-01T13:00:00Z (ddddddd)' in index
    assert index.index("#14") < index.index("#12")  # newest first
    # A sweep with no site: only pull requests 14 and 20 are open.
    (tmp_path / "open.txt").write_text("14\n20\n")
    assert previewhost.main([str(tree), "--open", str(tmp_path / "open.txt")]) == 0
    assert sorted(p.name for p in tree.glob("pr-*")) == ["pr-14"]
    assert list(json.loads((tree / "previews.json").read_text())["previews"]) == ["14"]


def test_the_root_pages(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    update(tree, open_prs=set(), limit=1, max_bytes=MB, now=at(1))
    assert files(tree) == [".nojekyll", "404.html", "index.html", "previews.json"]
    assert "<p>No previews.</p>" in (tree / "index.html").read_text()
    assert (tree / "404.html").read_text() == previewhost.ROOT_404


def test_a_broken_manifest_counts_every_folder_as_oldest(tmp_path):
    tree = tmp_path / "tree"
    site(tree / "pr-3", "x")
    (tree / "pr-x").mkdir()  # not a preview folder: never touched
    (tree / "previews.json").write_text("{not json")
    found = previewhost.scan(tree)
    assert list(found) == [3] and found[3].updated == "" and found[3].size > 0
    assert update(tree, site=site(tmp_path / "s", "s"), pr=4, sha="e" * 40, now=at(2),
                  limit=1, max_bytes=MB) == [(3, "oldest")]  # fmt: skip
    assert (tree / "pr-x").is_dir()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "s", "--pr", "../1"], "error: --pr: not a pull request number"),
        (["--open", "open.txt"], "error: open.txt: not a pull request number"),
    ],
)
def test_bad_numbers_change_nothing(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tree").mkdir()
    (tmp_path / "open.txt").write_text("12\n13; rm -rf /\n")
    assert previewhost.main(["tree", *args]) == 1
    assert capsys.readouterr().err.startswith(message)
    assert list((tmp_path / "tree").iterdir()) == []
