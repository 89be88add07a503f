"""Hostile input never becomes live: every payload ends up as visible text, or is dropped.

Three layers:

* the scanner itself (``tests/sitescan.py``) is tested first, on hand-written HTML holding one
  live payload of each kind, so it cannot pass a dangerous site silently;
* ``tests/fixtures/hostile/`` (hostile ``.txt``, ``.md``, ``.txt`` with front matter, hostile
  slugs and a hostile-but-valid glossary) is built end to end with ``digest build`` and a
  ``mkdocs.yml`` that enables the dangerous Markdown extensions (``attr_list``, ``md_in_html``,
  ``pymdownx.snippets`` reading any path, emoji...); the whole site is scanned, the payloads
  are checked to be visible as text, and the docs tree is checked for files outside Digest's
  folders;
* property-based tests run random hostile text through the pure pipeline in every input format
  and field, convert each generated page with Python-Markdown and the same extensions, and
  scan the result.

Every payload contains :data:`sitescan.MARKER` so the scanner can tell it from the theme.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from digest import markup
from digest.annotate import annotate
from digest.crossref import resolve
from digest.generate import OWNED_DIRS, OWNED_FILES, assign_slugs
from digest.glossary import parse_glossary
from digest.ingest import parse_article
from digest.markup import attrs_html, inert_text, md_text
from digest.matcher import Matcher
from digest.render import SiteOptions, render_site
from tests.conftest import Site
from tests.sitescan import PASSWD, PASSWD_MARKERS, forms_markup, scan_html, scan_site, url_scheme

FIXTURE = Path(__file__).parent / "fixtures" / "hostile"
WORD_JOINER = "\u2060"
HEADLINE = '<script>alert("DIGESTPWN")</script> headline'


def visible(text: str) -> str:
    """Text as a reader sees it: without the invisible word joiners that keep it inert."""
    return text.replace(WORD_JOINER, "").replace("¶", "").strip()


# ---------------------------------------------------------------------------------------------
# The scanner finds every kind of live payload


def page(body: str = "", head: str = "") -> str:
    """A page shaped like Material's: theme scripts and forms outside the article."""
    return (
        f"<html><head><title>T</title>{head}</head><body>"
        '<header><form class="md-search__form" name="search"><input></form>'
        '<form class="md-header__option" data-md-component="palette"></form>'
        '<span class="md-ellipsis">Digest</span></header>'
        f'<div class="md-content"><article class="md-content__inner md-typeset"><h1 id="t">T</h1>{body}</article>'
        "</div>"
        '<script id="__config" type="application/json">{"base": "."}</script>'
        '<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
        "<script>var palette=__md_get('__palette')</script></body></html>"
    )


