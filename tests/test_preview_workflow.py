"""The preview workflow's own shell steps, run as written in .github/workflows/preview.yml.

Each step's ``run:`` text goes through bash as GitHub runs it (``-eo pipefail``) in a copy
of what the runner would have: ``RUNNER_TEMP``, ``GITHUB_OUTPUT``, ``python`` (this
interpreter; the steps use the standard library only), and a stand-in ``gh`` that logs
its calls and answers from the test. The preview repository is a bare repository on disk,
so nothing here touches the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

needs_jq = pytest.mark.skipif(not shutil.which("jq"), reason="jq not installed (gh's --jq)")
WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/preview.yml").read_text(encoding="utf-8"))
SHA = "0123456789abcdef0123456789abcdef01234567"
# A stand-in for the GitHub CLI: logs each call (one JSON list a line, a body file's
# text after it) and answers from the environment; --jq filters run through jq itself.
FAKE_GH = f"""#!{sys.executable}
import json, os, subprocess, sys
args = sys.argv[1:]
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
    for arg in args:
        if arg.startswith("body=@"):
            log.write(open(arg[6:]).read())
def jq(text):
    if "--jq" not in args:
        return text
    filter_ = args[args.index("--jq") + 1]
    return subprocess.run(["jq", "-r", filter_], input=text, capture_output=True,
                          text=True, check=True).stdout
if args[:2] == ["pr", "list"]:
    print(os.environ["GH_OPEN"], end="")
elif args[0] == "api" and args[1].startswith("repos/o/r/pulls/"):
    print(os.environ["GH_PULL"])
elif args[:2] == ["api", "--paginate"] and args[2].endswith("/comments"):
    print(jq(os.environ["GH_COMMENTS"]), end="")
elif args[:2] == ["api", "--method"]:
    pass
else:
    sys.exit("unexpected gh call: " + " ".join(args))
"""


def calls(log: Path) -> list[list[str]]:
    """The logged gh calls (a body file's text, logged after its call, left out)."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("[")]


def step(job: str, name: str) -> str:
    (found,) = [s for s in WORKFLOW["jobs"][job]["steps"] if s.get("name") == name]
    return found["run"]


@pytest.fixture
def runner(tmp_path):
    """A runner's surroundings; returns run(job, step name, env) -> (process, outputs)."""
    temp, tools = tmp_path / "runner-temp", tmp_path / "bin"
    temp.mkdir()
    tools.mkdir()
    (tools / "python").symlink_to(sys.executable)
    (tools / "gh").write_text(FAKE_GH)
    (tools / "curl").write_text(
        '#!/bin/sh\nprintf "%s\\n" "$*" >> "$CURL_LOG"\nprintf "%s" "$SERVED"\n'
    )
    for tool in ("gh", "curl"):
        (tools / tool).chmod(0o755)

    def run(job: str, name: str, **env: str) -> tuple[subprocess.CompletedProcess, dict]:
        output = tmp_path / "github-output"
        output.write_text("")
        full = {
            "PATH": f"{tools}:{os.environ['PATH']}", "HOME": str(tmp_path),
            "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output), "GITHUB_RUN_ID": "7",
            "GH_LOG": str(tmp_path / "gh.log"), "GH_REPO": "o/r", "GH_TOKEN": "t",
            "CURL_LOG": str(tmp_path / "curl.log"),
            "PREVIEW_BRANCH": WORKFLOW["env"]["PREVIEW_BRANCH"], **env,
        }  # fmt: skip
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step(job, name)],
            cwd=ROOT, env=full, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        lines = output.read_text().splitlines()
        return done, dict(line.split("=", 1) for line in lines)

    run.temp = temp
    run.gh_log = tmp_path / "gh.log"
    return run


def ci_artifact(folder: Path, pr: str) -> None:
    """What ci.yml uploads: site/, pr.txt and changes.json."""
    (folder / "site" / "papers" / "a").mkdir(parents=True)
    for page in ("index.html", "404.html", "papers/a/index.html"):
        (folder / "site" / page).write_text("<p>page</p>")
    (folder / "pr.txt").write_text(pr)
    row = {"status": "added", "id": "a", "title": "A", "topics": [], "old_topics": []}
    (folder / "changes.json").write_text(json.dumps({"papers": [row]}))


CHECK = ("check", "Check it, and that its pull request is open at this commit")


