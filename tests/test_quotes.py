"""Quote rules, one row each: what counts as a quotation, and who said it."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

from digest.annotate import annotate
from digest.glossary import load_glossary
from digest.ingest import parse_article
from digest.markup import to_html
from digest.matcher import Matcher
from digest.model import AnnotatedArticle, Element, Entity, Mention, Node, Quote
from digest.quotes import QUOTE_CLASS, find_and_mark_quotes, find_quotes, mark_quotes

REPO = Path(__file__).resolve().parent.parent

ENTITIES = [
    Entity("zelensky", "Volodymyr Zelensky", "person", "President of Ukraine.", aliases=("Zelensky",)),
    Entity("grenell", "Richard Grenell", "person", "A diplomat.", aliases=("Grenell",)),
    Entity("plitsas", "Alex Plitsas", "person", "An analyst.", aliases=("Plitsas",)),
    Entity("klishas", "Andrei Klishas", "person", "A senator.", aliases=("Klishas",)),
    Entity("trump", "Donald Trump", "person", "A president.", aliases=("Trump",)),
    Entity("biden", "Joe Biden", "person", "A president.", aliases=("Biden",)),
    Entity("kremlin", "Kremlin", "organization", "The Russian presidency."),
    Entity("atlantic-council", "Atlantic Council", "organization", "A think tank."),
    Entity("ukraine", "Ukraine", "place", "A country."),
    Entity("us", "United States", "place", "A country.", aliases=("US",)),
    Entity("atacms", "ATACMS", "weapon", "A missile."),
]
BY_ID = {entity.id: entity for entity in ENTITIES}
MATCHER = Matcher(ENTITIES)

MD = "---\ntitle: T\n---\n"
POST = "— Richard Grenell (@RichardGrenell) November 17, 2024"


def annotated(text: str, suffix: str = ".txt") -> AnnotatedArticle:
    """Build the input through the real pipeline; ``.txt`` texts get a headline line."""
    source = "Headline\n" + text if suffix == ".txt" else MD + text
    article, problems = parse_article(source, f"t{suffix}", suffix)
    assert article is not None, problems
    return annotate(article, MATCHER)


def quotes_in(text: str, suffix: str = ".txt") -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker_id, q.rule) for q in find_quotes(annotated(text, suffix), BY_ID)]


WIN = "We will not stop fighting"


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        # -- attribution after the quote ------------------------------------------------------
        pytest.param(f"“{WIN},” Zelensky said.", ".txt", [(f"{WIN},", "zelensky", "said-after")], id="said-after"),
        pytest.param(
            f"“{WIN},” said Zelensky.", ".txt", [(f"{WIN},", "zelensky", "said-inverted")], id="said-inverted"
        ),
        pytest.param(
            f"“{WIN},” said US President Joe Biden.",
            ".txt",
            [(f"{WIN},", "biden", "said-inverted")],
            id="said-inverted-with-title",
        ),
        pytest.param(
            f"“{WIN},” Zelensky told Reuters.", ".txt", [(f"{WIN},", "zelensky", "said-after")], id="told-after"
        ),
        pytest.param(
            f"“{WIN},” Zelensky wrote on Telegram.", ".txt", [(f"{WIN},", "zelensky", "said-after")], id="wrote"
        ),
        pytest.param(f"“{WIN},” Zelensky added.", ".txt", [(f"{WIN},", "zelensky", "said-after")], id="added"),
        pytest.param(
            f"“{WIN},” Zelensky has also said.",
            ".txt",
            [(f"{WIN},", "zelensky", "said-after")],
            id="auxiliary-and-adverb",
        ),
        pytest.param(
            "“Why are we still waiting for them?” Zelensky asked.",
            ".txt",
            [("Why are we still waiting for them?", "zelensky", "said-after")],
            id="question-then-asked",
        ),
        pytest.param(
            f"“{WIN},” according to Zelensky.", ".txt", [(f"{WIN},", "zelensky", "according-to")], id="according-to"
        ),
        pytest.param(
            "“Removing targeting restrictions will help,” Alex Plitsas, senior non-resident fellow at the "
            "Atlantic Council, said.",
            ".txt",
            [("Removing targeting restrictions will help,", "plitsas", "said-after")],
            id="appositive",
        ),
        pytest.param(
            f"“{WIN},” Ukraine’s president Zelensky said.",
            ".txt",
            [(f"{WIN},", "zelensky", "said-after")],
            id="title-before-the-name",
        ),
        pytest.param(
            f"“{WIN},” the Kremlin said.", ".txt", [(f"{WIN},", "kremlin", "said-after")], id="organization-speaks"
        ),
        # -- attribution before the quote -----------------------------------------------------
        pytest.param(f"Zelensky said: “{WIN}.”", ".txt", [(f"{WIN}.", "zelensky", "said-before")], id="said-colon"),
        pytest.param(f"Zelensky said “{WIN}.”", ".txt", [(f"{WIN}.", "zelensky", "said-before")], id="said-no-colon"),
        pytest.param(
            "Grenell said in a post on X that the decision was “a dangerous escalation of the war”.",
            ".txt",
            [("a dangerous escalation of the war", "grenell", "said-before")],
            id="said-in-a-post-that",
        ),
        pytest.param(
            "Klishas, a senior member of the upper chamber, said it was “such a level of escalation”.",
            ".txt",
            [("such a level of escalation", "klishas", "said-before")],
            id="appositive-before",
        ),
        pytest.param(
            f"Zelensky told Reuters: “{WIN}.”", ".txt", [(f"{WIN}.", "zelensky", "said-before")], id="told-before"
        ),
        pytest.param(f"Zelensky says “{WIN}”.", ".txt", [(WIN, "zelensky", "said-before")], id="says"),
        pytest.param(
            "Trump called the plan “a total disaster for everyone”.",
            ".txt",
            [("a total disaster for everyone", "trump", "said-before")],
            id="called",
        ),
        pytest.param(
            f"According to Zelensky, “{WIN}”.", ".txt", [(WIN, "zelensky", "according-to")], id="according-to-before"
        ),
        pytest.param(
            "“A quote in two parts,” Zelensky said, “and the second part.”",
            ".txt",
            [("A quote in two parts,", "zelensky", "said-after"), ("and the second part.", "zelensky", "said-before")],
            id="interrupted-quote",
        ),
        # -- pronouns ---------------------------------------------------------------------------
        pytest.param(
            f"Zelensky said: “We will win.” Then the talks ended. “{WIN},” he said.",
            ".txt",
            [("We will win.", "zelensky", "said-before"), (f"{WIN},", "zelensky", "pronoun")],
            id="pronoun-same-paragraph",
        ),
        pytest.param(
            f"Zelensky said: “We will win this war.”\n“{WIN},” he said.",
            ".txt",
            [("We will win this war.", "zelensky", "said-before"), (f"{WIN},", "zelensky", "pronoun")],
            id="pronoun-previous-paragraph",
        ),
        pytest.param(
            f"Zelensky said on Sunday that the war would end.\n“{WIN},” she said.",
            ".txt",
            [(f"{WIN},", "zelensky", "pronoun")],
            id="pronoun-after-reported-speech",
        ),
        pytest.param(
            f"Zelensky said on Sunday that the war would end.\nNothing else happened.\n“{WIN},” he said.",
            ".txt",
            [(f"{WIN},", None, "")],
            id="pronoun-two-paragraphs-back",
        ),
        pytest.param(f"The sky is blue.\n“{WIN},” he said.", ".txt", [(f"{WIN},", None, "")], id="pronoun-no-speaker"),
        pytest.param(
            f"Zelensky said on Sunday that the war would end.\n“{WIN},” they said.",
            ".txt",
            [(f"{WIN},", None, "")],
            id="they-is-not-resolved",
        ),
        pytest.param(
            f"The Kremlin said the talks had failed.\n“{WIN},” he said.",
            ".txt",
            [(f"{WIN},", None, "")],
            id="pronoun-is-never-an-organization",
        ),
        pytest.param(
            f"Zelensky said: “{WIN}.”\n## Next\n“We will win,” he said.",
            ".md",
            [(f"{WIN}.", "zelensky", "said-before"), ("We will win,", None, "")],
            id="pronoun-not-across-a-heading",
        ),
        pytest.param(
            f"“Biden said we would lose the war,” Zelensky said.\n“{WIN},” he said.",
            ".txt",
            [("Biden said we would lose the war,", "zelensky", "said-after"), (f"{WIN},", "zelensky", "pronoun")],
            id="verbs-inside-a-quote-are-not-speakers",
        ),
        # -- unattributed: named nobody in the glossary -----------------------------------------
        pytest.param(f"“{WIN},” a US official said.", ".txt", [(f"{WIN},", None, "")], id="a-us-official"),
        pytest.param(f"“{WIN},” the sources said.", ".txt", [(f"{WIN},", None, "")], id="the-sources"),
        pytest.param(
            f"“{WIN},” a Trump spokesperson said.", ".txt", [(f"{WIN},", None, "")], id="a-trump-spokesperson"
        ),
        pytest.param(f"“{WIN},” an adviser to Trump said.", ".txt", [(f"{WIN},", None, "")], id="an-adviser-to-trump"),
        pytest.param(f"“{WIN},” Biden and Trump said.", ".txt", [(f"{WIN},", None, "")], id="two-speakers"),
        pytest.param(f"“{WIN},” Ukraine said.", ".txt", [(f"{WIN},", None, "")], id="a-place-cannot-speak"),
        pytest.param(f"“{WIN}.”", ".txt", [(f"{WIN}.", None, "")], id="no-attribution"),
        pytest.param(
            "“We will win this war.” Zelensky said the talks had failed.",
            ".txt",
            [("We will win this war.", None, "")],
            id="new-sentence-after-the-quote",
        ),
        # -- marks ------------------------------------------------------------------------------
        pytest.param(f'"{WIN}," Zelensky said.', ".txt", [(f"{WIN},", "zelensky", "said-after")], id="straight-quotes"),
        pytest.param(
            "“But strikes are not made with words. Such things are not announced,” Zelensky said.",
            ".txt",
            [("But strikes are not made with words. Such things are not announced,", "zelensky", "said-after")],
            id="quote-spans-sentences",
        ),
        pytest.param(
            "The missiles would “speak for themselves”, officials hinted.", ".txt", [], id="scare-quote-unattributed"
        ),
        pytest.param(
            "Zelensky said in his address that the missiles would “speak for themselves”.",
            ".txt",
            [("speak for themselves", "zelensky", "said-before")],
            id="short-quote-attributed",
        ),
        pytest.param("“No comment.”", ".txt", [("No comment.", None, "")], id="short-quote-opening-a-sentence"),
        pytest.param(
            "Zelensky said the ‘peace plan’ isn't real and 'nothing' will change at all.",
            ".txt",
            [],
            id="single-marks-are-not-quotes",
        ),
        pytest.param('The screen is 6" wide, Zelensky said.', ".txt", [], id="inch-sign"),
        pytest.param(
            "Zelensky said the decision “came far too late to change anything.",
            ".txt",
            [],
            id="stray-open-mark-mid-sentence",
        ),
        pytest.param("Run `Zelensky said “not a quote at all here”` now.", ".md", [], id="not-in-code"),
        pytest.param("## “Not a quote in a heading,” Zelensky said", ".md", [], id="not-in-heading"),
        pytest.param(
            "Zelensky said that *“we will fight on and on”* today.",
            ".md",
            [("we will fight on and on", "zelensky", "said-before")],
            id="inside-emphasis",
        ),
        pytest.param(
            "Zelensky said: “We will fight  \non and on in the hills.”",
            ".md",
            [("We will fight on and on in the hills.", "zelensky", "said-before")],
            id="across-a-line-break",
        ),
        pytest.param(
            "- “We will fight on and on,” Zelensky said.\n- “We will fight in the hills,” he said.",
            ".md",
            [
                ("We will fight on and on,", "zelensky", "said-after"),
                ("We will fight in the hills,", "zelensky", "pronoun"),
            ],
            id="list-items",
        ),
        # -- paragraphs that continue a quote ---------------------------------------------------
        pytest.param(
            "“Today, many are saying we have permission,” Zelensky said.\n“But strikes are not made with words.”",
            ".txt",
            [
                ("Today, many are saying we have permission,", "zelensky", "said-after"),
                ("But strikes are not made with words.", "zelensky", "continued"),
            ],
            id="quote-paragraph-continues-the-speaker",
        ),
        pytest.param(
            "“Today, many are saying we have permission,” Zelensky said. Trump said nothing.\n"
            "“But strikes are not made with words.”",
            ".txt",
            [
                ("Today, many are saying we have permission,", "zelensky", "said-after"),
                ("But strikes are not made with words.", None, ""),
            ],
            id="no-continuation-after-another-speaker",
        ),
        pytest.param(
            "Zelensky said: “We will fight on the beaches.\n“We will fight in the fields,” he said.",
            ".txt",
            [
                ("We will fight on the beaches.", "zelensky", "said-before"),
                ("We will fight in the fields,", "zelensky", "pronoun"),
            ],
            id="open-quote-then-pronoun",
        ),
        pytest.param(
            "“We will fight on the beaches.\n“We will fight in the fields,” Zelensky said.",
            ".txt",
            [
                ("We will fight on the beaches.", "zelensky", "continued"),
                ("We will fight in the fields,", "zelensky", "said-after"),
            ],
            id="open-quote-attributed-in-the-next-paragraph",
        ),
        # -- posts and blockquotes --------------------------------------------------------------
        pytest.param(
            f"Grenell said so in a social media post.\nNo one anticipated this escalation.\nAnd all for politics.\n{POST}",
            ".txt",
            [("No one anticipated this escalation. And all for politics.", "grenell", "post")],
            id="social-post",
        ),
        pytest.param(
            "Someone said this in a post.\nNo one anticipated this escalation.\n— Jane Doe (@janedoe) November 17, 2024",
            ".txt",
            [("No one anticipated this escalation.", None, "")],
            id="social-post-author-not-in-glossary",
        ),
        pytest.param(
            f"{POST.replace('Richard Grenell', 'Someone')}\nNo one anticipated this escalation.\n{POST}\n“{WIN},” he said.",
            ".txt",
            [("No one anticipated this escalation.", "grenell", "post"), (f"{WIN},", "grenell", "pronoun")],
            id="pronoun-after-a-post",
        ),
        pytest.param(
            "> “We will fight on and on.”\n>\n> — Richard Grenell",
            ".md",
            [("We will fight on and on.", "grenell", "blockquote")],
            id="blockquote-attribution-line",
        ),
        pytest.param(
            "> We will fight on and on.\n> — Richard Grenell, adviser",
            ".md",
            [("We will fight on and on.", "grenell", "blockquote")],
            id="blockquote-attribution-same-paragraph",
        ),
        pytest.param(
            "> “We will fight on and on,” Zelensky said.",
            ".md",
            [("We will fight on and on,", "zelensky", "said-after")],
            id="blockquote-without-attribution-line",
        ),
    ],
)
def test_quotes_and_speakers(text: str, suffix: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert quotes_in(text, suffix) == expected
    # The build's one-scan path gives what finding and then marking give.
    article = annotated(text, suffix)
    quotes = find_quotes(article, BY_ID)
    assert find_and_mark_quotes(article, BY_ID) == (quotes, mark_quotes(article, quotes, BY_ID))


def test_anchor_is_the_block_the_quote_is_in() -> None:
    quotes = find_quotes(annotated(f"Intro.\n“{WIN},” Zelensky said."), BY_ID)
    assert [q.anchor for q in quotes] == ["P2"]


# ---------------------------------------------------------------------------------------------
# The seed article


@pytest.fixture(scope="module")
def seed() -> tuple[AnnotatedArticle, dict[str, Entity]]:
    glossary, problems = load_glossary(REPO / "seeds" / "glossary.yml", "seeds/glossary.yml")
    assert not problems
    text = (REPO / "seeds" / "000_9243ca9ca10ac7ac.txt").read_text(encoding="utf-8")
    article, problems = parse_article(text, "seeds/000_9243ca9ca10ac7ac.txt", ".txt")
    assert article is not None, problems
    return annotate(article, Matcher(glossary.entities)), glossary.by_id()


def test_seed_article_speakers(seed: tuple[AnnotatedArticle, dict[str, Entity]]) -> None:
    article, entities = seed
    found = [(q.anchor, q.speaker_id, q.rule, q.text) for q in find_quotes(article, entities)]
    # “But strikes are not made…” stands alone right after Zelensky's “…,” he said paragraph,
    # so it continues Zelensky (rule "continued"), as the news style it follows intends.
    expected = [
        ("P7", "volodymyr-zelensky", "said-before", "speak for themselves"),
        ("P8", "volodymyr-zelensky", "pronoun", "Today, many in the media"),
        ("P9", "volodymyr-zelensky", "continued", "But strikes are not made with words. Such things"),
        ("P13", "andrei-klishas", "said-before", "such a level of escalation"),
        ("P18", "richard-grenell", "said-after", "Escalating the wars before he leaves office,"),
        ("P19", "richard-grenell", "post", "No one anticipated that Joe Biden would ESCALATE"),
        ("P23", "alex-plitsas", "said-after", "Removing targeting restrictions"),
        ("P24", "alex-plitsas", "pronoun", "However, like everything else"),
        ("P26", "radoslaw-sikorski", "said-after", "President Biden responded"),
    ]
    assert len(found) == len(expected), found
    for (anchor, speaker, rule, text), want in zip(found, expected, strict=True):
        assert (anchor, speaker, rule) == want[:3]
        assert text.startswith(want[3]), text


def test_seed_post_text_joins_its_paragraphs(seed: tuple[AnnotatedArticle, dict[str, Entity]]) -> None:
    article, entities = seed
    post = next(q for q in find_quotes(article, entities) if q.rule == "post")
    assert post.text == (
        "No one anticipated that Joe Biden would ESCALATE the war in Ukraine during the transition period. "
        "This is as if he is launching a whole new war. Everything has changed now – all previous "
        "calculations are null and void. And all for politics. https://t.co/7ktLb5jpO7"
    )


def test_seed_mark_quotes(seed: tuple[AnnotatedArticle, dict[str, Entity]]) -> None:
    article, entities = seed
    body = mark_quotes(article, find_quotes(article, entities), entities)
    spans = [span for block in body for span in _spans(block)]
    assert len(spans) == 8 + 3  # one per quote, one per paragraph of the post
    p26 = next(block for block in body if block.attrs.get("id") == "P26")
    (span,) = _spans(p26)
    assert span.attrs == {
        "class": QUOTE_CLASS,
        "data-speaker": "radoslaw-sikorski",
        "title": "Radoslaw Sikorski said this",
    }
    assert [m.text for m in span.children if isinstance(m, Mention)] == ["Biden", "V. Putin", "Ukraine"]


# ---------------------------------------------------------------------------------------------
# mark_quotes


def _spans(node: Node) -> list[Element]:
    """Every quote span under ``node``, in document order."""
    if not isinstance(node, Element):
        return []
    own = [node] if node.tag == "span" and node.attrs.get("class") == QUOTE_CLASS else []
    return own + [span for child in node.children for span in _spans(child)]


def marked(text: str, suffix: str = ".txt") -> tuple[AnnotatedArticle, list[Element]]:
    article = annotated(text, suffix)
    return article, mark_quotes(article, find_quotes(article, BY_ID), BY_ID)


def test_mark_wraps_the_words_inside_the_marks() -> None:
    _, body = marked(f"“{WIN},” Zelensky said.")
    (block,) = body
    span = block.children[1]
    assert block.children[0] == "“"
    assert isinstance(span, Element)
    assert span.attrs == {"class": QUOTE_CLASS, "data-speaker": "zelensky", "title": "Volodymyr Zelensky said this"}
    assert span.children == [f"{WIN},"]
    assert block.children[2] == "” "
    assert isinstance(block.children[3], Mention)


def test_mark_renders_its_attributes() -> None:
    _, body = marked(f"“{WIN},” Zelensky said.")
    html = to_html(body, lambda mention: mention.text)
    assert (
        f'“<span class="digest-quote" data-speaker="zelensky" title="Volodymyr Zelensky said this">{WIN},</span>”'
        in html
    )


def test_mark_keeps_mention_nodes_inside() -> None:
    _, body = marked("“Biden and the ATACMS will not help,” Zelensky said.")
    (span,) = _spans(body[0])
    mentions = [child for child in span.children if isinstance(child, Mention)]
    assert [(m.entity_id, m.text) for m in mentions] == [("biden", "Biden"), ("atacms", "ATACMS")]


def test_mark_leaves_unattributed_quotes_alone() -> None:
    article, body = marked(f"“{WIN},” a US official said.")
    assert not _spans(body[0])
    assert repr(body) == repr(article.body)


def test_mark_does_not_modify_its_input() -> None:
    article = annotated(f"Zelensky said: “{WIN}.”\n“Biden will not help,” he said.")
    before = copy.deepcopy(article.body)
    quotes = find_quotes(article, BY_ID)
    body = mark_quotes(article, quotes, BY_ID)
    assert article.body == before
    assert len([s for block in body for s in _spans(block)]) == 2
    assert body[0] is not article.body[0]


def test_mark_only_the_quotes_given() -> None:
    article = annotated(f"“{WIN},” Zelensky said.\n“We will win,” Grenell said.")
    quotes = find_quotes(article, BY_ID)
    body = mark_quotes(article, quotes[1:], BY_ID)
    assert [s.attrs["data-speaker"] for block in body for s in _spans(block)] == ["grenell"]
    # A changed speaker is used as given.
    changed = [Quote(q.text, "trump", q.anchor, "edited") for q in quotes]
    body = mark_quotes(article, changed, BY_ID)
    assert [s.attrs["data-speaker"] for block in body for s in _spans(block)] == ["trump", "trump"]


def test_mark_wraps_whole_inline_elements() -> None:
    _, body = marked("Zelensky said: “we *will* fight on”.", ".md")
    (span,) = _spans(body[0])
    assert span.children[0] == "we "
    assert isinstance(span.children[1], Element) and span.children[1].tag == "em"
    assert span.children[2] == " fight on"


def test_mark_goes_inside_an_element_holding_the_quote() -> None:
    _, body = marked("Zelensky said that *“we will fight on and on”* today.", ".md")
    (block,) = body
    em = next(child for child in block.children if isinstance(child, Element))
    assert em.tag == "em"
    assert [child.tag for child in em.children if isinstance(child, Element)] == ["span"]


def test_mark_leaves_a_quote_that_crosses_an_element_boundary() -> None:
    article, body = marked("Zelensky said: “we *will” fight* on.", ".md")
    assert [q.speaker_id for q in find_quotes(article, BY_ID)] == ["zelensky"]
    assert not _spans(body[0])


def test_mark_a_post_gets_a_span_per_paragraph() -> None:
    _, body = marked(f"Grenell said this on X.\nNo one anticipated it.\nAll for politics.\n{POST}")
    post = body[1]
    assert post.tag == "blockquote"
    spans = _spans(post)
    assert [s.children for s in spans] == [["No one anticipated it."], ["All for politics."]]
    # The attribution line is not part of the quote.
    assert not _spans(post.children[-1])


def test_mark_title_cannot_form_markup() -> None:
    odd = Entity("odd", "<img src=x onerror=alert(1)>", "person", "A name.", aliases=("Oddname",))
    entities = {**BY_ID, "odd": odd}
    article, problems = parse_article(f"Headline\n“{WIN},” Oddname said.", "t.txt", ".txt")
    assert article is not None, problems
    result = annotate(article, Matcher([*ENTITIES, odd]))
    body = mark_quotes(result, find_quotes(result, entities), entities)
    (span,) = _spans(body[0])
    assert "<img" not in span.attrs["title"]


# ---------------------------------------------------------------------------------------------
# Cost


def test_long_article_is_linear() -> None:
    """A megabyte-long paragraph dense with quotes, verbs and commas takes well under a second or two."""
    unit = f"“{WIN},” Zelensky said, “and Ukraine will win.” He said “no”, said, , , “ "
    article = annotated(unit * (1_000_000 // len(unit)))
    started = time.perf_counter()
    quotes = find_quotes(article, BY_ID)
    mark_quotes(article, quotes, BY_ID)
    assert quotes
    assert time.perf_counter() - started < 10
