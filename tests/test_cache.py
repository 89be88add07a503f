"""The fast paths: the build cache and worker processes never change a byte of the output.

Each test builds the same digest twice, one way and the cold serial way (no cache, one
process), and compares every generated file. Reads and annotations are counted by wrapping
the functions the generator calls, so a test also sees that the cache was used.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import pytest

import digest.cache
import digest.generate as generate
from digest.commands import load
from digest.generate import PARALLEL_MIN, Generator
from digest.matcher import Matcher
from tests.conftest import MKDOCS_YML

pytestmark = pytest.mark.slow

PEOPLE = ["Volodymyr Zelensky", "Zelenskyy", "TASS", "Kursk", "ATACMS", "Army Tactical Missile System", "Ukraine"]


def seeds(count: int) -> dict[str, str]:
    """``count`` small dated articles naming the test glossary's entities in varying company."""
    files = {}
    for i in range(count):
        a, b, c = PEOPLE[i % 7], PEOPLE[(i * 3 + 1) % 7], PEOPLE[(i * 5 + 2) % 7]
        files[f"seeds/{i:03d}.md"] = (
            f"---\ntitle: Report {i} on {a}\ndate: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\nsource: Wire {i % 3}\n---\n\n"
            f'{a} met {b} in {c}, officials said. "We will answer," {a} said.\n\n'
            f"Later {b} and {c} were named again, with {a}.\n"
        )
    return files


