"""The offline build (``digest build --offline``) opened from the file system, as a reader of a
downloaded copy does: ``file://`` pages, no server. Search (which fetches nothing there: its
index is a script and its worker runs in an iframe shim shipped with the site), tooltips and
links between pages must work, and nothing may be requested from the network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import copy_demo, run_cli
from tests.e2e.support import DESKTOP, HEADING, MENTION_LINKS, NAVIGATION, WAIT, Watch, search, wait_for_tooltip


@pytest.fixture(scope="module")
def offline_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("offline-e2e"))
    result = run_cli("build", "--offline", "--strict", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture
def open_file(browser):
    contexts = []

    def open_(path: Path):
        context = browser.new_context(**DESKTOP)
        context.set_default_timeout(WAIT)
        watch = Watch("file://")  # file:///... is local; anything else is recorded and aborted
        watch.attach(context)
        contexts.append(context)
        page = context.new_page()
        watch.watch_page(page)
        page.goto(path.as_uri(), wait_until="load", timeout=NAVIGATION)
        page.wait_for_function("() => typeof document$ !== 'undefined'", timeout=WAIT)
        return page, watch

    yield open_
    for context in contexts:
        context.close()


def test_search_tooltips_and_links_work_from_the_file_system(offline_demo: Path, open_file) -> None:
    page, watch = open_file(offline_demo / "index.html")

    search(page, "Zelenskyy")  # an alias: found on the entity page
    result = page.locator('.md-search-result__list a[href*="entities/volodymyr-zelensky.html"]').first
    expect(result, "searching an alias from file:// lists the entity page").to_be_visible()
    result.click()
    page.wait_for_url("**/entities/volodymyr-zelensky.html*", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_contain_text("Volodymyr Zelensky")

    article = page.locator("article a[href*='articles/']").first
    article.click()
    page.wait_for_url("**/articles/*.html*", timeout=NAVIGATION)
    mention = page.locator(MENTION_LINKS + '[data-entity="atacms"]').first
    mention.hover()
    wait_for_tooltip(page, "A US-made", "hovering ATACMS in a page opened from disk")
    assert not watch.problems(), "\n".join(watch.problems())
