"""PyYAML through libyaml's C parser and emitter when PyYAML was built with it.

The pure-Python parser and emitter cost about a third of a millisecond per small document;
with 2,000 glossary entries and 3,000-7,000 generated pages that is most of a second of every
build. The C classes read and write the same YAML: the constructors and resolvers (which
decide what a value *is*) are PyYAML's own Python code in both cases. What differs,
and how callers deal with it:

* Error messages: libyaml words them differently and without the context PyYAML gives. A
  caller that reports a YAML error parses the text again with :data:`PureSafeLoader`, whose
  messages are the ones users see and tests check.
* Acceptance: libyaml reads a tab after a value (``title: Kursk<TAB>``), which PyYAML's
  scanner rejects; such text is read, not reported. A byte-order mark inside the text is read
  differently by the two, so text holding one is always parsed in Python (:func:`c_can_parse`).
  An empty value after an explicit ``? `` key may be placed a line later; no message names it.
  Tags are where the two parsers disagree most (``!`` alone, ``!*a``), and no digest file needs
  one: text that may hold a tag is parsed in Python too.
* Output: the C emitter escapes characters outside the Basic Multilingual Plane
  (``"\\U0001F600"``); PyYAML writes them raw. Both read back as the same string.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["PureSafeLoader", "SafeDumper", "SafeLoader", "c_can_parse", "compose", "dump"]

# A "!" where a node may start: a tag, or something the two parsers may read as one.
_MAYBE_TAG = re.compile(r"(?:^|[\s\[{,])!")

PureSafeLoader = yaml.SafeLoader
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: object) -> str:
    """``data`` as block-style YAML: keys in their given order, Unicode as is, no line folding."""
    return yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=10_000)


def c_can_parse(text: str) -> bool:
    """Whether the C parser reads ``text`` as PyYAML's Python parser would (when both accept it)."""
    return SafeLoader is not PureSafeLoader and "\ufeff" not in text and not _MAYBE_TAG.search(text)


def compose(text: str) -> yaml.Node | None:
    """The node graph of one YAML document (PyYAML's ``compose``), with PyYAML's own errors.

    Any failure of the C parser is answered by parsing again in Python, which raises the error
    users are shown (or, for the rare text only the Python parser accepts, returns its graph).
    """
    if c_can_parse(text):
        try:
            return yaml.compose(text, Loader=SafeLoader)
        except Exception:
            pass
    return yaml.compose(text, Loader=PureSafeLoader)
