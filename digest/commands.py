"""The commands behind the CLI: load configuration, run the core, report like MkDocs does."""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from digest.config import Settings, settings_from_config
from digest.engines import ENGINES, build_with_zensical, staged_site, zensical_version
from digest.errors import Abort, DigestError
from digest.generate import OWNED_DIRS, OWNED_FILES, SCRIPT, STYLESHEET, WORKER_SHIM, Generator, Result
from digest.slugs import slugify

log = logging.getLogger("mkdocs.digest")


def load(config_file: str | None = None, **overrides: object) -> tuple[MkDocsConfig, Settings]:
    """Load ``mkdocs.yml`` (MkDocs validates it) and the digest's own settings from it."""
    config = load_config(config_file=config_file, **{k: v for k, v in overrides.items() if v is not None})
    settings = settings_from_config(config)
    for warning in settings.warnings:
        log.warning(warning)
    extra_css = [str(item) for item in config.extra_css]
    if STYLESHEET not in extra_css:
        log.warning(
            f"mkdocs.yml: extra_css does not list '{STYLESHEET}', so entity highlights are unstyled; "
            f"add it under extra_css"
        )
    extra_javascript = [str(item) for item in config.extra_javascript]
    if SCRIPT not in extra_javascript:
        log.warning(
            f"mkdocs.yml: extra_javascript does not list '{SCRIPT}', so Escape does not close an entity's "
            f"tooltip, a tap on a touch screen follows a link without showing it, and screen readers lose "
            f"the definitions once the theme loads; add it under extra_javascript"
        )
    if config.theme.name == "material" and "content.tooltips" not in (config.theme.get("features") or []):
        log.warning(
            "mkdocs.yml: theme.features lacks 'content.tooltips', so definitions show as plain browser "
            "tooltips (mouse only); add it"
        )
    return config, settings


def report(result: Result, *, strict: bool, outcome: str = "nothing was built") -> None:
    """Log every problem of a run; raise Abort on errors (or on warnings if strict), saying ``outcome``."""
    for problem in result.problems:
        {"error": log.error, "info": log.info}.get(problem.level, log.warning)(str(problem))
    if result.errors:
        raise Abort(f"Aborted with {len(result.errors)} error(s) in the digest's input; {outcome}.")
    if strict and result.warnings:
        raise Abort(f"Aborted with {len(result.warnings)} warning(s) in strict mode!")


def generate(generator: Generator, *, strict: bool = False) -> Result:
    """Run the build step and report its problems; raise Abort on errors (or warnings if strict)."""
    result = generator.run()
    report(result, strict=strict)
    log.info(
        f"Digest: {result.articles} article(s), {result.entities} entities, {result.mentions} mentions -> "
        f"{result.pages} pages ({len(result.written)} written, {len(result.removed)} removed) "
        f"in {result.seconds:.2f} seconds"
    )
    return result


def build_site(config: MkDocsConfig) -> None:
    """Build ``site_dir`` with MkDocs into a staging folder, then swap it in.

    A build that fails leaves the previous site untouched.
    """
    final = Path(config.site_dir)
    with staged_site(final) as staging:
        config.site_dir = str(staging)
        try:
            mkdocs_build(config)
        finally:
            config.site_dir = str(final)


def inputs_epoch(settings: Settings, config_file: str) -> int:
    """The newest modification time among the digest's inputs, in whole seconds.

    MkDocs stamps the sitemap and its gzip header with the build date unless
    ``SOURCE_DATE_EPOCH`` is set; deriving it from the inputs makes two builds of the same
    inputs byte-identical, and the sitemap's ``lastmod`` tell when the content last changed.
    """
    newest = Path(config_file).stat().st_mtime
    generated = [settings.docs_dir / folder for folder in OWNED_DIRS] + [settings.docs_dir / f for f in OWNED_FILES]
    for folder in (settings.seeds_dir, settings.docs_dir):
        for file in folder.rglob("*"):
            if file.is_file() and not file.name.startswith(".") and not any(file.is_relative_to(g) for g in generated):
                newest = max(newest, file.stat().st_mtime)
    if settings.glossary_file.is_file():
        newest = max(newest, settings.glossary_file.stat().st_mtime)
    return int(newest)


