"""Tests for digest.glossary: one table row per validation rule, plus the real seed glossary."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.glossary import load_glossary, parse_glossary
from digest.model import ENTITY_TYPES, Entity, Glossary, Location, Problem

ROOT = Path(__file__).resolve().parent.parent
SEED_GLOSSARY = ROOT / "seeds" / "glossary.yml"
TYPES = ", ".join(ENTITY_TYPES)
START = "start the file with 'entities:' followed by the list of entries"


def parse(yaml_text: str) -> tuple[Glossary, list[Problem]]:
    return parse_glossary(textwrap.dedent(yaml_text), "g.yml")


def found(yaml_text: str) -> list[tuple[str, int | None, str]]:
    """The problems as (level, line, message) triples, in the order returned."""
    _, problems = parse(yaml_text)
    for problem in problems:
        assert problem.location.path == "g.yml"
        assert "\n" not in problem.message
    return [(p.level, p.location.line, p.message) for p in problems]


# Short names so that each table row reads like "E(line, message)".
def E(line: int, message: str) -> tuple[str, int, str]:
    return ("error", line, message)


def W(line: int, message: str) -> tuple[str, int, str]:
    return ("warning", line, message)


# One row per rule: (id, YAML text, expected problems in order). Line 1 is always ``entities:``
# unless the row is about the top level, so an entry starts on line 2.
RULES = [
    # --- the file as a whole ---------------------------------------------------------------
    (
        "valid-minimal",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
        """,
        [],
    ),
    (
        "yaml-syntax-error",
        """\
        entities:
          - name: ATACMS
            type: weapon
           definition: A missile.
        """,
        [E(4, "invalid YAML: expected <block end>, but found '<block mapping start>' (column 4)")],
    ),
    (
        "yaml-tab-indent",
        "entities:\n\t- name: ATACMS\n",
        [E(2, "invalid YAML: found character '\\t' that cannot start any token (column 1)")],
    ),
    (
        "yaml-control-character",
        "entities:\n  - name: A\x07B\n",
        [E(2, "invalid YAML: unacceptable character #x0007: special characters are not allowed (column 12)")],
    ),
    (
        "yaml-two-documents",
        "entities: []\n---\nentities: []\n",
        [E(2, "invalid YAML: expected a single document in the stream, but found another document (column 1)")],
    ),
    ("empty-file", "", [E(1, f"the glossary is empty; {START}")]),
    ("only-comments", "# nothing yet\n", [E(1, f"the glossary is empty; {START}")]),
    (
        "top-level-list",
        """\
        - name: ATACMS
          type: weapon
          definition: A missile.
        """,
        [
            E(
                1,
                "the top level is a list, but it must be a mapping with an 'entities:' list; "
                "put 'entities:' above the entries and indent them under it",
            )
        ],
    ),
    (
        "top-level-scalar",
        "just some text\n",
        [E(1, f"the top level must be a mapping with an 'entities:' list, not the text 'just some text'; {START}")],
    ),
    (
        "missing-entities-with-typo",
        """\
        entites:
          - name: ATACMS
        """,
        [
            W(1, "unknown top-level key 'entites', ignored; did you mean 'entities'?"),
            E(1, f"missing 'entities:'; {START}"),
        ],
    ),
    (
        "unknown-top-level-key",
        """\
        title: My glossary
        entities: []
        """,
        [W(1, "unknown top-level key 'title', ignored; the only top-level key is 'entities'")],
    ),
    (
        "entities-not-a-list",
        """\
        entities:
          name: ATACMS
        """,
        [E(2, "'entities' must be a list of entries, not a mapping; start each entry with '- name:'")],
    ),
    ("entities-empty-is-fine", "entities:\n", []),
    (
        "entities-twice",
        """\
        entities: []
        entities: []
        """,
        [E(2, "duplicate key 'entities' (first at line 1); merge the two lists into one")],
    ),
    (
        "entry-not-a-mapping",
        """\
        entities:
          - ATACMS
        """,
        [
            E(
                2,
                "entity #1: must be a mapping of fields such as 'name:', 'type:' and 'definition:', "
                "not the text 'ATACMS'",
            )
        ],
    ),
    # --- name ------------------------------------------------------------------------------
    (
        "name-missing",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
          - type: weapon
            definition: A launcher.
        """,
        [E(5, "entity #2: field 'name': missing; every entity needs a name")],
    ),
    (
        "name-empty",
        """\
        entities:
          - name: "  "
            type: weapon
            definition: A missile.
        """,
        [E(2, "entity #1: field 'name': empty; every entity needs a name")],
    ),
    (
        "name-null",
        """\
        entities:
          - name:
            type: weapon
            definition: A missile.
        """,
        [E(2, "entity #1: field 'name': empty; every entity needs a name")],
    ),
    (
        "name-number",
        """\
        entities:
          - name: 1984
            type: term
            definition: A novel.
        """,
        [E(2, "entity #1: field 'name': must be text, not the number '1984'; put it in quotes: \"1984\"")],
    ),
    (
        "name-yaml-boolean",
        """\
        entities:
          - name: no
            type: term
            definition: A word.
        """,
        [E(2, "entity #1: field 'name': must be text, not the true/false value 'no'; put it in quotes: \"no\"")],
    ),
    (
        "name-date",
        """\
        entities:
          - name: 2024-11-17
            type: event
            definition: A day.
        """,
        [
            E(
                2,
                "entity #1: field 'name': must be text, not the date '2024-11-17'; put it in quotes: \"2024-11-17\"",
            )
        ],
    ),
    (
        "name-list",
        """\
        entities:
          - name: [ATACMS, MGM-140]
            type: weapon
            definition: A missile.
        """,
        [E(2, "entity #1: field 'name': must be text, not a list; write a single value after the colon")],
    ),
    (
        "name-custom-tag",
        """\
        entities:
          - name: !shout ATACMS
            type: weapon
            definition: A missile.
        """,
        [E(2, "entity #1: field 'name': must be text, not a value tagged !shout; remove the tag")],
    ),
    (
        "name-control-character",
        """\
        entities:
          - name: "AT\\0ACMS"
            type: weapon
            definition: A missile.
        """,
        [E(2, "entity #1: field 'name': contains the control character U+0000; remove it")],
    ),
    # --- type ------------------------------------------------------------------------------
    (
        "type-missing",
        """\
        entities:
          - name: ATACMS
            definition: A missile.
        """,
        [E(2, f"entity 'ATACMS': field 'type': missing; use one of {TYPES}")],
    ),
    (
        "type-unknown",
        """\
        entities:
          - name: ATACMS
            type: weapons
            definition: A missile.
        """,
        [E(3, f"entity 'ATACMS': field 'type': unknown type 'weapons'; use one of {TYPES}")],
    ),
    # --- definition ------------------------------------------------------------------------
    (
        "definition-missing",
        """\
        entities:
          - name: ATACMS
            type: weapon
        """,
        [E(2, "entity 'ATACMS': field 'definition': missing; every entity needs a one-sentence definition")],
    ),
    (
        "definition-empty",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: ""
        """,
        [E(4, "entity 'ATACMS': field 'definition': empty; write one sentence describing the entity")],
    ),
    # --- aliases ---------------------------------------------------------------------------
    (
        "aliases-scalar",
        """\
        entities:
          - name: ATACMS
            type: weapon
            aliases: Army Tactical Missile System
            definition: A missile.
        """,
        [E(4, "entity 'ATACMS': field 'aliases': must be a list, e.g. [Alias One, Alias Two]")],
    ),
    (
        "aliases-bad-items-all-reported",
        """\
        entities:
          - name: ATACMS
            type: weapon
            aliases:
              - Army Tactical Missile System
              - 140
              - ""
            definition: A missile.
        """,
        [
            E(
                6,
                "entity 'ATACMS': field 'aliases': item 2: must be text, not the number '140'; put it in quotes: \"140\"",
            ),
            E(7, "entity 'ATACMS': field 'aliases': item 3: empty; remove the item or write the alias"),
        ],
    ),
    (
        "alias-repeats-name",
        """\
        entities:
          - name: ATACMS
            type: weapon
            aliases: [ATACMS, MGM-140]
            definition: A missile.
        """,
        [W(4, "entity 'ATACMS': field 'aliases': 'ATACMS' repeats the name; remove it")],
    ),
    (
        "alias-listed-twice",
        """\
        entities:
          - name: ATACMS
            type: weapon
            aliases:
              - MGM-140
              - MGM-140
            definition: A missile.
        """,
        [W(6, "entity 'ATACMS': field 'aliases': 'MGM-140' is listed twice; remove one")],
    ),
    (
        "alias-twice-ignoring-case-when-case-insensitive",
        """\
        entities:
          - name: M1 Abrams
            type: weapon
            aliases: [Abrams tanks, Abrams Tanks]
            case_sensitive: false
            definition: A tank.
        """,
        [W(4, "entity 'M1 Abrams': field 'aliases': 'Abrams Tanks' is listed twice; remove one")],
    ),
    # --- id --------------------------------------------------------------------------------
    (
        "id-not-a-slug",
        """\
        entities:
          - id: ATACMS
            name: ATACMS
            type: weapon
            definition: A missile.
        """,
        [
            E(
                2,
                "entity 'ATACMS': field 'id': 'ATACMS' is not a valid id; ids may contain only lower-case "
                "letters, digits and hyphens, so use 'atacms'",
            )
        ],
    ),
    (
        "id-path-traversal",
        """\
        entities:
          - id: ../etc/passwd
            name: ATACMS
            type: weapon
            definition: A missile.
        """,
        [
            E(
                2,
                "entity 'ATACMS': field 'id': '../etc/passwd' is not a valid id; ids may contain only lower-case "
                "letters, digits and hyphens, so use 'etc-passwd'",
            )
        ],
    ),
    (
        "id-without-any-word-character",
        """\
        entities:
          - id: "!!!"
            name: ATACMS
            type: weapon
            definition: A missile.
        """,
        [
            E(
                2,
                "entity 'ATACMS': field 'id': '!!!' is not a valid id; ids may contain only lower-case letters, "
                "digits and hyphens, so give a slug such as 'atacms', or remove the field to use one made "
                "from the name",
            )
        ],
    ),
    (
        "id-duplicate",
        """\
        entities:
          - id: atacms
            name: ATACMS
            type: weapon
            definition: A missile.
          - id: atacms
            name: MGM-140
            type: weapon
            definition: The same missile.
        """,
        [
            E(
                6,
                "entity 'MGM-140': field 'id': id 'atacms' is already used by entity 'ATACMS' (line 2); "
                "set a different 'id:' on one of them",
            )
        ],
    ),
    (
        "id-duplicate-made-from-names",
        """\
        entities:
          - name: F-16
            type: weapon
            definition: A jet.
          - name: F 16
            type: weapon
            definition: A jet.
        """,
        [
            E(
                5,
                "entity 'F 16': field 'id': id 'f-16' (made from the name) is already used by entity 'F-16' "
                "(line 2); set a different 'id:' on one of them",
            )
        ],
    ),
    # --- link ------------------------------------------------------------------------------
    (
        "link-javascript",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            link: javascript:alert(1)
        """,
        [
            E(
                5,
                "entity 'ATACMS': field 'link': 'javascript:alert(1)' is not an http(s) URL; "
                "give a full address starting with https://",
            )
        ],
    ),
    (
        "link-javascript-mixed-case-leading-spaces",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            link: "  JaVaScRiPt:alert(1)"
        """,
        [
            E(
                5,
                "entity 'ATACMS': field 'link': 'JaVaScRiPt:alert(1)' is not an http(s) URL; "
                "give a full address starting with https://",
            )
        ],
    ),
    (
        "link-leading-space-before-https",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            link: " https://example.org/"
        """,
        [
            E(
                5,
                "entity 'ATACMS': field 'link': 'https://example.org/' is not an http(s) URL; "
                "give a full address starting with https://",
            )
        ],
    ),
    (
        "link-relative",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            link: /wiki/ATACMS
        """,
        [
            E(
                5,
                "entity 'ATACMS': field 'link': '/wiki/ATACMS' is not an http(s) URL; "
                "give a full address starting with https://",
            )
        ],
    ),
    (
        "link-no-host",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            link: https:///wiki
        """,
        [
            E(
                5,
                "entity 'ATACMS': field 'link': 'https:///wiki' is not an http(s) URL; "
                "give a full address starting with https://",
            )
        ],
    ),
    (
        "link-empty-is-a-warning",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            link:
        """,
        [W(5, "entity 'ATACMS': field 'link': empty, ignored; give a value or remove the field")],
    ),
    # --- case_sensitive --------------------------------------------------------------------
    (
        "case-sensitive-quoted",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            case_sensitive: "false"
        """,
        [E(5, "entity 'ATACMS': field 'case_sensitive': must be true or false (without quotes), not the text 'false'")],
    ),
    (
        "case-sensitive-number",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            case_sensitive: 0
        """,
        [E(5, "entity 'ATACMS': field 'case_sensitive': must be true or false (without quotes), not the number '0'")],
    ),
    # --- unknown and duplicate fields ------------------------------------------------------
    (
        "unknown-field-suggestion",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            alias: [MGM-140]
        """,
        [W(5, "entity 'ATACMS': field 'alias': unknown field, ignored; did you mean 'aliases'?")],
    ),
    (
        "unknown-field-no-suggestion",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            colour: red
        """,
        [
            W(
                5,
                "entity 'ATACMS': field 'colour': unknown field, ignored; known fields are "
                "id, name, type, aliases, definition, link, case_sensitive",
            )
        ],
    ),
    (
        "misspelt-required-field",
        """\
        entities:
          - name: ATACMS
            type: weapon
            defintion: A missile.
        """,
        [
            E(2, "entity 'ATACMS': field 'definition': missing; every entity needs a one-sentence definition"),
            W(4, "entity 'ATACMS': field 'defintion': unknown field, ignored; did you mean 'definition'?"),
        ],
    ),
    (
        "duplicate-field",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            type: place
        """,
        [E(5, "entity 'ATACMS': field 'type': duplicate field (first at line 3); keep only one")],
    ),
    (
        "field-name-not-a-word",
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
            [a, b]: c
        """,
        [E(5, "entity 'ATACMS': a field name must be a plain word such as 'name'")],
    ),
    # --- names claimed by two entries ------------------------------------------------------
    (
        "alias-claimed-by-two-entries",
        """\
        entities:
          - name: Vladimir Putin
            type: person
            aliases: [Putin]
            definition: The president of Russia.
          - name: Putin
            type: place
            definition: A made-up town.
        """,
        [
            E(
                6,
                "entity 'Putin': field 'name': 'Putin' is already a name or alias of entity 'Vladimir Putin' "
                "(line 4); remove it from one of them",
            )
        ],
    ),
    (
        "same-name-twice-is-one-error",
        """\
        entities:
          - name: Kyiv
            type: place
            definition: A city.
          - name: Kyiv
            type: place
            definition: A city.
        """,
        [
            E(
                5,
                "entity 'Kyiv': field 'name': 'Kyiv' is already a name or alias of entity 'Kyiv' (line 2); "
                "remove it from one of them",
            )
        ],
    ),
    (
        "clash-ignoring-case-when-either-is-case-insensitive",
        """\
        entities:
          - name: M1 Abrams
            type: weapon
            aliases: [Abrams]
            case_sensitive: false
            definition: A tank.
          - name: Creighton Abrams
            type: person
            aliases: [ABRAMS]
            definition: A general.
        """,
        [
            E(
                9,
                "entity 'Creighton Abrams': field 'aliases': 'ABRAMS' is already a name or alias of entity "
                "'M1 Abrams' (line 4) as 'Abrams' when case is ignored; remove it from one of them",
            )
        ],
    ),
    (
        "no-clash-when-case-differs-and-both-case-sensitive",
        """\
        entities:
          - name: US
            type: place
            definition: A country.
          - id: us-pronoun
            name: Us
            type: term
            definition: A pronoun, capitalised.
        """,
        [],
    ),
    (
        "curly-and-straight-apostrophes-clash",
        """\
        entities:
          - name: North Korea
            type: place
            aliases: [People's Republic]
            definition: A country.
          - name: People’s Republic
            type: term
            definition: A phrase.
        """,
        [
            E(
                6,
                "entity 'People’s Republic': field 'name': 'People’s Republic' is already a name or alias of "
                "entity 'North Korea' (line 4) as 'People's Republic'; "
                "remove it from one of them",
            )
        ],
    ),
    # --- every problem is reported, sorted by line -----------------------------------------
    (
        "all-problems-collected",
        """\
        entities:
          - name: ATACMS
            type: weapons
            aliases: MGM-140
            link: ftp://example.org/
          - type: place
            definition: Somewhere.
        """,
        [
            E(2, "entity 'ATACMS': field 'definition': missing; every entity needs a one-sentence definition"),
            E(3, f"entity 'ATACMS': field 'type': unknown type 'weapons'; use one of {TYPES}"),
            E(4, "entity 'ATACMS': field 'aliases': must be a list, e.g. [Alias One, Alias Two]"),
            E(
                5,
                "entity 'ATACMS': field 'link': 'ftp://example.org/' is not an http(s) URL; "
                "give a full address starting with https://",
            ),
            E(6, "entity #2: field 'name': missing; every entity needs a name"),
        ],
    ),
]