def snapshot(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def run(root: Path, **options) -> generate.Result:
    _config, settings = load(str(root / "mkdocs.yml"))
    result = Generator(settings, **options).run()
    assert not result.errors, result.problems
    return result


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How many seeds the generator reads and annotates in this process."""
    calls = {"read": 0, "annotated": 0}
    read, annotate = generate.read_article_safely, generate.annotate_with_quotes

    def counting_read(*args):
        calls["read"] += 1
        return read(*args)

    def counting_annotate(*args):
        calls["annotated"] += 1
        return annotate(*args)

    monkeypatch.setattr(generate, "read_article_safely", counting_read)
    monkeypatch.setattr(generate, "annotate_with_quotes", counting_annotate)
    return calls


@pytest.fixture
def two_copies(make_digest, tmp_path: Path):
    """The same small digest in two folders: ``(project, reference)``."""
    files = seeds(12)
    project = make_digest(files)
    reference = tmp_path / "reference"
    for rel, text in {**files, "mkdocs.yml": MKDOCS_YML}.items():
        (reference / rel).parent.mkdir(parents=True, exist_ok=True)
        (reference / rel).write_text(text, encoding="utf-8")
    (reference / "seeds" / "glossary.yml").write_text((project / "seeds" / "glossary.yml").read_text())
    (reference / "docs").mkdir()
    return project, reference


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_parallel_build_writes_what_a_serial_one_does(make_digest, tmp_path: Path, caplog, method: str) -> None:
    files = seeds(PARALLEL_MIN + 12)
    parallel = make_digest(files)
    # A process running another thread (as `digest serve` does) starts its workers with spawn.
    release = threading.Event()
    other = threading.Thread(target=release.wait) if method == "spawn" else None
    if other:
        other.start()
    try:
        with caplog.at_level(logging.DEBUG, logger="mkdocs.digest"):
            run(parallel, workers=2)
    finally:
        release.set()
    assert f"{PARALLEL_MIN + 12} seed(s) to process in 2 worker processes ({method})" in caplog.text
    serial_root = tmp_path / "serial"
    parallel.rename(serial_root)
    first = snapshot(serial_root)
    for folder in ("docs", ".cache"):
        shutil.rmtree(serial_root / folder)
    (serial_root / "docs").mkdir()
    run(serial_root, workers=1, persistent=False)
    assert snapshot(serial_root) == first
    assert any(path.startswith("entities/") for path in first)


def test_unchanged_second_build_skips_the_step_and_keeps_every_byte(two_copies, counted, monkeypatch) -> None:
    project, _reference = two_copies
    first_result = run(project)
    first = snapshot(project)
    assert counted == {"read": 12, "annotated": 12}

    def no_collect(self):
        raise AssertionError("an unchanged digest was read again")

    monkeypatch.setattr(Generator, "collect", no_collect)
    again = run(project)  # a new Generator: as a new `digest build` process would
    assert again.written == [] and again.removed == []
    assert (again.articles, again.entities, again.mentions, again.pages) == (
        first_result.articles,
        first_result.entities,
        first_result.mentions,
        first_result.pages,
    )
    assert snapshot(project) == first


def test_one_changed_seed_is_the_only_one_read_again(two_copies, counted) -> None:
    project, reference = two_copies
    run(project)
    changed = "---\ntitle: Report 3 rewritten\ndate: 2024-05-05\n---\n\nATACMS and Kursk, with Zelenskyy.\n"
    for root in (project, reference):
        (root / "seeds" / "003.md").write_text(changed, encoding="utf-8")
    counted.update(read=0, annotated=0)
    run(project)
    assert counted == {"read": 1, "annotated": 1}
    run(reference, workers=1, persistent=False)
    assert snapshot(project) == snapshot(reference)


def test_a_touched_but_unchanged_seed_is_not_read_again(two_copies, counted) -> None:
    project, _reference = two_copies
    run(project)
    first = snapshot(project)
    seed = project / "seeds" / "005.md"
    os.utime(seed, ns=(seed.stat().st_atime_ns, seed.stat().st_mtime_ns + 5_000_000_000))
    counted.update(read=0, annotated=0)
    run(project)
    assert counted == {"read": 0, "annotated": 0}
    assert snapshot(project) == first


def test_a_new_glossary_annotates_again_without_reading_again(two_copies, counted) -> None:
    project, reference = two_copies
    run(project)
    for root in (project, reference):
        glossary = root / "seeds" / "glossary.yml"
        glossary.write_text(
            glossary.read_text().replace("A Russian region bordering Ukraine.", "A region of Russia."),
            encoding="utf-8",
        )
    counted.update(read=0, annotated=0)
    run(project)
    assert counted == {"read": 0, "annotated": 12}
    run(reference, workers=1, persistent=False)
    assert snapshot(project) == snapshot(reference)


def test_a_new_version_of_digest_ignores_the_old_cache(two_copies, counted, monkeypatch) -> None:
    project, _reference = two_copies
    run(project)
    monkeypatch.setattr(digest.cache, "code_fingerprint", lambda: "another version")
    counted.update(read=0, annotated=0)
    run(project)
    assert counted == {"read": 12, "annotated": 12}


def test_a_damaged_cache_is_ignored(two_copies, counted) -> None:
    project, _reference = two_copies
    run(project)
    first = snapshot(project)
    for file in (project / ".cache" / "digest").rglob("*.pickle"):
        file.write_bytes(b"not a pickle")
    counted.update(read=0, annotated=0)
    run(project)
    assert counted == {"read": 12, "annotated": 12}
    assert snapshot(project) == first


def test_a_deleted_page_is_written_again(two_copies) -> None:
    project, _reference = two_copies
    run(project)
    first = snapshot(project)
    page = project / "docs" / "entities" / "kursk.md"
    page.unlink()
    again = run(project)
    assert again.written == ["entities/kursk.md"]
    assert snapshot(project) == first


def test_a_removed_seed_leaves_no_cache_entry(two_copies) -> None:
    project, _reference = two_copies
    run(project)
    entries = project / ".cache" / "digest" / "articles"
    assert len(list(entries.iterdir())) == 12
    (project / "seeds" / "007.md").unlink()
    run(project)
    assert len(list(entries.iterdir())) == 11


def test_a_long_lived_generator_writes_what_a_cold_one_does(two_copies) -> None:
    """`digest serve` keeps one generator and reuses unchanged pages; after each edit its output
    must equal a cold build's, and it must have rendered only the pages the edit touches."""
    project, reference = two_copies
    _config, settings = load(str(project / "mkdocs.yml"))
    server = Generator(settings)
    server.run()
    rewritten = "---\ntitle: Report 3, rewritten\ndate: 2024-05-05\nsource: Wire 9\n---\n\nKursk, with Zelenskyy.\n"
    original = (project / "seeds" / "006.md").read_text()
    edits = [
        ("seeds/004.md", lambda text: text.replace("officials said", "officials denied it")),  # text only
        ("seeds/005.md", lambda text: text + "\nNothing else was said.\n"),  # no mention: one page changes
        ("seeds/006.md", lambda text: text.replace("source: Wire 0\n", "source: Wire 0\nsummary: In short.\n")),
        ("seeds/007.md", lambda text: text.replace("title: Report 7", "title: A report on 7")),  # listing order
        ("seeds/009.md", lambda text: text.replace("date: 2024-10-10\n", "")),  # undated: the feeds' date
        ("seeds/010.md", lambda text: text + "\nTASS reported from Kursk.\n"),  # new entities: related, co-mentions
        ("seeds/011.md", lambda text: text.replace('"We will answer,"', '"We will wait,"')),  # the quote only
        ("seeds/003.md", lambda _text: rewritten),  # new title, date, source and entities
        ("seeds/008.md", None),  # removed
        ("seeds/new.md", lambda _text: "---\ntitle: A new one\ndate: 2025-01-01\n---\n\nATACMS hit Kursk.\n"),
        ("seeds/006.md", lambda _text: original),  # back to what it was
        ("docs/_home.md", lambda _text: "# Our digest\n\nWelcome.\n"),  # the home page's introduction
        ("seeds/glossary.yml", lambda text: text.replace("A Russian region bordering Ukraine.", "A region.")),
    ]
    for rel, edit in edits:
        for root in (project, reference):
            file = root / rel
            if edit is None:
                file.unlink()
            else:
                new = edit(file.read_text() if file.exists() else "")
                assert new != (file.read_text() if file.exists() else None), f"{rel}: the edit changes nothing"
                file.write_text(new, encoding="utf-8")
        result = server.run()
        for folder in (reference / "docs").iterdir():
            if folder.name != "_home.md":
                shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
        run(reference, workers=1, persistent=False)
        assert snapshot(project) == snapshot(reference), f"after editing {rel}"
        if rel == "seeds/004.md":
            assert server.memo.reused > 0 and len(result.written) < len(snapshot(project)) // 2
        if rel == "seeds/005.md":
            [page] = [path for path in result.written if path.endswith(".md")]
            assert page.startswith("articles/report-5-")
    entries = project / ".cache" / "digest" / "articles"
    assert len(list(entries.iterdir())) == 12  # 12 seeds, one removed, one new: no entry left behind


def test_a_serving_generator_renders_everything_once_then_reuses(two_copies, counted) -> None:
    """digest serve's generator never skips its first run (a finished build left a run record):
    that run fills the render memo that makes its later runs fast."""
    project, _reference = two_copies
    run(project)  # a `digest build` before `digest serve`
    _config, settings = load(str(project / "mkdocs.yml"))
    server = Generator(settings, skip_unchanged=False)
    server.run()
    assert len(server.memo.pages) > 12  # every article and entity page, from the cache's articles
    assert counted == {"read": 12, "annotated": 12}  # the first build's; serve read nothing again
    seed = project / "seeds" / "004.md"
    seed.write_text(seed.read_text().replace("officials said", "officials denied it"), encoding="utf-8")
    server.run()
    assert server.memo.reused > 0


@pytest.fixture
def compiles(monkeypatch, tmp_path: Path) -> Path:
    """A file that gets a line with the process id each time a Matcher compiles its glossary
    (in this process, and in worker processes forked from it)."""
    log_file = tmp_path / "compiles.log"
    compile_now = Matcher.compile

    def logged(self: Matcher) -> None:
        if not self._compiled:
            with log_file.open("a") as out:
                out.write(f"{os.getpid()}\n")
        compile_now(self)

    monkeypatch.setattr(Matcher, "compile", logged)
    return log_file


def test_a_build_with_nothing_to_annotate_never_compiles_the_glossary(two_copies, compiles: Path) -> None:
    project, _reference = two_copies
    run(project)
    assert compiles.read_text().splitlines() == [str(os.getpid())]
    compiles.unlink()
    (project / "docs" / "entities" / "kursk.md").unlink()  # so the step runs, from the cache
    assert run(project).written == ["entities/kursk.md"]
    assert not compiles.exists()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_forked_workers_use_the_glossary_compiled_once_before(make_digest, compiles: Path, caplog) -> None:
    project = make_digest(seeds(PARALLEL_MIN + 12))
    with caplog.at_level(logging.DEBUG, logger="mkdocs.digest"):
        run(project, workers=2)
    assert "worker processes (fork)" in caplog.text
    assert compiles.read_text().splitlines() == [str(os.getpid())]
