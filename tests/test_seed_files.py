"""Seed files that are not plain articles: the same article saved twice (built once, with a
warning), the folder a browser saves beside a page (skipped), and pages saved as one file
(MHTML, Safari web archives: read)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.cache import Entry
from digest.generate import drop_duplicates, saved_page_folders, text_key
from digest.markup import plain_text
from digest.model import Article, Element
from tests.conftest import Site, run_cli


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


# --- pages saved as one file: MHTML (Chrome, Edge, Opera) and Safari's web archives --------------

PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Kursk offensive | Example News</title>"
    "<meta property='og:site_name' content='Example News'></head><body><article><h1>Kursk offensive</h1>"
    "<p>Ukraine may now fire ATACMS at targets in Kursk, officials said on Monday, a café owner said.</p>"
    "</article></body></html>"
)


def mhtml(page: str, *, main_first: bool = True) -> bytes:
    """A page saved as Chrome writes "Webpage, Single File": the advert frame may come first."""
    import quopri

    def part(location: str, html: str) -> str:
        body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
        return (
            "------MultipartBoundary--x----\r\nContent-Type: text/html\r\nContent-ID: <frame@mhtml.blink>\r\n"
            f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {location}\r\n\r\n{body}\r\n"
        )

    main = part("https://news.example/kursk", page)
    advert = part("https://ads.example/frame", "<html><body><h1>Buy now</h1><p>Cheap.</p></body></html>")
    image = (
        "------MultipartBoundary--x----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: https://news.example/a.png\r\n\r\niVBORw0KGgo=\r\n"
    )
    parts = [main, advert, image] if main_first else [advert, image, main]
    head = (
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example/kursk\r\n"
        "Subject: Kursk offensive\r\nDate: Tue, 19 Nov 2019 10:00:00 -0000\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--x----"\r\n\r\n\r\n'
    )
    return (head + "".join(parts) + "------MultipartBoundary--x------\r\n").encode("ascii")


def webarchive(page: bytes, encoding: str | None = "UTF-8") -> bytes:
    import plistlib

    main = {"WebResourceData": page, "WebResourceMIMEType": "text/html", "WebResourceURL": "https://news.example/k"}
    if encoding:
        main["WebResourceTextEncodingName"] = encoding
    sub = [{"WebResourceData": b"\x89PNG", "WebResourceMIMEType": "image/png", "WebResourceURL": "https://x/a.png"}]
    return plistlib.dumps({"WebMainResource": main, "WebSubresources": sub}, fmt=plistlib.FMT_BINARY)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("kursk.mhtml", mhtml(PAGE)),
        ("kursk.mht", mhtml(PAGE, main_first=False)),  # the page found by its Snapshot-Content-Location
        ("kursk.webarchive", webarchive(PAGE.encode("utf-8"))),
        ("kursk2.webarchive", webarchive(PAGE.encode("utf-8"), encoding=None)),  # the page's <meta charset>
    ],
)
def test_pages_saved_as_one_file_are_articles(name: str, data: bytes, tmp_path: Path) -> None:
    from digest.ingest import read_article

    file = tmp_path / name
    file.write_bytes(data)
    read, problems = read_article(file, f"seeds/{name}")
    assert problems == []
    assert read is not None
    assert (read.title, read.source) == ("Kursk offensive", "Example News")
    assert [plain_text(block.children) for block in read.body] == [
        "Ukraine may now fire ATACMS at targets in Kursk, officials said on Monday, a café owner said."
    ]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("notes.mhtml", b"just some text, not a MIME message", "an MHTML file (a page saved as a single file)"),
        (
            "images.mht",
            mhtml(PAGE).replace(b"text/html", b"text/plain"),
            "an MHTML file (a page saved as a single file)",
        ),
        ("broken.webarchive", b"bplist00 and then nothing", "a Safari web archive"),
        ("other.webarchive", webarchive(b"x").replace(b"WebMainResource", b"WebMainResourcX"), "a Safari web archive"),
    ],
)
def test_other_files_with_those_names_are_one_warning(name: str, data: bytes, kind: str, tmp_path: Path) -> None:
    from digest.ingest import read_article

    file = tmp_path / name
    file.write_bytes(data)
    read, problems = read_article(file, f"seeds/{name}")
    assert read is None
    assert [str(p) for p in problems] == [f"seeds/{name}: is not {kind} with a web page in it; skipped"]
    assert problems[0].level == "warning"


def test_a_digest_of_saved_pages_builds(make_digest: Callable[..., Path]) -> None:
    root = make_digest({"seeds/README.txt": "Notes\nKursk is a region of Russia, officials said on Monday.\n"})
    (root / "seeds" / "kursk.mhtml").write_bytes(mhtml(PAGE))
    other = PAGE.replace("Kursk offensive", "Kyiv talks").replace("café owner", "shop keeper")
    (root / "seeds" / "kyiv.webarchive").write_bytes(webarchive(other.encode("utf-8")))
    build = run_cli("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "3 article(s)" in build.stderr
    site = Site(root / "site")
    assert "a café owner said" in site.page("articles/kursk-offensive/").select_one("article").get_text()
    assert site.page("articles/kyiv-talks/").select_one("article h1").get_text(strip=True).rstrip("¶") == "Kyiv talks"


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([".mhtml", ".webarchive"]),
    st.one_of(
        st.binary(max_size=400),
        st.builds(lambda cut: mhtml(PAGE)[:cut], st.integers(0, 1200)),
        st.builds(lambda cut: webarchive(PAGE.encode())[:cut], st.integers(0, 600)),
        st.just(b'<?xml version="1.0"?><plist><dict><key>WebMainResource</key><dict><key>'),
    ),
)
def test_any_bytes_under_those_names_never_raise(suffix: str, data: bytes) -> None:
    from digest.archives import saved_page_html

    html, problems = saved_page_html(data, suffix, "seeds/x" + suffix)
    assert (html is None) == bool(problems)


# --- Markdown from other tools (Hugo, Jekyll, MkDocs) ---------------------------------------------

HUGO = """---
title: "Kursk offensive stalls"
date: 2024-11-18T09:30:00+02:00
draft: {draft}
categories: ["war"]
tags: ["Kursk"]
layout: post
author: ["Jane Doe"]
description: "Troops stopped near Kursk."
---

Ukraine may now fire ATACMS at targets in Kursk, officials said.
"""


def test_a_hugo_post_builds_and_a_draft_is_left_out_with_a_word(make_digest: Callable[..., Path]) -> None:
    root = make_digest({"seeds/post.md": HUGO.format(draft="false"), "seeds/other.txt": SEED})
    build = run_cli("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr
    page = Site(root / "site").page("articles/kursk-offensive-stalls/")
    assert page.select_one(".digest-summary").get_text(strip=True) == "Troops stopped near Kursk."
    (root / "seeds" / "post.md").write_text(HUGO.format(draft="true"), encoding="utf-8")
    build = run_cli("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr  # a draft is asked for: not a warning
    assert "INFO    -  seeds/post.md: is a draft (its front matter says so); not published" in build.stderr
    assert "1 article(s)" in build.stderr
    assert not (root / "docs" / "articles" / "kursk-offensive-stalls.md").exists()
