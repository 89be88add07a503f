"""The plain-text (``.txt``) article format, and text clean-up shared by every input format.

Contract of a ``.txt`` article (after optional YAML front matter, see :mod:`digest.frontmatter`):

* The first non-blank line is the headline. Every other non-blank line is one paragraph;
  blank lines carry no meaning, so one-paragraph-per-line files and blank-line-separated files
  read the same. Runs of whitespace inside a line collapse to one space (no-break spaces are
  kept, they are deliberate).
* Text is **literal data**. ``*x*``, ``<b>``, ``# x`` or ``{{ x }}`` are those characters and
  nothing else; they end up in ``str`` nodes and the renderer escapes them.
* A line ending in ``Photo: CREDIT`` (also ``Photograph:``, ``Picture:``, ``Image:``,
  ``Credit:``; any case; optionally in brackets) is an image caption with its credit. It becomes
  ``figure.digest-figure > figcaption`` with the credit in ``span.digest-credit``. The site shows
  no image: the newspaper's picture is not ours to load.
* A line such as ``— Richard Grenell (@RichardGrenell) November 17, 2024`` is the attribution of
  an embedded social-media post. The post's own lines are found by :func:`_claim_post_lines`
  and the whole becomes ``blockquote.digest-post``.
* Bare ``http(s)://`` URLs anywhere become links to themselves.

Everything here is pure: strings in, :class:`~digest.model.Element` trees and
:class:`~digest.model.Problem` values out. Nothing raises for odd input.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlsplit

from digest.model import Element, Location, Node, Problem

# C0 and C1 control characters except \t and \n, plus lone surrogates. Controls are never
# meaningful in an article, and \x02/\x03 in particular are Python-Markdown's placeholder
# delimiters: a stray one in the input could make Markdown splice stashed text into the wrong
# place. Lone surrogates (only reachable through YAML "\ud800" escapes or a caller's str) would
# make writing the page as UTF-8 fail much later, far from the cause. U+FEFF goes too: past the
# start of a file it is a byte-order mark left over from pasting files together, never content.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")

# Whitespace runs, except the no-break spaces (U+00A0, U+2007, U+202F) that writers use on
# purpose ("10\u00a0km") and that HTML would otherwise happily break.
_SPACE_RE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def strip_controls(text: str) -> str:
    """Remove control characters (keeping ``\\n`` and ``\\t``) and any U+FEFF; NFC-normalise."""
    return unicodedata.normalize("NFC", _CONTROL_RE.sub("", text))


def normalize_text(text: str) -> str:
    """Clean a whole input document: leading BOM, CRLF/CR line ends, control characters, NFC.

    Every reader runs this first, so later stages only ever see ``\\n`` line ends and no
    characters that could collide with a parser's internal markers.
    """
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_controls(text)


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends (no-break spaces are kept)."""
    return _SPACE_RE.sub(" ", text).strip()


# ----------------------------------------------------------------------------- links


_HREF_ESCAPES = str.maketrans({ch: f"%{ord(ch):02X}" for ch in "\"'<>`"})


def safe_href(url: str) -> str | None:
    """Return ``url`` if it is an absolute ``http``/``https``/``mailto`` URL, else ``None``.

    This is the only gate for ``href`` values: relative links, ``javascript:``, ``data:`` and
    friends are refused, so a page can only ever point at an ordinary web address. The result
    has ``" ' < > `` ` `` percent-encoded.
    """
    url = url.strip()
    if not url or _CONTROL_RE.search(url) or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host part
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        ok = bool(parts.netloc and parts.hostname)
    else:
        ok = scheme == "mailto" and len(url) > len("mailto:")
    # Quotes, angle brackets and backticks are legal in a pasted URL but are what HTML and
    # Markdown injection is made of; percent-encoding them keeps the address and the meaning.
    return url.translate(_HREF_ESCAPES) if ok else None


# A URL runs up to whitespace (or an angle bracket, which never belongs to a URL in prose).
_URL_RE = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
# Punctuation that ends a sentence or closes a quote rather than belonging to the URL.
_URL_TRAILING = ".,;:!?)\u201d\u2019\"'\u2026"


