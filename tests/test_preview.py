"""site/preview.py: the pull request number, the checks on CI's artifact, the comment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main as papercat
from generator.site import preview
from generator.site.preview import Config, PaperChange, PreviewError
from tests.conftest import ROOT, build_site, copy_fixture

SHA = "0123456789abcdef0123456789abcdef01234567"
CONFIG = Config("https://example.github.io/previews/", limit=20, max_mb=1)
BASE = "https://example.github.io/previews/pr-12/"
NOT_A_NUMBER = "pr.txt: not a pull request number (digits only, no leading zero): "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("12\n", 12),
        ("999999999", 999_999_999),
        ("12; rm -rf /", NOT_A_NUMBER + "'12; rm -rf /'"),
        ("../1", NOT_A_NUMBER + "'../1'"),
        ("", "pr.txt: empty; expected the pull request number"),
        ("\n", "pr.txt: empty; expected the pull request number"),
        ("1234567890", "pr.txt: 10 digits; a pull request number has at most 9"),
        ("012", NOT_A_NUMBER + "'012'"),
        ("0", NOT_A_NUMBER + "'0'"),
        (" 12", NOT_A_NUMBER + "' 12'"),
        ("12\n\n", NOT_A_NUMBER + "'12\\n'"),
        ("12\n13", NOT_A_NUMBER + "'12\\n13'"),
        ("-1", NOT_A_NUMBER + "'-1'"),
        ("1e3", NOT_A_NUMBER + "'1e3'"),
        ("１２", NOT_A_NUMBER + "'１２'"),  # fullwidth digits: str.isdigit() says yes
        ("$(id)", NOT_A_NUMBER + "'$(id)'"),
    ],
)
def test_pull_request_number(text, expected):
    if isinstance(expected, int):
        assert preview.pr_number(text) == expected
    else:
        with pytest.raises(PreviewError) as error:
            preview.pr_number(text)
        assert str(error.value) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"12\n", 12),
        (b"1" * 10_000, "pr.txt: 11 digits; a pull request number has at most 9"),
        (b"\xff12", "pr.txt: not a pull request number (not ASCII)"),
        (b"12\x00", NOT_A_NUMBER + "'12\\x00'"),
    ],
)
def test_pull_request_number_file(tmp_path, data, expected):
    (tmp_path / "pr.txt").write_bytes(data)
    if isinstance(expected, int):
        assert preview.read_pr(tmp_path / "pr.txt") == expected
    else:
        with pytest.raises(PreviewError, match="^" + re.escape(expected) + "$"):
            preview.read_pr(tmp_path / "pr.txt")


def artifact(folder: Path, pr: bytes = b"12\n", papers: list | None = None) -> Path:
    """A minimal artifact as CI uploads it: site/, pr.txt, changes.json."""
    (folder / "site" / "papers" / "a").mkdir(parents=True)
    for page in ("index.html", "404.html", "papers/a/index.html"):
        (folder / "site" / page).write_text("<p>page</p>")
    (folder / "pr.txt").write_bytes(pr)
    rows = papers if papers is not None else [
        {"status": "added", "id": "a", "title": "A", "topics": ["t"], "old_topics": []}
    ]  # fmt: skip
    (folder / "changes.json").write_text(json.dumps({"papers": rows}))
    return folder


def refused(folder: Path, tmp_path: Path) -> str:
    """check() on ``folder``: the message it refuses with; nothing written to --out."""
    out = tmp_path / "out"
    with pytest.raises(PreviewError) as error:
        preview.check(folder, SHA, out, CONFIG)
    assert not out.exists()
    return str(error.value)


@pytest.mark.parametrize("bad", [b"12; rm -rf /", b"../1", b"", b"1234567890", b"12 && curl x"])
def test_an_artifact_with_a_bad_number_is_refused_before_anything_is_written(tmp_path, bad):
    message = refused(artifact(tmp_path / "a", pr=bad), tmp_path)
    assert message.startswith("pr.txt: ")


def test_a_good_artifact_gives_the_number_and_the_comment(tmp_path):
    out = tmp_path / "out"
    assert preview.check(artifact(tmp_path / "a"), SHA, out, CONFIG) == 12
    assert (out / "pr.txt").read_text() == "12\n"
    assert f"[A]({BASE}papers/a/)" in (out / "comment.md").read_text()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda a: (a / "site" / "x").symlink_to("/etc/passwd"), "site/x: not a plain file or folder"),
        (lambda a: (a / "site" / "d").symlink_to(a / "site"), "site/d: not a plain file or folder"),
        (lambda a: os.mkfifo(a / "site" / "pipe"), "site/pipe: not a plain file or folder"),
        (lambda a: (a / "site" / "papers" / ".git").mkdir(),
         "site/papers/.git: a hidden name; a built site has none"),
        (lambda a: (a / "site" / ".gitattributes").write_text("* filter=x"),
         "site/.gitattributes: a hidden name; a built site has none"),
        (lambda a: (a / "site" / "big").write_bytes(b"0" * 1_100_000),
         "more than 1 MB; a preview holds at most that"),
        (lambda a: (a / "site" / "404.html").unlink(), "site/404.html: missing; not a built site"),
        (lambda a: shutil.rmtree(a / "site"), "site: missing (expected a folder in the artifact)"),
        (lambda a: (a / "pr.txt").unlink(), "pr.txt: missing (expected a file in the artifact)"),
        (lambda a: [(a / "pr.txt").unlink(), (a / "pr.txt").symlink_to(a / "changes.json")],
         "pr.txt: missing (expected a file in the artifact)"),
        (lambda a: (a / "changes.json").write_text("{"), "changes.json: not JSON (Expecting "
         "property name enclosed in double quotes: line 1 column 2 (char 1))"),
        (lambda a: (a / "changes.json").write_text("[]"), 'changes.json: expected {"papers": [...]}'),
    ],
)  # fmt: skip
def test_an_artifact_that_is_not_a_plain_built_site_is_refused(tmp_path, damage, expected):
    folder = artifact(tmp_path / "a")
    damage(folder)
    assert refused(folder, tmp_path) == expected


ROW = {"status": "changed", "id": "a", "title": "T", "topics": ["t"], "old_topics": []}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": "deleted"}, "papers[0]: status must be one of added, changed, removed"),
        ({"id": "../../x"}, "papers[0].id: not an id: '../../x'"),
        ({"id": "a/b"}, "papers[0].id: not an id: 'a/b'"),
        ({"id": 7}, "papers[0].id: not an id: 7"),
        ({"topics": ["ok", "<script>"]}, "papers[0].topics: not an id: '<script>'"),
        ({"old_topics": "t"}, "papers[0].old_topics: expected a list of ids"),
        ({"title": ""}, "papers[0].title: expected a title of 1 to 1000 characters"),
        ({"title": "x" * 1001}, "papers[0].title: expected a title of 1 to 1000 characters"),
    ],
)
def test_changes_are_checked_value_by_value(tmp_path, change, expected):
    folder = artifact(tmp_path / "a", papers=[{**ROW, **change}])
    assert refused(folder, tmp_path) == "changes.json: " + expected


@pytest.mark.parametrize(
    ("sha", "expected"),
    [("abc", "--sha: not a commit id: 'abc'"), (SHA.upper(), f"--sha: not a commit id: '{SHA.upper()}'")],
)  # fmt: skip
def test_the_commit_must_be_a_commit_id(tmp_path, sha, expected):
    with pytest.raises(PreviewError, match=expected):
        preview.check(artifact(tmp_path / "a"), sha, tmp_path / "out", CONFIG)


def test_titles_are_text_in_the_comment(tmp_path):
    """Markdown and HTML in a title show as written; invisible and direction-changing
    characters (here a right-to-left override) become U+FFFD."""
    title = "[x](javascript:alert(1)) <img src=x> \u202egnp.exe"
    folder = artifact(tmp_path / "a", papers=[{**ROW, "status": "added", "title": title}])
    preview.check(folder, SHA, tmp_path / "out", CONFIG)
    line = (tmp_path / "out" / "comment.md").read_text().splitlines()[7]
    assert line == (
        f"- added: [\\[x\\]\\(javascript:alert\\(1\\)\\) &lt;img src=x&gt; \ufffdgnp.exe]"
        f"({BASE}papers/a/)"
    )


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)  # fmt: skip


NEW_TOPIC = """
- id: efficient-inference
  name: Efficient inference
  description: Making trained networks cheaper to run.
  keywords: [inference cost]
