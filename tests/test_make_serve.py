"""The README's first command, run as written: ``make serve`` in a copy of the project.

It must serve the home page and a paper page, show an edit to the paper's file on the
open page (the fast pass renders it, the page reloads), then a change of its topics,
and a new paper on the open home page; keep serving the last good site when a file
breaks, and stop on Ctrl-C with no process left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bench.serveloop import http_get
from tests.project_copy import free_port, group_alive, make_copy, processes, stop_group

pytestmark = pytest.mark.e2e
START_TIMEOUT = 300  # a first build of the seed catalogue on a slow CI machine
EDIT_TIMEOUT = 60_000  # ms
NEW_PAPER = """title: A paper saved while serving
abstract: A new paper, added while the site is served.
topics: [mixture-of-experts]
added: 2099-01-01
"""


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`make serve` exited with {proc.returncode}:\n{log.read_text()}")
        try:
            status, body = http_get(url)
            if status == 200:
                return body
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} not served within {timeout} s:\n{log.read_text()}")


def _start(tmp_path: Path, ignore_sigint: bool = False):
    """`make serve` in a new project copy, in a process group of its own (as a shell
    starts a job); returns (base url, project, process, log). ``ignore_sigint``: as a
    non-interactive shell starts `make serve &`."""
    project = make_copy(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PAPERCAT_SERVE_ADDR": f"127.0.0.1:{port}"}
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "serve"], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=ignore,
        )  # fmt: skip
    return f"http://127.0.0.1:{port}/", project, proc, log


@pytest.fixture
def served(tmp_path, browser):
    """`make serve` running in a project copy; yields (base url, project, process, log)."""
    base, project, proc, log = _start(tmp_path)
    try:
        yield base, project, proc, log
    finally:
        stop_group(proc)


def test_make_serve_serves_rebuilds_and_stops_cleanly(served, page):
    base, project, proc, log = served
    paper = sorted((project / "content" / "papers").glob("*.yml"))[0]
    pid = paper.stem
    home = _wait_for(base, proc, log, START_TIMEOUT)
    assert "papercat" in home
    _wait_for(f"{base}papers/{pid}/", proc, log, 60)

    page.goto(base)
    # Waited for, not counted at once: the first build settling reloads the open page.
    page.locator("h1").first.wait_for()
    page.goto(f"{base}papers/{pid}/")
    title = page.locator("h1").first.inner_text()
    assert title

    # Save an edit to the paper's file: the open page shows it, without a manual reload.
    marker = "Edited-while-serving-4711"
    text = paper.read_text(encoding="utf-8")
    assert "\nabstract: " in text
    paper.write_text(text.replace("\nabstract: >-\n  ", f"\nabstract: >-\n  {marker} ", 1))
    assert marker in paper.read_text(encoding="utf-8")
    page.get_by_text(marker).first.wait_for(timeout=EDIT_TIMEOUT)

    # A topic change: the open page shows the paper's new topic.
    topic = "reinforcement-learning"
    edited = paper.read_text(encoding="utf-8")
    assert f"topics/{topic}/" not in page.content()
    paper.write_text(re.sub(r"(?m)^topics: .*$", f"topics: [{topic}]", edited), encoding="utf-8")
    page.locator(f'.pc-paper a[href$="topics/{topic}/"]').first.wait_for(timeout=EDIT_TIMEOUT)

    # A new paper: the open home page lists it as the latest, and its page opens.
    page.goto(base)
    (paper.parent / "saved-while-serving.yml").write_text(NEW_PAPER, encoding="utf-8")
    page.get_by_text("A paper saved while serving").first.wait_for(timeout=EDIT_TIMEOUT)
    page.get_by_text("A paper saved while serving").first.click()
    page.wait_for_url("**/papers/saved-while-serving/")
    assert page.locator("h1").first.inner_text() == "A paper saved while serving"

    # A broken file: the problem is printed with FILE:LINE, the last good site stays up.
    paper.write_text("title: [broken\n", encoding="utf-8")
    needle = f"content/papers/{pid}.yml:2: file: invalid YAML"
    deadline = time.monotonic() + 60
    while needle not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert needle in log.read_text()
    status, body = http_get(f"{base}papers/{pid}/")
    assert status == 200 and marker in body

    # Ctrl-C stops make, the server and its exact pass: nothing is left running.
    assert stop_group(proc), f"processes left behind:\n{log.read_text()}"
    assert not group_alive(proc.pid)
    assert http_get(base, timeout=5) == (0, "")


def test_make_serve_stops_on_sigterm_to_its_group(tmp_path):
    """`make serve &` in a script (SIGINT ignored, as a shell does for a background job)
    stopped by `kill -TERM -<pgid>` during its first build: make forwards SIGTERM to the
    server, which so gets it twice; the second must not cut its shutdown short."""
    base, _project, proc, log = _start(tmp_path, ignore_sigint=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "Serving on" not in log.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "Settled" not in log.read_text()  # still in its first build
        server = [pid for pid, _, parent, _ in processes() if parent == proc.pid]
        os.killpg(proc.pid, signal.SIGTERM)
        # make's own forward of SIGTERM, sent again a few times so that one surely
        # lands in the server's clean-up rather than before it.
        for pause in (0.05, 0.1, 0.2):
            time.sleep(pause)
            for pid in server:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        assert stop_group(proc, signal.SIGTERM), f"processes left behind:\n{log.read_text()}"
        assert "Aborted!" not in log.read_text() and "Traceback" not in log.read_text()
        assert http_get(base, timeout=5) == (0, "")
    finally:
        stop_group(proc, signal.SIGKILL)
