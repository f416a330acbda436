"""A copy of the project, to run the README's commands in exactly as a newcomer types them.

The copy holds the repository's files (tracked and untracked, not ignored) and a copy of
``node_modules/``, with the installed ``.venv/`` linked in (copying it would take
long). Modification times are kept, so the Makefile's install stamps stay newer than
the lock files and ``make`` installs nothing: the commands run as they would after a
first ``make``. ``node_modules/`` is copied, not linked, because an ``npm ci`` in the
copy would otherwise empty the real one.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINKED = (".venv",)
COPIED = ("node_modules",)
# Generated folders, never part of a fresh clone.
SKIPPED = {".venv", "node_modules", "docs", "site", "site-zensical", ".cache", ".git"}


def _project_files() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, check=True, capture_output=True,
        ).stdout  # fmt: skip
        return [f for f in out.decode().split("\0") if f and (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file() and not SKIPPED & set(p.relative_to(ROOT).parts)
        ]


def make_copy(dest: Path) -> Path:
    """Copy the project into ``dest`` (created) and return it.

    The project must be installed (``make install`` up to date): otherwise ``make`` in
    the copy would install into the shared ``.venv/``, pointing ``papercat`` at the copy.
    """
    stale = subprocess.run(["make", "-q", "install"], cwd=ROOT, capture_output=True)
    if stale.returncode != 0:
        raise RuntimeError("the project is not installed: run `make install` first")
    for name in _project_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    for name in COPIED:
        if (ROOT / name).is_dir():
            # Hard links (Lighthouse makes it 115 MB): npm replaces files, never writes
            # into them, so the copy can change without touching the original.
            shutil.copytree(ROOT / name, dest / name, symlinks=True, copy_function=_link)
    for name in LINKED:
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name, target_is_directory=True)
    return dest


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes() -> Iterator[tuple[int, str, int, int]]:
    """Every process as (pid, state, parent pid, process group), from /proc."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        yield int(stat.parent.name), fields[0], int(fields[1]), int(fields[2])


def group_alive(pgid: int) -> bool:
    """Whether any process of the process group ``pgid`` still runs."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # A zombie still counts for killpg; look for live members.
    return any(group == pgid and state != "Z" for _, state, _, group in processes())


def stop_group(proc: subprocess.Popen, sig: int = signal.SIGINT, timeout: float = 30) -> bool:
    """Send ``sig`` to the process group (as Ctrl-C does); True if all of it ended in time."""
    pgid = proc.pid
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc.poll()
        if not group_alive(pgid):
            return True
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)
    proc.wait()
    return False
