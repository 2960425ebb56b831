"""Do answers outlive the kernel, survive damage, and never clobber each other?"""
from __future__ import annotations

import json
import os

import pytest

from kit.answers import FORMAT, AnswerStore, answers_path, load_entry, read_answers_file


def test_answers_file_sits_beside_the_notebook(tmp_path):
    assert answers_path("03-hedges.ipynb", tmp_path) == tmp_path / "03-hedges.answers.json"


def test_put_then_new_store_restores(tmp_path):
    """Does a new kernel (a new store) find what the old one saved?"""
    store = AnswerStore.for_notebook("nb", tmp_path)
    assert store.put("sorter:a", {"answers": {"s1": "fact"}}).saved
    again = AnswerStore.for_notebook("nb", tmp_path)
    assert again.get("sorter:a")["answers"] == {"s1": "fact"}


def test_two_widgets_never_clobber(tmp_path):
    """Do two widgets (or two kernels) saving in turn keep each other's answers?"""
    one = AnswerStore.for_notebook("nb", tmp_path)
    two = AnswerStore.for_notebook("nb", tmp_path)  # a second tab, loaded before any save
    one.put("sorter:a", {"answers": {"s1": "fact"}})
    two.put("sources:a", {"answers": {"s2": "vague"}})
    one.put("sorter:a", {"answers": {"s1": "caveat"}})
    data = read_answers_file(answers_path("nb", tmp_path))
    assert data["sorter:a"]["answers"] == {"s1": "caveat"}
    assert data["sources:a"]["answers"] == {"s2": "vague"}


def test_corrupt_file_is_kept_aside_with_a_message(tmp_path):
    """Is a corrupt file moved aside (not lost) and the student told in one sentence?"""
    path = answers_path("nb", tmp_path)
    path.write_text("{not json", encoding="utf-8")
    store = AnswerStore.for_notebook("nb", tmp_path)
    assert store.entries == {}
    assert "could not be read" in store.notice and "kept as nb.answers.unreadable-" in store.notice
    kept = list(tmp_path.glob("nb.answers.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
    assert not path.exists()


@pytest.mark.parametrize("content", [
    "[]", '{"format": "other"}', json.dumps({"format": FORMAT, "widgets": []}),
    json.dumps({"format": FORMAT, "widgets": {"k": 3}}), "\xff\xfe",
])
def test_wrong_shape_counts_as_no_answers_for_grading(tmp_path, content):
    """Does a graded cell get {} (never an exception) from a damaged file?"""
    path = tmp_path / "x.answers.json"
    path.write_text(content, encoding="utf-8")
    assert load_entry(path, "k") == {}


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "x.answers.json"
    path.write_text(json.dumps({"format": FORMAT, "widgets": {"k": {"pad": "x" * 2_000_000}}}))
    assert load_entry(path, "k") == {}


def test_unwritable_path_keeps_answers_in_memory(tmp_path):
    """If the answers file cannot be written (here: its folder is gone), are the answers
    kept in memory with a clear message?"""
    store = AnswerStore.for_notebook("nb", tmp_path / "gone")
    result = store.put("k", {"answers": {"s1": "fact"}})
    assert not result.saved and "Could not save your answers to nb.answers.json" in result.message
    assert store.get("k")["answers"] == {"s1": "fact"}


def test_interrupted_save_leaves_previous_answers(tmp_path, monkeypatch):
    """If the process dies mid-save, is the previous file intact and no temp file left?"""
    store = AnswerStore.for_notebook("nb", tmp_path)
    store.put("k", {"answers": {"s1": "fact"}})

    def boom(*_a, **_k):
        raise KeyboardInterrupt  # the kernel interrupted between write and rename
    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        store.put("k", {"answers": {"s1": "caveat"}})
    monkeypatch.undo()
    assert load_entry(answers_path("nb", tmp_path), "k")["answers"] == {"s1": "fact"}
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
