"""`make serve` timed from outside, as a contributor lives it, beside stock
`mkdocs serve --dirty` (part of `make bench`; prints figures, asserts nothing).

Ours: `papercat serve` is started cold (no docs/, no .cache/) on the bench's synthetic
catalogue; start-up is the time until a paper's page is served. Then, ``rounds`` times
over, four saves, each timed from the moment the file is written until the served page
shows it (polled over HTTP every ``POLL`` seconds): an abstract edit, a topic change,
a new paper and a deleted paper; and until the server says it has settled (the exact
pass swapped in, ``Settled in`` in its log). Every save waits for the previous one to
settle, so each figure is one edit's own.

Stock: `mkdocs serve --dirty` on the same papers as plain Markdown pages (bench/run.py),
started cold too; the same paper's page gets the same abstract edit, and a page is
added. Plain pages have no topics, so there is no topic change; and a dirty build
removes nothing, so a deleted page stays served: one deletion at the end checks that
(``deleted_page_kept``: still served ``KEPT_AFTER`` seconds later).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
POLL = 0.02  # seconds between polls of the served page
TIMEOUT = 600.0  # for start-up and for each edit; a figure this long says it failed
KEPT_AFTER = 20.0  # seconds stock's deleted page is watched
KINDS = ("abstract", "topic", "new", "delete")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 30) -> tuple[int, str]:
    """(status, body) of a GET; (0, "") when nothing answers (also used by the tests)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _until(
    check: Callable[[], bool], start: float, proc: subprocess.Popen, limit: float = TIMEOUT
) -> float:
    """Seconds from ``start`` until ``check()`` holds (``limit`` if never, or if the
    server died)."""
    while time.perf_counter() - start < limit and proc.poll() is None:
        if check():
            return time.perf_counter() - start
        time.sleep(POLL)
    return limit


def _start(cmd: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def _stop(proc: subprocess.Popen, log: Path) -> None:
    """Stop the server (SIGTERM: papercat serve stops as on Ctrl-C, which may be ignored
    here); if it had died, show the end of its log."""
    if proc.poll() is not None:
        lines = [x for x in log.read_text().splitlines() if '"GET ' not in x]
        print(f"  the server died ({proc.returncode}):", *lines[-40:], sep="\n", file=sys.stderr)
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        proc.wait()


def _summary(runs: list[float]) -> dict[str, float | list[float]]:
    return {"median": statistics.median(runs), "max": max(runs), "runs": runs}


def ours(work: Path, content: Path, rounds: int) -> dict[str, object]:
    """Start-up, then ``rounds`` of the four saves: seconds to first view and to settle."""
    for folder in ("docs", ".cache"):
        shutil.rmtree(work / folder, ignore_errors=True)
    port, log = _port(), work / "serve-ours.log"
    base = f"http://127.0.0.1:{port}/"
    papers = sorted((content / "papers").glob("*.yml"))
    edited, moved = papers[0], papers[1]
    topics = [t["id"] for t in yaml.safe_load((content / "topics.yml").read_text())]
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "generator", "serve", "--content", str(content),
           "--out", str(work / "docs"), "--dev-addr", f"127.0.0.1:{port}"]  # fmt: skip
    proc = _start(cmd, work, log)
    result: dict[str, object] = {}
    try:
        url = f"{base}papers/{edited.stem}/"
        result["startup_s"] = _until(lambda: http_get(url)[0] == 200, start, proc)
        first: dict[str, list[float]] = {k: [] for k in KINDS}
        settle: dict[str, list[float]] = {k: [] for k in KINDS}
        for r, kind in ((r, k) for r in range(rounds) for k in KINDS):
            if proc.poll() is not None:  # its log's end is printed below
                result["error"] = f"papercat serve exited ({proc.returncode}) in round {r + 1}"
                break
            settled = log.read_text().count("Settled in")
            t0, check = _save(kind, r, content, edited, moved, topics, papers, base)
            first[kind].append(_until(check, t0, proc))
            settle[kind].append(
                _until(lambda n=settled: log.read_text().count("Settled in") > n, t0, proc)
            )
            print(f"  serve {kind} edit {r + 1}: shown {first[kind][-1]:.2f} s, settled "
                  f"{settle[kind][-1]:.1f} s", file=sys.stderr)  # fmt: skip
        result["first_view_s"] = {k: _summary(v) for k, v in first.items() if v}
        result["settle_s"] = {k: _summary(v) for k, v in settle.items() if v}
    finally:
        _stop(proc, log)
    return result


