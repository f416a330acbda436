"""MkDocs' build, run in-process: pages rendered on every core, unchanged pages reused.

``mkdocs build`` renders every page, one at a time. This runs the same steps with
MkDocs' own functions (files, nav, ``_populate_page``, ``_build_page``, the theme's
static templates), with two differences:

- pages are rendered by worker processes, forked once the files and nav are read,
  each taking every n-th page;
- a page whose output is already known is not rendered: its previous HTML file is
  hard-linked from the old site into the new one.

A page's HTML is a function of its Markdown, its path, the configuration, the theme
(the versions of the installed theme, every file of ``overrides/``), the nav and the versions
of the tools, so the cache key hashes exactly those. Pages in the nav (prev/next links,
active state) and pages with Markdown links or ``markdown`` blocks (their links are
resolved against other files) are always rendered. Before a previous file is reused
its size, modification time and inode must match the record made when it was written,
so a site edited by hand, or a missing or corrupt cache, means rendering again, never
a wrong page. The cache is a JSON file outside ``docs/`` and ``site/``; deleting it
only costs time. With any MkDocs plugin enabled, plain ``mkdocs build`` runs instead:
plugins may keep state across pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from mkdocs.commands import build as mk
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator import __version__
from generator.site.htmlsqueeze import squeeze, squeeze_tree

CACHE_FORMAT = 5  # 2: pages squeezed (htmlsqueeze.py); 3: records say "no links"; 4, 5: raw
TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
# Markdown that MkDocs resolves against other files: inline, reference and
# definition links, images, and blocks whose HTML is parsed as Markdown.
# Written loosely (any "]" before "(", "[" or ":", any "markdown=") so it runs fast:
# a false match only means the page is always rendered.
LINKS = re.compile(r"\]\s?[(\[:]|markdown\s*=")


class MkBuildError(Exception):
    """MkDocs reported errors."""


@dataclass
class Stats:
    rendered: int = 0
    reused: int = 0
    passed_through: int = 0  # rendered without Python-Markdown (populate)
    workers: int = 1
    records: dict[str, list] = field(default_factory=dict)


def _stat(path: str | Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _tree_digest(h: hashlib._Hash, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())


def _canonical(value: object) -> str:
    """A repr that is the same in every process: sets sorted, no object addresses."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_canonical(k)}:{_canonical(v)}" for k, v in sorted(
            value.items(), key=lambda kv: str(kv[0]))) + "}"  # fmt: skip
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))


def _nav_signature(items) -> list:
    return [
        (type(i).__name__, i.title, getattr(i, "url", None), _nav_signature(i.children or []))
        for i in items
    ]


def global_key(config, nav) -> str:
    """Everything besides its own Markdown that a page's HTML depends on."""
    h = hashlib.sha256(f"papercat {__version__} format {CACHE_FORMAT}\n".encode())
    for tool in TOOLS:
        h.update(f"{tool} {metadata.version(tool)}\n".encode())
    for key in sorted(config):
        if key not in ("site_dir", "plugins", "config_file_path", "theme"):
            h.update(f"{key}={_canonical(config[key])}\n".encode())
    theme = config.theme
    h.update(_canonical([theme.name, theme.dirs, theme.static_templates, dict(theme)]).encode())
    for folder in map(Path, config.theme.dirs):
        # An installed theme is known by its version (its 10,000 icons take seconds to
        # hash); a theme folder of the project (overrides/) by its contents.
        if not {"site-packages", "dist-packages"} & set(folder.parts):
            _tree_digest(h, folder)
    h.update(repr(_nav_signature(nav.items)).encode())
    return h.hexdigest()


