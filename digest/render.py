"""Render: turn a resolved :class:`~digest.model.Digest` into Markdown pages.

The output is ordinary Markdown that any Python-Markdown engine builds (MkDocs today, Zensical
too): YAML front matter, ``#`` headings, and raw HTML blocks for everything that carries user
text. Each raw block is written on one line, and all user text goes through
:mod:`digest.markup`, so nothing an article says can become markup.

Markup contract for mentions (tests and the browser suite rely on it): every mention is an
element with ``data-entity="<id>"``, the classes ``entity entity--<type>``, a ``title`` that
begins with the definition (with an invisible WORD JOINER after every ``<``, since the theme
shows titles as HTML: see :func:`digest.markup.inert_text`) and
``aria-describedby="digest-def-<id>"``. The first mention of an entity in an article is an ``<a>``
to the entity page; later ones are ``<span tabindex="0" role="term">`` (see :data:`LATER_ROLE`).
Each article page holds, after its body, one ``<div class="digest-definitions" hidden
data-search-exclude>`` with one ``<span id="digest-def-<id>" class="digest-definition">`` per
entity it mentions, whose text is the tooltip's: ``DEFINITION (Type)``. A hidden element still
serves as an ``aria-describedby`` target, so screen readers get the definition without the
``title`` (which the theme removes while it shows its tooltip). Boxes and indexes that list
entities link to them without ``data-entity``.

The theme's tooltip script removes ``aria-describedby`` from every element with a ``title`` when
it mounts; ``assets/digest/digest.js`` (``digest/assets/digest.js``) puts it back, and handles
Escape and touch taps on mentions.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from digest import fastyaml
from digest import urls as pages
from digest.markup import (
    MentionRenderer,
    attrs_html,
    escape_attr,
    escape_text,
    inert_text,
    md_text,
    plain_text,
    safe_url,
    to_html,
)
from digest.model import ENTITY_TYPES, TYPE_LABELS, AnnotatedArticle, Backlink, Digest, Element, Entity, Mention
from digest.slugs import slugify, unique_slugs
from digest.urls import Urls

TYPE_NAMES = {kind: kind.capitalize() for kind in ENTITY_TYPES}

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """Presentation settings taken from ``mkdocs.yml``."""

    site_name: str = "Digest"
    home_intro: str = ""
    most_mentioned: int = 12
    urls: Urls = field(default_factory=Urls)
    site_url: str | None = None
    site_description: str | None = None
    site_author: str | None = None
    language: str = "en"
    feed_limit: int = 50
    """Articles in each feed, newest first; 0 lists every article."""
    page_size: int = 50
    """Articles per page of the article list and of each source's list."""


def tooltip(entity: Entity) -> str:
    """The tooltip text of a mention: the definition first, then the type."""
    return f"{entity.definition} ({TYPE_NAMES[entity.type]})"


def format_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def front_matter(**fields: object) -> str:
    """A YAML front-matter block. Values that reach HTML templates raw are pre-escaped by callers."""
    data = {key: value for key, value in fields.items() if value is not None}
    return "---\n" + fastyaml.dump(data) + "---\n"


def html_block(html: str) -> str:
    """A raw HTML block: one line, separated by blank lines, so Markdown leaves it alone."""
    return f"\n{html}\n"


def link(urls: Urls, from_page: str, to_page: str, label: str, fragment: str = "", **attrs: str) -> str:
    href = urls.href(from_page, to_page, fragment)
    return f'<a href="{escape_attr(href)}"{attrs_html(attrs)}>{escape_text(label)}</a>'


def entity_badge(kind: str) -> str:
    """A small label naming an entity type (legend, indexes); never a mention."""
    return f'<span class="digest-type digest-type--{kind}">{TYPE_NAMES[kind]}</span>'


# ---------------------------------------------------------------------------------------------
# Article pages


#: The role of a later (``<span>``) mention. It is focusable (``tabindex="0"``) so keyboard users
#: reach its tooltip, but nothing happens on activation, so no widget role fits (``button`` would
#: promise an action). ARIA 1.2's ``term`` is "a word or phrase with a corresponding definition",
#: which is what a mention is; its definition is the ``aria-describedby`` target. Measured with
#: axe-core 4.14 in Chromium: ``term``, ``note`` and no role all pass every rule axe runs by
#: default; the one rule that objects to all three is the experimental best-practice
#: ``focus-order-semantics`` (impact "minor", off by default), which accepts only widget roles
#: (the promise of an action again) and landmark-like ones. So the meaning decides: ``term``
#: (``note`` is for a parenthetic section, not a word in a sentence).
LATER_ROLE = "term"


