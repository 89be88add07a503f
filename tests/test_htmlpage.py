"""Tests for digest.htmlpage (saved web pages as articles) and the metric of digest.extraction_bench.

The fixture pages in ``tests/fixtures/html/`` are hand-written in the shapes real sites use:
a semantic ``<article>``, table-less div soup, JSON-LD-only metadata, a page full of widgets,
legacy encodings, and a page that tries to smuggle scripts into the body.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import extraction_bench as bench
from digest.htmlpage import DEFAULT_EXTRACTION, Extraction, decode_html, parse_html, read_metadata
from digest.ingest import read_article
from digest.markup import ALLOWED, plain_text, to_html
from digest.model import Element, Mention, Node
from digest.textformat import safe_href

FIXTURES = Path(__file__).parent / "fixtures" / "html"
FILLER = (
    "<p>The regional administration said on Tuesday that repairs to the water supply would take "
    "another two weeks, and asked residents to store drinking water in the meantime.</p>"
)


def texts(blocks: list[Element], tag: str = "p") -> list[str]:
    return [plain_text(block.children) for block in blocks if block.tag == tag]


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        if isinstance(node, Element):
            yield from walk(node.children)


def assert_only_safe_structures(blocks: list[Element]) -> None:
    """The body is our own tree: allowed tags and attributes, our classes, safe links, plain text."""
    for node in walk(list(blocks)):
        assert not isinstance(node, Mention)
        if isinstance(node, str):
            continue
        assert node.tag in ALLOWED, node.tag
        assert set(node.attrs) <= ALLOWED[node.tag], node.attrs
        assert node.attrs.get("class", "digest-figure") in {"digest-figure", "digest-credit"}
        if "href" in node.attrs:
            assert safe_href(node.attrs["href"]) == node.attrs["href"]
    html = to_html(blocks, lambda m: m.text).lower()
    assert not [marker for marker in FORBIDDEN if marker in html]


# What must never reach a rendered body, whatever the page held.
FORBIDDEN = ["<script", "<iframe", "<img", "<object", "<embed", "<svg", "<style", "<form", "<input", "javascript:"]
FORBIDDEN += [" onclick", " onerror", " onload", " onmouseover", " style=", " id="]


# ----------------------------------------------------------------------------- fixture pages


@dataclass
class Page:
    file: str
    title: str
    date: dt.date | None
    source: str | None
    author: str | None
    url: str | None
    paragraphs: list[str]
    absent: list[str] = field(default_factory=list)
    summary: str | None = None


PAGES = [
    Page(
        "semantic-article.html",
        title="Kyiv opens its first night-time river ferry",
        date=dt.date(2024, 11, 17),
        source="The Dnipro Ledger",
        author="Olena Marchenko",
        url="https://ledger.example.com/city/2024/11/17/night-ferry",
        summary="A new ferry links the two banks of the Dnipro after the metro closes.",
        paragraphs=[
            "A ferry carrying up to eighty passengers began crossing the Dnipro after midnight on Sunday, giving "
            "residents of the left bank a way home once the metro has closed for the night.",
            "The service runs every forty minutes between the Poshtova pier and Hidropark, the city transport "
            "department said, and a single crossing costs the same as a metro token. The department announced "
            "the plan after the metro shortened its hours in October.",
            "Night buses already cross the river on the Paton bridge, but they take almost an hour to reach the "
            "far end of the left bank, and drivers have been hard to find since the spring.",
            "The ferry will run on three routes during the trial, which ends in March:",
            "If the trial goes well, the department says it will ask the city council for money to run the "
            "boats all year, including in winter when the river partly freezes.",
        ],
        absent=["All rights reserved", "Privacy policy", "Culture", "dataLayer", "By Olena", "17 November 2024"],
    ),
    Page(
        "div-soup.html",
        title="Port of Odesa handles a record grain volume",
        date=dt.date(2024, 10, 3),
        source="Black Sea Courier",
        author="Petro Lysenko",
        url="https://courier.example.net/news/2024/odesa-grain-record.html",
        summary="Ports shipped 4.1 million tonnes in September.",
        paragraphs=[
            "The ports of Greater Odesa shipped 4.1 million tonnes of grain in September, the most in a single "
            "month since the war began, the port authority said on Thursday.",
            "Most of the cargo was wheat and corn bound for Egypt, Turkey and Spain. Ships now sail along the "
            "coast inside Ukrainian territorial waters before turning south, a route the navy opened last year.",
            "Insurance for a voyage has fallen to about one percent of the value of the ship, from more than "
            "three percent a year ago, according to figures the authority published with its monthly report.",
            "Port workers say the main limit is now the railway: trains from the central regions wait for days "
            "at the border of Odesa oblast because the terminals can unload only so many wagons at a time.",
        ],
        absent=["Most read", "Ferry timetable", "Advertise", "Contact", "color: navy"],
    ),
    Page(
        "json-ld-graph.html",
        title="Lviv council passes a budget built around shelters and schools",
        date=dt.date(2024, 12, 5),
        source="Hromada Weekly",
        author="Iryna Bondar, Andriy Kravets",
        url=None,
        paragraphs=[
            "Lviv city council approved next year's budget on Wednesday, putting a third of its capital "
            "spending into shelters for schools and kindergartens.",
            "The budget sets aside 1.2 billion hryvnias for building and refitting shelters so that all 130 "
            "schools in the city can teach in person during air raid alerts, the finance department said.",
            "Deputies voted 52 to 4 after a debate that lasted most of the day. Opponents wanted more money for "
            "the tram network, which has not bought new cars since 2021, and for repairs to roads damaged by "
            "heavy trucks.",
            "The full text of the budget is on the city council's website.",
        ],
        absent=["@graph", "broken"],
    ),
    Page(
        "boilerplate.html",
        title="Kharkiv reopens its underground school",
        date=dt.date(2024, 9, 2),
        source="Eastern Dispatch",
        author="Mykola Shevchuk",
        url="https://dispatch.example.com/2024/09/02/underground-school",
        paragraphs=[
            "Nine hundred children went back to class on Monday in a school built six metres under a park in "
            "Kharkiv, where the city has been shelled almost daily since 2022.",
            "The school has twenty classrooms, a gym and a canteen, and the air is filtered and pumped in from "
            "the surface. Pupils attend in two shifts, so that children from across the Saltivka district can "
            "have a place.",
            "Teachers said the first weeks underground were hard for the younger children, who missed daylight, "
            "so the classrooms have bright lamps and murals of forests and the sea painted by local artists.",
            "The city plans to open three more underground schools before the end of the year, the mayor's "
            "office said, paid for partly by a grant from the European Union.",
            "Parents who want a place for their children can apply through the city's education portal until "
            "the end of September.",
        ],
        absent=[
            "cookies",  # cookie banner
            "Share on",  # share widget
            "Email this story",
            "Advertisement",  # ad
            "solar panels",
            "morning briefing",  # newsletter box
            "Sign up",
            "Read more",  # read-more box
            "Lessons in the metro",
            "Related stories",  # related box
            "restores power",
            "comments",  # comment section
            "Great news for the kids",
            "two years to build",
            "Post comment",
            "Terms",  # footer
        ],
    ),
    Page(
        "hostile.html",
        title="Drone makers show their newest models in Lviv",
        date=None,
        source=None,
        author=None,
        url="https://hostile.example.com/tech/drone-expo",
        paragraphs=[
            "More than forty Ukrainian drone makers showed their newest models at an exhibition in Lviv on "
            "Friday, from small quadcopters to long-range aircraft with the wingspan of a light plane.",
            "Organisers said the exhibition drew buyers from ten countries, and several defence ministries sent "
            "delegations. The program is on the exhibition website; questions go to the press office.",
            "One company showed a drone that can fly for eight hours on a single charge and carry a thermal "
            "camera at night, and another a ground robot that delivers supplies to the front line.",
            "The text <script>alert(3)</script> and {{ config.secret }} are written in this paragraph as plain "
            "characters, as a reporter might quote them from a hacked website.",
            "The exhibition continues until Sunday, and entry is free for visitors with a registered ticket.",
        ],
        absent=["Injected", "body script", "alert('", "SVG text", "enable JavaScript", "Card number", "display"],
    ),
    Page(
        "cp1252-no-charset.html",
        title="Café owners in Odesa count the cost of blackouts",
        date=dt.date(2024, 11, 28),
        source="Harbour Herald",
        author="Svitlana Moroz",
        url=None,
        paragraphs=[
            "\u201cWe spent \u20ac4,000 on a generator in October,\u201d said the owner of a café near the Opera "
            "House \u2014 more than she earns in a good month.",
            "Scheduled power cuts of four hours or more have returned to Odesa this autumn, and small businesses "
            "say fuel for generators now costs them a fifth of their takings.",
            "The city council has promised grants of up to \u20ac1,500 for businesses that buy batteries or solar "
            "panels, but owners say the money has been slow to arrive and the forms are long.",
        ],
    ),
    Page(
        "latin1-http-equiv.html",
        title="Zürich conference pledges aid for Ukraine's power grid",
        date=dt.date(2024, 6, 12),
        source=None,
        author=None,
        url="https://alpen.example.ch/news/zurich-grid",
        paragraphs=[
            "Delegates at the conference in Zürich promised \u20ac2 billion for transformers, substations and gas "
            "turbines, the Swiss foreign ministry said on Wednesday.",
            "\u201cThe grid is the front line this winter,\u201d a Ukrainian energy official told the délégués, "
            "asking for equipment that can be delivered before the cold weather.",
            "Most of the money will go through the Energy Support Fund, which buys equipment directly from "
            "manufacturers and ships it to Ukrainian operators within weeks.",
        ],
    ),
    Page(
        "windows-1251-http-equiv.html",
        title="У Чернігові відкрили міст через Десну",
        date=dt.date(2024, 8, 24),
        source="Поліські вісті",
        author="Оксана Гриценко",
        url=None,
        paragraphs=[
            "У суботу в Чернігові відкрили рух мостом через річку Десну, який було зруйновано навесні 2022 року.",
            "Будівельники працювали півтора року, і тепер мешканцям лівого берега не потрібно їхати в обхід "
            "через сусідні села.",
            "Міська влада обіцяє, що до зими мостом зможуть їздити й автобуси, а поки що він відкритий лише для "
            "легкових автомобілів і пішоходів.",
        ],
    ),
    Page(
        "utf8-bom-crlf.html",
        title="Radosław Nowak brings Polish volunteers to Kyiv",  # from <title>, " — Warsaw Courier" removed
        date=dt.date(2024, 7, 1),
        source="Warsaw Courier",
        author=None,
        url=None,
        paragraphs=[
            "Radosław Nowak, a teacher from Łódź, arrived in Kyiv on Monday with forty volunteers who will "
            "spend the summer repairing school roofs \U0001f1f5\U0001f1f1\U0001f91d\U0001f1fa\U0001f1e6.",
            "The group has raised money in Poland for two years, and a banner on their bus read \u201cRazem "
            "\u2014 Разом\u201d, together in Polish and in Ukrainian.",
            "One volunteer, who grew up in Haifa, wrote the word in Hebrew and Arabic too: יחד and معًا, and the "
            "children in the school added their own drawings around it.",
        ],
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=[p.file for p in PAGES])
def test_fixture_page(page: Page) -> None:
    article, problems = read_article(FIXTURES / page.file, f"seeds/{page.file}")
    assert problems == []
    assert article is not None
    assert (article.title, article.date, article.source, article.author, article.url) == (
        page.title,
        page.date,
        page.source,
        page.author,
        page.url,
    )
    assert article.summary == page.summary
    assert article.slug == ""
    assert texts(article.body) == page.paragraphs
    body = "\n".join(plain_text(block.children) for block in article.body)
    for junk in page.absent:
        assert junk not in body
    assert page.title not in body  # the page shows the headline itself
    assert "\ufeff" not in article.title and "\r" not in body
    assert_only_safe_structures(article.body)


def test_semantic_page_keeps_the_article_structures() -> None:
    article, _ = read_article(FIXTURES / "semantic-article.html", "seeds/semantic-article.html")
    assert article is not None
    assert [block.tag for block in article.body] == [
        "figure",
        "p",
        "p",
        "h2",
        "p",
        "blockquote",
        "p",
        "ul",
        "table",
        "p",
    ]
    assert article.body[0] == Element(
        "figure",
        {"class": "digest-figure"},
        [
            Element(
                "figcaption",
                {},
                [
                    "The ferry leaves the Poshtova pier on its first night crossing.",
                    " ",
                    Element("span", {"class": "digest-credit"}, ["Photo: Taras Hnatiuk"]),
                ],
            )
        ],
    )
    links = [node for node in walk(article.body) if isinstance(node, Element) and node.tag == "a"]
    # The relative link is made absolute against the canonical URL.
    assert [(a.attrs["href"], plain_text(a.children)) for a in links] == [
        ("https://ledger.example.com/city/2024/10/02/metro-hours", "after the metro shortened its hours")
    ]
    assert texts(article.body, "h2") == ["Why a boat, not a bus"]
    quote = article.body[5]
    assert texts(quote.children) == [
        "\u201cOn the water there are no traffic jams and no potholes, so the crossing takes twelve minutes in "
        "any weather.\u201d"
    ]
    items = [plain_text(li.children) for li in article.body[7].children if isinstance(li, Element)]
    assert items == [
        "Poshtova pier to Hidropark, every forty minutes",
        "Obolon to Troieshchyna, every hour",
        "Podil to Rusanivka, on Friday and Saturday nights only",
    ]
    table = article.body[8]
    assert [part.tag for part in table.children if isinstance(part, Element)] == ["thead", "tbody"]
    cells = [(n.tag, plain_text(n.children)) for n in walk([table]) if isinstance(n, Element) and n.tag in ("th", "td")]
    assert cells[:4] == [
        ("th", "Route"),
        ("th", "First crossing"),
        ("th", "Last crossing"),
        ("td", "Poshtova to Hidropark"),
    ]
    # List items and cells are separated in the plain text, so their words never run together.
    assert "forty minutes\nObolon" in plain_text([article.body[7]])


@pytest.mark.parametrize(
    ("file", "links"),
    [
        # Relative to og:url (no canonical link), as a browser resolves it: next to the page.
        (
            "div-soup.html",
            [("https://courier.example.net/news/2024/insurance-costs.html", "figures the authority published")],
        ),
        # No canonical URL: the relative link is dropped (its text kept), the absolute one kept.
        ("json-ld-graph.html", [("https://city.example.gov.ua/budget-2025", "city council's website")]),
        # javascript: (any case, padded) and data: links are dropped; http(s) and mailto kept.
        (
            "hostile.html",
            [
                ("https://expo.example.org/program", "exhibition website"),
                ("mailto:press@expo.example.org", "the press office"),
                ("https://hostile.example.com/tickets", "registered ticket"),
            ],
        ),
    ],
)
def test_links(file: str, links: list[tuple[str, str]]) -> None:
    article, _ = read_article(FIXTURES / file, f"seeds/{file}")
    assert article is not None
    found = [
        (n.attrs["href"], plain_text(n.children)) for n in walk(article.body) if isinstance(n, Element) and n.tag == "a"
    ]
    assert found == links


def test_markup_in_text_stays_text() -> None:
    article, _ = read_article(FIXTURES / "hostile.html", "seeds/hostile.html")
    assert article is not None
    html = to_html(article.body, lambda m: m.text)
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert "&#123;&#123; config.secret &#125;&#125;" in html


@pytest.mark.parametrize("extractor", ["trafilatura", "soup"])
def test_both_extractors_drop_the_widgets(extractor: str) -> None:
    """The BeautifulSoup pass (the fallback) meets the same bar as trafilatura on the widget page."""
    page = next(p for p in PAGES if p.file == "boilerplate.html")
    data = (FIXTURES / page.file).read_bytes()
    article, problems = parse_html(data, "seeds/b.html", extraction=Extraction(extractor=extractor))  # type: ignore[arg-type]
    assert article is not None and problems == []
    assert texts(article.body) == page.paragraphs
    body = "\n".join(plain_text(block.children) for block in article.body)
    assert not [junk for junk in page.absent if junk in body]


@pytest.mark.parametrize(
    ("extraction", "paragraphs"),
    [
        (Extraction(), ["The bridge will reopen on Monday after repairs, the city said."]),
        (Extraction(fallback=False), []),
    ],
)
def test_soup_pass_when_the_extractor_finds_only_the_headline(extraction: Extraction, paragraphs: list[str]) -> None:
    # trafilatura takes the "comment" wrapper for a comment section and keeps only the h1.
    html = (
        "<html><body><nav>Home News</nav><article><h1>Bridge to reopen</h1><div class='comment-body'>"
        "<p>The bridge will reopen on Monday after repairs, the city said.</p></div></article></body></html>"
    )
    article, _ = parse_html(html, "seeds/short.html", extraction=extraction)
    assert (texts(article.body) if article else []) == paragraphs


def converted(html: str) -> list[Element]:
    """Our blocks for an HTML fragment, by the converter both extraction passes end in."""
    import lxml.html

    from digest.htmlpage import _Converter

    return _Converter(None).blocks(lxml.html.fragment_fromstring(html, create_parent="div"))


LONG = "The launch slipped again, the agency said on Monday, citing tests of the core stage."


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            f"<table><tr><td>menu</td><td><h2>Headline</h2><p>{LONG}</p><p>Second.</p></td></tr></table>",
            [("p", "menu"), ("h2", "Headline"), ("p", LONG), ("p", "Second.")],
            id="page-columns",
        ),
        pytest.param(
            f"<table><tr><td><p>{LONG}</p></td></tr></table>", [("p", LONG)], id="one-cell-box-around-a-quote"
        ),
        pytest.param(
            "<table><tr><td><table><tr><th>Team</th><th>Pts</th></tr><tr><td>A</td><td>3</td></tr></table>"
            "</td><td><p>One.</p><p>Two.</p></td></tr></table>",
            [("table", "Team\nPts\nA\n3"), ("p", "One."), ("p", "Two.")],
            id="data-table-inside-a-layout-table-stays",
        ),
    ],
)
def test_layout_tables_give_their_content(html: str, expected: list[tuple[str, str]]) -> None:
    """Old sites lay a page out in a table: the article must not end up inside one cell."""
    assert [(block.tag, plain_text(block.children)) for block in converted(html)] == expected


def table_rows(block: Element) -> list[tuple[str, str]]:
    """``(section, row text)`` for each row of a converted table."""
    return [
        (part.tag, plain_text(row.children).replace("\n", " "))
        for part in block.children
        if isinstance(part, Element)
        for row in part.children
        if isinstance(row, Element)
    ]


HEAD_AND_ROWS = [("thead", "Pos Player"), ("tbody", "DL Larry"), ("tbody", "LB Joe")]


@pytest.mark.parametrize(
    ("html", "rows"),
    [
        pytest.param(
            "<table><thead><tr><th>Pos</th><th>Player</th></tr></thead><tfoot><tr><th>Pos</th><th>Player</th></tr>"
            "</tfoot><tbody><tr><td>DL</td><td>Larry</td></tr><tr><td>LB</td><td>Joe</td></tr></tbody></table>",
            HEAD_AND_ROWS,
            id="footer-written-before-the-body",
        ),
        pytest.param(
            "<table><tr><th>Pos</th><th>Player</th></tr><tr><td>DL</td><td>Larry</td></tr>"
            "<tr><th>Pos</th><th>Player</th></tr><tr><td>LB</td><td>Joe</td></tr></table>",
            HEAD_AND_ROWS,
            id="head-repeated-between-rows",
        ),
        pytest.param(
            "<table><tr><th>Year</th><th>Total</th></tr><tr><th>2019</th><th>5</th></tr><tr><td>a</td><td>b</td></tr>"
            "</table>",
            [("thead", "Year Total"), ("thead", "2019 5"), ("tbody", "a b")],
            id="two-different-head-rows-stay",
        ),
    ],
)
def test_a_repeated_table_head_is_shown_once(html: str, rows: list[tuple[str, str]]) -> None:
    [block] = converted(html)
    assert table_rows(block) == rows


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><th>Team</th><th>Pts</th></tr><tr><td>A</td><td>3</td></tr></table>",
        "<table><tr><td><p>Wrapped</p></td><td><p>cells</p></td></tr><tr><td>x</td><td>y</td></tr></table>",
    ],
)
def test_data_tables_stay_tables(html: str) -> None:
    [block] = converted(html)
    assert block.tag == "table"


def test_xhtml_page_with_an_xml_declaration() -> None:
    page = f'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>X</h1>{FILLER}</body></html>'
    article, problems = parse_html(page.encode(), "seeds/x.xhtml.html")
    assert problems == []
    assert article is not None and texts(article.body) == [plain_text([FILLER[3:-4]])]


# Pieces of real and broken markup, shuffled into pages: whatever comes out is safe, and
# nothing raises.
PIECES = [
    "<html>", "<head>", "<body>", "<article>", "</article>", "<main>", "<div class='share'>", "</div>",
    "<p>", "</p>", "<h1>", "</h1>", "<ul><li>", "</li></ul>", "<table><tr><td>", "</td></tr></table>",
    "<a href='javascript:alert(1)'>", "<a href='/rel'>", "<a href='https://ok.example/'>", "</a>",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=x></iframe>",
    "<figure><figcaption>Cap. Photo: X</figcaption></figure>", "<br>", "<!-- c -->", "<![CDATA[x]]>",
    "<meta charset='x-unknown'>", "<meta property='og:title' content='T'>", "<title>T | S</title>",
    '<script type="application/ld+json">{"@graph": [{"author": [1, {"@id": 2}]}]}</script>',
    "<link rel=canonical href='http://[::1'>", "<time datetime='2024-02-30'>", "\x00", "\ufeff",
    "\r\n", "&amp;", "&#0;", "&nbsp;", "<b><i>", "</b></i>", "<pre>", "</pre>", "<blockquote>",
    "Some words of text, ", "Київ і Львів ", "\U0001f600 ", "\u202e",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_any_page_is_safe_and_never_raises(pieces: list[str], encoding: str) -> None:
    page = "".join(pieces)
    for data in (page, page.encode(encoding, "replace")):
        article, problems = parse_html(data, "seeds/p.html")
        assert all(p.level == "warning" and "\n" not in p.message for p in problems)
        if article is not None:
            assert article.title and "\ufeff" not in article.title
            assert_only_safe_structures(article.body)


# ----------------------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("data", "warnings"),
    [
        (b"", ["seeds/p.html: is empty; skipped"]),
        (b"  \r\n ", ["seeds/p.html: is empty; skipped"]),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81\x8d",
            ["seeds/p.html: is not a text file in UTF-8 (or Windows-1252); skipped. Save it as UTF-8"],
        ),
        (
            b"<html><head><title>Nothing here | Site</title></head><body><img src='a.jpg'></body></html>",
            ["seeds/p.html: has no article text; skipped"],
        ),
        (b"<html><body><script>alert(1)</script></body></html>", ["seeds/p.html: has no article text; skipped"]),
    ],
    ids=["empty", "blank", "binary", "image only", "script only"],
)
def test_pages_that_are_skipped(data: bytes, warnings: list[str]) -> None:
    article, problems = parse_html(data, "seeds/p.html")
    assert article is None
    assert [str(p) for p in problems] == warnings


def test_no_headline_uses_the_file_stem() -> None:
    article, problems = parse_html(f"<html><body>{FILLER}</body></html>".encode(), "seeds/water-supply.html")
    assert article is not None
    assert article.title == "water-supply"
    assert [str(p) for p in problems] == [
        "seeds/water-supply.html: no headline (no <h1>, og:title or <title>); using 'water-supply'"
    ]


def test_read_article_reads_htm_files(tmp_path: Path) -> None:
    file = tmp_path / "Page.HTM"
    file.write_bytes(f"<title>Water supply</title>{FILLER}".encode())
    article, problems = read_article(file, "seeds/Page.HTM")
    assert problems == []
    assert article is not None
    assert article.title == "Water supply"


# ----------------------------------------------------------------------------- decoding

EURO_PAGE = "<title>Price \u201c\u20ac5\u201d</title>"


@pytest.mark.parametrize(
    ("data", "text", "warnings"),
    [
        ("\ufeff" + EURO_PAGE, EURO_PAGE, []),  # UTF-8 BOM: stripped by normalize_text later
        (EURO_PAGE.encode("utf-16"), EURO_PAGE, []),  # UTF-16 with its BOM
        (EURO_PAGE.encode("utf-8"), EURO_PAGE, []),  # no declaration: UTF-8
        (EURO_PAGE.encode("cp1252"), EURO_PAGE, []),  # not UTF-8: Windows-1252
        (  # a BOM beats a declaration
            "\ufeff<meta charset='windows-1251'>" + EURO_PAGE,
            "<meta charset='windows-1251'>" + EURO_PAGE,
            [],
        ),
        ("<meta charset=koi8-u><title>Київ</title>".encode("koi8-u"), "<meta charset=koi8-u><title>Київ</title>", []),
        (  # Latin-1 declared, Windows-1252 written: read as browsers do
            ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + EURO_PAGE).encode("cp1252"),
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + EURO_PAGE,
            [],
        ),
        (  # a UTF-16 label in an ASCII-readable meta tag means UTF-8
            ("<meta charset=utf-16>" + EURO_PAGE).encode(),
            "<meta charset=utf-16>" + EURO_PAGE,
            [],
        ),
        (
            ("<meta charset=x-klingon>" + EURO_PAGE).encode(),
            "<meta charset=x-klingon>" + EURO_PAGE,
            ["p.html: declares the unknown charset 'x-klingon'; read as UTF-8 or Windows-1252 instead"],
        ),
        (  # a codec that is not a text encoding
            ("<meta charset=base64>" + EURO_PAGE).encode(),
            "<meta charset=base64>" + EURO_PAGE,
            ["p.html: declares the unknown charset 'base64'; read as UTF-8 or Windows-1252 instead"],
        ),
        (
            ("<meta charset=utf-8>" + EURO_PAGE).encode("cp1252"),
            "<meta charset=utf-8>" + EURO_PAGE,
            ["p.html: declares charset 'utf-8' but is not written in it; read as UTF-8 or Windows-1252 instead"],
        ),
    ],
    ids=[
        "utf-8 bom",
        "utf-16 bom",
        "utf-8",
        "cp1252",
        "bom beats meta",
        "meta charset",
        "latin-1 means cp1252",
        "utf-16 label means utf-8",
        "unknown charset",
        "not a text encoding",
        "wrong charset",
    ],
)
def test_decode_html(data: str | bytes, text: str, warnings: list[str]) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    decoded, problems = decode_html(raw, "p.html")
    assert decoded is not None
    assert decoded.removeprefix("\ufeff") == text
    assert [str(p) for p in problems] == warnings


def test_declaration_after_4_kb_is_not_read() -> None:
    page = "<!--" + "x" * 5000 + "--><meta charset=windows-1251><p>\u0436</p>"
    decoded, _ = decode_html(page.encode("cp1251"), "p.html")
    assert decoded is not None and "\u0436" not in decoded  # 0xE6 read as Windows-1252: "æ"


def test_bom_and_crlf_never_reach_the_article() -> None:
    data = b"\xef\xbb\xbf<title>Water\r\n supply | Site</title>\r\n" + FILLER.encode()
    article, problems = parse_html(data, "seeds/p.html")
    assert problems == []
    assert article is not None and article.title == "Water supply"


# ----------------------------------------------------------------------------- metadata


def meta_of(head: str, body: str = "") -> tuple[dict[str, object], list[str]]:
    """The fields a page's head and body give (``None`` ones left out), and the warnings."""
    meta, problems = read_metadata(
        BeautifulSoup(f"<html><head>{head}</head><body>{body}</body></html>", "lxml"), "p.html"
    )
    return {k: v for k, v in dataclasses.asdict(meta).items() if v is not None}, [str(p) for p in problems]


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # headline: h1 of the article > og:title > JSON-LD headline > <title> without the site
        (
            "<title>T | S</title><meta property='og:title' content='OG'>",
            "<article><h1>H <em>one</em></h1></article>",
            {"title": "H one"},
        ),
        (
            "<title>T | S</title><meta property='og:title' content=' OG  title '>",
            "<h1>Logo</h1>",
            {"title": "OG title"},
        ),
        ("<title>T | S</title>" + ld({"@type": "NewsArticle", "headline": "LD"}), "", {"title": "LD"}),
        ("<title>Rates rise | Daily Planet</title>", "", {"title": "Rates rise"}),
        (
            "<title>Rates rise – Daily Planet</title><meta property='og:site_name' content='Daily Planet'>",
            "",
            {"title": "Rates rise", "source": "Daily Planet"},
        ),
        (
            "<title>Rates rise - The Guardian</title><link rel=canonical href='https://www.theguardian.com/x'>",
            "",
            {"title": "Rates rise", "url": "https://www.theguardian.com/x"},
        ),
        ("<title>Biden - Trump meeting</title>", "", {"title": "Biden - Trump meeting"}),  # not a site name
        # og:title and JSON-LD headline lose the site's name too, but a "|" of their own stays
        (
            "<meta property='og:title' content='Best gadgets of 2019 | ZDNet'>"
            "<meta property='og:site_name' content='ZDNet'>",
            "",
            {"title": "Best gadgets of 2019", "source": "ZDNet"},
        ),
        (
            ld({"@type": "NewsArticle", "headline": "Deals are live - IGN"})
            + "<link rel=canonical href='https://www.ign.com/articles/deals'>",
            "",
            {"title": "Deals are live", "url": "https://www.ign.com/articles/deals"},
        ),
        (
            "<meta property='og:title' content='Milan Design Week | A light installation'>",
            "",
            {"title": "Milan Design Week | A light installation"},
        ),
        ("<title> | Site</title>", "", {"title": "| Site"}),
        # date: article:published_time, JSON-LD, meta date, <time datetime> in the article
        (
            "<meta property='article:published_time' content='2024-11-17T23:30:00.0000000Z'>",
            "",
            {"date": dt.date(2024, 11, 17)},
        ),
        (
            ld([{"@type": "WebSite"}, {"@type": "BlogPosting", "datePublished": "2024-01-02T03:04:05+01:00"}]),
            "",
            {"date": dt.date(2024, 1, 2)},
        ),
        ("<meta name='date' content='17 November 2024'>", "", {"date": dt.date(2024, 11, 17)}),
        ("", "<article><time datetime='2024-03-04'>4 March</time></article>", {"date": dt.date(2024, 3, 4)}),
        ("<meta name='DATE' content='2024-03-04 10:00:00 UTC'>", "", {"date": dt.date(2024, 3, 4)}),
        # author: meta, JSON-LD (string, object, list, @id), byline
        (
            "<meta name='author' content='Jane Doe'>" + ld({"@type": "Article", "author": "Other"}),
            "",
            {"author": "Jane Doe"},
        ),
        (ld({"@type": "NewsArticle", "author": "Jane Doe"}), "", {"author": "Jane Doe"}),
        (ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}), "", {"author": "Jane Doe"}),
        (ld({"@type": "NewsArticle", "author": [{"name": "A"}, "B", {"name": "A"}, 7]}), "", {"author": "A, B"}),
        (
            ld(
                {
                    "@graph": [
                        {"@id": "#p", "@type": "Person", "name": "P. Erson"},
                        {
                            "@type": "ReportageNewsArticle",
                            "author": {"@id": "#p"},
                            "publisher": {"@type": "Organization", "name": "Pub"},
                        },
                    ]
                }
            ),
            "",
            {"author": "P. Erson", "source": "Pub"},
        ),
        (
            "",
            "<article><h1>H</h1><div class='byline'>By  Jane Doe</div></article>",
            {"title": "H", "author": "Jane Doe"},
        ),
        (
            "",
            "<article><h1>H</h1><a rel='author' href='/a'>Jane Doe</a> and <a rel='author' href='/b'>John Roe</a></article>",
            {"title": "H", "author": "Jane Doe, John Roe"},
        ),
        # url: canonical (relative ones against og:url) > og:url; http(s) only
        (
            "<link rel='canonical' href='/a/b'><meta property='og:url' content='https://x.example/z'>",
            "",
            {"url": "https://x.example/a/b"},
        ),
        ("<link rel='canonical' href='javascript:alert(1)'>", "", {}),
        ("<meta property='og:url' content='ftp://x.example/a'>", "", {}),
        # summary: og:description > description
        (
            "<meta name='description' content='D'><meta property='og:description' content='OG D'>",
            "",
            {"summary": "OG D"},
        ),
        # broken or odd JSON-LD is ignored
        ('<script type="application/ld+json">{"@type": "NewsArticle", </script>', "", {}),
        (ld({"@type": "NewsArticle", "headline": ["x"], "author": {"name": 5}, "datePublished": 20240101}), "", {}),
    ],
)
def test_metadata(head: str, body: str, expected: dict[str, object]) -> None:
    fields, warnings = meta_of(head, body)
    assert fields == expected
    assert warnings == []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<meta property='article:published_time' content='Mon, 18 Nov 2019 16:07:38 -0600'>", "2019-11-18"),
        ("<meta name='date' content='01:38:07 PM IST Nov 20, 2019'>", "2019-11-20"),
        ("<meta name='DC.date' content='2019-11-19T03:05:46.0000000Z'>", "2019-11-19"),
    ],
)
def test_dates_among_weekday_time_and_zone_are_read(head: str, expected: str) -> None:
    fields, warnings = meta_of(head)
    assert fields["date"].isoformat() == expected  # type: ignore[attr-defined]
    assert warnings == []


