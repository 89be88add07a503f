"""Escaping and serialisation: the only place where user text becomes page source.

Two output contexts exist in a generated page, and each has its own escaper:

* **raw HTML blocks** (:func:`escape_text`, :func:`escape_attr`, :func:`to_html`). Python-Markdown
  passes a block that starts with a block-level tag through untouched, so text there is never
  read as Markdown; only ``&``, ``<``, ``>`` and quotes need escaping. We also encode ``{`` and
  ``}`` so template syntax (``{{ ... }}``) can never be expanded by a theme or a macro plugin, and
  newlines, so that no line of a generated file ever *starts* with user text (line-based
  preprocessors such as ``pymdownx.snippets`` only act on a line's start).
* **Markdown inline text** (:func:`md_text`) for headings and link labels: every ASCII punctuation
  character becomes a numeric character reference, so no Markdown or extension syntax
  (emphasis, links, ``{: attr_list }``, ``==mark==``, ``:emoji:``...) can form from user text.

One more hazard lies beyond the page source: Material's ``content.tooltips`` (which Digest
requires) shows an element's ``title`` by assigning it to ``innerHTML``, and does the same with the
text of a header title or table-of-contents entry too long to fit. Text that reaches a ``title``
attribute or a page title goes through :func:`inert_text` first, and :func:`md_text` (headings)
does the same, so the theme can never turn it into markup.

Body trees are serialised by :func:`to_html`, which renders only the tags and attributes in
:data:`ALLOWED`; anything else is unwrapped (its text kept), so a malformed tree can lose markup
but never introduce it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from digest.model import Mention, Node

#: Tags a body tree may contain, with the attributes each may carry.
ALLOWED: dict[str, frozenset[str]] = {
    tag: frozenset(attrs)
    for tag, attrs in {
        "p": ("id", "class"),
        "h2": ("id",),
        "h3": ("id",),
        "h4": ("id",),
        "h5": ("id",),
        "h6": ("id",),
        "blockquote": ("id", "class"),
        "ul": ("id",),
        "ol": ("id", "start"),
        "li": (),
        "dl": ("id",),
        "dt": (),
        "dd": (),
        "table": ("id",),
        "thead": (),
        "tbody": (),
        "tr": (),
        "th": ("align",),
        "td": ("align",),
        "em": (),
        "strong": (),
        "code": (),
        "pre": ("id",),
        "del": (),
        "sup": (),
        "sub": (),
        "a": ("href",),
        "br": (),
        "hr": (),
        "figure": ("id", "class"),
        "figcaption": (),
        "span": ("class", "title", "data-speaker"),
        "time": ("datetime",),
        "div": ("id", "class"),
    }.items()
}

_VOID = frozenset({"br", "hr"})
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)[^\s\"'<>`]*$", re.IGNORECASE)

_TEXT_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "\n": " ", "\r": " "}
)
_PRE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "\n": "&#10;", "\r": ""}
)
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "{": "&#123;",
        "}": "&#125;",
        "\n": "&#10;",
        "\r": "",
    }
)
# Every ASCII punctuation character, plus the characters HTML cares about. "<" also gets the
# WORD JOINER of inert_text: headings reach the theme's table of contents, whose truncated
# entries Material re-reads as HTML.
_MD_ESCAPES = str.maketrans(
    {ch: f"&#{ord(ch)};" for ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"} | {"\n": " ", "\r": " ", "<": "&#60;\u2060"}
)


# The characters each escaper changes. Most strings hold none of them, and a regex search says
# so several times faster than str.translate with a dict table, which looks up every character.
_TEXT_SPECIAL = re.compile("[&<>{}\n\r]")
_ATTR_SPECIAL = re.compile("[&<>\"'{}\n\r]")


def escape_text(text: str) -> str:
    """Escape literal text for an HTML text node inside a raw HTML block (newlines become spaces)."""
    return text.translate(_TEXT_ESCAPES) if _TEXT_SPECIAL.search(text) else text


def escape_pre(text: str) -> str:
    """Like :func:`escape_text` for ``pre`` content: newlines are kept, as ``&#10;`` references."""
    return text.translate(_PRE_ESCAPES) if _TEXT_SPECIAL.search(text) else text


