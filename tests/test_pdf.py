"""``digest pdf``: real PDFs laid out by WeasyPrint, read back with pypdf, pages drawn with pypdfium2.

The first pages of the demo's PDF are saved as PNGs in ``build/test-artifacts/pdf/`` for a person
to look at after a test run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pypdfium2
import pytest

from tests.conftest import CLI_ENV, REPO, copy_demo, run_cli

ARTIFACTS = REPO / "build" / "test-artifacts" / "pdf"

# The demo glossary's ATACMS entry, as the footnote and the appendix print it.
ATACMS_DEFINITION = "A US-made surface-to-surface ballistic missile with a range of up to about 300 kilometres"


@dataclass
class Pdf:
    """A PDF read back: its reader and the text of every page."""

    path: Path
    reader: pypdf.PdfReader
    texts: list[str]

    @classmethod
    def read(cls, path: Path) -> Pdf:
        reader = pypdf.PdfReader(path)
        return cls(path, reader, [page.extract_text() for page in reader.pages])

    def page_of(self, anchor: str) -> int:
        """The 0-based page an anchor (a named destination) points at."""
        return self.reader.get_destination_page_number(self.reader.named_destinations[anchor])

    def top_outline(self) -> list[str]:
        return [item.title for item in self.reader.outline if not isinstance(item, list)]

    def links(self, page: int) -> list[str]:
        """Names of the internal destinations the links on a page go to."""
        names = []
        for ref in self.reader.pages[page].get("/Annots", []):
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if dest is not None:
                names.append(str(dest))
        return names


def flat(text: str) -> str:
    """Text with line breaks and hyphenation folded back, for phrase searches across lines."""
    return re.sub(r"\s+", " ", re.sub(r"-\n", "", text))


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Pdf, subprocess.CompletedProcess[str]]:
    """The demo digest printed by the CLI with --strict, to its default file name."""
    root = copy_demo(tmp_path_factory.mktemp("demo-pdf"))
    run = run_cli("pdf", "--strict", cwd=root)
    assert run.returncode == 0, run.stderr
    return Pdf.read(root / "ukraine-war-digest.pdf"), run


def test_demo_pdf_is_logged_like_mkdocs(demo_pdf: tuple[Pdf, subprocess.CompletedProcess[str]]) -> None:
    pdf, run = demo_pdf
    pages = len(pdf.reader.pages)
    assert re.search(
        rf"INFO +- +PDF written to ukraine-war-digest\.pdf \({pages} pages\) in [\d.]+ seconds", run.stderr
    )
    assert "Traceback" not in run.stderr


def test_demo_pdf_has_cover_contents_article_and_glossary(demo_pdf: tuple[Pdf, subprocess.CompletedProcess]) -> None:
    pdf, _ = demo_pdf
    title = "US allows Ukraine to use long-range missiles in Russia"
    cover = flat(pdf.texts[0])
    assert "Ukraine war digest" in cover
    assert "An annotated digest of reporting on the war in Ukraine" in cover
    assert "1 article · 31 entities" in cover
    assert "How names are marked" in cover  # the legend
    contents = flat(pdf.texts[1])
    article_page = pdf.page_of("article-us-allows-ukraine-to-use-long-range-missiles-in-russia")
    glossary_page = pdf.page_of("glossary")
    # target-counter(): each contents line ends in the page its target starts on.
    assert re.search(rf"{re.escape(title)}[ .]+{article_page + 1}\b", contents)
    assert re.search(rf"Glossary of 31 entities[ .]+{glossary_page + 1}\b", contents)
    assert title in pdf.texts[article_page]
    glossary = flat(" ".join(pdf.texts[glossary_page:]))
    for entry in ("ATACMS", "Volodymyr Zelensky", "Also: Zelensky, Zelenskyy", "Mentioned 5 times in 1 article."):
        assert entry in glossary
    assert ATACMS_DEFINITION in glossary


def test_demo_pdf_definitions_are_footnotes_next_to_their_mentions(
    demo_pdf: tuple[Pdf, subprocess.CompletedProcess],
) -> None:
    pdf, _ = demo_pdf
    first, glossary = (
        pdf.page_of("article-us-allows-ukraine-to-use-long-range-missiles-in-russia"),
        pdf.page_of("glossary"),
    )
    article = [flat(text) for text in pdf.texts[first:glossary]]
    body = " ".join(article)
    assert f"ATACMS (Weapon) {ATACMS_DEFINITION}" in body
    notes = [int(n) for text in pdf.texts[first:glossary] for n in re.findall(r"^(\d+)\. \S", text, re.M)]
    # One note per entity the article names (31 in the demo), numbered in order, none lost.
    assert notes == list(range(1, 32))
    # Each note sits on the page of its mention: the page holding ATACMS' first mention
    # ("ATACMS18 rockets") holds note 18 too. (WeasyPrint drifts notes pages away when the
    # footnote area has padding and a border: see print.css.)
    page = next(i for i, text in enumerate(article) if "ATACMS18 rockets" in text)
    assert "18. ATACMS (Weapon)" in article[page]
    # ~2.5 pages of text and 31 notes fit on 3 pages; drifting notes used to need 6.
    assert glossary - first == 3


def test_demo_pdf_outline_and_page_numbers(demo_pdf: tuple[Pdf, subprocess.CompletedProcess]) -> None:
    pdf, _ = demo_pdf
    assert pdf.top_outline() == [
        "Cover",
        "Contents",
        "US allows Ukraine to use long-range missiles in Russia",
        "Glossary",
    ]
    # The glossary's type groups are nested under it.
    nested = [item for item in pdf.reader.outline if isinstance(item, list)]
    assert [i.title for i in nested[-1]] == ["People", "Places", "Organizations", "Weapons", "Events", "Terms"]
    assert pdf.reader.page_labels[:3] == ["1", "2", "3"]
    # The footer prints the page number on every page but the cover.
    for number, text in enumerate(pdf.texts[1:], start=2):
        assert text.rstrip().endswith(f"\n{number}"), text[-60:]
    assert not pdf.texts[0].rstrip().endswith("\n1")


def test_demo_pdf_links_are_internal(demo_pdf: tuple[Pdf, subprocess.CompletedProcess]) -> None:
    pdf, _ = demo_pdf
    article = pdf.page_of("article-us-allows-ukraine-to-use-long-range-missiles-in-russia")
    glossary = pdf.page_of("glossary")
    toc_links = pdf.links(1)
    assert "article-us-allows-ukraine-to-use-long-range-missiles-in-russia" in toc_links
    assert "glossary" in toc_links
    mention_links = pdf.links(article)
    assert len(mention_links) > 10
    assert "entity-atacms" in pdf.links(article + 1)  # "ATACMS18 rockets" is on the second page
    assert all(pdf.page_of(name) >= glossary for name in mention_links if name.startswith("entity-"))
    assert pdf.page_of("entity-atacms") >= glossary


def test_demo_pdf_pages_render(demo_pdf: tuple[Pdf, subprocess.CompletedProcess]) -> None:
    """Draw the cover, the contents and the first article page for a person to look at."""
    pdf, _ = demo_pdf
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf.path)
    try:
        for index in range(3):
            page = document[index].render(scale=1.5).to_pil()
            page.save(ARTIFACTS / f"page-{index + 1}.png")
            image = page.convert("L")  # as a black-and-white printer sees it
            histogram = image.histogram()
            dark = sum(histogram[:128])
            # Not blank: text is drawn (a few thousand dark pixels at least), yet the page is paper.
            assert dark > 2000, f"page {index + 1} looks blank"
            assert dark < 0.5 * image.width * image.height
    finally:
        document.close()


ARTICLES = {
    "seeds/one.md": """\
        ---
        title: Kursk offensive stalls
        date: 2024-11-03
        source: Example Wire
        author: Jane Doe
        url: https://example.com/kursk
        summary: The front barely moved this week.
        ---
        Fighting in Kursk went on. Ukraine said ATACMS were used.

        ## Background

        | where | what |
        |---|---|
        | Kursk | TASS reported shelling |
        """,
    "seeds/two.md": """\
        ---
        title: Zelensky thanks allies
        date: 2024-11-18
        source: Daily Planet
        ---
        Volodymyr Zelensky thanked the allies who sent ATACMS.
        """,
    "seeds/three.txt": "Undated notes\nTASS said little about Ukraine.\n",
}


@pytest.fixture
def small_pdf(make_digest: Callable[..., Path]) -> Pdf:
    root = make_digest(ARTICLES)
    run = run_cli("pdf", "-o", "out/digest.pdf", cwd=root)
    assert run.returncode == 0, run.stderr
    return Pdf.read(root / "out" / "digest.pdf")


def test_small_digest_pdf(small_pdf: Pdf) -> None:
    pdf = small_pdf
    cover = flat(pdf.texts[0])
    assert "Test digest" in cover
    assert "3 – 18 November 2024" in cover
    assert "3 articles · 5 entities" in cover
    titles = ["Zelensky thanks allies", "Kursk offensive stalls", "Undated notes"]  # newest first, undated last
    assert pdf.top_outline() == ["Cover", "Contents", *titles, "Glossary"]
    # An article's own headings are nested under it in the outline.
    kursk_at = [getattr(item, "title", None) for item in pdf.reader.outline].index("Kursk offensive stalls")
    assert [item.title for item in pdf.reader.outline[kursk_at + 1]] == ["Background"]
    text = flat(" ".join(pdf.texts))
    assert "Example Wire · 3 November 2024 · By Jane Doe" in text
    assert "https://example.com/kursk" in text
    assert "The front barely moved this week." in text
    # Footnote numbers restart with each article; a table cell's mention gets its note too.
    kursk = flat(pdf.texts[pdf.page_of("article-kursk-offensive-stalls")])
    assert "1. Kursk (Place) A Russian region bordering Ukraine." in kursk
    assert "4. TASS (Organization) Russia's state news agency." in kursk
    assert "1. TASS (Organization)" in flat(pdf.texts[pdf.page_of("article-undated-notes")])
    assert "A US-made long-range tactical ballistic missile. Mentioned 2 times in 2 articles." in text  # ATACMS
    assert "Not mentioned in this digest's articles." not in text  # every entity is named somewhere


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=file:///etc/passwd>",
    "{{ config }}",
    "</style><style>body{display:none}</style>",
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
]


def test_hostile_text_is_printed_literally_and_nothing_is_fetched(make_digest: Callable[..., Path]) -> None:
    from digest.commands import load
    from digest.generate import Generator
    from digest.pdf import render_pdf
    from digest.printing import PrintOptions, print_html

    glossary = (
        "entities:\n  - name: Kursk\n    type: place\n"
        "    definition: 'Region <img src=\"file:///etc/hostname\"> {{ x }} </style>'\n"
    )
    body = "\n".join(f"In Kursk they wrote {payload} here." for payload in HOSTILE)
    root = make_digest({"seeds/evil.txt": f"<b>Bold</b> {{{{ title }}}} </style>\n{body}\n"}, glossary=glossary)
    _config, settings = load(str(root / "mkdocs.yml"))
    digest, result = Generator(settings).collect()
    assert digest is not None and not result.errors
    rendered = render_pdf(print_html(digest, PrintOptions(title="<i>Title</i> {{ t }}")))
    assert rendered.refused == []  # the document asks for nothing at all
    out = root / "evil.pdf"
    out.write_bytes(rendered.pdf)
    text = flat(" ".join(Pdf.read(out).texts))
    # The bare URL in the last payload becomes a link (printed again after it), never a fetch.
    literal = [*HOSTILE[:-1], '<link rel="stylesheet" href="http://127.0.0.1:9/x.css']
    for payload in [
        *literal,
        "<b>Bold</b> {{ title }} </style>",
        "<i>Title</i> {{ t }}",
        '<img src="file:///etc/hostname">',
    ]:
        assert payload in text, payload
    assert "root:" not in text


def test_the_fetcher_refuses_every_url() -> None:
    """Defence in depth: markup that does reach WeasyPrint still loads nothing."""
    from digest.pdf import render_pdf

    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>'
        '<img src="file:///etc/passwd"><img src="data:image/png;base64,iVBORw0KGgo=">'
        "<p style=\"background: url('file:///etc/hostname')\">hello</p></body></html>"
    )
    rendered = render_pdf(html, css="@import url('file:///etc/passwd'); p { color: black }")
    assert set(rendered.refused) >= {"http://127.0.0.1:9/x.css", "file:///etc/passwd", "file:///etc/hostname"}
    assert any(url.startswith("data:") for url in rendered.refused)
    assert rendered.pages == 1
    assert b"root:" not in rendered.pdf


def test_no_articles_is_a_one_line_error(make_digest: Callable[..., Path]) -> None:
    root = make_digest({})
    run = run_cli("pdf", cwd=root)
    assert run.returncode == 1
    assert "seeds/ holds no article, so there is nothing to print" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert not list(root.glob("*.pdf"))


def test_broken_glossary_aborts_without_a_pdf(make_digest: Callable[..., Path]) -> None:
    glossary = "entities:\n  - name: Kyiv\n    type: city\n    definition: The capital.\n"
    root = make_digest({"seeds/a.txt": "Title\nKyiv.\n"}, glossary=glossary)
    run = run_cli("pdf", cwd=root)
    assert run.returncode == 1
    assert "seeds/glossary.yml:3: entity 'Kyiv': field 'type': unknown type 'city'" in run.stderr
    assert "no PDF was written" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert not list(root.glob("*.pdf"))


def test_strict_fails_on_warnings(make_digest: Callable[..., Path]) -> None:
    root = make_digest({"seeds/a.txt": "Title\nKursk.\n", "seeds/notes.bin": "x"})
    run = run_cli("pdf", "--strict", cwd=root)
    assert run.returncode == 1
    assert "Aborted with 1 warning(s) in strict mode!" in run.stdout + run.stderr
    assert run_cli("pdf", cwd=root).returncode == 0  # without --strict the warning is only reported


def _run_without(module_source: str, root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``digest pdf`` with a stand-in ``weasyprint`` module first on the path."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "weasyprint.py").write_text(module_source, encoding="utf-8")
    env = {**CLI_ENV, "PYTHONPATH": str(fake)}
    return subprocess.run(
        [sys.executable, "-c", "from digest.cli import main; main()", "pdf"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_missing_weasyprint_says_what_to_install(make_digest: Callable[..., Path], tmp_path: Path) -> None:
    root = make_digest({"seeds/a.txt": "Title\nKursk.\n"})
    run = _run_without("raise ImportError('No module named weasyprint')\n", root, tmp_path)
    assert run.returncode == 1
    assert "pip install 'digest[pdf]'" in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_missing_pango_says_what_to_install(make_digest: Callable[..., Path], tmp_path: Path) -> None:
    # What WeasyPrint does without Pango: print a banner on stdout, then raise OSError from dlopen.
    source = "print('WeasyPrint could not import some external libraries')\nraise OSError(\"cannot load library 'libpango-1.0-0'\")\n"
    root = make_digest({"seeds/a.txt": "Title\nKursk.\n"})
    run = _run_without(source, root, tmp_path)
    assert run.returncode == 1
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in run.stderr
    assert "cannot load library 'libpango-1.0-0'" in run.stderr
    assert "WeasyPrint could not import" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
