"""Both site engines build the same digest: the demo built with MkDocs and with Zensical, compared.

Real builds, no mocks. Zensical comes with the ``test`` extra, so these tests run wherever the
rest of the suite does (``nox -s tests``); they never skip.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import CLI_ENV, MKDOCS_YML, REPO, Site, copy_demo, run_cli

pytestmark = pytest.mark.slow

ENGINES = ("mkdocs", "zensical")
#: Where each engine writes its search index, relative to the site.
SEARCH_INDEX = {"mkdocs": "search/search_index.json", "zensical": "search.json"}


@pytest.fixture(scope="session")
def zensical_demo(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The repository's demo digest, copied and built once with ``--engine zensical --strict``."""
    from digest.commands import build as run_build

    root = copy_demo(tmp_path_factory.mktemp("demo-zensical"))
    started = time.perf_counter()
    run_build(str(root / "mkdocs.yml"), strict=True, engine="zensical")
    print(f"demo built with Zensical in {time.perf_counter() - started:.2f} s")
    return Site(root / "site")


@pytest.fixture(scope="session")
def sites(demo_site: Site, zensical_demo: Site) -> dict[str, Site]:
    return {"mkdocs": demo_site, "zensical": zensical_demo}


def docs_dir(site: Site) -> Path:
    return site.root.parent / "docs"


def generated_pages(site: Site) -> list[str]:
    """URL paths of the pages ``digest`` generated for this site (``use_directory_urls``)."""
    from digest.generate import OWNED_DIRS, OWNED_FILES

    docs = docs_dir(site)
    files = [docs / name for name in OWNED_FILES]
    files += [md for folder in OWNED_DIRS for md in (docs / folder).rglob("*.md")]
    urls = []
    for md in files:
        rel = md.relative_to(docs).with_suffix("")
        urls.append(rel.parent.as_posix() + "/" if rel.name == "index" else rel.as_posix() + "/")
    return sorted(url.removeprefix("./") for url in urls)


def search_entries(site: Site, engine: str) -> list[dict[str, str]]:
    """The search index as ``{location, title, text}`` entries, whichever engine wrote it.

    MkDocs: ``{"docs": [{location, title, text}]}``; Zensical: ``{"items": [{location, level,
    title, text, path, tags}]}``, with HTML in ``text``. Both have one entry per heading section.
    """
    data = json.loads((site.root / SEARCH_INDEX[engine]).read_text(encoding="utf-8"))
    entries = data["docs"] if engine == "mkdocs" else data["items"]
    plain = []
    for entry in entries:
        text = BeautifulSoup(entry["text"], "html.parser").get_text(" ") if "<" in entry["text"] else entry["text"]
        plain.append({"location": entry["location"], "title": entry["title"], "text": html.unescape(text)})
    return plain


def glossary(site: Site) -> dict:
    from digest.glossary import load_glossary

    entities, problems = load_glossary(site.root.parent / "seeds" / "glossary.yml", "seeds/glossary.yml")
    assert not [p for p in problems if p.severity == "error"], problems
    return {entity.id: entity for entity in entities.entities}


def mention_markup(page: BeautifulSoup) -> list[tuple[str, ...]]:
    """Every mention in an article: what the markup contract of ``digest.render`` promises."""
    return [
        (m.name, m["data-entity"], " ".join(m["class"]), m["title"], m["aria-describedby"], m.get("href", ""))
        for m in page.select("article [data-entity]")
    ]


# ---------------------------------------------------------------------------------------------
# The same site from both engines


def test_both_engines_build_every_generated_page(sites) -> None:
    pages = generated_pages(sites["zensical"])
    assert pages == generated_pages(sites["mkdocs"])
    assert {"", "articles/", "entities/", "glossary/", "timeline/"} <= set(pages)
    assert any(p.startswith("articles/") and p != "articles/" for p in pages)
    for engine, site in sites.items():
        missing = [url for url in pages if not (site.root / url / "index.html").is_file()]
        assert not missing, f"{engine} did not build {missing}"


