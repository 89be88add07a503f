"""The incremental paths of ``digest serve`` give exactly what a build from scratch gives.

A long-lived :class:`~digest.crossref.Resolver`, :class:`~digest.render.RenderMemo` and
:class:`~digest.feeds.FeedMemo` are driven through a seeded random series of edits (article
text, titles, dates, sources, summaries, quotes, new and deleted articles, an old version of an
article coming back, a new glossary, new options) and after every step their digest, pages and
feeds are compared with a fresh ``resolve``, ``render_site`` and ``render_feeds`` of the same
articles. Like the generator, the series hands back the same article object for an article that
did not change and a new one for one that did.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import xml.etree.ElementTree as ET

import pytest

from digest import crossref
from digest.crossref import Resolver, resolve
from digest.feeds import ATOM_NS, Entry, FeedLinks, FeedMemo, atom_entry, atom_feed, atom_head, json_feed, render_feeds
from digest.generate import annotate_with_quotes, assign_slugs
from digest.ingest import parse_article
from digest.matcher import Matcher
from digest.model import AnnotatedArticle, Entity, Glossary
from digest.render import RenderMemo, SiteOptions, render_site

ENTITIES = (
    Entity("zelensky", "Volodymyr Zelensky", "person", "President of Ukraine.", ("Zelenskyy",)),
    Entity("kursk", "Kursk", "place", "A Russian region."),
    Entity("atacms", "ATACMS", "weapon", "A missile."),
    Entity("ukraine", "Ukraine", "place", "A country."),
    Entity("tass", "TASS", "organization", "A news agency."),
    Entity("poland", "Poland", "place", "A country."),
    Entity("himars", "HIMARS", "weapon", "A launcher."),
    Entity("nato", "NATO", "organization", "An alliance."),
    Entity("biden", "Joe Biden", "person", "President of the United States."),
    Entity("kyiv", "Kyiv", "place", "The capital of Ukraine."),
    # Rarer names, so that articles name different sets of entities.
    *(
        Entity(name.lower(), name, "place", f"A town called {name}.")
        for name in ["Alvor", "Brenna", "Cadova", "Durnik", "Elbing", "Fasko", "Gorval", "Helmar", "Istra", "Jarnik"]
    ),
)
NAMES = [name for entity in ENTITIES for name in entity.names]
SPEAKERS = ["Volodymyr Zelensky", "Joe Biden"]
SOURCES = [None, "Wire A", "Wire B", "Daily <C>"]


class Seeds:
    """A digest's seeds as the generator would see them: one annotated object per version."""

    def __init__(self, rng: random.Random, glossary: Glossary) -> None:
        self.rng = rng
        self.glossary = glossary
        self.matcher = Matcher(glossary.entities)
        self.fields: dict[str, dict[str, object]] = {}  # path -> front matter and paragraphs
        self.current: dict[str, AnnotatedArticle] = {}
        self.history: dict[str, list[AnnotatedArticle]] = {}
        self.next_id = 0

    def sentence(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.1:
            return f'"We will not stop," {rng.choice(SPEAKERS)} said.'
        if kind < 0.15:  # a quote whose sentence names nobody: only its text tells the edit
            return f'"We will {rng.choice(["see", "wait", "act"])} tomorrow," he said.'
        if kind < 0.3:
            return "Nothing else was reported."
        named = rng.sample(NAMES, rng.randint(1, 2))
        return f"{', '.join(named)} were named again, officials said."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))

    def add(self) -> None:
        path = f"seeds/{self.next_id:03d}.md"
        self.fields[path] = {
            "title": f"Report {self.next_id}",
            "slug": f"report-{self.next_id}",
            "date": self.random_date(),
            "source": self.rng.choice(SOURCES),
            "summary": None,
            "paragraphs": [self.paragraph() for _ in range(self.rng.randint(1, 3))],
        }
        self.next_id += 1
        self.annotate(path)

    def random_date(self) -> str | None:
        return None if self.rng.random() < 0.2 else f"2024-{self.rng.randint(1, 3):02d}-{self.rng.randint(1, 28):02d}"

    def annotate(self, path: str) -> None:
        f = self.fields[path]
        front = "".join(f"{key}: {f[key]!r}\n" for key in ("title", "slug", "date", "source", "summary") if f[key])
        text = f"---\n{front}---\n\n" + "\n\n".join(f["paragraphs"]) + "\n"  # type: ignore[arg-type]
        article, problems = parse_article(text, path, ".md")
        assert article is not None, problems
        [article] = assign_slugs([article])
        annotated = annotate_with_quotes(article, self.matcher, self.glossary.by_id())
        self.current[path] = annotated
        self.history.setdefault(path, []).append(annotated)

    def edit(self) -> str:
        """One random edit; returns what it did (for the failure message)."""
        rng = self.rng
        op = rng.choice(
            ["text", "append", "reword", "title", "date", "source", "summary", "add", "remove", "undo", "glossary"]
        )
        paths = sorted(self.current)
        if op == "add" or (not paths and op != "glossary"):
            self.add()
            return "add"
        path = rng.choice(paths) if paths else ""
        f = self.fields.get(path, {})
        if op == "text":
            f["paragraphs"][rng.randrange(len(f["paragraphs"]))] = self.paragraph()  # type: ignore[index]
        elif op == "append":  # no new mention: the entity sets stay the same
            f["paragraphs"].append("One more sentence was added.")  # type: ignore[union-attr]
        elif op == "reword":  # only what "he" said changes: no mention, no sentence around one
            word = rng.choice(["see", "wait", "act"])
            f["paragraphs"] = [re.sub(r"We will \w+ tomorrow", f"We will {word} tomorrow", p) for p in f["paragraphs"]]  # type: ignore[union-attr]
        elif op == "title":
            f["title"] = f"{f['title']} again"
        elif op == "date":
            f["date"] = self.random_date()
        elif op == "source":
            f["source"] = rng.choice(SOURCES)
        elif op == "summary":
            f["summary"] = rng.choice([None, "A short summary.", f"Summary {rng.randint(0, 9)}."])
        elif op == "remove":
            del self.current[path], self.fields[path]
            return f"remove {path}"
        elif op == "undo":  # an earlier version's object comes back, as the build cache can return it
            self.current[path] = rng.choice(self.history[path])
            return f"undo {path}"
        elif op == "glossary":  # a new glossary object: every article is annotated again
            changed = rng.choice(ENTITIES)
            self.glossary = Glossary(
                tuple(
                    dataclasses.replace(e, definition=f"{e.definition} ({rng.randint(0, 9)})") if e == changed else e
                    for e in ENTITIES
                ),
                "glossary.yml",
            )
            self.matcher = Matcher(self.glossary.entities)
            for each in paths:
                self.annotate(each)
            return "glossary"
        self.annotate(path)
        return f"{op} {path}"


