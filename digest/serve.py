"""``digest serve``: a preview server that regenerates and reloads when a seed or the glossary changes.

Built on MkDocs' own live-reload server. The server watches ``docs/``, ``mkdocs.yml``, the seeds
folder and the glossary. Our generated pages live under ``docs/`` too, so events on them are
ignored: otherwise every regeneration would trigger a second, useless rebuild.

After the first build, a change rebuilds only what it touched: the generator rewrites only the
Markdown pages whose content changed (and re-renders only those whose inputs changed), and
MkDocs then builds *dirty*, turning into HTML only the pages newer than their HTML. Two things
a dirty MkDocs build gets wrong are put right here: its search index holds only the pages it
rebuilt (:class:`SearchMerge` keeps the others'), and it never deletes the HTML of a page whose
source is gone (:func:`remove_pages`). A change to ``mkdocs.yml`` gets a full build.

Three things make an edit show sooner than under ``mkdocs serve``: files are watched through
the operating system's file events rather than by polling (:class:`DigestServer`), the theme's
templates are compiled once, not at every rebuild (:class:`TemplateCache`), and the objects that
live as long as the server are left out of the garbage collector's passes (:func:`settle_memory`).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import tempfile
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer, _serve_url, _try_relativize_path
from mkdocs.plugins import BasePlugin, event_priority

from digest.commands import generate, load
from digest.errors import Abort, DigestError
from digest.generate import OWNED_DIRS, OWNED_FILES, Generator, temporary_file
from digest.urls import Urls

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = logging.getLogger("mkdocs.digest")


#: Events that only say a file was read (inotify reports them, polling cannot see them): the
#: build itself reads the seeds and ``docs/``, and must not trigger another build.
READS = frozenset({watchdog.events.EVENT_TYPE_OPENED, watchdog.events.EVENT_TYPE_CLOSED_NO_WRITE})


class DigestServer(LiveReloadServer):
    """MkDocs' LiveReloadServer, but file events for which ``ignore(path)`` is true are dropped,
    and files are watched through the operating system's events unless ``polling``.

    MkDocs polls: every 0.5 s a thread lists every watched file (thousands in ``docs/`` here),
    so a save is noticed 0.25 s late on average and the listing competes with the rebuild for
    the interpreter. The native observer (inotify on Linux, FSEvents, ReadDirectoryChangesW)
    reports a save at once. MkDocs gave it up because those events do not cross every mount
    (network shares, Docker volumes shared from another OS): ``digest serve --poll`` is for
    those, and a native observer that cannot start (inotify limits) falls back to polling.

    ``watch`` and ``serve`` are re-implemented because MkDocs 1.6 (final, unmaintained) has no
    event filter and starts its observer itself; they use the same private state the originals
    do. A single file is watched through its folder (not recursively), so that an editor that
    saves by replacing the file does not end the watch.
    """

    #: MkDocs' polling interval (seconds), when polling.
    POLLING_INTERVAL = 0.5

    def __init__(self, *args: object, ignore: Callable[[str], bool], polling: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.ignore = ignore
        self.polling = polling
        self._recursive: dict[str, bool] = {}  # how each watched path is watched
        if not polling:
            self.observer = watchdog.observers.Observer()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)  # noqa: PTH100 - same key MkDocs uses for its watch table
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._schedule(path, recursive=recursive)
        self._watched_paths[path] = 1
        self._recursive[path] = recursive

    def serve(self, *, open_in_browser: bool = False) -> None:
        """MkDocs' ``serve``, except that a native observer the system refuses gives way to polling."""
        self.server_bind()
        self.server_activate()
        if self._watched_paths:
            try:
                self.observer.start()  # the system's watches are made here (inotify: one per folder)
            except OSError as error:
                if self.polling:
                    raise
                log.warning(f"Cannot watch files through the system's events ({error}); polling instead")
                self._poll_instead()
                self.observer.start()
            paths = ", ".join(f"'{_try_relativize_path(path)}'" for path in self._watched_paths)
            log.info(f"Watching paths for changes: {paths}")
        log.info(f"Serving on {self.url}{' and opening it in a browser' if open_in_browser else ''}")
        self.serve_thread.start()
        if open_in_browser:
            webbrowser.open(self.url)
        self._build_loop()

    def _poll_instead(self) -> None:
        """Replace the native observer, which failed to start, by MkDocs' polling one with the same watches."""
        self.observer.unschedule_all()  # stops the watches that did start
        self.polling = True
        self.observer = watchdog.observers.polling.PollingObserver(timeout=self.POLLING_INTERVAL)
        self._watch_refs.clear()
        for path, recursive in self._recursive.items():
            self._schedule(path, recursive=recursive)

    def _schedule(self, path: str, *, recursive: bool) -> None:
        only = None if Path(path).is_dir() else path
        folder = path if only is None else str(Path(path).parent)

        def callback(event: watchdog.events.FileSystemEvent) -> None:
            if event.is_directory or event.event_type in READS:
                return
            paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
            if only is not None and only not in paths:
                return  # another file in the folder of a watched file
            if all(not p or self.ignore(p) for p in paths):
                return
            log.debug(str(event))
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, folder, recursive=recursive and only is None)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, by template and source checksum (a changed template is
    compiled again)."""

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self.code.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]  # type: ignore[assignment]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


class TemplateCache(BasePlugin):
    """Keeps the theme's compiled templates across dirty rebuilds (one instance per server).

    Every build makes a new Jinja environment, which compiles the templates it renders again
    (the theme's page templates and partials: about 0.1 s of a rebuild that renders one page).
    This plugin gives each environment the same bytecode cache, which Jinja consults before
    compiling, and which knows a template by its name, file and the checksum of its source.
    The compiled code also depends on the environment's settings, which come from
    ``mkdocs.yml``: :meth:`clear` before a full build (``mkdocs.yml`` changed).
    """

    def __init__(self) -> None:
        self.cache = _CompiledTemplates()

    def clear(self) -> None:
        self.cache = _CompiledTemplates()

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = self.cache
        return env


class SearchMerge(BasePlugin):
    """Keeps ``search/search_index.json`` whole across dirty rebuilds (one instance per server).

    The search plugin indexes the pages a build renders; a dirty build renders a few. After
    each build this plugin records every rendered page's entries (by page URL) and, after a
    dirty one, writes the index back with the entries of the pages not rebuilt, dropping those
    of pages that no longer exist.
    """

    def __init__(self) -> None:
        self.entries: dict[str, list[dict]] = {}
        self.pages: list[str] = []
        self.built: set[str] = set()
        self.dirty = False

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.built = set()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The URLs pages will have (Page.url): the site's root is "" there, "./" as a File's.
        self.pages = ["" if file.url in (".", "./") else file.url for file in files.documentation_pages()]
        return files

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self.built.add(page.url)
        return context

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if not index_file.is_file():
            return
        index = json.loads(index_file.read_text(encoding="utf-8"))
        fresh: dict[str, list[dict]] = {url: [] for url in self.built}
        for entry in index.get("docs", []):
            fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        if not self.dirty:
            self.entries = fresh
            return
        self.entries.update(fresh)
        live = set(self.pages)
        self.entries = {url: found for url, found in self.entries.items() if url in live}
        index["docs"] = [entry for url in self.pages for entry in self.entries.get(url, ())]
        index_file.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")


def remove_pages(site_dir: Path, removed: Iterable[str], urls: Urls) -> None:
    """Delete the built files of removed sources (docs-relative paths): a dirty build keeps them."""
    for rel in removed:
        if rel.endswith(".md"):
            url = urls.url(rel)
            target = site_dir / url / "index.html" if url == "" or url.endswith("/") else site_dir / url
        else:
            target = site_dir / rel
        target.unlink(missing_ok=True)


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build is being performed: here it is on purpose (and
    would fail ``--strict``); the merge above deals with what it warns about."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def settle_memory() -> None:
    """After a full build: collect the garbage, then leave what survives out of later collections.

    What survives is mostly the generator's caches, well over a million objects at 1,000
    articles that live as long as the server. Every full pass of the garbage collector walks
    them all (0.1-0.2 s), and one fell inside an edit's rebuild often (the first edit after the
    first build, always). Frozen objects are skipped. One that becomes garbage later is still
    freed when its last reference goes (the caches drop replaced articles that way); only a
    reference cycle among frozen objects would wait for the next full build, which unfreezes.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def generated_paths(docs_dir: Path) -> Callable[[str], bool]:
    """A predicate: is this path one of the digest's generated files?"""
    folders = tuple(str(docs_dir / folder) + os.sep for folder in OWNED_DIRS)
    # The temporary file a page is written to first, too: a native observer sees it come and go.
    files = frozenset(str(path) for name in OWNED_FILES for path in (docs_dir / name, temporary_file(docs_dir / name)))

    def ignore(path: str) -> bool:
        path = os.path.abspath(path)  # noqa: PTH100 - no symlink resolution: compare as given
        return path.startswith(folders) or path in files

    return ignore


