"""Does the ArticleHighlighter mark every layer with its own text marker and line style
(never colour alone), explain them in a legend, and keep its layers when re-run?"""
from __future__ import annotations

import re
from html import unescape
import sys
import types
from dataclasses import dataclass

import pytest

from kit.answers import answers_path, read_answers_file
from kit.article_loader import load_article
from kit.library import load
from kit.notebook import start
from kit.widgets.highlighter import LAYERS, mark_text

SEED = "seed-airborne-leak"


def make(tmp_path, write_article, minimal_article, **kwargs):
    article = load_article(write_article(minimal_article))
    return article, start("lesson", tmp_path).highlighter(article, **kwargs)


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def strip_markers(s: str) -> str:
    return re.sub(r"[▸⟨⟩⟪⟫{}\[\]]", "", s)


@pytest.fixture(autouse=True)
def no_analyser(monkeypatch):
    """The regex fallback, unless a test installs an analyser."""
    monkeypatch.setitem(sys.modules, "kit.analysis", None)


def test_no_layers_plain_text(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article)
    page = text(hl.page.value)
    assert "The council voted 7 to 2 for the bridge, the minutes show." in page
    assert not any(m in page for m in "⟨⟪{▸")


def test_sources_and_cues(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article)
    hl.show("sources")
    page = text(hl.page.value)
    assert "[the minutes] ▸show." in page and "[Critics] ▸say" in page
    assert "(source: none, the outlet's own voice)" in page  # s1 names no one
    assert "underline solid" in hl.page.value


def test_carried_source_is_noted(tmp_path):
    hl = start("lesson", tmp_path).highlighter(SEED, layers=("sources",))
    assert "carried over from s11" in text(hl.page.value)


def test_hedges_and_boosters(tmp_path):
    hl = start("lesson", tmp_path).highlighter(SEED, layers=("hedges",))
    page = text(hl.page.value)
    assert "⟨roughly⟩ 800 pages" in page and "Analysis ⟪Finds⟫" in page
    assert "underline wavy" in hl.page.value and "underline double" in hl.page.value


def test_a_cue_that_is_also_a_hedge_nests(tmp_path):
    hl = start("lesson", tmp_path).highlighter(SEED, layers=("sources", "hedges"))
    assert "▸⟨suggests⟩ Moscow" in text(hl.page.value)


def test_numbers_and_dates_regex(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article, layers=("numbers",))
    page = text(hl.page.value)
    assert "voted {7} to {2}" in page and "Monday, {2 March 2026}" in page
    assert "underline dotted" in hl.page.value


def test_numbers_from_the_analyser_when_installed(tmp_path, write_article, minimal_article, monkeypatch):
    @dataclass
    class Mark:
        kind: str
        text: str
        reason: str = ""

    module = types.ModuleType("kit.analysis")
    module.analyse_sentence = lambda t: types.SimpleNamespace(
        marks=[Mark("number", "7 to 2"), Mark("hedge", "could")] if "7" in t else [])
    monkeypatch.setitem(sys.modules, "kit.analysis", module)
    _, hl = make(tmp_path, write_article, minimal_article, layers=("numbers",))
    page = text(hl.page.value)
    assert "voted {7 to 2} for" in page and "{2 March" not in page


def test_kind_badges(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article, layers=("kinds",))
    page = text(hl.page.value)
    assert "[FACT]Council Approves" in page and "[SPECULATION]Critics" in page


def test_furniture_in_small_caps_with_its_label(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article)
    assert "[page furniture · banner-date] Monday" in text(hl.page.value)
    assert "small-caps" in hl.page.value


def test_legend_explains_every_marker(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article)
    legend = text(hl.legend.value)
    for marker in ("[Name]", "▸cue", "⟨hedge⟩", "⟪booster⟫", "{12}", "[FACT]", "page furniture"):
        assert marker in legend
    for style in ("solid underline", "wavy underline", "double underline", "dotted underline"):
        assert style in legend


def test_crossing_spans_keep_markers_paired():
    html = mark_text("could double traffic", [(0, 12, "hedge"), (6, 20, "number")])
    assert text(html) == "⟨could double⟩ traffic"


def test_every_shipped_article_renders_with_all_layers(tmp_path):
    from kit.library import practice_ids
    for article_id in practice_ids():
        hl = start("lesson", tmp_path).highlighter(article_id, layers=tuple(LAYERS))
        page = text(hl.page.value)
        assert page.count("⟨") == page.count("⟩") and page.count("{") == page.count("}")
        assert page.count("[") == page.count("]") and page.count("⟪") == page.count("⟫")
        bare = strip_markers(page)
        for s in load(article_id).sentences:  # every sentence whole, only markers added
            assert strip_markers(s.text) in bare, (article_id, s.id)


def test_layers_saved_and_restored(tmp_path, write_article, minimal_article):
    article, hl = make(tmp_path, write_article, minimal_article)
    hl.show("hedges")
    hl.boxes["kinds"].value = True
    entry = read_answers_file(answers_path("lesson", tmp_path))["highlighter:tiny-test"]
    assert entry["layers"] == ["hedges", "kinds"] and entry["type"] == "highlighter"
    again = start("lesson", tmp_path).highlighter(article)
    assert again.layers == {"hedges", "kinds"} and again.boxes["hedges"].value
    assert "⟨could⟩" in text(again.page.value)


def test_saved_layers_win_over_the_default(tmp_path, write_article, minimal_article):
    article, hl = make(tmp_path, write_article, minimal_article, layers=("sources",))
    hl.show("sources", False)
    again = start("lesson", tmp_path).highlighter(article, layers=("sources",))
    assert again.layers == set()


def test_restoring_never_writes(tmp_path, write_article, minimal_article):
    article, hl = make(tmp_path, write_article, minimal_article)
    hl.show("numbers")
    path = answers_path("lesson", tmp_path)
    before = path.read_bytes()
    start("lesson", tmp_path).highlighter(article)
    assert path.read_bytes() == before


def test_unknown_layer_is_refused(tmp_path, write_article, minimal_article):
    with pytest.raises(ValueError, match="unknown layer"):
        make(tmp_path, write_article, minimal_article, layers=("colours",))


def test_checkboxes_are_labelled_with_their_markers(tmp_path, write_article, minimal_article):
    _, hl = make(tmp_path, write_article, minimal_article)
    descriptions = [b.description for b in hl.boxes.values()]
    assert descriptions[0].startswith("Sources & cues") and "⟨ ⟩" in descriptions[1]
    assert all(b.tooltip for b in hl.boxes.values())
