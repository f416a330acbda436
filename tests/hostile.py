"""Helpers shared by the hostile-content tests: assembling hostile catalogues from
tests/fixtures/hostile/ and running the CLI the way a contributor or CI would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
COMMON = "abstract: An abstract.\ntopics: [serving]\nadded: 2026-11-28\n"

# Cases that are bytes or file names rather than text, so they are made here instead
# of being committed (editors and git would "fix" them): name -> file bytes.
GENERATED: dict[str, bytes] = {
    "invalid-utf8.yml": b"# Invalid UTF-8\ntitle: Bad \xff\xfe bytes\n" + COMMON.encode(),
    "huge-abstract.yml": (
        "# An abstract over 1 MB\ntitle: Huge abstract\nabstract: "
        + "lol " * 300_000
        + "\ntopics: [serving]\nadded: 2026-11-28\n"
    ).encode(),
    "long-abstract.yml": (
        "# An abstract under the file limit but over the abstract limit\n"
        "title: Long abstract\nabstract: " + "word " * 4_100 + "\ntopics: [serving]\n"
        "added: 2026-11-28\n"
    ).encode(),
    "zero\u200bwidth-id.yml": b"title: Zero width id\n" + COMMON.encode(),
    "rtl\u202eid.yml": b"title: Right to left id\n" + COMMON.encode(),
    "newline\n.yml": b"title: Newline id\n" + COMMON.encode(),
}


def copy_content(dest: Path, *overlays: str, replace: bool = False) -> Path:
    """``dest/content``: the base catalogue plus overlay folders from fixtures/hostile/."""
    content = dest / "content"
    if replace:
        shutil.rmtree(content)
    shutil.copytree(HOSTILE / "base", content)
    for name in overlays:
        overlay = HOSTILE / name
        for sub in ("papers", "pages"):
            if (overlay / sub).is_dir():
                shutil.copytree(overlay / sub, content / sub, dirs_exist_ok=True)
        extra = overlay / "topics-extra.yml"
        if extra.is_file():
            with (content / "topics.yml").open("a", encoding="utf-8") as out:
                out.write(extra.read_text(encoding="utf-8"))
    return content


def add_generated(content: Path) -> None:
    """Add the byte-level cases and a symbolic link to ``content/papers``."""
    for name, data in GENERATED.items():
        (content / "papers" / name).write_bytes(data)
    (content / "papers" / "symlink.yml").symlink_to(Path("..") / "topics.yml")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in ``cwd`` (so paths in messages are relative)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