def test_article_mentions_carry_the_same_markup(sites) -> None:
    articles = [p for p in generated_pages(sites["mkdocs"]) if p.startswith("articles/") and p != "articles/"]
    for url in articles:
        pages = {engine: site.page(url) for engine, site in sites.items()}
        markup = {engine: mention_markup(page) for engine, page in pages.items()}
        assert markup["mkdocs"], f"no mentions on {url}"
        assert markup["zensical"] == markup["mkdocs"], url
        definitions = {}
        for engine, page in pages.items():
            boxes = page.select("article div.digest-definitions")
            assert len(boxes) == 1 and boxes[0].has_attr("hidden"), (engine, url)
            definitions[engine] = [(s["id"], s.get_text()) for s in boxes[0].select("span.digest-definition")]
            first_mentions = dict.fromkeys(m[1] for m in markup[engine])
            assert [d[0] for d in definitions[engine]] == [f"digest-def-{e}" for e in first_mentions], (engine, url)
        assert definitions["zensical"] == definitions["mkdocs"], url


def test_entity_pages_list_the_same_articles_and_sentences(sites) -> None:
    entities = glossary(sites["mkdocs"])
    with_articles = 0
    for entity_id in entities:
        url = f"entities/{entity_id}/"
        seen = {}
        for engine, site in sites.items():
            page = site.page(url)
            seen[engine] = (
                page.select_one("article h1").get_text(strip=True).rstrip("¶"),
                [(a.get_text(), a["href"]) for a in page.select(".digest-backlinks > li > a")],
                [q.get_text() for q in page.select(".digest-contexts .digest-context")],
                page.select_one(".digest-entity__definition").get_text(),
            )
        assert seen["zensical"] == seen["mkdocs"], url
        with_articles += bool(seen["mkdocs"][1])
    assert with_articles >= len(entities) // 2


def test_glossary_and_index_pages_are_the_same(sites) -> None:
    selectors = {
        "glossary/": ".digest-glossary dt a",
        "entities/": "article [class*='digest-entities'] a",
        "articles/": ".digest-articles a",
        "": ".digest-articles > li > a, .digest-top a",
        "timeline/": ".digest-articles a",
    }
    for url, selector in selectors.items():
        links = {
            engine: [(a.get_text(strip=True), a["href"]) for a in site.page(url).select(selector)]
            for engine, site in sites.items()
        }
        assert links["mkdocs"], f"nothing matched {selector!r} on /{url}"
        assert links["zensical"] == links["mkdocs"], url
    names = [a.get_text() for a in sites["zensical"].page("glossary/").select(".digest-glossary dt a")]
    assert sorted(names, key=str.casefold) == names and len(names) == len(glossary(sites["zensical"]))


@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_loads_the_digest_stylesheet_and_script(sites, engine: str) -> None:
    site = sites[engine]
    for asset in ("digest.css", "digest.js"):
        built = site.root / "assets" / "digest" / asset
        assert built.read_bytes() == (REPO / "digest" / "assets" / asset).read_bytes()
    pages = [p for p in site.root.rglob("index.html")]
    assert len(pages) > 10
    for file in pages:
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        css = [link["href"] for link in page.select('link[rel="stylesheet"]') if "digest" in link["href"]]
        js = [script["src"] for script in page.select("script[src]") if "digest" in script["src"]]
        assert len(css) == 1 and len(js) == 1, file
        assert (file.parent / css[0]).resolve() == (site.root / "assets/digest/digest.css").resolve()
        assert (file.parent / js[0]).resolve() == (site.root / "assets/digest/digest.js").resolve()


