"""Annotate: find glossary mentions in an article's text and record them with their context.

:func:`annotate` is pure: it returns a new body tree in which every mention of a glossary
name or alias is a :class:`~digest.model.Mention` node, and the mentions in reading order.

Where mentions are looked for: all text of the body, captions, quotes and social posts included,
and inside emphasis and tables. Never inside headings, code, ``pre``, existing links (or URLs,
which the ingest stage has already made links) or attribute values (text nodes only are seen).

Each top-level block gets a stable anchor (``P1``, ``P2``...) so entity pages can link back to
the paragraph of a mention. The anchors are upper-case on purpose: Python-Markdown's ``toc``
slugs are always lower-case, so they can never collide with a heading's id.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence

from digest.markup import plain_text
from digest.matcher import Matcher
from digest.model import AnnotatedArticle, Article, Element, Mention, Node

#: Text under these tags is never annotated.
SKIPPED_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "a", "time"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_CONTEXT_LIMIT = 320
_WORD_WINDOW = 40

# A sentence ends at . ! ? or … (plus closing quotes/brackets), before white space and a
# capital, a digit or an opening quote. Abbreviations are filtered out afterwards.
_AFTER_END_MARK = r"[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])"
_SENTENCE_END = re.compile("[.!?…]" + _AFTER_END_MARK)
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "rep",
        "sen",
        "gov",
        "pres",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "dept",
        "est",
        "fig",
    ]
)


# Every period that might not end a sentence (see _ends_sentence) is found at C speed, and
# only those are checked exactly; most sentences end after an ordinary word.
# - Short (_maybe_short): unless the two characters before a period that ends a sentence by
#   _SENTENCE_END are both alphanumeric (so the word before it is not a single letter, and
#   reaches back no further, as no opening quote, separator or white space is alphanumeric) and
#   are not, lowered, the last two letters of an abbreviation. The pairs before all periods are
#   cut out and tested together (a join, a set operation); a lookbehind at every period costs
#   twice as much.
# - _MAYBE_DOTTED: a period with another at most 39 non-space characters before it (the window
#   holds the 40 characters before a period); the later one is at the end of group 1.
_ABBREVIATION_TAILS = frozenset(word[-2:] for word in _ABBREVIATIONS)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]")  # \w is str.isalnum() per character, and "_"
_MAYBE_DOTTED = re.compile(f"\\.(?=([^\\s.]{{0,{_WORD_WINDOW - 1}}})\\.)")
# _SENTENCE_END, one pattern per end mark: `re` finds a pattern's first character much faster
# when it is a literal than a class. Their matches never overlap (a match holds no other end
# mark), so together they find exactly what _SENTENCE_END does.
_SENTENCE_ENDS = {mark: re.compile(re.escape(mark) + _AFTER_END_MARK) for mark in ".!?…"}


def _ends_sentence(text: str, at: int, separator: str | None) -> bool:
    """Whether the period at ``text[at]`` (followed by what ``_SENTENCE_END`` wants) ends a sentence.

    Only the word before it matters: the last word of the 40 characters before it (the sentence
    so far never matters, as a sentence starts after white space), cut at a separator so that
    it never reaches into the previous block, less its opening quotes. A single letter
    (``V. Putin``), a dotted acronym (``U.S.``) or a common abbreviation (``Mr.``) does not end one.
    """
    # A short window, never the whole sentence so far (quadratic on a long line of abbreviations).
    before = text[max(0, at - _WORD_WINDOW) : at].rsplit(None, 1)
    word = before[-1] if before else ""
    if separator is not None and separator in word:
        word = word.rpartition(separator)[2]
    word = word.lstrip("\"“‘'(")
    return not (len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS)


def _sentence_ends(text: str, separator: str | None = None) -> list[int]:
    """Where the sentences of ``text`` end (each just before the next one's first character).

    ``text`` may be several blocks joined by ``separator``: the result is then what each block
    would give alone, in the joined text's offsets (no sentence end touches a separator, which
    is not white space, and :func:`_ends_sentence` cuts the word before a period at one).
    """
    periods: list[re.Match[str]] = list(_SENTENCE_ENDS["."].finditer(text)) if "." in text else []
    matches = periods
    if "!" in text or "?" in text or "…" in text:
        matches = periods.copy()
        for mark in "!?…":
            if mark in text:
                matches += _SENTENCE_ENDS[mark].finditer(text)
        matches.sort(key=re.Match.start)
    ends = list(map(re.Match.end, matches))
    if not periods:
        return ends
    at = list(map(re.Match.start, periods))
    doubtful = {*map(re.Match.end, _MAYBE_DOTTED.finditer(text), itertools.repeat(1)), *_maybe_short(text, at)}
    if not doubtful:
        return ends
    # Each doubtful period (a few) looked up among the matches, rather than a map of them all.
    starts = at if matches is periods else list(map(re.Match.start, matches))
    not_ends = set()
    for period in doubtful:
        index = bisect.bisect_left(starts, period)
        if index < len(starts) and starts[index] == period and not _ends_sentence(text, period, separator):
            not_ends.add(ends[index])
    return [end for end in ends if end not in not_ends] if not_ends else ends


def _maybe_short(text: str, periods: list[int]) -> list[int]:
    """The ``periods`` (offsets into ``text``, ascending) that may end a short word or an
    abbreviation: a superset of those that do, found at C speed (see _ABBREVIATION_TAILS)."""
    first = bisect.bisect_left(periods, 2)  # a period at 0 or 1 has no pair: doubtful
    rest = periods[first:]
    pairs = list(map(text.__getitem__, map(slice, map(operator.sub, rest, itertools.repeat(2)), rest)))
    joined = "".join(pairs)
    doubtful: set[int] = set()
    if not joined.isalnum():
        doubtful.update(offset // 2 for offset in map(re.Match.start, _NOT_ALPHANUMERIC.finditer(joined)))
    lowered = "|".join(pairs).lower().split("|")
    if len(lowered) != len(pairs):  # a "|" in a pair: they no longer line up, check them all
        return periods
    if not _ABBREVIATION_TAILS.isdisjoint(lowered):
        doubtful.update(i for i, pair in enumerate(lowered) if pair in _ABBREVIATION_TAILS)
    return [*periods[:first], *map(rest.__getitem__, doubtful)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences, returned as ``(start, end)`` offsets covering all of it.

    A period after a single letter (``V. Putin``), after a dotted acronym (``U.S.``) or after a
    common abbreviation (``Mr.``, ``Gen.``) does not end a sentence. Linear in ``len(text)``.
    """
    starts = [0, *_sentence_ends(text)]
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


