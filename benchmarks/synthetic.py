"""A generator of synthetic digests: N articles of news-like prose and a glossary of G entities.

Seeded, so every run with the same arguments writes the same digest. Used by the benchmark
(``nox -s bench``) and usable on its own::

    python benchmarks/synthetic.py OUT_DIR --articles 1000 --entities 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

from digest.commands import new

TYPES = ("person", "place", "organization", "weapon", "event", "term")
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "sen",
    "tor",
    "vel",
    "an",
    "dri",
    "os",
    "ko",
    "lan",
    "ber",
    "gus",
    "ta",
    "ni",
    "hol",
    "mar",
    "et",
    "zu",
    "pre",
    "vin",
]
VERBS = ["said", "warned", "argued", "announced", "confirmed", "denied", "reported", "added", "insisted", "noted"]
FILLER = (
    "officials said the decision followed weeks of talks",
    "the move drew criticism from opposition lawmakers",
    "analysts expect the situation to change in coming days",
    "the ministry declined to comment on the details",
    "local media reported heavy fighting overnight",
    "the agreement is expected to be signed next month",
    "prices rose sharply after the announcement",
    "several people were injured, according to emergency services",
)
SOURCES = ("Example Wire", "Daily Planet", "The Chronicle", "Morning Post", "Global Desk")


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def make_glossary(rng: random.Random, count: int) -> list[dict]:
    """``count`` entities with unique multi-word names and about 0.8 aliases each."""
    entities, taken = [], set()
    while len(entities) < count:
        kind = TYPES[len(entities) % len(TYPES)]
        name = " ".join(word(rng, rng.randint(2, 3)) for _ in range(rng.randint(1, 3)))
        if name in taken:
            continue
        aliases = []
        for _ in range(rng.choice((0, 1, 1, 2))):
            alias = word(rng, 3) + " " + word(rng, 2)
            if alias not in taken and alias != name:
                aliases.append(alias)
                taken.add(alias)
        taken.add(name)
        entry = {"name": name, "type": kind, "definition": f"A synthetic {kind} named {name}."}
        if aliases:
            entry["aliases"] = aliases
        entities.append(entry)
    return entities


def make_article(rng: random.Random, names: list[str], index: int, size: int = 5000) -> str:
    """A ~``size``-character Markdown article with front matter and mentions of ``names``."""
    start = dt.date(2024, 1, 1)
    date = start + dt.timedelta(days=rng.randrange(700))
    cast = rng.sample(names, k=min(len(names), 12))
    title = f"{rng.choice(cast)} and {rng.choice(cast)}: report {index}"
    paragraphs, length = [], 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            who, what = rng.choice(cast), rng.choice(FILLER)
            sentences.append(f"{who} {rng.choice(VERBS)} that {what}, and {rng.choice(cast)} was mentioned too.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph)
    front = {"title": title, "date": date.isoformat(), "source": rng.choice(SOURCES), "summary": paragraphs[0][:120]}
    return "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n" + "\n\n".join(paragraphs) + "\n"


def write_digest(out: Path, articles: int, entities: int, seed: int = 1) -> Path:
    """Write a complete digest project (mkdocs.yml, docs/, seeds/) into ``out`` (replaced)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    new(str(out))  # the scaffold every user starts from: its mkdocs.yml, docs/ and seeds/
    (out / "seeds" / "example.md").unlink()
    glossary = make_glossary(rng, entities)
    (out / "seeds" / "glossary.yml").write_text(
        yaml.safe_dump({"entities": glossary}, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    names = [name for entry in glossary for name in (entry["name"], *entry.get("aliases", ()))]
    for index in range(articles):
        (out / "seeds" / f"article-{index:05d}.md").write_text(make_article(rng, names, index), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_digest(args.out, args.articles, args.entities, args.seed)


if __name__ == "__main__":
    main()
