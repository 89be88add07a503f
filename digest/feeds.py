"""Feeds: an Atom feed and a JSON Feed of the digest's articles, newest first.

Both are pure functions of the resolved :class:`~digest.model.Digest`, like the pages, and the
generator writes them into ``docs/feeds/`` so that either site engine copies them to
``site/feeds/atom.xml`` and ``site/feeds/feed.json`` unchanged.

Links: with ``site_url`` set in ``mkdocs.yml`` every link is absolute (feed readers and
validators want that, and a feed is often read far from the site). Without it, links are
relative to the feed file, which readers resolve against the feed's own address, so the feeds
still work from a domain root, a sub-path or the file system; entry ids are then stable
``urn:uuid:`` names derived from the site name and the article's slug, so a reader never sees
an entry twice.

Each entry carries the title, link, date, author, source (Atom: a ``via`` link to the original
with the source's name as its title; JSON Feed: ``_digest.source``), a summary (the article's
own, or the first words of its text) and the entities it names as categories (Atom
``<category>``, JSON Feed ``tags``). All text is data: ElementTree and ``json`` escape it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from digest import __version__
from digest import urls as pages
from digest.markup import plain_text, safe_url
from digest.model import AnnotatedArticle, Digest, Entity
from digest.render import SiteOptions

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM = pages.ATOM_FEED
JSON_FEED = pages.JSON_FEED
SUMMARY_CHARS = 300
GENERATOR_URI = "https://pypi.org/project/digest/"


@dataclass(frozen=True, slots=True)
class Entry:
    """One article as the feeds show it; links already absolute or feed-relative."""

    id: str
    title: str
    url: str
    updated: dt.datetime
    published: dt.datetime | None
    author: str | None
    source: str | None
    original_url: str | None
    summary: str
    entities: tuple[Entity, ...]


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def midnight(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def summary_of(article: AnnotatedArticle, limit: int = SUMMARY_CHARS) -> str:
    """The article's own summary, or its first ``limit`` characters cut at a word, with an ellipsis."""
    if article.article.summary:
        return article.article.summary
    # Paragraphs only: a lead photo's caption or a pull quote is not what the article says.
    paragraphs = (plain_text(block.children) for block in article.body if block.tag == "p")
    text = ""
    for paragraph in paragraphs:
        text = f"{text} {' '.join(paragraph.split())}".strip()
        if len(text) > limit:
            break
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"


class FeedLinks:
    """Where the feeds point: absolute under ``site_url``, else relative to ``feeds/``."""

    def __init__(self, options: SiteOptions) -> None:
        self.urls = options.urls
        self.site_url = options.site_url.rstrip("/") + "/" if options.site_url else None
        self.site_name = options.site_name

    def page(self, page: str) -> str:
        url = self.urls.url(page)
        return urljoin(self.site_url, url) if self.site_url else "../" + url

    def feed(self, path: str) -> str:
        return urljoin(self.site_url, path) if self.site_url else path.rsplit("/", 1)[-1]

    def entry_id(self, slug: str) -> str:
        if self.site_url:
            return self.page(pages.article_page(slug))
        return uuid.uuid5(uuid.NAMESPACE_URL, f"digest:{self.site_name}:{slug}").urn

    def feed_id(self) -> str:
        return self.site_url or uuid.uuid5(uuid.NAMESPACE_URL, f"digest:{self.site_name}").urn


def entries(digest: Digest, options: SiteOptions, fallback: dt.datetime) -> list[Entry]:
    """The feed entries, in the digest's listing order (newest first, undated last).

    ``fallback`` stands in for the date of undated articles (Atom requires one): the caller
    passes something stable, such as the newest modification time among the inputs, so two
    builds of the same inputs write the same feeds.
    """
    links = FeedLinks(options)
    limit = options.feed_limit or len(digest.articles)
    out: list[Entry] = []
    for annotated in digest.articles[:limit]:
        a = annotated.article
        published = midnight(a.date) if a.date else None
        out.append(
            Entry(
                id=links.entry_id(a.slug),
                title=a.title,
                url=links.page(pages.article_page(a.slug)),
                updated=published or fallback,
                published=published,
                author=a.author,
                source=a.source,
                original_url=safe_url(a.url) if a.url else None,
                summary=summary_of(annotated),
                entities=tuple(digest.entities[e] for e in annotated.entity_ids),
            )
        )
    return out