@pytest.mark.parametrize(
    ("content", "author"),
    [
        # Author fields of real saved pages (the extraction benchmark's), and what is kept of them.
        ("By STEVE PEOPLES, AP National Political Writer", "STEVE PEOPLES, AP National Political Writer"),
        ("By Elliot Brownstein Florida Today Published 2:16 AM EST Nov 20, 2019", "Elliot Brownstein Florida Today"),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", "Chris Cillizza, CNN Editor-at-large"),
        ("Amy Kuperinsky | NJ Advance Media for NJ.com", "Amy Kuperinsky"),
        ("Jeff Foust Monday, November 18, 2019", "Jeff Foust"),
        ("Carrie Arnold November 15, 2019", "Carrie Arnold"),
        ("By: Jane Doe", "Jane Doe"),
        ("Published by Example Wire", "Example Wire"),
        ("Bybee Smith", "Bybee Smith"),  # a name that starts with "By"
        ("Jane Doe", "Jane Doe"),
    ],
)
def test_author_field_without_what_pages_put_around_the_names(content: str, author: str) -> None:
    fields, warnings = meta_of(f"<meta name='author' content='{content}'>")
    assert (fields["author"], warnings) == (author, [])


@pytest.mark.parametrize("content", ["By", "By Published 2:16 AM EST Nov 20, 2019"])
def test_an_author_field_of_nothing_but_by_and_a_date_is_no_author(content: str) -> None:
    fields, _ = meta_of(f"<meta name='author' content='{content}'>")
    assert "author" not in fields


