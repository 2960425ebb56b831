"""Does the analyser mark who says so, how sure they are, and what kind of claim it is,
with a reason a student can read and offsets a widget can trust?"""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.analysis import lexicon
from kit.analysis import (MARK_KINDS, Mark, SentenceAnalysis, analyse_sentence,
                          analyse_sentences, analyse_text, format_analyses)
from kit.taxonomy import KINDS, SOURCE_TYPES


def marks(text: str, kind: str) -> list[str]:
    return [m.text for m in analyse_sentence(text).marks_of(kind)]


def check_offsets(result: SentenceAnalysis) -> None:
    for m in result.marks:
        assert result.text[m.start:m.end] == m.text, m
        assert 0 <= m.start < m.end <= len(result.text), m
        assert m.kind in MARK_KINDS
        assert m.reason.strip() and "{" not in m.reason, m


# -- attribution cues, in every tense ------------------------------------------------------

CUES = [
    ("present", "The ministry says the bridge is safe.", "says"),
    ("past", "The ministry said the bridge was safe.", "said"),
    ("progressive", "The ministry is saying the bridge is safe.", "is saying"),
    ("present perfect", "Several officials have suggested that the plan is late.", "have suggested"),
    ("past perfect", "The mayor had warned that the bridge was unsafe.", "had warned"),
    ("future with a clause", "The minister will say that the plan has failed.", "will say"),
    ("negated adverb chain", "Police have repeatedly stated that nobody was hurt.", "have repeatedly stated"),
    ("quoted as saying", "Smith was quoted as saying the deal was dead.", "was quoted as saying"),
    ("according to", "According to the analysis, prices rose.", "According to"),
    ("inverted after a quote", '"It is over," said Mayor Ana Ruiz.', "said"),
    ("attribution noun", "The analysis notes that the school is young.", "notes"),
    ("headline verb", "Russia Helping China Prepare for Taiwan Invasion, Analysis Finds", "Finds"),
    ("lowercase headline", "New routes start in September, council says", "says"),
    ("unnamed alleger", "Beijing allegedly sought to integrate its radios.", "allegedly"),
    ("weasel", "It is widely believed that the castle is older.", "It is widely believed"),
]


@pytest.mark.parametrize("scenario,text,cue", CUES, ids=[c[0] for c in CUES])
def test_attribution_cues(scenario, text, cue):
    """Is the cue found, with its auxiliaries, whatever the tense or position?"""
    result = analyse_sentence(text)
    assert cue in [m.text for m in result.cues], result.cues
    assert result.has_attribution
    check_offsets(result)


NOT_CUES = [
    ("noun after a determiner", "The reports were filed late."),
    ("noun before of", "Claims of fraud rose sharply last year."),
    ("part of a name", "The United States Army moved north."),
    ("a participle describing a noun", "The figures written into the permit were old."),
    ("advice, not a report", "The board should think again."),
    ("no answer is not a claim", "The Kremlin did not respond to requests for comment."),
    ("declining is not a claim", "The chief executive declined to comment on the report."),
    ("saying nothing is not a claim", "He did not say whether anyone had checked the figures."),
    ("a content verb with an ordinary subject", "The box contains toys."),
]


@pytest.mark.parametrize("scenario,text", NOT_CUES, ids=[c[0] for c in NOT_CUES])
def test_words_that_look_like_cues_but_are_not(scenario, text):
    """Are nouns, names and non-reports left unmarked, so the outlet's voice stays 'none'?"""
    result = analyse_sentence(text)
    assert not result.cues, result.cues
    assert result.source_type == "none"


# -- sources and their types ---------------------------------------------------------------