@pytest.mark.parametrize(("yaml_text", "expected"), [row[1:] for row in RULES], ids=[row[0] for row in RULES])
def test_rule(yaml_text: str, expected: list[tuple[str, int, str]]) -> None:
    assert found(yaml_text) == expected


def test_problem_str_names_file_and_line() -> None:
    _, problems = parse(
        """\
        entities:
          - name: ATACMS
            type: weapons
            definition: A missile.
        """
    )
    assert [str(p) for p in problems] == [
        f"g.yml:3: entity 'ATACMS': field 'type': unknown type 'weapons'; use one of {TYPES}"
    ]


def test_valid_entries_are_kept_and_invalid_ones_dropped() -> None:
    glossary, problems = parse(
        """\
        entities:
          - name: ATACMS
            type: weapon
            definition: A missile.
          - name: Broken
            type: nonsense
            definition: Dropped.
          - name: HIMARS
            type: weapon
            definition: A launcher.
            colour: green
        """
    )
    assert [e.name for e in glossary.entities] == ["ATACMS", "HIMARS"]  # a warning drops nothing
    assert [p.level for p in problems] == ["error", "warning"]


def test_values_are_normalised_and_defaults_applied() -> None:
    glossary, problems = parse(
        """\
        entities:
          - name: "Radosław   Sikorski"
            type: Person
            aliases: [Sikorski, "Radoslaw\\tSikorski"]
            definition: >
              Poland's foreign
              minister   <b>& co</b>.
          - id: nato
            name: North Atlantic Treaty Organization
            type: Organisation
            aliases: []
            definition: |
              A military alliance.
            link: HTTPS://en.wikipedia.org/wiki/NATO
            case_sensitive: no
        """
    )
    assert problems == []
    sikorski, nato = glossary.entities
    assert sikorski == Entity(
        id="radosław-sikorski",
        name="Radosław Sikorski",
        type="person",
        definition="Poland's foreign minister <b>& co</b>.",  # plain text: escaping is the renderer's job
        aliases=("Sikorski", "Radoslaw Sikorski"),
        link=None,
        case_sensitive=True,
        location=Location("g.yml", 2),
    )
    assert nato == Entity(
        id="nato",
        name="North Atlantic Treaty Organization",
        type="organization",
        definition="A military alliance.",
        aliases=(),
        link="HTTPS://en.wikipedia.org/wiki/NATO",
        case_sensitive=False,
        location=Location("g.yml", 8),
    )
    assert glossary.path == "g.yml"


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    text = "entities:\n  - name: ATACMS\n    type: weapon\n    definition: A missile.\n"
    assert parse_glossary("\ufeff" + text, "g.yml")[1] == []
    file = tmp_path / "glossary.yml"
    file.write_bytes(b"\xef\xbb\xbf" + text.encode())
    glossary, problems = load_glossary(file, "seeds/glossary.yml")
    assert problems == []
    assert glossary.entities[0].location == Location("seeds/glossary.yml", 2)