def _trim_url(url: str) -> str:
    """Drop trailing punctuation from a URL found in prose; keep a ")" that closes a "(" in it."""
    end, opened, closed = len(url), url.count("("), url.count(")")
    while end and url[end - 1] in _URL_TRAILING:
        if url[end - 1] == ")":
            if opened >= closed:
                break  # https://en.wikipedia.org/wiki/Kursk_(city) keeps its bracket
            closed -= 1
        end -= 1
    return url[:end]


def linkify(text: str) -> list[Node]:
    """Split ``text`` into ``str`` pieces and ``a`` elements for the bare URLs in it."""
    nodes: list[Node] = []
    pos = 0
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group(0))
        href = safe_href(url)
        if href is None:
            continue
        if match.start() > pos:
            nodes.append(text[pos : match.start()])
        nodes.append(Element("a", {"href": href}, [url]))
        pos = match.start() + len(url)
    if pos < len(text):
        nodes.append(text[pos:])
    return nodes


# ----------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    _MONTHS[_name] = _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_DAY_MONTH_YEAR_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR_RE = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """Read a date written by a person; ``None`` if it is not one of the accepted forms.

    Accepted: ``2024-11-17``, ``2024-11-17T09:30[:00][Z|+hh:mm]`` (the date as written, no time
    zone conversion), ``17 November 2024`` and ``November 17, 2024`` (full or three-letter
    English month names, any case). Month names are matched here rather than with ``strptime``
    so the result does not depend on the process locale.
    """
    text = collapse_spaces(text)
    try:
        if _ISO_DATE_RE.fullmatch(text):
            return dt.date.fromisoformat(text)
        if _ISO_DATETIME_RE.fullmatch(text):
            return dt.datetime.fromisoformat(text.replace(" ", "T", 1)).date()
        if match := _DAY_MONTH_YEAR_RE.fullmatch(text):
            day, month, year = match.groups()
        elif match := _MONTH_DAY_YEAR_RE.fullmatch(text):
            month, day, year = match.groups()
        else:
            return None
        number = _MONTHS.get(month.lower())
        return dt.date(int(year), number, int(day)) if number else None
    except ValueError:  # February 30 and friends
        return None


#: A day, month name and year (either order) anywhere in a longer text, as whole words.
DATE_IN_TEXT_RE = re.compile(
    r"\b(?:(?P<day1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month1>[A-Za-z]{3,9})\.?,?"
    r"|(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?)\s+(?P<year>\d{4})\b"
)
_SLASHED_YEAR_FIRST_RE = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")


def find_date(text: str) -> dt.date | None:
    """The date in a machine-written date text of a web page, ``None`` if there is none.

    What :func:`parse_date` accepts, and also a day, an English month name and a year (in either
    order) among the weekday, time and zone that pages put around them (``Mon, 18 Nov 2019
    16:07:38 -0600``, ``Tue Nov 19 2019 03:05:46 GMT+0000``, ``01:38:07 PM IST Nov 20, 2019``,
    ``November 19, 2019, 07:47 PM EST``), or ``2019/11/19``. The date is the one written (no
    time zone conversion). All-number dates with the day and month in doubt (``11/12/2019``) are
    not guessed. For the date fields of saved pages only: a person's date in front matter goes
    through the stricter :func:`parse_date`, so that a typo is reported rather than guessed at.
    """
    if (when := parse_date(text)) is not None:
        return when
    for match in DATE_IN_TEXT_RE.finditer(text):
        month = _MONTHS.get((match["month1"] or match["month2"]).lower())
        if month is not None:
            try:
                return dt.date(int(match["year"]), month, int(match["day1"] or match["day2"]))
            except ValueError:  # November 31
                return None
    if match := _SLASHED_YEAR_FIRST_RE.search(text):
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


# What pages put around the names in an author field: "By By STEVE PEOPLES" (the site's own
# "By" in the value), "Analysis by", then "Published 2:16 AM EST Nov 20, 2019", a date, or
# "| NJ Advance Media for NJ.com" after them.
_AUTHOR_PREFIX_RE = re.compile(
    r"^(?:(?:analysis|commentary|opinion|story|text|words|reporting|written|posted|published|photos?)\s+)?by\b[\s:]*",
    re.IGNORECASE,
)
_AUTHOR_TAIL_RE = re.compile(r"\s*(?:\|.*|\b(?:published|updated|posted)\b.*)$", re.IGNORECASE)
_WEEKDAY_TAIL_RE = re.compile(
    r"[\s,]+(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?$", re.IGNORECASE
)


def clean_author(value: str | None) -> str | None:
    """An author field (or byline) without what pages put around the names (see _AUTHOR_PREFIX_RE): no
    leading "By", no "Published ..." or "| affiliation" after, no date (and its weekday) at the
    end. The names and their role ("AP National Political Writer") stay. None if nothing is left."""
    if not value:
        return None
    text = value
    while (shorter := _AUTHOR_PREFIX_RE.sub("", text, count=1)) != text:
        text = shorter
    text = _AUTHOR_TAIL_RE.sub("", text)
    dates = list(DATE_IN_TEXT_RE.finditer(text))
    if dates and dates[-1].end() == len(text) and dates[-1].start() > 0:
        text = _WEEKDAY_TAIL_RE.sub("", text[: dates[-1].start()].rstrip(" ,-–—·"))
    text = text.strip(" ,;-–—·")
    return text or None


# ----------------------------------------------------------------------------- pasted pages

# Lines that copying a web page's text brings along and no article means: the page's buttons,
# adverts and prompts (compared in lower case, without the punctuation at the end).
_BOILERPLATE = frozenset(
    {
        "advertisement", "skip advertisement", "story continues below advertisement", "ad", "sponsored",
        "share", "share this", "share this article", "share this story", "share on facebook",
        "share on twitter", "share via email", "tweet", "email", "print", "copy link", "copied",
        "sign up for our newsletter", "subscribe", "subscribe now", "subscribe to our newsletter",
        "read more", "continue reading", "read the full story", "show more", "see more",
        "comments", "leave a comment", "listen to this article", "save", "saved", "follow",
    }
)  # fmt: skip
# "Read more: <another article's title>", "RELATED: ...": a promotion of other articles.
_PROMO_RE = re.compile(r"^(?:read more|related|also read|see also|more|watch|listen)\s*:\s*\S", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Whether a line of pasted text is a web page's furniture, not the article's (see _BOILERPLATE)."""
    if len(line) > 120:
        return False
    return line.rstrip(" .:!»›>→").casefold() in _BOILERPLATE or bool(_PROMO_RE.match(line))


