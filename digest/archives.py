"""Web pages saved as one file: the page's HTML out of an MHTML file or a Safari web archive.

* ``.mhtml`` / ``.mht``: what Chrome, Edge and Opera write for "Webpage, Single File": a MIME
  multipart message (RFC 2557) whose parts are the page and its images, stylesheets and frames.
  The page is the part at the ``Snapshot-Content-Location`` the browser records (else the first
  ``text/html`` part), read with the standard library's ``email`` package.
* ``.webarchive``: what Safari writes: a property list whose ``WebMainResource`` holds the page's
  bytes and their encoding, read with the standard library's ``plistlib``.

:func:`saved_page_html` is pure: bytes in, the page's HTML (text when the archive names its
encoding, else bytes for :func:`digest.htmlpage.decode_html` to decode as a browser would) and
problems out. The rest of a page's reading is :func:`digest.htmlpage.parse_html`'s.
"""

from __future__ import annotations

import email
import email.policy
import plistlib
from email.message import EmailMessage
from typing import Any

from digest.model import Location, Problem

# A MIME message is headers first; an MHTML file's start with these (any order, any case).
_MIME_START = (b"from:", b"snapshot-content-location:", b"subject:", b"date:", b"mime-version:", b"content-type:")


def saved_page_html(data: bytes, suffix: str, path: str) -> tuple[str | bytes | None, list[Problem]]:
    """The HTML of the page saved in ``data`` (an archive with ``suffix``), or None and a warning."""
    if suffix.lower() == ".webarchive":
        html = _webarchive_html(data)
        kind = "a Safari web archive"
    else:
        html = _mhtml_html(data)
        kind = "an MHTML file (a page saved as a single file)"
    if html is None:
        return None, [Problem("warning", Location(path), f"is not {kind} with a web page in it; skipped")]
    return html, []


def _mhtml_html(data: bytes) -> str | bytes | None:
    if not data.lstrip().lower().startswith(_MIME_START):
        return None
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.is_multipart():
        return _part_html(message) if message.get_content_type() == "text/html" else None
    pages = [part for part in message.walk() if part.get_content_type() == "text/html"]
    if not pages:
        return None
    wanted = message.get("Snapshot-Content-Location")
    main = next((part for part in pages if wanted and part.get("Content-Location") == wanted), pages[0])
    return _part_html(main)


def _part_html(part: Any) -> str | bytes | None:
    """A MIME part's content: text in its declared charset, else bytes (transfer encoding undone)."""
    assert isinstance(part, EmailMessage)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown charset: let the page's own <meta charset> decide
    return payload


def _webarchive_html(data: bytes) -> str | bytes | None:
    try:
        archive = plistlib.loads(data)
    except Exception:  # a broken plist fails in many ways (ExpatError, struct.error...): all mean "not one"
        return None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict) or not isinstance(main.get("WebResourceData"), bytes):
        return None
    payload: bytes = main["WebResourceData"]
    encoding = main.get("WebResourceTextEncodingName")
    if isinstance(encoding, str):
        try:
            return payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return payload
