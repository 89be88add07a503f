"""Markdown article bodies (``.md`` / ``.markdown``), converted to the sanitised body tree.

Contract:

* The body is Python-Markdown with the ``tables``, ``fenced_code`` and ``sane_lists``
  extensions: paragraphs, ``#`` headings, emphasis, ``code``, fenced/indented code blocks,
  lists, block quotes, tables, ``[links](https://...)``, ``<https://...>`` autolinks, HTML
  entities (``&amp;``) and backslash escapes.
* Raw HTML is **off**: ``<script>`` or ``<b>`` in a body is shown as those characters. The
  result is only ever the tags and attributes in :data:`ALLOWED`; anything else Markdown
  produces is unwrapped (its text kept).
* The page title is the only ``h1``, so a body's ``#`` heading becomes ``h2``; other levels are
  kept (most articles use ``##`` for sections, and shifting those would push them out of the
  table of contents).
* Links keep only absolute ``http``/``https``/``mailto`` targets; any other link
  (``javascript:``, relative paths) is dropped and its text kept.
* A paragraph (or list item, table cell...) whose brackets would make Python-Markdown's link
  parsing quadratic, such as thousands of ``[`` that never close, is kept as literal text: its
  words are all there, its Markdown is not applied. Real prose never comes near the limit.
* Images are never loaded (the site fetches nothing from the internet): ``![alt](src)``
  becomes the text ``[image: alt]`` in ``span.digest-image``, linked to ``src`` when that is
  an ``http(s)`` address.
"""

from __future__ import annotations

import html
import re
import threading
from typing import TYPE_CHECKING

import markdown
from markdown import util as md_util
from markdown.treeprocessors import Treeprocessor

from digest.model import Element, Node
from digest.textformat import collapse_spaces, normalize_text, safe_href, strip_controls

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

#: Tags a Markdown body may produce, and the attributes each may keep.
ALLOWED: dict[str, frozenset[str]] = {
    **{
        tag: frozenset()
        for tag in (
            "p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "li", "table", "thead",
            "tbody", "tr", "em", "strong", "code", "pre", "br", "hr", "del", "sup", "sub",
            "dl", "dt", "dd",
        )
    },
    "ol": frozenset({"start"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "a": frozenset({"href"}),
}  # fmt: skip

# Children of these are blocks, so whitespace-only text between them is layout, not content.
_BLOCK_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "table",
     "thead", "tbody", "tr", "hr", "dl", "dt", "dd", "figure", "div"}
)  # fmt: skip
# These hold only elements (list items, rows, cells), never text of their own.
_ELEMENTS_ONLY = frozenset({"ul", "ol", "table", "thead", "tbody", "tr", "dl"})
_VOID_TAGS = frozenset({"br", "hr"})
_HEADING_SHIFT = {"h1": "h2"}
_ALIGNMENTS = frozenset({"left", "center", "right"})

# A stashed fenced code block, exactly as markdown.extensions.fenced_code writes it.
_FENCED_RE = re.compile(r"<pre[^>]*><code[^>]*>(?P<code>.*)</code></pre>\s*", re.DOTALL)
# Python-Markdown's markers: stashed raw HTML (entities, fenced code), and "&" in automail text
# and hrefs, which it spells as \x02amp\x03 so its serializer will not escape it.
_STASH_RE = md_util.HTML_PLACEHOLDER_RE
_AMP_RE = re.compile(re.escape(md_util.AMP_SUBSTITUTE) + r"(#\d+;|#x[0-9a-fA-F]+;|\w+;)")


# Python-Markdown finds the end of a link's text by scanning forward from every "[" (and the end
# of its target from the "(" after "]"), so a paragraph of 50,000 "[" takes hours (upstream
# issue #798: quadratic, and left as is). The scans are measured before inline parsing, in one
# pass; a text run whose scans would cost more than this many characters per character of
# text (plus a constant, for short runs) is kept as literal text. Real links cost a small
# fraction of one per character, so only pathological runs ever reach the limit.
_SCAN_WORK_PER_CHAR = 10
_SCAN_WORK_CONSTANT = 10_000
_BRACKETS_RE = re.compile(r"[\[\]()]")