"""


def test_the_comment_of_a_pull_request_lists_exactly_its_preview_links(tmp_path, monkeypatch):
    """Acceptance (issue 25): a pull request adds a paper, edits another and moves a
    third to a new topic. CI's side writes changes.json and builds the site for the
    preview address; the preview side checks the artifact and writes the comment."""
    content = copy_fixture("contrib-mini", tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    papers = content / "papers"
    (papers / "new-paper.yml").write_text(
        "title: 'Chunked Prefill: Piggybacking Decodes'\ntopics: [llm-serving]\nadded: 2026-12-01\n"
    )
    distserve = (papers / "distserve.yml").read_text()
    (papers / "distserve.yml").write_text(distserve.replace("maximize goodput", "maximise goodput"))
    trp = (papers / "trp.yml").read_text()
    (papers / "trp.yml").write_text(trp.replace("[model-compression]", "[efficient-inference]"))
    with (content / "topics.yml").open("a") as f:
        f.write(NEW_TOPIC)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "the pull request")

    art = tmp_path / "artifact"
    art.mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(papercat, ["changes", "--content", "content", "--base", "HEAD^1",
                                           "--json", str(art / "changes.json")])  # fmt: skip
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("PAPERCAT_SITE_URL", BASE)
    build_site(content, tmp_path / "build")
    shutil.copytree(tmp_path / "build" / "site", art / "site")
    (art / "pr.txt").write_text("12\n")

    preview.check(art, SHA, tmp_path / "out", Config(CONFIG.base_url, limit=20, max_mb=500))
    assert (tmp_path / "out" / "comment.md").read_text().splitlines() == [
        "<!-- papercat-preview -->",
        "### Preview of #12",
        "",
        f"The site as this pull request builds it, at 0123456: [home page]({BASE}). "
        "Updated on every push, removed when the pull request closes.",
        "",
        "**Papers**",
        "",
        "- changed: [DistServe: Disaggregating Prefill and Decoding for Goodput\\-optimized "
        f"Large Language Model Serving]({BASE}papers/distserve/)",
        f"- added: [Chunked Prefill: Piggybacking Decodes]({BASE}papers/new-paper/)",
        "- changed: [TRP: Trained Rank Pruning for Efficient Deep Neural Networks]"
        f"({BASE}papers/trp/)",
        "",
        "**Topics these papers moved in or out of**",
        "",
        f"- [efficient-inference]({BASE}topics/efficient-inference/): in: `trp`",
        f"- [llm-serving]({BASE}topics/llm-serving/): in: `new-paper`",
        f"- [model-compression]({BASE}topics/model-compression/): out: `trp`",
    ]


def test_removed_papers_and_topics_without_a_page_are_named_not_linked(tmp_path):
    site = artifact(tmp_path / "a") / "site"
    text = preview.comment(12, SHA, BASE, [
        PaperChange("removed", "gone", "Gone", (), ("old-topic",)),
    ], site)  # fmt: skip
    assert text.splitlines()[7:] == [
        "- removed: Gone (`gone`)",
        "",
        "**Topics these papers moved in or out of**",
        "",
        "- old-topic: out: `gone`",
    ]


def test_a_pull_request_without_paper_changes_links_the_home_page(tmp_path):
    site = artifact(tmp_path / "a") / "site"
    text = preview.comment(3, SHA, BASE, [], site)
    assert f"[home page]({BASE})" in text
    assert text.endswith("This pull request adds, changes or removes no paper files.\n")


def test_long_lists_are_cut_in_the_comment(tmp_path):
    site = artifact(tmp_path / "a") / "site"
    many = [PaperChange("changed", f"p{n}", f"P{n}", (), ()) for n in range(60)]
    lines = preview.comment(12, SHA, BASE, many, site).splitlines()
    assert lines[-1] == "- and 10 more (the CI run's summary lists them all)"
    assert len([line for line in lines if line.startswith("- changed: ")]) == 50


def test_the_preview_address_comes_from_pyproject():
    config = preview.load_config()
    assert config.base_url == "https://papercat.github.io/previews/"
    assert preview.preview_url(config, 12) == "https://papercat.github.io/previews/pr-12/"


@pytest.mark.parametrize("value", ['"ftp://x/"', '"https://x"', '"https://x/?q=1/"', "3"])
def test_a_bad_preview_address_is_an_error(tmp_path, value):
    (tmp_path / "pyproject.toml").write_text(f"[tool.papercat]\npreview-base-url = {value}\n")
    with pytest.raises(PreviewError, match="preview-base-url must be an http"):
        preview.load_config(tmp_path / "pyproject.toml")


def test_runs_with_the_standard_library_alone():
    """The preview workflow runs these modules with the runner's python3, installing
    nothing: -S leaves site-packages (yaml, click ...) out of reach."""
    for module, args in (("generator.site.preview", ["url", "--pr", "12"]),
                         ("generator.site.previewhost", ["--help"])):  # fmt: skip
        done = subprocess.run([sys.executable, "-S", "-m", module, *args], cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-S", "-m", "generator.site.preview", "url", "--pr",
                           "12; rm -rf /"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: --pr: {NOT_A_NUMBER[8:]}'12; rm -rf /'\n"


def test_too_many_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(preview, "MAX_FILES", 4)  # the artifact has 6 files
    folder = artifact(tmp_path / "a")
    assert refused(folder, tmp_path) == "more than 4 files; a preview holds at most that"