@pytest.mark.parametrize("seed", range(4))
def test_incremental_resolve_and_rendering_match_a_fresh_build(seed: int, monkeypatch) -> None:
    # A low limit so that both ways of finding related candidates are exercised.
    monkeypatch.setattr(crossref, "CANDIDATE_DF_LIMIT", 4)
    rng = random.Random(seed)
    seeds = Seeds(rng, Glossary(ENTITIES, "glossary.yml"))
    for _ in range(12):
        seeds.add()
    resolver, memo, feed_memo = Resolver(), RenderMemo(), FeedMemo()
    options = SiteOptions(page_size=4, most_mentioned=3)
    fallback = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    done = []
    reused = 0
    for step in range(60):
        done.append(seeds.edit() if step else "start")
        if rng.random() < 0.1:
            options = dataclasses.replace(options, page_size=rng.choice([3, 4, 50]))
        if rng.random() < 0.2:
            fallback = fallback + dt.timedelta(days=1)
        articles = list(seeds.current.values())
        rng.shuffle(articles)  # the generator's order is the seeds'; resolve sorts
        digest = resolver.resolve(seeds.glossary, articles)
        fresh = resolve(seeds.glossary, articles)
        assert digest == fresh, done
        assert render_site(digest, options, memo) == render_site(fresh, options), done
        reused += memo.reused
        assert render_feeds(digest, options, fallback, feed_memo) == render_feeds(fresh, options, fallback), done
    assert reused > 1000  # pages were reused (a test in which every page is rendered proves nothing)


