"""Tests for digest.textformat: one table row per rule of the .txt format, plus the real seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.markup import plain_text
from digest.model import Element, Node
from digest.textformat import (
    date_line,
    find_date,
    is_boilerplate,
    is_byline,
    lead_meta,
    linkify,
    normalize_text,
    parse_date,
    parse_text,
    safe_href,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9243ca9ca10ac7ac.txt"


def P(*children: Node, **attrs: str) -> Element:
    return Element("p", dict(attrs), list(children))


def A(url: str, text: str | None = None) -> Element:
    return Element("a", {"href": url}, [text if text is not None else url])


def figure(caption: str, credit: str) -> Element:
    span = Element("span", {"class": "digest-credit"}, [credit])
    children: list[Node] = [caption, " ", span] if caption else [span]
    return Element("figure", {"class": "digest-figure"}, [Element("figcaption", {}, children)])


def post(lines: list[list[Node]], name: str, handle: str, date_text: str, iso: str) -> Element:
    attribution = P(
        "\u2014 ",
        Element("span", {"class": "digest-post__author"}, [name]),
        " (",
        A(f"https://x.com/{handle}", "@" + handle),
        ") ",
        Element("time", {"datetime": iso}, [date_text]),
        **{"class": "digest-post__attribution"},
    )
    return Element("blockquote", {"class": "digest-post"}, [*(P(*nodes) for nodes in lines), attribution])


# The seed's social-media post, verbatim (lines 21-25 of the file).
SEED_POST_TEXT = (
    "\u201cEscalating the wars before he leaves office,\u201d Grenell said, in a social media post "
    "responding to the news.\n"
    "No one anticipated that Joe Biden would ESCALATE the war in Ukraine during the transition "
    "period.\n"
    "This is as if he is launching a whole new war.\n"
    "Everything has changed now \u2013 all previous calculations are null and void. And all for "
    "politics. https://t.co/7ktLb5jpO7\n"
    "\u2014 Richard Grenell (@RichardGrenell) November 17, 2024\n"
)
SEED_POST = post(
    [
        ["No one anticipated that Joe Biden would ESCALATE the war in Ukraine during the transition period."],
        ["This is as if he is launching a whole new war."],
        [
            "Everything has changed now \u2013 all previous calculations are null and void. And all for politics. ",
            A("https://t.co/7ktLb5jpO7"),
        ],
    ],
    "Richard Grenell",
    "RichardGrenell",
    "November 17, 2024",
    "2024-11-17",
)

CASES: list[tuple[str, str, str | None, list[Element]]] = [
    # id, file text, expected headline, expected blocks
    ("headline only line 1", "  Big   news\ttoday  \nBody.\n", "Big news today", [P("Body.")]),
    ("blank lines ignored", "\n\nHead\n\n\nOne.\n\nTwo.\n\n", "Head", [P("One."), P("Two.")]),
    (
        "caption and credit",
        "H\nUS President Joe Biden has given permission. Photo: AAP\n",
        "H",
        [figure("US President Joe Biden has given permission.", "Photo: AAP")],
    ),
    ("credit only", "H\nPhoto: Getty Images.\n", "H", [figure("", "Photo: Getty Images")]),
    ("credit in brackets", "H\nA man walks (Picture: Reuters)\n", "H", [figure("A man walks", "Picture: Reuters")]),
    ("credit label any case", "H\nSmoke rises. IMAGE: AP\n", "H", [figure("Smoke rises.", "IMAGE: AP")]),
    (
        "sentence with full stop after label is prose",
        "H\nPhoto: he took it. It was late.\n",
        "H",
        [P("Photo: he took it. It was late.")],
    ),
    ("plain paragraph", "H\nThe White House declined to comment.\n", "H", [P("The White House declined to comment.")]),
    ("markdown emphasis is literal", "H\n*not emphasis* and _nor this_\n", "H", [P("*not emphasis* and _nor this_")]),
    ("html is literal", "H\n<b>x</b> <script>alert(1)</script>\n", "H", [P("<b>x</b> <script>alert(1)</script>")]),
    ("heading marker is literal", "H\n# not a heading\n", "H", [P("# not a heading")]),
    ("template syntax is literal", "H\n{{ x }} {% y %}\n", "H", [P("{{ x }} {% y %}")]),
    ("headline is literal too", "# *Head* <i>\nx\n", "# *Head* <i>", [P("x")]),
    (
        "bare url becomes a link",
        "H\nSee https://example.com/a?b=1&c=2 now\n",
        "H",
        [P("See ", A("https://example.com/a?b=1&c=2"), " now")],
    ),
    (
        "trailing punctuation is not part of the url",
        "H\nRead https://e.com/x. Or (https://e.com/y), \u201chttps://e.com/z\u201d!\n",
        "H",
        [
            P(
                "Read ",
                A("https://e.com/x"),
                ". Or (",
                A("https://e.com/y"),
                "), \u201c",
                A("https://e.com/z"),
                "\u201d!",
            )
        ],
    ),
    (
        "balanced bracket stays in the url",
        "H\nhttps://en.wikipedia.org/wiki/Kursk_(city).\n",
        "H",
        [P(A("https://en.wikipedia.org/wiki/Kursk_(city)"), ".")],
    ),
    (
        "quote in url is percent-encoded in href",
        "H\nhttps://e.com/a'b\n",
        "H",
        [P(A("https://e.com/a%27b", "https://e.com/a'b"))],
    ),
    ("not a url without a host", "H\nhttps:// and http://.\n", "H", [P("https:// and http://.")]),
    ("javascript is never a link", "H\njavascript:alert(1)\n", "H", [P("javascript:alert(1)")]),
    (
        "seed social post grouping",
        "Head\n" + SEED_POST_TEXT,
        "Head",
        [
            P(
                "\u201cEscalating the wars before he leaves office,\u201d Grenell said, in a social media post "
                "responding to the news."
            ),
            SEED_POST,
        ],
    ),
    (
        "post lines stop at the 280-character limit",
        "H\n" + "a" * 200 + "\n" + "b" * 70 + "\n" + "c" * 9 + "\n\u2014 Ann (@ann) May 1, 2024\n",
        "H",
        [P("a" * 200), post([["b" * 70], ["c" * 9]], "Ann", "ann", "May 1, 2024", "2024-05-01")],
    ),
    (
        "a url counts as 23 characters",
        "H\n" + "a" * 250 + " https://example.com/" + "x" * 100 + "\n\u2014 Ann (@ann) May 1, 2024\n",
        "H",
        [post([["a" * 250 + " ", A("https://example.com/" + "x" * 100)]], "Ann", "ann", "May 1, 2024", "2024-05-01")],
    ),
    (
        "attribution alone when the line before is reporting",
        "H\nShe says it is over.\n\u2014 Ann (@ann) May 1, 2024\n",
        "H",
        [P("She says it is over."), P("\u2014 Ann (@ann) May 1, 2024")],
    ),
    (
        "post never swallows a caption or the headline",
        "H\nA photo. Photo: AAP\nWe did it\n\u2014 Ann (@ann) May 1, 2024\n",
        "H",
        [figure("A photo.", "Photo: AAP"), post([["We did it"]], "Ann", "ann", "May 1, 2024", "2024-05-01")],
    ),
    (
        "attribution right after headline stands alone",
        "H\n- Ann (@ann) May 1, 2024\n",
        "H",
        [P("- Ann (@ann) May 1, 2024")],
    ),
    (
        "impossible date is not an attribution",
        "H\nWe did it\n\u2014 Ann (@ann) February 30, 2024\n",
        "H",
        [P("We did it"), P("\u2014 Ann (@ann) February 30, 2024")],
    ),
    ("crlf line ends", "Head\r\nOne.\r\n\r\nTwo.\rThree.\r\n", "Head", [P("One."), P("Two."), P("Three.")]),
    ("bom stripped", "\ufeffHead\nOne.\n", "Head", [P("One.")]),
    ("control characters stripped", "He\x00ad\nO\x02n\x03e\x1b.\x85\x7f\n", "Head", [P("One.")]),
    ("nfc normalised", "Cafe\u0301\nx\n", "Caf\u00e9", [P("x")]),
    ("no-break space kept", "H\n10\u00a0km  away\n", "H", [P("10\u00a0km away")]),
]


@pytest.mark.parametrize(("text", "headline", "blocks"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_text_format(text: str, headline: str | None, blocks: list[Element]) -> None:
    got_headline, got_blocks, problems = parse_text(text, "a.txt")
    assert got_headline == headline
    assert got_blocks == blocks
    assert problems == []


def test_headline_without_body_is_a_warning() -> None:
    headline, blocks, problems = parse_text("\n\nJust a headline\n\n", "seeds/a.txt", first_line=4)
    assert (headline, blocks) == ("Just a headline", [])
    assert [str(p) for p in problems] == ["seeds/a.txt:6: has a headline but no body text"]
    assert problems[0].level == "warning"


def test_empty_text_has_no_headline() -> None:
    assert parse_text(" \n\t\n", "a.txt") == (None, [], [])


@pytest.mark.parametrize(
    ("title", "headline", "first_block"),
    [
        ("US allows Ukraine", "US allows Ukraine", P("Body.")),
        ("us  ALLOWS ukraine", "US allows Ukraine", P("Body.")),  # same words: still the headline
        ("Another title", None, P("US allows Ukraine")),  # differs: the line is body text
    ],
)
def test_front_matter_title_decides_the_headline(title: str, headline: str | None, first_block: Element) -> None:
    got_headline, blocks, _ = parse_text("US allows Ukraine\nBody.\n", "a.txt", title=title)
    assert got_headline == headline
    assert blocks[0] == first_block


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-17", "2024-11-17"),
        ("2024-11-17T09:30Z", "2024-11-17"),
        ("2024-11-17 09:30:00+05:00", "2024-11-17"),
        ("17 November 2024", "2024-11-17"),
        ("17 Nov 2024", "2024-11-17"),
        ("November 17, 2024", "2024-11-17"),
        ("nov 17 2024", "2024-11-17"),
        ("2024-02-30", None),
        ("17/11/2024", None),
        ("Smarch 17, 2024", None),
        ("yesterday", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    got = parse_date(text)
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Date fields of real saved pages (seen in the extraction benchmark's 181 pages).
        ("Mon, 18 Nov 2019 16:07:38 -0600", "2019-11-18"),  # RFC 2822: as written, no zone conversion
        ("Tue Nov 19 2019 03:05:46 GMT+0000", "2019-11-19"),  # JavaScript's Date.toString()
        ("20 Nov 2019 08:02 GMT", "2019-11-20"),
        ("01:38:07 PM IST Nov 20, 2019", "2019-11-20"),
        ("November 19, 2019, 07:47 PM EST", "2019-11-19"),
        ("Posted on the 3rd Dec. 2019 at noon", "2019-12-03"),
        ("2019/11/19 10:00", "2019-11-19"),
        ("17 November 2024", "2024-11-17"),  # what parse_date reads, it reads
        # Not dates, or not surely: None (the page keeps no date, with a warning).
        ("11/12/2019", None),  # day and month in doubt
        ("Mayor 12 2019 Nov", None),  # a word that is no month
        ("Nov 31, 2019", None),
        ("Smarch 17, 2024", None),
        ("2019/13/01", None),
        ("posted 3 days ago", None),
        ("", None),
    ],
)
def test_find_date_reads_the_date_among_weekday_time_and_zone(text: str, expected: str | None) -> None:
    got = find_date(text)
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize("text", ["Mon, 18 Nov 2019", "Nov 19 2019 03:05", "01:38 PM Nov 20, 2019"])
def test_front_matter_dates_stay_strict(text: str) -> None:
    """A person's date in front matter must be one of the plain forms: a typo is reported."""
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://e.com/x", "https://e.com/x"),
        ("HTTP://E.COM", "HTTP://E.COM"),
        ("mailto:a@b.c", "mailto:a@b.c"),
        ('https://e.com/"><script>', "https://e.com/%22%3E%3Cscript%3E"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("/relative", None),
        ("//e.com/x", None),
        ("https://", None),
        ("https://e.com/a b", None),
        ("http://[bad", None),
        ("mailto:", None),
    ],
)
def test_safe_href(url: str, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_seed_article() -> None:
    headline, blocks, problems = parse_text(SEED.read_text(encoding="utf-8"), "seeds/000.txt")
    assert headline == "US allows Ukraine to use long-range missiles in Russia"
    assert problems == []
    assert blocks[0] == figure(
        "US President Joe Biden has given permission for Ukraine to fire long-range missiles into Russia.",
        "Photo: AAP",
    )
    posts = [b for b in blocks if b.tag == "blockquote"]
    assert posts == [SEED_POST]
    # The reporting line before the post stays an ordinary paragraph, right before it.
    index = blocks.index(SEED_POST)
    assert blocks[index - 1].children[0].startswith("\u201cEscalating the wars")
    # 30 non-blank lines: headline, caption, 3 post lines + attribution, 24 paragraphs.
    assert len(blocks) == 26
    assert sum(b.tag == "p" for b in blocks) == 24
    assert blocks[-1] == P(
        "\u201cPresident Biden responded to the entry of North Korean troops into the war and the "
        "massive Russian missile strike in a language that V. Putin understands \u2013 by removing "
        "restrictions on Ukraine\u2019s use of Western missiles,\u201d Sikorski said on social media "
        "platform X."
    )


# ----------------------------------------------------------------------------- properties

ALLOWED_TAGS = {"p", "figure", "figcaption", "span", "blockquote", "a", "time"}


def _walk(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        if isinstance(node, Element):
            out.extend(_walk(node.children))
    return out


# Text built from the pieces the parser reacts to, so captions, URLs and posts actually occur.
PIECES = st.sampled_from(
    [*"ab \n\t*<>&\"\u201c.:()@-\u2014\x02\x03\r\ufeff\u0301", "Photo:", "https://t.co/x", "said",
     " (@h) May 1, 2024", "\u2014 N"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES).map("".join) | st.text())
def test_any_text_parses_to_safe_literal_tree(text: str) -> None:
    headline, blocks, _ = parse_text(text, "a.txt")
    for node in _walk(list(blocks)):
        if isinstance(node, Element):
            assert node.tag in ALLOWED_TAGS
            if node.tag == "a":
                assert safe_href(node.attrs["href"]) == node.attrs["href"]
        else:
            assert isinstance(node, str)
            assert normalize_text(node) == node  # no control characters, NFC
            assert "\n" not in node
    if headline is not None:
        assert headline and headline == normalize_text(headline)


@given(st.text())
def test_linkify_keeps_every_character(text: str) -> None:
    flat = "".join(n if isinstance(n, str) else n.children[0] for n in linkify(text))  # type: ignore[union-attr]
    assert flat == text


# --- text pasted from a web page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "boilerplate"),
    [
        ("Advertisement", True),
        ("Skip Advertisement", True),
        ("SHARE", True),
        ("Sign up for our newsletter.", True),
        ("Continue reading »", True),
        ("Read more: Russia fires ATACMS, claims", True),
        ("RELATED: Kursk offensive stalls", True),
        ("Share prices fell sharply on Monday.", False),  # a sentence that starts with the word
        ("Advertisement revenue fell by a third, the company said.", False),
        ("More than 100 drones were launched overnight.", False),  # "More" without a colon
        ("Read more: " + "x" * 120, False),  # too long for a promotion line
    ],
)
def test_is_boilerplate(line: str, boilerplate: bool) -> None:
    assert is_boilerplate(line) is boilerplate


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("November 20, 2024", "2024-11-20"),
        ("Published 10:02 AM EST Nov 19, 2019", "2019-11-19"),
        ("Updated: Wed 20 Nov 2024 08.15 GMT", "2024-11-20"),
        ("2024-11-20T08:15:00Z", "2024-11-20"),
        ("The war began on 24 February 2022.", None),  # a sentence with a date
        ("Kyiv, 20 November 2024", None),  # a dateline with a place: not only a date
        ("Photo: AP", None),
    ],
)
def test_date_line(line: str, date: str | None) -> None:
    got = date_line(line)
    assert (got.isoformat() if got else None) == date