def serve(
    config_file: str | None = None,
    *,
    dev_addr: str | None = None,
    strict: bool = False,
    open_in_browser: bool = False,
    livereload: bool = True,
    polling: bool = False,
) -> None:
    """Generate, build into a temporary folder and serve it; rebuild on changes until Ctrl+C.

    ``polling``: watch files by polling, as MkDocs does, not through the system's file events.
    """
    site_dir = tempfile.mkdtemp(prefix="digest_")
    config, settings = load(config_file, site_dir=site_dir, dev_addr=dev_addr, strict=strict)
    if settings.engine != "mkdocs":
        log.info(f"digest serve previews with MkDocs; extra.digest.engine ({settings.engine}) is for digest build")
    # The preview is built by MkDocs: its pages need MkDocs' links, whatever extra.digest.engine says.
    generator = Generator(settings.with_engine("mkdocs"), skip_unchanged=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)

    merge = SearchMerge()
    templates = TemplateCache()
    built_config: dict[str, float] = {}  # mkdocs.yml's mtime at the last full build
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    def builder(fresh_config: object = None) -> None:
        nonlocal generator
        current = config if fresh_config is None else fresh_config
        if fresh_config is None:
            try:  # mkdocs.yml may have changed: reload it, and the digest settings with it
                current, new_settings = load(config_file, site_dir=site_dir, dev_addr=dev_addr, strict=strict)
            except DigestError as error:
                raise Abort(f"Error: {error}") from None
            new_settings = new_settings.with_engine("mkdocs")
            if new_settings != generator.settings:
                generator = Generator(new_settings, skip_unchanged=False)
        current.site_url = serve_url
        try:
            result = generate(generator, strict=strict)
        except DigestError as error:
            raise Abort(f"Error: {error}") from None
        config_mtime = Path(current.config_file_path).stat().st_mtime
        merge.dirty = built_config.get("mtime") == config_mtime
        current.plugins["digest/search-merge"] = merge
        current.plugins["digest/template-cache"] = templates
        if not merge.dirty:
            templates.clear()
        if merge.dirty:
            remove_pages(Path(site_dir), result.removed, Urls(use_directory_urls=current.use_directory_urls))
        mkdocs_build(current, serve_url=serve_url, dirty=merge.dirty)
        built_config["mtime"] = config_mtime
        if not merge.dirty:
            settle_memory()

    server = DigestServer(
        builder=builder,
        host=host,
        port=port,
        root=site_dir,
        mount_path=mount_path,
        ignore=generated_paths(settings.docs_dir),
        polling=polling,
    )

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir, f"{code}.html")
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        builder(config)
        if livereload:
            for path in (settings.docs_dir, settings.seeds_dir, settings.glossary_file, config.config_file_path):
                if path and Path(path).exists() and not _inside_watched(Path(path), server):
                    server.watch(str(path))
        try:
            server.serve(open_in_browser=open_in_browser)
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _inside_watched(path: Path, server: LiveReloadServer) -> bool:
    """True if a folder already watched (recursively) contains ``path``."""
    resolved = str(path.resolve())
    return any(resolved == w or resolved.startswith(w + os.sep) for w in server._watched_paths)