def test_an_edit_that_adds_no_mention_renders_one_page() -> None:
    """Appending a sentence without mentions changes one page: every other page and the feeds
    come from the memos, unrendered."""
    seeds = Seeds(random.Random(7), Glossary(ENTITIES, "glossary.yml"))
    for _ in range(10):
        seeds.add()
    path = sorted(seeds.current)[3]
    seeds.fields[path]["summary"] = "The feeds show this, not the first words of the text."
    seeds.annotate(path)
    resolver, memo, feed_memo = Resolver(), RenderMemo(), FeedMemo()
    options = SiteOptions(page_size=4)
    fallback = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    digest = resolver.resolve(seeds.glossary, list(seeds.current.values()))
    before = render_site(digest, options, memo)
    feeds = render_feeds(digest, options, fallback, feed_memo)
    seeds.fields[path]["paragraphs"].append("One more sentence was added.")  # type: ignore[union-attr]
    seeds.annotate(path)
    digest = resolver.resolve(seeds.glossary, list(seeds.current.values()))
    after = render_site(digest, options, memo)
    assert [page for page in after if after[page] != before[page]] == [
        f"articles/{seeds.current[path].article.slug}.md"
    ]
    index_groups = 6  # home, articles (paginated), sources (with their pages), entities, glossary, timeline
    assert memo.reused == index_groups + len(digest.articles) + len(digest.glossary.entities) - 1
    again = render_feeds(digest, options, fallback, feed_memo)
    assert all(again[name] is feeds[name] for name in feeds)  # the very same texts: not rendered again


@pytest.mark.parametrize("count", [0, 1, 5])
@pytest.mark.parametrize("described", [False, True])
def test_feeds_put_together_piece_by_piece_are_the_whole_documents(count: int, described: bool) -> None:
    """The feeds are serialized entry by entry (so an entry can be reused): the text must be
    exactly what serializing each whole document gives."""
    rng = random.Random(count)
    tricky = ["Plain", 'A "quoted" <b>bold</b> & more', "Ünïcödé — ‘quotes’", "Line\nbreak\ttab", "]]> --> <!--"]
    options = SiteOptions(
        site_name=rng.choice(tricky), site_description="About <this>." if described else None, site_author="Ed & Co"
    )
    fallback = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    items = [
        Entry(
            id=f"urn:uuid:{i}",
            title=rng.choice(tricky),
            url=f"../articles/a{i}/",
            updated=fallback,
            published=fallback if i % 2 else None,
            author=rng.choice([None, "Jo <Reporter>"]),
            source=rng.choice([None, "Wire & Co"]),
            original_url=rng.choice([None, "https://example.com/?a=1&b=2"]),
            summary=rng.choice(tricky),
            entities=tuple(rng.sample(ENTITIES, rng.randint(0, 3))),
        )
        for i in range(count)
    ]
    ET.register_namespace("", ATOM_NS)
    whole = atom_head(items, options, fallback)
    for item in items:
        atom_entry(whole, item, FeedLinks(options))
    ET.indent(whole)
    expected = f'<?xml version="1.0" encoding="utf-8"?>\n{ET.tostring(whole, encoding="unicode")}\n'
    fragments: dict = {}
    assert atom_feed(items, options, fallback) == expected
    assert atom_feed(items, options, fallback, fragments) == expected
    assert atom_feed(items, options, fallback, fragments) == expected  # from the fragments
    text = json_feed(items, options)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert json_feed(items, options, fragments={}) == text
