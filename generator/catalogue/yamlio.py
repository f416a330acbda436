"""Canonical YAML for paper files, and atomic file writes.

One writer serves the importer, ``new`` and ``fmt``, so every paper file in the
repository has the same key order, quoting and abstract wrapping, and diffs in pull
requests stay small.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml

from generator.catalogue.validate import PAPER_KEYS

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/paper.schema.json\n"
WIDTH = 88


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes long text as folded blocks and short lists inline."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Folded block style keeps abstracts readable; PyYAML falls back to a quoted
    # style by itself when the text cannot be represented as a block.
    style = ">" if len(value) > 2 * WIDTH or "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    short = all(isinstance(v, str) and len(v) < 40 for v in value) and len(value) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """The same dumper on libyaml's emitter, about ten times faster (a bulk import
    writes thousands of files). It writes the same text as PyYAML's emitter except for
    control characters, surrogates and characters beyond U+FFFF, which libyaml escapes;
    text with those goes through ``_Dumper`` (tests/test_pure.py checks both)."""


for _dumper in (_Dumper, _FastDumper):
    _dumper.add_representer(str, _str)
    _dumper.add_representer(list, _list)
    _dumper.add_representer(tuple, _list)
_NOT_FAST = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\U00010000-\U0010ffff]")


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _dumper_for(data: Mapping[str, object], fast: bool = True) -> type[yaml.SafeDumper]:
    """libyaml's emitter when it writes what PyYAML's would, else PyYAML's."""
    if fast and not any(_NOT_FAST.search(text) for text in _strings(data)):
        return _FastDumper
    return _Dumper


def canonical(data: Mapping[str, object]) -> dict[str, object]:
    """Known keys in schema order (unknown keys last, sorted), empty values dropped."""
    out: dict[str, object] = {}
    keys = [k for k in PAPER_KEYS if k in data] + sorted(k for k in data if k not in PAPER_KEYS)
    for key in keys:
        value = data[key]
        if value in (None, "", [], (), {}):
            continue
        if isinstance(value, Mapping):
            value = dict(value)
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def dump_paper(data: Mapping[str, object], *, fast: bool = True) -> str:
    """Serialise one paper mapping to its canonical file text.

    Keys are dumped one at a time so that only the abstract is wrapped: a title or
    URL split over two lines is valid YAML but hard to edit and to grep. ``fast=False``
    forces PyYAML's own emitter (the tests compare the two).
    """
    parts = [SCHEMA_COMMENT]
    dumper = _dumper_for(data, fast)
    for key, value in canonical(data).items():
        part = yaml.dump(
            {key: value},
            Dumper=dumper,
            sort_keys=False,
            allow_unicode=True,
            width=WIDTH if key == "abstract" else 1_000_000,
            default_flow_style=False,
        )
        # A text ending in blank lines is dumped as a kept block (>+) followed by a
        # document end marker; the next key would come after the end of the document.
        parts.append(part.removesuffix("...\n"))
    return "".join(parts)


def _temp_copy(path: Path, text: str) -> Path:
    """``text`` in a temporary file beside ``path`` (same file system, so it can be
    renamed or linked into place in one step)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` via a temp file and rename; return True if it changed."""
    # Compare bytes: a file that differs only by CRLF line ends or a BOM is rewritten.
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return False
    tmp = _temp_copy(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def write_new(path: Path, text: str) -> None:
    """Write ``text`` to a new file atomically; FileExistsError if ``path`` exists.

    The temp file is hard-linked into place: the link fails if the name is taken,
    even by a file created a moment ago.
    """
    tmp = _temp_copy(path, text)
    try:
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def today() -> dt.date:
    """Today's date; one place to patch in tests."""
    return dt.date.today()