def test_a_good_artifact_passes_the_check(runner):
    ci_artifact(runner.temp / "artifact", "12\n")
    done, outputs = runner(*CHECK, HEAD_SHA=SHA, GH_PULL=f"open {SHA}")
    assert done.returncode == 0, done.stderr
    assert outputs == {"pr": "12", "url": "https://papercat.github.io/previews/pr-12/"}
    assert calls(runner.gh_log) == [
        ["api", "repos/o/r/pulls/12", "--jq", '.state + " " + .head.sha']
    ]
    assert (runner.temp / "checked" / "comment.md").read_text().startswith("<!-- papercat")


@pytest.mark.parametrize("number", ["12; rm -rf /\n", "../1\n", "", "1234567890\n", "$(id)"])
def test_a_bad_number_is_refused_before_anything_is_published(runner, number):
    """Nothing reaches GITHUB_OUTPUT, so the host job (which needs this job's success
    and its `pr` output) publishes nothing; not even GitHub is asked about it."""
    ci_artifact(runner.temp / "artifact", number)
    done, outputs = runner(*CHECK, HEAD_SHA=SHA, GH_PULL=f"open {SHA}")
    assert done.returncode == 1
    assert done.stderr.startswith("error: pr.txt: ")
    assert outputs == {}
    assert not runner.gh_log.exists() and not (runner.temp / "checked").exists()


@pytest.mark.parametrize("answer", [f"closed {SHA}", "open " + "f" * 40])
def test_a_pull_request_not_open_at_that_commit_is_refused(runner, answer):
    ci_artifact(runner.temp / "artifact", "12\n")
    done, outputs = runner(*CHECK, HEAD_SHA=SHA, GH_PULL=answer)
    assert done.returncode == 1
    assert f"::error::Pull request #12 is not open at {SHA}" in done.stdout
    assert outputs == {}


OPEN = ("host", "List the open pull requests")
PUBLISH = ("host", "Publish to the preview repository's GitHub Pages")


@pytest.mark.parametrize(("answer", "expected"), [(f"open {SHA}", {"publish": "true"}),
                                                  (f"open {'f' * 40}", {})])  # fmt: skip
def test_only_the_newest_push_is_published(runner, answer, expected):
    done, outputs = runner(*OPEN, PR="12", HEAD_SHA=SHA, GH_PULL=answer, GH_OPEN="12\n13\n")
    assert done.returncode == 0, done.stderr
    assert outputs == expected
    assert (runner.temp / "open-prs.txt").read_text() == "12\n13\n"


def git(*args: str | Path) -> str:
    return subprocess.run(["git", *map(str, args)], check=True, capture_output=True,
                          text=True).stdout.strip()  # fmt: skip


def served(remote: Path) -> list[str]:
    """The files of the preview repository's Pages branch."""
    branch = WORKFLOW["env"]["PREVIEW_BRANCH"]
    return git("-C", remote, "ls-tree", "-r", "--name-only", branch).splitlines()


def test_publishing_and_removing_previews_in_the_preview_repository(runner, tmp_path):
    remote = tmp_path / "previews.git"
    git("init", "--quiet", "--bare", remote)
    common = {"PREVIEW_REMOTE": str(remote), "DEPLOY_KEY": "not used for a local remote"}
    branch = WORKFLOW["env"]["PREVIEW_BRANCH"]

    def publish(pr: str, sha: str, open_prs: str) -> dict:
        site = runner.temp / "site"
        shutil.rmtree(site, ignore_errors=True)
        ci_artifact(tmp_path / f"ci-{pr}-{sha[:3]}", f"{pr}\n")
        shutil.copytree(tmp_path / f"ci-{pr}-{sha[:3]}" / "site", site)
        (runner.temp / "open-prs.txt").write_text(open_prs)
        done, outputs = runner(*PUBLISH, **common, PUBLISH="true", PR=pr, HEAD_SHA=sha)
        assert done.returncode == 0, done.stderr
        return outputs

    assert publish("12", SHA, "12\n") == {"published": "true"}  # a repository without a branch
    assert publish("13", "a" * 40, "12\n13\n") == {"published": "true"}
    files = served(remote)
    assert {"pr-12/index.html", "pr-12/preview-sha.txt", "pr-13/papers/a/index.html",
            "404.html", "index.html", ".nojekyll", "previews.json"} <= set(files)  # fmt: skip
    assert git("-C", remote, "rev-list", "--count", branch) == "1"  # one commit, no history
    assert git("-C", remote, "show", f"{branch}:pr-12/preview-sha.txt") == SHA

    # Pull request 12 closed: a run with no site removes its preview.
    (runner.temp / "open-prs.txt").write_text("13\n")
    done, outputs = runner(*PUBLISH, **common, PUBLISH="", PR="", HEAD_SHA="")
    assert done.returncode == 0, done.stderr
    assert outputs == {"published": ""}
    assert not [f for f in served(remote) if f.startswith("pr-12/")]
    assert "pr-13/index.html" in served(remote)
    before = git("-C", remote, "rev-parse", branch)
    done, _ = runner(*PUBLISH, **common, PUBLISH="", PR="", HEAD_SHA="")
    assert "The preview host is up to date." in done.stdout
    assert git("-C", remote, "rev-parse", branch) == before  # nothing changed, nothing pushed


