"""A plain reference annotator, for tests/test_annotate.py to compare digest.annotate with.

It states the contract directly: one top-level block at a time, one text node at a time,
``Matcher.find`` (itself checked against a reference in test_matcher.py), a loop per mention,
and the sentence split as a loop over every candidate end. digest.annotate gets the same
result with whole-article passes and list operations; nothing here is used by Digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.annotate import _ABBREVIATIONS, _CONTEXT_LIMIT, _WORD_WINDOW, HEADING_TAGS, SKIPPED_TAGS
from digest.markup import plain_text
from digest.matcher import Matcher
from digest.model import AnnotatedArticle, Article, Element, Mention, Node

# A sentence ends at . ! ? or … (plus closing quotes/brackets), before white space and a
# capital, a digit or an opening quote; a period after a single letter, a dotted word or an
# abbreviation (the last word in the 40 characters before it) does not end one.
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == ".":
            before = text[max(start, match.start() - _WORD_WINDOW) : match.start()].split()
            word = before[-1].lstrip("\"“‘'(") if before else ""
            if len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS:
                continue
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def _whole_words(text: str, lo: int, hi: int, start: int, end: int, keep_from: int, keep_to: int) -> tuple[int, int]:
    """Move a cut inside a word to the nearest white space outward of the mention, if any."""
    if lo > start and not text[lo - 1].isspace() and (first := re.search(r"\s", text[lo:keep_from])):
        lo += first.start()
    if hi < end and not text[hi].isspace():
        spaces = [m.start() for m in re.finditer(r"\s", text[keep_to:hi])]
        hi = keep_to + spaces[-1] if spaces else hi
    return lo, hi


def sentence_around(text: str, offset: int, length: int) -> str:
    """The sentence holding ``offset``, or a window of about 320 characters of it around the mention."""
    start, end = next((a, b) for a, b in reversed(split_sentences(text)) if a <= offset)
    if end - start <= _CONTEXT_LIMIT:
        return text[start:end].strip()
    half = (_CONTEXT_LIMIT - length) // 2
    lo, hi = max(start, offset - half), min(end, offset + length + half)
    lo, hi = _whole_words(text, lo, hi, start, end, offset, offset + length)
    return ("…" if lo > start else "") + text[lo:hi].strip() + ("…" if hi < end else "")


def _walk(nodes: list[Node], block: _Block) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Element):
            if node.tag in SKIPPED_TAGS:
                block.offset += len(plain_text(node.children))
                out.append(node)
            else:
                out.append(Element(node.tag, dict(node.attrs), _walk(node.children, block)))
            continue
        if isinstance(node, Mention):
            block.offset += len(node.text)
            out.append(node)
            continue
        position = 0
        for start, end, entity_id in block.matcher.find(node) if block.matcher else []:
            if start > position:
                out.append(node[position:start])
            surface = node[start:end]
            sentence = sentence_around(block.text, block.offset + start, len(surface))
            mention = Mention(entity_id, surface, entity_id not in block.seen, block.anchor, sentence)
            block.seen.add(entity_id)
            block.mentions.append(mention)
            out.append(mention)
            position = end
        if position < len(node) or not node:
            out.append(node[position:])
        block.offset += len(node)
    return out


@dataclass
class _Block:
    """What the walk of one top-level block needs and tracks."""

    matcher: Matcher
    text: str  # the block's plain text, where sentences are found
    anchor: str
    seen: set[str]  # entities mentioned earlier in the article
    mentions: list[Mention]  # the article's, in reading order
    offset: int = 0  # where the walk is in ``text``


def annotate(article: Article, matcher: Matcher) -> AnnotatedArticle:
    seen: set[str] = set()
    mentions: list[Mention] = []
    body: list[Element] = []
    for index, element in enumerate(article.body, start=1):
        if element.tag in HEADING_TAGS:
            body.append(element)
            continue
        block = _Block(matcher, plain_text(element.children), f"P{index}", seen, mentions)
        body.append(Element(element.tag, {**element.attrs, "id": block.anchor}, _walk(element.children, block)))
    return AnnotatedArticle(article=article, body=body, mentions=mentions)
