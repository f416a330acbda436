"""Hand-written pages: ``content/pages/*.md`` plus the repository's CONTRIBUTING.md.

Pages are Markdown written by maintainers, but they still arrive through pull
requests, so active HTML (scripts, frames, event handlers, javascript: links) is
refused rather than published.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator.catalogue.fields import check_id
from generator.catalogue.load import display_path, read_text
from generator.catalogue.model import Problem

_ACTIVE = re.compile(
    r"<\s*(script|iframe|frame|object|embed|form|meta|base|link|style)\b|\bon[a-z]+\s*="
    # browsers ignore tabs and newlines inside a URL: java<TAB>script: still runs
    + "|".join(["", *(r"\s*".join(word) + r"\s*:" for word in ("javascript", "vbscript"))]),
    re.IGNORECASE,
)
# Page names that generated sections already use.
RESERVED = frozenset(
    {
        "index",
        "papers",
        "topics",
        "search",
        "feeds",
        "all-papers",
        "map",
        "years",
        "venues",
        "authors",
    }
)


def load_pages(content: Path) -> tuple[dict[str, str], dict[str, str], list[Problem]]:
    """Page name -> Markdown text, and page name -> source path (for "Edit this page").

    ``home`` is the home page's introduction.
    """
    pages: dict[str, str] = {}
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    files = sorted((content / "pages").glob("*.md"))
    contributing = content.parent / "CONTRIBUTING.md"
    if contributing.is_file() and not (content / "pages" / "contributing.md").exists():
        files.append(contributing)
    for path in files:
        shown = display_path(path, content.parent)
        name = path.stem.lower()
        if name in RESERVED:
            message = f"'{name}' is reserved for a generated page"
        else:
            message = check_id(name) if path.parent.name == "pages" else None
        if message:
            problems.append(Problem(shown, 1, "page", message))
            continue
        text, found = read_text(path, shown)
        problems += found
        if text is None:
            continue
        # Decode entities first, as a browser would: &#106;avascript: is javascript:.
        decoded = "\n".join(html.unescape(line).replace("\n", " ") for line in text.split("\n"))
        for match in _ACTIVE.finditer(decoded):
            number = decoded.count("\n", 0, match.start()) + 1
            problems.append(
                Problem(shown, number, "page", f"active HTML is not allowed: {match.group(0)!r}")
            )
        pages[name] = text
        sources[name] = shown
    return pages, sources, problems
