"""The main pages load cleanly and load nothing from the internet; screenshots for a person to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.support import (
    HEADING,
    MENTIONS,
    PHONE,
    SEARCH_RESULTS,
    TOOLTIP,
    search,
    search_result,
    settle,
    titled,
    wait_for_tooltip,
)


def test_pages_load_without_errors_or_other_hosts(site, open_page):
    """Home, an article, an entity page, the glossary and a search: no console error, only 127.0.0.1."""
    page, watch = open_page(site, None)
    pages = {
        "home": "",
        "article": site.article,
        "entity": site.entity_page,
        "glossary": "glossary/",
    }
    for name, path in pages.items():
        response = page.goto(site.page_url(path), wait_until="load")
        assert response is not None and response.ok, f"{name} page {path!r}: {response and response.status}"
        settle(page)
        expect(page.locator(HEADING), f"{name} page has a heading").to_have_count(1)
    expect(page.locator(HEADING)).to_have_text(titled("Glossary"))

    page.goto(site.url, wait_until="load")
    settle(page)
    search(page, site.alias)
    expect(page.locator(SEARCH_RESULTS).first).to_be_visible()
    expect(search_result(page, site.entity_page).first).to_be_visible()

    # MkDocs' search index, or Zensical's.
    assert any(url.endswith(("/search/search_index.json", "/search.json")) for url in watch.requests), (
        "the search index was never requested: search did not run"
    )
    assert not watch.problems(), "\n".join(watch.problems())
    foreign = [url for url in watch.requests if not watch.is_local(url)]
    assert not foreign, f"requests to other hosts than {watch.origin}: {foreign}"


VARIANTS = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "phone": {**PHONE, "color_scheme": "light"},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_screenshots(demo, open_page, screenshots, variant):
    """The demo's article and entity pages, whole, and the article with a tooltip showing."""
    page, watch = open_page(demo, demo.article, **VARIANTS[variant])
    scheme = "slate" if variant == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    screenshots(page, f"article-{variant}")

    # A tooltip, reached as a keyboard user does (a later mention: focusing it never navigates).
    mention = page.locator(MENTIONS).nth(1)
    entity = mention.get_attribute("data-entity")
    mention.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -200)")
    mention.focus()
    wait_for_tooltip(page, demo.definition(entity), f"focus on the mention of {entity}")
    page.locator(TOOLTIP).first.wait_for(state="attached")
    screenshots(page, f"article-tooltip-{variant}", full_page=False)

    page.goto(demo.page_url(demo.entity_page), wait_until="load")
    settle(page)
    screenshots(page, f"entity-{variant}")
    assert not watch.problems(), "\n".join(watch.problems())
