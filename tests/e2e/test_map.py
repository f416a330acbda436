"""The Map in Chromium, on both renderers, at desktop and phone width: it draws the
whole field on a canvas from its first data files, loads more files as it zooms in,
and leads to papers (a dot selected with the mouse or a finger, the list of papers in
view); without JavaScript the page still leads to the topics.

Most tests run on conftest's ``large_site`` (900 synthetic papers, map files of 40),
where the map comes in many files; the seed site's map is one file.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import LARGE_PAPERS, serve
from tests.e2e.test_a11y import violations

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PAD = 0.016  # papercat-map.js: PAD, of the canvas width
STATUS = ".pc-map__status"


@pytest.fixture(scope="module")
def large_url(large_site):
    url, server = serve(large_site)
    yield url
    server.shutdown()


FETCHED: dict[object, list[str]] = {}  # page -> URLs of the map files it fetched


@pytest.fixture(params=["desktop", "phone"])
def view(request, browser):
    """A page at desktop or phone width (the phone with touch, at twice the pixels),
    recording which map files it fetches (``files``), with no error on the page."""
    phone = request.param == "phone"
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, has_touch=phone,
                                  is_mobile=phone, device_scale_factor=2 if phone else 1)  # fmt: skip
    page = context.new_page()
    FETCHED[page] = []
    page.on("request", lambda r: "/assets/map/" in r.url and FETCHED[page].append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    del FETCHED[page]
    assert not errors, f"JavaScript errors on the page: {errors}"


def files(page) -> set[str]:
    return set(FETCHED[page])


def is_phone(page) -> bool:
    return page.viewport_size["width"] == PHONE["width"]


def settle(page) -> None:
    """Wait until the map has drawn after the last input and loaded what it asked for."""
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_function(
        "document.querySelector('.pc-map__canvas').getAttribute('aria-busy') === 'false'"
    )


def painted(page) -> int:
    """How many of the canvas's pixels are drawn on."""
    return page.evaluate(
        """() => { const c = document.querySelector('.pc-map__canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
    )


def first_file(site, page) -> dict:
    """The map's first file (the whole field), as the page names it."""
    name = page.locator(".pc-mapview").get_attribute("data-files").split()[0]
    return json.loads((site / "assets" / "map" / f"{name}.json").read_text(encoding="utf-8"))


def on_screen(page, x: int, y: int) -> tuple[float, float]:
    """Where a point of the map (integer coordinates of the files) is on the page, with
    the whole map in view."""
    left, top, w, h = page.evaluate(
        """() => { const c = document.querySelector('.pc-map__canvas'), r = c.getBoundingClientRect();
                   return [r.left + c.clientLeft, r.top + c.clientTop, c.clientWidth, c.clientHeight]; }"""
    )
    pad = w * PAD
    return left + pad + x / 10000 * (w - 2 * pad), top + pad + y / 10000 * (h - 2 * pad)


def alone(data: dict, page, room: float) -> int:
    """A paper of ``data`` with no other within ``room`` pixels on screen, away from the
    map's edges (zooming in about a paper at an edge pushes it out of view: the view
    stays on the map)."""
    spots = [on_screen(page, x, y) for x, y in zip(data["x"], data["y"], strict=True)]
    for k, (x, y) in enumerate(spots):
        if not (1500 < data["x"][k] < 8500 and 1500 < data["y"][k] < 8500):
            continue
        if all(j == k or math.dist((x, y), other) > room for j, other in enumerate(spots)):
            return k
    raise AssertionError("no paper stands alone on the map")


def open_map(page, url: str) -> None:
    page.goto(url + "map/")
    page.locator(".pc-mapview.pc-map--ready").wait_for()
    settle(page)


def test_the_map_draws_the_whole_field_from_its_first_files(view, large_url, large_site):
    open_map(view, large_url)
    expect(view.locator(STATUS)).to_have_text(
        re.compile(rf"^Showing a sample of [\d,]+ papers here, out of {LARGE_PAPERS}: zoom in")
    )
    assert painted(view) > 2000
    every = len(list((large_site / "assets" / "map").glob("*.json")))
    fetched = files(view)
    assert re.search(r"/assets/map/r\.[0-9a-f]{10}\.json$", sorted(fetched)[0])
    # A phone draws the first file alone; a wide screen a few levels, never all.
    assert (len(fetched) == 1) if is_phone(view) else (1 < len(fetched) < every)
    assert view.evaluate("document.documentElement.scrollWidth") <= view.viewport_size["width"]
    assert violations(view) == []


def test_zooming_in_loads_files_and_lists_the_papers_in_view(view, large_url, large_site):
    """Zoom in on one paper: more files load, until few enough papers are in view to be
    listed; the list's links lead to the papers."""
    open_map(view, large_url)
    data = first_file(large_site, view)
    k = alone(data, view, 12)
    x, y = on_screen(view, data["x"][k], data["y"][k])
    before = len(files(view))
    listed = view.locator(".pc-map__list")
    view.mouse.move(x, y)
    for _ in range(16):
        view.mouse.wheel(0, -300)  # zooms in about the pointer, which stays on the paper
        settle(view)
        if listed.is_visible():
            break
    assert len(files(view)) > before
    expect(view.locator(STATUS)).to_have_text(re.compile(r"^\d+ papers? in view, listed below\.$"))
    link = listed.get_by_role("link", name=data["title"][k], exact=True)
    expect(link).to_have_attribute("href", f"../papers/{data['id'][k]}/")
    assert violations(view) == []
    link.click()
    view.wait_for_url(re.compile(rf"/papers/{data['id'][k]}/$"))
    expect(view.locator("h1").first).to_have_text(data["title"][k])


def test_a_dot_opens_its_paper(view, large_url, large_site):
    """The mouse shows a dot's title and a click opens it; a finger's tap opens it."""
    open_map(view, large_url)
    data = first_file(large_site, view)
    # Room for a fingertip (18 px) between papers of the first file, which is all a
    # phone draws; the mouse then checks what it points at by its title.
    k = alone(data, view, 40 if is_phone(view) else 12)
    x, y = on_screen(view, data["x"][k], data["y"][k])
    if is_phone(view):
        view.touchscreen.tap(x, y)
        title = data["title"][k]
    else:
        view.mouse.move(x, y)
        tip = view.locator(".pc-map__tip")
        expect(tip).to_be_visible()
        title = tip.inner_text()
        view.mouse.click(x, y)
    view.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
    expect(view.locator("h1").first).to_have_text(title)


def test_keys_and_buttons_move_and_zoom_the_map(view, large_url):
    open_map(view, large_url)
    drawn = view.locator(STATUS).inner_text()
    fetched = len(files(view))
    view.get_by_role("button", name="Zoom in").click()
    view.get_by_role("button", name="Zoom in").click()
    settle(view)
    assert len(files(view)) > fetched and view.locator(STATUS).inner_text() != drawn
    view.locator(".pc-map__canvas").focus()
    picture = view.locator(".pc-map__canvas").screenshot()
    view.keyboard.press("ArrowRight")
    settle(view)
    assert view.locator(".pc-map__canvas").screenshot() != picture
    view.keyboard.press("0")  # the whole map again
    settle(view)
    expect(view.locator(STATUS)).to_have_text(drawn)


def test_highlighting_fades_the_other_papers(page, site_url):
    """On the seed map (one file: every paper drawn): a legend colour or a topic
    highlights its papers, and switching it off draws the map as before."""
    open_map(page, site_url)
    expect(page.locator(STATUS)).to_have_text(
        "189 papers in view (all of them): zoom in to list them below the map."
    )
    canvas = page.locator(".pc-map__canvas")
    plain = canvas.screenshot()
    toggle = page.locator(".pc-legend__toggle").first
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    settle(page)
    assert canvas.screenshot() != plain
    toggle.click()
    page.locator(".pc-map__topic").select_option("mixture-of-experts")
    settle(page)
    assert canvas.screenshot() != plain
    page.locator(".pc-map__topic").select_option("")
    settle(page)
    assert canvas.screenshot() == plain


def test_instant_navigation_loads_the_map(page, site_url):
    page.goto(site_url)
    page.locator(".pc-counts a", has_text="Map").click()
    page.wait_for_url(re.compile(r"/map/$"))
    expect(page.locator(STATUS)).to_have_text(re.compile(r"^189 papers in view"))
    assert painted(page) > 500


def test_without_javascript_the_legend_leads_to_the_topics(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "map/")
    expect(page.locator(".pc-map__noscript")).to_be_visible()
    expect(page.locator(STATUS)).not_to_be_visible()  # its space is kept, its text hidden
    legend = page.locator(".pc-legend a")
    assert legend.count() == 11 and legend.last.inner_text() == "Other topics"
    legend.first.click()
    page.wait_for_url(re.compile(r"/topics/[a-z0-9-]+/$"))
    assert page.locator(".pc-item").count() > 0
    context.close()