def test_a_push_by_another_run_meanwhile_is_kept(runner, tmp_path):
    """Another run pushes between this run's clone and its push: the push is refused
    (--force-with-lease), and the next attempt starts from the other run's result."""
    remote = tmp_path / "previews.git"
    git("init", "--quiet", "--bare", remote)
    branch = WORKFLOW["env"]["PREVIEW_BRANCH"]
    other = tmp_path / "other"
    git("init", "--quiet", other)
    (other / "pr-99").mkdir()
    (other / "pr-99" / "index.html").write_text("another run's preview")
    git("-C", other, "add", "--all")
    git("-C", other, "-c", "user.name=o", "-c", "user.email=o@example.org", "commit", "-qm", "o")
    # The first time previewhost runs, the other run pushes.
    python = runner.temp.parent / "bin" / "python"
    python.unlink()
    python.write_text(
        f'#!/bin/sh\n{sys.executable} "$@" || exit $?\n'
        f"[ -e {tmp_path}/raced ] || {{ touch {tmp_path}/raced; "
        f"git -C {other} push --quiet --force {remote} HEAD:refs/heads/{branch}; }}\n"
    )
    python.chmod(0o755)
    ci_artifact(tmp_path / "ci", "12\n")
    shutil.copytree(tmp_path / "ci" / "site", runner.temp / "site")
    (runner.temp / "open-prs.txt").write_text("12\n99\n")
    done, outputs = runner(*PUBLISH, PREVIEW_REMOTE=str(remote), DEPLOY_KEY="-",
                           PUBLISH="true", PR="12", HEAD_SHA=SHA)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "::warning::The preview repository changed during attempt 1" in done.stdout
    assert outputs == {"published": "true"}
    assert {"pr-12/index.html", "pr-99/index.html"} <= set(served(remote))


COMMENT = ("comment", "Create or update the preview comment")
STATUS = ("comment", "Commit status, once the host serves this commit")
BOT = "github-actions[bot]"


@needs_jq
@pytest.mark.parametrize(
    ("comments", "expected"),
    [
        ([], ["api", "--method", "POST", "repos/o/r/issues/12/comments"]),
        # Ours is found by its marker among others' comments (and a look-alike by a person).
        ([{"id": 1, "user": {"login": "someone"}, "body": "<!-- papercat-preview --> mine"},
          {"id": 2, "user": {"login": BOT}, "body": "CI summary"},
          {"id": 3, "user": {"login": BOT}, "body": "<!-- papercat-preview -->\nold"}],
         ["api", "--method", "PATCH", "repos/o/r/issues/comments/3"]),
    ],
)  # fmt: skip
def test_one_comment_per_pull_request_updated_on_every_push(runner, comments, expected):
    (runner.temp / "comment").mkdir()
    body = runner.temp / "comment" / "comment.md"
    body.write_text("<!-- papercat-preview -->\nthe links\n")
    done, _ = runner(*COMMENT, PR="12", GH_COMMENTS=json.dumps(comments))
    assert done.returncode == 0, done.stderr
    assert calls(runner.gh_log)[-1] == [*expected, "-F", f"body=@{body}"]
    assert runner.gh_log.read_text().endswith("<!-- papercat-preview -->\nthe links\n")


def test_the_commit_status_says_when_the_host_serves_the_commit(runner):
    url = "https://papercat.github.io/previews/pr-12/"
    done, _ = runner(*STATUS, HEAD_SHA=SHA, URL=url, SERVED=SHA)
    assert done.returncode == 0, done.stderr
    posted = calls(runner.gh_log)
    assert [call[call.index("-f") + 1] for call in posted] == ["state=pending", "state=success"]
    assert posted[-1][:4] == ["api", "--method", "POST", f"repos/o/r/statuses/{SHA}"]
    assert f"target_url={url}" in posted[-1]
    (asked,) = (runner.temp.parent / "curl.log").read_text().splitlines()
    assert asked.startswith(f"--silent --fail {url}preview-sha.txt?run=7-")
