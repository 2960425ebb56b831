"""Does the progress view count what was checked and right (recomputed from the keys,
not trusted from the file), keep over-scepticism and credulity apart, skip unreadable
files with a note, and suggest the first lesson with nothing checked?"""
from __future__ import annotations

import json

from kit.answers import FORMAT
from kit.notebook import start
from kit.widgets.progress import ProgressView, describe, progress_summary, what_next

SEED = "seed-airborne-leak"


def by_widget(rows):
    return {(r["notebook"], r["widget"]): r for r in rows}


def write_answers(folder, notebook, widgets):
    (folder / f"{notebook}.answers.json").write_text(
        json.dumps({"format": FORMAT, "widgets": widgets}), encoding="utf-8")


def test_every_family_is_counted(tmp_path):
    nb = start("01-sorting", tmp_path)
    sorter = nb.sorter(SEED, mode="all")
    sorter.choose("s5", "fact")        # right
    sorter.choose("s4", "inference")   # a fact doubted: over-sceptical
    sorter.choose("s9", "fact")        # speculation believed: credulous
    sorter.choose("s10", "fact")       # chosen but never checked: not counted
    for sid in ("s5", "s4", "s9"):
        sorter.check(sid)
    sources = nb.sources(SEED)
    sources.answer("s3", "RUSI", "organisation")
    sources.check()
    sources.answer("s8", "analysts", "person")
    sources.check()
    hedges = nb.hedges(SEED, sentence_ids=["s9", "s11"])
    hedges.mark("could", "roughly")
    hedges.check()
    hedges.go(1)
    hedges.mark("describe")
    hedges.check()
    hunt = start("02-errors", tmp_path).errorhunt(SEED)
    hunt.report("s26", "error")
    hunt.hint()
    quiz = start("02-errors", tmp_path).quiz(
        [{"id": "q1", "question": "?", "options": [{"text": "a", "correct": True, "why": "w"},
                                                   {"text": "b", "correct": False, "why": "w"}]}])
    quiz.choose("q1", "a")
    quiz.check()
    start("02-errors", tmp_path).highlighter(SEED).show("kinds")

    rows = by_widget(progress_summary(tmp_path))
    s = rows[("01-sorting", f"sorter:{SEED}")]
    assert (s["total"], s["answered"], s["checked"], s["right"]) == (27, 4, 3, 1)
    assert (s["over_sceptical"], s["credulous"]) == (1, 1)
    assert describe(s) == "4 of 27 sorted, 3 checked, 1 right"
    src = rows[("01-sorting", f"sources:{SEED}")]
    assert (src["answered"], src["checked"], src["right"]) == (2, 2, 1)
    h = rows[("01-sorting", f"hedges:{SEED}")]
    assert (h["total"], h["checked"], h["right"]) == (2, 2, 1)
    e = rows[("02-errors", f"errorhunt:{SEED}")]
    assert (e["found"], e["total"], e["hints"]) == (1, 23, 1)
    q = rows[("02-errors", "quiz:q1")]
    assert (q["right"], q["total"], q["answered"], q["checked"]) == (1, 1, 1, 1)
    assert rows[("02-errors", f"highlighter:{SEED}")]["note"] == "layers on: kinds"


def test_sorter_scores_are_recomputed_not_trusted(tmp_path):
    """A hand-edited entry that claims checks for unanswered sentences, or for sentences
    the article does not have, counts only what is really there."""
    write_answers(tmp_path, "01-a", {f"sorter:{SEED}": {
        "type": "sorter", "article": SEED, "answers": {"s5": "fact", "s1": "nonsense"},
        "checked": ["s5", "s1", "s2", "s999"], "right": 99}})
    row = progress_summary(tmp_path)[0]
    assert (row["checked"], row["right"]) == (1, 1)


def test_nothing_checked_is_zero_not_everything(tmp_path):
    write_answers(tmp_path, "01-a", {f"sorter:{SEED}": {
        "type": "sorter", "article": SEED, "answers": {"s5": "fact"}, "checked": []}})
    row = progress_summary(tmp_path)[0]
    assert (row["checked"], row["right"], row["credulous"]) == (0, 0, 0)


def test_unreadable_file_is_skipped_with_a_note_and_left_alone(tmp_path):
    (tmp_path / "01-a.answers.json").write_text("{not json", encoding="utf-8")
    write_answers(tmp_path, "02-b", {f"errorhunt:{SEED}": {
        "type": "errorhunt", "article": SEED, "found": {"f1": "overreach"}}})
    rows = progress_summary(tmp_path)
    assert rows[0]["notebook"] == "01-a" and rows[0]["note"].startswith("skipped: 01-a.answers.json")
    assert "\n" not in rows[0]["note"]
    assert rows[1]["found"] == 1
    assert (tmp_path / "01-a.answers.json").read_text() == "{not json"  # only read, never moved


def test_unknown_article_and_unknown_widget_are_notes(tmp_path):
    write_answers(tmp_path, "01-a", {
        "sorter:nowhere": {"type": "sorter", "article": "no-such-article", "checked": ["s1"]},
        "mystery": {"type": "telepathy"}})
    rows = by_widget(progress_summary(tmp_path))
    assert "could not be loaded" in rows[("01-a", "sorter:nowhere")]["note"]
    assert "not counted" in rows[("01-a", "mystery")]["note"]


def test_what_next_is_the_first_lesson_with_nothing_checked(tmp_path):
    for name in ("01-intro", "02-sorting", "03-sources"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    nb = start("01-intro", tmp_path)
    sorter = nb.sorter(SEED)
    sorter.choose("s5", "fact")
    assert "01-intro.ipynb" in what_next(tmp_path)  # chosen but not checked
    sorter.check()
    start("02-sorting", tmp_path).sorter(SEED).choose("s1", "fact")
    assert what_next(tmp_path) == "What next: open 02-sorting.ipynb; nothing is checked there yet."


def test_what_next_when_everything_has_been_started(tmp_path):
    (tmp_path / "01-intro.ipynb").write_text("{}")
    sorter = start("01-intro", tmp_path).sorter(SEED)
    sorter.choose("s5", "inference")
    sorter.check()
    assert "Go back to 01-intro" in what_next(tmp_path)


def test_view_shows_the_table_and_refreshes(tmp_path):
    (tmp_path / "01-intro.ipynb").write_text("{}")
    nb = start("01-intro", tmp_path)
    view = nb.progress()
    assert "No answers files here yet" in view.table.value
    assert "01-intro.ipynb" in view.next_step.value
    hunt = nb.errorhunt(SEED)
    hunt.report("s26", "error")
    view.refresh_button.click()
    assert "1 of 23 flags found" in view.table.value and "<th scope='col'" in view.table.value
    assert view.refresh_button.tooltip
    assert isinstance(ProgressView(tmp_path), ProgressView)


def test_progress_view_never_writes(tmp_path):
    sorter = start("01-intro", tmp_path).sorter(SEED)
    sorter.choose("s5", "fact")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    ProgressView(tmp_path).refresh()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
