"""The served folder of ``papercat serve``, kept in step with a few changed pages.

MkDocs' files, nav and theme environment for the served folder are read once
(``mkbuild.prepare``, about a second at 10,000 papers) and kept, so a page whose
Markdown changed is rendered on its own, in milliseconds, by the same functions
``mkbuild`` uses (``populate``, MkDocs' ``_build_page``, the squeeze): the same HTML as
``papercat site`` gives for that Markdown. Pages are written atomically beside the old
file and renamed over it, since readers may be fetching them. The Markdown comes from
memory (the fast pass), not from ``docs/``, which only the exact pass writes.

The sitemap and the 404 page are left as they are until the exact pass.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Container, Iterable
from pathlib import Path

from mkdocs.commands import build as mk
from mkdocs.config import load_config
from mkdocs.structure.files import File, set_exclusions
from mkdocs.structure.pages import Page

from generator.site import mkbuild


class LiveSite:
    """Render changed pages into ``site_dir`` with the config ``config_file``."""

    def __init__(self, config_file: Path, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        self.files, self.env, self.nav, self.doc_files = mkbuild.prepare(self.config)
        # Request threads render too (render_missing): one page at a time, since
        # squeezed_writes swaps MkDocs' writer for the process.
        self._lock = threading.Lock()
        self._dests: dict[str, File] = {}

    def copy_static(self) -> None:
        """Copy every file that is not a page (the theme's and docs/' assets), as MkDocs
        does before rendering: the pages can then be rendered one by one on demand."""
        with self._lock:
            self.files.copy_static_files()

    def render_missing(self, rel: str) -> None:
        """Render the page whose HTML is ``rel`` (a path in the served folder) if it is
        not there yet, from its Markdown in docs/."""
        with self._lock:
            file = self._by_dest().get(rel)
            if file is None or os.path.exists(file.abs_dest_path):
                return
            handler = mkbuild.Collect()
            logging.getLogger("mkdocs").addHandler(handler)
            try:
                with mkbuild.squeezed_writes(atomic=True):
                    self._build(file)
            finally:
                logging.getLogger("mkdocs").removeHandler(handler)

    def _by_dest(self) -> dict[str, File]:
        if not self._dests:  # emptied whenever the files change
            self._dests = {f.dest_uri: f for f in self.doc_files}
        return self._dests

    def pages_in(self, wanted: Container[str]) -> list[str]:
        """The Markdown pages served now (paths relative to docs/) that are in ``wanted``."""
        return [f.src_uri for f in self.doc_files if f.src_uri in wanted]

    def update(self, texts: dict[str, str], removed: Iterable[str] = ()) -> list[str]:
        """Render these pages (path -> Markdown; other files are copied as they are)
        and remove the ``removed`` pages; return MkDocs' error messages, if any."""
        handler = mkbuild.Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            with self._lock:
                for rel in removed:
                    self._remove(rel)
                with mkbuild.squeezed_writes(atomic=True):
                    for rel, text in sorted(texts.items()):
                        if rel.endswith(".md"):
                            self._render(rel, text)
                        else:
                            _write_atomic(self.site_dir / rel, text.encode("utf-8"))
        finally:
            logger.removeHandler(handler)
        return handler.messages

    def sync(self) -> None:
        """Take the Markdown pages of ``docs/`` as they are now (after an exact pass): new
        ones get a file and a page, gone ones are forgotten. Nothing is rendered."""
        docs = Path(self.config.docs_dir)
        present = {
            os.path.relpath(os.path.join(folder, name), docs).replace(os.sep, "/")
            for folder, _, names in os.walk(docs)
            for name in names
            if name.endswith(".md")
        }
        known = {f.src_uri: f for f in self.doc_files}
        self._dests = {}
        for rel in known.keys() - present:
            self.files.remove(known[rel])
            self.doc_files.remove(known[rel])
        for rel in sorted(present - known.keys()):
            self._file(rel)

    def _file(self, rel: str) -> File:
        """A new page, as get_files would have made it."""
        file = File(rel, self.config.docs_dir, str(self.site_dir), self.config.use_directory_urls)
        set_exclusions([file], self.config)
        self.files.append(file)
        self.doc_files.append(file)
        self._dests = {}
        Page(None, file, self.config)
        return file

    def _render(self, rel: str, text: str) -> None:
        file = self.files.get_file_from_path(rel) or self._file(rel)
        file.content_string = text
        self._build(file)

    def _build(self, file: File) -> None:
        os.makedirs(os.path.dirname(file.abs_dest_path), exist_ok=True)
        mkbuild.populate(file.page, self.config, self.files)
        mk._build_page(file.page, self.config, self.doc_files, self.nav, self.env)

    def _remove(self, rel: str) -> None:
        file = self.files.get_file_from_path(rel)
        if file is None:
            return
        self.files.remove(file)
        self.doc_files.remove(file)
        self._dests = {}
        target = Path(file.abs_dest_path)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != self.site_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
