"""The build cache: read and annotated articles, and the last run's outputs, kept between runs.

It lives in ``.cache/digest/`` beside ``mkdocs.yml`` (Zensical keeps its own cache in
``.cache/`` too; the folder is git-ignored) and holds two kinds of file:

* ``articles/<hash of the path>.pickle``: one per seed file, what reading and annotating it
  produced (the :class:`~digest.model.Article`, its problems and its
  :class:`~digest.model.AnnotatedArticle`), keyed by the file's content hash and the glossary's.
  A file whose modification time and size are unchanged is trusted without being read, as
  ``git status`` does; otherwise its bytes are hashed, so a touched but unchanged file still
  hits.
* ``run.pickle``: the fingerprint of the last run's inputs (every input file's path, time and
  size, the settings, Digest's own code) with the files it wrote. When nothing changed and
  those files are still in place, a build skips its whole step.

Every entry also carries :func:`code_fingerprint`: a new version of Digest (or of a library
that shapes what is read, such as trafilatura) never reads an old entry. Entries are pickles
that only Digest writes, in the project's own folder; an unreadable one is ignored and
rewritten. Delete the folder to start from nothing.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from digest.model import AnnotatedArticle, Article, Problem

log = logging.getLogger("mkdocs.digest")

#: Bump when the meaning of a cache entry changes without a code change (rare).
CACHE_FORMAT = 1
#: Libraries whose version changes what Digest reads from a seed.
_SHAPING_LIBRARIES = ("trafilatura", "lxml", "beautifulsoup4", "markdown", "pyahocorasick", "pyyaml")

StatKey = tuple[int, int]  # (modification time in ns, size)


@functools.cache
def code_fingerprint() -> str:
    """A hash of Digest's own files, Python's version and the libraries that shape its input."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{sys.version}".encode())
    package = Path(__file__).parent
    # Every file of the package: its code, and the assets (CSS, scripts) copied into docs/.
    for source in sorted(package.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            digest.update(source.relative_to(package).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
    for name in _SHAPING_LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0{name}={version}".encode())
    return digest.hexdigest()


def stat_key(file: Path) -> StatKey:
    stat = file.stat()
    return (stat.st_mtime_ns, stat.st_size)


def content_hash(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


@dataclass(slots=True)
class Entry:
    """What reading (and, for one glossary, annotating) one seed file produced."""

    path: str  # as displayed, relative to mkdocs.yml
    stat: StatKey
    content: str  # sha256 of the file's bytes
    article: Article | None
    problems: list[Problem]
    glossary: str | None = None  # fingerprint of the glossary ``annotated`` was made with
    annotated: AnnotatedArticle | None = None
    code: str = field(default_factory=code_fingerprint)

    def annotated_for(self, glossary: str) -> AnnotatedArticle | None:
        return self.annotated if self.glossary == glossary else None


def _load(file: Path) -> object | None:
    try:
        with file.open("rb") as stream:
            return pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file: ignore it, it will be rewritten
        log.debug(f"Digest: ignoring the unreadable cache file {file} ({type(error).__name__}: {error})")
        return None


def _dump(file: Path, value: object) -> None:
    """Write atomically: a reader never sees half a file, and a crash leaves the old one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as stream:
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(file)


class ArticleCache:
    """Entries by seed file, in memory and (unless ``folder`` is None) on disk."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[str, Entry] = {}
        self.dirty: set[str] = set()
        self._swept: set[str] | None = None  # the live paths of the last sweep of the folder

    def _file(self, path: str) -> Path:
        assert self.folder is not None
        return self.folder / "articles" / (hashlib.sha1(path.encode()).hexdigest() + ".pickle")

    def lookup(self, path: str, file: Path, stat: StatKey) -> Entry | None:
        """The entry of ``file`` if it still describes the file's current content, else None."""
        entry = self.memory.get(path)
        if entry is None and self.folder is not None:
            loaded = _load(self._file(path))
            if isinstance(loaded, Entry) and loaded.path == path and loaded.code == code_fingerprint():
                entry = loaded
        if entry is None:
            return None
        if entry.stat != stat:
            try:
                if content_hash(file) != entry.content:
                    return None
            except OSError:
                return None
            entry.stat = stat  # touched, not changed: remember the new time
            self.dirty.add(path)
        self.memory[path] = entry
        return entry

    def store(self, entry: Entry) -> None:
        self.memory[entry.path] = entry
        self.dirty.add(entry.path)

    def forget_except(self, live: set[str]) -> None:
        """Drop the entries of files that no longer exist (in memory, and on disk)."""
        for path in set(self.memory) - live:
            del self.memory[path]
            self.dirty.discard(path)
        if live == self._swept:
            return  # the same seeds as at the last sweep: no entry on disk has become stale
        self._swept = set(live)
        if self.folder is not None and (self.folder / "articles").is_dir():
            keep = {self._file(path).name for path in live}
            for file in (self.folder / "articles").glob("*.pickle"):
                if file.name not in keep:
                    file.unlink(missing_ok=True)

    def flush(self) -> None:
        """Write the entries that changed since the last flush."""
        if self.folder is not None:
            for path in sorted(self.dirty):
                try:
                    _dump(self._file(path), self.memory[path])
                except OSError as error:  # a read-only checkout still builds, just not faster
                    log.debug(f"Digest: cannot write the cache ({error}); continuing without it")
                    break
        self.dirty.clear()


@dataclass(slots=True)
class RunRecord:
    """The last complete run: the fingerprint of its inputs, what it wrote, and what it said."""

    fingerprint: str
    outputs: dict[str, int]  # docs-relative path -> size in bytes
    problems: list[Problem]
    counts: tuple[int, int, int]  # articles, entities, mentions
    code: str = field(default_factory=code_fingerprint)


def load_run(folder: Path | None) -> RunRecord | None:
    if folder is None:
        return None
    record = _load(folder / "run.pickle")
    return record if isinstance(record, RunRecord) and record.code == code_fingerprint() else None


def save_run(folder: Path | None, record: RunRecord) -> None:
    if folder is None:
        return
    try:
        _dump(folder / "run.pickle", record)
    except OSError as error:
        log.debug(f"Digest: cannot write the cache ({error}); continuing without it")


def forget_run(folder: Path | None) -> None:
    if folder is not None:
        (folder / "run.pickle").unlink(missing_ok=True)
