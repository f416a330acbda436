"""The internal link checker: every href/src and #anchor of a built site resolves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site import linkcheck
from generator.site.linkcheck import Broken, check_site

PAGE = '<!doctype html><html><body id="top">{}</body></html>'


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(body), encoding="utf-8")


def tiny_site(site: Path) -> None:
    write(site, "index.html", (
        '<a href="papers/a/">ok</a> <a href="papers/a/#abstract">ok anchor</a>'
        '<a href="papers/missing/">missing page</a> <a href="papers/a/#nope">missing anchor</a>'
        '<a href="#top">self</a> <a href="#gone">self missing</a> <a href="">empty</a>'
        '<a href="https://example.org/x">external</a> <a href="mailto:a@b.c">mail</a>'
        '<a href="//cdn.example/x.js">protocol relative</a> <a href="search/?q=x#r">query</a>'
        '<img src="assets/logo.png"> <img src="assets/missing.png">'
        '<a href="../../etc/passwd">escape</a> <a href="/site/papers/a/">absolute</a>'
        '<a href="/other/papers/a/">other base</a>'
        '<a href="papers/a/index.html#sec%20two">encoded</a>'
    ))  # fmt: skip
    write(site, "papers/a/index.html", '<h2 id="abstract">A</h2><a name="sec two"></a>')
    write(site, "search/index.html", '<div id="r"></div>')
    (site / "assets").mkdir()
    (site / "assets" / "logo.png").write_bytes(b"png")
    (site / "sitemap.xml").write_text(
        "<urlset><url><loc>https://example.org/site/</loc></url></urlset>", encoding="utf-8"
    )


def test_finds_each_kind_of_broken_link(tmp_path):
    tiny_site(tmp_path)
    assert check_site(tmp_path) == [
        Broken("index.html", "#gone", "no such anchor"),
        Broken("index.html", "../../etc/passwd", "outside the site"),
        Broken("index.html", "/other/papers/a/", "outside the site"),
        Broken("index.html", "assets/missing.png", "no such file"),
        Broken("index.html", "papers/a/#nope", "no such anchor"),
        Broken("index.html", "papers/missing/", "no such file"),
    ]


def test_parsing_on_every_core_finds_the_same(tmp_path, monkeypatch):
    """A full build's site is parsed by forked workers; they find what one process does."""
    tiny_site(tmp_path)
    for n in range(40):
        write(tmp_path, f"papers/p{n}/index.html", f'<a href="../p{n + 1}/">next</a>')
    alone = check_site(tmp_path)
    monkeypatch.setattr(linkcheck, "PARALLEL_FROM", 2)
    monkeypatch.setattr(linkcheck.os, "cpu_count", lambda: 3)
    assert check_site(tmp_path) == alone
    assert Broken("papers/p39/index.html", "../p40/", "no such file") in alone


def test_command_lists_broken_links_and_exits_1(tmp_path):
    tiny_site(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator.site.linkcheck", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "index.html: broken link -> papers/missing/" in result.stdout.splitlines()
    assert result.stderr.strip() == "6 broken links on 1 of 3 pages"


def test_clean_site_exits_0(tmp_path):
    write(tmp_path, "index.html", '<a href="#top">top</a>')
    assert check_site(tmp_path) == []
    result = subprocess.run(
        [sys.executable, "-m", "generator.site.linkcheck", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def test_seed_site_has_no_broken_links(seed_site):
    assert [str(b) for b in check_site(seed_site)] == []


LINK_PARTS = st.sampled_from(
    ["../", "./", "..", ".", "papers/", "x", "a.b", "-y_", "/", "#f", "?q=1", "%20", "~"]
)


@settings(max_examples=300, deadline=None)
@given(
    link=st.lists(LINK_PARTS, min_size=1, max_size=8).map("".join),
    folder=st.sampled_from(["/papercat/", "/papercat/papers/x/", "/papercat/a/b/c/", "/"]),
)
def test_fast_resolution_equals_urljoin(link, folder):
    """``resolve``'s shortcut for climbing links gives what urljoin's rules give."""
    here = folder + "index.html"
    expected = linkcheck._resolve(here if link[0] in "#?" else folder, link, "/papercat/")
    assert linkcheck.resolve(here, folder, link, "/papercat/") == expected


def test_links_shared_between_pages_are_resolved_for_each_page(tmp_path):
    """Entries kept for the links every page at a depth has ("../../x/") are only those
    that lead to the same place from every page at that depth."""
    links = ["../../x/", "../../x/#f", "../y/", "../../../z/", "#top", "z/", "./w", "/site/v/"]
    body = "".join(f'<a href="{link}">l</a>' for link in links)
    rels = ["a/b/index.html", "c/d/index.html", "index.html", "a/index.html", "a/b/c/index.html"]
    for rel in rels:
        write(tmp_path, rel, body)
    stat = (0, 0, 0)

    def scan_alone(rel):
        linkcheck._SHARED.clear()
        return linkcheck._scan(tmp_path, tmp_path / rel, "/site/", stat)

    alone = {rel: scan_alone(rel) for rel in rels}
    linkcheck._SHARED.clear()
    shared = {rel: linkcheck._scan(tmp_path, tmp_path / rel, "/site/", stat) for rel in rels * 2}
    assert shared == alone
    assert ("../y/", "a/y/", "") in alone["a/b/index.html"].links
    assert ("../y/", "c/y/", "") in alone["c/d/index.html"].links
    assert ("../../x/", "x/", "") in alone["c/d/index.html"].links
    assert ("../../x/", "a/x/", "") in alone["a/b/c/index.html"].links
    assert ("/site/", 2, "../y/") not in linkcheck._SHARED  # depends on the folder
    assert linkcheck._SHARED[("/site/", 2, "../../x/")] == ("../../x/", "x/", "")