LIVE = {
    "script in content": page("<p><script>alert('DIGESTPWN')</script></p>"),
    "script outside content with payload": page().replace("</body>", "<script>alert('DIGESTPWN')</script></body>"),
    "script from elsewhere": page().replace("</body>", '<script src="https://evil.example/x.js"></script></body>'),
    "event handler": page('<p onclick="x()">x</p>'),
    "event handler on theme markup": page().replace("<header>", '<header onmouseover="x()">'),
    "uppercase event handler": page('<p ONCLICK="x()">x</p>'),
    "javascript href": page('<a href="javascript:alert(1)">x</a>'),
    "encoded javascript href": page('<a href="jav&#x61;script:alert(1)">x</a>'),
    "javascript href with spaces and case": page('<a href="  JaVa\tScRiPt:alert(1)">x</a>'),
    "vbscript href": page('<a href="vbscript:msgbox(1)">x</a>'),
    "data href": page('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'),
    "javascript src": page('<img src="javascript:alert(1)">'),
    "form action": page('<form action="javascript:alert(1)"></form>'),
    "formaction": page('<button formaction="javascript:alert(1)">x</button>'),
    "xlink href": page('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    "object data": page('<object data="javascript:alert(1)"></object>'),
    "poster": page('<video poster="javascript:alert(1)"></video>'),
    "svg animate": page('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>'),
    "iframe": page("<iframe></iframe>"),
    "object": page("<object></object>"),
    "embed": page("<embed>"),
    "frame": page("<frame>"),
    "base": page(head='<base href="https://evil.example/">'),
    "meta refresh": page(head='<meta http-equiv="Refresh" content="0;url=https://evil.example/">'),
    "form in content": page("<form></form>"),
    "form outside content": page().replace("</body>", "<form></form></body>"),
    "style attribute with script": page().replace("<header>", '<header style="width:expression(alert(1))">'),
    "style url in content": page('<p style="background:url(x)">x</p>'),
    "style element in content": page("<style>p{color:red}</style>"),
    "style element with script": page(head="<style>*{background:url(javascript:alert(1))}</style>"),
    "svg with script": page().replace("<header>", "<header><svg><script>alert(1)</script></svg>"),
    "svg onload": page().replace("<header>", '<header><svg onload="alert(1)"></svg>'),
    "svg in content": page('<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>'),
    "math in content": page("<math><mi>x</mi></math>"),
    "img in content": page('<img src="x.png">'),
    "unexpected attribute in content": page('<p data-x="1">x</p>'),
    "attribute named after a payload": page('<p digestpwn="1">x</p>'),
    "file included": page(f"<p>{PASSWD}:root:/root:/bin/bash</p>"),
    "title that the tooltip renders as markup": page('<span title="&lt;img src=x onerror=alert(1)&gt;">x</span>'),
    "truncated title that the tooltip renders as markup": page().replace(
        '<span class="md-ellipsis">Digest</span>', '<span class="md-ellipsis">&lt;img src=x onerror=alert(1)&gt;</span>'
    ),
}


def test_scanner_passes_the_theme_shaped_page() -> None:
    assert scan_html(page('<p id="P1" class="x"><a href="https://example.com/" title="a &lt;⁠b">x</a></p>')) == []


@pytest.mark.parametrize("html", LIVE.values(), ids=LIVE.keys())
def test_scanner_finds_every_kind_of_live_payload(html: str) -> None:
    assert scan_html(html), "the scanner missed a live payload"


def test_scanner_reads_every_file_of_a_site(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "search").mkdir()
    (tmp_path / "index.html").write_text(page(), encoding="utf-8")
    assert scan_site(tmp_path) == []
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(PASSWD.encode()))
    index = '{"docs": [{"location": "javascript:alert(1)", "title": "<img src=x onerror=alert(1)>", "text": ""}]}'
    (tmp_path / "search" / "search_index.json").write_text(index, encoding="utf-8")
    findings = scan_site(tmp_path)
    assert any(f.startswith("sitemap.xml.gz:") and "/etc/passwd" in f for f in findings)
    assert any("location has a scheme" in f for f in findings)
    assert any("event handler" in f and "title" in f for f in findings)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" \x01JAVASCRIPT:alert(1)", "javascript"),
        ("java\nscript:alert(1)", "javascript"),
        ("jav&#x61;script:alert(1)", "javascript"),
        ("jav&amp;#x61;script:alert(1)", "javascript"),
        ("&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;x", "javascript"),
        ("data:text/html,x", "data"),
        ("https://example.com/a:b", "https"),
        ("../../entities/kursk/", None),
        ("#P1", None),
    ],
)
def test_url_scheme_sees_what_a_browser_sees(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme


# ---------------------------------------------------------------------------------------------
# Escaping that the theme's tooltips cannot undo (the fix in digest.markup)


def test_title_attributes_and_headings_cannot_form_markup_when_read_back_as_html() -> None:
    # Material's content.tooltips assigns a title (and a truncated header/toc title) to
    # innerHTML: the value a browser decodes from the attribute must stay text when parsed again.
    definition = "A \"missile\" <img src=x onerror=alert('DIGESTPWN')> & more"
    rendered = attrs_html({"title": definition, "class": "entity"})
    value = BeautifulSoup(f"<span{rendered}>x</span>", "html.parser").span["title"]
    assert not forms_markup(value)
    assert visible(value) == definition
    assert inert_text(inert_text("<b>")) == inert_text("<b>")  # idempotent: applying twice is harmless
    heading = markdown.markdown("## " + md_text("<img src=x onerror=alert(1)> long heading"), extensions=["toc"])
    assert not forms_markup(BeautifulSoup(heading, "html.parser").h2.get_text())


# ---------------------------------------------------------------------------------------------
# The hostile fixture, built end to end


def hostile_config_extensions(snippets_base: str | None = None) -> tuple[list, dict]:
    """The Markdown extensions and their settings exactly as MkDocs loads them from the fixture."""
    config = load_config(config_file=str(FIXTURE / "mkdocs.yml"))
    configs = {name: dict(options) for name, options in config.mdx_configs.items()}
    if snippets_base is not None:
        configs["pymdownx.snippets"]["base_path"] = [snippets_base]
    return list(config.markdown_extensions), configs


def test_the_fixture_really_enables_dangerous_extensions() -> None:
    # A control for the end-to-end test: with these extensions, Markdown that *did* reach the
    # page would read local files and add attributes, so a clean scan means something.
    if PASSWD not in Path("/etc/passwd").read_text(encoding="utf-8", errors="replace"):
        pytest.skip("this machine's /etc/passwd does not start with the usual root line")
    extensions, configs = hostile_config_extensions()
    html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(
        '--8<-- "/etc/passwd"\n\nA paragraph\n{: onclick="alert(\'DIGESTPWN\')" }\n'
    )
    assert ":/root:" in html  # root:x:0:0 itself is mangled by the emoji extension (":x:")
    assert 'onclick="alert' in html
    assert scan_html(html, page=False)


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site, set[str], set[str]]:
    """The hostile fixture built with the real ``digest build`` (not strict: it has warnings)."""
    from digest.commands import build

    outer = tmp_path_factory.mktemp("hostile")
    root = outer / "project"
    shutil.copytree(FIXTURE, root)
    before = tree(outer)
    result = build(str(root / "mkdocs.yml"))
    warnings = [str(problem) for problem in result.problems]
    assert warnings == [
        "seeds/03-front-matter.txt:6: field 'url': 'javascript:alert('DIGESTPWN')' is not an http:// or "
        "https:// address; it is ignored",
        "seeds/03-front-matter.txt:8: field 'slug': '..' has no letters or digits; it is ignored",
        "seeds/slugs/dots.md:3: field 'slug': '...' has no letters or digits; it is ignored",
    ]
    return root, Site(root / "site"), before, tree(outer)


