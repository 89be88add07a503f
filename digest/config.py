"""Settings: the ``extra.digest`` section of ``mkdocs.yml``, validated at the edge.

The digest's settings live in ``mkdocs.yml`` because both site engines read that file
(Zensical ignores keys it does not know under ``extra``). Every option is optional::

    extra:
      digest:
        seeds: seeds                  # folder of articles (.txt, .md), relative to mkdocs.yml
        glossary: seeds/glossary.yml  # default: <seeds>/glossary.yml
        home_intro: _home.md          # hand-written top of the home page, in docs_dir
        most_mentioned: 12            # entities listed on the home page
        feed_limit: 50                # articles in each feed, newest first (0: all)
        page_size: 50                 # articles per page of the article and source lists
        engine: mkdocs                # what `digest build` builds with: mkdocs or zensical
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c

from digest.engines import DEFAULT_ENGINE, ENGINES, SOURCE_RELATIVE_LINKS
from digest.errors import DigestError
from digest.render import SiteOptions
from digest.urls import Urls

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class DigestOptions(base.Config):
    """Schema of ``extra.digest`` (MkDocs' own config machinery, so messages look like MkDocs')."""

    seeds = c.Type(str, default="seeds")
    """Folder of article files, relative to ``mkdocs.yml``."""
    glossary = c.Optional(c.Type(str))
    """Glossary file, relative to ``mkdocs.yml``; defaults to ``<seeds>/glossary.yml``."""
    home_intro = c.Type(str, default="_home.md")
    """Hand-written Markdown shown at the top of the home page, relative to ``docs_dir``."""
    most_mentioned = c.Type(int, default=12)
    """How many entities the home page lists under "Most mentioned"."""
    feed_limit = c.Type(int, default=50)
    """How many articles, newest first, the Atom and JSON feeds list; 0 lists them all."""
    page_size = c.Type(int, default=50)
    """How many articles each page of the article list (and of each source's list) shows."""
    engine = c.Choice(ENGINES, default=DEFAULT_ENGINE)
    """The engine ``digest build`` uses unless ``--engine`` says otherwise."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved paths and presentation options for one digest."""

    root: Path
    docs_dir: Path
    seeds_dir: Path
    glossary_file: Path
    home_intro_file: Path
    site: SiteOptions
    warnings: tuple[str, ...] = ()
    engine: str = DEFAULT_ENGINE

    def with_engine(self, engine: str) -> Settings:
        """These settings for ``engine``: the pages' links are written the way it resolves them."""
        urls = replace(self.site.urls, source_relative=engine in SOURCE_RELATIVE_LINKS)
        return replace(self, engine=engine, site=replace(self.site, urls=urls))

    def display(self, path: Path) -> str:
        """``path`` as the user would type it: relative to the folder of ``mkdocs.yml``."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def settings_from_config(config: MkDocsConfig) -> Settings:
    """Validate ``extra.digest`` of a loaded MkDocs config and resolve its paths.

    Raises :class:`DigestError` (one line, naming the option and how to fix it) on errors;
    unknown option names come back as ``Settings.warnings``.
    """
    config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
    root = config_file.parent
    raw = (config.extra or {}).get("digest") or {}
    if not isinstance(raw, dict):
        raise DigestError(f"{config_file.name}: extra.digest must be a mapping of options, e.g. 'seeds: seeds'")
    options = DigestOptions(config_file_path=str(config_file))
    options.load_dict(raw)
    errors, warnings = options.validate()
    if errors:
        name, error = errors[0]
        raise DigestError(f"{config_file.name}: extra.digest.{name}: {error}")
    for name in ("most_mentioned", "feed_limit"):
        if options[name] < 0:
            raise DigestError(f"{config_file.name}: extra.digest.{name}: must be 0 or more")
    if options.page_size < 1:
        raise DigestError(f"{config_file.name}: extra.digest.page_size: must be 1 or more (articles per page)")
    docs_dir = Path(config.docs_dir)
    seeds_dir = (root / options.seeds).resolve()
    if not seeds_dir.is_dir():
        raise DigestError(
            f"{config_file.name}: extra.digest.seeds: the folder '{options.seeds}' does not exist; "
            f"create it and put your articles there, or point extra.digest.seeds at your articles"
        )
    glossary = (root / options.glossary).resolve() if options.glossary else seeds_dir / "glossary.yml"
    site = SiteOptions(
        site_name=config.site_name,
        most_mentioned=options.most_mentioned,
        urls=Urls(use_directory_urls=config.use_directory_urls),
        site_url=config.site_url or None,
        site_description=config.site_description or None,
        site_author=config.site_author or None,
        language=str(config.theme.get("language") or "en"),
        feed_limit=options.feed_limit,
        page_size=options.page_size,
    )
    return Settings(
        root=root,
        docs_dir=docs_dir,
        seeds_dir=seeds_dir,
        glossary_file=glossary,
        home_intro_file=docs_dir / options.home_intro,
        site=site,
        warnings=tuple(f"{config_file.name}: extra.digest.{name}: {msg}" for name, msg in warnings),
    ).with_engine(options.engine)
