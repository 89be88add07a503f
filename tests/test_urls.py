"""Links between pages: the URL of a page source and the relative link from one page to another."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.urls import Urls, relpath


@pytest.mark.parametrize(
    ("urls", "from_page", "to_page", "href"),
    [
        (Urls(), "index.md", "entities/kursk.md", "entities/kursk/"),
        (Urls(), "articles/a.md", "entities/kursk.md", "../../entities/kursk/"),
        (Urls(), "articles/index.md", "articles/a.md", "a/"),
        (Urls(), "articles/a.md", "index.md", "../../"),
        (Urls(), "articles/index.md", "articles/index.md", "./"),
        (Urls(use_directory_urls=False), "articles/a.md", "entities/kursk.md", "../entities/kursk.html"),
        (Urls(use_directory_urls=False), "index.md", "articles/index.md", "articles/index.html"),
        (Urls(source_relative=True), "articles/a.md", "entities/kursk.md", "../entities/kursk/"),
        (Urls(source_relative=True), "articles/index.md", "index.md", "../"),
    ],
)
def test_href(urls: Urls, from_page: str, to_page: str, href: str) -> None:
    assert urls.href(from_page, to_page) == href


def test_href_with_fragment_and_file_href() -> None:
    assert Urls().href("entities/kursk.md", "articles/a.md", "P3") == "../../articles/a/#P3"
    assert Urls().file_href("articles/index.md", "feeds/atom.xml") == "../feeds/atom.xml"
    assert Urls().file_href("index.md", "feeds/atom.xml") == "feeds/atom.xml"


segment = st.sampled_from(["a", "b", "articles", "entities", "x-y", "index"])
absolute = st.lists(segment, max_size=4).map(lambda parts: "/" + "/".join(parts))


@given(absolute, absolute)
def test_relpath_agrees_with_posixpath(target: str, base: str) -> None:
    assert relpath(target, base) == posixpath.relpath(target, base)
