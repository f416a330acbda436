"""An independent check of `make serve`'s edit loop (not a test: it prints timestamps).

    python -m bench.serve_harness [--papers 10000] [--edits 5] [--work DIR]

It shares no measuring code with `make bench` (bench/serveloop.py, which polls the page
every 20 ms and writes files in place). It writes a synthetic catalogue
(bench/synth.py) into a folder laid out like the project, starts `papercat serve`
there, saves files as editors do (a temporary file renamed over the paper, as vim and
VS Code do; ``os.remove`` for a deletion), and follows the page like an open browser
tab: it reads the live-reload epoch the server put into the page, waits on the
server's ``/livereload/`` long poll, and fetches the page again when told to reload.
Every event is printed with its time since the save, and the server's log gives the
time the exact pass settled. At the end: per kind of save, the median and the slowest
time from the save to the page showing it, and the median time to settle.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from bench.synth import make_catalogue

ROOT = Path(__file__).resolve().parent.parent
EPOCH = re.compile(r"livereload\((\d+), (\d+)\)")


def fetch(url: str, timeout: float = 70) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError:  # not listening yet
        return 0, ""


class Tab:
    """A browser tab on one page: it reloads when the server's long poll says so."""

    def __init__(self, base: str, path: str) -> None:
        self.base, self.url = base, base + path
        self.status, self.body = fetch(self.url)

    def wait_until(self, shows, start: float, limit: float = 300) -> float:
        """Follow reloads until ``shows(status, body)``; seconds since ``start``."""
        while not shows(self.status, self.body):
            if time.perf_counter() - start > limit:
                return float("inf")
            found = EPOCH.search(self.body)
            if found:  # wait as the injected script waits, then reload
                fetch(f"{self.base}livereload/{found[1]}/{found[2]}")
                print(f"  +{time.perf_counter() - start:7.3f} s  reload signal", flush=True)
            else:  # a 404 page has no script: look again shortly
                time.sleep(0.1)
            self.status, self.body = fetch(self.url)
        return time.perf_counter() - start


def save(path: Path, text: str) -> float:
    """Write as an editor does: a temporary file beside it, renamed over it."""
    tmp = path.with_name(f".{path.name}.swp-harness")
    tmp.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    os.replace(tmp, path)
    return start


def settled_after(log: Path, before: int, start: float, limit: float = 900) -> float:
    while log.read_text().count("Settled in") <= before:
        if time.perf_counter() - start > limit:
            return float("inf")
        time.sleep(0.05)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_harness", description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=5, help="saves of each kind")
    parser.add_argument("--work", type=Path, help="folder to use (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="papercat-harness-"))
    content = make_catalogue(args.papers, work)
    shutil.copy(ROOT / "CONTRIBUTING.md", work / "CONTRIBUTING.md")
    config = (f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\n"
              f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n")  # fmt: skip
    (work / "mkdocs.yml").write_text(config, encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base, log = f"http://127.0.0.1:{port}/", work / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    papers = sorted((content / "papers").glob("*.yml"))
    target, moved = papers[len(papers) // 2], papers[len(papers) // 3]
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    shown: dict[str, list[float]] = {"abstract": [], "topic": [], "new": [], "delete": []}
    settled: list[float] = []
    try:
        while fetch(base + f"papers/{target.stem}/")[0] != 200:
            if proc.poll() is not None:
                raise SystemExit(f"papercat serve exited:\n{log.read_text()}")
            time.sleep(0.25)
        print(f"started: first page served after {time.perf_counter() - start:.1f} s", flush=True)
        topics = [t["id"] for t in yaml.safe_load((content / "topics.yml").read_text())]
        for k in range(args.edits):
            for kind in shown:
                before = log.read_text().count("Settled in")
                print(f"{kind} save {k + 1}:", flush=True)
                if kind == "abstract":
                    tab, mark = Tab(base, f"papers/{target.stem}/"), f"Harness{k}x{time.time_ns()}"
                    data = yaml.safe_load(target.read_text(encoding="utf-8"))
                    data["abstract"] = f"{mark} {data['abstract']}"
                    t0 = save(target, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
                    seconds = tab.wait_until(lambda s, b, m=mark: m in b, t0)
                elif kind == "topic":
                    tab, topic = Tab(base, f"papers/{moved.stem}/"), topics[k % len(topics)]
                    if f'topics/{topic}/"' in tab.body:
                        topic = topics[(k + 1) % len(topics)]
                    data = yaml.safe_load(moved.read_text(encoding="utf-8"))
                    data["topics"] = [topic]
                    t0 = save(moved, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
                    seconds = tab.wait_until(lambda s, b, t=topic: f'topics/{t}/"' in b, t0)
                elif kind == "new":
                    pid = f"harness-new-{k}"
                    tab = Tab(base, f"papers/{pid}/")
                    text = (f"title: 'Harness paper {k}: {pid}'\nabstract: Routing.\n"
                            f"topics: [{topics[0]}]\nadded: 2026-12-01\n")  # fmt: skip
                    t0 = save(content / "papers" / f"{pid}.yml", text)
                    seconds = tab.wait_until(lambda s, b: s == 200, t0)
                else:
                    gone = papers[k]
                    tab = Tab(base, f"papers/{gone.stem}/")
                    t0 = time.perf_counter()
                    os.remove(gone)
                    seconds = tab.wait_until(lambda s, b: s == 404, t0)
                shown[kind].append(seconds)
                print(f"  +{seconds:7.3f} s  the page shows it", flush=True)
                settled.append(settled_after(log, before, t0))
                print(f"  +{settled[-1]:7.3f} s  settled (server log)", flush=True)
    finally:
        os.killpg(proc.pid, 15)  # papercat serve stops on SIGTERM as on Ctrl-C
        proc.wait()
    print(f"\n{args.papers:,} papers, {args.edits} saves of each kind (seconds):")
    for kind, runs in shown.items():
        print(f"  {kind:9} median {statistics.median(runs):6.2f}   slowest {max(runs):6.2f}   "
              f"runs {', '.join(f'{x:.2f}' for x in runs)}")  # fmt: skip
    every = [x for runs in shown.values() for x in runs]
    print(f"  all       median {statistics.median(every):6.2f}   slowest {max(every):6.2f}")
    print(f"  settled   median {statistics.median(settled):6.1f}   slowest {max(settled):6.1f}")


if __name__ == "__main__":
    main()
