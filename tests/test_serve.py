"""`papercat serve`: its page renderer, its two passes, and what it settles to.

- LiveSite renders a page, new or old, to the same HTML as `papercat site` (mkbuild).
- The exact pass's state, read back by the server, marks a paper saved after the pass
  read it, so the next fast pass renders it.
- A save while the exact pass runs stops that pass and starts it again.
- The server itself (`python -m generator serve` in a copy of the project): an edit, a
  topic change, a new paper and a deleted paper show on the served pages; a broken file
  prints FILE:LINE problems and the last good site stays; and once the exact pass has
  settled, docs/ is byte for byte a clean `papercat build` and the served folder is
  what `papercat site` renders from it (the sitemap's dates apart).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from project_copy import free_port, make_copy, stop_group
from test_build_output import SITEMAP, file_hashes, mkdocs_config

from bench.serveloop import http_get
from generator.analysis import links
from generator.analysis.linkmodel import Model
from generator.catalogue.load import load_tree
from generator.catalogue.model import Catalogue, frozen_map
from generator.catalogue.validate import validate
from generator.site import exactpass, mkbuild
from generator.site.livesite import LiveSite
from generator.site.serve import Passes

NEW_PAPER = """title: A paper saved while serving
abstract: Routing experts.
topics: [{topic}]
added: 2026-12-01
"""


def test_live_site_renders_pages_as_papercat_site_does(seed_docs_built, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(seed_docs_built, docs)
    config = mkdocs_config(tmp_path, docs)
    mkbuild.build(config, tmp_path / "site")
    pages = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8")
             for p in docs.rglob("*.md")}  # fmt: skip
    # The live site starts from docs/ without one paper, which it then gets as new.
    new, gone = sorted(rel for rel in pages if rel.startswith("papers/"))[:2]
    shutil.rmtree(docs / Path(new).parent)
    live = LiveSite(config, tmp_path / "live")
    assert live.update(pages) == []
    assert live.update({}, removed=[gone]) == []
    assert gone not in live.pages_in({gone, new}) and new in live.pages_in({gone, new})
    site, served = tmp_path / "site", tmp_path / "live"
    # Before the first build is in place, pages are rendered as they are asked for,
    # from docs/, with the site's assets copied first: the same HTML again.
    first = LiveSite(config, tmp_path / "first")
    first.copy_static()
    target = Path(gone).parent / "index.html"  # a paper page of docs/
    first.render_missing(target.as_posix())
    assert (tmp_path / "first" / target).read_bytes() == (site / target).read_bytes()
    assert (tmp_path / "first" / "assets" / "papercat.css").is_file()
    # After an exact pass, its files follow docs/: one page gone, another one there.
    (docs / gone).unlink()
    (docs / new).parent.mkdir(parents=True)
    (docs / new).write_text(pages[new], encoding="utf-8")
    fresh = LiveSite(config, tmp_path / "live")
    assert fresh.pages_in({gone, new}) == [new]
    (docs / new).unlink()
    (docs / gone).write_text(pages[gone], encoding="utf-8")
    fresh.sync()
    assert fresh.pages_in({gone, new}) == [gone]
    for rel in pages:
        html = Path(rel).with_suffix("").as_posix().removesuffix("index").rstrip("/")
        target = f"{html}/index.html" if html else "index.html"
        if rel == gone:
            assert not (served / target).parent.exists()
            continue
        assert (served / target).read_bytes() == (site / target).read_bytes(), rel


def test_the_state_marks_papers_saved_after_the_exact_pass_read_them(tmp_path):
    records, topic_records, _ = load_tree(ROOT / "content")
    papers, topics, _ = validate(records, topic_records)
    related, vectors = links.related(papers, topics, keep=True)
    read = Catalogue(papers=papers, topics=topics, related=frozen_map(related))
    state = tmp_path / "state.pickle"
    exactpass.dump_state(state, read, Model.of(papers, topics, vectors))
    # Read back with the server's check of the same files: the same papers, its objects.
    catalogue, model = exactpass.load_state(state, Catalogue(papers=papers, topics=topics))
    assert catalogue.papers == papers and catalogue.related == related
    assert all(a is b for a, b in zip(model.papers, papers, strict=True))
    # A file saved after the pass read it: that paper shows as changed, so the next
    # fast pass renders it; a paper added meanwhile makes the state stale.
    saved = (*papers[:3], dataclasses.replace(papers[3], abstract="Saved later."), *papers[4:])
    catalogue, _ = exactpass.load_state(state, Catalogue(papers=saved, topics=topics))
    assert [p.title == exactpass.CHANGED for p in catalogue.papers] == [
        i == 3 for i in range(len(papers))
    ]
    with pytest.raises(exactpass.Stale):
        exactpass.load_state(state, Catalogue(papers=papers[1:], topics=topics))


def test_a_save_during_the_exact_pass_restarts_it(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".serve-mkdocs.yml").write_text("INHERIT: mkdocs.yml\n", encoding="utf-8")
    passes = Passes(tmp_path / "content", tmp_path / "docs", f"127.0.0.1:{free_port()}")
    try:
        passes.start_exact()
        first = passes.exact
        assert first is not None and first.proc.poll() is None  # just started: importing
        passes.changed(str(tmp_path / "content" / "topics.yml"))
        passes.fast()  # no state yet: nothing to render fast, the exact pass again
        assert first.proc.returncode == -9
        assert passes.exact is not None and passes.exact is not first
    finally:
        passes.close()
    assert "Exact pass stopped" in capsys.readouterr().err


def _until(check, what: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} not within {timeout} s:\n{log.read_text()}")


def _settled(log: Path, times: int) -> bool:
    return log.read_text().count("Settled in") >= times


@pytest.fixture
def running(tmp_path):
    """`python -m generator serve` in a copy of the project: (project, base url, log)."""
    project = make_copy(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/"
        _until(lambda: http_get(base)[0] == 200, "the first page", log, 300)
        yield project, base, log
    finally:
        assert stop_group(proc), log.read_text()


def test_serve_shows_edits_and_settles_to_a_clean_build(running, tmp_path):
    project, base, log = running
    papers = project / "content" / "papers"
    edited, moved, deleted = sorted(papers.glob("*.yml"))[:3]
    url = f"{base}papers/{edited.stem}/"

    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("abstract: >-\n  ", "abstract: >-\n  Saved-4711 ", 1))
    _until(lambda: "Saved-4711" in http_get(url)[1], "the edited abstract", log)
    # ... shown by a fast pass, not by the exact pass that follows it.
    _until(lambda: "Fast pass: " in log.read_text(), "the fast pass", log, 30)
    assert "Settled in" not in log.read_text().split("Fast pass: ")[0].split("Serving on")[-1]

    topic = "reinforcement-learning"
    text = moved.read_text(encoding="utf-8")
    moved.write_text("\n".join(f"topics: [{topic}]" if line.startswith("topics:") else line
                               for line in text.splitlines()) + "\n")  # fmt: skip
    _until(lambda: moved.stem in http_get(f"{base}topics/{topic}/")[1], "the topic change", log)

    (papers / "saved-while-serving.yml").write_text(NEW_PAPER.format(topic=topic))
    _until(lambda: http_get(f"{base}papers/saved-while-serving/")[0] == 200, "the new paper", log)
    deleted.unlink()
    _until(lambda: http_get(f"{base}papers/{deleted.stem}/")[0] == 404, "the deletion", log)

    # A broken file: FILE:LINE, and the last good page stays.
    good = edited.read_text(encoding="utf-8")
    edited.write_text("title: [broken\n", encoding="utf-8")
    needle = f"content/papers/{edited.name}:2: file: invalid YAML"
    _until(lambda: needle in log.read_text(), "the FILE:LINE problem", log)
    assert "Saved-4711" in http_get(url)[1]
    edited.write_text(good, encoding="utf-8")
    settled = log.read_text().count("Settled in")
    _until(lambda: _settled(log, settled + 1), "the exact pass to settle", log)

    # Settled: docs/ is a clean build's, the served site what `papercat site` renders.
    clean = tmp_path / "clean"
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(project / "content"),
         "--out", str(clean / "docs"), "--no-cache"], cwd=project, check=True,
    )  # fmt: skip
    assert file_hashes(project / "docs") == file_hashes(clean / "docs")
    subprocess.run(
        [sys.executable, "-m", "generator", "site", "--config", ".serve-mkdocs.yml",
         "--site-dir", str(clean / "site")], cwd=project, check=True,
    )  # fmt: skip
    served = project / ".cache" / "papercat" / "serve-site"

    def pages(folder: Path) -> dict[str, str]:
        return {k: v for k, v in file_hashes(folder).items() if k not in SITEMAP}

    assert pages(served) == pages(clean / "site")
