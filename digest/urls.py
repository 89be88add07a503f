"""Where each generated page lives, and relative links between pages.

Every link we write is relative, so the site works from a domain root, from a sub-path and
(with ``use_directory_urls: false``) from the file system.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

HOME = "index.md"
ARTICLES_INDEX = "articles/index.md"
ENTITIES_INDEX = "entities/index.md"
GLOSSARY = "glossary/index.md"
TIMELINE = "timeline/index.md"
SOURCES_INDEX = "sources/index.md"
#: The feeds: files, not pages (see :mod:`digest.feeds`).
FEEDS_DIR = "feeds"
ATOM_FEED = f"{FEEDS_DIR}/atom.xml"
JSON_FEED = f"{FEEDS_DIR}/feed.json"


def article_page(slug: str) -> str:
    return f"articles/{slug}.md"


def entity_page(entity_id: str) -> str:
    return f"entities/{entity_id}.md"


def source_page(slug: str) -> str:
    return f"sources/{slug}.md"


def listing_page(first: str, number: int) -> str:
    """Page ``number`` (from 1) of a paginated listing whose first page is ``first``.

    ``articles/index.md`` -> ``articles/page/2.md``; ``sources/x.md`` -> ``sources/x/page/2.md``.
    The ``page/`` folder never collides with an article or source page (those are files).
    """
    if number == 1:
        return first
    folder = first[: -len("/index.md")] if first.endswith("/index.md") else first[: -len(".md")]
    return f"{folder}/page/{number}.md"


def relpath(target: str, base: str) -> str:
    """``posixpath.relpath(target, base)`` for the normalised absolute paths :class:`Urls` makes.

    About ten times faster than the general function (no ``abspath``, no ``commonprefix``), which
    matters: a large digest computes hundreds of thousands of links.
    """
    to = [part for part in target.split("/") if part]
    start = [part for part in base.split("/") if part]
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


@dataclass(frozen=True, slots=True)
class Urls:
    """Maps page source paths (``articles/x.md``) to URLs, as MkDocs does for ``use_directory_urls``."""

    use_directory_urls: bool = True
    source_relative: bool = False
    """Write links relative to the linking page's source folder (``articles/``), not its URL.

    The engines disagree about relative links in raw HTML, which is where all of ours are:
    MkDocs leaves them alone, so they must be relative to the page's URL (``articles/x/``);
    Zensical resolves them against the page's source file, as it does for Markdown links, and
    rewrites them for the page's URL. The two differ only for pages that are not ``index.md``
    when ``use_directory_urls`` is on; the built sites then have the same links.
    """

    def url(self, page: str) -> str:
        """The site-relative URL of a page source path (``articles/x.md`` -> ``articles/x/``)."""
        stem = page[: -len(".md")]
        if not self.use_directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    def _base(self, from_page: str) -> str:
        """The folder a page's relative links are resolved against (see :attr:`source_relative`)."""
        if self.source_relative:  # the engine rewrites the link for the page's URL
            return "/" + posixpath.dirname(from_page)
        # The folder the browser resolves against: the URL itself for a directory URL.
        from_url = self.url(from_page)
        return "/" + (from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url))

    def file_href(self, from_page: str, path: str) -> str:
        """A relative link from a page to a file that is not a page (``feeds/atom.xml``)."""
        return relpath("/" + path, self._base(from_page))

    def href(self, from_page: str, to_page: str, fragment: str = "") -> str:
        """A relative link from one page to another (and an optional ``#fragment``)."""
        target = "/" + self.url(to_page)
        rel = relpath(target, self._base(from_page))
        if target.endswith("/"):  # relpath drops the trailing slash of a directory URL
            rel = rel.rstrip("/") + "/"
        return rel + (f"#{fragment}" if fragment else "")