def _link_scan_work(text: str) -> int:
    """Characters Python-Markdown's link patterns would scan in ``text`` (an upper estimate).

    From each ``[`` to its matching ``]`` (or the end when it has none), and from each ``(``
    right after a ``]`` to its matching ``)`` (or the end). One pass over the brackets only.
    """
    work = 0
    squares: list[int] = []
    rounds: list[tuple[int, bool]] = []  # (position, opens a link target)
    for match in _BRACKETS_RE.finditer(text):
        at, char = match.start(), match.group()
        if char == "[":
            squares.append(at)
        elif char == "]" and squares:
            work += at - squares.pop()
        elif char == "(":
            rounds.append((at, at > 0 and text[at - 1] == "]"))
        elif char == ")" and rounds:
            start, target = rounds.pop()
            work += at - start if target else 0
    work += sum(len(text) - at for at in squares)
    return work + sum(len(text) - at for at, target in rounds if target)


class _BoundLinkScans(Treeprocessor):
    """Runs before inline parsing: text whose link scans would be quadratic stays literal."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for name in ("text", "tail"):
                text = getattr(el, name)
                if not text or isinstance(text, md_util.AtomicString):
                    continue
                if _link_scan_work(text) > _SCAN_WORK_PER_CHAR * len(text) + _SCAN_WORK_CONSTANT:
                    setattr(el, name, md_util.AtomicString(text))


class _Capture(Treeprocessor):
    """Keeps the finished ElementTree: the tree, not HTML, is what we want from Markdown."""

    root: ET.Element | None = None

    def run(self, root: ET.Element) -> None:
        self.root = root


def _new_markdown() -> tuple[markdown.Markdown, _Capture]:
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists"],
        # align="..." instead of style="text-align: ..."; style attributes are never allowed.
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    # Raw HTML off: without these, "<script>" would be stashed and passed through verbatim.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # Above "inline" (priority 20), which does the link scans.
    md.treeprocessors.register(_BoundLinkScans(md), "digest_bound_link_scans", 25)
    capture = _Capture(md)
    # Below "unescape" (priority 0), so backslash escapes are already resolved in the tree.
    md.treeprocessors.register(capture, "digest_capture", -100)
    return md, capture


class _Converter:
    """Turns Python-Markdown's ElementTree into our sanitised :class:`Element` tree."""

    def __init__(self, md: markdown.Markdown) -> None:
        self.stash = md.htmlStash.rawHtmlBlocks

    # -- text -------------------------------------------------------------------------

    def _stashed(self, index: int) -> list[Node]:
        if index >= len(self.stash):
            return []
        item = self.stash[index]
        raw = item if isinstance(item, str) else "".join(item.itertext())
        if match := _FENCED_RE.fullmatch(raw):
            # fenced_code stores finished HTML; its only escaping is & < > ".
            code = html.unescape(match.group("code")).rstrip("\n")
            return [Element("pre", {}, [Element("code", {}, [code])])]
        # With raw HTML off, everything else stashed is an entity such as "&amp;" or "&#8212;".
        return [html.unescape(raw)]

    def text(self, text: str | None) -> list[Node]:
        """Resolve Markdown's placeholders in a text run; may yield a ``pre`` (fenced code)."""
        if not text:
            return []
        text = _AMP_RE.sub(lambda m: html.unescape("&" + m.group(1)), text)
        nodes: list[Node] = []
        pos = 0
        for match in _STASH_RE.finditer(text):
            nodes.append(text[pos : match.start()])
            nodes.extend(self._stashed(int(match.group(1))))
            pos = match.end()
        nodes.append(text[pos:])
        # strip_controls also removes any other \x02/\x03 marker that was left behind.
        return [strip_controls(n) if isinstance(n, str) else n for n in nodes if n != ""]

    def attr(self, value: str) -> str:
        """An attribute value as a browser would read it (``&amp;`` in a URL means ``&``)."""
        value = _AMP_RE.sub(lambda m: "&" + m.group(1), value)
        value = _STASH_RE.sub(lambda m: "".join(map(str, self._stashed(int(m.group(1))))), value)
        return strip_controls(html.unescape(value))

    # -- elements ---------------------------------------------------------------------

    def children(self, el: ET.Element, in_link: bool) -> list[Node]:
        nodes = self.text(el.text)
        for child in el:
            nodes.extend(self.element(child, in_link))
            nodes.extend(self.text(child.tail))
        return nodes

    def element(self, el: ET.Element, in_link: bool = False) -> list[Node]:
        """Convert one element; returns a list because unwrapped elements yield their children."""
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = _HEADING_SHIFT.get(tag, tag)

        if tag == "img":
            alt = collapse_spaces(self.attr(el.get("alt", "")))
            label = Element("span", {"class": "digest-image"}, [f"[image: {alt}]" if alt else "[image]"])
            src = safe_href(self.attr(el.get("src", "")))
            if src and not in_link and src.lower().startswith(("http://", "https://")):
                return [Element("a", {"href": src}, [label])]
            return [label]

        if tag in ("pre", "code"):
            # Code text is literal and AtomicString: Markdown only HTML-escaped & < > in it.
            code = html.unescape("".join(el.itertext()))
            if tag == "pre":
                return [Element("pre", {}, [Element("code", {}, [strip_controls(code.rstrip("\n"))])])]
            return [Element("code", {}, [strip_controls(code)])]

        if tag == "a":
            href = safe_href(self.attr(el.get("href", "")))
            children = self.children(el, True)
            if href is None or in_link:
                return children  # keep the words, drop the link
            return [Element("a", {"href": href}, _merge(children))]

        children = self.children(el, in_link)
        if tag not in ALLOWED:
            return children  # unknown tag: unwrap
        if tag in _VOID_TAGS:
            return [Element(tag)]

        attrs: dict[str, str] = {}
        if tag == "ol" and (start := el.get("start", "")).isdigit() and start != "1":
            attrs["start"] = str(int(start))
        if tag in ("th", "td") and el.get("align") in _ALIGNMENTS:
            attrs["align"] = el.get("align", "")

        if tag == "p":
            # A fenced code block arrives as a paragraph holding only its placeholder.
            blocks = [n for n in children if not (isinstance(n, str) and not n.strip())]
            if blocks and all(isinstance(n, Element) and n.tag == "pre" for n in blocks):
                return blocks
        if tag in _ELEMENTS_ONLY or any(isinstance(n, Element) and n.tag in _BLOCK_TAGS for n in children):
            children = [n for n in children if not (isinstance(n, str) and not n.strip())]
        return [Element(tag, attrs, _merge(children))]