# What may stand beside the date on a line of its own: "Published 10:02 AM EST Nov 19, 2019".
_DATE_LINE_WORDS = frozenset(
    [
        "published", "updated", "posted", "last", "modified", "on", "at", "am", "pm", "a", "m", "p",
        "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "est", "edt", "cst", "cdt", "mst", "mdt",
        "pst", "pdt", "ist", "jst", "kst", "aest", "msk", "local", "time", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday",
    ]
)  # fmt: skip


def date_line(line: str) -> dt.date | None:
    """The date of a line that is a date and nothing more (a weekday, a time and zone, "Published"
    or "Updated" aside), or None: a sentence that mentions a date is not one."""
    if len(line) > 80 or (when := find_date(line)) is None:
        return None
    rest = DATE_IN_TEXT_RE.sub(" ", _ISO_DATETIME_RE.sub(" ", _SLASHED_YEAR_FIRST_RE.sub(" ", line)))
    rest = _ISO_DATE_RE.sub(" ", rest)
    words = re.findall(r"[^\W\d_]+", rest.casefold())
    return when if all(word in _DATE_LINE_WORDS for word in words) else None


# Lower-case words a byline may hold between its names ("By Jane Doe and John Roe in Kyiv").
_BYLINE_CONNECTORS = frozenset(
    ["and", "of", "the", "for", "in", "at", "with", "from", "de", "del", "der", "van", "von", "da", "di", "du", "la", "le", "y"]
)  # fmt: skip


