"""CLI tests for the contributor commands: check, fmt, new, schema and changes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from generator.catalogue import yamlio
from generator.catalogue.schema import paper_schema, schema_text
from generator.cli import main
from generator.sources import scaffold
from tests.arxiv_stub import Eprint, Stub, point_at, start
from tests.conftest import ROOT, copy_fixture

TODAY = dt.date(2026, 12, 3)
BIBTEX = r"""@inproceedings{zhong2024distserve2,
  title     = {{SplitWise}: Efficient Generative {LLM} Inference Using Phase Splitting},
  author    = {Patel, Pratyush and Choukse, Esha and M{\"u}ller, Chaojie},
  booktitle = {ISCA},
  year      = {2024},
  eprint    = {2311.18677},
  archivePrefix = {arXiv},
  abstract  = {LLM serving splits into a compute-intensive prefill phase and a memory-bound
               decoding phase. We run prefill and decoding on separate machines and transfer
               the KV cache, which raises serving throughput at 20\% lower cost.},
}
"""


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(scaffold, "today", lambda: TODAY)
    return copy_fixture("contrib-mini", tmp_path)


def cli(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- check -----------------------------------------------------------------------


def test_check_clean_exits_0(content):
    result = cli("check", "--content", "content")
    assert result.exit_code == 0
    assert result.stderr == "0 errors, 0 warnings in 3 papers\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--content", "content", "content/papers/nope.yml"], "does not exist"),
        (["check", "--content", "content", "content/topics.yml"], "is not a paper file in"),
        (["check", "--content", "missing"], "content folder 'missing' does not exist"),
        (["check", "--bogus"], "No such option '--bogus'"),
    ],
)
def test_check_usage_errors_exit_2(content, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_check_path_shows_only_that_file(content):
    (content / "papers" / "a.yml").write_text("title: x\n")
    (content / "papers" / "b.yml").write_text("title: y\n")
    result = cli("check", "--content", "content", "content/papers/a.yml")
    assert result.exit_code == 1
    assert {line.split(":")[0] for line in result.stderr.splitlines()[:-1]} == {
        "content/papers/a.yml"
    }


def test_check_on_the_real_catalogue_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--strict"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# --- fmt -------------------------------------------------------------------------


def test_fmt_check_passes_on_committed_content_without_writing(tmp_path):
    before = snapshot(ROOT / "content" / "papers")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "fmt", "--check"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith(f"0 would be reformatted, {len(before)} already canonical\n")
    assert snapshot(ROOT / "content" / "papers") == before


MESSY = """added: 2026-11-28
topics:
  - llm-serving
abstract: "A short abstract."
title: "A messy file"   # a comment
arxiv: '2401.00001'
related: []
"""


def test_fmt_check_lists_and_fmt_rewrites_canonically(content):
    path = content / "papers" / "messy.yml"
    path.write_text(MESSY)
    result = cli("fmt", "--content", "content", "--check")
    assert result.exit_code == 1
    assert "would reformat content/papers/messy.yml" in result.stderr
    assert path.read_text() == MESSY  # --check changes nothing

    result = cli("fmt", "--content", "content")
    assert result.exit_code == 0
    assert "reformatted content/papers/messy.yml" in result.stderr
    assert path.read_text() == (
        "# yaml-language-server: $schema=../schema/paper.schema.json\n"
        "title: A messy file\n"
        "abstract: A short abstract.\n"
        "arxiv: '2401.00001'\n"
        "topics: [llm-serving]\n"
        "added: 2026-11-28\n"
    )
    assert cli("fmt", "--content", "content", "--check").exit_code == 0
    assert cli("check", "--content", "content").exit_code == 0


def test_fmt_fixes_crlf_and_bom(content):
    path = content / "papers" / "distserve.yml"
    good = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + good.replace(b"\n", b"\r\n"))
    assert cli("fmt", "--content", "content", "--check").exit_code == 1
    assert cli("fmt", "--content", "content", str(path)).exit_code == 0
    assert path.read_bytes() == good


def test_fmt_wraps_a_long_abstract(content):
    path = content / "papers" / "long.yml"
    words = " ".join(f"word{i}" for i in range(60))
    path.write_text(f"title: Long\nabstract: {words}\ntopics: [llm-serving]\nadded: 2026-11-28\n")
    assert cli("fmt", "--content", "content", str(path)).exit_code == 0
    lines = path.read_text().splitlines()
    assert lines[2] == "abstract: >-"
    assert len(lines) > 3 and all(len(line) <= 100 for line in lines)
    assert yaml.safe_load(path.read_text())["abstract"] == words


def test_fmt_refuses_broken_files_and_writes_nothing(content):
    path = content / "papers" / "broken.yml"
    path.write_text("title: [x\n")
    before = snapshot(content)
    result = cli("fmt", "--content", "content")
    assert result.exit_code == 1
    assert result.stderr.startswith("content/papers/broken.yml:2: file: invalid YAML")
    assert snapshot(content) == before


# --- new -------------------------------------------------------------------------


def test_new_from_title_and_abstract(content):
    result = cli(
        "new", "--content", "content",
        "--title", "Prefill-Decode Disaggregation for LLM Serving at Scale",
        "--abstract", "We split prefill and decoding onto different GPUs to raise goodput "
        "of LLM serving; the KV cache moves between them.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = content / "papers" / "prefill-decode-disaggregation-llm-serving.yml"
    data = yaml.safe_load(path.read_text())
    assert data["added"] == TODAY
    assert data["topics"][0] == "llm-serving"
    assert f"Wrote {Path('content/papers') / path.name}" in result.stderr
    # each suggested topic is shown with its reason
    assert "llm-serving" in result.stderr and "title mentions 'llm serving'" in result.stderr
    assert result.stderr.rstrip().endswith("0 errors, 0 warnings in 1 paper")
    assert cli("fmt", "--content", "content", "--check", str(path)).exit_code == 0


@pytest.mark.parametrize("from_stdin", [False, True])
def test_new_from_bibtex_file_or_stdin(content, tmp_path, from_stdin):
    bib = tmp_path / "paper.bib"
    bib.write_text(BIBTEX)
    if from_stdin:
        result = cli("new", "--content", "content", "--bibtex", "-", stdin=BIBTEX)
    else:
        result = cli("new", "--content", "content", "--bibtex", str(bib))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((content / "papers" / "splitwise.yml").read_text())
    assert data["title"] == "SplitWise: Efficient Generative LLM Inference Using Phase Splitting"
    assert data["authors"] == ["Pratyush Patel", "Esha Choukse", "Chaojie Müller"]
    assert (data["year"], data["venue"], data["arxiv"]) == (2024, "ISCA", "2311.18677")
    assert "20% lower cost" in data["abstract"]
    assert "llm-serving" in data["topics"]


def test_new_from_arxiv_offline_fills_id_and_link(content):
    result = cli("new", "--content", "content", "--arxiv", "2312.07104")
    path = content / "papers" / "arxiv-2312-07104.yml"
    assert yaml.safe_load(path.read_text()) == {"arxiv": "2312.07104", "added": TODAY}
    assert "https://arxiv.org/abs/2312.07104" in result.stderr
    # the scaffold is incomplete: check names what is missing, exit 1
    assert result.exit_code == 1
    assert "content/papers/arxiv-2312-07104.yml:1: title: required field is missing" in (
        result.stderr
    )


def test_new_fetch_fails_gracefully_without_network(content, monkeypatch):
    with socket.socket() as sock:  # a port on 127.0.0.1 where nothing listens
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/query"
    point_at(monkeypatch, url, content.parent / "cache")
    result = cli("new", "--content", "content", "--arxiv", "2312.07104", "--fetch",
                 "--title", "A Paper About Mixture of Experts Routing")  # fmt: skip
    assert (
        f"note: could not fetch arXiv metadata (arXiv API at {url} is unreachable: "
        "connection refused); fill in the fields by hand"
    ) in result.stderr
    assert "Traceback" not in result.output
    data = yaml.safe_load(
        (content / "papers" / "paper-about-mixture-experts-routing.yml").read_text()
    )
    assert data["arxiv"] == "2312.07104" and data["topics"] == ["mixture-of-experts"]


def test_new_fetch_uses_the_arxiv_answer(content, monkeypatch):
    stub = Stub(eprints=[Eprint("2312.07104", "Sparse  Experts\n        at Scale",
                                summary="Mixture of experts models route tokens.",
                                published="2023-12-11T00:00:00Z")])  # fmt: skip
    server = start(stub)
    point_at(monkeypatch, stub.url, content.parent / "cache")
    try:
        result = cli("new", "--content", "content", "--arxiv", "2312.07104", "--fetch")
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert stub.paths == ["/api/query?id_list=2312.07104&max_results=1"]
    data = yaml.safe_load((content / "papers" / "sparse-experts-scale.yml").read_text())
    assert data["title"] == "Sparse Experts at Scale"
    assert data["abstract"] == "Mixture of experts models route tokens."
    assert data["authors"] == ["Ada Lovelace"] and data["year"] == 2023


def test_new_never_overwrites(content):
    before = snapshot(content)
    result = cli("new", "--content", "content", "--id", "distserve", "--title", "Another")
    assert result.exit_code == 2
    assert "content/papers/distserve.yml already exists" in result.stderr
    assert snapshot(content) == before
    # without --id, a taken id gets a suffix
    result = cli("new", "--content", "content", "--title", "TRP", "--abstract", "Pruning.")
    assert (content / "papers" / "trp-2.yml").exists()


def test_write_new_refuses_an_existing_file(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("old")
    with pytest.raises(FileExistsError):
        yamlio.write_new(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yml"]


def test_new_refuses_a_paper_already_in_the_catalogue(content):
    before = snapshot(content)
    result = cli("new", "--content", "content", "--arxiv", "2401.09670v2", "--title", "Something")
    assert result.exit_code == 1
    assert "arxiv: same arxiv as content/papers/distserve.yml" in result.stderr
    assert "Nothing written." in result.stderr
    assert snapshot(content) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--arxiv", "24.1"], "--arxiv: expected an arXiv id"),
        (["--abstract", "only an abstract"], "give --title, --bibtex or --arxiv"),
        (["--title", "T", "--id", "Bad Id"], "--id: 'Bad Id' is not a valid id"),
    ],
)
def test_new_usage_errors(content, args, message):
    before = snapshot(content)
    result = cli("new", "--content", "content", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(content) == before


def test_new_rejects_two_bibtex_entries(content):
    result = cli(
        "new",
        "--content",
        "content",
        "--bibtex",
        "-",
        stdin=BIBTEX + BIBTEX.replace("distserve2", "other"),
    )
    assert result.exit_code == 2
    assert "expected one BibTeX entry, found 2" in result.stderr


# --- schema ----------------------------------------------------------------------


def test_published_schema_is_up_to_date():
    assert (ROOT / "content" / "schema" / "paper.schema.json").read_text() == schema_text()


def _as_json(path: Path) -> object:
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


def test_every_paper_file_fits_the_schema_and_names_it():
    validator = jsonschema.Draft202012Validator(paper_schema())
    for path in sorted((ROOT / "content" / "papers").glob("*.yml")):
        assert path.read_text().startswith(
            "# yaml-language-server: $schema=../schema/paper.schema.json\n"
        )
        errors = [e.message for e in validator.iter_errors(_as_json(path))]
        assert errors == [], path.name


@pytest.mark.parametrize(
    "bad",
    [
        {"titel": "x"},
        {"arxiv": 2401.0967},
        {"arxiv": "2401.1"},
        {"links": {"code": "javascript:alert(1)"}},
        {"links": {"github": "https://github.com"}},
        {"topics": []},
        {"topics": ["Not An Id"]},
        {"year": "twenty"},
        {"doi": "11.1/x"},
    ],
)
def test_schema_rejects_what_check_rejects(bad):
    good = {"title": "T", "abstract": "A", "topics": ["llm-serving"], "added": "2026-11-28"}
    validator = jsonschema.Draft202012Validator(paper_schema())
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, **bad})


def test_schema_command(content):
    assert cli("schema", "--content", "content", "--check").exit_code == 1
    assert cli("schema", "--content", "content").exit_code == 0
    assert (content / "schema" / "paper.schema.json").read_text() == schema_text()
    assert cli("schema", "--content", "content", "--check").exit_code == 0


# --- changes ---------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def committed(content: Path) -> Path:
    """A git repository around ``content`` with everything committed on main."""
    repo = content.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return repo


def test_changes_lists_added_changed_and_removed_papers(content):
    committed(content)
    papers = content / "papers"
    (papers / "adamoe.yml").unlink()
    trp = (
        (papers / "trp.yml")
        .read_text()
        .replace("[model-compression]", "[model-compression, llm-serving]")
    )
    (papers / "trp.yml").write_text(trp)
    (papers / "new-one.yml").write_text(
        "title: 'A <b>bold</b> | new * paper'\nabstract: x\ntopics: [llm-serving]\n"
        "added: 2026-12-01\narxiv: '2401.1'\n"
    )
    result = cli("changes", "--content", "content", "--base", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "## Papers in this pull request",
        "",
        "| | paper | topics | check |",
        "| --- | --- | --- | --- |",
        "| removed | **AdaMoE: Token\\-Adaptive Routing with Null Experts for Mixture\\-of\\-Experts "
        "Language Models**<br>`content/papers/adamoe.yml` | mixture\\-of\\-experts | – |",
        "| added | **A &lt;b&gt;bold&lt;/b&gt; \\| new \\* paper**<br>`content/papers/new-one.yml` "
        "| llm\\-serving | ❌ line 5: arxiv: expected an arXiv id like 2401.09670 or hep\\-th/9901001, "
        "got '2401.1' |",
        "| changed | **TRP: Trained Rank Pruning for Efficient Deep Neural Networks**<br>"
        "`content/papers/trp.yml`<br>fields: topics | model\\-compression, llm\\-serving | "
        "✅ no problems |",
        "",
        "1 added, 1 changed, 1 removed.",
    ]


def test_changes_as_json_name_each_paper_with_its_topics_before_and_after(content):
    """The data of the preview comment (site/preview.py): ids from file names, and the
    topics at the base, so the comment can link the topics a paper moved between."""
    repo = committed(content)
    papers = content / "papers"
    (papers / "adamoe.yml").unlink()
    trp = (papers / "trp.yml").read_text().replace("[model-compression]", "[llm-serving]")
    (papers / "trp.yml").write_text(trp)
    (papers / "new-one.yml").write_text("title: New\ntopics: [llm-serving]\nadded: 2026-12-01\n")
    result = cli("changes", "--content", "content", "--base", "HEAD", "--json", "changes.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## Papers in this pull request")  # the summary, as before
    assert json.loads((repo / "changes.json").read_text()) == {"papers": [
        {"status": "removed", "id": "adamoe", "title": "AdaMoE: Token-Adaptive Routing with "
         "Null Experts for Mixture-of-Experts Language Models", "topics": [],
         "old_topics": ["mixture-of-experts"]},
        {"status": "added", "id": "new-one", "title": "New", "topics": ["llm-serving"],
         "old_topics": []},
        {"status": "changed", "id": "trp", "title": "TRP: Trained Rank Pruning for Efficient "
         "Deep Neural Networks", "topics": ["llm-serving"], "old_topics": ["model-compression"]},
    ]}  # fmt: skip


def test_changes_without_paper_changes(content):
    committed(content)
    result = cli("changes", "--content", "content", "--base", "HEAD")
    assert result.exit_code == 0
    assert "adds, changes or removes no paper files" in result.stdout


def test_changes_with_a_bad_base_is_a_usage_error(content):
    git(content.parent, "init", "-q", "-b", "main")
    result = cli("changes", "--content", "content", "--base", "no-such-ref")
    assert result.exit_code == 2
    assert "git failed" in result.stderr


def test_fixture_is_canonical(tmp_path):
    target = tmp_path / "c"
    shutil.copytree(ROOT / "tests" / "fixtures" / "contrib-mini", target)
    result = cli("fmt", "--content", str(target), "--check")
    assert result.exit_code == 0, result.stderr


def test_seed_trp_papers_are_two_valid_linked_versions():
    from generator.analysis.links import versions
    from generator.catalogue.load import load_tree
    from generator.catalogue.validate import validate

    records, topic_records, problems = load_tree(ROOT / "content")
    papers, _, found = validate(records, topic_records)
    by_id = {p.id: p for p in papers}
    assert by_id["trained-rank-pruning-efficient-deep"].version_of == "trp"
    assert "trp" in by_id
    assert not [p for p in problems + found if "trp" in p.path or "trained-rank" in p.path]
    assert versions(papers)["trp"] == ("trained-rank-pruning-efficient-deep",)


@pytest.mark.parametrize(
    "arxiv", ["2402.01234", "2402.01234v3", "0704.0001", "hep-th/9901001", "math.GT/0309136v2"]
)
def test_check_accepts_new_and_old_style_arxiv_ids(content, arxiv):
    (content / "papers" / "old.yml").write_text(
        f"title: An Old Paper\nabstract: x\ntopics: [llm-serving]\nadded: 2026-11-28\narxiv: '{arxiv}'\n"
    )
    result = cli("check", "--content", "content", "--strict")
    assert result.exit_code == 0, result.stderr