def definition_id(entity_id: str) -> str:
    """The id of the hidden element that describes an entity's mentions (``aria-describedby``)."""
    return f"digest-def-{entity_id}"


def mention_attrs(entity: Entity) -> str:
    """The attributes every mention of ``entity`` carries, rendered (see :func:`mention_html`)."""
    attrs = {
        "class": f"entity entity--{entity.type}",
        "data-entity": entity.id,
        "title": tooltip(entity),
        "aria-describedby": definition_id(entity.id),
    }
    return attrs_html(attrs)


# entity id -> (the Entity, the opening tag of its later mentions). A digest has hundreds of
# thousands of later mentions and a few thousand entities: their tags are the same on every
# page, so they are rendered once per entity. An entry is used only for the very Entity object
# it was made from, so an edited glossary (new objects) can never get a stale tag.
_later_tags: dict[str, tuple[Entity, str]] = {}


def mention_html(mention: Mention, entity: Entity, urls: Urls, page: str) -> str:
    text = escape_text(mention.text)
    if mention.first:
        href = urls.href(page, pages.entity_page(entity.id))
        return f'<a href="{escape_attr(href)}"{mention_attrs(entity)}>{text}</a>'
    cached = _later_tags.get(entity.id)
    if cached is None or cached[0] is not entity:
        cached = _later_tags[entity.id] = (entity, f'<span{mention_attrs(entity)} tabindex="0" role="{LATER_ROLE}">')
    return f"{cached[1]}{text}</span>"


def definitions_html(entities: Iterable[Entity]) -> str:
    """The hidden descriptions of an article's mentions: one per entity, named by :func:`definition_id`.

    ``hidden`` keeps them out of sight and out of the accessibility tree, while ``aria-describedby``
    still reads them; ``data-search-exclude`` keeps them out of the search index (MkDocs' search
    plugin and Zensical both honour it; Zensical also drops the attribute from the page).
    """
    spans = "".join(
        f'<span id="{escape_attr(definition_id(e.id))}" class="digest-definition">{escape_text(tooltip(e))}</span>'
        for e in entities
    )
    return f'<div class="digest-definitions" hidden data-search-exclude>{spans}</div>' if spans else ""


def article_meta_html(article: AnnotatedArticle) -> str:
    """The line under the headline: source, date, author and the original's link, when known."""
    a = article.article
    parts: list[str] = []
    if a.source:
        parts.append(f'<span class="digest-meta__source">{escape_text(a.source)}</span>')
    if a.date:
        parts.append(f'<time datetime="{a.date.isoformat()}">{format_date(a.date)}</time>')
    if a.author:
        parts.append(f'<span class="digest-meta__author">By {escape_text(a.author)}</span>')
    url = safe_url(a.url) if a.url else None
    if url:
        parts.append(f'<a href="{escape_attr(url)}" rel="noopener">Original article</a>')
    return f'<p class="digest-meta">{" · ".join(parts)}</p>' if parts else ""


def block_markdown(block: Element, render_mention: MentionRenderer) -> str:
    """One top-level body block: headings as Markdown (so they reach the table of contents)."""
    if block.tag in _HEADINGS:
        level = int(block.tag[1])
        return f"\n{'#' * level} {md_text(plain_text(block.children))}\n"
    return html_block(to_html([block], render_mention))


def in_this_article_html(article: AnnotatedArticle, digest: Digest, urls: Urls, page: str) -> str:
    """The "In this article" box: entities grouped by type, each linked to its page."""
    entities = digest.entities
    by_type: dict[str, list[Entity]] = defaultdict(list)
    for entity_id in article.entity_ids:
        entity = entities[entity_id]
        by_type[entity.type].append(entity)
    if not by_type:
        return ""
    rows = []
    for kind in ENTITY_TYPES:
        if kind in by_type:
            links = ", ".join(
                link(urls, page, pages.entity_page(e.id), e.name, **{"class": f"digest-link digest-link--{kind}"})
                for e in sorted(by_type[kind], key=lambda e: e.name.casefold())
            )
            rows.append(f"<dt>{TYPE_LABELS[kind]}</dt><dd>{links}</dd>")
    return (
        '<div class="admonition abstract digest-box" data-search-exclude>'
        '<p class="admonition-title">In this article</p>'
        f'<dl class="digest-box__list">{"".join(rows)}</dl></div>'
    )


