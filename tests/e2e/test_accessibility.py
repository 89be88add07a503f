"""axe-core on the main pages; every mention's accessible description is its definition."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.support import (
    AXE_RUN_JS,
    MENTIONS,
    SEARCH_RESULTS,
    TOOLTIP,
    normalize,
    search,
    tab_to_mention,
    wait_for_no_tooltip,
    wait_for_tooltip,
)


def page_path(site, name: str) -> str:
    return {"home": "", "article": site.article, "entity": site.entity_page, "glossary": "glossary/", "search": ""}[
        name
    ]


@pytest.mark.parametrize("name", ["home", "article", "entity", "glossary", "search"])
def test_axe_finds_no_serious_violations(site, open_page, axe_path, name):
    page, watch = open_page(site, page_path(site, name))
    if name == "search":
        search(page, site.alias)
        expect(page.locator(SEARCH_RESULTS).first).to_be_visible()
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(AXE_RUN_JS, site.axe_scope)
    report = json.dumps(violations, indent=2, ensure_ascii=False)
    if violations:
        print(f"axe-core, {site.name} {name} page:\n{report}")
    assert not violations, f"axe-core: serious or critical violations on the {name} page:\n{report}"
    assert not watch.problems(), "\n".join(watch.problems())


#: For every mention: what a screen reader is given (attributes and the described-by element).
MENTIONS_JS = f"""
() => [...document.querySelectorAll({MENTIONS!r})].map((el) => {{
  const ref = el.getAttribute('aria-describedby');
  const target = ref ? document.getElementById(ref) : null;
  return {{
    entity: el.dataset.entity, tag: el.tagName.toLowerCase(), classes: el.className,
    href: el.href || null, expectedHref: new URL(`../../entities/${{el.dataset.entity}}/`, location.href).href,
    tabindex: el.getAttribute('tabindex'), title: el.getAttribute('title'),
    describedby: ref, target: target ? target.textContent : null,
    targetClass: target ? target.className : null,
    targetHidden: target ? !!target.closest('div.digest-definitions') && target.getClientRects().length === 0 : null,
  }};
}})
"""


def contract_problems(site, mentions: list[dict]) -> list[str]:
    """Where the mentions break the markup contract (render.py): one line each."""
    problems = []
    seen: set[str] = set()
    for n, m in enumerate(mentions):
        entity = m["entity"]
        where = f"mention {n} ({entity}, <{m['tag']}>)"
        definition = site.definition(entity)
        kind = site.entities[entity].type
        if f"entity--{kind}" not in m["classes"].split() or "entity" not in m["classes"].split():
            problems.append(f"{where}: classes {m['classes']!r}, expected 'entity entity--{kind}'")
        if not normalize(m["title"] or "").startswith(definition):
            problems.append(f"{where}: title {m['title']!r} does not begin with the definition")
        if m["describedby"] != f"digest-def-{entity}":
            problems.append(f"{where}: aria-describedby={m['describedby']!r}, expected 'digest-def-{entity}'")
        elif m["target"] is None:
            problems.append(f"{where}: aria-describedby names no element")
        else:
            if "digest-definition" not in (m["targetClass"] or "").split():
                problems.append(f"{where}: the described-by element has class {m['targetClass']!r}")
            if not m["targetHidden"]:
                problems.append(f"{where}: the described-by element is not hidden in div.digest-definitions")
            if not normalize(m["target"]).startswith(definition):
                problems.append(f"{where}: description {m['target']!r} does not begin with the definition")
        if entity not in seen:
            seen.add(entity)
            if m["tag"] != "a" or m["href"] != m["expectedHref"]:
                problems.append(f"{where}: the first mention is not a link to ../../entities/{entity}/")
        elif m["tag"] != "span" or m["tabindex"] != "0":
            problems.append(f"{where}: a later mention is not a <span tabindex=0>")
    return problems


def test_every_mention_is_described_by_its_definition(site, open_page):
    page, watch = open_page(site, site.article)
    mentions = page.evaluate(MENTIONS_JS)
    assert len(mentions) >= 5, f"expected mentions in {site.article}, found {len(mentions)}"
    problems = contract_problems(site, mentions)
    assert not problems, "\n".join(problems)

    # What the browser computes (accessible name and description algorithm): the definition,
    # exactly the text of the hidden element, which is the tooltip's text.
    locators = page.locator(MENTIONS)
    for n, m in enumerate(mentions):
        description = normalize(m["target"])
        assert description == normalize(m["title"]), f"mention {n} ({m['entity']}): description != tooltip text"
        expect(
            locators.nth(n), f"accessible description of mention {n} ({m['entity']})"
        ).to_have_accessible_description(description)

    # Showing and hiding a tooltip (the theme rewrites aria-describedby meanwhile) leaves it as it was.
    first = page.locator(MENTIONS).first
    entity = first.get_attribute("data-entity")
    first.hover()
    wait_for_tooltip(page, site.definition(entity), f"hovering the mention of {entity}")
    described = first.get_attribute("aria-describedby")
    describer = page.locator(f'[id="{described}"]')
    assert normalize(describer.first.text_content() or "").startswith(site.definition(entity)), (
        f"while its tooltip shows, the mention of {entity} is described by #{described}"
    )
    page.mouse.move(0, 0)
    wait_for_no_tooltip(page, "pointer moved away")
    page.locator(TOOLTIP).first.wait_for(state="detached", timeout=2_000)

    focused = tab_to_mention(page)
    wait_for_tooltip(page, site.definition(focused), f"Tab to the mention of {focused}")
    page.keyboard.press("Escape")
    wait_for_no_tooltip(page, "Escape")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(400)

    after = contract_problems(site, page.evaluate(MENTIONS_JS))
    assert not after, "after showing and hiding tooltips:\n" + "\n".join(after)
    expect(first).to_have_accessible_description(normalize(mentions[0]["target"]))
    assert not watch.problems(), "\n".join(watch.problems())
