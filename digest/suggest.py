"""Suggest glossary entries: the names in the articles that the glossary does not know yet.

Contract
--------
* :func:`suggest` is pure: articles (or, with :func:`suggest_from_texts`, plain texts) and the
  glossary in, a ranked list of :class:`Suggestion` values out. It reads and writes no file, and
  nothing it returns changes what the site publishes: it is advice for the editor.
* A name is a *candidate* when the text shows it as one:

  - several capitalised words in a row, not at a sentence start (``Alex Plitsas``,
    ``Atlantic Council``, ``Institute for the Study of War``); a run that starts a sentence
    loses its leading common words (``The``, ``It``, ``While``...);
  - an acronym (``NATO``, ``HIMARS``, ``F-16``), but not a Roman numeral or a shouted word;
  - a single capitalised word only with evidence: a title before it (``President Biden``,
    ``foreign minister Sikorski``), an appositive after it (``Plitsas, a fellow at...,``), an
    attribution (``Plitsas said``, ``— Plitsas (@handle)``) or a place noun (``the Kherson
    region``).
* Never suggested: anything the glossary's :class:`~digest.matcher.Matcher` finds (names and
  aliases, so spans that overlap a glossary mention are cut out of the text first), the extra
  ``known`` names (entries the glossary file has but could not load), month and day names,
  titles on their own, and text in headings, code, links and dates.
* Counting: every candidate name (with its aliases: a plural, or a person's surname used on its
  own) is counted again over all the texts with a Matcher, so a name counts wherever it occurs,
  sentence starts included, except where it overlaps a glossary mention.
* A candidate is suggested when it occurs at least ``min_count`` times, or once with *strong
  evidence*: an appositive, a title, an attribution, an organisation or place word in a
  multi-word name (``Council``, ``Region``), a place noun after it, or a multi-word entity that
  the optional statistical recogniser labelled.
* Each suggestion has a guessed type (``person``, ``organization``, ``place`` or ``term``; see
  :func:`_guess_type`) and, where an appositive or a title phrase says what it is, a one-line
  description taken from the text. Suggestions are ranked by count (descending), then name.

The optional statistical recogniser (spaCy, the ``ner`` extra) is :func:`load_recognizer`; the
core never needs it, and it never downloads anything.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from digest.annotate import split_sentences
from digest.matcher import Matcher
from digest.model import Article, Element, Entity, Mention, Node
from digest.ner import NER_TYPES, Recognizer
from digest.slugs import slugify

__all__ = [
    "Suggestion",
    "article_texts",
    "description_sentence",
    "distinct_aliases",
    "reads_as_english",
    "suggest",
    "suggest_from_texts",
]

# --- vocabularies ------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Capitalised words that start sentences without naming anything.
STOPWORDS = _words(
    """
    a about above according across after afterwards again against all almost also although always
    among an and another any anyone anything are around as at back be because been before being
    below besides between both but by can could despite did do does doing down during each
    earlier either else even ever every everyone everything few first for from further had has
    have having he her here hers herself him himself his how however i if in including inside
    instead into is it its itself just last later latest least less like many may maybe me
    meanwhile might more moreover most much must my myself neither never nevertheless next no
    none nor not nothing now of off often on once one only or other others otherwise our ours
    out outside over own perhaps please rather since so some someone something sometimes soon
    still such than that the their theirs them themselves then there therefore these they this
    those though through thus to today together tomorrow tonight too toward towards under unless
    until up upon us very via was we well were what whatever when whenever where whereas whether
    which while who whoever whom whose why will with within without would yes yesterday yet you
    your yours yourself two three four five six seven eight nine ten eleven twelve twenty thirty
    forty fifty hundred hundreds thousand thousands million millions several dozens photo photograph picture image credit update updated breaking read watch
    editor note mr mrs ms
    """
)
MONTHS_AND_DAYS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thur thurs fri sat sun
    """
)
#: Titles written before a name, capitalised or not (compared in lower case, without a final dot).
TITLES = _words(
    """
    president vice premier chancellor minister secretary senator sen rep representative
    congressman congresswoman governor gov mayor general gen colonel col lieutenant lt major maj
    captain capt sergeant sgt admiral adm commander marshal field king queen prince princess pope
    sheikh emir ayatollah ambassador envoy judge justice chairman chairwoman chair speaker
    director chief deputy spokesperson spokesman spokeswoman fellow analyst professor prof dr mr
    mrs ms dame sir lord lady councillor councilman prosecutor attorney commissioner
    president-elect
    """
)
#: Words that may follow "Secretary of" / "Minister of" and still belong to the title.
TITLE_OF_WORDS = _words(
    "state defense defence staff foreign affairs interior justice finance health energy commerce treasury the"
)
#: Lower-case words that end a title phrase before a name ("Poland's foreign minister X").
LOWER_TITLES = _words(
    """
    president minister secretary senator governor mayor general commander chief leader director
    spokesperson spokesman spokeswoman fellow analyst professor ambassador envoy chancellor
    president-elect premier adviser advisor official lawmaker deputy correspondent reporter journalist economist
    editor researcher expert founder chairman chairwoman chair ceo head lawyer prosecutor
    colonel captain sergeant admiral
    """
)
#: Nouns of an appositive that describe a person, an organisation or a place (first one wins).
PERSON_NOUNS = LOWER_TITLES | _words(
    """
    member fellow author writer activist politician diplomat officer soldier pilot commander
    professor scientist historian student teacher doctor businessman businesswoman entrepreneur
    billionaire executive manager owner candidate nominee lawyer judge son daughter wife husband
    father mother brother sister citizen resident survivor witness veteran singer actor actress
    player coach strategist commentator blogger host
    """
)
ORGANIZATION_NOUNS = _words(
    """
    agency alliance association bank broadcaster coalition committee company corporation council
    court department firm foundation group institute institution militia ministry network
    newspaper organisation organization outlet party publisher regulator service tank union
    university watchdog channel airline manufacturer maker producer
    """
)
PLACE_NOUNS = _words(
    """
    capital city country district island oblast port province region republic state territory
    town village county peninsula area settlement suburb neighbourhood neighborhood municipality
    """
)
#: Words that make a multi-word name an organisation ("Atlantic Council", "Fox News").
ORGANIZATION_WORDS = _words(
    """
    council department agency ministry party bank army committee institute university news times
    corporation corp company co inc ltd group association foundation commission office service
    services forces force navy union court parliament senate congress assembly post press
    journal herald tribune guardian telegraph gazette network broadcasting radio television tv
    airlines airways command brigade battalion regiment division organisation organization
    alliance league federation fund centre center school college academy society church
    authority bureau directorate guard police
    """
)
#: Words that make a multi-word name a place when they end it ("Kursk Oblast", "Black Sea").
PLACE_WORDS = _words(
    """
    region oblast province city island islands sea ocean river mountains mountain valley strait
    bay gulf county district peninsula square street avenue lake desert coast heights plain
    plateau canal airport port krai
    """
)
#: Words that join the capitalised words of one name ("Institute for the Study of War").
CONNECTORS = _words("of for de da di du van von der den la le al bin del y")
_JOINERS = CONNECTORS | {"the"}
#: Verbs of attribution after a name ("Plitsas said").
SAID = _words("said says told wrote added")
#: Prepositions that introduce a place, by how sure they make us (weak votes only).
PLACE_PREPOSITIONS = {"near": 2.0, "in": 1.0, "to": 1.0, "from": 1.0, "into": 1.0, "across": 1.0, "outside": 1.0}
#: Acronyms that are not names.
NOT_ACRONYMS = frozenset({"AM", "PM", "OK", "ID", "PS", "AKA", "FAQ", "ETA", "ASAP"})

