"""The JSON Schema of a paper file, published as ``content/schema/paper.schema.json``.

Editors (VS Code with the YAML extension, anything using yaml-language-server) read
it through the first line of every paper file and autocomplete and check fields as
you type. It is generated from the same constants the validator uses, so the two
cannot drift apart; ``check`` stays the authority (it also checks references,
duplicates and things a schema cannot express) and the tests keep the committed file
equal to this one.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.catalogue import fields
from generator.catalogue.validate import MAX_TOPICS, PAPER_KEYS, REQUIRED_PAPER_KEYS

SCHEMA_PATH = Path("schema") / "paper.schema.json"  # relative to the content folder
ID_PATTERN = fields.ID_RE.pattern


# What each ``links`` kind points at (every schema field has a description for editors).
LINK_DESCRIPTIONS = {
    "pdf": "The paper's PDF; the page links it and citations use it when there is no "
    "arXiv id or DOI.",
    "url": "The paper's web page (publisher, proceedings or repository), when there is no "
    "arXiv id or DOI; the page links it.",
    "code": "Source code repository.",
    "project": "The project's home page (about the paper, not the paper: a paper with only "
    "project, code or demo links also gets title searches).",
    "video": "A recorded talk or demo video.",
    "slides": "Slides of a talk about the paper.",
    "data": "Dataset or benchmark released with the paper.",
    "blog": "A blog post about the paper.",
    "demo": "A live demo.",
}


def _text(description: str, limit: int, *, single_line: bool = True) -> dict:
    out: dict = {"type": "string", "minLength": 1, "maxLength": limit, "description": description}
    if single_line:
        out["pattern"] = r"^[^\n]*$"
    return out


def _ids(description: str, most: int, least: int = 0) -> dict:
    return {
        "type": "array",
        "items": {"type": "string", "pattern": ID_PATTERN},
        "uniqueItems": True,
        "minItems": least,
        "maxItems": most,
        "description": description,
    }


def paper_schema() -> dict:
    """The schema as a dict (draft 2020-12)."""
    url = {"type": "string", "format": "uri", "pattern": "^https?://[^\\s/]+"}
    link_kinds = {
        kind: {**url, "description": LINK_DESCRIPTIONS[kind]} for kind in fields.LINK_KINDS
    }
    properties = {
        "title": _text("The paper's title, one line.", fields.MAX_TITLE),
        "abstract": _text(
            "Plain text; nothing is read as Markdown or HTML. Optional: a page without one says so.",
            fields.MAX_ABSTRACT,
            single_line=False,
        ),
        "authors": {
            "type": "array",
            "items": _text("An author's name.", fields.MAX_NAME),
            "description": "Author names, in order.",
        },
        "year": {
            "type": "integer",
            "minimum": 1800,
            "maximum": 9999,
            "description": "Year of publication, 4 digits.",
        },
        "venue": _text(
            "Where it was published, e.g. OSDI or Journal of Machine Learning Research; "
            "its name decides the citation type (journal, conference, see generator/render/venues.py).",
            fields.MAX_NAME,
        ),
        "arxiv": {
            "type": "string",
            "pattern": fields.ARXIV_RE.pattern,
            "description": 'arXiv id in quotes: "2401.09670" or "hep-th/9901001". The page '
            "then links arXiv's abstract and PDF and the Hugging Face papers page.",
        },
        "doi": {
            "type": "string",
            "pattern": r"^(?:(?:https?://doi\.org/|doi:)?10\.\d{4,9}/\S+)$",
            "description": "DOI, e.g. 10.1145/3600006.3613165; linked as https://doi.org/<doi>.",
        },
        "links": {
            "type": "object",
            "properties": link_kinds,
            "additionalProperties": False,
            "description": "Links by kind; http and https only.",
        },
        "topics": _ids("Topic ids from content/topics.yml.", MAX_TOPICS, 1),
        "related": _ids("Ids of related papers; they link back.", 20),
        "version_of": {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "Id of another version of the same work.",
        },
        "duplicate_of": {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "Id of a paper this one duplicates on purpose.",
        },
        "added": {
            "type": "string",
            "format": "date",
            "description": "Date it entered the catalogue, e.g. 2026-11-28.",
        },
    }
    assert tuple(properties) == PAPER_KEYS, "schema and validator disagree on the fields"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://papercat.github.io/papercat/schema/paper.schema.json",
        "title": "papercat paper",
        "description": "One paper of the catalogue: content/papers/<id>.yml.",
        "type": "object",
        "required": list(REQUIRED_PAPER_KEYS),
        "properties": properties,
        "additionalProperties": False,
    }


def schema_text() -> str:
    """The schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(paper_schema(), indent=2, ensure_ascii=False) + "\n"
