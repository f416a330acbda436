"""``import``: BibTeX, CSL-JSON and RIS libraries into the real catalogue.

The fixture library (tests/fixtures/library/) holds entries as Zotero, Google Scholar,
DBLP and a publisher export them, four papers already in content/, a paper present in
two files, and one broken entry.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.build import build
from generator.catalogue.yamlio import dump_paper
from generator.cli import main
from generator.sources.importers import merge
from tests.conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 12, 3)
FILES = ("library/zotero.bib", "library/zotero.json", "library/publisher.ris")
SEEDS = {
    "adamoe": ["authors", "year", "arxiv"],
    "ai-memory-wall": ["authors", "year", "arxiv"],
    "scaling-laws-neural-language-models": ["authors", "year", "arxiv", "doi"],
    "burstgpt": ["authors", "year", "venue", "doi"],
}
NEW = {
    "adam", "attention-all-need", "efficient-memory-management-large-language",
    "gradient-based-learning-applied-document", "long-short-term-memory",
    "sparse-routing-cafe-scale-mixture", "switch-transformers",
}  # fmt: skip
CURATED = ("title", "abstract", "topics", "related", "added", "links")


BIBLIOGRAPHIC = ("authors", "year", "venue", "arxiv", "doi")


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A copy of the real catalogue as it was imported from the seed dump (titles,
    abstracts, topics: content/library/seed.bib's facts taken out again), and the
    fixture library; cwd is their parent."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for path in (tmp_path / "content" / "papers").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bare = {k: v for k, v in data.items() if k not in BIBLIOGRAPHIC}
        path.write_text(dump_paper(bare), encoding="utf-8")
    shutil.copytree(FIXTURES / "library", tmp_path / "library")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(merge, "today", lambda: TODAY)
    return tmp_path


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yml"))}


def paper(workdir: Path, pid: str) -> dict:
    return yaml.safe_load((workdir / "content" / "papers" / f"{pid}.yml").read_text())


def test_import_writes_new_papers_merges_seeds_and_reports_the_broken_entry(workdir):
    before = snapshot(workdir / "content")
    result = cli("import", *FILES)
    assert result.exit_code == 1, result.output
    after = snapshot(workdir / "content")
    added = {Path(k).stem for k in set(after) - set(before)}
    assert added == NEW  # no second file for a paper already there or seen twice
    changed = {Path(k).stem for k in before if before[k] != after[k]}
    assert changed == set(SEEDS)
    lines = result.stderr.splitlines()
    assert lines[0] == "library/zotero.bib:72: @article{untitled2022}: no title; entry skipped"
    for pid, fields in SEEDS.items():
        assert f"merged: content/papers/{pid}.yml (+{', +'.join(fields)})" in lines
    assert "merged: content/papers/attention-all-need.yml (+links.pdf)" in lines
    assert lines[-2:] == [
        "14 entries: 7 new, 5 merged, 1 unchanged, 1 skipped",
        "11 files written.",
    ]


def test_seed_papers_are_enriched_but_curated_fields_stay(workdir):
    old = {pid: paper(workdir, pid) for pid in SEEDS}
    cli("import", *FILES)
    for pid, fields in SEEDS.items():
        new = paper(workdir, pid)
        assert {k: new.get(k) for k in CURATED} == {k: old[pid].get(k) for k in CURATED}
        assert sorted(set(new) - set(old[pid])) == sorted(fields)
    # The CSL-JSON item has a shorter abstract: the curated one is kept.
    assert paper(workdir, "scaling-laws-neural-language-models")["abstract"].endswith(
        "stopping significantly before convergence."
    )
    memory_wall = paper(workdir, "ai-memory-wall")
    assert memory_wall["arxiv"] == "2403.14123"  # from "arXiv preprint arXiv:2403.14123v1"
    assert memory_wall["authors"][-2:] == ["Michael W Mahoney", "Kurt Keutzer"]
    assert paper(workdir, "burstgpt")["doi"] == "10.1145/3711896.3737413"


def test_new_papers_carry_every_field_the_library_has(workdir):
    cli("import", *FILES)
    attention = paper(workdir, "attention-all-need")
    assert attention["authors"][6] == "Łukasz Kaiser"  # {\L}ukasz, "Family, Given" order
    assert attention["venue"] == "Advances in Neural Information Processing Systems"  # @string
    assert attention["links"] == {
        "pdf": "https://proceedings.neurips.cc/paper/2017/file/"
        "3f5ee243547dee91fbd053c1c4a845aa-Paper.pdf"
    }
    assert attention["added"] == TODAY and attention["topics"]
    paged = paper(workdir, "efficient-memory-management-large-language")
    assert paged["title"] == (
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    )
    assert paged["doi"] == "10.1145/3600006.3613165"  # https://doi.org/ prefix removed
    assert paged["venue"] == "Proceedings of the 29th Symposium on Operating Systems Principles"
    assert paged["abstract"].startswith("High throughput serving of large language models")
    assert "llm-serving" in paged["topics"]
    adam = paper(workdir, "adam")
    assert adam["arxiv"] == "1412.6980" and "venue" not in adam  # "arXiv preprint" is no venue
    assert paper(workdir, "sparse-routing-cafe-scale-mixture")["authors"] == [
        "Jörg Müller", "Anna van der Berg", "Jiří Dvořák",
    ]  # fmt: skip
    lecun = paper(workdir, "gradient-based-learning-applied-document")
    assert lecun["year"] == 1998 and lecun["authors"][1] == "Léon Bottou"
    lstm = paper(workdir, "long-short-term-memory")
    assert lstm["venue"] == "Neural Computation" and lstm["authors"][1] == "Jürgen Schmidhuber"


def test_second_import_changes_no_file(workdir):
    cli("import", *FILES)
    first = snapshot(workdir / "content")
    result = cli("import", *FILES)
    assert snapshot(workdir / "content") == first
    assert result.stderr.splitlines()[-2:] == [
        "14 entries: 0 new, 0 merged, 13 unchanged, 1 skipped",
        "0 files written.",
    ]
    assert result.exit_code == 1  # the broken entry is still broken


def test_catalogue_is_clean_and_builds_after_import(workdir):
    cli("import", *FILES)
    check = cli("check", "--strict")
    assert check.exit_code == 0, check.stderr
    assert cli("fmt", "--check").exit_code == 0
    result = build(workdir / "content", workdir / "docs", strict=True)
    assert (
        len(result.catalogue.papers) == len(list((ROOT / "content" / "papers").glob("*.yml"))) + 7
    )
    page = (workdir / "docs" / "papers" / "attention-all-need" / "index.md").read_text(
        encoding="utf-8"
    )
    assert "Łukasz Kaiser" in page
    bib = (workdir / "docs" / "papers.bib").read_text(encoding="utf-8")
    assert "Kaiser" in bib


def test_dry_run_prints_and_writes_nothing(workdir):
    before = snapshot(workdir / "content")
    result = cli("import", "--dry-run", *FILES)
    assert snapshot(workdir / "content") == before
    assert result.exit_code == 1
    assert "--- content/papers/adam.yml\n# yaml-language-server:" in result.stdout
    assert "arxiv: '1412.6980'\n" in result.stdout
    assert "would merge: content/papers/adamoe.yml (+authors, +year, +arxiv)" in result.stderr
    assert result.stderr.splitlines()[-1] == "Dry run: nothing written."


def test_clean_library_exits_0_and_progress_stays_off_without_a_tty(workdir):
    (workdir / "one.ris").write_text(
        "TY  - JOUR\nTI  - Mixture of Experts Routing at Scale\nAU  - Doe, Jane\nPY  - 2024\nER  - \n"
    )
    result = cli("import", "one.ris")
    assert result.exit_code == 0, result.output
    assert "match:" not in result.stderr and "topics:" not in result.stderr
    data = paper(workdir, "mixture-experts-routing-scale")
    assert data["authors"] == ["Jane Doe"] and "mixture-of-experts" in data["topics"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["notes.txt"], "'notes.txt': expected a .bib, .json or .ris file"),
        (["--fallback-topic", "nope", "one.bib"], "--fallback-topic: unknown topic 'nope'"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(workdir, args, message):
    (workdir / "notes.txt").write_text("x")
    (workdir / "one.bib").write_text("@misc{a, title = {Obscure Title Nobody Tags}}")
    before = snapshot(workdir / "content")
    result = cli("import", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(workdir / "content") == before


def test_fallback_topic_when_nothing_is_suggested(workdir):
    (workdir / "one.bib").write_text("@misc{a, title = {Zzyzx Qwerty Plonk}}")
    result = cli("import", "--fallback-topic", "quantum", "one.bib")
    assert result.exit_code == 0, result.output
    assert paper(workdir, "zzyzx-qwerty-plonk")["topics"] == ["quantum"]
    assert (
        "note: content/papers/zzyzx-qwerty-plonk.yml: no topic suggested; gave it 'quantum' "
        "(review it)"
    ) in result.stderr.splitlines()


def test_bad_field_is_left_out_with_a_note(workdir):
    (workdir / "one.bib").write_text(
        "@article{a,\n  title = {Sparse Mixture of Experts Again},\n  doi = {not a doi},\n"
        "  year = {2024},\n}\n"
    )
    result = cli("import", "one.bib")
    assert result.exit_code == 0, result.output
    assert (
        "note: one.bib:1: doi: expected a DOI like 10.1145/3600006.3613165, got 'not a doi'; "
        "field left out"
    ) in result.stderr.splitlines()
    data = paper(workdir, "sparse-mixture-experts-again")
    assert data["year"] == 2024 and "doi" not in data


def test_progress_bars_when_asked(workdir, capsys):
    from generator.sources.importers.commands import run_import

    plan, _ = run_import([Path("library/zotero.bib")], Path("content"), progress=True)
    err = capsys.readouterr().err
    # 6 good entries in zotero.bib (one has no title), 4 of them new papers
    assert "match: " in err and "/6 [" in err and "topics: " in err and "/4 [" in err
    assert len(plan.outcomes) == 6