SOURCES = [
    ("named person with a title",
     "NATO Secretary General Jens Stoltenberg and other officials have described a buildup.",
     "person", "Jens Stoltenberg"),
    ("named person with an appositive",
     "Jack Watling, a researcher at the Royal United Services Institute, added that it helps.",
     "person", "Jack Watling"),
    ("role before a name", "Union leader Marta Kessling told reporters the talks failed.",
     "person", "Marta Kessling"),
    ("named organisation", "The Royal United Services Institute said the documents were real.",
     "organisation", "Royal United Services Institute"),
    ("acronym", "NATO said the exercise would go ahead.", "organisation", "NATO"),
    ("government by its capital", "Beijing maintains it seeks peaceful reunification.",
     "organisation", "Beijing"),
    ("an organisation's report", "The analysis notes that the school is young.",
     "organisation", "The analysis"),
    ("a report by a named body", "An analysis by the Royal United Services Institute suggests Moscow is helping.",
     "organisation", "Royal United Services Institute"),
    ("a spokesperson speaks for the organisation",
     "A Greyhaven spokesperson told the Herald that the company had followed every step.",
     "organisation", "Greyhaven spokesperson"),
    ("documents", "The documents describe a framework agreed in 2021.", "document", "The documents"),
    ("minutes", "The minutes show the plan was approved by seven votes to two.", "document", "The minutes"),
    ("unnamed group", "Analysts emphasize that training matters most.", "vague", "Analysts"),
    ("unnamed group with a determiner", "Several U.S. officials have suggested a date.",
     "vague", "Several U.S. officials"),
    ("people familiar", "People familiar with the talks said a deal was close.",
     "vague", "People familiar with the talks"),
    ("an unnamed official", "An official said the road would reopen.", "vague", "An official"),
    ("unnamed alleger", "Beijing allegedly sought to integrate its radios.", "vague", "unnamed (allegedly)"),
    ("outlet's own voice", "The bridge opened in 1932 and carries 40,000 cars a day.", "none", ""),
]


@pytest.mark.parametrize("scenario,text,type_,name", SOURCES, ids=[s[0] for s in SOURCES])
def test_source_types(scenario, text, type_, name):
    """Is the source found and given the taxonomy's type, with a reason?"""
    result = analyse_sentence(text)
    assert result.source_type == type_, (result.source_type, result.source_name)
    assert result.source_name == name
    assert result.source_reason
    assert result.source_type in SOURCE_TYPES


def test_vague_reason_says_you_cannot_check():
    """Does a vague source's reason tell the student why it matters?"""
    result = analyse_sentence("Analysts say the deal could collapse.")
    assert result.source_reason == "Analysts is an unnamed group: you cannot check who they are." \
        or "cannot check" in result.source_reason


def test_main_clause_source_wins_over_a_subordinate_one():
    """In 'While the documents do not name Taiwan, analysts say ...', is the source the
    analysts, not the documents in the subordinate clause?"""
    result = analyse_sentence("While the documents do not name Taiwan, analysts say it could help.")
    assert result.source_type == "vague" and result.source_name == "analysts"


def test_pronoun_carries_the_source_over():
    """Does 'They indicate' point back to the documents of the sentence before?"""
    first, second = analyse_sentences([
        "According to the analysis, the documents reference meetings.",
        "They indicate that work has begun.",
    ])
    assert second.source_type == "document" and second.carried
    assert "earlier sentence" in second.source_reason


def test_surname_points_back_to_a_named_person():
    """Is 'Watling said' recognised as the person named in full earlier?"""
    results = analyse_sentences(["Jack Watling, a researcher, said it was early.",
                                 "'It is a start,' Watling said."])
    assert results[1].source_type == "person" and results[1].source_name == "Jack Watling"


def test_writer_in_first_person_is_the_outlet():
    """Is 'I suspect' in an opinion piece the writer's own voice, not a source?"""
    result = analyse_sentence("I suspect the price will not stay low for long.")
    assert result.source_type == "none" and not result.has_attribution
    assert result.suggested_kind in ("speculation", "inference")


# -- hedges and boosters -------------------------------------------------------------------

HEDGES = [
    ("modal", "The collaboration could accelerate the program.", ["could"]),
    ("approximator before a number", "It read roughly 800 pages.", ["roughly"]),
    ("about before a number only", "They talked about the plan for about 20 minutes.", ["about"]),
    ("epistemic adjective", "It prepares for a possible invasion.", ["possible"]),
    ("tentative reporting verb", "The analysis suggests Moscow is helping.", ["suggests"]),
    ("shield", "Beijing allegedly sought to integrate its radios.", ["allegedly"]),
    ("condition", "The deal, if it proceeds, would provide vehicles.", ["if it proceeds", "would"]),
    ("month May is not a modal", "The council met in May and again in June.", []),
    ("past inability is not a hedge", "Reporters could not confirm the figure.", []),
    ("vague quantity", "Many teenagers do not feel sleepy until late.", ["Many"]),
]