#: Words after which "of" / "for" continue a name.
_ANCHORS = ORGANIZATION_WORDS | PLACE_WORDS | PLACE_NOUNS | TITLES | ORGANIZATION_NOUNS

# Tags whose text is never an entity mention (the annotate stage skips them too).
_SKIPPED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "a", "time"})
_INLINE = frozenset({"em", "strong", "span", "del", "sup", "sub"})

_TOKEN = re.compile(r"\w+(?:[’'\-&.]\w+)*")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_OPENING = "“‘\"'(["
_APPOSITIVE = re.compile(
    # "the" must be followed by a lower-case word, so a list ("France, the UK, ...") is no appositive.
    r",\s+(?P<desc>(?:(?:a|an)\s+[\w-]|(?:the\s+)?[a-z])[^,;:!?“”\"()\[\]]*?)\s*(?P<end>,|\.(?=\s|$)|$)(?!\s*(?:and|or)\b)"
)
_APPOSITIVE_FIRST_WORDS = _words(
    """
    who which that and or but where when while although though as if he she it they we i you
    said says according including with without despite after before because so then not also in
    on at for from to by his her their its our my your this these those there here said would
    could will can may might must should
    """
)
_SAID_BEFORE = re.compile(r"[,”\"]\s*said\s+$")
_POST_BEFORE = re.compile(r"^[\u2014\u2013-]{1,2}\s*$")
# The handle itself is a link, left out of the texts: "— Jane Doe (" ends the text.
_POST_AFTER = re.compile(r"^\s*\((?:@\w+\)|\s*$)")
_PLACE_OF = re.compile(r"\b(?:city|town|village|region|province|district|island|port)\s+of\s+$")
_WORD = re.compile(r"[\w’'-]+")
_MAX_DESCRIPTION_WORDS = 16
_WINDOW = 300  # characters of context looked at on each side of a name

