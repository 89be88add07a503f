"""Golden files: the Markdown (and feeds) the build step writes, compared file by file.

Inputs live in ``tests/golden/seeds/``; the expected pages in ``tests/golden/pages/``. After a
deliberate change to the output, rewrite them with ``nox -s update-golden`` (or
``DIGEST_UPDATE_GOLDEN=1 pytest tests/test_golden.py``) and review the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
from pathlib import Path

import pytest

from digest.crossref import resolve
from digest.feeds import render_feeds
from digest.generate import annotate_with_quotes, assign_slugs
from digest.glossary import load_glossary
from digest.ingest import read_article
from digest.matcher import Matcher
from digest.render import SiteOptions, render_site

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DIGEST_UPDATE_GOLDEN") == "1"


def render_golden_site() -> dict[str, str]:
    seeds = GOLDEN / "seeds"
    glossary, problems = load_glossary(seeds / "glossary.yml", "seeds/glossary.yml")
    assert problems == []
    articles = []
    for file in sorted(seeds.iterdir()):
        if file.suffix in (".txt", ".md"):
            article, found = read_article(file, f"seeds/{file.name}")
            assert article is not None, found
            articles.append(article)
    matcher = Matcher(glossary.entities)
    entities = glossary.by_id()
    digest = resolve(glossary, [annotate_with_quotes(a, matcher, entities) for a in assign_slugs(articles)])
    options = SiteOptions(
        site_name="Golden digest", home_intro="# Golden digest\n\nIntro.", site_url="https://example.org/golden/"
    )
    # The feeds too: the same files whatever the clock says (undated articles take this date).
    undated = dt.datetime(2024, 11, 20, 12, 0, tzinfo=dt.UTC)
    return {**render_site(digest, options), **render_feeds(digest, options, undated)}


def test_rendered_markdown_matches_golden_files() -> None:
    site = render_golden_site()
    expected_dir = GOLDEN / "pages"
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in site.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_text(text, encoding="utf-8")
        pytest.skip("golden files rewritten; review them with git diff")
    expected = {p.relative_to(expected_dir).as_posix() for p in expected_dir.rglob("*") if p.is_file()}
    assert set(site) == expected, "pages added or removed: run `nox -s update-golden` if intended"
    for rel in sorted(site):
        want = (expected_dir / rel).read_text(encoding="utf-8")
        if site[rel] != want:
            diff = "\n".join(
                difflib.unified_diff(
                    want.splitlines(), site[rel].splitlines(), f"golden/{rel}", "rendered", lineterm=""
                )
            )
            pytest.fail(f"{rel} differs from its golden file (`nox -s update-golden` if intended):\n{diff}")
