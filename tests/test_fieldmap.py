"""The map's layout: deterministic, in the unit square, topics kept together; with
landmarks (large catalogues) as well as with t-SNE on every paper."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.analysis import fieldmap
from generator.catalogue.load import load_tree
from generator.catalogue.validate import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_papers():
    records, topic_records, _ = load_tree(ROOT / "content")
    papers, _, _ = validate(records, topic_records)
    return papers


def _topic_spread(papers, xy) -> float:
    """Mean distance between papers sharing a first topic / mean distance overall."""
    first = np.array([p.topics[0] for p in papers])
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    same = first[:, None] == first[None, :]
    np.fill_diagonal(same, False)
    return float(d[same].mean() / d[~np.eye(len(papers), dtype=bool)].mean())


@pytest.mark.parametrize("landmarks", [2000, 60], ids=["t-sne", "landmarks"])
def test_layout_is_deterministic_and_groups_topics(seed_papers, monkeypatch, landmarks):
    monkeypatch.setattr(fieldmap, "LANDMARKS", landmarks)
    xy = fieldmap.layout(seed_papers)
    assert xy.shape == (len(seed_papers), 2)
    assert xy.min() == 0.0 and xy.max() == 1.0
    assert np.array_equal(xy, fieldmap.layout(seed_papers))
    assert _topic_spread(seed_papers, xy) < 0.8
    assert len({tuple(p) for p in xy}) > 0.9 * len(seed_papers)  # no pile-up on landmarks
