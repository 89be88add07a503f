"""Characters the PDF cannot show: those that no installed font has.

WeasyPrint sets text with Pango, which falls back from font to font through fontconfig; a
character that no installed font has comes out as an empty box, and nothing says so. Articles in
Japanese or Korean on a machine with only Latin fonts print as rows of boxes. So ``digest pdf``
asks fontconfig once for what every installed font covers (:func:`installed_coverage`, one
``fc-list`` call), and :func:`missing_glyphs` finds the characters of the digest that none has,
for a one-line warning (:func:`warning`) that names the articles and what to install.

Everything but :func:`installed_coverage` is pure.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: What every installed font covers, merged: sorted, disjoint, inclusive ranges of code points,
#: as (starts, ends).
Coverage = tuple[list[int], list[int]]

# Scripts (the first word of a character's Unicode name) whose fonts Debian packages together.
_CJK = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC", "HALFWIDTH", "FULLWIDTH"})


def parse_charsets(charsets: Iterable[str]) -> Coverage:
    """The union of fontconfig charsets (``fc-list --format '%{charset}'``: hex code points and
    ranges, ``20-7e a0-17f 192``), one per font, as merged ranges."""
    ranges: list[tuple[int, int]] = []
    for charset in charsets:
        for item in charset.split():
            low, _, high = item.partition("-")
            try:
                ranges.append((int(low, 16), int(high or low, 16)))
            except ValueError:  # not a charset (a fontconfig that prints something else)
                continue
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for low, high in ranges:
        if ends and low <= ends[-1] + 1:
            ends[-1] = max(ends[-1], high)
        else:
            starts.append(low)
            ends.append(high)
    return starts, ends


def installed_coverage() -> Coverage | None:
    """What the installed fonts cover, from fontconfig; None when that cannot be asked (no
    ``fc-list``, or it fails): the check is then skipped, as it cannot tell."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run(
            [fc_list, "--format", "%{charset}\n"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    coverage = parse_charsets(done.stdout.splitlines())
    return coverage if coverage[0] else None


def covers(coverage: Coverage, ch: str) -> bool:
    """Whether some installed font has ``ch``."""
    starts, ends = coverage
    index = bisect.bisect_right(starts, ord(ch)) - 1
    return index >= 0 and ord(ch) <= ends[index]


def _needs_a_glyph(ch: str) -> bool:
    """Characters that print: not white space, controls, format characters (joiners, marks of
    direction) or combining marks (drawn with their base character)."""
    return unicodedata.category(ch)[0] not in "ZCM"


def _script(ch: str) -> str:
    """What to call a character's kind in a message: its script (the first word of its Unicode
    name: ``CJK``, ``HIRAGANA``, ``HANGUL``, ``ARABIC``; ``IDEOGRAPHIC`` and ``FULLWIDTH`` for
    East Asian punctuation), else ``emoji``, ``symbols`` or ``punctuation``."""
    word = (unicodedata.name(ch, "") or "unnamed").split()[0].split("-")[0]
    category = unicodedata.category(ch)[0]
    if word in _CJK or category not in "SP":
        return word
    if category == "S":
        return "emoji" if ord(ch) >= 0x1F000 else "symbols"
    return "punctuation"


@dataclass(frozen=True, slots=True)
class MissingGlyphs:
    """Characters of the digest that no installed font has: how many distinct ones, of which
    scripts (sorted), and where (the keys of the texts given to :func:`missing_glyphs`)."""

    characters: int
    scripts: tuple[str, ...]
    places: tuple[str, ...]


def missing_glyphs(texts: Mapping[str, str], coverage: Coverage) -> MissingGlyphs | None:
    """The characters of ``texts`` (place -> its text) that ``coverage`` lacks, or None."""
    verdict: dict[str, bool] = {}  # character -> missing; each looked up once
    missing: set[str] = set()
    places: list[str] = []
    for place, text in texts.items():
        here = False
        for ch in set(text):
            if ch.isascii():
                continue  # every font fontconfig lists has ASCII
            lacking = verdict.get(ch)
            if lacking is None:
                lacking = verdict[ch] = _needs_a_glyph(ch) and not covers(coverage, ch)
            if lacking:
                missing.add(ch)
                here = True
        if here:
            places.append(place)
    if not missing:
        return None
    return MissingGlyphs(len(missing), tuple(sorted({_script(ch) for ch in missing})), tuple(places))


def warning(missing: MissingGlyphs) -> str:
    """One line: what is missing, where, and what to install (Debian's font packages)."""
    shown = ", ".join(missing.places[:3]) + (f" and {len(missing.places) - 3} more" if len(missing.places) > 3 else "")
    packages = []
    if _CJK.intersection(missing.scripts):
        packages.append("fonts-noto-cjk")
    if "emoji" in missing.scripts:
        packages.append("fonts-noto-color-emoji")
    if "symbols" in missing.scripts or "punctuation" in missing.scripts:
        packages.append("fonts-symbola")
    if set(missing.scripts) - _CJK - {"emoji", "symbols", "punctuation"}:
        packages.append("fonts-noto")
    count = f"{missing.characters} character" + ("s" if missing.characters != 1 else "")
    return (
        f"PDF: no installed font has {count} ({', '.join(missing.scripts)}) of {shown}: they print as "
        f"empty boxes; install fonts that have them (on Debian or Ubuntu: apt-get install {' '.join(packages)})"
    )
