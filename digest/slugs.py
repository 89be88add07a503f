"""Slugs for URLs and file names: lower-case, Unicode-aware, safe as one path segment."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_MAX_LENGTH = 80
# File systems limit a name to 255 bytes, not characters: 80 four-byte letters would not fit
# with the suffixes we add, so the slug is also capped in UTF-8 bytes.
_MAX_BYTES = 200
# Names Windows cannot create as files, whatever the extension.
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def slugify(text: str, *, fallback: str = "untitled") -> str:
    """Return a slug of ``text``: word characters joined by ``-``, at most 80 characters.

    Letters of any script are kept (``Radosław`` -> ``radosław``); everything else, including
    ``/``, ``.`` and ``\\``, becomes a separator, so a slug can never name another folder
    (``../../etc/passwd`` -> ``etc-passwd``). Returns ``fallback`` when nothing is left.
    """
    normal = unicodedata.normalize("NFKC", text).lower().replace("_", "-")
    slug = _NON_WORD.sub("-", normal).strip("-")
    if len(slug) > _MAX_LENGTH:
        slug = slug[:_MAX_LENGTH].rsplit("-", 1)[0] or slug[:_MAX_LENGTH]
    if len(slug.encode("utf-8")) > _MAX_BYTES:
        slug = slug.encode("utf-8")[:_MAX_BYTES].decode("utf-8", "ignore").strip("-")
    if slug in _RESERVED:
        slug += "-page"
    return slug or fallback


def unique_slugs(wanted: list[str]) -> list[str]:
    """Make slugs unique in order: the first keeps its slug, later ones get ``-2``, ``-3``...

    The caller passes the slugs in a stable order (by source path), so every build assigns the
    same suffixes.
    """
    taken: set[str] = set()
    result: list[str] = []
    for slug in wanted:
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        taken.add(candidate)
        result.append(candidate)
    return result
