"""``from-issue``: a "Suggest a paper" issue, as GitHub renders the form, to a paper file.

GitHub renders an issue form as ``### <label>`` headings, each followed by the answer
(``_No response_`` when it was left empty). The labels are read from the form file
itself (``.github/ISSUE_TEMPLATE/suggest-paper.yml``) and mapped to paper fields by the
form's ids, so changing the form without changing this module fails loudly.

Every answer is untrusted text: it is never run, never evaluated as a template, and
rejected outright when it looks like markup, template or shell syntax. A suggestion
becomes a file without a person typing it, so the bar is higher than for a file in a
pull request (where ``<EOS>`` in a title is fine and shown as text). Bad input raises
``SuggestionError`` with one message meant to be posted back on the issue, and
nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.analysis.topics import Suggester
from generator.catalogue import fields
from generator.catalogue.load import display_path, load_tree
from generator.catalogue.model import Record, frozen_map
from generator.catalogue.slug import slugify, unique_id
from generator.catalogue.validate import MAX_TOPICS, validate
from generator.catalogue.yamlio import today
from generator.sources import scaffold
from generator.sources.arxiv import ArxivError, Client, strip_version
from generator.sources.enrich import fill

FORM = Path(".github/ISSUE_TEMPLATE/suggest-paper.yml")
# Form field id -> what it holds. A form field added or renamed must be added here.
FORM_IDS = {
    "paper-title": "title",
    "identifier": "identifier",
    "abstract": "abstract",
    "topics": "topics",
    "why": "why",
}
NO_RESPONSE = "_No response_"
MAX_BODY = 65_536  # GitHub's own limit for an issue body
SCREENS = (
    # A tag (a letter right after "<", as HTML parses it), a comment or a processing
    # instruction; "p < q" is text.
    (re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!--|<\?"), "HTML markup"),
    (
        re.compile(r"\b(?:java|vb)script\s*:|\bdata:\s*[a-z]+/", re.IGNORECASE),
        "a script or data URL",
    ),
    (re.compile(r"\{\{|\{%|\{#|\$\{"), "template syntax"),
    (re.compile(r"\$\(|`"), "shell syntax"),
)
ARXIV_URL = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<id>[^?#\s]+?)(?:\.pdf)?/?",
    re.IGNORECASE,
)
DOI_URL = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)(?P<doi>\S+)", re.IGNORECASE)


class SuggestionError(ValueError):
    """A suggestion that cannot become a paper file; the message is for the issue."""


@dataclass
class Suggestion:
    """What ``from-issue`` will write, and what it learnt on the way."""

    paper_id: str
    data: dict[str, object]
    suggested: list[str] = field(default_factory=list)  # topics the suggester chose
    from_arxiv: list[str] = field(default_factory=list)  # fields filled from arXiv
    notes: list[str] = field(default_factory=list)


def form_labels(form: Path) -> dict[str, str]:
    """Heading label -> answer key, read from the issue form file."""
    spec = yaml.safe_load(form.read_text(encoding="utf-8"))
    labels = {
        item["attributes"]["label"]: FORM_IDS[item["id"]]
        for item in spec.get("body", [])
        if item.get("id") in FORM_IDS
    }
    missing = set(FORM_IDS.values()) - set(labels.values())
    if missing:
        raise ValueError(f"{form} has no field for {', '.join(sorted(missing))}")
    return labels


def parse_body(body: str, labels: dict[str, str]) -> dict[str, str]:
    """Answers by key from an issue body (``_No response_`` becomes "")."""
    if len(body) > MAX_BODY:
        raise SuggestionError(f"the issue is {len(body):,} characters; at most {MAX_BODY:,}")
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = re.fullmatch(r"###\s+(.+?)\s*", line)
        if heading and heading.group(1) in labels:
            key = labels[heading.group(1)]
            if key in answers:
                raise SuggestionError(
                    f"the heading '### {heading.group(1)}' appears twice; "
                    "edit the issue so each answer has one heading"
                )
            current = answers[key] = []
        elif current is not None:
            current.append(line)
    by_key = {v: k for k, v in labels.items()}
    missing = [by_key[k] for k in FORM_IDS.values() if k not in answers]
    if missing:
        raise SuggestionError(
            f"no '### {missing[0]}' section: was this issue made with the Suggest a paper form?"
        )
    out = {}
    for key, lines in answers.items():
        text = "\n".join(lines).strip()
        out[key] = "" if text == NO_RESPONSE else text
    return out


def screen(label: str, text: str) -> None:
    """Reject answers that carry markup, template or shell syntax."""
    for pattern, what in SCREENS:
        if pattern.search(text):
            raise SuggestionError(
                f"{label}: contains {what}; answers must be plain text (or open a pull request)"
            )


def identifier(label: str, text: str) -> dict[str, object]:
    """The arXiv id, DOI or link the reader gave, as paper fields."""
    text = text.strip()
    if not text:
        return {}
    found = ARXIV_URL.fullmatch(text)
    candidate = found.group("id") if found else re.sub(r"(?i)^arxiv:\s*", "", text)
    if fields.ARXIV_RE.fullmatch(candidate):
        return {"arxiv": strip_version(candidate)}
    doi = DOI_URL.fullmatch(text)
    if doi or text.startswith("10."):
        clean, message = fields.doi(doi.group("doi") if doi else text)
        if message:
            raise SuggestionError(f"{label}: {message}")
        return {"doi": clean}
    if re.match(r"(?i)https?://", text):
        clean, message = fields.url(text)
        if message:
            raise SuggestionError(f"{label}: {message}")
        return {"links": {"pdf" if str(clean).lower().endswith(".pdf") else "url": clean}}
    raise SuggestionError(
        f"{label}: {fields.describe(text)} is not an arXiv id (like 2401.09670), "
        "a DOI (like 10.1145/3600006.3613165) or a link"
    )


def topic_ids(label: str, text: str, known: set[str]) -> list[str]:
    """Topic ids from a comma- or space-separated answer; each must exist."""
    chosen = list(dict.fromkeys(t for t in re.split(r"[\s,;]+", text.strip().lower()) if t))
    for tid in chosen:
        if tid not in known:
            hint = fields.did_you_mean(tid, known)
            raise SuggestionError(
                f"{label}: unknown topic {fields.describe(tid)}{hint}; use ids from the Topics page"
            )
    if len(chosen) > MAX_TOPICS:
        raise SuggestionError(f"{label}: at most {MAX_TOPICS} topics, got {len(chosen)}")
    return chosen


def plan(content: Path, body: str, form: Path, client: Client | None) -> Suggestion:
    """Work out the new file from an issue body (nothing is written)."""
    labels = form_labels(form)
    label_of = {v: k for k, v in labels.items()}
    answers = parse_body(body, labels)
    for key, text in answers.items():
        screen(label_of[key], text)
    if not answers["title"]:
        raise SuggestionError(f"{label_of['title']}: the answer is empty; give the paper's title")
    data: dict[str, object] = {}
    for key, check in (("title", fields.title), ("abstract", fields.abstract)):
        if answers[key]:
            clean, message = check(answers[key])
            if message:
                raise SuggestionError(f"{label_of[key]}: {message}")
            data[key] = clean
    data.update(identifier(label_of["identifier"], answers["identifier"]))
    records, topic_records, _ = load_tree(content)
    papers, topics, _ = validate(records, topic_records)
    chosen = topic_ids(label_of["topics"], answers["topics"], {t.id for t in topics})
    _refuse_duplicate(content, data, papers)
    result = Suggestion("", data)
    if client is not None:
        _enrich(result, client, papers)
        _refuse_duplicate(content, data, papers)
    taken = {p.stem for p in (content / "papers").glob("*.yml")} | fields.RESERVED_IDS
    base = slugify(str(data["title"]))[: fields.MAX_ID].strip("-") or "paper"
    result.paper_id = unique_id(base, taken)
    if chosen:
        data["topics"] = chosen
    else:
        found = Suggester(topics, papers).suggest(str(data["title"]), str(data.get("abstract", "")),
                                                  limit=scaffold.SUGGESTED_TOPICS)  # fmt: skip
        data["topics"] = result.suggested = [s.topic for s in found]
    data["added"] = today()
    return result


def _refuse_duplicate(content: Path, data: dict[str, object], papers) -> None:
    shown = display_path(content / "papers" / "suggestion.yml", content.parent)
    record = Record(shown, frozen_map(data), frozen_map({}))
    same = scaffold.already_there(record, papers)
    if same:
        owner = same[0].message.rsplit(" ", 1)[-1]
        raise SuggestionError(
            f"this paper is already in the catalogue: {owner} (same {same[0].field})"
        )


def _enrich(result: Suggestion, client: Client, papers) -> None:
    data = result.data
    try:
        entry = client.match(str(data["title"]), str(data.get("arxiv") or "") or None)
    except ArxivError as exc:
        result.notes.append(f"{exc}; the file has only what the form gave")
        return
    if entry is None:
        where = f"arXiv {data['arxiv']}" if data.get("arxiv") else "an arXiv title search"
        result.notes.append(f"{where} found no paper with this title; nothing filled from arXiv")
        return
    taken: dict[str, str] = {}
    for paper in papers:
        for value in (paper.arxiv and strip_version(paper.arxiv), paper.doi):
            if value:
                taken[value.lower()] = paper.source
    new, filled, notes = fill(data, entry, taken)
    data.clear()
    data.update(new)
    result.from_arxiv = filled
    result.notes += notes


def comment_written(result: Suggestion, path: str) -> str:
    """The issue comment for a suggestion that became a file (Markdown)."""
    data = result.data
    # Answers cannot contain backticks (screened), so a code span shows them as text
    # and an @name or a link in a title pings or links nobody.
    lines = [f"`papercat from-issue` made `{path}` from this suggestion:", ""]
    lines.append(f"- title: `{data['title']}`")
    for key, shown in (("arxiv", "arXiv"), ("doi", "DOI")):
        if data.get(key):
            lines.append(f"- {shown}: `{data[key]}`")
    topics = ", ".join(f"`{t}`" for t in data["topics"])  # type: ignore[union-attr]
    lines.append(f"- topics: {topics}" + (" (suggested)" if result.suggested else ""))
    if result.from_arxiv:
        lines.append(f"- filled from arXiv: {', '.join(result.from_arxiv)}")
    if result.notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in result.notes]
    lines += ["", "A maintainer reviews the pull request before it is merged."]
    return "\n".join(lines) + "\n"


def comment_refused(message: str) -> str:
    """The issue comment for a suggestion that could not become a file (Markdown)."""
    return (
        "This suggestion could not be turned into a paper file:\n\n"
        f"```text\n{message}\n```\n\n"
        "Edit the issue to fix this; a maintainer then adds the `accepted` label again.\n"
    )
