"""Annotation rules, one row each: where mentions are found, and what they record."""

from __future__ import annotations

import pytest

from digest.annotate import annotate, split_sentences
from digest.ingest import parse_article
from digest.matcher import Matcher
from digest.model import Element, Entity, Mention

ENTITIES = [
    Entity("kursk", "Kursk", "place", "A Russian region."),
    Entity("ukraine", "Ukraine", "place", "A country."),
    Entity("north-korea", "North Korea", "place", "A country in East Asia."),
    Entity("atacms", "ATACMS", "weapon", "A missile.", case_sensitive=False),
    Entity("grenell", "Richard Grenell", "person", "A diplomat.", aliases=("Grenell",)),
]
MATCHER = Matcher(ENTITIES)


def mentions_in(text: str, suffix: str = ".md") -> list[str]:
    article, problems = parse_article(text, f"t{suffix}", suffix)
    assert article is not None, problems
    return [m.text for m in annotate(article, MATCHER).mentions]


MD = "---\ntitle: T\n---\n"


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        pytest.param(MD + "Troops moved to Kursk.", ".md", ["Kursk"], id="body-paragraph"),
        pytest.param(
            MD + "Troops moved to *Kursk* and **Ukraine**.", ".md", ["Kursk", "Ukraine"], id="inside-emphasis"
        ),
        pytest.param(MD + "| Place |\n|---|\n| Kursk |", ".md", ["Kursk"], id="inside-table"),
        pytest.param(MD + "> Kursk is quiet, he said.", ".md", ["Kursk"], id="inside-blockquote"),
        pytest.param(MD + "- Kursk\n- Ukraine", ".md", ["Kursk", "Ukraine"], id="inside-list"),
        pytest.param(MD + "## Kursk\n\nText.", ".md", [], id="not-in-heading"),
        pytest.param(MD + "Run `Kursk` now.", ".md", [], id="not-in-inline-code"),
        pytest.param(MD + "```\nKursk\n```", ".md", [], id="not-in-code-block"),
        pytest.param(MD + "See [Kursk](https://example.com/).", ".md", [], id="not-in-existing-link"),
        pytest.param(MD + "See <https://example.com/Kursk>.", ".md", [], id="not-in-autolink"),
        pytest.param("Head\nSee https://example.com/Kursk today.", ".txt", [], id="not-in-bare-url"),
        pytest.param(MD + '[x](https://example.com/ "Kursk") Kursk', ".md", ["Kursk"], id="not-in-attribute"),
        pytest.param("Head\nTroops in Kursk region. Photo: AAP", ".txt", ["Kursk"], id="in-caption"),
        pytest.param(
            "Head\nIntro line that is long enough to be prose, said the officials, according to reports.\n"
            "ATACMS are coming to Kursk.\n— Richard Grenell (@RichardGrenell) November 17, 2024",
            ".txt",
            ["ATACMS", "Kursk", "Richard Grenell"],
            id="in-social-post",
        ),
        pytest.param("Head\nUkraine’s army and Ukraine's allies.", ".txt", ["Ukraine", "Ukraine"], id="possessive"),
        pytest.param("Head\nNorth Korean troops.", ".txt", [], id="whole-words"),
        pytest.param("Head\natacms and Atacms.", ".txt", ["atacms", "Atacms"], id="case-insensitive-entry"),
        pytest.param("Head\n*Kursk* <b>Ukraine</b> {{ x }}", ".txt", ["Kursk", "Ukraine"], id="literal-markup-text"),
    ],
)
def test_where_mentions_are_found(text: str, suffix: str, expected: list[str]) -> None:
    assert mentions_in(text, suffix) == expected


def test_headline_is_not_annotated() -> None:
    """The headline is the page title (an h1), and headings are never annotated."""
    article, _ = parse_article("Kursk falls\nFighting in Kursk.", "a.txt", ".txt")
    assert article is not None
    result = annotate(article, MATCHER)
    assert [m.text for m in result.mentions] == ["Kursk"]
    assert result.mentions[0].anchor == "P1"


def test_first_mention_flag_and_anchor() -> None:
    article, _ = parse_article("H\nKursk and Ukraine.\nKursk again.", "a.txt", ".txt")
    assert article is not None
    mentions = annotate(article, MATCHER).mentions
    assert [(m.text, m.first, m.anchor) for m in mentions] == [
        ("Kursk", True, "P1"),
        ("Ukraine", True, "P1"),
        ("Kursk", False, "P2"),
    ]


def test_sentence_context_is_the_sentence_of_the_mention() -> None:
    article, _ = parse_article(
        "H\nTroops left. Then V. Putin spoke of Kursk at length. Nothing else happened.", "a.txt", ".txt"
    )
    assert article is not None
    (mention,) = annotate(article, MATCHER).mentions
    assert mention.sentence == "Then V. Putin spoke of Kursk at length."


def test_input_article_is_not_modified() -> None:
    article, _ = parse_article("H\nKursk.", "a.txt", ".txt")
    assert article is not None
    before = repr(article.body)
    annotate(article, MATCHER)
    assert repr(article.body) == before


def test_mention_nodes_replace_text_in_the_tree() -> None:
    article, _ = parse_article("H\nIn Kursk today.", "a.txt", ".txt")
    assert article is not None
    (block,) = annotate(article, MATCHER).body
    assert isinstance(block, Element)
    assert block.children[0] == "In "
    assert isinstance(block.children[1], Mention)
    assert block.children[2] == " today."


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param("One. Two.", ["One.", "Two."], id="two-sentences"),
        pytest.param("The U.S. Army left. Then.", ["The U.S. Army left.", "Then."], id="dotted-acronym"),
        pytest.param("Mr. Smith went. Done.", ["Mr. Smith went.", "Done."], id="abbreviation"),
        pytest.param("“Go now,” he said. “Fine.”", ["“Go now,” he said.", "“Fine.”"], id="quotes"),
        pytest.param("Is it? Yes! 10,000 troops.", ["Is it?", "Yes!", "10,000 troops."], id="question-exclamation"),
        pytest.param("no end", ["no end"], id="no-terminator"),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [text[a:b].strip() for a, b in split_sentences(text)] == sentences


def test_long_sentence_context_is_a_window_around_the_mention() -> None:
    filler = "word " * 200
    article, _ = parse_article(f"H\n{filler}Kursk {filler}", "a.txt", ".txt")
    assert article is not None
    (mention,) = annotate(article, MATCHER).mentions
    assert "Kursk" in mention.sentence
    assert mention.sentence.startswith("…") and mention.sentence.endswith("…")
    assert len(mention.sentence) <= 330