def render_article(article: AnnotatedArticle, digest: Digest, options: SiteOptions) -> str:
    a = article.article
    page = pages.article_page(a.slug)
    entities = digest.entities
    urls = options.urls

    mentioned: dict[str, Entity] = {}  # in order of first mention, as rendered

    def render_mention(mention: Mention) -> str:
        entity = mentioned.setdefault(mention.entity_id, entities[mention.entity_id])
        return mention_html(mention, entity, urls, page)

    out = [
        front_matter(title=escape_text(inert_text(a.title)), description=escape_attr(a.summary) if a.summary else None)
    ]
    out.append(f"\n# {md_text(a.title)}\n")
    meta = article_meta_html(article)
    if meta:
        out.append(html_block(meta))
    if a.tags:
        tags = " ".join(f'<span class="digest-tag">{escape_text(tag)}</span>' for tag in a.tags)
        out.append(html_block(f'<p class="digest-tags">Tags: {tags}</p>'))
    if a.summary:
        out.append(html_block(f'<p class="digest-summary">{escape_text(a.summary)}</p>'))
    out.extend(block_markdown(block, render_mention) for block in article.body)
    definitions = definitions_html(mentioned.values())
    if definitions:
        out.append(html_block(definitions))
    box = in_this_article_html(article, digest, urls, page)
    if box:
        out.append(html_block(box))
    out.append(related_html(article, digest, urls, page))
    return "".join(out)


def related_html(article: AnnotatedArticle, digest: Digest, urls: Urls, page: str) -> str:
    """ "Related articles": the others sharing the most informative entities, with those named."""
    related = digest.related.get(article.article.slug) or []
    if not related:
        return ""
    items = []
    for entry in related:
        shared = ", ".join(escape_text(digest.entities[e].name) for e in entry.shared[:4])
        more = f" and {len(entry.shared) - 4} more" if len(entry.shared) > 4 else ""
        items.append(
            article_item(entry.article, urls, page, f'<br><span class="digest-shared">Also names {shared}{more}</span>')
        )
    return "\n## Related articles\n" + html_block(
        f'<ul class="digest-related" data-search-exclude>{"".join(items)}</ul>'
    )


# ---------------------------------------------------------------------------------------------
# Entity pages


def highlight(sentence: str, surface: str) -> str:
    """The context sentence with the mention marked (the first occurrence of its text)."""
    at = sentence.find(surface)
    if at < 0:
        return escape_text(sentence)
    return (
        escape_text(sentence[:at]) + f"<mark>{escape_text(surface)}</mark>" + escape_text(sentence[at + len(surface) :])
    )


_Item = TypeVar("_Item")


def render_entity(entity: Entity, digest: Digest, options: SiteOptions) -> dict[str, str]:
    """An entity's page, ``{path: Markdown}``: what it is, who it is named with, its quotes, and
    the articles that mention it with each sentence that does, newest first, in pages of
    ``options.page_size`` articles (the first at :func:`digest.urls.entity_page`, the others at
    :func:`digest.urls.listing_page`): a digest's main subject is named in nearly every article,
    and one page listing thousands of them, sentence by sentence, would be megabytes."""
    urls = options.urls
    page = pages.entity_page(entity.id)
    backlinks = digest.backlinks[entity.id]
    count = digest.mention_counts[entity.id]
    out = [front_matter(title=escape_text(inert_text(entity.name)), description=escape_attr(entity.definition))]
    out.append(f"\n# {md_text(entity.name)}\n")
    facts = [f'<p class="digest-entity__type">{entity_badge(entity.type)}</p>']
    facts.append(f'<p class="digest-entity__definition">{escape_text(entity.definition)}</p>')
    if entity.aliases:
        aliases = ", ".join(f"<strong>{escape_text(alias)}</strong>" for alias in entity.aliases)
        facts.append(f'<p class="digest-entity__aliases">Also known as: {aliases}</p>')
    reference = safe_url(entity.link) if entity.link else None
    if reference:
        facts.append(
            f'<p class="digest-entity__link">Reference: <a href="{escape_attr(reference)}" rel="noopener">'
            f"{escape_text(reference)}</a></p>"
        )
    out.append(html_block(f'<div class="digest-entity digest-entity--{entity.type}">{"".join(facts)}</div>'))
    together = digest.co_mentions.get(entity.id) or []
    if together:
        names = ", ".join(
            link(urls, page, pages.entity_page(other), digest.entities[other].name)
            + f' <span class="digest-count">({count})</span>'
            for other, count in together
        )
        out.append(html_block(f'<p class="digest-co-mentions" data-search-exclude>Often named with: {names}</p>'))
    out.append(quotes_html(entity, digest, urls, page))
    out.append("\n## Mentions\n")
    if not backlinks:
        out.append(html_block('<p class="digest-empty">No article in this digest mentions it yet.</p>'))
        return {page: "".join(out)}
    articles = "article" if len(backlinks) == 1 else "articles"
    mentions = "mention" if count == 1 else "mentions"
    out.append(html_block(f'<p class="digest-count">{count} {mentions} in {len(backlinks)} {articles}.</p>'))
    paths, chunks = split_into_pages(page, backlinks, options.page_size)
    site: dict[str, str] = {}
    for index, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
        if index:
            heading = f"{entity.name}: mentions, page {index + 1}"
            back = link(urls, path, page, f"About {entity.name}")
            # Out of search: the page holds only its title and sentences already found on their articles.
            out = [
                front_matter(title=escape_text(inert_text(heading)), search={"exclude": True}),
                f"\n# {md_text(heading)}\n",
            ]
            out.append(html_block(f"<p>{back}</p>"))
        out.append(backlinks_html(chunk, urls, path))
        pager = pager_html(urls, path, paths, index)
        if pager:
            out.append(html_block(pager))
        site[path] = "".join(out)
    return site


