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
import re

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
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == ".":
            # Only the word before the period matters; look at a short window, never the whole
            # sentence so far (which would be quadratic on a long line of abbreviations).
            before = text[max(start, match.start() - _WORD_WINDOW) : match.start()].split()
            word = before[-1].lstrip("\"“‘'(") if before else ""
            if len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS:
                continue
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


class Sentences:
    """The sentences of one block's text, to find the context of a mention by its offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds = split_sentences(text)
        self.starts = [start for start, _ in self.bounds]

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


class _BlockAnnotator:
    """Walks one top-level block, tracking the offset into the block's plain text."""

    def __init__(self, matcher: Matcher, anchor: str, text: str, seen: set[str]) -> None:
        self.matcher = matcher
        self.anchor = anchor
        self.sentences = Sentences(text)
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
        matches = self.matcher.find(text)
        if not matches:
            self.offset += len(text)
            return [text]
        out: list[Node] = []
        position = 0
        for start, end, entity_id in matches:
            if start > position:
                out.append(text[position:start])
            surface = text[start:end]
            mention = Mention(
                entity_id=entity_id,
                text=surface,
                first=entity_id not in self.seen,
                anchor=self.anchor,
                sentence=self.sentences.around(self.offset + start, len(surface)),
            )
            self.seen.add(entity_id)
            self.mentions.append(mention)
            out.append(mention)
            position = end
        if position < len(text):
            out.append(text[position:])
        self.offset += len(text)
        return out


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
        walker = _BlockAnnotator(matcher, anchor, plain_text(block.children), seen)
        children = walker.children(block.children) if matcher else list(block.children)
        body.append(Element(block.tag, {**block.attrs, "id": anchor}, children))
        mentions.extend(walker.mentions)
    return AnnotatedArticle(article=article, body=body, mentions=mentions)
