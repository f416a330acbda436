"""Valid content full of markup reaches the built site as text, never as markup.

The catalogue is tests/fixtures/hostile/base plus tests/fixtures/hostile/inert (and a
paper file written with a BOM and CRLF line endings). Every HTML page of the built site
is parsed: no script we did not ship, no event-handler attribute, no javascript:,
vbscript: or data: URL, no frames. The hostile text itself must appear exactly as
written, and Chromium must not open a single dialog while reading or searching.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml
from conftest import build_site, serve
from hostile import HOSTILE, copy_content

from generator.site.linkcheck import check_site

URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
CAPTURED = ("pc-paper__title", "pc-abstract", "pc-card__name", "pc-authors", "pc-venue")
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "marquee", "applet"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
BOM_CRLF = (
    "\ufeff# Written on Windows: a byte-order mark and CRLF line endings.\r\n"
    "title: Windows line endings\r\nabstract: >-\r\n  First line\r\n  continues here.\r\n"
    "topics: [serving]\r\nadded: 2026-11-28\r\n"
)


class _Page(HTMLParser):
    """Collects what an attacker would need: elements, attributes, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self._script: list[str] | None = None
        self._capture: list[list] = []  # [name, tag, depth of nested same tags, text parts]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> handler")
            cleaned = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRS and BAD_SCHEME.match(cleaned):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kinds = dict(attrs)
            src = kinds.get("src") or ""
            # Our own assets only (Zensical writes "./assets/..." on the home page).
            if src and not re.match(r"^(\./)?(\.\./)*(/papercat/)?assets/", src):
                self.problems.append(f"script from {src!r}")
            self._script = []
        for entry in self._capture:
            entry[2] += entry[1] == tag
        classes = (dict(attrs).get("class") or "").split()
        names = [key for key in CAPTURED if key in classes]
        names += [tag] if tag in ("h1", "title") else []
        if tag == "p" and any(entry[0] == "pc-abstract" for entry in self._capture):
            names.append("abstract-p")
        self._capture += [[name, tag, 0, []] for name in names]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if "alert(" in "".join(self._script):
                self.problems.append("inline script with content from the catalogue")
            self._script = None
        for entry in reversed(self._capture):
            if entry[1] != tag:
                continue
            if entry[2]:
                entry[2] -= 1
            else:
                self._capture.remove(entry)
                self.texts.setdefault(entry[0], []).append("".join(entry[3]))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        for entry in self._capture:
            entry[3].append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _paper(name: str) -> dict:
    return yaml.safe_load((HOSTILE / "inert" / "papers" / f"{name}.yml").read_text("utf-8"))


HOSTILE_TOPIC = yaml.safe_load((HOSTILE / "inert" / "topics-extra.yml").read_text("utf-8"))[0]


@pytest.fixture(scope="module")
def inert_site(tmp_path_factory, renderer) -> Path:
    """The inert catalogue rendered by each renderer."""
    work = tmp_path_factory.mktemp(f"inert-{renderer}")
    content = copy_content(work, "inert")
    (content / "papers" / "windows-file.yml").write_bytes(BOM_CRLF.encode("utf-8"))
    return build_site(content, work, renderer)


def test_no_active_markup_anywhere(inert_site):
    pages = sorted(inert_site.rglob("*.html"))
    assert len(pages) >= 10
    problems = {p.relative_to(inert_site).as_posix(): parse(p).problems for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("name", ["script-title", "markdown-injection", "template-injection"])
def test_paper_text_is_shown_as_written(inert_site, name):
    paper = _paper(name)
    page = parse(inert_site / "papers" / name / "index.html")
    assert page.texts["h1"] == [paper["title"]]
    assert page.texts["title"] == [f"{paper['title']} - papercat"]
    lines = [line.strip() for line in paper["abstract"].split("\n") if line.strip()]
    assert page.texts["abstract-p"] == lines


def test_author_venue_and_topic_text(inert_site):
    paper = _paper("script-title")
    page = parse(inert_site / "papers" / "script-title" / "index.html")
    assert page.texts["pc-authors"] == [", ".join(paper["authors"])]
    assert page.texts["pc-venue"] == [paper["venue"]]
    topic = parse(inert_site / "topics" / "hostile-topic" / "index.html")
    assert topic.texts["h1"] == [HOSTILE_TOPIC["name"]]
    home = parse(inert_site / "index.html")
    assert HOSTILE_TOPIC["name"] in home.texts["pc-card__name"]


def test_templates_in_content_are_not_evaluated(inert_site):
    html = (inert_site / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in html and "{% if true %}shown{% endif %}" in html
    for path in inert_site.rglob("*.html"):
        assert ">49<" not in path.read_text(encoding="utf-8"), path


def test_bom_and_crlf_are_tolerated(inert_site):
    page = parse(inert_site / "papers" / "windows-file" / "index.html")
    assert page.texts["h1"] == ["Windows line endings"]
    assert page.texts["abstract-p"] == ["First line continues here."]


def test_link_targets_stay_attribute_values(inert_site):
    paper = _paper("quoted-link")
    page = (inert_site / "papers" / "quoted-link" / "index.html").read_text(encoding="utf-8")
    hrefs = [html.unescape(h) for h in re.findall(r'class="md-button" href="([^"]*)"', page)]
    assert paper["links"]["code"] in hrefs
    # The DOI is path-encoded: its quote and brackets stay inside the address, encoded.
    doi = f"https://doi.org/{quote(paper['doi'], safe='/:;()')}"
    assert doi in hrefs and unquote(doi) == f"https://doi.org/{paper['doi']}"
    assert not any(c in doi for c in '"<> ')


def test_links_resolve(inert_site):
    assert [str(b) for b in check_site(inert_site)] == []


def test_exports_keep_text_as_data(inert_site):
    data = json.loads((inert_site / "papers.json").read_text(encoding="utf-8"))
    titles = {p["id"]: p["title"] for p in data["papers"]}
    assert titles["script-title"] == _paper("script-title")["title"]


@pytest.mark.e2e
def test_browser_shows_text_and_opens_no_dialog(browser, inert_site):
    url, server = serve(inert_site)
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for name in ("script-title", "markdown-injection", "template-injection"):
            page.goto(f"{url}papers/{name}/")
            assert page.locator("h1").first.inner_text() == _paper(name)["title"]
        page.goto(f"{url}topics/hostile-topic/")
        assert page.locator("h1").first.inner_text() == HOSTILE_TOPIC["name"]
        # The map's titles come from its data files: shown as text in its list of the
        # papers in view (a catalogue this small is listed at once) and in its tip.
        page.goto(f"{url}map/")
        listed = page.locator(".pc-map__list a")
        listed.first.wait_for()
        assert _paper("script-title")["title"] in listed.all_inner_texts()
        page.goto(url)
        searched = False
        box = page.locator("input.md-search__input")
        if box.count():  # Material's header search
            page.keyboard.press("/")
            box.fill("alert")
            page.wait_for_timeout(1500)  # let results render; the dialog would fire now
            searched = True
        if (inert_site / "search" / "index.html").exists():  # our search results page
            page.goto(f"{url}search/?q=alert")
            page.wait_for_load_state("networkidle")
            searched = True
        assert searched, "no search box and no search page to try"
        assert dialogs == []
    finally:
        context.close()
        server.shutdown()