def backlinks_html(backlinks: Iterable[Backlink], urls: Urls, page: str) -> str:
    """Each article that mentions an entity, with the sentences that do, on the page ``page``."""
    items = []
    for backlink in backlinks:
        a = backlink.article.article
        target = pages.article_page(a.slug)
        when = f' <time datetime="{a.date.isoformat()}">{format_date(a.date)}</time>' if a.date else ""
        seen: set[str] = set()
        contexts = []
        href = escape_attr(urls.href(page, target))  # one article: the same link, other anchors
        for mention in backlink.mentions:
            if mention.sentence in seen:
                continue
            seen.add(mention.sentence)
            contexts.append(
                '<li><span class="digest-context">'
                + f"{highlight(mention.sentence, mention.text)}</span> "
                + f'<a href="{href}#{escape_attr(mention.anchor)}" class="digest-context-link">Read in context</a>'
                + "</li>"
            )
        items.append(
            f"<li>{link(urls, page, target, a.title)}{when}"
            f'<ul class="digest-contexts" data-search-exclude>{"".join(contexts)}</ul></li>'
        )
    return html_block(f'<ul class="digest-backlinks">{"".join(items)}</ul>')


def quotes_html(entity: Entity, digest: Digest, urls: Urls, page: str) -> str:
    """The "Quotes" section of a speaker's page: each quote, its article, and a link to its paragraph."""
    said = digest.quotes.get(entity.id) or []
    if not said:
        return ""
    items = []
    for article, quote in said:
        a = article.article
        target = pages.article_page(a.slug)
        when = f', <time datetime="{a.date.isoformat()}">{format_date(a.date)}</time>' if a.date else ""
        items.append(
            # A quote that runs into "…,” he said" keeps its comma in the text; not on its own.
            f"<blockquote><p>“{escape_text(quote.text.rstrip(','))}”</p>"
            f'<p class="digest-quote-source">— in {link(urls, page, target, a.title)}{when} · '
            + link(urls, page, target, "Read in context", quote.anchor, **{"class": "digest-context-link"})
            + "</p></blockquote>"
        )
    return "\n## Quotes\n" + html_block(f'<div class="digest-quotes">{"".join(items)}</div>')


# ---------------------------------------------------------------------------------------------
# Listings


def article_item(article: AnnotatedArticle, urls: Urls, page: str, extra: str = "") -> str:
    """A listing entry: linked title, source and date, summary, then ``extra`` HTML."""
    a = article.article
    details = [escape_text(part) for part in (a.source,) if part]
    if a.date:
        details.append(f'<time datetime="{a.date.isoformat()}">{format_date(a.date)}</time>')
    meta = f' <span class="digest-meta">{" · ".join(details)}</span>' if details else ""
    summary = f'<br><span class="digest-summary">{escape_text(a.summary)}</span>' if a.summary else ""
    return f"<li>{link(urls, page, pages.article_page(a.slug), a.title)}{meta}{summary}{extra}</li>"


