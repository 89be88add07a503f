"""From a mention to its entity page and back to the paragraph; search by alias and by phrase."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.support import HEADING, NAVIGATION, heading, search, search_result, settle, titled

#: Whether the element a URL's fragment names is, or holds, a mention of ``entity``.
TARGET_HOLDS_MENTION_JS = """
(entity) => {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return `no element with id ${JSON.stringify(id)}`;
  const mention = `[data-entity="${entity}"]`;
  return target.matches(mention) || target.querySelector(mention) !== null
    ? true : `#${id} (${target.tagName.toLowerCase()}) holds no mention of ${entity}: ${target.textContent.slice(0, 120)}`;
}
"""


def test_first_mention_leads_to_the_entity_page_and_back_to_the_paragraph(site, open_page):
    page, watch = open_page(site, site.article)
    title = heading(page)
    article = "article.md-content__inner"
    first = page.locator(f'{article} a[data-entity="{site.entity}"]')
    expect(first).to_have_count(1)
    assert first.evaluate("(el) => el.href") == site.page_url(site.entity_page), "the first mention's link"
    later = page.locator(f'{article} span[data-entity="{site.entity}"]')
    assert later.count() >= 1, f"expected later mentions of {site.entity} in {site.article}"
    expect(later.first).to_have_attribute("tabindex", "0")

    first.click()
    page.wait_for_url(f"**/entities/{site.entity}/", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(site.entities[site.entity].name))

    entry = page.locator(".digest-backlinks > li").filter(has=page.locator(f'a[href$="{site.article}"]'))
    expect(entry, f"the entity page lists {site.article}").to_have_count(1)
    expect(entry.locator("> a")).to_have_text(title)
    for extra in site.extra_articles:
        expect(page.locator(f'.digest-backlinks > li > a[href$="{extra}"]')).to_have_count(1)

    contexts = entry.locator("a.digest-context-link")
    hrefs = contexts.evaluate_all("(links) => links.map((a) => a.href)")
    assert hrefs and all("#" in href for href in hrefs), f"'Read in context' links without a paragraph: {hrefs}"

    # Click the last one (furthest down the article): the browser must land on that paragraph.
    # Not at machine speed: Material records each page's scroll offset in history.state 100 ms
    # (debounced) after it moves, and a click inside that window can make the next page restore
    # that offset instead of scrolling to its #fragment. No person is that fast.
    page.wait_for_timeout(300)
    contexts.last.click()
    page.wait_for_url(f"**/{site.article}#*", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(title))
    assert page.evaluate(TARGET_HOLDS_MENTION_JS, site.entity) is True, page.evaluate(
        TARGET_HOLDS_MENTION_JS, site.entity
    )
    fragment = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
    expect(page.locator(f'[id="{fragment}"]')).to_be_in_viewport()

    # Every other "Read in context" link names a paragraph that holds the mention too.
    for href in hrefs[:-1]:
        page.goto(href, wait_until="load")
        settle(page)
        found = page.evaluate(TARGET_HOLDS_MENTION_JS, site.entity)
        assert found is True, f"{href}: {found}"
    assert not watch.problems(), "\n".join(watch.problems())


def test_search_finds_an_entity_by_alias_and_an_article_by_phrase(site, open_page):
    page, watch = open_page(site, "")

    search(page, site.alias)
    expect(
        search_result(page, site.entity_page).first, f"searching {site.alias!r} lists {site.entity_page}"
    ).to_be_visible()

    search(page, site.phrase)
    expect(search_result(page, site.article).first, f"searching {site.phrase!r} lists {site.article}").to_be_visible()

    search_result(page, site.article).first.click()
    page.wait_for_url(f"**/{site.article}**", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_count(1)
    assert not watch.problems(), "\n".join(watch.problems())
