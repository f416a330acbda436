"""Builds are deterministic and atomic.

Deterministic: the same content gives byte-identical ``docs/`` (whatever the hash
seed) and a byte-identical ``site/`` apart from the dates MkDocs writes into the
sitemap. Atomic: a build that fails halfway leaves the previous ``docs/`` and
``site/`` exactly as they were, and no half-built folder behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_site
from hostile import copy_content

from generator.build import build
from generator.catalogue.model import ContentError
from generator.site.sitebuild import SiteBuildError
from generator.site.sitebuild import build_site as swap_build

SITEMAP = {"sitemap.xml", "sitemap.xml.gz"}  # MkDocs dates these (lastmod, gzip mtime)


def file_hashes(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".build"))


def generate(content: Path, out: Path, seed: str) -> None:
    """A clean build (no memo: each hash seed must render every page itself)."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content), "--out", str(out),
         "--no-cache"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


def mkdocs_config(work: Path, docs: Path) -> Path:
    config = work / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {os.path.relpath(docs, work)}\n"
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n",
        encoding="utf-8",
    )
    return config


# Deterministic ------------------------------------------------------------------------


def test_docs_are_byte_identical_across_builds_and_hash_seeds(tmp_path):
    generate(ROOT / "content", tmp_path / "one", seed="1")
    generate(ROOT / "content", tmp_path / "two", seed="2")
    one, two = file_hashes(tmp_path / "one"), file_hashes(tmp_path / "two")
    assert len(one) > 200
    assert one == two


def test_rebuilding_unchanged_content_rewrites_nothing(tmp_path):
    content = copy_content(tmp_path)
    first = build(content, tmp_path / "docs")
    assert first.written > 0
    assert build(content, tmp_path / "docs").written == 0


def test_site_is_byte_identical_apart_from_sitemap_dates(seed_site, renderer, tmp_path):
    again = build_site(ROOT / "content", tmp_path, renderer)
    one, two = file_hashes(seed_site), file_hashes(again)
    assert one.keys() == two.keys()
    differ = sorted(k for k in one if one[k] != two[k])
    assert set(differ) <= SITEMAP, differ

    def undated(site: Path) -> str:
        text = (site / "sitemap.xml").read_text(encoding="utf-8")
        return re.sub(r"<lastmod>[^<]*</lastmod>", "", text)

    assert undated(seed_site) == undated(again)


def test_site_is_fully_identical_with_source_date_epoch(tmp_path, monkeypatch):
    """With SOURCE_DATE_EPOCH set (reproducible-builds convention), even the sitemap."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    content = copy_content(tmp_path)
    one = build_site(content, tmp_path / "one")
    two = build_site(content, tmp_path / "two")
    assert file_hashes(one) == file_hashes(two)


# Atomic: docs/ --------------------------------------------------------------------------


@pytest.fixture
def built_docs(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    content = copy_content(tmp_path)
    docs = tmp_path / "docs"
    build(content, docs)
    # A real change, so a build that got through would alter docs/.
    paper = content / "papers" / "plain-paper.yml"
    paper.write_text(paper.read_text().replace("A plain paper", "A changed paper"))
    return content, docs, file_hashes(docs)


def test_failure_after_render_leaves_docs_untouched(built_docs):
    content, docs, before = built_docs

    def fail(staging: Path) -> None:
        # Rendered (pages in memory, exports in the staging folder), not synced.
        assert "A changed paper" in (staging / "papers.json").read_text(encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        build(content, docs, after_render=fail)
    assert file_hashes(docs) == before
    assert leftovers(docs.parent) == []


def test_validation_error_leaves_docs_untouched(built_docs):
    content, docs, before = built_docs
    (content / "papers" / "broken.yml").write_text("title: [not, text]\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(content, docs)
    assert file_hashes(docs) == before
    assert leftovers(docs.parent) == []


# Atomic: site/ --------------------------------------------------------------------------


@pytest.fixture
def built_site(tmp_path, renderer) -> tuple[Path, Path, Path, dict[str, str]]:
    """A small site built by generator/site/sitebuild.py with each renderer."""
    content = copy_content(tmp_path)
    docs, site = tmp_path / "docs", tmp_path / "site"
    build(content, docs)
    config = mkdocs_config(tmp_path, docs)
    swap_build(config, site, renderer=renderer)
    return docs, config, site, file_hashes(site)


def test_sitebuild_swaps_in_the_new_site(built_site, renderer):
    docs, config, site, before = built_site
    (docs / "extra.md").write_text("# Extra\n", encoding="utf-8")
    swap_build(config, site, renderer=renderer)
    after = file_hashes(site)
    assert "extra/index.html" in after and "extra/index.html" not in before
    assert leftovers(site.parent) == []


def test_failure_after_site_build_leaves_site_untouched(built_site, renderer):
    docs, config, site, before = built_site
    (docs / "extra.md").write_text("# Extra\n", encoding="utf-8")

    def fail(staging: Path) -> None:
        assert (staging / "extra" / "index.html").is_file()  # built, not swapped in
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        swap_build(config, site, after_build=fail, renderer=renderer)
    assert file_hashes(site) == before
    assert leftovers(site.parent) == []


def test_renderer_failure_leaves_site_untouched(built_site, renderer):
    docs, config, site, before = built_site
    (docs / "extra.md").write_text("# Extra\n", encoding="utf-8")
    config.write_text(config.read_text() + "site_name: [not, a, name]\n", encoding="utf-8")
    with pytest.raises(SiteBuildError, match=f"{renderer} build failed"):
        swap_build(config, site, renderer=renderer)
    assert file_hashes(site) == before
    assert leftovers(site.parent) == []


def test_link_to_missing_page_fails_the_site_build(built_site, renderer):
    docs, config, site, before = built_site
    (docs / "extra.md").write_text("# Extra\n\n[gone](missing.md)\n", encoding="utf-8")
    # MkDocs keeps the link and the link check names it; Zensical's strict build stops
    # and names the page (extra.md:3).
    with pytest.raises(SiteBuildError, match="extra"):
        swap_build(config, site, renderer=renderer)
    assert file_hashes(site) == before
    assert leftovers(site.parent) == []


def test_broken_internal_link_fails_the_site_build(built_site, renderer):
    docs, config, site, before = built_site
    # Raw HTML links are not checked by MkDocs; the link check catches them. The page is
    # an index.md, as generated pages are, so both renderers keep the link as written.
    (docs / "extra").mkdir()
    (docs / "extra" / "index.md").write_text(
        '# Extra\n\n<a href="../nowhere/">x</a>\n', encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator.site.sitebuild", "--config", str(config),
         "--site-dir", str(site), "--renderer", renderer],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "extra/index.html: broken link -> ../nowhere/" in result.stderr
    assert "The previous" in result.stderr and "Traceback" not in result.stderr
    assert file_hashes(site) == before
    assert leftovers(site.parent) == []


def test_sitebuild_command_builds_the_site(built_site, renderer):
    _, config, site, _ = built_site
    shutil.rmtree(site)
    result = subprocess.run(
        [sys.executable, "-m", "generator.site.sitebuild", "--config", str(config),
         "--site-dir", str(site), "--renderer", renderer],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (site / "papers" / "plain-paper" / "index.html").is_file()
    assert f"site/ is ready ({renderer}): 2 paper pages" in result.stderr