def test_load_missing_file_is_one_error(tmp_path: Path) -> None:
    glossary, problems = load_glossary(tmp_path / "nope.yml", "seeds/nope.yml")
    assert glossary == Glossary((), "seeds/nope.yml")
    assert problems == [
        Problem(
            "error", Location("seeds/nope.yml"), "cannot read the glossary: file not found; create it or fix the path"
        )
    ]


def test_load_unreadable_file_is_one_error(tmp_path: Path) -> None:
    glossary, problems = load_glossary(tmp_path, "seeds")  # a directory cannot be read as a file
    assert glossary.entities == ()
    assert len(problems) == 1
    assert problems[0].level == "error"
    assert problems[0].message.startswith("cannot read the glossary: ")


def test_load_non_utf8_file_is_one_error(tmp_path: Path) -> None:
    file = tmp_path / "glossary.yml"
    file.write_bytes(b"entities:\n  - name: Caf\xe9\n")
    glossary, problems = load_glossary(file, "g.yml")
    assert glossary.entities == ()
    assert problems == [Problem("error", Location("g.yml", 2), "not valid UTF-8 (byte 24); save the file as UTF-8")]


def test_alias_bomb_is_not_expanded() -> None:
    # Anchors/aliases stay shared nodes; a "billion laughs" list is rejected, not built.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    lines += ["entities:", "  - name: Bomb", "    type: term", "    definition: Boom.", "    aliases: *a8"]
    _, problems = parse_glossary("\n".join(lines) + "\n", "g.yml")
    assert [p.level for p in problems if p.level == "error"] == ["error"] * 10  # one per bad item
    assert all(len(p.message) < 200 for p in problems)


