"""End to end: small digests built with ``digest build`` in tmp_path, checked as a reader sees them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

ARTICLE_TXT = """\
Missiles cleared for Kursk
Ukrainian troops near Kursk. Photo: AAP
Ukraine may now fire ATACMS at targets in Kursk, officials said.
*This is not emphasis* and <b>this is not bold</b>, {{ not_a_template }} [not](a-link).
Zelenskyy said the missiles would speak for themselves. See https://example.com/report for more.
No one anticipated this escalation by Ukraine.
Everything has changed now. https://t.co/7ktLb5jpO7
— Richard Grenell (@RichardGrenell) November 17, 2024
"""

ARTICLE_MD = """\
---
title: TASS reports on the strikes
date: 2024-11-19
source: Example Wire
author: A. Writer
url: https://example.com/tass-story
summary: Russian media react to the decision.
---

According to *TASS*, the strikes on Kursk were **condemned**.

| Weapon | Range |
|--------|-------|
| ATACMS | 300 km |

Code stays code: `ATACMS`.
"""


@pytest.fixture
def site(make_digest, build):
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/b.md": ARTICLE_MD})
    return build(root)


def mentions(page: BeautifulSoup):
    return page.select("article [data-entity]")


def test_article_page_has_headline_caption_and_metadata(site) -> None:
    page = site.page("articles/tass-reports-on-the-strikes/")
    assert page.select_one("article h1").get_text(strip=True) == "TASS reports on the strikes"
    meta = page.select_one(".digest-meta").get_text(" ", strip=True)
    assert "Example Wire" in meta and "19 November 2024" in meta and "By A. Writer" in meta
    assert page.select_one(".digest-meta a")["href"] == "https://example.com/tass-story"

    txt = site.page("articles/missiles-cleared-for-kursk/")
    caption = txt.select_one("article figure figcaption")
    assert caption.get_text(" ", strip=True).startswith("Ukrainian troops near Kursk")
    assert caption.select_one(".digest-credit").get_text() == "Photo: AAP"


def test_mentions_follow_the_markup_contract(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    found = mentions(page)
    assert [m.get_text() for m in found][:4] == ["Kursk", "Ukraine", "ATACMS", "Kursk"]
    for m in found:
        entity_id = m["data-entity"]
        assert m["class"][0] == "entity" and m["class"][1].startswith("entity--")
        entity_page = site.page(f"entities/{entity_id}/")
        definition = entity_page.select_one(".digest-entity__definition").get_text()
        assert m["title"].startswith(definition)
    kursk = [m for m in found if m["data-entity"] == "kursk"]
    assert kursk[0].name == "a" and kursk[0]["href"] == "../../entities/kursk/"
    assert all(m.name == "span" and not m.has_attr("href") and m["tabindex"] == "0" for m in kursk[1:])
    assert kursk[0]["class"] == ["entity", "entity--place"]


def test_nothing_in_headings_code_or_links_is_annotated(site) -> None:
    page = site.page("articles/tass-reports-on-the-strikes/")
    assert not page.select("h1 [data-entity], code [data-entity], pre [data-entity], a [data-entity]")
    assert page.select_one("article code").get_text() == "ATACMS"
    assert [m.get_text() for m in page.select("table [data-entity]")] == ["ATACMS"]
    assert [m.get_text() for m in page.select("em [data-entity]")] == ["TASS"]


def test_text_that_looks_like_markup_is_shown_as_typed(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    text = page.select_one("article").get_text()
    assert "*This is not emphasis*" in text
    assert "<b>this is not bold</b>" in text
    assert "{{ not_a_template }}" in text and "[not](a-link)" in text
    body = page.select_one("article")
    assert not body.select("b") and not body.select("p em")


def test_bare_urls_become_links(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    hrefs = [a["href"] for a in page.select("article p a:not([data-entity])")]
    assert "https://example.com/report" in hrefs


def test_social_post_is_a_quote_card(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    card = page.select_one("blockquote.digest-post")
    assert "Everything has changed now." in card.get_text()
    assert card.select_one(".digest-post__author").get_text() == "Richard Grenell"
    handle = card.select_one('a[href="https://x.com/RichardGrenell"]')
    assert handle.get_text() == "@RichardGrenell"
    assert card.select_one("time")["datetime"] == "2024-11-17"
    assert card.select_one('a[href="https://t.co/7ktLb5jpO7"]') is not None
    assert "No one anticipated" in card.get_text()


def test_in_this_article_box_links_without_data_entity(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    box = page.select_one(".digest-box")
    assert box is not None and "In this article" in box.get_text()
    links = {a.get_text(): a["href"] for a in box.select("a")}
    assert links["Kursk"] == "../../entities/kursk/"
    assert not box.select("[data-entity]")
    assert [dt.get_text() for dt in box.select("dt")] == ["People", "Places", "Weapons"]


def test_entity_page_lists_articles_with_sentence_context(site) -> None:
    page = site.page("entities/kursk/")
    assert page.select_one("article h1").get_text(strip=True) == "Kursk"
    assert "Place" in page.select_one(".digest-entity__type").get_text()
    items = page.select(".digest-backlinks > li")
    titles = [li.select_one("a").get_text() for li in items]
    assert titles == ["TASS reports on the strikes", "Missiles cleared for Kursk"]  # dated first
    contexts = [q.get_text() for q in page.select(".digest-contexts .digest-context")]
    assert "According to TASS, the strikes on Kursk were condemned." in contexts
    assert "Ukraine may now fire ATACMS at targets in Kursk, officials said." in contexts
    link = page.select(".digest-context-link")[0]["href"]
    target, anchor = link.split("#")
    article = site.page("articles/" + target.split("articles/")[1])
    assert "Kursk" in article.find(id=anchor).get_text()
    assert not page.select("[data-entity]")


def test_entity_page_shows_aliases_and_definition(site) -> None:
    page = site.page("entities/volodymyr-zelensky/")
    text = page.select_one("article").get_text(" ", strip=True)
    assert "Zelenskyy" in text and "President of Ukraine since 2019." in text


def test_glossary_lists_every_entry_a_to_z(site) -> None:
    page = site.page("glossary/")
    names = [dt.select_one("a").get_text() for dt in page.select(".digest-glossary dt")]
    assert names == ["ATACMS", "Kursk", "TASS", "Ukraine", "Volodymyr Zelensky"]
    assert [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")] == ["A", "K", "T", "U", "V"]
    assert page.select_one('.digest-glossary a[href="../entities/kursk/"]') is not None


def test_entities_index_groups_by_type(site) -> None:
    page = site.page("entities/")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert headings == ["People", "Places", "Organizations", "Weapons"]
    places = [a.get_text() for a in page.select(".digest-entities--place a")]
    assert places == ["Kursk", "Ukraine"]


def test_home_lists_articles_newest_first_and_top_entities(site) -> None:
    page = site.page("")
    titles = [a.get_text() for a in page.select(".digest-articles > li > a")]
    assert titles == ["TASS reports on the strikes", "Missiles cleared for Kursk"]
    top = [a.get_text() for a in page.select(".digest-top a")]
    assert top[0] == "Kursk"
    assert page.select(".digest-legend .entity--weapon")


def test_search_finds_entities_by_alias_and_articles_by_words(site) -> None:
    docs = site.search_index()["docs"]
    zelensky = [d for d in docs if d["location"].startswith("entities/volodymyr-zelensky/")]
    assert any("Zelenskyy" in d["text"] for d in zelensky)
    assert any("condemned" in d["text"] for d in docs if d["location"].startswith("articles/tass"))


def test_site_loads_nothing_from_the_internet(site) -> None:
    for html in site.root.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in page.find_all(tag):
                value = el.get(attr, "")
                if tag == "link" and "stylesheet" not in el.get("rel", []) and "icon" not in el.get("rel", []):
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{html}: {tag} loads {value}"
        assert "fonts.googleapis" not in html.read_text(encoding="utf-8")


def test_internal_links_resolve(site) -> None:
    for html in site.root.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for a in page.select("article a[href]"):
            href = a["href"].split("#")[0]
            if not href or re.match(r"^[a-z]+:", href):
                continue
            target = (html.parent / href).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{html.relative_to(site.root)} links to missing {a['href']}"


def test_removing_a_seed_removes_its_page(make_digest, build) -> None:
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/b.md": ARTICLE_MD})
    build(root)
    assert (root / "docs/articles/missiles-cleared-for-kursk.md").is_file()
    (root / "seeds/a.txt").unlink()
    site = build(root)
    assert not (root / "docs/articles/missiles-cleared-for-kursk.md").exists()
    assert not (site.root / "articles/missiles-cleared-for-kursk").exists()
    assert [a.get_text() for a in site.page("").select(".digest-articles a")] == ["TASS reports on the strikes"]


def test_unchanged_build_writes_nothing(make_digest) -> None:
    from digest.commands import generate_only

    root = make_digest({"seeds/a.txt": ARTICLE_TXT})
    first = generate_only(str(root / "mkdocs.yml"))
    second = generate_only(str(root / "mkdocs.yml"))
    assert first.written and second.written == [] and second.removed == []


def test_hand_written_home_is_never_overwritten(make_digest) -> None:
    from digest.commands import generate_only
    from digest.errors import DigestError

    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "docs/index.md": "# My page\n"})
    with pytest.raises(DigestError, match=r"docs/index\.md is hand-written"):
        generate_only(str(root / "mkdocs.yml"))
    assert (root / "docs/index.md").read_text() == "# My page\n"


def test_glossary_error_is_one_line_without_traceback(make_digest) -> None:
    bad = "entities:\n  - name: Kursk\n    type: planet\n    definition: A region.\n"
    root = make_digest({"seeds/a.txt": ARTICLE_TXT}, glossary=bad)
    result = run_cli("build", cwd=root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "seeds/glossary.yml:3: entity 'Kursk': field 'type': unknown type 'planet'" in result.stderr
    assert not (root / "site").exists()


def test_strict_turns_input_warnings_into_failure(make_digest) -> None:
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/notes.docx": "binary"})
    lenient = run_cli("build", cwd=root)
    assert lenient.returncode == 0, lenient.stderr
    assert "seeds/notes.docx: not an article" in lenient.stderr
    strict = run_cli("build", "--strict", cwd=root)
    assert strict.returncode == 1
    assert "strict mode" in strict.stdout + strict.stderr
    assert "Traceback" not in strict.stderr


def test_new_scaffolds_a_digest_that_builds(tmp_path: Path) -> None:
    result = run_cli("new", "my-digest", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "my-digest"
    assert {p.name for p in project.iterdir()} >= {"mkdocs.yml", "docs", "seeds", ".gitignore"}
    built = run_cli("build", "--strict", cwd=project)
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((project / "site/articles/example-article/index.html").read_text(), "html.parser")
    assert {m["data-entity"] for m in page.select("[data-entity]")} == {"kyiv", "united-nations"}
    assert "My Digest" in (project / "site/index.html").read_text()
    again = run_cli("new", "my-digest", cwd=tmp_path)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_demo_digest_builds_strict_with_every_seed_entity(demo_site) -> None:
    page = demo_site.page("articles/us-allows-ukraine-to-use-long-range-missiles-in-russia/")
    found = {m["data-entity"] for m in page.select("article [data-entity]")}
    for entity_id in ("atacms", "kursk", "joe-biden", "volodymyr-zelensky", "north-korea", "tass", "f-16"):
        assert entity_id in found
    atacms = page.select_one('[data-entity="atacms"]')
    assert atacms.name == "a" and "ballistic missile" in atacms["title"]
    docs = demo_site.search_index()["docs"]
    assert any(d["location"].startswith("entities/volodymyr-zelensky/") and "Zelenskyy" in d["text"] for d in docs)


def test_a_reader_crash_skips_only_that_file(make_digest, monkeypatch) -> None:
    """A bug in a reader is reported as a warning naming the file; the rest still builds."""
    from digest import generate
    from digest.commands import generate_only

    real = generate.read_article

    def flaky(file, path):
        if file.name == "a.txt":
            raise ValueError("boom")
        return real(file, path)

    monkeypatch.setattr(generate, "read_article", flaky)
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/b.md": ARTICLE_MD})
    result = generate_only(str(root / "mkdocs.yml"))
    assert [str(p) for p in result.problems] == [
        "seeds/a.txt: skipped: digest failed on it (ValueError: boom); please report this bug"
    ]
    assert result.articles == 1


def test_related_articles_timeline_and_co_mentions(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    related = page.select(".digest-related > li")
    assert [li.select_one("a").get_text() for li in related] == ["TASS reports on the strikes"]
    assert "Also names ATACMS, Kursk" in related[0].get_text()
    assert related[0].select_one("a")["href"] == "../tass-reports-on-the-strikes/"
    timeline = site.page("timeline/")
    assert [h.get_text(strip=True).rstrip("¶") for h in timeline.select("article h2")] == ["November 2024", "Undated"]
    kursk = site.page("entities/kursk/")
    together = {a.get_text() for a in kursk.select(".digest-co-mentions a")}
    assert together == {"ATACMS", "Ukraine", "TASS", "Volodymyr Zelensky"}


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        pytest.param("../../etc/passwd", "etc-passwd", id="path-traversal"),
        pytest.param("Radosław Sikorski", "radosław-sikorski", id="unicode-kept"),
        pytest.param("CON", "con-page", id="windows-reserved-name"),
        pytest.param("\U00020000" * 100, "\U00020000" * 50, id="capped-in-bytes"),
        pytest.param("...", "untitled", id="nothing-left"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    from digest.slugs import slugify

    assert slugify(title) == slug
    assert len(slugify(title).encode("utf-8")) <= 200


def test_quotes_are_marked_and_listed_on_the_speaker_page(demo_site) -> None:
    page = demo_site.page("articles/us-allows-ukraine-to-use-long-range-missiles-in-russia/")
    spans = page.select("article span.digest-quote")
    speakers = {span["data-speaker"] for span in spans}
    assert {"volodymyr-zelensky", "richard-grenell", "alex-plitsas", "radoslaw-sikorski"} <= speakers
    zelensky = next(s for s in spans if s["data-speaker"] == "volodymyr-zelensky")
    assert zelensky["title"] == "Volodymyr Zelensky said this"
    entity = demo_site.page("entities/alex-plitsas/")
    quotes = [bq.select_one("p").get_text() for bq in entity.select(".digest-quotes blockquote")]
    assert quotes[0].startswith("“Removing targeting restrictions will allow the Ukrainians")
    assert not quotes[0].endswith(",”")
    context = entity.select_one(".digest-quotes .digest-context-link")["href"]
    anchor = context.split("#")[1]
    assert "Removing targeting restrictions" in page.find(id=anchor).get_text()
