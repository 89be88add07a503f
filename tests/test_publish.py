"""Publishing: feeds that readers accept, a site that works under a sub-path, and offline builds.

Each test builds a real site (``digest build``, MkDocs + Material) in ``tmp_path`` and reads the
files a host would serve: feeds with feedparser (what many feed readers are built on) and the
JSON Feed against its specification's required fields, pages with BeautifulSoup.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import MKDOCS_YML, copy_demo, run_cli

pytestmark = pytest.mark.slow

SITE_URL = "https://news.example.org/digest/"

SEEDS = {
    "seeds/older.md": """\
        ---
        title: Missiles cleared for Kursk
        date: 2024-11-17
        source: Example Wire
        author: A. Writer
        url: https://example.com/wire/kursk
        ---

        Ukraine may now fire ATACMS at targets in Kursk, officials said.
        """,
    "seeds/newer.md": """\
        ---
        title: "TASS: <script>alert(1)</script> & reactions"
        date: 2024-11-19
        source: Example Daily
        summary: Russian media react to the decision.
        ---

        According to TASS, Zelenskyy welcomed the decision.
        """,
    "seeds/undated.txt": "An undated note\nUkraine and Kursk again, with no date given.\n",
}


def with_site_url(yml: str, site_url: str) -> str:
    return f"site_url: {site_url}\n{yml}"


def parse_atom(path: Path) -> feedparser.FeedParserDict:
    """Parse a feed file as a reader would get it from a web server (with its content type)."""
    return feedparser.parse(path.read_bytes(), response_headers={"content-type": "application/atom+xml"})


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def served_file(site: Path, url_path: str) -> Path | None:
    """The file a static host serves for ``url_path`` (site-relative, no leading slash), if any."""
    target = site / url_path
    if url_path == "" or url_path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


@pytest.fixture
def feeds_site(make_digest, build):
    root = make_digest(SEEDS, mkdocs_yml=with_site_url(MKDOCS_YML, SITE_URL))
    return build(root, strict=True).root


# -- feeds --------------------------------------------------------------------------------------


def test_atom_feed_parses_and_lists_every_article_newest_first(feeds_site: Path) -> None:
    feed = parse_atom(feeds_site / "feeds" / "atom.xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Test digest"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["TASS: <script>alert(1)</script> & reactions", "Missiles cleared for Kursk", "An undated note"]
    newer, older, undated = feed.entries
    assert newer.link == SITE_URL + "articles/tass-script-alert-1-script-reactions/"
    assert newer.published.startswith("2024-11-19") and older.published.startswith("2024-11-17")
    assert "published" not in undated and undated.updated  # Atom requires <updated>; no invented date
    assert newer.summary == "Example Daily. Russian media react to the decision."
    assert older.author == "A. Writer"
    assert [link.href for link in older.links if link.rel == "via"] == ["https://example.com/wire/kursk"]
    assert {tag.term for tag in older.tags} == {"ukraine", "atacms", "kursk"}
    assert {tag.label for tag in newer.tags} == {"TASS", "Volodymyr Zelensky"}


def test_atom_feed_meets_rfc_4287(feeds_site: Path) -> None:
    """The RFC's "MUST"s a validator checks: ids, titles, updated dates, authors, links."""
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(feeds_site / "feeds" / "atom.xml").getroot()
    assert feed.tag == f"{atom}feed"
    date = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

    def one(parent: ET.Element, name: str) -> ET.Element:
        found = parent.findall(atom + name)
        assert len(found) == 1, f"<{parent.tag}> has {len(found)} <{name}>"
        return found[0]

    for name in ("id", "title", "updated"):
        assert (one(feed, name).text or "").strip()
    assert date.fullmatch(one(feed, "updated").text)
    assert one(one(feed, "author"), "name").text  # a feed-level author covers entries without one
    self_links = [link for link in feed.findall(atom + "link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == [SITE_URL + "feeds/atom.xml"]
    ids = []
    for entry in feed.findall(atom + "entry"):
        ids.append(one(entry, "id").text)
        assert urlsplit(ids[-1]).scheme  # an IRI, not a relative reference
        assert one(entry, "title").text
        assert date.fullmatch(one(entry, "updated").text)
        alternates = [link for link in entry.findall(atom + "link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("type") == "text/html"
        assert one(entry, "summary").text
        for category in entry.findall(atom + "category"):
            assert category.get("term")
    assert len(ids) == len(set(ids)) == 3


def test_feed_links_work_from_the_published_url(feeds_site: Path) -> None:
    atom = parse_atom(feeds_site / "feeds" / "atom.xml")
    json_feed = read_json(feeds_site / "feeds" / "feed.json")
    links = [entry.link for entry in atom.entries] + [item["url"] for item in json_feed["items"]]
    links += [json_feed["home_page_url"], json_feed["feed_url"], atom.feed.link]
    links += [e["url"] for item in json_feed["items"] for e in item["_digest"]["entities"]]
    for link in links:
        assert link.startswith(SITE_URL), link
        assert served_file(feeds_site, link[len(SITE_URL) :]), f"the feed links to {link}, which is not in site/"
    assert json_feed["feed_url"] == SITE_URL + "feeds/feed.json"


def test_json_feed_follows_the_specification(feeds_site: Path) -> None:
    feed = read_json(feeds_site / "feeds" / "feed.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Test digest"
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids)) == 3
    for item in feed["items"]:
        # Every item has an id and one of content_text/content_html; every date is RFC 3339.
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_text") or item.get("content_html")
        for key in ("date_published", "date_modified"):
            if key in item:
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item[key]), item[key]
        assert all(
            key
            in {
                "id",
                "url",
                "external_url",
                "title",
                "content_text",
                "content_html",
                "summary",
                "image",
                "banner_image",
                "date_published",
                "date_modified",
                "authors",
                "tags",
                "language",
                "attachments",
            }
            or key.startswith("_")
            for key in item
        ), item.keys()
    newer = feed["items"][0]
    assert newer["title"] == "TASS: <script>alert(1)</script> & reactions"  # data, not markup
    assert newer["tags"] == ["TASS", "Volodymyr Zelensky"]
    assert newer["_digest"]["source"] == "Example Daily"
    assert newer["_digest"]["entities"][0] == {
        "id": "tass",
        "name": "TASS",
        "type": "organization",
        "url": SITE_URL + "entities/tass/",
    }


def test_feeds_without_site_url_use_links_relative_to_the_feed(make_digest, build) -> None:
    site = build(make_digest(SEEDS), strict=True).root
    feed_url = "https://anywhere.example/some/path/feeds/atom.xml"  # wherever the site is published
    atom = feedparser.parse(
        (site / "feeds" / "atom.xml").read_bytes(),
        response_headers={"content-location": feed_url, "content-type": "application/atom+xml"},
    )
    assert not atom.bozo
    assert len(atom.entries) == 3
    for entry in atom.entries:
        assert entry.id.startswith("urn:uuid:")  # stable ids, not relative links
        absolute = urljoin(feed_url, entry.link)
        assert absolute.startswith("https://anywhere.example/some/path/articles/"), absolute
        assert served_file(site, absolute[len("https://anywhere.example/some/path/") :])
    items = read_json(site / "feeds" / "feed.json")["items"]
    assert [urljoin(feed_url, item["url"]) for item in items] == [urljoin(feed_url, e.link) for e in atom.entries]


def test_feed_limit_keeps_the_newest(make_digest, build) -> None:
    yml = MKDOCS_YML + "extra:\n  digest:\n    feed_limit: 1\n"
    site = build(make_digest(SEEDS, mkdocs_yml=yml), strict=True).root
    atom = parse_atom(site / "feeds" / "atom.xml")
    assert [e.title for e in atom.entries] == ["TASS: <script>alert(1)</script> & reactions"]
    assert len(read_json(site / "feeds" / "feed.json")["items"]) == 1


def test_a_negative_feed_limit_is_a_one_line_error(make_digest) -> None:
    yml = MKDOCS_YML + "extra:\n  digest:\n    feed_limit: -3\n"
    root = make_digest(SEEDS, mkdocs_yml=yml)
    result = run_cli("build", cwd=root)
    assert result.returncode != 0
    assert "extra.digest.feed_limit: must be 0 or more" in result.stderr
    assert "Traceback" not in result.stderr


def test_pages_link_to_the_feeds_and_readers_discover_them(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    assert run_cli("build", "--strict", cwd=root).returncode == 0
    site = root / "site"
    for page_path in ("index.html", "articles/index.html"):
        page = BeautifulSoup((site / page_path).read_text(encoding="utf-8"), "html.parser")
        links = {a.get_text(): a["href"] for a in page.select("p.digest-feeds a")}
        assert set(links) == {"Atom feed", "JSON Feed"}
        for href in links.values():
            assert (site / posixpath.dirname(page_path) / href).resolve().is_file(), href
    article = next((site / "articles").glob("*/index.html"))
    page = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser")
    alternates = {link["type"]: link["href"] for link in page.select('head link[rel="alternate"]')}
    assert alternates == {
        "application/atom+xml": "../../feeds/atom.xml",
        "application/feed+json": "../../feeds/feed.json",
    }


# -- any static host ----------------------------------------------------------------------------


LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("form", "action"))


def internal_links(html: Path) -> list[tuple[str, str]]:
    """``(tag, url)`` for every link and resource a page references, external ones excluded."""
    page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    found = []
    for tag, attr in LINK_ATTRS:
        for el in page.find_all(tag):
            if tag == "link" and "canonical" in el.get("rel", []):
                continue  # the page's published address (from site_url), not something it loads
            value = el.get(attr)
            if value and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#)", value, re.I):
                found.append((tag, value))
            elif value and re.match(r"^(https?:)?//", value) and tag != "a":
                found.append((tag, value))  # a resource from another host: reported by the caller
    return found


def test_site_works_from_a_sub_path(tmp_path: Path) -> None:
    """Served at https://host/digest/, every link and resource of every page resolves inside it."""
    root = copy_demo(tmp_path)
    (root / "mkdocs.yml").write_text(with_site_url((root / "mkdocs.yml").read_text(encoding="utf-8"), SITE_URL))
    assert run_cli("build", "--strict", cwd=root).returncode == 0
    site = root / "site"
    prefix = urlsplit(SITE_URL).path
    checked = 0
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        page_url = SITE_URL + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for tag, value in internal_links(html):
            # The 404 page is served at any missing URL, so MkDocs gives it absolute paths: from
            # site_url, which keeps them inside the sub-path.
            if rel != "404.html":
                assert not value.startswith("/"), f"{rel}: <{tag}> uses an absolute path {value!r}"
            assert not value.startswith(("http:", "https:", "//")), f"{rel}: <{tag}> loads {value} from the web"
            path = urlsplit(urljoin(page_url, value)).path
            assert path.startswith(prefix), f"{rel}: {value!r} leaves {prefix}"
            assert served_file(site, path[len(prefix) :]), f"{rel}: {value!r} is not in site/"
            checked += 1
    assert checked > 1000  # the demo has ~40 pages with dozens of links each
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs and all(loc.startswith(SITE_URL) for loc in locs)


# -- offline ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = copy_demo(tmp_path_factory.mktemp("offline"))
    result = run_cli("build", "--offline", "--strict", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site", result.stderr


def test_offline_build_says_what_it_gives_up(offline_site) -> None:
    _site, log = offline_site
    assert "Offline build" in log and "instant navigation is off" in log


def test_offline_site_has_no_absolute_links_and_opens_from_disk(offline_site) -> None:
    site, _log = offline_site
    pages = sorted(site.rglob("*.html"))
    assert (site / "articles" / "index.html").is_file() and not (site / "articles" / "index").exists()
    assert not (site / "404.html").exists()  # nothing serves it from disk, and its links are absolute
    checked = 0
    for html in pages:
        rel = html.relative_to(site).as_posix()
        for tag, value in internal_links(html):
            assert not value.startswith("/"), f"{rel}: <{tag}> uses an absolute path {value!r}"
            assert not value.startswith(("http:", "https:", "//")), f"{rel}: <{tag}> loads {value} from the web"
            path = value.split("#")[0].split("?")[0]
            if not path:
                continue
            # On file:// a folder is not its index.html: every link must name a file.
            target = (html.parent / path).resolve()
            assert target.is_file(), f"{rel}: {value!r} does not name a file in site/"
            checked += 1
    assert checked > 1000


def test_offline_search_index_is_a_script_with_aliases(offline_site) -> None:
    site, _log = offline_site
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    index = json.loads(script[len("var __index = ") :])
    entity = next(doc for doc in index["docs"] if doc["location"] == "entities/volodymyr-zelensky.html")
    assert "Zelenskyy" in entity["text"]
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = [s.get("src") for s in home.find_all("script") if s.get("src")]
    assert scripts[0] == "assets/digest/iframe-worker-shim.js"  # the search worker's shim, from disk
    config = json.loads(home.find("script", id="__config").string)
    assert not any(feature.startswith("navigation.instant") for feature in config["features"])
    assert not home.select('head link[rel="alternate"]')  # no feed discovery on file://


def test_offline_then_online_build_restores_directory_urls(tmp_path: Path) -> None:
    root = copy_demo(tmp_path)
    assert run_cli("build", "--offline", cwd=root).returncode == 0
    assert run_cli("build", "--strict", cwd=root).returncode == 0
    site = root / "site"
    assert (site / "entities" / "atacms" / "index.html").is_file()
    page = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not page.find("script", src=re.compile("iframe-worker"))
    assert any(a["href"].endswith("/") for a in page.select("article a[href^='articles/']"))