@pytest.mark.parametrize("scenario,text,expected", HEDGES, ids=[h[0] for h in HEDGES])
def test_hedges(scenario, text, expected):
    """Are hedges marked, and look-alikes (the month May, 'about the plan') left alone?"""
    assert marks(text, "hedge") == expected


def test_boosters_and_negation():
    """Is 'clearly' a booster, while a negated factive verb ('do not show') is not?"""
    assert marks("The figures clearly show a rise.", "booster") == ["clearly", "show"]
    assert marks("They do not show direct evidence.", "booster") == []


# -- figures and dates ---------------------------------------------------------------------

NUMBERS = [
    ("money", "It cost more than $210 million.", "$210 million", "money"),
    ("percentage", "Inflation rose 2.5% in March.", "2.5%", "percentage"),
    ("per cent in words", "Turnout was 64 per cent.", "64 per cent", "percentage"),
    ("range with a unit", "It could speed the program by 10 to 15 years.", "10 to 15 years", "range"),
    ("count with a unit", "It read roughly 800 pages.", "800 pages", "measure"),
    ("duration in words", "The strike lasted two weeks.", "two weeks", "duration"),
]


@pytest.mark.parametrize("scenario,text,span,label", NUMBERS, ids=[n[0] for n in NUMBERS])
def test_numbers_with_units(scenario, text, span, label):
    """Is each figure marked with its unit and what kind of figure it is?"""
    found = [(m.text, m.label) for m in analyse_sentence(text).marks_of("number")]
    assert (span, label) in found, found


def test_names_with_digits_are_not_figures():
    """Are 'F-35' and 'COVID-19' left alone?"""
    assert marks("The F-35 and COVID-19 were discussed.", "number") == []


DATES = [
    ("relative time", "World 3 months ago", "3 months ago", "relative"),
    ("earliest date", "It could come as early as 2027.", "as early as 2027", "target"),
    ("deadline", "The goal is a world-class force by 2050.", "by 2050", "target"),
    ("full date", "Thursday, January 1, 2026", "Thursday, January 1, 2026", "date"),
    ("abbreviated month", "He spoke on Jan. 5 in Rome.", "on Jan. 5", "date"),
    ("weekday alone", "The union said on Tuesday it would strike.", "on Tuesday", "relative"),
    ("since", "It has grown since 1949.", "since 1949", "start"),
]


@pytest.mark.parametrize("scenario,text,span,label", DATES, ids=[d[0] for d in DATES])
def test_dates_and_relative_times(scenario, text, span, label):
    """Is each date or relative time marked, and told apart (relative, target, date)?"""
    found = [(m.text, m.label) for m in analyse_sentence(text).marks_of("date")]
    assert (span, label) in found, found


# -- suggested kinds -----------------------------------------------------------------------

KIND_CASES = [
    ("modal with an action", "He said the collaboration could accelerate the program.", "speculation"),
    ("condition with would", "The deal, if it proceeds, would provide 37 vehicles.", "speculation"),
    ("forecast verb", "Some analysts expect the government to step in.", "speculation"),
    ("do not prove", "They do not prove an operational plan.", "caveat"),
    ("not verified", "The figures could not be independently verified.", "caveat"),
    ("it is unclear", "It is unclear whether the payment was made.", "caveat"),
    ("no direct evidence", "There is no direct evidence that China paid.", "caveat"),
    ("tentative verb", "An analysis suggests Moscow is assisting China.", "inference"),
    ("appears to", "Moscow appears to be pursuing a role as a supplier.", "inference"),
    ("modal with a state", "The value may lie in training.", "inference"),
    ("finding of a study", "A new study finds that teenagers sleep less.", "inference"),
    ("advice", "The board should listen to parents.", "inference"),
    ("belief with no believer", "The genus is thought to have originated in Asia.", "inference"),
    ("weasel view", "He is widely regarded as the finest player of his time.", "inference"),
    ("has long", "Russia has long supplied arms to India.", "background"),
    ("since a year", "The island has been self-governing since 1949.", "background"),
    ("long-term goal", "Beijing aims to build a world-class force by 2050.", "background"),
    ("plain event", "The council voted 7 to 2 on Monday.", "fact"),
    ("sourced fact", "The documents describe a framework agreed in 2021.", "fact"),
    ("dated plan", "The new timetable will start on 7 September, the council said.", "fact"),
    ("subordinate caveat does not win",
     "The documents include contracts, though they do not contain direct evidence of payment.",
     "fact"),
    ("relative-clause modal does not win",
     "Officials have described a buildup that could influence security.", "fact"),
]


