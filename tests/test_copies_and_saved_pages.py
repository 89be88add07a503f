"""Inputs that are not new articles: the same article saved twice (built once, with a warning),
and the folder of files a browser saves beside a page (skipped)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from digest.cache import Entry
from digest.generate import drop_duplicates, saved_page_folders, text_key
from digest.model import Article, Element
from tests.conftest import run_cli


def article(path: str, title: str, *paragraphs: str) -> Article:
    return Article(path=path, title=title, body=[Element("p", {}, [p]) for p in paragraphs])


def entry(a: Article | None, path: str | None = None) -> Entry:
    return Entry(path or (a.path if a else "seeds/x.txt"), (0, 0), "", a, [])


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (article("b", "Kursk offensive", "Troops  advanced.", "Officials said so."), True),  # spacing
        (article("b", "KURSK OFFENSIVE", "troops advanced.", "officials said so."), True),  # case
        (article("b", "Kursk offensive", "Troops advanced. Officials said so."), True),  # paragraphs joined
        (article("b", "Kursk offensive", "Troops advanced.", "Officials said no."), False),  # one word
        (article("b", "Kursk offensive stalls", "Troops advanced.", "Officials said so."), False),  # headline
    ],
)
def test_text_key(other: Article, same: bool) -> None:
    first = article("a", "Kursk offensive", "Troops advanced.", "Officials said so.")
    assert (text_key(first) == text_key(other)) is same


def test_drop_duplicates_keeps_the_first_in_file_order_and_warns_for_the_others() -> None:
    a = article("seeds/a.txt", "T", "Same text.")
    b = article("seeds/b.txt", "T", "Same  text.")
    c = article("seeds/c.txt", "T", "Other text.")
    d = article("seeds/d.txt", "T", "Same text.")
    keys: dict[str, tuple[Article, str]] = {"seeds/gone.txt": (a, "x")}
    kept, problems = drop_duplicates([entry(a), entry(None, "seeds/broken.txt"), entry(b), entry(c), entry(d)], keys)
    assert [e.path for e in kept] == ["seeds/a.txt", "seeds/c.txt"]
    assert [str(p) for p in problems] == [
        f"{path}: the same article as seeds/a.txt (the same headline and text); skipped: delete one of the "
        "two files, or keep both by changing one"
        for path in ("seeds/b.txt", "seeds/d.txt")
    ]
    assert all(p.level == "warning" for p in problems)
    # Memoised by path while the article is the same object; a path no longer there is forgotten.
    assert set(keys) == {"seeds/a.txt", "seeds/b.txt", "seeds/c.txt", "seeds/d.txt"}
    keys["seeds/c.txt"] = (c, text_key(a))  # a stale key for the same object is trusted...
    kept, _ = drop_duplicates([entry(a), entry(c)], keys)
    assert [e.path for e in kept] == ["seeds/a.txt"]
    c2 = article("seeds/c.txt", "T", "Other text.")  # ...but a new object for the path is read again
    kept, _ = drop_duplicates([entry(a), entry(c2)], keys)
    assert [e.path for e in kept] == ["seeds/a.txt", "seeds/c.txt"]


SEED = "Kursk offensive\nUkraine may now fire ATACMS at targets in Kursk, officials said.\n"


def test_build_and_check_report_the_copy_and_build_the_article_once(make_digest: Callable[..., Path]) -> None:
    root = make_digest({"seeds/kursk.txt": SEED, "seeds/kursk2.txt": SEED.replace(" ", "  ")})
    build = run_cli("build", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "WARNING -  seeds/kursk2.txt: the same article as seeds/kursk.txt" in build.stderr
    assert "1 article(s)" in build.stderr
    assert sorted(p.name for p in (root / "docs" / "articles").glob("*.md")) == ["index.md", "kursk-offensive.md"]
    assert run_cli("build", "--strict", cwd=root).returncode == 1
    check = run_cli("check", "--no-ner", cwd=root)
    assert "seeds/kursk2.txt: warning: the same article as seeds/kursk.txt" in check.stdout
    # Changed, the copy is an article of its own again.
    (root / "seeds" / "kursk2.txt").write_text(SEED.replace("officials", "ministers"), encoding="utf-8")
    again = run_cli("build", "--strict", cwd=root)
    assert again.returncode == 0, again.stderr
    assert "2 article(s)" in again.stderr


# --- pages saved "complete", with a folder of their own files -----------------------------------


@pytest.mark.parametrize(
    ("dirs", "files", "expected"),
    [
        (["Page_files"], ["Page.html"], {"Page_files"}),  # Chrome, Edge, Firefox in English
        (["Page-Dateien", "Page_fichiers"], ["Page.htm"], {"Page-Dateien", "Page_fichiers"}),  # de, fr
        (["Long title - Site_files"], ["Long title - Site.HTML"], {"Long title - Site_files"}),
        (["Other_files"], ["Page.html"], set()),  # not beside its page
        (["notes_files"], ["notes.txt"], set()),  # a text seed saves no files
        (["Page_old files"], ["Page.html"], set()),  # not one word
        (["Page"], ["Page.html"], set()),
    ],
)
def test_saved_page_folders(dirs: list[str], files: list[str], expected: set[str]) -> None:
    assert saved_page_folders(dirs, files) == expected


def test_a_page_saved_complete_is_one_article_without_warnings(make_digest: Callable[..., Path]) -> None:
    page = "<html><head><title>Kursk offensive</title></head><body><h1>Kursk offensive</h1>"
    page += "<p>Ukraine may now fire ATACMS at targets in Kursk, officials said on Monday.</p></body></html>"
    root = make_digest(
        {
            "seeds/Kursk offensive.html": page,
            # What the browser saved beside it: the frame of an advert is HTML too.
            "seeds/Kursk offensive_files/ad-frame.html": "<html><body><h1>Buy now</h1><p>Cheap.</p></body></html>",
            "seeds/Kursk offensive_files/style.css": "body {}",
            "seeds/Kursk offensive_files/photo.jpg": "not really a jpeg",
        }
    )
    build = run_cli("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr and "1 article(s)" in build.stderr
