"""Quotes: find the direct quotations in an annotated article and say who spoke them.

:func:`find_quotes` and :func:`mark_quotes` are pure. They read the annotated body tree, where
every glossary name is already a :class:`~digest.model.Mention`, so a speaker is resolved through
the Mention that names it (``Zelensky said`` is Volodymyr Zelensky because ``Zelensky`` is a
Mention of ``volodymyr-zelensky``). Only people and organizations can speak.

Contract (each rule has a row in ``tests/test_quotes.py``):

* **Quotation marks.** Straight (``"..."``) and curly (``“...”``) double marks; single marks are
  never quotes (they are apostrophes far more often). A quote may span sentences. It never
  crosses a paragraph, list item or table cell: a quote left open at the end of a paragraph
  (news style, the next paragraph opens with ``“``) ends there, and counts only when its mark
  opens the paragraph or follows ``:`` or ``,``. A straight mark right after a digit (``6"``)
  is an inch sign. Code and headings are never searched.
* **Posts and blockquotes.** A ``blockquote.digest-post`` (a social-media post) is one quote
  spoken by the Mention in its ``span.digest-post__author`` (rule ``post``). Any other blockquote
  whose last line is an attribution (``— Name``) is one quote spoken by the Mention after the
  dash (rule ``blockquote``); its own outer marks are dropped. Marks inside them are not
  searched again. A blockquote without an attribution line is searched like a paragraph.
* **Attribution in the same sentence**, by the speech verb that governs the quote:

  - after the quote: ``“…,” X said`` / ``“…,” X, <appositive>, said`` / ``“…,” Poland’s
    foreign minister X told Reuters`` (``said-after``); ``“…,” said X`` (``said-inverted``);
    ``“…,” according to X`` (``according-to``). The quote's own sentence must go on: after
    ``.”`` followed by a capital letter a new sentence has begun (``?”`` and ``!”`` do not end
    it: ``“Why?” X asked.``).
  - before the quote, the last speech verb of the sentence that holds the opening mark:
    ``X said: “…”``, ``X said in a post … “…”``, ``X said … that … “…”``, ``X called … “…”``,
    ``According to X, “…”`` (``said-before`` / ``according-to``).

  A mention attributed after the quote wins over one before it. Speech verbs: said, says, told,
  tells, added, adds, wrote, writes, stated, warned, warns, posted, tweeted, argued, argues,
  noted, explained, explains, asked, asks, insisted, insists, declared, declares, claimed,
  responded, responds, replied, called, and ``according to`` (lower case only, but for
  ``According to``). Verbs inside a quote are the speaker's words, not attributions.
* **Who the subject is.** The Mention right before the verb (auxiliaries and adverbs such as
  *has*, *also*, *later* may stand between), or before an appositive with no comma inside
  (``X, senior fellow at the Atlantic Council, said``). Not a Mention governed by a
  preposition, an article or a conjunction: ``an adviser to Trump said`` and ``Biden and
  Zelensky said`` attribute to nobody, and ``a Trump spokesperson said`` has no Mention next to
  the verb at all. ``the sources said`` and ``a US official said`` name nobody in the glossary:
  the quote stays unattributed (``speaker_id=None``), never guessed.
* **Pronouns.** ``he``/``she`` as the subject (``“…,” he said.``) is the most recent *person*
  who spoke (a quote's speaker, or the subject of a speech verb such as ``Zelensky said the
  war…``) earlier in the same paragraph or in the previous one; otherwise unattributed
  (rule ``pronoun``). ``they``/``it`` are not resolved.
* **Continued quotes** (rule ``continued``). A paragraph that holds nothing but quotations,
  right after a paragraph whose last quote is attributed and in which nobody spoke after that
  quote, continues that speaker (the seed's “But strikes are not made with words…” after
  “Today, many in the media…,” he said). Conversely a quote left open at the end of a paragraph
  takes the speaker of the quote that opens the next paragraph.
* **Scare quotes.** A quotation of fewer than 4 words that starts inside a sentence (the
  missiles would “speak for themselves”) is kept only when attributed.

``Quote.text`` is the text between the marks, whitespace collapsed (a trailing comma that
stands for the sentence's full stop is kept: the text is exactly what is quoted).

Cost is linear in the text: quotation marks and verbs are found with simple compiled patterns
(no nested quantifiers), and every attribution looks at bounded windows of at most
:data:`WINDOW` characters that stop at the neighbouring quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from digest.annotate import split_sentences
from digest.markup import inert_text
from digest.model import AnnotatedArticle, Element, Entity, Mention, Node, Quote

__all__ = ["QUOTE_CLASS", "SPEAKER_TYPES", "find_quotes", "mark_quotes"]

#: Entity types that can speak.
SPEAKER_TYPES = frozenset({"person", "organization"})
#: The class of the span :func:`mark_quotes` wraps around an attributed quote.
QUOTE_CLASS = "digest-quote"
#: The most characters an attribution window looks at, either side of a quote.
WINDOW = 200
#: A quotation with fewer words than this, starting inside a sentence, is a scare quote
#: unless it is attributed.
MIN_WORDS = 4

_APPOSITIVE_LIMIT = 150
_INVERTED_LIMIT = 60
_LEAD_WORDS = 6
_WORD_LIMIT = 64

# Tags that end one run of text and start another: a quote never crosses them.
_BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "dd",
        "dt",
        "td",
        "th",
        "tr",
        "thead",
        "tbody",
        "table",
        "ul",
        "ol",
        "dl",
        "figure",
        "figcaption",
        "blockquote",
        "div",
        "pre",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
# Text under these tags is never searched (it still counts for offsets).
_MASKED_TAGS = frozenset({"code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MASK = "\x00"  # never in article text: ingest strips control characters

_MARKS = re.compile(r"[\"“”]")
_VERBS = re.compile(
    r"\b(?:said|says|told|tells|added|adds|wrote|writes|stated|warned|warns|posted|tweeted|argued|argues"
    r"|noted|explained|explains|asked|asks|insisted|insists|declared|declares|claimed|responded|responds"
    r"|replied|called|[Aa]ccording\s+to)\b"
)
# "said US President Joe Biden": the subject of an inverted verb, after an optional "the" and
# up to four capitalised title words. Bounded repetition of disjoint classes: no backtracking.
_INVERTED_LEAD = re.compile(r"\s+(?:the\s+)?(?:[A-Z][\w’'.-]*\s+){0,4}")
_DASH_LINE = re.compile(r"[ \t]*[—–―][ \t]*")
_PRONOUNS = frozenset({"he", "she"})
# Words that may stand between a subject and its verb: "Zelensky has also said".
_BETWEEN_WORDS = frozenset(
    {
        "has",
        "have",
        "had",
        "also",
        "later",
        "then",
        "previously",
        "once",
        "recently",
        "publicly",
        "earlier",
        "further",
        "separately",
        "again",
        "repeatedly",
        "reportedly",
        "simply",
        "now",
        "already",
        "subsequently",
        "quickly",
        "bluntly",
        "flatly",
        "angrily",
        "first",
        "initially",
        "finally",
        "immediately",
        "himself",
        "herself",
        "itself",
    }
)
# A Mention right after one of these is not a subject: "an adviser to Trump said".
_NOT_SUBJECT_AFTER = frozenset(
    {
        "a",
        "an",
        "to",
        "of",
        "for",
        "with",
        "from",
        "by",
        "at",
        "in",
        "on",
        "about",
        "against",
        "and",
        "or",
        "nor",
        "&",
        "than",
        "like",
        "via",
        "toward",
        "towards",
        "under",
        "over",
        "between",
        "among",
        "per",
    }
)
# Words that show the text after a quote is not its attribution: "“x” and Trump said...".
_LEAD_STOP = frozenset(
    {"and", "but", "or", "that", "which", "who", "when", "while", "because", "if", "is", "was", "are", "were", "as"}
)
_LEAD_BAD_CHARS = frozenset(';:“”"')
_OUTSIDE_QUOTE_CHARS = frozenset(" \t\n\u00a0.,;:!?—–-()[]")

# Subject kinds.
_MENTION, _PRONOUN, _NONE = "mention", "pronoun", "none"


@dataclass(slots=True)
class _Text:
    """The text of one top-level block, with where its mentions and text runs are."""

    index: int  # 0-based position in the body
    anchor: str
    kind: str  # "heading", "post", "blockquote" or "text"
    text: str  # markup.plain_text(block.children)
    scan: str  # the same, with code and headings masked out
    segments: list[tuple[int, int]]  # runs of text a quote never crosses
    mentions: list[tuple[int, int, str]]  # (start, end, entity_id), sorted
    starts: list[int] = field(default_factory=list)
    by_end: dict[int, tuple[int, str]] = field(default_factory=dict)
    children: list[tuple[int, int, Element | None]] = field(default_factory=list)  # direct children
    author: tuple[int, int] | None = None  # span.digest-post__author
    breaks: list[int] = field(default_factory=list)  # offsets of <br> line breaks

    def __post_init__(self) -> None:
        self.starts = [start for start, _end, _id in self.mentions]
        self.by_end = {end: (start, entity_id) for start, end, entity_id in self.mentions}


class _Walker:
    """Concatenates a block's text like ``plain_text``, recording mentions and text runs."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.scan_parts: list[str] = []
        self.offset = 0
        self.mentions: list[tuple[int, int, str]] = []
        self.bounds: list[int] = [0]
        self.breaks: list[int] = []  # offsets of <br>: line starts without a newline character
        self.author: tuple[int, int] | None = None

    def add(self, text: str, masked: bool) -> None:
        self.parts.append(text)
        self.scan_parts.append(_MASK * len(text) if masked else text)
        self.offset += len(text)

    def nodes(self, nodes: list[Node], masked: bool) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.add(node, masked)
            elif isinstance(node, Mention):
                if not masked:
                    self.mentions.append((self.offset, self.offset + len(node.text), node.entity_id))
                self.add(node.text, masked)
            else:
                self.element(node, masked)

    def element(self, element: Element, masked: bool) -> None:
        if element.tag == "br":
            self.breaks.append(self.offset)
        block = element.tag in _BLOCK_TAGS
        if block:
            self.bounds.append(self.offset)
        start = self.offset
        self.nodes(element.children, masked or element.tag in _MASKED_TAGS)
        if block:
            self.bounds.append(self.offset)
        if element.tag == "span" and "digest-post__author" in _classes(element):
            self.author = (start, self.offset)


