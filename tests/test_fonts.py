"""Characters no installed font has: found before the PDF is laid out, and said in one warning."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from digest import fonts
from digest.errors import Abort
from digest.fonts import MissingGlyphs, covers, missing_glyphs, parse_charsets, warning

LATIN = parse_charsets(["20-7e a0-17f 2010-2027"])  # ASCII, Latin-1 and Latin Extended-A, some dashes


@pytest.mark.parametrize(
    ("charsets", "starts", "ends"),
    [
        (["20-7e a0-ff"], [0x20, 0xA0], [0x7E, 0xFF]),
        (["20-7e", "7f-9f"], [0x20], [0x9F]),  # adjacent ranges of two fonts merge
        (["41 42 43", "30-39"], [0x30, 0x41], [0x39, 0x43]),  # single code points; sorted
        (["20-100", "50-60"], [0x20], [0x100]),  # contained
        (["", "zz-yy xx", "20-7e"], [0x20], [0x7E]),  # junk is skipped
        ([], [], []),
    ],
)
def test_parse_charsets(charsets: list[str], starts: list[int], ends: list[int]) -> None:
    assert parse_charsets(charsets) == (starts, ends)


@pytest.mark.parametrize(("ch", "covered"), [("A", True), ("é", True), ("ő", True), ("—", True), ("商", False)])
def test_covers(ch: str, covered: bool) -> None:
    assert covers(LATIN, ch) is covered


def test_missing_glyphs_names_the_places_and_scripts() -> None:
    texts = {
        "seeds/en.txt": "Plain English, café, naïve — “quoted”.",
        "seeds/ja.html": "商品の改造が商標法違反に！？ カタカナ 😀",
        "seeds/ko.html": "악녀의 덫",
        # Spaces, joiners and combining marks need no glyph of their own.
        "seeds/marks.txt": "e\u0301 a\u00a0b \u200d \u2009",
        "the glossary": "Kursk\nA region.",
    }
    missing = missing_glyphs(texts, LATIN)
    assert missing is not None
    assert missing.places == ("seeds/ja.html", "seeds/ko.html")
    assert missing.scripts == ("CJK", "FULLWIDTH", "HANGUL", "HIRAGANA", "KATAKANA", "emoji")
    # 商品改造標法違反 (8) + のがに (3) + カタナ (3) + ！？ (2, fullwidth) + 😀 + 악녀의덫 (4)
    assert missing.characters == 21


def test_nothing_missing_is_none() -> None:
    assert missing_glyphs({"seeds/a.txt": "Kursk, Kyiv — “ATACMS”"}, LATIN) is None


@pytest.mark.parametrize(
    ("scripts", "packages"),
    [
        (("CJK", "HIRAGANA"), "fonts-noto-cjk"),
        (("emoji",), "fonts-noto-color-emoji"),
        (("symbols",), "fonts-symbola"),
        (("ARABIC", "HANGUL", "emoji"), "fonts-noto-cjk fonts-noto-color-emoji fonts-noto"),
    ],
)
def test_warning_says_what_to_install(scripts: tuple[str, ...], packages: str) -> None:
    line = warning(MissingGlyphs(3, scripts, ("seeds/a.html",)))
    assert line.startswith(f"PDF: no installed font has 3 characters ({', '.join(scripts)}) of seeds/a.html:")
    assert line.endswith(f"(on Debian or Ubuntu: apt-get install {packages})")
    assert "\n" not in line


def test_warning_shortens_a_long_list_of_places() -> None:
    line = warning(MissingGlyphs(1, ("CJK",), tuple(f"seeds/{n}.html" for n in range(5))))
    assert "1 character (CJK) of seeds/0.html, seeds/1.html, seeds/2.html and 2 more:" in line


def test_installed_coverage_reads_fontconfig() -> None:
    coverage = fonts.installed_coverage()
    if coverage is None:
        pytest.skip("no fc-list here: the check is skipped, as digest pdf skips it")
    assert covers(coverage, "A")  # every font fontconfig lists has ASCII


def test_without_fontconfig_the_check_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts.shutil, "which", lambda _name: None)
    assert fonts.installed_coverage() is None


# --- digest pdf ---------------------------------------------------------------------------------

JAPANESE = {"seeds/ja.txt": "商品の改造\n商品の改造が商標法違反に。Kursk.\n", "seeds/en.txt": "Title\nKursk.\n"}


def test_pdf_warns_about_characters_no_font_has(
    make_digest: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("weasyprint")
    from digest.commands import pdf

    root = make_digest(JAPANESE)
    monkeypatch.setattr(fonts, "installed_coverage", lambda: LATIN)  # a machine with Latin fonts only
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        written = pdf(str(root / "mkdocs.yml"), output=str(root / "out.pdf"))
    assert written.is_file()  # a warning: the PDF is still written
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("PDF: no installed font")]
    assert "(CJK, HIRAGANA, IDEOGRAPHIC) of seeds/ja.txt:" in line and line.endswith("apt-get install fonts-noto-cjk)")


def test_pdf_strict_fails_on_characters_no_font_has(
    make_digest: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("weasyprint")
    from digest.commands import pdf

    root = make_digest(JAPANESE)
    monkeypatch.setattr(fonts, "installed_coverage", lambda: LATIN)
    with pytest.raises(Abort, match="strict mode! No PDF was written"):
        pdf(str(root / "mkdocs.yml"), output=str(root / "out.pdf"), strict=True)
    assert not (root / "out.pdf").exists()
    monkeypatch.setattr(fonts, "installed_coverage", lambda: parse_charsets(["20-ffff"]))  # fonts for all
    pdf(str(root / "mkdocs.yml"), output=str(root / "out.pdf"), strict=True)
    assert (root / "out.pdf").is_file()
