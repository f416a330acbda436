"""Build the HTML site (``site/``) from ``docs/`` beside the old one, check it, swap it in.

    python -m generator.sitebuild [--config mkdocs.yml] [--site-dir site]

MkDocs renders into a fresh folder next to ``site/``; the internal link check runs on
that folder; only when both succeed is the new folder renamed into place. Any failure
leaves the previous ``site/`` exactly as it was and removes the half-built folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .linkcheck import check_site


class SiteBuildError(Exception):
    """The site could not be built or checked; ``site/`` was left untouched."""


def build_site(
    config: Path,
    site_dir: Path,
    *,
    after_build: Callable[[Path], None] | None = None,
) -> Path:
    """Build with ``mkdocs build --strict`` into a staging folder, check links, swap."""
    site_dir = site_dir.absolute()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-site-", dir=site_dir.parent))
    try:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
             "--config-file", str(config), "--site-dir", str(staging)],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise SiteBuildError(f"mkdocs build failed:\n{result.stderr.strip()}")
        broken = check_site(staging)
        if broken:
            lines = "\n".join(str(b) for b in broken)
            raise SiteBuildError(f"{len(broken)} broken internal links:\n{lines}")
        if after_build:
            after_build(staging)  # test hook: fail "halfway", after building
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site_dir


def _swap(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; the old ``target`` is removed only afterwards."""
    old = target.with_name(f".build-old-{target.name}-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.sitebuild", description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    try:
        site = build_site(args.config, args.site_dir)
    except SiteBuildError as exc:
        print(f"{exc}\nThe previous {args.site_dir}/ is unchanged.", file=sys.stderr)
        return 1
    pages = sum(1 for _ in (site / "papers").rglob("index.html"))
    print(f"{args.site_dir}/ is ready: {pages} paper pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
