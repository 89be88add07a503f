"""Reading article files into :class:`~digest.model.Article` values.

Contract:

* Files are UTF-8 (a BOM is fine; so is UTF-16 with a BOM, as Windows editors write it). A file
  that is not UTF-8 but decodes as Windows-1252 is read as that; anything else is skipped with
  a warning.
* Any article may start with YAML front matter (:mod:`digest.frontmatter`).
* ``.md`` / ``.markdown``: the body is Markdown (:mod:`digest.mdbody`). The title is the front
  matter ``title``, else the first ``# Heading`` (which is then removed from the body, since
  the page shows the title itself), else the file name, with a warning.
* ``.txt``: the body is the plain-text format (:mod:`digest.textformat`). A front matter
  ``title`` wins over the headline line; that line is then dropped only if it repeats the
  title, and is otherwise kept as the first paragraph.
* ``.html`` / ``.htm``: a saved web page, read by :func:`digest.htmlpage.parse_html` (which
  decodes the bytes itself, honouring the page's declared charset); no front matter.
* ``slug`` stays ``""`` unless the front matter sets it: the caller makes slugs unique.
* Nothing here raises for bad input. Every failure is a :class:`~digest.model.Problem`; an
  article that cannot be read at all comes back as ``None``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from digest.frontmatter import split_front_matter, validate_metadata
from digest.markup import plain_text
from digest.mdbody import parse_markdown
from digest.model import Article, Element, Location, Problem
from digest.textformat import collapse_spaces, lead_meta, normalize_text, parse_text

if TYPE_CHECKING:
    from pathlib import Path

#: File suffixes read as articles, by format.
MARKDOWN_SUFFIXES: tuple[str, ...] = (".md", ".markdown")
TEXT_SUFFIXES: tuple[str, ...] = (".txt",)
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
#: Pages saved as one file (see :mod:`digest.archives`; kept here so that checking a file's
#: suffix imports nothing).
ARCHIVE_SUFFIXES: tuple[str, ...] = (".mhtml", ".mht", ".webarchive")


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes: UTF-8 (BOM optional), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # A NUL byte never occurs in text; this is an image or a document saved under a .txt name.
    if b"\x00" not in data:
        try:
            # Older Windows tools save "smart quotes" this way; nearly every byte decodes.
            return data.decode("cp1252"), []
        except UnicodeDecodeError:
            pass
    message = "is not a text file in UTF-8 (or Windows-1252); skipped. Save it as UTF-8"
    return None, [Problem("warning", Location(path), message)]


def read_article(file: Path, path: str) -> tuple[Article | None, list[Problem]]:
    """Read and parse the article at ``file``; ``path`` is how messages name it."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [Problem("warning", Location(path), f"cannot be read ({reason}); skipped")]
    if file.suffix.lower() in ARCHIVE_SUFFIXES:
        from digest.archives import saved_page_html
        from digest.htmlpage import parse_html

        html, problems = saved_page_html(data, file.suffix, path)
        if html is None:
            return None, problems
        article, more = parse_html(html, path)
        return article, problems + more
    if file.suffix.lower() in HTML_SUFFIXES:
        # Imported here: trafilatura takes a fifth of a second to import, which a digest
        # without web pages should not pay (and htmlpage imports this module).
        from digest.htmlpage import parse_html

        return parse_html(data, path)
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    article, more = parse_article(text, path, file.suffix)
    return article, problems + more


def _stem(path: str) -> str:
    name = re.split(r"[\\/]", path)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def parse_article(text: str, path: str, suffix: str) -> tuple[Article | None, list[Problem]]:
    """Parse an article's text; ``suffix`` (``".md"``, ``".txt"``...) selects the format.

    Text formats only: a web page's bytes go to :func:`digest.htmlpage.parse_html` (through
    :func:`read_article`), since only the bytes can say which charset the page declares.
    """
    suffix = suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES + TEXT_SUFFIXES:
        known = ", ".join(MARKDOWN_SUFFIXES + TEXT_SUFFIXES)
        message = f"is not an article file (expected one of {known}); skipped"
        return None, [Problem("warning", Location(path), message)]

    text = normalize_text(text)
    if not text.strip():
        return None, [Problem("warning", Location(path), "is empty; skipped")]

    raw_meta, body, body_line, problems = split_front_matter(text, path)
    meta, meta_problems = validate_metadata(raw_meta, path, 1)
    problems += meta_problems
    if meta.get("draft"):
        # Asked for, so not a warning (--strict passes); said, so not silently lost.
        return None, [
            *problems,
            Problem("info", Location(path), "is a draft (its front matter says so); not published"),
        ]
    title: str | None = meta.get("title")

    if suffix in TEXT_SUFFIXES:
        headline, blocks, text_problems = parse_text(body, path, body_line, title=title)
        problems += text_problems
        title = title or headline
        # A pasted article's byline and date lines are its author and date (the front matter's, if
        # it gives them, win; the lines go either way, as the page shows them above the text).
        author, date, blocks = lead_meta(blocks)
        meta.setdefault("author", author)
        meta.setdefault("date", date)
        if not blocks and not text_problems:  # front matter only, no line of text
            problems.append(Problem("warning", Location(path, body_line), "has no body text"))
    else:
        try:
            blocks = parse_markdown(body)
        except RecursionError:
            # Python-Markdown recurses per nesting level (">>>>>>..."); keep the words anyway.
            message = "is nested too deeply to read as Markdown; its text is shown as is"
            problems.append(Problem("warning", Location(path, body_line), message))
            blocks = [Element("p", {}, [line]) for line in body.split("\n") if line.strip()]
        # The first "# Heading" (an h2 once shifted) is the title when none is given, and a
        # duplicate of it when it repeats the given title.
        first_h1 = next((i for i, block in enumerate(blocks) if block.tag == "h2"), None)
        if first_h1 is not None:
            heading = collapse_spaces(plain_text(blocks[first_h1].children))
            if title is None and heading:
                title = heading
                del blocks[first_h1]
            elif title is not None and first_h1 == 0 and heading.casefold() == title.casefold():
                del blocks[0]
        if not blocks:
            problems.append(Problem("warning", Location(path, body_line), "has no body text"))

    if not title:
        title = _stem(path)
        message = f"no title: add `title:` to the front matter or a `# Heading`; using '{title}'"
        problems.append(Problem("warning", Location(path, 1), message))

    article = Article(
        path=path,
        title=title,
        body=blocks,
        slug=meta.get("slug", ""),
        date=meta.get("date"),
        source=meta.get("source"),
        author=meta.get("author"),
        url=meta.get("url"),
        tags=meta.get("tags", ()),
        summary=meta.get("summary"),
    )
    return article, problems
