"""Every command the README names, run as written in a copy of the project.

The README's commands are read from the README itself: a command added there without a
runner here fails ``test_every_readme_command_is_run``. Each runs through a shell, as
typed, with the project's ``.venv/bin`` first on PATH (an activated virtualenv), in
one copy of the project shared by the tests of this module, in order.
``make serve`` has its own browser test (tests/test_make_serve.py), and ``make test``
is what CI runs (.ci/run); the rest run here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.project_copy import ROOT, make_copy

README = (ROOT / "README.md").read_text(encoding="utf-8")
# A command is a line of a ```sh block, or a `code span` that starts with make TARGET,
# python -m, papercat or VAR=value.
_COMMAND = re.compile(r"`((?:[A-Z_]+=\S+ )*(?:make [a-z][\w-]*|python -m|papercat)\b[^`]*)`")
_SHELL_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Placeholders the README uses, and what the tests put in their place.
PLACEHOLDERS = {
    "SITE_DIR": "site",
    "[--entries N]": "--entries 300",
    "[--papers N] [--edits N]": "--papers 40 --edits 1",
    "[--delay MS]": "--delay 20",
    "[--latency MS]": "--latency 200",
}
QUICK_BENCH = 'SIZES=50 BENCH_ARGS="--no-browser --no-zensical --no-edits"'


def readme_commands() -> list[str]:
    found = set(_COMMAND.findall(README))
    for block in _SHELL_BLOCK.findall(README):
        found |= {line.split("#", 1)[0].strip() for line in block.splitlines()} - {""}
    return sorted(found)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_copy(tmp_path_factory.mktemp("readme") / "project")


def run(project: Path, command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``command`` through bash in ``project``, placeholders filled in; must exit 0."""
    for placeholder, value in PLACEHOLDERS.items():
        command = command.replace(placeholder, value)
    env = {**os.environ, "PATH": f"{project / '.venv' / 'bin'}:{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        ["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"`{command}` exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done


def _files(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes()
        for folder in ("generator", "tests", "bench")
        for p in (project / folder).rglob("*.py")
    }


# The README's commands, each with what this module checks after running it.
def check_make_build(project: Path, done) -> None:
    assert (project / "site" / "index.html").is_file()
    assert len(list((project / "site" / "papers").glob("*/index.html"))) >= 1
    assert "site/ is ready" in done.stdout + done.stderr


def check_linkcheck(project: Path, done) -> None:
    assert re.search(r"\b0 broken links on 0 of [1-9]\d* pages", done.stdout + done.stderr)


def check_zensical(project: Path, done) -> None:
    assert (project / "site-zensical" / "index.html").is_file()


def check_docs(project: Path, done) -> None:
    assert (project / "docs" / "index.md").is_file()
    assert "Built " in done.stderr


def check_preview_url(project: Path, done) -> None:
    assert "https://preview.example/" in (project / "docs" / "feed.xml").read_text()


def check_help(project: Path, done) -> None:
    for name in main.commands:
        assert name in done.stdout, f"{name} is missing from --help"


def check_nothing(project: Path, done) -> None:
    pass


def check_serve_harness(project: Path, done) -> None:
    assert "40 papers, 1 saves of each kind" in done.stdout
    assert re.search(r"(?m)^  all +median +\d", done.stdout)


def check_search_harness(project: Path, done) -> None:
    figures = json.loads(done.stdout)
    assert figures["keystrokes"] >= 100
    assert 0 < figures["keystroke_p50_ms"] <= figures["keystroke_p90_ms"]
    assert figures["first_results_ms"] > 0
    assert figures["bytes_before_first_results"] > 10_000
    # 200 ms added to each request, the worker's too: the manifest, then the index and
    # lunr.js, then the display rows of the hits come one after the other.
    assert figures["latency_ms"] == 200 and figures["first_results_ms"] >= 3 * 200


CHECKS = {
    "make build": check_make_build,
    "papercat linkcheck SITE_DIR": check_linkcheck,
    "papercat build": check_docs,
    "papercat site": check_make_build,
    "make build-zensical": check_zensical,
    "papercat site --renderer zensical": check_zensical,
    "PAPERCAT_SITE_URL=https://preview.example/ papercat build": check_preview_url,
    "make check": check_nothing,
    "make lint": check_nothing,
    "papercat --help": check_help,
    "python -m generator --help": check_help,
    "python -m bench.import_bench [--entries N]": check_nothing,
    "python -m bench.serve_harness [--papers N] [--edits N]": check_serve_harness,
    "python -m bench.search_harness --site SITE_DIR [--delay MS] [--latency MS]": check_search_harness,
}
# Run elsewhere, or here in a form the README itself gives.
ELSEWHERE = {
    "make serve": "tests/test_make_serve.py runs it in a browser",
    "PAPERCAT_SERVE_ADDR=127.0.0.1:8001 make serve": "tests/test_make_serve.py, on a free port",
    "make test": ".ci/run runs it (test_ci_runs_the_readme_test_command)",
    "make format": "test_make_format_changes_nothing",
    "make bench": f"test_make_bench_quick runs it with {QUICK_BENCH}",
    "papercat import": "named, not given with files: tests/test_import_library.py",
    "papercat": "the command's name; `papercat --help` runs here",
    "papercat COMMAND --help": "test_every_subcommand_help",
}


def test_every_readme_command_is_run():
    found = readme_commands()
    assert "make serve" in found and "make test" in found
    missing = [c for c in found if c not in CHECKS and c not in ELSEWHERE]
    assert not missing, f"README commands without a test: {missing}"


@pytest.mark.parametrize("command", list(CHECKS))
def test_readme_command_runs_as_written(project, command):
    assert command in readme_commands(), f"`{command}` is no longer in the README"
    done = run(project, command)
    CHECKS[command](project, done)


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_subcommand_help(project, command):
    done = run(project, f"papercat {command} --help", timeout=120)
    assert "Usage:" in done.stdout and command in done.stdout


def test_make_format_changes_nothing(project):
    before = _files(project)
    run(project, "make format")
    assert _files(project) == before, "make format changed committed code"


def test_make_bench_quick(project, tmp_path):
    assert "SIZES=200,2000" in README and "BENCH_ARGS=--no-browser" in README
    keep = tmp_path / "kept"
    done = run(project, f'make bench {QUICK_BENCH[:-1]} --keep {keep}"')
    assert "### 50 papers" in done.stdout and "papercat / stock" in done.stdout
    # --keep: both built sites, for the search harness
    assert (keep / "n50-site" / "assets" / "search" / "manifest.json").is_file()
    assert (keep / "n50-site-stock" / "search" / "search_index.json").is_file()


def test_ci_runs_the_readme_test_command():
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    assert "make test" in quickstart
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "make test" in [line.strip() for line in lines]