# Evidence that makes a single occurrence enough, and how much each says about the type.
_STRONG = frozenset({"appositive", "title", "said", "post", "name-word", "place-noun"})
_WEIGHTS = {"strong": 3.0, "said": 2.0, "ner": 1.5}


# --- data --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A name the glossary misses, with what the texts tell about it.

    ``count`` is the number of mentions (aliases included) in ``articles`` (paths, in the order
    given); ``type`` is one of ``person``, ``organization``, ``place``, ``term``;
    ``description`` is a phrase from the text (an appositive or a title) or ``None``;
    ``evidence`` names the rules that found it (``appositive``, ``title``, ``said``, ``post``,
    ``name-word``, ``place-noun``, ``the-acronym``, ``ner:PERSON``...), sorted.
    """

    name: str
    type: str
    count: int
    articles: tuple[str, ...]
    description: str | None = None
    evidence: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: Whether the text says what it is (enough on its own, whatever the count).
    strong: bool = False


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # end of the base, without a possessive 's
    text: str  # the base
    possessive: bool
    masked: bool
    sentence_start: bool = False
    index: int = 0  # position in the text's token list

    @property
    def lower(self) -> str:
        return self.text.lower().rstrip(".")

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def acronym(self) -> bool:
        return _is_acronym(self.text)


@dataclass(slots=True)
class _Candidate:
    """What the texts say about one surface, before counting."""

    name: str
    evidence: set[str] = field(default_factory=set)
    votes: Counter[str] = field(default_factory=Counter)
    descriptions: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)
    seen: int = 0
    multiword: bool = False
    # Whether the rules or the recogniser found it as a name; the others are kept only for the
    # votes of their context, in case the recogniser finds them (a lone "in Odesa" is no name).
    accepted: bool = False
    strong_ner: bool = False  # the recogniser labelled it as a multi-word entity
    aliases: list[str] = field(default_factory=list)


#: A statistical recogniser: for each text, its entity spans ``(start, end, label)`` with
#: spaCy's labels (PERSON, ORG, GPE, LOC, FAC, NORP, PRODUCT, EVENT), glossary names excluded.


# --- texts of an article -----------------------------------------------------------------------


def article_texts(article: Article) -> list[str]:
    """The article's prose as separate texts: one per paragraph, caption line, list item...

    Headings, code, links (URLs) and dates are left out, like the annotate stage does; a
    skipped element or a block boundary splits the text, so no name runs across it. The title
    is not included either: headlines capitalise every word.
    """
    texts: list[str] = []
    for block in article.body:
        if block.tag not in _SKIPPED:
            current = [""]
            _collect(block.children, texts, current)
            _flush(texts, current)
    return texts


def _flush(texts: list[str], current: list[str]) -> None:
    if current[0].strip():
        texts.append(current[0])
    current[0] = ""


def _collect(nodes: list[Node], texts: list[str], current: list[str]) -> None:
    """Append the text of ``nodes`` to ``current[0]``, flushing it into ``texts`` at boundaries."""
    for node in nodes:
        if isinstance(node, str):
            current[0] += node
        elif isinstance(node, Mention):
            current[0] += node.text
        elif isinstance(node, Element):
            if node.tag in _SKIPPED or node.tag in {"br", "hr"}:
                _flush(texts, current)
            elif node.tag in _INLINE:
                _collect(node.children, texts, current)
            else:
                _flush(texts, current)
                _collect(node.children, texts, current)
                _flush(texts, current)


# --- tokens ------------------------------------------------------------------------------------


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters or any(c.islower() for c in letters) or len(word) > 12:
        return False
    upper = sum(c.isupper() for c in letters)
    has_digit = any(c.isdigit() for c in word)
    return (upper >= 2 or (upper >= 1 and has_digit)) and not _ROMAN.match(word) and word not in NOT_ACRONYMS


class _Mask:
    """Sorted, non-overlapping spans (the glossary's matches in one text), with a fast overlap test."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        # The last span starting before ``end`` ends last among those (they do not overlap).
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.spans[i][1] > start


def _tokens(text: str, mask: _Mask) -> list[_Token]:
    """Words of ``text`` with their offsets, possessives split off and sentence starts marked."""
    starts = set()
    for begin, _end in split_sentences(text):
        offset = begin
        while offset < len(text) and (text[offset].isspace() or text[offset] in _OPENING):
            offset += 1
        starts.add(offset)
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        possessive = len(word) > 2 and word[-2:] in ("’s", "'s")
        if possessive:
            word, end = word[:-2], end - 2
        k = start  # the last character before the word, spaces skipped (no prefix copies: linear)
        while k > 0 and text[k - 1].isspace():
            k -= 1
        last = text[k - 1] if k else ""
        quoted = last in ("“", "‘", ":") or (last == '"' and (k < 2 or text[k - 2].isspace()))
        tokens.append(
            _Token(
                start=start,
                end=end,
                text=word,
                possessive=possessive,
                masked=mask.overlaps(start, match.end()),
                sentence_start=start in starts or quoted or not last,
                index=len(tokens),
            )
        )
    return tokens


def _name_token(token: _Token, text: str) -> bool:
    """Whether the token may be part of a name (capitalised or an acronym, not a date word)."""
    if token.masked or not token.capitalised or token.lower in MONTHS_AND_DAYS:
        return False
    before = text[token.start - 1 : token.start]
    return before not in ("@", "#") and token.text != "I"


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Whether two tokens sit next to each other in one name (one space, or an initial's dot)."""
    gap = text[left.end : right.start]
    if left.possessive:
        return False
    if gap in (" ", "\u00a0"):
        return True
    return gap in (". ", ".\u00a0") and (len(left.text) == 1 or left.lower in TITLES or left.lower == "st")


def _runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Maximal runs of name tokens, joined by single spaces and inner connectors (of, for the, de)."""
    runs: list[list[_Token]] = []
    i = 0
    while i < len(tokens):
        if not _name_token(tokens[i], text):
            i += 1
            continue
        run = [tokens[i]]
        j = i + 1
        while j < len(tokens):
            nxt = tokens[j]
            if _joined(text, run[-1], nxt) and _name_token(nxt, text):
                run.append(nxt)
                j += 1
                continue
            # A connector joins two capitalised words of one name: a particle ("Charles de
            # Gaulle") always, "of"/"for" only after an organisation, place or title word
            # ("Bank of England", "Institute for the Study of War"), not in "Leaders of NATO".
            k = j
            while k < len(tokens) and tokens[k].lower in _JOINERS and not tokens[k].masked:
                k += 1
            chain = [run[-1], *tokens[j:k], *(tokens[k : k + 1])]
            if (
                k > j
                and k < len(tokens)
                and tokens[j].lower in CONNECTORS
                and not tokens[j].capitalised
                and all(not t.capitalised for t in tokens[j:k])
                and k - j <= 2
                and all(_joined(text, a, b) for a, b in itertools.pairwise(chain))
                and _name_token(tokens[k], text)
                and (tokens[j].lower not in ("of", "for") or any(t.lower in _ANCHORS for t in run))
            ):
                run.extend(tokens[j : k + 1])
                j = k + 1
                continue
            break
        runs.append(run)
        i = j
    return runs


# --- evidence ----------------------------------------------------------------------------------


def _noun_type(words: Iterable[str]) -> str | None:
    """The type told by the first person, organisation or place noun among ``words``."""
    for word in words:
        word = word.lower()
        word = word[:-2] if word.endswith(("’s", "'s")) else word
        if word in PERSON_NOUNS:
            return "person"
        if word in ORGANIZATION_NOUNS:
            return "organization"
        if word in PLACE_NOUNS:
            return "place"
    return None


def _appositive(after: str, *, complete: bool = True) -> str | None:
    """The description in ``Name, a/the description,`` if ``after`` (the text after a name)
    starts with one. ``complete`` tells whether ``after`` runs to the end of the text."""
    match = _APPOSITIVE.match(after)
    if match is None or (not complete and not match.group("end")):
        return None
    desc = " ".join(match.group("desc").split())
    words = desc.split()
    if not words or words[0].lower() in _APPOSITIVE_FIRST_WORDS or len(words) > _MAX_DESCRIPTION_WORDS:
        return None
    if any(w.lower() in SAID for w in words):
        return None
    if match.group("end") != "," and _noun_type(words) is None:
        return None  # "..., a US official said." is not an appositive; ", a fellow at X." may be
    return desc


def _title_phrase(text: str, tokens: list[_Token], index: int) -> str | None:
    """The lower-case title phrase that ends right before token ``index`` ("Poland's foreign minister")."""
    if index == 0:
        return None
    prev = tokens[index - 1]
    if prev.capitalised or prev.lower not in LOWER_TITLES or text[prev.end : tokens[index].start] != " ":
        return None
    first = index - 1
    while first > 0 and index - first < 5:
        cand = tokens[first - 1]
        if text[cand.end + (2 if cand.possessive else 0) : tokens[first].start] != " ":
            break
        if cand.possessive:
            first -= 1
            break
        if cand.capitalised or cand.lower in _APPOSITIVE_FIRST_WORDS or cand.lower in {"a", "an", "the"}:
            break
        first -= 1
    return text[tokens[first].start : prev.end]


def _evidence(text: str, tokens: list[_Token], run: list[_Token], candidate: _Candidate, title: str | None) -> None:
    """Record what the text around one occurrence of ``run`` says about it."""
    first, last = run[0], run[-1]
    index = first.index
    # Bounded windows around the name: never copy the whole text per name (linear time).
    before = text[max(0, first.start - _WINDOW) : first.start]
    after = text[last.end : last.end + _WINDOW]
    words = [t.lower for t in run]
    if title is not None:
        candidate.evidence.add("title")
        candidate.votes["person"] += _WEIGHTS["strong"]
        if len(title.split()) > 1:
            candidate.titles[title] += 1
    phrase = _title_phrase(text, tokens, index)
    if phrase is not None:
        candidate.evidence.add("title")
        candidate.votes["person"] += _WEIGHTS["strong"]
        if len(phrase.split()) > 1:
            candidate.titles[phrase] += 1
    if not last.possessive:
        desc = _appositive(after, complete=last.end + _WINDOW >= len(text))
        if desc is not None:
            candidate.evidence.add("appositive")
            candidate.descriptions[desc] += 1
            kind = _noun_type(_WORD.findall(desc))
            if kind:
                candidate.votes[kind] += _WEIGHTS["strong"]
        nxt = _WORD.match(after.lstrip())
        if nxt and after[:1] == " " and nxt.group().lower() in SAID:
            candidate.evidence.add("said")
            candidate.votes["person"] += _WEIGHTS["said"]
        if nxt and after[:1] == " " and nxt.group().lower() in PLACE_NOUNS and nxt.group().islower():
            candidate.evidence.add("place-noun")
            candidate.votes["place"] += _WEIGHTS["strong"]
    if _SAID_BEFORE.search(before):
        candidate.evidence.add("said")
        candidate.votes["person"] += _WEIGHTS["said"]
    if first.start < _WINDOW and _POST_BEFORE.match(before) and _POST_AFTER.match(after):
        candidate.evidence.add("post")
        candidate.votes["person"] += _WEIGHTS["strong"]
    if _PLACE_OF.search(before):
        candidate.evidence.add("place-noun")
        candidate.votes["place"] += _WEIGHTS["strong"]
    # The words right before: "the NATO" (an organisation), "near Pokrovsk" (a place).
    lead = [t.lower for t in tokens[max(0, index - 3) : index]]
    if lead[-1:] == ["the"] and len(run) == 1 and first.acronym:
        candidate.evidence.add("the-acronym")
        candidate.votes["organization"] += _WEIGHTS["said"]
    preposition = lead[-2] if lead[-1:] == ["the"] and len(lead) > 1 else lead[-1] if lead else None
    if preposition in PLACE_PREPOSITIONS and not (preposition == "to" and "according" in lead):
        candidate.votes["place"] += PLACE_PREPOSITIONS[preposition]
    if len(run) > 1 and any(w in ORGANIZATION_WORDS for w in words):
        candidate.evidence.add("name-word")
        candidate.votes["organization"] += 2 * _WEIGHTS["strong"]
    elif len(run) > 1 and words[-1] in PLACE_WORDS:
        candidate.evidence.add("name-word")
        candidate.votes["place"] += 2 * _WEIGHTS["strong"]


def _split_title(run: list[_Token]) -> tuple[list[_Token], list[_Token], list[_Token]]:
    """Split a run into (words before the title, title, name).

    ``US President Joe Biden`` -> ``US``, ``President``, ``Joe Biden``; ``Secretary of State
    Antony Blinken`` -> ``[]``, ``Secretary of State``, ``Antony Blinken``. A run without a
    title (or with nothing after it) is all name.
    """
    first_title = last_title = -1
    for i, token in enumerate(run[:-1]):
        if token.lower in TITLES and not token.acronym:
            last_title = i
            first_title = i if first_title < 0 or run[i - 1].lower not in TITLES else first_title
    if last_title < 0:
        return [], [], run
    end = last_title + 1
    if end < len(run) - 1 and run[end].lower == "of":  # "of State" still belongs to the title
        end += 1
        while end < len(run) - 1 and run[end].lower in TITLE_OF_WORDS:
            end += 1
    while end < len(run) and run[end].lower in _JOINERS:
        end += 1
    return run[:first_title], run[first_title:end], run[end:]


def _trim(run: list[_Token], vocabulary: set[str], midcaps: set[str]) -> list[_Token]:
    """Drop a sentence-initial common word and dangling connectors from a run.

    The first word of a sentence is dropped when it is a stop word (``The``, ``While``), or when
    the texts never capitalise it mid-sentence and either use it in lower case elsewhere or it
    looks like a verb or adverb (``Stretched``, ``Removing``, ``Finally``).
    """
    while run and run[0].sentence_start and not run[0].acronym:
        word = run[0].lower
        common = word in vocabulary or word.endswith(("ing", "ed", "ly"))
        if word in STOPWORDS or (run[0].text not in midcaps and common):
            run = run[1:]
        else:
            break
    while run and (run[0].lower in _JOINERS or (not run[0].capitalised)):
        run = run[1:]
    while run and (run[-1].lower in _JOINERS or not run[-1].capitalised):
        run = run[:-1]
    # "Ukrainian President [Volodymyr Zelensky]": a title before a known name names nothing.
    while len(run) > 1 and run[-1].lower in TITLES and not run[-1].acronym:
        run = run[:-1]
    return run


def _acceptable(name_tokens: list[_Token], candidate_has_evidence: bool, midcaps: set[str]) -> bool:
    """Whether a trimmed run can name something on its own.

    A single capitalised word needs evidence, and if it starts a sentence, the texts must also
    capitalise it mid-sentence somewhere ("Officials said" is no name).
    """
    if not name_tokens:
        return False
    if len(name_tokens) == 1 and name_tokens[0].acronym:
        return True
    words = [t.lower for t in name_tokens]
    if all(w in STOPWORDS or w in TITLES or w in MONTHS_AND_DAYS for w in words):
        return False
    if len(name_tokens) > 1:
        return True
    token = name_tokens[0]
    if len(token.text) < 2 or token.lower in STOPWORDS or token.lower in TITLES:
        return False
    if token.lower in ORGANIZATION_WORDS or token.lower in PLACE_WORDS:
        return False
    if token.sentence_start and token.text not in midcaps:
        return False
    return candidate_has_evidence


def _shouting(tokens: list[_Token], index: int, vocabulary: list[str]) -> bool:
    """An all-capitals word used for emphasis ("would ESCALATE the war"), not an acronym.

    A word of five letters or more is shouted when the texts use its stem in lower case
    (``escalation`` for ``ESCALATE``); a run of three capitalised words is shouting too.
    ``vocabulary`` is the sorted list of lower-case words of the texts.
    """
    token = tokens[index]
    if len(token.text) >= 5 and token.text.isalpha():
        stem = token.text.lower()[: max(5, len(token.text) - 2)]
        i = bisect.bisect_left(vocabulary, stem)
        if i < len(vocabulary) and vocabulary[i].startswith(stem):
            return True
    neighbours = tokens[max(0, index - 1) : index + 2]
    return sum(t.acronym and t.text.isalpha() for t in neighbours) >= 3


# --- the whole pass ----------------------------------------------------------------------------


def _known_matcher(entities: Iterable[Entity], known: Iterable[str]) -> Matcher:
    extra = [
        Entity(id=f"known-{n}", name=name, type="term", definition="")
        for n, name in enumerate(dict.fromkeys(k for k in known if k))
    ]
    return Matcher([*entities, *extra])


# The commonest English words: in English prose they are a fifth to two fifths of all words, in
# German, Portuguese, Italian or Indonesian pages under a twentieth, in Russian, Japanese or
# Korean none (measured on the 181 real pages of the extraction benchmark).
_ENGLISH_WORDS = _words(
    """
    the of and to a in is that for it on was with as he be by at are this his from have but not
    has they an or were which you their had her we been she would will there its who more said all
    also can one about than after when into them out up only what
    """
)
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH_SHARE = 0.1
_WORDS_TO_TELL = 50


def reads_as_english(texts: Sequence[str]) -> bool:
    """Whether an article's texts read as English, the language of the rules and of the
    recogniser: at least a tenth of their first 2,000 words are among the commonest English
    words. Fewer than 50 words cannot tell, and count as English. (A page that declares its
    language is not believed: real pages in German declare ``lang="en"``.) A page that is
    mostly names and numbers (a results table) may not read as English either.
    """
    words: list[str] = []
    for text in texts:
        words += _WORD.findall(text.lower())
        if len(words) >= 2000:
            break
    words = words[:2000]
    if len(words) < _WORDS_TO_TELL:
        return True
    return sum(map(_ENGLISH_WORDS.__contains__, words)) >= _ENGLISH_SHARE * len(words)


def suggest(
    articles: Iterable[Article],
    entities: Iterable[Entity],
    *,
    known: Iterable[str] = (),
    min_count: int = 2,
    recognizer: Recognizer | None = None,
) -> list[Suggestion]:
    """Suggest glossary entries for ``articles`` (see the module's contract).

    ``entities`` is the loaded glossary; ``known`` adds names the glossary file holds but could
    not load (entries with errors), so they are not suggested either. ``recognizer``, if given,
    adds statistical entity labels as evidence (see :func:`load_recognizer`).
    """
    return suggest_from_texts(
        {article.path: article_texts(article) for article in articles},
        entities,
        known=known,
        min_count=min_count,
        recognizer=recognizer,
    )


def suggest_from_texts(
    texts: Mapping[str, Sequence[str]],
    entities: Iterable[Entity],
    *,
    known: Iterable[str] = (),
    min_count: int = 2,
    recognizer: Recognizer | None = None,
) -> list[Suggestion]:
    """Suggest glossary entries for ``texts``: article path -> its texts (paragraphs...).

    Pure; the same contract as :func:`suggest`, on plain texts.
    """
    entities = list(entities)
    known_matcher = _known_matcher(entities, known)
    items = [(path, text) for path, article_texts_ in texts.items() for text in article_texts_]
    masks = [_Mask((m.start, m.end) for m in known_matcher.find(text)) for _, text in items]
    vocabulary = {w for _, text in items for w in _TOKEN.findall(text) if w.islower()}
    sorted_vocabulary = sorted(vocabulary)

    candidates: dict[str, _Candidate] = {}

    def candidate(name: str) -> _Candidate:
        return candidates.setdefault(name, _Candidate(name))

    tokenized = [_tokens(text, mask) for (_, text), mask in zip(items, masks, strict=True)]
    midcaps = {t.text for tokens in tokenized for t in tokens if t.capitalised and not t.sentence_start}
    for (_path, text), tokens in zip(items, tokenized, strict=True):
        runs = deque(_runs(text, tokens))
        while runs:
            run = runs.popleft()
            if len(run) == 1 and run[0].acronym and _shouting(tokens, run[0].index, sorted_vocabulary):
                continue
            before, titled, rest = _split_title(run)
            if before and titled:
                # "NATO Secretary General Mark Rutte": NATO is a name of its own.
                runs.append(before)
            rest = _trim(rest, vocabulary, midcaps)
            if not rest:
                continue
            prefix = before + titled
            title = text[prefix[0].start : prefix[-1].end] if titled else None
            name = text[rest[0].start : rest[-1].end]
            probe = _Candidate(name)
            _evidence(text, tokens, rest, probe, title)
            probe.accepted = _acceptable(rest, bool(probe.evidence & _STRONG), midcaps)
            probe.multiword = len(rest) > 1
            probe.seen = 1
            _absorb(candidate(name), probe, alias=False)

    if recognizer is not None:
        _add_recognized(recognizer, items, masks, candidate)

    # Names the glossary knows, or that merely repeat a stop word, are never suggested.
    for name in list(candidates):
        common = not _is_acronym(name) and (name.lower() in STOPWORDS or name.lower() in MONTHS_AND_DAYS)
        if common or known_matcher.find(name):
            del candidates[name]
    _merge_variants(candidates)
    _add_surnames(candidates, known_matcher)
    return _count_and_rank(candidates, items, masks, min_count)


def _add_recognized(
    recognizer: Recognizer,
    items: list[tuple[str, str]],
    masks: list[_Mask],
    candidate: Callable[[str], _Candidate],
) -> None:
    """Add the recogniser's entities as evidence (a NORP label alone creates no candidate)."""
    for (_path, text), mask, spans in zip(items, masks, recognizer([t for _, t in items]), strict=True):
        for start, end, label in spans:
            start, end = _clean_span(text, start, end)
            if end <= start or mask.overlaps(start, end) or "\n" in text[start:end]:
                continue
            name = text[start:end]
            words = name.split()
            if not name[0].isupper() and not _is_acronym(name):
                continue
            if not _is_acronym(name) and all(w.lower() in STOPWORDS or w.lower() in MONTHS_AND_DAYS for w in words):
                continue
            kind = NER_TYPES.get(label)
            if kind is None:
                continue
            found = candidate(name)
            # The small model is often wrong about one-word names ("Kyiv" as a PERSON).
            found.votes[kind] += _WEIGHTS["ner"] if len(words) > 1 else _WEIGHTS["ner"] / 3
            if label != "NORP":
                found.evidence.add(f"ner:{label}")
                found.accepted = True
                if len(words) > 1:
                    found.multiword = True
                    found.strong_ner = True


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip a leading "the" and a trailing possessive from a recognised span."""
    piece = text[start:end]
    for article in ("the ", "The "):
        if piece.startswith(article):
            start += len(article)
            piece = piece[len(article) :]
    if piece.endswith(("’s", "'s")):
        end -= 2
    return start, end


def _absorb(into: _Candidate, other: _Candidate, *, alias: bool = True) -> None:
    """Add what ``other`` knows to ``into``; ``other``'s name becomes an alias if ``alias``."""
    into.evidence |= other.evidence
    into.votes.update(other.votes)
    into.descriptions.update(other.descriptions)
    into.titles.update(other.titles)
    into.seen += other.seen
    into.accepted = into.accepted or other.accepted
    into.multiword = into.multiword or other.multiword
    into.strong_ner = into.strong_ner or other.strong_ner
    into.aliases.extend([other.name, *other.aliases] if alias else other.aliases)


def _merge_variants(candidates: dict[str, _Candidate]) -> None:
    """Fold plurals (``North Koreans`` into ``North Korean``), same-slug spellings and bare
    surnames (``Plitsas`` into ``Alex Plitsas`` when only one candidate ends in it)."""
    for name in sorted(candidates, key=len, reverse=True):
        if name not in candidates:
            continue
        singular = name[:-1] if name.endswith("s") and not _is_acronym(name) else None
        if singular and singular in candidates:
            _absorb(candidates[singular], candidates.pop(name))
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in candidates:
        by_slug[slugify(name, fallback=name)].append(name)
    for names in by_slug.values():
        if len(names) > 1:
            keep = max(names, key=lambda n: (candidates[n].seen, n))
            for other in names:
                if other != keep:
                    _absorb(candidates[keep], candidates.pop(other))
    endings: dict[str, list[str]] = defaultdict(list)
    for name, found in candidates.items():
        if found.multiword and " " in name:
            endings[name.split()[-1]].append(name)
    for name in list(candidates):
        owners = endings.get(name, [])
        if (
            " " not in name
            and len(owners) == 1
            and not _is_acronym(name)
            and "person" in (_guess_type(candidates[owners[0]]), _guess_type(candidates[name]))
        ):
            _absorb(candidates[owners[0]], candidates.pop(name))


def _add_surnames(candidates: dict[str, _Candidate], known_matcher: Matcher) -> None:
    """Give each person-like multi-word name its last word as an alias, so that later bare
    mentions (``Plitsas said``) count, unless another name shares it or the glossary has it."""
    endings = Counter(name.split()[-1] for name in candidates if " " in name)
    for name, found in candidates.items():
        if " " not in name or _guess_type(found) != "person":
            continue
        surname = name.split()[-1]
        if (
            endings[surname] == 1
            and surname not in candidates
            and surname not in found.aliases
            and surname[0].isupper()
            and surname.lower() not in STOPWORDS
            and not known_matcher.find(surname)
        ):
            found.aliases.append(surname)


def _guess_type(found: _Candidate) -> str:
    """``person``, ``organization``, ``place`` or ``term``: the best-supported type, else term.

    Votes come from titles, appositives and attributions (person), organisation words in the
    name, appositives and acronyms used with "the" (organization), place nouns and prepositions
    (place), and the recogniser's labels; a tie goes to the first of person, organization,
    place, term.
    """
    if not found.votes:
        return "term"
    order = ("person", "organization", "place", "term")
    best = max(order, key=lambda kind: (found.votes.get(kind, 0.0), -order.index(kind)))
    if found.votes.get(best, 0.0) < 1.5:
        return "term"  # a lone "in X" is not enough to call X a place
    return best


def _count_and_rank(
    candidates: dict[str, _Candidate],
    items: list[tuple[str, str]],
    masks: list[_Mask],
    min_count: int,
) -> list[Suggestion]:
    """Count every candidate (with its aliases) over all texts, keep those that qualify, rank."""
    live = {name: found for name, found in candidates.items() if found.accepted}
    if not live:
        return []
    ids = {name: f"c{n}" for n, name in enumerate(live)}
    surfaces: dict[str, set[str]] = {}
    matcher = Matcher(
        Entity(id=ids[name], name=name, type="term", definition="", aliases=tuple(dict.fromkeys(f.aliases)))
        for name, f in live.items()
    )
    counts: Counter[str] = Counter()
    where: dict[str, dict[str, None]] = defaultdict(dict)
    for (path, text), mask in zip(items, masks, strict=True):
        for start, end, entity_id in matcher.find(text):
            if not mask.overlaps(start, end):
                counts[entity_id] += 1
                where[entity_id][path] = None
                surfaces.setdefault(entity_id, set()).add(text[start:end])
    suggestions: list[Suggestion] = []
    for name, found in live.items():
        entity_id = ids[name]
        count = counts[entity_id]
        used = surfaces.get(entity_id, set())
        aliases = distinct_aliases(name, (a for a in found.aliases if a in used))
        suggestion = Suggestion(
            name=name,
            type=_guess_type(found),
            count=count,
            articles=tuple(where[entity_id]),
            description=_describe(found),
            evidence=tuple(sorted(found.evidence)),
            aliases=aliases,
            strong=bool(found.evidence & _STRONG) or found.strong_ner,
        )
        if count and (count >= min_count or suggestion.strong):
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.count, s.name.casefold(), s.name))
    return suggestions


def _describe(found: _Candidate) -> str | None:
    """The most frequent appositive, else the most frequent title phrase (first seen on ties)."""
    for source in (found.descriptions, found.titles):
        if source:
            return source.most_common(1)[0][0]
    return None


def distinct_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """``aliases`` without those the glossary would call repeats: equal to the name or to an
    earlier alias once curly apostrophes are straight (``O’Brien`` is ``O'Brien`` to the matcher)."""

    def key(surface: str) -> str:
        return unicodedata.normalize("NFC", " ".join(surface.split())).replace("’", "'").replace("‘", "'")

    seen = {key(name)}
    kept: list[str] = []
    for alias in aliases:
        if key(alias) not in seen:
            seen.add(key(alias))
            kept.append(alias)
    return tuple(kept)


def description_sentence(description: str) -> str:
    """An appositive as a definition: ``senior fellow at X`` -> ``Senior fellow at X.``"""
    text = " ".join(description.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
