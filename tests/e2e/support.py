"""Helpers for the browser suite: a local HTTP server, the sites under test, and page probes.

Nothing here talks to anything but 127.0.0.1; the JavaScript snippets run inside the page.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from digest.model import Entity

#: The element Material for MkDocs 9.x (``content.tooltips``) appends to <body> for a ``title``:
#: ``<div class="md-tooltip2" role="tooltip"><div class="md-tooltip2__inner md-typeset">TITLE``,
#: with ``md-tooltip2--active`` while shown (opacity 0 -> 1), removed 250 ms after it hides.
TOOLTIP = '.md-tooltip2[role="tooltip"]'
TOOLTIP_ACTIVE = "md-tooltip2--active"

#: Every wait in the suite is bounded by one of these (milliseconds).
WAIT = 5_000
NAVIGATION = 15_000

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

#: Schemes that are not network requests (never leave the browser).
LOCAL_SCHEMES = ("data:", "blob:", "about:", "chrome-error:")


def normalize(text: str) -> str:
    """Text as a reader sees it: without WORD JOINERs (render.py's title escaping), spaces collapsed."""
    return re.sub(r"\s+", " ", text.replace("\u2060", "")).strip()


# ---------------------------------------------------------------------------------------------
# Serving a built site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser closing a keep-alive connection or cancelling a prefetch is not our concern.
        pass


class StaticServer:
    """A threaded ``http.server`` on 127.0.0.1 and a free port, serving one folder."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._httpd = _Server(("127.0.0.1", 0), handler)
        host, port = self._httpd.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.url = self.origin + "/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"e2e-http-{port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------
# The sites under test


@dataclass
class SiteUnderTest:
    """A built digest served over HTTP, with what the tests need to know about it."""

    name: str
    root: Path
    server: StaticServer
    entities: dict[str, Entity]
    article: str  # URL path of an article, e.g. "articles/slug/"
    entity: str  # an entity mentioned more than once in that article
    alias: str  # another spelling of that entity, typed into search
    phrase: str  # words from the article's text, typed into search
    instant: bool  # navigation.instant is expected on this site
    #: What axe-core checks (a CSS selector): None for the whole page; the content only where the
    #: theme's own chrome has known violations (Zensical 0.0.73: see the README's "Engines").
    axe_scope: str | None = None
    extra_articles: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def page_url(self, path: str) -> str:
        return self.server.url + path.lstrip("/")

    @property
    def entity_page(self) -> str:
        return f"entities/{self.entity}/"

    def definition(self, entity_id: str) -> str:
        return normalize(self.entities[entity_id].definition)


# ---------------------------------------------------------------------------------------------
# What a test saw: console errors, page errors, requests


@dataclass
class Watch:
    """Everything a browser context did that a test may want to fail on."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        return url.startswith((self.origin + "/", *LOCAL_SCHEMES)) or url == self.origin

    def attach(self, context: BrowserContext) -> None:
        def on_request(request) -> None:
            self.requests.append(request.url)
            if not self.is_local(request.url):
                self.external.append(request.url)

        def on_failed(request) -> None:
            # net::ERR_ABORTED is the browser cancelling a request, e.g. the previous page's
            # favicon when a test navigates on: not a failure of the site. A missing file shows
            # up as an HTTP status (on_response), a request elsewhere as `external`.
            if self.is_local(request.url) and "ERR_ABORTED" not in str(request.failure):
                self.failed.append(f"{request.url}: {request.failure}")

        def on_response(response) -> None:
            if response.status >= 400:
                self.failed.append(f"{response.url}: HTTP {response.status}")

        def route(route) -> None:
            # Belt and braces: a request to any other host is recorded and never sent.
            if self.is_local(route.request.url):
                route.continue_()
            else:
                if route.request.url not in self.external:
                    self.external.append(route.request.url)
                route.abort()

        context.on("request", on_request)
        context.on("requestfailed", on_failed)
        context.on("response", on_response)
        context.route("**/*", route)

    def watch_page(self, page: Page) -> None:
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"request to another host: {u}" for u in self.external]
            + [f"failed request: {m}" for m in self.failed]
        )


