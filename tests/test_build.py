"""End to end: small digests built with ``digest build`` in tmp_path, checked as a reader sees them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, run_cli

pytestmark = pytest.mark.slow

ARTICLE_TXT = """\
Missiles cleared for Kursk
Ukrainian troops near Kursk. Photo: AAP
Ukraine may now fire ATACMS at targets in Kursk, officials said.
*This is not emphasis* and <b>this is not bold</b>, {{ not_a_template }} [not](a-link).
Zelenskyy said the missiles would speak for themselves. See https://example.com/report for more.
No one anticipated this escalation by Ukraine.
Everything has changed now. https://t.co/7ktLb5jpO7
— Richard Grenell (@RichardGrenell) November 17, 2024
"""

ARTICLE_MD = """\
---
title: TASS reports on the strikes
date: 2024-11-19
source: Example Wire
author: A. Writer
url: https://example.com/tass-story
summary: Russian media react to the decision.
---

According to *TASS*, the strikes on Kursk were **condemned**.

| Weapon | Range |
|--------|-------|
| ATACMS | 300 km |

Code stays code: `ATACMS`.
"""


@pytest.fixture
def site(make_digest, build):
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/b.md": ARTICLE_MD})
    return build(root)


def mentions(page: BeautifulSoup):
    return page.select("article [data-entity]")


def test_article_page_has_headline_caption_and_metadata(site) -> None:
    page = site.page("articles/tass-reports-on-the-strikes/")
    assert page.select_one("article h1").get_text(strip=True) == "TASS reports on the strikes"
    meta = page.select_one(".digest-meta").get_text(" ", strip=True)
    assert "Example Wire" in meta and "19 November 2024" in meta and "By A. Writer" in meta
    assert page.select_one(".digest-meta a")["href"] == "https://example.com/tass-story"

    txt = site.page("articles/missiles-cleared-for-kursk/")
    caption = txt.select_one("article figure figcaption")
    assert caption.get_text(" ", strip=True).startswith("Ukrainian troops near Kursk")
    assert caption.select_one(".digest-credit").get_text() == "Photo: AAP"


def test_mentions_follow_the_markup_contract(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    found = mentions(page)
    assert [m.get_text() for m in found][:4] == ["Kursk", "Ukraine", "ATACMS", "Kursk"]
    for m in found:
        entity_id = m["data-entity"]
        assert m["class"][0] == "entity" and m["class"][1].startswith("entity--")
        entity_page = site.page(f"entities/{entity_id}/")
        definition = entity_page.select_one(".digest-entity__definition").get_text()
        assert m["title"].startswith(definition)
    kursk = [m for m in found if m["data-entity"] == "kursk"]
    assert kursk[0].name == "a" and kursk[0]["href"] == "../../entities/kursk/"
    assert all(m.name == "span" and not m.has_attr("href") and m["tabindex"] == "0" for m in kursk[1:])
    assert kursk[0]["class"] == ["entity", "entity--place"]


def test_nothing_in_headings_code_or_links_is_annotated(site) -> None:
    page = site.page("articles/tass-reports-on-the-strikes/")
    assert not page.select("h1 [data-entity], code [data-entity], pre [data-entity], a [data-entity]")
    assert page.select_one("article code").get_text() == "ATACMS"
    assert [m.get_text() for m in page.select("table [data-entity]")] == ["ATACMS"]
    assert [m.get_text() for m in page.select("em [data-entity]")] == ["TASS"]


def test_text_that_looks_like_markup_is_shown_as_typed(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    text = page.select_one("article").get_text()
    assert "*This is not emphasis*" in text
    assert "<b>this is not bold</b>" in text
    assert "{{ not_a_template }}" in text and "[not](a-link)" in text
    body = page.select_one("article")
    assert not body.select("b") and not body.select("p em")


def test_bare_urls_become_links(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    hrefs = [a["href"] for a in page.select("article p a:not([data-entity])")]
    assert "https://example.com/report" in hrefs


def test_social_post_is_a_quote_card(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    card = page.select_one("blockquote.digest-post")
    assert "Everything has changed now." in card.get_text()
    assert card.select_one(".digest-post__author").get_text() == "Richard Grenell"
    handle = card.select_one('a[href="https://x.com/RichardGrenell"]')
    assert handle.get_text() == "@RichardGrenell"
    assert card.select_one("time")["datetime"] == "2024-11-17"
    assert card.select_one('a[href="https://t.co/7ktLb5jpO7"]') is not None
    assert "No one anticipated" in card.get_text()


def test_in_this_article_box_links_without_data_entity(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    box = page.select_one(".digest-box")
    assert box is not None and "In this article" in box.get_text()
    links = {a.get_text(): a["href"] for a in box.select("a")}
    assert links["Kursk"] == "../../entities/kursk/"
    assert not box.select("[data-entity]")
    assert [dt.get_text() for dt in box.select("dt")] == ["People", "Places", "Weapons"]


def test_entity_page_lists_articles_with_sentence_context(site) -> None:
    page = site.page("entities/kursk/")
    assert page.select_one("article h1").get_text(strip=True) == "Kursk"
    assert "Place" in page.select_one(".digest-entity__type").get_text()
    items = page.select(".digest-backlinks > li")
    titles = [li.select_one("a").get_text() for li in items]
    assert titles == ["TASS reports on the strikes", "Missiles cleared for Kursk"]  # dated first
    contexts = [q.get_text() for q in page.select(".digest-contexts .digest-context")]
    assert "According to TASS, the strikes on Kursk were condemned." in contexts
    assert "Ukraine may now fire ATACMS at targets in Kursk, officials said." in contexts
    link = page.select(".digest-context-link")[0]["href"]
    target, anchor = link.split("#")
    article = site.page("articles/" + target.split("articles/")[1])
    assert "Kursk" in article.find(id=anchor).get_text()
    assert not page.select("[data-entity]")


def test_entity_page_shows_aliases_and_definition(site) -> None:
    page = site.page("entities/volodymyr-zelensky/")
    text = page.select_one("article").get_text(" ", strip=True)
    assert "Zelenskyy" in text and "President of Ukraine since 2019." in text


def test_glossary_lists_every_entry_a_to_z(site) -> None:
    page = site.page("glossary/")
    names = [dt.select_one("a").get_text() for dt in page.select(".digest-glossary dt")]
    assert names == ["ATACMS", "Kursk", "TASS", "Ukraine", "Volodymyr Zelensky"]
    assert [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")] == ["A", "K", "T", "U", "V"]
    assert page.select_one('.digest-glossary a[href="../entities/kursk/"]') is not None


def test_entities_index_groups_by_type(site) -> None:
    page = site.page("entities/")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert headings == ["People", "Places", "Organizations", "Weapons"]
    places = [a.get_text() for a in page.select(".digest-entities--place a")]
    assert places == ["Kursk", "Ukraine"]


def test_home_lists_articles_newest_first_and_top_entities(site) -> None:
    page = site.page("")
    titles = [a.get_text() for a in page.select(".digest-articles > li > a")]
    assert titles == ["TASS reports on the strikes", "Missiles cleared for Kursk"]
    top = [a.get_text() for a in page.select(".digest-top a")]
    assert top[0] == "Kursk"
    assert page.select(".digest-legend .entity--weapon")


def test_search_finds_entities_by_alias_and_articles_by_words(site) -> None:
    docs = site.search_index()["docs"]
    zelensky = [d for d in docs if d["location"].startswith("entities/volodymyr-zelensky/")]
    assert any("Zelenskyy" in d["text"] for d in zelensky)
    assert any("condemned" in d["text"] for d in docs if d["location"].startswith("articles/tass"))


def test_site_loads_nothing_from_the_internet(site) -> None:
    for html in site.root.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in page.find_all(tag):
                value = el.get(attr, "")
                if tag == "link" and "stylesheet" not in el.get("rel", []) and "icon" not in el.get("rel", []):
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{html}: {tag} loads {value}"
        assert "fonts.googleapis" not in html.read_text(encoding="utf-8")


def test_internal_links_resolve(site) -> None:
    for html in site.root.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for a in page.select("article a[href]"):
            href = a["href"].split("#")[0]
            if not href or re.match(r"^[a-z]+:", href):
                continue
            target = (html.parent / href).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{html.relative_to(site.root)} links to missing {a['href']}"


def test_removing_a_seed_removes_its_page(make_digest, build) -> None:
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/b.md": ARTICLE_MD})
    build(root)
    assert (root / "docs/articles/missiles-cleared-for-kursk.md").is_file()
    (root / "seeds/a.txt").unlink()
    site = build(root)
    assert not (root / "docs/articles/missiles-cleared-for-kursk.md").exists()
    assert not (site.root / "articles/missiles-cleared-for-kursk").exists()
    assert [a.get_text() for a in site.page("").select(".digest-articles a")] == ["TASS reports on the strikes"]


def test_unchanged_build_writes_nothing(make_digest) -> None:
    from digest.commands import generate_only

    root = make_digest({"seeds/a.txt": ARTICLE_TXT})
    first = generate_only(str(root / "mkdocs.yml"))
    second = generate_only(str(root / "mkdocs.yml"))
    assert first.written and second.written == [] and second.removed == []


def test_hand_written_home_is_never_overwritten(make_digest) -> None:
    from digest.commands import generate_only
    from digest.errors import DigestError

    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "docs/index.md": "# My page\n"})
    with pytest.raises(DigestError, match=r"docs/index\.md is hand-written"):
        generate_only(str(root / "mkdocs.yml"))
    assert (root / "docs/index.md").read_text() == "# My page\n"


def test_glossary_error_is_one_line_without_traceback(make_digest) -> None:
    bad = "entities:\n  - name: Kursk\n    type: planet\n    definition: A region.\n"
    root = make_digest({"seeds/a.txt": ARTICLE_TXT}, glossary=bad)
    result = run_cli("build", cwd=root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "seeds/glossary.yml:3: entity 'Kursk': field 'type': unknown type 'planet'" in result.stderr
    assert not (root / "site").exists()


def test_strict_turns_input_warnings_into_failure(make_digest) -> None:
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/notes.docx": "binary"})
    lenient = run_cli("build", cwd=root)
    assert lenient.returncode == 0, lenient.stderr
    assert "seeds/notes.docx: not an article" in lenient.stderr
    strict = run_cli("build", "--strict", cwd=root)
    assert strict.returncode == 1
    assert "strict mode" in strict.stdout + strict.stderr
    assert "Traceback" not in strict.stderr


def test_new_scaffolds_a_digest_that_builds(tmp_path: Path) -> None:
    result = run_cli("new", "my-digest", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "my-digest"
    assert {p.name for p in project.iterdir()} >= {"mkdocs.yml", "docs", "seeds", ".gitignore"}
    built = run_cli("build", "--strict", cwd=project)
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((project / "site/articles/example-article/index.html").read_text(), "html.parser")
    assert {m["data-entity"] for m in page.select("[data-entity]")} == {"kyiv", "united-nations"}
    assert "My Digest" in (project / "site/index.html").read_text()
    again = run_cli("new", "my-digest", cwd=tmp_path)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_demo_digest_builds_strict_with_every_seed_entity(demo_site) -> None:
    page = demo_site.page("articles/us-allows-ukraine-to-use-long-range-missiles-in-russia/")
    found = {m["data-entity"] for m in page.select("article [data-entity]")}
    for entity_id in ("atacms", "kursk", "joe-biden", "volodymyr-zelensky", "north-korea", "tass", "f-16"):
        assert entity_id in found
    atacms = page.select_one('[data-entity="atacms"]')
    assert atacms.name == "a" and "ballistic missile" in atacms["title"]
    docs = demo_site.search_index()["docs"]
    assert any(d["location"].startswith("entities/volodymyr-zelensky/") and "Zelenskyy" in d["text"] for d in docs)


def test_a_reader_crash_skips_only_that_file(make_digest, monkeypatch) -> None:
    """A bug in a reader is reported as a warning naming the file; the rest still builds."""
    from digest import generate
    from digest.commands import generate_only

    real = generate.read_article

    def flaky(file, path):
        if file.name == "a.txt":
            raise ValueError("boom")
        return real(file, path)

    monkeypatch.setattr(generate, "read_article", flaky)
    root = make_digest({"seeds/a.txt": ARTICLE_TXT, "seeds/b.md": ARTICLE_MD})
    result = generate_only(str(root / "mkdocs.yml"))
    assert [str(p) for p in result.problems] == [
        "seeds/a.txt: skipped: digest failed on it (ValueError: boom); please report this bug"
    ]
    assert result.articles == 1


def test_related_articles_timeline_and_co_mentions(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    related = page.select(".digest-related > li")
    assert [li.select_one("a").get_text() for li in related] == ["TASS reports on the strikes"]
    assert "Also names ATACMS, Kursk" in related[0].get_text()
    assert related[0].select_one("a")["href"] == "../tass-reports-on-the-strikes/"
    timeline = site.page("timeline/")
    assert [h.get_text(strip=True).rstrip("¶") for h in timeline.select("article h2")] == ["November 2024", "Undated"]
    kursk = site.page("entities/kursk/")
    together = {a.get_text() for a in kursk.select(".digest-co-mentions a")}
    assert together == {"ATACMS", "Ukraine", "TASS", "Volodymyr Zelensky"}


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        pytest.param("../../etc/passwd", "etc-passwd", id="path-traversal"),
        pytest.param("Radosław Sikorski", "radosław-sikorski", id="unicode-kept"),
        pytest.param("CON", "con-page", id="windows-reserved-name"),
        pytest.param("\U00020000" * 100, "\U00020000" * 50, id="capped-in-bytes"),
        pytest.param("...", "untitled", id="nothing-left"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    from digest.slugs import slugify

    assert slugify(title) == slug
    assert len(slugify(title).encode("utf-8")) <= 200


def test_quotes_are_marked_and_listed_on_the_speaker_page(demo_site) -> None:
    page = demo_site.page("articles/us-allows-ukraine-to-use-long-range-missiles-in-russia/")
    spans = page.select("article span.digest-quote")
    speakers = {span["data-speaker"] for span in spans}
    assert {"volodymyr-zelensky", "richard-grenell", "alex-plitsas", "radoslaw-sikorski"} <= speakers
    zelensky = next(s for s in spans if s["data-speaker"] == "volodymyr-zelensky")
    assert zelensky["title"] == "Volodymyr Zelensky said this"
    entity = demo_site.page("entities/alex-plitsas/")
    quotes = [bq.select_one("p").get_text() for bq in entity.select(".digest-quotes blockquote")]
    assert quotes[0].startswith("“Removing targeting restrictions will allow the Ukrainians")
    assert not quotes[0].endswith(",”")
    context = entity.select_one(".digest-quotes .digest-context-link")["href"]
    anchor = context.split("#")[1]
    assert "Removing targeting restrictions" in page.find(id=anchor).get_text()


# ---------------------------------------------------------------------------------------------
# Accessibility: definitions for screen readers, the mentions script, colours (issue 6)

DIGEST = REPO / "digest"


def test_mentions_are_described_by_hidden_definitions(site) -> None:
    page = site.page("articles/missiles-cleared-for-kursk/")
    containers = page.select("article div.digest-definitions")
    assert len(containers) == 1
    box = containers[0]
    assert box.has_attr("hidden") and box.has_attr("data-search-exclude")
    # After the body: no paragraph of the article follows it.
    assert not [p for p in box.find_all_next("p") if p.get("id", "").startswith("P")]
    found = mentions(page)
    assert found
    for m in found:
        entity_id = m["data-entity"]
        assert m["aria-describedby"] == f"digest-def-{entity_id}"
        target = page.find(id=f"digest-def-{entity_id}")
        assert target is not None and target.parent is box and target["class"] == ["digest-definition"]
        assert m["title"].startswith(target.get_text().rsplit(" (", 1)[0])
        if m.name == "span":
            assert m["tabindex"] == "0" and m["role"] == "term"
        else:
            assert m.name == "a" and not m.has_attr("role") and not m.has_attr("tabindex")
    # Once per entity mentioned, in order of first mention; the type is named.
    ids = [span["id"] for span in box.select("span.digest-definition")]
    assert ids == [f"digest-def-{e}" for e in dict.fromkeys(m["data-entity"] for m in found)]
    assert page.find(id="digest-def-kursk").get_text() == "A Russian region bordering Ukraine. (Place)"
    assert not site.page("entities/kursk/").select(".digest-definitions")


def test_hidden_definitions_stay_out_of_search(site) -> None:
    docs = [d for d in site.search_index()["docs"] if d["location"].startswith("articles/missiles-cleared-for-kursk/")]
    assert docs and not any("President of Ukraine since 2019" in d["text"] for d in docs)


def test_mentions_script_is_generated_and_loaded_on_every_page(site) -> None:
    script = site.root / "assets/digest/digest.js"
    assert script.read_text(encoding="utf-8") == (DIGEST / "assets/digest.js").read_text(encoding="utf-8")
    pages = list(site.root.rglob("*.html"))
    assert len(pages) > 10
    for html in pages:
        if html.name == "404.html":
            continue
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        sources = [s["src"] for s in page.select("script[src]") if s["src"].endswith("assets/digest/digest.js")]
        assert len(sources) == 1, html
        assert (html.parent / sources[0]).resolve() == script.resolve()


def test_mentions_script_is_plain_and_offline() -> None:
    import shutil
    import subprocess

    js = (DIGEST / "assets/digest.js").read_text(encoding="utf-8")
    assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|eval)\b", js)
    assert not re.search(r"\bimport\b|\brequire\(|https?://", js)
    assert "document$" in js and "DOMContentLoaded" in js
    node = shutil.which("node")
    if node:  # a syntax check where Node.js is installed (the browser suite runs the script itself)
        result = subprocess.run([node, "--check", str(DIGEST / "assets/digest.js")], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_a_config_without_the_script_gets_a_warning(make_digest) -> None:
    from tests.conftest import MKDOCS_YML

    config = MKDOCS_YML.replace("extra_javascript: [assets/digest/digest.js]\n", "")
    root = make_digest({"seeds/a.txt": ARTICLE_TXT}, mkdocs_yml=config)
    result = run_cli("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "extra_javascript does not list 'assets/digest/digest.js'" in result.stderr
    assert (root / "docs/assets/digest/digest.js").is_file()  # written anyway, ready to be listed
    complete = make_digest({"seeds/a.txt": ARTICLE_TXT})
    assert "extra_javascript" not in run_cli("generate", cwd=complete).stderr


@pytest.mark.parametrize("config", ["mkdocs.yml", "digest/scaffold/mkdocs.yml"])
def test_shipped_configs_load_the_script_and_enable_instant_navigation(config: str) -> None:
    import yaml

    data = yaml.safe_load((REPO / config).read_text(encoding="utf-8").replace("{site_name}", "x"))
    assert "assets/digest/digest.js" in data["extra_javascript"]
    assert "assets/digest/digest.css" in data["extra_css"]
    assert {"content.tooltips", "navigation.instant"} <= set(data["theme"]["features"])


def test_scanner_allows_only_our_script_and_our_aria(tmp_path: Path) -> None:
    from tests.sitescan import scan_html

    def page(head: str = "", content: str = "") -> str:
        return f"<html><head>{head}</head><body><article>{content}</article></body></html>"

    ours = (
        '<span class="entity" data-entity="kursk" aria-describedby="digest-def-kursk" tabindex="0" role="term">K</span>'
    )
    hidden = '<div class="digest-definitions" hidden data-search-exclude><span id="digest-def-kursk">A.</span></div>'
    assert scan_html(page('<script src="../../assets/digest/digest.js"></script>', ours + hidden)) == []
    for bad in (
        page('<script src="../../assets/digest/evil.js"></script>'),
        page('<script src="https://cdn.example/assets/digest/digest.js"></script>'),
        page(content='<span data-entity="kursk" aria-describedby="P1">K</span>'),
        page(content='<p aria-describedby="digest-def-kursk">x</p>'),
        page(content='<span data-entity="kursk" role="button">K</span>'),
        page(content='<p hidden="">x</p>'),
    ):
        assert scan_html(bad), bad


def test_demo_site_passes_the_scanner(demo_site) -> None:
    from tests.sitescan import scan_site

    assert scan_site(demo_site.root) == []


# Colours: computed from the values in digest/assets/digest.css and in Material's own stylesheets.

ENTITY_KINDS = ("person", "place", "organization", "weapon", "event", "term")
AA = 4.5


def css_block(css: str, selector: str) -> dict[str, str]:
    """The declarations of the first rule whose selector list ends with ``selector`` (comments dropped)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, f"no rule {selector!r}"
    return {
        name.strip(): value.strip()
        for name, _, value in (d.partition(":") for d in match.group(1).split(";"))
        if value.strip()
    }