def is_byline(text: str) -> bool:
    """Whether a line is a byline ("By Jane Doe, Reuters", "BY JANE DOE", "By the Associated
    Press", "By Jane Doe, senior correspondent"): "By", then names, not a sentence that starts with
    the word ("By Monday, the talks had stalled": more than two lower-case words that are not
    connectors)."""
    match = re.match(r"(?:By|BY|by)\s+(\S.*)$", text)
    if match is None or len(text) > 100 or text.endswith(("!", "?")):
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", match.group(1))
    if not words or not (words[0][0].isupper() or words[0].casefold() == "the"):
        return False
    lower = [w for w in words if w[0].islower() and w.casefold() not in _BYLINE_CONNECTORS]
    return len(lower) <= 2


def lead_meta(blocks: list[Element]) -> tuple[str | None, dt.date | None, list[Element]]:
    """The byline ("By Jane Doe, Reuters") and date lines that open a pasted article, and the
    blocks without them: ``(author, date, blocks)``. Only the first three blocks are looked at,
    each a plain paragraph, and the first of each kind is taken; what is not a byline or a date
    ends the look."""
    author: str | None = None
    date: dt.date | None = None
    taken = 0
    for block in blocks[:3]:
        if block.tag != "p" or not all(isinstance(child, str) for child in block.children):
            break
        text = "".join(block.children)  # type: ignore[arg-type]
        if author is None and is_byline(text):
            author = clean_author(text)
        elif date is None and (when := date_line(text)) is not None:
            date = when
        else:
            break
        taken += 1
    return author, date, blocks[taken:]


def _weighted_length(text: str) -> int:
    """Length of ``text`` as X counts it for the 280-character limit: every URL costs 23."""
    return len(_URL_RE.sub("x" * 23, text))


# ----------------------------------------------------------------------------- line kinds

# "US President Joe Biden ... into Russia. Photo: AAP" -> caption + credit. The label must be a
# word of its own (not the end of "telephoto:"), and the credit is short and has no full stop,
# colon or bracket, which keeps ordinary sentences from matching. The caption is whatever
# precedes the label; the pattern is searched for rather than matched behind a lazy ".*?"
# caption group, which backtracks quadratically on a long line of brackets.
_CAPTION_RE = re.compile(
    r"\b(?P<label>(?:photo(?:graph)?|picture|image)s?|credit)\s*:\s*"
    r"(?P<credit>[^\s.:()\[\]][^.:()\[\]]{0,79}?)"
    r"[\s.)\]]*$",
    re.IGNORECASE,
)

# "— Richard Grenell (@RichardGrenell) November 17, 2024": an embedded post's attribution.
# Handles are X's alphabet (letters, digits, underscore), which also makes them safe in a URL.
_ATTRIBUTION_RE = re.compile(
    r"^[\u2014\u2013-]{1,2}\s*(?P<name>[^()]+?)\s*"
    r"\(@(?P<handle>[A-Za-z0-9_]{1,30})\)\s*"
    r"(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})\s*$"
)

# Reporting prose around an embedded post: "..., Grenell said, in a social media post".
_PROSE_RE = re.compile(r"\b(?:said|says|according to)\b|[\"\u201c\u201d\u201e\u00ab\u00bb]", re.IGNORECASE)

#: The most characters an embedded post may have (X's limit).
POST_LIMIT = 280


def _caption_figure(line: str) -> Element | None:
    match = _CAPTION_RE.search(line)
    if match is None:
        return None
    caption = line[: match.start()].rstrip(" ([")
    credit = Element(
        "span",
        {"class": "digest-credit"},
        [f"{match.group('label')}: {match.group('credit').strip()}"],
    )
    children: list[Node] = [*linkify(caption), " ", credit] if caption else [credit]
    return Element("figure", {"class": "digest-figure"}, [Element("figcaption", {}, children)])


def _attribution(line: str) -> tuple[str, str, str, str] | None:
    """Return (name, handle, date text, ISO date) for an attribution line, else ``None``."""
    match = _ATTRIBUTION_RE.match(line)
    if match is None:
        return None
    when = parse_date(match.group("date"))
    if when is None:  # "Foo 17, 2024" or "February 30, 2024": not a real attribution
        return None
    return (
        match.group("name"),
        match.group("handle"),
        match.group("date"),
        when.isoformat(),
    )


