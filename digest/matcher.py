"""Find glossary mentions in text: one Aho-Corasick pass for the whole glossary.

Contract of :meth:`Matcher.find` (each rule has a row in ``tests/test_matcher.py``):

1. Every occurrence of an entity's name or alias is found, in one pass over the text for the
   whole glossary (a single automaton over every surface, never one search per term).
2. Whole words, Unicode-aware: a match is rejected if the character just before it and its own
   first character are both word characters, or likewise at its end. A word character is
   alphanumeric, ``_`` or a combining mark. An edge that is punctuation (``C++``, ``U.S.``) has
   no boundary requirement.
3. Possessives count: ``Russia's`` / ``Ukraine’s`` mention the entity; ``'s`` stays outside.
4. A hyphen is a boundary: ``US-made`` mentions ``US``.
5. Case-sensitive by default; ``Entity.case_sensitive=False`` matches any case. Either way,
   ``’``/``‘`` equal ``'`` and any whitespace (newline, NBSP, tab) equals a space, so a name
   broken across lines still matches.
6. Longest match wins, leftmost first: the result is non-overlapping and sorted by start.
7. Names are literal text (``F-16``, ``(Hamas)``, regex metacharacters).
8. When two entities claim the same surface, the first one in glossary order wins.
9. Empty text, no matches, one-character names and an empty glossary all work.

How (for speed; see ``find``): the automaton runs over an *index fold* of the text, the same
length as the text, in which every word character is lowercased and every other character is a
space. A surface that starts with a word character is stored with a leading space, so the
automaton itself enforces the start boundary and never reports the (very common) hits inside
longer words. Because the index fold forgets which punctuation or case the text had, a hit is
then verified against the original text whenever that matters (rule 5's exact fold).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import NamedTuple

import ahocorasick

from digest.model import Entity

__all__ = ["Match", "Matcher"]


class Match(NamedTuple):
    """One mention: ``text[start:end]`` refers to the entity ``entity_id``."""

    start: int
    end: int  # exclusive
    entity_id: str


def _is_word_char(ch: str) -> bool:
    """Rule 2's word character: alphanumeric, underscore or a combining mark."""
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def _lower1(ch: str) -> str:
    """``ch.lower()`` when that is one character, else ``ch`` (keeps offsets valid: 'İ')."""
    low = ch.lower()
    return low if len(low) == 1 else ch


# --- the exact fold of rule 5 (used to verify hits, on short strings only) ------------------

# Every character for which str.isspace() is true lives below U+3001.
_SPACES = tuple(chr(i) for i in range(0x3001) if chr(i).isspace() and i != 0x20)
_LIGHT_TABLE = {ord(ch): " " for ch in _SPACES} | {0x2018: "'", 0x2019: "'"}
# Final sigma is the one character whose str.lower() depends on context ("ΣΑΣ".lower() ends
# in "ς" but "ΣΑΣ’s".lower() does not), so "ς" folds to "σ": a per-character map, context-free.
_FOLD_TABLE = _LIGHT_TABLE | {0x03C2: "σ"}


