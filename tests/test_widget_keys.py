"""Can every widget family work on the same article in one notebook without one
clobbering another's answers, and does each come back intact after a re-run?"""
from __future__ import annotations

from kit.answers import answers_path, read_answers_file
from kit.notebook import start

SEED = "seed-airborne-leak"
QUESTIONS = [{"id": "q1", "question": "?", "options": [
    {"text": "a", "correct": True, "why": "w"}, {"text": "b", "correct": False, "why": "w"}]}]


def test_families_on_one_article_keep_their_own_answers(tmp_path):
    nb = start("lesson", tmp_path)
    sorter = nb.sorter(SEED)
    sources = nb.sources(SEED)
    hedges = nb.hedges(SEED)
    hunt = nb.errorhunt(SEED)
    highlighter = nb.highlighter(SEED)
    quiz = nb.quiz(QUESTIONS, article=SEED)
    # Interleaved changes, as a student moving between cells would make them.
    sorter.choose("s1", "inference")
    sources.answer("s1", "RUSI", "organisation")
    hedges.mark("Finds")
    sorter.check()
    hunt.report("s1", "overreach")
    highlighter.show("sources")
    sources.check("s1")
    quiz.choose("q1", "a")
    hedges.check()

    widgets = read_answers_file(answers_path("lesson", tmp_path))
    assert {k: v["type"] for k, v in widgets.items()} == {
        f"sorter:{SEED}": "sorter", f"sources:{SEED}": "sources", f"hedges:{SEED}": "hedges",
        f"errorhunt:{SEED}": "errorhunt", f"highlighter:{SEED}": "highlighter",
        f"quiz:{SEED}": "quiz"}
    assert widgets[f"sorter:{SEED}"]["answers"] == {"s1": "inference"}
    assert widgets[f"sources:{SEED}"]["answers"] == {"s1": {"name": "RUSI", "type": "organisation"}}
    assert widgets[f"hedges:{SEED}"]["marked"] == {"s1": [8]}

    again = start("lesson", tmp_path)  # the kernel restarted, every cell run again
    assert again.sorter(SEED).answers == {"s1": "inference"}
    assert again.sources(SEED).rows[0]["type"].value == "organisation"
    assert "✔ Right" in again.hedges(SEED).feedback.value
    assert again.errorhunt(SEED).found == {"f1": "overreach"}
    assert again.highlighter(SEED).layers == {"sources"}
    assert again.quiz(QUESTIONS, article=SEED).choices == {"q1": "a"}
    assert read_answers_file(answers_path("lesson", tmp_path)) == widgets  # re-running wrote nothing


def test_same_family_twice_needs_its_own_key(tmp_path):
    nb = start("lesson", tmp_path)
    first = nb.sources(SEED, key="sources:warm-up", sentence_ids=["s3"])
    second = nb.sources(SEED)
    first.answer("s3", "RUSI", "organisation")
    second.answer("s3", "analysts", "vague")
    widgets = read_answers_file(answers_path("lesson", tmp_path))
    assert widgets["sources:warm-up"]["answers"]["s3"]["name"] == "RUSI"
    assert widgets[f"sources:{SEED}"]["answers"]["s3"]["name"] == "analysts"
