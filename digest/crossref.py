"""Resolve what spans pages, once every article has been annotated (collect first, then resolve).

Everything here is pure: annotated articles and the glossary in, a :class:`~digest.model.Digest`
out. Related coverage weights each shared entity by its rarity, so two articles that both
name a country every article names are not "related" because of it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

from digest.model import AnnotatedArticle, Backlink, Digest, Glossary, Quote, Related

#: How many related articles an article lists, and co-mentioned entities an entity page lists.
RELATED_LIMIT = 5
CO_MENTION_LIMIT = 8
#: An entity named by more articles than this does not *find* related candidates (it would
#: pair every article with every other, quadratic at newsroom scale); it still adds its small
#: weight when two candidates share it.
CANDIDATE_DF_LIMIT = 100


def listing_order(article: AnnotatedArticle) -> tuple[bool, int, str, str]:
    """Sort key: dated articles newest first, then undated ones; ties by title, then slug."""
    date = article.article.date
    return (date is None, -(date or dt.date.min).toordinal(), article.article.title.casefold(), article.article.slug)


def entity_weights(articles: list[AnnotatedArticle]) -> dict[str, float]:
    """Inverse document frequency of each mentioned entity: ``log(1 + N / df)``.

    An entity in one article of a hundred weighs about 4.6; one in every article about 0.7.
    """
    df = Counter(entity_id for article in articles for entity_id in set(article.entity_ids))
    n = len(articles)
    return {entity_id: math.log(1 + n / count) for entity_id, count in df.items()}


def related_articles(
    articles: list[AnnotatedArticle], weights: dict[str, float], limit: int = RELATED_LIMIT
) -> dict[str, list[Related]]:
    """For each article (by slug), the others sharing the most informative entities, best first.

    Score = the sum of the weights of the shared entities. Ties go to the newer article, then
    by title. Articles sharing nothing are never listed.
    """
    entity_sets = {a.article.slug: set(a.entity_ids) for a in articles}
    by_entity: dict[str, list[AnnotatedArticle]] = defaultdict(list)
    for article in articles:
        for entity_id in entity_sets[article.article.slug]:
            by_entity[entity_id].append(article)
    order = {a.article.slug: index for index, a in enumerate(articles)}  # articles come in listing order
    result: dict[str, list[Related]] = {}
    for article in articles:
        slug = article.article.slug
        mine = entity_sets[slug]
        candidates: dict[str, AnnotatedArticle] = {}
        for entity_id in mine:
            if len(by_entity[entity_id]) <= CANDIDATE_DF_LIMIT:
                for other in by_entity[entity_id]:
                    candidates[other.article.slug] = other
        candidates.pop(slug, None)
        ranked = []
        for other_slug, other in candidates.items():
            shared = sorted(mine & entity_sets[other_slug], key=lambda e: (-weights[e], e))
            score = sum(weights[e] for e in shared)
            ranked.append(Related(other, tuple(shared), score))
        ranked.sort(key=lambda r: (-r.score, order[r.article.article.slug]))
        result[slug] = ranked[:limit]
    return result


def co_mentions(articles: list[AnnotatedArticle], limit: int = CO_MENTION_LIMIT) -> dict[str, list[tuple[str, int]]]:
    """For each entity, the entities named in the same articles, with how many articles name both."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        ids = article.entity_ids
        for entity_id in ids:
            counts[entity_id].update(other for other in ids if other != entity_id)
    return {
        entity_id: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
        for entity_id, counter in counts.items()
    }


def resolve(glossary: Glossary, annotated: list[AnnotatedArticle]) -> Digest:
    """Order the articles and collect backlinks, mention counts, related coverage and co-mentions."""
    articles = sorted(annotated, key=listing_order)
    backlinks: dict[str, list[Backlink]] = {entity.id: [] for entity in glossary.entities}
    counts: dict[str, int] = dict.fromkeys(backlinks, 0)
    for article in articles:
        by_entity: dict[str, Backlink] = {}
        for mention in article.mentions:
            link = by_entity.get(mention.entity_id)
            if link is None:
                link = by_entity[mention.entity_id] = Backlink(article, [])
                backlinks[mention.entity_id].append(link)
            link.mentions.append(mention)
            counts[mention.entity_id] += 1
    quotes: dict[str, list[tuple[AnnotatedArticle, Quote]]] = defaultdict(list)
    for article in articles:
        for quote in article.quotes:
            if quote.speaker_id is not None:
                quotes[quote.speaker_id].append((article, quote))
    return Digest(
        glossary=glossary,
        quotes=dict(quotes),
        articles=articles,
        backlinks=backlinks,
        mention_counts=counts,
        entities=glossary.by_id(),
        related=related_articles(articles, entity_weights(articles)),
        co_mentions=co_mentions(articles),
    )
