"""The C-backed YAML fast paths read and write exactly what PyYAML's Python code does."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import fastyaml
from digest.frontmatter import split_front_matter
from digest.render import front_matter

# Text as articles and glossaries give it: any character YAML can carry, astral ones included.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
SCALARS = st.one_of(TEXT, st.booleans(), st.integers(), st.none(), st.dates())
VALUES = st.one_of(SCALARS, st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2))


def test_c_classes_are_in_use_when_pyyaml_has_libyaml() -> None:
    assert (fastyaml.SafeLoader is yaml.CSafeLoader) == yaml.__with_libyaml__
    assert (fastyaml.SafeDumper is yaml.CSafeDumper) == yaml.__with_libyaml__


@settings(max_examples=400)
@given(st.dictionaries(TEXT, VALUES, max_size=5))
def test_dump_reads_back_as_the_same_data_in_pure_python(data: dict) -> None:
    # MkDocs reads the front matter we write with PyYAML's Python loader.
    assert yaml.load(fastyaml.dump(data), Loader=yaml.SafeLoader) == (data or {}) or data == {}


@settings(max_examples=300)
@given(title=TEXT.filter(lambda t: t.strip()), description=TEXT)
def test_front_matter_block_round_trips(title: str, description: str) -> None:
    text = front_matter(title=title, description=description)
    meta, body, _line, problems = split_front_matter(text + "Body.\n", "page.md")
    assert (dict(meta), body, problems) == ({"title": title, "description": description}, "Body.\n", [])


def yaml_ish() -> st.SearchStrategy[str]:
    """Lines that are often valid YAML and sometimes subtly not."""
    pieces = st.sampled_from(
        [
            "title: ",
            "date: ",
            "tags:",
            "- ",
            "  ",
            "'",
            '"',
            ":",
            "#",
            "{",
            "}",
            "[",
            "]",
            ",",
            "2024-02-30",
            "\t",
            "\n",
            "\ufeff",
            "&a ",
            "*a",
            "!!str ",
            "!",
            "? ",
            "|\n",
            ">-\n",
            "...\n",
            "---\n",
            "%YAML 1.1\n",
        ]
    )
    return st.lists(st.one_of(pieces, TEXT), max_size=12).map("".join)


@settings(max_examples=500)
@given(yaml_ish())
def test_fast_compose_agrees_with_pure_python(text: str) -> None:
    try:
        expected = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception as error:  # the fast path must raise PyYAML's own error
        try:
            fastyaml.compose(text)
        except Exception as fast_error:
            assert (type(fast_error), str(fast_error)) == (type(error), str(error))
        else:  # the one documented leniency: libyaml reads a tab after a value
            assert "\t" in text, f"C parser accepted what PyYAML rejects: {text!r}"
        return
    assert repr_nodes(fastyaml.compose(text)) == repr_nodes(expected)


def repr_nodes(node: yaml.Node | None) -> object:
    """A node graph as plain data: tags, values and start lines (what the glossary reads).

    An empty scalar has no line of its own: after an explicit ``? `` key at the end of the text,
    libyaml places it on the next line, PyYAML on the key's. Messages never point at one.
    """
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.start_mark.line if node.value else None)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [repr_nodes(n) for n in node.value], node.start_mark.line)
    return (node.tag, [(repr_nodes(k), repr_nodes(v)) for k, v in node.value], node.start_mark.line)


@settings(max_examples=500)
@given(yaml_ish())
def test_front_matter_fast_path_agrees_with_pure_python(block: str) -> None:
    from digest import frontmatter

    fast = frontmatter._parse_fast(block)
    try:
        node, data = frontmatter._parse(frontmatter._SafeLoader, block)
    except Exception:
        return  # the caller then parses in Python: the outcome is PyYAML's by construction
    if fast is not None:
        assert (repr_nodes(fast[0]), fast[1]) == (repr_nodes(node), data)
