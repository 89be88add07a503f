"""Tests for digest.matcher: one table row per contract rule, plus a reference-model property."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.matcher import Match, Matcher
from digest.model import Entity


def ent(entity_id: str, name: str, *aliases: str, case_sensitive: bool = True) -> Entity:
    return Entity(
        id=entity_id,
        name=name,
        type="term",
        definition="",
        aliases=aliases,
        case_sensitive=case_sensitive,
    )


GLOSSARY = (
    ent("nk", "North Korea"),
    ent("us", "US", "U.S.", "United States"),
    ent("ukraine", "Ukraine"),
    ent("russia", "Russia"),
    ent("trump", "Donald Trump", "Trump"),
    ent("trump-jr", "Donald Trump Jr."),
    ent("biden", "Joe Biden", "Biden"),
    ent("atacms", "ATACMS", case_sensitive=False),
    ent("obrien", "O’Brien"),
    ent("f16", "F-16"),
    ent("s400", "S-400"),
    ent("cpp", "C++"),
    ent("hamas", "(Hamas)"),
    ent("regex", "a.b*c?"),
    ent("x", "X"),
    ent("cafe", "café"),
    ent("dotnet", ".NET"),
    ent("net", "NET"),
    ent("ussr", "U.S.S.R.", case_sensitive=False),
    ent("ecole", "École", case_sensitive=False),
)


def found(glossary: tuple[Entity, ...], text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity_id) for m in Matcher(glossary).find(text)]


@pytest.mark.parametrize(
    ("glossary", "text", "expected"),
    [
        # 1. every occurrence of a name or alias
        pytest.param(
            GLOSSARY,
            "The US and the U.S. are the United States; US again.",
            [("US", "us"), ("U.S.", "us"), ("United States", "us"), ("US", "us")],
            id="1-every-name-and-alias-every-occurrence",
        ),
        pytest.param(
            GLOSSARY,
            "Russia, Ukraine and Russia.",
            [("Russia", "russia"), ("Ukraine", "ukraine"), ("Russia", "russia")],
            id="1-several-entities-one-pass",
        ),
        # 2. whole words, Unicode-aware boundaries
        pytest.param(GLOSSARY, "North Korean troops", [], id="2-no-match-inside-longer-word"),
        pytest.param(GLOSSARY, "USA BUS US_X xUS US2", [], id="2-us-not-inside-usa-bus-or-word"),
        pytest.param(GLOSSARY, "Ukraineé Éukraine", [], id="2-unicode-letters-are-word-chars"),
        pytest.param(GLOSSARY, "Ukraine\u0301 is", [], id="2-combining-mark-is-word-char"),
        pytest.param(GLOSSARY, "a café\u0301", [], id="2-combining-mark-after-name"),
        pytest.param(
            GLOSSARY,
            "the U.S.A and C++11 compilers",
            [("U.S.", "us"), ("C++", "cpp")],
            id="2-punctuation-edge-has-no-boundary",
        ),
        pytest.param(
            GLOSSARY,
            "(Ukraine) «Russia» US. US,",
            [("Ukraine", "ukraine"), ("Russia", "russia"), ("US", "us"), ("US", "us")],
            id="2-punctuation-around-name-is-boundary",
        ),
        pytest.param(
            GLOSSARY,
            "“Russia”—Ukraine…US",
            [("Russia", "russia"), ("Ukraine", "ukraine"), ("US", "us")],
            id="2-non-ascii-punctuation-is-boundary",
        ),
        pytest.param(
            GLOSSARY,
            "(Hamas)",
            [("(Hamas)", "hamas")],
            id="2-punctuation-edged-name-fills-whole-text",
        ),
        # 3. possessives
        pytest.param(
            GLOSSARY,
            "Ukraine’s army and Russia's navy",
            [("Ukraine", "ukraine"), ("Russia", "russia")],
            id="3-possessive-both-apostrophes-outside-span",
        ),
        # 4. hyphen is a boundary
        pytest.param(GLOSSARY, "US-made", [("US", "us")], id="4-hyphen-after"),
        pytest.param(
            GLOSSARY,
            "the Ukraine-Russia war",
            [("Ukraine", "ukraine"), ("Russia", "russia")],
            id="4-hyphen-between-two-names",
        ),
        # 5. case and the apostrophe/whitespace fold
        pytest.param(GLOSSARY, "let us go", [], id="5-case-sensitive-by-default"),
        pytest.param(
            GLOSSARY,
            "ATACMS, atacms and Atacms",
            [("ATACMS", "atacms"), ("atacms", "atacms"), ("Atacms", "atacms")],
            id="5-case-insensitive-entity",
        ),
        pytest.param(
            GLOSSARY,
            "the u.s.s.r. and the U S S R and ÉCOLE, école",
            [("u.s.s.r.", "ussr"), ("ÉCOLE", "ecole"), ("école", "ecole")],
            id="5-case-insensitive-keeps-punctuation-and-folds-non-ascii",
        ),
        pytest.param(
            GLOSSARY,
            "Mr O'Brien said",
            [("O'Brien", "obrien")],
            id="5-curly-vs-straight-apostrophe",
        ),
        pytest.param(GLOSSARY, "Mr O’brien said", [], id="5-apostrophe-fold-keeps-case"),
        pytest.param(
            GLOSSARY,
            "President Joe\nBiden and North\u00a0Korea and Joe\tBiden",
            [
                ("Joe\nBiden", "biden"),
                ("North\u00a0Korea", "nk"),
                ("Joe\tBiden", "biden"),
            ],
            id="5-newline-nbsp-tab-equal-space",
        ),
        pytest.param(
            (
                ent("ist", "İstanbul", case_sensitive=False),
                ent("ks", "\u039a\u0391\u03a3", case_sensitive=False),
            ),
            "İstanbul istanbul İSTANBUL ΚΑΣ’s κας",
            [("İstanbul", "ist"), ("İSTANBUL", "ist"), ("ΚΑΣ", "ks"), ("κας", "ks")],
            id="5-length-preserving-fold-and-final-sigma",
        ),
        # 6. longest match wins, leftmost first
        pytest.param(
            GLOSSARY,
            "Donald Trump Jr. met Donald Trump and Trump.",
            [
                ("Donald Trump Jr.", "trump-jr"),
                ("Donald Trump", "trump"),
                ("Trump", "trump"),
            ],
            id="6-longest-wins-trump-jr",
        ),
        pytest.param(
            GLOSSARY,
            "Joe Biden, then Biden",
            [("Joe Biden", "biden"), ("Biden", "biden")],
            id="6-longest-wins-same-start",
        ),
        pytest.param(
            (ent("ab", "A B"), ent("bc", "B C D")),
            "A B C D",
            [("A B", "ab")],
            id="6-leftmost-wins-over-longer-overlap",
        ),
        pytest.param(
            (ent("n", "North"), ent("k", "Korea"), ent("nkt", "North Korea Times")),
            "North Korea Today, North Korea Times",
            [("North", "n"), ("Korea", "k"), ("North Korea Times", "nkt")],
            id="6-long-name-displaces-several-shorter-matches",
        ),
        # 7. names are literal
        pytest.param(
            GLOSSARY,
            "F-16s? No: F-16, S-400, C++ and (Hamas) and a.b*c? but not axbbc",
            [
                ("F-16", "f16"),
                ("S-400", "s400"),
                ("C++", "cpp"),
                ("(Hamas)", "hamas"),
                ("a.b*c?", "regex"),
            ],
            id="7-literal-punctuation-and-regex-metacharacters",
        ),
        pytest.param(GLOSSARY, "F16 S400 Hamas", [], id="7-no-fuzzy-punctuation"),
        pytest.param(
            GLOSSARY,
            ".NET, NET, A.NET",
            [(".NET", "dotnet"), ("NET", "net"), (".NET", "dotnet")],
            id="7-leading-punctuation-is-part-of-the-name",
        ),
        # 8. first entity wins a shared surface
        pytest.param(
            (ent("first", "Georgia"), ent("second", "Georgia")),
            "Georgia",
            [("Georgia", "first")],
            id="8-first-entity-wins-clash",
        ),
        pytest.param(
            (ent("first", "apple", case_sensitive=False), ent("second", "Apple")),
            "Apple",
            [("Apple", "first")],
            id="8-first-entity-wins-across-case-modes",
        ),
        pytest.param(
            (ent("cs", "Apple"), ent("ci", "apple", case_sensitive=False)),
            "Apple APPLE",
            [("Apple", "cs"), ("APPLE", "ci")],
            id="8-later-entity-takes-what-the-first-rejects",
        ),
        # 9. edge cases
        pytest.param(GLOSSARY, "", [], id="9-empty-text"),
        pytest.param(GLOSSARY, "nothing to see here", [], id="9-no-matches"),
        pytest.param(
            GLOSSARY,
            "X marks X-ray, not Xi or aX",
            [("X", "x"), ("X", "x")],
            id="9-one-char-name",
        ),
        pytest.param((), "The US and Russia", [], id="9-empty-glossary"),
        pytest.param(
            (ent("blank", "", "Oz"),),
            "Oz",
            [("Oz", "blank")],
            id="9-empty-name-ignored",
        ),
    ],
)
def test_rules(glossary: tuple[Entity, ...], text: str, expected: list[tuple[str, str]]) -> None:
    assert found(glossary, text) == expected


def test_match_fields_and_bool() -> None:
    matcher = Matcher(GLOSSARY)
    assert matcher
    assert matcher.find("Hi US") == [Match(start=3, end=5, entity_id="us")]
    assert not Matcher([])
    assert not Matcher([ent("blank", "")])
    assert Matcher([]).find("anything") == []


# --- property test against an obviously-correct reference -----------------------------------


def ref_is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def ref_light(ch: str) -> str:
    if ch in "\u2018\u2019":
        return "'"
    return " " if ch.isspace() else ch


def ref_fold(ch: str) -> str:
    lower = ch.lower()
    ch = lower if len(lower) == 1 else ch
    return "σ" if ch == "ς" else ref_light(ch)


def reference_find(glossary: list[Entity], text: str) -> list[tuple[int, int, str]]:
    """Try every start and every surface; first entity wins a span; greedy leftmost-longest."""
    spans: dict[tuple[int, int], str] = {}
    for start in range(len(text)):
        for entity in glossary:
            norm = ref_light if entity.case_sensitive else ref_fold
            for surface in entity.names:
                end = start + len(surface)
                piece = text[start:end]
                if not surface or len(piece) != len(surface):
                    continue
                if [norm(c) for c in piece] != [norm(c) for c in surface]:
                    continue
                if start > 0 and ref_is_word(text[start - 1]) and ref_is_word(text[start]):
                    continue
                if end < len(text) and ref_is_word(text[end]) and ref_is_word(text[end - 1]):
                    continue
                spans.setdefault((start, end), entity.id)
    result: list[tuple[int, int, str]] = []
    taken = 0
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start >= taken:
            result.append((start, end, spans[(start, end)]))
            taken = end
    return result


ALPHABET = "aAbB _-'’.(\n\u00a0—éÉ\u0301İiΣσς1"
surfaces = st.text(alphabet=ALPHABET, min_size=1, max_size=4)
entities = st.builds(
    lambda i, names, cs: ent(f"e{i}", names[0], *names[1:], case_sensitive=cs),
    st.integers(0, 3),
    st.lists(surfaces, min_size=1, max_size=3),
    st.booleans(),
)


@st.composite
def glossary_and_text(draw: st.DrawFn) -> tuple[list[Entity], str]:
    glossary = draw(st.lists(entities, max_size=5))
    names = [name for entity in glossary for name in entity.names]
    if names and draw(st.booleans()):
        # A name made of other names ("North Korea Times"), so that long matches must displace
        # shorter ones found before them.
        parts = draw(st.lists(st.sampled_from(names), min_size=2, max_size=3))
        compound = draw(st.sampled_from([" ", "-", ""])).join(parts)
        glossary.append(ent("compound", compound, case_sensitive=draw(st.booleans())))
        names.append(compound)
    chunk = st.sampled_from(names) | st.text(alphabet=ALPHABET, max_size=2) if names else surfaces
    text = "".join(draw(st.lists(chunk, max_size=12)))
    if names and draw(st.booleans()):
        # Also try the names with their case flipped, to exercise case-insensitive entities.
        text = text.swapcase()
    return glossary, text


@settings(max_examples=200, deadline=None)
@given(glossary_and_text())
def test_find_agrees_with_reference(case: tuple[list[Entity], str]) -> None:
    glossary, text = case
    assert [tuple(m) for m in Matcher(glossary).find(text)] == reference_find(glossary, text)


# Adversarial glossaries for the fast path (a regular expression over the text) and its
# hand-offs to the general algorithm: names that share prefixes, names that are prefixes of
# words and of other names ("New", "New York", "New Yorker"; "Russia", "Russian"), adjacent
# names one space apart, names edged with punctuation, and spaces and apostrophes of every kind.
WORDS = ["New", "York", "Yorker", "Russia", "Russian", "Kalo", "Mira", "Kalomira", "U.S.", "U.S", "US", "N"]
PIECES = st.sampled_from([*WORDS, "new", "NEW", "york", "russia", "s", "ian"])
GLUE = st.sampled_from([" ", "  ", "\n", "\u00a0", "-", ".", ",", "'", "’", "(", ")", "", "_", "é", "\u0301", "İ"])
adversarial_names = st.lists(st.tuples(PIECES, GLUE), min_size=1, max_size=3).map(
    lambda pairs: "".join(p + g for p, g in pairs[:-1]) + pairs[-1][0] + st_edge(pairs[-1][1])
)


def st_edge(glue: str) -> str:
    """Some names end in punctuation ("U.S.", "(Hamas)"), most do not."""
    return glue if glue in ".)’'" else ""


adversarial_entities = st.builds(
    lambda i, names, cs, edge: ent(f"a{i}", edge + names[0], *names[1:], case_sensitive=cs),
    st.integers(0, 4),
    st.lists(adversarial_names, min_size=1, max_size=3),
    st.booleans() | st.just(True),
    st.sampled_from(["", "", "", "(", ".", "'"]),
)


@st.composite
def adversarial_case(draw: st.DrawFn) -> tuple[list[Entity], str]:
    glossary = draw(st.lists(adversarial_entities, min_size=1, max_size=6))
    names = [name for entity in glossary for name in entity.names]
    chunk = st.sampled_from(names) | PIECES | GLUE
    pieces = draw(st.lists(chunk, max_size=16))
    glue = draw(st.sampled_from([" ", "", None]))
    text = "".join(pieces) if glue is None else glue.join(pieces)
    if draw(st.booleans()):
        # Curly apostrophes and other white space than the glossary's: the light fold (rule 5).
        text = text.replace("'", "’").replace(" ", draw(st.sampled_from([" ", "\u00a0", "\n"])))
    return glossary, text


@settings(max_examples=600, deadline=None)
@given(adversarial_case())
def test_find_agrees_with_reference_on_adversarial_names(case: tuple[list[Entity], str]) -> None:
    glossary, text = case
    matcher = Matcher(glossary)
    expected = reference_find(glossary, text)
    assert [tuple(m) for m in matcher.find(text)] == expected
    parts, ids = matcher.split(text)
    assert "".join(parts) == text
    assert [(text[m.start : m.end], m.entity_id) for m in matcher.find(text)] == list(
        zip(parts[1::2], ids, strict=True)
    )


@pytest.mark.parametrize(
    ("glossary", "text", "expected"),
    [
        pytest.param(
            (ent("ny", "New York"), ent("nyr", "New Yorker"), ent("new", "New")),
            "New Yorker, New York, New Yorkers, New",
            [("New Yorker", "nyr"), ("New York", "ny"), ("New", "new"), ("New", "new")],
            id="prefix-names-longest-whole-word",
        ),
        pytest.param(
            (ent("ru", "Russia"), ent("rn", "Russian")),
            "Russian Russia Russians Russia's",
            [("Russian", "rn"), ("Russia", "ru"), ("Russia", "ru")],
            id="name-prefix-of-word",
        ),
        pytest.param(
            (ent("k", "Kalo"), ent("m", "Mira"), ent("km", "Kalo Mira Sen")),
            "Kalo Mira Sex Kalo Mira Sen",
            [("Kalo", "k"), ("Mira", "m"), ("Kalo Mira Sen", "km")],
            id="inner-name-of-abandoned-longer-name",
        ),
        pytest.param(
            (ent("us", "U.S."), ent("army", "Army")),
            "U.S.Army U.S. Army",
            [("U.S.", "us"), ("Army", "army"), ("U.S.", "us"), ("Army", "army")],
            id="adjacent-after-punctuation-edge",
        ),
        pytest.param(
            (ent("dotnet", ".NET"), ent("netf", "NET Framework")),
            ".NET Framework",
            [(".NET", "dotnet")],
            id="punctuation-start-is-leftmost",
        ),
        pytest.param(
            (ent("a", "ATACMS", case_sensitive=False), ent("k", "Kursk")),
            "atacms hit Kursk",
            [("atacms", "a"), ("Kursk", "k")],
            id="both-algorithms-no-overlap",
        ),
        pytest.param(
            (ent("kr", "KURSK REGION", case_sensitive=False), ent("k", "Kursk")),
            "Kursk region",
            [("Kursk region", "kr")],
            id="both-algorithms-overlap-longest-wins",
        ),
        pytest.param(
            (ent("a", "kursk", case_sensitive=False), ent("k", "Kursk")),
            "Kursk",
            [("Kursk", "a")],
            id="both-algorithms-same-span-first-entity-wins",
        ),
        pytest.param(
            (ent("ob", "O'Brien"),),
            "O’Brien and O‘Brien and O'Brien",
            [("O’Brien", "ob"), ("O‘Brien", "ob"), ("O'Brien", "ob")],
            id="apostrophes-in-the-text",
        ),
        pytest.param(
            (ent("k", "Kursk"),),
            "Kursk\u0301 Kursk",
            [("Kursk", "k")],
            id="combining-mark-in-text-general-algorithm",
        ),
    ],
)
def test_fast_path_hand_offs(glossary: tuple[Entity, ...], text: str, expected: list[tuple[str, str]]) -> None:
    assert found(glossary, text) == expected
    assert [tuple(m) for m in Matcher(glossary).find(text)] == reference_find(list(glossary), text)


@settings(max_examples=400, deadline=None)
@given(adversarial_case(), st.lists(st.integers(0, 40), max_size=3))
def test_texts_joined_by_the_separator_split_as_each_alone(case: tuple[list[Entity], str], cuts: list[int]) -> None:
    """What annotate relies on to split a whole article at once (see Matcher.separator)."""
    glossary, text = case
    matcher = Matcher(glossary)
    assert matcher.separator == "\x00"
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    texts = [text[a:b] for a, b in itertools.pairwise(bounds)] or [""]
    parts, ids = matcher.split(matcher.separator.join(texts))
    expected_parts: list[str] = []
    expected_ids: list[str] = []
    for piece in texts:
        piece_parts, piece_ids = matcher.split(piece)
        if expected_parts:
            piece_parts[0] = expected_parts.pop() + matcher.separator + piece_parts[0]
        expected_parts += piece_parts
        expected_ids += piece_ids
    assert (parts, ids) == (expected_parts, expected_ids)


def test_separator_avoids_the_glossary_s_characters_and_lazy_compiles_on_first_use() -> None:
    matcher = Matcher([ent("odd", "A\x00B", "C\x01D")], lazy=True)
    assert matcher.separator == "\x02"
    assert not matcher._compiled
    assert found((ent("odd", "A\x00B", "C\x01D"),), "x A\x00B y") == [("A\x00B", "odd")]
    assert matcher.split("C\x01D.") == (["", "C\x01D", "."], ["odd"])
    assert matcher._compiled
