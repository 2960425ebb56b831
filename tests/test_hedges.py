"""Does the HedgeSpotter offer one toggle per word, judge marks against the key's hedges
and boosters (and "nothing to mark"), give the analyser's reasons when it exists, and
save and restore the marks?"""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest

from kit.answers import answers_path, read_answers_file
from kit.article_loader import load_article
from kit.library import load
from kit.notebook import start
from kit.widgets.hedges import default_sentence_ids, words_of

SEED = "seed-airborne-leak"


def make(tmp_path, write_article, minimal_article, **kwargs):
    article = load_article(write_article(minimal_article))
    return article, start("lesson", tmp_path).hedges(article, **kwargs)


def saved(tmp_path):
    return read_answers_file(answers_path("lesson", tmp_path))["hedges:tiny-test"]


@dataclass
class Mark:
    kind: str
    text: str
    reason: str


@pytest.fixture
def fake_analyser(monkeypatch):
    """Install a stand-in kit.analysis whose analyse_sentence marks "could"."""
    module = types.ModuleType("kit.analysis")

    def analyse_sentence(text):
        marks = [Mark("hedge", "could", "a modal verb: says something is possible, not that it is")]
        marks += [Mark("number", "7", "a count")] if "7" in text else []
        return types.SimpleNamespace(marks=marks)

    module.analyse_sentence = analyse_sentence
    monkeypatch.setitem(sys.modules, "kit.analysis", module)
    return module


def test_default_sentences_include_some_with_nothing_to_mark():
    seed = load(SEED)
    ids = default_sentence_ids(seed)
    hedged = [s.id for s in seed.sentences if s.hedges or s.boosters]
    plain = [i for i in ids if i not in hedged]
    assert set(hedged) <= set(ids) and len(plain) == 2
    assert ids == [s.id for s in seed.sentences if s.id in ids]  # article order


def test_one_toggle_per_word(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    assert [b.description for b in spotter.buttons] == ["Critics", "say", "it", "could",
                                                        "double", "traffic"]
    assert all(b.tooltip == "mark this word" for b in spotter.buttons)


def test_marking_the_key_hedge_is_right(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    spotter.mark("could")
    button = spotter.buttons[3]
    assert button.value and button.icon == "check" and "unmark" in button.tooltip  # not colour alone
    assert "“could”" in spotter.marked_line.value
    spotter.check()
    fb = spotter.feedback.value
    assert "✔ Right" in fb and "“could”: ✔ you marked it" in fb and 'role="status"' in fb


def test_extra_and_missed_words_are_named(tmp_path):
    spotter = start("lesson", tmp_path).hedges(SEED, sentence_ids=["s8"])
    spotter.mark("may", "Analysts")
    spotter.check()
    fb = spotter.feedback.value
    assert "◐ Partly" in fb and "“purported”: ✘ not marked" in fb
    assert "Boosters" in fb and "“most significant”: ✘ not marked" in fb
    assert "does not count: “Analysts”" in fb


def test_nothing_to_mark_is_a_right_answer(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s2"])
    spotter.check()
    assert "✔ Right: nothing to mark here." in spotter.feedback.value
    assert saved(tmp_path)["checked"] == ["s2"]


def test_marking_nothing_where_there_are_hedges_is_not(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    spotter.check()
    assert "✘ Not quite" in spotter.feedback.value and "✘ not marked" in spotter.feedback.value


def test_marking_words_where_there_is_nothing(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s2"])
    spotter.mark("voted")
    spotter.check()
    assert "✘ Not quite: the key has nothing to mark here." in spotter.feedback.value


def test_analyser_reasons_shown_when_installed(tmp_path, write_article, minimal_article, fake_analyser):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    spotter.check()
    fb = spotter.feedback.value
    assert "analyser" in fb and "a modal verb" in fb
    assert "a count" not in fb  # only hedges and boosters here


def test_no_analyser_no_reasons(tmp_path, write_article, minimal_article, monkeypatch):
    monkeypatch.setitem(sys.modules, "kit.analysis", None)  # import fails
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    spotter.check()
    assert "analyser" not in spotter.feedback.value and "✘ Not quite" in spotter.feedback.value


def test_a_failing_analyser_does_not_break_the_widget(tmp_path, write_article, minimal_article, monkeypatch):
    module = types.ModuleType("kit.analysis")
    module.analyse_sentence = lambda text: 1 / 0
    monkeypatch.setitem(sys.modules, "kit.analysis", module)
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    spotter.check()
    assert "✘ Not quite" in spotter.feedback.value


def test_new_marks_clear_old_feedback(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    spotter.mark("could")
    spotter.check()
    spotter.mark("could", on=False)
    assert spotter.feedback.value == "" and saved(tmp_path)["checked"] == []


def test_marks_saved_and_restored(tmp_path, write_article, minimal_article):
    """Does a re-run cell show the same marks, checks and sentence?"""
    article, spotter = make(tmp_path, write_article, minimal_article)
    assert [s.id for s in spotter.sentences] == ["s1", "s2", "s3"]
    spotter.go(2)
    spotter.mark("could", "traffic")
    spotter.check()
    spotter.go(0)
    spotter.mark("Council", sentence_id="s1")
    entry = saved(tmp_path)
    assert entry["marked"] == {"s1": [0], "s3": [3, 5]} and entry["checked"] == ["s3"]
    assert entry["position"] == 0 and entry["type"] == "hedges"
    again = start("lesson", tmp_path).hedges(article)
    assert again.position == 0 and again.buttons[0].value and again.buttons[0].icon == "check"
    again.go(2)
    assert [b.description for b in again.buttons if b.value] == ["could", "traffic"]
    assert "◐ Partly" in again.feedback.value
    assert "Checked 1 of 3" in again.tally.value


def test_restoring_never_overwrites_with_empty_state(tmp_path, write_article, minimal_article):
    article, spotter = make(tmp_path, write_article, minimal_article)
    spotter.go(2)
    spotter.mark("could")
    path = answers_path("lesson", tmp_path)
    before = path.read_bytes()
    start("lesson", tmp_path).hedges(article)  # the cell run again
    assert path.read_bytes() == before


def test_words_match_the_scoring_tokens():
    assert words_of("China’s long-standing role, roughly 10") == ["China’s", "long-standing",
                                                                  "role", "roughly", "10"]


def test_controls_are_labelled(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article)
    assert spotter.check_button.description == "Check" and spotter.check_button.tooltip
    assert spotter.prev_button.tooltip and spotter.next_button.tooltip
    assert spotter.prev_button.disabled and not spotter.next_button.disabled


def test_marking_a_word_not_shown_says_so(tmp_path, write_article, minimal_article):
    _, spotter = make(tmp_path, write_article, minimal_article, sentence_ids=["s3"])
    with pytest.raises(ValueError, match="no unmarked word 'bridge'"):
        spotter.mark("bridge")