@pytest.mark.parametrize("engine", ENGINES)
def test_theme_bundle_exposes_the_observable_the_script_uses(sites, engine: str) -> None:
    """digest.js re-attaches on ``document$`` (instant navigation); both themes must expose it.

    digest.js falls back to DOMContentLoaded without it; this canary says when a theme update
    drops it (re-check the browser suite then).
    """
    bundles = list((sites[engine].root / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    assert "window.document$=" in bundles[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINES)
def test_search_finds_every_entity_page_by_its_name_and_aliases(sites, engine: str) -> None:
    entries = search_entries(sites[engine], engine)
    entities = glossary(sites[engine])
    assert any(entity.aliases for entity in entities.values())
    for entity_id, entity in entities.items():
        texts = [e["title"] + " " + e["text"] for e in entries if e["location"].startswith(f"entities/{entity_id}/")]
        assert texts, f"{engine}: entities/{entity_id}/ is not in the search index"
        for name in (entity.name, *entity.aliases):
            assert any(name in text for text in texts), f"{engine}: {name!r} is not searchable"


@pytest.mark.parametrize("engine", ENGINES)
def test_hidden_definitions_stay_out_of_search(sites, engine: str) -> None:
    """``data-search-exclude`` is honoured by both (Zensical also strips the attribute from the HTML)."""
    entries = search_entries(sites[engine], engine)
    articles = [e for e in entries if e["location"].startswith("articles/") and e["location"] != "articles/"]
    assert articles
    definitions = [e.definition for e in glossary(sites[engine]).values()]
    for entry in articles:
        leaked = [d for d in definitions if d in entry["text"]]
        assert not leaked, f"{engine}: {entry['location']} indexes the hidden definitions {leaked[:2]}"


@pytest.mark.parametrize(
    ("from_page", "to_page", "mkdocs", "zensical"),
    [
        ("articles/x.md", "entities/kursk.md", "../../entities/kursk/", "../entities/kursk/"),
        ("entities/kursk.md", "articles/x.md", "../../articles/x/", "../articles/x/"),
        ("articles/x.md", "glossary/index.md", "../../glossary/", "../glossary/"),
        ("glossary/index.md", "entities/kursk.md", "../entities/kursk/", "../entities/kursk/"),
        ("index.md", "articles/x.md", "articles/x/", "articles/x/"),
    ],
)
def test_links_are_written_the_way_each_engine_resolves_them(from_page, to_page, mkdocs, zensical) -> None:
    """Zensical resolves raw-HTML links against the source file; MkDocs leaves them to the browser."""
    from digest.urls import Urls

    assert Urls().href(from_page, to_page) == mkdocs
    assert Urls(source_relative=True).href(from_page, to_page, "P1") == zensical + "#P1"
    flat = Urls(use_directory_urls=False)
    assert Urls(use_directory_urls=False, source_relative=True).href(from_page, to_page) == flat.href(
        from_page, to_page
    )


# ---------------------------------------------------------------------------------------------
# The command line


@pytest.fixture
def small_digest(make_digest) -> Callable[..., Path]:
    """A small digest project (two entities' worth of article), ready for ``digest build``."""

    def make(mkdocs_extra: str = "") -> Path:
        seed = "Kursk\nUkraine may now fire ATACMS at targets in Kursk, officials said.\n"
        return make_digest({"seeds/a.txt": seed}, mkdocs_yml=MKDOCS_YML + mkdocs_extra)

    return make


def leftovers(root: Path) -> list[str]:
    """Temporary files or folders a build could leave in the project."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".digest-zensical-", ".site-")))


def test_cli_builds_with_zensical_and_relays_its_output(small_digest) -> None:
    root = small_digest()
    done = run_cli("build", "--engine", "zensical", "--strict", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "Building documentation with Zensical" in done.stderr
    assert "INFO    -  Documentation built by Zensical in" in done.stderr
    assert (root / "site" / "search.json").is_file() and (root / "site/articles/kursk/index.html").is_file()
    # Zensical's cache stays in the project, ignored by git through its own .gitignore.
    assert (root / ".cache" / ".gitignore").read_text().strip() == "*"
    assert not leftovers(root)


def test_engine_from_mkdocs_yml_and_its_validation(small_digest) -> None:
    root = small_digest("extra:\n  digest:\n    engine: zensical\n")
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "search.json").is_file() and not (root / "site" / "search").exists()
    assert run_cli("build", "--engine", "mkdocs", cwd=root).returncode == 0
    assert (root / "site" / "search" / "search_index.json").is_file()

    bad = small_digest("extra:\n  digest:\n    engine: hugo\n")
    done = run_cli("build", cwd=bad)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("Error: mkdocs.yml: extra.digest.engine:")
    assert "Traceback" not in done.stderr


def test_unknown_engine_is_a_usage_error(small_digest) -> None:
    done = run_cli("build", "--engine", "hugo", cwd=small_digest())
    assert done.returncode == 2
    assert "'hugo' is not one of 'mkdocs', 'zensical'" in done.stderr


def test_missing_zensical_is_one_line_saying_how_to_install_it(small_digest) -> None:
    root = small_digest()
    # An interpreter where `import zensical` finds nothing, as without the extra.
    hide = "import sys; sys.modules['zensical'] = None; from digest.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", hide, "build", "--engine", "zensical"],
        cwd=root,
        capture_output=True,
        text=True,
        env=CLI_ENV,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: Zensical is not installed; pip install 'digest[zensical]'"
    assert not (root / "site").exists() and not leftovers(root)


def test_a_failing_zensical_build_is_one_line_and_keeps_the_old_site(small_digest, tmp_path: Path) -> None:
    root = small_digest()
    assert run_cli("build", "--engine", "zensical", cwd=root).returncode == 0
    before = (root / "site" / "index.html").read_bytes()
    # MkDocs accepts a docs_dir outside the project folder; Zensical refuses it.
    (root / "docs").rename(tmp_path / "outside-docs")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "docs_dir: ../outside-docs\n", encoding="utf-8")
    done = run_cli("build", "--engine", "zensical", cwd=root)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: Zensical could not build the site: docs_dir must be within project root"
    )
    assert "Traceback" not in done.stderr
    assert (root / "site" / "index.html").read_bytes() == before
    assert not leftovers(root)


def test_strict_zensical_build_fails_on_its_warnings(small_digest) -> None:
    root = small_digest()
    (root / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    relaxed = run_cli("build", "--engine", "zensical", cwd=root)
    assert relaxed.returncode == 0, relaxed.stderr
    assert re.search(r"^WARNING -  about\.md:3:\d+: page does not exist$", relaxed.stderr, re.MULTILINE)
    strict = run_cli("build", "--engine", "zensical", "--strict", cwd=root)
    assert strict.returncode == 1
    # MkDocs' Abort: the message on stdout, as `mkdocs build --strict` prints it.
    assert strict.stdout.strip() == "Aborted with warnings from Zensical in strict mode!"
    assert "Traceback" not in strict.stderr and not leftovers(root)


def test_zensical_honours_site_dir_outside_the_project(small_digest, tmp_path: Path) -> None:
    root = small_digest()
    out = tmp_path / "published" / "site"
    done = run_cli("build", "--engine", "zensical", "--site-dir", str(out), cwd=root)
    assert done.returncode == 0, done.stderr
    assert (out / "articles" / "kursk" / "index.html").is_file() and (out / "search.json").is_file()
    assert not (root / "site").exists() and not leftovers(root)


def test_generate_writes_the_links_each_engine_expects(small_digest) -> None:
    """``digest generate --engine zensical`` then ``zensical build`` gives the same links as ``digest build``."""
    root = small_digest()
    page = root / "docs" / "articles" / "kursk.md"
    assert run_cli("generate", cwd=root).returncode == 0
    assert 'href="../../entities/kursk/"' in page.read_text(encoding="utf-8")
    assert run_cli("generate", "--engine", "zensical", cwd=root).returncode == 0
    assert 'href="../entities/kursk/"' in page.read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build"], cwd=root, capture_output=True, text=True, env=CLI_ENV, timeout=120
    )
    assert done.returncode == 0, done.stderr
    built = BeautifulSoup((root / "site/articles/kursk/index.html").read_text(encoding="utf-8"), "html.parser")
    assert built.select_one('article a[data-entity="kursk"]')["href"] == "../../entities/kursk/"