def _classes(element: Element) -> list[str]:
    return element.attrs.get("class", "").split()


def _read_block(index: int, block: Element) -> _Text:
    walker = _Walker()
    children: list[tuple[int, int, Element | None]] = []
    heading = block.tag in _HEADING_TAGS
    for child in block.children:
        start = walker.offset
        walker.nodes([child], heading)
        children.append((start, walker.offset, child if isinstance(child, Element) else None))
    walker.bounds.append(walker.offset)
    bounds = sorted(set(walker.bounds))
    segments = [(a, b) for a, b in pairwise(bounds) if a < b]
    if heading:
        kind = "heading"
    elif block.tag == "blockquote":
        kind = "post" if "digest-post" in _classes(block) else "blockquote"
    else:
        kind = "text"
    return _Text(
        index=index,
        anchor=block.attrs.get("id") or f"P{index + 1}",
        kind=kind,
        text="".join(walker.parts),
        scan="".join(walker.scan_parts),
        segments=segments,
        mentions=walker.mentions,
        children=children,
        author=walker.author,
        breaks=walker.breaks,
    )


@dataclass(slots=True)
class _Found:
    """A quotation found in a block, before and after attribution."""

    block: int
    anchor: str
    ranges: list[tuple[int, int]]  # the quoted text inside its marks, one range per text run
    text: str
    open_at: int  # offset of the opening mark (or of the quoted text, for posts)
    close_at: int | None  # offset of the closing mark; None if left open
    segment: tuple[int, int]
    speaker_id: str | None = None
    rule: str = ""
    mid_sentence: bool = False