# Pieces of glossary-shaped YAML (and of broken YAML) that random documents are built from.
FRAGMENTS = st.sampled_from(
    [
        "entities:\n", "  - ", "name: ", "type: ", "id: ", "aliases: ", "definition: ", "link: ",
        "case_sensitive: ", "weapon", "Weapons", "ATACMS", "atacms", "[a, b]", "{a: 1}", "- x", "\n",
        "    ", "\t", ":", "'", '"', "&a ", "*a", "!!str ", "!tag ", "? ", "---\n", "|\n", ">\n",
        "no", "1984", "2024-11-17", "null", "~", "https://example.org", "javascript:x", "\ufeff", "é", "’",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join) | st.text(max_size=200))
def test_parse_is_total_and_messages_are_one_line(text: str) -> None:
    glossary, problems = parse_glossary(text, "g.yml")
    for problem in problems:
        assert problem.level in {"error", "warning"}
        assert problem.location.path == "g.yml"
        assert problem.message and "\n" not in problem.message and "\r" not in problem.message
    for entity in glossary.entities:
        assert entity.type in ENTITY_TYPES
        assert entity.name and entity.definition
    assert len({e.id for e in glossary.entities}) == len(glossary.entities)
    assert all(entity.location is not None and entity.location.line for entity in glossary.entities)


