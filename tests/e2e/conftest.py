"""The browser suite: real pages of built digests in headless Chromium, driven by Playwright.

Run it with ``nox -s e2e``. It is not collected by a plain ``pytest`` (``nox -s tests``) unless
``DIGEST_E2E=1``, which that session sets: it needs a browser, Playwright and axe-core, none of
which the unit tests need, and it must not slow them down.

The browser is Debian's Chromium at /usr/bin/chromium (Playwright's own download does not work
here). Without it the suite is skipped on a developer machine and fails in CI (``CI=true``).
axe-core comes from npm (the nox session installs it and passes its path in ``DIGEST_AXE``).

Three sites are built once per run and served by a threaded ``http.server`` on 127.0.0.1 (search
needs HTTP): the repository's demo digest, a small digest made here with ``digest new`` (the
scaffold a user starts from) and its own two articles and glossary, and the demo again built with
Zensical (``digest build --engine zensical``), whose theme has its own search dialog.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import copy_demo
from tests.e2e.support import DESKTOP, NAVIGATION, WAIT, SiteUnderTest, StaticServer, Watch, settle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ENABLED = os.environ.get("DIGEST_E2E") == "1"
if not ENABLED:
    # Not even imported: the default test run stays free of browsers and Playwright.
    collect_ignore_glob = ["test_*.py"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
SCREENSHOTS = Path(__file__).parent / "screenshots"
SAVED_SCREENSHOTS: list[Path] = []

E2E = Path(__file__).parent
REPO = E2E.parent.parent


def unavailable(reason: str, what: str = "browser suite") -> None:
    """Skip on a developer machine; fail in CI, where everything the suite needs must be there."""
    if IN_CI:
        pytest.fail(f"{what} cannot run: {reason} (CI=true: a failure, not a skip)", pytrace=False)
    pytest.skip(f"{what} skipped: {reason}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ENABLED:
        terminalreporter.write_line("tests/e2e (browser suite) not collected: run `nox -s e2e` (sets DIGEST_E2E=1)")
    elif SAVED_SCREENSHOTS:
        terminalreporter.section("screenshots")
        for path in SAVED_SCREENSHOTS:
            terminalreporter.write_line(str(path))


# ---------------------------------------------------------------------------------------------
# Browser


@functools.cache
def missing() -> str | None:
    """Why the suite cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed; run `nox -s e2e`, or pip install -e '.[e2e]'"
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}; install Debian's package with "
            "`sudo apt-get install chromium` (never `playwright install`)"
        )
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Here rather than in a fixture, so that a missing browser is one line of the summary.
    reason = missing()
    if reason:
        unavailable(reason)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
    yield browser
    browser.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., tuple[Page, Watch]]]:
    """``open_page(site, path, **context options)`` -> (page, watch): a fresh context, watched.

    Every request is recorded; one to any host but the site's server is aborted and fails the
    test. Each context is closed at the end of the test.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    opened: list[tuple[Any, Watch]] = []

    def open_(site: SiteUnderTest, path: str | None = "", **options: Any) -> tuple[Page, Watch]:
        context = browser.new_context(**{**DESKTOP, "locale": "en-GB", **options})
        context.set_default_timeout(WAIT)
        context.set_default_navigation_timeout(NAVIGATION)
        watch = Watch(site.server.origin)
        watch.attach(context)
        opened.append((context, watch))
        page = context.new_page()
        watch.watch_page(page)
        if path is not None:
            page.goto(site.page_url(path), wait_until="load")
            settle(page)
        return page, watch

    yield open_
    external = [url for _, watch in opened for url in watch.external]
    for context, _ in opened:
        context.close()
    assert not external, f"the page requested other hosts than the local server: {external}"


@pytest.fixture(scope="session")
def axe_path() -> Path:
    value = os.environ.get("DIGEST_AXE", "")
    path = Path(value) if value else None
    if path is None or not path.is_file():
        unavailable(
            "axe-core not found; `nox -s e2e` installs it with npm (`npm install axe-core@4`) and sets "
            "DIGEST_AXE to its axe.min.js",
            what="accessibility check",
        )
    return path


# ---------------------------------------------------------------------------------------------
# Sites


FIXTURE_GLOSSARY = """\
entities:
  - name: Volodymyr Zelensky
    type: person
    aliases: [Zelenskyy, Zelensky]
    definition: The president of Ukraine since 2019.
  - name: Kursk
    type: place
    definition: A Russian region on the border with Ukraine.
  - name: TASS
    type: organization
    definition: Russia's state news agency.
  - name: ATACMS
    type: weapon
    aliases: [Army Tactical Missile System]
    definition: >-
      A US-made ballistic missile with a range of <300 km & a "unitary" warhead.
  - name: Kursk offensive
    type: event
    definition: Ukraine's cross-border incursion into the Kursk region, begun in August 2024.
  - name: ceasefire
    type: term
    case_sensitive: false
    definition: An agreement to stop fighting, for a time or for good.
"""

FILLER = "\n".join(
    f"Paragraph {n} of background: the roads were muddy, the nights were long and the supply lines were thin."
    for n in range(1, 13)
)

FIXTURE_ARTICLES = {
    "kursk.md": f"""\
