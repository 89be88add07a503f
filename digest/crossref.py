"""Resolve what spans pages, once every article has been annotated (collect first, then resolve).

Everything here is pure: annotated articles and the glossary in, a :class:`~digest.model.Digest`
out. Related coverage weights each shared entity by its rarity, so two articles that both
name a country every article names are not "related" because of it.

:func:`resolve` works from scratch. A :class:`Resolver` gives the same digest, but remembers
what it worked out from each article object and the totals across articles, so that resolving
again after a few articles changed (``digest serve``) costs about as much as those articles.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
    articles: list[AnnotatedArticle],
    weights: dict[str, float],
    limit: int = RELATED_LIMIT,
    entity_sets: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, list[Related]]:
    """For each article (by slug), the others sharing the most informative entities, best first.

    Score = the sum of the weights of the shared entities, added up in the order of
    ``(-weight, id)``. Ties go to the newer article, then by title. Articles sharing nothing
    are never listed.

    Candidates come only through entities named by at most :data:`CANDIDATE_DF_LIMIT`
    articles; scores are accumulated entity by entity (never one set intersection per pair of
    articles, which made this the slowest part of a 5,000-article build), and the shared
    entities are listed only for the few articles kept.

    ``entity_sets`` (each article's entity ids, by slug) saves working them out again.
    """
    if entity_sets is None:
        entity_sets = {a.article.slug: frozenset(a.entity_ids) for a in articles}
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


def co_mention_counts(entity_lists: Iterable[Iterable[str]]) -> dict[str, Counter[str]]:
    """For each entity named in one of the lists (one per article, each id once), how many
    lists name it with each other entity. An entity only ever named alone gets an empty Counter."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ids in entity_lists:
        for entity_id in ids:
            counts[entity_id].update(other for other in ids if other != entity_id)
    return dict(counts)


def top_co_mentions(counter: Counter[str], limit: int = CO_MENTION_LIMIT) -> list[tuple[str, int]]:
    """The ``limit`` most frequent co-mentions, ties by id (a total order: insertion order never shows)."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]


def co_mentions(articles: list[AnnotatedArticle], limit: int = CO_MENTION_LIMIT) -> dict[str, list[tuple[str, int]]]:
    """For each entity, the entities named in the same articles, with how many articles name both."""
    counts = co_mention_counts(article.entity_ids for article in articles)
    return {entity_id: top_co_mentions(counter, limit) for entity_id, counter in counts.items()}


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What resolving needs from one article, worked out once per article object.

    ``links`` maps each entity the article names, in order of first mention, to the article's
    backlink for it (its mentions of that entity, in reading order); ``entity_set`` holds the
    same ids.
    """

    links: dict[str, Backlink]
    entity_set: frozenset[str]


def article_facts(article: AnnotatedArticle) -> ArticleFacts:
    links: dict[str, Backlink] = {}
    for mention in article.mentions:
        link = links.get(mention.entity_id)
        if link is None:
            link = links[mention.entity_id] = Backlink(article, [])
        link.mentions.append(mention)
    return ArticleFacts(links, frozenset(links))


def quotes_by_speaker(articles: list[AnnotatedArticle]) -> dict[str, list[tuple[AnnotatedArticle, Quote]]]:
    """Each speaker's attributed quotes, with their articles, in the order of ``articles``."""
    quotes: dict[str, list[tuple[AnnotatedArticle, Quote]]] = defaultdict(list)
    for article in articles:
        for quote in article.quotes:
            if quote.speaker_id is not None:
                quotes[quote.speaker_id].append((article, quote))
    return dict(quotes)


def resolve(glossary: Glossary, annotated: list[AnnotatedArticle]) -> Digest:
    """Order the articles and collect backlinks, mention counts, related coverage and co-mentions.

    The definition, from scratch; :class:`Resolver` gives the same digest incrementally.
    """
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
        quotes=quotes_by_speaker(articles),
        articles=articles,
        backlinks=backlinks,
        mention_counts=counts,
        entities=glossary.by_id(),
        related=related_articles(articles, entity_weights(articles)),
        co_mentions=co_mentions(articles),
    )


