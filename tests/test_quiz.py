"""Does the Quiz explain every option, score "2 of 3", refuse malformed questions with a
readable message, and save and restore the choices?"""
from __future__ import annotations

import copy

import pytest

from kit.answers import answers_path, read_answers_file
from kit.notebook import start
from kit.widgets.quiz import validate_questions

QUESTIONS = [
    {"id": "q1", "question": "Who says so in “analysts say”?",
     "options": [{"text": "A named source", "correct": False, "why": "No name is given."},
                 {"text": "A vague source", "correct": True, "why": "Unnamed analysts cannot be checked."}]},
    {"id": "q2", "question": "Is “could double traffic” a fact?",
     "options": [{"text": "Yes", "correct": False, "why": "It is a forecast."},
                 {"text": "No, speculation", "correct": True, "why": "“Could” marks a forecast."},
                 {"text": "No, a caveat", "correct": False, "why": "It is not a limit of evidence."}]},
    {"id": "q3", "question": "What does “Finds” in a headline do?",
     "options": [{"text": "Boosts the claim", "correct": True, "why": "It sounds like a discovery."},
                 {"text": "Hedges the claim", "correct": False, "why": "It makes it surer, not less sure."}]},
]


def questions():
    return copy.deepcopy(QUESTIONS)


def saved(tmp_path, key="quiz:seed-airborne-leak"):
    return read_answers_file(answers_path("lesson", tmp_path))[key]


def test_right_and_wrong_feedback_explain_from_the_options(tmp_path):
    quiz = start("lesson", tmp_path).quiz(questions(), article="seed-airborne-leak")
    quiz.choose("q1", "A vague source")
    quiz.choose("q2", "No, a caveat")
    quiz.check()
    fb1, fb2 = quiz.rows["q1"]["feedback"].value, quiz.rows["q2"]["feedback"].value
    assert "✔ Right" in fb1 and "cannot be checked" in fb1 and 'role="status"' in fb1
    assert "✘ Not quite" in fb2 and "not a limit of evidence" in fb2
    assert "The right answer: <strong>No, speculation</strong>" in fb2 and "marks a forecast" in fb2
    assert "1 of 3" in quiz.tally.value and "2 checked" in quiz.tally.value


def test_score_two_of_three(tmp_path):
    quiz = start("lesson", tmp_path).quiz(questions(), article="seed-airborne-leak")
    for qid, text in (("q1", "A vague source"), ("q2", "Yes"), ("q3", "Boosts the claim")):
        quiz.choose(qid, text)
        quiz.rows[qid]["check"].click()
    assert quiz.score() == (2, 3) and "2 of 3" in quiz.tally.value
    assert saved(tmp_path)["right"] == 2


def test_check_without_a_choice_asks_for_one(tmp_path):
    quiz = start("lesson", tmp_path).quiz(questions())
    quiz.check("q1")
    assert "First choose" in quiz.rows["q1"]["feedback"].value


def test_new_choice_clears_old_feedback(tmp_path):
    quiz = start("lesson", tmp_path).quiz(questions())
    quiz.choose("q1", "A vague source")
    quiz.check("q1")
    quiz.choose("q1", "A named source")
    assert quiz.rows["q1"]["feedback"].value == "" and quiz.score() == (0, 3)


def test_choices_saved_by_text_and_restored(tmp_path):
    """Does a re-run cell show the same choices and checks, even with options reordered?"""
    quiz = start("lesson", tmp_path).quiz(questions(), article="seed-airborne-leak")
    quiz.choose("q2", "No, speculation")
    quiz.check("q2")
    quiz.choose("q3", "Hedges the claim")
    entry = saved(tmp_path)
    assert entry["choices"] == {"q2": "No, speculation", "q3": "Hedges the claim"}
    assert entry["checked"] == ["q2"] and entry["article"] == "seed-airborne-leak"
    reordered = questions()
    reordered[1]["options"].reverse()
    again = start("lesson", tmp_path).quiz(reordered, article="seed-airborne-leak")
    assert again.rows["q2"]["radios"].value == "No, speculation"
    assert "✔ Right" in again.rows["q2"]["feedback"].value
    assert again.rows["q3"]["radios"].value == "Hedges the claim"
    assert again.rows["q3"]["feedback"].value == ""


def test_restoring_never_overwrites_with_empty_state(tmp_path):
    quiz = start("lesson", tmp_path).quiz(questions())
    quiz.choose("q1", "A vague source")
    path = answers_path("lesson", tmp_path)
    before = path.read_bytes()
    start("lesson", tmp_path).quiz(questions())
    assert path.read_bytes() == before
    assert "quiz:q1" in read_answers_file(path)


@pytest.mark.parametrize("change, message", [
    (lambda q: q.clear(), "non-empty list"),
    (lambda q: q[1].pop("question"), "question 2 (q2): field 'question'"),
    (lambda q: q[2].update(id="q1"), "question 3 (q1): id 'q1' is used twice"),
    (lambda q: q[0]["options"][1].update(correct=False), "question 1 (q1): no option is marked correct"),
    (lambda q: q[0]["options"][0].pop("why"), "option 1 should have a non-empty 'why'"),
    (lambda q: q[0]["options"][0].update(correct="yes"), "option 1 should have 'correct: true'"),
    (lambda q: q[0].update(options=q[0]["options"][:1]), "at least two options"),
])
def test_malformed_questions_are_refused_readably(change, message):
    qs = questions()
    change(qs)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_questions(qs)


def test_controls_are_labelled(tmp_path):
    quiz = start("lesson", tmp_path).quiz(questions())
    for row in quiz.rows.values():
        assert row["radios"].description == "Answer:" and row["radios"].value is None
        assert row["check"].description == "Check" and row["check"].tooltip
