"""The data model shared by every stage: ingest -> annotate -> render.

Stages are pure functions over these types. Nothing here knows about files on disk,
MkDocs or HTML escaping; those live at the edges (``ingest``, ``render``, ``markup``).

Article bodies are a tiny, already-sanitised element tree (:class:`Element` holding
``str`` text and, after annotation, :class:`Mention` nodes). Text is always *literal*:
``"<b>"`` in a text node is four characters that the renderer escapes, never markup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar, Union

_T = TypeVar("_T", bound=type)


def _pickled_by_fields(cls: _T) -> _T:
    """Pickle instances as ``cls(*fields)``.

    Worker processes send every annotated article back through pickle, and the build cache
    stores them the same way: hundreds of thousands of elements and mentions in a large
    digest. A slots dataclass's own ``__getstate__`` looks its fields up again for every
    object; this reads them with one ``attrgetter`` and halves pickling and unpickling time.
    Every field must be an ``__init__`` parameter, in field order (true of every class here).
    """
    names = tuple(f.name for f in dataclasses.fields(cls))
    assert all(f.init for f in dataclasses.fields(cls)), cls
    get = operator.attrgetter(*names)
    if len(names) == 1:

        def reduce_one(self: object) -> tuple[type, tuple[object, ...]]:
            return cls, (get(self),)

        cls.__reduce__ = reduce_one  # type: ignore[assignment, method-assign]
    else:

        def reduce(self: object) -> tuple[type, tuple[object, ...]]:
            return cls, get(self)

        cls.__reduce__ = reduce  # type: ignore[assignment, method-assign]
    return cls


#: The entity types a glossary entry may have, in the order indexes list them.
ENTITY_TYPES: tuple[str, ...] = ("person", "place", "organization", "weapon", "event", "term")

#: Plural headings for each type (indexes, "In this article" boxes, legends).
TYPE_LABELS: dict[str, str] = {
    "person": "People",
    "place": "Places",
    "organization": "Organizations",
    "weapon": "Weapons",
    "event": "Events",
    "term": "Terms",
}


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Location:
    """Where something came from: a path (as the user would type it) and an optional 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Problem:
    """A recoverable problem found in the user's input, returned as a value (never raised).

    ``level`` is ``"warning"`` or ``"error"``, or ``"info"`` for what the user asked for but should
    hear about (a draft left out): neither an error nor a warning, so ``--strict`` passes. The
    message is one line that says what is wrong and how to fix it; ``location`` names the file
    and line.
    """

    level: str
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class HasProblems:
    """For results that carry ``problems``: their errors and warnings, in order."""

    __slots__ = ()
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Entity:
    """One glossary entry: a person, place, organisation, weapon, event or term."""

    id: str
    name: str
    type: str
    definition: str
    aliases: tuple[str, ...] = ()
    link: str | None = None
    case_sensitive: bool = True
    location: Location | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias: all the surfaces matched in text."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Glossary:
    """Validated glossary entries, in file order."""

    entities: tuple[Entity, ...]
    path: str = ""

    def by_id(self) -> dict[str, Entity]:
        return {entity.id: entity for entity in self.entities}


@_pickled_by_fields
@dataclass(slots=True)
class Element:
    """A node of an article body: an HTML-like tag, its attributes and its children.

    Only tags and attributes from :data:`digest.markup.ALLOWED` are ever rendered; values are
    escaped by the renderer. Children are ``str`` (literal text), ``Element`` or ``Mention``.
    """

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)


class Mention(NamedTuple):
    """One occurrence of an entity in an article's text (also an inline node of the body tree).

    ``first`` is true for the first mention of the entity in its article (rendered as a link);
    ``anchor`` is the id of the top-level block it sits in, and ``sentence`` the sentence around
    it, shown as context on the entity page.

    A named tuple, not a frozen dataclass: annotation makes one per mention (tens of thousands
    per megabyte of text), and a tuple is built at C speed (``tuple.__new__(Mention, fields)``)
    where a frozen dataclass runs a Python ``__init__`` that sets each field through
    ``object.__setattr__``. Immutable and hashable either way.
    """

    entity_id: str
    text: str
    first: bool = False
    anchor: str = ""
    sentence: str = ""


Node = Union[Element, str, Mention]  # noqa: UP007 - a runtime alias, evaluated eagerly


@_pickled_by_fields
@dataclass(slots=True)
class Article:
    """One ingested article. ``body`` is a list of block elements (``p``, ``figure``, ``blockquote``...)."""

    path: str
    title: str
    body: list[Element]
    slug: str = ""
    date: dt.date | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation in an article, attributed to a glossary entity when the text says who.

    ``text`` is the quoted words without their quotation marks; ``speaker_id`` is ``None`` when
    the text does not say who spoke (never guessed); ``anchor`` is the id of the block it
    starts in; ``rule`` names the pattern that attributed it (``said-after``, ``pronoun``...).
    """

    text: str
    speaker_id: str | None
    anchor: str
    rule: str = ""


@_pickled_by_fields
@dataclass(slots=True)
class AnnotatedArticle:
    """An article whose body carries :class:`Mention` nodes, with the mentions in reading order."""

    article: Article
    body: list[Element]
    mentions: list[Mention]
    quotes: list[Quote] = field(default_factory=list)

    @property
    def entity_ids(self) -> list[str]:
        """Ids of the entities mentioned, each once, in order of first mention."""
        return list(dict.fromkeys(m.entity_id for m in self.mentions))


@_pickled_by_fields
@dataclass(slots=True)
class Backlink:
    """The mentions of one entity in one article (for the entity's page)."""

    article: AnnotatedArticle
    mentions: list[Mention]


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Related:
    """Another article that shares informative entities with one article.

    ``shared`` are the shared entity ids, most informative first; ``score`` is the sum of their
    weights (see :func:`digest.crossref.related_articles`).
    """

    article: AnnotatedArticle
    shared: tuple[str, ...]
    score: float


@dataclass(slots=True)
class Digest:
    """Everything the renderer needs, resolved across pages.

    ``articles`` are in reading order for listings: dated articles newest first, then undated
    ones by title. ``backlinks`` maps every entity id (mentioned or not) to its backlinks in the
    same order, and ``mention_counts`` to its total number of mentions. ``related`` maps an
    article's slug to its related coverage, best first; ``co_mentions`` maps an entity id to
    ``(other id, number of articles naming both)``, most frequent first; ``quotes`` maps a
    speaker's entity id to what they said, in listing order.
    """

    glossary: Glossary
    articles: list[AnnotatedArticle]
    backlinks: dict[str, list[Backlink]]
    mention_counts: dict[str, int]
    entities: dict[str, Entity]
    related: dict[str, list[Related]] = field(default_factory=dict)
    quotes: dict[str, list[tuple[AnnotatedArticle, Quote]]] = field(default_factory=dict)
    co_mentions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
