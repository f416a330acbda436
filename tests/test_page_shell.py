"""The page shell: theme icons by reference, and no nav tree on pages that hide it.
Runs on the seed site built by each renderer (the ``renderer`` fixture)."""

from __future__ import annotations

import re

from generator import icons


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