---
title: Fighting in Kursk
date: 2024-11-18
source: Test Wire
summary: Troops hold their ground three months on.
---

Ukrainian troops are still holding ground in Kursk, three months into the Kursk offensive; the
quartermaster said so while counting twelve lanterns.

{FILLER.replace(chr(10), chr(10) + chr(10))}

President Volodymyr Zelensky said a ceasefire was not on the table. TASS reported heavy shelling.

Zelensky asked again for more ATACMS missiles. Later, Zelensky repeated the request, and Kursk
stayed quiet.
""",
    "talks.txt": (
        "Talks about a ceasefire stall\n"
        "Zelenskyy met envoys on Tuesday to discuss a ceasefire.\n"
        "The envoys left without an agreement, according to TASS.\n"
    ),
}


def _glossary(root: Path) -> dict:
    from digest.glossary import load_glossary

    glossary, problems = load_glossary(root / "seeds" / "glossary.yml", "seeds/glossary.yml")
    assert not [p for p in problems if p.severity == "error"], problems
    return {entity.id: entity for entity in glossary.entities}


def _build(root: Path, server: StaticServer, engine: str = "mkdocs") -> None:
    """``digest build --strict --engine ENGINE``, with ``site_url`` set to where the site is served.

    Material's instant navigation only intercepts links found in sitemap.xml, whose URLs come from
    ``site_url`` (with its port): without it, or with another port, every click is a full reload.
    A deployed digest sets ``site_url`` to its address; here that is the test server's.
    """
    from digest.commands import build

    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = f"site_url: {server.url}"
    text, found = re.subn(r"(?m)^site_url:.*$", line, text)
    if not found:
        text = f"{line}\n{text}"
    config.write_text(text, encoding="utf-8")
    build(str(config), strict=True, engine=engine)


def _demo(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[SiteUnderTest]:
    """The repository's demo digest (mkdocs.yml, seeds/, docs/), copied and built with --strict."""
    name = "demo" if engine == "mkdocs" else f"demo-{engine}"
    root = copy_demo(tmp_path_factory.mktemp(f"e2e-{name}"))
    site = root / "site"
    with StaticServer(site) as server:
        _build(root, server, engine)
        articles = sorted(p.parent.name for p in (site / "articles").glob("*/index.html"))
        assert articles, "the demo digest has no article"
        article = f"articles/{articles[0]}/"
        phrase = "significant reversal"
        assert phrase in (site / article / "index.html").read_text(encoding="utf-8"), (
            f"the demo article no longer says {phrase!r}: update the search phrase in tests/e2e/conftest.py"
        )
        yield SiteUnderTest(
            name=name,
            root=site,
            server=server,
            entities=_glossary(root),
            article=article,
            entity="volodymyr-zelensky",
            alias="Zelenskyy",
            phrase=phrase,
            instant=True,
            # Zensical's theme fails axe's contrast rule on the active navigation link and its search
            # dialog's results; Digest's part of the page is the content.
            axe_scope=None if engine == "mkdocs" else "article.md-content__inner",
        )


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteUnderTest]:
    """The demo digest built with MkDocs."""
    yield from _demo(tmp_path_factory, "mkdocs")


@pytest.fixture(scope="session")
def demo_zensical(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteUnderTest]:
    """The demo digest built with Zensical (``digest build --engine zensical``)."""
    yield from _demo(tmp_path_factory, "zensical")


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteUnderTest]:
    """A digest made with ``digest new`` (the user's starting point), with two articles and a glossary."""
    from digest.commands import new

    root = tmp_path_factory.mktemp("e2e-small") / "small-digest"
    new(str(root))
    for example in (root / "seeds").iterdir():
        example.unlink()
    (root / "seeds" / "glossary.yml").write_text(FIXTURE_GLOSSARY, encoding="utf-8")
    for name, text in FIXTURE_ARTICLES.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    site = root / "site"
    with StaticServer(site) as server:
        _build(root, server)
        for slug in ("fighting-in-kursk", "talks-about-a-ceasefire-stall"):
            assert (site / "articles" / slug / "index.html").is_file(), f"expected the page articles/{slug}/"
        yield SiteUnderTest(
            name="small",
            root=site,
            server=server,
            entities=_glossary(root),
            article="articles/fighting-in-kursk/",
            entity="volodymyr-zelensky",
            alias="Zelenskyy",
            phrase="twelve lanterns",
            # The scaffold's choice: tested when it enables instant navigation.
            instant="navigation.instant" in (root / "mkdocs.yml").read_text(encoding="utf-8"),
            extra_articles=["articles/talks-about-a-ceasefire-stall/"],
        )


@pytest.fixture(params=["demo", "small", "demo_zensical"])
def site(request: pytest.FixtureRequest) -> SiteUnderTest:
    """Each test that takes ``site`` runs on both digests, and on the demo built with Zensical."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def screenshots() -> Callable[[Page, str], Path]:
    """``screenshots(page, name, full_page=...)``: save a PNG under tests/e2e/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page: Page, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", timeout=NAVIGATION)
        SAVED_SCREENSHOTS.append(path)
        print(f"screenshot: {path}")
        return path

    return save
