"""Is the analyser measured honestly against the keys, and does it stay above its floors?"""
from __future__ import annotations

import subprocess
import sys

import pytest

from kit.article_loader import load_article
from kit.analysis.evaluation import (evaluate, format_report, gold_has_attribution,
                            load_practice_articles, prf)
from kit.taxonomy import KINDS

# Floors a little under the figures measured on the kit's annotated articles (see
# docs/analyser.md). A change that makes the analyser clearly worse fails here; new
# practice articles may move the figures a little, so the margins are not razor thin.
FLOORS = {
    ("hedges", "f1"): 0.78,
    ("attribution", "f1"): 0.88,
    ("source_type", "accuracy"): 0.75,
    ("source_type", "macro_f1"): 0.72,
    ("kind", "accuracy"): 0.70,
    ("kind", "accepted_accuracy"): 0.80,
    ("kind", "macro_f1"): 0.62,
    ("splitting", "f1"): 0.90,
}


@pytest.fixture(scope="module")
def kit_metrics():
    articles, skipped = load_practice_articles()
    assert articles, f"no annotated article loaded; skipped: {skipped}"
    return evaluate(articles)


@pytest.mark.parametrize("task,figure", sorted(FLOORS), ids=[f"{t}-{f}" for t, f in sorted(FLOORS)])
def test_figures_stay_above_their_floors(kit_metrics, task, figure):
    """Does the analyser still reach the figure recorded in docs/analyser.md, give or take?"""
    value = kit_metrics[task][figure]
    assert value >= FLOORS[(task, figure)], (
        f"{task} {figure} fell to {value:.2f} (floor {FLOORS[(task, figure)]:.2f}) on "
        f"{len(kit_metrics['articles'])} articles")


def test_prf_arithmetic():
    """Are precision, recall and F1 computed over the right denominators?"""
    m = prf(tp_pred=3, n_pred=4, tp_gold=3, n_gold=6)
    assert m["precision"] == 0.75 and m["recall"] == 0.5
    assert abs(m["f1"] - 0.6) < 1e-9
    assert prf(0, 0, 0, 0)["f1"] == 0.0


def test_evaluate_a_small_article(write_article, minimal_article):
    """On the tiny test article, are hedges, attribution, sources and kinds scored as expected?"""
    article = load_article(write_article(minimal_article))
    m = evaluate([article])
    assert m["sentences"] == 3 and m["articles"] == ["tiny-test"]
    # s3 "Critics say it could double traffic." hedges [could]: found, nothing extra.
    assert m["hedges"]["gold"] == 1 and m["hedges"]["recall"] == 1.0
    # s2 (the minutes show) and s3 (critics say) attribute; the headline does not.
    assert m["attribution"]["gold"] == 2 and m["attribution"]["recall"] == 1.0
    assert m["source_type"]["per_label"]["document"]["recall"] == 1.0
    assert m["source_type"]["per_label"]["vague"]["recall"] == 1.0
    confusion = m["kind"]["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 3
    assert confusion["speculation"]["speculation"] == 1


def test_gold_attribution_leaves_out_carried_sources_without_cues(write_article, minimal_article):
    """Is a source carried over from an earlier sentence, with no cue, not counted as the
    sentence's own attribution?"""
    minimal_article["paragraphs"][1][0]["source"]["carried"] = True
    minimal_article["paragraphs"][1][0]["cues"] = []
    article = load_article(write_article(minimal_article))
    assert not gold_has_attribution(article.sentence("s2"))
    assert gold_has_attribution(article.sentence("s3"))


def test_broken_article_is_skipped_and_named(write_article, minimal_article, tmp_path):
    """Is an article that fails to load skipped, with the file and the reason reported?"""
    good = write_article(minimal_article, "good.yaml")
    bad = write_article("id: x\nparagraphs: [[{id: s1, text: 'open\n", "bad.yaml")
    articles, skipped = load_practice_articles([good, bad])
    assert [a.id for a in articles] == ["tiny-test"]
    assert skipped and skipped[0][0] == str(bad) and "YAML" in skipped[0][1]
    report = format_report(evaluate(articles), skipped)
    assert f"skipped {bad}" in report


def test_report_has_every_task_and_the_confusion_table(kit_metrics):
    """Does the printed report show P/R/F1 for each task and a confusion table of kinds?"""
    report = format_report(kit_metrics)
    for words in ("hedge words", "attribution (sentence has one)", "source type",
                  "suggested kind", "precision", "recall", "F1",
                  "rows are the key, columns the analyser's suggestion"):
        assert words in report
    table = report.split("rows are the key")[1].splitlines()
    assert all(kind in table[1] for kind in ("fact", "inference", "speculation", "caveat"))
    assert [line.split()[0] for line in table[2:7]] == list(KINDS)


def test_cli_evaluate_prints_the_report():
    """Does `kit evaluate` print the report and exit 0?"""
    done = subprocess.run([sys.executable, "-m", "kit", "evaluate"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "hedge words" in done.stdout and "rows are the key" in done.stdout
