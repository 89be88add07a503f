"""Annotation rules, one row each: where mentions are found, and what they record."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.annotate import _ABBREVIATIONS, _sentence_ends, annotate, split_sentences
from digest.ingest import parse_article
from digest.matcher import Matcher
from digest.model import Article, Element, Entity, Mention
from tests import annotate_reference

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


@pytest.mark.parametrize("shift", range(6))
def test_a_long_sentence_s_window_holds_whole_words(shift: int) -> None:
    """ "…e Ukrainians" was a window cut inside a word; it starts and ends at white space now."""
    filler = "x" * shift + " wordy" * 80
    article, _ = parse_article(f"H\n{filler} Kursk {filler}.\n", "a.txt", ".txt")
    assert article is not None
    (mention,) = annotate(article, MATCHER).mentions
    inner = mention.sentence.removeprefix("…").removesuffix("…")
    assert inner.startswith("wordy") and inner.endswith("wordy"), mention.sentence


# --- the annotator against its previous, per-block version -----------------------------------
# digest.annotate splits sentences with a prefilter and annotates a paragraph run as one joined
# text; tests/annotate_reference.py is the straightforward per-block code it replaced.

_SENTENCE_ALPHABET = st.sampled_from(
    [
        *"aAbMx.!?…\"“”‘’'()[] \n\x00\x01",
        *(" Mr", "Mr.", " U.S.", "St.", "MR", " approx", "ſt", "Ms. ", "e.g. ", "5", "_"),
        *("İ", "|", "K"),  # lowered to two characters; the prefilter's own joiner; Kelvin sign
        *("x" * 9, "x" * 38, "x" * 39),  # long words: dots and boundaries at the edge of the 40-character window
    ]
)
_sentence_texts = st.lists(_SENTENCE_ALPHABET, max_size=40).map("".join)


@given(_sentence_texts)
@settings(max_examples=1000, deadline=None)
def test_split_sentences_matches_the_reference(text: str) -> None:
    assert split_sentences(text) == annotate_reference.split_sentences(text)


_EDGE = st.text(alphabet='xM."(“ \x00', max_size=6)


@given(_EDGE, st.integers(35, 41) | st.integers(0, 45), _EDGE, st.sampled_from([". Then", ".) Then", ".\n1", ". . A"]))
@settings(max_examples=1000, deadline=None)
def test_the_word_before_a_period_matches_the_reference(head: str, length: int, tail: str, end: str) -> None:
    """Words of every length up to past the 40-character window, with dots, quotes and spaces
    at either edge."""
    text = "A " + head + "x" * length + tail + end
    assert split_sentences(text) == annotate_reference.split_sentences(text)


@pytest.mark.parametrize("abbreviation", sorted(_ABBREVIATIONS))
def test_every_abbreviation_matches_the_reference(abbreviation: str) -> None:
    for form in (abbreviation, abbreviation.upper(), abbreviation.title(), f"“{abbreviation}", f"x{abbreviation}"):
        for before in ("", "A ", "x" * 40 + " ", "x" * 36):
            text = before + form + ". Then"
            expected = annotate_reference.split_sentences(text)
            assert split_sentences(text) == expected, text
            # After a separator, the block's own sentences, shifted (the word is cut there).
            assert _sentence_ends("A.\x00" + text, "\x00") == [3 + end for _, end in expected[:-1]], text


@given(st.lists(_sentence_texts.filter(lambda t: "\x00" not in t), min_size=1, max_size=4))
@settings(max_examples=500, deadline=None)
def test_sentences_of_joined_blocks_are_each_block_s(texts: list[str]) -> None:
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    expected = [end + start for text, start in zip(texts, starts, strict=True) for _, end in split_sentences(text)[:-1]]
    assert _sentence_ends("\x00".join(texts), "\x00") == expected


def test_a_long_word_cut_by_the_window_is_still_checked() -> None:
    text = "x" * 30 + '"' * 39 + "M. Then"  # the window is 39 quotes and M: a single letter
    assert split_sentences(text) == annotate_reference.split_sentences(text) == [(0, len(text))]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("A x|. Then Mr. Kursk. B", id="joiner-in-a-pair-then-an-abbreviation"),
        pytest.param("A |. B |. C Mr. D", id="joiner-alone"),
        pytest.param("A İ. Then x. Mr. Kursk. B", id="pair-lowers-to-three-characters"),
        pytest.param("A xİ. Then Mr. Kursk. B", id="two-letter-pair-lowers-to-three"),
        pytest.param(". A. B MR. C", id="periods-at-0-and-1"),
        pytest.param("x5. A x_. B", id="digit-and-underscore"),
    ],
)
def test_the_prefilter_s_edge_cases_match_the_reference(text: str) -> None:
    """The pairs before the periods are joined with "|", lowered and split again: a "|" in a pair
    means every period is checked; a pair that lowers to three characters is no abbreviation's."""
    assert split_sentences(text) == annotate_reference.split_sentences(text)


