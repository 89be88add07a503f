"""Saved web pages (``.html`` / ``.htm``) as articles.

Contract of :func:`parse_html`:

* **Pure**: bytes (or an already decoded ``str``) and a display path in; an
  :class:`~digest.model.Article` (or ``None``) and :class:`~digest.model.Problem` values out.
  Nothing raises for bad input.
* **Decoding** (bytes only): a UTF-8 or UTF-16 byte-order mark wins; then a charset declared by
  ``<meta charset>`` or ``<meta http-equiv="Content-Type">`` in the first 4 KB; then UTF-8; then
  Windows-1252. ``iso-8859-1`` and ``us-ascii`` are read as Windows-1252, as browsers do (pages
  that say Latin-1 routinely carry Windows-1252 curly quotes). A declared charset Python does not
  know, or one the bytes do not follow, is a warning and the page is read as UTF-8 or
  Windows-1252. CRLF line ends, a BOM and control characters never reach the article.
* **Metadata** (BeautifulSoup), each field from the first source that has it:

  - ``title``: the ``h1`` of the article element (the first ``<article>`` holding an ``h1``,
    else the largest ``<article>``, else ``<main>``); ``og:title``; JSON-LD ``headline``; ``<title>`` without a trailing
    `` | Site`` / `` - Site`` that is recognisably the site; the page's only ``h1``; else the
    file stem, with a warning.
  - ``date``: ``article:published_time``, ``itemprop=datePublished``, JSON-LD
    ``datePublished``, ``<meta name="date">`` / ``DC.date``, a ``<time datetime>`` of the
    article. Values no source reads as a date give one warning.
  - ``source``: ``og:site_name``, JSON-LD ``publisher``. ``author``: ``<meta name="author">``,
    JSON-LD ``author`` (a name, an object or a list of either; several are joined with ", "),
    a byline element (``rel=author`` links, ``itemprop=author``, a ``byline``/``author`` class) without
    its "By". ``url``: ``<link rel="canonical">`` (resolved against ``og:url``), ``og:url``;
    http(s) only. ``summary``: ``og:description``, ``<meta name="description">``.
  - JSON-LD may be an object, a list or an ``@graph``; ``{"@id": ...}`` references are
    followed and broken blocks ignored.
* **Body**: the article's own text, found by trafilatura (see :class:`Extraction`; the choice
  and its figures are measured by :mod:`digest.extraction_bench`), else by a BeautifulSoup pass
  over the article element with the boilerplate (navigation, headers and footers, asides, forms,
  ads, cookie banners, share and newsletter widgets, comments, "related" boxes) removed.
  Paragraphs, headings (``h1`` becomes ``h2``), block quotes, lists, tables, code and emphasis
  are kept; a leading heading that repeats the headline is dropped. The lead image's caption
  and credit (the first ``figure > figcaption`` of the article outside widgets; see
  :func:`lead_figure`) become the first block, as in the ``.txt`` format:
  ``figure.digest-figure > figcaption`` with ``span.digest-credit``.
* **Nothing of the page passes through as HTML**: the body is rebuilt from text (``str``
  nodes, escaped by the renderer) and the tags of :data:`digest.markup.ALLOWED`, without class
  or style attributes. Every link goes through :func:`~digest.textformat.safe_href` after
  being resolved against the canonical URL (relative links are dropped when there is none,
  their text kept). Images, scripts, frames and event handlers are dropped.
* A page without body text is skipped with a warning (``None`` is returned).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from bs4 import BeautifulSoup, Comment, NavigableString, Tag, XMLParsedAsHTMLWarning

from digest.ingest import decode
from digest.markup import plain_text
from digest.model import Article, Element, Location, Node, Problem
from digest.textformat import (
    clean_author,
    collapse_spaces,
    find_date,
    normalize_text,
    parse_date,
    safe_href,
    strip_controls,
)

# trafilatura logs its own notes on odd pages ("empty HTML tree"...) at WARNING level. Without a
# handler Python would print them to stderr, and propagated they would land in the digest's log.
# We report what matters about a page ourselves, as Problems.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("trafilatura").propagate = False


@dataclass(frozen=True, slots=True)
class Extraction:
    """How the article body is found. The default is the best measured setting.

    ``extractor`` is ``"trafilatura"`` (its cascade, focused on ``favor``; ``fast`` skips its
    comparison with readability and jusText), or ``"soup"`` (only our BeautifulSoup pass).
    ``fallback`` runs the BeautifulSoup pass when trafilatura finds nothing but the headline.
    :mod:`digest.extraction_bench` compares the variants on real pages.
    """

    extractor: Literal["trafilatura", "soup"] = "trafilatura"
    favor: Literal["balanced", "precision", "recall"] = "precision"
    fast: bool = False
    fallback: bool = True


DEFAULT_EXTRACTION = Extraction()


def parse_html(
    data: bytes | str,
    path: str,
    *,
    extraction: Extraction = DEFAULT_EXTRACTION,
) -> tuple[Article | None, list[Problem]]:
    """Read a saved web page as an article; see the module docstring for the contract."""
    problems: list[Problem] = []
    if isinstance(data, bytes):
        text, problems = decode_html(data, path)
        if text is None:
            return None, problems
    else:
        text = data
    text = normalize_text(text)
    if not text.strip():
        return None, [*problems, Problem("warning", Location(path), "is empty; skipped")]

    with warnings.catch_warnings():
        # An XHTML page (<?xml ...?> first) is read as HTML on purpose: browsers do the same.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    meta, meta_problems = read_metadata(soup, path)
    problems += meta_problems

    # The caption is read from the page, not from the extractor's output, so that it comes with
    # its credit, and first, as in the .txt format. (Before the body: its BeautifulSoup pass
    # takes the soup apart.)
    figure = lead_figure(soup)
    blocks = extract_body(text, soup, meta.url, meta.title, extraction)
    if figure is not None:  # drop the extractor's copy of the caption, if it kept one
        captions = _caption_texts(figure)
        blocks = [b for b in blocks if not any(_same_text(plain_text(b.children), c) for c in captions)]
    if not blocks:
        return None, [*problems, Problem("warning", Location(path), "has no article text; skipped")]
    if figure is not None:
        blocks.insert(0, figure)

    title = meta.title
    if not title:
        title = _stem(path)
        message = f"no headline (no <h1>, og:title or <title>); using '{title}'"
        problems.append(Problem("warning", Location(path), message))
    article = Article(
        path=path,
        title=title,
        body=blocks,
        date=meta.date,
        source=meta.source,
        author=meta.author,
        url=meta.url,
        summary=meta.summary,
    )
    return article, problems


# ----------------------------------------------------------------------------- decoding

# A charset declaration: <meta charset="x"> or <meta http-equiv=... content="text/html; charset=x">.
_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# What browsers actually use for a declared codec (WHATWG Encoding Standard): Latin-1 and ASCII
# labels mean Windows-1252, and a UTF-16/32 label in a meta tag (which was readable as ASCII,
# so cannot be UTF-16) means UTF-8.
_WINDOWS_1252_CODECS = frozenset({"iso8859-1", "ascii"})


def decode_html(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a page's bytes (the order is in the module docstring); ``None`` when it is not text."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, path)
    match = _META_CHARSET_RE.search(data[:4096])
    if match is None:
        return decode(data, path)
    label = match.group(1).decode("ascii")
    codec = _browser_codec(label)
    if codec is not None:
        try:
            return data.decode(codec), []
        except UnicodeDecodeError:
            problem = f"declares charset '{label}' but is not written in it"
    else:
        problem = f"declares the unknown charset '{label}'"
    text, problems = decode(data, path)
    message = f"{problem}; read as UTF-8 or Windows-1252 instead"
    return text, [Problem("warning", Location(path), message), *problems]


def _browser_codec(label: str) -> str | None:
    """The Python codec a browser would use for a declared charset; ``None`` if there is none."""
    try:
        codec = codecs.lookup(label).name
        b"a".decode(codec, "ignore")  # LookupError for codecs that are not text encodings ("base64")
    except LookupError:
        return None
    if codec in _WINDOWS_1252_CODECS:
        return "cp1252"
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


# ----------------------------------------------------------------------------- metadata


@dataclass(slots=True)
class PageMeta:
    """What a page says about its article, each field ``None`` when the page does not say."""

    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    summary: str | None = None


def read_metadata(soup: BeautifulSoup, path: str) -> tuple[PageMeta, list[Problem]]:
    """Read the article's metadata from a parsed page (see the module docstring for the order)."""
    problems: list[Problem] = []
    metas = _meta_values(soup)
    ld = _JsonLd(soup)
    container = article_container(soup)
    scope = container or soup

    url = _canonical_url(soup, metas)
    source = _clean(metas.get("og:site_name")) or _clean(ld.publisher())
    # Each `or` chain stops at the first source that has a value; later ones are not computed.
    h1 = container.find("h1") if container is not None else None
    title = (
        (_tag_text(h1) if isinstance(h1, Tag) else None)
        or _strip_site_name(_clean(metas.get("og:title")), source, url, bar=False)
        or _strip_site_name(_clean(ld.text("headline")), source, url, bar=False)
        or (_strip_site_name(_tag_text(soup.title), source, url) if soup.title else None)
        or _only_h1(soup)
    )

    date_texts = [
        text
        for text in (
            metas.get("article:published_time"),
            metas.get("datepublished"),
            ld.text("datePublished"),
            metas.get("date"),
            metas.get("dc.date"),
            _time_datetime(scope),
            _shown_date(scope, soup),
        )
        if text and text.strip()
    ]
    date = next((d for d in map(_read_date, date_texts) if d is not None), None)
    if date is None and date_texts:
        message = f"cannot read the date '{_clean(date_texts[0])}'; the article is kept without a date"
        problems.append(Problem("warning", Location(path), message))

    author = clean_author(_clean(metas.get("author")) or _clean(ld.authors()) or _byline(scope))
    summary = _short(_clean(metas.get("og:description")) or _clean(metas.get("description")))
    meta = PageMeta(title=title or None, date=date, source=source, author=author, url=url, summary=summary)
    return meta, problems


