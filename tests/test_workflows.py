"""The suggestion and enrich workflows: pinned actions, least privilege, and no issue
text in a `run:` line (actionlint and zizmor run in `make lint`; these are the rules
they do not state for this project)."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["suggestion.yml", "enrich.yml"]


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(flow: dict):
    for job_id, job in flow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


@pytest.mark.parametrize("name", NAMES)
def test_every_action_is_pinned_by_commit(name):
    for _job, step in steps(load(name)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


@pytest.mark.parametrize("name", NAMES)
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
