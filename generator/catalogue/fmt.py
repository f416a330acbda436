"""``fmt``: rewrite paper files in the canonical form of ``yamlio.dump_paper``.

One writer for the importer, ``new`` and ``fmt`` means a file formatted here is
byte-identical to one the tools would write. A file is only rewritten when its
canonical text parses back to exactly the same data, so formatting can never change
what a paper says (comments other than the schema line are not kept: the canonical
form has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.catalogue.load import display_path, load_mapping, parse_mapping, read_text
from generator.catalogue.model import Problem
from generator.catalogue.yamlio import canonical, dump_paper, write_atomic


@dataclass
class FmtResult:
    """Files whose text is not canonical (rewritten unless checking) and load problems."""

    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


def paper_files(content: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """The given paths, or every ``content/papers/*.yml``, sorted."""
    chosen = list(paths)
    return sorted(chosen) if chosen else sorted((content / "papers").glob("*.yml"))


def canonical_text(path: Path, root: Path | None = None) -> tuple[str | None, str, list[Problem]]:
    """(canonical text or None, current text, problems) for one paper file."""
    shown = display_path(path, root)
    current, problems = read_text(path, shown)
    if current is None:
        return None, "", problems
    record, problems = load_mapping(path, root)
    if record is None:
        return None, current, problems
    text = dump_paper(dict(record.data))
    again, _ = parse_mapping(text, shown)
    if again is None or dict(again.data) != canonical(record.data):
        # Never rewrite a file into something that means something else.
        return (
            None,
            current,
            [Problem(shown, 1, "file", "cannot be formatted without changing its data")],
        )
    return text, current, []


def format_files(files: Iterable[Path], *, check: bool, root: Path | None = None) -> FmtResult:
    """Rewrite (or with ``check`` only list) files that are not in canonical form."""
    result = FmtResult()
    for path in files:
        result.files += 1
        text, _, problems = canonical_text(path, root)
        if problems or text is None:
            result.problems += problems
            continue
        # Compare raw bytes: a BOM or CRLF line ends are not canonical either.
        if path.read_bytes() != text.encode("utf-8"):
            result.changed.append(display_path(path, root))
            if not check:
                write_atomic(path, text)
    return result
