"""``papercat serve``: build, serve with MkDocs, rebuild on content changes.

MkDocs' own watcher reloads the browser when docs/ changes; we add a watcher on
content/ and overrides/ (the generator reads its icons) that re-runs the generator. A
build with errors prints them and keeps the previous docs/, so the browser keeps
showing the last good site.

MkDocs serves without ``strict``: a dirty build always warns that it is dirty, and a
warning while editing is for the author to read, not a reason to stop serving.
``make build`` and CI stay strict.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import build, cache_folder
from generator.catalogue.model import ContentError
from generator.catalogue.report import print_problems

DEBOUNCE = 0.3  # editors write several events per save


class _Rebuild(FileSystemEventHandler):
    def __init__(self, content: Path, out: Path):
        self.content, self.out = content, out
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE, self.run)
            self._timer.start()

    def run(self) -> bool:
        try:
            result = build(self.content, self.out, cache_dir=cache_folder(self.content))
        except ContentError as exc:
            print_problems(exc.problems)
            print("Build failed; still serving the previous site.", file=sys.stderr)
            return False
        print(
            f"Rebuilt in {result.seconds:.2f} s ({result.written} files changed)", file=sys.stderr
        )
        return True


def serve(content: Path, out: Path, address: str) -> int:
    """Run until interrupted; returns the exit status."""
    handler = _Rebuild(content, out)
    if not handler.run() and not out.exists():
        return 1
    observer = Observer()
    for folder in (content, Path("overrides")):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    # Serve at the root of the address, whatever path the public site_url has.
    local = Path(".serve-mkdocs.yml")
    local.write_text(
        f"INHERIT: mkdocs.yml\nsite_url: http://{address}/\nstrict: false\n", encoding="utf-8"
    )
    # `kill` (SIGTERM) stops the server like Ctrl-C does, so MkDocs is not left behind.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(local), "--dev-addr", address,
           "--livereload", "--dirty", "--watch", "overrides"]  # fmt: skip
    proc = subprocess.Popen(cmd)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 0
    finally:
        observer.stop()
        observer.join(timeout=5)
