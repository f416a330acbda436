"""Import the "trending papers" text dump: a title line, then an abstract line.

The dump is a copy of a web page, so it starts with page chrome ("Get trending papers
in your email inbox ...") and the first title is glued to the "Subscribe" button text.
Abstracts carry a few LaTeX escapes (``\\%``, ``\\&``, ````quotes''``, ``\\textit{}``)
that we decode with pylatexenc, one escape at a time, so that everything else (``<EOS>``,
``<think>``, ``*``, ``|X cap Y|``, ``S^{3}``, unknown macros such as ``\\method``) stays
exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pylatexenc.latex2text import LatexNodes2Text
from rapidfuzz import fuzz, process

from generator.catalogue.slug import slugify, unique_id
from generator.catalogue.validate import normalise_title

CHROME = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
)
GLUED_PREFIX = "Subscribe"
VERSION_SIMILARITY = 90  # titles this close are two versions of one work

# Only these LaTeX constructs are decoded; anything else is left as text.
_LATEX = re.compile(
    r"\\[%&_#$]"  # escaped specials
    r"|``|''"  # TeX quotes
    r"|\\(?:textit|textbf|emph|texttt|textsc|url)\{[^{}]*\}"  # simple formatting
    r"|\\\\"  # forced line break
)
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`]+")
_TRAILING = ".,;:)]}'\""


class SeedError(ValueError):
    """A dump that does not have the expected shape; carries the line number."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class SeedEntry:
    title: str
    abstract: str
    links: tuple[tuple[str, str], ...]
    line: int


_latex = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def decode_latex(text: str) -> str:
    """Decode the LaTeX escapes listed in ``_LATEX`` and nothing else."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "\\\\":
            return "\n"
        if token.startswith("\\url{"):
            return token[len("\\url{") : -1]  # pylatexenc would add <angle brackets>
        return _latex.latex_to_text(token)

    decoded = _LATEX.sub(one, text)
    return re.sub(r"[ \t]*\n[ \t]*", "\n", decoded).strip()


def find_links(abstract: str) -> tuple[tuple[str, str], ...]:
    """Code and project URLs an abstract mentions, as (kind, url), in order, deduplicated."""
    found: dict[str, str] = {}
    for raw in _URL.findall(abstract):
        url = raw.rstrip(_TRAILING)
        if url.endswith(".git"):
            url = url[: -len(".git")]
        host = url.split("/")[2].lower()
        code_hosts = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co")
        kind = "code" if host in code_hosts else "project"
        found.setdefault(kind, url)
    return tuple(found.items())


def parse_dump(text: str) -> list[SeedEntry]:
    """Split the dump into entries; raises SeedError naming the line of a bad entry."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = 0
    while start < len(lines) and (lines[start].strip() in CHROME or not lines[start].strip()):
        start += 1
    body = [(n + 1, line.strip()) for n, line in enumerate(lines) if n >= start and line.strip()]
    if body and body[0][1].startswith(GLUED_PREFIX) and len(body[0][1]) > len(GLUED_PREFIX):
        body[0] = (body[0][0], body[0][1][len(GLUED_PREFIX) :].strip())
    if len(body) % 2:
        raise SeedError(body[-1][0], "a title without an abstract (odd number of lines)")
    entries = []
    for (tline, title), (_, abstract) in zip(body[::2], body[1::2], strict=True):
        if len(title) > 300 or len(abstract) < len(title):
            raise SeedError(tline, f"expected a title line, got {title[:40]!r}...")
        clean = decode_latex(abstract)
        entries.append(SeedEntry(decode_latex(title), clean, find_links(clean), tline))
    return entries


def plan(entries: list[SeedEntry], existing: dict[str, dict], suggest, added) -> dict[str, dict]:
    """Map each entry to an id and a record, keeping curated fields of existing files.

    Re-running on the same dump gives the same ids and files: an entry whose
    normalised title matches an existing file updates that file; topics, dates and
    explicit links a curator wrote are kept.
    """
    by_title = {normalise_title(str(d.get("title", ""))): pid for pid, d in existing.items()}
    taken = set(existing)
    out: dict[str, dict] = {}
    for entry in entries:
        key = normalise_title(entry.title)
        pid = by_title.get(key)
        if pid is None or pid in out:
            pid = unique_id(slugify(entry.title), taken | set(out))
        old = existing.get(pid, {})
        record = dict(old)
        record.update(title=entry.title, abstract=entry.abstract)
        links = dict(old.get("links") or {})
        for kind, url in entry.links:
            links.setdefault(kind, url)
        record["links"] = links
        record.setdefault("added", added)
        if not record.get("topics"):
            record["topics"] = [s.topic for s in suggest(entry.title, entry.abstract)]
        out[pid] = record
    _mark_versions(out)
    return out


def _mark_versions(records: dict[str, dict]) -> None:
    """Near-identical titles are versions of one work: link the later to the earlier."""
    ids = list(records)
    titles = [normalise_title(records[i]["title"]) for i in ids]
    for j in range(len(ids)):
        rec = records[ids[j]]
        if rec.get("version_of") or rec.get("duplicate_of"):
            continue
        match = process.extractOne(
            titles[j], titles[:j], scorer=fuzz.ratio, score_cutoff=VERSION_SIMILARITY
        )
        if match:
            rec["version_of"] = ids[match[2]]


def read_dump(path: Path) -> list[SeedEntry]:
    return parse_dump(path.read_text(encoding="utf-8"))
