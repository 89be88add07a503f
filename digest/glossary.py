"""Load and validate the glossary file (``glossary.yml``) into a :class:`~digest.model.Glossary`.

Contract
--------
* :func:`parse_glossary` is pure: YAML text in, ``(Glossary, problems)`` out. It never raises
  for bad input; every problem with the user's file is returned as a :class:`Problem` value.
* :func:`load_glossary` reads the file (UTF-8, a leading BOM tolerated) and then parses it; a
  missing, unreadable or non-UTF-8 file is a single ``error`` problem and an empty glossary.
* Problems are ``error`` (the build should fail; the caller decides) or ``warning``. *All* of
  them are collected, sorted by line; we never stop at the first one. Entries with an error are
  left out of the returned glossary and valid entries are kept, so later stages still have
  something to work with while the user fixes the file.
* Every message is one line of the shape ``entity 'ATACMS': field 'type': <what is wrong>;
  <how to fix it>`` (``entity #3`` when the entry has no usable name), and its
  :class:`Location` names the file and the 1-based line of the offending YAML node.
* Names, aliases and definitions are stored as plain text with runs of whitespace collapsed to
  one space; nothing is escaped here (renderers escape for their own output context).

The file format::

    entities:
      - id: atacms                 # optional; defaults to slugify(name)
        name: ATACMS               # required
        type: weapon               # required; one of ENTITY_TYPES
        aliases: [Army Tactical Missile System]   # optional list
        definition: One sentence.  # required
        link: https://en.wikipedia.org/wiki/MGM-140_ATACMS   # optional, http(s) only
        case_sensitive: false      # optional; default true
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from digest import fastyaml
from digest.model import ENTITY_TYPES, Entity, Glossary, Location, Problem
from digest.slugs import slugify

# We walk the composed node graph (``yaml.compose``) instead of ``yaml.safe_load`` because
# nodes carry line numbers, keep duplicate keys visible (a loaded dict silently keeps the last
# one) and are never expanded: an alias-bomb stays a small graph of shared nodes.
_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL = _TAG + "str", _TAG + "null", _TAG + "bool"

_TYPES_HINT = "use one of " + ", ".join(ENTITY_TYPES)
#: Accepted spellings that are not in ENTITY_TYPES, mapped to the canonical type.
_TYPE_SYNONYMS = {"organisation": "organization"}

# Links are rendered as hrefs, so only absolute http(s) URLs without whitespace, quotes or
# angle brackets are allowed; this rules out ``javascript:``, ``data:`` and relative paths.
_HTTP_URL = re.compile(r"^https?://[^\s\"'<>`\\]+$", re.IGNORECASE)

_SHOW_MAX = 60


class _Invalid(Exception):
    """A field value is unusable; ``message`` says what is wrong and how to fix it."""

    def __init__(self, message: str, node: yaml.Node | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


@dataclass
class _Sink:
    """Collects problems for one file, each located at a 1-based line."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, level: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(level, Location(self.path, line), message))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _show(value: str, limit: int = _SHOW_MAX) -> str:
    """One-line, shortened copy of user text for use inside a message (messages are one line)."""
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(node: yaml.Node) -> str:
    """How a wrongly-typed value reads to a user: ``the number 42``, ``a list``..."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    kind = {
        _STR: "the text",
        _BOOL: "the true/false value",
        _TAG + "int": "the number",
        _TAG + "float": "the number",
        _TAG + "timestamp": "the date",
    }.get(node.tag)
    if node.tag == _NULL:
        return "empty"
    if kind is None:
        return f"a value tagged {node.tag}"
    return f"{kind} '{_show(node.value)}'"


def _is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _text(node: yaml.Node, empty_hint: str) -> str:
    """The value of a text field, whitespace-collapsed; raises :class:`_Invalid` otherwise."""
    if not isinstance(node, yaml.ScalarNode):
        raise _Invalid(f"must be text, not {_describe(node)}; write a single value after the colon")
    if node.tag == _NULL:
        raise _Invalid(f"empty; {empty_hint}")
    if node.tag != _STR:
        # YAML 1.1 reads ``no``, ``1984`` or ``2024-11-17`` as bool/int/date; quoting fixes it.
        fix = f'put it in quotes: "{_show(node.value)}"' if node.tag.startswith(_TAG) else "remove the tag"
        raise _Invalid(f"must be text, not {_describe(node)}; {fix}")
    text = " ".join(node.value.split())
    if not text:
        raise _Invalid(f"empty; {empty_hint}")
    control = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise _Invalid(f"contains the control character U+{ord(control):04X}; remove it")
    return text


# --- field validators --------------------------------------------------------------------------
# Each takes the value node and returns the clean value, or raises _Invalid (one problem) or
# calls ``report`` (for fields such as ``aliases`` that can have several independent problems).

_Report = Callable[[str, yaml.Node], None]


def _check_name(node: yaml.Node, report: _Report) -> str:
    return _text(node, "every entity needs a name")


def _check_definition(node: yaml.Node, report: _Report) -> str:
    return _text(node, "write one sentence describing the entity")


def _check_type(node: yaml.Node, report: _Report) -> str:
    raw = _text(node, _TYPES_HINT)
    value = _TYPE_SYNONYMS.get(raw.lower(), raw.lower())
    if value not in ENTITY_TYPES:
        raise _Invalid(f"unknown type '{_show(raw)}'; {_TYPES_HINT}")
    return value


def _check_id(node: yaml.Node, report: _Report) -> str:
    hint = "give a slug such as 'atacms', or remove the field to use one made from the name"
    value = _text(node, hint)
    # The id becomes the URL segment entities/<id>/, so it must already be its own slug:
    # silently slugifying it would let two different ids collide on one page.
    if slugify(value, fallback="") != value:
        suggestion = slugify(value, fallback="")
        fix = f"use '{suggestion}'" if suggestion else hint
        raise _Invalid(
            f"'{_show(value)}' is not a valid id; ids may contain only lower-case letters, digits and hyphens, so {fix}"
        )
    return value


def _check_link(node: yaml.Node, report: _Report) -> str:
    hint = "give a full address starting with https://"
    # A text value is checked as written (not whitespace-collapsed): any space makes it invalid.
    is_text = isinstance(node, yaml.ScalarNode) and node.tag == _STR
    value = node.value if is_text else _text(node, hint)
    if not _HTTP_URL.match(value) or not urlsplit(value).netloc:
        raise _Invalid(f"'{_show(value)}' is not an http(s) URL; {hint}")
    return value


def _check_case_sensitive(node: yaml.Node, report: _Report) -> bool:
    if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
        return yaml.constructor.SafeConstructor.bool_values[node.value.lower()]
    raise _Invalid(f"must be true or false (without quotes), not {_describe(node)}")


def _check_aliases(node: yaml.Node, report: _Report) -> list[tuple[str, int]]:
    """A list of (alias, line); every bad item is reported, not just the first."""
    if not isinstance(node, yaml.SequenceNode):
        raise _Invalid("must be a list, e.g. [Alias One, Alias Two]")
    aliases: list[tuple[str, int]] = []
    for number, item in enumerate(node.value, start=1):
        try:
            aliases.append((_text(item, "remove the item or write the alias"), _line(item)))
        except _Invalid as bad:
            report(f"item {number}: {bad.message}", item)
    return aliases


#: The fields an entry may have, in the order they are validated and documented.
_FIELDS: dict[str, Callable[[yaml.Node, _Report], Any]] = {
    "id": _check_id,
    "name": _check_name,
    "type": _check_type,
    "aliases": _check_aliases,
    "definition": _check_definition,
    "link": _check_link,
    "case_sensitive": _check_case_sensitive,
}

#: Required fields and the hint given when one is absent.
_REQUIRED: dict[str, str] = {
    "name": "every entity needs a name",
    "type": _TYPES_HINT,
    "definition": "every entity needs a one-sentence definition",
}


def _suggest(key: str, known: list[str]) -> str | None:
    """The known key that ``key`` is most likely a typo of, if any is close enough."""
    # 0.7 rather than difflib's 0.6: 'title' should not suggest 'entities'.
    match = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.7)
    return match[0] if match else None


# The matcher treats curly single quotes as ``'`` (and lower-cases for case-insensitive
# entries), so clashes are judged on the same keys it matches on.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _exact(surface: str) -> str:
    """Key under which two surfaces match the same text, case-sensitively."""
    return unicodedata.normalize("NFC", surface).translate(_QUOTES)


def _fold(surface: str) -> str:
    """Key under which two surfaces match the same text when case is ignored."""
    return _exact(surface).lower()


@dataclass
class _Claim:
    """A name or alias already taken by an entry (used to report clashes with later entries)."""

    surface: str
    label: str
    line: int
    case_sensitive: bool


@dataclass
class _Entry:
    """One entry while it is being validated: its clean values and the lines they came from."""

    number: int
    node: yaml.Node
    sink: _Sink
    label: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    invalid: set[str] = field(default_factory=set)  # fields whose value had an error

    def __post_init__(self) -> None:
        self.label = f"entity #{self.number}"

    def report(self, level: str, line: int, field_name: str | None, message: str) -> None:
        where = f"field '{_show(field_name)}': " if field_name is not None else ""
        self.sink.add(level, line, f"{self.label}: {where}{message}")
        self.errors += level == "error"


class _Validator:
    """Validates entries in file order, remembering ids and names to detect clashes."""

    def __init__(self, sink: _Sink) -> None:
        self.sink = sink
        self.ids: dict[str, tuple[str, int]] = {}
        self.claims: dict[str, list[_Claim]] = {}

    def entry(self, number: int, node: yaml.Node) -> Entity | None:
        """Validate one entry; return it as an Entity, or None if it has any error."""
        entry = _Entry(number, node, self.sink)
        if not isinstance(node, yaml.MappingNode):
            entry.report(
                "error",
                _line(node),
                None,
                f"must be a mapping of fields such as 'name:', 'type:' and 'definition:', not {_describe(node)}",
            )
            return None
        pairs: list[tuple[yaml.Node, yaml.Node]] = list(node.value)
        # The name is validated first so that every other message can say which entity it is
        # about. With duplicate keys the first occurrence counts (the rest are errors anyway).
        name_node = next((v for k, v in pairs if _key(k) == "name"), None)
        if name_node is not None:
            self._field(entry, "name", name_node)
            if "name" in entry.values:
                entry.label = f"entity '{_show(entry.values['name'])}'"
        first_line: dict[str, int] = {}
        for key_node, value_node in pairs:
            key = _key(key_node)
            if key is None:
                entry.report("error", _line(key_node), None, "a field name must be a plain word such as 'name'")
            elif key in first_line:
                entry.report(
                    "error", _line(key_node), key, f"duplicate field (first at line {first_line[key]}); keep only one"
                )
            elif key not in _FIELDS:
                close = _suggest(key, list(_FIELDS))
                fix = f"did you mean '{close}'?" if close else "known fields are " + ", ".join(_FIELDS)
                entry.report("warning", _line(key_node), key, f"unknown field, ignored; {fix}")
            elif key != "name":
                self._field(entry, key, value_node)
            if key is not None:
                first_line.setdefault(key, _line(key_node))
        for key, hint in _REQUIRED.items():
            if key not in first_line:
                entry.report("error", _line(node), key, f"missing; {hint}")
        if "name" not in entry.values:
            return None  # no surfaces or default id to check, and it cannot be built anyway
        self._tidy_aliases(entry)
        self._check_clashes(entry)
        if entry.errors:
            return None
        values = entry.values
        return Entity(
            id=values["id"],
            name=values["name"],
            type=values["type"],
            definition=values["definition"],
            aliases=tuple(alias for alias, _ in values.get("aliases", ())),
            link=values.get("link"),
            case_sensitive=values.get("case_sensitive", True),
            location=Location(self.sink.path, _line(node)),
        )

    def _field(self, entry: _Entry, key: str, node: yaml.Node) -> None:
        """Run the field's validator; keep the value only if it reported no error."""
        if _is_empty(node) and key not in _REQUIRED:
            # ``link:`` with nothing after it is an unfinished edit, not a broken entry.
            entry.report("warning", _line(node), key, "empty, ignored; give a value or remove the field")
            return
        errors_before = entry.errors

        def report(message: str, bad: yaml.Node) -> None:
            entry.report("error", _line(bad), key, message)

        try:
            value = _FIELDS[key](node, report)
        except _Invalid as bad:
            report(bad.message, bad.node or node)
        else:
            if entry.errors == errors_before:
                entry.values[key] = value
                entry.lines[key] = _line(node)
                return
        entry.invalid.add(key)

    def _tidy_aliases(self, entry: _Entry) -> None:
        """Drop (with a warning) aliases that repeat the name or an earlier alias."""
        if "aliases" not in entry.values:
            return
        same = _exact if entry.values.get("case_sensitive", True) else _fold
        seen = {same(entry.values["name"])}
        kept: list[tuple[str, int]] = []
        for alias, line in entry.values["aliases"]:
            if same(alias) == same(entry.values["name"]):
                entry.report("warning", line, "aliases", f"'{_show(alias)}' repeats the name; remove it")
            elif same(alias) in seen:
                entry.report("warning", line, "aliases", f"'{_show(alias)}' is listed twice; remove one")
            else:
                seen.add(same(alias))
                kept.append((alias, line))
        entry.values["aliases"] = kept

    def _check_clashes(self, entry: _Entry) -> None:
        """Report names/aliases and ids already claimed by an earlier entry, then claim ours.

        Entries are claimed even when they have other errors, so one run reports every clash.
        Two surfaces clash when they are equal, or equal ignoring case if either entry is
        ``case_sensitive: false`` (that entry would match the other's text too).
        """
        values = entry.values
        case_sensitive = values.get("case_sensitive", True)
        surfaces = [("name", values["name"], entry.lines["name"])]
        surfaces += [("aliases", alias, line) for alias, line in values.get("aliases", ())]
        name_clashed = False
        for key, surface, line in surfaces:
            for claim in self.claims.get(_fold(surface), ()):
                exact = _exact(claim.surface) == _exact(surface)
                if exact or not case_sensitive or not claim.case_sensitive:
                    how = "" if claim.surface == surface else f" as '{_show(claim.surface)}'"
                    how += "" if exact else " when case is ignored"
                    entry.report(
                        "error",
                        line,
                        key,
                        f"'{_show(surface)}' is already a name or alias of {claim.label} "
                        f"(line {claim.line}){how}; remove it from one of them",
                    )
                    name_clashed = name_clashed or key == "name"
                    break
        for _, surface, line in surfaces:
            self.claims.setdefault(_fold(surface), []).append(_Claim(surface, entry.label, line, case_sensitive))

        if "id" in entry.invalid:
            return  # the id itself is wrong (already reported); a made-up one would mislead
        explicit = "id" in values
        values.setdefault("id", slugify(values["name"]))
        line = entry.lines["id"] if explicit else _line(entry.node)
        taken = self.ids.get(values["id"])
        # Two entries with the same name already got a clash error above; the id made from
        # that name clashing too is the same mistake, so it is not reported twice.
        if taken and (explicit or not name_clashed):
            made = "" if explicit else " (made from the name)"
            entry.report(
                "error",
                line,
                "id",
                f"id '{values['id']}'{made} is already used by {taken[0]} (line {taken[1]}); "
                "set a different 'id:' on one of them",
            )
        elif not taken:
            self.ids[values["id"]] = (entry.label, line)


