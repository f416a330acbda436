"""``from-issue``: issue bodies made from our own "Suggest a paper" form file.

The body is rendered the way GitHub renders an issue form (``### <label>``, a blank
line, the answer or ``_No response_``) from the labels in
``.github/ISSUE_TEMPLATE/suggest-paper.yml``, so a change to the form that
``from-issue`` does not follow fails here. arXiv is a stand-in on 127.0.0.1.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.catalogue import yamlio
from generator.cli import main
from generator.sources import fromissue
from tests.arxiv_stub import Eprint, Stub, point_at, serving
from tests.conftest import FIXTURES, ROOT, build_site, copy_fixture

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml"
SPLITWISE = Eprint(
    "2311.18677",
    "Splitwise: Efficient Generative LLM Inference Using Phase\n  Splitting",
    summary="Generative large language model (LLM) applications are growing rapidly.",
    authors=("Pratyush Patel", "Esha Choukse"),
    published="2023-11-30T18:00:00Z",
)
TITLE = "Splitwise: Efficient Generative LLM Inference Using Phase Splitting"
ABSTRACT = (
    "Generative LLM inference has a compute-intensive prompt phase and a memory-bound "
    "token phase. We split the two phases onto separate machines."
)


def body(**answers: str) -> str:
    """An issue body as GitHub renders our form, answers given by form field id."""
    spec = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    parts = []
    for item in spec["body"]:
        if item["type"] == "markdown":
            continue
        answer = answers.get(item["id"].replace("-", "_"), "")
        parts.append(f"### {item['attributes']['label']}\n\n{answer or '_No response_'}")
    return "\n\n".join(parts) + "\n"


GOOD = {"paper_title": TITLE, "identifier": "2311.18677", "abstract": ABSTRACT,
        "topics": "llm-serving"}  # fmt: skip


@pytest.fixture
def stub():
    with serving(Stub(eprints=[SPLITWISE])) as state:
        yield state


@pytest.fixture
def content(tmp_path, monkeypatch, stub) -> Path:
    monkeypatch.chdir(tmp_path)
    point_at(monkeypatch, stub.url, tmp_path / "cache")
    monkeypatch.setattr(yamlio, "today", lambda: __import__("datetime").date(2026, 12, 3))
    monkeypatch.setattr(fromissue, "today", yamlio.today)
    return copy_fixture("contrib-mini", tmp_path)


def run(text: str, *args: str):
    (Path.cwd() / "issue.md").write_text(text, encoding="utf-8")
    return CliRunner().invoke(
        main, ["from-issue", "--body", "issue.md", "--form", str(FORM), "--delay", "0",
               "--comment", "comment.md", *args],
    )  # fmt: skip


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_form_has_every_field_from_issue_reads():
    labels = fromissue.form_labels(FORM)
    assert sorted(labels.values()) == sorted(fromissue.FORM_IDS.values())


def test_a_renamed_form_label_breaks_parsing(tmp_path):
    form = tmp_path / "form.yml"
    form.write_text(FORM.read_text().replace("label: Title", "label: Paper title"))
    with pytest.raises(fromissue.SuggestionError) as info:
        fromissue.parse_body(body(**GOOD), fromissue.form_labels(form))
    assert str(info.value) == (
        "no '### Paper title' section: was this issue made with the Suggest a paper form?"
    )


def test_a_good_suggestion_becomes_a_checked_file(content, stub):
    before = snapshot(content)
    result = run(body(**GOOD))
    assert result.exit_code == 0, result.output
    path = content / "papers" / "splitwise.yml"
    assert set(snapshot(content)) - set(before) == {path}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {
        "title": TITLE, "abstract": ABSTRACT, "authors": ["Pratyush Patel", "Esha Choukse"],
        "year": 2023, "arxiv": "2311.18677", "topics": ["llm-serving"],
        "added": __import__("datetime").date(2026, 12, 3),
    }  # fmt: skip
    assert stub.paths == ["/api/query?id_list=2311.18677&max_results=1"]
    comment = Path("comment.md").read_text(encoding="utf-8")
    assert result.stdout == comment
    assert comment.splitlines()[:6] == [
        "`papercat from-issue` made `content/papers/splitwise.yml` from this suggestion:",
        "",
        f"- title: `{TITLE}`",
        "- arXiv: `2311.18677`",
        "- topics: `llm-serving`",
        "- filled from arXiv: authors, year",
    ]
    check = CliRunner().invoke(main, ["check", "--content", "content", "--strict", str(path)])
    assert check.exit_code == 0, check.output
    fmt = CliRunner().invoke(main, ["fmt", "--content", "content", "--check"])
    assert fmt.exit_code == 0, fmt.output


def test_acceptance_the_suggestion_builds_into_a_page_with_its_arxiv_link(tmp_path):
    content = copy_fixture("contrib-mini", tmp_path)
    shutil.copytree(FIXTURES / "tiny" / "pages", content / "pages")
    shutil.copy(ROOT / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    (tmp_path / "issue.md").write_text(body(**GOOD), encoding="utf-8")
    run_ = subprocess.run(
        [sys.executable, "-m", "generator", "from-issue", "--body", "-", "--form", str(FORM),
         "--content", "content", "--offline"],
        input=body(**GOOD), cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PAPERCAT_ARXIV_API": "http://127.0.0.1:9/"},
    )  # fmt: skip
    assert run_.returncode == 0, run_.stderr
    assert run_.stderr.strip() == "Wrote content/papers/splitwise.yml"
    check = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--content", "content", "--strict"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    site = build_site(content, tmp_path)
    page = (site / "papers" / "splitwise" / "index.html").read_text(encoding="utf-8")
    assert f"{html.escape(TITLE, quote=False)}</h1>" in page
    assert 'href="https://arxiv.org/abs/2311.18677"' in page
    assert '<meta name="citation_arxiv_id" content="2311.18677"' in page


def test_empty_answers_give_a_file_with_suggested_topics(content, stub):
    result = run(body(paper_title="Sparse Mixture of Experts Routing for Language Models"))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((content / "papers" / "sparse-mixture-experts-routing-language.yml")
                          .read_text(encoding="utf-8"))  # fmt: skip
    assert data["topics"] == ["mixture-of-experts"]
    assert "arxiv" not in data and "doi" not in data
    assert "- topics: `mixture-of-experts` (suggested)" in result.stdout
    assert "an arXiv title search found no paper with this title" in result.stdout


def test_arxiv_unreachable_still_writes_what_the_form_gave(content, monkeypatch):
    monkeypatch.setenv("PAPERCAT_ARXIV_API", "http://127.0.0.1:9/api/query")
    result = run(body(**GOOD), "--no-cache")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((content / "papers" / "splitwise.yml").read_text(encoding="utf-8"))
    assert "authors" not in data and data["arxiv"] == "2311.18677"
    assert (
        "note: arXiv API at http://127.0.0.1:9/api/query is unreachable: connection refused; "
        "the file has only what the form gave"
    ) in result.stderr


def test_an_arxiv_id_with_another_title_is_not_used(content, stub):
    result = run(body(**{**GOOD, "paper_title": "A Different Paper on LLM Serving"}))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(
        (content / "papers" / "different-paper-llm-serving.yml").read_text(encoding="utf-8")
    )
    assert "authors" not in data
    assert "arXiv 2311.18677 found no paper with this title" in result.stdout


@pytest.mark.parametrize(
    ("identifier", "field", "value"),
    [
        ("arXiv:2311.18677v2", "arxiv", "2311.18677"),
        ("https://arxiv.org/pdf/2311.18677v1.pdf", "arxiv", "2311.18677"),
        ("https://doi.org/10.1145/3600006.3613165", "doi", "10.1145/3600006.3613165"),
        ("doi: 10.1145/3600006.3613165", "doi", "10.1145/3600006.3613165"),
        ("https://example.org/paper.pdf", "links", {"pdf": "https://example.org/paper.pdf"}),
    ],
)
def test_identifier_forms(identifier, field, value):
    assert fromissue.identifier("arXiv id or DOI", identifier) == {field: value}


HOSTILE = [
    ("<script>alert(1)</script>", "HTML markup"),
    ("<img src=x onerror=alert(1)>", "HTML markup"),
    ("see javascript:alert(1)", "a script or data URL"),
    ("data:text/html;base64,PHNjcmlwdD4=", "a script or data URL"),
    ("<!-- hidden -->", "HTML markup"),
    ("{{ 7*7 }}", "template syntax"),
    ("{% include '/etc/passwd' %}", "template syntax"),
    ("${HOME}", "template syntax"),
    ("$(rm -rf /)", "shell syntax"),
    ("`rm -rf /`", "shell syntax"),
]
FIELDS = [("paper_title", "Title"), ("identifier", "arXiv id or DOI"), ("abstract", "Abstract"),
          ("topics", "Suggested topics"), ("why", "Why it belongs here")]  # fmt: skip


@pytest.mark.parametrize(("key", "label"), FIELDS)
@pytest.mark.parametrize(("payload", "what"), HOSTILE)
def test_hostile_text_in_any_answer_writes_nothing(content, stub, key, label, payload, what):
    before = snapshot(content)
    answers = {**GOOD, key: f"{GOOD.get(key, 'Because')} {payload}"}
    result = run(body(**answers))
    assert result.exit_code == 1
    message = f"{label}: contains {what}; answers must be plain text (or open a pull request)"
    assert result.stderr == f"error: {message}\n"
    assert snapshot(content) == before and stub.requests == 0
    assert f"```text\n{message}\n```" in Path("comment.md").read_text(encoding="utf-8")


def test_plain_text_that_only_looks_close_to_markup_is_accepted(content):
    abstract = "For p < q and q > r, metadata: training data: 1B tokens; costs $5 (or less)."
    result = run(body(**{**GOOD, "abstract": abstract}), "--offline")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((content / "papers" / "splitwise.yml").read_text(encoding="utf-8"))
    assert data["abstract"] == abstract


def test_shell_punctuation_is_just_text(content, tmp_path):
    title = "Pipes | and ; semicolons && ampersands > redirects: a Study of Shell Syntax"
    result = run(body(**{**GOOD, "paper_title": title, "identifier": ""}), "--offline")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "redirects").exists()
    written = yaml.safe_load((content / "papers" / "pipes-semicolons-ampersands-redirects-study.yml")
                             .read_text(encoding="utf-8"))  # fmt: skip
    assert written["title"] == title


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"paper_title": ""}, "Title: the answer is empty; give the paper's title"),
        ({"topics": "llm-serving, serving"},
         "Suggested topics: unknown topic 'serving' (did you mean 'llm-serving'?); "
         "use ids from the Topics page"),
        ({"topics": "a b c d e f"}, "Suggested topics: unknown topic 'a'; use ids from the Topics page"),
        ({"identifier": "2311.186"},
         "arXiv id or DOI: '2311.186' is not an arXiv id (like 2401.09670), "
         "a DOI (like 10.1145/3600006.3613165) or a link"),
        ({"identifier": "10.1145"},
         "arXiv id or DOI: expected a DOI like 10.1145/3600006.3613165, got '10.1145'"),
        ({"identifier": "https://user:pw@example.org/x"},
         "arXiv id or DOI: URL must not contain a user name or password: "
         "'https://user:pw@example.org/x'"),
        ({"identifier": "2401.09670"},
         "this paper is already in the catalogue: content/papers/distserve.yml (same arxiv)"),
        ({"paper_title": "TRP: trained rank pruning for efficient deep neural networks",
          "identifier": ""},
         "this paper is already in the catalogue: content/papers/trp.yml (same title)"),
        ({"paper_title": "x" * 400}, "Title: is 400 characters; the limit is 300"),
        ({"abstract": "word " * 5000}, "Abstract: is 24,999 characters; the limit is 20,000"),
        ({"paper_title": "Two\u202elines"},
         "Title: contains an invisible or control character (U+202E)"),
    ],
)  # fmt: skip
def test_bad_input_gives_one_message_and_writes_nothing(content, stub, answers, message):
    before = snapshot(content)
    result = run(body(**{**GOOD, **answers}))
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {message}\n"
    assert snapshot(content) == before


def test_a_body_over_githubs_limit_is_refused(content):
    result = run(body(**{**GOOD, "why": "y" * 70_000}))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the issue is 70,")
    assert result.stderr.endswith(" characters; at most 65,536\n")


def test_a_heading_typed_inside_an_answer_is_refused(content):
    answers = {**GOOD, "abstract": f"{ABSTRACT}\n\n### Suggested topics\n\nmixture-of-experts"}
    result = run(body(**answers))
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the heading '### Suggested topics' appears twice; "
        "edit the issue so each answer has one heading\n"
    )


def test_a_body_not_made_from_the_form(content):
    result = run("Please add DistServe, thanks!\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no '### Title' section: was this issue made with the Suggest a paper form?\n"
    )


def test_invalid_utf8_in_the_body_is_text_not_a_crash(content):
    (Path.cwd() / "issue.md").write_bytes(body(**GOOD).replace("Splitwise", "Split\xffwise")
                                          .encode("latin-1", "replace"))  # fmt: skip
    result = CliRunner().invoke(main, ["from-issue", "--body", "issue.md", "--form", str(FORM),
                                       "--offline"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((content / "papers" / "splitwise.yml").read_text(encoding="utf-8"))
    assert data["title"].startswith("Split\ufffdwise:")


def test_a_form_without_the_fields_is_one_message(content, tmp_path):
    form = tmp_path / "form.yml"
    form.write_text("name: Other form\nbody: []\n", encoding="utf-8")
    (Path.cwd() / "issue.md").write_text(body(**GOOD), encoding="utf-8")
    result = CliRunner().invoke(main, ["from-issue", "--body", "issue.md", "--form", str(form)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {form} has no field for abstract, identifier, title, topics, why\n"
    )