def article_list(articles: Iterable[AnnotatedArticle], urls: Urls, page: str) -> str:
    """A list of articles. Kept out of search: the article pages themselves are indexed, and a
    listing would add a copy of every title and summary to the index."""
    items = "".join(article_item(a, urls, page) for a in articles)
    return html_block(f'<ul class="digest-articles" data-search-exclude>{items}</ul>')


def pager_html(urls: Urls, page: str, paths: list[str], current: int) -> str:
    """Links between the pages of one listing: newer, a few page numbers around this one, older."""
    last = len(paths) - 1
    if last < 1:
        return ""
    shown = sorted({0, last, *range(max(0, current - 2), min(last, current + 2) + 1)})
    parts = [link(urls, page, paths[current - 1], "← Newer", rel="prev")] if current > 0 else []
    previous = -1
    for number in shown:
        if number - previous > 1:
            parts.append("…")
        parts.append(
            f"<strong>{number + 1}</strong>" if number == current else link(urls, page, paths[number], str(number + 1))
        )
        previous = number
    if current < last:
        parts.append(link(urls, page, paths[current + 1], "Older →", rel="next"))
    return f'<p class="digest-pager" data-search-exclude>Page {current + 1} of {last + 1}: {" ".join(parts)}</p>'


def split_into_pages(first: str, items: list[_Item], page_size: int) -> tuple[list[str], list[list[_Item]]]:
    """The pages of a listing whose first page is ``first``: their paths (see
    :func:`digest.urls.listing_page`) and the ``page_size`` items (at least 1) of each. An
    empty listing is one empty page."""
    size = max(1, page_size)
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    return [pages.listing_page(first, n) for n in range(1, len(chunks) + 1)], chunks


def paginated(
    first: str, title: str, articles: list[AnnotatedArticle], options: SiteOptions, intro: Callable[[str], str]
) -> dict[str, str]:
    """A listing of ``articles`` in pages of ``options.page_size``: ``{path: Markdown}``.

    The first page is ``first``; the others follow :func:`digest.urls.listing_page`. ``intro``
    gives the HTML shown above the list on a page (it may link relative to that page).
    """
    paths, chunks = split_into_pages(first, articles, options.page_size)
    out: dict[str, str] = {}
    for index, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
        heading = title if index == 0 else f"{title}, page {index + 1}"
        body = [
            front_matter(title=escape_text(inert_text(heading))),
            f"\n# {md_text(heading)}\n",
            html_block(intro(path)),
        ]
        pager = pager_html(options.urls, path, paths, index)
        if chunk:
            body.append(article_list(chunk, options.urls, path))
        if pager:
            body.append(html_block(pager))
        out[path] = "".join(body)
    return out


def legend_html() -> str:
    """One sample of each entity type's highlight, so readers can decode the colours."""
    samples = " ".join(f'<span class="entity entity--{kind}">{TYPE_NAMES[kind]}</span>' for kind in ENTITY_TYPES)
    return f'<p class="digest-legend">Highlights: {samples}</p>'


def feeds_html(urls: Urls, page: str) -> str:
    """Links to the Atom and JSON feeds (feed readers also find them in each page's head)."""
    atom = escape_attr(urls.file_href(page, pages.ATOM_FEED))
    json_feed = escape_attr(urls.file_href(page, pages.JSON_FEED))
    return (
        '<p class="digest-feeds" data-search-exclude>Follow new articles in a feed reader: '
        f'<a href="{atom}">Atom feed</a> · '
        f'<a href="{json_feed}">JSON Feed</a></p>'
    )


