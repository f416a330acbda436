"""render/siteinfo.py reads site_url from mkdocs.yml as the renderers do, ``!ENV`` included."""

from __future__ import annotations

import pytest

from generator.render import siteinfo

READ = siteinfo._configured.__wrapped__  # the uncached reader, for files of the tests


@pytest.mark.parametrize(
    ("line", "env", "expected"),
    [
        ("site_url: !ENV [PC_TEST_URL, https://a.example/x/]", {}, "https://a.example/x/"),
        ("site_url: !ENV [PC_TEST_URL, https://a.example/x/]", {"PC_TEST_URL": "https://b/"},
         "https://b/"),
        ("site_url: !ENV [PC_NONE, PC_TEST_URL, https://a.example/]", {"PC_TEST_URL": "https://c/"},
         "https://c/"),
        ("site_url: !ENV PC_TEST_URL", {}, siteinfo.FALLBACK),
        ("site_url: !ENV PC_TEST_URL", {"PC_TEST_URL": "https://d/"}, "https://d/"),
        ("site_url: https://plain.example/", {"PC_TEST_URL": "https://d/"}, "https://plain.example/"),
    ],
)  # fmt: skip
def test_env_tag_is_read_like_mkdocs(tmp_path, monkeypatch, line, env, expected):
    monkeypatch.delenv("PC_TEST_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = tmp_path / "mkdocs.yml"
    # Other MkDocs tags (a Python name in an extension's options) are still tolerated.
    config.write_text(f"{line}\nmarkdown_extensions:\n  - x:\n      f: !!python/name:os.sep\n")
    assert READ(config) == expected


def test_the_repository_default_and_the_override(monkeypatch):
    monkeypatch.delenv("PAPERCAT_SITE_URL", raising=False)
    assert siteinfo.site_url() == "https://papercat.github.io/papercat/"
    monkeypatch.setenv("PAPERCAT_SITE_URL", "https://example.github.io/previews/pr-12")
    assert siteinfo.site_url() == "https://example.github.io/previews/pr-12/"
    assert siteinfo.paper_url("x") == "https://example.github.io/previews/pr-12/papers/x/"