@pytest.mark.slow
def test_hostile_site_is_inert(hostile) -> None:
    _root, site, _before, _after = hostile
    assert len(list(site.root.rglob("*.html"))) >= 30  # every article and entity page is scanned
    findings = scan_site(site.root)
    assert not findings, f"{len(findings)} live payload(s), the first: {findings[0]}"


@pytest.mark.slow
def test_no_local_file_is_read_into_the_site(hostile) -> None:
    _root, site, _before, _after = hostile
    for file in site.root.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert not any(marker.encode() in data for marker in PASSWD_MARKERS), file


@pytest.mark.slow
def test_headline_payload_is_visible_text_in_h1_title_and_header(hostile) -> None:
    _root, site, _before, _after = hostile
    article = site.page("articles/script-alert-digestpwn-script-headline/")
    assert visible(article.select_one("article h1").get_text()) == HEADLINE
    assert visible(article.title.get_text()) == f"{HEADLINE} - Hostile digest"
    assert visible(article.select(".md-header__topic .md-ellipsis")[-1].get_text()) == HEADLINE
    assert not article.select("article script, article img, article svg, article iframe")


@pytest.mark.slow
def test_every_front_matter_field_is_visible_text(hostile) -> None:
    _root, site, _before, _after = hostile
    article = site.page("articles/etc-passwd/")  # slug: ../../etc/passwd
    title = '<script>alert("DIGESTPWN")</script> {{ config }} {: onclick="alert(\'DIGESTPWN\')" } markdown'
    assert visible(article.select_one("article h1").get_text()) == title
    assert visible(article.title.get_text()) == f"{title} - Hostile digest"
    summary = "<img src=x onerror=alert('DIGESTPWN')> \"quoted\" & 'single' {% include \"/etc/passwd\" %}"
    assert article.find("meta", attrs={"name": "description"})["content"] == summary
    assert article.select_one(".digest-summary").get_text() == summary
    meta = article.select_one(".digest-meta").get_text()
    assert "<iframe src=\"javascript:alert('DIGESTPWN')\"></iframe>" in meta
    assert "By <svg onload=alert('DIGESTPWN')>, {{ config }}" in meta
    original = article.select_one(".digest-meta a")["href"]
    assert original == "https://example.com/?q=%22%3E%3Cscript%3Ealert(%27DIGESTPWN%27)%3C/script%3E"
    tags = [t.get_text() for t in article.select(".digest-tag")]
    assert tags == ["<script>alert('DIGESTPWN')</script>", "{{ config }}", '--8<-- "/etc/passwd"']