def render_home(digest: Digest, options: SiteOptions) -> str:
    urls, page = options.urls, pages.HOME
    out = [front_matter(title=escape_text(options.site_name), digest_generated=True)]
    if options.home_intro.strip():
        # The editor's own Markdown (docs/_home.md): trusted like any hand-written page.
        out.append("\n" + options.home_intro.strip() + "\n")
    else:
        out.append(f"\n# {md_text(options.site_name)}\n")
    out.append("\n## Latest articles\n")
    latest = digest.articles[:20]
    if latest:
        out.append(article_list(latest, urls, page))
        if len(digest.articles) > len(latest):
            all_link = link(urls, page, pages.ARTICLES_INDEX, f"All {len(digest.articles)} articles")
            out.append(html_block(f"<p>{all_link}</p>"))
    else:
        out.append(html_block('<p class="digest-empty">No articles yet: add some to the seeds folder.</p>'))
    ranked = sorted(
        (e for e in digest.glossary.entities if digest.mention_counts[e.id]),
        key=lambda e: (-digest.mention_counts[e.id], e.name.casefold()),
    )[: options.most_mentioned]
    if ranked:
        out.append("\n## Most mentioned\n")
        items = "".join(
            f"<li>{link(urls, page, pages.entity_page(e.id), e.name)} {entity_badge(e.type)} "
            f'<span class="digest-count">{digest.mention_counts[e.id]}</span></li>'
            for e in ranked
        )
        out.append(html_block(f'<ol class="digest-top">{items}</ol>'))
    out.append(html_block(legend_html()))
    out.append(html_block(feeds_html(urls, page)))
    return "".join(out)


def render_articles_index(digest: Digest, options: SiteOptions) -> dict[str, str]:
    """The list of every article, newest first, in pages; links to the other ways in."""
    count = len(digest.articles)

    def intro(page: str) -> str:
        others = " · ".join(
            link(options.urls, page, target, label)
            for target, label in (
                (pages.TIMELINE, "by date"),
                (pages.SOURCES_INDEX, "by source"),
                (pages.ENTITIES_INDEX, "by entity"),
            )
        )
        return (
            f'<p class="digest-count">{count} article{"" if count == 1 else "s"}, newest first. Also {others}.</p>'
            + (feeds_html(options.urls, page) if page == pages.ARTICLES_INDEX else "")
        )

    return paginated(pages.ARTICLES_INDEX, "Articles", digest.articles, options, intro)


def source_slugs(sources: list[str]) -> dict[str, str]:
    """A unique page slug for each source name, in the given order."""
    wanted = [slugify(name) for name in sources]
    return dict(zip(sources, unique_slugs(["index", *wanted])[1:], strict=True))


def render_sources(digest: Digest, options: SiteOptions) -> dict[str, str]:
    """The sources index (each source, how many articles, the latest) and one listing per source."""
    by_source: dict[str, list[AnnotatedArticle]] = defaultdict(list)
    for article in digest.articles:  # listing order: newest first
        if article.article.source:
            by_source[article.article.source].append(article)
    names = sorted(by_source, key=lambda name: (-len(by_source[name]), name.casefold(), name))
    slugs = source_slugs(names)
    urls, page = options.urls, pages.SOURCES_INDEX
    unsourced = len(digest.articles) - sum(len(v) for v in by_source.values())
    out = [front_matter(title="Sources"), "\n# Sources\n"]
    if not names:
        out.append(html_block('<p class="digest-empty">No article names its source yet.</p>'))
    else:
        items = []
        for name in names:
            articles = by_source[name]
            latest = next((a.article.date for a in articles if a.article.date), None)
            when = f', latest <time datetime="{latest.isoformat()}">{format_date(latest)}</time>' if latest else ""
            number = f"{len(articles)} article{'' if len(articles) == 1 else 's'}"
            items.append(
                f'<li>{link(urls, page, pages.source_page(slugs[name]), name)} <span class="digest-count">{number}{when}</span></li>'
            )
        out.append(html_block(f'<ul class="digest-sources" data-search-exclude>{"".join(items)}</ul>'))
    if unsourced:
        out.append(
            html_block(
                f'<p class="digest-count">{unsourced} article{"" if unsourced == 1 else "s"} without a source.</p>'
            )
        )
    site = {page: "".join(out)}
    for name in names:
        count = len(by_source[name])
        site.update(
            paginated(
                pages.source_page(slugs[name]),
                name,
                by_source[name],
                options,
                lambda at, count=count: (
                    f'<p class="digest-count">{count} article{"" if count == 1 else "s"} from this source, newest first. '
                    f"{link(urls, at, pages.SOURCES_INDEX, 'All sources')}</p>"
                ),
            )
        )
    return site


def render_entities_index(digest: Digest, options: SiteOptions) -> str:
    """Entities grouped by type, with their mention counts."""
    urls, page = options.urls, pages.ENTITIES_INDEX
    out = [front_matter(title="Entities"), "\n# Entities\n", html_block(legend_html())]
    for kind in ENTITY_TYPES:
        members = sorted((e for e in digest.glossary.entities if e.type == kind), key=lambda e: e.name.casefold())
        if not members:
            continue
        out.append(f"\n## {TYPE_LABELS[kind]}\n")
        items = "".join(
            f"<li>{link(urls, page, pages.entity_page(e.id), e.name)} "
            f'<span class="digest-count">{digest.mention_counts[e.id]}</span></li>'
            for e in members
        )
        out.append(html_block(f'<ul class="digest-entities digest-entities--{kind}">{items}</ul>'))
    return "".join(out)


