"""``digest serve``: a real server on 127.0.0.1 that regenerates when seeds or the glossary change."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from watchdog.observers.polling import PollingObserver

from digest.serve import DigestServer

pytestmark = pytest.mark.slow

ARTICLE = "Fighting in Kursk\nUkraine says troops are still in Kursk.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = root / "serve.log"
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from digest.cli import main; main()", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def rebuilds(self) -> int:
        return self.output().count("Reloading browsers")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log_file.close()


@pytest.fixture
def server(make_digest):
    root = make_digest({"seeds/a.txt": ARTICLE})
    srv = Server(root)
    srv.root = root
    try:
        wait_for(lambda: "Serving on" in srv.output(), what="the server to start")
        yield srv
    finally:
        srv.stop()


def test_serve_regenerates_on_seed_and_glossary_changes(server) -> None:
    page = fetch(server.url + "articles/fighting-in-kursk/")
    assert page is not None and 'data-entity="kursk"' in page
    untouched = server.root / "docs/entities/atacms.md"  # no change below touches ATACMS
    mtime = untouched.stat().st_mtime_ns

    # A new seed gets a page, and the home page lists it.
    (server.root / "seeds/b.txt").write_text("TASS on Kursk\nTASS reported from Kursk.\n", encoding="utf-8")
    wait_for(lambda: server.rebuilds() >= 1, what="a rebuild after a new seed")
    wait_for(lambda: fetch(server.url + "articles/tass-on-kursk/") is not None, what="the new page")
    assert "TASS on Kursk" in (fetch(server.url) or "")

    # A glossary change re-annotates: a new entity is highlighted in the existing article.
    glossary = server.root / "seeds/glossary.yml"
    glossary.write_text(
        glossary.read_text() + "  - name: Fighting\n    type: term\n    definition: Armed combat.\n"
        "  - name: Troops\n    type: term\n    definition: Soldiers.\n    case_sensitive: false\n",
        encoding="utf-8",
    )
    wait_for(
        lambda: 'data-entity="troops"' in (fetch(server.url + "articles/fighting-in-kursk/") or ""),
        what="the glossary change to reach the page",
    )
    # Our own writes under docs/ must not trigger extra rebuilds: one per change we made.
    time.sleep(1.5)
    assert server.rebuilds() == 2, server.output()
    # Pages whose content did not change were not rewritten.
    assert untouched.stat().st_mtime_ns == mtime

    # Removing a seed removes its page.
    (server.root / "seeds/b.txt").unlink()
    wait_for(lambda: fetch(server.url + "articles/tass-on-kursk/") is None, what="the removed page to go")
    assert "Traceback" not in server.output()


def test_serve_survives_a_broken_glossary(server) -> None:
    glossary = server.root / "seeds/glossary.yml"
    good = glossary.read_text()
    glossary.write_text("entities: [\n", encoding="utf-8")
    wait_for(lambda: "invalid YAML" in server.output(), what="the glossary error to be reported")
    assert server.process.poll() is None, "the server must keep running"
    glossary.write_text(
        good + "  - name: Troops\n    type: term\n    definition: Soldiers.\n    case_sensitive: false\n",
        encoding="utf-8",
    )
    wait_for(
        lambda: 'data-entity="troops"' in (fetch(server.url + "articles/fighting-in-kursk/") or ""),
        what="recovery after fixing the glossary",
    )
    assert "Traceback" not in server.output()


def search_pages(server) -> set[str]:
    index = json.loads(fetch(server.url + "search/search_index.json") or "{}")
    return {entry["location"].split("#", 1)[0] for entry in index.get("docs", [])}


def test_rebuilds_are_dirty_and_keep_the_search_index_whole(server) -> None:
    full = search_pages(server)
    assert {"articles/fighting-in-kursk/", "entities/atacms/", "glossary/"} <= full
    assert server.output().count("Cleaning site directory") == 1  # the first build only

    (server.root / "seeds/b.txt").write_text("TASS on Kursk\nTASS reported from Kursk.\n", encoding="utf-8")
    wait_for(lambda: "articles/tass-on-kursk/" in search_pages(server), what="the new page in the search index")
    # A dirty rebuild rendered a few pages; the index still holds every other page.
    assert search_pages(server) == full | {"articles/tass-on-kursk/"}
    assert server.output().count("Cleaning site directory") == 1
    assert "dirty" not in server.output()  # MkDocs' warning about dirty builds is ours to silence

    (server.root / "seeds/b.txt").unlink()
    wait_for(lambda: "articles/tass-on-kursk/" not in search_pages(server), what="the removed page to leave search")
    assert search_pages(server) == full
    assert fetch(server.url + "articles/tass-on-kursk/") is None

    # A change to mkdocs.yml gets a full build.
    config = server.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Test digest", "site_name: Renamed digest"))
    wait_for(lambda: "Renamed digest" in (fetch(server.url + "entities/atacms/") or ""), what="the new site name")
    assert server.output().count("Cleaning site directory") == 2
    assert search_pages(server) == full
    assert "Traceback" not in server.output()


# -- watching files ---------------------------------------------------------------------------


def watching_server(root: Path, **options) -> DigestServer:
    return DigestServer(
        builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(root), ignore=lambda _path: False, **options
    )


def wants_rebuild(server: DigestServer) -> bool:
    """Whether a file event since the last call asked for a rebuild (and forget it)."""
    with server._rebuild_cond:
        wanted, server._want_rebuild = server._want_rebuild, False
    return wanted


@pytest.fixture
def observed(tmp_path: Path):
    """A server watching ``seeds/`` and ``mkdocs.yml`` through the system's events (not serving)."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("A\nText.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: A\n", encoding="utf-8")
    server = watching_server(tmp_path)
    server.watch(str(tmp_path / "seeds"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    assert not server.polling
    server.observer.start()
    time.sleep(0.2)
    try:
        yield server
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_file_saved_by_replacing_it_is_seen_every_time(observed, tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    for name in ("B", "C"):  # an editor's save: write a temporary file, rename it over the original
        swap = tmp_path / ".mkdocs.yml.swp"
        swap.write_text(f"site_name: {name}\n", encoding="utf-8")
        swap.replace(config)
        wait_for(lambda: wants_rebuild(observed), timeout=5, what=f"the save of site_name {name}")
    (tmp_path / "serve.log").write_text("another file beside mkdocs.yml\n", encoding="utf-8")
    time.sleep(0.5)
    assert not wants_rebuild(observed)


def test_reading_a_watched_file_is_not_a_change(observed, tmp_path: Path) -> None:
    seed = tmp_path / "seeds" / "a.txt"
    seed.read_text(encoding="utf-8")  # the system reports opening and closing it
    time.sleep(0.5)
    assert not wants_rebuild(observed)
    seed.write_text("A\nOther text.\n", encoding="utf-8")
    wait_for(lambda: wants_rebuild(observed), timeout=5, what="the edit")


def test_a_native_observer_that_cannot_start_gives_way_to_polling(tmp_path: Path, monkeypatch, caplog) -> None:
    server = watching_server(tmp_path)
    server.watch(str(tmp_path))

    def refuse() -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(server.observer, "start", refuse)
    thread = threading.Thread(target=server.serve)
    thread.start()
    try:
        wait_for(lambda: server.polling and server.observer.is_alive(), timeout=10, what="the polling observer")
        assert isinstance(server.observer, PollingObserver)
        assert "polling instead" in caplog.text
    finally:
        server.shutdown()
        thread.join(timeout=10)
