"""build.sync_tree: docs/ made equal to the rendered pages, touching only what changed."""

from __future__ import annotations

from generator.build import sync_tree


def test_only_changed_files_are_written_and_stale_ones_go(tmp_path):
    src, dst = tmp_path / "staging", tmp_path / "docs"
    (src / "search").mkdir(parents=True)
    (src / "search" / "index.json").write_text("{}", encoding="utf-8")
    (dst / "old" / "deeper").mkdir(parents=True)
    (dst / "keep").mkdir()
    (dst / "keep" / "index.md").write_text("same", encoding="utf-8")
    (dst / "change.md").write_text("before", encoding="utf-8")
    (dst / "stale.md").write_text("gone", encoding="utf-8")
    (dst / "old" / "deeper" / "stale.md").write_text("gone", encoding="utf-8")
    kept = (dst / "keep" / "index.md").stat().st_ino
    pages = {"keep/index.md": "same", "change.md": "after", "new/deep/index.md": "é"}
    # changed: change.md, new/deep/index.md, search/index.json; removed: two stale files
    assert sync_tree(src, dst, pages) == 5
    files = {p.relative_to(dst).as_posix(): p.read_text(encoding="utf-8")
             for p in dst.rglob("*") if p.is_file()}  # fmt: skip
    assert files == {**pages, "search/index.json": "{}"}
    assert (dst / "keep" / "index.md").stat().st_ino == kept  # untouched, not rewritten
    assert not (dst / "old").exists()  # folders left empty go, deepest first
    assert sync_tree(src, dst, pages) == 0 and dst.is_dir()
    assert sync_tree(src, dst, {}) == 3 and sorted(p.name for p in dst.iterdir()) == ["search"]
