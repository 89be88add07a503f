"""Shared fixtures: tiny digests built end to end in ``tmp_path``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: Test digest
theme:
  name: material
  font: false
  features: [content.tooltips, navigation.instant]
nav:
  - Home: index.md
  - Articles: articles/index.md
  - Sources: sources/index.md
  - Timeline: timeline/index.md
  - Entities: entities/index.md
  - Glossary: glossary/index.md
extra_css: [assets/digest/digest.css]
extra_javascript: [assets/digest/digest.js]
validation:
  nav:
    omitted_files: ignore
exclude_docs: |
  /_home.md
markdown_extensions: [admonition, attr_list, tables, toc]
plugins: [search]
"""

GLOSSARY = """\
entities:
  - name: Volodymyr Zelensky
    type: person
    aliases: [Zelenskyy, Zelensky]
    definition: President of Ukraine since 2019.
  - name: Kursk
    type: place
    definition: A Russian region bordering Ukraine.
  - name: ATACMS
    type: weapon
    aliases: [Army Tactical Missile System]
    definition: A US-made long-range tactical ballistic missile.
  - name: Ukraine
    type: place
    definition: A country in Eastern Europe.
  - name: TASS
    type: organization
    definition: Russia's state news agency.
"""


#: The environment for CLI runs: Material's end-of-life banner is noise in captured output.
CLI_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def run_cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``digest ARGS`` in a fresh process, as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-c", "from digest.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=CLI_ENV,
    )


class Site:
    """A built site: parse its pages by URL path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def page(self, url: str) -> BeautifulSoup:
        path = self.root / url.strip("/") / "index.html" if not url.endswith(".html") else self.root / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def search_index(self) -> dict:
        return json.loads((self.root / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture
def make_digest(tmp_path: Path) -> Callable[..., Path]:
    """Write a digest project: ``make_digest({"seeds/a.txt": "..."})`` -> project folder."""

    def make(files: dict[str, str], *, glossary: str | None = GLOSSARY, mkdocs_yml: str = MKDOCS_YML) -> Path:
        root = tmp_path / "project"
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "seeds").mkdir(parents=True, exist_ok=True)
        (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
        if glossary is not None:
            (root / "seeds" / "glossary.yml").write_text(glossary, encoding="utf-8")
        for rel, text in files.items():
            file = root / rel
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(textwrap.dedent(text) if rel.endswith(".md") else text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def build() -> Callable[..., Site]:
    """Build a project with ``digest build`` (the real command path) and return its site."""
    from digest.commands import build as run_build

    def run(root: Path, *, strict: bool = True) -> Site:
        run_build(str(root / "mkdocs.yml"), strict=strict)
        return Site(root / "site")

    return run


def copy_demo(root: Path) -> Path:
    """Copy the repository's demo digest (mkdocs.yml, seeds/, overrides/, hand-written docs/) into ``root``.

    Generated pages are left behind: the copy must build them itself.
    """
    from digest.generate import OWNED_DIRS, OWNED_FILES

    docs = REPO / "docs"
    generated = {docs / name for name in (*OWNED_DIRS, *OWNED_FILES)}
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(
        docs, root / "docs", ignore=lambda folder, names: {n for n in names if Path(folder, n) in generated}
    )
    return root


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The repository's own demo digest, copied and built once with --strict."""
    from digest.commands import build as run_build

    root = copy_demo(tmp_path_factory.mktemp("demo"))
    run_build(str(root / "mkdocs.yml"), strict=True)
    return Site(root / "site")
