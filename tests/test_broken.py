"""Broken input: one clear warning per bad file, the rest builds, and nothing that can be kept is lost.

``tests/fixtures/broken/`` holds one good article and small broken ones (empty, blank, unknown
extensions, front matter that does not parse or never closes, an unreadable date, a title only,
two articles with one headline). The binary, undecodable and very large files are written at
test time. The digest is built with the real CLI in a subprocess, so the test sees exactly what
a user sees on the terminal.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from digest.annotate import annotate
from digest.glossary import parse_glossary
from digest.ingest import parse_article
from digest.matcher import Matcher
from tests.conftest import Site, run_cli

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "broken"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

#: Every bad file, and the text its one warning line must hold (file, and line where it helps).
BAD = {
    "seeds/empty.txt": "seeds/empty.txt: is empty; skipped",
    "seeds/blank.md": "seeds/blank.md: is empty; skipped",
    "seeds/image.txt": "seeds/image.txt: is not a text file",
    "seeds/undecodable.txt": "seeds/undecodable.txt: is not a text file",
    "seeds/notes.docx": "seeds/notes.docx: not an article",
    "seeds/report.pdf": "seeds/report.pdf: not an article",
    "seeds/bad-yaml.md": "seeds/bad-yaml.md:3: front matter is not valid YAML",
    "seeds/no-closing-fence.md": "seeds/no-closing-fence.md:1: front matter opened with '---' on line 1 has no closing",
    "seeds/bad-date.md": "seeds/bad-date.md:3: field 'date': cannot read 'the day after tomorrow' as a date",
    "seeds/title-only.txt": "seeds/title-only.txt:1: has a headline but no body text",
    # A second save of good.txt (other spacing): the same article, kept once.
    "seeds/good2.txt": "seeds/good2.txt: the same article as seeds/good.txt (the same headline and text); skipped",
}
PARAGRAPH = "Ukraine may now fire ATACMS at targets in Kursk, officials said on Monday. U.S. officials agreed. "


def write_generated_seeds(seeds: Path) -> None:
    """The inputs too binary or too big to keep in the repository."""
    (seeds / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)))
    # Not UTF-8, and 0x81/0x8d/0x8f/0x90/0x9d are undefined in Windows-1252 too.
    (seeds / "undecodable.txt").write_bytes(b"Caf\xe9 headline\nBytes \x81\x8d\x8f\x90\x9d no code page reads.\n")
    lines = "\n".join(PARAGRAPH * 10 for _ in range(3_000))  # about 3 MB in 3,000 paragraphs
    (seeds / "big.txt").write_text(f"A very long article\n{lines}\n", encoding="utf-8")
    (seeds / "one-line.md").write_text(f"# One enormous line\n\n{PARAGRAPH * 10_500}\n", encoding="utf-8")  # 1 MB
    good = (seeds / "good.txt").read_text(encoding="utf-8")
    (seeds / "good2.txt").write_text(good.replace(" ", "  ").replace("\n", "\r\n"), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str], Site]:
    """The broken fixture, built once with ``digest build`` (not strict)."""
    root = tmp_path_factory.mktemp("broken") / "project"
    shutil.copytree(FIXTURE, root)
    write_generated_seeds(root / "seeds")
    result = run_cli("build", cwd=root)
    return root, result, Site(root / "site")


def warning_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("WARNING")]


def test_lenient_build_succeeds_without_traceback(broken) -> None:
    _root, result, _site = broken
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr


def test_each_bad_file_gives_exactly_one_warning_naming_it(broken) -> None:
    _root, result, _site = broken
    warnings = warning_lines(result)
    for path, expected in BAD.items():
        naming = [line for line in warnings if f"{path}:" in line or f"{path} " in line]
        assert len(naming) == 1, f"{path}: expected one warning line, got {naming}"
        assert expected in naming[0], naming[0]
    for good in ("good.txt", "big.txt", "one-line.md", "same-a.txt", "same-b.txt"):
        assert not [line for line in warnings if line.partition("-  ")[2].startswith(f"seeds/{good}")]
    assert len(warnings) == len(BAD), "\n".join(warnings)


def test_the_rest_of_the_digest_builds(broken) -> None:
    _root, _result, site = broken
    page = site.page("articles/missiles-cleared-for-kursk/")
    assert {m["data-entity"] for m in page.select("article [data-entity]")} == {"ukraine", "atacms", "kursk"}
    listed = [a.get_text() for a in site.page("articles/").select(".digest-articles > li > a")]
    assert "Missiles cleared for Kursk" in listed and len(listed) == 9
    backlinks = [a.get_text() for a in site.page("entities/kursk/").select(".digest-backlinks > li > a")]
    assert "Missiles cleared for Kursk" in backlinks and "A date nobody can read" in backlinks


def test_what_can_be_kept_is_kept(broken) -> None:
    _root, _result, site = broken
    undated = site.page("articles/a-date-nobody-can-read/")
    assert "The article stays, without its date." in undated.select_one("article").get_text()
    assert not undated.select("article time")
    yaml_broken = site.page("articles/front-matter-that-does-not-parse/")
    assert "The body is still read" in yaml_broken.select_one("article").get_text()
    unclosed = site.page("articles/a-fence-that-never-closes/")
    assert "The whole file is read as body text" in unclosed.select_one("article").get_text()
    title_only = site.page("articles/a-headline-and-nothing-else/")
    assert title_only.select_one("article h1").get_text(strip=True).rstrip("¶") == "A headline and nothing else"


def test_two_articles_with_one_headline_get_two_stable_slugs_in_path_order(broken) -> None:
    root, _result, site = broken
    first = site.page("articles/same-headline/").select_one("article").get_text()
    second = site.page("articles/same-headline-2/").select_one("article").get_text()
    assert "The first of two articles" in first and "The second of two articles" in second
    before = snapshot(root / "docs" / "articles")
    again = run_cli("generate", cwd=root)
    assert again.returncode == 0 and "0 written, 0 removed" in again.stderr
    assert snapshot(root / "docs" / "articles") == before


def test_very_large_inputs_build(broken) -> None:
    _root, _result, site = broken
    # Read as text rather than parsed: these pages are megabytes long.
    big = (site.root / "articles" / "a-very-long-article" / "index.html").read_text(encoding="utf-8")
    assert big.count('<p id="P') == 3_000 and big.count('data-entity="kursk"') == 30_000
    line = (site.root / "articles" / "one-enormous-line" / "index.html").read_text(encoding="utf-8")
    assert line.count('<p id="P') == 1 and line.count('data-entity="atacms"') == 10_500


def test_strict_build_fails_with_the_same_warnings_and_no_traceback(broken) -> None:
    root, lenient, _site = broken
    before = snapshot(root / "site")
    strict = run_cli("build", "--strict", cwd=root)
    assert strict.returncode != 0
    output = strict.stdout + strict.stderr
    assert "Traceback" not in output and "strict mode" in output
    assert warning_lines(strict) == warning_lines(lenient)
    assert snapshot(root / "site") == before


def test_a_title_of_wide_letters_builds(make_digest) -> None:
    from digest.commands import generate_only

    root = make_digest({"seeds/wide.txt": "\U00020000" * 100 + "\nA headline in CJK Extension B letters.\n"})
    generate_only(str(root / "mkdocs.yml"))
    assert len(list((root / "docs" / "articles").glob("*.md"))) == 2  # the article and the index


def test_failed_build_leaves_the_previous_site_untouched(make_digest) -> None:
    root = make_digest({"seeds/a.txt": "Kursk today\nUkraine named Kursk again.\n"})
    first = run_cli("build", "--strict", cwd=root)
    assert first.returncode == 0, first.stderr
    before = snapshot(root / "site")
    glossary = root / "seeds" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "  - name: Kursk\n    type: planet\n", encoding="utf-8")
    failed = run_cli("build", cwd=root)
    assert failed.returncode != 0
    assert "Traceback" not in failed.stdout + failed.stderr
    assert "seeds/glossary.yml:" in failed.stderr
    assert snapshot(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site")], "a staging folder was left behind"


def test_same_inputs_give_byte_identical_sites(make_digest) -> None:
    from digest.commands import build

    root = make_digest(
        {
            "seeds/a.txt": "Missiles cleared for Kursk\nUkraine may now fire ATACMS at Kursk.\n",
            "seeds/b.md": "---\ntitle: TASS reports\ndate: 2024-11-19\n---\n\nAccording to TASS, Kursk.\n",
        }
    )
    build(str(root / "mkdocs.yml"), site_dir=str(root / "site-a"))
    time.sleep(1.1)  # a later second: any clock that leaks into the output would show
    build(str(root / "mkdocs.yml"), site_dir=str(root / "site-b"))
    a, b = snapshot(root / "site-a"), snapshot(root / "site-b")
    assert sorted(a) == sorted(b)
    differing = [path for path in a if a[path] != b[path]]
    assert not differing, f"differ between two builds: {differing}"


# ---------------------------------------------------------------------------------------------
# Linear time


def _parse_and_annotate_seconds(text: str, suffix: str, matcher: Matcher) -> float:
    best = float("inf")
    for _ in range(2):  # best of two: a coarse guard against a noisy machine
        started = time.perf_counter()
        article, _problems = parse_article(text, f"seeds/x{suffix}", suffix)
        assert article is not None
        annotate(article, matcher)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    ("shape", "suffix"),
    [("paragraphs", ".txt"), ("one line", ".txt"), ("paragraphs", ".md"), ("one line", ".md")],
)
def test_parse_and_annotate_time_grows_linearly(shape: str, suffix: str) -> None:
    glossary, problems = parse_glossary((FIXTURE / "seeds" / "glossary.yml").read_text(encoding="utf-8"), "g.yml")
    assert problems == []
    matcher = Matcher(glossary.entities)

    def article(size: int) -> str:
        count = size // len(PARAGRAPH)
        body = (PARAGRAPH * count) if shape == "one line" else ("\n\n".join([PARAGRAPH] * count))
        return ("# Headline\n\n" if suffix == ".md" else "Headline\n") + body

    small = _parse_and_annotate_seconds(article(500_000), suffix, matcher)
    large = _parse_and_annotate_seconds(article(2_000_000), suffix, matcher)
    # Four times the input: a linear stage takes about 4x, a quadratic one about 16x.
    assert large / small < 8, f"{shape}{suffix}: 0.5 MB in {small:.2f} s, 2 MB in {large:.2f} s"


def test_broken_fixture_is_what_the_tests_expect() -> None:
    # The fixture files are data: a stray edit (say, an editor adding a newline to empty.txt)
    # would make another test pass or fail for the wrong reason.
    seeds = FIXTURE / "seeds"
    assert (seeds / "empty.txt").read_bytes() == b""
    assert not (seeds / "blank.md").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("unit", ["[", "![a](", "[^", "[](((", "[[a]("], ids=repr)
def test_markdown_bracket_runs_stay_linear(unit: str) -> None:
    # Python-Markdown scans from every "[" to its "]" (upstream issue #798): 8,000 "[" in one
    # paragraph took 12 s, 50,000 about an hour. mdbody keeps such a paragraph as literal text.
    from digest.mdbody import parse_markdown

    def seconds(size: int) -> float:
        text = unit * (size // len(unit)) + " Kursk"
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            blocks = parse_markdown(text)
            best = min(best, time.perf_counter() - started)
        assert blocks[0].children[-1].endswith(" Kursk")  # every character is kept, as text
        return best

    small, large = seconds(4_000), seconds(16_000)
    assert large < 8 * max(small, 0.05), f"{unit!r}: 4 KB in {small:.2f} s, 16 KB in {large:.2f} s"


def test_real_links_in_a_long_paragraph_are_kept() -> None:
    from digest.mdbody import parse_markdown

    (paragraph,) = parse_markdown("See [the report](https://example.com/r) and [a](https://example.com/) now. " * 2_000)
    links = [n for n in paragraph.children if not isinstance(n, str) and n.tag == "a"]
    assert len(links) == 4_000 and links[0].attrs == {"href": "https://example.com/r"}