class Sentences:
    """The sentences of one block's text, to find the context of a mention by its offset.

    ``text`` may be several blocks joined by ``separator``, the second block starting at
    ``block_starts[1]`` and so on: each block's sentences are then what it would have alone (a
    block's last sentence ends before the separator), so none crosses a block's edge.
    Sentence ``i`` is ``text[starts[i]:ends[i]]``.
    """

    def __init__(self, text: str, separator: str | None = None, block_starts: list[int] | None = None) -> None:
        self.text = text
        starts = [0, *_sentence_ends(text, separator)]
        ends = [*starts[1:], len(text)]
        if block_starts is not None and len(block_starts) > 1:
            # No sentence end falls on a separator or just after one (it is not white space),
            # so each block start is a new start; the sentence before it ends at the separator.
            starts += block_starts[1:]
            starts.sort()
            ends = [*starts[1:], len(text)]
            for block_start in block_starts[1:]:  # a few per article: cheaper than a pass over all
                ends[bisect.bisect_left(starts, block_start) - 1] -= 1
        self.starts = starts
        self.ends = ends
        # The context of each sentence, shared by its mentions; built on first use. Index i + 1
        # is sentence i (as bisect_right counts), None where a sentence is too long to show whole.
        self._contexts: list[str | None] | None = None
        self._long = False  # whether a sentence is too long to show whole (set with _contexts)

    def around(self, offset: int, length: int) -> str:
        """The sentence holding ``offset``, or a window of it around the mention if very long."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        start, end = self.starts[index], self.ends[index]
        if end - start <= _CONTEXT_LIMIT:
            return self.text[start:end].strip()
        # Cut a window from the text directly: slicing the whole sentence for every mention
        # would be quadratic on a megabyte-long line.
        half = (_CONTEXT_LIMIT - length) // 2
        lo, hi = max(start, offset - half), min(end, offset + length + half)
        lo, hi = _whole_words(self.text, lo, hi, start, end, offset, offset + length)
        return ("…" if lo > start else "") + self.text[lo:hi].strip() + ("…" if hi < end else "")

    def _all_contexts(self) -> list[str | None]:
        """Each sentence's context, after a leading None (see ``_contexts``)."""
        text = self.text
        contexts = [
            text[a:b].strip() if b - a <= _CONTEXT_LIMIT else None for a, b in zip(self.starts, self.ends, strict=True)
        ]
        contexts.insert(0, None)
        self._long = contexts.count(None) > 1  # (index 0 is None anyway)
        return contexts

    def around_all(self, offsets: list[int], mentions: list[str]) -> list[str]:
        """``around(offset, len(mention))`` for each mention, sharing each sentence's string."""
        contexts = self._contexts
        if contexts is None:
            contexts = self._contexts = self._all_contexts()
        found = list(map(contexts.__getitem__, map(bisect.bisect_right, itertools.repeat(self.starts), offsets)))
        if self._long and None in found:  # a long sentence: a window around each of its mentions
            found = [
                context if context is not None else self.around(offset, len(mention))
                for context, offset, mention in zip(found, offsets, mentions, strict=True)
            ]
        return found  # type: ignore[return-value]


