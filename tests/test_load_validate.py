"""Loader and validator errors: exact text, all reported together, exit status 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.catalogue.load import load_tree
from generator.catalogue.model import ContentError
from generator.catalogue.validate import validate

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "fixtures" / "tiny"
GOOD = """title: A good paper
abstract: Something true.
topics: [reasoning]
added: 2026-11-28
"""


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(TINY, target)
    return target


def problems_for(content: Path, name: str, text: str | bytes) -> list[str]:
    path = content / "papers" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    records, topics, problems = load_tree(content)
    _, _, found = validate(records, topics)
    return [str(p) for p in sorted(problems + found)]


CASES = [
    ("malformed YAML", "title: [unclosed\nabstract: x\n",
     "content/papers/x.yml:2: file: invalid YAML: expected ',' or ']', but got ':' "
     "(while parsing a flow sequence started on line 1)"),
    ("missing title", GOOD.replace("title: A good paper\n", ""),
     "content/papers/x.yml:1: title: required field is missing"),
    ("unknown topic", GOOD.replace("[reasoning]", "[reasonin]"),
     "content/papers/x.yml:3: topics: unknown topic 'reasonin' (did you mean 'reasoning'?)"),
    ("year in words", GOOD + "year: twenty\n",
     "content/papers/x.yml:5: year: expected a 4-digit year, got 'twenty'"),
    ("duplicate key", GOOD + "title: Again\n",
     "content/papers/x.yml:5: title: duplicate key (first defined on line 1)"),
    ("unknown key", GOOD + "topic: [reasoning]\n",
     "content/papers/x.yml:5: topic: unknown field (did you mean 'topics'?)"),
    ("javascript link", GOOD + "links:\n  code: javascript:alert(1)\n",
     "content/papers/x.yml:5: links.code: only http and https links are allowed, got 'javascript:alert(1)'"),
    ("too many topics", GOOD.replace("[reasoning]", "[a, b, c, d, e, f]"),
     "content/papers/x.yml:3: topics: expected at most 5, got 6"),
    ("unknown related", GOOD + "related: [distserv]\n",
     "content/papers/x.yml:5: related: unknown paper 'distserv' (did you mean 'distserve'?)"),
    ("arXiv as number", GOOD + "arxiv: 2401.09670\n",
     'content/papers/x.yml:5: arxiv: write the arXiv id in quotes, e.g. arxiv: "2401.0967"'),
    ("not a mapping", "- just\n- a list\n",
     "content/papers/x.yml:1: file: expected a mapping of field: value"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_message(content, monkeypatch, case, text, expected):
    monkeypatch.chdir(content.parent)
    assert problems_for(content, "x.yml", text) == [expected]


def test_bad_file_name_is_reported(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    found = problems_for(content, "Bad Name.yml", GOOD)
    assert found == [
        "content/papers/Bad Name.yml:1: id: file name: 'Bad Name' is not a valid id: use "
        "lowercase letters, digits and single hyphens (e.g. 'distserve-2024')"
    ]


def test_duplicate_title_under_another_id(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    copy = (content / "papers" / "distserve.yml").read_text()
    found = problems_for(content, "distserve-copy.yml", copy)
    assert found == [
        "content/papers/distserve-copy.yml:1: title: same title as content/papers/distserve.yml; "
        "add `duplicate_of:` or `version_of:` if intended"
    ]


def test_all_problems_reported_together_and_build_keeps_old_docs(content, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    out = tmp_path / "docs"
    build(content, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "papers" / "a.yml").write_text(GOOD + "year: twenty\n")
    (content / "papers" / "b.yml").write_text("title: [broken\n")
    (content / "papers" / "c.yml").write_text(GOOD.replace("[reasoning]", "[nope]"))
    with pytest.raises(ContentError) as err:
        build(content, out)
    assert [str(p) for p in err.value.problems] == [
        "content/papers/a.yml:5: year: expected a 4-digit year, got 'twenty'",
        "content/papers/b.yml:2: file: invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence started on line 1)",
        "content/papers/c.yml:3: topics: unknown topic 'nope'",
    ]
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_cli_build_reports_and_exits_1_without_traceback(content, tmp_path):
    (content / "papers" / "a.yml").write_text(GOOD.replace("[reasoning]", "[nope]"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content),
         "--out", str(tmp_path / "docs")],
        cwd=content.parent, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "content/papers/a.yml:3: topics: unknown topic 'nope'",
        "1 error, 0 warnings",
    ]
    assert not (tmp_path / "docs").exists()


def test_strict_turns_warnings_into_errors(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    text = (content / "papers" / "distserve.yml").read_text()
    (content / "papers" / "distserve-2.yml").write_text(text.replace("Serving'", "Servings'"))
    result = build(content, content.parent / "docs")
    assert [p.severity for p in result.problems] == ["warning"]
    with pytest.raises(ContentError):
        build(content, content.parent / "docs", strict=True)


def test_verbose_prints_each_stage(content, capsys, monkeypatch):
    monkeypatch.chdir(content.parent)
    build(content, content.parent / "docs", verbose=True)
    err = capsys.readouterr().err
    for stage in ("load", "validate", "topics", "links", "render", "exports", "write"):
        assert f"  {stage} " in err


@pytest.mark.parametrize("name", ["map", "all-papers", "search", "papers"])
def test_page_names_of_generated_pages_are_reserved(content, monkeypatch, name):
    monkeypatch.chdir(content.parent)
    (content / "pages" / f"{name}.md").write_text("# Mine\n")
    with pytest.raises(ContentError) as err:
        build(content, content.parent / "docs")
    assert [str(p) for p in err.value.problems] == [
        f"content/pages/{name}.md:1: page: '{name}' is reserved for a generated page"
    ]


def test_a_paper_without_abstract_validates_and_builds(content, tmp_path, monkeypatch):
    """Abstracts are optional: the paper loads with ``abstract == ""`` and every stage
    (links, search, render, exports, feeds) copes with the empty string."""
    monkeypatch.chdir(content.parent)
    no_abstract = GOOD.replace("abstract: Something true.\n", "")
    assert problems_for(content, "no-abstract.yml", no_abstract) == []
    out = tmp_path / "docs"
    result = build(content, out)
    paper = result.catalogue.paper("no-abstract")
    assert paper.abstract == "" and paper.title == "A good paper"
    assert [str(p) for p in result.problems] == []
    page = (out / "papers" / "no-abstract" / "index.md").read_text(encoding="utf-8")
    assert "A good paper" in page
    assert "no-abstract" in (out / "papers.json").read_text(encoding="utf-8")
    bib = (out / "papers.bib").read_text(encoding="utf-8")
    entry = bib[bib.index("@misc{no-abstract") :].split("\n}\n")[0]
    assert "title = " in entry and "abstract =" not in entry


def test_title_blocking_finds_what_all_pairs_find():
    """Blocking by rare words finds every near-duplicate an all-pairs pass finds, on the
    seed titles plus edited copies (typo, case, punctuation, a word added or dropped)."""
    from rapidfuzz import fuzz, process

    from generator.catalogue.validate import NEAR_DUPLICATE, normalise_title, similar_titles

    records, _, _ = load_tree(ROOT / "content")
    seed = [str(r.data["title"]) for r in records]
    edits = [
        lambda t: t.replace("e", "a", 1), lambda t: t.upper(), lambda t: t.replace(" ", ": ", 1),
        lambda t: t + " revisited", lambda t: t.rsplit(" ", 1)[0], lambda t: t[::-1],
    ]  # fmt: skip
    titles = [normalise_title(t) for t in seed]
    titles += [normalise_title(edit(t)) for k, t in enumerate(seed) for edit in edits[k % 6 :][:1]]
    titles += ["", "", "a b", "ab"]  # no words at all: equal titles still meet
    matrix = process.cdist(titles, titles, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE,
                           dtype="uint8")  # fmt: skip
    expected = {(i, j): int(matrix[i, j]) for i, j in zip(*matrix.nonzero(), strict=True) if i < j}
    assert len(expected) > 100
    assert similar_titles(titles) == expected
