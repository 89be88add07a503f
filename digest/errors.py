"""Error types. Fatal errors are ``click.ClickException`` subclasses: one line, no traceback."""

from __future__ import annotations

from mkdocs.exceptions import Abort, PluginError


class DigestError(PluginError):
    """A fatal problem with the user's input or configuration; the message is the whole story."""


__all__ = ["Abort", "DigestError"]
