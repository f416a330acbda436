"""Hostile content is rejected with a clear message, or shown as inert text.

Content comes from strangers' pull requests. Every case in
tests/fixtures/hostile/rejected/ (plus the byte-level cases in tests/hostile.py) must
be refused by ``check`` and by ``build`` with an exact ``file:line: field: message``,
without a traceback and without touching ``docs/``. The cases in
tests/fixtures/hostile/inert/ are valid content full of markup; they must reach the
built site as text (see test_hostile_site.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hostile import add_generated, copy_content, run_cli

BAD_ID = (
    "is not a valid id: use lowercase letters, digits and single hyphens (e.g. 'distserve-2024')"
)
REJECTED = (
    "content/papers/Upper-Case.yml:1: id: file name: 'Upper-Case' " + BAD_ID,
    "content/papers/bad-date.yml:5: file: invalid YAML value: '2026-13-45' is not a valid timestamp",
    "content/papers/bad-ipv6-link.yml:6: links.code: not a valid URL: 'http://[::1/x'",
    "content/papers/bidi-abstract.yml:3: abstract: contains an invisible or control character (U+2067)",
    "content/papers/blank-title.yml:2: title: must not be empty",
    "content/papers/complex-key.yml:2: file: mapping keys must be plain strings",
    "content/papers/credentials-link.yml:6: links.code: URL must not contain a user name or password: 'https://github.com@evil.example/payload'",
    "content/papers/data-link.yml:6: links.pdf: only http and https links are allowed, got 'data:text/html,<script>alert(1)</script>'",
    "content/papers/deep-nesting.yml:1: file: nested more than 20 levels deep",
    "content/papers/dot..dot.yml:1: id: file name: 'dot..dot' " + BAD_ID,
    "content/papers/duplicate-key.yml:6: title: duplicate key (first defined on line 2)",
    "content/papers/empty.yml:1: file: file is empty",
    "content/papers/has space.yml:1: id: file name: 'has space' " + BAD_ID,
    "content/papers/huge-abstract.yml:1: file: file is 1,200,092 bytes; the limit is 256 KB",
    "content/papers/huge-int.yml:3: file: invalid YAML value: '99999999999999999999999999999999999999999999999999999999... is not a valid int",
    "content/papers/index.yml:1: id: file name: 'index' is reserved for a site page; choose another id",
    "content/papers/invalid-utf8.yml:2: file: not valid UTF-8 (byte 0xff)",
    "content/papers/js-link-mixed-case.yml:6: links.code: only http and https links are allowed, got 'JaVaScRiPt:alert(1)'",
    "content/papers/js-link.yml:6: links.code: only http and https links are allowed, got 'javascript:alert(document.cookie)'",
    "content/papers/list-title.yml:2: title: expected text, got list",
    "content/papers/long-abstract.yml:3: abstract: is 20,499 characters; the limit is 20,000",
    "content/papers/multiline-title.yml:2: title: must be a single line",
    "content/papers/newline\n.yml:1: id: file name: 'newline\\n' " + BAD_ID,
    "content/papers/newline-link.yml:6: links.code: URL contains spaces or control characters: 'https://example.org/\\njavascript:alert(1)'",
    "content/papers/not-a-mapping.yml:1: file: expected a mapping of field: value",
    "content/papers/path-references.yml:4: topics: unknown topic '../serving' (did you mean 'serving'?)",
    "content/papers/path-references.yml:5: related: unknown paper '../../etc/passwd'",
    "content/papers/path-references.yml:6: version_of: unknown paper '../plain-paper' (did you mean 'plain-paper'?)",
    "content/papers/protocol-relative-link.yml:6: links.code: only http and https links are allowed, got '//evil.example/payload'",
    "content/papers/python-tag.yml:2: file: invalid YAML value: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    "content/papers/rtl-title.yml:2: title: contains an invisible or control character (U+202E)",
    "content/papers/rtl\u202eid.yml:1: id: file name: 'rtl\\u202eid' " + BAD_ID,
    "content/papers/stray.html:1: file: paper files must end in .yml",
    "content/papers/symlink.yml:1: file: symbolic links are not allowed; add the file itself",
    "content/papers/tab-in-link.yml:6: links.code: URL contains spaces or control characters: 'java\\tscript:alert(1)'",
    "content/papers/tab-indent.yml:7: file: invalid YAML: found character '\\t' that cannot start any token",
    "content/papers/two-documents.yml:6: file: invalid YAML: but found another document (expected a single document in the stream started on line 2)",
    "content/papers/vbscript-link.yml:6: links.project: only http and https links are allowed, got 'vbscript:msgbox(1)'",
    "content/papers/yaml-bomb.yml:2: file: YAML anchors and aliases are not allowed",
    "content/papers/zero-width-title.yml:2: title: contains an invisible or control character (U+200B)",
    "content/papers/zero\u200bwidth-id.yml:1: id: file name: 'zero\\u200bwidth-id' " + BAD_ID,
    "content/topics.yml:14: id: 'index' is reserved for a site page; choose another id",
    "content/topics.yml:18: id: '../escape' " + BAD_ID,
    "content/topics.yml:22: id: 'Upper' " + BAD_ID,
    "content/topics.yml:26: id: 'hidden\\u200b' " + BAD_ID,
    "content/topics.yml:31: name: contains an invisible or control character (U+202E)",
)
# Pages are checked by `check` and the build alike.
REJECTED_PAGES = (
    "content/pages/Bad Name.md:1: page: 'bad name' " + BAD_ID,
    "content/pages/evil-base.md:3: page: active HTML is not allowed: '<base'",
    "content/pages/evil-entity.md:3: page: active HTML is not allowed: 'javascript:'",
    "content/pages/evil-handler.md:3: page: active HTML is not allowed: 'onerror='",
    "content/pages/evil-iframe.md:3: page: active HTML is not allowed: '<iframe'",
    "content/pages/evil-link.md:3: page: active HTML is not allowed: 'javascript:'",
    "content/pages/evil-meta.md:3: page: active HTML is not allowed: '<meta'",
    "content/pages/evil-script.md:3: page: active HTML is not allowed: '<script'",
    "content/pages/evil-split.md:3: page: active HTML is not allowed: 'java\\nscript:'",
    "content/pages/topics.md:1: page: 'topics' is reserved for a generated page",
)


def tree_hash(folder: Path) -> str:
    """One hash over every file's path and bytes (empty string hash if missing)."""
    digest = hashlib.sha256()
    if folder.exists():
        for path in sorted(folder.rglob("*")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def rejected(tmp_path_factory):
    """Build the clean base once, then add every hostile case and run check and build."""
    work = tmp_path_factory.mktemp("rejected")
    content = copy_content(work)
    good = run_cli("build", cwd=work)
    assert good.returncode == 0, good.stderr
    before = tree_hash(work / "docs")
    copy_content(work, "rejected", replace=True)
    add_generated(content)
    check = run_cli("check", cwd=work)
    build = run_cli("build", cwd=work)
    return {"check": check, "build": build, "before": before, "work": work}


def _problems(stderr: str) -> list[str]:
    """Problem lines of a CLI run (a file name may itself contain a newline)."""
    text, _, summary = stderr.rstrip("\n").rpartition("\n")
    assert summary.endswith(("papers", "warnings", "warning", "paper")), stderr[-500:]
    return text.replace("newline\n.yml", "newline\0.yml").split("\n")


@pytest.mark.parametrize("command", ["check", "build"])
def test_no_traceback_and_exit_1(rejected, command):
    result = rejected[command]
    assert "Traceback" not in result.stderr
    assert result.returncode == 1


@pytest.mark.parametrize("expected", REJECTED + REJECTED_PAGES)
def test_check_rejects(rejected, expected):
    assert expected in rejected["check"].stderr


@pytest.mark.parametrize("expected", REJECTED + REJECTED_PAGES)
def test_build_rejects(rejected, expected):
    assert expected in rejected["build"].stderr


def test_messages_are_exactly_these(rejected):
    """Nothing more, nothing less: no duplicate or stray messages."""

    def norm(lines):
        return sorted(line.replace("newline\n.yml", "newline\0.yml") for line in lines)

    assert norm(_problems(rejected["check"].stderr)) == norm(REJECTED + REJECTED_PAGES)
    assert norm(_problems(rejected["build"].stderr)) == norm(REJECTED + REJECTED_PAGES)
    summary = rejected["check"].stderr.rstrip().rsplit("\n", 1)[-1]
    assert summary == f"{len(REJECTED + REJECTED_PAGES)} errors, 0 warnings in 26 papers"


def test_failed_build_leaves_docs_untouched(rejected):
    assert tree_hash(rejected["work"] / "docs") == rejected["before"]


def test_python_tag_never_runs():
    assert not Path("/tmp/papercat-pwned").exists()
