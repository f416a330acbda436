"""Stage 6: Jinja2 templates -> Markdown pages in the staging folder.

Content is untrusted, so it only ever reaches the output as template *variables*
in an autoescaping environment: ``{{ }}`` or ``{% %}`` inside a title is text, never
template code. User text is written as escaped HTML inside raw HTML blocks, which
Python-Markdown passes through untouched, so ``*``, ``_``, ``<EOS>`` and ``|`` show
exactly as written. Front-matter values are HTML-escaped too, because Material prints
``page.meta.title`` and ``description`` without escaping.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Container, Sequence
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from generator.analysis import fieldmap
from generator.analysis.facets import Facet
from generator.analysis.topics import children, counts
from generator.catalogue.memo import Memo
from generator.catalogue.model import Catalogue, Paper, newest_first
from generator.render import browse, cite, maptiles, pagemeta, readlinks
from generator.render.forked import Forked, jobs
from generator.render.limits import DEFAULT, Limits
from generator.render.siteinfo import paper_url

RECENT = 12
# Listing pages stay out of the search index: every paper on them has its own page.
EXCLUDE = {"search": {"exclude": True}}
MAP_DESCRIPTION = "Every paper of the catalogue on one map, coloured by topic."
MAP_TITLE = "Map of the field"
# Author lists longer than this show their first AUTHORS_SHOWN names and "et al.".
MAX_AUTHORS = 6
AUTHORS_SHOWN = 3
NO_ABSTRACT = "No abstract in the catalogue yet."
# Papers from which half the paper pages are rendered in a forked child (below, the
# fork costs more than the half saves).
PARALLEL_FROM = 2000


def front_matter_value(value: object) -> Markup:
    """A YAML-safe (JSON) scalar or list, with strings HTML-escaped for Material."""

    def esc(v: object) -> object:
        if isinstance(v, Markup):  # already HTML, its values escaped (pagemeta.meta_tags)
            return str(v)
        if isinstance(v, str):
            return html.escape(v, quote=True)
        if isinstance(v, list | tuple):
            return [esc(x) for x in v]
        if isinstance(v, dict):
            return {k: esc(x) for k, x in v.items()}
        return v

    return Markup(json.dumps(esc(value), ensure_ascii=False))


def first_sentence(text: str, limit: int = 200) -> str:
    """The abstract's first sentence, for descriptions and snippets."""
    flat = " ".join(text.split())
    match = re.search(r"(?<=[a-z0-9)\]%])[.!?](?=\s+[A-Z])", flat)
    sentence = flat[: match.end()] if match else flat
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def text_content(value: str) -> Markup:
    """Escaped for an element's text: ``&``, ``<`` and ``>`` only. Quotes need escaping
    in attribute values, not in text, and the Cite box's BibTeX and CSL-JSON are full
    of them (``&#34;`` is five bytes for one)."""
    return Markup(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def byline(paper: Paper) -> dict[str, object]:
    """Authors under the title: all of a short list, else the first few and "et al."."""
    authors = list(paper.authors)
    if len(authors) <= MAX_AUTHORS:
        return {"shown": authors, "more": 0}
    return {"shown": authors[:AUTHORS_SHOWN], "more": len(authors) - AUTHORS_SHOWN}


def paper_description(paper: Paper) -> str:
    """The page description: the abstract's first sentence, else title and byline."""
    if paper.abstract.strip():
        return first_sentence(paper.abstract)
    names = list(paper.authors[:AUTHORS_SHOWN])
    text = " ".join(paper.title.split())
    if names:
        text += ", by " + ", ".join(names) + (" et al." if len(paper.authors) > len(names) else "")
    where = " ".join(str(x) for x in (paper.venue, paper.year) if x)
    text += f" ({where})." if where else "."
    return f"{text} {NO_ABSTRACT}"


def cite_formats(
    catalogue: Catalogue, paper: Paper, memo: Memo | None = None
) -> list[dict[str, str]]:
    """The paper's citation in BibTeX, RIS and CSL-JSON, for the page's Cite box."""
    args = (paper, paper_url(paper.id), catalogue.topic_names(paper), False)
    # No abstract: a citation to paste, not a record.
    return (memo or Memo()).get("cite-box", args, lambda: _cite_formats(*args))


def _cite_formats(*args) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return [
        {"id": "bibtex", "label": "BibTeX", "text": cite.paper_bibtex(*args)},
        {"id": "ris", "label": "RIS", "text": cite.paper_ris(*args)},
        {"id": "csl", "label": "CSL-JSON", "text": cite.csl_json([cite.paper_csl(*args)])},
    ]


def paper_view(
    catalogue: Catalogue, facets: dict[str, Facet], paper: Paper, memo: Memo | None = None
) -> dict[str, object]:
    """Everything ``paper.md.j2`` reads, as plain values: the template gets this and
    nothing else (StrictUndefined), so equal views make equal pages (the memo's key)."""
    description = paper_description(paper)
    related = catalogue.related.get(paper.id, ())
    versions = catalogue.versions.get(paper.id, ())
    return {
        "base": "../../",
        "p": paper,
        "description": description,
        "byline": byline(paper),
        "links": readlinks.paper_links(paper),
        "searches": [] if readlinks.has_direct(paper) else readlinks.search_links(paper.title),
        "no_abstract": NO_ABSTRACT,
        "related": related,
        "versions": versions,
        "titles": {i: catalogue.paper(i).title for i in (*versions, *(r.id for r in related))},
        "topic_names": {t: catalogue.topic(t).name for t in paper.topics},
        "author_urls": {a: facets["author"].url(a) for a in paper.authors},
        "venue_url": facets["venue"].url(paper.venue) if paper.venue else "",
        "year_url": facets["year"].url(str(paper.year)) if paper.year else "",
        "cite": cite_formats(catalogue, paper, memo),
        "head": pagemeta.paper_head(catalogue, paper, description),
    }


@functools.cache  # one per process: templates compiled once, for every build of a serve session
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fm"] = front_matter_value
    env.filters["first_sentence"] = first_sentence
    env.filters["paragraphs"] = paragraphs
    env.filters["text"] = text_content
    return env


def home_description(catalogue: Catalogue) -> str:
    n, t = len(catalogue.papers), len(catalogue.topics)
    return f"A catalogue of {n} research papers in {t} topics, with related papers and search."


def _recent(catalogue: Catalogue) -> list[Paper]:
    return newest_first(catalogue.papers)[:RECENT]


def _from_view(template: Template, view: dict[str, object]) -> str:
    """A page from its view alone (a paper page, or a topic's or facet value's listing)."""
    return template.render(**view, topic_name=view["topic_names"].__getitem__)  # type: ignore[attr-defined]


def _paper_texts(
    catalogue: Catalogue, facets: dict[str, Facet], memo: Memo, env: Environment,
    papers: Sequence[Paper],
) -> list[str]:  # fmt: skip
    template = env.get_template("paper.md.j2")
    texts = []
    for paper in papers:
        view = paper_view(catalogue, facets, paper, memo)
        texts.append(memo.get("paper-page", view, lambda v=view: _from_view(template, v)))
    return texts


class _PaperPages:
    """The paper pages' texts, in catalogue order. From ``PARALLEL_FROM`` papers the
    second half is rendered in a forked child on the other core (forked.py), started
    at once, while the parent goes on with the listing pages and then its own half;
    the child's memo entries come back with its pages."""

    def __init__(
        self, catalogue: Catalogue, facets: dict[str, Facet], memo: Memo, env: Environment,
        papers: Sequence[Paper],
    ) -> None:  # fmt: skip
        self._memo = memo
        many = len(papers) >= PARALLEL_FROM and jobs() > 1
        cut = len(papers) // 2 if many else len(papers)
        self._mine = lambda: _paper_texts(catalogue, facets, memo, env, papers[:cut])
        theirs = lambda: _paper_texts(catalogue, facets, memo, env, papers[cut:])  # noqa: E731
        self._child = Forked(lambda: memo.apart(theirs)) if many else None

    def texts(self) -> list[str]:
        texts = self._mine()
        if self._child:
            theirs, part = self._child.result()
            self._memo.merge(part)
            texts += theirs
        return texts

    def cancel(self) -> None:
        """Stop the child (the parent failed and will not collect its pages)."""
        if self._child:
            self._child.cancel()


def render_site(
    catalogue: Catalogue,
    out: Path,
    memo: Memo | None = None,
    field_map: fieldmap.FieldMap | None = None,
    limits: Limits = DEFAULT,
) -> None:
    """Write every page of the site as Markdown into ``out`` (see ``render_pages``)."""
    for rel, text in render_pages(catalogue, memo, field_map, limits).items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def render_pages(
    catalogue: Catalogue,
    memo: Memo | None = None,
    field_map: fieldmap.FieldMap | Callable[[], fieldmap.FieldMap] | None = None,
    limits: Limits = DEFAULT,
    *,
    only: Container[str] | None = None,
    facets: dict[str, Facet] | None = None,
) -> dict[str, str]:
    """Every page of the site as Markdown, by path relative to ``docs/``, with the data
    files the pages load (``all-papers.json``, the map's files). Paper pages
    whose inputs are unchanged come from ``memo``; ``field_map`` is the map if already
    made, or a function that returns it, called for the map page, which comes last (the
    build's waits for the forked child that makes it, so the other pages are rendered
    meanwhile). ``limits`` says when a long page is split. Kept in memory: the build
    compares them with ``docs/`` and writes only the changed ones (creating 10,000 files
    in a staging folder took seconds).

    With ``only``, just the files whose paths are ``in`` it (``papercat serve``'s fast
    pass, render/affected.py); ``facets``: the catalogue's, if already known."""
    env = environment()
    memo = memo or Memo()
    topic_counts = counts(catalogue.topics, catalogue.papers)
    subtopics = children(catalogue.topics)
    common = {
        "catalogue": catalogue,
        "topic_counts": topic_counts,
        "subtopics": subtopics,
        "topic_name": lambda tid: catalogue.topic(tid).name,
        "paper": catalogue.paper,
    }
    pages: dict[str, str] = {}

    def wanted(rel: str) -> bool:
        return only is None or rel in only

    def wanted_md(rel: str) -> bool:  # a page by its path before page_path
        return wanted(page_path(rel) if rel.endswith(".md") else rel)

    def emit(rel: str, text: str) -> None:
        if wanted(rel):
            pages[rel] = text

    def write(rel: str, template: str, **context: object) -> None:
        if wanted(page_path(rel)):
            emit(page_path(rel), env.get_template(template).render(**common, **context))

    def listing(rel: str, template: str, more_topics: Sequence[str] = (), **view: object) -> None:
        """A topic's or a facet value's page, rendered from ``view`` and the names of the
        topics it shows (its papers', and ``more_topics``), nothing else
        (StrictUndefined): equal views make equal pages, so after an edit only the
        pages that show the edited papers are rendered again."""
        if not wanted(page_path(rel)):
            return
        shown = {t for entry in view["papers"] for t in entry.topics}  # type: ignore[attr-defined]
        shown.update(more_topics)
        # Sorted: a set's order changes between processes, and the key must not.
        view["topic_names"] = {t: catalogue.topic(t).name for t in sorted(shown)}
        emit(
            page_path(rel),
            memo.get("listing", (template, view), lambda: _listing(env, template, view)),
        )

    facets = browse.write_pages(catalogue, write, emit, listing, limits, facets, wanted_md)
    common["facets"] = facets
    papers = [p for p in catalogue.papers if wanted(page_path(f"papers/{p.id}.md"))]
    paper_pages = _PaperPages(catalogue, facets, memo, env, papers)
    try:
        _listing_pages(catalogue, write, listing, topic_counts, subtopics,
                       limits.listing_page, wanted_md)  # fmt: skip
        texts = paper_pages.texts()
    except BaseException:
        paper_pages.cancel()
        raise
    for paper, text in zip(papers, texts, strict=True):
        emit(page_path(f"papers/{paper.id}.md"), text)
    for name, text in sorted(catalogue.pages.items()):
        if name != "home":
            source = catalogue.page_sources.get(name)
            emit(f"{name}.md", with_source(text, source))
    if not wanted("map/index.md"):
        return pages
    made = field_map() if callable(field_map) else field_map
    points, legend = made or fieldmap.field_map(catalogue)
    topic_ids = [t.id for t in catalogue.topics]
    data = maptiles.map_data(points, topic_ids, limits.map_file)
    pages.update(data.files)
    write("map.md", "map.md.j2", base="../", data=data, folder=maptiles.FOLDER,
          topic_ids=topic_ids, legend=legend, title=MAP_TITLE,
          head=pagemeta.listing_head(MAP_TITLE, MAP_DESCRIPTION))  # fmt: skip
    return pages


def _listing(env: Environment, template: str, view: dict[str, object]) -> str:
    return _from_view(env.get_template(template), view)


def _listing_pages(
    catalogue: Catalogue, write: Callable[..., None], listing: Callable[..., None],
    topic_counts: dict[str, int], subtopics: dict[str, tuple[str, ...]], per_page: int,
    wanted: Callable[[str], bool],
) -> None:  # fmt: skip
    """The home page, the topics page and each topic's pages (``per_page`` papers each;
    those ``wanted``)."""
    if wanted("index.md"):
        write("index.md", "home.md.j2", base="", recent=_recent(catalogue),
              intro=catalogue.pages.get("home", ""), description=home_description(catalogue),
              source=catalogue.page_sources.get("home", catalogue.topics_source),
              head=pagemeta.listing_head("papercat", home_description(catalogue)))  # fmt: skip
    write("topics/index.md", "topics.md.j2", base="../", meta=dict(EXCLUDE))
    for topic in catalogue.topics:
        count = topic_counts[topic.id]
        if not browse.wanted_listing(f"topics/{topic.id}", count, per_page, wanted):
            continue
        papers = sorted(catalogue.papers_in(topic.id), key=lambda p: (p.title.lower(), p.id))
        feed = [f"papercat: {topic.name}", f"topics/{topic.id}/feed.xml"]
        chart = fieldmap.topic_chart(papers)
        subs = tuple((sub, topic_counts[sub]) for sub in subtopics.get(topic.id, ()))
        parent = (topic.parent,) if topic.parent else ()
        for pager, shown in browse.paginate(papers, per_page):
            head = pagemeta.listing_head(pager.title(topic.name), topic.description, [feed])
            listing(pager.markdown(f"topics/{topic.id}"), "topic.md.j2", base="../../" + pager.up,
                    topic=topic, papers=browse.entries(shown), pager=pager, chart=chart,
                    head=head, source=catalogue.topics_source, subs=subs,
                    more_topics=parent + tuple(sub for sub, _ in subs))  # fmt: skip


def page_path(rel: str) -> str:
    """Where a generated page goes: ``papers/x.md`` -> ``papers/x/index.md``.

    Raw HTML links in a page are written relative to its URL (``/papers/x/``).
    MkDocs leaves them alone; Zensical rebases them as if they were relative to the
    Markdown file. With every generated page an ``index.md`` in its URL's folder, the
    two readings are the same, so both renderers produce the same working links.
    """
    if rel == "index.md" or rel.endswith("/index.md"):
        return rel
    return rel.removesuffix(".md") + "/index.md"


def with_source(text: str, source: str | None) -> str:
    """Add ``source:`` to a hand-written page's front matter (for "Edit this page")."""
    if not source:
        return text
    line = f"source: {front_matter_value(source)}\n"
    if text.startswith("---\n"):
        return "---\n" + line + text[4:]
    return f"---\n{line}---\n\n{text}"
