"""Run a function in a forked child on the machine's other core, and collect its result.

The generator's search index and map only read the validated catalogue, so they run in
a child while the parent computes related papers, the exports and the pages.
The child inherits the catalogue by ``fork`` (nothing is pickled going in); its
result comes back pickled through a pipe. An exception in the child is raised again
in the parent with the child's traceback. Without ``fork`` (or on one core) the
function simply runs in the calling process, with the same result.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def jobs() -> int:
    """Processes to use: ``PAPERCAT_JOBS`` if set (1: never fork), else the cores."""
    value = os.environ.get("PAPERCAT_JOBS", "")
    return max(1, int(value)) if value.isdigit() else os.cpu_count() or 1


class ChildError(RuntimeError):
    """The function failed in the child; the message is the child's traceback."""


class Forked(Generic[T]):
    """``fn()`` started now, in a child when possible; ``result()`` waits for it."""

    def __init__(self, fn: Callable[[], T], parallel: bool | None = None) -> None:
        if parallel is None:
            parallel = hasattr(os, "fork") and jobs() > 1
        self._pid = 0
        self._cancelled = False
        if not parallel:
            self._value = fn()
            return
        read, write = os.pipe()
        # Objects that exist now go to the collector's permanent generation until
        # result(): a collection writes to every object it scans, which after a fork
        # copies the page it is on, in both processes.
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # the child: run, send, and leave without running the parent's cleanup
            os.close(read)
            try:
                payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                payload = pickle.dumps((False, traceback.format_exc()))
            with os.fdopen(write, "wb") as out:
                out.write(payload)
            os._exit(0)
        os.close(write)
        self._pid, self._data = pid, b""
        # The result is read as soon as the child sends it, so the child can exit then.
        # A child blocked on a full pipe lives on, and while it lives, every page of the
        # shared heap the parent writes to (reference counts included) is copied: at
        # 100,000 papers that made rendering 50% slower.
        self._reader = threading.Thread(target=self._drain, args=(read,), daemon=True)
        self._reader.start()

    def _drain(self, read: int) -> None:
        with os.fdopen(read, "rb") as f:
            self._data = f.read()

    def cancel(self) -> None:
        """Stop the child if it still runs (the parent failed and will not wait)."""
        if self._pid:
            os.kill(self._pid, 9)
            os.waitpid(self._pid, 0)
            self._reader.join()  # the pipe ends with the child
            self._pid = 0
            self._cancelled = True
            gc.unfreeze()

    def result(self) -> T:
        """The function's result (raises ``ChildError`` if it failed in the child)."""
        if self._cancelled:
            raise ChildError("cancelled")
        if not self._pid:
            return self._value
        self._reader.join()  # all the child sent, up to its exit
        data = self._data
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        gc.unfreeze()
        if not data:
            raise ChildError(f"the child process ended without a result (status {status})")
        # Our own child's pickle, written just above.
        ok, value = pickle.loads(data)
        if not ok:
            raise ChildError(value)
        self._value = value
        return value
