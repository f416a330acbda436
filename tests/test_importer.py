"""The seed importer: page chrome, LaTeX escapes, ids, links, versions, idempotence."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.catalogue.load import load_mapping
from generator.catalogue.model import ContentError
from generator.sources.importers import seed
from generator.sources.importers.commands import run_import_seed

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_0e1915606720cc7c.txt"
FIXTURES = Path(__file__).parent / "fixtures"

DUMP = """Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
SubscribeTRP: Trained Rank Pruning for Efficient Deep Neural Networks
We propose TRP, which improves accuracy by 2.5\\% \\& more. Code: https://github.com/x/trp.
Trained Rank Pruning for Efficient Deep Neural Networks
Low rank for ``efficient'' DNNs; \\textit{Trained} rank, \\method and S^{3} stay; tokens like "<EOS>" and <think> too.
Reasoning | X cap Y | * Stars
A \\\\ line break and \\url{https://example.org/project}.
"""


def test_parse_strips_chrome_and_glued_subscribe():
    entries = seed.parse_dump(DUMP)
    assert [e.title for e in entries] == [
        "TRP: Trained Rank Pruning for Efficient Deep Neural Networks",
        "Trained Rank Pruning for Efficient Deep Neural Networks",
        "Reasoning | X cap Y | * Stars",
    ]
    assert entries[0].line == 3


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("2.5\\% \\& more", "2.5% & more"),
        ("``efficient''", "\u201cefficient\u201d"),
        ("\\textit{Trained} rank", "Trained rank"),
        ("a \\_ b", "a _ b"),
        ("see \\url{https://example.org/x}.", "see https://example.org/x."),
        ("first \\\\ second", "first\nsecond"),
        # Raw text that only looks like markup stays exactly as written.
        ('"<EOS>" and <think>', '"<EOS>" and <think>'),
        ("\\method achieves", "\\method achieves"),
        ("S^{3} and |X cap Y| and * item", "S^{3} and |X cap Y| and * item"),
        ("(~1B requests) SP\\-WD", "(~1B requests) SP\\-WD"),
    ],
)
def test_decode_latex_only_decodes_escapes(raw, decoded):
    assert seed.decode_latex(raw) == decoded


def test_links_are_found_and_cleaned():
    text = "Code at https://github.com/a/b.git. Demo: https://a.github.io/x/. See <https://github.com/c/d>"
    assert seed.find_links(text) == (
        ("code", "https://github.com/a/b"),
        ("project", "https://a.github.io/x/"),
    )


def test_odd_number_of_lines_names_the_line():
    with pytest.raises(seed.SeedError) as err:
        seed.parse_dump("Title one\nAbstract one is longer than the title.\nOrphan title\n")
    assert err.value.line == 3


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "topics.yml", content / "topics.yml")
    return content


def _files(content: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((content / "papers").glob("*.yml"))}


def test_import_is_idempotent_and_keeps_both_trp_versions(tmp_path):
    content = _content(tmp_path)
    dump = tmp_path / "dump.txt"
    dump.write_text(DUMP)
    written, total = run_import_seed(dump, content, dt.date(2026, 11, 28))
    assert (written, total) == (3, 3)
    first = _files(content)
    assert sorted(first) == [
        "reasoning-x-cap-y-stars.yml",
        "trained-rank-pruning-efficient-deep.yml",
        "trp.yml",
    ]
    record, _ = load_mapping(content / "papers" / "trained-rank-pruning-efficient-deep.yml")
    assert record.data["version_of"] == "trp"
    assert record.data["added"] == dt.date(2026, 11, 28)
    trp, _ = load_mapping(content / "papers" / "trp.yml")
    assert trp.data["links"] == {"code": "https://github.com/x/trp"}
    assert trp.data["abstract"].startswith(
        "We propose TRP, which improves accuracy by 2.5% & more."
    )
    # Re-running (even on another day) writes nothing and changes nothing.
    assert run_import_seed(dump, content, dt.date(2030, 1, 1)) == (0, 3)
    assert _files(content) == first


def test_import_keeps_curated_topics(tmp_path):
    content = _content(tmp_path)
    dump = tmp_path / "dump.txt"
    dump.write_text(DUMP)
    run_import_seed(dump, content, dt.date(2026, 11, 28))
    path = content / "papers" / "trp.yml"
    path.write_text(path.read_text().replace("topics: [", "topics: [quantum, "))
    run_import_seed(dump, content, dt.date(2026, 11, 28))
    assert "topics: [quantum, " in path.read_text()


def test_import_with_bad_dump_writes_nothing(tmp_path):
    content = _content(tmp_path)
    dump = tmp_path / "dump.txt"
    dump.write_text("Only a title line\n")
    with pytest.raises(ContentError) as err:
        run_import_seed(dump, content, dt.date(2026, 11, 28))
    assert str(err.value.problems[0]).endswith(
        "dump.txt:1: dump: a title without an abstract (odd number of lines)"
    )
    assert _files(content) == {}


@pytest.mark.skipif(not SEED.exists(), reason="seed dump not available")
def test_seed_dump_reimports_onto_committed_content_without_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    before = _files(content)
    written, total = run_import_seed(SEED, content, dt.date(2030, 1, 1))
    assert (written, total) == (0, 189)
    assert _files(content) == before
