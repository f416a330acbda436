"""Build the HTML site (``site/``) from ``docs/`` beside the old one, check it, swap it in.

    papercat site [--renderer mkdocs|zensical] [--config mkdocs.yml] [--site-dir DIR]

MkDocs (or Zensical, which reads the same ``mkdocs.yml``) renders into a fresh folder
next to the site folder; the internal link check runs on that folder; only when both
succeed is the new folder renamed into place. Any failure leaves the previous site
exactly as it was and removes the half-built folder. The site folder defaults to
``site/`` for MkDocs and ``site-zensical/`` for Zensical.

MkDocs runs in-process (``mkbuild.py``): pages are rendered on every core, and a page
whose inputs are unchanged is hard-linked from the previous ``site/`` instead. The
link check likewise re-reads only changed pages. Both remember what they did in
``.cache/papercat/`` beside the config; deleting that folder only costs time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import Abort, ConfigurationError

from generator.site import mkbuild
from generator.site.htmlsqueeze import squeeze_tree
from generator.site.linkcheck import Scan, check_site
from generator.site.sitemaps import split_sitemap

CACHE = Path(".cache/papercat")
RENDERERS = ("mkdocs", "zensical")
DEFAULT_SITE = {"mkdocs": Path("site"), "zensical": Path("site-zensical")}


class SiteBuildError(Exception):
    """The site could not be built or checked; ``site/`` was left untouched."""


def build_site(
    config: Path,
    site_dir: Path,
    *,
    after_build: Callable[[Path], None] | None = None,
    cache_dir: Path | None = None,
    verbose: bool = False,
    renderer: str = "mkdocs",
) -> Path:
    """Render strictly with ``renderer`` into a staging folder, check links, swap."""
    site_dir = site_dir.absolute()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-site-", dir=site_dir.parent))
    try:
        cache = cache_dir or config.absolute().parent / CACHE
        tag = hashlib.sha256(str(site_dir).encode()).hexdigest()[:12]
        pages_cache, scans_cache = cache / f"site-{tag}.json", cache / f"links-{tag}.pickle"
        start = time.perf_counter()
        stats = None
        if renderer == "mkdocs":
            try:
                stats = mkbuild.build(config, staging, previous=site_dir, cache=pages_cache)
            except (mkbuild.MkBuildError, ConfigurationError, Abort) as exc:
                raise SiteBuildError(f"mkdocs build failed:\n{exc}") from exc
        else:
            render(renderer, config.absolute(), staging)
        split_sitemap(staging)  # an index past 1,000 addresses (sitemaps.py says why)
        built = time.perf_counter()
        # Zensical rewrites every page, so the page scans of a previous build never apply.
        scans = _load_scans(scans_cache) if stats else {}
        broken = check_site(staging, scans=scans)
        if verbose and stats:
            print(f"  mkdocs      {built - start:8.1f} s  ({stats.rendered} pages rendered on "
                  f"{stats.workers} cores, {stats.reused} unchanged)\n"
                  f"  link check  {time.perf_counter() - built:8.1f} s", file=sys.stderr)  # fmt: skip
        if broken:
            lines = "\n".join(str(b) for b in broken)
            raise SiteBuildError(f"{len(broken)} broken internal links:\n{lines}")
        if after_build:
            after_build(staging)  # test hook: fail "halfway", after building
        _swap(staging, site_dir)
        if stats and stats.rendered >= 0:
            mkbuild.save_cache(pages_cache, site_dir, stats)
            _save_scans(scans_cache, scans)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site_dir


def render(renderer: str, config: Path, out: Path) -> None:
    """Run one renderer as a command on ``config`` into ``out`` (what the tests and
    Zensical builds use); raise SiteBuildError on failure."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    overlay = None
    if renderer == "mkdocs":
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(config), "--site-dir", str(out)]  # fmt: skip
    elif renderer == "zensical":
        # Zensical has no --site-dir: a config beside the real one (relative paths
        # resolve the same) inherits it and names the staging folder.
        overlay = config.with_name(f".{out.name}.yml")
        overlay.write_text(f"INHERIT: {config.name}\nsite_dir: {out}\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(overlay)]
    else:
        raise SiteBuildError(f"unknown renderer {renderer!r} (expected one of {RENDERERS})")
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=config.parent)
    finally:
        if overlay:
            overlay.unlink(missing_ok=True)
    if result.returncode != 0:
        output = (result.stderr + result.stdout).strip()
        raise SiteBuildError(f"{renderer} build failed:\n{output}")
    squeeze_tree(out.rglob("*.html"))


def _load_scans(path: Path) -> dict[str, Scan]:
    """The link check's page scans of the last build; anything unreadable: none."""
    try:
        with path.open("rb") as f:
            scans = pickle.load(f)  # our own file in .cache/, written by _save_scans
        return scans if isinstance(scans, dict) else {}
    except Exception:  # a missing, stale or corrupt cache only costs time
        return {}


def _save_scans(path: Path, scans: dict[str, Scan]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump(scans, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


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


def run(
    config: Path, site_dir: Path | None, renderer: str = "mkdocs", verbose: bool = False
) -> int:
    """Build, check and swap in the site; print the outcome; return the exit status."""
    site_dir = site_dir or DEFAULT_SITE[renderer]
    try:
        site = build_site(config, site_dir, verbose=verbose, renderer=renderer)
    except SiteBuildError as exc:
        print(f"{exc}\nThe previous {site_dir}/ is unchanged.", file=sys.stderr)
        return 1
    pages = sum(1 for _ in (site / "papers").rglob("index.html"))
    print(f"{site_dir}/ is ready ({renderer}): {pages} paper pages", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``papercat site``, the same as ``papercat site``."""
    parser = argparse.ArgumentParser(prog="papercat site", description=__doc__)
    parser.add_argument("--renderer", choices=RENDERERS, default="mkdocs")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--site-dir", type=Path, help="default: site (mkdocs), site-zensical")
    parser.add_argument("--verbose", action="store_true", help="print stage times")
    args = parser.parse_args(argv)
    return run(args.config, args.site_dir, args.renderer, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