def _key(node: yaml.Node) -> str | None:
    """The text of a mapping key, or None for a list/mapping used as a key."""
    return node.value if isinstance(node, yaml.ScalarNode) else None


# --- public API --------------------------------------------------------------------------------


def parse_glossary(text: str, path: str) -> tuple[Glossary, list[Problem]]:
    """Parse and validate glossary YAML ``text``; ``path`` is the display path for messages.

    Pure and total: returns the valid entries (in file order) and every problem found, sorted
    by line. Entries with an error are left out; warnings do not drop anything.
    """
    sink = _Sink(path)
    entries = _entries_node(text.removeprefix("\ufeff"), sink)
    validator = _Validator(sink)
    entities = [validator.entry(n, node) for n, node in enumerate(entries, start=1)]
    problems = sorted(sink.problems, key=lambda p: p.location.line or 0)
    return Glossary(tuple(e for e in entities if e is not None), path), problems


def load_glossary(file: Path, path: str) -> tuple[Glossary, list[Problem]]:
    """Read ``file`` (UTF-8, BOM tolerated) and :func:`parse_glossary` it.

    A missing, unreadable or non-UTF-8 file gives an empty glossary and exactly one error.
    """
    try:
        data = Path(file).read_bytes()
    except FileNotFoundError:
        problem = Problem(
            "error", Location(path), "cannot read the glossary: file not found; create it or fix the path"
        )
        return Glossary((), path), [problem]
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        problem = Problem(
            "error", Location(path), f"cannot read the glossary: {reason}; check the path and permissions"
        )
        return Glossary((), path), [problem]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(
            "error", Location(path, line), f"not valid UTF-8 (byte {exc.start + 1}); save the file as UTF-8"
        )
        return Glossary((), path), [problem]
    return parse_glossary(text, path)


