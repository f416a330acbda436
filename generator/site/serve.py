"""``papercat serve``: the site at 127.0.0.1:8000, a saved edit on screen in a second.

Every save runs two passes (ARCHITECTURE.md, "make serve: two passes"):

- the **fast pass**, in this process (fastpass.py, livesite.py): the content is checked
  as the build checks it (a broken file prints its ``FILE:LINE`` problems and the last
  good site stays up), then only the pages the edit touches are rendered, Markdown
  and HTML, into the served folder, and the open pages reload. Other papers' related
  lists and term weights, the map, the search files and the exports stay as they were.
- the **exact pass**, in a child process (exactpass.py): what ``make build`` does, with
  its caches; the finished site is swapped in and the pages reload again. The site has
  then settled: ``docs/`` is what a clean ``papercat build`` writes and the served
  folder what ``papercat site`` renders from it. A save meanwhile stops the pass (its
  process group is killed) and starts it again after the next fast pass.

The site is served from ``.cache/papercat/serve-site/`` by MkDocs' ``LiveReloadServer``
(it injects the reload script into pages and answers the browsers' long polls), which
this module drives itself instead of letting it watch and rebuild. A watchdog
observer on ``content/`` and ``overrides/`` wakes the main loop. At start, a served
folder left by an earlier session is served at once while the first exact pass runs.

MkDocs renders with ``strict: false`` here, and the site's address is the local one
(``.serve-mkdocs.yml``); ``make build`` and CI stay strict.
"""

from __future__ import annotations

import operator
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import cache_folder
from generator.catalogue.memo import Memo
from generator.catalogue.model import Catalogue
from generator.catalogue.report import print_problems
from generator.render.pages import render_pages
from generator.site import exactpass
from generator.site.fastpass import Served, Sources, fast_pass
from generator.site.liveserver import ExactProcess, LiveServer
from generator.site.livesite import LiveSite

DEBOUNCE = 0.05  # editors write several events per save
LOCAL_CONFIG = Path(".serve-mkdocs.yml")


