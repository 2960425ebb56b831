"""Does the ClaimSorter give immediate feedback from the key, tally over-scepticism and
credulity separately, and save and restore what was clicked?"""
from __future__ import annotations

from kit.answers import answers_path, read_answers_file
from kit.article_loader import load_article
from kit.notebook import start


def make(tmp_path, write_article, minimal_article, **kwargs):
    article = load_article(write_article(minimal_article))
    nb = start("lesson", tmp_path)
    return article, nb.sorter(article, **kwargs)


def test_right_answer_explains_from_the_key(tmp_path, write_article, minimal_article):
    article, sorter = make(tmp_path, write_article, minimal_article, mode="all")
    sorter.choose("s2", "fact")
    sorter.check("s2")
    fb = sorter.rows[1]["feedback"].value
    assert "✔ Right" in fb and "A record of the vote." in fb and "the minutes (document" in fb


def test_accepted_alternative_is_explained(tmp_path, write_article, minimal_article):
    _, sorter = make(tmp_path, write_article, minimal_article, mode="all")
    sorter.choose("s3", "inference")
    sorter.check("s3")
    assert "✔ Accepted" in sorter.rows[2]["feedback"].value
    assert "speculation" in sorter.rows[2]["feedback"].value


def test_tally_separates_over_scepticism_and_credulity(tmp_path, write_article, minimal_article):
    """A doubted fact and a believed speculation: are they counted apart?"""
    _, sorter = make(tmp_path, write_article, minimal_article, mode="all")
    sorter.choose("s2", "inference")   # fact doubted
    sorter.choose("s3", "fact")        # speculation believed
    sorter.check_all()
    assert "Over-sceptical" in sorter.rows[1]["feedback"].value
    assert "Credulous" in sorter.rows[2]["feedback"].value
    tally = sorter.tally.value
    assert "Checked 2 of 3" in tally and "0 right" in tally
    assert "over-sceptical 1" in tally and "credulous 1" in tally


def test_check_without_choice_asks_for_one(tmp_path, write_article, minimal_article):
    _, sorter = make(tmp_path, write_article, minimal_article, mode="all")
    sorter.check("s1")
    assert "First choose" in sorter.rows[0]["feedback"].value


def test_answers_saved_on_every_change_and_restored(tmp_path, write_article, minimal_article):
    """Does a re-run cell (a new widget, a new store) show the same choices and checks?"""
    article, sorter = make(tmp_path, write_article, minimal_article)
    sorter.choose("s1", "fact")
    sorter.check()
    sorter.go(1)
    sorter.choose("s2", "caveat")
    saved = read_answers_file(answers_path("lesson", tmp_path))["sorter:tiny-test"]
    assert saved["answers"] == {"s1": "fact", "s2": "caveat"} and saved["checked"] == ["s1"]
    again = start("lesson", tmp_path).sorter(article)
    assert again.position == 1 and again.rows[0]["choice"].value == "caveat"
    again.go(0)
    assert again.rows[0]["choice"].value == "fact" and "✔ Right" in again.rows[0]["feedback"].value


def test_restoring_never_overwrites_with_empty_state(tmp_path, write_article, minimal_article):
    article, sorter = make(tmp_path, write_article, minimal_article, mode="all")
    sorter.choose("s2", "fact")
    before = read_answers_file(answers_path("lesson", tmp_path))["sorter:tiny-test"]["answers"]
    start("lesson", tmp_path).sorter(article, mode="all")  # the cell run again
    after = read_answers_file(answers_path("lesson", tmp_path))["sorter:tiny-test"]["answers"]
    assert before == after == {"s2": "fact"}


def test_new_choice_clears_old_feedback(tmp_path, write_article, minimal_article):
    _, sorter = make(tmp_path, write_article, minimal_article, mode="all")
    sorter.choose("s2", "fact")
    sorter.check("s2")
    sorter.choose("s2", "caveat")
    assert sorter.rows[1]["feedback"].value == ""


def test_controls_have_labels_for_screen_readers(tmp_path, write_article, minimal_article):
    _, sorter = make(tmp_path, write_article, minimal_article)
    row = sorter.rows[0]
    assert row["choice"].description == "Kind:"
    assert row["check"].description == "Check" and row["check"].tooltip
    assert sorter.prev_button.description and sorter.next_button.description
