"""``enrich`` and the arXiv client against a local stand-in of the arXiv API.

Every test points PAPERCAT_ARXIV_API at a server on 127.0.0.1 (tests/arxiv_stub.py)
and its HTTP cache at a temporary folder: no test touches the network.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.sources import arxiv, enrich
from tests.arxiv_stub import Eprint, Stub, point_at, serving
from tests.conftest import copy_fixture

ADAMOE = Eprint(
    "2406.13233",
    "AdaMoE: Token-Adaptive Routing with Null Experts for Mixture-of-Experts\n  Language Models",
    summary="Mixture of experts (MoE) language models ...",
    authors=("Zihao Zeng", "Yibo Miao", "Hongcheng Gao"),
    published="2024-06-19T12:00:00Z",
    journal_ref="Findings of EMNLP\n  2024",
)
TRP_DECOY = Eprint(
    "2103.00001", "TRP: Trained Rank Pruning for Efficient Deep Neural Networks, Revisited",
    authors=("Someone Else",), published="2021-03-01T00:00:00Z", rank=0,
)  # fmt: skip
TRP = Eprint(
    "2004.14566", "TRP: Trained Rank Pruning for Efficient Deep Neural\n  Networks",
    authors=("Yuhui Xu", "Yuxi Li"), published="2020-04-30T09:00:00Z",
    doi="10.24963/ijcai.2020/136", rank=1,
)  # fmt: skip
UNMATCHED = """# yaml-language-server: $schema=../schema/paper.schema.json
title: A Paper arXiv Does Not Have
abstract: Nothing to find here.
topics: [llm-serving]
added: 2026-11-28
"""


@pytest.fixture
def stub():
    with serving(Stub(eprints=[ADAMOE, TRP_DECOY, TRP])) as state:
        yield state


@pytest.fixture
def content(tmp_path, monkeypatch, stub) -> Path:
    monkeypatch.chdir(tmp_path)
    point_at(monkeypatch, stub.url, tmp_path / "cache")
    folder = copy_fixture("contrib-mini", tmp_path)
    (folder / "papers" / "unmatched.yml").write_text(UNMATCHED, encoding="utf-8")
    return folder


def run(*args: str):
    return CliRunner().invoke(main, ["enrich", "--content", "content", "--delay", "0", *args])


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def paper(content: Path, pid: str) -> dict:
    return yaml.safe_load((content / "papers" / f"{pid}.yml").read_text(encoding="utf-8"))


def refused_url() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


# --- enrich, end to end --------------------------------------------------------------


def test_enrich_fills_missing_fields_and_refuses_the_decoy(content, stub):
    before = {pid: paper(content, pid) for pid in ("adamoe", "trp", "distserve", "unmatched")}
    result = run()
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "looking up adamoe",
        "looking up trp",
        "looking up unmatched",
        "content/papers/adamoe.yml: authors, year, venue",
        "content/papers/trp.yml: arxiv, authors, year",
        "content/papers/unmatched.yml: no title match on arXiv",
        "3 papers looked up (3 requests), 2 changed (6 fields), 1 without a match",
    ]
    adamoe, trp = paper(content, "adamoe"), paper(content, "trp")
    assert adamoe["authors"] == ["Zihao Zeng", "Yibo Miao", "Hongcheng Gao"]
    assert adamoe["year"] == 2024 and adamoe["venue"] == "Findings of EMNLP 2024"
    # The first search result is the decoy (2103.00001); the matching title wins.
    assert trp["arxiv"] == "2004.14566" and trp["authors"] == ["Yuhui Xu", "Yuxi Li"]
    assert trp["year"] == 2020
    for pid, old in before.items():
        new = paper(content, pid)
        for key in ("title", "abstract", "topics", "added", "doi", "related"):
            assert new.get(key) == old.get(key), (pid, key)
    assert paper(content, "unmatched") == before["unmatched"]
    assert paper(content, "distserve") == before["distserve"]  # has an id and authors
    assert "id_list=2406.13233" in stub.paths[0]
    assert "search_query=ti%3A%22trp+trained+rank" in stub.paths[1]


def test_enriched_files_are_canonical_and_check_clean(content):
    assert run().exit_code == 0
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--content", "content", "--strict"])
    assert check.exit_code == 0, check.output
    fmt = runner.invoke(main, ["fmt", "--content", "content", "--check"])
    assert fmt.exit_code == 0, fmt.output


def test_second_run_changes_nothing_and_asks_the_cache(content, stub):
    assert run().exit_code == 0
    after_first, asked = snapshot(content), stub.requests
    again = run()
    assert again.exit_code == 0, again.output
    assert snapshot(content) == after_first
    # Only the unmatched paper is looked up again, and its answer comes from the cache.
    assert stub.requests == asked
    assert again.stderr.splitlines()[-1] == (
        "1 papers looked up (0 requests), 0 changed (0 fields), 1 without a match"
    )


def test_ids_limit_the_run_and_use_id_list(content, stub):
    result = run("adamoe")
    assert result.exit_code == 0, result.output
    assert stub.paths == ["/api/query?id_list=2406.13233&max_results=1"]
    assert paper(content, "trp").get("arxiv") is None


def test_unknown_id_is_a_usage_error(content, stub):
    result = run("adamoe", "nope")
    assert result.exit_code == 2
    assert "no paper with id 'nope'" in result.output
    assert stub.requests == 0


def test_an_id_whose_title_differs_is_not_used(content, stub):
    path = content / "papers" / "adamoe.yml"
    path.write_text(path.read_text().replace("2406.13233", "2004.14566"), encoding="utf-8")
    before = snapshot(content)
    result = run("adamoe")
    assert result.exit_code == 0, result.output
    assert "content/papers/adamoe.yml: no title match on arXiv" in result.stderr
    assert snapshot(content) == before


def test_a_503_is_retried(content, stub):
    stub.script = [(503, {"Retry-After": "0"}), (503, {})]
    result = run()
    assert result.exit_code == 0, result.output
    assert stub.requests == 5
    assert paper(content, "trp")["arxiv"] == "2004.14566"


def test_a_429_is_retried(content, stub):
    stub.script = [(429, {"Retry-After": "0"})]
    result = run("adamoe")
    assert result.exit_code == 0, result.output
    assert stub.requests == 2 and paper(content, "adamoe")["year"] == 2024


def test_persistent_503_fails_in_one_line_and_changes_nothing(content, stub):
    stub.always = (503, {})
    before = snapshot(content)
    result = run()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: arXiv API at {stub.url} answered 503 Service Unavailable "
        "(after 4 attempts); no file changed"
    )
    assert "Traceback" not in result.output
    assert snapshot(content) == before


def test_failure_half_way_changes_no_file(content, stub):
    stub.fail_after = 1  # adamoe is answered, trp is not
    before = snapshot(content)
    result = run()
    assert result.exit_code == 1
    assert "answered 503 Service Unavailable" in result.stderr
    assert snapshot(content) == before


def test_refused_connection_fails_in_one_line(content, monkeypatch):
    url = refused_url()
    monkeypatch.setenv("PAPERCAT_ARXIV_API", url)
    before = snapshot(content)
    result = run()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: arXiv API at {url} is unreachable: connection refused; no file changed"
    )
    assert "Traceback" not in result.output
    assert snapshot(content) == before


def test_dry_run_writes_nothing_and_summary_lists_the_fields(content, tmp_path):
    before = snapshot(content)
    summary = tmp_path / "summary.md"
    result = run("--dry-run", "--summary", str(summary))
    assert result.exit_code == 0, result.output
    assert snapshot(content) == before
    assert "2 would change (6 fields)" in result.stderr
    assert summary.read_text(encoding="utf-8") == (
        "`papercat enrich` looked up 3 papers on arXiv.\n\n"
        "| paper | fields filled |\n| --- | --- |\n"
        "| `content/papers/adamoe.yml` | authors, year, venue |\n"
        "| `content/papers/trp.yml` | arxiv, authors, year |\n\n"
        "No title match on arXiv for 1 papers:\n\n- `content/papers/unmatched.yml`\n"
    )


def test_a_catalogue_with_errors_is_not_enriched(content, stub):
    (content / "papers" / "broken.yml").write_text("title: Broken\n", encoding="utf-8")
    result = run()
    assert result.exit_code == 1
    assert "content/papers/broken.yml:1: topics: required field is missing" in result.stderr
    assert stub.requests == 0


def test_an_identifier_of_another_paper_is_not_copied(content, stub):
    stub.eprints.append(Eprint("2401.09670", "A Paper arXiv Does Not Have"))
    result = run("unmatched")
    assert result.exit_code == 0, result.output
    assert "note: content/papers/unmatched.yml: arxiv 2401.09670 from arXiv not used: " \
           "it belongs to content/papers/distserve.yml" in result.stderr  # fmt: skip
    assert paper(content, "unmatched").get("arxiv") is None


# --- the client ------------------------------------------------------------------------


def test_user_agent_names_the_project(stub):
    arxiv.Client(stub.url, delay=0).by_id("2406.13233")
    assert stub.agents[0].startswith("papercat/")
    assert "https://github.com/papercat/papercat" in stub.agents[0]


@pytest.mark.parametrize(
    ("script", "delay", "sleeps"),
    [
        ([(503, {}), (503, {})], 1.0, [1.0, 2.0]),  # exponential from --delay
        ([(429, {"Retry-After": "7"})], 0.0, [7.0]),  # the server's wait wins
        ([(503, {"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"})], 0.0, []),  # in the past
    ],
)
def test_backoff_waits(stub, script, delay, sleeps):
    stub.script = list(script)
    waited: list[float] = []
    client = arxiv.Client(stub.url, delay=delay, sleep=waited.append)
    assert client.by_id("2406.13233") is not None
    assert [round(w, 1) for w in waited] == sleeps


def test_a_very_long_retry_after_is_a_failure(stub):
    stub.script = [(503, {"Retry-After": "3600"})]
    with pytest.raises(arxiv.ArxivError) as info:
        arxiv.Client(stub.url, delay=0, sleep=lambda s: None).by_id("2406.13233")
    assert str(info.value) == f"arXiv API at {stub.url} asks to wait 3600 s before asking again"


def test_a_malformed_id_is_reported_from_the_error_entry(stub):
    with pytest.raises(arxiv.ArxivError) as info:
        arxiv.Client(stub.url, delay=0).by_id("1234.1234567")
    assert str(info.value) == (
        f"arXiv API at {stub.url} reported an error: incorrect id format for 1234.1234567"
    )


def test_an_answer_that_is_not_a_feed(tmp_path):
    with pytest.raises(arxiv.ArxivError, match="not an Atom feed"):
        arxiv.parse_feed(b"<html><body>Rate limited</body", "http://x/api/query")


def test_parse_reads_every_documented_field():
    entry = arxiv.parse_feed(
        ("<feed xmlns='http://www.w3.org/2005/Atom'>" + TRP.atom() + "</feed>").encode(), "x"
    )[0]
    assert entry == arxiv.Entry(
        arxiv="2004.14566", title="TRP: Trained Rank Pruning for Efficient Deep Neural Networks",
        abstract="We study a problem. We solve it.", authors=("Yuhui Xu", "Yuxi Li"), year=2020,
        doi="10.24963/ijcai.2020/136", journal_ref="", pdf="http://arxiv.org/pdf/2004.14566v2",
        primary_category="cs.DC",
    )  # fmt: skip


def test_cache_dir_option_env_default(monkeypatch, tmp_path):
    monkeypatch.delenv("PAPERCAT_CACHE_DIR", raising=False)
    assert arxiv.cache_dir() == Path(".cache/papercat")
    monkeypatch.setenv("PAPERCAT_CACHE_DIR", str(tmp_path))
    assert arxiv.cache_dir() == tmp_path
    assert arxiv.cache_dir(Path("x")) == Path("x")


def test_default_api_address(monkeypatch):
    monkeypatch.delenv("PAPERCAT_ARXIV_API", raising=False)
    assert arxiv.api_base() == "https://export.arxiv.org/api/query"


# --- properties of the pure parts -------------------------------------------------------

TITLE = st.text(st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), min_size=1)


@settings(deadline=None)  # a shared, busy machine must not fail a pure check
@given(TITLE, st.data())
def test_wrapping_and_case_do_not_change_the_match_key(title, data):
    spaces = [i for i, ch in enumerate(title) if ch == " "]
    wrapped = list(title)
    for i in data.draw(st.lists(st.sampled_from(spaces), unique=True) if spaces else st.just([])):
        wrapped[i] = "\n" + " " * data.draw(st.integers(1, 8))
    assert arxiv.normalise("".join(wrapped).upper()) == arxiv.normalise(title)


FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "title": st.just("T"), "abstract": st.just("Ours."), "authors": st.just(["Me"]),
        "year": st.just(1999), "venue": st.just("Ours"), "arxiv": st.just("1111.11111"),
        "doi": st.just("10.1/ours"), "topics": st.just(["t"]), "related": st.just(["r"]),
    },
)  # fmt: skip


ENTRY = arxiv.Entry(
    arxiv="2004.14566", title="T", abstract="Theirs.", authors=("You",), year=2020,
    doi="10.1/theirs", journal_ref="Theirs", pdf="", primary_category="cs.LG",
)  # fmt: skip


@given(FIELDS)
def test_fill_never_changes_a_field_that_is_there(data):
    new, filled, _notes = enrich.fill(data, ENTRY)
    for key, value in data.items():
        assert new[key] == value
    assert set(filled) == {k for k in new if k not in data}
    assert set(filled) <= set(enrich.FILLED_ORDER)
