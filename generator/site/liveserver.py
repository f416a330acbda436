"""The two processes behind ``papercat serve`` besides its main loop (serve.py): the HTTP
server, and the exact pass's child process.

``LiveServer`` is MkDocs' ``LiveReloadServer`` (it serves a folder, puts its reload
script into pages and answers the browsers' long polls), told by the passes when the
folder changed (``holding``) instead of watching and rebuilding by itself; until the
first build is in place it can render a page when it is first asked for. The
``mkdocs.livereload`` internals it relies on (``_epoch_cond``, ``_wanted_epoch``,
``_visible_epoch``, ``_serve_request``) are MkDocs 1.6's, pinned in requirements.lock;
tests/test_serve.py and tests/test_make_serve.py serve through them.

``ExactProcess`` runs ``generator.site.exactpass`` in a process group of its own, so that
a save can kill it with every child it forked.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

import generator


class LiveServer(LiveReloadServer):
    """MkDocs' live-reload server, told by the passes when pages changed (``reload``)
    rather than watching and rebuilding by itself."""

    def __init__(self, address: str, root: Path) -> None:
        host, port = address.rsplit(":", 1)
        super().__init__(lambda: None, host, int(port), str(root))
        # It puts the reload script into pages only when it watches something: it
        # "watches" the folder, but its own observer is never started (no serve()).
        self.watch(str(root))

        # Until the first build is in place: renders a page missing from the folder.
        self.render_missing: Callable[[str], None] | None = None

    def start(self) -> None:
        self.server_bind()
        self.server_activate()
        self.serve_thread.start()

    def _serve_request(self, environ, start_response):  # type: ignore[no-untyped-def]
        """MkDocs' own, after rendering the page asked for if it is missing (until the
        first build is in place)."""
        render = self.render_missing
        if render is not None:
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
            rel = posixpath.normpath("/" + path + ("index.html" if path.endswith("/") else ""))
            for wanted in (rel.lstrip("/"), rel.lstrip("/") + "/index.html"):
                render(wanted)
        return super()._serve_request(environ, start_response)

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Requests wait while the files change, then every open page reloads."""
        with self._epoch_cond:
            self._wanted_epoch = max(round(time.monotonic() * 1000), self._visible_epoch + 1)
        try:
            yield
        finally:
            with self._epoch_cond:
                self._visible_epoch = self._wanted_epoch
                self._epoch_cond.notify_all()


class ExactProcess:
    """The exact pass, running in a process group of its own. ``fork``: in a fork of
    this process, which has imported the generator already (a second at start-up); only
    while this process has no other thread (the first pass, before the server and the
    watcher start), since a fork copies only the thread that calls it."""

    def __init__(self, args: list[Path], fork: bool = False) -> None:
        self.started = time.perf_counter()
        if fork:
            self.proc: subprocess.Popen | _Child = _Child.run(args)
            return
        # The child imports this very generator/, wherever it was imported from.
        home = str(Path(generator.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [home, os.environ.get("PYTHONPATH")]))}  # fmt: skip
        cmd = [sys.executable, "-m", "generator.site.exactpass", *map(str, args)]
        self.proc = subprocess.Popen(cmd, env=env, start_new_session=True)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


class _Child:
    """A forked exact pass, waited for as ``subprocess.Popen`` is."""

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    @classmethod
    def run(cls, args: list[Path]) -> _Child:
        from generator.site import exactpass  # the server has it loaded already

        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return cls(pid)
        status = 2
        try:  # the child: its own session, as Popen(start_new_session=True) makes it
            os.setsid()
            status = exactpass.run(*args)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode
