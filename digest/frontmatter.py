"""YAML front matter: the optional metadata block at the top of any article file.

Contract:

* Front matter exists only if the file's first line is ``---``. It runs to the next line that
  is ``---`` or ``...``; the body starts on the line after that fence.
* The block is YAML, read with PyYAML's *safe* loader (plain data only; no Python objects can
  ever be constructed from an article). It must be a mapping of ``field: value`` lines.
* Known fields, all optional: ``title``, ``date``, ``source``, ``author``, ``url``, ``tags``,
  ``summary``, ``slug`` (see :func:`validate_metadata` for what each accepts).
* Nothing here raises for bad input. A broken block, an unknown field or a wrong value is a
  warning :class:`~digest.model.Problem` naming the file and line, and the rest of the article
  is still read.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

import yaml

from digest import fastyaml
from digest.model import Location, Problem
from digest.slugs import slugify
from digest.textformat import collapse_spaces, parse_date, safe_href, strip_controls

#: The fields front matter may contain, in the order the docs list them.
FIELDS: tuple[str, ...] = ("title", "date", "source", "author", "url", "tags", "summary", "slug")
#: Fields of other tools' front matter (Hugo, Jekyll, MkDocs...) that say what ours say: read
#: as ours, so an archive from one of them needs no editing.
ALIASES: dict[str, str] = {"description": "summary", "categories": "tags", "keywords": "tags"}
#: Whether to publish, in other tools' words: ``draft: true`` (Hugo, MkDocs' blog) or
#: ``published: false`` (Jekyll) keeps the article out of the digest (see ``draft`` below).
DRAFT_FIELDS: dict[str, bool] = {"draft": True, "published": False}
#: Fields of other tools about laying out or publishing a page, not about what it says: ignored
#: without a warning (any other unknown field is warned about, as a typo may hide in it).
OTHER_TOOLS_FIELDS = frozenset(
    {
        "layout", "permalink", "weight", "aliases", "lastmod", "type", "toc", "comments", "hide",
        "template", "search", "series", "menu", "image", "images", "featured_image", "thumbnail",
        "sitemap", "publishdate", "expirydate", "math", "share", "sidebar", "nav_order",
    }
)  # fmt: skip

_FENCE = "---"
_CLOSING_FENCES = ("---", "...")


class FrontMatter(dict):  # type: ignore[type-arg]  # a dict[Any, Any], as YAML gives it
    """The parsed front matter mapping, plus where each top-level key sits in the file.

    It is a plain ``dict`` to every caller; :func:`validate_metadata` also reads ``key_lines``
    (field -> 1-based file line, for precise warnings) and ``raw`` (field -> the scalar exactly
    as written, so ``title: 1984`` or ``source: No`` stay text instead of becoming the number
    1984 or the boolean false, which is what YAML 1.1 makes of them).
    """

    def __init__(
        self,
        data: dict[Any, Any] | None = None,
        key_lines: dict[str, int] | None = None,
        raw: dict[str, str] | None = None,
    ) -> None:
        super().__init__(data or {})
        self.key_lines: dict[str, int] = key_lines or {}
        self.raw: dict[str, str] = raw or {}


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that an impossible timestamp stays a string.

    The stock loader raises ``ValueError`` for ``date: 2024-02-30`` (the value *looks* like a
    timestamp), which would throw away the whole block. Kept as a string, it reaches the
    ``date`` check and gets a warning about that one field instead.
    """


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _FastLoader(fastyaml.SafeLoader):  # type: ignore[misc, valid-type]
    """:class:`_SafeLoader` on libyaml's C parser (the same loader when PyYAML has no libyaml)."""


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _parse(loader_class: type, block: str) -> tuple[yaml.Node | None, object]:
    """The node graph of ``block`` and the data it stands for."""
    loader = loader_class(block)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _parse_fast(block: str) -> tuple[yaml.Node | None, object] | None:
    """:func:`_parse` with the C parser; None when it fails for any reason (the caller then
    parses again in Python, whose error messages are the ones to report)."""
    if not fastyaml.c_can_parse(block):
        return None
    try:
        return _parse(_FastLoader, block)
    except Exception:
        return None


def _describe(value: object) -> str:
    """Name a value's kind for a message without ever printing a big structure."""
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text '{_clean(value)[:40]}'"
    return f"a {type(value).__name__}"


