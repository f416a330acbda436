"""The map's data files (render/maptiles.py): every paper in exactly one file, each file
inside its square and at most ``per_file`` papers, the first file a sample of the whole
field with a density grid of every paper, and the same files for the same points."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis.fieldmap import COLOURS, Point
from generator.render import maptiles

TOPICS = ["a", "b", "c"]

coordinate = st.integers(0, maptiles.SCALE).map(lambda k: k / maptiles.SCALE)
points = st.lists(
    st.tuples(coordinate, coordinate, st.integers(0, COLOURS), st.sets(st.sampled_from(TOPICS), min_size=1)),
    max_size=300,
).map(
    lambda rows: [
        Point(f"p{i}", f"Paper <{i}> & \"{i}\"", x, y, c, tuple(sorted(t)))
        for i, (x, y, c, t) in enumerate(rows)
    ]
)  # fmt: skip


def _square(path: str) -> tuple[float, float, float]:
    """(x0, y0, side) of a file's square, as the browser computes it."""
    x0 = y0 = 0.0
    size = 1.0
    for q in path[1:]:
        size /= 2
        x0 += (int(q) % 2) * size
        y0 += (int(q) // 2) * size
    return x0, y0, size


def _files(data: maptiles.MapData) -> dict[str, dict]:
    return {name.split(".")[0]: json.loads(data.files[f"{maptiles.FOLDER}/{name}.json"])
            for name in data.names}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(points=points, per_file=st.integers(1, 40))
def test_every_paper_once_in_its_square(points, per_file):
    data = maptiles.map_data(points, TOPICS, per_file)
    files = _files(data)
    assert list(files) == sorted(files) and next(iter(files)) == "r"
    assert data.first == f"{maptiles.FOLDER}/{data.names[0]}.json"
    by_id = {p.id: p for p in points}
    seen = []
    for path, f in files.items():
        assert len(f["id"]) <= per_file or len(path) - 1 == maptiles.MAX_DEPTH
        assert path == "r" or path[:-1] in files  # every file's parent is there
        x0, y0, size = _square(path)
        for k, pid in enumerate(f["id"]):
            p = by_id[pid]
            seen.append(pid)
            assert (f["x"][k], f["y"][k]) == (
                round(p.x * maptiles.SCALE),
                round(p.y * maptiles.SCALE),
            )
            assert x0 <= p.x <= x0 + size and y0 <= p.y <= y0 + size
            assert f["title"][k] == p.title and f["c"][k] == p.colour
            assert [TOPICS[t] for t in f["t"][k]] == list(p.topics)
        # A file with children is full: only what it cannot hold goes down.
        if any(other.startswith(path) and other != path for other in files):
            assert len(f["id"]) == per_file
    assert sorted(seen) == sorted(by_id)
    assert maptiles.map_data(points, TOPICS, per_file) == data


@settings(max_examples=30, deadline=None)
@given(points=points)
def test_the_first_file_counts_every_paper(points):
    files = _files(maptiles.map_data(points, TOPICS, 10))
    grid = files["r"].get("grid")
    if len(files) == 1:
        assert grid is None  # everything is drawn: nothing to shade
        return
    cols, rows = maptiles.GRID
    assert (grid["cols"], grid["rows"]) == (cols, rows)
    assert sum(grid["n"]) == len(points) and min(grid["n"]) > 0
    assert grid["cell"] == sorted(set(grid["cell"]))
    for cell, n, colour in zip(grid["cell"], grid["n"], grid["c"], strict=True):
        inside = [p for p in points
                  if min(int(p.x * cols), cols - 1) + cols * min(int(p.y * rows), rows - 1) == cell]  # fmt: skip
        assert len(inside) == n
        counts = [sum(p.colour == c for p in inside) for c in range(COLOURS + 1)]
        assert colour == counts.index(max(counts))


def test_an_edit_moves_only_the_edited_paper():
    """Files take papers by a hash of their ids, so one moved paper changes the files it
    leaves and joins (and the first file's grid), not the sample everywhere."""
    grid = [Point(f"p{i}", "t", (i % 20) / 19, (i // 20) / 19, 0, ("a",)) for i in range(400)]
    before = _files(maptiles.map_data(grid, TOPICS, 25))
    moved = [*grid[:-1], Point("p399", "t", 0.01, 0.01, 0, ("a",))]
    after = _files(maptiles.map_data(moved, TOPICS, 25))
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert "r" in changed and 1 < len(changed) <= 1 + 2 * (maptiles.MAX_DEPTH + 1)
    assert len(changed) < len(before) / 2


def test_papers_at_one_spot_stop_at_the_deepest_file():
    same = [Point(f"p{i}", "t", 0.5, 0.5, 0, ("a",)) for i in range(50)]
    files = _files(maptiles.map_data(same, TOPICS, 3))
    deepest = max(files, key=len)
    assert len(deepest) - 1 == maptiles.MAX_DEPTH
    assert sum(len(f["id"]) for f in files.values()) == 50
