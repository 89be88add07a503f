"""Print: turn a resolved :class:`~digest.model.Digest` into one HTML document for paged media.

:func:`print_html` is a pure function (no files, no WeasyPrint): the PDF driver
(:mod:`digest.pdf`) lays the result out with ``digest/assets/print.css``. The document is a cover,
a table of contents, every article in the digest's listing order, and the glossary as an appendix.

Contract the stylesheet (and the tests) rely on:

* The cover is ``<section id="cover">``, the contents ``<nav id="contents">``, each article
  ``<article id="article-<slug>">`` with its headline in ``<h1>``, and the appendix
  ``<section id="glossary">`` with one ``<section class="entry" id="entity-<id>">`` per entity.
* Every mention is ``<a class="m m--<type>" href="#entity-<id>">``: linked to its glossary entry.
  The first mention of an entity in an article is followed by ``<span class="fn">``, its
  definition, which the stylesheet floats into the page's footnote area (``float: footnote``).
* Table-of-contents lines are ``<a class="toc-link" href="#article-<slug>">``; the stylesheet
  adds the page number with ``target-counter()``.
* The body keeps no ``id`` of its own: block anchors repeat from one article to the next, and
  nothing in print points at them.

All user text (titles, metadata, bodies, glossary entries) goes through :mod:`digest.markup`,
exactly as on the site, so nothing an article or the glossary says becomes markup; the
document references no external resource (no image, stylesheet or font URL).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from digest.markup import attrs_html, escape_attr, escape_text, plain_text, safe_url, to_html
from digest.model import ENTITY_TYPES, TYPE_LABELS, AnnotatedArticle, Digest, Element, Entity, Mention, Node
from digest.render import TYPE_NAMES, format_date


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """What the document says about itself: the digest's title and description (``mkdocs.yml``)."""

    title: str = "Digest"
    description: str | None = None
    lang: str = "en"


def article_anchor(slug: str) -> str:
    return f"article-{slug}"


