"""Golden-file tests: the tiny fixture catalogue must render exactly as recorded.

Regenerate after an intended change with:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.build import build

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _vendored(path: Path) -> bool:
    """lunr.js and the theme's icons, copied from packages by the build: never recorded
    in the repository."""
    if "icons" in path.parts and "images" in path.parts:
        return True
    return path.parent.name == "search" and path.name.startswith("lunr.")


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not _vendored(p)
    }


@pytest.mark.parametrize("name", ["tiny"])
def test_rendered_docs_match_golden(tmp_path, name):
    out = tmp_path / "docs"
    build(FIXTURES / name, out)
    expected_dir = GOLDEN / name
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(
            out, expected_dir, ignore=lambda d, names: [n for n in names if _vendored(Path(d) / n)]
        )
    actual, expected = _tree(out), _tree(expected_dir)
    assert sorted(actual) == sorted(expected), "set of generated files changed"
    for rel, data in expected.items():
        assert actual[rel].decode() == data.decode(), f"{rel} differs from tests/golden/{name}/"


def test_golden_paper_page_shows_text_verbatim():
    """The recorded page itself escapes what must be inert (guards a careless update)."""
    page = (GOLDEN / "tiny" / "papers" / "thinking-tags" / "index.md").read_text()
    assert "&lt;think&gt; and &lt;/think&gt; tags" in page
    assert "100% of {% raw %} stays text" in page
    assert "{{ braces }}" in page
    assert "<think>" not in page.split("---", 2)[2]
    adamoe = (GOLDEN / "tiny" / "papers" / "adamoe" / "index.md").read_text()
    assert '"&lt;EOS&gt;" vs.' in adamoe
    assert "experts_and_underscores *stars* | pipes" in adamoe