def escape_attr(value: str) -> str:
    """Escape a value for a double-quoted HTML attribute."""
    return value.translate(_ATTR_ESCAPES) if _ATTR_SPECIAL.search(value) else value


# A "<" not yet followed by a WORD JOINER (U+2060): zero-width, invisible, and not a letter, so
# "<" followed by it opens no tag.
_TAG_START = re.compile("<(?!\u2060)")


def inert_text(text: str) -> str:
    """Make text that the theme may read back *as HTML* unable to form a tag.

    Apply before the escaper of the output context: ``escape_attr(inert_text(definition))``.
    Material puts a ``title`` attribute (tooltips) and the text of a truncated header title into
    the page with ``innerHTML``, so a definition or headline holding ``<img src=x onerror=...>``
    would run as script on hover. A WORD JOINER after every ``<`` leaves the text looking the
    same, while an HTML parser reads that ``<`` as a character (a tag needs a letter after it).
    Idempotent; :func:`attrs_html` applies it to every ``title``.
    """
    return _TAG_START.sub("<\u2060", text)


def md_text(text: str) -> str:
    """Escape literal text for a Markdown inline context (heading, link label, list item).

    The result is also inert (see :func:`inert_text`): a heading's text reaches the table of
    contents, which the theme may re-read as HTML.
    """
    return text.translate(_MD_ESCAPES)


def safe_url(url: str) -> str | None:
    """Return ``url`` stripped if it is an absolute http(s) or mailto URL, else ``None``."""
    url = url.strip()
    return url if _SAFE_URL.match(url) else None


def attrs_html(attrs: dict[str, str]) -> str:
    """Render attributes (already chosen by us) as ` name="value"` pairs, values escaped.

    A ``title`` is also made inert (:func:`inert_text`): the theme's tooltips show it as HTML.
    """
    return "".join(
        f' {name}="{escape_attr(inert_text(value) if name == "title" else value)}"' for name, value in attrs.items()
    )


MentionRenderer = Callable[[Mention], str]


def to_html(nodes: Iterable[Node], render_mention: MentionRenderer, *, in_pre: bool = False) -> str:
    """Serialise body nodes to one line of HTML.

    ``render_mention`` turns each :class:`Mention` into HTML (the caller decides links and
    tooltips). Tags outside :data:`ALLOWED` are unwrapped, attributes outside it dropped, and
    ``href`` values that are not http(s)/mailto URLs drop the link (its text is kept).
    """
    return "".join(_node_html(node, render_mention, in_pre) for node in nodes)


def _node_html(node: Node, render_mention: MentionRenderer, in_pre: bool) -> str:
    if isinstance(node, str):
        return escape_pre(node) if in_pre else escape_text(node)
    if isinstance(node, Mention):
        return render_mention(node)
    inner_pre = in_pre or node.tag == "pre"
    allowed = ALLOWED.get(node.tag)
    attrs = {k: v for k, v in node.attrs.items() if allowed is not None and k in allowed}
    if "href" in attrs:
        href = safe_url(attrs["href"])
        if href is None:
            allowed = None  # unwrap: keep the text, lose the link
        else:
            attrs["href"] = href
    inner = to_html(node.children, render_mention, in_pre=inner_pre)
    if allowed is None:
        return inner
    if node.tag in _VOID:
        return f"<{node.tag}{attrs_html(attrs)}>"
    return f"<{node.tag}{attrs_html(attrs)}>{inner}</{node.tag}>"


def plain_text(nodes: Iterable[Node]) -> str:
    """The text content of nodes, as a reader would see it (no markup)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, Mention):
            parts.append(node.text)
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)
