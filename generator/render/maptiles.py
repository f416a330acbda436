"""The map's data files: every paper's position, in files the browser loads as the
reader zooms in, so the Map page itself holds no paper (it was 27 MB of inline SVG at
100,000 papers).

The files form a quadtree over the map's unit square. The first file, ``r``, holds up
to ``per_file`` papers spread over the whole field, and a density grid counting every
paper; file ``r`` + q (q = 0 top left, 1 top right, 2 bottom left, 3 bottom right)
holds up to ``per_file`` more of that quarter, ``r`` + q + q' more of its quarter, and
so on until a file holds all that is left of its square. A paper is in exactly one
file. Which papers a file takes comes from a hash of their ids (the lowest first), so
every file is an even sample of its square, and an edit moves only the edited papers.
The canvas (``overrides/assets/papercat-map.js``) draws a file once its square is in
view and big enough on screen, so the number of dots on screen stays about the same
at every zoom, and a phone draws the first file alone.

Each file is compact JSON in columns: ``id``, ``title``, ``x`` and ``y`` (integers,
the layout's four decimals times 10,000), ``c`` (colour, the legend's index) and ``t``
(topics, as indexes into the page's list). Names carry a hash of the content, so a
browser never mixes files of two builds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from generator.analysis.fieldmap import COLOURS, Point

FOLDER = "assets/map"
SCALE = 10_000  # fieldmap.layout rounds to four decimals: integers lose nothing
# A file at this depth holds all its papers, however many: its square is 1/4096 of
# the map's side, below the layout's resolution, so splitting it further may not end.
MAX_DEPTH = 12
# The density grid (columns, rows): square cells on the map's 1000 x 640 canvas.
GRID = (100, 64)


@dataclass(frozen=True)
class MapData:
    """What the build writes for the map: the files (path under ``docs/`` -> text) and
    their names (``r.<hash>``, ``r0.<hash>`` ...) in tree order, for the page."""

    files: dict[str, str]
    names: tuple[str, ...]

    @property
    def first(self) -> str:
        """The path of the first file (the whole field), for the page to preload."""
        return f"{FOLDER}/{self.names[0]}.json"


def _priority(point: Point) -> tuple[bytes, str]:
    return hashlib.sha256(point.id.encode("utf-8")).digest()[:8], point.id


def _quarters(
    points: Sequence[Point], members: list[int], x0: float, y0: float, half: float
) -> list[list[int]]:
    """``members`` split by quarter of the square at (x0, y0) with sides 2 * half, each
    in the order given (the boundaries are binary fractions: exact in floats, and the
    same in JavaScript)."""
    out: list[list[int]] = [[], [], [], []]
    for i in members:
        p = points[i]
        out[(p.x >= x0 + half) + 2 * (p.y >= y0 + half)].append(i)
    return out


def _tree(points: Sequence[Point], per_file: int) -> list[tuple[str, list[int]]]:
    """(path, members) of every file, paths in sorted order."""
    order = sorted(range(len(points)), key=lambda i: _priority(points[i]))
    out = []
    todo = [("r", order, 0.0, 0.0, 1.0)]
    while todo:
        path, members, x0, y0, size = todo.pop()
        keep = members if len(path) - 1 == MAX_DEPTH else members[:per_file]
        out.append((path, keep))
        half = size / 2
        quarters = _quarters(points, members[len(keep) :], x0, y0, half)
        for q in (3, 2, 1, 0):  # popped 0 first: paths come out in sorted order
            if quarters[q]:
                todo.append((f"{path}{q}", quarters[q], x0 + half * (q % 2), y0 + half * (q // 2), half))  # fmt: skip
    return out


def _grid(points: Sequence[Point]) -> dict[str, object]:
    """Every paper counted in a cell of ``GRID``: the non-empty cells (index = row *
    columns + column), their counts and their commonest colour (the lowest on a tie)."""
    cols, rows = GRID
    xy = np.array([(p.x, p.y) for p in points], dtype=np.float64).reshape(-1, 2)
    colour = np.array([p.colour for p in points], dtype=np.int64)
    cell = np.minimum((xy[:, 0] * cols).astype(np.int64), cols - 1) + cols * np.minimum(
        (xy[:, 1] * rows).astype(np.int64), rows - 1
    )
    counts = np.zeros((cols * rows, COLOURS + 1), dtype=np.int64)
    np.add.at(counts, (cell, colour), 1)
    used = np.flatnonzero(counts.sum(axis=1))
    return {
        "cols": cols,
        "rows": rows,
        "cell": used.tolist(),
        "n": counts[used].sum(axis=1).tolist(),
        "c": counts[used].argmax(axis=1).tolist(),
    }


def _file(points: Sequence[Point], members: list[int], topics: dict[str, int]) -> dict:
    shown = [points[i] for i in members]
    return {
        "id": [p.id for p in shown],
        "title": [p.title for p in shown],
        "x": [round(p.x * SCALE) for p in shown],
        "y": [round(p.y * SCALE) for p in shown],
        "c": [p.colour for p in shown],
        "t": [[topics[t] for t in p.topics] for p in shown],
    }


def map_data(points: Sequence[Point], topics: Sequence[str], per_file: int) -> MapData:
    """The map's files for ``points``; ``topics`` are the topic ids in the order the
    page lists them (a point's topics are indexes into it)."""
    index = {t: k for k, t in enumerate(topics)}
    tree = _tree(points, per_file)
    files, names = {}, []
    for path, members in tree:
        data = _file(points, members, index)
        if path == "r" and len(tree) > 1:  # the first file draws a sample: say where the rest is
            data["grid"] = _grid(points)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        name = f"{path}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}"
        files[f"{FOLDER}/{name}.json"] = text
        names.append(name)
    return MapData(files, tuple(names))