def render_timeline(digest: Digest, options: SiteOptions) -> str:
    """Articles by date, grouped by month (newest first); undated ones at the end."""
    urls, page = options.urls, pages.TIMELINE
    out = [front_matter(title="Timeline"), "\n# Timeline\n"]
    groups: dict[str, list[AnnotatedArticle]] = {}
    for article in digest.articles:  # already newest first, undated last
        date = article.article.date
        groups.setdefault(f"{date:%B %Y}" if date else "Undated", []).append(article)
    if not groups:
        out.append(html_block('<p class="digest-empty">No articles yet.</p>'))
    for heading, members in groups.items():
        out.append(f"\n## {md_text(heading)}\n")
        out.append(article_list(members, urls, page))
    return "".join(out)


def glossary_letter(name: str) -> str:
    first = name.strip()[:1].upper()
    return first if first.isalpha() else "#"


def render_glossary(digest: Digest, options: SiteOptions) -> str:
    """Every entry A–Z with its definition, grouped by initial letter."""
    urls, page = options.urls, pages.GLOSSARY
    out = [front_matter(title="Glossary"), "\n# Glossary\n"]
    groups: dict[str, list[Entity]] = defaultdict(list)
    for entity in digest.glossary.entities:
        groups[glossary_letter(entity.name)].append(entity)
    for letter in sorted(groups, key=lambda k: (k == "#", k)):
        out.append(f"\n## {md_text(letter)}\n")
        rows = []
        for e in sorted(groups[letter], key=lambda e: e.name.casefold()):
            aliases = (
                f'<br><span class="digest-aliases">Also: {escape_text(", ".join(e.aliases))}</span>'
                if e.aliases
                else ""
            )
            rows.append(
                f"<dt>{link(urls, page, pages.entity_page(e.id), e.name)} {entity_badge(e.type)}</dt>"
                f"<dd>{escape_text(e.definition)}{aliases}</dd>"
            )
        out.append(html_block(f'<dl class="digest-glossary">{"".join(rows)}</dl>'))
    return "".join(out)


def listing_key(article: AnnotatedArticle) -> tuple[str, str, str | None, dt.date | None, str | None]:
    """Everything a page that lists or links to ``article`` shows of it (see :func:`article_item`):
    its slug, title, source, date and summary. Keep in step with what listings read."""
    a = article.article
    return (a.slug, a.title, a.source, a.date, a.summary)


#: What a memo entry holds: one page's text, or a group of pages (a paginated listing) by path.
PageText = TypeVar("PageText", str, dict[str, str])


class RenderMemo:
    """Pages from an earlier run, reused while what they are made from is unchanged.

    Every page reads the glossary and the site options, the memo's *context*: when either
    differs from the last run's (by value), :meth:`begin` forgets every page. Beyond that, each
    page (or group of pages, such as a paginated listing) has a key holding what its renderer
    reads, and the memo hands back the last text when:

    - the key's objects are the very objects of last time (article and entity pages: the
      generator and :class:`~digest.crossref.Resolver` hand back the same objects for what did
      not change, so the common case is a cheap identity check), or
    - the page's ``view`` of the old and new keys is equal: what the page *shows* of them (an
      edited article is a new object, but the pages that link to it show only its
      :func:`listing_key`, so they are not rendered again unless that changed);
    - without a ``view``, the keys are equal by value (index pages, whose keys are small
      derived values such as every article's listing key).

    Articles seen by identity are kept alive by the keys that name them, so an ``id()`` in a
    view never stands for another object.
    """

    def __init__(self) -> None:
        self.pages: dict[str, tuple[tuple, str | dict[str, str]]] = {}
        self.reused = 0
        self.context: tuple | None = None
        self._listings: dict[int, tuple[AnnotatedArticle, tuple]] = {}

    def begin(self, context: tuple) -> None:
        """Start a run whose every page reads ``context`` (the glossary and the options)."""
        self.reused = 0
        if context != self.context:
            self.pages.clear()
            self.context = context

    def listing(self, article: AnnotatedArticle) -> tuple:
        """:func:`listing_key` of an article, the same tuple object while the article is (so
        keys built from it compare by identity)."""
        known = self._listings.get(id(article))
        if known is None or known[0] is not article:
            known = self._listings[id(article)] = (article, listing_key(article))
        return known[1]

    def page(
        self, path: str, key: tuple, render: Callable[[], PageText], view: Callable[[tuple], object] | None = None
    ) -> PageText:
        """The page (or pages) at ``path``: last run's if ``key`` shows it unchanged, else ``render()``."""
        known = self.pages.get(path)
        if known is not None:
            old, text = known
            if view is None:
                same = old == key
            else:
                same = (len(old) == len(key) and all(map(operator.is_, old, key))) or view(old) == view(key)
            if same:
                self.pages[path] = (key, text)  # the current objects, so that next time they are the same
                self.reused += 1
                return text  # type: ignore[return-value]
        text = render()
        self.pages[path] = (key, text)
        return text

    def keep_only(self, paths: set[str], articles: list[AnnotatedArticle]) -> None:
        """Forget the pages not in ``paths`` and the listing keys of articles not in ``articles``."""
        for gone in set(self.pages) - paths:
            del self.pages[gone]
        live = {id(article) for article in articles}
        for gone in set(self._listings) - live:
            del self._listings[gone]


