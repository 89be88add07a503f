"""The annotator as it was before blocks were annotated together (main at 16b9525), kept as
the reference that tests/test_annotate.py compares the current one with. Not used by Digest."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable

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
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])")
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


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences, returned as ``(start, end)`` offsets covering all of it.

    A period after a single letter (``V. Putin``), after a dotted acronym (``U.S.``) or after a
    common abbreviation (``Mr.``, ``Gen.``) does not end a sentence. Linear in ``len(text)``.
    """
    bounds: list[tuple[int, int]] = []
    append = bounds.append
    start = 0
    for match in _SENTENCE_END.finditer(text):
        at, end = match.span()
        if text[at] == ".":
            # Only the word before the period matters; look at a short window, never the whole
            # sentence so far (which would be quadratic on a long line of abbreviations).
            before = text[max(start, at - _WORD_WINDOW) : at].rsplit(None, 1)
            word = before[-1].lstrip("\"“‘'(") if before else ""
            if len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS:
                continue
        append((start, end))
        start = end
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


class Sentences:
    """The sentences of one block's text, to find the context of a mention by its offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds = split_sentences(text)
        self.starts = [start for start, _ in self.bounds]
        # The context of each sentence, shared by its mentions; built on first use. Index i + 1
        # is sentence i (as bisect_right counts), None where a sentence is too long to show whole.
        self._contexts: list[str | None] | None = None

    def around(self, offset: int, length: int) -> str:
        """The sentence holding ``offset``, or a window of it around the mention if very long."""
        start, end = self.bounds[max(0, bisect.bisect_right(self.starts, offset) - 1)]
        if end - start <= _CONTEXT_LIMIT:
            return self.text[start:end].strip()
        # Cut a window from the text directly: slicing the whole sentence for every mention
        # would be quadratic on a megabyte-long line.
        half = (_CONTEXT_LIMIT - length) // 2
        lo, hi = max(start, offset - half), min(end, offset + length + half)
        return ("…" if lo > start else "") + self.text[lo:hi].strip() + ("…" if hi < end else "")

    def around_all(self, offsets: list[int], mentions: list[str]) -> list[str]:
        """``around(offset, len(mention))`` for each mention, sharing each sentence's string."""
        contexts = self._contexts
        if contexts is None:
            text = self.text
            contexts = [text[a:b].strip() if b - a <= _CONTEXT_LIMIT else None for a, b in self.bounds]
            contexts.insert(0, None)
            self._contexts = contexts
        found = list(map(contexts.__getitem__, map(bisect.bisect_right, itertools.repeat(self.starts), offsets)))
        if None in found:  # a long sentence: a window around each of its mentions
            found = [
                context if context is not None else self.around(offset, len(mention))
                for context, offset, mention in zip(found, offsets, mentions, strict=True)
            ]
        return found  # type: ignore[return-value]


# Builds a Mention at C speed from a tuple of its fields (see the note on Mention).
_make_mention = functools.partial(tuple.__new__, Mention)


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
        # `first`: the first mention of an entity in the article. New entities are few, so
        # mark each one's first index rather than test every mention.
        new = set(ids).difference(self.seen)
        firsts: Iterable[bool] = itertools.repeat(False)
        if new:
            firsts = [False] * len(ids)
            for entity_id in new:
                firsts[ids.index(entity_id)] = True
            self.seen.update(new)
        mentions = list(
            map(_make_mention, zip(ids, surfaces, firsts, itertools.repeat(self.anchor), sentences, strict=False))
        )
        self.mentions += mentions
        parts[1::2] = mentions
        return list(filter(None, parts))  # a Mention is a non-empty tuple: only "" goes


def annotate(article: Article, matcher: Matcher) -> AnnotatedArticle:
    """Return ``article`` with its mentions marked; the input article is not modified."""
    seen: set[str] = set()
    body: list[Element] = []
    mentions: list[Mention] = []
    for index, block in enumerate(article.body, start=1):
        if block.tag in HEADING_TAGS:
            body.append(block)
            continue
        anchor = f"P{index}"
        nodes = block.children
        if len(nodes) == 1 and type(nodes[0]) is str:  # the usual paragraph: one text node
            walker = _BlockAnnotator(matcher, anchor, nodes[0], seen)
            children = walker.text_node(nodes[0]) if matcher else [nodes[0]]
        else:
            walker = _BlockAnnotator(matcher, anchor, plain_text(nodes), seen)
            children = walker.children(nodes) if matcher else list(nodes)
        body.append(Element(block.tag, {**block.attrs, "id": anchor}, children))
        mentions.extend(walker.mentions)
    return AnnotatedArticle(article=article, body=body, mentions=mentions)
