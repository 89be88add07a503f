"""Site engines: the programs that turn the generated Markdown into HTML.

``digest build`` writes plain Markdown, so more than one engine can build it from the same
``mkdocs.yml``: MkDocs (the default, in process) and Zensical (``--engine zensical``, the
``zensical`` extra). Both build into a fresh staging folder that replaces the site only when
the build succeeds (:func:`staged_site`); a failed build leaves the previous site untouched and
no temporary file behind.

Zensical is run as ``python -m zensical build`` in a child process of this interpreter: its
Rust core prints straight to the process's stdout and stderr (with colours, always), and a
child process lets us relay that output through our logger in MkDocs' style, and keeps its
memory (2-8x MkDocs') out of ours. It has no site-dir option and refuses a ``site_dir`` outside
the folder of its config file, so we give it a temporary config next to ``mkdocs.yml`` that
inherits it (``INHERIT``) and only changes ``site_dir`` to the staging folder.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.errors import Abort, DigestError

log = logging.getLogger("mkdocs.digest")

#: The engines ``digest build --engine`` and ``extra.digest.engine`` accept; the first is the default.
ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = ENGINES[0]

INSTALL_ZENSICAL = "pip install 'digest[zensical]'"

#: Engines that resolve relative links in raw HTML against the page's source file (see
#: :attr:`digest.urls.Urls.source_relative`): the Markdown written for them differs in that.
SOURCE_RELATIVE_LINKS = frozenset({"zensical"})


@contextmanager
def staged_site(final: Path, *, parent: Path | None = None) -> Iterator[Path]:
    """Yield a new empty folder to build the site into; on success it becomes ``final``.

    The folder is made in ``parent`` (default: next to ``final``, so the swap is a rename on
    one file system). If the body raises, the folder is removed and ``final`` is untouched;
    otherwise the old ``final`` is moved aside, the new one moved in, and the old one removed.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    where = parent if parent is not None else final.parent
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-new-", dir=where))
    staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = final.with_name(f".{final.name}-old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    # A rename when both are on one file system; a copy otherwise (a site dir elsewhere).
    shutil.move(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    log.info(f"Site written to {final}")


# ---------------------------------------------------------------------------------------------
# Zensical

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: The head of one of Zensical's diagnostics; the lines after it draw the source around it.
_DIAGNOSTIC = re.compile(r"^(Warning|Error):\s*(.*)$")
#: Where a diagnostic points, on the first line of its drawing: ``╭─[ about.md:22:7 ]``.
_LOCATION = re.compile(r"\[\s*([^\s\]]+:\d+:\d+)\s*\]")
#: The last line of a Python traceback (``RuntimeError: ...``); Zensical's fatal errors end so.
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception): (.+)$")
_FINISHED = re.compile(r"^Build finished in ([\d.]+)\s*s$")
_ISSUES = re.compile(r"^(No issues|\d+ issues?) found$")


class ZensicalOutput:
    """Relays Zensical's output, line by line, as MkDocs-style log records.

    Diagnostics (``Warning: MESSAGE`` followed by a drawing of the source) become one record
    ``FILE:LINE:COL: MESSAGE``, the drawing goes to DEBUG; tracebacks go to DEBUG, and their
    last line, or a bare ``Error: MESSAGE``, becomes :attr:`failure`, the one-line reason a
    failed build gives. Anything else is relayed at INFO.
    """

    def __init__(self, temporary_config: str, config_name: str) -> None:
        self._rename = (temporary_config, config_name)
        self._pending: tuple[str, str, str] | None = None  # (level, message, location)
        self._in_traceback = False
        self.failure: str | None = None

    def feed(self, raw: str) -> None:
        line = _ANSI.sub("", raw).rstrip().replace(*self._rename)
        if not line.strip():
            return
        if line.startswith("Traceback (most recent call last)"):
            self._flush()
            self._in_traceback = True
        exception = _EXCEPTION.match(line)
        if exception:
            self.failure = exception[1]
        if self._in_traceback or exception:
            log.debug(f"Zensical: {line}")
            return
        if self._pending is not None and line[0] in " │╭╰─":
            level, message, location = self._pending
            found = _LOCATION.search(line)
            if found and not location:
                self._pending = (level, message, found[1])
            log.debug(f"Zensical: {line}")
            return
        self._flush()
        diagnostic = _DIAGNOSTIC.match(line)
        if diagnostic:
            self._pending = (diagnostic[1].lower(), diagnostic[2], "")
        elif finished := _FINISHED.match(line):
            log.info(f"Documentation built by Zensical in {finished[1]} seconds")
        elif _ISSUES.match(line) or line == "Build started":
            log.debug(f"Zensical: {line}")
        else:
            log.info(f"Zensical: {line}")

    def finish(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if self._pending is None:
            return
        level, message, location = self._pending
        self._pending = None
        if level == "error" and not location:
            self.failure = message  # a fatal error of the command itself: the reason it failed
        else:
            (log.error if level == "error" else log.warning)(f"{location}: {message}" if location else message)


def zensical_version() -> str:
    """The installed Zensical's version; :class:`DigestError` saying how to install it if absent."""
    if importlib.util.find_spec("zensical") is None:
        raise DigestError(f"Zensical is not installed; {INSTALL_ZENSICAL}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zensical")
    except PackageNotFoundError:
        return "(unknown version)"


def build_with_zensical(config_file: str, site_dir: str, *, strict: bool = False) -> None:
    """Build the Markdown under ``config_file``'s ``docs_dir`` with Zensical into ``site_dir``.

    ``site_dir`` is replaced only if the build succeeds. Zensical's messages are relayed
    through the ``mkdocs.digest`` logger; a failed build raises :class:`DigestError` (or
    :class:`Abort` for warnings in strict mode) with Zensical's one-line reason. Zensical's
    cache stays in ``.cache/`` next to ``config_file`` (it makes the next build faster, and
    Zensical writes a ``.gitignore`` into it).
    """
    version = zensical_version()
    config = Path(config_file).resolve()
    root = config.parent
    final = Path(site_dir).resolve()
    # Zensical writes only inside its project folder: stage there when the site goes elsewhere.
    parent = None if final.parent.is_relative_to(root) else root
    with staged_site(final, parent=parent) as staging:
        log.info(f"Building documentation with Zensical {version} to directory: {staging}")
        with _inheriting_config(config, site_dir=staging) as temporary:
            _run_zensical(temporary, config.name, root, strict=strict)


@contextmanager
def _inheriting_config(config: Path, *, site_dir: Path) -> Iterator[Path]:
    """A temporary config next to ``config`` that inherits it and sets ``site_dir``; always removed."""
    # JSON strings are YAML strings: any path is quoted correctly.
    text = f"INHERIT: {json.dumps(config.name)}\nsite_dir: {json.dumps(str(site_dir))}\n"
    handle, name = tempfile.mkstemp(prefix=".digest-zensical-", suffix=".yml", dir=config.parent)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _run_zensical(config: Path, config_name: str, cwd: Path, *, strict: bool) -> None:
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config)]
    if strict:
        command.append("--strict")
    output = ZensicalOutput(str(config), config_name)
    with subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            output.feed(line)
    output.finish()
    if process.returncode == 0:
        return
    reason = output.failure or f"it exited with status {process.returncode}"
    if strict and "--strict" in reason:
        raise Abort("Aborted with warnings from Zensical in strict mode!")
    raise DigestError(f"Zensical could not build the site: {reason}")