def split_front_matter(text: str, path: str) -> tuple[dict[Any, Any], str, int, list[Problem]]:
    """Split ``text`` into (metadata, body, body_first_line_number, problems).

    Without front matter the metadata is empty and the body is the whole text (line 1). The
    metadata is a :class:`FrontMatter` (a ``dict``) as parsed, not yet validated: pass it to
    :func:`validate_metadata`. A block that is not valid YAML or not a mapping is dropped with
    a warning and the body after its closing fence is kept. An opening fence without a closing
    one is not front matter at all: the whole file is body, with a warning.
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        return FrontMatter(), text, 1, []

    closing = next(
        (index for index in range(1, len(lines)) if lines[index].rstrip() in _CLOSING_FENCES),
        None,
    )
    if closing is None:
        message = (
            "front matter opened with '---' on line 1 has no closing '---' line; the whole file is read as body text"
        )
        return FrontMatter(), text, 1, [Problem("warning", Location(path, 1), message)]

    block = "\n".join(lines[1:closing])
    body = "\n".join(lines[closing + 1 :])
    body_line = closing + 2  # fence is 0-based index `closing`, i.e. line closing+1

    parsed = _parse_fast(block)
    if parsed is not None:
        node, data = parsed
    else:  # the C parser failed: the Python one says why, in the words users are shown
        try:
            node, data = _parse(_SafeLoader, block)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # A mark at the end of the stream would point past the block: clamp to its last line.
            line = min(2 + mark.line, closing) if mark is not None else 1
            reason = exc.problem or exc.context or "unreadable"
            message = f"front matter is not valid YAML: {reason}; the block is ignored"
            return FrontMatter(), body, body_line, [Problem("warning", Location(path, line), message)]
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            # ValueError/RecursionError: odd scalars or absurd nesting; still the user's input.
            message = f"front matter is not valid YAML: {exc}; the block is ignored"
            return FrontMatter(), body, body_line, [Problem("warning", Location(path, 1), message)]

    if data is None:  # an empty block: "---\n---"
        return FrontMatter(), body, body_line, []
    if not isinstance(data, dict):
        message = f"front matter must be 'field: value' lines, not {_describe(data)}; it is ignored"
        return FrontMatter(), body, body_line, [Problem("warning", Location(path, 1), message)]

    # Where each key sits, and scalars as written; the node tree is already at hand.
    key_lines: dict[str, int] = {}
    raw: dict[str, str] = {}
    problems: list[Problem] = []
    assert isinstance(node, yaml.MappingNode)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key, line = key_node.value, 2 + key_node.start_mark.line
        if key in key_lines:
            message = f"field '{key}' appears twice; the last value (line {line}) is used"
            problems.append(Problem("warning", Location(path, line), message))
        key_lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            raw[key] = value_node.value
        else:
            raw.pop(key, None)
    return FrontMatter(data, key_lines, raw), body, body_line, problems


def _clean(text: str) -> str:
    # YAML escapes ("\x02", "\ud800") can produce characters the raw file could not carry.
    return collapse_spaces(strip_controls(text))


class _Checker:
    """Validates one field at a time, collecting warnings that point at the field's line."""

    def __init__(self, meta: dict[Any, Any], path: str, line: int) -> None:
        self.path = path
        self.line = line
        self.key_lines: dict[str, int] = getattr(meta, "key_lines", {})
        self.raw: dict[str, str] = getattr(meta, "raw", {})
        self.problems: list[Problem] = []

    def warn(self, field: str, message: str) -> None:
        location = Location(self.path, self.key_lines.get(field, self.line))
        self.problems.append(Problem("warning", location, message))

    def text(self, field: str, value: object) -> str | None:
        """A text field: strings as they are, other scalars as written (``1984``, ``No``)."""
        if isinstance(value, str):
            return _clean(value) or None
        if isinstance(value, (int, float, dt.date)):
            # A scalar YAML typed as something else: the user meant the characters they typed.
            written = self.raw.get(field)
            if written is None and not isinstance(value, bool):
                written = value.isoformat() if isinstance(value, dt.date) else str(value)
            if written is not None:
                return _clean(written) or None
        self.warn(field, f"field '{field}': expected text, got {_describe(value)}; it is ignored")
        return None


def _text_list(check: _Checker, field: str, value: object) -> list[str] | None:
    """Text or a list of text; ``None`` (with a warning) for anything else."""
    if isinstance(value, str):
        text = _clean(value)
        return [text] if text else []
    if not isinstance(value, list):
        check.warn(
            field,
            f"field '{field}': expected text or a list of text, got {_describe(value)}; it is ignored",
        )
        return None
    items: list[str] = []
    for number, item in enumerate(value, start=1):
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            check.warn(
                field,
                f"field '{field}': item {number} is {_describe(item)}, not text; it is ignored",
            )
            continue
        if text := _clean(item):
            items.append(text)
    return items


