"""Property tests: any printable text in a title or abstract survives the whole trip.

    written by dump_paper -> loaded and validated -> rendered to Markdown ->
    converted to HTML by Python-Markdown with mkdocs.yml's extensions

and the HTML shows exactly that text. The renderer documents one normalisation:
an abstract is shown one paragraph per non-blank line, each line stripped of
surrounding whitespace (render.paragraphs); titles and lines are otherwise verbatim.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalogue.load import parse_mapping
from generator.catalogue.model import Catalogue, Record, Topic, frozen_map
from generator.catalogue.validate import validate
from generator.catalogue.yamlio import dump_paper
from generator.render import pages as render

# Printable: no control, format, private-use, surrogate, unassigned or line/paragraph
# separator characters (those are rejected by the validator, see test_hostile.py).
PRINTABLE = st.characters(
    categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\u2028\u2029"
)
# Markup and template syntax, drawn often so every example is a small attack.
MARKUP = st.sampled_from(
    ["<", ">", "&", '"', "'", "{{", "}}", "{%", "%}", "#", "*", "_", "`", "|", "[", "]",
     "(", ")", "!", ":", "-", "\\", "<script>", "</p>", "&amp;", "&#106;", "{: #x }",
     "<!--", "-->", "javascript:", "---", "    ", " "]
)  # fmt: skip
TEXT = st.lists(st.one_of(MARKUP, st.text(PRINTABLE, min_size=1, max_size=8)), max_size=20)
TITLE = TEXT.map("".join).map(str.strip).filter(bool).filter(lambda t: len(t) <= 300)
LINE = TEXT.map("".join)
ABSTRACT = st.lists(LINE, min_size=1, max_size=6).map("\n".join).filter(lambda a: a.strip())
TOPIC_YAML = "- id: serving\n  name: Serving\n  description: Systems that serve models.\n"
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


def _extensions() -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions and their settings, read from mkdocs.yml."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name...
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names, configs = [], {}
    for item in config.get("markdown_extensions", []):
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


EXTENSIONS, EXTENSION_CONFIGS = _extensions()


def load_paper(title: str, abstract: str):
    """Write a paper with dump_paper, then load and validate it like the build does."""
    text = dump_paper(
        {"title": title, "abstract": abstract, "topics": ["serving"], "added": dt.date(2026, 1, 2)}
    )
    record, problems = parse_mapping(text, "content/papers/prop.yml")
    assert problems == [], text
    topic = Record("content/topics.yml", frozen_map(yaml.safe_load(TOPIC_YAML)[0]), {})
    papers, _, found = validate([record], [topic])
    assert [str(p) for p in found] == []
    return papers[0]


class _Shown(HTMLParser):
    """Text of the paper's h1 and of each paragraph of its abstract."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.paragraphs: list[str] = []
        self._in: str | None = None
        self._abstract = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self._in = "h1"
        elif tag == "section" and ("class", "pc-abstract") in attrs:
            self._abstract = True
        elif tag == "p" and self._abstract:
            self._in = "p"
            self.paragraphs.append("")
        elif self._in:
            raise AssertionError(f"markup from content became an element: <{tag}>")

    def handle_endtag(self, tag):
        if tag == "section":
            self._abstract = False
        if tag in ("h1", "p"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1.append(data)
        elif self._in == "p":
            self.paragraphs[-1] += data

    def handle_comment(self, data):
        if self._in:
            raise AssertionError("an HTML comment from content became a comment")


def rendered(paper) -> tuple[dict, _Shown]:
    """Render the paper page, then Markdown -> HTML as MkDocs would."""
    catalogue = Catalogue(papers=(paper,), topics=(Topic("serving", "Serving", "Serving."),))
    with tempfile.TemporaryDirectory() as tmp:
        render.render_site(catalogue, Path(tmp))
        page = (Path(tmp) / "papers" / paper.id / "index.md").read_text(encoding="utf-8")
    _, front, body = page.split("---\n", 2)
    meta = yaml.safe_load(front)
    converted = markdown.markdown(body, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    shown = _Shown()
    shown.feed(converted)
    shown.close()
    return meta, shown


@SETTINGS
@given(title=TITLE, abstract=ABSTRACT)
def test_dump_then_load_round_trips(title, abstract):
    paper = load_paper(title, abstract)
    assert paper.title == title
    assert paper.abstract == abstract.strip()


@SETTINGS
@given(title=TITLE, abstract=ABSTRACT)
def test_page_shows_exactly_the_text(title, abstract):
    paper = load_paper(title, abstract)
    meta, shown = rendered(paper)
    assert "".join(shown.h1) == title
    assert shown.paragraphs == [line.strip() for line in abstract.split("\n") if line.strip()]
    # Material prints the front-matter title unescaped, so it must hold escaped text.
    assert html.unescape(meta["title"]) == title
