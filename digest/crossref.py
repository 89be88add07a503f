"""Resolve what spans pages, once every article has been annotated (collect first, then resolve)."""

from __future__ import annotations

import datetime as dt

from digest.model import AnnotatedArticle, Backlink, Digest, Glossary


def listing_order(article: AnnotatedArticle) -> tuple[bool, int, str, str]:
    """Sort key: dated articles newest first, then undated ones; ties by title, then slug."""
    date = article.article.date
    return (date is None, -(date or dt.date.min).toordinal(), article.article.title.casefold(), article.article.slug)


def resolve(glossary: Glossary, annotated: list[AnnotatedArticle]) -> Digest:
    """Order the articles and collect every entity's backlinks and mention count."""
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
    return Digest(
        glossary=glossary,
        articles=articles,
        backlinks=backlinks,
        mention_counts=counts,
        entities=glossary.by_id(),
    )
