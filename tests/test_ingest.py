"""Tests for digest.ingest, digest.frontmatter and digest.mdbody: one table row per contract rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from digest.frontmatter import split_front_matter, validate_metadata
from digest.ingest import parse_article, read_article
from digest.markup import plain_text
from digest.mdbody import parse_markdown
from digest.model import Element, Node

PATH = "seeds/a.md"


def E(tag: str, *children: Node, **attrs: str) -> Element:
    return Element(tag, dict(attrs), list(children))


def meta_of(front: str) -> tuple[dict[str, Any], list[str]]:
    """Validated fields and warning strings for a front matter block (without the fences)."""
    raw, _body, _line, problems = split_front_matter(f"---\n{front}\n---\nBody.\n", PATH)
    fields, more = validate_metadata(raw, PATH, 1)
    return fields, [str(p) for p in problems + more]


# ----------------------------------------------------------------------------- front matter

FIELD_CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    # id, front matter, expected fields, expected warnings
    ("title", "title: '  Big   day '", {"title": "Big day"}, []),
    ("title written as a number stays text", "title: 1984", {"title": "1984"}, []),
    (
        "title of the wrong type",
        "title: [a, b]",
        {},
        [f"{PATH}:2: field 'title': expected text, got a list; it is ignored"],
    ),
    ("empty title is absent", "title:", {}, []),
    ("date as YAML date", "date: 2024-11-17", {"date": dt.date(2024, 11, 17)}, []),
    ("date as YAML datetime", "date: 2024-11-17T23:30:00+05:00", {"date": dt.date(2024, 11, 17)}, []),
    ("date day month year", "date: 17 November 2024", {"date": dt.date(2024, 11, 17)}, []),
    ("date month day, year", "date: 'November 17, 2024'", {"date": dt.date(2024, 11, 17)}, []),
    ("date iso text with minutes", "date: '2024-11-17T09:30Z'", {"date": dt.date(2024, 11, 17)}, []),
    (
        "date unreadable",
        "title: T\ndate: next week",
        {"title": "T"},
        [
            f"{PATH}:3: field 'date': cannot read 'next week' as a date; use YYYY-MM-DD; "
            "the article is kept without a date"
        ],
    ),
    (
        "date impossible",
        "date: 2024-02-30",
        {},
        [
            f"{PATH}:2: field 'date': cannot read '2024-02-30' as a date; use YYYY-MM-DD; "
            "the article is kept without a date"
        ],
    ),
    (
        "date of the wrong type",
        "date: [2024]",
        {},
        [f"{PATH}:2: field 'date': expected a date such as 2024-11-17, got a list; the article is kept without a date"],
    ),
    ("source", "source: Reuters", {"source": "Reuters"}, []),
    ("source YAML would read as a boolean", "source: No", {"source": "No"}, []),
    (
        "source of the wrong type",
        "source: {name: AAP}",
        {},
        [f"{PATH}:2: field 'source': expected text, got a mapping; it is ignored"],
    ),
    ("author", "author: Jane Doe", {"author": "Jane Doe"}, []),
    ("authors list joined", "author: [Jane Doe, John Roe]", {"author": "Jane Doe, John Roe"}, []),
    (
        "author list with a bad item",
        "author: [Jane, {x: 1}]",
        {"author": "Jane"},
        [f"{PATH}:2: field 'author': item 2 is a mapping, not text; it is ignored"],
    ),
    ("url", "url: https://example.com/a?b=1", {"url": "https://example.com/a?b=1"}, []),
    (
        "url not http",
        "url: ftp://example.com/x",
        {},
        [f"{PATH}:2: field 'url': 'ftp://example.com/x' is not an http:// or https:// address; it is ignored"],
    ),
    (
        "url javascript",
        "url: 'javascript:alert(1)'",
        {},
        [f"{PATH}:2: field 'url': 'javascript:alert(1)' is not an http:// or https:// address; it is ignored"],
    ),
    ("tags list", "tags: [war, Ukraine, war]", {"tags": ("war", "Ukraine")}, []),
    ("single tag", "tags: war", {"tags": ("war",)}, []),
    (
        "tags of the wrong type",
        "tags: {a: 1}",
        {},
        [f"{PATH}:2: field 'tags': expected text or a list of text, got a mapping; it is ignored"],
    ),
    (
        "tag item of the wrong type",
        "tags:\n  - war\n  - [nested]",
        {"tags": ("war",)},
        [f"{PATH}:2: field 'tags': item 2 is a list, not text; it is ignored"],
    ),
    ("summary", "summary: |\n  Two\n  lines.", {"summary": "Two lines."}, []),
    ("slug slugified", "slug: My Slug!", {"slug": "my-slug"}, []),
    ("slug cannot escape its folder", "slug: ../../etc/passwd", {"slug": "etc-passwd"}, []),
    (
        "slug without letters",
        "slug: '!!!'",
        {},
        [f"{PATH}:2: field 'slug': '!!!' has no letters or digits; it is ignored"],
    ),
    (
        "unknown field with a suggestion",
        "title: T\ntitel: x",
        {"title": "T"},
        [f"{PATH}:3: unknown field 'titel' (did you mean 'title'?); it is ignored"],
    ),
    (
        "unknown field without a suggestion",
        "colour: red",
        {},
        [
            f"{PATH}:2: unknown field 'colour' (known fields: title, date, source, author, url, "
            "tags, summary, slug); it is ignored"
        ],
    ),
    (
        "field given twice",
        "title: A\ntitle: B",
        {"title": "B"},
        [f"{PATH}:3: field 'title' appears twice; the last value (line 3) is used"],
    ),
    ("control characters from YAML escapes are removed", 'title: "A\\x02B\\ud800"', {"title": "AB"}, []),
    # Other tools' front matter (Hugo, Jekyll, MkDocs): read as ours, or ignored without a warning.
    ("description is the summary", "description: Troops stopped.", {"summary": "Troops stopped."}, []),
    ("summary wins over description", "summary: S\ndescription: D", {"summary": "S"}, []),
    (
        "categories and keywords are more tags",
        "tags: [Kursk]\ncategories: [war, Kursk]\nkeywords: ATACMS",
        {"tags": ("Kursk", "war", "ATACMS")},
        [],
    ),
    ("layout fields of other tools", "layout: post\npermalink: /x/\nweight: 3\ntoc: true", {}, []),
    ("draft: true", "draft: true", {"draft": True}, []),
    ("draft: false", "draft: false", {}, []),
    ("published: false", "published: false", {"draft": True}, []),
    ("published: true", "published: true", {}, []),
    (
        "draft of the wrong type",
        "draft: maybe",
        {},
        [f"{PATH}:2: field 'draft': expected true or false, got the text 'maybe'; it is ignored"],
    ),
]


@pytest.mark.parametrize(("front", "fields", "warnings"), [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES])
def test_front_matter_fields(front: str, fields: dict[str, Any], warnings: list[str]) -> None:
    assert meta_of(front) == (fields, warnings)


BLOCK_CASES: list[tuple[str, str, dict[str, Any], str, int, list[str]]] = [
    # id, file text, metadata, body, body line, warnings
    ("no front matter", "Title\nBody\n", {}, "Title\nBody\n", 1, []),
    ("front matter", "---\ntitle: T\n---\nBody\n", {"title": "T"}, "Body\n", 4, []),
    ("closing with dots", "---\ntitle: T\n...\nBody", {"title": "T"}, "Body", 4, []),
    ("empty block", "---\n---\nBody", {}, "Body", 3, []),
    (
        "invalid YAML",
        "---\ntitle: T\ndate: [2024\n---\nBody",
        {},
        "Body",
        5,
        [
            f"{PATH}:3: front matter is not valid YAML: expected ',' or ']', but got '<stream end>'; the block is ignored"
        ],
    ),
    (
        "not a mapping",
        "---\n- a\n- b\n---\nBody",
        {},
        "Body",
        5,
        [f"{PATH}:1: front matter must be 'field: value' lines, not a list; it is ignored"],
    ),
    (
        "no closing fence",
        "---\ntitle: T\nBody",
        {},
        "---\ntitle: T\nBody",
        1,
        [
            f"{PATH}:1: front matter opened with '---' on line 1 has no closing '---' line; "
            "the whole file is read as body text"
        ],
    ),
    (
        "python objects are never built",
        "---\nx: !!python/object/apply:os.system ['echo hi']\n---\nB",
        {},
        "B",
        4,
        [
            f"{PATH}:2: front matter is not valid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'; the block is ignored"
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "meta", "body", "line", "warnings"), [c[1:] for c in BLOCK_CASES], ids=[c[0] for c in BLOCK_CASES]
)
def test_split_front_matter(text: str, meta: dict[str, Any], body: str, line: int, warnings: list[str]) -> None:
    got_meta, got_body, got_line, problems = split_front_matter(text, PATH)
    assert (dict(got_meta), got_body, got_line) == (meta, body, line)
    assert [str(p) for p in problems] == warnings
    assert all(p.level == "warning" for p in problems)


# ----------------------------------------------------------------------------- Markdown bodies

MD_CASES: list[tuple[str, str, list[Element]]] = [
    ("paragraph", "Hello world.", [E("p", "Hello world.")]),
    (
        "emphasis",
        "Some *em*, **strong** and ~~not del~~.",
        [E("p", "Some ", E("em", "em"), ", ", E("strong", "strong"), " and ~~not del~~.")],
    ),
    ("inline code is literal", "Use `a < b && *c*`.", [E("p", "Use ", E("code", "a < b && *c*"), ".")]),
    (
        "fenced code",
        "```python\nif a < b:\n    print('&amp;')\n```",
        [E("pre", E("code", "if a < b:\n    print('&amp;')"))],
    ),
    ("indented code", "    <b>x</b>\n    y", [E("pre", E("code", "<b>x</b>\ny"))]),
    (
        "link",
        '[Reuters](https://www.reuters.com/?a=1&amp;b=2 "title")',
        [E("p", E("a", "Reuters", href="https://www.reuters.com/?a=1&b=2"))],
    ),
    ("autolink", "<https://e.com/x>", [E("p", E("a", "https://e.com/x", href="https://e.com/x"))]),
    ("email autolink", "<me@example.com>", [E("p", E("a", "me@example.com", href="mailto:me@example.com"))]),
    ("javascript link dropped, text kept", "[click](javascript:alert(1))", [E("p", "click")]),
    ("relative link dropped, text kept", "[home](/index.html)", [E("p", "home")]),
    ("reference link to javascript dropped", "[x][1]\n\n[1]: javascript:alert(1)", [E("p", "x")]),
    (
        "raw inline html is literal text",
        "Hi <b>there</b> <script>alert(1)</script>",
        [E("p", "Hi <b>there</b> <script>alert(1)</script>")],
    ),
    (
        "raw html block is literal text",
        '<div onclick="x()">\n<iframe src="https://evil"></iframe>\n</div>',
        [E("p", '<div onclick="x()">\n<iframe src="https://evil"></iframe>\n</div>')],
    ),
    ("html comment is literal text", "<!-- hidden -->", [E("p", "<!-- hidden -->")]),
    (
        "entities decoded",
        "AT&amp;T &copy; 2024 &#8212; &bogus; a & b",
        [E("p", "AT&T \u00a9 2024 \u2014 &bogus; a & b")],
    ),
    ("backslash escapes", r"\*not em\* \<b\>", [E("p", "*not em* \\<b>")]),  # "<" is not escapable
    ("template syntax is literal", "{{ x }} {% y %}", [E("p", "{{ x }} {% y %}")]),
    (
        "h1 becomes h2, other levels are kept",
        "# One\n\n## Two\n\n### Three\n\n###### Six",
        [E("h2", "One"), E("h2", "Two"), E("h3", "Three"), E("h6", "Six")],
    ),
    (
        "table",
        "| Left | Right |\n|:-----|------:|\n| *a* | 1 |",
        [
            E(
                "table",
                E("thead", E("tr", E("th", "Left", align="left"), E("th", "Right", align="right"))),
                E("tbody", E("tr", E("td", E("em", "a"), align="left"), E("td", "1", align="right"))),
            )
        ],
    ),
    (
        "lists",
        "3. three\n4. four\n\n- a\n- b",
        [E("ol", E("li", "three"), E("li", "four"), start="3"), E("ul", E("li", "a"), E("li", "b"))],
    ),
    (
        "loose list keeps paragraphs, no layout whitespace",
        "- a\n\n- b",
        [E("ul", E("li", E("p", "a")), E("li", E("p", "b")))],
    ),
    ("blockquote", "> quoted\n> > nested", [E("blockquote", E("p", "quoted"), E("blockquote", E("p", "nested")))]),
    ("rule and line break", "a  \nb\n\n***", [E("p", "a", E("br"), "\nb"), E("hr")]),
    (
        "remote image becomes a linked label",
        "![A *tank* &amp; crew](https://img.example/t.png)",
        [
            E(
                "p",
                E(
                    "a",
                    E("span", "[image: A *tank* & crew]", **{"class": "digest-image"}),
                    href="https://img.example/t.png",
                ),
            )
        ],
    ),
    ("local image becomes a label", "![](pic.png)", [E("p", E("span", "[image]", **{"class": "digest-image"}))]),
    (
        "linked image is not linked twice",
        "[![alt](https://i.example/x.png)](https://e.com)",
        [E("p", E("a", E("span", "[image: alt]", **{"class": "digest-image"}), href="https://e.com"))],
    ),
    (
        "markdown placeholders in the input are inert",
        "a \x02wzxhzdk:0\x03 b\x02klzzwxh:1\x03",
        [E("p", "a wzxhzdk:0 bklzzwxh:1")],
    ),
]


@pytest.mark.parametrize(("text", "blocks"), [c[1:] for c in MD_CASES], ids=[c[0] for c in MD_CASES])
def test_markdown_body(text: str, blocks: list[Element]) -> None:
    assert parse_markdown(text) == blocks


def test_markdown_instances_do_not_leak_state() -> None:
    parse_markdown("[x][r]\n\n[r]: https://a.example\n\n&amp;")
    assert parse_markdown("[x][r] &copy;") == [E("p", "[x][r] \u00a9")]


# ----------------------------------------------------------------------------- whole articles

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9243ca9ca10ac7ac.txt"


def test_markdown_article_with_front_matter() -> None:
    text = (
        "---\ntitle: Strikes allowed\ndate: 2024-11-17\nsource: AAP\nauthor: [A, B]\n"
        "url: https://e.com/x\ntags: [war]\nsummary: Short.\nslug: Strikes\n---\n"
        "# Strikes allowed\n\nBody *text*.\n"
    )
    article, problems = parse_article(text, PATH, ".md")
    assert problems == []
    assert article is not None
    assert article.title == "Strikes allowed"
    # The heading repeating the title is dropped: the page shows the title once.
    assert article.body == [E("p", "Body ", E("em", "text"), ".")]
    assert (article.date, article.source, article.author, article.url) == (
        dt.date(2024, 11, 17),
        "AAP",
        "A, B",
        "https://e.com/x",
    )
    assert (article.tags, article.summary, article.slug, article.path) == (("war",), "Short.", "strikes", PATH)


def test_markdown_title_falls_back_to_first_heading() -> None:
    article, problems = parse_article("Intro.\n\n# The *real* title\n\n## Section\n\nText.", PATH, ".md")
    assert problems == []
    assert article is not None
    assert article.title == "The real title"
    assert article.body == [E("p", "Intro."), E("h2", "Section"), E("p", "Text.")]
    assert article.slug == ""  # assigned later by the caller


def test_markdown_without_any_title_uses_file_name() -> None:
    article, problems = parse_article("Just text.", "seeds/my-story.md", ".md")
    assert article is not None
    assert article.title == "my-story"
    assert [str(p) for p in problems] == [
        "seeds/my-story.md:1: no title: add `title:` to the front matter or a `# Heading`; using 'my-story'"
    ]


def test_markdown_other_heading_is_kept_when_title_given() -> None:
    article, _ = parse_article("---\ntitle: T\n---\n# Other\n\nx", PATH, ".MD")
    assert article is not None
    assert (article.title, article.body) == ("T", [E("h2", "Other"), E("p", "x")])


def test_text_article_with_front_matter() -> None:
    text = "---\ntitle: Chosen title\ndate: 2024-11-17\n---\nHeadline line\n*Body* <b>.\n"
    article, problems = parse_article(text, "seeds/a.txt", ".txt")
    assert problems == []
    assert article is not None
    assert article.title == "Chosen title"
    assert article.body == [E("p", "Headline line"), E("p", "*Body* <b>.")]
    assert article.date == dt.date(2024, 11, 17)


def test_text_warning_lines_count_the_front_matter() -> None:
    article, problems = parse_article("---\ndate: 2024-11-17\n---\n\nOnly headline\n", "a.txt", ".txt")
    assert article is not None
    assert article.title == "Only headline"
    assert [str(p) for p in problems] == ["a.txt:5: has a headline but no body text"]


def test_seed_article() -> None:
    article, problems = read_article(SEED, "seeds/000_9243ca9ca10ac7ac.txt")
    assert problems == []
    assert article is not None
    assert article.title == "US allows Ukraine to use long-range missiles in Russia"
    assert article.body[0].tag == "figure"
    assert [b.attrs.get("class") for b in article.body if b.tag == "blockquote"] == ["digest-post"]


@pytest.mark.parametrize(
    ("text", "suffix", "warning"),
    [
        ("", ".txt", "seeds/a.txt: is empty; skipped"),
        (" \n\t\n\ufeff", ".md", "seeds/a.md: is empty; skipped"),
        ("x", ".docx", "seeds/a.docx: is not an article file (expected one of .md, .markdown, .txt); skipped"),
    ],
)
def test_skipped_articles(text: str, suffix: str, warning: str) -> None:
    article, problems = parse_article(text, f"seeds/a{suffix}", suffix)
    assert article is None
    assert [str(p) for p in problems] == [warning]


def test_front_matter_only_has_no_body() -> None:
    article, problems = parse_article("---\ntitle: T\n---\n\n", PATH, ".md")
    assert article is not None
    assert article.body == []
    assert [str(p) for p in problems] == [f"{PATH}:4: has no body text"]


def test_absurd_nesting_is_a_warning_not_a_crash() -> None:
    article, problems = parse_article("- " * 400 + "deep", PATH, ".md")
    assert article is not None
    assert all(p.level == "warning" for p in problems)


@pytest.mark.parametrize(
    ("data", "title", "warnings"),
    [
        ("\ufeffTitle\nBody \u201cquoted\u201d\n".encode(), "Title", []),
        ("Title\nBody \u201cquoted\u201d\n".encode("utf-16"), "Title", []),
        ("Title\nBody \u201cquoted\u201d\n".encode("cp1252"), "Title", []),  # silently read as cp1252
    ],
    ids=["utf-8 with BOM", "utf-16", "windows-1252"],
)
def test_read_article_encodings(tmp_path: Path, data: bytes, title: str, warnings: list[str]) -> None:
    file = tmp_path / "a.txt"
    file.write_bytes(data)
    article, problems = read_article(file, "seeds/a.txt")
    assert article is not None
    assert article.title == title
    assert article.body == [E("p", "Body \u201cquoted\u201d")]
    assert [str(p) for p in problems] == warnings


def test_read_article_binary_and_missing(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81\x8d")
    article, problems = read_article(file, "seeds/a.txt")
    assert article is None
    assert [str(p) for p in problems] == [
        "seeds/a.txt: is not a text file in UTF-8 (or Windows-1252); skipped. Save it as UTF-8"
    ]
    article, problems = read_article(tmp_path / "missing.txt", "seeds/missing.txt")
    assert article is None
    assert [str(p) for p in problems] == ["seeds/missing.txt: cannot be read (No such file or directory); skipped"]


def test_one_document_leaves_nothing_behind_for_the_next() -> None:
    # The converter is reused from one article to the next: a link reference, a footnote-like
    # definition or a stashed code block of one article must not show up in another.
    first = parse_markdown("Intro.\n\n[ref]: https://first.example/\n\n```\ncode of the first\n```\n")
    second = parse_markdown("See [the source][ref] and [ref].\n")
    assert any(block.tag == "pre" for block in first)
    assert [plain_text(b.children) for b in second] == ["See [the source][ref] and [ref]."]
    assert "first.example" not in repr(second)
    assert parse_markdown("See [the source][ref].\n\n[ref]: https://second.example/\n") != second
