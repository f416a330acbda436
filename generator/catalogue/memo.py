"""Results of the generator's pure per-paper steps, kept between builds.

A citation or a paper page is a pure function of values the build has already
computed (the paper, its related papers' titles, topic names, ...). ``Memo.get``
keys a result by a hash of ``repr`` of exactly those values, so a paper whose inputs
did not change costs a hash, not a rendering. The file's name carries a fingerprint
of the generator's code, templates and the libraries that shape the output, so any
change to them starts from an empty memo. A missing, unreadable or corrupt file is
an empty memo: it can only cost time, never give a wrong page. Only the entries a
build used are saved, so the file does not grow with old versions.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parents[1]  # generator/, all of it
# Libraries whose version can change what a step writes.
LIBRARIES = ("jinja2", "markupsafe", "pybtex", "pylatexenc", "rispy", "lunr")


@functools.cache
def fingerprint() -> str:
    """A hash of the generator's sources and templates and of the library versions."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".json", ".txt"):
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}={metadata.version(name)}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Part:
    """What a forked child did to its copy of the memo (``Memo.apart``)."""

    entries: dict[bytes, object]
    hits: int
    misses: int
    pid: int  # the process it was made in


class Memo:
    """A dict of results by input hash, loaded from and saved to ``path`` (or kept in
    memory only, with no path)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.hits = self.misses = 0
        self._old: dict[bytes, object] = {}
        self._used: dict[bytes, object] = {}
        if path is not None:
            try:
                with path.open("rb") as f:
                    # Our own file in .cache/, written by save() below.
                    loaded = pickle.load(f)
                if isinstance(loaded, dict):
                    self._old = loaded
            except Exception:  # missing, truncated, from another Python: start empty
                self._old = {}

    @classmethod
    def in_folder(cls, folder: Path | None) -> Memo:
        """The memo of the current code in ``folder`` (``None``: in memory only)."""
        return cls(folder / f"memo-{fingerprint()}.pickle" if folder else None)

    def get(self, kind: str, inputs: object, compute: Callable[[], T]) -> T:
        """``compute()``, or its result from an earlier call with equal ``inputs``."""
        key = hashlib.blake2b(f"{kind}\0{inputs!r}".encode(), digest_size=20).digest()
        if key in self._used:
            self.hits += 1
            return self._used[key]  # type: ignore[return-value]
        if key in self._old:
            self.hits += 1
            value = self._old[key]
        else:
            self.misses += 1
            value = compute()
        self._used[key] = value
        return value  # type: ignore[return-value]

    def apart(self, fn: Callable[[], T]) -> tuple[T, Part]:
        """``fn()`` and what it did to this memo, for ``merge`` in another process (run
        this in a forked child: what the child adds to its copy is lost otherwise)."""
        known, hits, misses = set(self._used), self.hits, self.misses
        value = fn()
        fresh = {k: v for k, v in self._used.items() if k not in known}
        return value, Part(fresh, self.hits - hits, self.misses - misses, os.getpid())

    def merge(self, part: Part) -> None:
        """Keep the entries another process used (``apart``) in the next ``save``, and
        count its hits and misses. A part made in this process (``fn`` ran here, without a
        fork) is already in."""
        if part.pid == os.getpid():
            return
        self._used.update(part.entries)
        self.hits += part.hits
        self.misses += part.misses

    def save(self) -> None:
        """Write the entries used since loading (atomically); other memo files in the
        folder are from other code and are removed."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(self._used, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)
        for other in self.path.parent.glob("memo-*.pickle"):
            if other != self.path:
                other.unlink(missing_ok=True)
