"""Resolve what spans pages, once every article has been annotated (collect first, then resolve).

Everything here is pure: annotated articles and the glossary in, a :class:`~digest.model.Digest`
out. Related coverage weights each shared entity by its rarity, so two articles that both
name a country every article names are not "related" because of it.
"""

from __future__ import annotations

import datetime as dt
import heapq
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

    Score = the sum of the weights of the shared entities, added up in the order of
    ``(-weight, id)``. Ties go to the newer article, then by title. Articles sharing nothing
    are never listed.

    Candidates come only through entities named by at most :data:`CANDIDATE_DF_LIMIT`
    articles; scores are accumulated entity by entity (never one set intersection per pair of
    articles, which made this the slowest part of a 5,000-article build), and the shared
    entities are listed only for the few articles kept.
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
        mine = sorted(entity_sets[slug], key=lambda e: (-weights[e], e))
        finders = [e for e in mine if len(by_entity[e]) <= CANDIDATE_DF_LIMIT]
        candidates = {other.article.slug: other for e in finders for other in by_entity[e]}
        candidates.pop(slug, None)
        # The same additions in the same order as summing each pair's shared weights, so the
        # scores (and the ties between them) are exactly those of that definition.
        scores = dict.fromkeys(candidates, 0)
        for entity_id in mine:
            weight = weights[entity_id]
            if len(by_entity[entity_id]) <= CANDIDATE_DF_LIMIT:
                for other in by_entity[entity_id]:
                    if other.article.slug in scores:
                        scores[other.article.slug] += weight
            else:
                for other_slug in scores:
                    if entity_id in entity_sets[other_slug]:
                        scores[other_slug] += weight
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], order[item[0]]))
        result[slug] = [
            Related(candidates[other], tuple(e for e in mine if e in entity_sets[other]), score)
            for other, score in best
        ]
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
