"""Tasks for contributors: `nox -l` lists them, `nox -s NAME` runs one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.4"
nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"
# Material for MkDocs prints an end-of-life banner on every build; it is noise in our logs.
ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (unit and end-to-end builds; offline). Pass pytest options after --."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs, env=ENV)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "digest", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "digest", "tests", "noxfile.py")


@nox.session(python=PYTHON, name="update-golden")
def update_golden(session: nox.Session) -> None:
    """Rewrite the golden files of rendered Markdown from the current code (review the diff!)."""
    session.install("-e", ".[test]")
    session.run("pytest", "tests/test_golden.py", env={**ENV, "DIGEST_UPDATE_GOLDEN": "1"})


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """Build the demo digest from seeds/ into site/, treating any warning as an error."""
    session.install("-e", ".")
    session.run("digest", "build", "--strict", *session.posargs, env=ENV)


@nox.session(python=PYTHON, default=False)
def ner(session: nox.Session) -> None:
    """Run the `digest check` tests with the optional spaCy NER installed (the `ner` extra)."""
    session.install("-e", ".[test,ner]")
    session.run("pytest", "tests/test_check.py", *session.posargs, env=ENV)


@nox.session(python=PYTHON, default=False)
def pdf(session: nox.Session) -> None:
    """Build the demo digest's PDF (ukraine-war-digest.pdf; -o FILE and other options after --)."""
    session.install("-e", ".[pdf]")
    session.run("digest", "pdf", *session.posargs, env=ENV)


@nox.session(python=PYTHON, default=False)
def extraction(session: nox.Session) -> None:
    """Measure body extraction from web pages on the shared benchmark (--data DIR, --variants)."""
    # Editable: the benchmark's default location is found relative to the repository.
    session.install("-e", ".")
    session.run("python", "-m", "digest.extraction_bench", *session.posargs, env=ENV)


@nox.session(python=PYTHON, default=False)
def serve(session: nox.Session) -> None:
    """Preview the demo digest on http://127.0.0.1:8000/ with live reload."""
    session.install("-e", ".")
    session.run("digest", "serve", *session.posargs, env={**ENV, **os.environ})


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Build synthetic digests of 100, 1,000 and 5,000 articles and print the benchmark table."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench.py", "--work", ".bench", *session.posargs, env=ENV)


@nox.session(python=PYTHON, default=False)
def e2e(session: nox.Session) -> None:
    """Browser tests (tests/e2e): Debian's headless Chromium driven by Playwright, axe-core from npm.

    Needs /usr/bin/chromium (`apt-get install chromium`; never `playwright install`). Without it
    the suite is skipped on a developer machine and fails in CI (CI=true). Pass pytest options
    after --; screenshots land in tests/e2e/screenshots/.
    """
    session.install("-e", ".[test,e2e]")
    env = {**ENV, "DIGEST_E2E": "1"}
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    # axe-core from the npm registry, into this session's own folder; injected from disk by the tests.
    axe_prefix = Path(session.create_tmp()) / "axe"
    axe_js = axe_prefix / "node_modules" / "axe-core" / "axe.min.js"
    npm = shutil.which("npm")
    try:
        if npm is None:
            raise nox.command.CommandFailed("npm not found")
        session.run_install(
            npm, "install", "--no-audit", "--no-fund", "--prefix", str(axe_prefix), "axe-core@4", external=True
        )
    except nox.command.CommandFailed as exc:
        if in_ci:
            session.error(f"cannot install axe-core with npm: {exc}")
        session.warn(f"axe-core not installed ({exc}); the accessibility tests will be skipped")
    if axe_js.is_file():
        env["DIGEST_AXE"] = str(axe_js)
    session.run("pytest", "tests/e2e", *session.posargs, env=env)