def parse_colour(value: str, hue: float = 0.0) -> tuple[float, float, float, float]:
    """A CSS colour (hex, or hsl/hsla with ``var(--md-hue)``) as sRGB 0..1 and alpha."""
    import colorsys

    value = value.strip().replace("var(--md-hue)", str(hue))
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return (*channels[:3], channels[3] if len(channels) == 4 else 1.0)
    match = re.fullmatch(r"hsla?\(\s*([\d.]+)(?:deg)?\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*(?:,\s*([\d.]+)\s*)?\)", value)
    assert match, f"cannot read colour {value!r}"
    h, s, lightness = float(match[1]) / 360, float(match[2]) / 100, float(match[3]) / 100
    return (*colorsys.hls_to_rgb(h, lightness, s), float(match[4] or 1))


def over(colour: tuple[float, ...], alpha: float, background: tuple[float, ...]) -> tuple[float, float, float]:
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3], strict=True))


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(rgb: tuple[float, ...]) -> float:
        r, g, b_ = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def material_palettes() -> dict[str, dict[str, tuple[float, float, float, float]]]:
    """Page background, text and code (quote card) background of Material's light and slate palettes."""
    from importlib import resources

    styles = resources.files("material") / "templates" / "assets" / "stylesheets"
    main = next(f for f in styles.iterdir() if re.fullmatch(r"main\.\w+\.min\.css", f.name)).read_text(encoding="utf-8")
    palette = next(f for f in styles.iterdir() if re.fullmatch(r"palette\.\w+\.min\.css", f.name)).read_text(
        encoding="utf-8"
    )
    hue = float(re.search(r"--md-hue:\s*([\d.]+)deg", main)[1])
    light = css_block(main, ":root,[data-md-color-scheme=default]")
    slate = css_block(palette, "[data-md-color-scheme=slate]")
    names = {"bg": "--md-default-bg-color", "fg": "--md-default-fg-color", "code": "--md-code-bg-color"}
    return {
        scheme: {key: parse_colour(block[name], hue) for key, name in names.items()}
        for scheme, block in (("light", light), ("dark", slate))
    }


