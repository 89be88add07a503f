"""How well Digest finds the article in a saved web page, measured on real pages.

Run ``python -m digest.extraction_bench [--data DIR] [--variants]``. The data is the
article-extraction benchmark (181 real pages as ``html/<id>.html.gz`` and the body a person
marked in ``ground-truth.json``); it is not part of this repository. ``DIR`` defaults to
``$DIGEST_EXTRACTION_BENCHMARK``, else ``../shared/extraction-benchmark`` next to the repository.

The metric is the benchmark's own (its ``evaluate.py``): both texts are split into ``\\w+``
tokens; every run of 4 tokens is a shingle; per page, shingles in both count as true positives,
extra ones as false positives, missing ones as false negatives, each divided by their sum so a
long page weighs no more than a short one; precision and recall are averaged over the pages,
and F1 is computed from the two averages.

What is measured for Digest is the text of the *final* body (:func:`body_text`: the blocks
:func:`digest.htmlpage.parse_html` returns, lead caption included), not an extractor's raw
output. The table also shows the whole page's ``get_text()`` as the floor, F1 on the two halves
of the set (to check that a choice made on one half holds on the other), and the time per page.
Exits with status 2 and one line on stderr when the data folder is missing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from digest.htmlpage import DEFAULT_EXTRACTION, Extraction, parse_html
from digest.markup import plain_text
from digest.model import Article

ENV_VAR = "DIGEST_EXTRACTION_BENCHMARK"
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "extraction-benchmark"

#: The benchmark's shingle length.
SHINGLE = 4
_TOKEN_RE = re.compile(r"\w+")

#: Extraction settings compared by ``--variants``; the first is the default.
VARIANTS: dict[str, Extraction] = {
    "digest (default)": DEFAULT_EXTRACTION,
    "trafilatura balanced": Extraction(favor="balanced"),
    "trafilatura precision": Extraction(favor="precision"),
    "trafilatura recall": Extraction(favor="recall"),
    "trafilatura balanced, fast": Extraction(favor="balanced", fast=True),
    "trafilatura precision, fast": Extraction(favor="precision", fast=True),
    "trafilatura precision, no soup fallback": Extraction(favor="precision", fallback=False),
    "BeautifulSoup pass only": Extraction(extractor="soup"),
}


# ----------------------------------------------------------------------------- the metric


@dataclass(frozen=True, slots=True)
class Counts:
    """One page's shingle matches, each divided by their sum (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The 4-token shingles of ``text`` with their counts (a text under 4 tokens is one shingle)."""
    tokens = _TOKEN_RE.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def match(true: str, predicted: str) -> Counts:
    """Compare a predicted body with the true one, as the benchmark's ``string_shingle_matching``."""
    expected, found = shingles(true), shingles(predicted)
    tp = fp = fn = 0
    for key in expected.keys() | found.keys():
        want, got = expected[key], found[key]
        tp += min(want, got)
        fp += max(0, got - want)
        fn += max(0, want - got)
    total = tp + fp + fn
    return Counts(tp / total, fp / total, fn / total) if total else Counts(0.0, 0.0, 0.0)


def precision(c: Counts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return 0.0 if c.tp == c.fp == 0 else c.tp / (c.tp + c.fp)


def recall(c: Counts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return 0.0 if c.tp == c.fn == 0 else c.tp / (c.tp + c.fn)


def score(pages: Iterable[Counts]) -> Scores:
    """Mean precision (over pages with a prediction), mean recall (over pages with a truth), F1."""
    counts = list(pages)
    p = statistics.mean([precision(c) for c in counts if c.tp + c.fp > 0] or [0.0])
    r = statistics.mean([recall(c) for c in counts if c.tp + c.fn > 0] or [0.0])
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


# ----------------------------------------------------------------------------- the data


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: bytes
    truth: str

    @property
    def half(self) -> str:
        """``"A"`` or ``"B"``: a fixed pseudo-random split by id."""
        return "AB"[zlib.crc32(self.id.encode()) % 2]


def load_pages(folder: Path) -> list[Page]:
    """The benchmark's pages with their true bodies, in id order."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(page_id, truth[page_id].get("url", ""), html, truth[page_id].get("articleBody") or ""))
    return pages


# ----------------------------------------------------------------------------- the methods


def body_text(article: Article | None) -> str:
    """The text a reader gets from Digest's page: each body block's text, one per line."""
    return "\n".join(plain_text(block.children) for block in article.body) if article else ""


def digest_method(extraction: Extraction) -> Callable[[Page], str]:
    return lambda page: body_text(parse_html(page.html, f"{page.id}.html", extraction=extraction)[0])


def whole_page(page: Page) -> str:
    """The floor: all the page's text, as the benchmark's own BeautifulSoup baseline reads it."""
    return BeautifulSoup(page.html.decode("utf-8", "replace"), "html.parser").get_text(" ", strip=True)


@dataclass(frozen=True, slots=True)
class Row:
    method: str
    all: Scores
    halves: dict[str, Scores]
    pages: int
    seconds: float


def measure(name: str, method: Callable[[Page], str], pages: Sequence[Page]) -> Row:
    start = time.perf_counter()
    counts = {page.id: match(page.truth, method(page)) for page in pages}
    seconds = time.perf_counter() - start
    halves = {half: score(counts[p.id] for p in pages if p.half == half) for half in "AB"}
    return Row(name, score(counts.values()), halves, len(pages), seconds)


def table(rows: Iterable[Row]) -> str:
    lines = [
        f"{'method':<42} {'precision':>9} {'recall':>7} {'F1':>6} {'F1 A':>6} {'F1 B':>6} {'pages':>5} "
        f"{'seconds':>7} {'ms/page':>7}"
    ]
    for r in rows:
        lines.append(
            f"{r.method:<42} {r.all.precision:9.3f} {r.all.recall:7.3f} {r.all.f1:6.3f} {r.halves['A'].f1:6.3f} "
            f"{r.halves['B'].f1:6.3f} {r.pages:5d} {r.seconds:7.1f} {1000 * r.seconds / max(r.pages, 1):7.1f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digest.extraction_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help=f"benchmark folder (default: ${ENV_VAR} or {DEFAULT_DATA})")
    parser.add_argument("--variants", action="store_true", help="also measure every extraction variant")
    args = parser.parse_args(argv)
    folder: Path = args.data or Path(os.environ.get(ENV_VAR) or DEFAULT_DATA)
    if not (folder / "ground-truth.json").is_file() or not (folder / "html").is_dir():
        print(f"extraction benchmark not found in {folder} (use --data DIR or ${ENV_VAR})", file=sys.stderr)
        return 2
    pages = load_pages(folder)
    methods: dict[str, Callable[[Page], str]] = {"digest": digest_method(DEFAULT_EXTRACTION)}
    if args.variants:
        methods = {name: digest_method(extraction) for name, extraction in VARIANTS.items()}
    methods["whole page get_text() (floor)"] = whole_page
    rows = []
    for name, method in methods.items():
        rows.append(measure(name, method, pages))
        print(f"measured {name}", file=sys.stderr, flush=True)
    print(f"{len(pages)} pages from {folder}; halves A and B split the pages by a hash of their id")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