def render_site(digest: Digest, options: SiteOptions, memo: RenderMemo | None = None) -> dict[str, str]:
    """Every generated page, as ``{docs-relative path: Markdown}``.

    With ``memo``, pages whose inputs have not changed since the memo's last run are taken from
    it instead of being rendered again (see :class:`RenderMemo`).
    """
    memo = memo or RenderMemo()
    memo.begin((digest.glossary, options))
    listing = memo.listing
    listings = tuple(listing(article) for article in digest.articles)
    site: dict[str, str] = {}
    # Index pages: the listings show each article's listing key; the home page and the entity
    # index show mention counts; the glossary page shows only the glossary (the context).
    site[pages.HOME] = memo.page(
        pages.HOME, (listings[:20], len(listings), digest.mention_counts), lambda: render_home(digest, options)
    )
    site.update(memo.page(pages.ARTICLES_INDEX, (listings,), lambda: render_articles_index(digest, options)))
    site.update(memo.page(pages.SOURCES_INDEX, (listings,), lambda: render_sources(digest, options)))
    site[pages.ENTITIES_INDEX] = memo.page(
        pages.ENTITIES_INDEX, (digest.mention_counts,), lambda: render_entities_index(digest, options)
    )
    site[pages.GLOSSARY] = memo.page(pages.GLOSSARY, (), lambda: render_glossary(digest, options))
    site[pages.TIMELINE] = memo.page(pages.TIMELINE, (listings,), lambda: render_timeline(digest, options))

    # An article page: the article itself, and of each related article its listing key and
    # the entities shared (key: the article, then its Related entries).
    def article_view(key: tuple) -> object:
        return id(key[0]), tuple((listing(r.article), r.shared) for r in key[1:])

    for article in digest.articles:
        path = pages.article_page(article.article.slug)
        key = (article, *(digest.related.get(article.article.slug) or ()))
        site[path] = memo.page(
            path, key, lambda article=article: render_article(article, digest, options), view=article_view
        )

    # An entity page: the entity (also in the glossary), its co-mentions, and of each article
    # that mentions or quotes it, the listing key and the mentions or quote shown (key: the
    # entity, the co-mention list, the number of backlinks, the backlinks, then each quote's
    # article and quote).
    def entity_view(key: tuple) -> object:
        count = key[2]
        backlinks = tuple((listing(b.article), b.mentions) for b in key[3 : 3 + count])
        quotes = key[3 + count :]
        return key[:3], backlinks, tuple((listing(a), q) for a, q in zip(quotes[::2], quotes[1::2], strict=True))

    for entity in digest.glossary.entities:
        path = pages.entity_page(entity.id)
        backlinks = digest.backlinks[entity.id]
        quoted = [part for pair in digest.quotes.get(entity.id) or () for part in pair]
        key = (entity, digest.co_mentions.get(entity.id) or (), len(backlinks), *backlinks, *quoted)
        site.update(
            memo.page(path, key, lambda entity=entity: render_entity(entity, digest, options), view=entity_view)
        )
    memo.keep_only(set(site), digest.articles)
    return site
