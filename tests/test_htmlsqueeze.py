"""htmlsqueeze: indentation between tags goes, nothing a reader or a parser sees changes."""

from __future__ import annotations

import re

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.site.htmlsqueeze import squeeze, squeeze_file


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b"<ul>\n    <li>a</li>\n    <li>b</li>\n</ul>", b"<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        (b"<p>\n      Hello\n   world\n  </p>", b"<p>\nHello\nworld\n</p>"),
        # Spaces without a line break are left: they may be the only space between words.
        (b"<a>x</a> <a>y</a>", b"<a>x</a> <a>y</a>"),
        (
            b"<pre>\n  keep\n    this\n</pre>\n\n  <p>x</p>",
            b"<pre>\n  keep\n    this\n</pre>\n<p>x</p>",
        ),
        (b"<textarea>\n  a\n</textarea>", b"<textarea>\n  a\n</textarea>"),
        (
            b"<script>\n  if (a < b) {\n    x()\n  }\n</script>",
            b"<script>\n  if (a < b) {\n    x()\n  }\n</script>",
        ),
        (b"<style>\n  a > b { x: y }\n</style>", b"<style>\n  a > b { x: y }\n</style>"),
        # Attribute values keep every character, '>' and line breaks included.
        (b'<a title="a >\n    b">\n  t\n</a>', b'<a title="a >\n    b">\nt\n</a>'),
        (b"<a title='\n  x'>\n  t</a>", b"<a title='\n  x'>\nt</a>"),
        (b"<!-- a\n    b -->\n   <p>", b"<!-- a\n    b -->\n<p>"),
    ],
)
def test_squeeze(html: bytes, expected: bytes) -> None:
    assert squeeze(html) == expected


def _words(html: bytes) -> str:
    return re.sub(r"\s+", " ", lxml.html.fromstring(html).text_content()).strip()


WORD = st.text(alphabet="abc <>&\"'\n\t ", max_size=8)


@st.composite
def documents(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["p", "pre", "span", "text", "ws"]))
        text = draw(WORD).replace("<", "&lt;").replace(">", "&gt;").replace("&", "&amp;")
        if kind == "text":
            parts.append(text)
        elif kind == "ws":
            parts.append(draw(st.sampled_from(["\n", "  \n  ", " ", "\n\n\t"])))
        else:
            title = draw(WORD).replace('"', "&quot;").replace("<", "&lt;")
            parts.append(f'<{kind} title="{title}">{text}</{kind}>')
    return ("<div>" + "".join(parts) + "</div>").encode()


@given(documents())
def test_squeeze_keeps_text_attributes_and_pre(html: bytes) -> None:
    small = squeeze(html)
    assert squeeze(small) == small
    before, after = lxml.html.fromstring(html), lxml.html.fromstring(small)
    assert _words(html) == _words(small)
    assert [e.attrib for e in before.iter()] == [e.attrib for e in after.iter()]
    assert [e.text for e in before.iter("pre")] == [e.text for e in after.iter("pre")]


def test_squeeze_file_replaces_the_file_not_its_hard_links(tmp_path) -> None:
    page, older = tmp_path / "index.html", tmp_path / "older.html"
    page.write_bytes(b"<p>\n    x\n</p>")
    older.hardlink_to(page)
    squeeze_file(page)
    assert page.read_bytes() == b"<p>\nx\n</p>"
    assert older.read_bytes() == b"<p>\n    x\n</p>"