def _entries_node(text: str, sink: _Sink) -> list[yaml.Node]:
    """The nodes of the ``entities:`` list, reporting file-level problems into ``sink``."""
    try:
        root = fastyaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "syntax error"
        if exc.problem and exc.context and exc.problem.startswith("but "):
            # e.g. "expected a single document in the stream, but found another document"
            reason = f"{exc.context}, {exc.problem}"
        reason = _show(reason, limit=200)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        where = f" (column {column})" if column else ""
        sink.add("error", line, f"invalid YAML: {reason}{where}")
        return []
    except yaml.reader.ReaderError as exc:
        # Raised for characters YAML forbids (most control characters); it has no mark.
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        sink.add(
            "error", line, f"invalid YAML: unacceptable character #x{exc.character:04x}: {exc.reason} (column {column})"
        )
        return []
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above carries a mark
        sink.add("error", None, f"invalid YAML: {_show(str(exc))}")
        return []
    except RecursionError:
        sink.add("error", None, "invalid YAML: nested too deeply; flatten the structure")
        return []

    start = "start the file with 'entities:' followed by the list of entries"
    if root is None or _is_empty(root):
        sink.add("error", 1, f"the glossary is empty; {start}")
        return []
    if isinstance(root, yaml.SequenceNode):
        sink.add(
            "error",
            _line(root),
            "the top level is a list, but it must be a mapping with "
            "an 'entities:' list; put 'entities:' above the entries "
            "and indent them under it",
        )
        return []
    if not isinstance(root, yaml.MappingNode):
        sink.add(
            "error",
            _line(root),
            f"the top level must be a mapping with an 'entities:' list, not {_describe(root)}; {start}",
        )
        return []

    entities: yaml.Node | None = None
    first_line = 0
    for key_node, value_node in root.value:
        key = _key(key_node)
        if key == "entities" and entities is None:
            entities, first_line = value_node, _line(key_node)
        elif key == "entities":
            sink.add(
                "error",
                _line(key_node),
                f"duplicate key 'entities' (first at line {first_line}); merge the two lists into one",
            )
        else:
            close = _suggest(key or "", ["entities"])
            fix = "did you mean 'entities'?" if close else "the only top-level key is 'entities'"
            sink.add("warning", _line(key_node), f"unknown top-level key '{_show(key or '?')}', ignored; {fix}")
    if entities is None:
        sink.add("error", _line(root), f"missing 'entities:'; {start}")
        return []
    if _is_empty(entities):
        return []  # ``entities:`` with nothing under it: an empty glossary, which is fine
    if not isinstance(entities, yaml.SequenceNode):
        sink.add(
            "error",
            _line(entities),
            f"'entities' must be a list of entries, not {_describe(entities)}; start each entry with '- name:'",
        )
        return []
    return list(entities.value)