#: The longest summary taken from a page, in characters: a description is a sentence or two, but
#: some pages put their whole article there (1,800 characters on the benchmark's AP stories),
#: and listings would show it all.
SUMMARY_LIMIT = 300
_SENTENCE_STOP_RE = re.compile(r"[.!?…][\"”’')\]]*\s")


def _short(summary: str | None) -> str | None:
    """``summary`` up to :data:`SUMMARY_LIMIT` characters: cut after its last whole sentence
    that ends past half the limit, else after its last whole word, with "…"."""
    if summary is None or len(summary) <= SUMMARY_LIMIT:
        return summary
    head = summary[: SUMMARY_LIMIT + 1]
    stops = [m.end() for m in _SENTENCE_STOP_RE.finditer(head) if m.end() > SUMMARY_LIMIT // 2]
    if stops:
        return head[: stops[-1]].rstrip()
    cut = head.rfind(" ")
    return (head[:cut] if cut > SUMMARY_LIMIT // 2 else head[:SUMMARY_LIMIT]).rstrip(" ,;:-–—") + "…"


def _only_h1(soup: BeautifulSoup) -> str | None:
    """The text of the page's ``h1`` if it has exactly one (with several, one is the logo)."""
    h1s = soup.find_all("h1", limit=2)
    return _tag_text(h1s[0]) or None if len(h1s) == 1 else None


def _clean(value: str | None) -> str | None:
    """A metadata value with whitespace collapsed and controls removed; ``None`` if empty."""
    return collapse_spaces(strip_controls(value)) or None if value else None


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta>`` contents by lower-cased ``property`` or ``name``; the first of each wins."""
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content)
    return values


def _canonical_url(soup: BeautifulSoup, metas: dict[str, str]) -> str | None:
    """``<link rel="canonical">`` (resolved against ``og:url`` if relative), else ``og:url``."""
    og_url = metas.get("og:url", "")
    link = soup.find("link", rel="canonical")
    candidates = [og_url]
    if isinstance(link, Tag) and isinstance(link.get("href"), str):
        candidates.insert(0, urljoin(og_url, str(link["href"])) if og_url else str(link["href"]))
    for candidate in candidates:
        href = safe_href(candidate)
        if href is not None and href.lower().startswith(("http://", "https://")):
            return href
    return None


# " | Site", " - Site", " – Site", " — Site" at the end of a <title>.
_TITLE_SUFFIX_RE = re.compile(r"\s+[|\-\u2013\u2014:]\s+(?P<site>[^|\-\u2013\u2014]+)$")


def _strip_site_name(title: str | None, source: str | None, url: str | None, *, bar: bool = True) -> str | None:
    """A title (``<title>``, ``og:title``...) without a trailing site name.

    Only a suffix that is recognisably the site goes: it equals the ``og:site_name``, or its
    words appear in the host name (``The Guardian`` on ``theguardian.com``), or, with ``bar``
    (for ``<title>``, which is a headline plus the site's name), it follows a ``|``, which
    headlines do not use. An ``og:title`` may be a headline with a ``|`` of its own ("Milan
    Design Week 2018 | Anastassiades' light installation"). "Biden - Trump meeting" keeps its
    second half.
    """
    if not title:
        return title
    title = collapse_spaces(title)
    match = _TITLE_SUFFIX_RE.search(title)
    if match is None or match.start() == 0:
        return title
    site = match.group("site").strip()
    squashed = re.sub(r"\W+", "", site).lower()
    host = re.sub(r"\W+", "", urlsplit(url).hostname or "") if url else ""
    if (
        (source and site.casefold() == source.casefold())
        or (squashed and host and squashed in host.lower())
        or (bar and title[match.start() :].lstrip().startswith("|"))
    ):
        return title[: match.start()].strip()
    return title


def _read_date(text: str) -> dt.date | None:
    """A machine date (ISO, possibly with a time, fraction or zone) or one a person wrote,
    possibly among a weekday, a time and a zone (see :func:`find_date`); None for what no page
    means as a date but systems write when they have none (see _PLACEHOLDER_DATES)."""
    text = collapse_spaces(text)
    # "2024-11-17T09:30:00.0000000Z", "2024-11-17 09:30:00 UTC": the date part is all we use.
    when = parse_date(text[:10]) if re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)", text) else find_date(text)
    if when is None or when.year < 1000 or when in _PLACEHOLDER_DATES:
        return None
    return when


# A content system's "no date": the first day of year 1, and of Unix time (a timestamp of 0).
# Real pages carry both (the Detroit News' JSON-LD says "datePublished": "0001-01-01T00:00:00Z").
_PLACEHOLDER_DATES = frozenset({dt.date(1, 1, 1), dt.date(1970, 1, 1)})


# Classes of the element that shows a page's date: "publish-date", "entry-date", "timestamp"...
_DATE_CLASS_RE = re.compile(r"date|publish|timestamp", re.IGNORECASE)


def _shown_date(scope: Tag, soup: BeautifulSoup) -> str | None:
    """The text of the first short element (in the article, else the page) whose class says it
    shows a date and that holds one ("Published 11:11 PM EST Nov 19, 2019"): the last source of
    a date, for pages whose metadata has none or only a placeholder."""
    for root in (scope, soup):
        for element in root.find_all(class_=_DATE_CLASS_RE, limit=20):
            text = _tag_text(element)
            if text and len(text) <= 100 and _read_date(text) is not None:
                return text
    return None


def _time_datetime(scope: Tag) -> str | None:
    time = scope.find("time", attrs={"datetime": True})
    return str(time["datetime"]) if isinstance(time, Tag) else None


# Byline elements: rel="author" links, itemprop="author", or a class naming a byline.
_BYLINE_CLASS_RE = re.compile(r"byline|author", re.IGNORECASE)
_BY_RE = re.compile(r"^(?:by|written by|words by)\s+", re.IGNORECASE)


def _byline(scope: Tag) -> str | None:
    """The author named by a byline element in ``scope``, without "By"; ``None`` if none or odd."""
    links = [_tag_text(a) for a in scope.find_all(["a", "link"], rel="author")]
    names = [name for name in links if name]
    if not names:
        element = scope.find(attrs={"itemprop": "author"}) or scope.find(class_=_BYLINE_CLASS_RE)
        if not isinstance(element, Tag):
            return None
        named = element.find(attrs={"itemprop": "name"})
        names = [_tag_text(named if isinstance(named, Tag) else element)]
    text = _BY_RE.sub("", ", ".join(dict.fromkeys(names)))
    # A byline is a few names; anything long is a paragraph that merely has "author" in a class.
    return text if 0 < len(text) <= 100 else None


#: schema.org types whose node describes the article itself.
_ARTICLE_TYPE_RE = re.compile(r"Article$|^BlogPosting$|^LiveBlogPosting$|^Report$|^SocialMediaPosting$")


class _JsonLd:
    """The page's JSON-LD nodes, flattened (lists and ``@graph``), with ``@id`` references."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.nodes: list[dict[str, Any]] = []
        for script in soup.find_all("script", type=re.compile(r"^\s*application/ld\+json\s*$", re.I)):
            try:
                # strict=False: pages routinely carry raw newlines inside JSON strings.
                data = json.loads(script.get_text(), strict=False)
            except (ValueError, RecursionError):
                continue  # a broken block is the page's problem; the rest still counts
            self.nodes.extend(self._flatten(data))
        self.by_id = {node["@id"]: node for node in self.nodes if isinstance(node.get("@id"), str)}
        # The article's node: by its type, else any node that carries a publication date.
        typed = [node for node in self.nodes if any(map(_ARTICLE_TYPE_RE.search, _types(node)))]
        typed = typed or [node for node in self.nodes if "datePublished" in node]
        self.article: dict[str, Any] = typed[0] if typed else {}

    def _flatten(self, data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
        if depth > 5:
            return
        if isinstance(data, list):
            for item in data:
                yield from self._flatten(item, depth + 1)
        elif isinstance(data, dict):
            yield data
            yield from self._flatten(data.get("@graph"), depth + 1)

    def _resolve(self, value: Any) -> Any:
        """A ``{"@id": ...}`` reference replaced by the node it names, when the page has it."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
            return self.by_id.get(value["@id"], value)
        return value

    def text(self, key: str) -> str | None:
        value = self.article.get(key)
        return value if isinstance(value, str) else None

    def _names(self, value: Any) -> list[str]:
        """Names in a ``Person``/``Organization`` value: a string, an object or a list of either."""
        names: list[str] = []
        for item in value if isinstance(value, list) else [value]:
            item = self._resolve(item)
            if isinstance(item, dict):
                item = item.get("name")
            if isinstance(item, str) and (name := collapse_spaces(item)):
                names.append(name)
        return names

    def authors(self) -> str | None:
        return ", ".join(dict.fromkeys(self._names(self.article.get("author")))) or None

    def publisher(self) -> str | None:
        names = self._names(self.article.get("publisher"))
        return names[0] if names else None


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type")
    return (
        [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []
    )


def article_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article: the first ``<article>`` with an ``h1``, else the
    largest ``<article>``, else ``<main>`` (or ``role="main"``); ``None`` if the page has none."""
    articles = soup.find_all("article")
    for article in articles:
        if article.find("h1"):
            return article
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    return main if isinstance(main, Tag) else None


# Tags whose text is a separate line, for text read straight from the soup.
_SOUP_BLOCKS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr"})
# Labels for screen readers only ("Image caption", "Image copyright" on the BBC): not shown.
_HIDDEN_CLASS_RE = re.compile(r"off-?screen|sr-only|visually-?hidden|screen-?reader|a11y", re.IGNORECASE)


def _tag_text(tag: Tag) -> str:
    """A tag's visible text, whitespace collapsed; ``<br>`` and block boundaries are spaces."""
    parts: list[str] = []
    # Iterative: BeautifulSoup keeps any nesting depth, and a page may nest thousands deep.
    stack = [iter(tag.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if not _is_hidden(child):
                if child.name in _SOUP_BLOCKS:
                    parts.append(" ")
                stack.append(iter(child.children))
        elif type(child) is NavigableString:  # not a Comment, CData or <script> string
            parts.append(str(child))
    return collapse_spaces(strip_controls("".join(parts)))


def _is_hidden(tag: Tag) -> bool:
    if tag.name in ("script", "style", "template", "noscript") or tag.has_attr("hidden"):
        return True
    return bool(_HIDDEN_CLASS_RE.search(" ".join(tag.get("class") or [])))


def _same_text(a: str, b: str) -> bool:
    return bool(a.strip()) and collapse_spaces(a).casefold() == collapse_spaces(b).casefold()


def _stem(path: str) -> str:
    name = re.split(r"[\\/]", path)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


# ----------------------------------------------------------------------------- lead figure

# A credit at the end of a caption: "Photo: Jane Doe", "Photograph by Jane Doe", "Credit: AP",
# "Credit...Doug Mills" (the labels of the .txt format, and a few more), or an agency in
# brackets: "... in Kyiv. (Reuters)".
_CREDIT_TEXT_RE = re.compile(
    r"\b(?:(?:photo(?:graph)?|picture|image)s?\s*(?::|\bby\b)|credit\s*(?::|\.{2,}|…))"
    r"\s*[^.:()\[\]]{1,80}?[\s.]*$"
    r"|\([^()]{1,40}\)\s*$",
    re.IGNORECASE,
)
_CREDIT_CLASS_RE = re.compile(r"credit|copyright|source|attribution|byline", re.IGNORECASE)


def lead_figure(soup: BeautifulSoup) -> Element | None:
    """The first ``figure > figcaption`` of the article as a caption block; ``None`` if none.

    Figures in widgets (asides, "related" boxes, promotions) do not count. The credit is the
    text of the innermost element of the figure whose class names a credit, copyright, source
    or attribution, else a trailing ``Photo: X`` / ``Credit: X`` / ``(Reuters)``. Labels
    meant for screen readers only are left out. The image itself is never kept.
    """
    scope = article_container(soup) or soup.body or soup
    for figcaption in scope.select("figure figcaption"):
        figure = figcaption.find_parent("figure")
        if not isinstance(figure, Tag) or any(
            _is_widget(t) or t.name in ("aside", "nav", "footer") for t in figure.parents
        ):
            continue
        caption = _tag_text(figcaption)
        credit_tags = [t for t in figure.find_all(class_=_CREDIT_CLASS_RE) if not t.find(class_=_CREDIT_CLASS_RE)]
        credit = next((text for t in credit_tags if (text := _tag_text(t))), "")
        if credit:
            caption = collapse_spaces(caption.replace(credit, ""))
        elif match := _CREDIT_TEXT_RE.search(caption):
            credit = match.group(0).strip().removeprefix("(").removesuffix(")").strip()
            caption = caption[: match.start()].strip()
        if caption or credit:
            return _caption_figure(caption, credit)
    return None


def _caption_figure(caption: str, credit: str) -> Element:
    """The caption block of the text format: ``figure.digest-figure > figcaption``."""
    children: list[Node] = [caption] if caption else []
    if credit:
        if caption:
            children.append(" ")
        children.append(Element("span", {"class": "digest-credit"}, [credit]))
    return Element("figure", {"class": "digest-figure"}, [Element("figcaption", {}, children)])


def _caption_texts(figure: Element) -> set[str]:
    """What an extractor may have kept of a caption block: its text with and without the credit."""
    figcaption = figure.children[0]
    assert isinstance(figcaption, Element)
    without_credit = "".join(node for node in figcaption.children if isinstance(node, str))
    return {plain_text(figure.children), without_credit}


# ----------------------------------------------------------------------------- body


def extract_body(
    html: str, soup: BeautifulSoup, base_url: str | None, title: str | None, extraction: Extraction
) -> list[Element]:
    """The article's body blocks, by the extractor ``extraction`` names (may be empty).

    ``soup`` is the parsed ``html``; the BeautifulSoup pass takes it apart, so read everything
    else from it first. A first block that repeats ``title`` is dropped (extractors often keep
    the page's ``h1``, and the page shows the title itself); the fallback runs when nothing
    else is left.
    """
    if extraction.extractor == "trafilatura":
        blocks = _without_title(_trafilatura_blocks(html, base_url, extraction), title)
        if blocks or not extraction.fallback:
            return blocks
    return _without_title(_soup_blocks(soup, base_url), title)


def _without_title(blocks: list[Element], title: str | None) -> list[Element]:
    if blocks and title and _same_text(plain_text(blocks[0].children), title):
        return blocks[1:]
    return blocks


def _trafilatura_blocks(html: str, base_url: str | None, extraction: Extraction) -> list[Element]:
    """trafilatura's extraction, as XML, converted to our blocks; empty when it finds nothing."""
    # No url= here: trafilatura would resolve "page.html" against the site's root, not against
    # the page; _Converter.href resolves links the way a browser does.
    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=True,
        include_links=True,
        favor_precision=extraction.favor == "precision",
        favor_recall=extraction.favor == "recall",
        fast=extraction.fast,
    )
    if not xml:
        return []
    # Our own extractor's output, but its text came from the page: no entities, no network. The
    # default limits (no huge_tree) cap nesting at 256 levels, as lxml's HTML parser did.
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(xml.encode("utf-8"), parser)
    except lxml.etree.XMLSyntaxError:
        return []
    main = root.find("main")
    if main is None:
        return []
    _to_html_names(main)
    return _Converter(base_url).blocks(main)


# trafilatura's XML vocabulary, renamed to the HTML it stands for.
_TEI_NAMES = {"item": "li", "quote": "blockquote", "row": "tr", "lb": "br", "graphic": "img", "main": "div"}
_HI_NAMES = {"#b": "strong", "#i": "em", "#t": "code", "#sub": "sub", "#sup": "sup", "#u": "span"}
# Where a <code> is inline; anywhere else it is a code block.
_INLINE_PARENTS = frozenset({"p", "head", "item", "cell", "hi", "ref", "li", "td", "th"})


def _to_html_names(root: lxml.etree._Element) -> None:
    """Rename trafilatura's XML elements in place to the HTML tags they stand for."""
    for el in root.iter():
        tag, rend = el.tag, el.get("rend", "")
        if tag == "head":
            el.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h2"
        elif tag == "list":
            el.tag = "ol" if rend == "ol" else "ul"
        elif tag == "cell":
            el.tag = "th" if el.get("role") == "head" else "td"
        elif tag == "hi":
            el.tag = _HI_NAMES.get(rend, "span")
        elif tag == "ref":
            el.tag = "a"
            el.set("href", el.get("target", ""))
        elif tag == "code":
            parent = el.getparent()
            el.tag = "code" if parent is not None and parent.tag in _INLINE_PARENTS else "pre"
        elif isinstance(tag, str):
            el.tag = _TEI_NAMES.get(tag, tag)


# Whole subtrees that are never article text, in the BeautifulSoup pass.
_BOILERPLATE_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "form", "button",
    "input", "select", "textarea", "nav", "header", "footer", "aside", "svg", "canvas", "video",
    "audio", "picture", "img", "dialog", "menu",
)  # fmt: skip
# Class or id words that mark widgets rather than text.
_BOILERPLATE_RE = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|advert\w*|banner|comments?|cookies?|consent|gdpr|newsletter|"
    r"subscribe|subscription|signup|share|sharing|social|related|read-?more|more-?stories|"
    r"recommended|promo|sponsored|outbrain|taboola|popup|modal|breadcrumbs?|sidebar|toolbar|"
    r"tags|paywall|byline|author|dateline|timestamp)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})


def _soup_blocks(soup: BeautifulSoup, base_url: str | None) -> list[Element]:
    """The BeautifulSoup pass: the article element (or body) minus boilerplate, as blocks."""
    scope = article_container(soup) or soup.body
    if scope is None:
        return []
    for tag in scope.find_all(_BOILERPLATE_TAGS):
        tag.decompose()
    for comment in scope.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    # A widget word can sit on the article's own wrapper ("article-body has-comments"): an
    # element holding most of the text is never a widget.
    total = len(scope.get_text())
    for tag in scope.find_all(_is_widget):
        if not tag.decomposed and len(tag.get_text()) <= total / 2:
            tag.decompose()
    fragment = lxml.html.fragment_fromstring(str(scope), create_parent="div")
    return _Converter(base_url).blocks(fragment)


def _is_widget(tag: Tag) -> bool:
    if tag.name in ("html", "body", "article", "main"):
        return False
    words = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(_BOILERPLATE_RE.search(words)) or tag.get("role") in _BOILERPLATE_ROLES or tag.has_attr("hidden")


# Runs of whitespace, except no-break spaces (as digest.textformat.collapse_spaces, unstripped:
# spaces at the edges of inline text separate it from its neighbours).
_SPACES_RE = re.compile(r"[^\S\u00a0\u2007\u202f]+")

_INLINE_TAGS = {
    "em": "em", "i": "em", "cite": "em", "dfn": "em", "strong": "strong", "b": "strong",
    "code": "code", "kbd": "code", "samp": "code", "tt": "code", "sub": "sub", "sup": "sup",
    "del": "del", "s": "del", "strike": "del",
}  # fmt: skip
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6"}
_BLOCK_RESULT = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "table", "pre", "hr"})
_SKIPPED = frozenset({"img", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head"})


class _Converter:
    """Builds our body tree from an lxml tree in HTML vocabulary.

    Every element is mapped to the few structures we keep (:data:`digest.markup.ALLOWED`, no
    attributes but ``href``/``start``); anything else is unwrapped, keeping its text. Between
    list items, table cells and after a ``<br>`` goes a ``"\\n"`` text node: the renderer shows
    it as a space, and it keeps words of adjacent items apart in the plain text that mentions
    and sentences are read from.
    """

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url

    def blocks(self, el: lxml.etree._Element) -> list[Element]:
        """The block-level content of a container element (empty if absurdly deep)."""
        try:
            return _as_blocks(self.children(el))
        except RecursionError:  # lxml caps trees at 256 levels, so this is a last line of defence
            return []

    def children(self, el: lxml.etree._Element) -> list[Node]:
        nodes = _text(el.text)
        for child in el:
            nodes += self.element(child)
            nodes += _text(child.tail)
        return nodes

    def element(self, el: lxml.etree._Element) -> list[Node]:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""  # comments and processing instructions
        if not tag or tag in _SKIPPED:
            return []
        if tag == "br":
            return [Element("br"), "\n"]
        if tag == "hr":
            return [Element("hr")]
        if tag == "pre":
            code = "".join(el.itertext()).strip("\n")
            return [Element("pre", {}, [Element("code", {}, [strip_controls(code)])])] if code.strip() else []
        if tag in _HEADINGS:
            text = collapse_spaces("".join(el.itertext()))
            return [Element(_HEADINGS[tag], {}, [strip_controls(text)])] if text else []
        if tag in ("ul", "ol"):
            items = [n for n in self.children(el) if isinstance(n, Element) and n.tag == "li"]
            attrs = {"start": el.get("start", "")} if tag == "ol" and el.get("start", "").isdigit() else {}
            return [Element(tag, attrs, _separated(items))] if items else []
        if tag == "table":
            return self.table(el)
        kids = self.children(el)
        if tag == "a":
            href = self.href(el.get("href", ""))
            return [Element("a", {"href": href}, kids)] if href and _is_phrase(kids) else kids
        if tag in _INLINE_TAGS:
            return [Element(_INLINE_TAGS[tag], {}, kids)] if _is_phrase(kids) else kids
        if tag in ("li", "dd", "dt", "td", "th"):
            return [Element(tag, {}, _trim(kids))]
        if tag == "blockquote":
            inner = _as_blocks(kids)
            return [Element("blockquote", {}, inner)] if inner else []
        if tag == "dl":
            items = [n for n in kids if isinstance(n, Element) and n.tag in ("dt", "dd")]
            return [Element("dl", {}, _separated(items))] if items else []
        if tag in ("span", "font", "abbr", "mark", "small", "u", "q", "time", "label", "ins", "bdi", "bdo"):
            return kids
        # p, div, section, figure... : a block boundary; loose text in it becomes a paragraph.
        return list(_as_blocks(kids))

    def table(self, el: lxml.etree._Element) -> list[Node]:
        # The table's own rows, in order (not those of a table nested in a cell).
        trs = [tr for child in el for tr in ([child] if child.tag == "tr" else child.findall("tr"))]
        rows = [
            Element("tr", {}, _separated(cells))
            for tr in trs
            if (cells := [c for c in self.children(tr) if isinstance(c, Element) and c.tag in ("td", "th")])
        ]
        if not rows:
            return []
        cells = [c for row in rows for c in row.children if isinstance(c, Element)]
        if len(cells) == 1 or any(_is_layout_cell(cell) for cell in cells):
            # A layout table (a page's columns, a box around a pull quote): its content, in
            # reading order, rather than the article inside a table cell.
            return [block for cell in cells for block in _as_blocks(cell.children)]
        # Leading rows of header cells only are the table head.
        head = 0
        while head < len(rows) and _is_header_row(rows[head]):
            head += 1
        # A second head row that repeats the first is the footer of a table that writes its
        # <tfoot> before its body (as HTML allows).
        while head > 1 and plain_text(rows[head - 1].children) == plain_text(rows[0].children):
            del rows[head - 1]
            head -= 1
        body = rows[head:]
        if head:
            # A long table repeats its head (in a footer, or every few rows): shown once.
            heads = {plain_text(row.children) for row in rows[:head]}
            body = [row for row in body if not (_is_header_row(row) and plain_text(row.children) in heads)]
        parts = [Element("thead", {}, _separated(rows[:head]))] if head else []
        if body:
            parts.append(Element("tbody", {}, _separated(body)))
        return [Element("table", {}, _separated(parts))]

    def href(self, raw: str) -> str | None:
        """An absolute http(s)/mailto address for a link, or ``None`` (the link is dropped)."""
        raw = raw.strip()
        if self.base_url and raw and not raw.lower().startswith("mailto:"):
            try:
                raw = urljoin(self.base_url, raw)
            except ValueError:
                return None
        return safe_href(raw)


def _is_header_row(row: Element) -> bool:
    """Whether a table row is header cells only."""
    return all(isinstance(c, str) or c.tag == "th" for c in row.children)


def _is_layout_cell(cell: Element) -> bool:
    """Whether a table cell holds what no data cell does: a heading, a table, or two or more
    paragraphs or lists (a data cell's text may come wrapped in one ``<p>``)."""
    blocks = [n for n in cell.children if isinstance(n, Element) and n.tag in _BLOCK_RESULT]
    return len(blocks) >= 2 or any(n.tag in _LAYOUT_ONLY for n in blocks)


_LAYOUT_ONLY = frozenset({"h2", "h3", "h4", "h5", "h6", "table"})


def _text(text: str | None) -> list[Node]:
    return [_SPACES_RE.sub(" ", strip_controls(text))] if text else []


def _has_text(nodes: Iterable[Node]) -> bool:
    return bool(plain_text(nodes).strip())


def _is_phrase(nodes: list[Node]) -> bool:
    """Whether nodes can sit inside a link or emphasis: some text, and no block (a linked
    "card" of paragraphs loses its link rather than nest paragraphs in a paragraph)."""
    return _has_text(nodes) and not any(isinstance(n, Element) and n.tag in _BLOCK_RESULT for n in nodes)


def _separated(elements: list[Element]) -> list[Node]:
    """Elements with a ``"\\n"`` between each two (see :class:`_Converter`)."""
    nodes: list[Node] = []
    for element in elements:
        if nodes:
            nodes.append("\n")
        nodes.append(element)
    return nodes


def _trim(nodes: list[Node]) -> list[Node]:
    """Inline content without leading/trailing spaces and line breaks."""
    nodes = list(nodes)
    while nodes and (_is_blank(nodes[0])):
        nodes.pop(0)
    while nodes and (_is_blank(nodes[-1])):
        nodes.pop()
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip()
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip()
    return nodes


def _is_blank(node: Node) -> bool:
    return (isinstance(node, str) and not node.strip()) or (isinstance(node, Element) and node.tag == "br")


def _as_blocks(nodes: list[Node]) -> list[Element]:
    """Blocks from mixed content: each run of inline nodes between blocks becomes a paragraph."""
    blocks: list[Element] = []
    run: list[Node] = []

    def flush() -> None:
        inline = _trim(run)
        if _has_text(inline):
            blocks.append(Element("p", {}, inline))
        run.clear()

    for node in nodes:
        if isinstance(node, Element) and node.tag in _BLOCK_RESULT:
            flush()
            blocks.append(node)
        else:
            run.append(node)
    flush()
    return blocks
