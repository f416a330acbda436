"""A paper added with `new` is on the built site, with its suggested topics and the
"Edit this paper" and "Report a problem" buttons."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys

from tests.conftest import FIXTURES, ROOT, build_site, copy_fixture

REPO = "https://github.com/papercat/papercat"


def test_new_paper_appears_on_the_site_with_suggested_topics(tmp_path):
    content = copy_fixture("contrib-mini", tmp_path)
    shutil.copytree(FIXTURES / "tiny" / "pages", content / "pages")
    shutil.copy(ROOT / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "new", "--content", "content",
         "--title", "Splitting Prefill and Decoding Phases for LLM Serving",
         "--abstract", "We run the prefill and decoding phases of LLM serving on separate "
         "GPUs and move the KV cache between them, which raises goodput."],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    new_id = "splitting-prefill-decoding-phases-llm"
    assert (content / "papers" / f"{new_id}.yml").is_file()

    site = build_site(content, tmp_path)
    page = (site / "papers" / new_id / "index.html").read_text(encoding="utf-8")
    assert "Splitting Prefill and Decoding Phases for LLM Serving</h1>" in page
    chips = re.findall(r'href="\.\./\.\./topics/([a-z0-9-]+)/"', page)
    assert "llm-serving" in chips

    edit = re.search(r'<a href="([^"]+)" title="Edit this paper"', page)
    assert edit and html.unescape(edit.group(1)) == f"{REPO}/edit/main/content/papers/{new_id}.yml"
    report = re.search(r'<a href="([^"]+)" title="Report a problem"', page)
    assert report and html.unescape(report.group(1)) == (
        f"{REPO}/issues/new?template=report-problem.yml&title=Problem%20with%20paper%20{new_id}"
        f"&paper=content/papers/{new_id}.yml"
    )
    # The Contribute page (CONTRIBUTING.md) is part of the site and shows the three steps.
    contribute = (site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "Add a paper in three steps" in contribute
    # Pages other than papers keep a plain "Edit this page" and no report button.
    topics = (site / "topics" / "index.html").read_text(encoding="utf-8")
    assert 'title="Report a problem"' not in topics
