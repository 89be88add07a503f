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
        "span": ("class",),
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
# Every ASCII punctuation character, plus the characters HTML cares about.
_MD_ESCAPES = str.maketrans(
    {ch: f"&#{ord(ch)};" for ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"} | {"\n": " ", "\r": " "}
)


def escape_text(text: str) -> str:
    """Escape literal text for an HTML text node inside a raw HTML block (newlines become spaces)."""
    return text.translate(_TEXT_ESCAPES)


def escape_pre(text: str) -> str:
    """Like :func:`escape_text` for ``pre`` content: newlines are kept, as ``&#10;`` references."""
    return text.translate(_PRE_ESCAPES)


def escape_attr(value: str) -> str:
    """Escape a value for a double-quoted HTML attribute."""
    return value.translate(_ATTR_ESCAPES)


def md_text(text: str) -> str:
    """Escape literal text for a Markdown inline context (heading, link label, list item)."""
    return text.translate(_MD_ESCAPES)


def safe_url(url: str) -> str | None:
    """Return ``url`` stripped if it is an absolute http(s) or mailto URL, else ``None``."""
    url = url.strip()
    return url if _SAFE_URL.match(url) else None


def attrs_html(attrs: dict[str, str]) -> str:
    """Render attributes (already chosen by us) as ` name="value"` pairs, values escaped."""
    return "".join(f' {name}="{escape_attr(value)}"' for name, value in attrs.items())


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