@pytest.mark.parametrize("scenario,text,kind", KIND_CASES, ids=[k[0] for k in KIND_CASES])
def test_suggested_kind(scenario, text, kind):
    """Does each general rule suggest the kind the taxonomy describes, with a reason?"""
    result = analyse_sentence(text)
    assert result.suggested_kind == kind, result.kind_reason
    assert result.suggested_kind in KINDS
    assert result.kind_reason and "{" not in result.kind_reason


def test_reason_quotes_the_words_that_decided():
    """Does the kind's reason show the student which words led to it?"""
    result = analyse_sentence("Officials say the records do not prove an operational plan.")
    assert result.suggested_kind == "caveat"
    assert "do not prove" in result.kind_reason


def test_reasons_are_student_readable():
    """Does every mark's reason quote its own words and avoid jargon placeholders?"""
    result = analyse_sentence("Analysts say the deal, worth $210 million, could collapse by 2027.")
    for m in result.marks:
        assert m.reason.strip() and "{" not in m.reason
        assert len(m.reason) < 400
    hedge = result.marks_of("hedge")[0]
    assert hedge.text == "could" and '"could"' in hedge.reason


# -- robustness: empty, non-text, huge, odd Unicode ----------------------------------------

def test_empty_input():
    """Does empty text give a clear, empty result rather than an error?"""
    assert analyse_text("") == []
    assert analyse_text("   \n\n ") == []
    result = analyse_sentence("")
    assert result.marks == [] and result.source_type == "none" and result.kind_reason


@pytest.mark.parametrize("bad", [b"Officials said.", 3.5, None, {"text": "x"}])
def test_non_text_gives_a_clear_type_error(bad):
    """Does a non-string fail with a TypeError that says what was expected?"""
    with pytest.raises(TypeError, match="expects text"):
        analyse_text(bad)
    with pytest.raises(TypeError, match="expects text"):
        analyse_sentence(bad)


def test_odd_unicode_offsets_point_into_the_original():
    """With curly quotes, non-breaking spaces and right-to-left marks, do offsets still cut
    the original text exactly, and are the words still recognised?"""
    text = ("\u201cWe will act,\u201d the minister\u00a0said. Analysts\u200f say it could\u00a0"
            "cost $210\u00a0million, according to the ministry\u2019s figures.")
    results = analyse_text(text)
    assert len(results) == 2
    for r in results:
        assert text[r.start:r.start + len(r.text)] == r.text
        check_offsets(r)
    second = results[1]
    assert "could" in [m.text for m in second.hedges]
    assert "$210\u00a0million" in [m.text for m in second.marks_of("number")]
    assert any(m.text == "Analysts\u200f say" or m.text.startswith("Analysts") for m in second.marks)


def test_direction_marks_inside_a_word_are_ignored_but_kept_in_the_span():
    """Is 'sug\u200fgests' still read as 'suggests', with the mark inside the span?"""
    text = "The analysis sug\u200fgests a link."
    result = analyse_sentence(text)
    assert [m.text for m in result.cues] == ["sug\u200fgests"]
    check_offsets(result)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(
    st.text(),
    st.lists(st.sampled_from(
        list("aZ .,;:!?\"'“”‘’\u00a0\u200f\u200e\u202e\n\t-—$%019()") +
        ["said ", "according to ", "may ", "U.S. ", "Jan. ", "$2.5 million ", "allegedly ",
         "they ", "It is believed that ", "If ", "would ", "the documents ", "3 months ago "]),
        max_size=40).map("".join)))