@dataclass(slots=True)
class _Verb:
    """A speech verb outside any quote, with its subject."""

    start: int
    end: int
    floor: int  # start of its text run
    according: bool  # "according to": the subject follows
    kind: str = _NONE  # of the subject before it
    entity_id: str | None = None  # that subject, when a Mention (of any type)
    subject_at: int = -1
    inverted: bool = False  # right after a closing mark: "“…,” said X"
    after_id: str | None = None  # the subject after it, for "according to" and inverted verbs
    speaker: str | None = None  # who spoke, pronouns resolved


@dataclass(slots=True)
class _Attribution:
    """A way a verb may attribute a quote: which verb, and by which rule."""

    verb: _Verb
    rule: str  # "said-after", "said-before", "said-inverted", "according-to" or "pronoun"

    @property
    def speaker(self) -> str | None:
        return self.verb.after_id if self.rule in ("said-inverted", "according-to") else self.verb.speaker


def _collapse(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Finding quotation marks


def _mark_spans(scan: str, start: int, end: int) -> list[tuple[int, int | None]]:
    """Pair the double quotation marks of one text run: ``(open, close)``, close None if left open."""
    spans: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for match in _MARKS.finditer(scan, start, end):
        at = match.start()
        mark = scan[at]
        if mark == '"':
            if open_at is None:
                if at > start and scan[at - 1].isdigit():
                    continue  # 6" is an inch sign
                open_at = at
            else:
                spans.append((open_at, at))
                open_at = None
        elif mark == "“":
            open_at = at  # an earlier mark left open mid-run is a typo: drop it
        elif open_at is not None:
            spans.append((open_at, at))
            open_at = None
    if open_at is not None:
        before = scan[max(start, open_at - _WORD_LIMIT) : open_at].rstrip()
        if open_at == start or not before or before[-1] in ":,":
            spans.append((open_at, None))
    return spans


def _starts_sentence(scan: str, at: int, floor: int) -> bool:
    """Whether the quotation mark at ``at`` opens a sentence (rather than sitting inside one)."""
    lo = max(floor, at - WINDOW)
    window = scan[lo:at]
    sentence = split_sentences(window + "“A")[-1][0]
    return not window[sentence:].strip(" \t\n\u00a0([—–-")


# ---------------------------------------------------------------------------------------------
# Subjects of speech verbs


def _prev_word(scan: str, pos: int, floor: int) -> tuple[str, int, int]:
    """The word ending before ``pos`` (white space skipped): (word, start, end). Bounded."""
    end = pos
    limit = max(floor, pos - _WORD_LIMIT)
    while end > limit and scan[end - 1].isspace():
        end -= 1
    start = end
    limit = max(floor, end - _WORD_LIMIT)
    while start > limit and (scan[start - 1].isalnum() or scan[start - 1] in "’'-&"):
        start -= 1
    return scan[start:end], start, end


def _mention_subject(block: _Text, end: int, floor: int) -> tuple[int, str] | None:
    """The Mention ending at ``end`` if it can be a subject (not after "to", "a", "and"...)."""
    found = block.by_end.get(end)
    if found is None or found[0] < floor:
        return None
    word, _start, _end = _prev_word(block.scan, found[0], floor)
    if word.lower() in _NOT_SUBJECT_AFTER:
        return None
    return found


def _subject_before(block: _Text, verb: int, floor: int) -> tuple[str, str | None, int]:
    """The subject right before the verb at ``verb``: (kind, entity_id, start)."""
    scan = block.scan
    pos = verb
    for _ in range(4):
        word, start, _end = _prev_word(scan, pos, floor)
        if word.lower() not in _BETWEEN_WORDS:
            break
        pos = start
    end = pos
    while end > floor and end > pos - _WORD_LIMIT and scan[end - 1].isspace():
        end -= 1
    found = _mention_subject(block, end, floor)
    if found is not None:
        return _MENTION, found[1], found[0]
    word, start, word_end = _prev_word(scan, end, floor)
    if word_end == end and word.lower() in _PRONOUNS:
        return _PRONOUN, None, start
    if end > floor and scan[end - 1] == ",":
        # An appositive without a comma inside: "X, senior fellow at the Atlantic Council, said".
        comma = scan.rfind(",", max(floor, end - 1 - _APPOSITIVE_LIMIT), end - 1)
        if comma > floor and not any(ch in scan[comma + 1 : end - 1] for ch in '“”"!?;:'):
            found = _mention_subject(block, comma, floor)
            if found is not None:
                return _MENTION, found[1], found[0]
    return _NONE, None, -1


def _subject_after(block: _Text, entities: Mapping[str, Entity], after: int) -> str | None:
    """The speaker named right after an inverted verb: "said US President Joe Biden"."""
    i = bisect_left(block.starts, after)
    while i < len(block.mentions):
        start, _end, entity_id = block.mentions[i]
        if start > after + _INVERTED_LIMIT or not _INVERTED_LEAD.fullmatch(block.scan, after, start):
            return None
        if _can_speak(entities, entity_id):
            return entity_id
        i += 1
    return None


def _can_speak(entities: Mapping[str, Entity], entity_id: str | None) -> bool:
    entity = entities.get(entity_id) if entity_id else None
    return entity is not None and entity.type in SPEAKER_TYPES


def _is_person(entities: Mapping[str, Entity], entity_id: str | None) -> bool:
    entity = entities.get(entity_id) if entity_id else None
    return entity is not None and entity.type == "person"


# ---------------------------------------------------------------------------------------------
# The pass over an article


class _Finder:
    """Reads the blocks in order, carrying who spoke last from one paragraph to the next."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self.entities = entities
        self.found: list[_Found] = []
        # What the previous block leaves to the next one.
        self.prev_person: str | None = None  # the last person who spoke in it
        self.prev_speaker: str | None = None  # the last speaker of any kind in it
        self.prev_quote: _Found | None = None  # its last quote, if it is a prose paragraph

    def run(self, body: list[Element]) -> list[_Found]:
        for index, element in enumerate(body):
            block = _read_block(index, element)
            if block.kind == "heading":
                self.prev_person = self.prev_speaker = self.prev_quote = None
            elif block.kind == "post":
                self.post(block)
            elif not (block.kind == "blockquote" and self.attributed_blockquote(block)):
                self.prose(block)
        return [
            quote
            for quote in self.found
            # A short unattributed quotation inside a sentence is a scare quote.
            if quote.speaker_id is not None or not quote.mid_sentence or len(quote.text.split()) >= MIN_WORDS
        ]

    def can_speak(self, entity_id: str | None) -> bool:
        return _can_speak(self.entities, entity_id)

    def is_person(self, entity_id: str | None) -> bool:
        return _is_person(self.entities, entity_id)

    # -- whole-block quotes: posts and attributed blockquotes ----------------------------------

    def whole(self, block: _Text, ranges: list[tuple[int, int]], speaker: str | None, rule: str) -> None:
        ranges = [(a, b) for a, b in ranges if block.text[a:b].strip()]
        self.prev_person = speaker if self.is_person(speaker) else None
        self.prev_speaker = speaker
        self.prev_quote = None  # a post or a blockquote is never continued by prose
        if not ranges:
            return
        self.found.append(
            _Found(
                block=block.index,
                anchor=block.anchor,
                ranges=ranges,
                text=_collapse(" ".join(block.text[a:b] for a, b in ranges)),
                open_at=ranges[0][0],
                close_at=ranges[-1][1],
                segment=(ranges[0][0], ranges[-1][1]),
                speaker_id=speaker,
                rule=rule if speaker else "",
            )
        )

    def mention_at(self, block: _Text, at: int, end: int) -> str | None:
        """The speaker whose Mention starts at ``at`` (and ends by ``end``), if any."""
        i = bisect_left(block.starts, at)
        if i < len(block.mentions):
            start, stop, entity_id = block.mentions[i]
            if start == at and stop <= end and self.can_speak(entity_id):
                return entity_id
        return None

    def post(self, block: _Text) -> None:
        ranges = [
            (a, b)
            for a, b, child in block.children
            if child is not None and "digest-post__attribution" not in _classes(child)
        ]
        speaker = None
        if block.author is not None:
            start, end = block.author
            start += len(block.text[start:end]) - len(block.text[start:end].lstrip())
            speaker = self.mention_at(block, start, end)
        self.whole(block, ranges, speaker, "post")

    def attributed_blockquote(self, block: _Text) -> bool:
        """A blockquote whose last line is "— Name" is one quote by that name."""
        if not block.segments:
            return False
        seg_start, seg_end = block.segments[-1]
        # The attribution is the last line of the last text run, starting with a dash.
        line = block.scan.rfind("\n", seg_start, seg_end) + 1 or seg_start
        br = bisect_left(block.breaks, seg_end) - 1  # a <br> inside the run starts a line too
        if br >= 0 and seg_start < block.breaks[br] < seg_end:
            line = max(line, block.breaks[br])
        dash = _DASH_LINE.match(block.scan, line, seg_end)
        if dash is None:
            return False
        speaker = self.mention_at(block, dash.end(), seg_end)
        ranges = [(a, b) for a, b in block.segments if b <= seg_start]
        ranges.append((seg_start, dash.start()))
        ranges = [(a, b) for a, b in ranges if block.text[a:b].strip()]
        if not ranges:
            return False
        # Trim white space, then drop the quote's own outer marks.
        (a, b), (y, z) = ranges[0], ranges[-1]
        a += len(block.text[a:b]) - len(block.text[a:b].lstrip())
        z -= len(block.text[y:z]) - len(block.text[y:z].rstrip())
        if block.text[a] in '“"' and block.text[z - 1] in '”"' and z - a >= 2 and (len(ranges) > 1 or z - a > 2):
            a, z = a + 1, z - 1
        if len(ranges) == 1:
            ranges = [(a, z)]
        else:
            ranges[0], ranges[-1] = (a, ranges[0][1]), (y, z)
        self.whole(block, ranges, speaker, "blockquote")
        return True

    # -- prose ---------------------------------------------------------------------------------

    def prose(self, block: _Text) -> None:
        scan = block.scan
        quotes: list[_Found] = []
        verbs: list[_Verb] = []
        for seg in block.segments:
            spans = _mark_spans(scan, *seg)
            for open_at, close_at in spans:
                end = seg[1] if close_at is None else close_at
                text = _collapse(block.text[open_at + 1 : end])
                if text:
                    quotes.append(
                        _Found(
                            block=block.index,
                            anchor=block.anchor,
                            ranges=[(open_at + 1, end)],
                            text=text,
                            open_at=open_at,
                            close_at=close_at,
                            segment=seg,
                            mid_sentence=not _starts_sentence(scan, open_at, seg[0]),
                        )
                    )
            # Verbs inside a quote are the speaker's own words, never an attribution.
            inside = [(o, seg[1] if c is None else c) for o, c in spans]
            k = 0
            for match in _VERBS.finditer(scan, *seg):
                while k < len(inside) and inside[k][1] < match.start():
                    k += 1
                if k < len(inside) and inside[k][0] < match.start() < inside[k][1]:
                    continue
                verb = _Verb(match.start(), match.end(), seg[0], match.group().lower().startswith("according"))
                if not verb.according:
                    verb.kind, verb.entity_id, verb.subject_at = _subject_before(block, verb.start, seg[0])
                verbs.append(verb)

        starts = [verb.start for verb in verbs]
        options = []
        previous_close: dict[tuple[int, int], int] = {}
        for quote in quotes:
            options.append(self.attributions(block, quote, verbs, starts, previous_close.get(quote.segment)))
            if quote.close_at is not None:
                previous_close[quote.segment] = quote.close_at + 1

        # Who spoke, verb by verb, in reading order (pronouns need the speakers before them).
        person, last_person, last_speaker = self.prev_person, None, None
        for verb in verbs:
            if verb.according or verb.inverted:
                verb.after_id = _subject_after(block, self.entities, verb.end)
            if verb.according:
                verb.speaker = verb.after_id
            elif verb.kind == _MENTION:
                verb.speaker = verb.entity_id if self.can_speak(verb.entity_id) else None
            elif verb.kind == _PRONOUN:
                verb.speaker = person
            elif verb.inverted:
                verb.speaker = verb.after_id
            if verb.speaker:
                last_speaker = verb.speaker
                if self.is_person(verb.speaker):
                    person = last_person = verb.speaker
        for quote, choices in zip(quotes, options, strict=True):
            for choice in choices:
                if choice.speaker:
                    quote.speaker_id, quote.rule = choice.speaker, choice.rule
                    break

        prev = self.prev_quote
        # A paragraph of nothing but quotes continues the previous paragraph's speaker.
        if (
            quotes
            and prev is not None
            and prev.speaker_id
            and prev.speaker_id == self.prev_speaker
            and _only_quotes(block, quotes)
        ):
            for quote in quotes:
                if quote.speaker_id is None:
                    quote.speaker_id, quote.rule = prev.speaker_id, "continued"
                    last_speaker = prev.speaker_id
                    if self.is_person(last_speaker):
                        last_person = last_speaker
        if (
            quotes
            and prev is not None
            and prev.close_at is None
            and prev.speaker_id is None
            and quotes[0].speaker_id
            and not block.text[quotes[0].segment[0] : quotes[0].open_at].strip()
        ):
            # A quote left open at the end of the previous paragraph goes on in this one.
            prev.speaker_id, prev.rule = quotes[0].speaker_id, "continued"

        self.found.extend(quotes)
        self.prev_person, self.prev_speaker = last_person, last_speaker
        self.prev_quote = quotes[-1] if quotes and block.kind == "text" else None

    def attributions(
        self, block: _Text, quote: _Found, verbs: list[_Verb], starts: list[int], floor: int | None
    ) -> list[_Attribution]:
        """The ways ``quote`` may be attributed, best first (explicit names before pronouns)."""
        scan = block.scan
        seg_start, seg_end = quote.segment
        explicit: list[_Attribution] = []
        pronouns: list[_Attribution] = []

        # After the quote, in the rest of its sentence: “…,” X said / said X / according to X.
        if quote.close_at is not None:
            lo = quote.close_at + 1
            hi = min(seg_end, lo + WINDOW)
            next_mark = _MARKS.search(scan, lo, hi)
            if next_mark:
                hi = next_mark.start()
            ended = scan[quote.open_at + 1 : quote.close_at].rstrip().endswith((".", "…"))
            if hi > lo and not (ended and scan[lo:hi].lstrip()[:1].isupper()):
                hi = lo + split_sentences(scan[lo:hi])[0][1]
                i = bisect_left(starts, lo)
                if i < len(verbs) and verbs[i].end <= hi:
                    verb = verbs[i]
                    lead = scan[lo : verb.start]
                    if not lead.strip(" \t\n\u00a0,"):
                        verb.inverted = not verb.according
                        explicit.append(_Attribution(verb, "according-to" if verb.according else "said-inverted"))
                    elif verb.kind == _MENTION and verb.subject_at >= lo and _lead_ok(scan[lo : verb.subject_at]):
                        explicit.append(_Attribution(verb, "said-after"))
                    elif verb.kind == _PRONOUN and not scan[lo : verb.subject_at].strip(" \t\n\u00a0,.!?"):
                        pronouns.append(_Attribution(verb, "pronoun"))

        # Before the quote, in its sentence: X said: “…” / X said in a post that “…”.
        lo = max(seg_start, quote.open_at - WINDOW, floor or 0)
        sentence = lo + split_sentences(scan[lo : quote.open_at] + "“A")[-1][0]
        j = bisect_right(starts, quote.open_at) - 1
        if j >= 0 and verbs[j].start >= sentence and verbs[j].end <= quote.open_at:
            verb = verbs[j]
            if verb.according:
                explicit.append(_Attribution(verb, "according-to"))
            elif verb.kind == _MENTION and verb.subject_at >= sentence:
                explicit.append(_Attribution(verb, "said-before"))
            elif verb.kind == _PRONOUN and verb.subject_at >= sentence:
                pronouns.append(_Attribution(verb, "pronoun"))
        return explicit + pronouns


def _lead_ok(lead: str) -> bool:
    """Whether the text between a closing mark and a subject reads as a title, not a clause.

    ``,” Poland’s foreign minister`` is fine; ``” and the man who met`` is not.
    """
    body = lead.lstrip(" \t\n\u00a0,")
    if len(body) > 80 or any(ch in _LEAD_BAD_CHARS or ch == "," for ch in body):
        return False
    words = body.split()
    return len(words) <= _LEAD_WORDS and not any(word.lower() in _LEAD_STOP for word in words)


def _only_quotes(block: _Text, quotes: list[_Found]) -> bool:
    """Whether the block holds nothing but its quotations (and punctuation)."""
    position = 0
    for quote in quotes:
        if not set(block.scan[position : quote.open_at]) <= _OUTSIDE_QUOTE_CHARS:
            return False
        position = quote.segment[1] if quote.close_at is None else quote.close_at + 1
    return set(block.scan[position:]) <= _OUTSIDE_QUOTE_CHARS


def _find(article: AnnotatedArticle, entities: Mapping[str, Entity]) -> list[_Found]:
    return _Finder(entities).run(article.body)


def find_quotes(article: AnnotatedArticle, entities: Mapping[str, Entity]) -> list[Quote]:
    """Pure: the quotes in reading order, each with speaker_id (or None), anchor and rule.

    ``entities`` maps entity ids to entries (``Glossary.by_id()``); it decides who can speak.
    """
    return [Quote(q.text, q.speaker_id, q.anchor, q.rule) for q in _find(article, entities)]


# ---------------------------------------------------------------------------------------------
# Marking attributed quotes in the tree


def mark_quotes(article: AnnotatedArticle, quotes: list[Quote], entities: Mapping[str, Entity]) -> list[Element]:
    """Pure: a new body in which each attributed quote's text (inside its marks) is wrapped in
    ``Element("span", {"class": "digest-quote", "data-speaker": id, "title": "<Name> said this"})``.

    ``quotes`` are those :func:`find_quotes` returned for ``article`` (a caller may drop some or
    change speakers); each is found again by its anchor and text. A quote is wrapped only where
    its text lies within one parent element's children; one that starts or ends inside another
    element (``“a <em>b” c</em>``) or inside a Mention is left as is. A quote over several
    paragraphs (a post) gets one span in each. Mention nodes stay Mention nodes; the input is
    not modified.
    """
    if not quotes:
        return list(article.body)
    return _mark(article, _find(article, entities), quotes, entities)


def find_and_mark_quotes(
    article: AnnotatedArticle, entities: Mapping[str, Entity]
) -> tuple[list[Quote], list[Element]]:
    """``find_quotes`` and then ``mark_quotes`` with what it found, scanning the article once."""
    founds = _find(article, entities)
    quotes = [Quote(q.text, q.speaker_id, q.anchor, q.rule) for q in founds]
    return quotes, (_mark(article, founds, quotes, entities) if quotes else list(article.body))


def _mark(
    article: AnnotatedArticle, founds: list[_Found], quotes: list[Quote], entities: Mapping[str, Entity]
) -> list[Element]:
    """:func:`mark_quotes`, given what :func:`_find` found in the article."""
    located: dict[tuple[str, str], deque[_Found]] = defaultdict(deque)
    for found in founds:
        located[(found.anchor, found.text)].append(found)
    wanted: dict[int, list[tuple[int, int, dict[str, str]]]] = defaultdict(list)
    for quote in quotes:
        queue = located.get((quote.anchor, quote.text))
        if not queue:
            continue
        found = queue.popleft()
        entity = entities.get(quote.speaker_id) if quote.speaker_id else None
        if entity is None:
            continue
        # The theme shows a title with innerHTML: make it unable to form a tag (see markup).
        attrs = {"class": QUOTE_CLASS, "data-speaker": entity.id, "title": inert_text(f"{entity.name} said this")}
        wanted[found.block].extend((a, b, attrs) for a, b in found.ranges)
    body: list[Element] = []
    for index, block in enumerate(article.body):
        ranges = sorted(wanted.get(index, ()), key=lambda r: (r[0], r[1]))
        lengths: dict[int, int] = {}
        _measure(block, lengths)
        body.append(Element(block.tag, dict(block.attrs), _wrap(block.children, 0, ranges, lengths)))
    return body


def _measure(element: Element, lengths: dict[int, int]) -> int:
    """Record the text length of ``element`` and every element under it (keyed by id)."""
    total = 0
    for child in element.children:
        if isinstance(child, str):
            total += len(child)
        elif isinstance(child, Mention):
            total += len(child.text)
        else:
            total += _measure(child, lengths)
    lengths[id(element)] = total
    return total


def _length(node: Node, lengths: dict[int, int]) -> int:
    if isinstance(node, str):
        return len(node)
    if isinstance(node, Mention):
        return len(node.text)
    return lengths[id(node)]


def _wrap(
    children: list[Node], base: int, ranges: list[tuple[int, int, dict[str, str]]], lengths: dict[int, int]
) -> list[Node]:
    """Copy ``children`` (whose text starts at offset ``base``), wrapping each range in a span.

    ``ranges`` are sorted and disjoint. A range inside one child element is passed down to it;
    one across several children is wrapped here if both its ends fall in text nodes or on child
    boundaries; any other is dropped. Linear in the children and ranges.
    """
    spans: list[tuple[int, int]] = []
    position = base
    for child in children:
        size = _length(child, lengths)
        spans.append((position, position + size))
        position += size
    inner: dict[int, list[tuple[int, int, dict[str, str]]]] = defaultdict(list)
    here: list[tuple[int, int, dict[str, str]]] = []
    cuts: dict[int, set[int]] = defaultdict(set)
    j = 0
    for a, b, attrs in ranges:
        while j < len(children) and spans[j][1] <= a:
            j += 1
        k = j
        while k < len(children) and spans[k][1] < b:
            k += 1
        if k >= len(children) or a >= b:
            continue
        first, last = children[j], children[k]
        if j == k and isinstance(first, Element):
            inner[j].append((a, b, attrs))
            continue
        starts_ok = isinstance(first, str) or a == spans[j][0]
        ends_ok = isinstance(last, str) or b == spans[k][1]
        if not (starts_ok and ends_ok):
            continue
        if a > spans[j][0]:
            cuts[j].add(a)
        if b < spans[k][1]:
            cuts[k].add(b)
        here.append((a, b, attrs))

    pieces: list[tuple[int, int, Node]] = []
    for index, child in enumerate(children):
        start, end = spans[index]
        if isinstance(child, str) and cuts.get(index):
            points = [start, *sorted(cuts[index]), end]
            pieces.extend((p, q, child[p - start : q - start]) for p, q in pairwise(points) if p < q)
        elif isinstance(child, Element):
            grandchildren = _wrap(child.children, start, inner.get(index, []), lengths)
            pieces.append((start, end, Element(child.tag, dict(child.attrs), grandchildren)))
        else:
            pieces.append((start, end, child))

    out: list[Node] = []
    collecting: list[Node] | None = None
    h = 0
    for start, end, node in pieces:
        if collecting is None and h < len(here) and start == here[h][0]:
            collecting = []
        if collecting is None:
            out.append(node)
            continue
        collecting.append(node)
        if end == here[h][1]:
            out.append(Element("span", dict(here[h][2]), collecting))
            collecting = None
            h += 1
    if collecting:
        out.extend(collecting)
    return out