def feed_updated(items: Iterable[Entry], fallback: dt.datetime) -> dt.datetime:
    return max((item.updated for item in items), default=fallback)


def atom_feed(items: list[Entry], options: SiteOptions, fallback: dt.datetime) -> str:
    """The Atom 1.0 feed (RFC 4287) of these entries."""
    links = FeedLinks(options)
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        node.text = text
        return node

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {f"{{{XML_NS}}}lang": options.language})
    el(feed, "title", options.site_name)
    if options.site_description:
        el(feed, "subtitle", options.site_description)
    el(feed, "id", links.feed_id())
    el(feed, "link", rel="self", type="application/atom+xml", href=links.feed(ATOM))
    el(feed, "link", rel="alternate", type="text/html", href=links.page(pages.HOME))
    el(feed, "link", rel="alternate", type="application/feed+json", href=links.feed(JSON_FEED))
    el(feed, "updated", rfc3339(feed_updated(items, fallback)))
    el(el(feed, "author"), "name", options.site_author or options.site_name)
    el(feed, "generator", "Digest", uri=GENERATOR_URI, version=__version__)
    for item in items:
        entry = el(feed, "entry")
        el(entry, "title", item.title)
        el(entry, "link", rel="alternate", type="text/html", href=item.url)
        if item.original_url:
            el(entry, "link", rel="via", href=item.original_url, **({"title": item.source} if item.source else {}))
        el(entry, "id", item.id)
        if item.published:
            el(entry, "published", rfc3339(item.published))
        el(entry, "updated", rfc3339(item.updated))
        if item.author:
            el(el(entry, "author"), "name", item.author)
        summary = f"{item.source}. {item.summary}" if item.source else item.summary
        el(entry, "summary", summary)
        for entity in item.entities:
            el(
                entry,
                "category",
                term=entity.id,
                label=entity.name,
                scheme=links.page(pages.ENTITIES_INDEX),
            )
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def json_feed(items: list[Entry], options: SiteOptions) -> str:
    """The JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of these entries."""
    links = FeedLinks(options)
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": options.site_name,
        "home_page_url": links.page(pages.HOME),
        "feed_url": links.feed(JSON_FEED),
        "language": options.language,
        "authors": [{"name": options.site_author or options.site_name}],
    }
    if options.site_description:
        feed["description"] = options.site_description
    json_items = []
    for item in items:
        data: dict[str, object] = {"id": item.id, "url": item.url, "title": item.title}
        if item.original_url:
            data["external_url"] = item.original_url
        data["content_text"] = item.summary
        data["summary"] = item.summary
        if item.published:
            data["date_published"] = rfc3339(item.published)
        data["date_modified"] = rfc3339(item.updated)
        if item.author:
            data["authors"] = [{"name": item.author}]
        data["tags"] = [entity.name for entity in item.entities]
        data["_digest"] = {
            "source": item.source,
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type, "url": links.page(pages.entity_page(e.id))}
                for e in item.entities
            ],
        }
        json_items.append(data)
    feed["items"] = json_items
    feed["_digest"] = {"generator": f"Digest {__version__}"}  # an extension: keys starting with "_"
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


#: An empty sitemap beside the feeds. Material for MkDocs reads every ``<link rel="alternate">``
#: in a page's head as another language version of the site and fetches ``sitemap.xml`` next
#: to it, so the feeds' autodiscovery links (``overrides/main.html``) would cost a 404 on every
#: page view. Empty, it answers that request and maps no page to another "language".
ALTERNATE_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def render_feeds(digest: Digest, options: SiteOptions, fallback: dt.datetime) -> dict[str, str]:
    """Both feeds (and the theme's sitemap beside them), as ``{docs-relative path: text}``."""
    items = entries(digest, options, fallback)
    return {
        ATOM: atom_feed(items, options, fallback),
        JSON_FEED: json_feed(items, options),
        f"{pages.FEEDS_DIR}/sitemap.xml": ALTERNATE_SITEMAP,
    }