def test_any_string_analyses_with_valid_offsets(text):
    """Property: for any string, no crash, and every offset cuts out exactly its text."""
    for r in analyse_text(text):
        assert text[r.start:r.start + len(r.text)] == r.text
        check_offsets(r)
        assert r.suggested_kind in KINDS and r.source_type in SOURCE_TYPES


@pytest.mark.slow
def test_a_five_megabyte_article_finishes():
    """Does a 5 MB article (varied, so no cache can help) finish with sentences analysed?"""
    paragraph = ("Part {i}. An analysis by the Royal United Services Institute of roughly {i} "
                 "pages suggests Moscow{j} is assisting China. Analysts say it could accelerate "
                 "the program by 10 to 15 years, though the documents do not prove a plan. "
                 "The deal would cost more than ${i} million, officials said on Jan. 5.")
    parts, i = [], 0
    while sum(len(p) for p in parts) < 5_000_000:
        parts.append(paragraph.format(i=i, j=i % 89))
        i += 1
    text = "\n\n".join(parts)
    started = time.perf_counter()
    results = analyse_text(text)
    elapsed = time.perf_counter() - started
    assert len(results) >= 4 * len(parts)
    assert elapsed < 600, f"5 MB took {elapsed:.0f} s"
    sample = results[len(results) // 2]
    assert text[sample.start:sample.start + len(sample.text)] == sample.text


# -- the pieces around the rules -----------------------------------------------------------

def test_every_lexicon_names_its_convention():
    """Does each lexicon file carry a note naming the published work or convention it follows?"""
    notes = lexicon.notes()
    assert set(notes) == set(lexicon.NAMES)
    for name, note in notes.items():
        assert len(note) > 80, name
        assert re.search(r"\b(19|20)\d\d\b|Wikipedia|Stylebook|taxonomy", note), name


def test_lexicons_load_once():
    """Is each lexicon read from disk once and then cached?"""
    assert lexicon.load("hedges") is lexicon.load("hedges")


def test_marks_are_frozen_and_sorted():
    """Are marks immutable values, in reading order?"""
    result = analyse_sentence("Analysts say the deal could cost $210 million by 2027.")
    starts = [m.start for m in result.marks]
    assert starts == sorted(starts)
    with pytest.raises(AttributeError):
        result.marks[0].start = 5  # type: ignore[misc]
    assert isinstance(result.marks[0], Mark)


def test_format_analyses_prints_marks_with_reasons():
    """Does the plain-text report show each sentence, its kind, source and marks?"""
    text = format_analyses(analyse_text("Analysts say the deal could collapse."))
    assert "[1] Analysts say the deal could collapse." in text
    assert "kind: speculation" in text and 'hedge "could"' in text


def test_kit_import_stays_light():
    """Does `import kit` leave pysbd and the analyser unloaded?"""
    code = ("import sys, kit; bad = [m for m in ('pysbd', 'kit.analysis', 'kit.analysis.splitting', "
            "'kit.analysis.lexicon') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def run_cli(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "kit", *args], input=stdin,
                          capture_output=True, timeout=120)


def test_cli_analyse_reads_standard_input():
    """Does `kit analyse -` print marks with reasons for text on standard input?"""
    done = run_cli("analyse", "-", stdin="Critics say the bridge could fail.".encode())
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr
    assert 'hedge "could"' in out and "vague" in out


def test_cli_analyse_bad_files_give_one_line(tmp_path):
    """Does a missing, binary or non-UTF-8 file give one clear line and exit 1?"""
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    for path, words in ((tmp_path / "missing.txt", "no such file"),
                        (binary, "not a text file"), (latin, "not UTF-8")):
        done = run_cli("analyse", str(path))
        err = done.stderr.decode()
        assert done.returncode == 1 and words in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_cli_analyse_empty_text():
    """Does empty input say there is nothing to analyse, without failing?"""
    done = run_cli("analyse", "-", stdin=b"")
    assert done.returncode == 0 and "empty" in done.stdout.decode()