def P_(text: str) -> Element:
    return Element("p", {}, [text])


@pytest.mark.parametrize(
    ("blocks", "author", "date", "rest"),
    [
        ([P_("By Jane Doe, Reuters"), P_("November 20, 2024"), P_("Body.")], "Jane Doe, Reuters", "2024-11-20", 1),
        ([P_("November 20, 2024"), P_("BY JANE DOE"), P_("Body.")], "JANE DOE", "2024-11-20", 1),
        ([P_("Body first."), P_("By Jane Doe")], None, None, 2),  # only at the top
        ([P_("By the end of the week, the talks had stalled and nobody knew what would happen next in Kyiv.")] * 2,
         None, None, 2),  # a long sentence that starts with "By"
        ([P_("By Jane Doe"), P_("By John Roe"), P_("Body.")], "Jane Doe", None, 2),  # one of each kind
    ],
)  # fmt: skip
def test_lead_meta(blocks: list[Element], author: str | None, date: str | None, rest: int) -> None:
    got_author, got_date, remaining = lead_meta(blocks)
    assert (got_author, got_date.isoformat() if got_date else None, len(remaining)) == (author, date, rest)


PASTED = """Kyiv hit by overnight drone attack
By Jane Doe, Reuters
November 20, 2024
Share
Advertisement
Ukraine's capital Kyiv was hit by a large drone attack overnight, officials said on Wednesday.
Read more: Russia fires ATACMS, claims
Air defences shot down most of the drones, the city administration said.
Sign up for our newsletter
"""