# --- the real seed glossary --------------------------------------------------------------------

# Every entity the seed article names, as a name or alias of some entry.
REQUIRED_SURFACES = [
    "Joe Biden", "Biden",
    "Donald Trump", "Trump",
    "Volodymyr Zelensky", "Zelenskyy", "Zelenskiy", "Zelensky",
    "Vladimir Putin", "Putin", "V. Putin",
    "Richard Grenell", "Grenell",
    "Vladimir Dzhabarov",
    "Andrei Klishas", "Klishas",
    "Alex Plitsas",
    "Radoslaw Sikorski", "Radosław Sikorski", "Sikorski",
    "Ukraine", "Russia",
    "United States", "US", "U.S.", "USA", "Washington", "United States of America",
    "North Korea", "Poland", "Kursk", "Kursk region", "Kyiv", "Kiev",
    "White House", "State Department", "US State Department",
    "TASS", "Atlantic Council", "Federation Council", "Russian upper house",
    "AAP", "social media platform X",
    "ATACMS", "Army Tactical Missile System", "HIMARS",
    "Bradley Fighting Vehicles", "Bradley Fighting Vehicle", "Bradleys",
    "Abrams tanks", "Abrams Tanks", "Abrams", "M1 Abrams",
    "F-16", "F-16s",
    "World War III", "Ukraine-Russia conflict", "president-elect",
]  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> Glossary:
    glossary, problems = load_glossary(SEED_GLOSSARY, "seeds/glossary.yml")
    assert [str(p) for p in problems] == []
    return glossary