def _fold(text: str) -> str:
    """Rule 5's case-insensitive fold: per character lowercase (length-preserving), ’‘ to ',
    whitespace to a space, ς to σ."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(map(_lower1, text))
    return low.translate(_FOLD_TABLE)


# --- the index fold the automaton runs over -------------------------------------------------


def _index_char(ch: str) -> str:
    """One character of the index fold: a word character lowercased (ς as σ), else a space."""
    if not _is_word_char(ch):
        return " "
    low = _lower1(ch)
    return "σ" if low == "ς" else low


_ASCII = bytes(range(128))
# bytes.translate table: the index fold of each ASCII byte; UTF-8 bytes >= 0x80 unchanged.
_ASCII_INDEX = bytes(ord(_index_char(chr(i))) for i in range(128)) + bytes(range(128, 256))


def _alternation(chars: Iterable[str]) -> re.Pattern[bytes]:
    # UTF-8 is prefix-free, so a plain alternation of the encodings never matches mid-character.
    return re.compile(b"|".join(re.escape(ch.encode("utf-8", "surrogatepass")) for ch in sorted(chars)))


@functools.lru_cache(maxsize=1024)
def _non_ascii_plan(
    chars: frozenset[str],
) -> tuple[re.Pattern[bytes] | None, re.Pattern[bytes] | None, Callable[[re.Match[bytes]], bytes]]:
    """How to index-fold UTF-8 text whose non-ASCII characters are ``chars``.

    Returns (pattern of the characters that become a space, pattern of those that change
    otherwise, replacement function for the latter); a pattern is None when it has nothing to do.
    Cached because the same few sets (curly quotes, dashes) come back paragraph after paragraph.
    """
    folded = {ch: _index_char(ch) for ch in chars}
    spaces = [ch for ch, to in folded.items() if to == " "]
    others = {
        ch.encode("utf-8", "surrogatepass"): to.encode("utf-8") for ch, to in folded.items() if to not in (" ", ch)
    }
    return (
        _alternation(spaces) if spaces else None,
        _alternation(ch.decode("utf-8", "surrogatepass") for ch in others) if others else None,
        lambda match: others[match.group()],
    )


def _index_fold(text: str) -> str:
    """``" " + index fold of text + " "``: same length as ``text`` plus the two pads.

    Works on UTF-8 bytes because ``str.translate`` on non-ASCII text does a dict lookup per
    character (~17 MB/s), while ``bytes.translate`` and a regex over the few distinct non-ASCII
    characters present (curly quotes, dashes, accented capitals) run at C speed.
    """
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_INDEX)
    if not text.isascii():
        # Deleting every ASCII byte leaves whole UTF-8 sequences: the non-ASCII characters.
        chars = frozenset(data.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
        spaces, others, replace = _non_ascii_plan(chars)
        if spaces is not None:
            data = spaces.sub(b" ", data)
        if others is not None:
            data = others.sub(replace, data)
    return b"".join((b" ", data, b" ")).decode("utf-8", "surrogatepass")


# How a candidate surface is checked against the original slice once the automaton has hit it.
_ALWAYS = 0  # case-insensitive, all word characters: the index fold is already the exact fold
_EXACT = 1  # case-sensitive, no space or apostrophe: slice == surface
_LIGHT = 2  # case-sensitive: equal after the apostrophe/whitespace fold
_FOLD = 3  # case-insensitive with punctuation or spaces: equal after the full fold (rule 5)

_Check = tuple[str, int, str, str]  # (surface, mode, surface folded for the mode, entity id)
_Group = tuple[int, tuple[_Check, ...]]  # (surface length, checks in glossary order)
# Automaton value: (length, ends in a word char, entity id, surface, light surface or groups).
_Value = tuple[int, bool, str | None, str | None, "str | tuple[_Group, ...] | None"]

_new_tuple = tuple.__new__  # Match(...) runs a Python-level __new__; this does not


def _passes(piece: str, surface: str, mode: int, folded: str) -> bool:
    """Whether the slice ``piece`` of the text, hit by the automaton, really is ``surface``."""
    if mode == _ALWAYS or piece == surface:
        return True
    if mode == _LIGHT:
        return piece.translate(_LIGHT_TABLE) == folded
    return mode == _FOLD and _fold(piece) == folded


def _make_room(found: list[Match], start: int) -> bool:
    """Keep ``found`` the leftmost-longest selection when a new hit starting at ``start`` overlaps it.

    Hits arrive by ascending end, so the new hit overlaps a tail of the kept ones. If the first
    of those starts before it, that one stays and the new hit is dropped: return False. Otherwise
    the new hit starts no later and ends no earlier than each of them, so it beats them all: drop
    them and return True. Nothing they had blocked comes back: it started after one of them and
    ended no later than the new hit, so it lies inside the new hit.
    """
    i = len(found) - 1
    while i and found[i - 1].end > start:
        i -= 1
    if found[i].start < start:
        return False
    del found[i:]
    return True


class _FoldScan:
    """The general algorithm: an Aho-Corasick automaton over the index fold, hits verified.

    Handles every surface (any case rule, any character); :class:`Matcher` uses it for the
    surfaces and texts its regular expression does not cover, and as the reference fallback.
    """

    def __init__(self, surfaces: Iterable[tuple[str, str, bool]]) -> None:
        """``surfaces``: ``(surface, entity id, case_sensitive)`` in glossary order, none empty."""
        # automaton key -> [(surface, entity id, case_sensitive)] in glossary order. Surfaces
        # share a key when they differ only in case or punctuation ("F-16", "F 16"), and even
        # in length: ".NET" and the padded "NET" are both " net".
        by_key: dict[str, list[tuple[str, str, bool]]] = {}
        for surface, entity_id, case_sensitive in surfaces:
            key = _index_fold(surface)[1:-1]
            if _is_word_char(surface[0]):
                key = " " + key  # the start boundary, matched by the automaton itself
            by_key.setdefault(key, []).append((surface, entity_id, case_sensitive))

        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for key, candidates in by_key.items():
            self._automaton.add_word(key, self._compile(candidates))
        self._empty = not by_key
        if not self._empty:
            self._automaton.make_automaton()

    @staticmethod
    def _compile(candidates: list[tuple[str, str, bool]]) -> _Value:
        """The automaton value of one key: ``(length, last_word, id, surface, extra)``.

        Three shapes, from the cheapest to check in ``find`` to the rarest:

        - ``id`` set, ``surface`` None: the key alone proves the match (case-insensitive word).
        - ``id`` and ``surface`` set: one case-sensitive candidate; the slice must equal
          ``surface``, or else light-fold to ``extra`` if that is not None.
        - ``id`` None: ``extra`` holds groups of checks by surface length, longest first, for
          ``_passes``; in each group the first candidate that passes wins (rule 8).
        """
        by_length: dict[int, list[_Check]] = {}
        seen: set[tuple[int, int, str]] = set()
        for surface, entity_id, case_sensitive in candidates:
            if not case_sensitive:
                if all(map(_is_word_char, surface)):
                    mode, folded = _ALWAYS, surface
                else:
                    mode, folded = _FOLD, _fold(surface)
            else:
                folded = surface.translate(_LIGHT_TABLE)
                # Without a space or apostrophe, only the surface itself light-folds to it.
                mode = _LIGHT if (" " in folded or "'" in folded) else _EXACT
            checks = by_length.setdefault(len(surface), [])
            if (len(surface), mode, folded) in seen or (checks and checks[-1][1] == _ALWAYS):
                continue  # an earlier candidate always wins over this one (rule 8)
            seen.add((len(surface), mode, folded))
            checks.append((surface, mode, folded, entity_id))

        last_word = _is_word_char(candidates[0][0][-1])  # the same for every candidate
        if len(by_length) == 1:
            [(length, checks)] = by_length.items()
            if len(checks) == 1:
                surface, mode, folded, entity_id = checks[0]
                if mode == _ALWAYS:
                    return (length, last_word, entity_id, None, None)
                if mode != _FOLD:
                    return (length, last_word, entity_id, surface, folded if mode == _LIGHT else None)
        groups = tuple(sorted(((n, tuple(c)) for n, c in by_length.items()), reverse=True))
        return (0, last_word, None, None, groups)

    def find(self, text: str) -> list[Match]:
        """Every whole-word mention in ``text``: non-overlapping, leftmost-longest, by start."""
        if self._empty or not text:
            return []
        folded = _index_fold(text)
        light_table = _LIGHT_TABLE
        found: list[Match] = []
        append = found.append
        # `end` is the index of the hit's last character in `folded`, which has one pad in
        # front, so the surface would be text[end - length:end], and folded[end + 1] (always
        # there, thanks to the trailing pad) is the index fold of the character after it.
        # A key can hit a pad only through a leading or trailing non-word character of its
        # surface; the slice of `text` is then shorter than the surface, so no check passes.
        for end, (length, last_word, entity_id, surface, extra) in self._automaton.iter(folded):
            if last_word and folded[end + 1] != " ":
                continue  # the end boundary (the start boundary is in the key)
            if surface is not None:
                start = end - length
                piece = text[start:end]
                if piece != surface and (extra is None or piece.translate(light_table) != extra):
                    continue
            elif entity_id is None:
                for length, checks in extra:  # rare: several candidates, or a fold check
                    start = end - length
                    piece = text[start:end]
                    for surface, mode, surface_folded, entity_id in checks:
                        if _passes(piece, surface, mode, surface_folded):
                            if not found or found[-1].end <= start or _make_room(found, start):
                                append(_new_tuple(Match, (start, end, entity_id)))
                            break
                continue
            else:
                start = end - length
            if not found or found[-1][1] <= start or _make_room(found, start):
                append(_new_tuple(Match, (start, end, entity_id)))
        return found


# --- the fast path: one regular expression over the text itself -----------------------------

#: How a character of a surface's light fold is written in the pattern (rule 5's light fold:
#: any white space equals a space, and ’ ‘ equal '). Every other character is itself.
_ATOMS = {" ": r"\s", "'": "['‘’]"}
# After a surface's first character, when that is a word character: the one before it is not.
_START_BOUNDARY = r"(?<!\w[\s\S])"
_Trie = dict[str, "_Trie"]  # character -> subtrie; the key "" marks the end of a surface
# Candidates for Matcher.separator: control characters, none of them a word character, white
# space or an apostrophe, and none expected in a glossary name.
_SEPARATORS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08"


@functools.lru_cache(maxsize=1024)
def _has_mark(chars: frozenset[str]) -> bool:
    """Whether any of ``chars`` is a combining mark (cached: the same sets come back)."""
    return any(unicodedata.category(ch)[0] == "M" for ch in chars)


def _regex_eligible(surface: str, case_sensitive: bool) -> bool:
    """Whether the regular expression can stand for ``surface`` exactly.

    It spells surfaces literally, so only case-sensitive ones; it relies on ``\\w``, which is
    rule 2's word character except for combining marks, so none of those; and its search skips
    ahead to the possible first characters, so the first is a plain character, not white space
    or an apostrophe (which match a class of characters).
    """
    return (
        case_sensitive
        and not surface[0].isspace()
        and surface[0] not in "'‘’"
        and not _has_mark(frozenset(surface.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode()))
    )


def _pattern(node: _Trie) -> str:
    """The pattern of a subtrie: longer surfaces first, so the first success is the longest.

    At most one child can match the next character (children are distinct plain characters,
    ``\\s`` or the apostrophe class), so trying children before ending here gives the longest
    surface at a start. A surface ending in a word character needs ``\\b`` after it (rule 2).
    """
    alternatives = []
    for ch, child in node.items():
        if not ch:
            continue
        run = [_ATOMS.get(ch) or re.escape(ch)]
        while len(child) == 1 and "" not in child:  # a chain: no choice to make, no group
            [(ch, child)] = child.items()
            run.append(_ATOMS.get(ch) or re.escape(ch))
        alternatives.append("".join(run) + _pattern(child))
    if "" in node:
        alternatives.append(node[""])  # type: ignore[arg-type] # the end: "\b" or ""
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _compile_split(light_surfaces: Iterable[str]) -> Callable[[str], list[str]] | None:
    """``re.split`` by a pattern matching exactly the given light-folded surfaces (rules 2-7).

    ``re`` scans leftmost first and, by :func:`_pattern`, takes the longest surface at each
    start; then it resumes at the end of the match: rule 6's leftmost-longest selection.
    None when the pattern cannot be compiled (a glossary too deep for ``re``'s parser).
    """
    trie: _Trie = {}
    for surface in light_surfaces:
        node = trie
        for ch in surface:
            node = node.setdefault(ch, {})
        node[""] = r"\b" if _is_word_char(surface[-1]) else ""  # type: ignore[assignment]
    alternatives = []
    for ch, child in trie.items():
        start = re.escape(ch) + (_START_BOUNDARY if _is_word_char(ch) else "")
        alternatives.append(start + _pattern(child))
    try:
        return re.compile("(" + "|".join(alternatives) + ")").split
    except (re.error, RecursionError, OverflowError):  # pragma: no cover - absurd glossaries
        return None


def _parts(text: str, matches: list[Match]) -> tuple[list[str], list[str]]:
    """``matches`` as :meth:`Matcher.split` returns them."""
    parts: list[str] = []
    position = 0
    for start, end, _ in matches:
        parts += (text[position:start], text[start:end])
        position = end
    parts.append(text[position:])
    return parts, [m.entity_id for m in matches]


def _matches(parts: list[str], ids: list[str]) -> list[Match]:
    """The output of :meth:`Matcher.split` as :class:`Match` tuples."""
    bounds = list(itertools.accumulate(map(len, parts)))  # mention i is bounds[2i]:bounds[2i+1]
    return list(map(_new_tuple, itertools.repeat(Match), zip(bounds[0:-1:2], bounds[1::2], ids, strict=True)))


class Matcher:
    """A compiled glossary: construct once, then call :meth:`find` or :meth:`split` on texts.

    Two algorithms give the same answer. The fast one is a single regular expression, a trie of
    the case-sensitive surfaces spelled out (:func:`_compile_split`), run by ``re`` over the text
    itself: its search jumps from one possible first character to the next, and the pattern
    checks the whole rule set, so nothing is left to verify. The general one, :class:`_FoldScan`,
    covers what the pattern cannot: case-insensitive and other ineligible surfaces (see
    :func:`_regex_eligible`), and texts with a combining mark, where ``\\w`` and rule 2 differ.
    """

    def __init__(self, entities: Iterable[Entity], *, lazy: bool = False) -> None:
        """Compile the names of ``entities``; with ``lazy``, only on first use (see :meth:`compile`)."""
        surfaces = [(s, e.id, e.case_sensitive) for e in entities for s in e.names if s]
        self._surfaces = surfaces
        self._empty = not surfaces
        #: A character no surface contains, neither a word character, white space nor an
        #: apostrophe (None if every candidate is taken): texts joined by it split as each
        #: would alone (see :meth:`split`), so a caller can split many short texts in one call.
        every_surface = "".join(surface for surface, _, _ in surfaces)
        self.separator: str | None = next((ch for ch in _SEPARATORS if ch not in every_surface), None)
        self._compiled = False
        if not lazy:
            self.compile()

    def compile(self) -> None:
        """Build the automata and the pattern now, if not yet done (a tenth of a second per
        few thousand names: a caller that may have nothing to match can wait for first use)."""
        if self._compiled:
            return
        surfaces = self._surfaces
        self._all = _FoldScan(surfaces)
        # Light-folded surface -> entity id: the first entity wins a surface (rule 8).
        self._light_ids: dict[str, str] = {}
        # The mentions as written in the text are nearly always a surface as spelled in the
        # glossary: look those up directly, and light-fold only the others.
        self._ids: dict[str, str] = {}
        rest = []
        for surface, entity_id, case_sensitive in surfaces:
            if _regex_eligible(surface, case_sensitive):
                light = surface.translate(_LIGHT_TABLE)
                self._ids[surface] = self._light_ids.setdefault(light, entity_id)
            else:
                rest.append((surface, entity_id, case_sensitive))
        self._split = _compile_split(self._light_ids) if self._light_ids else None
        self._rest = _FoldScan(rest) if rest and self._split is not None else None
        self._compiled = True  # last: another thread seeing True finds everything built

    def __bool__(self) -> bool:
        """False when the glossary has no names at all (``find`` then always returns ``[]``)."""
        return not self._empty

    def find(self, text: str) -> list[Match]:
        """Every whole-word mention in ``text``: non-overlapping, leftmost-longest, by start."""
        if self._empty or not text:
            return []
        return _matches(*self.split(text))

    def split(self, text: str) -> tuple[list[str], list[str]]:
        """``text`` cut at its mentions: ``(parts, ids)``, the same mentions as :meth:`find`.

        ``parts`` alternates text between mentions and the mentions as written:
        ``[before, mention, between, ..., mention, after]`` (pieces may be empty); it has
        ``2 * len(ids) + 1`` items and joins to ``text``. ``ids[i]`` is the entity of
        ``parts[2 * i + 1]``.

        Texts joined by :attr:`separator` (none containing it) split as they would one by one:
        no mention contains the separator, and to rules 2 and 4 it is like the end of a text
        (not a word character, not a space that a name's space could match). So
        ``split(separator.join(texts))`` is the per-text splits concatenated, each text's first
        and last parts glued with the separator between them.
        """
        if not self._compiled:
            self.compile()
        if self._split is None or (not text.isascii() and _has_mark(_non_ascii(text))):
            return _parts(text, self._all.find(text))
        parts = self._split(text)
        ids: list[str] = []
        if len(parts) > 1:
            try:
                ids = list(map(self._ids.__getitem__, parts[1::2]))
            except KeyError:  # written with other spaces or apostrophes than the glossary
                light, table, known = self._light_ids, _LIGHT_TABLE, self._ids
                ids = [known.get(s) or light[s.translate(table)] for s in parts[1::2]]
        if self._rest is not None:
            other = self._rest.find(text)
            if other:
                return self._merge(text, _matches(parts, ids), other)
        return parts, ids

    def _merge(self, text: str, ours: list[Match], other: list[Match]) -> tuple[list[str], list[str]]:
        """Both algorithms' mentions, when they do not overlap; else the general one's answer.

        If neither selection overlaps the other, their union is the leftmost-longest selection
        over both sets of candidates: the leftmost-longest candidate of the union is the first
        pick of its own side, and no candidate of the other side starts before its end (else
        that side's own first pick would overlap it). An overlap (or one span claimed by both)
        means rule 6 or 8 must choose across the two: only the general algorithm sees both.
        """
        merged = sorted(ours + other)
        if all(a.end <= b.start for a, b in itertools.pairwise(merged)):
            return _parts(text, merged)
        return _parts(text, self._all.find(text))


def _non_ascii(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of ``text`` (deleting ASCII bytes runs at C speed)."""
    return frozenset(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass"))
