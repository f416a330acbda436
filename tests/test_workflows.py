"""The workflows: pinned actions, least privilege, no expression in a `run:` line, and
for the suggestion and preview workflows, how untrusted text and artifacts travel
(actionlint and zizmor run in `make lint`; these are the rules they do not state for
this project). tests/test_preview_workflow.py runs the preview workflow's shell steps."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["suggestion.yml", "enrich.yml"]
ALL = sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(flow: dict):
    for job_id, job in flow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_every_workflow_is_checked_here():
    assert ALL == ["ci.yml", "deploy.yml", "enrich.yml", "links.yml", "preview.yml",
                   "suggestion.yml"]  # fmt: skip


@pytest.mark.parametrize("name", ALL)
def test_every_action_is_pinned_by_commit(name):
    for _job, step in steps(load(name)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


@pytest.mark.parametrize("name", ALL)
def test_no_expression_in_run_lines(name):
    for job, step in steps(load(name)):
        assert "${{" not in step.get("run", ""), (job, step.get("name"))


@pytest.mark.parametrize("name", NAMES)
def test_permissions_are_per_job_and_writes_only_where_needed(name):
    flow = load(name)
    assert flow["permissions"] == {}
    for job_id, job in flow["jobs"].items():
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        uses = " ".join(s.get("uses", "") + s.get("run", "") for s in job["steps"])
        if "create-pull-request" in uses:
            assert writes == {"contents", "pull-requests"}, job_id
        elif "gh issue comment" in uses:
            assert writes == {"issues"}, job_id
        else:
            assert writes == set(), job_id


def test_the_issue_body_reaches_only_the_read_only_job_through_env():
    flow = load("suggestion.yml")
    text = (WORKFLOWS / "suggestion.yml").read_text(encoding="utf-8")
    assert text.count("github.event.issue.body") == 1
    draft = flow["jobs"]["draft"]
    assert draft["permissions"] == {"contents": "read"}
    (step,) = [s for s in draft["steps"] if "github.event.issue.body" in str(s.get("env"))]
    assert "from-issue --body" in step["run"]


def test_suggestions_wait_for_a_maintainer():
    flow = load("suggestion.yml")
    assert flow[True] == {"issues": {"types": ["labeled"]}}  # `on:` is YAML 1.1 true
    assert "github.event.label.name == 'accepted'" in flow["jobs"]["draft"]["if"]
    assert "'paper suggestion'" in flow["jobs"]["draft"]["if"]
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/suggest-paper.yml").read_text())
    assert form["labels"] == ["paper suggestion"]


# --- pull request previews (issue 25) ----------------------------------------------


def test_previews_run_the_default_branch_code_on_ci_s_artifact():
    flow = load("preview.yml")
    assert flow[True] == {  # `on:` is YAML 1.1 true
        "workflow_run": {"workflows": [load("ci.yml")["name"]], "types": ["completed"]},
        "pull_request_target": {"types": ["closed"]},
        "schedule": [{"cron": "37 4 * * *"}],
        "workflow_dispatch": None,
    }
    for job_id, step in steps(flow):
        # Never the pull request's code: checkout keeps its default (the default branch).
        if "checkout" in step.get("uses", ""):
            assert step["with"] == {"persist-credentials": False}, job_id
    runs = " ".join(step.get("run", "") for _, step in steps(flow))
    assert "GITHUB_ENV" not in runs and "GITHUB_PATH" not in runs
    text = (WORKFLOWS / "preview.yml").read_text(encoding="utf-8")
    assert "github.event.pull_request.head" not in text  # nothing of the pull request's


def test_previews_hold_only_the_permissions_each_job_needs():
    flow = load("preview.yml")
    assert flow["permissions"] == {}
    assert {job_id: job["permissions"] for job_id, job in flow["jobs"].items()} == {
        "not-set-up": {},
        "check": {"actions": "read", "pull-requests": "read"},
        "host": {"contents": "read", "pull-requests": "read"},
        "comment": {"pull-requests": "write", "statuses": "write"},
    }
    # The deploy key: one secret, in the `preview` environment, in the one step that pushes.
    text = (WORKFLOWS / "preview.yml").read_text(encoding="utf-8")
    assert text.count("secrets.") == 1
    host = flow["jobs"]["host"]
    assert host["environment"] == "preview"
    (publish,) = [s for s in host["steps"] if "secrets." in str(s)]
    assert publish["env"]["DEPLOY_KEY"] == "${{ secrets.PREVIEW_DEPLOY_KEY }}"


def test_nothing_is_published_unless_the_check_passed():
    jobs = load("preview.yml")["jobs"]
    assert jobs["host"]["needs"] == "check" and jobs["comment"]["needs"] == ["check", "host"]
    # On a CI run, the host job runs only after a successful check ...
    assert "needs.check.result == 'success'" in jobs["host"]["if"]
    assert "github.event_name != 'workflow_run'" in jobs["host"]["if"]
    assert jobs["comment"]["if"] == "needs.host.outputs.published == 'true'"
    # ... and the artifact's number reaches it only as the check's output.
    for job_id in ("host", "comment"):
        for step in jobs[job_id]["steps"]:
            if step.get("env", {}).get("PR"):
                assert step["env"]["PR"] == "${{ needs.check.outputs.pr }}", (job_id, step)
    check = jobs["check"]
    assert "github.event.workflow_run.conclusion == 'success'" in check["if"]
    assert "github.event.workflow_run.event == 'pull_request'" in check["if"]
    (validate,) = [s for s in check["steps"] if s.get("id") == "check"]
    run = validate["run"]
    assert run.index("preview check") < run.index("gh api") < run.index("GITHUB_OUTPUT")


def test_previews_need_a_preview_repository_and_say_so_without_one():
    jobs = load("preview.yml")["jobs"]
    assert jobs["not-set-up"]["if"] == "vars.PREVIEW_REPOSITORY == ''"
    for job_id in ("check", "host"):
        assert "vars.PREVIEW_REPOSITORY != ''" in jobs[job_id]["if"], job_id
    (say,) = jobs["not-set-up"]["steps"]
    assert say["run"].startswith('echo "::notice title=No pull request previews::')


def test_ci_builds_the_preview_with_no_write_and_no_secret():
    flow = load("ci.yml")
    assert flow[True] == {"pull_request": None, "workflow_dispatch": None}
    assert flow["permissions"] == {"contents": "read"}
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "vars." not in text
    content = flow["jobs"]["content"]["steps"]
    (address,) = [s for s in content if s.get("name") == "Preview address"]
    assert "generator.site.preview url" in address["run"]
    (data,) = [s for s in content if s.get("name") == "The pull request's number and papers"]
    assert "preview/pr.txt" in data["run"] and "--json preview/changes.json" in data["run"]
    (upload,) = [s for s in content if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["name"] == "site-preview" and upload["with"]["path"] == "preview/"
