"""Scan built HTML for anything that hostile input could have made *live*.

Used by ``tests/test_hostile.py`` on a whole built site (:func:`scan_site`) and on single
pages converted with Python-Markdown (:func:`scan_html`). Every check returns findings, one
line each (``where: what``); an empty list means the HTML is inert. The checks are
deliberately stricter than "does a browser run it": inside article content only the tags and
attributes Digest's renderer and the theme's heading permalinks produce are allowed, so a
payload that sneaks in as *any* markup is found, whether or not it would execute.

What counts as live, anywhere on a page:

* an attribute whose name starts with ``on`` (event handlers), or contains the payload marker;
* a URL attribute (``href``, ``src``, ``action``, ``formaction``, ``xlink:href``, ``data``,
  ``poster``...) whose scheme, after entity-decoding and dropping whitespace and control
  characters, is ``javascript``, ``vbscript`` or ``data``;
* ``iframe``, ``object``, ``embed``, ``frame``, ``frameset``, ``applet``, ``portal``, ``base``,
  and ``meta http-equiv=refresh``;
* a ``form`` other than the theme's search and palette forms, and any form inside content;
* a ``script`` inside article content, a script whose text holds the payload marker, and a
  script ``src`` that is neither one of the theme's own ``assets/javascripts/`` files nor
  Digest's ``assets/digest/digest.js``;
* a ``style`` element or attribute with ``expression(``, ``javascript:``, ``vbscript:``,
  ``-moz-binding`` or ``behavior:`` (and inside content, any ``style`` at all);
* ``svg`` or ``math`` in content (the theme only uses SVG for its own icons), and anywhere an
  ``svg`` holding ``script``, ``foreignObject`` or handler attributes;
* a ``title`` attribute, or the text of a ``.md-ellipsis`` title, that would form markup when
  parsed as HTML: Material's tooltips put both into the page with ``innerHTML``;
* a piece of ``/etc/passwd`` (``root:x:0:0``, ``:/usr/sbin/nologin``...) in any file of the site.

The payload marker (:data:`MARKER`) is in every hostile payload the tests write, so a theme
script that echoed one would be found too.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

#: Every hostile payload in the tests contains this word.
MARKER = "DIGESTPWN"
#: The start of /etc/passwd: if it appears in the site, a file include ran.
PASSWD = "root:x:0:0"
#: Pieces of /etc/passwd that survive Markdown extensions too (``:x:`` becomes an emoji).
PASSWD_MARKERS = (PASSWD, ":/root:", ":/usr/sbin/nologin", ":/bin/false")

#: Attributes whose value is fetched or navigated to.
URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "codebase",
        "cite",
        "srcset",
        "dynsrc",
        "lowsrc",
        "longdesc",
        "usemap",
        "icon",
        "manifest",
        "archive",
        "classid",
        "profile",
        "ping",
        # SVG animation can set href to any of these.
        "from",
        "to",
        "values",
        "by",
    }
)
BAD_SCHEMES = frozenset({"javascript", "vbscript", "data", "livescript"})
BLOCKED_TAGS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "portal", "base"})
BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:", re.IGNORECASE)

#: Tags Digest's renderer writes into article content, plus the theme's ``article`` and ``h1``.
CONTENT_TAGS = frozenset(
    {
        "article",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "a",
        "span",
        "div",
        "dl",
        "dt",
        "dd",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "em",
        "strong",
        "code",
        "pre",
        "del",
        "sup",
        "sub",
        "br",
        "hr",
        "figure",
        "figcaption",
        "blockquote",
        "time",
        "mark",
        "q",
    }
)
#: Attributes allowed on those tags (the renderer's, and the toc permalink's ``title``).
CONTENT_ATTRS = frozenset(
    {
        "id",
        "class",
        "href",
        "title",
        "rel",
        "tabindex",
        "datetime",
        "align",
        "start",
        "data-entity",
        "data-speaker",
        "data-search-exclude",
        # Mentions and their hidden definitions (digest.render): values checked by _aria_findings.
        "aria-describedby",
        "role",
        "hidden",
    }
)
#: The only values Digest's renderer gives those three attributes in content.
_DESCRIBEDBY = re.compile(r"^digest-def-[\w-]+$")
CONTENT_ROLES = frozenset({"term"})
#: Tags Material keeps in the search index text, which its search UI inserts as HTML.
SEARCH_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup", "mark"})
#: Forms the theme itself renders in the header (search box, colour palette toggle).
THEME_FORMS = ("md-search__form", "md-header__option")
# Relative from any page, or root-relative (the 404 page, without site_url).
_SCRIPT_SRC = re.compile(r"^(?:/|(?:\.\./)*|\./)assets/javascripts/[\w.-]+(?:/[\w.-]+)*\.js$")
#: Digest's own script (extra_javascript), by its exact path.
_DIGEST_SCRIPT_SRC = re.compile(r"^(?:/|(?:\.\./)*|\./)assets/digest/digest\.js$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends; dropping
# every control and space character everywhere is stricter.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u3000\ufeff]")


def _soup(text: str) -> BeautifulSoup:
    """Parse HTML; short text that looks like a file name or URL is still HTML here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(text, "html.parser")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in ``value`` (lower case), or ``None`` for a relative URL.

    Entities are decoded repeatedly (``jav&amp;#x61;script:`` counts as ``javascript:``), which is
    stricter than a browser; whitespace and control characters are removed everywhere.
    """
    for _ in range(3):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value))
    return match.group(1).lower() if match else None


def _show(el: Tag) -> str:
    text = str(el)
    text = text if len(text) <= 160 else text[:159] + "…"
    return text.replace("\n", " ")


def _in_content(el: Tag) -> bool:
    return any(parent.name == "article" for parent in [el, *el.parents])


def _classes(el: Tag) -> list[str]:
    value = el.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _attr_findings(el: Tag, where: str) -> list[str]:
    found = []
    for name, raw in el.attrs.items():
        value = " ".join(raw) if isinstance(raw, list) else str(raw)
        lname = name.lower()
        if lname.startswith("on"):
            found.append(f"{where}: event handler attribute {name!r}: {_show(el)}")
        if MARKER.lower() in lname:
            found.append(f"{where}: attribute made from a payload {name!r}: {_show(el)}")
        if lname in URL_ATTRS or lname.endswith(":href"):
            parts = value.split(",") if lname == "srcset" else [value]
            for part in parts:
                scheme = url_scheme(part.strip().split(" ")[0] if lname == "srcset" else part)
                if scheme in BAD_SCHEMES:
                    found.append(f"{where}: {scheme}: URL in {name!r}: {_show(el)}")
        if lname == "style" and BAD_STYLE.search(html.unescape(value)):
            found.append(f"{where}: script in a style attribute: {_show(el)}")
        if lname == "srcdoc":
            found.append(f"{where}: srcdoc attribute: {_show(el)}")
    return found


def _element_findings(el: Tag, where: str, *, content: bool, page: bool) -> list[str]:
    """Findings for one element; ``content`` if it sits in article content."""
    found = _attr_findings(el, where)
    name = el.name.lower()
    if MARKER.lower() in name:
        found.append(f"{where}: element made from a payload <{name}>: {_show(el)}")
    if name in BLOCKED_TAGS:
        found.append(f"{where}: <{name}> element: {_show(el)}")
    if name == "meta" and str(el.get("http-equiv", "")).strip().lower() == "refresh":
        found.append(f"{where}: meta refresh: {_show(el)}")
    if name == "form" and (content or not page or not any(c in _classes(el) for c in THEME_FORMS)):
        found.append(f"{where}: <form> that is not the theme's: {_show(el)}")
    if name == "script":
        text = el.get_text()
        src = el.get("src")
        if content:
            found.append(f"{where}: <script> in article content: {_show(el)}")
        elif MARKER in text:
            found.append(f"{where}: <script> holding a payload: {_show(el)}")
        elif src is not None and not (_SCRIPT_SRC.match(str(src)) or _DIGEST_SCRIPT_SRC.match(str(src))):
            found.append(
                f"{where}: <script src> neither the theme's assets/javascripts/ nor assets/digest/digest.js: {_show(el)}"
            )
    if name == "style" and (content or BAD_STYLE.search(el.get_text())):
        found.append(f"{where}: <style> element {'in article content' if content else 'with script'}: {_show(el)}")
    if name == "svg" and _svg_has_script(el):
        found.append(f"{where}: <svg> with script: {_show(el)}")
    if el.has_attr("title") and forms_markup(str(el["title"])):
        found.append(f"{where}: title that the theme's tooltip would render as markup: {_show(el)}")
    if "md-ellipsis" in _classes(el) and forms_markup(el.get_text()):
        found.append(f"{where}: header/nav text that the theme's tooltip would render as markup: {_show(el)}")
    if content:
        if name not in CONTENT_TAGS and not _theme_icon(el):
            found.append(f"{where}: unexpected <{name}> in article content: {_show(el)}")
        elif name in CONTENT_TAGS:
            extra = sorted(a for a in el.attrs if a.lower() not in CONTENT_ATTRS)
            if extra:
                found.append(f"{where}: unexpected attribute(s) {', '.join(extra)} in article content: {_show(el)}")
            found += _aria_findings(el, where)
    return found


def _aria_findings(el: Tag, where: str) -> list[str]:
    """The renderer's ARIA attributes in content, with anything but the values it writes."""
    found = []
    described = el.get("aria-describedby")
    if described is not None and not (el.has_attr("data-entity") and _DESCRIBEDBY.match(str(described))):
        found.append(f"{where}: aria-describedby that is not a mention's definition: {_show(el)}")
    role = el.get("role")
    if role is not None and not (el.has_attr("data-entity") and str(role) in CONTENT_ROLES):
        found.append(f"{where}: role that the renderer does not write: {_show(el)}")
    if el.has_attr("hidden") and not (el.name == "div" and "digest-definitions" in _classes(el)):
        found.append(f"{where}: hidden element other than the definitions: {_show(el)}")
    return found


def _svg_has_script(el: Tag) -> bool:
    if el.find(["script", "foreignobject", "foreignObject"]) is not None:
        return True
    return any(a.lower().startswith("on") for d in [el, *el.find_all(True)] for a in d.attrs)


def forms_markup(text: str) -> bool:
    """Whether ``text``, assigned to ``innerHTML``, would create any element.

    Material's ``content.tooltips`` does exactly that with ``title`` attributes and with the text
    of truncated ``.md-ellipsis`` titles, so such text must stay text when parsed as HTML.
    """
    return _soup(text).find(True) is not None


def _theme_icon(el: Tag) -> bool:
    """An SVG icon the theme or the emoji extension renders (never from Digest's pages)."""
    if el.name.lower() not in ("svg", "path", "g", "title"):
        return False
    return any({"twemoji", "md-content__button", "md-icon"} & set(_classes(p)) for p in el.parents)


def scan_html(text: str, where: str = "<html>", *, page: bool = True) -> list[str]:
    """Findings for one HTML document.

    ``page=True`` for a whole page built by the theme: theme scripts and forms outside the
    ``article`` are allowed. ``page=False`` for a fragment that is all article content (what
    Python-Markdown makes of one generated page): nothing but content markup is allowed.
    """
    soup = _soup(text)
    found: list[str] = []
    for el in soup.find_all(True):
        found += _element_findings(el, where, content=not page or _in_content(el), page=page)
    if any(marker in text or marker in soup.get_text() for marker in PASSWD_MARKERS):
        found.append(f"{where}: contains a line of /etc/passwd: a local file was included")
    return found


def scan_search_index(path: Path, where: str = "search/search_index.json") -> list[str]:
    """Material's search UI inserts each entry's ``title`` and ``text`` as HTML: check both."""
    found: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    for number, doc in enumerate(data.get("docs", [])):
        label = f"{where} docs[{number}] ({doc.get('location', '')})"
        scheme = url_scheme(str(doc.get("location", "")))
        if scheme is not None:
            found.append(f"{label}: location has a scheme: {doc.get('location')!r}")
        for key in ("title", "text"):
            soup = _soup(str(doc.get(key, "")))
            for el in soup.find_all(True):
                found += _element_findings(el, f"{label} {key}", content=False, page=False)
                if el.name.lower() not in SEARCH_TAGS:
                    found.append(f"{label} {key}: unexpected <{el.name}>: {_show(el)}")
    return found


def scan_site(root: Path) -> list[str]:
    """Findings for every file of a built site (see the module docstring)."""
    root = Path(root)
    found: list[str] = []
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        data = file.read_bytes()
        if file.suffix == ".gz":
            data = gzip.decompress(data)
        included = any(marker.encode() in data for marker in PASSWD_MARKERS)
        if included:
            found.append(f"{rel}: contains a line of /etc/passwd: a local file was included")
        if file.suffix == ".html":
            found += [f for f in scan_html(data.decode("utf-8"), rel) if not (included and "/etc/passwd" in f)]
    index = root / "search" / "search_index.json"
    if index.is_file():
        found += scan_search_index(index)
    return found