@pytest.mark.slow
def test_body_payloads_are_visible_text(hostile) -> None:
    _root, site, _before, _after = hostile
    for url, expected in {
        "articles/script-alert-digestpwn-script-headline/": [
            "said <script>alert('DIGESTPWN')</script> and <img src=x onerror=\"alert('DIGESTPWN')\">",
            "{: onclick=\"alert('DIGESTPWN')\" }",
            "A paragraph with an attribute list { onclick=alert('DIGESTPWN') }",
            'Inline include --8<-- "/etc/passwd" in a sentence',
            '{{ config }} {{ config.site_name }} {% include "/etc/passwd" %} {# comment #}',
            ":smile: ==marked== ++ctrl+alt++ ^^sup^^ ~~del~~ {++critic++}",
            "[click](javascript:alert('DIGESTPWN'))",
            "<form action=\"javascript:alert('DIGESTPWN')\">",
        ],
        "articles/etc-passwd/": [
            "<script>alert('DIGESTPWN')</script> heading {: onclick=\"alert('DIGESTPWN')\" }",
            "A heading { onclick=alert('DIGESTPWN') }",
            "--8<-- \"/etc/passwd\"\n<script>alert('DIGESTPWN')</script>",
            '{{ config }} {% include "/etc/passwd" %}',
            "<div markdown=\"1\">md in html <script>alert('DIGESTPWN')</script></div>",  # ** is Markdown
            "<svg onload=\"alert('DIGESTPWN')\"><script>alert('DIGESTPWN')</script></svg>",
        ],
        "articles/include-etc-passwd-svg-onload-alert-digestpwn-text/": [
            '--8<-- "/etc/passwd"',
            "A text paragraph about Kursk {: onclick=\"alert('DIGESTPWN')\" } with <script>",
        ],
    }.items():
        text = visible(site.page(url).select_one("article").get_text())
        for snippet in expected:
            assert snippet in text, f"{url}: {snippet!r} is not shown as text"


@pytest.mark.slow
def test_glossary_text_is_visible_in_tooltips_and_entity_pages(hostile) -> None:
    _root, site, _before, _after = hostile
    glossary = yaml.safe_load((FIXTURE / "seeds" / "glossary.yml").read_text(encoding="utf-8"))["entities"]
    kursk = next(e for e in glossary if e["name"] == "Kursk")
    article = site.page("articles/script-alert-digestpwn-script-headline/")
    mention = article.select_one('[data-entity="kursk"]')
    assert visible(mention["title"]) == f"{kursk['definition']} (Place)"
    assert not forms_markup(mention["title"])
    evil = site.page("entities/evil/")
    assert visible(evil.select_one("article h1").get_text()) == "<b onmouseover=\"alert('DIGESTPWN')\">Evil</b>"
    assert "<img src=x onerror=alert('DIGESTPWN')>" in evil.select_one(".digest-entity__definition").get_text()
    config = site.page("entities/config/")
    assert visible(config.select_one("article h1").get_text()) == "{{ config }}"
    assert config.select_one(".digest-entity__aliases").get_text() == "Also known as: {% include '/etc/passwd' %}"
    reference = site.page("entities/kursk/").select_one(".digest-entity__link a")["href"]
    assert reference == "https://en.wikipedia.org/wiki/Kursk?a=1&b=javascript:alert(DIGESTPWN)"


@pytest.mark.slow
def test_hostile_slugs_never_leave_the_generated_folders(hostile) -> None:
    root, site, before, after = hostile
    docs = "project/docs/"
    new = {path for path in after - before if not path.startswith("project/site/")}
    owned = tuple(f"{docs}{folder}/" for folder in OWNED_DIRS) + tuple(f"{docs}{name}" for name in OWNED_FILES)
    # The build cache names its files by a hash of the seed's path, never by anything in it.
    owned += ("project/.cache/digest/",)
    cached = [p for p in new if p.startswith("project/.cache/digest/articles/")]
    assert cached and all(re.fullmatch(r"project/\.cache/digest/articles/[0-9a-f]{40}\.pickle", p) for p in cached)
    assert new and all(path.startswith(owned) for path in new), sorted(p for p in new if not p.startswith(owned))
    for folder in ("articles", "entities", "sources"):
        for path in (root / "docs" / folder).iterdir():
            assert path.is_file() and re.fullmatch(r"[\w-]{1,80}\.md|\.digest-generated", path.name), path
    articles = {p.stem for p in (root / "docs" / "articles").glob("*.md")}
    assert {"etc-passwd", "etc-passwd-2", "etc-passwd-3", "a-b", "con-page", "abs", "untitled", "index-2"} <= articles
    assert "a" * 80 in articles and "windows-system32" in articles
    assert (root / "docs" / "entities" / "etc-passwd.md").is_file()  # the entity named ../../etc/passwd
    assert not (root.parent / "etc").exists() and not Path(root.anchor, "abs.md").exists()
    pages = {p.relative_to(site.root).parts[0] for p in site.root.rglob("index.html")}
    assert pages <= {"index.html", "articles", "entities", "glossary", "timeline", "sources", "search"}


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert('DIGESTPWN')",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav&#x61;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "//evil.example/",
        "/etc/passwd",
        "file:///etc/passwd",
        "mailto:someone@example.com",
        'https://example.com/" onmouseover="alert(1)',
        "https://example.com/<script>",
    ],
)
def test_glossary_link_that_is_not_http_is_an_error(link: str) -> None:
    text = yaml.safe_dump({"entities": [{"name": "Kursk", "type": "place", "definition": "A region.", "link": link}]})
    glossary, problems = parse_glossary(text, "seeds/glossary.yml")
    assert [p.level for p in problems] == ["error"] and "field 'link'" in problems[0].message
    assert glossary.entities == ()