class Resolver:
    """:func:`resolve` for a series of digests that differ by a few articles (``digest serve``).

    Contract: ``Resolver().resolve(glossary, annotated)`` called on one resolver returns a
    digest equal to ``resolve(glossary, annotated)`` whatever that resolver resolved before.
    Its digests share objects with earlier ones (backlinks, related entries, co-mention lists):
    nothing may modify a digest once resolved.

    Articles are recognised by identity: the generator hands back the same
    :class:`~digest.model.AnnotatedArticle` object for a seed that did not change and a new one
    for a seed that did; an article object is never modified once annotated. For each article
    object the resolver keeps its :class:`ArticleFacts`; across articles, how many articles name
    each entity and the co-mention counts, which it updates by the articles that left and came.
    Related coverage is a function of the articles' slugs and entity sets in listing order: while
    those stay the same (an edit to an article's text), the last lists are reused, pointing at
    the current article objects; otherwise they are worked out again (a change of one entity's
    document frequency, or of the article count, moves the scores of many pairs).
    """

    #: Past this share of the articles changed (a new glossary re-annotates them all), the
    #: totals are counted again from scratch rather than updated article by article.
    REBUILD_SHARE = 0.25

    def __init__(self) -> None:
        self._facts: dict[int, tuple[AnnotatedArticle, ArticleFacts]] = {}
        self._document_frequency: Counter[str] = Counter()
        self._co_counts: dict[str, Counter[str]] = {}
        self._co_mentions: dict[str, list[tuple[str, int]]] = {}
        self._signature: tuple[tuple[str, frozenset[str]], ...] | None = None
        self._related: dict[str, list[Related]] = {}

    def resolve(self, glossary: Glossary, annotated: list[AnnotatedArticle]) -> Digest:
        articles = sorted(annotated, key=listing_order)
        known, self._facts = self._facts, {}
        added: list[ArticleFacts] = []
        facts: list[ArticleFacts] = []
        for article in articles:
            # Keyed by id(): the article stored beside its facts stays alive, so no other
            # object can take its id while the entry exists.
            entry = known.pop(id(article), None)
            if entry is None:
                entry = (article, article_facts(article))
                added.append(entry[1])
            self._facts[id(article)] = entry
            facts.append(entry[1])
        removed = [fact for _article, fact in known.values()]

        backlinks: dict[str, list[Backlink]] = {entity.id: [] for entity in glossary.entities}
        counts: dict[str, int] = dict.fromkeys(backlinks, 0)
        for fact in facts:
            for entity_id, link in fact.links.items():
                backlinks[entity_id].append(link)
                counts[entity_id] += len(link.mentions)
        self._update_totals(facts, added, removed)
        return Digest(
            glossary=glossary,
            quotes=quotes_by_speaker(articles),
            articles=articles,
            backlinks=backlinks,
            mention_counts=counts,
            entities=glossary.by_id(),
            related=dict(self._related_articles(articles, facts)),
            co_mentions=dict(self._co_mentions),
        )

    def _update_totals(self, facts: list[ArticleFacts], added: list[ArticleFacts], removed: list[ArticleFacts]) -> None:
        """Bring the document frequencies and co-mentions up to date with ``facts`` (every article)."""
        if len(added) + len(removed) > self.REBUILD_SHARE * len(facts):
            self._document_frequency = Counter(entity_id for fact in facts for entity_id in fact.links)
            self._co_counts = co_mention_counts(fact.links for fact in facts)
            self._co_mentions = {entity_id: top_co_mentions(c) for entity_id, c in self._co_counts.items()}
            return
        touched: set[str] = set()
        for fact, step in [*((f, -1) for f in removed), *((f, 1) for f in added)]:
            touched |= fact.entity_set
            for entity_id in fact.links:
                self._document_frequency[entity_id] += step
                counter = self._co_counts.setdefault(entity_id, Counter())
                for other in fact.links:
                    if other != entity_id:
                        counter[other] += step
                        if not counter[other]:
                            del counter[other]  # as if never counted
        for entity_id in touched:
            if self._document_frequency[entity_id] > 0:
                self._co_mentions[entity_id] = top_co_mentions(self._co_counts[entity_id])
            else:  # no article names it any more: resolve() would not list it
                del self._document_frequency[entity_id], self._co_counts[entity_id]
                self._co_mentions.pop(entity_id, None)

    def _related_articles(
        self, articles: list[AnnotatedArticle], facts: list[ArticleFacts]
    ) -> dict[str, list[Related]]:
        signature = tuple(
            (article.article.slug, fact.entity_set) for article, fact in zip(articles, facts, strict=True)
        )
        if signature != self._signature:
            n = len(articles)
            weights = {entity_id: math.log(1 + n / df) for entity_id, df in self._document_frequency.items()}
            self._related = related_articles(articles, weights, entity_sets=dict(signature))
            self._signature = signature
            return self._related
        # The same slugs and entity sets in the same order, so the same lists; an article
        # object that changed (its title or summary may have) is replaced by the current one.
        current = {article.article.slug: article for article in articles}
        self._related = {
            slug: [
                entry
                if entry.article is current[entry.article.article.slug]
                else Related(current[entry.article.article.slug], entry.shared, entry.score)
                for entry in entries
            ]
            for slug, entries in self._related.items()
        }
        return self._related
