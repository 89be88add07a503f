"""Digest: a static site generator for annotated news digests.

The pipeline is ``seeds/`` -> :mod:`~digest.ingest` -> :mod:`~digest.annotate` ->
:mod:`~digest.crossref` -> :mod:`~digest.render` -> Markdown pages under ``docs/``, which MkDocs
(or Zensical) turns into a site. :class:`~digest.generate.Generator` runs the pipeline.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