def _save(kind: str, r: int, content: Path, edited: Path, moved: Path, topics: list[str],
          papers: list[Path], base: str) -> tuple[float, Callable[[], bool]]:  # fmt: skip
    """Make one save of ``kind``; return when it was written and what shows it."""
    if kind == "abstract":
        marker = f"Bench-edit-{r}-{time.time_ns()}"
        data = yaml.safe_load(edited.read_text(encoding="utf-8"))
        data["abstract"] = f"{marker} {data['abstract']}"
        t0 = _write(edited, data)
        return t0, lambda: marker in http_get(f"{base}papers/{edited.stem}/")[1]
    if kind == "topic":
        data = yaml.safe_load(moved.read_text(encoding="utf-8"))
        topic = next(t for t in topics[r:] + topics if t not in data["topics"])
        data["topics"] = [topic]
        t0 = _write(moved, data)
        return t0, lambda: f'topics/{topic}/"' in http_get(f"{base}papers/{moved.stem}/")[1]
    if kind == "new":
        pid = f"bench-new-{r}"
        # Titles far apart, so that no save gets a near-duplicate warning.
        title = f"{'Lomika Nerotu Vazen Praquisor Teldax Kalo'.split()[r % 6]} {pid}"
        data = {"title": title, "abstract": "Routing.", "authors": ["Ada Lovelace"],
                "topics": [topics[0]], "added": "2026-12-01"}  # fmt: skip
        t0 = _write(content / "papers" / f"{pid}.yml", data)
        return t0, lambda: http_get(f"{base}papers/{pid}/")[0] == 200
    gone = papers[-1 - r]
    t0 = time.perf_counter()
    gone.unlink()
    return t0, lambda: http_get(f"{base}papers/{gone.stem}/")[0] == 404


def _write(path: Path, data: dict) -> float:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    t0 = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    return t0


def stock(work: Path, config: Path, rounds: int) -> dict[str, object]:
    """`mkdocs serve --dirty` on the plain pages: start-up, then the same paper's page
    edited and a page added, ``rounds`` times; then whether a deleted page stays."""
    port, log = _port(), work / "serve-stock.log"
    base = f"http://127.0.0.1:{port}/"
    docs = work / "docs-plain" / "papers"
    pages = sorted(docs.glob("*.md"))
    edited = pages[0]
    start = time.perf_counter()
    proc = _start([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config),
                   "--dev-addr", f"127.0.0.1:{port}"], work, log)  # fmt: skip
    result: dict[str, object] = {}
    try:
        url = f"{base}papers/{edited.stem}/"
        result["startup_s"] = _until(lambda: http_get(url)[0] == 200, start, proc)
        first: dict[str, list[float]] = {"abstract": [], "new": []}
        for r in range(rounds):
            marker = f"Bench-edit-{r}-{time.time_ns()}"
            text = edited.read_text(encoding="utf-8").replace("\n\n", f"\n\n{marker} ", 2)
            t0 = time.perf_counter()
            edited.write_text(text, encoding="utf-8")
            first["abstract"].append(_until(lambda m=marker: m in http_get(url)[1], t0, proc))
            new = docs / f"bench-new-{r}.md"
            t0 = time.perf_counter()
            new.write_text(f"# A page saved while serving, round {r}\n\nRouting.\n")
            first["new"].append(
                _until(lambda p=new.stem: http_get(f"{base}papers/{p}/")[0] == 200, t0, proc)
            )
            print(f"  stock serve round {r + 1}: " + ", ".join(
                f"{k} {v[-1]:.2f} s" for k, v in first.items()), file=sys.stderr)  # fmt: skip
        result["first_view_s"] = {k: _summary(v) for k, v in first.items()}
        gone = pages[-1]
        t0 = time.perf_counter()
        gone.unlink()
        seen = _until(
            lambda: http_get(f"{base}papers/{gone.stem}/")[0] == 404, t0, proc, KEPT_AFTER
        )
        result["deleted_page_kept"] = seen >= KEPT_AFTER
    finally:
        _stop(proc, log)
    return result