# ---------------------------------------------------------------------------------------------
# Probes run in the page

#: Material is loaded and, with instant navigation, has its sitemap: it intercepts only the links
#: sitemap.xml lists, and fetches it after the page loads; a click before that is a full reload
#: (or, racing it, both at once). Zensical's theme also loads its search worker at once, after
#: the sitemap: leaving the page before it has loaded aborts that request (a failed request).
_SETTLED_JS = """
() => {
  if (typeof document$ === 'undefined' || !document.body) return false;
  const config = document.getElementById('__config');
  const features = config ? JSON.parse(config.textContent).features || [] : [];
  const loaded = (test) => performance.getEntriesByType('resource').some((e) => test(new URL(e.name).pathname));
  const zensical = document.querySelector('button.md-search__button') !== null;
  return (!zensical || loaded((path) => path.includes('/workers/search')))
    && (!features.includes('navigation.instant') || loaded((path) => path.endsWith('/sitemap.xml')));
}
"""


def settle(page: Page) -> None:
    """Wait until a freshly loaded page is ready for a person: Material mounted, sitemap fetched."""
    page.wait_for_load_state("load", timeout=NAVIGATION)
    page.wait_for_function(_SETTLED_JS, timeout=WAIT)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")


#: The normalized texts of the tooltips a reader can see now (shown, opaque, with a size).
VISIBLE_TOOLTIPS_JS = """
(selector) => [...document.querySelectorAll(selector)].filter((el) => {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return el.classList.contains('md-tooltip2--active') && style.display !== 'none'
    && style.visibility !== 'hidden' && parseFloat(style.opacity) > 0.9 && box.width > 0 && box.height > 0
    && !el.hidden && !el.closest('[hidden]');
}).map((el) => el.textContent.replace(/\\u2060/g, '').replace(/\\s+/g, ' ').trim())
"""

_TOOLTIP_SHOWING_JS = (
    "([selector, text]) => (" + VISIBLE_TOOLTIPS_JS.strip() + ")(selector).some((t) => t.startsWith(text))"
)
_NO_TOOLTIP_JS = "(selector) => (" + VISIBLE_TOOLTIPS_JS.strip() + ")(selector).length === 0"


def visible_tooltips(page: Page) -> list[str]:
    return page.evaluate(VISIBLE_TOOLTIPS_JS, TOOLTIP)


def wait_for_tooltip(page: Page, definition: str, what: str, timeout: int = WAIT) -> None:
    """Wait until a visible tooltip's text begins with ``definition``; fail saying what was seen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_TOOLTIP_SHOWING_JS, arg=[TOOLTIP, definition], timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(
            f"{what}: no visible tooltip beginning with {definition!r} within {timeout} ms "
            f"(visible tooltips: {visible_tooltips(page)!r}; tooltip elements: {tooltip_elements(page)!r}; "
            f"focus on: {page.evaluate(_FOCUS_JS)})"
        ) from None


def wait_for_no_tooltip(page: Page, what: str, timeout: int = WAIT) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_NO_TOOLTIP_JS, arg=TOOLTIP, timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(
            f"{what}: a tooltip is still visible after {timeout} ms: {visible_tooltips(page)!r}"
        ) from None


_FOCUS_JS = "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 300) : null"


def tooltip_elements(page: Page) -> list[str]:
    """Every tooltip element with its classes and opacity: for failure messages."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((el) =>
             `${el.className} opacity=${getComputedStyle(el).opacity}: ${el.textContent.slice(0, 60)}`)""",
        TOOLTIP,
    )


#: The colours a reader sees: an element's text colour and the colour behind it, each composited
#: (as the browser does, in sRGB) over every ancestor's background, root first, on the canvas's
#: white. ``colours(el)`` -> [[r, g, b] text, [r, g, b] background, a description].
_COLOURS_FN = """
function colours(el) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 1, 1);
  const chain = [];
  for (let node = el; node; node = node.parentElement) chain.unshift(node);
  const layers = [];
  for (const node of chain) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)') layers.push(bg);
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, 1, 1);
  }
  const background = Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
  const colour = getComputedStyle(el).color;
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, 1, 1);
  const text = Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
  return [text, background, `${colour} on ${layers.join(' / ')}`];
}
"""

#: ``colours`` of one element (a locator's ``evaluate``).
COLOURS_JS = "(el) => {" + _COLOURS_FN + "return colours(el); }"

#: ``colours`` of the inner box of the visible tooltip whose text begins with ``text``, or null.
TOOLTIP_COLOURS_JS = (
    "([selector, text]) => {"
    + _COLOURS_FN
    + """
  const shown = [...document.querySelectorAll(selector)].find((el) =>
    el.classList.contains('md-tooltip2--active')
    && el.textContent.replace(/\\u2060/g, '').replace(/\\s+/g, ' ').trim().startsWith(text));
  if (!shown) return null;
  const inner = shown.querySelector('.md-tooltip2__inner') || shown;
  return colours(inner);
}"""
)


def _luminance(rgb: list[int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[int], b: list[int]) -> float:
    """WCAG 2 contrast ratio of two opaque sRGB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: axe-core: the serious and critical violations on the page, short enough to print.