class Collect(logging.Handler):
    """Keeps MkDocs' errors, to fail the build with their text. Warnings pass, as they
    did with ``mkdocs build --strict --quiet`` (quiet drops them before strict counts);
    broken links are the link check's job."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


_JOB: dict = {}  # what forked workers inherit: config, files, nav, env, pages


def _render(share: list[int]) -> tuple[dict[str, list], list[str]]:
    """Worker: render the pages at these positions; return their records and warnings."""
    job = _JOB
    handler = Collect()
    logging.getLogger("mkdocs").addHandler(handler)
    records = {}
    with squeezed_writes():
        for i in share:
            page, key = job["pages"][i], job["keys"][i]
            passed = populate(page, job["config"], job["files"])
            mk._build_page(page, job["config"], job["doc_files"], job["nav"], job["env"])
            dest, linkless = page.file.abs_dest_path, not LINKS.search(page.markdown or "")
            records[page.file.src_uri] = [key, page.file.dest_uri, *_stat(dest), linkless, passed]
    return records, handler.messages


@contextlib.contextmanager
def squeezed_writes(atomic: bool = False) -> Iterator[None]:
    """``_build_page`` writes a page with ``utils.write_file``: squeeze its HTML on the
    way (htmlsqueeze.py), instead of reading the file back and writing it again. The
    file is new in the staging folder either way, never a hard link to the old site.
    ``atomic``: write beside it and rename (a served folder, which readers may be
    reading, and whose files may be hard links of another site's)."""
    write = mk.utils.write_file

    def squeezed(content: bytes, output_path: str) -> None:
        data = squeeze(content) if output_path.endswith(".html") else content
        if not atomic:
            write(data, output_path)
            return
        tmp = f"{output_path}.{os.getpid()}.tmp"
        write(data, tmp)
        os.replace(tmp, output_path)

    mk.utils.write_file = squeezed
    try:
        yield
    finally:
        mk.utils.write_file = write


# A paper page's Markdown is one raw HTML <article>, a listing page's (topic, venue,
# year, author) one <div class="pc-...">, written by our templates with every user text
# escaped. Python-Markdown passes such a block through exactly as written
# (tests/test_incremental.py compares with `mkdocs build`), so converting it, which
# parses every tag with html.parser, is skipped. STX/ETX are Python-Markdown's
# placeholder marks: text holding them, or a comment, is converted as usual.
_OPENING = re.compile(r'<(article|div) class="pc-[a-z-]+"')


def _passes_through(body: str) -> bool:
    opening = _OPENING.match(body)
    if not opening or "\x02" in body or "\x03" in body or "<!--" in body:
        return False
    tag = opening.group(1)
    if not body.endswith(f"</{tag}>"):
        return False
    depth = 0
    for match in re.finditer(f"<(/?){tag}\\b", body):
        depth += -1 if match.group(1) else 1
        if depth == 0:  # the first element closes here: it must be the end
            return match.end() + 1 == len(body)
    return False


def populate(page: Page, config, files) -> bool:
    """MkDocs' ``_populate_page`` (no plugins run here); a page that is one raw HTML
    element of ours gets its Markdown as its HTML, as Python-Markdown would give it. Returns
    whether that shortcut was taken."""
    config._current_page = page
    try:
        page.read_source(config)
        body = (page.markdown or "").strip()
        if not _passes_through(body):
            mk._populate_page(page, config, files)
            return False
        page.content, page.toc = body, get_toc([])
        page._title_from_render, page.present_anchor_ids, page.links_to_anchors = None, set(), {}
        return True
    finally:
        config._current_page = None


def _load_cache(path: Path | None) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
        return data if data.get("format") == CACHE_FORMAT else {}
    except (OSError, ValueError, AttributeError):
        return {}


def save_cache(path: Path, site: Path, stats: Stats) -> None:
    """Record what the finished site holds (call once it is in place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": CACHE_FORMAT, "site": str(site.absolute()), "pages": stats.records}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


def build(
    config_file: Path,
    out: Path,
    *,
    previous: Path | None = None,
    cache: Path | None = None,
    workers: int | None = None,
) -> Stats:
    """Build the site of ``config_file`` into the empty folder ``out`` (strict)."""
    config = load_config(config_file=str(config_file), site_dir=str(out), strict=True)
    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        if _active_plugins(config):  # plugins may keep state across pages: MkDocs as is
            mk.build(config)
            squeeze_tree(out.rglob("*.html"))
            return Stats(rendered=-1)
        stats = _build(config, out, previous, _load_cache(cache), workers or os.cpu_count() or 1)
    except Abort as exc:
        raise MkBuildError("\n".join([*handler.messages, str(exc)])) from exc
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise MkBuildError("\n".join(handler.messages))
    return stats


def prepare(config):
    """MkDocs' files (with a page for each Markdown file), the theme's environment and
    the nav, read as ``mkdocs build`` reads them: (files, env, nav, doc_files)."""
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    doc_files = files.documentation_pages()
    for file in doc_files:
        if file.page is None:
            Page(None, file, config)
    for page in nav.pages:
        if "title" in vars(page):  # titled in mkdocs.yml: the nav needs only its meta
            page.read_source(config)
        else:  # the title may come from its Markdown
            mk._populate_page(page, config, files)
    return files, env, nav, doc_files


def _build(config, out: Path, previous: Path | None, cache: dict, workers: int) -> Stats:
    files, env, nav, doc_files = prepare(config)
    in_nav = {id(p) for p in nav.pages}
    base = global_key(config, nav)
    old = cache.get("pages", {}) if previous and cache.get("site") == str(previous) else {}
    stats = Stats(workers=workers)
    # MkDocs' order: static files, then theme templates, then pages over them.
    files.copy_static_files()
    for template in config.theme.static_templates:
        mk._build_theme_template(template, env, files, config, nav)
    squeeze_tree(out.glob("*.html"))  # 404.html
    pages, keys = [], []
    for file in doc_files:
        source = file.content_bytes
        key = hashlib.sha256(f"{base}\0{file.src_uri}\0".encode() + source).hexdigest()
        record = old.get(file.src_uri)
        # Same key: the same Markdown as when the record was made, so its "no links".
        reusable = record and record[0] == key and record[5] and id(file.page) not in in_nav
        if reusable and _reuse(record, previous, out):
            stats.records[file.src_uri] = record
            stats.reused += 1
        else:
            pages.append(file.page)
            keys.append(key)
    _JOB.update(config=config, files=files, doc_files=doc_files, nav=nav, env=env,
                pages=pages, keys=keys)  # fmt: skip
    try:
        n = max(1, min(workers, len(pages) // 50))
        shares = [list(range(k, len(pages), n)) for k in range(n)]
        if n == 1:
            results = [_render(shares[0])]
        else:
            with multiprocessing.get_context("fork").Pool(n) as pool:
                results = pool.map(_render, shares)
    finally:
        _JOB.clear()
    messages = [m for _, warned in results for m in warned]
    if messages:
        raise MkBuildError("\n".join(messages))
    for records, _ in results:
        stats.records.update(records)
        stats.passed_through += sum(1 for r in records.values() if r[6])
    stats.rendered = len(pages)
    stats.workers = n
    return stats


def _active_plugins(config) -> list[str]:
    """Plugins that run: one switched off (``enabled: false``, as the theme's search is
    for both renderers) does nothing in any event, so it does not rule out reuse."""
    return [
        name for name, plugin in config.plugins.items()
        if getattr(plugin, "config", {}).get("enabled", True) is not False
    ]  # fmt: skip


def _reuse(record: list, previous: Path | None, out: Path) -> bool:
    """Hard-link the previous output into ``out`` if it is still what was written."""
    if previous is None:
        return False
    source, target = previous / record[1], out / record[1]
    try:
        if _stat(source) != record[2:5] or target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)
    except OSError:
        return False
    return True