@pytest.mark.parametrize("entity_id", ["../../etc/passwd", "..", "/abs", "a/b", "a\\b", "CON ", ""])
def test_glossary_id_that_is_a_path_is_an_error(entity_id: str) -> None:
    text = yaml.safe_dump({"entities": [{"id": entity_id, "name": "Kursk", "type": "place", "definition": "x"}]})
    glossary, problems = parse_glossary(text, "seeds/glossary.yml")
    assert any(p.level == "error" and "field 'id'" in p.message for p in problems)
    assert glossary.entities == ()


# ---------------------------------------------------------------------------------------------
# Property-based: random hostile text in any field of any format, through the pure pipeline

FRAGMENTS = [
    "<script>alert('DIGESTPWN')</script>",
    "<img src=x onerror=alert('DIGESTPWN')>",
    "<svg onload=alert('DIGESTPWN')>",
    "<iframe src=javascript:alert('DIGESTPWN')>",
    "javascript:alert('DIGESTPWN')",
    "jav&#x61;script:",
    "data:text/html,",
    "{{ config }}",
    "{% include '/etc/passwd' %}",
    "{:",
    " onclick=\"alert('DIGESTPWN')\" }",
    "{ #x .y }",
    '--8<-- "/etc/passwd"',
    "--8<--",
    "/etc/passwd",
    '<div markdown="1">',
    "*[HTML]: x",
    "[^1]: x",
    "!!! note",
    ":smile:",
    "==x==",
    "++ctrl++",
    "{++x++}",
    '"',
    "'",
    "<",
    ">",
    "&",
    "&amp;",
    "\x00",
    "\x02",
    "\x03",
    "\r",
    "\n",
    "\n\n",
    "\u2028",
    "\ufeff",
    "\t",
    "---",
    "...",
    ":",
    ": ",
    "# ",
    "## ",
    "*",
    "_",
    "`",
    "```",
    "    ",
    "[",
    "]",
    "](",
    "(",
    ")",
    "[x](javascript:alert('DIGESTPWN'))",
    "![x](javascript:alert('DIGESTPWN'))",
    "[x](<javascript:alert('DIGESTPWN')>)",
    "[r]: javascript:alert('DIGESTPWN')",
    "https://example.com/a",
    "|",
    "- ",
    "1. ",
    "> ",
    "\\",
    "—",
    "— A (@a) November 17, 2024",
    "Photo: AAP",
    "Kursk",
    "Ukraine",
    "Привет",
    "Київ",
    "😀",
    "<!--",
    "]]>",
    "__config",
]
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=24).map("".join)
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GLOSSARY = """\
entities:
  - name: Kursk
    type: place
    definition: A "region" <img src=x onerror=alert('DIGESTPWN')> {{ config }}.
  - name: Ukraine
    type: place
    aliases: ["<b>Ukraine</b>"]
    definition: A country.
"""


@functools.cache
def _markdown_setup(snippets_base: str) -> tuple[list, dict]:
    return hostile_config_extensions(snippets_base)


@pytest.fixture(scope="module")
def empty_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("snippets-base"))


def toc_spans(tokens: list[dict]) -> str:
    """Material renders each table-of-contents entry's name in a ``.md-ellipsis`` span."""
    return "".join(f'<span class="md-ellipsis">{t["name"]}</span>{toc_spans(t["children"])}' for t in tokens)