AXE_RUN_JS = """
async (scope) => {
  const result = await axe.run(scope || document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\\s+/g, ' ')}`),
      count: v.nodes.length,
    }));
}
"""

#: The mentions in the page's article text (not the hidden definitions or anything else).
MENTIONS = "article.md-content__inner [data-entity]:not(.digest-definitions *)"
MENTION_LINKS = "article.md-content__inner a[data-entity]:not(.digest-definitions *)"
LATER_MENTIONS = "article.md-content__inner span[data-entity]:not(.digest-definitions *)"
HEADING = "article.md-content__inner h1"


def heading(page: Page) -> str:
    """The page's heading, without the permalink sign."""
    return page.locator(HEADING).inner_text().replace("¶", "").strip()


def titled(text: str) -> re.Pattern[str]:
    """A page heading's text: ``text`` and the permalink sign the toc extension adds."""
    return re.compile(r"^\s*" + re.escape(text) + r"\s*¶?\s*$")


#: Whether the focused element is a mention, and which entity.
FOCUSED_MENTION_JS = f"""
() => {{
  const el = document.activeElement;
  return el && el.matches({MENTIONS!r}) ? el.dataset.entity : null;
}}
"""


def tab_to_mention(page: Page, limit: int = 250) -> str:
    """Press Tab until a mention has the focus; return its entity id."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        entity = page.evaluate(FOCUSED_MENTION_JS)
        if entity:
            return entity
    raise AssertionError(f"no [data-entity] mention took the keyboard focus in {limit} presses of Tab")


#: Zensical's search: a button in the header opens a ``<dialog aria-label="Search">`` (in an open
#: shadow root, which Playwright's CSS locators pierce) with a combobox and a listbox of results.
ZENSICAL_SEARCH_BUTTON = "button.md-search__button"
ZENSICAL_SEARCH_INPUT = 'dialog[aria-label="Search"] input[role="combobox"]'
#: A search result link, in Material's list or in Zensical's listbox.
SEARCH_RESULTS = '.md-search-result__list a, dialog[aria-label="Search"] [role="listbox"] a[role="option"]'


def search(page: Page, text: str) -> None:
    """Type into the theme's search box as a person does (``fill`` does not trigger the search)."""
    if page.locator(ZENSICAL_SEARCH_BUTTON).count():
        box = page.locator(ZENSICAL_SEARCH_INPUT)
        if not box.is_visible():  # the dialog is closed (it covers the button while open)
            page.locator(ZENSICAL_SEARCH_BUTTON).click()
    else:
        box = page.locator("input.md-search__input")
        if not box.is_visible():  # narrow screens: the box opens from the header's search button
            page.locator("label.md-header__button[for='__search']").click()
    box.click()
    box.press("Control+A")
    box.press("Backspace")
    box.press_sequentially(text, delay=40)


def search_result(page: Page, path: str):
    """The search results that link to ``path`` (results carry absolute URLs, maybe with #section)."""
    return page.locator(", ".join(f'{result}[href*="/{path}"]' for result in SEARCH_RESULTS.split(", ")))
