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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from digest import __version__
from digest import urls as pages
from digest.markup import plain_text, safe_url
from digest.model import AnnotatedArticle, Digest, Entity, Glossary
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


class FeedMemo:
    """Feed entries and feeds from an earlier run, reused while their inputs are the same.

    An article's entry is a function of the article, the site options, the glossary and, for
    an undated article, the fallback date: it is reused while the article and the glossary are
    the same objects (the generator hands back the same article object for an unchanged seed)
    and the options and that date are equal. The feeds are functions of their entries and the
    options (and of the fallback date when there is no entry): they are reused while those are
    equal, so an edit that changes no entry (most edits of an article's text) writes neither.
    When they are rendered again, the entries that did not change are taken from ``atom`` and
    ``json``, serialized (see :func:`atom_feed` and :func:`json_feed`).
    """

    def __init__(self) -> None:
        self.entries: dict[int, tuple[AnnotatedArticle, Glossary, SiteOptions, dt.datetime | None, Entry]] = {}
        self.feeds: tuple[tuple, dict[str, str]] | None = None
        self.atom: Fragments = {}
        self.json: Fragments = {}


def entries(digest: Digest, options: SiteOptions, fallback: dt.datetime, memo: FeedMemo | None = None) -> list[Entry]:
    """The feed entries, in the digest's listing order (newest first, undated last).

    ``fallback`` stands in for the date of undated articles (Atom requires one): the caller
    passes something stable, such as the newest modification time among the inputs, so two
    builds of the same inputs write the same feeds. With ``memo``, the entries of unchanged
    articles are taken from it (see :class:`FeedMemo`).
    """
    links = FeedLinks(options)
    limit = options.feed_limit or len(digest.articles)
    known = memo.entries if memo is not None else {}
    kept: dict[int, tuple[AnnotatedArticle, Glossary, SiteOptions, dt.datetime | None, Entry]] = {}
    out: list[Entry] = []
    for annotated in digest.articles[:limit]:
        date = None if annotated.article.date else fallback
        found = known.get(id(annotated))
        if (
            found is None
            or found[0] is not annotated
            or found[1] is not digest.glossary
            or found[2:4] != (options, date)
        ):
            found = (annotated, digest.glossary, options, date, entry(annotated, digest, links, fallback))
        kept[id(annotated)] = found
        out.append(found[4])
    if memo is not None:
        memo.entries = kept  # only the current articles: an id is never looked up for another object
    return out


def entry(annotated: AnnotatedArticle, digest: Digest, links: FeedLinks, fallback: dt.datetime) -> Entry:
    """One article's feed entry."""
    a = annotated.article
    published = midnight(a.date) if a.date else None
    return Entry(
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


def feed_updated(items: Iterable[Entry], fallback: dt.datetime) -> dt.datetime:
    return max((item.updated for item in items), default=fallback)


#: Serialized entries by entry object: ``{id(entry): (entry, options, text)}`` (see :class:`FeedMemo`).
Fragments = dict[int, tuple[Entry, SiteOptions, str]]


def _fragment(fragments: Fragments | None, item: Entry, options: SiteOptions, make: Callable[[], str]) -> str:
    """``make()``, or the text made for this very entry object with these options last time."""
    if fragments is None:
        return make()
    known = fragments.get(id(item))
    if known is None or known[0] is not item or known[1] != options:
        known = fragments[id(item)] = (item, options, make())
    return known[2]


def _keep_only(fragments: Fragments | None, items: list[Entry]) -> None:
    if fragments is not None:
        live = {id(item) for item in items}
        for gone in set(fragments) - live:
            del fragments[gone]


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    node.text = text
    return node


def atom_head(items: list[Entry], options: SiteOptions, fallback: dt.datetime) -> ET.Element:
    """The Atom ``<feed>`` element with everything but its entries."""
    links = FeedLinks(options)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {f"{{{XML_NS}}}lang": options.language})
    _el(feed, "title", options.site_name)
    if options.site_description:
        _el(feed, "subtitle", options.site_description)
    _el(feed, "id", links.feed_id())
    _el(feed, "link", rel="self", type="application/atom+xml", href=links.feed(ATOM))
    _el(feed, "link", rel="alternate", type="text/html", href=links.page(pages.HOME))
    _el(feed, "link", rel="alternate", type="application/feed+json", href=links.feed(JSON_FEED))
    _el(feed, "updated", rfc3339(feed_updated(items, fallback)))
    _el(_el(feed, "author"), "name", options.site_author or options.site_name)
    _el(feed, "generator", "Digest", uri=GENERATOR_URI, version=__version__)
    return feed


def atom_entry(feed: ET.Element, item: Entry, links: FeedLinks) -> ET.Element:
    """One article's ``<entry>``, added to ``feed``."""
    entry = _el(feed, "entry")
    _el(entry, "title", item.title)
    _el(entry, "link", rel="alternate", type="text/html", href=item.url)
    if item.original_url:
        _el(entry, "link", rel="via", href=item.original_url, **({"title": item.source} if item.source else {}))
    _el(entry, "id", item.id)
    if item.published:
        _el(entry, "published", rfc3339(item.published))
    _el(entry, "updated", rfc3339(item.updated))
    if item.author:
        _el(_el(entry, "author"), "name", item.author)
    summary = f"{item.source}. {item.summary}" if item.source else item.summary
    _el(entry, "summary", summary)
    for entity in item.entities:
        _el(entry, "category", term=entity.id, label=entity.name, scheme=links.page(pages.ENTITIES_INDEX))
    return entry


