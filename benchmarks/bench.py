"""The benchmark: prints one table of figures, each measured in the same run as its reference.

    python benchmarks/bench.py [--sizes 100 1000 5000] [--entities 2000] [--work DIR]

Rows:
- annotation throughput (MB/s of article text) with a 5,000-entity glossary, against a bare
  Aho-Corasick scan of the same text;
- for each size N: ``digest build`` wall time and peak memory, the time in Digest's own step,
  ``mkdocs build`` on the Markdown Digest generated (the engine alone), the ratio of the two,
  ``site/`` and search-index size per article, and a second build with nothing changed;
- during ``digest serve`` at the middle size: the time from saving one changed seed to its
  regenerated Markdown page being written, and to the rebuilt HTML page.

No figure here is asserted anywhere: the test suite has no timing assertions.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ahocorasick
import yaml
from synthetic import make_article, make_glossary, write_digest

from digest.slugs import slugify

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Runs a command in-process and prints its peak memory, whatever way it exits.
RSS_WRAPPER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
    "sys.argv = sys.argv[1:]\n"
    "if sys.argv[0] == 'digest':\n"
    "    from digest.cli import main\n"
    "else:\n"
    "    from mkdocs.__main__ import cli as main\n"
    "main()\n"
)


def run(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run ``digest ...`` or ``mkdocs ...`` in a fresh process: (seconds, peak RSS in MB, log)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RSS_WRAPPER, *command], cwd=cwd, env=ENV, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-2000:]}")
    rss = int(re.search(r"PEAK_RSS_KB (\d+)", result.stderr).group(1)) // 1024
    return seconds, rss, result.stderr


def our_step_seconds(log: str) -> float:
    return float(re.search(r"Digest: .* in ([\d.]+) seconds", log).group(1))


def tree_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def annotation_throughput(entities: int = 5000, megabytes: float = 5.0) -> tuple[float, float]:
    """MB/s of ``annotate`` over parsed articles, and of a bare automaton scan of the same text
    (each the best of three runs)."""
    import random

    from digest.annotate import annotate
    from digest.ingest import parse_article
    from digest.markup import plain_text
    from digest.matcher import Matcher
    from digest.model import Entity

    rng = random.Random(7)
    glossary = make_glossary(rng, entities)
    entity_objects = [
        Entity(f"e{i}", e["name"], e["type"], e["definition"], tuple(e.get("aliases", ())))
        for i, e in enumerate(glossary)
    ]
    names = [n for e in entity_objects for n in e.names]
    articles, size = [], 0
    while size < megabytes * 1e6:
        article, _ = parse_article(make_article(rng, names, len(articles)), "a.md", ".md")
        articles.append(article)
        size += sum(len(plain_text(b.children)) for b in article.body)
    texts = [plain_text(b.children) for a in articles for b in a.body]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    matcher = Matcher(entity_objects)
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name.lower(), name)
    automaton.make_automaton()

    def annotate_all() -> None:
        for article in articles:
            annotate(article, matcher)

    def scan_all() -> None:
        for text in texts:
            for _ in automaton.iter(text.lower()):
                pass

    # Each the best of three runs, taken in turns: one run of a fraction of a second is at the
    # mercy of whatever else the machine does meanwhile, and both sides get the same chances.
    best = {annotate_all: float("inf"), scan_all: float("inf")}
    for _ in range(3):
        for run in best:
            started = time.perf_counter()
            run()
            best[run] = min(best[run], time.perf_counter() - started)
    ours, bare = mb / best[annotate_all], mb / best[scan_all]
    return ours, bare


def serve_latency(project: Path) -> tuple[float, float]:
    """Seconds from saving a changed seed to (its Markdown page, its HTML page) being rewritten."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = project / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", "from digest.cli import main; main()", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 600
            while "Serving on" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.2)
            seed = sorted((project / "seeds").glob("*.md"))[0]
            title = yaml.safe_load(seed.read_text().split("---")[1])["title"]
            page = project / "docs/articles" / f"{slugify(title)}.md"
            before_md = page.stat().st_mtime_ns
            rebuilds = log.read_text().count("Reloading browsers")
            seed.write_text(seed.read_text() + "\nOne more sentence was added to this article.\n")
            saved = time.perf_counter()
            md_written = html_written = None
            while time.perf_counter() - saved < 300:
                if md_written is None and page.stat().st_mtime_ns != before_md:
                    md_written = time.perf_counter() - saved
                if log.read_text().count("Reloading browsers") > rebuilds:
                    html_written = time.perf_counter() - saved
                    break
                time.sleep(0.02)
            return md_written or float("nan"), html_written or float("nan")
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--work", type=Path, default=Path(".bench"))
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency row")
    args = parser.parse_args()
    args.work.mkdir(exist_ok=True)

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    )
    ours, bare = annotation_throughput()
    rows = [("annotation, G=5,000", f"{ours:.1f} MB/s", f"bare automaton scan {bare:.1f} MB/s", f"{ours / bare:.2f}")]
    sizes: dict[int, float] = {}
    times: dict[int, float] = {}
    for n in args.sizes:
        project = write_digest(args.work / f"n{n}", n, args.entities)
        seconds, rss, log = run(["digest", "build"], project)
        step = our_step_seconds(log)
        engine, engine_rss, _ = run(["mkdocs", "build", "-d", "site-mkdocs"], project)
        site = tree_size(project / "site")
        index = (project / "site/search/search_index.json").stat().st_size
        again, _, log2 = run(["digest", "build"], project)
        times[n], sizes[n] = seconds, site
        rows += [
            (
                f"digest build, N={n:,}",
                f"{seconds:.1f} s, {rss} MB peak",
                f"mkdocs build {engine:.1f} s, {engine_rss} MB",
                f"{seconds / engine:.2f}",
            ),
            (f"  our step, N={n:,}", f"{step:.2f} s", f"of {seconds:.1f} s", f"{step / seconds:.1%}"),
            (f"  site/, N={n:,}", f"{site / 1e6:.1f} MB", f"{site / n / 1e3:.1f} KB/article", ""),
            (f"  search index, N={n:,}", f"{index / 1e6:.1f} MB", f"{index / n / 1e3:.1f} KB/article", ""),
            (
                f"  second build, N={n:,}",
                f"{again:.1f} s",
                f"our step {our_step_seconds(log2):.2f} s",
                f"{our_step_seconds(log2) / step:.1%} of first",
            ),
        ]
        shutil.rmtree(project / "site-mkdocs", ignore_errors=True)
    if len(args.sizes) >= 2:
        small, large = args.sizes[-2], args.sizes[-1]
        rows.append(
            (
                f"growth {small:,} -> {large:,}",
                f"time x{times[large] / times[small]:.2f}",
                f"site x{sizes[large] / sizes[small]:.2f}",
                f"articles x{large / small:.1f}",
            )
        )
    if not args.no_serve:
        middle = args.sizes[len(args.sizes) // 2]
        md, html = serve_latency(args.work / f"n{middle}")
        rows.append(
            (f"serve, one seed changed, N={middle:,}", f"Markdown page {md:.2f} s", f"HTML page {html:.2f} s", "")
        )

    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("measure", "figure", "reference", "ratio")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