def _claim_post_lines(lines: list[str], attribution_index: int, floor: int) -> int:
    """Return the index of the first line of the post attributed at ``attribution_index``.

    The heuristic, for text copied from a news site where an embedded post became plain lines:

    * The post is the run of lines *immediately* before the attribution line, collected walking
      backwards from it.
    * The walk stops at a line that would push the post past 280 characters (X's limit; every
      URL counts as 23 characters, as X counts a t.co link; lines are joined by one newline).
    * It stops at a line that reads like the article's own reporting, not the post: one that
      contains "said", "says" or "according to" (as words, any case) or a double quotation mark
      (straight, curly, low or guillemet), e.g. ``"Escalating the wars ...," Grenell said``.
    * It never crosses ``floor``: the headline, a caption, or an earlier post's attribution.

    Returns ``attribution_index`` when no line qualifies; the attribution then stands alone as
    an ordinary paragraph. False negatives (a post that says "said") only cost the styling.
    """
    start = attribution_index
    total = -1  # no newline before the first line collected
    for index in range(attribution_index - 1, floor - 1, -1):
        line = lines[index]
        if _PROSE_RE.search(line):
            break
        total += 1 + _weighted_length(line)
        if total > POST_LIMIT:
            break
        start = index
    return start


def _post_block(post_lines: list[str], name: str, handle: str, date_text: str, iso: str) -> Element:
    attribution = Element(
        "p",
        {"class": "digest-post__attribution"},
        [
            "\u2014 ",
            Element("span", {"class": "digest-post__author"}, [name]),
            " (",
            Element("a", {"href": f"https://x.com/{handle}"}, ["@" + handle]),
            ") ",
            Element("time", {"datetime": iso}, [date_text]),
        ],
    )
    paragraphs: list[Node] = [Element("p", {}, linkify(line)) for line in post_lines]
    return Element("blockquote", {"class": "digest-post"}, [*paragraphs, attribution])


# ----------------------------------------------------------------------------- parser


def parse_text(
    body: str,
    path: str,
    first_line: int = 1,
    *,
    title: str | None = None,
) -> tuple[str | None, list[Element], list[Problem]]:
    """Parse a ``.txt`` article body into (headline, blocks, problems).

    ``first_line`` is the file line number of the body's first line (it is more than 1 when
    front matter precedes the body), so problems point at the right line.

    ``title``, when the front matter gives one, decides what the first line is: it is consumed
    as the headline only if it reads the same as ``title`` (whitespace and case aside); else it
    is body text and the returned headline is ``None``. The body is never shortened silently.
    """
    numbered = [
        (first_line + offset, collapse_spaces(raw)) for offset, raw in enumerate(normalize_text(body).split("\n"))
    ]
    numbered = [(number, text) for number, text in numbered if text]
    if not numbered:
        return None, [], []

    headline: str | None = None
    headline_line = numbered[0][0]
    if title is None or numbered[0][1].casefold() == collapse_spaces(title).casefold():
        headline = numbered[0][1]
        numbered = numbered[1:]

    numbered = [(number, text) for number, text in numbered if not is_boilerplate(text)]
    if not numbered:
        problem = Problem("warning", Location(path, headline_line), "has a headline but no body text")
        return headline, [], [problem]

    lines = [text for _number, text in numbered]
    blocks: list[Element] = []
    floor = 0  # lines before this index are already emitted and cannot join a post
    pending: list[Element] = []  # paragraphs not yet emitted, i.e. still claimable by a post
    pending_start = 0

    def flush(upto: int) -> None:
        # Emit the pending paragraphs for lines[pending_start:upto].
        blocks.extend(pending[: upto - pending_start])

    for index, line in enumerate(lines):
        found = _attribution(line)
        if found is not None:
            start = _claim_post_lines(lines, index, floor)
            if start < index:
                flush(start)
                blocks.append(_post_block(lines[start:index], *found))
            else:
                flush(index)
                blocks.append(Element("p", {}, linkify(line)))
            floor, pending, pending_start = index + 1, [], index + 1
            continue
        figure = _caption_figure(line)
        if figure is not None:
            flush(index)
            blocks.append(figure)
            floor, pending, pending_start = index + 1, [], index + 1
            continue
        pending.append(Element("p", {}, linkify(line)))
    flush(len(lines))
    return headline, blocks, []