def digest_palettes() -> dict[str, dict[str, str]]:
    css = (DIGEST / "assets/digest.css").read_text(encoding="utf-8")
    return {"light": css_block(css, ":root"), "dark": css_block(css, '[data-md-color-scheme="slate"]')}


def test_material_palette_is_the_one_the_contrast_figures_assume() -> None:
    palettes = material_palettes()
    hex_of = lambda c: "#" + "".join(f"{round(v * 255):02x}" for v in c[:3])  # noqa: E731
    assert hex_of(palettes["light"]["bg"]) == "#ffffff"
    assert hex_of(palettes["light"]["fg"]) == "#000000" and round(palettes["light"]["fg"][3], 2) == 0.87
    assert hex_of(palettes["dark"]["bg"]) == "#1e2129"
    assert hex_of(palettes["dark"]["fg"]) == "#e2e4e9" and palettes["dark"]["fg"][3] == 0.82


def test_entity_colours_meet_wcag_aa() -> None:
    """Mention text (theme text on a tint, at rest and hovered/focused) and type labels, both palettes."""
    css = (DIGEST / "assets/digest.css").read_text(encoding="utf-8")
    # The rules the figures below describe.
    mention = css_block(css, ".md-typeset .entity")
    assert mention["color"] == "var(--md-typeset-color)"
    assert mention["background-color"] == "color-mix(in srgb, var(--digest-colour) var(--digest-tint), transparent)"
    strong = css_block(
        css,
        ".md-typeset a.entity:hover,\n.md-typeset a.entity:focus,\n.md-typeset .entity:hover,\n"
        ".md-typeset .entity:focus-visible",
    )
    assert strong["color"] == "var(--md-typeset-color)"
    assert "var(--digest-tint-strong)" in strong["background-color"]
    themes, ours = material_palettes(), digest_palettes()
    worst = {}
    for scheme in ("light", "dark"):
        theme, values = themes[scheme], ours[scheme]
        for kind in ENTITY_KINDS:
            assert css_block(css, f".md-typeset .digest-type--{kind}")["color"] == f"var(--digest-{kind})"
            colour = parse_colour(values[f"--digest-{kind}"])
            label = contrast(over(colour, 1, theme["bg"]), theme["bg"])
            assert label >= AA, f"{scheme} {kind} label: {label:.2f}"
            worst[(scheme, "label")] = min(worst.get((scheme, "label"), 99), label)
            for tint_name in ("--digest-tint", "--digest-tint-strong"):
                tint = float(values[tint_name].rstrip("%")) / 100
                for background in ("bg", "code"):
                    tinted = over(colour, tint, theme[background])
                    text = over(theme["fg"], theme["fg"][3], tinted)
                    ratio = contrast(text, tinted)
                    assert ratio >= AA, f"{scheme} {kind} mention on {background}, {tint_name}: {ratio:.2f}"
                    key = (scheme, tint_name)
                    worst[key] = min(worst.get(key, 99), ratio)
    assert min(worst.values()) >= AA


def test_each_type_has_its_own_underline() -> None:
    css = (DIGEST / "assets/digest.css").read_text(encoding="utf-8")
    base = css_block(css, ".md-typeset .entity")
    styles = set()
    for kind in ENTITY_KINDS:
        rule = css_block(css, f".md-typeset .entity--{kind}")
        styles.add((rule["border-bottom-style"], rule.get("border-bottom-width", base["border-bottom"].split()[0])))
    assert len(styles) == len(ENTITY_KINDS)