def _whole_words(text: str, lo: int, hi: int, start: int, end: int, keep_from: int, keep_to: int) -> tuple[int, int]:
    """The window ``text[lo:hi]`` of the sentence ``text[start:end]`` shrunk to whole words: a
    cut inside a word moves to the white space next to it, never into ``text[keep_from:keep_to]``
    (the mention)."""
    if lo > start and not text[lo - 1].isspace():
        space = next((i for i in range(lo, keep_from) if text[i].isspace()), None)
        lo = space if space is not None else lo
    if hi < end and not text[hi].isspace():
        space = next((i for i in range(hi - 1, keep_to - 1, -1) if text[i].isspace()), None)
        hi = space if space is not None else hi
    return lo, hi


def _make_mentions(fields: Iterable[tuple[str, str, bool, str, str]]) -> list[Mention]:
    """A :class:`Mention` from each tuple of its fields, built at C speed (see the note on
    Mention): ``map`` calls ``tuple.__new__`` directly, which a ``functools.partial`` would
    wrap in one more call per mention."""
    return list(map(tuple.__new__, itertools.repeat(Mention), fields))  # type: ignore[arg-type]


class _BlockAnnotator:
    """Walks one top-level block, tracking the offset into the block's plain text."""

    def __init__(self, matcher: Matcher, anchor: str, text: str, seen: set[str]) -> None:
        self.matcher = matcher
        self.anchor = anchor
        self.text = text
        self._sentences: Sentences | None = None  # split on the first mention only
        self.seen = seen
        self.offset = 0
        self.mentions: list[Mention] = []

    def children(self, nodes: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            if isinstance(node, str):
                out.extend(self.text_node(node))
            elif isinstance(node, Element):
                out.append(self.element(node))
            else:  # already a Mention: keep it, it still counts as text
                self.offset += len(node.text)
                out.append(node)
        return out

    def element(self, element: Element) -> Element:
        if element.tag in SKIPPED_TAGS:
            self.offset += len(plain_text(element.children))
            return element
        return Element(element.tag, dict(element.attrs), self.children(element.children))

    def text_node(self, text: str) -> list[Node]:
        """``text`` with its mentions made :class:`Mention` nodes (empty strings left out).

        Works on whole lists at a time (``map``, ``zip``, slice assignment): a block has a
        handful of mentions, and a Python loop over them would cost more than finding them.
        """
        parts, ids = self.matcher.split(text)
        if not ids:
            self.offset += len(text)
            return [text]
        # bounds[2i + 1] is where mention i starts in the block's text, bounds[-1] where `text` ends.
        bounds = list(itertools.accumulate(map(len, parts), initial=self.offset))
        self.offset = bounds[-1]
        surfaces = parts[1::2]
        if self._sentences is None:
            self._sentences = Sentences(self.text)
        sentences = self._sentences.around_all(bounds[1:-1:2], surfaces)
        firsts = _first_flags(ids, self.seen)
        mentions = _make_mentions(zip(ids, surfaces, firsts, itertools.repeat(self.anchor), sentences, strict=False))
        self.mentions += mentions
        parts[1::2] = mentions
        return list(filter(None, parts))  # a Mention is a non-empty tuple: only "" goes


def _first_flags(ids: list[str], seen: set[str]) -> list[bool]:
    """Whether each mention is its entity's first in the article, given the ``seen`` entities
    before these mentions (updated). At C speed: ``setdefault`` hands back, for each mention,
    the position of its entity's first mention here (-1 for one seen before), which is its own
    position only for a first mention."""
    first = dict.fromkeys(seen, -1)
    positions = range(len(ids))
    firsts = list(map(operator.eq, map(first.setdefault, ids, positions), positions))
    seen.update(first)
    return firsts


def _annotate_run(
    anchors: Sequence[str],
    blocks: list[Element],
    texts: list[str],
    matcher: Matcher,
    seen: set[str],
    mentions: list[Mention],
) -> list[Element]:
    """Annotate blocks that are each a single text node, in one pass: the blocks annotated.

    ``blocks`` are in reading order, ``anchors[k]`` the anchor of ``blocks[k]`` and ``texts[k]``
    its text. The texts are
    joined by the matcher's separator and split, sentence-split and turned into mentions as one
    text (a few calls per article rather than per paragraph, which is what made annotating
    slow), then cut back into blocks; the result is what annotating each block on its own
    gives (:func:`_annotate_block`), because the separator behaves like the end of a text for
    both the matcher and the sentence splitter. The mentions found are appended to
    ``mentions``; ``seen`` is updated.
    """
    separator = matcher.separator
    if len(blocks) == 1:
        separator = None  # nothing joined: the text may hold the character, as any other
        text = texts[0]
    else:
        # (`in` looks for one character at C speed, far faster than counting them in the join.)
        if separator is None or any(map(operator.contains, texts, itertools.repeat(separator))):
            # A text holds the separator (or there is none): one block at a time, in order.
            return [
                _annotate_block(anchor, block, matcher, seen, mentions)
                for anchor, block in zip(anchors, blocks, strict=True)
            ]
        text = separator.join(texts)
    parts, ids = matcher.split(text)
    children_of: list[list[Node]]
    if not ids:
        children_of = [[block_text] for block_text in texts]
    else:
        # bounds[2i + 1] is where mention i starts; block k starts at block_starts[k].
        bounds = list(itertools.accumulate(map(len, parts), initial=0))
        offsets = bounds[1:-1:2]
        surfaces = parts[1::2]
        block_starts = list(
            itertools.accumulate(map(operator.add, map(len, texts[:-1]), itertools.repeat(1)), initial=0)
        )
        # Each block's anchor, repeated for its mentions: the mentions before block k's end are
        # counted (those starting before its successor does) by a search per block, not one per
        # mention (several times as many).
        mentions_before = [*map(bisect.bisect_left, itertools.repeat(offsets), block_starts[1:]), len(offsets)]
        per_block = map(operator.sub, mentions_before, [0, *mentions_before[:-1]])
        anchor_of = itertools.chain.from_iterable(map(itertools.repeat, anchors, per_block))
        contexts = Sentences(text, separator, block_starts).around_all(offsets, surfaces)
        firsts = _first_flags(ids, seen)
        new_mentions = _make_mentions(zip(ids, surfaces, firsts, anchor_of, contexts, strict=False))
        mentions += new_mentions
        parts[1::2] = new_mentions
        children_of = (
            _cut(parts, bounds, texts, block_starts, mentions_before)
            if len(blocks) > 1
            else [list(filter(None, parts))]
        )
    with_ids = map(dict.fromkeys, itertools.repeat(("id",)), anchors)
    attrs = list(map(_ATTRS, blocks))
    if any(attrs):  # the usual paragraph has none: its attributes are only its id
        with_ids = map(operator.or_, attrs, with_ids)
    return list(map(Element, map(_TAG, blocks), with_ids, children_of))


def _cut(
    parts: list[Node], bounds: list[int], texts: list[str], block_starts: list[int], mentions_before: list[int]
) -> list[list[Node]]:
    """The children of each block (``texts[k]`` starting at ``block_starts[k]`` in the joined
    text), from the ``parts`` of the joined text (``parts[j]`` starting at ``bounds[j]``), given
    how many mentions start before each block's end (the last: all of them).

    Empty strings are left out of a block with mentions; one without keeps its text as it was.
    """
    seps = [start - 1 for start in block_starts[1:]]  # each inside a text piece, never a mention
    # The piece each separator is in (after m mentions, the text piece parts[2m]), and where in
    # it; then the end of the last block, in the last piece.
    where = list(map(operator.mul, mentions_before, itertools.repeat(2)))
    seps.append(bounds[-1])
    out: list[list[Node]] = []
    piece, lo = 0, 0  # the current block starts at parts[piece][lo]
    for text, j, end in zip(texts, where, seps, strict=True):
        at = end - bounds[j]
        if j == piece:  # no mention in the block
            out.append([text])
        else:  # the pieces from the block's first to its last, those two cut at the separators
            children = parts[piece : j + 1]
            children[0] = children[0][lo:]  # type: ignore[index]
            children[-1] = children[-1][:at]  # type: ignore[index]
            out.append(list(filter(None, children)))
        piece, lo = j, at + 1
    return out


_ONLY_CHILD = operator.itemgetter(0)
_TAG = operator.attrgetter("tag")
_ATTRS = operator.attrgetter("attrs")
_CHILDREN = operator.attrgetter("children")


def _annotate_block(anchor: str, block: Element, matcher: Matcher, seen: set[str], mentions: list[Mention]) -> Element:
    """One top-level block annotated by walking its tree (any children: markup, nested blocks)."""
    walker = _BlockAnnotator(matcher, anchor, plain_text(block.children), seen)
    children = walker.children(block.children) if matcher else list(block.children)
    mentions += walker.mentions
    return Element(block.tag, {**block.attrs, "id": anchor}, children)


# What annotate does with each kind of top-level block.
_HEADING, _SINGLE_TEXT, _OTHER = 0, 1, 2


def _only_texts(body: list[Element]) -> list[str] | None:
    """The texts of ``body``'s blocks if every one is a single text and none a heading (the
    usual article, all paragraphs, annotated in one run), else None. Tested with ``map`` and
    sets, at C speed."""
    children = list(map(_CHILDREN, body))
    if not HEADING_TAGS.isdisjoint(map(_TAG, body)) or set(map(len, children)) != {1}:
        return None
    texts = list(map(_ONLY_CHILD, children))
    return texts if set(map(type, texts)) == {str} else None


@functools.lru_cache(maxsize=256)
def _anchors(count: int) -> tuple[str, ...]:
    """The anchors of an article's ``count`` blocks: block i (from 0) has P{i + 1}; headings
    are counted, though they get none. Cached: articles have the same few lengths."""
    return tuple(f"P{index}" for index in range(1, count + 1))


def annotate(article: Article, matcher: Matcher) -> AnnotatedArticle:
    """Return ``article`` with its mentions marked; the input article is not modified."""
    body = article.body
    seen: set[str] = set()
    mentions: list[Mention] = []
    anchors = _anchors(len(body))
    annotating = bool(matcher)
    texts = _only_texts(body) if annotating else None
    if texts is not None:
        return AnnotatedArticle(
            article=article, body=_annotate_run(anchors, body, texts, matcher, seen, mentions), mentions=mentions
        )
    # Else by runs of blocks of one kind: headings (left as they are), single texts (annotated
    # in one run, as above) and the others (each walked alone); with nothing to find, every
    # block is walked (its id added, its children copied).
    kinds = [
        _HEADING
        if block.tag in HEADING_TAGS
        else _SINGLE_TEXT
        if annotating and len(block.children) == 1 and type(block.children[0]) is str
        else _OTHER
        for block in body
    ]
    out: list[Element] = []
    start = 0
    for kind, group in itertools.groupby(kinds):
        end = start + len(list(group))
        if kind == _HEADING:
            out += body[start:end]
        elif kind == _SINGLE_TEXT:
            blocks = body[start:end]
            texts = list(map(_ONLY_CHILD, map(_CHILDREN, blocks)))
            out += _annotate_run(anchors[start:end], blocks, texts, matcher, seen, mentions)
        else:
            out += map(
                _annotate_block,
                anchors[start:end],
                body[start:end],
                itertools.repeat(matcher),
                itertools.repeat(seen),
                itertools.repeat(mentions),
            )
        start = end
    return AnnotatedArticle(article=article, body=out, mentions=mentions)