def _merge(nodes: list[Node]) -> list[Node]:
    """Join adjacent strings, so the tree holds one ``str`` per text run."""
    merged: list[Node] = []
    for node in nodes:
        if isinstance(node, str) and merged and isinstance(merged[-1], str):
            merged[-1] += node
        else:
            merged.append(node)
    return merged


_local = threading.local()


def _markdown() -> tuple[markdown.Markdown, _Capture]:
    """This thread's converter, reset for a new document.

    Building one costs about a fifth of a millisecond (extensions, patterns, processors), a
    good part of reading a short article; ``reset()`` clears what one document leaves behind
    (the raw-HTML stash, link references, extension state) and the capture is emptied here.
    One per thread, because a converter holds the state of the document it is converting.
    """
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = _new_markdown()
    md, capture = converter
    md.reset()
    capture.root = None
    return md, capture


def parse_markdown(body: str) -> list[Element]:
    """Convert a Markdown article body into a list of block elements (see module docstring)."""
    md, capture = _markdown()
    md.convert(normalize_text(body))
    if capture.root is None:  # pragma: no cover - the capture treeprocessor always runs
        return []
    converter = _Converter(md)
    blocks: list[Element] = []
    for node in converter.children(capture.root, False):
        if isinstance(node, Element):
            blocks.append(node)
        elif isinstance(node, str) and node.strip():  # stray top-level text (should not happen): keep it as a paragraph
            blocks.append(Element("p", {}, [node.strip()]))
    return blocks
