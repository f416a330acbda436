"""Drop the indentation the theme's templates leave between tags, byte-safe for readers.

Material's and Zensical's templates are indented for people; on a paper page that
indentation is about a tenth of the HTML, repeated on every page. In text between two
tags, a run of spaces and tabs that contains a line break renders exactly as one line
break (HTML collapses white space), so that is all this rewrites. Never touched:
anything inside a tag (attribute values keep every character), and the content of
``pre``, ``textarea``, ``script`` and ``style``, where white space can matter. Unlike a
minifier it keeps quotes, closing tags and entities as they were, so the HTML is the
same document, only shorter.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

# Raw-text and preformatted elements are copied as they are, up to their end tag.
_KEEP = re.compile(rb"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
# A tag (or comment, doctype), quoted attribute values included: '>' may occur in them.
# Captured, so that splitting on it keeps the tags: text at even positions, tags at odd.
_TAG = re.compile(rb"(<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>)")
# In text, a run of white space that holds a line break.
_RUN = re.compile(rb"[ \t\r]*\n[ \t\r\n]*")


def _text(chunk: bytes) -> bytes:
    parts = _TAG.split(chunk)
    parts[::2] = [_RUN.sub(b"\n", text) if b"\n" in text else text for text in parts[::2]]
    return b"".join(parts)


def squeeze(html: bytes) -> bytes:
    """``html`` with every run of white space in text that holds a line break reduced
    to one line break."""
    out, pos = [], 0
    for kept in _KEEP.finditer(html):
        out.append(_text(html[pos : kept.start()]))
        out.append(kept.group(0))
        pos = kept.end()
    out.append(_text(html[pos:]))
    return b"".join(out)


def squeeze_file(path: str | Path) -> None:
    """Rewrite one freshly written page in place (a new file, so a hard-linked copy of
    an older build is never changed through it)."""
    path = Path(path)
    data = path.read_bytes()
    small = squeeze(data)
    if small != data:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(small)
        tmp.replace(path)


def squeeze_tree(pages: Iterable[Path]) -> None:
    """Squeeze every page given (all ``*.html`` of a freshly rendered site)."""
    for page in pages:
        squeeze_file(page)
