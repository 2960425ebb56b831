"""Does the ErrorHunt show the whole page, find flags (even under the wrong type, with
the right type explained), say how many remain, count hints, and save and restore?"""
from __future__ import annotations

from kit.answers import answers_path, read_answers_file
from kit.article_loader import load_article
from kit.notebook import start
from kit.widgets.errorhunt import page_items

SEED = "seed-airborne-leak"


def make(tmp_path, write_article, minimal_article, **kwargs):
    article = load_article(write_article(minimal_article))
    return article, start("lesson", tmp_path).errorhunt(article, **kwargs)


def saved(tmp_path, key="errorhunt:tiny-test"):
    return read_answers_file(answers_path("lesson", tmp_path))[key]


def test_whole_page_in_order_with_ids(tmp_path, write_article, minimal_article):
    article, hunt = make(tmp_path, write_article, minimal_article)
    assert [i.id for i in page_items(article)] == ["p1", "s1", "s2", "s3"]
    page = hunt.page.value
    assert page.index("Monday, 2 March 2026") < page.index("Council Approves") < page.index("Critics say")
    assert "[page furniture · banner-date]" in page
    labels = [label for label, _ in hunt.place.options]
    assert labels[0].startswith("p1 · page furniture (banner-date)") and labels[3].startswith("s3 · Critics")


def test_seed_page_has_every_sentence_and_furniture_line(tmp_path):
    hunt = start("lesson", tmp_path).errorhunt(SEED)
    assert len(hunt.place.options) == 27 + 6
    assert [i.id for i in hunt.items][-1] == "p6"  # the empty Sources line, at the end
    assert "0 of 23 found; 23 remain" in hunt.tally.value


def test_report_at_a_flag_with_the_right_type(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    hunt.report("s3", "omission")
    fb = hunt.feedback.value
    assert "✔ Right: found: omission at s3." in fb and "not told who the critics are" in fb
    assert "1 of 1 found; 0 remain" in fb and 'role="status"' in fb
    assert "⚑ found: 1" in hunt.page.value
    assert saved(tmp_path)["found"] == {"f1": "omission"}


def test_wrong_type_still_finds_and_explains_the_right_type(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    hunt.report("s3", "error")
    fb = hunt.feedback.value
    assert "✔ Found" in fb and "it is omission, not error" in fb
    assert "something a careful reader needs that the article leaves out" in fb
    assert "1 of 1 found; 0 remain" in hunt.tally.value


def test_nothing_flagged_there(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    hunt.report("p1", "error")
    fb = hunt.feedback.value
    assert "✘ Not quite: nothing is flagged at p1." in fb and "0 of 1 found; 1 remain" in fb
    assert saved(tmp_path)["misses"] == 1


def test_already_found(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    hunt.report("s3", "omission")
    hunt.report("s3", "omission")
    assert "Already found" in hunt.feedback.value


def test_two_flags_at_one_place_type_picks_the_flag(tmp_path):
    """s1 of the seed carries an overreach and an inconsistency: does the reported type
    find the matching one, and say there is more?"""
    hunt = start("lesson", tmp_path).errorhunt(SEED)
    hunt.report("s1", "inconsistency")
    assert hunt.found == {"f2": "inconsistency"}
    assert "There is more to find at this place." in hunt.feedback.value
    assert "1 of 23 found; 22 remain" in hunt.feedback.value


def test_report_needs_a_place_and_a_type(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    hunt.place.value = "s3"
    hunt.report_button.click()
    assert "First choose" in hunt.feedback.value
    hunt.flag_type.value = "omission"
    hunt.report_button.click()
    assert "✔ Right" in hunt.feedback.value


def test_hints_reveal_the_next_unfound_flag_and_are_counted(tmp_path):
    hunt = start("lesson", tmp_path).errorhunt(SEED)
    hunt.report("s1", "overreach")                 # f1 found
    hunt.hint_button.click()                       # f2's hint
    assert "Find the sentence in the body" in hunt.hint_box.value
    hunt.hint()                                    # pressed again: where
    assert "Look at s1" in hunt.hint_box.value
    hunt.hint()                                    # nothing new: not counted again
    assert hunt.hints_used == 2 and "hints used: 2" in hunt.tally.value
    entry = saved(tmp_path, "errorhunt:seed-airborne-leak")
    assert entry["hints"] == {"f2": 2} and entry["hints_used"] == 2


def test_no_hints_left_when_all_found(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    hunt.report("s3", "omission")
    hunt.hint()
    assert "No hints left" in hunt.hint_box.value and hunt.hints_used == 0


def test_found_and_hints_restored(tmp_path):
    """Does a re-run cell (a new store) show the same flags found and hints used?"""
    hunt = start("lesson", tmp_path).errorhunt(SEED)
    hunt.report("s26", "error")
    hunt.report("s9", "omission")
    hunt.hint()
    again = start("lesson", tmp_path).errorhunt(SEED)
    assert again.found == hunt.found and again.hints_used == 1
    assert "2 of 23 found; 21 remain" in again.tally.value
    assert "RUIS" in again.found_list.value


def test_restoring_never_overwrites_with_empty_state(tmp_path, write_article, minimal_article):
    article, hunt = make(tmp_path, write_article, minimal_article)
    hunt.report("s3", "omission")
    path = answers_path("lesson", tmp_path)
    before = path.read_bytes()
    start("lesson", tmp_path).errorhunt(article)
    assert path.read_bytes() == before


def test_controls_are_labelled(tmp_path, write_article, minimal_article):
    _, hunt = make(tmp_path, write_article, minimal_article)
    assert hunt.place.description == "Place:" and hunt.flag_type.description == "Problem:"
    assert hunt.report_button.tooltip and hunt.hint_button.tooltip
    assert [v for _, v in hunt.flag_type.options] == ["error", "inconsistency", "omission",
                                                      "overreach", "disputed"]
