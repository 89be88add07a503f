"""Listing pages at scale: the article list in pages, and the articles of each source."""

from __future__ import annotations

import re

import pytest

from tests.conftest import MKDOCS_YML, run_cli

pytestmark = pytest.mark.slow

SOURCES = ["Example Wire", "Example Wire", "Daily <Planet>", "Example Wire", None, "Daily <Planet>", "Example Wire"]


def seeds() -> dict[str, str]:
    """Seven dated articles (newest is 6), from two sources, one with no source."""
    files = {}
    for i, source in enumerate(SOURCES):
        front = f"title: Story {i}\ndate: 2024-11-{10 + i:02d}\n" + (f"source: {source}\n" if source else "")
        files[f"seeds/{i}.md"] = f"---\n{front}summary: Summary number {i}.\n---\n\nKursk and Ukraine, story {i}.\n"
    return files


@pytest.fixture
def site(make_digest, build):
    yml = MKDOCS_YML + "extra:\n  digest:\n    page_size: 3\n"
    return build(make_digest(seeds(), mkdocs_yml=yml))


def titles(page) -> list[str]:
    return [a.get_text() for a in page.select("article ul.digest-articles > li > a")]


def test_the_article_list_is_split_into_pages_newest_first(site) -> None:
    pages = [site.page("articles/"), site.page("articles/page/2/"), site.page("articles/page/3/")]
    assert [titles(p) for p in pages] == [
        ["Story 6", "Story 5", "Story 4"],
        ["Story 3", "Story 2", "Story 1"],
        ["Story 0"],
    ]
    assert not (site.root / "articles" / "page" / "4").exists()
    assert pages[1].select_one("article h1").get_text().startswith("Articles, page 2")


def test_pages_link_to_their_neighbours(site) -> None:
    middle = site.page("articles/page/2/").select_one("p.digest-pager")
    links = {a.get_text(): a["href"] for a in middle.select("a")}
    assert links == {"← Newer": "../../", "1": "../../", "3": "../3/", "Older →": "../3/"}
    assert middle.select_one("strong").get_text() == "2"
    assert "Page 2 of 3" in middle.get_text()
    last = site.page("articles/page/3/").select_one("p.digest-pager")
    assert "Older →" not in last.get_text() and "← Newer" in last.get_text()
    first = site.page("articles/")
    assert "← Newer" not in first.select_one("p.digest-pager").get_text()
    assert first.select_one("p.digest-feeds")  # the feeds are offered on the first page


def test_sources_index_and_each_source_lists_its_articles(site) -> None:
    index = site.page("sources/")
    entries = [(a.get_text(), a["href"]) for a in index.select("ul.digest-sources a")]
    assert entries == [("Example Wire", "example-wire/"), ("Daily <Planet>", "daily-planet/")]
    assert "4 articles, latest 16 November 2024" in index.select("ul.digest-sources li")[0].get_text()
    assert "1 article without a source." in index.get_text()
    wire = site.page("sources/example-wire/")
    assert titles(wire) == ["Story 6", "Story 3", "Story 1"]
    assert titles(site.page("sources/example-wire/page/2/")) == ["Story 0"]
    planet = site.page("sources/daily-planet/")
    # Text, not a tag (with the invisible WORD JOINER that keeps the theme's tooltips inert).
    assert planet.select_one("article h1").get_text().replace("\u2060", "").startswith("Daily <Planet>")
    assert titles(planet) == ["Story 5", "Story 2"]
    assert not planet.select_one("p.digest-pager")  # one page needs no pager


def backlink_titles(page) -> list[str]:
    return [a.get_text() for a in page.select("article ul.digest-backlinks > li > a")]


def test_an_entity_s_mentions_are_in_pages_too(site) -> None:
    """Every story names Kursk: its page lists them in pages of three, with their sentences."""
    first = site.page("entities/kursk/")
    assert first.select_one("article h1").get_text(strip=True).rstrip("¶") == "Kursk"
    assert "7 mentions in 7 articles." in first.select_one("p.digest-count").get_text()
    assert backlink_titles(first) == ["Story 6", "Story 5", "Story 4"]
    second = site.page("entities/kursk/page/2/")
    assert second.select_one("article h1").get_text(strip=True).rstrip("¶") == "Kursk: mentions, page 2"
    assert second.select_one("article p a").get_text() == "About Kursk"
    assert second.select_one("article p a")["href"] == "../../"
    assert backlink_titles(second) == ["Story 3", "Story 2", "Story 1"]
    context = second.select_one("ul.digest-contexts li")
    assert "Kursk and Ukraine, story 3." in context.get_text()
    assert context.select_one("a.digest-context-link")["href"] == "../../../../articles/story-3/#P1"
    assert backlink_titles(site.page("entities/kursk/page/3/")) == ["Story 0"]
    pager = first.select_one("p.digest-pager")
    assert "Page 1 of 3" in pager.get_text()
    assert {a.get_text(): a["href"] for a in pager.select("a")} == {
        "2": "page/2/",
        "3": "page/3/",
        "Older →": "page/2/",
    }
    # The first page is found by search (its name, definition); the others hold nothing of their own.
    locations = {d["location"] for d in site.search_index()["docs"]}
    assert "entities/kursk/" in locations
    assert not {loc for loc in locations if loc.startswith("entities/kursk/page/")}


def test_listings_stay_out_of_search(site) -> None:
    docs = site.search_index()["docs"]
    summary = re.compile(r"Summary number \d")
    listed = [
        d for d in docs if d["location"].startswith(("articles/page", "sources/")) or d["location"] == "articles/"
    ]
    assert listed and not any(summary.search(d["text"]) for d in listed)
    article = next(d for d in docs if d["location"] == "articles/story-6/")
    assert "Summary number 6" in article["text"]


def test_page_size_must_be_positive(make_digest) -> None:
    root = make_digest(seeds(), mkdocs_yml=MKDOCS_YML + "extra:\n  digest:\n    page_size: 0\n")
    result = run_cli("build", cwd=root)
    assert result.returncode != 0
    assert "extra.digest.page_size: must be 1 or more" in result.stderr
    assert "Traceback" not in result.stderr
