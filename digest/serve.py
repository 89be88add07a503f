"""``digest serve``: a preview server that regenerates and reloads when a seed or the glossary changes.

Built on MkDocs' own live-reload server. The server watches ``docs/``, ``mkdocs.yml``, the seeds
folder and the glossary. Our generated pages live under ``docs/`` too, so events on them are
ignored: otherwise every regeneration would trigger a second, useless rebuild.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import watchdog.events
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer, _serve_url

from digest.commands import generate, load
from digest.errors import Abort, DigestError
from digest.generate import OWNED_DIRS, OWNED_FILES, Generator

log = logging.getLogger("mkdocs.digest")


class DigestServer(LiveReloadServer):
    """MkDocs' LiveReloadServer, but file events for which ``ignore(path)`` is true are dropped.

    ``watch`` is re-implemented because MkDocs 1.6 (final, unmaintained) has no event filter; it
    uses the same private state the original does.
    """

    def __init__(self, *args: object, ignore: Callable[[str], bool], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.ignore = ignore

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)  # noqa: PTH100 - same key MkDocs uses for its watch table
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event: watchdog.events.FileSystemEvent) -> None:
            if event.is_directory:
                return
            paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
            if all(not p or self.ignore(p) for p in paths):
                return
            log.debug(str(event))
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)


def generated_paths(docs_dir: Path) -> Callable[[str], bool]:
    """A predicate: is this path one of the digest's generated files?"""
    folders = tuple(str(docs_dir / folder) + os.sep for folder in OWNED_DIRS)
    files = frozenset(str(docs_dir / name) for name in OWNED_FILES)

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
) -> None:
    """Generate, build into a temporary folder and serve it; rebuild on changes until Ctrl+C."""
    site_dir = tempfile.mkdtemp(prefix="digest_")
    config, settings = load(config_file, site_dir=site_dir, dev_addr=dev_addr, strict=strict)
    if settings.engine != "mkdocs":
        log.info(f"digest serve previews with MkDocs; extra.digest.engine ({settings.engine}) is for digest build")
    # The preview is built by MkDocs: its pages need MkDocs' links, whatever extra.digest.engine says.
    generator = Generator(settings.with_engine("mkdocs"))
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)

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
                generator = Generator(new_settings)
        current.site_url = serve_url
        try:
            generate(generator, strict=strict)
        except DigestError as error:
            raise Abort(f"Error: {error}") from None
        mkdocs_build(current, serve_url=serve_url)

    server = DigestServer(
        builder=builder,
        host=host,
        port=port,
        root=site_dir,
        mount_path=mount_path,
        ignore=generated_paths(settings.docs_dir),
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