def as_html_page(source: str, snippets_base: str) -> str:
    """One generated Markdown page as MkDocs + Material would make it, reduced to what matters."""
    body, meta = get_data(source)
    extensions, configs = _markdown_setup(snippets_base)
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    content = md.convert(body)
    title, description = meta.get("title", ""), meta.get("description", "")
    return (
        f'<html><head><title>{title}</title><meta name="description" content="{description}"></head><body>'
        f'<header><span class="md-ellipsis">{title}</span></header><nav>{toc_spans(md.toc_tokens)}</nav>'
        f'<article class="md-content__inner md-typeset">{content}</article></body></html>'
    )


def pipeline(files: dict[str, str], glossary: str = GLOSSARY) -> dict[str, str]:
    """The pure pipeline: parse, annotate, resolve and render; never touches the disk."""
    entities, _problems = parse_glossary(glossary, "seeds/glossary.yml")
    articles = []
    for path, text in files.items():
        article, _found = parse_article(text, path, Path(path).suffix)
        if article is not None:
            articles.append(article)
    matcher = Matcher(entities.entities)
    digest = resolve(entities, [annotate(a, matcher) for a in assign_slugs(articles)])
    return render_site(digest, SiteOptions(site_name="Hostile digest"))


def assert_inert(files: dict[str, str], snippets_base: str, glossary: str = GLOSSARY) -> None:
    site = pipeline(files, glossary)
    for rel, source in site.items():
        if not rel.endswith(".md"):
            continue
        findings = scan_html(as_html_page(source, snippets_base), rel)
        assert not findings, findings[0]


@PROPERTY
@given(headline=hostile_text, body=st.lists(hostile_text, max_size=6))
def test_random_plain_text_articles_are_inert(empty_dir: str, headline: str, body: list[str]) -> None:
    assert_inert({"seeds/a.txt": "\n".join([headline, *body, "Kursk and Ukraine are named."])}, empty_dir)


@PROPERTY
@given(body=hostile_text, more=hostile_text)
def test_random_markdown_articles_are_inert(empty_dir: str, body: str, more: str) -> None:
    assert_inert({"seeds/a.md": f"# {body}\n\n{more}\n\nKursk and Ukraine.\n\n{body}"}, empty_dir)


FIELDS = ("title", "summary", "source", "author", "url", "tags", "slug", "date")


@PROPERTY
@given(
    values=st.dictionaries(st.sampled_from(FIELDS), st.one_of(hostile_text, st.lists(hostile_text, max_size=3))),
    raw=hostile_text,
    suffix=st.sampled_from([".md", ".txt"]),
)
def test_random_front_matter_is_inert(empty_dir: str, values: dict, raw: str, suffix: str) -> None:
    block = yaml.safe_dump(values, allow_unicode=True)
    files = {
        f"seeds/a{suffix}": f"---\n{block}---\nHeadline\nKursk is named here.\n",
        f"seeds/b{suffix}": f"---\n{raw}\n---\n{raw}\nUkraine is named here.\n",
    }
    assert_inert(files, empty_dir)


@PROPERTY
@given(name=hostile_text, alias=hostile_text, definition=hostile_text, link=hostile_text)
def test_random_glossary_text_is_inert(empty_dir: str, name: str, alias: str, definition: str, link: str) -> None:
    entry = {"name": name or "x", "type": "term", "definition": definition or "x", "aliases": [alias or "y"]}
    glossary = yaml.safe_dump({"entities": [entry, {**entry, "name": "Kursk", "aliases": [], "link": link}]})
    article = f"Headline {name}\nText naming {name}, {alias} and Kursk: {definition}.\n"
    assert_inert({"seeds/a.txt": article, "seeds/b.md": f"# T\n\n{alias} and {name}"}, empty_dir, glossary)


@pytest.mark.parametrize(
    ("escape", "table"),
    [
        (markup.escape_text, markup._TEXT_ESCAPES),
        (markup.escape_pre, markup._PRE_ESCAPES),
        (markup.escape_attr, markup._ATTR_ESCAPES),
    ],
)
def test_escapers_fast_path_never_skips_a_character_they_escape(escape, table) -> None:
    """The escapers return text untouched when a regex finds nothing to escape: it must find everything."""
    for code, replacement in table.items():
        assert escape(f"a{chr(code)}b") == f"a{replacement or ''}b", repr(chr(code))
