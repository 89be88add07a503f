"""Tooltips: hover, keyboard focus, Escape, touch, contrast in both palettes, instant navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.support import (
    COLOURS_JS,
    HEADING,
    LATER_MENTIONS,
    MENTION_LINKS,
    MENTIONS,
    NAVIGATION,
    PHONE,
    TOOLTIP,
    TOOLTIP_COLOURS_JS,
    contrast,
    heading,
    normalize,
    tab_to_mention,
    titled,
    visible_tooltips,
    wait_for_no_tooltip,
    wait_for_tooltip,
)

#: WCAG 2 AA for normal text.
AA = 4.5


def two_mentions_of_different_entities(page):
    """The first mention and the first later one that names another entity."""
    first = page.locator(MENTIONS).first
    entity = first.get_attribute("data-entity")
    other = page.locator(f'{MENTIONS}:not([data-entity="{entity}"])').first
    return (first, entity), (other, other.get_attribute("data-entity"))


def test_hover_shows_the_definition_and_escape_hides_it(site, open_page):
    page, watch = open_page(site, site.article)
    (first, entity), (other, other_entity) = two_mentions_of_different_entities(page)

    first.hover()
    wait_for_tooltip(page, site.definition(entity), f"hovering the mention of {entity}")

    page.keyboard.press("Escape")
    wait_for_no_tooltip(page, "Escape while the pointer is on the mention")
    page.wait_for_timeout(600)  # the pointer has not moved: the tooltip must not come back
    assert visible_tooltips(page) == [], "the tooltip came back after Escape without the pointer moving"

    # Escape dismisses one tooltip; it does not turn tooltips off.
    other.hover()
    wait_for_tooltip(page, site.definition(other_entity), f"hovering the mention of {other_entity} after Escape")
    assert not watch.problems(), "\n".join(watch.problems())


def test_keyboard_focus_shows_the_definition_and_escape_hides_it(site, open_page):
    page, watch = open_page(site, site.article)
    page.mouse.move(0, 0)

    entity = tab_to_mention(page)
    wait_for_tooltip(page, site.definition(entity), f"Tab to the mention of {entity}")

    page.keyboard.press("Escape")
    wait_for_no_tooltip(page, f"Escape on the focused mention of {entity}")

    following = tab_to_mention(page)
    wait_for_tooltip(page, site.definition(following), f"Tab on to the mention of {following} after Escape")
    assert not watch.problems(), "\n".join(watch.problems())


def test_touch_first_tap_shows_the_definition_second_tap_follows_the_link(site, open_page):
    page, watch = open_page(site, site.article, **PHONE)
    link = page.locator(MENTION_LINKS).first
    entity = link.get_attribute("data-entity")
    before = page.url

    link.tap()
    wait_for_tooltip(page, site.definition(entity), f"first tap on the mention link of {entity}")
    page.wait_for_timeout(600)
    assert page.url == before, f"the first tap navigated to {page.url}"
    expect(page.locator(HEADING)).not_to_have_text(titled(site.entities[entity].name))

    link.tap()
    page.wait_for_url(f"**/entities/{entity}/", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(site.entities[entity].name))
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_highlights_and_tooltips_are_readable(site, open_page, scheme):
    """Contrast (WCAG 2) of each entity type's mention, at rest and hovered, and of its tooltip."""
    page, watch = open_page(site, site.article, color_scheme=scheme)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
    kinds = page.evaluate(
        f"() => [...new Set([...document.querySelectorAll({MENTIONS!r})].map((el) => "
        "[...el.classList].find((c) => c.startsWith('entity--'))))]"
    )
    assert len(kinds) >= 3, f"expected mentions of several entity types, found {kinds}"

    measured: list[tuple[str, float, str]] = []
    for kind in kinds:
        mention = page.locator(f"{MENTIONS}.{kind}").first
        entity = mention.get_attribute("data-entity")
        mention.scroll_into_view_if_needed()
        text, background, how = mention.evaluate(COLOURS_JS)
        measured.append((f"{kind} ({entity}) at rest", contrast(text, background), how))

        mention.hover()
        definition = site.definition(entity)
        wait_for_tooltip(page, definition, f"hovering the mention of {entity}")
        text, background, how = mention.evaluate(COLOURS_JS)
        measured.append((f"{kind} ({entity}) hovered", contrast(text, background), how))
        colours = page.evaluate(TOOLTIP_COLOURS_JS, [TOOLTIP, definition])
        assert colours, f"no tooltip for {entity} to measure"
        text, background, how = colours
        measured.append((f"tooltip of {entity}", contrast(text, background), how))

        page.mouse.move(0, 0)
        wait_for_no_tooltip(page, f"pointer moved away from {entity}")

    report = "\n".join(f"{ratio:5.2f}  {what}: {how}" for what, ratio, how in measured)
    print(f"contrast, {scheme} palette, {site.name}:\n{report}")
    low = [(what, round(ratio, 2), how) for what, ratio, how in measured if ratio < AA]
    assert not low, f"contrast below {AA} in the {scheme} palette:\n" + "\n".join(map(str, low))
    assert not watch.problems(), "\n".join(watch.problems())