class Passes:
    """The served site and the two passes that keep it up to date."""

    def __init__(self, content: Path, out: Path, address: str) -> None:
        self.content, self.out = content, out
        cache = cache_folder(content)
        self.site = cache / "serve-site"
        self.staging = cache / "serve-site.staging"
        self.records = cache / "serve-site.json"
        self.state = cache / "serve-state.pickle"
        self.config = LOCAL_CONFIG.absolute()
        self.sources = Sources(content)
        self.served: Served | None = None
        self.live: LiveSite | None = None
        self.exact: ExactProcess | None = None
        self.server = LiveServer(address, self.site)
        self._wake = threading.Condition()
        self._dirty = False
        self._last_event = 0.0
        self._overrides = os.path.abspath("overrides") + os.sep
        self._theme_changed = False  # MkDocs' theme must be read again
        self._basis: Catalogue | None = None  # the content the exact pass reads
        self._settled = 0
        self._loaded_early = False  # the first pass's state, before it was swapped in

    # -- events ---------------------------------------------------------------------

    def changed(self, path: str) -> None:
        """A file under a watched folder changed (called by the watchdog thread)."""
        with self._wake:
            self._theme_changed |= os.path.abspath(path).startswith(self._overrides)
            self._dirty = True
            self._last_event = time.monotonic()
            self._wake.notify_all()

    def _wait(self) -> None:
        """Until a save (and DEBOUNCE after its last event), the exact pass's state at
        the first start, or the end of the exact pass."""
        with self._wake:
            while not self._dirty and not (self.exact and self.exact.proc.poll() is not None):
                if self._first_start_step():
                    break
                self._wake.wait(0.1)
            while self._dirty and time.monotonic() - self._last_event < DEBOUNCE:
                self._wake.wait(DEBOUNCE)

    # -- the passes -----------------------------------------------------------------

    def start_exact(self, fork: bool = False) -> None:
        self.stop_exact()
        shutil.rmtree(self.staging, ignore_errors=True)
        for made in (self.state, self.records):  # a stopped pass's, not this one's
            exactpass.pending(made).unlink(missing_ok=True)
        exactpass.docs_written(self.state).unlink(missing_ok=True)
        self.exact = ExactProcess([self.content, self.out, self.config, self.site,
                                   self.staging, self.records, self.state], fork)  # fmt: skip

    def stop_exact(self, why: str = "") -> None:
        if self.exact:
            if why and self.exact.proc.poll() is None:
                print(f"Exact pass stopped: {why}.", file=sys.stderr)
            self.exact.stop()
            pid = self.exact.proc.pid
            for leftover in self.records.parent.glob(f".*.{pid}.tmp"):
                leftover.unlink(missing_ok=True)  # the killed pass's half-written files
            self.exact = None

    def fast(self) -> None:
        """A save: stop the exact pass, render what the edit touches, start it again."""
        with self._wake:
            self._dirty = False
        start = time.perf_counter()
        self.stop_exact("a file changed; it starts again after this save")
        self._basis = None
        if self.served is not None and self.live is not None:
            try:
                if not self._fast(self.served, self.live, start):
                    return  # errors: no exact pass until the file is fixed
            except Exception:  # a bug here must not stop the server: the exact pass follows
                traceback.print_exc()
                print("The fast pass failed; the exact pass will show the edit.", file=sys.stderr)
                self.served = None  # what is served is no longer known page by page
        if self._basis is None:  # what the exact pass will read, for load()
            self.sources.refresh()
            self._basis = self.sources.check()[0]
        self.start_exact()

    def _fast(self, served: Served, live: LiveSite, start: float) -> bool:
        """The fast pass; False if the content has errors. ``start``: when the save was
        taken up (before the exact pass was stopped)."""
        stopped = time.perf_counter()
        outcome = fast_pass(served, self.sources)
        if outcome.problems:
            print_problems(outcome.problems)
        if outcome.checked is None:
            print("Build failed; still serving the previous site.", file=sys.stderr)
            return False
        self._basis = outcome.checked
        if outcome.served is None or outcome.covered is None:  # exact_only
            return True
        gone = [rel for rel in live.pages_in(outcome.covered) if rel not in outcome.pages]
        rendered = time.perf_counter()
        with self.server.holding():
            errors = live.update(outcome.pages, gone)
        self.served = outcome.served
        for message in errors:
            print(message, file=sys.stderr)
        steps = {"stop": stopped - start, **outcome.seconds, "HTML": time.perf_counter() - rendered}
        print(f"Fast pass: {len(outcome.pages)} pages in {time.perf_counter() - start:.2f} s ("
              + ", ".join(f"{k} {v:.2f}" for k, v in steps.items())
              + "); the exact pass follows", file=sys.stderr)  # fmt: skip
        return True

    def settle(self) -> float | None:
        """The exact pass ended: swap its site in (the open pages reload); return when
        that pass started, or None if it failed. ``load`` then takes its state: until
        then a fast pass would go on from the previous one, whose pages are the exact
        ones but for the edits it made."""
        assert self.exact is not None
        status, started = self.exact.proc.wait(), self.exact.started
        self.exact = None
        if status != 0:
            print("Build failed; still serving the previous site.", file=sys.stderr)
            shutil.rmtree(self.staging, ignore_errors=True)
            return None
        self._settled += 1
        old = self.site.with_name(f"serve-site.old-{os.getpid()}-{self._settled}")
        with self.server.holding():
            if self.site.exists():
                self.site.rename(old)
            try:
                self.staging.rename(self.site)
            except OSError:
                if old.exists():
                    old.rename(self.site)  # the last site stays served
                raise
        exactpass.pending(self.records).replace(self.records)
        exactpass.pending(self.state).replace(self.state)
        threading.Thread(target=shutil.rmtree, args=(old, True), daemon=True).start()
        return started

    def load(self, resumed: bool = False, state: Path | None = None) -> None:
        """Take the exact pass's related lists and model, with the content it read (its
        basis, checked by this server when the pass started), so that the next save's
        fast pass starts from what is served. MkDocs' files are kept and brought in
        step with docs/, or read afresh when ``overrides/`` changed; read afresh, one
        paper page and the home page are rendered again (to the same bytes) so that
        both renderers' templates are compiled before the first save. ``resumed``: the
        state an earlier session left, if it is there and from this code; ``state``: the
        file to read, if not the settled one."""
        if resumed or self._basis is None:  # (the first start: read content/ now)
            self.sources.refresh()
            self._basis = self.sources.check()[0]
        if self._basis is None:
            return
        try:
            catalogue, model = exactpass.load_state(state or self.state, self._basis)
        except Exception as exc:  # missing, damaged, or from other generator code
            if not resumed:
                print(f"The exact pass's state is {exc}; the fast pass goes on from the "
                      "previous one (restart `make serve` after changing the generator).",
                      file=sys.stderr)  # fmt: skip
            return
        # Facets depend on the papers alone: the same papers, the same facets.
        old = self.served.catalogue.papers if self.served else ()
        new = catalogue.papers
        if self.served and len(old) == len(new) and all(map(operator.is_, old, new)):
            served = Served(catalogue, self.served.facets, model)
        else:
            served = Served.of(catalogue, model)
        if self.live is not None and not self._theme_changed:
            self.live.sync()
        else:
            self._theme_changed = False
            live = LiveSite(self.config, self.site)
            if not resumed:  # (an earlier session's fast passes may be newer than its state)
                warm = {"index.md", *(f"papers/{p.id}/index.md" for p in catalogue.papers[:1])}
                live.update(render_pages(catalogue, Memo(), only=warm, facets=served.facets))
            self.live = live
        self.served = served

    def _first_start_step(self) -> str:
        """At the first start, what the exact pass has left for the server to do:
        "serve" once docs/ is written, "load" once its state is there too."""
        if not self.site.is_dir():
            return "serve" if exactpass.docs_written(self.state).is_file() else ""
        if self.server.render_missing and self.served is None and not self._loaded_early:
            return "load" if exactpass.pending(self.state).is_file() else ""
        return ""

    def provisional(self) -> None:
        """At the first start, once the exact pass has written docs/ (its generator
        saving its cache, MkDocs still to render every page): serve a folder with the
        site's assets, each page rendered when it is first asked for, until that pass
        is swapped in."""
        self.site.mkdir(parents=True, exist_ok=True)
        live = LiveSite(self.config, self.site)
        live.copy_static()
        self.live, self.server.render_missing = live, live.render_missing
        self.server.start()
        print(f"Serving on {self.server.url} (pages are rendered as they are opened until "
              "the first build is complete)", file=sys.stderr)  # fmt: skip

    def resume(self) -> bool:
        """Serve the site an earlier session left, if it is there; True if it is."""
        if not (self.site.is_dir() and self.records.is_file()):
            return False
        self.load(resumed=True)
        return True

    # -- the session ----------------------------------------------------------------

    def run(self) -> int:
        """Serve until interrupted (the first exact pass may be started already)."""
        if self.exact is None:
            self.start_exact()
        serving = self.resume()
        if serving:
            self.server.start()
            print(f"Serving the last session's site on {self.server.url} while it is "
                  "brought up to date", file=sys.stderr)  # fmt: skip
        # Else the server reads content/ once it serves (provisional): not while the
        # first exact pass's generator, on both cores, decides when that is.
        while True:
            self._wait()
            if self._dirty:
                self.fast()
                continue
            step = self._first_start_step()
            if step == "serve":
                try:  # the first start: serve before MkDocs is done
                    self.provisional()
                except Exception:  # then wait for the whole site
                    traceback.print_exc()
                serving = self.server.render_missing is not None
                continue
            if step == "load":  # for a save before the first pass is swapped in
                self._loaded_early = True
                try:
                    self.load(state=exactpass.pending(self.state))
                except Exception:  # a bug here must not stop the server: saves go exact
                    traceback.print_exc()
                continue
            if not (self.exact and self.exact.proc.poll() is not None):
                continue
            try:
                started = self.settle()
            except OSError:  # the folders could not be swapped: say why, serve the last site
                traceback.print_exc()
                shutil.rmtree(self.staging, ignore_errors=True)
                started = None
            if started is None:
                if not serving:
                    return 1
                continue
            if not serving:
                serving = True
                self.server.start()
                print(f"Serving on {self.server.url}", file=sys.stderr)
            self.server.render_missing = None  # every page is there now
            try:
                self.load()
            except Exception:  # a bug here must not stop the server: saves go exact
                traceback.print_exc()
                self.served = None
            print(f"Settled in {time.perf_counter() - started:.1f} s: the site is what "
                  "`make build` makes of the content", file=sys.stderr)  # fmt: skip

    def close(self) -> None:
        self.stop_exact()
        shutil.rmtree(self.staging, ignore_errors=True)
        self.server.shutdown()