def test_placeholder_dates_give_way_to_the_next_source() -> None:
    """Content systems write year 1 or Unix time 0 when they have no date (the Detroit News' JSON-LD)."""
    placeholder = ld({"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"})
    fields, warnings = meta_of(placeholder + "<meta name='date' content='2019-11-18'>")
    assert (fields["date"].isoformat(), warnings) == ("2019-11-18", [])  # type: ignore[attr-defined]
    for text in ("0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "0990-05-01"):
        fields, warnings = meta_of(f"<meta property='article:published_time' content='{text}'>")
        assert "date" not in fields
        assert warnings == [f"p.html: cannot read the date '{text}'; the article is kept without a date"]
    fields, _ = meta_of("<meta property='article:published_time' content='1871-03-18'>")
    assert fields["date"].isoformat() == "1871-03-18"  # type: ignore[attr-defined] # old, but a date


@pytest.mark.parametrize(
    ("head", "body", "date"),
    [
        pytest.param(  # the Detroit News: a placeholder in JSON-LD, the date shown under the headline
            ld({"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}),
            "<article><h1>H</h1><div class='publish-date'>Published 11:11 PM EST Nov 19, 2019</div></article>",
            "2019-11-19",
            id="placeholder-then-shown",
        ),
        pytest.param(
            "",
            "<article><h1>H</h1><span class='entry-date'>18 November 2019</span></article>",
            "2019-11-18",
            id="shown",
        ),
        pytest.param(
            "<meta name='date' content='2024-01-02'>",
            "<article><h1>H</h1><span class='entry-date'>18 November 2019</span></article>",
            "2024-01-02",
            id="metadata-first",
        ),
        pytest.param(
            "",
            "<article><h1>H</h1><p class='update-notice'>Nothing.</p><p class='date-note'>"
            + "A long paragraph that mentions 18 November 2019 among many other words, " * 3
            + "</p></article>",
            None,
            id="long-text-is-no-date-element",
        ),
    ],
)
def test_a_date_shown_on_the_page_is_the_last_source(head: str, body: str, date: str | None) -> None:
    fields, warnings = meta_of(head, body)
    assert (fields.get("date").isoformat() if fields.get("date") else None, warnings) == (date, [])  # type: ignore[union-attr]


AP_LEAD = (
    "WASHINGTON (AP) - New uncertainty hangs over the Democratic presidential primary as 10 candidates "
    "meet on the debate stage once again. No longer is there a clear front-runner. The fight for African "
    "American voters is raging. And there are growing concerns that impeachment may become a distraction "
    "from the primary. Those issues and more will play out Wednesday night."
)


@pytest.mark.parametrize(
    ("description", "summary"),
    [
        pytest.param("Short and sweet.", "Short and sweet.", id="short-stays"),
        pytest.param(AP_LEAD, AP_LEAD[: AP_LEAD.index(" And there")], id="cut-after-a-whole-sentence"),
        pytest.param("word " * 100, ("word " * 60)[:-1] + "…", id="no-sentence-cut-after-a-word"),
        pytest.param("x" * 400, "x" * 300 + "…", id="no-word-cut-at-the-limit"),
    ],
)
def test_a_page_s_summary_is_at_most_300_characters(description: str, summary: str) -> None:
    """Some pages put the whole article in og:description; listings show a summary."""
    fields, _ = meta_of(f"<meta property='og:description' content='{description}'>")
    assert fields["summary"] == summary
    assert len(str(fields["summary"])) <= 301


def test_unreadable_date_is_a_warning() -> None:
    fields, warnings = meta_of("<meta property='article:published_time' content='yesterday'>")
    assert fields == {}
    assert warnings == ["p.html: cannot read the date 'yesterday'; the article is kept without a date"]


@pytest.mark.parametrize(
    ("figure", "caption", "credit"),
    [
        (
            "<figcaption>Kyiv at night. <span class='credit'>Photo: A. B.</span></figcaption>",
            "Kyiv at night.",
            "Photo: A. B.",
        ),
        (
            "<figcaption>Kyiv at night.</figcaption><span class='image-copyright'>Getty Images</span>",
            "Kyiv at night.",
            "Getty Images",
        ),
        ("<figcaption>Kyiv at night. Photo: AAP</figcaption>", "Kyiv at night.", "Photo: AAP"),
        (
            "<figcaption>Kyiv at night. Credit...Jane Doe/The Times</figcaption>",
            "Kyiv at night.",
            "Credit...Jane Doe/The Times",
        ),
        ("<figcaption>Kyiv at night (Reuters)</figcaption>", "Kyiv at night", "Reuters"),
        ("<figcaption><span class='sr-only'>Image caption</span>Kyiv at night</figcaption>", "Kyiv at night", None),
        ("<figcaption>Photograph: Jane Doe</figcaption>", None, "Photograph: Jane Doe"),
    ],
)
def test_lead_caption_and_credit(figure: str, caption: str | None, credit: str | None) -> None:
    html = f"<article><h1>H</h1><figure><img src='x.jpg'>{figure}</figure>{FILLER * 3}</article>"
    article, problems = parse_html(html, "p.html")
    assert article is not None and problems == []
    lead = article.body[0]
    assert lead.tag == "figure" and lead.attrs == {"class": "digest-figure"}
    children = lead.children[0].children  # type: ignore[union-attr]
    expected: list[Node] = [caption] if caption else []
    if credit:
        expected += [" "] * bool(caption) + [Element("span", {"class": "digest-credit"}, [credit])]
    assert children == expected
    assert texts(article.body) == [plain_text([FILLER.removeprefix("<p>").removesuffix("</p>")])] * 3


def test_figure_in_a_related_box_is_not_the_lead() -> None:
    html = f"<article><h1>H</h1>{FILLER}<aside><figure><figcaption>Other story</figcaption></figure></aside></article>"
    article, _ = parse_html(html, "p.html")
    assert article is not None
    assert [block.tag for block in article.body] == ["p"]


# ----------------------------------------------------------------------------- the benchmark


def test_metric_on_a_hand_computed_pair() -> None:
    # Page 1: shingles (a b c d), (b c d e) against (a b c d), (b c d x): 1 shared, 1 extra, 1
    # missing -> 1/3 each; precision 1/2, recall 1/2.
    first = bench.match("a b c d e", "a, b. c d x")
    assert first == bench.Counts(1 / 3, 1 / 3, 1 / 3)
    # Page 2: nothing predicted; the true text (2 tokens) is one shingle: recall 0, and the page
    # does not count for precision.
    second = bench.match("a b", "")
    assert second == bench.Counts(0.0, 0.0, 1.0)
    scores = bench.score([first, second])
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.25)
    assert scores.f1 == pytest.approx(1 / 3)  # 2 * 0.5 * 0.25 / 0.75
    assert bench.score([bench.match("same words here and there", "Same words here and there")]).f1 < 1  # case counts
    assert bench.score([bench.match("one two three four five", "one two three four five")]).f1 == 1


def test_benchmark_cli_on_a_tiny_data_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "html").mkdir()
    truth = {}
    for page in PAGES[1:3]:  # pages whose whole body is paragraphs
        page_id = page.file.removesuffix(".html")
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress((FIXTURES / page.file).read_bytes()))
        truth[page_id] = {"url": page.url, "articleBody": "\n".join(page.paragraphs)}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert bench.main(["--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:2] == ["method", "precision"]
    digest_row = out[2].split()
    assert digest_row[0] == "digest" and digest_row[1:4] == ["1.000", "1.000", "1.000"]
    assert out[3].startswith("whole page get_text() (floor)")


def test_benchmark_cli_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--data", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "extraction benchmark not found" in err


# ----------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_html_seed_becomes_an_article_page(make_digest, build) -> None:
    html = (FIXTURES / "semantic-article.html").read_text(encoding="utf-8")
    site = build(make_digest({"seeds/ferry.html": html}))
    page = site.page("articles/kyiv-opens-its-first-night-time-river-ferry/")
    assert page.select_one("article h1").get_text(strip=True) == "Kyiv opens its first night-time river ferry"
    body = page.select_one("article").get_text(" ", strip=True)
    assert "A ferry carrying up to eighty passengers" in body
    assert "Photo: Taras Hnatiuk" in body
    assert "All rights reserved" not in body
    assert not page.select("article img, article script, article iframe")


@pytest.mark.slow
def test_extraction_quality_on_the_shared_benchmark() -> None:
    """The issue's bar: F1 >= 0.95 on the 181 real pages (a quality check, not a timing one)."""
    data = Path(os.environ.get(bench.ENV_VAR) or bench.DEFAULT_DATA)
    if not data.is_dir():
        pytest.skip(f"the extraction benchmark is not at {data} (set {bench.ENV_VAR})")
    pages = bench.load_pages(data)
    assert len(pages) == 181
    row = bench.measure("digest", bench.digest_method(DEFAULT_EXTRACTION), pages)
    assert row.all.f1 >= 0.95, bench.table([row])