def _entity_for(glossary: Glossary, surface: str) -> Entity | None:
    """The entity whose name or alias matches ``surface`` the way the matcher would compare it."""
    for entity in glossary.entities:
        if surface in entity.names:
            return entity
        if not entity.case_sensitive and surface.lower() in {n.lower() for n in entity.names}:
            return entity
    return None


def test_seed_glossary_loads_without_problems(seed: Glossary) -> None:
    assert len(seed.entities) >= 30
    assert len({e.id for e in seed.entities}) == len(seed.entities)


@pytest.mark.parametrize("surface", REQUIRED_SURFACES)
def test_seed_glossary_covers_the_seed_article(seed: Glossary, surface: str) -> None:
    assert _entity_for(seed, surface) is not None, f"no entity is named or aliased {surface!r}"


def test_seed_glossary_avoids_risky_surfaces(seed: Glossary) -> None:
    surfaces = {name for entity in seed.entities for name in entity.names}
    assert "North Korean" not in surfaces  # the adjective is not the state
    assert "X" not in surfaces  # would match every stray capital X
    us = _entity_for(seed, "US")
    assert us is not None
    assert us.case_sensitive  # "us" is an English word


def test_seed_definitions_are_one_sentence(seed: Glossary) -> None:
    for entity in seed.entities:
        text = entity.definition
        assert text.endswith("."), entity.name
        # No sentence break inside: ". " (or "! "/"? ") followed by a capital or a digit.
        assert not re.search(r"[.!?][\"'”’)]?\s+[A-Z0-9]", text[:-1]), entity.name
        assert 20 <= len(text) <= 250, entity.name


def test_seed_links_are_wikipedia(seed: Glossary) -> None:
    for entity in seed.entities:
        if entity.link is not None:
            assert entity.link.startswith("https://en.wikipedia.org/wiki/"), entity.name
    assert sum(entity.link is not None for entity in seed.entities) >= len(seed.entities) - 1
