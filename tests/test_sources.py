"""Does the SourceFinder explain named, vague, none and carried sources from the key,
score name and type apart, and save and restore what was typed and picked?"""
from __future__ import annotations

from kit.answers import answers_path, read_answers_file
from kit.article_loader import load_article
from kit.library import load
from kit.notebook import start
from kit.widgets.sources import NO_ONE, SourceFinder, default_sentence_ids, source_names

SEED = "seed-airborne-leak"


def make(tmp_path, write_article, minimal_article, **kwargs):
    article = load_article(write_article(minimal_article))
    return article, start("lesson", tmp_path).sources(article, **kwargs)


def saved(tmp_path, key="sources:tiny-test"):
    return read_answers_file(answers_path("lesson", tmp_path)).get(key)


def test_default_sentences_are_those_with_a_cue_or_a_source(tmp_path, write_article, minimal_article):
    article, finder = make(tmp_path, write_article, minimal_article)
    assert [s.id for s in finder.sentences] == ["s2", "s3"]  # s1: no cue, no source
    seed = load(SEED)
    ids = default_sentence_ids(seed)
    assert "s12" in ids and "s25" not in ids and "s26" in ids  # carried; none; none with a cue


def test_names_to_pick_hide_the_glosses_that_give_the_type_away():
    names = source_names(load(SEED))
    assert names[-1] == NO_ONE
    assert "analysts" in names and "Royal United Services Institute" in names
    assert not any("(" in n for n in names)
    assert len(names) == len({n.casefold() for n in names})


def test_named_source_right(tmp_path, write_article, minimal_article):
    _, finder = make(tmp_path, write_article, minimal_article)
    finder.answer("s2", "the minutes", "document")
    finder.check("s2")
    fb = finder.rows[0]["feedback"].value
    assert "✔ Right" in fb and "Named source" in fb and "“show”" in fb
    assert 'role="status"' in fb
    assert "Checked 1 of 2" in finder.tally.value and "1 right" in finder.tally.value


def test_vague_source_explains_why_it_cannot_be_checked(tmp_path, write_article, minimal_article):
    _, finder = make(tmp_path, write_article, minimal_article)
    finder.answer("s3", "Critics", "person")
    finder.check("s3")
    fb = finder.rows[0]["feedback"].value
    assert "◐ Half right" in fb and "not person" in fb
    assert "Vague source" in fb and "cannot check" in fb and "could be anyone" in fb


def test_no_source_means_the_outlet_vouches(tmp_path):
    """A sentence with no source: does picking "No one" count, and is the outlet named as
    the one vouching?"""
    finder = start("lesson", tmp_path).sources(SEED, mode="all", sentence_ids=["s26"])
    assert isinstance(finder, SourceFinder)
    finder.answer("s26", NO_ONE, "none")
    finder.check("s26")
    fb = finder.rows[0]["feedback"].value
    assert "✔ Right" in fb and "outlet itself is vouching" in fb


def test_claiming_a_source_where_there_is_none(tmp_path):
    finder = start("lesson", tmp_path).sources(SEED, sentence_ids=["s26"])
    finder.answer("s26", "RUSI", "organisation")
    finder.check()
    fb = finder.rows[0]["feedback"].value
    assert "✘ Not quite" in fb and "no one is credited" in fb and "the words are the outlet" in fb


def test_carried_attribution_names_the_earlier_sentence(tmp_path):
    finder = start("lesson", tmp_path).sources(SEED)
    finder.answer("s12", "", "none")
    finder.check("s12")
    fb = finder.rows[0]["feedback"].value
    assert "✘ Not quite" in fb and "Carried attribution" in fb and "sentence s11" in fb
    assert "carried over from earlier" in fb  # the contrast for choosing "none"


def test_names_match_generously(tmp_path):
    finder = start("lesson", tmp_path).sources(SEED)
    finder.answer("s3", "RUSI", "organisation")
    finder.check("s3")
    assert "✔ Right" in finder.rows[0]["feedback"].value


def test_check_without_a_type_asks_for_one(tmp_path, write_article, minimal_article):
    _, finder = make(tmp_path, write_article, minimal_article)
    finder.answer("s2", "the minutes")
    finder.check("s2")
    assert "First choose" in finder.rows[0]["feedback"].value
    assert saved(tmp_path)["checked"] == []


def test_a_new_answer_clears_old_feedback(tmp_path, write_article, minimal_article):
    _, finder = make(tmp_path, write_article, minimal_article, mode="all")
    finder.answer("s2", "the minutes", "document")
    finder.check("s2")
    finder.answer("s2", source_type="organisation")
    assert finder.rows[0]["feedback"].value == ""
    assert saved(tmp_path)["checked"] == []


def test_answers_saved_on_every_change_and_restored(tmp_path, write_article, minimal_article):
    """Does a re-run cell (a new store, a new widget) show the same name, type and check?"""
    article, finder = make(tmp_path, write_article, minimal_article)
    finder.answer("s2", "the minutes", "document")
    finder.check()
    finder.go(1)
    finder.answer("s3", "critics")
    entry = saved(tmp_path)
    assert entry["answers"] == {"s2": {"name": "the minutes", "type": "document"},
                                "s3": {"name": "critics", "type": None}}
    assert entry["checked"] == ["s2"] and entry["position"] == 1 and entry["type"] == "sources"
    again = start("lesson", tmp_path).sources(article)
    assert again.position == 1 and again.rows[0]["name"].value == "critics"
    again.go(0)
    row = again.rows[0]
    assert row["name"].value == "the minutes" and row["type"].value == "document"
    assert "✔ Right" in row["feedback"].value


def test_restoring_never_overwrites_with_empty_state(tmp_path, write_article, minimal_article):
    article, finder = make(tmp_path, write_article, minimal_article, mode="all")
    finder.answer("s3", "Critics", "vague")
    path = answers_path("lesson", tmp_path)
    before = path.read_bytes()
    start("lesson", tmp_path).sources(article, mode="all")  # the cell run again
    start("lesson", tmp_path).sources(article)
    assert path.read_bytes() == before


def test_controls_are_labelled_for_keyboard_and_screen_readers(tmp_path, write_article, minimal_article):
    _, finder = make(tmp_path, write_article, minimal_article)
    row = finder.rows[0]
    assert row["name"].description == "Who says so?" and NO_ONE in row["name"].options
    assert row["type"].description == "Type:" and len(row["type"].tooltips) == 5
    assert row["check"].description == "Check" and row["check"].tooltip
    assert finder.prev_button.tooltip and finder.next_button.tooltip
