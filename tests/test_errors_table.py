"""`check` on bad paper files: one row per kind of mistake, with its exact message.

Each case writes one file into a copy of the tiny contrib-mini catalogue and runs
`python -m generator check`. The acceptance case puts eight bad files in one
catalogue: every one is named with file and line in a single run, exit status 1,
and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, copy_fixture

GOOD = "title: A Study of Widgets\nabstract: We study widgets.\ntopics: [llm-serving]\nadded: 2026-11-28\n"
DISTSERVE = "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized Large Language Model Serving"
NEXT_YEAR = dt.date.today().year + 1
P = "content/papers/"

# (kind, file name, file text, exact output lines before the summary)
CASES = [
    ("broken YAML", "bad.yml", "title: [unclosed\nabstract: x\ntopics: [llm-serving]\n",
     [f"{P}bad.yml:2: file: invalid YAML: expected ',' or ']', but got ':' "
      "(while parsing a flow sequence started on line 1)"]),
    ("tab indentation", "bad.yml", "title: x\n\tabstract: y\n",
     [f"{P}bad.yml:2: file: invalid YAML: found character '\\t' that cannot start any token"]),
    ("missing title", "bad.yml", GOOD.replace("title: A Study of Widgets\n", ""),
     [f"{P}bad.yml:1: title: required field is missing"]),
    ("empty topics", "bad.yml", GOOD.replace("[llm-serving]", "[]"),
     [f"{P}bad.yml:3: topics: required field is missing"]),
    ("unknown topic", "bad.yml", GOOD.replace("[llm-serving]", "[serving]"),
     [f"{P}bad.yml:3: topics: unknown topic 'serving' (did you mean 'llm-serving'?)"]),
    ("too many topics", "bad.yml", GOOD.replace("[llm-serving]", "[a, b, c, d, e, f]"),
     [f"{P}bad.yml:3: topics: expected at most 5, got 6"]),
    ("topic twice", "bad.yml", GOOD.replace("[llm-serving]", "[llm-serving, llm-serving]"),
     [f"{P}bad.yml:3: topics: 'llm-serving' is listed twice"]),
    ("bad arXiv id", "bad.yml", GOOD + "arxiv: '2401.1'\n",
     [f"{P}bad.yml:5: arxiv: expected an arXiv id like 2401.09670 or hep-th/9901001, got '2401.1'"]),
    ("unquoted arXiv id", "bad.yml", GOOD + "arxiv: 2401.09670\n",
     [f'{P}bad.yml:5: arxiv: write the arXiv id in quotes, e.g. arxiv: "2401.0967"']),
    ("bad DOI", "bad.yml", GOOD + "doi: 11.1/x\n",
     [f"{P}bad.yml:5: doi: expected a DOI like 10.1145/3600006.3613165, got '11.1/x'"]),
    ("javascript: URL", "bad.yml", GOOD + "links:\n  code: javascript:alert(1)\n",
     [f"{P}bad.yml:5: links.code: only http and https links are allowed, got 'javascript:alert(1)'"]),
    ("ftp URL", "bad.yml", GOOD + "links:\n  pdf: ftp://example.org/x.pdf\n",
     [f"{P}bad.yml:5: links.pdf: only http and https links are allowed, got 'ftp://example.org/x.pdf'"]),
    ("unknown link kind", "bad.yml", GOOD + "links:\n  github: https://github.com/x\n",
     [f"{P}bad.yml:5: links: unknown link kind 'github'; use one of pdf, url, code, project, video, slides, data, blog, demo"]),
    ("year in words", "bad.yml", GOOD + "year: twenty\n",
     [f"{P}bad.yml:5: year: expected a 4-digit year, got 'twenty'"]),
    ("year out of range", "bad.yml", GOOD + "year: 1700\n",
     [f"{P}bad.yml:5: year: year 1700 is outside 1800-{NEXT_YEAR}"]),
    ("bad date", "bad.yml", GOOD.replace("2026-11-28", "yesterday"),
     [f"{P}bad.yml:4: added: expected a date like 2026-11-28, got 'yesterday'"]),
    ("unknown key", "bad.yml", GOOD + "titel: x\n",
     [f"{P}bad.yml:5: titel: unknown field (did you mean 'title'?)"]),
    ("duplicate key", "bad.yml", GOOD + "title: Again\n",
     [f"{P}bad.yml:5: title: duplicate key (first defined on line 1)"]),
    ("unknown related paper", "bad.yml", GOOD + "related: [distserv]\n",
     [f"{P}bad.yml:5: related: unknown paper 'distserv' (did you mean 'distserve'?)"]),
    ("unknown version_of", "bad.yml", GOOD + "version_of: trpp\n",
     [f"{P}bad.yml:5: version_of: unknown paper 'trpp' (did you mean 'trp'?)"]),
    ("refers to itself", "bad.yml", GOOD + "version_of: bad\n",
     [f"{P}bad.yml:5: version_of: a paper cannot refer to itself"]),
    ("same title as another paper", "distserve-2.yml",
     f"title: '{DISTSERVE}'\nabstract: x\ntopics: [llm-serving]\nadded: 2026-12-01\n",
     [f"{P}distserve-2.yml:1: title: same title as {P}distserve.yml; "
      "add `duplicate_of:` or `version_of:` if intended"]),
    ("same arXiv id, other version", "other.yml", GOOD.replace("11-28", "12-01") + "arxiv: '2401.09670v2'\n",
     [f"{P}other.yml:5: arxiv: same arxiv as {P}distserve.yml"]),
    ("same DOI written as a URL", "other.yml",
     GOOD.replace("11-28", "12-01") + "doi: https://doi.org/10.24963/IJCAI.2020/136\n",
     [f"{P}other.yml:5: doi: same doi as {P}trp.yml"]),
    ("bad file name", "Bad_Name.yml", GOOD,
     [f"{P}Bad_Name.yml:1: id: file name: 'Bad_Name' is not a valid id: use lowercase letters, "
      "digits and single hyphens (e.g. 'distserve-2024')"]),
    ("wrong extension", "bad.yaml", GOOD, [f"{P}bad.yaml:1: file: paper files must end in .yml"]),
    ("YAML alias", "bad.yml", "title: &t A title\nabstract: *t\ntopics: [llm-serving]\n",
     [f"{P}bad.yml:1: file: YAML anchors and aliases are not allowed"]),
    ("list instead of mapping", "bad.yml", "- a\n- b\n",
     [f"{P}bad.yml:1: file: expected a mapping of field: value"]),
    ("empty file", "bad.yml", "", [f"{P}bad.yml:1: file: file is empty"]),
    ("invisible character", "bad.yml", GOOD.replace("A Study", "A\u202eStudy"),
     [f"{P}bad.yml:1: title: contains an invisible or control character (U+202E)"]),
    ("title over two lines", "bad.yml", GOOD.replace("title: A Study of Widgets", "title: |\n  A\n  B"),
     [f"{P}bad.yml:1: title: must be a single line"]),
    ("not UTF-8", "bad.yml", GOOD.encode() + b"venue: caf\xe9\n",
     [f"{P}bad.yml:5: file: not valid UTF-8 (byte 0xe9)"]),
]  # fmt: skip


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return copy_fixture("contrib-mini", tmp_path)


def run_check(*args: str):
    return CliRunner().invoke(main, ["check", "--content", "content", *args])


def write(content: Path, name: str, text: str | bytes) -> Path:
    path = content / "papers" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_table_covers_at_least_15_kinds():
    assert len({kind for kind, *_ in CASES}) >= 15


@pytest.mark.parametrize(("kind", "name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_has_its_exact_message(content, kind, name, text, expected):
    write(content, name, text)
    result = run_check()
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[:-1] == expected
    assert lines[-1].startswith(f"{len(expected)} error")


@pytest.mark.parametrize(("kind", "name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_of_the_one_file_reports_it(content, kind, name, text, expected):
    """`check PATH` shows the same problem, also when it sits on the other file of a pair."""
    path = write(content, name, text)
    if not name.endswith(".yml"):
        return  # not a paper file: `check PATH` refuses it as a usage error
    result = run_check(str(path.relative_to(content.parent)))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == expected


def test_near_duplicate_is_a_warning_and_fails_only_with_strict(content):
    write(content, "trp-v2.yml", "title: 'TRP: Trained Rank Pruning for Efficient Deep Neural Network'\n"
          "abstract: x\ntopics: [model-compression]\nadded: 2026-12-01\n")  # fmt: skip
    expected = (
        f"{P}trp-v2.yml:1: title: near-duplicate of {P}trp.yml (similarity 0.99); "
        "add `duplicate_of:` or `version_of:` if intended"
    )
    result = run_check()
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [expected, "0 errors, 1 warning in 4 papers"]
    assert run_check("--strict").exit_code == 1


def test_version_of_settles_a_duplicate_and_its_siblings(content):
    """Two versions of one work, linked through version_of, are two valid papers."""
    base = "title: 'TRP: Trained Rank Pruning for Efficient Deep Neural Network{}'\nabstract: x\n"
    base += "topics: [model-compression]\nadded: 2026-12-01\nversion_of: trp\n"
    write(content, "trp-v2.yml", base.format(""))
    write(content, "trp-v3.yml", base.format("s"))
    result = run_check("--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == "0 errors, 0 warnings in 5 papers"


ACCEPTANCE = {
    "broken-yaml.yml": "title: 'unclosed\nabstract: x\n",
    "no-title.yml": GOOD.replace("title: A Study of Widgets\n", ""),
    "bad-topic.yml": GOOD.replace("[llm-serving]", "[serving]"),
    "bad-arxiv.yml": GOOD.replace("Widgets", "Gadgets") + "arxiv: '24.1'\n",
    "js-link.yml": GOOD.replace("Widgets", "Sprockets") + "links:\n  pdf: javascript:alert(1)\n",
    "distserve-again.yml": f"title: '{DISTSERVE}'\nabstract: x\ntopics: [llm-serving]\nadded: 2026-12-01\n",
    "unknown-key.yml": GOOD.replace("Widgets", "Levers") + "summary: x\n",
    "dup-key.yml": GOOD.replace("Widgets", "Pulleys") + "topics: [trp]\n",
}


def test_acceptance_every_bad_file_named_in_one_run_and_nothing_written(content):
    for name, text in ACCEPTANCE.items():
        write(content, name, text)
    before = sorted((p, p.stat().st_mtime_ns) for p in content.parent.rglob("*"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=content.parent,
                         capture_output=True, text=True, env=env)  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines == [
        f"{P}bad-arxiv.yml:5: arxiv: expected an arXiv id like 2401.09670 or hep-th/9901001, got '24.1'",
        f"{P}bad-topic.yml:3: topics: unknown topic 'serving' (did you mean 'llm-serving'?)",
        f"{P}broken-yaml.yml:3: file: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar started on line 1)",
        f"{P}distserve-again.yml:1: title: same title as {P}distserve.yml; "
        "add `duplicate_of:` or `version_of:` if intended",
        f"{P}dup-key.yml:5: topics: duplicate key (first defined on line 3)",
        f"{P}js-link.yml:5: links.pdf: only http and https links are allowed, got 'javascript:alert(1)'",
        f"{P}no-title.yml:1: title: required field is missing",
        f"{P}unknown-key.yml:5: summary: unknown field",
        "8 errors, 0 warnings in 9 papers",
    ]
    after = sorted((p, p.stat().st_mtime_ns) for p in content.parent.rglob("*"))
    assert after == before
