"""The WeasyPrint driver: print HTML + the print stylesheet -> PDF bytes, fetching nothing.

WeasyPrint is an optional dependency (the ``pdf`` extra) and needs the Pango library from the
system; :func:`load_weasyprint` turns either one missing into a one-line :class:`DigestError`
that says what to install.

No resource is ever loaded: the stylesheet is handed over as a string, and every URL WeasyPrint
would fetch (an image, a stylesheet, a font; ``file:``, ``http:``, ``data:``...) goes to a fetcher
that refuses it and records it. :mod:`digest.printing` writes no such URL, so the list stays
empty; the fetcher is the second line of defence should article text ever slip through as markup.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from digest.errors import DigestError

INSTALL_WEASYPRINT = "digest pdf needs WeasyPrint: install it with pip install 'digest[pdf]'"
INSTALL_PANGO = (
    "digest pdf needs the Pango library, which WeasyPrint uses to set text ({error}); "
    "on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)


def stylesheet() -> str:
    """The print stylesheet shipped with the package (``digest/assets/print.css``)."""
    return resources.files("digest").joinpath("assets/print.css").read_text(encoding="utf-8")


def load_weasyprint() -> ModuleType:
    """Import WeasyPrint, or raise :class:`DigestError` naming what to install.

    WeasyPrint loads Pango with ``dlopen`` at import time; when that fails it prints a banner on
    stdout before raising ``OSError``. The banner is swallowed: the error message says it all.
    """
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except ImportError as error:
        raise DigestError(INSTALL_WEASYPRINT) from error
    except OSError as error:
        raise DigestError(
            INSTALL_PANGO.format(error=str(error).splitlines()[0] if str(error) else "not found")
        ) from error
    return weasyprint


@dataclass(slots=True)
class Rendered:
    """A laid-out PDF: its bytes, its number of pages, and the URLs WeasyPrint asked for (refused)."""

    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)


def refusing_fetcher(weasyprint: ModuleType) -> Any:
    """A WeasyPrint URL fetcher that fetches nothing and records what it was asked for.

    WeasyPrint 68+ takes a :class:`weasyprint.urls.URLFetcher` (70 requires one: it reads the
    instance's settings when a fetch fails). A refusal is an ordinary exception, which WeasyPrint
    turns into a missing resource (an image or stylesheet left out), not a failed document.
    """

    class RefusingFetcher(weasyprint.urls.URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url: str, headers: object = None) -> Any:
            self.refused.append(url)
            raise ValueError(f"digest pdf loads no external resource ({url[:80]})")

    return RefusingFetcher()


def render_pdf(html: str, css: str | None = None) -> Rendered:
    """Lay out ``html`` with ``css`` (default: :func:`stylesheet`) and return the PDF.

    ``html`` has no base URL, so a relative URL in it resolves to nothing, and an absolute one
    reaches only the refusing fetcher. Raises :class:`DigestError` if WeasyPrint or Pango is missing.
    """
    weasyprint = load_weasyprint()
    fetcher = refusing_fetcher(weasyprint)
    sheet = weasyprint.CSS(string=stylesheet() if css is None else css, url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(stylesheets=[sheet])
    return Rendered(document.write_pdf(), len(document.pages), fetcher.refused)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then replace.

    A reader (a PDF viewer reloading the file) sees the old file or the new one, never half of one;
    a failed write leaves the old file in place.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temp).chmod(0o644)  # mkstemp makes it private; the PDF is for sharing
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