def test_tooltips_survive_instant_navigation(site, open_page):
    """Glossary via the navigation, then back to the article through links: no reload, tooltips work."""
    if not site.instant:
        pytest.skip(f"the {site.name} digest does not enable navigation.instant")
    demo = site
    page, watch = open_page(demo, demo.article)
    features = page.evaluate("() => JSON.parse(document.getElementById('__config').textContent).features")
    assert "navigation.instant" in features, f"navigation.instant is not enabled in mkdocs.yml: {features}"
    title = heading(page)
    page.evaluate("() => { window.__marker = 'still here' }")

    def same_document(after: str) -> None:
        assert page.evaluate("() => window.__marker") == "still here", f"{after} reloaded the page"

    page.locator("nav.md-nav--primary").get_by_role("link", name="Glossary", exact=True).click()
    page.wait_for_url("**/glossary/", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled("Glossary"))
    same_document("the navigation link to the glossary")

    page.locator(f'.digest-glossary a[href$="entities/{demo.entity}/"]').click()
    page.wait_for_url(f"**/entities/{demo.entity}/", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(demo.entities[demo.entity].name))
    same_document("the glossary's link to an entity")

    page.locator(".digest-backlinks > li > a").filter(has_text=title).click()
    page.wait_for_url(f"**/{demo.article}", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(title))
    same_document("the entity page's link to the article")

    mention = page.locator(LATER_MENTIONS).first
    entity = mention.get_attribute("data-entity")
    mention.hover()
    wait_for_tooltip(page, demo.definition(entity), "hovering a mention after instant navigation")
    page.keyboard.press("Escape")
    wait_for_no_tooltip(page, "Escape after instant navigation")

    # A first-mention link is followed with a click (a mouse is not a touch), still without reload.
    link = page.locator(MENTION_LINKS).first
    target = link.get_attribute("data-entity")
    link.click()
    page.wait_for_url(f"**/entities/{target}/", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(demo.entities[target].name))
    same_document("a mention link")
    page.go_back()
    page.wait_for_url(f"**/{demo.article}", timeout=NAVIGATION)
    expect(page.locator(HEADING)).to_have_text(titled(title))
    page.mouse.move(0, 0)
    entity = tab_to_mention(page)
    wait_for_tooltip(page, demo.definition(entity), "Tab to a mention after instant navigation and Back")
    page.keyboard.press("Escape")
    wait_for_no_tooltip(page, "Escape on a focused mention after instant navigation and Back")
    same_document("Back")
    assert normalize(page.title()).startswith(normalize(title))
    assert not watch.problems(), "\n".join(watch.problems())