class _Watch(FileSystemEventHandler):
    def __init__(self, passes: Passes) -> None:
        self.passes = passes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        self.passes.changed(os.fsdecode(event.src_path))


def serve(content: Path, out: Path, address: str) -> int:
    """Run until interrupted; returns the exit status."""
    # Serve at the root of the address, whatever path the public site_url has.
    LOCAL_CONFIG.write_text(
        f"INHERIT: mkdocs.yml\nsite_url: http://{address}/\nstrict: false\n", encoding="utf-8"
    )
    passes = Passes(content, out, address)
    passes.start_exact(fork=True)  # before any thread starts: see ExactProcess
    observer = Observer()
    for folder in (content, Path("overrides")):
        if folder.is_dir():
            observer.schedule(_Watch(passes), str(folder), recursive=True)
    observer.start()
    # `kill` (SIGTERM) stops the server like Ctrl-C does, so no pass is left behind.
    # Only the first signal interrupts: `kill -TERM -<group>` reaches the server twice
    # (make forwards SIGTERM to its child), and a second KeyboardInterrupt raised inside
    # the clean-up below left the server thread running and the process alive.
    stopping = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        if not stopping.is_set():
            stopping.set()
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # `make serve &` ignores it
        signal.signal(signal.SIGINT, interrupt)
    try:
        return passes.run()
    except KeyboardInterrupt:
        return 0
    finally:
        stopping.set()
        passes.close()
        observer.stop()
        observer.join(timeout=5)
