"""Cross-page resolution: related coverage, co-mentions, listing order, timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.annotate import annotate
from digest.crossref import entity_weights, resolve
from digest.generate import assign_slugs
from digest.ingest import parse_article
from digest.matcher import Matcher
from digest.model import Entity, Glossary
from digest.render import SiteOptions, render_timeline

ENTITIES = (
    Entity("ukraine", "Ukraine", "place", "A country."),
    Entity("kursk", "Kursk", "place", "A region."),
    Entity("atacms", "ATACMS", "weapon", "A missile."),
    Entity("himars", "HIMARS", "weapon", "A launcher."),
    Entity("tass", "TASS", "organization", "A news agency."),
    Entity("poland", "Poland", "place", "A country."),
)
GLOSSARY = Glossary(ENTITIES, "glossary.yml")


def digest_of(texts: dict[str, tuple[str, str | None]]):
    """Articles from ``{title: (body, date or None)}``, resolved."""
    articles = []
    for index, (title, (body, date)) in enumerate(texts.items()):
        front = f"---\ntitle: {title}\n" + (f"date: {date}\n" if date else "") + "---\n"
        article, problems = parse_article(front + body, f"seeds/{index}.md", ".md")
        assert article is not None, problems
        articles.append(article)
    matcher = Matcher(ENTITIES)
    return resolve(GLOSSARY, [annotate(a, matcher) for a in assign_slugs(articles)])


# Every article names Ukraine; "Strikes on Kursk" shares rare entities with two others.
OVERLAPS = {
    "Strikes on Kursk": ("Ukraine used ATACMS on Kursk, TASS said.", "2024-11-20"),
    "ATACMS in Kursk": ("ATACMS again hit Kursk in Ukraine.", "2024-11-21"),
    "TASS reacts": ("TASS condemned Ukraine.", "2024-11-19"),
    "Ukraine only": ("Ukraine is a country.", "2024-11-22"),
    "Poland and HIMARS": ("Poland sent HIMARS to Ukraine.", None),
}


def related_titles(digest, title: str) -> list[tuple[str, tuple[str, ...]]]:
    slug = next(a.article.slug for a in digest.articles if a.article.title == title)
    return [(r.article.article.title, r.shared) for r in digest.related[slug]]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "Strikes on Kursk",
            [
                ("ATACMS in Kursk", ("atacms", "kursk", "ukraine")),
                ("TASS reacts", ("tass", "ukraine")),
                ("Ukraine only", ("ukraine",)),
                ("Poland and HIMARS", ("ukraine",)),
            ],
            id="rare-shared-entities-rank-first-ubiquitous-last",
        ),
        pytest.param(
            "TASS reacts",
            [
                ("Strikes on Kursk", ("tass", "ukraine")),
                ("Ukraine only", ("ukraine",)),
                ("ATACMS in Kursk", ("ukraine",)),
                ("Poland and HIMARS", ("ukraine",)),
            ],
            id="ties-go-to-the-newer-article-undated-last",
        ),
    ],
)
def test_related_articles_rank_by_informative_shared_entities(title: str, expected: list) -> None:
    assert related_titles(digest_of(OVERLAPS), title) == expected


def test_related_lists_at_most_five_and_never_the_article_itself() -> None:
    many = {f"Article {i}": ("Kursk and Ukraine.", f"2024-11-{i + 1:02d}") for i in range(8)}
    digest = digest_of(many)
    for article in digest.articles:
        related = digest.related[article.article.slug]
        assert len(related) == 5
        assert article.article.slug not in {r.article.article.slug for r in related}


def test_articles_sharing_nothing_are_not_related() -> None:
    digest = digest_of({"A": ("Kursk.", None), "B": ("Poland.", None)})
    assert all(related == [] for related in digest.related.values())


def test_rare_entities_weigh_more() -> None:
    digest = digest_of(OVERLAPS)
    weights = entity_weights(digest.articles)
    assert weights["tass"] > weights["ukraine"]
    assert weights["himars"] > weights["kursk"] > weights["ukraine"]


def test_co_mentions_count_articles_naming_both() -> None:
    digest = digest_of(OVERLAPS)
    assert digest.co_mentions["kursk"] == [("atacms", 2), ("ukraine", 2), ("tass", 1)]
    assert digest.co_mentions["poland"] == [("himars", 1), ("ukraine", 1)]
    assert "poland" not in dict(digest.co_mentions["kursk"])


def test_listing_order_is_newest_first_then_undated() -> None:
    digest = digest_of(OVERLAPS)
    assert [a.article.title for a in digest.articles] == [
        "Ukraine only", "ATACMS in Kursk", "Strikes on Kursk", "TASS reacts", "Poland and HIMARS",
    ]  # fmt: skip
    assert digest.articles[0].article.date == dt.date(2024, 11, 22)


def test_timeline_groups_by_month_with_undated_last() -> None:
    digest = digest_of(
        {
            "Oct": ("Kursk.", "2024-10-05"),
            "Nov A": ("Kursk.", "2024-11-02"),
            "Nov B": ("Kursk.", "2024-11-20"),
            "Someday": ("Kursk.", None),
        }
    )
    page = render_timeline(digest, SiteOptions())
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["## November 2024", "## October 2024", "## Undated"]
    assert page.index("Nov B") < page.index("Nov A") < page.index(">Oct<") < page.index("Someday")


# --- the fast related-articles ranking against its definition ---------------------------------


def reference_related(articles, weights, limit=5):
    """The definition, spelled out: every pair's shared entities, summed in (-weight, id) order."""
    from digest.crossref import CANDIDATE_DF_LIMIT

    sets = {a.article.slug: set(a.entity_ids) for a in articles}
    df = {e: sum(e in s for s in sets.values()) for s in sets.values() for e in s}
    order = {a.article.slug: i for i, a in enumerate(articles)}
    result = {}
    for article in articles:
        slug, mine = article.article.slug, sets[article.article.slug]
        ranked = []
        for other in articles:
            other_slug = other.article.slug
            shared = sorted(mine & sets[other_slug], key=lambda e: (-weights[e], e))
            if other_slug == slug or not any(df[e] <= CANDIDATE_DF_LIMIT for e in shared):
                continue
            ranked.append((-sum(weights[e] for e in shared), order[other_slug], other_slug, tuple(shared)))
        result[slug] = [(other_slug, shared, -score) for score, _, other_slug, shared in sorted(ranked)[:limit]]
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sets(st.sampled_from([f"e{i}" for i in range(12)]), max_size=6), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=12),
)
def test_related_articles_match_their_definition(entity_sets: list[set[str]], df_limit: int) -> None:
    from digest import crossref
    from digest.model import AnnotatedArticle, Article, Mention

    articles = [
        AnnotatedArticle(
            article=Article(path=f"{i}.md", title=f"A{i}", body=[], slug=f"a{i}"),
            body=[],
            mentions=[Mention(e, e) for e in sorted(ids)],
        )
        for i, ids in enumerate(entity_sets)
    ]
    weights = entity_weights(articles)
    limit, crossref.CANDIDATE_DF_LIMIT = crossref.CANDIDATE_DF_LIMIT, df_limit
    try:
        got = crossref.related_articles(articles, weights)
        want = reference_related(articles, weights)
    finally:
        crossref.CANDIDATE_DF_LIMIT = limit
    assert {slug: [(r.article.article.slug, r.shared, r.score) for r in rel] for slug, rel in got.items()} == want
