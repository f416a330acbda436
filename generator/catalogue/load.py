"""Stage 1: read YAML files into raw records with line numbers (plus Problems).

Content comes from strangers' pull requests, so loading is defensive: only safe YAML
tags, no anchors or aliases (they enable "billion laughs" bombs), duplicate keys are
reported instead of silently keeping the last one, and a file over the size limit is
refused before it is parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.catalogue.fields import describe
from generator.catalogue.memo import Memo
from generator.catalogue.model import Problem, Record, frozen_map

MAX_FILE_BYTES = 256 * 1024  # a paper file is a few KB; anything near this is hostile
ALIASES = "YAML anchors and aliases are not allowed"
MAX_DEPTH = 20  # a paper nests three levels at most; deep nesting only exhausts the stack


def display_path(path: Path, root: Path | None = None) -> str:
    """Path as users see it in messages: relative to ``root`` (or cwd) when possible."""
    # Resolve the folder but not the file: a symbolic link is reported under its own name.
    full = path.absolute().parent.resolve() / path.name
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return full.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file (BOM and CRLF tolerated), refusing huge or undecodable files."""
    if path.is_symlink():
        # A link could publish any file on the build machine (e.g. ../../.env).
        message = "symbolic links are not allowed; add the file itself"
        return None, [Problem(shown, 1, "file", message)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, "file", f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024
        return None, [
            Problem(shown, 1, "file", f"file is {len(raw):,} bytes; the limit is {limit} KB")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(shown, line, "file", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _check_nodes(
    node: Node, shown: str, problems: list[Problem], seen: set[int], depth: int = 0
) -> None:
    """Reject aliases, duplicate keys and deep nesting anywhere in the document."""
    if depth > MAX_DEPTH:
        line = node.start_mark.line + 1
        problems.append(Problem(shown, line, "file", f"nested more than {MAX_DEPTH} levels deep"))
        return
    if id(node) in seen:
        if any(p.message == ALIASES for p in problems):
            return  # once is enough: a "billion laughs" file has thousands of aliases
        problems.append(Problem(shown, node.start_mark.line + 1, "file", ALIASES))
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        keys: dict[object, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                problems.append(Problem(shown, line, "file", "mapping keys must be plain strings"))
            elif key in keys:
                problems.append(
                    Problem(
                        shown, line, str(key), f"duplicate key (first defined on line {keys[key]})"
                    )
                )
            else:
                keys[key] = line
            _check_nodes(value_node, shown, problems, seen, depth + 1)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_nodes(item, shown, problems, seen, depth + 1)


# libyaml composes about 10x faster; the pure-Python parser is the reference, so its
# wording is used for every error message (an invalid file is parsed a second time).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_yaml(text: str, shown: str) -> tuple[Node | None, list[Problem]]:
    """Compose (not construct) one YAML document, turning parser errors into Problems."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if exc.problem and exc.context and start and start.line + 1 != line:
            # e.g. an unclosed [ or quote: say where the construct began
            what += f" ({exc.context} started on line {start.line + 1})"
        return None, [Problem(shown, line, "file", f"invalid YAML: {what}")]
    except yaml.YAMLError as exc:  # e.g. more than one document in the file
        return None, [Problem(shown, 1, "file", f"invalid YAML: {exc}")]
    except RecursionError:  # PyYAML composes recursively: [[[[... exhausts the stack
        return None, [Problem(shown, 1, "file", f"nested more than {MAX_DEPTH} levels deep")]
    if node is None:
        return None, [Problem(shown, 1, "file", "file is empty")]
    problems: list[Problem] = []
    _check_nodes(node, shown, problems, set())
    return (None if problems else node), problems


def construct(node: Node) -> object:
    """Build plain Python values from a checked node with PyYAML's safe constructor."""
    return SafeConstructor().construct_object(node, deep=True)


def _scalars(node: Node) -> Iterator[ScalarNode]:
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def construct_checked(node: Node, shown: str) -> tuple[object, list[Problem]]:
    """Construct ``node``, turning every failure into a Problem at the bad value's line.

    PyYAML raises ValueError (not a YAMLError) for values that match a type's pattern
    but not its range, such as ``added: 2026-13-45`` or an integer of 5,000 digits.
    """
    try:
        return construct(node), []
    except ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else node.start_mark.line + 1
        return None, [Problem(shown, line, "file", f"invalid YAML value: {exc.problem}")]
    except (ValueError, OverflowError):
        pass
    for scalar in _scalars(node):
        try:
            construct(scalar)
        except (ValueError, OverflowError):
            kind = scalar.tag.rsplit(":", 1)[-1]
            message = f"invalid YAML value: {describe(scalar.value)} is not a valid {kind}"
            return None, [Problem(shown, scalar.start_mark.line + 1, "file", message)]
    return None, [Problem(shown, node.start_mark.line + 1, "file", "invalid YAML value")]


def load_mapping(
    path: Path, root: Path | None = None, memo: Memo | None = None, *, shown: str = ""
) -> tuple[Record | None, list[Problem]]:
    """Load a file whose document is a mapping (a paper file); with ``memo``, a text
    parsed by an earlier build is not parsed again. ``shown``: its ``display_path``,
    if already known."""
    shown = shown or display_path(path, root)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    if memo is None:
        return parse_mapping(text, shown)

    def parse() -> tuple[tuple[dict, dict] | None, list[Problem]]:
        record, found = parse_mapping(text, shown)  # a mappingproxy does not pickle
        return (dict(record.data), dict(record.lines)) if record else None, found

    parsed, problems = memo.get("parse", (shown, text), parse)
    if parsed is None:
        return None, problems
    return Record(shown, frozen_map(parsed[0]), frozen_map(parsed[1])), list(problems)


def parse_mapping(text: str, shown: str) -> tuple[Record | None, list[Problem]]:
    """Parse the text of a paper file; ``shown`` is the path used in messages."""
    node, problems = parse_yaml(text, shown)
    if node is None:
        return None, problems
    if not isinstance(node, MappingNode):
        return None, [Problem(shown, 1, "file", "expected a mapping of field: value")]
    data, problems = construct_checked(node, shown)
    if problems:
        return None, problems
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    return Record(shown, frozen_map(data), frozen_map(lines)), []


def load_sequence(path: Path, root: Path | None = None) -> tuple[list[Record], list[Problem]]:
    """Load a file whose document is a list of mappings (``topics.yml``)."""
    shown = display_path(path, root)
    text, problems = read_text(path, shown)
    if text is None:
        return [], problems
    node, problems = parse_yaml(text, shown)
    if node is None:
        return [], problems
    if not isinstance(node, SequenceNode):
        return [], [Problem(shown, 1, "file", "expected a list of entries")]
    records: list[Record] = []
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, MappingNode):
            problems.append(Problem(shown, line, "entry", "expected a mapping of field: value"))
            continue
        data, found = construct_checked(item, shown)
        if found:
            problems += found
            continue
        lines = {k.value: k.start_mark.line + 1 for k, _ in item.value}
        lines.setdefault("", line)
        records.append(Record(shown, frozen_map(data), frozen_map(lines)))
    return records, problems


def load_tree(
    content: Path, memo: Memo | None = None
) -> tuple[list[Record], list[Record], list[Problem]]:
    """Load ``content/papers/*.yml`` and ``content/topics.yml`` (sorted, deterministic)."""
    root = content.parent
    problems: list[Problem] = []
    topics_path = content / "topics.yml"
    if topics_path.exists():
        topic_records, found = load_sequence(topics_path, root)
        problems += found
    else:
        topic_records = []
        problems.append(Problem(display_path(topics_path, root), 1, "file", "missing topics file"))
    papers: list[Record] = []
    paper_dir = content / "papers"
    stray = sorted(p for p in paper_dir.glob("*") if p.is_file() and p.suffix != ".yml")
    for path in stray:
        problems.append(
            Problem(display_path(path, root), 1, "file", "paper files must end in .yml")
        )
    # Every paper file is shown as its folder's path plus its name: the folder is
    # resolved once, not once per file (20,000 system calls at 10,000 papers).
    folder = display_path(paper_dir / "_", root).removesuffix("_")
    for path in sorted(paper_dir.glob("*.yml")):
        record, found = load_mapping(path, root, memo, shown=folder + path.name)
        problems += found
        if record is not None:
            papers.append(record)
    return papers, topic_records, problems