def atom_feed(
    items: list[Entry], options: SiteOptions, fallback: dt.datetime, fragments: Fragments | None = None
) -> str:
    """The Atom 1.0 feed (RFC 4287) of these entries.

    The text is ElementTree's for the whole feed, indented by ``ET.indent``; it is put together
    from the head and each entry serialized alone (the same characters: an entry's indentation
    depends only on its depth, and its elements all belong to the feed's default namespace, whose
    declaration is left to ``<feed>``). With ``fragments``, an entry serialized before is reused.
    """
    ET.register_namespace("", ATOM_NS)
    links = FeedLinks(options)
    head = atom_head(items, options, fallback)
    ET.indent(head)
    _keep_only(fragments, items)
    if not items:
        return f'<?xml version="1.0" encoding="utf-8"?>\n{ET.tostring(head, encoding="unicode")}\n'
    head[-1].tail = "\n  "  # what ET.indent gives a child that entries follow
    text = ET.tostring(head, encoding="unicode")
    entries = [_fragment(fragments, item, options, lambda item=item: _atom_entry_text(item, links)) for item in items]
    if not text.endswith("</feed>"):
        raise AssertionError(f"unexpected serialization of an Atom feed: {text[-80:]!r}")
    text = text.removesuffix("</feed>") + "\n  ".join(entries) + "\n</feed>"
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'


_ENTRY_START = f'<entry xmlns="{ATOM_NS}">'


def _atom_entry_text(item: Entry, links: FeedLinks) -> str:
    """One ``<entry>`` as it reads inside the indented feed, from its start tag to its end tag."""
    entry = atom_entry(ET.Element("holder"), item, links)
    ET.indent(entry, level=1)
    text = ET.tostring(entry, encoding="unicode")
    if not text.startswith(_ENTRY_START):  # the namespace is declared once, on <feed>
        raise AssertionError(f"unexpected serialization of an Atom entry: {text[:80]!r}")
    return "<entry>" + text[len(_ENTRY_START) :]


def _json_nested(value: object, level: int) -> str:
    """``json.dumps(value, indent=2)`` as it reads ``level`` deep inside an indented document.

    The encoder's only line breaks are between members (a string's are escaped), so indenting
    every line by the depth gives the characters it writes for the value in place.
    """
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def json_item(item: Entry, links: FeedLinks) -> dict[str, object]:
    """One article's JSON Feed item."""
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
    return data


def json_feed(items: list[Entry], options: SiteOptions, fragments: Fragments | None = None) -> str:
    """The JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of these entries.

    The text is ``json.dumps(feed, ensure_ascii=False, indent=2)``, put together member by
    member and item by item (see :func:`_json_nested`). With ``fragments``, an item serialized
    before is reused.
    """
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
    feed["items"] = []  # written below
    feed["_digest"] = {"generator": f"Digest {__version__}"}  # an extension: keys starting with "_"
    texts = [
        _fragment(fragments, item, options, lambda item=item: _json_nested(json_item(item, links), 2)) for item in items
    ]
    _keep_only(fragments, items)
    items_text = "[\n    " + ",\n    ".join(texts) + "\n  ]" if texts else "[]"
    members = [
        f"  {json.dumps(key)}: {items_text if key == 'items' else _json_nested(value, 1)}"
        for key, value in feed.items()
    ]
    return "{\n" + ",\n".join(members) + "\n}\n"


#: An empty sitemap beside the feeds. Material for MkDocs reads every ``<link rel="alternate">``
#: in a page's head as another language version of the site and fetches ``sitemap.xml`` next
#: to it, so the feeds' autodiscovery links (``overrides/main.html``) would cost a 404 on every
#: page view. Empty, it answers that request and maps no page to another "language".
ALTERNATE_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def render_feeds(
    digest: Digest, options: SiteOptions, fallback: dt.datetime, memo: FeedMemo | None = None
) -> dict[str, str]:
    """Both feeds (and the theme's sitemap beside them), as ``{docs-relative path: text}``.

    With ``memo``, what has not changed since the memo's last run is taken from it (see
    :class:`FeedMemo`).
    """
    items = entries(digest, options, fallback, memo)
    # The fallback date reaches the feeds through the entries, except for an empty feed's date.
    key = (tuple(items), options, None if items else fallback)
    if memo is not None and memo.feeds is not None and memo.feeds[0] == key:
        return dict(memo.feeds[1])
    feeds = {
        ATOM: atom_feed(items, options, fallback, memo.atom if memo is not None else None),
        JSON_FEED: json_feed(items, options, memo.json if memo is not None else None),
        f"{pages.FEEDS_DIR}/sitemap.xml": ALTERNATE_SITEMAP,
    }
    if memo is not None:
        memo.feeds = (key, feeds)
    return dict(feeds)