def validate_metadata(meta: dict[Any, Any], path: str, line: int) -> tuple[dict[str, Any], list[Problem]]:
    """Check and normalise front matter; return (clean fields, warnings).

    Only valid fields are returned, with these types:

    * ``title``, ``source``, ``summary``: ``str``, whitespace collapsed.
    * ``author``: ``str``; a list of names is joined with ", ".
    * ``date``: :class:`datetime.date`, from a YAML date/datetime or a string such as
      ``2024-11-17``, ``2024-11-17T09:30Z``, ``17 November 2024`` or ``November 17, 2024``.
    * ``url``: ``str``, an absolute ``http(s)`` address.
    * ``tags``: ``tuple[str, ...]``, from a list of text or a single text; duplicates dropped.
    * ``slug``: ``str``, passed through :func:`digest.slugs.slugify`.
    * ``draft``: ``True`` when the article is a draft (``draft: true`` or ``published: false``),
      absent otherwise.

    Other tools' fields are read too (:data:`ALIASES`): ``description`` as ``summary`` (when
    there is none), ``categories`` and ``keywords`` as more ``tags``; their layout fields
    (:data:`OTHER_TOOLS_FIELDS`) are ignored without a warning.

    Empty values (``title:``) count as absent. Anything else is dropped with a warning at the
    line of its key (``line``, the opening fence, when key lines are not known). Unknown
    fields are warned about with a "did you mean" suggestion.
    """
    check = _Checker(meta, path, line)
    result: dict[str, Any] = {}

    extra_tags: list[str] = []
    for key, value in meta.items():
        name = str(key)
        if name in OTHER_TOOLS_FIELDS:
            continue
        if name in DRAFT_FIELDS:
            if isinstance(value, bool):
                if value is DRAFT_FIELDS[name]:
                    result["draft"] = True
            elif value is not None:
                check.warn(name, f"field '{name}': expected true or false, got {_describe(value)}; it is ignored")
            continue
        if name in ALIASES:
            if value is None or value == "":
                continue
            if ALIASES[name] == "tags":
                extra_tags += _text_list(check, name, value) or []
            elif "summary" not in meta and (text := check.text(name, value)) is not None:
                result["summary"] = text
            continue
        if name not in FIELDS:
            close = difflib.get_close_matches(name.lower(), FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known fields: {', '.join(FIELDS)})"
            check.warn(name, f"unknown field '{name}'{hint}; it is ignored")
            continue
        if value is None or value == "":
            continue

        if name in ("title", "source", "summary"):
            if (text := check.text(name, value)) is not None:
                result[name] = text
        elif name == "author":
            if isinstance(value, list):
                names = _text_list(check, name, value)
                if names:
                    result[name] = ", ".join(names)
            elif (text := check.text(name, value)) is not None:
                result[name] = text
        elif name == "date":
            if isinstance(value, dt.datetime):
                result[name] = value.date()
            elif isinstance(value, dt.date):
                result[name] = value
            else:
                shown = check.raw.get(name, value) if not isinstance(value, str) else value
                when = parse_date(shown) if isinstance(shown, str) else None
                if when is not None:
                    result[name] = when
                elif isinstance(shown, (str, int, float)):
                    check.warn(
                        name,
                        f"field 'date': cannot read '{_clean(str(shown))}' as a date; "
                        "use YYYY-MM-DD; the article is kept without a date",
                    )
                else:
                    check.warn(
                        name,
                        f"field 'date': expected a date such as 2024-11-17, got "
                        f"{_describe(value)}; the article is kept without a date",
                    )
        elif name == "url":
            if (text := check.text(name, value)) is None:
                continue
            href = safe_href(text)
            if href is not None and href.lower().startswith(("http://", "https://")):
                result[name] = href
            else:
                check.warn(
                    name,
                    f"field 'url': '{text}' is not an http:// or https:// address; it is ignored",
                )
        elif name == "tags":
            tags = _text_list(check, name, value)
            if tags:
                result[name] = tuple(dict.fromkeys(tags))
        elif name == "slug":
            if (text := check.text(name, value)) is None:
                continue
            slug = slugify(text, fallback="")
            if slug:
                result[name] = slug
            else:
                check.warn(name, f"field 'slug': '{text}' has no letters or digits; it is ignored")
    if extra_tags:
        result["tags"] = tuple(dict.fromkeys([*result.get("tags", ()), *extra_tags]))
    return result, check.problems
