"""The ``digest`` command line: thin wrappers that load configuration and call the core.

``digest build`` and ``digest serve`` take the same common options as ``mkdocs build`` and
``mkdocs serve`` and log in MkDocs' style.
"""

from __future__ import annotations

import logging
import sys
from typing import ClassVar

import click

from digest import __version__
from digest.engines import ENGINES

_config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Provide a specific MkDocs config (default: ./mkdocs.yml).",
)
_strict_option = click.option("-s", "--strict", is_flag=True, help="Fail on warnings (bad input included).")
_engine_option = click.option(
    "-e",
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="The site engine (default: extra.digest.engine in mkdocs.yml, else mkdocs). "
    "Zensical needs: pip install 'digest[zensical]'.",
)


class _Formatter(logging.Formatter):
    """MkDocs' log format: ``LEVEL   -  message`` with a coloured level."""

    colours: ClassVar[dict[str, str]] = {"CRITICAL": "red", "ERROR": "red", "WARNING": "yellow", "DEBUG": "blue"}

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"{record.levelname:<8}-  "
        if record.levelname in self.colours and sys.stderr.isatty():
            prefix = click.style(prefix, fg=self.colours[record.levelname])
        return prefix + super().format(record)


def _setup_logging(verbose: bool, quiet: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_Formatter())
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.INFO)


def _verbosity(func):
    func = click.option("-v", "--verbose", is_flag=True, help="Enable verbose output.")(func)
    return click.option("-q", "--quiet", is_flag=True, help="Silence warnings.")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version")
def cli() -> None:
    """Digest: annotated news digests from articles and a glossary."""


@cli.command()
@_config_option
@_strict_option
@click.option("-d", "--site-dir", type=click.Path(), default=None, help="The directory to output the site to.")
@_engine_option
@click.option(
    "--offline",
    is_flag=True,
    help="Build a site that works opened from the file system (.html pages, local search; no instant navigation).",
)
@_verbosity
def build(
    config_file: str | None,
    strict: bool,
    site_dir: str | None,
    engine: str | None,
    offline: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Generate the annotated pages, then build the site."""
    from digest.commands import build as run_build

    _setup_logging(verbose, quiet)
    run_build(config_file, strict=strict, site_dir=site_dir, engine=engine, offline=offline)


@cli.command()
@_config_option
@_strict_option
@_engine_option
@_verbosity
def generate(config_file: str | None, strict: bool, engine: str | None, verbose: bool, quiet: bool) -> None:
    """Write the annotated Markdown pages only, for the engine to build."""
    from digest.commands import generate_only

    _setup_logging(verbose, quiet)
    generate_only(config_file, strict=strict, engine=engine)


@cli.command()
@_config_option
@_strict_option
@click.option(
    "-a", "--dev-addr", metavar="<IP:PORT>", default=None, help="IP address and port (default: 127.0.0.1:8000)."
)
@click.option(
    "-o", "--open", "open_in_browser", is_flag=True, help="Open the website in a browser after the first build."
)
@click.option("--no-livereload", is_flag=True, help="Disable the live reloading in the development server.")
@click.option(
    "--poll",
    is_flag=True,
    help="Watch files by polling twice a second, as mkdocs serve does, instead of through the system's "
    "file events (for folders on a network share or a Docker volume that miss them).",
)
@_verbosity
def serve(
    config_file: str | None,
    strict: bool,
    dev_addr: str | None,
    open_in_browser: bool,
    no_livereload: bool,
    poll: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Preview the digest; regenerate and reload when a seed or the glossary changes."""
    from digest.serve import serve as run_serve

    _setup_logging(verbose, quiet)
    run_serve(
        config_file,
        dev_addr=dev_addr,
        strict=strict,
        open_in_browser=open_in_browser,
        livereload=not no_livereload,
        polling=poll,
    )


@cli.command()
@_config_option
@_strict_option
@click.option(
    "--suggest-yaml",
    is_flag=True,
    help="Print the suggested entities as glossary entries (YAML, with TODO definitions to write) "
    "on stdout; problems go to stderr.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Mentions a name needs to be suggested, unless the text says what it is (a title, an appositive, 'said').",
)
@click.option(
    "--ner/--no-ner",
    default=None,
    help="Also use spaCy's English NER for suggestions (default: when the 'ner' extra is installed).",
)
@_verbosity
def check(
    config_file: str | None,
    strict: bool,
    suggest_yaml: bool,
    min_count: int,
    ner: bool | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Check the glossary and every article without building; suggest missing entities."""
    from digest.check import check as run_check

    _setup_logging(verbose, quiet)
    code = run_check(config_file, strict=strict, suggest_yaml=suggest_yaml, min_count=min_count, ner=ner)
    if code:
        sys.exit(code)


@cli.command()
@_config_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="The PDF file to write (default: <site_name as a slug>.pdf next to mkdocs.yml).",
)
@_strict_option
@_verbosity
def pdf(config_file: str | None, output: str | None, strict: bool, verbose: bool, quiet: bool) -> None:
    """Print the whole digest to one PDF: cover, contents, articles with footnoted definitions, glossary."""
    from digest.commands import pdf as run_pdf

    _setup_logging(verbose, quiet)
    run_pdf(config_file, output=output, strict=strict)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@_verbosity
def new(directory: str, verbose: bool, quiet: bool) -> None:
    """Create a new digest (mkdocs.yml, docs/, seeds/) that builds at once."""
    from digest.commands import new as run_new

    _setup_logging(verbose, quiet)
    run_new(directory)


def main() -> None:
    cli()
