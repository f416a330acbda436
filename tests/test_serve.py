"""`make serve`'s rebuild step: a content change updates docs/; a bad change keeps it."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.site.serve import _Rebuild

TINY = Path(__file__).parent / "fixtures" / "tiny"


def test_rebuild_on_change_and_keep_last_good_site(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    shutil.copytree(TINY, content)
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    handler = _Rebuild(content, docs)
    assert handler.run()
    page = docs / "papers" / "distserve" / "index.md"
    assert "DistServe: Disaggregating" in page.read_text()

    source = content / "papers" / "distserve.yml"
    source.write_text(source.read_text().replace("title: 'DistServe:", "title: 'DistServe 2:"))
    assert handler.run()
    assert "DistServe 2: Disaggregating" in page.read_text()
    good = page.read_text()

    source.write_text("title: [broken\n")
    assert not handler.run()
    assert page.read_text() == good
    err = capsys.readouterr().err
    assert "content/papers/distserve.yml:2: file: invalid YAML" in err
    assert "Build failed; still serving the previous site." in err