def entity_anchor(entity_id: str) -> str:
    return f"entity-{entity_id}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def date_range(articles: Iterable[AnnotatedArticle]) -> str | None:
    """``"12 – 18 November 2024"``-style span of the dated articles, or ``None`` if none is dated."""
    dates = sorted(a.article.date for a in articles if a.article.date)
    if not dates:
        return None
    first, last = dates[0], dates[-1]
    if first == last:
        return format_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} – {format_date(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {format_date(last)}"
    return f"{format_date(first)} – {format_date(last)}"


def legend_html() -> str:
    """One sample per entity type, drawn like a mention (line style and colour), for the cover."""
    samples = "".join(f'<li><span class="m m--{kind}">{TYPE_NAMES[kind]}</span></li>' for kind in ENTITY_TYPES)
    return (
        '<div class="legend"><p class="legend__title">How names are marked</p>'
        f'<ul class="legend__list">{samples}</ul>'
        '<p class="legend__note">Each type has its own underline, so the marks read in black and white too. '
        "The first mention of a name in an article carries its definition as a footnote; every marked "
        "name links to its entry in the glossary.</p></div>"
    )


def cover_html(digest: Digest, options: PrintOptions) -> str:
    facts = [plural(len(digest.articles), "article"), plural(len(digest.glossary.entities), "entity", "entities")]
    span = date_range(digest.articles)
    description = f'<p class="cover__description">{escape_text(options.description)}</p>' if options.description else ""
    when = f'<p class="cover__dates">{escape_text(span)}</p>' if span else ""
    return (
        '<section id="cover">'
        f'<h1 class="cover__title">{escape_text(options.title)}</h1>{description}{when}'
        f'<p class="cover__facts">{" · ".join(facts)}</p>'
        f"{legend_html()}</section>"
    )


def contents_html(digest: Digest) -> str:
    """One line per article (headline, source and date, page number), then the glossary."""
    lines = []
    for article in digest.articles:
        a = article.article
        details = [escape_text(a.source)] if a.source else []
        if a.date:
            details.append(format_date(a.date))
        meta = f'<span class="toc-meta">{" · ".join(details)}</span>' if details else ""
        lines.append(
            f'<li><a class="toc-link" href="#{escape_attr(article_anchor(a.slug))}">'
            f'<span class="toc-title">{escape_text(a.title)}</span></a>{meta}</li>'
        )
    lines.append(
        '<li class="toc-appendix"><a class="toc-link" href="#glossary"><span class="toc-title">'
        f"Glossary of {plural(len(digest.glossary.entities), 'entity', 'entities')}</span></a></li>"
    )
    return f'<nav id="contents"><h1>Contents</h1><ol class="toc">{"".join(lines)}</ol></nav>'


def without_ids(node: Node) -> Node:
    """A copy of a body node without ``id`` attributes (they repeat across articles in one document)."""
    if not isinstance(node, Element):
        return node
    attrs = {k: v for k, v in node.attrs.items() if k != "id"}
    return Element(node.tag, attrs, [without_ids(child) for child in node.children])


def footnote_html(entity: Entity) -> str:
    """A definition for the footnote area: name, type, definition."""
    return (
        f'<span class="fn"><span class="fn__name">{escape_text(entity.name)}</span> '
        f'<span class="fn__type">({TYPE_NAMES[entity.type]})</span> {escape_text(entity.definition)}</span>'
    )


def mention_html(mention: Mention, entity: Entity, *, footnote: bool) -> str:
    """A marked, linked mention; with its definition as a footnote when ``footnote`` is true."""
    attrs = {"class": f"m m--{entity.type}", "href": f"#{entity_anchor(entity.id)}"}
    link = f"<a{attrs_html(attrs)}>{escape_text(mention.text)}</a>"
    return link + footnote_html(entity) if footnote else link


def meta_html(article: AnnotatedArticle) -> str:
    """Source, date and author, then the original's URL as text (paper cannot follow a link)."""
    a = article.article
    parts = [f'<span class="meta__source">{escape_text(a.source)}</span>'] if a.source else []
    if a.date:
        parts.append(f'<time datetime="{a.date.isoformat()}">{format_date(a.date)}</time>')
    if a.author:
        parts.append(f"By {escape_text(a.author)}")
    out = f'<p class="meta">{" · ".join(parts)}</p>' if parts else ""
    url = safe_url(a.url) if a.url else None
    if url:
        out += f'<p class="meta meta__url"><a href="{escape_attr(url)}">{escape_text(url)}</a></p>'
    return out


def related_html(article: AnnotatedArticle, digest: Digest) -> str:
    """Related articles in this digest, each with its page number (added by the stylesheet)."""
    related = digest.related.get(article.article.slug) or []
    if not related:
        return ""
    items = "".join(
        f'<li><a class="related-link" href="#{escape_attr(article_anchor(r.article.article.slug))}">'
        f"{escape_text(r.article.article.title)}</a></li>"
        for r in related
    )
    return f'<aside class="related"><p class="related__title">Related in this digest</p><ul>{items}</ul></aside>'


def article_html(article: AnnotatedArticle, digest: Digest) -> str:
    a = article.article
    noted: set[str] = set()

    def render_mention(mention: Mention) -> str:
        # The first mention *rendered* gets the footnote: the same as ``Mention.first`` for a
        # body in reading order, and never a definition lost if the two ever disagree.
        footnote = mention.entity_id not in noted
        noted.add(mention.entity_id)
        return mention_html(mention, digest.entities[mention.entity_id], footnote=footnote)

    out = [f'<article id="{escape_attr(article_anchor(a.slug))}"><header>']
    out.append(f"<h1>{escape_text(a.title)}</h1>{meta_html(article)}")
    if a.tags:
        out.append(f'<p class="tags">{" · ".join(escape_text(tag) for tag in a.tags)}</p>')
    if a.summary:
        out.append(f'<p class="summary">{escape_text(a.summary)}</p>')
    out.append('</header><div class="body">')
    out.append(to_html([without_ids(block) for block in article.body], render_mention))
    out.append(f"</div>{related_html(article, digest)}</article>")
    return "".join(out)


def entry_html(entity: Entity, digest: Digest) -> str:
    """One glossary entry: name, type, aliases, definition, reference, and how often it is named."""
    articles = len(digest.backlinks.get(entity.id) or ())
    mentions = digest.mention_counts.get(entity.id, 0)
    parts = [
        f'<h3><span class="entry__name">{escape_text(entity.name)}</span> '
        f'<span class="entry__type m m--{entity.type}">{TYPE_NAMES[entity.type]}</span></h3>'
    ]
    if entity.aliases:
        parts.append(f'<p class="entry__aliases">Also: {escape_text(", ".join(entity.aliases))}</p>')
    parts.append(f'<p class="entry__definition">{escape_text(entity.definition)}</p>')
    reference = safe_url(entity.link) if entity.link else None
    if reference:
        parts.append(f'<p class="entry__link"><a href="{escape_attr(reference)}">{escape_text(reference)}</a></p>')
    count = (
        f"Mentioned {plural(mentions, 'time')} in {plural(articles, 'article')}."
        if articles
        else "Not mentioned in this digest's articles."
    )
    parts.append(f'<p class="entry__count">{count}</p>')
    return f'<section class="entry" id="{escape_attr(entity_anchor(entity.id))}">{"".join(parts)}</section>'


def glossary_html(digest: Digest) -> str:
    """The appendix: entities grouped by type (as the legend lists them), A–Z within a type."""
    out = ['<section id="glossary"><h1>Glossary</h1>']
    for kind in ENTITY_TYPES:
        members = sorted((e for e in digest.glossary.entities if e.type == kind), key=lambda e: e.name.casefold())
        if members:
            out.append(f'<section class="group"><h2>{TYPE_LABELS[kind]}</h2>')
            out.extend(entry_html(entity, digest) for entity in members)
            out.append("</section>")
    if not digest.glossary.entities:
        out.append('<p class="empty">The glossary is empty.</p>')
    out.append("</section>")
    return "".join(out)


def print_html(digest: Digest, options: PrintOptions) -> str:
    """The whole digest as one HTML document for paged media (see the module's contract)."""
    return (
        f'<!DOCTYPE html><html lang="{escape_attr(options.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape_text(options.title)}</title>"
        f'<meta name="description" content="{escape_attr(options.description or "")}">'
        f'<meta name="generator" content="Digest"></head><body>'
        f"{cover_html(digest, options)}{contents_html(digest)}"
        f"{''.join(article_html(article, digest) for article in digest.articles)}"
        f"{glossary_html(digest)}</body></html>"
    )


def printed_texts(digest: Digest) -> dict[str, str]:
    """The words the PDF prints, by where they come from (an article's path, or the glossary
    file): for :func:`digest.fonts.missing_glyphs`, which names those places in its warning."""
    texts = {
        annotated.article.path: "\n".join(
            filter(
                None,
                (
                    annotated.article.title,
                    annotated.article.summary,
                    annotated.article.source,
                    annotated.article.author,
                    plain_text(annotated.body),
                ),
            )
        )
        for annotated in digest.articles
    }
    texts["the glossary"] = "\n".join(
        f"{entity.name}\n{' '.join(entity.aliases)}\n{entity.definition}" for entity in digest.glossary.entities
    )
    return texts