def test_a_pasted_article_keeps_its_text_and_byline_and_loses_the_page_s_furniture() -> None:
    from digest.ingest import parse_article

    article, problems = parse_article(PASTED, "seeds/paste.txt", ".txt")
    assert problems == [] and article is not None
    assert (article.title, article.author, article.date) == (
        "Kyiv hit by overnight drone attack",
        "Jane Doe, Reuters",
        dt.date(2024, 11, 20),
    )
    assert [plain_text(b.children) for b in article.body] == [
        "Ukraine's capital Kyiv was hit by a large drone attack overnight, officials said on Wednesday.",
        "Air defences shot down most of the drones, the city administration said.",
    ]
    # The front matter's author and date win over the lines.
    article, _ = parse_article("---\nauthor: Desk\ndate: 2024-11-21\n---\n" + PASTED, "seeds/paste.txt", ".txt")
    assert article is not None and (article.author, article.date) == ("Desk", dt.date(2024, 11, 21))


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Jane Doe, Reuters", True),
        ("BY JANE DOE", True),
        ("By the Associated Press", True),
        ("By Jane Doe, senior correspondent", True),
        ("By Jane Doe and John Roe in Kyiv", True),
        ("By J. R. Smith", True),
        ("By Monday, the talks had stalled.", False),
        ("By the end of the week, the talks had stalled.", False),
        ("By 2025 the war had ended", False),
        ("Byline", False),
    ],
)
def test_is_byline(line: str, byline: bool) -> None:
    assert is_byline(line) is byline