@pytest.mark.parametrize("between", [0, 1, 37, 38, 39, 40, 41])
def test_a_dot_at_the_window_s_edge(between: int) -> None:
    """The word before a period holds a dot only if it is within the 40 characters before it."""
    text = "a." + "x" * between + ". Then"
    assert split_sentences(text) == annotate_reference.split_sentences(text)
    assert len(split_sentences(text)) == (1 if between <= 39 else 2)


_GLOSSARY = [
    Entity("kursk", "Kursk", "place", "A region."),
    Entity("mr-kursk", "Mr. Kursk", "person", "A man."),
    Entity("us", "U.S.", "place", "A country."),
    Entity("ks", "Kursk Sea", "place", "A sea.", aliases=("K S",)),
    Entity("atacms", "ATACMS", "weapon", "A missile.", case_sensitive=False),
    Entity("mark", "Ku\u0301rsk", "place", "A combining mark."),
]
_WORDS = st.sampled_from(
    [
        *("Kursk", "Mr.", "Mr. Kursk", "U.S.", "Kursk Sea", "K S", "atacms", "ATACMS", "Ku\u0301rsk", "Sea", "said"),
        *(" ", ". ", "\n", "’s", "x", "Then", "\x00", "\x01", '"', "…", "! ", "(", "e.g. ", "a" * 30),
    ]
)
_block_texts = st.lists(_WORDS, max_size=25).map("".join)


@st.composite
def _blocks(draw: st.DrawFn) -> Element:
    kind = draw(st.sampled_from(["p", "p", "p", "h2", "nested", "empty"]))
    if kind == "nested":
        return Element("blockquote", {"class": "q"}, [draw(_block_texts), Element("em", {}, [draw(_block_texts)])])
    if kind == "empty":
        return Element("p", {}, [""])
    return Element(kind, {}, [draw(_block_texts)])


# A name holding "\x00" makes the matcher's separator "\x01".
_NUL = Entity("nul", "N\x00L", "place", "A name with a NUL.")


@given(st.lists(_blocks(), max_size=8), st.sampled_from([_GLOSSARY, _GLOSSARY[:4], [*_GLOSSARY[:4], _NUL], []]))
@settings(max_examples=400, deadline=None)
def test_annotate_matches_the_per_block_reference(body: list[Element], glossary: list[Entity]) -> None:
    article = Article(path="a.md", title="T", body=body)
    matcher = Matcher(glossary)
    assert annotate(article, matcher) == annotate_reference.annotate(article, matcher)


def test_no_possible_separator_is_alphanumeric_to_the_sentence_prefilter() -> None:
    """_maybe_short trusts two alphanumeric characters before a period to be one word's."""
    from digest.matcher import _SEPARATORS

    assert not any(ch.isalnum() or re.fullmatch(r"\w", ch) for ch in _SEPARATORS)