@contextmanager
def source_date_epoch(epoch: int) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` for the duration, unless the user already set it."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


#: Theme features that fetch pages or files, which browsers refuse on ``file://``.
FETCHING_FEATURES = ("navigation.instant", "navigation.instant.prefetch", "navigation.instant.preview")


def prepare_offline(config: MkDocsConfig) -> None:
    """Configure a loaded config for reading from the file system (``digest build --offline``).

    Material's offline plugin turns off directory URLs (pages become ``x.html``) and inlines the
    search index into a script; its Web Worker shim would come from unpkg.com, so the vendored
    copy Digest writes to ``assets/digest/`` is listed first (the plugin then adds none).
    Instant navigation is switched off: it fetches pages, which browsers block on ``file://``.
    """
    if config.theme.name != "material":
        raise DigestError(f"--offline needs theme 'material' (for its offline plugin), not '{config.theme.name}'")
    config.use_directory_urls = False
    features = [f for f in (config.theme.get("features") or []) if f not in FETCHING_FEATURES]
    config.theme["features"] = features
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [WORKER_SHIM, *polyfills]
    if not any(name in ("offline", "material/offline") for name in config.plugins):
        from material.plugins.offline.plugin import OfflinePlugin

        plugin = OfflinePlugin()
        errors, _warnings = plugin.load_config({}, config.config_file_path)
        if errors:  # pragma: no cover - an empty config is the plugin's default
            raise DigestError(f"the offline plugin refused its default settings: {errors[0][1]}")
        config.plugins["material/offline"] = plugin
    log.info(
        "Offline build: pages are .html files to open from the file system; search and tooltips work; "
        "instant navigation is off, there is no 404 page, and the feeds and sitemap still point at site_url"
    )


def build(
    config_file: str | None = None,
    *,
    strict: bool = False,
    site_dir: str | None = None,
    engine: str | None = None,
    offline: bool = False,
) -> Result:
    """``digest build``: generate the Markdown pages, then build the site with an engine.

    ``engine`` is one of :data:`~digest.engines.ENGINES`; None means ``extra.digest.engine``
    (default ``mkdocs``). Both engines read the same ``mkdocs.yml``, build into a staging
    folder and swap it in, with ``SOURCE_DATE_EPOCH`` derived from the inputs. ``offline``
    builds a site that works opened from the file system (see :func:`prepare_offline`; MkDocs
    only, since it relies on Material's offline plugin).
    """
    if engine is not None and engine not in ENGINES:
        raise DigestError(f"unknown engine '{engine}'; choose one of: {', '.join(ENGINES)}")
    config, settings = load(
        config_file, strict=strict, site_dir=site_dir, use_directory_urls=False if offline else None
    )
    settings = settings.with_engine(engine or settings.engine)
    if settings.engine == "zensical":
        if offline:
            raise DigestError(
                "--offline builds with MkDocs (Material's offline plugin, which Zensical does not run); "
                "use --engine mkdocs"
            )
        zensical_version()  # before generating: a missing engine is the whole story
    if offline:
        prepare_offline(config)
    result = generate(Generator(settings), strict=strict)
    # The generator's articles, pages and caches are garbage now, but some sit in reference
    # cycles that only a full collection frees: free them before the engine's own peak (at
    # 5,000 articles the peak of `digest build` went from 922 to 881 MB).
    gc.collect()
    with source_date_epoch(inputs_epoch(settings, config.config_file_path)):
        if settings.engine == "zensical":
            build_with_zensical(config.config_file_path, config.site_dir, strict=strict)
        else:
            build_site(config)
    if offline:
        # The 404 page is for web servers (whose paths are absolute); no one serves it from disk.
        (Path(config.site_dir) / "404.html").unlink(missing_ok=True)
    return result


def generate_only(config_file: str | None = None, *, strict: bool = False, engine: str | None = None) -> Result:
    """``digest generate``: write the Markdown pages only, for ``engine`` to build.

    ``engine`` (default: ``extra.digest.engine``) matters for links: see
    :attr:`digest.urls.Urls.source_relative`.
    """
    _config, settings = load(config_file, strict=strict)
    return generate(Generator(settings.with_engine(engine or settings.engine)), strict=strict)


def new(directory: str) -> Path:
    """``digest new``: scaffold a digest that builds at once."""
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise DigestError(f"'{directory}' already exists and is not empty; choose a new folder")
    scaffold = resources.files("digest").joinpath("scaffold")
    site_name = target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "News digest"

    def copy(node, dest: Path) -> None:  # a Traversable: works from a wheel or a zip too
        for child in node.iterdir():
            name = ".gitignore" if child.name == "gitignore" else child.name
            if child.is_dir():
                (dest / name).mkdir(parents=True, exist_ok=True)
                copy(child, dest / name)
            elif child.name.endswith((".py", ".pyc")) or child.name == "__pycache__":
                continue
            else:
                text = child.read_text(encoding="utf-8").replace("{site_name}", site_name)
                (dest / name).write_text(text, encoding="utf-8")

    target.mkdir(parents=True, exist_ok=True)
    copy(scaffold, target)
    log.info(f"Created a new digest in '{directory}': add articles to seeds/, then run 'digest serve' there")
    return target


def pdf(config_file: str | None = None, *, output: str | None = None, strict: bool = False) -> Path:
    """``digest pdf``: print the whole digest to one PDF with WeasyPrint; returns the file written.

    Reads and annotates like a build but writes no page: problems are reported as ``digest build``
    reports them (errors abort, and warnings too with ``strict``), then the print HTML
    (:mod:`digest.printing`) is laid out by :mod:`digest.pdf` and written atomically to ``output``,
    by default ``<slug of site_name>.pdf`` next to ``mkdocs.yml``.
    """
    from digest.fonts import installed_coverage, missing_glyphs, warning
    from digest.pdf import load_weasyprint, render_pdf, write_atomically
    from digest.printing import PrintOptions, print_html, printed_texts

    started = time.perf_counter()
    load_weasyprint()  # before the work: a missing WeasyPrint or Pango is the first thing to say
    config, settings = load(config_file, strict=strict)
    digest, result = Generator(settings).collect()
    report(result, strict=strict, outcome="no PDF was written")
    assert digest is not None  # report() raised on errors, the only case without a digest
    if not digest.articles:
        raise DigestError(
            f"{settings.display(settings.seeds_dir)}/ holds no article, so there is nothing to print; "
            f"add articles there and run digest pdf again"
        )
    target = Path(output) if output else settings.root / f"{slugify(config.site_name)}.pdf"
    options = PrintOptions(
        title=config.site_name,
        description=config.site_description or None,
        lang=str(config.theme.get("language") or "en"),
    )
    coverage = installed_coverage()
    if coverage is not None and (missing := missing_glyphs(printed_texts(digest), coverage)) is not None:
        log.warning(warning(missing))
        if strict:
            raise Abort("Aborted with 1 warning(s) in strict mode! No PDF was written.")
    rendered = render_pdf(print_html(digest, options))
    for url in rendered.refused:
        log.warning(f"PDF: refused to load '{url}'; the PDF loads nothing from outside")
    write_atomically(target, rendered.pdf)
    shown = target.resolve().relative_to(Path.cwd()) if target.resolve().is_relative_to(Path.cwd()) else target
    log.info(f"PDF written to {shown} ({rendered.pages} pages) in {time.perf_counter() - started:.2f} seconds")
    return target
