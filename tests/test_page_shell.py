"""The page shell: theme icons by reference, and no nav tree on pages that hide it.
Runs on the seed site built by each renderer (the ``renderer`` fixture)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import yaml

from generator.render import icons
from generator.render.pages import paragraphs
from tests.conftest import ROOT


def test_each_shadowed_icon_keeps_the_theme_icons_viewbox():
    shadows = icons.shadowed()
    assert "material/menu.svg" in shadows
    for rel in shadows:
        shadow = (icons.SHADOWS / rel).read_text(encoding="utf-8")
        original = (icons.THEME_ICONS / rel).read_text(encoding="utf-8")
        assert "<path" not in shadow, rel
        assert icons.viewbox(shadow) == icons.viewbox(original), rel
        name = rel.removesuffix(".svg").replace("/", "-")
        assert f'class="pc-i pc-i--{name}"' in shadow, rel


def test_icon_files_give_every_shadowed_icon_a_file_and_a_rule():
    files = icons.icon_files()
    css = files[icons.CSS].decode()
    for rel in icons.shadowed():
        assert files[f"assets/images/icons/{rel}"].startswith(b"<svg"), rel
        name = rel.removesuffix(".svg").replace("/", "-")
        assert f".pc-i--{name}{{--pc-i:url(../images/icons/{rel})}}" in css


def test_paper_pages_inline_no_icon_and_no_nav_tree(seed_site):
    pages = sorted((seed_site / "papers").glob("*/index.html"))
    assert len(pages) == 189
    css = (seed_site / icons.CSS).read_text(encoding="utf-8")
    for page in pages[:20]:
        html = page.read_text(encoding="utf-8")
        assert "<path" not in html, page  # every icon is a reference
        used = re.findall(r'class="pc-i pc-i--([a-z-]+)"', html)
        assert len(used) >= 5, page
        assert all(f".pc-i--{name}{{" in css for name in used), page
        nav = html[
            html.index("md-nav--primary") : html.index("</nav>", html.index("md-nav--primary"))
        ]
        links = re.findall(r'class="md-nav__link"', nav)
        assert len(links) == 6, page  # the top-level sections, nothing nested
        assert "md-sidebar--secondary" not in html  # no empty table of contents


def test_pages_that_show_the_nav_keep_the_theme_nav(seed_site):
    html = (seed_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "md-sidebar--secondary" in html
    assert 'data-md-component="logo"' in html[html.index("md-nav--primary") :]


class _Abstract(HTMLParser):
    """Text of the page's title and of each paragraph of its abstract section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.paragraphs: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "h1" and "pc-paper__title" in classes:
            self._in = "title"
        elif tag == "section" and "pc-abstract" in classes:
            self._in = "abstract"
        elif tag == "p" and self._in == "abstract":
            self.paragraphs.append([])
            self._in = "paragraph"

    def handle_endtag(self, tag: str) -> None:
        if (tag, self._in) in {("h1", "title"), ("section", "abstract")}:
            self._in = None
        elif (tag, self._in) == ("p", "paragraph"):
            self._in = "abstract"

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
        elif self._in == "paragraph":
            self.paragraphs[-1].append(data)


def test_every_seed_paper_is_rendered_faithfully(seed_site):
    """Title and abstract of all 189 seed papers, character for character, on both."""
    sources = sorted((ROOT / "content" / "papers").glob("*.yml"))
    assert len(sources) == 189
    for source in sources:
        paper = yaml.safe_load(source.read_text(encoding="utf-8"))
        page = _Abstract()
        page.feed((seed_site / "papers" / source.stem / "index.html").read_text(encoding="utf-8"))
        assert "".join(page.title) == paper["title"], source.name
        shown = ["".join(p) for p in page.paragraphs]
        assert shown == paragraphs(paper.get("abstract") or ""), source.name


def test_pages_carry_no_template_indentation(seed_site):
    """generator/site/htmlsqueeze.py ran on every page of both renderers: outside ``pre``,
    ``script`` and ``style`` no line of HTML starts with indentation."""
    for page in [seed_site / "index.html", *sorted(seed_site.glob("*/**/index.html"))[:40]]:
        html = re.sub(
            r"<(pre|script|style|textarea)\b.*?</\1>",
            "",
            page.read_text(encoding="utf-8"),
            flags=re.S,
        )
        assert not re.search(r">\s*\n[ \t]+\S", html), page


def test_topics_once_and_no_theme_search(seed_site):
    """Issue 11: a paper's topics show once (no theme tag list from front matter), and
    neither theme builds its own search (one search box: ours)."""
    for paper in ("adamoe", "distserve", "megascale"):
        html = (seed_site / "papers" / paper / "index.html").read_text(encoding="utf-8")
        assert html.count('class="pc-topics"') == 1, paper
        assert "md-tag" not in html, paper  # Material's and Zensical's tag lists
        assert 'data-md-component="search"' not in html, paper
    assert not (seed_site / "search" / "search_index.json").exists()  # Material's
    zensical = seed_site / "search.json"  # Zensical writes one with search off: empty
    assert not zensical.exists() or json.loads(zensical.read_text())["items"] == []


def test_theme_config_holds_only_what_the_site_reads(seed_site, renderer):
    """Material's __config without its search worker and search translations (its
    search is off): the bundle reads the base, the features and the clipboard texts."""
    html = (seed_site / "papers" / "ai-memory-wall" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html)
    config = json.loads(found.group(1))
    assert config["base"] == "../.." and "navigation.instant" in config["features"]
    expected = {"clipboard.copy": "Copy to clipboard", "clipboard.copied": "Copied to clipboard"}
    if renderer == "zensical":
        expected["clipboard.error"] = "Could not copy to clipboard"
    assert config == {"base": "../..", "features": config["features"], "translations": expected}
